"""Publication/patent records and the error type shared by all readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Record:
    """One publication or patent as read from a file. ``line`` is the 1-based line where it starts."""

    title: str
    authors: list[str] = field(default_factory=list)
    id: str | None = None
    year: int | None = None
    abstract: str = ""
    venue: str = ""
    doi: str = ""
    kind: str = "paper"  # "paper" or "patent"
    keywords: list[str] = field(default_factory=list)
    lang: str | None = None
    line: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Title, abstract and keywords as one matchable text."""
        parts = [self.title, self.abstract, "; ".join(self.keywords)]
        return ". ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class ReadError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(slots=True)
class ReadResult:
    """Everything read: good records plus one error per malformed entry. Nothing is dropped silently."""

    records: list[Record]
    errors: list[ReadError]

    @property
    def ok(self) -> bool:
        return not self.errors


class BibliographyError(ValueError):
    """Raised in strict mode when a file has malformed entries."""

    def __init__(self, errors: list[ReadError]) -> None:
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} malformed entries: {shown}{more}")


def parse_year(value: object) -> int | None:
    """First plausible 4-digit year in ``value`` (``2021``, ``2021-05-03``, ``2021/05``), else None."""
    s = str(value or "")
    for i in range(len(s) - 3):
        chunk = s[i : i + 4]
        if (
            chunk.isdigit()
            and (i == 0 or not s[i - 1].isdigit())
            and (i + 4 == len(s) or not s[i + 4].isdigit())
        ):
            y = int(chunk)
            if 1000 <= y <= 2999:
                return y
    return None


def split_list(value: str) -> list[str]:
    """Split an author/keyword cell on ``;`` (or ``|``, or `` and `` for BibTeX-style author lists)."""
    if not value:
        return []
    for sep in (";", "|", "；"):
        if sep in value:
            return [p.strip() for p in value.split(sep) if p.strip()]
    if " and " in value:
        return [p.strip() for p in value.split(" and ") if p.strip()]
    return [value.strip()] if value.strip() else []
