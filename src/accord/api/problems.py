"""Errors as RFC 9457 problem details (application/problem+json), in the caller's language."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError, StatementError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from accord.i18n import gettext as _
from accord.services.errors import FieldError, ServiceError
from accord.services.validation import field_errors

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    422: "Unprocessable content",
    500: "Internal server error",
}


class FieldProblem(BaseModel):
    """One field at fault."""

    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document, as every API error is answered."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": TITLES[status], "content": {MEDIA_TYPE: {}}}
    for status in (400, 401, 403, 404, 409, 422)
}


def problem(status: int, detail: str, errors: list[FieldError] | None = None) -> Response:
    """A problem-details response; ``errors`` lists the fields at fault."""
    body: dict[str, object] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def install(app: FastAPI) -> None:
    """Answer every error of the API with a problem document (never an HTML page, never a bare 500)."""

    @app.exception_handler(ServiceError)
    async def _service_error(_request: Request, exc: ServiceError) -> Response:
        return problem(exc.status, exc.message, exc.errors)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> Response:
        return problem(422, _("Please correct the fields listed."), field_errors(exc.errors()))

    @app.exception_handler(StaleDataError)
    async def _stale(_request: Request, _exc: StaleDataError) -> Response:
        # Two saves of the same version raced; the database let only one through.
        return problem(
            409,
            _("Someone else changed this record at the same time; reload it and apply your change again."),
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(_request: Request, exc: IntegrityError) -> Response:
        log.info("integrity error: %s", exc)
        return problem(
            409,
            _("This conflicts with a record saved at the same time. Nothing was saved; please try again."),
        )

    @app.exception_handler(StatementError)
    async def _out_of_range(_request: Request, exc: StatementError) -> Response:
        # A number no column can hold (SQLite raises OverflowError, PostgreSQL a DataError):
        # the caller's mistake, so a 404 for the record it cannot name, never a 500.
        if isinstance(exc, DataError) or isinstance(exc.orig, OverflowError):
            return problem(404, _("No such record."))
        raise exc

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, exc: HTTPException) -> Response:
        return problem(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> Response:
        log.exception("unexpected error in the API", exc_info=exc)
        return problem(500, _("Something went wrong on our side; the error was logged."))
