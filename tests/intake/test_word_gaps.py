"""Spaces between English words put back from the gaps in a scanned line's ink (``accord.intake.word_gaps``).

rapidocr's recogniser often runs English words together (``StateUniversity("MSU")``), which hid the
parties and modal verbs of English scans from extraction. The characters' places on the line and the
paper between them say where the words end.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from accord.intake.word_gaps import SPACE_SHARE, ink_band, is_space, respace

LINES = [
    "The City shall provide the University with at least two thousand square metres.",
    'Montana State University ("MSU"); each entity referred to as a "Party" to this MOU.',
    "NOW, THEREFORE, BOSCH and CLIENT agree: 11. ENTIRE AGREEMENT of 3753 Howard Hughes Pkwy.",
    "The Government of Japan, on behalf of the Tenants, shall offset the cost of fifty staff.",
    "CLIENT'S premises, subject to the Territory as set forth in Section 2.1 on 1 December 2015.",
    "1. Joint Laboratory 1.1 The City will pay 2,000 dollars.",
]


def font(face: str, size: int) -> ImageFont.FreeTypeFont:
    import matplotlib

    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / face), size)


def scanned_line(
    text: str, face: str = "DejaVuSerif.ttf", size: int = 25
) -> tuple[np.ndarray, list[str], list[float]]:
    """A line of 12 pt type as a 150 dpi scanner gives it (slightly blurred), with each character's centre."""
    font_ = font(face, size)
    left = 20
    width = round(font_.getlength(text)) + 2 * left
    image = Image.new("L", (width, size * 2), 245)
    ImageDraw.Draw(image).text((left, size // 2), text, fill=20, font=font_)
    image = image.filter(ImageFilter.GaussianBlur(0.5))
    centres = [left + font_.getlength(text[:i]) + font_.getlength(ch) / 2 for i, ch in enumerate(text)]
    return np.asarray(image), list(text), centres


@pytest.mark.parametrize("face", ["DejaVuSerif.ttf", "DejaVuSans.ttf"])
@pytest.mark.parametrize("text", LINES)
def test_words_run_together_by_the_recogniser_get_their_spaces_back(text: str, face: str) -> None:
    gray, chars, centres = scanned_line(text, face)
    band, x_height = ink_band(gray, (0, 0, gray.shape[1], gray.shape[0]))
    glued = [(c, x) for c, x in zip(chars, centres, strict=True) if c != " "]
    assert x_height > 0
    assert respace([c for c, _ in glued], [x for _, x in glued], band, x_height) == text


def test_the_spaces_the_recogniser_put_in_the_wrong_place_are_decided_again() -> None:
    text = "The Parties shall meet once a year."
    gray, chars, centres = scanned_line(text)
    band, x_height = ink_band(gray, (0, 0, gray.shape[1], gray.shape[0]))
    # "ThePar tiesshall ...": a space inside a word, none between the words.
    split = [c for c in chars[:7] if c != " "] + [" "] + [c for c in chars[7:] if c != " "]
    kept = [x for c, x in zip(chars, centres, strict=True) if c != " "]
    split_centres = [*kept[:6], kept[5] + 1, *kept[6:]]
    assert respace(split, split_centres, band, x_height, offset=0) == text


def test_chinese_characters_are_never_spaced_and_punctuation_keeps_its_side() -> None:
    wide = 2 * SPACE_SHARE
    assert not is_space("甲", "方", wide) and not is_space("方", "A", wide) and not is_space("A", "乙", wide)
    assert not is_space("(", "M", wide) and not is_space("U", ")", wide) and not is_space("y", ",", wide)
    assert not is_space("s", '"', wide, closing_quote=True) and is_space("a", '"', wide)
    assert not is_space("1", "1", SPACE_SHARE + 0.05) and is_space("y", "o", SPACE_SHARE + 0.05)
    assert not is_space("e", "t", SPACE_SHARE - 0.1)
    assert not is_space(".", "1", 1.0, before="1") and is_space(".", "T", 1.0, before="1")
