"""The application for a server process started by a test, its OCR answers remembered on disk in the
folder named by ``ACCORD_TEST_OCR_ANSWERS`` (tests/support/ocr.py); Accord's own reading of each answer
still runs."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from accord.web.app import create_app as create_accord
from tests.support.ocr import remember_on_disk


def create_app() -> FastAPI:
    folder = os.environ.get("ACCORD_TEST_OCR_ANSWERS")
    if folder:
        remember_on_disk(Path(folder))
    return create_accord()
