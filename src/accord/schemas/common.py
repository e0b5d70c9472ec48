"""Building blocks for the schemas: trimmed optional text, ids, bilingual checks, pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from accord.schemas.numbers import MAX_ID as MAX_ID  # re-exported: ids are bounded here
from accord.schemas.text import clean_text, date_in_range


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
RecordId = Annotated[int, Field(gt=0, le=MAX_ID)]
OptionalId = Annotated[RecordId | None, BeforeValidator(blank_to_none)]


class InputModel(BaseModel):
    """Strict about unknown fields, so a typo in an API body is reported rather than ignored.

    Every text field of every input (forms, API bodies, imports) loses its control characters, and
    every date must lie between 1900 and 2200: the rules hold for all schemas because they are here."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, list):
            return [clean_text(item) if isinstance(item, str) else item for item in value]
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _sane_dates(cls, value: Any) -> Any:
        if isinstance(value, date | datetime) and not date_in_range(value):
            raise PydanticCustomError("date_out_of_range", "date outside 1900-2200")
        return value


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
