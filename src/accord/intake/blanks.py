"""Fill-in blanks on scanned pages: the rules printed for ``____`` that recognisers do not read.

Forms and model agreements leave blanks to fill in (``甲方：________``, ``____年____月____日``,
``Name: ________``). A text layer has them as underscores; on a scan they are thin horizontal rules,
which neither recogniser returns, so ``甲方：`` stood alone on its line and read as a heading, and
``年月日`` ran together. This finds such rules on the deskewed page (long thin runs of ink that no
text box covers) and gives each back as a text box of underscores, to be put in reading order with
the recognised text.

Dotted leaders (``甲方（盖章）：……………``, ``Signed: ..........``, ``分送......各留存``) are the other way
forms leave a blank; the recogniser drops the dots (a row of specks is no word to it), and with them
``3）……`` lost its whole line. They are found the same way, as rows of evenly spaced dots that no
text box covers, and given back as ellipses, one per three dots.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

BLANK = "_"
MIN_LENGTH = 1.0  # a rule is at least this many line heights long
MAX_THICKNESS = 0.25  # and at most this share of a line height thick
MAX_WIDTH = 0.6  # a rule wider than this share of the page is a separator or a table's border
LEADER = "\u2026"  # an ellipsis for every three dots of a leader (NFKC gives the three dots back)
MIN_DOTS = (
    5  # a leader has at least this many dots in a row (``……`` has six; specks line up by chance in threes)
)
MAX_DOT = 0.22  # a dot is at most this share of a line height wide and high
MAX_DOT_GAP = 0.9  # from one dot to the next, at most this many line heights


def find_rules(
    gray: Any, boxes: Sequence[tuple[float, float, float, float]]
) -> list[tuple[int, int, int, int]]:
    """Horizontal rules (x0, top, x1, bottom in pixels) on the page that no text box covers.

    ``boxes`` are the recognised text boxes; their median height is the line height the lengths
    and thicknesses are measured against.
    """
    import cv2

    if not boxes:
        return []
    line, ink = _ink(gray, boxes)
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


def _ink(gray: Any, boxes: Sequence[tuple[float, float, float, float]]) -> tuple[float, Any]:
    """The page's line height (the median text box height) and its ink: pixels clearly darker than paper."""
    import numpy as np

    heights = sorted(b[3] - b[1] for b in boxes)
    line = max(8.0, heights[len(heights) // 2])
    paper = float(np.percentile(gray, 90))
    return line, (gray < paper - 60).astype(np.uint8)


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


Dot = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels


def find_leaders(
    gray: Any, boxes: Sequence[tuple[float, float, float, float]]
) -> list[tuple[tuple[int, int, int, int], int]]:
    """Dotted leaders on the page that no text box covers: each as its box (pixels) and its number of dots.

    A dot is a small, roughly square speck of ink outside every text box; a leader is a row of at
    least ``MIN_DOTS`` of them, alike in size, level and evenly spaced (scanner specks are not).
    """
    import cv2

    if not boxes:
        return []
    line, ink = _ink(gray, boxes)
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    biggest = MAX_DOT * line
    dots: list[Dot] = []
    for index in range(1, count):
        x, y, width, height = (int(v) for v in stats[index, :4])
        if width > biggest or height > biggest or min(width, height) < 2 or not 0.4 <= width / height <= 2.5:
            continue
        centre_x, centre_y = x + width / 2, y + height / 2
        if any(bx0 <= centre_x <= bx1 and btop <= centre_y <= bbottom for bx0, btop, bx1, bbottom in boxes):
            continue
        dots.append((x, y, x + width, y + height))
    leaders = []
    for row in _rows_of_dots(dots, line):
        if len(row) < MIN_DOTS or row[-1][2] - row[0][0] > MAX_WIDTH * gray.shape[1]:
            continue
        gaps = [b[0] - a[0] for a, b in itertools.pairwise(row)]
        mean = sum(gaps) / len(gaps)
        if mean <= 0 or max(gaps) > 1.4 * mean or min(gaps) < 0.7 * mean:
            continue
        sizes = sorted((d[2] - d[0]) * (d[3] - d[1]) for d in row)
        if sizes[-1] > 2.5 * sizes[0]:  # printed dots are all alike
            continue
        box = (row[0][0], min(d[1] for d in row), row[-1][2], max(d[3] for d in row))
        leaders.append((box, len(row)))
    return sorted(leaders, key=lambda item: (item[0][1], item[0][0]))


def _rows_of_dots(dots: Sequence[Dot], line: float) -> list[list[Dot]]:
    """Dots chained left to right into rows: each next dot level with the last one and near it.

    Open rows are kept by the height of their last dot in bands of the level tolerance, so a page of
    scanner specks is chained in time linear in their number.
    """
    tolerance = max(1.0, 0.12 * line)
    rows: list[list[Dot]] = []
    open_rows: dict[int, list[list[Dot]]] = {}
    for dot in sorted(dots, key=lambda d: (d[0], d[1])):
        middle = (dot[1] + dot[3]) / 2
        band = int(middle // tolerance)
        chosen = None
        for near in (band - 1, band, band + 1):
            for row in open_rows.get(near, []):
                last = row[-1]
                level = abs((last[1] + last[3]) / 2 - middle) <= tolerance
                if level and 0 < dot[0] - last[0] <= MAX_DOT_GAP * line:
                    chosen = row
                    open_rows[near].remove(row)
                    break
            if chosen is not None:
                break
        if chosen is None:
            chosen = []
            rows.append(chosen)
        chosen.append(dot)
        kept = [r for r in open_rows.get(band, []) if dot[0] - r[-1][0] <= MAX_DOT_GAP * line]
        open_rows[band] = [*kept, chosen]
    return rows


def leader_text(dots: int) -> str:
    """Ellipses for a leader of ``dots`` dots: one for every three (at least one)."""
    return LEADER * max(1, round(dots / 3))
