"""Text from scans and photos: optical character recognition that runs offline.

Two engines, both with their models installed as packages (nothing is downloaded at run time):

- ``rapidocr`` (default): rapidocr-onnxruntime, which ships PaddleOCR's PP-OCRv4 Chinese/English
  detection and recognition models and runs them on onnxruntime;
- ``tesseract``: Debian's tesseract-ocr with the ``chi_sim`` and ``eng`` data (``tesseract`` on PATH).

Each page is deskewed (the angle that makes the rows of ink sharpest), recognised, and its text boxes
put in reading order (rows top to bottom, boxes left to right); every line keeps its confidence.
Lines come back as :class:`accord.intake.layout.Line` in PDF points, so scanned pages go through the
same paragraph and heading rules as a text layer. A page whose text cannot be read with confidence is
reported by number; a blank page is skipped.
"""

from __future__ import annotations

import io
import re
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from . import blanks, ocr_marks, ocr_roman, word_gaps
from .errors import IntakeError
from .layout import Line, is_cjk

ENGINES = ("rapidocr", "tesseract")
DEFAULT_ENGINE = "rapidocr"
MAX_PIXELS = 60_000_000  # per page or image: a 300 dpi A0 poster is 140 MP; an A4 photo at 12 MP
MAX_SIDE = 2400  # longer side a page is recognised at (bigger photos are scaled down first)
UNREADABLE_CONFIDENCE = 0.6  # mean confidence below which a page is called unreadable
LOW_CONFIDENCE = 0.8  # lines below this are shown for checking
# Text lines per recogniser run, padded to the widest (rapidocr's default). One at a time takes a third
# less processor time on English pages, but the recognised text is not the same (the padding changes
# what the model sees) and a scan lost a clause against its text: kept at 6.
RECOGNISER_BATCH = 6

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in pixels


@dataclass(frozen=True)
class Recognised:
    """One text box as an engine reports it."""

    box: Box
    text: str
    confidence: float


class Engine(Protocol):
    name: str

    def recognise(self, rgb: Any) -> list[Recognised]: ...


@dataclass
class OcrPage:
    """What recognition found on one page (numbered from 1)."""

    number: int
    lines: list[Line]
    sharpness: float
    skew: float
    seconds: float
    blank: bool = False

    @property
    def characters(self) -> int:
        """Characters read, not counting fill-in blanks: rules drawn on a page that gave no text are no
        evidence of a readable page."""
        return sum(_read(ln.text) for ln in self.lines)

    @property
    def confidence(self) -> float:
        """Mean confidence of the page's characters (0 when nothing was read)."""
        total = self.characters
        if not total:
            return 0.0
        return sum((ln.confidence or 0.0) * _read(ln.text) for ln in self.lines) / total

    @property
    def readable(self) -> bool:
        return self.blank or (self.characters >= 5 and self.confidence >= UNREADABLE_CONFIDENCE)


def _read(text: str) -> int:
    return len(re.sub(r"[\s_]", "", text))


@dataclass(frozen=True)
class OcrLineSpan:
    """Where a recognised line ended up in the text, with its confidence."""

    start: int
    end: int
    confidence: float
    page: int


@dataclass(frozen=True)
class OcrReport:
    """How a text was recognised: engine, pages read by OCR, pages that could not be read, line confidences."""

    engine: str
    pages: list[int]
    unreadable_pages: list[int]
    lines: list[OcrLineSpan] = field(default_factory=list)
    seconds: float = 0.0

    def low_confidence(self, threshold: float = LOW_CONFIDENCE) -> list[OcrLineSpan]:
        return [span for span in self.lines if span.confidence < threshold]


# --- engines -----------------------------------------------------------------------------------------

_LOCK = threading.Lock()
_ENGINES: dict[str, Engine] = {}


class RapidOcrEngine:
    """PP-OCRv4 (Chinese and English) through rapidocr-onnxruntime; the models are in the package.

    Detection and recognition only: the per-line direction classifier is not run (see ``recognise``).
    onnxruntime's worker threads sleep when idle instead of spinning: spinning burnt a quarter of the
    processor time of an English scan page at 150 dpi, more on a busy machine, and changes nothing read.
    """

    name = "rapidocr"

    def __init__(self, threads: int = 2) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:  # the package is a dependency; a broken install says so
            raise IntakeError("ocr_missing", engine=self.name) from exc
        self._ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, print_verbose=False)
        self._ocr.text_rec.rec_batch_num = RECOGNISER_BATCH
        for holder in (self._ocr.text_det.infer, self._ocr.text_rec.session):
            holder.session = _quiet_session(holder.session, threads)
        self._lock = threading.Lock()  # one onnxruntime session is not used from two threads at once

    def recognise(self, rgb: Any) -> list[Recognised]:
        with self._lock:
            # No per-line direction classifier: pages are deskewed (and photos turned upright) before
            # this, and the classifier turned justified lines with wide word spacing upside down,
            # which then read as noise and were dropped. Word boxes give each character's place on
            # the line, from which the spaces between words are put back (``word_gaps``).
            result, _ = self._ocr(rgb, use_cls=False, return_word_box=True)
        gray = None
        found = []
        for points, text, score, *places in result or []:
            xs = [float(p[0]) for p in points]
            ys = [float(p[1]) for p in points]
            box = (min(xs), min(ys), max(xs), max(ys))
            text = str(text)
            if len(places) >= 2 and places[0] and "".join(places[1]) == text and len(places[0]) == len(text):
                comma = ocr_marks.dropped_comma(places[1], _centres(places[0]))
                if _latin(text):
                    if gray is None:
                        gray = _gray_array(rgb)
                    text = _respaced(gray, box, places[0], places[1], text)
                if comma is not None:  # the number leads the line and is never spaced from 按 in 1按
                    text = text[:comma] + "、" + text[comma:]
            found.append(Recognised(box, text, float(score)))
        return found


def _quiet_session(session: Any, threads: int) -> Any:
    """The same model in a new onnxruntime session whose idle worker threads sleep rather than spin."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 4
    options.enable_cpu_mem_arena = False
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return ort.InferenceSession(session._model_path, sess_options=options, providers=["CPUExecutionProvider"])


def _latin(text: str) -> bool:
    """Whether a recognised line has two Latin letters side by side (only such lines are re-spaced)."""
    return re.search(r"[A-Za-z]{2}", text) is not None


def _gray_array(rgb: Any) -> Any:
    import cv2

    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def _centres(char_boxes: Sequence[Any]) -> list[float]:
    """The x of each character's centre, from the word boxes rapidocr gives (four corners each)."""
    return [(min(p[0] for p in q) + max(p[0] for p in q)) / 2 for q in char_boxes]


def _respaced(gray: Any, box: Box, char_boxes: Sequence[Any], chars: Sequence[str], text: str) -> str:
    """The line's text with the spaces between words decided from the gaps in its ink."""
    centres = _centres(char_boxes)
    x0, top, x1, bottom = (round(v) for v in box)
    band, x_height = word_gaps.ink_band(gray, (x0, top, x1, bottom))
    return word_gaps.respace(chars, centres, band, x_height, offset=max(0, x0))


class TesseractEngine:
    """Debian's tesseract-ocr with chi_sim+eng (an external program; ``tesseract`` must be on PATH)."""

    name = "tesseract"

    def __init__(self, languages: str = "chi_sim+eng", timeout: int = 120) -> None:
        if shutil.which("tesseract") is None:
            raise IntakeError("ocr_missing", engine=self.name)
        self.languages = languages
        self.timeout = timeout

    def recognise(self, rgb: Any) -> list[Recognised]:
        import pytesseract
        from PIL import Image

        try:
            data = pytesseract.image_to_data(
                Image.fromarray(rgb),
                lang=self.languages,
                config="--psm 3",
                output_type=pytesseract.Output.DICT,
                timeout=self.timeout,
            )
        except (pytesseract.TesseractError, RuntimeError, OSError) as exc:
            raise IntakeError("ocr_failed", engine=self.name, detail=str(exc)[:200]) from exc
        rows: dict[tuple[int, int, int], list[int]] = {}
        for i, word in enumerate(data["text"]):
            if word.strip() and float(data["conf"][i]) >= 0:
                rows.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
        found = []
        for indices in rows.values():
            text = ""
            for i in indices:
                text = join_words(text, data["text"][i].strip())
            x0 = min(data["left"][i] for i in indices)
            top = min(data["top"][i] for i in indices)
            x1 = max(data["left"][i] + data["width"][i] for i in indices)
            bottom = max(data["top"][i] + data["height"][i] for i in indices)
            confidence = sum(float(data["conf"][i]) for i in indices) / len(indices) / 100
            found.append(Recognised((x0, top, x1, bottom), text, confidence))
        return found


def get_engine(name: str = DEFAULT_ENGINE) -> Engine:
    """The named engine, loaded once per process (loading rapidocr's models takes a second or two)."""
    if name not in ENGINES:
        raise IntakeError("ocr_missing", engine=name)
    with _LOCK:
        if name not in _ENGINES:
            _ENGINES[name] = RapidOcrEngine() if name == "rapidocr" else TesseractEngine()
        return _ENGINES[name]


# --- text clean-up ----------------------------------------------------------------------------------

_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "?": "？", "!": "！"}


_CJK_SPACE = re.compile(
    r"(?<=[\u4e00-\u9fff\uff08\uff09\u3001\u3002\uff0c\uff1a\uff1b]) +(?=[\u4e00-\u9fff\uff08\uff09])"
)
_NUMBER_DOT = re.compile(r"(?<![\d.．·])(\d{1,3}) ?[·•・] ?(?=[\u4e00-\u9fff])")
_CJK_PARENS = re.compile(r"\(([\u4e00-\u9fff][^()\n]{0,11})\)")
# Dots after a Chinese character or bracket (``分送..各留存``, ``一九.. ……``): what the recogniser kept
# of a dotted leader, with the ellipses given back for the dots it dropped.
_CJK_DOTS = re.compile(r"(?<=[\u4e00-\u9fff\uff09)])\.{2,}(?: *\u2026+)?|(?<!\.)\.{2,}(?=[\u4e00-\u9fff])")


def join_words(left: str, right: str) -> str:
    """Join two recognised pieces: no space between Chinese characters, one between words."""
    if not left:
        return right
    if not right:
        return left
    if is_cjk(left[-1]) or is_cjk(right[0]):
        return left + right
    return left + " " + right


def tidy(text: str) -> str:
    """Undo what recognisers commonly do to Chinese text: spaces between characters, half-width
    punctuation beside Chinese characters, the rare stroke 丶 read for the enumeration comma 、, a
    middle dot read for the full-width full stop of a clause number (``1 ·技术目标`` for ``1．技术目标``),
    and a dotted leader read as two dots (``分送..各留存`` for ``分送……各留存``)."""
    text = re.sub(r"(?<=[\u4e00-\u9fff])丶|丶(?=[\u4e00-\u9fff])", "、", text)
    text = _NUMBER_DOT.sub(r"\1．", text)

    def widen(match: re.Match[str]) -> str:
        return _FULL_WIDTH[match.group()]

    text = re.sub(r"(?<=[\u4e00-\u9fff])[,:;?!]|[,:;?!](?=[\u4e00-\u9fff])", widen, text)
    text = _CJK_SPACE.sub("", text)
    text = _CJK_DOTS.sub(_leader, text)
    # Brackets around Chinese words ("(一)", "(甲方)") are full-width in Chinese text.
    return _CJK_PARENS.sub(lambda m: f"（{m.group(1)}）", text)


def tidy_pages(pages: Sequence[OcrPage]) -> None:
    """Undo the slips that only the whole document shows, in place: Roman clause numbers read as
    digits (``1.`` for ``I.`` next to ``I1.`` and ``III.``; ``accord.intake.ocr_roman``)."""
    lines = [line for page in pages for line in page.lines]
    for line, text in zip(lines, ocr_roman.roman_clause_numbers([ln.text for ln in lines]), strict=True):
        line.text = text


def _leader(match: re.Match[str]) -> str:
    """A dotted leader in Chinese text as ellipses: two (six dots, ``……``) or one for every three dots."""
    dots = match.group().count(".") + 3 * match.group().count("\u2026")
    return blanks.leader_text(max(6, dots))


# --- images -----------------------------------------------------------------------------------------


def check_pixels(width: int, height: int, page: int, limit: int = MAX_PIXELS) -> None:
    """Refuse a page or image bigger than ``limit`` pixels before decoding it."""
    if width * height > limit:
        raise IntakeError("image_too_large", page=page, pixels=width * height, limit=limit)


def open_images(data: bytes, limit: int = MAX_PIXELS) -> list[Any]:
    """The pages of an image file (JPEG, PNG, or a multi-page TIFF), upright per their EXIF orientation."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    previous = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None  # our own limit is checked per frame, before decoding
        image = Image.open(io.BytesIO(data))
        frames = []
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            check_pixels(image.width, image.height, index + 1, limit)
            frame = ImageOps.exif_transpose(image.copy()) if index == 0 else image.copy()
            frames.append(frame.convert("RGB"))
        return frames
    except IntakeError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError) as exc:
        raise IntakeError("corrupt_file", format="image", detail=type(exc).__name__) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def _gray(image: Any) -> Any:
    import numpy as np

    return np.asarray(image.convert("L"), dtype=np.uint8)


def sharpness(gray: Any) -> float:
    """Variance of the Laplacian at a fixed width (~1000 px): low for blurred pages."""
    import cv2

    scale = 1000 / max(1, gray.shape[1])
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    return float(cv2.Laplacian(small, cv2.CV_64F).var())


def is_blank(gray: Any) -> bool:
    """A page with (almost) no ink: under 0.3 % of pixels clearly darker than the paper.

    Measured against the paper's own brightness, so a faint or blurred page (grey smudges, no black)
    still counts as written on, and is reported as unreadable rather than skipped.
    """
    import numpy as np

    paper = float(np.percentile(gray, 90))
    return float(np.mean(gray < paper - 40)) < 0.003


def estimate_skew(gray: Any) -> float:
    """The rotation (degrees, counter-clockwise positive) that makes the text rows horizontal.

    Projection profile: text rows are sharpest (row sums vary most) when they are level. Searched
    coarse to fine on a small binarised copy, within ±10°.
    """
    import cv2
    import numpy as np

    scale = 800 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    if ink.mean() < 0.002:
        return 0.0
    height, width = ink.shape
    centre = (width / 2, height / 2)

    def score(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, matrix, (width, height), flags=cv2.INTER_NEAREST, borderValue=0)
        rows = rotated.sum(axis=1)
        return float(np.var(rows))

    best = max((float(a) for a in np.arange(-10, 10.5, 1.0)), key=score)
    best = max((float(a) for a in np.arange(best - 1, best + 1.01, 0.25)), key=score)
    return best


def deskew(image: Any, angle: float) -> Any:
    """The image rotated by ``angle`` degrees, the corners filled white."""
    if abs(angle) < 0.2:
        return image
    return image.rotate(angle, expand=True, fillcolor=(255, 255, 255))


def recognise_page(
    image: Any,
    number: int,
    engine: Engine,
    *,
    page_width: float | None = None,
    page_height: float | None = None,
) -> OcrPage:
    """Recognise one page image; lines come back in reading order, in points of a page of the given size."""
    started = time.perf_counter()
    if max(image.size) > MAX_SIDE:
        ratio = MAX_SIDE / max(image.size)
        image = image.resize((round(image.width * ratio), round(image.height * ratio)))
    gray = _gray(image)
    if is_blank(gray):
        return OcrPage(number, [], sharpness(gray), 0.0, time.perf_counter() - started, blank=True)
    skew = estimate_skew(gray)
    image = deskew(image, skew)
    import numpy as np

    rgb = np.asarray(image.convert("RGB"))
    boxes = [r for r in engine.recognise(rgb) if r.text.strip()]
    gray = _gray(image)
    boxes += fill_in_blanks(gray, boxes)
    # Points per pixel: a PDF page's own size, else an A4 width for a photo or image file.
    unit = (page_width or 595.0) / image.width
    height_pt = page_height if page_height else image.height * unit
    lines = [
        Line(
            text=tidy(text),
            page=number,
            x0=x0 * unit,
            x1=x1 * unit,
            top=top * unit,
            bottom=bottom * unit,
            size=max(1.0, (bottom - top) * unit * 0.8),
            page_width=page_width or 595.0,
            page_height=height_pt,
            first_word_width=(x1 - x0) * unit * len(first_word(text)) / max(1, len(text)),
            confidence=confidence,
        )
        for (x0, top, x1, bottom), text, confidence in reading_order(boxes)
    ]
    return OcrPage(number, lines, sharpness(gray), skew, time.perf_counter() - started)


def fill_in_blanks(gray: Any, boxes: Sequence[Recognised]) -> list[Recognised]:
    """The page's fill-in blanks as text boxes a line high: rules no text box covers as underscores,
    dotted leaders as ellipses."""
    if not boxes:
        return []
    heights = sorted(b.box[3] - b.box[1] for b in boxes)
    line = heights[len(heights) // 2]
    found = []
    for x0, _top, x1, bottom in blanks.find_rules(gray, [b.box for b in boxes]):
        box = (float(x0), bottom - 0.8 * line, float(x1), float(bottom))
        found.append(Recognised(box, blanks.blank_text(x1 - x0, line), 1.0))
    for (x0, top, x1, bottom), dots in blanks.find_leaders(gray, [b.box for b in boxes]):
        middle = (top + bottom) / 2
        box = (float(x0), middle - 0.4 * line, float(x1), middle + 0.4 * line)
        found.append(Recognised(box, blanks.leader_text(dots), 1.0))
    return found


def first_word(text: str) -> str:
    """The line's first word: up to a space or a Chinese character, as for a text layer's lines.

    A Chinese line has no spaces; taking all of it up to the first space made ``1、按本协议…`` one
    long word, so the line before it (``（一）甲方责任与权利``) looked as if that word could not have
    fitted after it, and the two were joined.
    """
    for index, char in enumerate(text):
        if char.isspace() or (index and is_cjk(char)):
            return text[:index]
    return text


def reading_order(boxes: Sequence[Recognised]) -> list[tuple[Box, str, float]]:
    """Boxes grouped into rows (their vertical middles overlap) top to bottom, left to right in a row."""
    rows: list[list[Recognised]] = []
    for box in sorted(boxes, key=lambda b: (b.box[1] + b.box[3]) / 2):
        middle = (box.box[1] + box.box[3]) / 2
        if rows:
            last = rows[-1]
            top = min(b.box[1] for b in last)
            bottom = max(b.box[3] for b in last)
            height = min(bottom - top, box.box[3] - box.box[1])
            if top <= middle <= bottom and (min(bottom, box.box[3]) - max(top, box.box[1])) >= 0.5 * height:
                last.append(box)
                continue
        rows.append([box])
    out = []
    for row in rows:
        row.sort(key=lambda b: b.box[0])
        text = ""
        previous: Recognised | None = None
        for box in row:
            gap = box.box[0] - previous.box[2] if previous else 0.0
            height = box.box[3] - box.box[1]
            # Boxes far apart on one row are cells of a table: keep them apart with a tab.
            text = (
                text + "\t" + box.text.strip()
                if previous and gap > 3 * height
                else join_words(text, box.text.strip())
            )
            previous = box
        chars = sum(len(b.text) for b in row) or 1
        confidence = sum(b.confidence * len(b.text) for b in row) / chars
        x0 = min(b.box[0] for b in row)
        top = min(b.box[1] for b in row)
        x1 = max(b.box[2] for b in row)
        bottom = max(b.box[3] for b in row)
        out.append(((x0, top, x1, bottom), text, confidence))
    return out


def recognise_images(
    images: Sequence[Any],
    engine: Engine,
    progress: Callable[[int, int], None] | None = None,
) -> list[OcrPage]:
    """Recognise image pages one by one, reporting progress after each."""
    pages = []
    for number, image in enumerate(images, start=1):
        pages.append(recognise_page(image, number, engine))
        if progress:
            progress(number, len(images))
    return pages
