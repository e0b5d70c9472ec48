"""Fill-in blanks on scanned pages: the rules printed for ``____`` that recognisers do not read.

Forms and model agreements leave blanks to fill in (``甲方：________``, ``____年____月____日``,
``Name: ________``). A text layer has them as underscores; on a scan they are thin horizontal rules,
which neither recogniser returns, so ``甲方：`` stood alone on its line and read as a heading, and
``年月日`` ran together. This finds such rules on the deskewed page (long thin runs of ink that no
text box covers) and gives each back as a text box of underscores, to be put in reading order with
the recognised text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

BLANK = "_"
MIN_LENGTH = 1.0  # a rule is at least this many line heights long
MAX_THICKNESS = 0.25  # and at most this share of a line height thick
MAX_WIDTH = 0.6  # a rule wider than this share of the page is a separator or a table's border


def find_rules(
    gray: Any, boxes: Sequence[tuple[float, float, float, float]]
) -> list[tuple[int, int, int, int]]:
    """Horizontal rules (x0, top, x1, bottom in pixels) on the page that no text box covers.

    ``boxes`` are the recognised text boxes; their median height is the line height the lengths
    and thicknesses are measured against.
    """
    import cv2
    import numpy as np

    if not boxes:
        return []
    heights = sorted(b[3] - b[1] for b in boxes)
    line = max(8.0, heights[len(heights) // 2])
    paper = float(np.percentile(gray, 90))
    ink = (gray < paper - 60).astype(np.uint8)
    length = round(MIN_LENGTH * line)
    opened = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(opened, connectivity=8)
    rules = []
    for index in range(1, count):
        x, y, width, height = (int(v) for v in stats[index, :4])
        if height > MAX_THICKNESS * line or width > MAX_WIDTH * gray.shape[1]:
            continue
        if _covered(x, y, x + width, y + height, boxes, line):
            continue
        rules.append((x, y, x + width, y + height))
    return sorted(rules, key=lambda r: (r[1], r[0]))


def _covered(
    x0: int, top: int, x1: int, bottom: int, boxes: Sequence[tuple[float, float, float, float]], line: float
) -> bool:
    """Whether a text box holds the rule: a stroke of a character (一, —) or text underlined."""
    for bx0, btop, bx1, bbottom in boxes:
        if bottom < btop or top > bbottom + 0.3 * line:
            continue
        if min(x1, bx1) - max(x0, bx0) > 0.3 * (x1 - x0):
            return True
    return False


def blank_text(width: float, line: float) -> str:
    """Underscores for a rule of ``width`` pixels, one per half line height (at least three)."""
    return BLANK * max(3, round(width / max(1.0, line / 2)))
