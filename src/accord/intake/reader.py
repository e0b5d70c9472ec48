"""Turn uploaded bytes (DOCX, PDF, TXT, Markdown, HTML) into plain text.

Nothing from an upload is executed: DOCX is read as XML from a size-checked zip, PDF text comes from its
text layer, HTML is tokenised by the stdlib parser with scripts and styles dropped.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath
from typing import Any

from accord.safezip import ZipLimits, ZipRefused, open_archive, stored_copy

from . import convert, layout, ocr
from .errors import IntakeError
from .ideographs import unify_ideographs
from .model import ReadResult

MAX_BYTES = 20 * 1024 * 1024
# A DOCX of real agreements rarely expands beyond a few MB; these bounds are applied to the bytes the
# archive actually produces (accord.safezip), before python-docx sees it.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100

_EXT_FORMAT = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".png": "png",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".doc": "doc",
    ".wps": "wps",
    ".rtf": "rtf",
    ".odt": "odt",
}
IMAGE_FORMATS = {"jpeg", "png", "tiff"}
LEGACY_FORMATS = {"doc", "wps", "rtf", "odt"}
# What a file's first bytes say it is, and which extensions may hold it.
_MAGIC: list[tuple[bytes, str, set[str]]] = [
    (b"%PDF", "PDF", {"pdf"}),
    (b"\xff\xd8\xff", "JPEG", {"jpeg"}),
    (b"\x89PNG\r\n\x1a\n", "PNG", {"png"}),
    (b"II*\x00", "TIFF", {"tiff"}),
    (b"MM\x00*", "TIFF", {"tiff"}),
    (b"{\\rtf", "RTF", {"rtf", "doc", "wps"}),
    (b"PK\x03\x04", "ZIP", {"docx", "odt"}),
    (b"\xd0\xcf\x11\xe0", "OLE", {"doc", "wps", "docx"}),  # Word 97 / WPS; also an encrypted DOCX
]


@dataclass
class _Read:
    """What one format's reader found, before the common normalisation."""

    text: str
    headings: list[str] = field(default_factory=list)  # heading lines, as they appear in ``text``
    pages: int | None = None
    ocr_pages: list[ocr.OcrPage] = field(default_factory=list)
    ocr_engine: str | None = None


@dataclass(frozen=True)
class ReadOptions:
    """What a reader may do beyond reading text: OCR (an engine name) and converting legacy formats.

    Without them a scan or a .doc raises ``needs_ocr`` / ``needs_conversion``, so a caller can move
    the slow work out of a web request and call again with them set.
    """

    ocr_engine: str | None = None
    convert: bool = False
    convert_timeout: int = 120
    max_pixels: int = ocr.MAX_PIXELS
    progress: Callable[[int, int], None] | None = None


def sniff(data: bytes, fmt: str, ext: str = "") -> None:
    """Refuse a file whose content is of another type than its extension says (``wrong_extension``)."""
    head = data[:8]
    for magic, actual, allowed in _MAGIC:
        if head.startswith(magic):
            if fmt not in allowed:
                raise IntakeError("wrong_extension", ext=ext.lstrip(".") or fmt, actual=actual)
            return
    # Unknown content goes to the format's reader, which reports it as damaged.


def read_document(
    data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, options: ReadOptions | None = None
) -> ReadResult:
    """Read an uploaded document; raise :class:`IntakeError` with a stable code on failure."""
    options = options or ReadOptions()
    if len(data) > max_bytes:
        raise IntakeError("too_large", size=len(data), limit=max_bytes)
    ext = PurePosixPath(filename.replace("\\", "/").lower()).suffix
    fmt = _EXT_FORMAT.get(ext)
    if fmt is None:
        raise IntakeError("unsupported_type", ext=ext or filename)
    if data.lstrip()[:1]:
        sniff(data.lstrip() if fmt == "pdf" else data, fmt, ext)
    sha = hashlib.sha256(data).hexdigest()
    warnings: list[str] = []
    encoding: str | None = None
    if fmt == "docx" and data.startswith(b"\xd0\xcf\x11\xe0"):
        # OLE container: an encrypted OOXML package (it holds an EncryptionInfo stream) or a renamed .doc.
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise IntakeError("encrypted", format="DOCX")
        fmt = "doc"
    if fmt == "docx":
        read = _read_docx(data, warnings)
    elif fmt == "pdf":
        read = _read_pdf(data, warnings, options)
    elif fmt in IMAGE_FORMATS:
        read = _read_images(data, options)
    elif fmt in LEGACY_FORMATS:
        if not options.convert:
            raise IntakeError("needs_conversion", format=fmt)
        converted = convert.to_docx(data, fmt, timeout=options.convert_timeout)
        read = _read_docx(converted, warnings)
    else:
        raw, encoding = decode_text(data)
        if fmt == "html":
            read = _Read(html_to_text(raw))
        elif fmt == "md":
            read = _Read(_markdown_to_text(raw))
        else:
            read = _Read(raw)
    text = normalise_text(read.text)
    if not text.strip():
        if read.ocr_pages:
            raise IntakeError("unreadable_scan", pages=_page_list([p.number for p in read.ocr_pages]))
        raise IntakeError("empty")
    if _garbled(text):
        warnings.append("text_layer_garbled")
    report = _ocr_report(text, read) if read.ocr_engine else None
    if report and report.unreadable_pages:
        warnings.append("ocr_pages_unreadable")
    if report and report.low_confidence():
        warnings.append("ocr_low_confidence")
    return ReadResult(
        text=text,
        format=fmt,
        encoding=encoding,
        sha256=sha,
        warnings=warnings,
        headings=heading_spans(text, read.headings),
        pages=read.pages,
        ocr=report,
    )


def _page_list(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _read_images(data: bytes, options: ReadOptions) -> _Read:
    images = ocr.open_images(data, options.max_pixels)  # refuses damaged or oversized images at once
    if options.ocr_engine is None:
        raise IntakeError("needs_ocr", pages=_page_list(list(range(1, len(images) + 1))))
    engine = ocr.get_engine(options.ocr_engine)
    pages = ocr.recognise_images(images, engine, options.progress)
    return _from_ocr(pages, [], engine.name, len(images))


def _from_ocr(
    scanned: list[ocr.OcrPage], text_pages: list[list[layout.Line]], engine: str, page_count: int
) -> _Read:
    """Paragraphs from recognised pages (and pages that had a text layer), unreadable pages refused."""
    unreadable = [p.number for p in scanned if not p.readable]
    readable_scans = [p for p in scanned if p.readable and not p.blank]
    if unreadable and not readable_scans and not any(text_pages):
        raise IntakeError("unreadable_scan", pages=_page_list(unreadable))
    ocr.tidy_pages(readable_scans)
    by_number = {p.number: p.lines for p in readable_scans}
    lines: list[list[layout.Line]] = []
    for number in range(1, page_count + 1):
        if number in by_number:
            lines.append(by_number[number])
        elif number - 1 < len(text_pages):
            lines.append(text_pages[number - 1])
    found = layout.paragraphs(lines)
    return _Read(
        "\n".join(p.text for p in found),
        [p.text for p in found if p.heading],
        pages=page_count,
        ocr_pages=scanned,
        ocr_engine=engine,
    )


def _ocr_report(text: str, read: _Read) -> ocr.OcrReport:
    """Where each recognised line landed in the final text, with its confidence."""
    spans: list[ocr.OcrLineSpan] = []
    position = 0
    for page in read.ocr_pages:
        if not page.readable:
            continue
        for line in page.lines:
            wanted = normalise_text(line.text).strip().rstrip("-\u2010")
            if not wanted:
                continue
            found = text.find(wanted, position)
            if found < 0:
                continue
            spans.append(
                ocr.OcrLineSpan(found, found + len(wanted), round(line.confidence or 0.0, 3), page.number)
            )
            position = found + len(wanted)
    return ocr.OcrReport(
        engine=read.ocr_engine or "",
        pages=[p.number for p in read.ocr_pages if not p.blank],
        unreadable_pages=[p.number for p in read.ocr_pages if not p.readable],
        lines=spans,
        seconds=round(sum(p.seconds for p in read.ocr_pages), 2),
    )


def normalise_text(text: str) -> str:
    """Unify line ends, blank runs and look-alike ideographs; keep full-width punctuation (it carries numbering)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\ufeff", "")
    text = normalise_chars(text.replace("\u00a0", " ").replace("\u3000", " "))
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def normalise_chars(text: str) -> str:
    """Characters a text layer uses in place of the ones printed: radicals for ideographs (see
    :mod:`accord.intake.ideographs`) and U+037E, which is canonically a semicolon."""
    return unify_ideographs(text).replace("\u037e", ";")


def heading_spans(text: str, headings: list[str]) -> list[tuple[int, int]]:
    """Where each heading line stands in the normalised text, in order: ``(start, end)`` offsets."""
    spans: list[tuple[int, int]] = []
    position = 0
    for heading in headings:
        wanted = normalise_text(heading).strip()
        if not wanted:
            continue
        found = position
        while True:
            found = text.find(wanted, found)
            if found < 0 or found == 0 or text[found - 1] == "\n":
                break
            found += 1
        if found < 0:
            continue
        end = found + len(wanted)
        if end < len(text) and text[end] != "\n":
            continue
        spans.append((found, end))
        position = end
    return spans


def _garbled(text: str) -> bool:
    """A text layer whose font has no usable Unicode map reads as "(cid:12)" or private-use characters."""
    odd = len(re.findall(r"\(cid:\d+\)|[\ue000-\uf8ff]", text))
    return odd > max(3, 0.02 * len(text))


# --- text decoding ---------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), else GB18030/GBK or whatever charset-normalizer finds."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise IntakeError("undecodable") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise IntakeError("undecodable")
    # GB18030 is a superset of GBK/GB2312; most non-UTF-8 Chinese files decode strictly with it.
    try:
        text = data.decode("gb18030")
        if _looks_like_text(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IntakeError("undecodable")
    text = str(best)
    if not _looks_like_text(text):
        raise IntakeError("undecodable")
    return text, best.encoding


def _looks_like_text(text: str) -> bool:
    if not text:
        return True
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\n\r\t\f") or ch == "\ufffd")
    return bad / len(text) < 0.01


# --- DOCX ------------------------------------------------------------------------------------------


def docx_limits(size: int) -> ZipLimits:
    """What a DOCX of ``size`` bytes may inflate to: 10 MB, more only at a ratio of at most 100, never 200 MB."""
    return ZipLimits.for_size(size, ratio=MAX_RATIO, floor=10 * 1024 * 1024, ceiling=MAX_UNCOMPRESSED)


def _docx_package(data: bytes) -> bytes:
    """The DOCX inflated within its limits and re-packed uncompressed, for python-docx to open."""
    limits = docx_limits(len(data))
    try:
        with open_archive(data, limits) as archive:
            names = set(archive.namelist())
        if "EncryptionInfo" in names or "EncryptedPackage" in names:
            raise IntakeError("encrypted", format="DOCX")
        if "word/document.xml" not in names:
            raise IntakeError("corrupt_file", format="DOCX", detail="word/document.xml is missing")
        return stored_copy(data, limits)
    except ZipRefused as refused:
        if refused.code == "too_large":
            raise IntakeError(
                "zip_bomb", uncompressed=limits.total, ratio=round(limits.total / max(1, len(data)), 1)
            ) from refused
        if refused.code == "encrypted":
            raise IntakeError("encrypted", format="DOCX") from refused
        detail = "not a zip archive" if refused.code == "not_zip" else str(refused)
        raise IntakeError("corrupt_file", format="DOCX", detail=detail) from refused


def _read_docx(data: bytes, warnings: list[str]) -> _Read:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # OLE container: an encrypted OOXML package (it holds an EncryptionInfo stream) or a renamed .doc.
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise IntakeError("encrypted", format="DOCX")
        raise IntakeError("unsupported_type", ext=".doc")
    package = _docx_package(data)
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(package))
    except Exception as exc:  # python-docx raises several unrelated types on malformed parts
        raise IntakeError("corrupt_file", format="DOCX", detail=type(exc).__name__) from exc
    numbering = _Numbering(document)
    lines: list[str] = []
    headings: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = _paragraph_text(child, qn)
            label = numbering.label(child, qn)
            if label and text.strip():
                # Word puts a tab after the number; a space keeps "1. Text" readable, 一、 needs none.
                text = label + ("" if label[-1] in "、）)．" else " ") + text.lstrip()
            lines.append(text)
            if text.strip() and "\n" not in text.strip() and numbering.is_heading(child, qn):
                headings.append(text.strip())
        elif child.tag == qn("w:tbl"):
            for row in child.iter(qn("w:tr")):
                cells = []
                for cell in row.iter(qn("w:tc")):
                    cells.append(" ".join(_paragraph_text(p, qn) for p in cell.iter(qn("w:p"))).strip())
                lines.append("\t".join(cells))
            warnings.append("table_flattened")
    return _Read("\n".join(lines), headings)


def _paragraph_text(paragraph: Any, qn: Any) -> str:
    parts: list[str] = []
    for node in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _run_bold(run: Any, qn: Any) -> bool:
    rpr = run.find(qn("w:rPr"))
    bold = rpr.find(qn("w:b")) if rpr is not None else None
    return bold is not None and bold.get(qn("w:val"), "true") not in ("0", "false")


_CN_DIGITS = "零一二三四五六七八九"


def _chinese_counting(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else _CN_DIGITS[n]
    if n < 20:
        return "十" + _CN_DIGITS[n - 10]
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    values = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    out = []
    for value, sym in values:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        r = _roman(n)
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting"):
        return _chinese_counting(n)
    if fmt == "bullet":
        return ""
    return str(n)


class _Numbering:
    """Renders Word list numbers (``w:numPr``) as text, since python-docx only exposes the runs."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        self.styles: dict[str, Any] = {}
        try:
            from docx.oxml.ns import qn as _qn

            for style in document.styles.element.iter(_qn("w:style")):
                self.styles[style.get(_qn("w:styleId"), "")] = style
        except Exception:  # styles are optional for reading text
            self.styles = {}
        try:
            part = document.part.numbering_part
        except Exception:  # no numbering part: nothing to render
            return
        from docx.oxml.ns import qn

        root = part.element
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.iter(qn("w:abstractNum")):
            aid = an.get(qn("w:abstractNumId"))
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.iter(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                fmt_el = lvl.find(qn("w:numFmt"))
                txt_el = lvl.find(qn("w:lvlText"))
                start_el = lvl.find(qn("w:start"))
                lv[ilvl] = (
                    fmt_el.get(qn("w:val"), "decimal") if fmt_el is not None else "decimal",
                    txt_el.get(qn("w:val"), "") if txt_el is not None else "",
                    int(start_el.get(qn("w:val"), "1")) if start_el is not None else 1,
                )
            if aid is not None:
                abstract[aid] = lv
        for num in root.iter(qn("w:num")):
            nid = num.get(qn("w:numId"))
            ref = num.find(qn("w:abstractNumId"))
            if nid is None or ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(qn("w:val"), ""), {}).items():
                self.levels[(nid, ilvl)] = spec

    def _style_numpr(self, style_id: str, qn: Any) -> Any:
        # List styles ("List Number") carry the numbering in the style, not in the paragraph.
        for _ in range(4):
            style = self.styles.get(style_id)
            if style is None:
                return None
            ppr = style.find(qn("w:pPr"))
            numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
            if numpr is not None:
                return numpr
            based = style.find(qn("w:basedOn"))
            if based is None:
                return None
            style_id = based.get(qn("w:val"), "")
        return None

    def is_heading(self, paragraph: Any, qn: Any) -> bool:
        """A paragraph styled as a heading or title, with an outline level, or short and wholly bold."""
        ppr = paragraph.find(qn("w:pPr"))
        style_id = ""
        if ppr is not None:
            if ppr.find(qn("w:outlineLvl")) is not None:
                return True
            pstyle = ppr.find(qn("w:pStyle"))
            style_id = pstyle.get(qn("w:val"), "") if pstyle is not None else ""
        style = self.styles.get(style_id)
        if style is not None:
            name_el = style.find(qn("w:name"))
            name = (name_el.get(qn("w:val"), "") if name_el is not None else style_id).lower()
            if name.startswith(("heading", "title", "标题")):
                return True
            spr = style.find(qn("w:pPr"))
            if spr is not None and spr.find(qn("w:outlineLvl")) is not None:
                return True
        runs = [
            r for r in paragraph.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t"))).strip()
        ]
        text = _paragraph_text(paragraph, qn).strip()
        if not runs or len(text) > 60 or text.endswith(("。", "；", ";", "，", ",", ".")):
            return False
        return all(_run_bold(r, qn) for r in runs)

    def label(self, paragraph: Any, qn: Any) -> str:
        ppr = paragraph.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is None and ppr is not None:
            pstyle = ppr.find(qn("w:pStyle"))
            if pstyle is not None:
                numpr = self._style_numpr(pstyle.get(qn("w:val"), ""), qn)
        if numpr is None:
            return ""
        nid_el = numpr.find(qn("w:numId"))
        ilvl_el = numpr.find(qn("w:ilvl"))
        if nid_el is None:
            return ""
        nid = nid_el.get(qn("w:val"), "")
        ilvl = int(ilvl_el.get(qn("w:val"), "0")) if ilvl_el is not None else 0
        spec = self.levels.get((nid, ilvl))
        if spec is None:
            return ""
        counters = self.counters.setdefault(nid, [0] * 9)
        if ilvl >= len(counters):
            return ""
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = 0
        text = spec[1]
        for level in range(ilvl + 1):
            lspec = self.levels.get((nid, level), ("decimal", "", 1))
            value = counters[level] + lspec[2] - 1 if counters[level] else lspec[2]
            text = text.replace(f"%{level + 1}", _format_number(value, lspec[0]))
        return "" if spec[0] == "bullet" else text


# --- PDF -------------------------------------------------------------------------------------------


def _read_pdf(data: bytes, warnings: list[str], options: ReadOptions) -> _Read:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IntakeError("corrupt_file", format="PDF", detail="missing %PDF header")
    import pypdf
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # An empty user password only restricts permissions; the text can still be read.
            try:
                ok = reader.decrypt("")
            except Exception as exc:
                raise IntakeError("encrypted", format="PDF") from exc
            if not ok:
                raise IntakeError("encrypted", format="PDF")
            warnings.append("pdf_permissions_encrypted")
        page_count = len(reader.pages)
    except IntakeError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IntakeError("corrupt_file", format="PDF", detail=type(exc).__name__) from exc
    pages = pdf_pages(data)
    if pages is not None and page_count:
        # Page by page: a text layer where there is one, OCR where a page is only an image.
        scans = [p.number for p in pages if p.scanned]
        if scans:
            if options.ocr_engine is None:
                raise IntakeError("needs_ocr", pages=_page_list(scans))
            return _ocr_pdf(data, pages, options)
        if any(_has_word(ln.text) for page in pages for ln in page.lines):
            found = layout.paragraphs([p.lines for p in pages])
            return _Read(
                "\n".join(p.text for p in found), [p.text for p in found if p.heading], pages=page_count
            )
        raise IntakeError("no_text_layer")  # blank pages: neither text nor anything to recognise
    texts: list[str] = []
    for page in reader.pages:
        try:
            texts.append(page.extract_text() or "")
        except Exception:  # one bad page must not lose the rest
            texts.append("")
            warnings.append("pdf_page_unreadable")
    if page_count and not _has_word("".join(texts)):
        raise IntakeError("no_text_layer")
    return _Read(close_cjk_spacing("\n".join(strip_page_furniture(texts))), [], pages=page_count)


@dataclass
class PdfPage:
    """One page of a PDF: its text-layer lines, size in points, and whether it is only a picture."""

    number: int
    lines: list[layout.Line]
    width: float
    height: float
    images: int
    image_dpi: float | None
    drawings: int = 0  # curves: text turned into outlines is drawn, not written

    @property
    def scanned(self) -> bool:
        """No text layer, but something to see: a scanned image, or text drawn as outlines."""
        return (self.images > 0 or self.drawings > 20) and not any(_has_word(ln.text) for ln in self.lines)


def _ocr_pdf(data: bytes, pages: list[PdfPage], options: ReadOptions) -> _Read:
    import pypdfium2

    assert options.ocr_engine is not None
    engine = ocr.get_engine(options.ocr_engine)
    scans = [p for p in pages if p.scanned]
    for page in scans:
        dpi = _render_dpi(page)
        ocr.check_pixels(
            round(page.width * dpi / 72), round(page.height * dpi / 72), page.number, options.max_pixels
        )
    document = pypdfium2.PdfDocument(data)
    recognised = []
    try:
        for done, page in enumerate(scans, start=1):
            image = document[page.number - 1].render(scale=_render_dpi(page) / 72).to_pil().convert("RGB")
            recognised.append(
                ocr.recognise_page(image, page.number, engine, page_width=page.width, page_height=page.height)
            )
            if options.progress:
                options.progress(done, len(scans))
    finally:
        document.close()
    text_pages = [[] if p.scanned else p.lines for p in pages]
    return _from_ocr(recognised, text_pages, engine.name, len(pages))


def _render_dpi(page: PdfPage) -> float:
    """Render a scanned page near its image's own resolution (150–300 dpi)."""
    return min(300.0, max(150.0, page.image_dpi or 200.0))


def _has_word(text: str) -> bool:
    return bool(re.search(r"\w", text))


def pdf_pages(data: bytes, password: str = "") -> list[PdfPage] | None:
    """Every page's text lines with position, font size and weight, and its images (None if unreadable)."""
    try:
        import pdfplumber

        with _quiet_pdfminer(), pdfplumber.open(io.BytesIO(data), password=password) as pdf:
            pages = []
            for number, page in enumerate(pdf.pages, start=1):
                images = page.images
                dpi = None
                if images:
                    biggest = max(images, key=lambda im: float(im["width"]) * float(im["height"]))
                    width_pt = float(biggest["width"]) or 1.0
                    dpi = float(biggest["srcsize"][0]) / width_pt * 72
                lines = _page_lines(page, number)
                drawings = 0 if any(_has_word(ln.text) for ln in lines) else len(page.curves)
                pages.append(
                    PdfPage(number, lines, float(page.width), float(page.height), len(images), dpi, drawings)
                )
            return pages
    except Exception:  # pdfminer raises many types on odd files; pypdf is tried next
        return None


def _page_lines(page: Any, number: int) -> list[layout.Line]:
    lines = []
    drawn = {id(c): i for i, c in enumerate(page.chars)}  # the order the page draws its characters
    for raw in page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in raw["chars"] if c.get("upright", True) and c["text"].strip()]
        if not chars or not raw["text"].strip():
            continue
        text = _overdrawn_text(chars, drawn) or raw["text"]
        sizes = sorted(float(c["size"]) for c in chars)
        bold = sum(1 for c in chars if layout.is_bold_font(str(c.get("fontname", ""))))
        first_end = chars[0]["x1"]
        for previous, char in itertools.pairwise(chars):
            if char["x0"] - previous["x1"] > 0.2 * float(char["size"]) or layout.is_cjk(char["text"]):
                break
            first_end = char["x1"]
        lines.append(
            layout.Line(
                text=close_cjk_spacing(normalise_chars(text)),
                page=number,
                x0=float(raw["x0"]),
                x1=float(raw["x1"]),
                top=float(raw["top"]),
                bottom=float(raw["bottom"]),
                size=sizes[len(sizes) // 2],
                bold=bold >= 0.8 * len(chars),
                page_width=float(page.width),
                page_height=float(page.height),
                first_word_width=float(first_end - chars[0]["x0"]),
            )
        )
    return lines


def _overdrawn_text(chars: list[dict[str, Any]], drawn: dict[int, int]) -> str | None:
    """A line where one run of text was drawn over another (a list number set over the item's first
    letters): each run whole, in order of where it starts, instead of their letters interleaved
    ("ii. has", not "iih.as"). None when no run overlaps another."""
    if any(layout.is_cjk(c["text"]) for c in chars) or any(id(c) not in drawn for c in chars):
        return None
    runs: list[list[dict[str, Any]]] = []
    unique = {id(c): c for c in chars}  # a ligature ("ff") may be listed twice
    for char in sorted(unique.values(), key=lambda c: drawn[id(c)]):
        last = runs[-1][-1] if runs else None
        if last is not None and drawn[id(char)] - drawn[id(last)] <= 3 and char["x0"] >= last["x0"]:
            runs[-1].append(char)
        else:
            runs.append([char])
    if len(runs) < 2:
        return None
    run_of = {id(c): n for n, run in enumerate(runs) for c in run}
    ordered = sorted(chars, key=lambda c: c["x0"])
    # Two neighbouring glyphs of different runs covering each other by more than half the narrower one.
    if not any(
        run_of[id(a)] != run_of[id(b)]
        and min(a["x1"], b["x1"]) - b["x0"] > 0.5 * min(a["x1"] - a["x0"], b["x1"] - b["x0"])
        for a, b in itertools.pairwise(ordered)
    ):
        return None
    runs.sort(key=lambda run: run[0]["x0"])
    words = []
    for run in runs:
        text = run[0]["text"]
        for previous, char in itertools.pairwise(run):
            gap = char["x0"] - previous["x1"] > 0.2 * float(char["size"])
            text += (" " if gap else "") + char["text"]
        words.append(text)
    return " ".join(words)


@contextlib.contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    # pdfminer logs a warning per glyph for common font quirks ("Could not get FontBBox…").
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


_CJK_GAP = re.compile(
    r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]) (?=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])"
)


def close_cjk_spacing(text: str) -> str:
    """Some PDFs put a space between every Chinese character ("甲 方 负 责"); join them back."""
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    if cjk and len(_CJK_GAP.findall(text)) > 0.3 * cjk:
        return _CJK_GAP.sub("", text)
    return text


_PAGE_NUMBER_LINE = re.compile(
    r"^\s*(?:第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|[-–—]\s*\d+\s*[-–—]|(?i:page)\s*\d+(?:\s*(?:of|/)\s*\d+)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$"
)


def strip_page_furniture(pages: list[str]) -> list[str]:
    """Drop page-number lines and headers/footers repeated on most pages (for text without positions)."""
    split = [page.split("\n") for page in pages]
    repeated: set[str] = set()
    if len(split) >= 3:
        counts: dict[str, int] = {}
        for lines in split:
            edges = {line.strip() for line in lines[:2] + lines[-2:] if line.strip()}
            for line in edges:
                counts[line] = counts.get(line, 0) + 1
        repeated = {line for line, n in counts.items() if n >= max(3, len(split) // 2) and len(line) <= 60}
    out = []
    for lines in split:
        kept = [line for line in lines if not _PAGE_NUMBER_LINE.match(line) and line.strip() not in repeated]
        out.append("\n".join(kept))
    return out


# --- HTML / Markdown -------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "section",
    "article",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "hr",
    "header",
    "footer",
    "dd",
    "dt",
    "td",
    "th",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\t" if tag in ("td", "th") else "\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(raw: str) -> str:
    parser = _TextParser()
    parser.feed(raw)
    parser.close()
    text = "".join(parser.parts)
    # HTML whitespace is insignificant inside a block; keep the block breaks only.
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(lines)


def _markdown_to_text(raw: str) -> str:
    out = []
    for line in raw.split("\n"):
        line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        line = re.sub(r"^\s*[-*+]\s+(?=\S)", "", line)
        out.append(line)
    return "\n".join(out)
