"""How a page saves, the counterpart of ``accord.api.crud``: run one service call, commit, say so and
redirect; on a ``ValidationFailed`` roll back and show the form again with its field errors (or, for a
small action without a form of its own, say what was wrong on the page it came from). Archive and
restore routes are all alike and are built by ``archive_route``."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from accord.i18n import gettext
from accord.services.errors import ValidationFailed
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.forms import FormDep, read_form
from accord.web.render import flash

T = TypeVar("T")


class Flash(NamedTuple):
    """A message for the next page and its kind (``success``, ``warning`` or ``error``)."""

    text: str
    kind: str = "success"


Message = str | Flash | None


def _commit(session: Session, action: Callable[[], T]) -> T:
    try:
        result = action()
        session.commit()
    except ValidationFailed:
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
        result = _commit(session, action)
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
) -> Response:
    """Like ``save_or_rerender`` for an action without a form page of its own: bad input is rolled back,
    flashed as an error (the message, then what it says of each field unless that only repeats it) and
    the browser sent ``back`` (by default to ``target``, which must then be a string)."""
    try:
        result = _commit(session, action)
    except ValidationFailed as error:
        details = " ".join(e.message for e in error.errors if e.message != error.message)
        flash(request, f"{error.message} {details}".strip(), "error")
        return RedirectResponse(back or str(target), status_code=303)
    return _answer(request, result, message, target, after_commit)


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
    found = re.fullmatch(r"(.*)\{(\w+)\}", path)
    if found is None:
        raise ValueError(f"{path!r} must end in its record's parameter, such as /{{agreement_id}}")
    parameter = found.group(2)
    page = router.prefix + path

    def endpoint(
        request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep, **ids: int
    ) -> Response:
        record_id = ids[parameter]
        flat, version = read_form(form)
        restore = flat.get("restore") == "1"
        archive(session, principal, record_id, version, restore=restore)
        session.commit()
        flash(request, gettext(restored if restore else archived))
        return RedirectResponse(page.format(**{parameter: record_id}), status_code=303)

    kinds = inspect.Parameter.KEYWORD_ONLY
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(parameter, kinds, annotation=int),
            inspect.Parameter("request", kinds, annotation=Request),
            inspect.Parameter("form", kinds, annotation=FormDep),
            inspect.Parameter("session", kinds, annotation=SessionDep),
            inspect.Parameter("principal", kinds, annotation=PrincipalDep),
        ],
        return_annotation=Response,
    )
    name = f"archive_{parameter.removesuffix('_id')}"
    endpoint.__name__ = endpoint.__qualname__ = name
    router.add_api_route(f"{path}/archive", endpoint, methods=["POST"], name=name)
