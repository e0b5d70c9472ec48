"""Search, filter, sort and paginate lists the same way everywhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

T = TypeVar("T")

MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class ListQuery:
    """What a user asked of a list: text search, exact filters, sort key, page."""

    q: str | None = None
    filters: Mapping[str, Any] = field(default_factory=dict)
    sort: str | None = None
    page: int = 1
    page_size: int = 25
    include_archived: bool = False

    @property
    def offset(self) -> int:
        """Rows skipped before this page."""
        return (max(self.page, 1) - 1) * self.size

    @property
    def size(self) -> int:
        """The page size, kept within bounds."""
        return min(max(self.page_size, 1), MAX_PAGE_SIZE)


@dataclass
class Page(Generic[T]):
    """One page of results with what is needed to draw pagination."""

    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """How many pages there are (at least one)."""
        return max(1, -(-self.total // self.page_size))


def text_filter(q: str | None, columns: Sequence[InstrumentedAttribute[Any]]) -> ColumnElement[bool] | None:
    """Case-insensitive containment over several columns; every word must match somewhere."""
    if not q or not q.strip():
        return None
    clauses = []
    for word in q.split()[:8]:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        clauses.append(or_(*(column.ilike(pattern) for column in columns)))
    return and_(*clauses)


def searched(
    stmt: Select[T], query: ListQuery, archived_at: Any, columns: Sequence[InstrumentedAttribute[Any]]
) -> Select[T]:
    """``stmt`` narrowed as every list is: archived records left out unless the query includes them
    (``archived_at`` is the list's column), and only those whose ``columns`` hold every searched word."""
    if not query.include_archived:
        stmt = stmt.where(archived_at.is_(None))
    condition = text_filter(query.q, columns)
    return stmt if condition is None else stmt.where(condition)


def sort_clause(sort: str | None, allowed: Mapping[str, Any], default: str) -> list[Any]:
    """``name`` ascending, ``-name`` descending; unknown keys fall back to the default."""
    key = sort or default
    descending = key.startswith("-")
    column = allowed.get(key.lstrip("-"))
    if column is None:
        descending = default.startswith("-")
        column = allowed[default.lstrip("-")]
    return [column.desc() if descending else column.asc()]


def paginate(session: Session, stmt: Select[T], query: ListQuery) -> Page[T]:
    """Run ``stmt`` for one page and count the whole result."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(session.scalars(stmt.limit(query.size).offset(query.offset)).unique())
    return Page(items=items, total=total, page=max(query.page, 1), page_size=query.size)
