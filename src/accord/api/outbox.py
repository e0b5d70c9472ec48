"""The outbox in the JSON API (administrators): e-mail notices as their recipients read them."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from accord.api.crud import page_body
from accord.api.deps import ApiPrincipal
from accord.deps import SessionDep, SettingsDep
from accord.schemas.common import MAX_ID
from accord.schemas.outbox import OutboxNoticeOut
from accord.services import outbox
from accord.services.listing import ListQuery

router = APIRouter(tags=["outbox"])


class OutboxPage(BaseModel):
    """One page of the outbox."""

    items: list[OutboxNoticeOut]
    total: int
    page: int
    page_size: int


@router.get(
    "/outbox", response_model=OutboxPage, summary="E-mail notices, held ones included (administrators)"
)
def list_outbox(
    session: SessionDep,
    principal: ApiPrincipal,
    settings: SettingsDep,
    q: str | None = Query(None, max_length=200, description="Words of the recipient's address."),
    state: Literal["held", "pending", "sent", "failed"] | None = Query(None),
    kind: Literal["reminder", "overdue", "escalation", "invitation"] | None = Query(None),
    task_id: int | None = Query(None, gt=0, le=MAX_ID),
    sort: Literal["created", "-created", "recipient", "-recipient", "due", "-due", "state", "-state"]
    | None = Query(None),
    page: int = Query(1, ge=1, le=100000),
    page_size: int = Query(25, ge=1, le=500),
) -> Any:
    filters = {"state": state, "kind": kind, "task_id": task_id}
    query = ListQuery(
        q=q,
        filters={k: v for k, v in filters.items() if v is not None},
        sort=sort,
        page=page,
        page_size=page_size,
    )
    return page_body(outbox.list_outbox(session, principal, query, settings))


@router.get(
    "/outbox/{notice_id}",
    response_model=OutboxNoticeOut,
    summary="One e-mail notice with its text (administrators)",
)
def get_outbox_notice(
    notice_id: int, session: SessionDep, principal: ApiPrincipal, settings: SettingsDep
) -> Any:
    return outbox.get_outbox_notice(session, principal, notice_id, settings)
