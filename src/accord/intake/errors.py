"""Errors raised by the intake engine.

Every failure carries a stable ``code`` (the web layer translates by code) and ``params`` for the message.
"""

from __future__ import annotations

from typing import Any

_MESSAGES: dict[str, str] = {
    "too_large": "The file is {size} bytes; the limit is {limit} bytes.",
    "unsupported_type": "Files of type '{ext}' are not supported (use DOCX, PDF, TXT, Markdown or HTML).",
    "corrupt_file": "The file could not be read as {format}: {detail}",
    "encrypted": "The {format} file is encrypted or password protected.",
    "no_text_layer": "The PDF has no text layer (it is probably a scan); run OCR on it first.",
    "zip_bomb": "The DOCX archive expands beyond {uncompressed} bytes (ratio {ratio}); refusing to open it.",
    "undecodable": "The text could not be decoded as UTF-8, GB18030 or GBK.",
    "empty": "The document contains no text.",
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
