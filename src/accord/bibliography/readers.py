"""Tolerant readers for CSV, JSONL, BibTeX and RIS. Each returns records plus errors with line numbers;
the caller decides: ``strict=True`` raises :class:`BibliographyError` on any error, otherwise the good
records are returned together with the list of errors (never dropped silently)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from accord.bibliography.records import (
    BibliographyError,
    ReadError,
    ReadResult,
    Record,
    parse_year,
    split_list,
)

_FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "key", "identifier", "record_id", "patent_number", "publication_number"),
    "title": ("title", "name", "标题", "题名", "名称"),
    "authors": ("authors", "author", "inventors", "inventor", "作者", "发明人"),
    "year": ("year", "date", "publication_year", "pub_year", "年份", "日期"),
    "abstract": ("abstract", "summary", "text", "摘要"),
    "venue": ("venue", "journal", "booktitle", "source", "期刊"),
    "doi": ("doi",),
    "kind": ("kind", "type"),
    "keywords": ("keywords", "keyword", "关键词"),
    "lang": ("lang", "language"),
}


def _pick(row: Mapping[str, Any], name: str) -> Any:
    for alias in _FIELD_ALIASES[name]:
        for key in (alias, alias.upper(), alias.capitalize()):
            if key in row and row[key] not in (None, ""):
                return row[key]
    return None


def _record_from_mapping(row: Mapping[str, Any], line: int) -> tuple[Record | None, str | None]:
    title = _pick(row, "title")
    if not isinstance(title, str) or not title.strip():
        return None, "missing title"
    authors = _pick(row, "authors")
    keywords = _pick(row, "keywords")
    year_raw = _pick(row, "year")
    year = parse_year(year_raw)
    if year_raw not in (None, "") and year is None:
        return None, f"unreadable year {str(year_raw)[:40]!r}"
    kind = str(_pick(row, "kind") or "paper").lower()
    rec = Record(
        title=title.strip(),
        authors=[str(a) for a in authors] if isinstance(authors, list) else split_list(str(authors or "")),
        id=str(_pick(row, "id")) if _pick(row, "id") is not None else None,
        year=year,
        abstract=str(_pick(row, "abstract") or ""),
        venue=str(_pick(row, "venue") or ""),
        doi=str(_pick(row, "doi") or ""),
        kind="patent" if "patent" in kind or "专利" in kind else "paper",
        keywords=[str(k) for k in keywords]
        if isinstance(keywords, list)
        else split_list(str(keywords or "")),
        lang=str(_pick(row, "lang")) if _pick(row, "lang") else None,
        line=line,
    )
    return rec, None


def read_csv(text: str) -> ReadResult:
    """CSV with a header row (comma, semicolon or tab separated; detected). Author lists use ``;``."""
    records: list[Record] = []
    errors: list[ReadError] = []
    text = text.lstrip("\ufeff")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        return ReadResult([], [])
    except csv.Error as e:
        return ReadResult([], [ReadError(1, f"unreadable header: {e}")])
    header = [h.strip() for h in header]
    if not any(h.lower() in _FIELD_ALIASES["title"] or h in _FIELD_ALIASES["title"] for h in header):
        errors.append(ReadError(1, "header has no title column"))
        return ReadResult([], errors)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            errors.append(ReadError(start, f"malformed CSV: {e}"))
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(ReadError(start, f"expected {len(header)} fields, found {len(row)}"))
            continue
        rec, err = _record_from_mapping(dict(zip(header, row, strict=True)), start)
        if rec is None:
            errors.append(ReadError(start, err or "invalid row"))
        else:
            records.append(rec)
    return ReadResult(records, errors)


def read_jsonl(text: str) -> ReadResult:
    """One JSON object per line."""
    records: list[Record] = []
    errors: list[ReadError] = []
    for n, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            errors.append(ReadError(n, f"invalid JSON: {e}"))
            continue
        if not isinstance(obj, dict):
            errors.append(ReadError(n, "not a JSON object"))
            continue
        rec, err = _record_from_mapping(obj, n)
        if rec is None:
            errors.append(ReadError(n, err or "invalid record"))
        else:
            records.append(rec)
    return ReadResult(records, errors)


# -- BibTeX ------------------------------------------------------------------------------------------
_ENTRY_START = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_LATEX_CMD = re.compile(r"\\[A-Za-z]+\s*|\\.")


def _clean_tex(value: str) -> str:
    value = _LATEX_CMD.sub("", value)
    return " ".join(value.replace("{", "").replace("}", "").replace("~", " ").split())


class _BibSyntaxError(Exception):
    pass


def _bib_value(src: str, i: int, strings: Mapping[str, str]) -> tuple[str, int]:
    """Parse ``{...}`` / ``"..."`` / number / macro, with ``#`` concatenation. Returns (value, next index)."""
    parts: list[str] = []
    n = len(src)
    while True:
        while i < n and src[i].isspace():
            i += 1
        if i >= n:
            raise _BibSyntaxError("value expected")
        c = src[i]
        if c == "{":
            depth, j = 1, i + 1
            while j < n and depth:
                if src[j] == "\\":
                    j += 2
                    continue
                depth += {"{": 1, "}": -1}.get(src[j], 0)
                j += 1
            if depth:
                raise _BibSyntaxError("unbalanced braces")
            parts.append(src[i + 1 : j - 1])
            i = j
        elif c == '"':
            depth, j = 0, i + 1
            while j < n and not (src[j] == '"' and depth == 0):
                if src[j] == "\\":
                    j += 2
                    continue
                depth += {"{": 1, "}": -1}.get(src[j], 0)
                j += 1
            if j >= n:
                raise _BibSyntaxError("unterminated quoted value")
            parts.append(src[i + 1 : j])
            i = j + 1
        else:
            m = re.compile(r"[A-Za-z0-9_:.\-+/]+").match(src, i)
            if not m:
                raise _BibSyntaxError(f"unexpected character {c!r} in value")
            word = m.group()
            parts.append(word if word.isdigit() else strings.get(word.lower(), word))
            i = m.end()
        while i < n and src[i].isspace():
            i += 1
        if i < n and src[i] == "#":
            i += 1
            continue
        return "".join(parts), i


def _parse_bib_entry(
    src: str, i: int, close: str, strings: dict[str, str]
) -> tuple[str, dict[str, str], int]:
    """Parse the body after ``@type{`` → (key, fields, index after the closing delimiter)."""
    n = len(src)
    m = re.compile(r"\s*([^,\s{}()=\"#]+)\s*,").match(src, i)
    key = ""
    if m:
        key, i = m.group(1), m.end()
    fields: dict[str, str] = {}
    while True:
        while i < n and (src[i].isspace() or src[i] == ","):
            i += 1
        if i >= n:
            raise _BibSyntaxError("entry not closed")
        if src[i] == close:
            return key, fields, i + 1
        m = re.compile(r"([A-Za-z][A-Za-z0-9_\-:.]*)\s*=").match(src, i)
        if not m:
            raise _BibSyntaxError(f"field name expected near {src[i : i + 20]!r}")
        value, i = _bib_value(src, m.end(), strings)
        fields[m.group(1).lower()] = value
        while i < n and src[i].isspace():
            i += 1
        if i < n and src[i] not in ",)}":
            raise _BibSyntaxError(f"',' expected after field {m.group(1)!r}")


def read_bibtex(text: str) -> ReadResult:
    """Small tolerant BibTeX parser: @string macros, {}/"" values, # concatenation; a malformed entry is
    reported with its starting line and parsing resumes at the next ``@`` that starts a line."""
    records: list[Record] = []
    errors: list[ReadError] = []
    strings: dict[str, str] = {"jan": "January", "feb": "February", "mar": "March", "apr": "April"}
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(pos: int) -> int:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    i = 0
    while True:
        m = _ENTRY_START.search(text, i)
        if not m:
            break
        etype, close = m.group(1).lower(), "}" if m.group(2) == "{" else ")"
        line = line_of(m.start())
        if etype in ("comment", "preamble"):
            i = m.end()
            continue
        try:
            if etype == "string":
                _, fields, i = _parse_bib_entry(text, m.end(), close, strings)
                strings.update({k: _clean_tex(v) for k, v in fields.items()})
                continue
            key, fields, i = _parse_bib_entry(text, m.end(), close, strings)
        except _BibSyntaxError as e:
            errors.append(ReadError(line, f"@{etype}: {e}"))
            nxt = re.compile(r"^\s*@", re.M).search(text, m.end())
            i = nxt.start() if nxt else len(text)
            continue
        if not key:
            errors.append(ReadError(line, f"@{etype} entry without a citation key"))
            continue
        title = _clean_tex(fields.get("title", ""))
        if not title:
            errors.append(ReadError(line, f"@{etype}{{{key}}} has no title"))
            continue
        year_raw = fields.get("year") or fields.get("date") or ""
        records.append(
            Record(
                title=title,
                authors=[
                    _clean_tex(a) for a in re.split(r"\s+and\s+", fields.get("author", "")) if a.strip()
                ],
                id=key,
                year=parse_year(year_raw),
                abstract=_clean_tex(fields.get("abstract", "")),
                venue=_clean_tex(fields.get("journal") or fields.get("booktitle") or ""),
                doi=fields.get("doi", "").strip(),
                kind="patent" if etype == "patent" else "paper",
                keywords=split_list(_clean_tex(fields.get("keywords", "")).replace(",", ";")),
                lang=fields.get("language") or None,
                line=line,
                extra={"entry_type": etype},
            )
        )
    return ReadResult(records, errors)


# -- RIS ---------------------------------------------------------------------------------------------
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def read_ris(text: str) -> ReadResult:
    """RIS (``TY  - `` … ``ER  - ``). Continuation lines are appended to the previous tag's value."""
    records: list[Record] = []
    errors: list[ReadError] = []
    cur: dict[str, list[str]] | None = None
    start = 0
    last_tag = ""
    for n, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        m = _RIS_LINE.match(line)
        if not m:
            if cur is not None and last_tag:
                cur[last_tag][-1] += " " + line.strip()
            else:
                errors.append(ReadError(n, f"not a RIS tag line: {line[:40]!r}"))
            continue
        tag, value = m.group(1), (m.group(2) or "").strip()
        if tag == "TY":
            if cur is not None:
                errors.append(ReadError(start, "record not closed with ER before the next TY"))
            cur, start, last_tag = {"TY": [value]}, n, "TY"
            continue
        if cur is None:
            errors.append(ReadError(n, f"{tag} outside a record (no TY)"))
            continue
        if tag == "ER":
            rec, err = _ris_record(cur, start)
            if rec is None:
                errors.append(ReadError(start, err))
            else:
                records.append(rec)
            cur, last_tag = None, ""
            continue
        cur.setdefault(tag, []).append(value)
        last_tag = tag
    if cur is not None:
        errors.append(ReadError(start, "record not closed with ER at end of file"))
    return ReadResult(records, errors)


def _ris_record(tags: dict[str, list[str]], line: int) -> tuple[Record | None, str]:
    def first(*names: str) -> str:
        for nme in names:
            if tags.get(nme):
                return tags[nme][0]
        return ""

    title = first("TI", "T1", "CT", "BT")
    if not title:
        return None, "record has no title (TI/T1)"
    ty = first("TY").upper()
    return (
        Record(
            title=title,
            authors=[a for t in ("AU", "A1", "A2", "IN") for a in tags.get(t, [])],
            id=first("ID", "AN", "M1") or None,
            year=parse_year(first("PY", "Y1", "DA")),
            abstract=first("AB", "N2"),
            venue=first("JO", "JF", "T2", "JA"),
            doi=first("DO"),
            kind="patent" if ty == "PAT" else "paper",
            keywords=list(tags.get("KW", [])),
            lang=first("LA") or None,
            line=line,
            extra={"ris_type": ty},
        ),
        "",
    )


READERS: dict[str, Callable[[str], ReadResult]] = {
    "csv": read_csv,
    "jsonl": read_jsonl,
    "bibtex": read_bibtex,
    "ris": read_ris,
}
_EXT = {".csv": "csv", ".tsv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".bib": "bibtex", ".ris": "ris"}


def read_text(text: str, fmt: str, strict: bool = False) -> ReadResult:
    """Read ``text`` in format ``csv`` / ``jsonl`` / ``bibtex`` / ``ris``."""
    try:
        reader = READERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(READERS)}") from None
    result = reader(text)
    if strict and result.errors:
        raise BibliographyError(result.errors)
    return result


def read_file(path: str | Path, fmt: str | None = None, strict: bool = False) -> ReadResult:
    """Read a file; the format comes from the extension unless given. Undecodable bytes are replaced."""
    p = Path(path)
    fmt = fmt or _EXT.get(p.suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot tell the format of {p.name}; pass fmt")
    return read_text(p.read_bytes().decode("utf-8", errors="replace"), fmt, strict)
