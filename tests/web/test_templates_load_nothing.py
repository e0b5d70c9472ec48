"""Templates get their data from their route: rendering a page runs no query of its own. A relationship
a template follows is loaded by the service or route that gives the page its records (``selectinload``
and friends), not lazily, one query per row, while the template is being rendered."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from accord import clock
from accord.config import Settings
from accord.services import notices
from accord.web import render
from tests.support.accounts import ADMIN, login
from tests.web.test_every_page import _paths

RENDERING: ContextVar[str | None] = ContextVar("rendering", default=None)


@contextmanager
def lazy_loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The queries run while a page template renders, each as ``template: Parent.relationship``."""
    found: list[str] = []
    respond = render.templates.TemplateResponse

    def watched(request: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        token = RENDERING.set(name)
        try:
            return respond(request, name, *args, **kwargs)
        finally:
            RENDERING.reset(token)

    def listen(state: ORMExecuteState) -> None:
        template = RENDERING.get()
        if template is None:
            return
        parent = state.lazy_loaded_from
        loaded = ", ".join(sorted(m.class_.__name__ for m in state.all_mappers)) or str(state.statement)[:80]
        where = f"{type(parent.obj()).__name__} → " if parent is not None else "query: "
        found.append(f"{template}: {where}{loaded}")

    monkeypatch.setattr(render.templates, "TemplateResponse", watched)
    event.listen(Session, "do_orm_execute", listen)
    try:
        yield found
    finally:
        event.remove(Session, "do_orm_execute", listen)


def test_no_page_template_queries_the_database(
    client: TestClient,
    session: Session,
    world: dict[str, int],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    notices.plan_and_send(session, clock.today(), settings, now=clock.now())
    paths = _paths(session, world, client.app)
    login(client, ADMIN)
    client.cookies.set("accord_lang", "en")
    by_page: dict[str, set[str]] = {}
    with lazy_loads(monkeypatch) as found:
        for path in paths:
            found.clear()
            client.get(path)
            if found:
                by_page[path] = set(found)
    assert by_page == {}, "load these in the route or service: " + "; ".join(
        f"{path}: {load}" for path, loads in sorted(by_page.items()) for load in sorted(loads)
    )


def test_the_check_sees_a_template_load_lazily(
    session: Session, world: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.models import Agreement

    agreement = session.get(Agreement, world["strategic_agreement"])
    assert agreement is not None
    session.expire(agreement, ["parties"])
    template = render.templates.env.from_string("{{ agreement.parties | length }}")
    with lazy_loads(monkeypatch) as found:
        token = RENDERING.set("inline.html")
        try:
            template.render(agreement=agreement)
        finally:
            RENDERING.reset(token)
    assert found == ["inline.html: Agreement → AgreementParty"]
