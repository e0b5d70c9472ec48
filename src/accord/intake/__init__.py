"""Agreement intake: read uploaded documents and extract clauses, parties and commitments.

Pure functions only (no database, no network, no model downloads).
"""

from __future__ import annotations

from .diff import ClauseDiff, diff_clauses
from .errors import IntakeError
from .extract import extract
from .model import Amount, Clause, Commitment, Extraction, Party, ReadResult
from .ocr import OcrLineSpan, OcrReport
from .reader import ReadOptions, read_document

__all__ = [
    "Amount",
    "Clause",
    "ClauseDiff",
    "Commitment",
    "Extraction",
    "IntakeError",
    "OcrLineSpan",
    "OcrReport",
    "Party",
    "ReadOptions",
    "ReadResult",
    "diff_clauses",
    "extract",
    "read_document",
]
