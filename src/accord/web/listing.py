"""The generic list page: search, filters, sortable columns, pagination and export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from accord.i18n import gettext
from accord.services.listing import MAX_PAGE_SIZE, ListQuery, Page
from accord.services.permissions import Principal
from accord.web.deps import PrincipalDep, SessionDep, SettingsDep
from accord.web.forms import list_query
from accord.web.render import render
from accord.web.tables import Column, to_csv, to_xlsx


@dataclass(frozen=True)
class FilterField:
    """A filter shown above a list: a select of (value, label) options."""

    name: str
    label: str
    options: Sequence[tuple[str, str]]


@dataclass
class ListView:
    """Everything the list template needs to draw one concept's list."""

    title: str
    columns: Sequence[Column]
    row_url: Callable[[Any], str]
    filters: Sequence[FilterField] = field(default_factory=list)
    new_url: str | None = None
    export_name: str = "export"
    #: A paragraph under the title (already translated), e.g. why the list is what it is.
    intro: str | None = None
    #: Whether the records can be archived (the "Include archived" filter).
    archivable: bool = True


def list_page(request: Request, view: ListView, page: Page[Any]) -> Response:
    """Render the list page."""
    return render(request, "list.html", {"view": view, "page": page})


def export(view: ListView, fmt: str, fetch: Callable[[ListQuery], Page[Any]], query: ListQuery) -> Response:
    """All rows matching the query (every page) as CSV or XLSX."""
    rows: list[Any] = []
    page_number = 1
    while True:
        page = fetch(
            ListQuery(
                q=query.q,
                filters=query.filters,
                sort=query.sort,
                page=page_number,
                page_size=MAX_PAGE_SIZE,
                include_archived=query.include_archived,
            )
        )
        rows.extend(page.items)
        if page_number >= page.pages:
            break
        page_number += 1
    if fmt == "xlsx":
        body = to_xlsx(view.columns, rows, gettext(view.title))
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = to_csv(view.columns, rows)
        media = "text/csv; charset=utf-8"
        fmt = "csv"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{view.export_name}.{fmt}"'},
    )


def list_routes(
    router: APIRouter,
    path: str,
    filters: dict[str, type],
    view: Callable[[Session, Principal], ListView],
    fetch: Callable[[Session, Principal, ListQuery], Page[Any]],
) -> None:
    """Register a concept's list page ``GET path`` and its export ``GET path/export.{csv,xlsx}``.

    ``fetch`` is the service's list function (it applies the principal's visibility), so the page
    and the export always hold the same rows.
    """

    def list_endpoint(
        request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
    ) -> Response:
        page = fetch(session, principal, list_query(request, settings, filters))
        return list_page(request, view(session, principal), page)

    def export_endpoint(
        fmt: str, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
    ) -> Response:
        query = list_query(request, settings, filters)
        return export(view(session, principal), fmt, lambda q: fetch(session, principal, q), query)

    name = (router.prefix + path).strip("/").replace("/", "_")
    router.add_api_route(path, list_endpoint, methods=["GET"], name=f"list_{name}")
    router.add_api_route(f"{path}/export.{{fmt}}", export_endpoint, methods=["GET"], name=f"export_{name}")
