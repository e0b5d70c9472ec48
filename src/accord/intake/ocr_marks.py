"""Punctuation of clause numbers that the recogniser drops, put back from where the characters stand.

rapidocr reads ``1、按本协议…`` as ``1按本协议…`` now and then: the enumeration comma is a small mark
in a cell of its own, and it is lost. The cell is still there: from the number to the next character
the distance is about two Chinese characters' pitch instead of one. A line that starts with a number
run into a Chinese character across such a gap gets its 、 back.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from .layout import is_cjk

# From a number's last digit to the next character, in the line's Chinese character pitch: about 0.75
# when the 、 was read (it is the next character), 1.8-2.0 when it was dropped (150 dpi scans of the
# shared agreements), under 1.0 for a number written against the text (1年内).
DROPPED_PITCH = 1.5

_NUMBER_RUN_IN = re.compile(r"\d{1,2}(?=[\u4e00-\u9fff])")


def dropped_comma(chars: Sequence[str], centres: Sequence[float]) -> int | None:
    """Where a 、 was dropped after the line's leading number (its position in the text), if it was."""
    text = "".join(chars)
    number = _NUMBER_RUN_IN.match(text)
    if number is None or len(chars) != len(centres):
        return None
    pitches = [
        right_x - left_x
        for left, right, left_x, right_x in zip(chars, chars[1:], centres, centres[1:], strict=False)
        if is_cjk(left) and is_cjk(right) and left.isalpha() and right.isalpha()
    ]
    if len(pitches) < 3:
        return None
    pitch = statistics.median(pitches)
    end = number.end()
    if pitch > 0 and centres[end] - centres[end - 1] >= DROPPED_PITCH * pitch:
        return end
    return None
