"""Fill-in blanks on scanned pages (``accord.intake.blanks``): rules and dotted leaders no recogniser reads,
given back as ``____`` and ``……``."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw

from accord.intake.blanks import blank_text, find_leaders, find_rules, leader_text
from accord.intake.ocr import tidy


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


def test_a_row_of_dots_beside_the_text_is_a_leader_but_periods_and_specks_are_not() -> None:
    page = Image.new("L", (1240, 1754), 240)
    draw = ImageDraw.Draw(page)
    boxes = [(100.0, 100.0, 250.0, 130.0), (100.0, 200.0, 500.0, 230.0)]
    for x0, top, x1, bottom in boxes:
        for x in range(int(x0) + 4, int(x1) - 10, 22):
            draw.rectangle((x, top + 6, x + 14, bottom - 6), fill=30)
    for x in range(260, 500, 10):  # 甲方（盖章）：………………  (24 dots)
        draw.rectangle((x, 124, x + 2, 126), fill=40)
    for x in range(300, 400, 10):  # a sentence's full stops, inside its text box
        draw.rectangle((x, 224, x + 2, 226), fill=30)
    rng = random.Random(3)
    for _ in range(400):  # scanner specks, scattered
        x, y = rng.randrange(60, 1180), rng.randrange(400, 1700)
        draw.rectangle((x, y, x + 1, y + 1), fill=60)
    leaders = find_leaders(np.asarray(page), boxes)
    assert len(leaders) == 1, leaders
    (x0, top, x1, bottom), dots = leaders[0]
    assert (x0, x1, dots) == (260, 493, 24) and 123 <= top < bottom <= 128
    assert leader_text(dots) == "…" * 8
    assert find_leaders(np.full((200, 200), 240, dtype=np.uint8), []) == []


def test_a_leader_read_as_two_dots_in_chinese_text_is_an_ellipsis_again() -> None:
    assert tidy("合同副本一式两份，分送..各留存一份") == "合同副本一式两份，分送……各留存一份"
    assert tidy("一九.. ……") == "一九………"  # two dots read, six given back from the page
    # English dots are what they are: an abbreviation, a year to fill in.
    assert tidy("signs, etc...) within the Territory, 20..") == "signs, etc...) within the Territory, 20.."
