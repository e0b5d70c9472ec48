"""Schemas of news and notices, and of the annual report request."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator, Field, StringConstraints, field_validator

from accord.models import NewsKind, NewsStatus
from accord.schemas.common import InputModel, OptionalId, OutputModel, RecordId, Text300, blank_to_none

Text600 = Annotated[Annotated[str, StringConstraints(max_length=600)] | None, BeforeValidator(blank_to_none)]
Markdown = Annotated[
    Annotated[str, StringConstraints(max_length=100_000)] | None, BeforeValidator(blank_to_none)
]
Url = Annotated[
    Annotated[str, StringConstraints(max_length=500, pattern=r"^https?://\S+$")] | None,
    BeforeValidator(blank_to_none),
]
OptionalDateTime = Annotated[datetime | None, BeforeValidator(blank_to_none)]


class NewsIn(InputModel):
    """Fields a person writes for an article or notice (bodies in Markdown)."""

    kind: NewsKind = NewsKind.NEWS
    status: NewsStatus = NewsStatus.DRAFT
    title_zh: Text300 = None
    title_en: Text300 = None
    summary_zh: Text600 = None
    summary_en: Text600 = None
    body_zh: Markdown = None
    body_en: Markdown = None
    source_url: Url = None
    published_at: OptionalDateTime = None
    publisher_id: RecordId
    signing_event_id: OptionalId = None
    agreement_ids: list[RecordId] = Field(default_factory=list, max_length=50)
    institution_ids: list[RecordId] = Field(default_factory=list, max_length=50)

    @field_validator("agreement_ids", "institution_ids", mode="before")
    @classmethod
    def _drop_blanks(cls, value: object) -> object:
        if isinstance(value, list):
            return [v for v in value if v not in ("", None)]
        return value


class NewsImageOut(OutputModel):
    """An uploaded image; use ``url`` in the Markdown body: ``![caption](/news/images/ID)``."""

    id: int
    filename: str
    content_type: str
    width: int
    height: int
    size: int

    @property
    def url(self) -> str:
        """Where the image is served."""
        return f"/news/images/{self.id}"


class NewsOut(OutputModel):
    """An article as the API returns it (Markdown bodies and their sanitised HTML)."""

    id: int
    kind: NewsKind
    status: NewsStatus
    title_zh: str | None
    title_en: str | None
    summary_zh: str | None
    summary_en: str | None
    body_zh: str | None
    body_en: str | None
    body_html_zh: str = ""
    body_html_en: str = ""
    source_url: str | None
    published_at: datetime | None
    publisher_id: int
    signing_event_id: int | None
    agreement_ids: list[int] = Field(default_factory=list)
    institution_ids: list[int] = Field(default_factory=list)
    read_count: int
    images: list[NewsImageOut] = Field(default_factory=list)
    version: int
    archived_at: datetime | None
