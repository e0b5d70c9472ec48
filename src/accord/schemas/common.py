"""Building blocks for the schemas: trimmed optional text, ids, bilingual checks, pages."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints


def blank_to_none(value: object) -> object:
    """Forms send "" for an empty field; treat that as "no value"."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


Text60 = Annotated[Annotated[str, StringConstraints(max_length=60)] | None, BeforeValidator(blank_to_none)]
Text100 = Annotated[Annotated[str, StringConstraints(max_length=100)] | None, BeforeValidator(blank_to_none)]
Text200 = Annotated[Annotated[str, StringConstraints(max_length=200)] | None, BeforeValidator(blank_to_none)]
Text300 = Annotated[Annotated[str, StringConstraints(max_length=300)] | None, BeforeValidator(blank_to_none)]
LongText = Annotated[
    Annotated[str, StringConstraints(max_length=20000)] | None, BeforeValidator(blank_to_none)
]
OptionalDate = Annotated[date | None, BeforeValidator(blank_to_none)]
# Ids are PostgreSQL integers; a larger number can only be a mistake (or an attack).
MAX_ID = 2_147_483_647
RecordId = Annotated[int, Field(gt=0, le=MAX_ID)]
OptionalId = Annotated[RecordId | None, BeforeValidator(blank_to_none)]


class InputModel(BaseModel):
    """Strict about unknown fields, so a typo in an API body is reported rather than ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OutputModel(BaseModel):
    """Read from ORM objects."""

    model_config = ConfigDict(from_attributes=True)


ItemT = TypeVar("ItemT")


class PageOut(BaseModel, Generic[ItemT]):
    """One page of a list."""

    items: list[ItemT]
    total: int
    page: int
    page_size: int
