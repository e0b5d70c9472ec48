"""Readers for publication and patent records (CSV, JSONL, BibTeX, RIS) and person-name matching.

Pure functions: no database, no settings. Every reader returns a :class:`ReadResult` with the records and a
list of :class:`ReadError` (line number + message); ``strict=True`` raises :class:`BibliographyError`.
"""

from accord.bibliography.names import NameMatch, NameReading, match_names, name_similarity, parse_name
from accord.bibliography.readers import (
    READERS,
    read_bibtex,
    read_csv,
    read_file,
    read_jsonl,
    read_ris,
    read_text,
)
from accord.bibliography.records import BibliographyError, ReadError, ReadResult, Record

__all__ = [
    "READERS",
    "BibliographyError",
    "NameMatch",
    "NameReading",
    "ReadError",
    "ReadResult",
    "Record",
    "match_names",
    "name_similarity",
    "parse_name",
    "read_bibtex",
    "read_csv",
    "read_file",
    "read_jsonl",
    "read_ris",
    "read_text",
]
