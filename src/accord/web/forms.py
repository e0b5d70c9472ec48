"""Reading HTML forms into the same input schemas the API uses."""

from __future__ import annotations

import enum
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData

from accord.config import Settings
from accord.schemas.numbers import MAX_ID, parse_int
from accord.services.errors import ServiceError
from accord.services.listing import ListQuery
from accord.web.security import CSRF_FIELD, ONCE_FIELD

RESERVED = {CSRF_FIELD, ONCE_FIELD, "version"}
MAX_ROWS = 1000  # rows of a repeated group in one form (parties, attendees…)
MAX_PAGE = 100_000  # as the API's page parameter


def nest(flat: dict[str, str]) -> dict[str, Any]:
    """Turn ``parties.0.organisation_id`` style keys into nested lists; rows left blank are dropped."""
    result: dict[str, Any] = {}
    rows: dict[str, dict[int, dict[str, str]]] = {}
    for key, value in flat.items():
        if key in RESERVED:
            continue
        parts = key.split(".")
        row = parse_int(parts[1], low=0, high=MAX_ROWS) if len(parts) == 3 else None
        if row is not None:
            rows.setdefault(parts[0], {}).setdefault(row, {})[parts[2]] = value
        else:
            result[key] = value
    for name, indexed in rows.items():
        result[name] = [row for _, row in sorted(indexed.items()) if any(v.strip() for v in row.values())]
    return result


async def form_data(request: Request) -> FormData:
    """The request's form, parsed on the event loop so that the route itself can be a plain function,
    which FastAPI runs in its thread pool: its database work then never holds up the loop."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


def read_form(form: FormData) -> tuple[dict[str, str], int | None]:
    """The form's own text fields (without the CSRF, one-time and version fields every form carries)
    and the record version it was loaded at."""
    flat = {key: value for key, value in form.items() if isinstance(value, str) and key not in RESERVED}
    version = str(form.get("version") or "")
    if not version:
        return flat, None
    parsed = parse_int(version, low=0)
    return flat, -1 if parsed is None else parsed  # a malformed version never matches: 409, not 500


def errors_by_field(error: ServiceError) -> dict[str, str]:
    """Field name → message, for showing next to each input."""
    found: dict[str, str] = {}
    for item in error.errors:
        found.setdefault(item.field, item.message)
    return found


def list_query(request: Request, settings: Settings, filter_types: dict[str, type]) -> ListQuery:
    """The list query described by the URL; a filter value of the wrong kind is ignored, not an error."""
    params = request.query_params

    def number(name: str, default: int, high: int) -> int:
        found = parse_int(params.get(name, ""), low=1, high=high)
        return default if found is None else found

    filters: dict[str, Any] = {}
    for key, kind in filter_types.items():
        raw = params.get(key, "").strip()
        if not raw:
            continue
        if kind is int:
            number_ = parse_int(raw, low=0, high=MAX_ID)
            if number_ is not None:
                filters[key] = number_
        elif issubclass(kind, enum.Enum):
            if raw in {member.value for member in kind}:
                filters[key] = kind(raw)
        else:
            filters[key] = raw[:200]
    return ListQuery(
        q=params.get("q") or None,
        filters=filters,
        sort=params.get("sort") or None,
        page=number("page", 1, MAX_PAGE),
        page_size=number("size", settings.page_size, 500),
        include_archived=params.get("archived") == "1",
    )
