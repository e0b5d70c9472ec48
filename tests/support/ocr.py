"""rapidocr's answers remembered for the test process: the same page image is recognised once.

Several tests read the same scan (a page in a PNG and again in a PDF, a blurred page refused and then
imported beside a sharp one, each test on SQLite and on PostgreSQL). The recogniser's answer for an
image depends on nothing else, so the second time the model's answer is given back from memory; all of
Accord's own reading (deskewing, blanks, spaces put back, reading order, the text that results) still
runs every time.

A server process started by a test (tests/support/ocr_app.py) remembers its answers in a folder on disk
instead, named by ``ACCORD_TEST_OCR_ANSWERS``: the pytest cache's, so a page image is read once and the
answer kept for later runs (the file's name holds rapidocr's version, the image's digest and the options).
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any, ClassVar

import pytest

from accord.intake import ocr

Answer = tuple[Any, Any]


class RememberedRecogniser:
    """A rapidocr ``RapidOCR`` that answers an image it has already read from memory."""

    answers: ClassVar[dict[tuple[object, ...], Answer]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, recogniser: Callable[..., Answer], folder: Path | None = None) -> None:
        self._recogniser = recogniser
        self._folder = folder

    def __call__(self, image: Any, **options: Any) -> Answer:
        digest = hashlib.sha256(image.tobytes()).hexdigest()
        key = (digest, image.shape, str(image.dtype), tuple(sorted(options.items())))
        with self.lock:
            known = self.answers.get(key)
        if known is None and self._folder is not None:
            known = self._read(key)
        if known is None:
            known = self._recogniser(image, **options)
            if self._folder is not None:
                self._write(key, known)
            with self.lock:
                self.answers[key] = known
        return copy.deepcopy(known)

    def _file(self, key: tuple[object, ...]) -> Path:
        assert self._folder is not None
        name = hashlib.sha256(repr((version("rapidocr-onnxruntime"), key)).encode()).hexdigest()
        return self._folder / f"{name}.pickle"

    def _read(self, key: tuple[object, ...]) -> Answer | None:
        try:
            known: Answer = pickle.loads(self._file(key).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError):
            return None
        return known

    def _write(self, key: tuple[object, ...], answer: Answer) -> None:
        path = self._file(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(pickle.dumps(answer))
        partial.replace(path)  # another process reads either no file or the whole of it


@contextmanager
def remembered_answers(folder: Path | None = None) -> Iterator[None]:
    """rapidocr engines made meanwhile remember their answers, in ``folder`` too when one is given
    (``RapidOcrEngine`` is made once per process, at the first scan read)."""
    made = ocr.RapidOcrEngine.__init__

    def make(engine: ocr.RapidOcrEngine, threads: int = 2) -> None:
        made(engine, threads)
        engine._ocr = RememberedRecogniser(engine._ocr, folder)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ocr.RapidOcrEngine, "__init__", make)
        _forget_engine()
        try:
            yield
        finally:
            _forget_engine()


def remember_on_disk(folder: Path) -> None:
    """rapidocr engines made from now on in this process remember their answers in ``folder``."""
    made = ocr.RapidOcrEngine.__init__

    def make(engine: ocr.RapidOcrEngine, threads: int = 2) -> None:
        made(engine, threads)
        engine._ocr = RememberedRecogniser(engine._ocr, folder)

    ocr.RapidOcrEngine.__init__ = make  # type: ignore[method-assign]
    _forget_engine()


def _forget_engine() -> None:
    with ocr._LOCK:
        ocr._ENGINES.pop("rapidocr", None)
