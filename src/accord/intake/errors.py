"""Errors raised by the intake engine.

Every failure carries a stable ``code`` (the web layer translates by code) and ``params`` for the message.
"""

from __future__ import annotations

from typing import Any

_MESSAGES: dict[str, str] = {
    "too_large": "The file is {size} bytes; the limit is {limit} bytes.",
    "unsupported_type": (
        "Files of type '{ext}' are not supported (use DOCX, PDF, DOC, WPS, RTF, ODT, TXT, Markdown, HTML, "
        "or a JPEG, PNG or TIFF scan)."
    ),
    "wrong_extension": "The file is named .{ext} but its content is {actual}.",
    "needs_ocr": "The document is a scan (pages {pages}); it is read by OCR in the background.",
    "needs_conversion": "The {format} file is converted by LibreOffice in the background.",
    "ocr_missing": "The OCR engine '{engine}' is not installed.",
    "ocr_failed": "OCR with {engine} failed: {detail}",
    "unreadable_scan": "No text could be read from the scan (pages {pages}): too blurred, faint or small.",
    "image_too_large": "Page {page} has {pixels} pixels; the limit is {limit}.",
    "converter_missing": "Converting {format} files needs LibreOffice (soffice), which is not installed.",
    "conversion_failed": "LibreOffice could not convert the {format} file. {detail}",
    "conversion_timeout": "Converting the {format} file took longer than {seconds} seconds and was stopped.",
    "corrupt_file": "The file could not be read as {format}: {detail}",
    "encrypted": "The {format} file is encrypted or password protected.",
    "no_text_layer": "The PDF has no text layer and no page that could be read as a scan.",
    "zip_bomb": "The archive expands beyond {uncompressed} bytes (ratio {ratio}); refusing to open it.",
    "undecodable": "The text could not be decoded as UTF-8, GB18030 or GBK.",
    "empty": "The document contains no text.",
    "too_many_rows": "The sheet has {rows} rows; the limit is {limit}.",
}


class IntakeError(Exception):
    """Base class of every intake failure; ``code`` is stable, ``params`` fill the message."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        template = _MESSAGES.get(code, code)
        try:
            message = template.format(**params)
        except (KeyError, IndexError):
            message = template
        super().__init__(message)
