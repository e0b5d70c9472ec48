"""Result dataclasses of the intake engine (plain data, safe to serialise with ``dataclasses.asdict``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .ocr import OcrReport


@dataclass(frozen=True)
class ReadResult:
    """Text extracted from an uploaded document."""

    text: str
    format: str  # docx | pdf | txt | md | html | jpeg | png | tiff | doc | wps | rtf | odt
    encoding: str | None
    sha256: str
    warnings: list[str] = field(default_factory=list)
    # Lines set as headings in the original (bold, larger, centred or short numbered lines in a PDF;
    # Heading/Title styles or bold short paragraphs in a DOCX): ``(start, end)`` offsets into ``text``,
    # in order. A clause splitter may treat them as section starts.
    headings: list[tuple[int, int]] = field(default_factory=list)
    pages: int | None = None  # page count of a PDF or scan
    ocr: OcrReport | None = None  # set when some pages were read by OCR: engine, pages, line confidences


@dataclass(frozen=True)
class Clause:
    """A numbered (or headed) operative unit; offsets index into the extracted text."""

    number: str | None
    heading: str | None
    level: int
    path: str
    start: int
    end: int
    # Hash of the clause's own normalised text (children excluded); lets re-imports match clauses.
    fingerprint: str = ""


@dataclass(frozen=True)
class Party:
    label: str
    name: str | None


@dataclass(frozen=True)
class Amount:
    text: str
    value: float | None
    unit: str | None
    currency: str | None


@dataclass(frozen=True)
class Commitment:
    """One undertaking by a party to do, provide, pay, bear or refrain from something."""

    party: str | None
    action: str
    due: str | None
    due_resolved: date | None
    recurrence: str | None  # annual | semiannual | quarterly | monthly
    amount: Amount | None
    conditional: bool
    quote: str
    quote_start: int
    quote_end: int
    clause_index: int | None


@dataclass(frozen=True)
class Extraction:
    lang: str
    clauses: list[Clause]
    parties: list[Party]
    signed_on: date | None
    term: str | None
    commitments: list[Commitment]
    fallback_paragraphs: bool = False
