"""Fill-in blanks on scanned pages (``accord.intake.blanks``): rules no recogniser reads, given back as ``____``."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from accord.intake.blanks import blank_text, find_rules


def test_a_rule_beside_the_text_is_a_blank_but_strokes_underlines_and_separators_are_not() -> None:
    page = Image.new("L", (1240, 1754), 240)
    draw = ImageDraw.Draw(page)
    boxes = [(100.0, 100.0, 190.0, 130.0), (240.0, 200.0, 300.0, 230.0), (100.0, 270.0, 400.0, 300.0)]
    for x0, top, x1, bottom in boxes:  # something written in each text box
        for x in range(int(x0) + 4, int(x1) - 10, 22):
            draw.rectangle((x, top + 6, x + 14, bottom - 6), fill=30)
    draw.rectangle((196, 126, 430, 127), fill=40)  # 甲方：________ (the blank)
    draw.rectangle((250, 214, 290, 216), fill=30)  # the stroke of 一 inside a text box
    draw.rectangle((100, 302, 400, 303), fill=30)  # text underlined
    draw.rectangle((60, 600, 1180, 601), fill=30)  # a separator across the page
    draw.rectangle((100, 700, 112, 730), fill=30)  # a lone mark, too short for a blank
    rules = find_rules(np.asarray(page), boxes)
    assert len(rules) == 1
    x0, top, x1, bottom = rules[0]
    assert abs(x0 - 196) <= 1 and abs(x1 - 431) <= 1 and 125 <= top < bottom <= 129
    assert blank_text(x1 - x0, 30) == "_" * 16


def test_a_page_without_text_boxes_has_no_blanks() -> None:
    assert find_rules(np.full((200, 200), 240, dtype=np.uint8), []) == []
