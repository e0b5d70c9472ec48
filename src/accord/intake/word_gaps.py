"""Spaces between words put back from the page: where the ink of a recognised line has a gap.

PP-OCR's Chinese/English recogniser (rapidocr) often runs English words together
(``StateUniversity``, ``theParties.NOWTHEREFORE``): its decoder emits a space only now and then.
What it does give is where each character sits on the line (the column of the decoder's output
where the character was read). Between two neighbouring characters of a word there is little or no
white paper; between two words there is a run of it about a quarter of the type's height wide or
more. So for each pair of neighbouring characters the widest run of blank columns between their
centres is measured on the line's own pixels, against the height of the line's lower-case letters,
and a space goes where the run is wide. Chinese characters are left as they are (Chinese is written
without spaces; the clean-up of :func:`accord.intake.ocr.tidy` removes spaces between them).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from .layout import is_cjk

# A blank run at least this share of the line's x-height between two characters is a word space.
# Measured on 150 dpi scans of the shared English agreements (x-height 13-14 px): letters of a word,
# blurred and binarised, stand at most 0.3 x-height apart (digits and capitals the most), word spaces
# at least 0.4 (most 0.5-0.9).
SPACE_SHARE = 0.36
# Pairs whose letters stand far apart inside a word (digits of a number, a quote mark or apostrophe
# and the letter beside it) need a wider run.
WIDE_SHARE = 0.48
# An f overhangs the next letter (its hook reaches over it): after an f the paper shows little of a
# word space (0.2-0.35 x-height as measured), and within a word none at all (under 0.1).
OVERHANG_SHARE = 0.18

_OPENING = set("([{“‘«")
_CLOSING = set(")]}”’»,.;:!?%")
_QUOTES = set("\"'`")


def is_space(left: str, right: str, share: float, *, closing_quote: bool = False, before: str = "") -> bool:
    """Whether a blank run of ``share`` x-heights between the characters ``left`` and ``right`` is a word
    space. ``closing_quote``: ``right`` is a straight double quote that closes a quotation; ``before``:
    the character before ``left`` (a digit, ``left`` a point or comma and ``right`` a digit is a
    number such as 1.1 or 2,000)."""
    if right == "（" and left.isascii() and left.isalnum():
        return share >= SPACE_SHARE  # "Company Limited (甲方)": a full-width bracket after a word
    if is_cjk(left) or is_cjk(right) or left in _OPENING or right in _CLOSING:
        return False
    if before.isdigit() and left in ".,:" and right.isdigit():
        return False
    if right == '"' and closing_quote:
        return False
    if (left.isdigit() and right.isdigit()) or left in _QUOTES or right in _QUOTES:
        return share >= WIDE_SHARE
    if left == "f":
        return share >= OVERHANG_SHARE
    return share >= SPACE_SHARE


def ink_band(gray: Any, box: tuple[int, int, int, int]) -> tuple[Any, float]:
    """The ink of the line inside ``box`` (x0, top, x1, bottom) as a boolean array, and its x-height.

    The box is the detector's, which reaches above and below the line; the rows of the line's own
    letters are found from the row profile (the x-height band is where rows have at least a third of
    the busiest row's ink), and the band returned reaches 0.6 x-height above and below it, enough for
    ascenders and descenders but not for the lines above and below.
    """
    import cv2
    import numpy as np

    x0, top, x1, bottom = box
    crop = gray[max(0, top) : max(top + 1, bottom), max(0, x0) : max(x0 + 1, x1)]
    if crop.size == 0:
        return np.zeros((1, max(1, x1 - x0)), dtype=bool), 0.0
    threshold, _ = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = crop < min(float(threshold), float(np.percentile(crop, 95)) - 40)
    rows = ink.sum(axis=1)
    if not rows.any():
        return np.zeros((1, crop.shape[1]), dtype=bool), 0.0
    busy = np.flatnonzero(rows >= rows.max() / 3)
    x_top, x_bottom = int(busy[0]), int(busy[-1]) + 1
    reach = round((x_bottom - x_top) * 0.6)
    return ink[max(0, x_top - reach) : x_bottom + reach], float(x_bottom - x_top)


def widest_blank(band: Any, start: float, end: float) -> int:
    """The longest run of columns of ``band`` in [start, end) with no ink on any row.

    Columns, not rows: a letter that overhangs its neighbour (the bar of ``T`` over ``e``) closes
    the gap, as it does to a reader.
    """
    lo, hi = max(0, round(start)), min(band.shape[1], round(end))
    best = run = 0
    for has_ink in band[:, lo:hi].any(axis=0):
        run = 0 if has_ink else run + 1
        best = max(best, run)
    return best


def respace(
    chars: Sequence[str], centres: Sequence[float], band: Any, x_height: float, offset: float = 0.0
) -> str:
    """The characters of a line joined with a space wherever the paper between two of them is blank.

    ``chars`` and ``centres`` (x of each character's centre, page pixels) come from the recogniser;
    the spaces it emitted are dropped and decided again from the gaps, as are gaps next to Chinese
    characters (never spaced). ``band`` is :func:`ink_band` for the line, starting at x ``offset``.
    """
    kept = [(c, x) for c, x in zip(chars, centres, strict=True) if not c.isspace()]
    if not kept or x_height <= 0:
        return "".join(chars)
    out = [kept[0][0]]
    quotes = int(kept[0][0] == '"')
    for index, ((left, left_x), (right, right_x)) in enumerate(itertools.pairwise(kept)):
        share = widest_blank(band, left_x - offset, right_x - offset) / x_height
        before = kept[index - 1][0] if index else ""
        if is_space(left, right, share, closing_quote=quotes % 2 == 1, before=before):
            out.append(" ")
        out.append(right)
        quotes += right == '"'
    return "".join(out)
