"""rapidocr's answers remembered for the test process: the same page image is recognised once.

Several tests read the same scan (a page in a PNG and again in a PDF, a blurred page refused and then
imported beside a sharp one, each test on SQLite and on PostgreSQL). The recogniser's answer for an
image depends on nothing else, so the second time the model's answer is given back from memory; all of
Accord's own reading (deskewing, blanks, spaces put back, reading order, the text that results) still
runs every time.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

import pytest

from accord.intake import ocr

Answer = tuple[Any, Any]


class RememberedRecogniser:
    """A rapidocr ``RapidOCR`` that answers an image it has already read from memory."""

    answers: ClassVar[dict[tuple[object, ...], Answer]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, recogniser: Callable[..., Answer]) -> None:
        self._recogniser = recogniser

    def __call__(self, image: Any, **options: Any) -> Answer:
        digest = hashlib.sha256(image.tobytes()).hexdigest()
        key = (digest, image.shape, str(image.dtype), tuple(sorted(options.items())))
        with self.lock:
            known = self.answers.get(key)
        if known is None:
            known = self._recogniser(image, **options)
            with self.lock:
                self.answers[key] = known
        return copy.deepcopy(known)


@contextmanager
def remembered_answers() -> Iterator[None]:
    """rapidocr engines made meanwhile remember their answers (``RapidOcrEngine`` is made once per
    process, at the first scan read)."""
    made = ocr.RapidOcrEngine.__init__

    def make(engine: ocr.RapidOcrEngine, threads: int = 2) -> None:
        made(engine, threads)
        engine._ocr = RememberedRecogniser(engine._ocr)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ocr.RapidOcrEngine, "__init__", make)
        _forget_engine()
        try:
            yield
        finally:
            _forget_engine()


def _forget_engine() -> None:
    with ocr._LOCK:
        ocr._ENGINES.pop("rapidocr", None)
