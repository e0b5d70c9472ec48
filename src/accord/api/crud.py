"""One router shape for every registry concept: list, get, create, replace, archive, restore.

Annotations are real objects here (no postponed evaluation) because FastAPI reads them to
build the request schema of each generated route.
"""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Header, Query, status
from pydantic import BaseModel

from accord.api.deps import ApiPrincipal
from accord.deps import SessionDep
from accord.schemas.numbers import parse_int
from accord.services.listing import ListQuery, Page
from accord.services.permissions import Principal, can_read, readable

IfMatch = Header(None, description="The version you edited; a stale one gets 409.")


def if_match_version(if_match: str | None) -> int | None:
    """The version named by an ``If-Match`` header (``\"3\"``); a malformed tag never matches."""
    if if_match is None:
        return None
    digits = if_match.strip().removeprefix("W/").strip('"')
    version = parse_int(digits, low=0)
    return -1 if version is None else version


def created_links(prefix: str, parameter: str = "item_id") -> dict[str, Any]:
    """OpenAPI links from a create operation to the operations that take the new record's id."""
    item = f"{prefix}/{{{parameter}}}".replace("~", "~0").replace("/", "~1")
    targets = {"Get": f"{item}/get", "Replace": f"{item}/put", "Archive": f"{item}~1archive/post"}
    return {
        name: {"operationRef": f"#/paths/{ref}", "parameters": {parameter: "$response.body#/id"}}
        for name, ref in targets.items()
    }


class Shown:
    """A record as one reader may see it, for the response schemas (which read attributes): a linked
    agreement or parent (``agreement_id``, ``parent_id``) the reader may not read reads as None, and
    linked commitments as only the readable ones, exactly as the pages show them."""

    __slots__ = ("_obj", "_principal")

    def __init__(self, obj: Any, principal: Principal) -> None:
        self._obj = obj
        self._principal = principal

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._obj, name)
        if name in {"agreement_id", "parent_id"} and value is not None:
            linked = getattr(self._obj, name.removesuffix("_id"), None)
            return value if linked is None or can_read(self._principal, linked) else None
        if name == "commitments":
            return readable(self._principal, value)
        return value


def shown(principal: Principal, obj: Any) -> Any:
    """``obj`` wrapped in ``Shown`` for ``principal``."""
    return Shown(obj, principal)


def page_body(result: Page[Any], item: Callable[[Any], Any] = lambda obj: obj) -> dict[str, Any]:
    """The answer for one page of a list: its items (each passed through ``item``) and where it is."""
    return {
        "items": [item(obj) for obj in result.items],
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
    }


def record_action(
    router: APIRouter,
    path: str,
    action: Callable[..., Any],
    *,
    body: type[BaseModel],
    response_model: type[BaseModel],
    tag: str | None,
    summary: str,
    description: str | None = None,
    method: str = "POST",
    status_code: int | None = None,
    versioned: bool = False,
    name: str | None = None,
) -> None:
    """Add an operation on the record named by ``{item_id}`` in ``path``: ``action(session, principal,
    item_id, data)`` with the request body read as ``body`` (and, when ``versioned``, the version named
    by If-Match), committed, answering what it returns as the reader may see it. ``tag`` is None on a
    router that tags its operations itself; ``name`` names the operation (by default the action's)."""

    def run(session: Any, principal: Principal, *arguments: Any) -> Any:
        item = action(session, principal, *arguments)
        session.commit()
        return shown(principal, item)

    if versioned:

        def endpoint(
            item_id: int,
            data: body,  # type: ignore[valid-type]
            session: SessionDep,
            principal: ApiPrincipal,
            if_match: str | None = IfMatch,
        ) -> Any:
            return run(session, principal, item_id, data, if_match_version(if_match))

    else:

        def endpoint(item_id: int, data: body, session: SessionDep, principal: ApiPrincipal) -> Any:  # type: ignore[valid-type,misc]
            return run(session, principal, item_id, data)

    endpoint.__name__ = endpoint.__qualname__ = name or action.__name__
    router.add_api_route(
        path,
        endpoint,
        methods=[method],
        response_model=response_model,
        status_code=status_code,
        tags=[tag] if tag else None,
        summary=summary,
        description=description,
    )


def crud_router(
    *,
    prefix: str,
    tag: str,
    schema_in: type[BaseModel],
    schema_out: type[BaseModel],
    list_fn: Callable[..., Any],
    get_fn: Callable[..., Any],
    create_fn: Callable[..., Any],
    update_fn: Callable[..., Any],
    archive_fn: Callable[..., Any],
    filters: Callable[..., dict[str, Any]],
    sorts: list[str],
    noun: str,
) -> APIRouter:
    """Build the router of one concept from its service functions; ``noun`` names one record ("organisation")."""
    router = APIRouter(prefix=prefix, tags=[tag])
    one = f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
    page_model = type(
        f"{schema_out.__name__}Page",
        (BaseModel,),
        {
            "__annotations__": {"items": list[schema_out], "total": int, "page": int, "page_size": int},  # type: ignore[valid-type]
        },
    )

    @router.get(
        "",
        response_model=page_model,
        summary=f"List {tag}",
        description=f"One page of {tag} you may read, filtered, searched and sorted; archived ones only on request.",
    )
    def list_items(
        session: SessionDep,
        principal: ApiPrincipal,
        q: str | None = Query(None, max_length=200, description="Words that must all appear."),
        sort: str | None = Query(None, description=f"One of {', '.join(sorts)}; prefix '-' for descending."),
        page: int = Query(1, ge=1, le=100000),
        page_size: int = Query(25, ge=1, le=500),
        include_archived: bool = False,
        extra: dict[str, Any] = filters,  # type: ignore[assignment]
    ) -> Any:
        query = ListQuery(
            q=q,
            filters={k: v for k, v in extra.items() if v is not None},
            sort=sort,
            page=page,
            page_size=page_size,
            include_archived=include_archived,
        )
        return page_body(list_fn(session, principal, query), lambda item: shown(principal, item))

    @router.get(
        "/{item_id}",
        response_model=schema_out,
        summary=f"Get {one}",
        description=f"The {noun} with this id, if you may read it (404 otherwise).",
    )
    def get_item(item_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
        return shown(principal, get_fn(session, principal, item_id))

    @router.post(
        "",
        response_model=schema_out,
        status_code=status.HTTP_201_CREATED,
        summary=f"Create {one}",
        description=f"Record a new {noun}; the answer is the stored {noun} with its id and version.",
        responses={201: {"description": "Created", "links": created_links(prefix)}},
    )
    def create_item(data: schema_in, session: SessionDep, principal: ApiPrincipal) -> Any:  # type: ignore[valid-type]
        item = create_fn(session, principal, data)
        session.commit()
        return shown(principal, item)

    record_action(
        router,
        "/{item_id}",
        update_fn,
        body=schema_in,
        response_model=schema_out,
        tag=None,
        summary=f"Replace {one}",
        description=f"Replace every field of the {noun}; send If-Match with its version to refuse a stale edit (412).",
        method="PUT",
        versioned=True,
        name="update_item",
    )

    def archiving(restore: bool) -> Callable[..., Any]:
        def endpoint(item_id: int, session: SessionDep, principal: ApiPrincipal) -> Any:
            item = archive_fn(session, principal, item_id, None, restore=restore)
            session.commit()
            return shown(principal, item)

        endpoint.__name__ = endpoint.__qualname__ = "restore_item" if restore else "archive_item"
        return endpoint

    router.add_api_route(
        "/{item_id}/archive",
        archiving(restore=False),
        methods=["POST"],
        response_model=schema_out,
        summary=f"Archive {one}",
        description=f"Hide the {noun} from lists; it is kept with its history and can be restored.",
    )
    router.add_api_route(
        "/{item_id}/restore",
        archiving(restore=True),
        methods=["POST"],
        response_model=schema_out,
        summary=f"Restore {one}",
        description=f"Bring an archived {noun} back into lists.",
    )

    return router
