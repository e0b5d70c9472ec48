"""The annual cooperation report: a form (year, partner, language, format) and the download."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from accord import clock
from accord.i18n import LANGUAGES, current_language, gettext, reset_language, set_language
from accord.schemas.numbers import parse_id
from accord.services import dashboards, reports
from accord.services.errors import NotFound, ValidationFailed
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.forms import errors_by_field
from accord.web.render import render

router = APIRouter(prefix="/reports")


def _form(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    values: dict[str, Any],
    errors: dict[str, str],
    preview: str | None = None,
    status: int = 200,
) -> Response:
    partners = dashboards.partners_of(session, principal)
    context = {
        "values": values,
        "errors": errors,
        "partners": [(o.id, o) for o in partners],
        "languages": [("zh_Hans", "中文"), ("en", "English")],
        "formats": [("pdf", "PDF"), ("xlsx", "XLSX"), ("html", "HTML")],
        "preview": preview,
    }
    return render(request, "reports/index.html", context, status=status)


@router.get("")
def report_form(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    params = request.query_params
    values = {
        "year": params.get("year") or str(clock.today().year - 1),
        "partner_id": params.get("partner_id", ""),
        "lang": params.get("lang") or current_language(),
        "format": params.get("format") or "pdf",
    }
    return _form(request, session, principal, values, {})


@router.get("/annual")
def annual(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    params = request.query_params
    values = {key: params.get(key, "").strip() for key in ("year", "partner_id", "lang", "format")}
    errors: dict[str, str] = {}
    lang = values["lang"] if values["lang"] in LANGUAGES else current_language()
    fmt = values["format"] if values["format"] in reports.FORMATS else "pdf"
    try:
        first, last = reports.parse_years(values["year"])
    except ValidationFailed as error:
        errors.update(errors_by_field(error))
    partner_id = parse_id(values["partner_id"])
    if partner_id is None:
        errors["partner_id"] = gettext("Choose the partner organisation.")
    if errors or partner_id is None:
        return _form(request, session, principal, values, errors, status=422)
    token = set_language(lang)
    try:
        report = reports.build(
            session, principal, first_year=first, last_year=last, partner_id=partner_id,
            today=clock.today(),
        )  # fmt: skip
        if fmt == "html":
            preview = reports.render_html(report, standalone=False)
        else:
            body = reports.render(report, fmt)
    except NotFound as error:
        return _form(request, session, principal, values, errors_by_field(error), status=error.status)
    finally:
        reset_language(token)
    if fmt == "html":
        return _form(request, session, principal, values, {}, preview=preview)
    return Response(
        body,
        media_type=reports.FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{reports.filename(report, fmt)}"'},
    )
