"""How a page saves, the counterpart of ``accord.api.crud``: run one service call, commit, say so and
redirect; on a ``ValidationFailed`` roll back and show the form again with its field errors (or, for a
small action without a form of its own, say what was wrong on the page it came from). A record's
new and edit forms, and its archive and restore action, are alike for every kind of record and are
built by ``form_routes`` and ``archive_route``."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from accord.i18n import gettext
from accord.services import files
from accord.services.errors import ServiceError, ValidationFailed
from accord.services.permissions import Principal, require
from accord.services.validation import parse
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.forms import FormDep, errors_by_field, nest, read_form
from accord.web.render import flash

T = TypeVar("T")


class Flash(NamedTuple):
    """A message for the next page and its kind (``success``, ``warning`` or ``error``)."""

    text: str
    kind: str = "success"


Message = str | Flash | None


def _commit(session: Session, action: Callable[[], T], catching: type[ServiceError]) -> T:
    try:
        result = action()
        session.commit()
    except catching:
        session.rollback()
        raise
    return result


def _answer(
    request: Request,
    result: T,
    message: Message | Callable[[T], Message],
    target: str | Callable[[T], str | Response],
    after_commit: Callable[[T], None] | None,
) -> Response:
    if after_commit is not None:
        after_commit(result)
    said = message(result) if callable(message) else message
    if isinstance(said, Flash):
        flash(request, said.text, said.kind)
    elif said:
        flash(request, said)
    where = target(result) if callable(target) else target
    return where if isinstance(where, Response) else RedirectResponse(where, status_code=303)


def save_or_rerender(
    request: Request,
    session: Session,
    action: Callable[[], T],
    rerender: Callable[[ValidationFailed], Response],
    message: Message | Callable[[T], Message],
    target: str | Callable[[T], str | Response],
    *,
    after_commit: Callable[[T], None] | None = None,
) -> Response:
    """Run ``action`` and commit, run ``after_commit`` (start the job the action queued), flash
    ``message`` and redirect to ``target`` (303; a ``target`` that answers a page itself is shown as
    it is); on bad input roll back and answer ``rerender(error)``, the form again with the error next
    to each field."""
    try:
        result = _commit(session, action, ValidationFailed)
    except ValidationFailed as error:
        return rerender(error)
    return _answer(request, result, message, target, after_commit)


def save_or_flash(
    request: Request,
    session: Session,
    action: Callable[[], T],
    *,
    message: Message | Callable[[T], Message],
    target: str | Callable[[T], str | Response],
    back: str | None = None,
    after_commit: Callable[[T], None] | None = None,
    catching: type[ServiceError] = ValidationFailed,
) -> Response:
    """Like ``save_or_rerender`` for an action without a form page of its own: bad input is rolled back,
    flashed as an error (the message, then what it says of each field unless that only repeats it) and
    the browser sent ``back`` (by default to ``target``, which must then be a string). ``catching``
    widens what is said this way (``ServiceError``: a refusal such as a job that has already ended)."""
    try:
        result = _commit(session, action, catching)
    except catching as error:
        details = " ".join(e.message for e in error.errors if e.message != error.message)
        flash(request, f"{error.message} {details}".strip(), "error")
        return RedirectResponse(back or str(target), status_code=303)
    return _answer(request, result, message, target, after_commit)


def save_upload_or_flash(
    request: Request,
    session: Session,
    form: FormData,
    limit: int,
    action: Callable[[UploadFile, bytes], T],
    *,
    message: Message | Callable[[T], Message],
    target: str | Callable[[T], str | Response],
    back: str | None = None,
    after_commit: Callable[[T], None] | None = None,
) -> Response:
    """``save_or_flash`` for a form that uploads one file (its ``file`` field): with no file chosen, say
    so and send the browser ``back``; otherwise read at most one byte over ``limit`` (the service
    refuses a larger file) and save ``action(upload, data)``."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        flash(request, gettext("Choose a file to upload."), "error")
        return RedirectResponse(back or str(target), status_code=303)
    data = files.read_upload(upload.file, limit)
    return save_or_flash(
        request,
        session,
        lambda: action(upload, data),
        message=message,
        target=target,
        back=back,
        after_commit=after_commit,
    )


def _record_parameter(path: str) -> str:
    found = re.fullmatch(r"(.*)\{(\w+)\}", path)
    if found is None:
        raise ValueError(f"{path!r} must end in its record's parameter, such as /{{agreement_id}}")
    return found.group(2)


def _add_route(
    router: APIRouter,
    method: str,
    path: str,
    endpoint: Callable[..., Response],
    name: str,
    *,
    record: str | None = None,
    form: bool = True,
) -> None:
    """Add ``endpoint`` (which takes its arguments by name) as ``name``, with the request, the form
    when ``form``, the session and the principal, and ``record``, the record id in the path."""
    kinds = inspect.Parameter.KEYWORD_ONLY
    parameters = [inspect.Parameter(record, kinds, annotation=int)] if record else []
    parameters.append(inspect.Parameter("request", kinds, annotation=Request))
    if form:
        parameters.append(inspect.Parameter("form", kinds, annotation=FormDep))
    parameters += [
        inspect.Parameter("session", kinds, annotation=SessionDep),
        inspect.Parameter("principal", kinds, annotation=PrincipalDep),
    ]
    endpoint.__signature__ = inspect.Signature(parameters, return_annotation=Response)  # type: ignore[attr-defined]
    endpoint.__name__ = endpoint.__qualname__ = name
    router.add_api_route(path, endpoint, methods=[method], name=name)


def form_routes(
    router: APIRouter,
    path: str,
    *,
    show: Callable[[Request, Session, Principal, dict[str, Any], dict[str, str], Any, int], Response],
    schema: type[BaseModel],
    blank: Callable[[Request], dict[str, Any]],
    filled: Callable[[Any], dict[str, Any]],
    get: Callable[[Session, Principal, int], Any],
    may_edit: Callable[[Principal, Any], bool],
    create: Callable[[Session, Principal, Any], Any],
    update: Callable[[Session, Principal, int, Any, int | None], Any],
    saved: str,
) -> None:
    """Add the form pages of one kind of record to ``router``: ``GET`` and ``POST {base}/new`` and
    ``{path}/edit``, where ``path`` names a record's page (``/projects/{project_id}``) and ``base`` is
    that path without its last part. Add them before the record's page, which would take ``new`` for
    an id.

    ``show(request, session, principal, values, errors, record, status)`` draws the form (``record``
    is None for a new one); ``blank(request)`` gives a new form's values and ``filled(record)`` an
    edit form's (its version is added); ``get`` loads a record the reader may see and ``may_edit``
    says whether the reader may change it (anyone who coordinates an organisation may start a new
    one); ``create`` and ``update`` are the service functions and ``schema`` the input they take;
    ``saved`` is the untranslated message (``N_("Project saved.")``). The form is read as for every
    page (``read_form``, ``nest``); bad input shows it again with the error next to each field."""
    parameter = _record_parameter(path)
    noun = parameter.removesuffix("_id")
    base = path.rsplit("/", 1)[0]
    page = router.prefix + path

    def redirect(record: Any) -> str:
        return page.format(**{parameter: record.id})

    def new_form(request: Request, session: Session, principal: Principal) -> Response:
        require(principal.coordinates_any)
        return show(request, session, principal, blank(request), {}, None, 200)

    def create_record(request: Request, form: FormData, session: Session, principal: Principal) -> Response:
        values = nest(read_form(form)[0])
        return save_or_rerender(
            request,
            session,
            lambda: create(session, principal, parse(schema, values)),
            lambda error: show(
                request, session, principal, values, errors_by_field(error), None, error.status
            ),
            gettext(saved),
            redirect,
        )

    def edit_form(request: Request, session: Session, principal: Principal, **ids: int) -> Response:
        record = get(session, principal, ids[parameter])
        require(may_edit(principal, record))
        values = {**filled(record), "version": record.version}
        return show(request, session, principal, values, {}, record, 200)

    def update_record(
        request: Request, form: FormData, session: Session, principal: Principal, **ids: int
    ) -> Response:
        record_id = ids[parameter]
        flat, version = read_form(form)
        values = nest(flat)

        def again(error: ValidationFailed) -> Response:
            record = get(session, principal, record_id)
            shown = {**values, "version": version}
            return show(request, session, principal, shown, errors_by_field(error), record, error.status)

        return save_or_rerender(
            request,
            session,
            lambda: update(session, principal, record_id, parse(schema, values), version),
            again,
            gettext(saved),
            redirect,
        )

    _add_route(router, "GET", f"{base}/new", new_form, f"new_{noun}", form=False)
    _add_route(router, "POST", f"{base}/new", create_record, f"create_{noun}")
    _add_route(router, "GET", f"{path}/edit", edit_form, f"edit_{noun}", record=parameter, form=False)
    _add_route(router, "POST", f"{path}/edit", update_record, f"update_{noun}", record=parameter)


def archive_route(
    router: APIRouter,
    path: str,
    archive: Callable[..., Any],
    *,
    archived: str,
    restored: str,
) -> None:
    """Add ``POST {path}/archive`` to ``router``: archive (or, with ``restore=1``, restore) the record
    named by the path's last parameter at the version the form was read at, then back to its page.

    ``archive`` is the service function ``(session, principal, id, version, *, restore)``; ``archived``
    and ``restored`` are the untranslated messages (``N_("Agreement archived.")``)."""
    parameter = _record_parameter(path)
    page = router.prefix + path

    def endpoint(
        request: Request, form: FormData, session: Session, principal: Principal, **ids: int
    ) -> Response:
        record_id = ids[parameter]
        flat, version = read_form(form)
        restore = flat.get("restore") == "1"
        archive(session, principal, record_id, version, restore=restore)
        session.commit()
        flash(request, gettext(restored if restore else archived))
        return RedirectResponse(page.format(**{parameter: record_id}), status_code=303)

    name = f"archive_{parameter.removesuffix('_id')}"
    _add_route(router, "POST", f"{path}/archive", endpoint, name, record=parameter)
