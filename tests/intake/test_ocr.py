"""Scans and photos: OCR with both engines, deskew, reading order, mixed PDFs, blurred and oversized pages.

The scans are made here from the fixture PDFs (accord.bench.specimens renders them at 150 dpi and
adds a scanner's skew, blur, noise and JPEG compression), so the text they hold is known.
"""

from __future__ import annotations

import io
import random
import re
import shutil
from functools import cache

import pytest
from PIL import Image, ImageDraw, ImageFont

from accord.bench import specimens
from accord.bench.ocr import character_error_rate, spaced_error_rate
from accord.intake import IntakeError, ReadOptions, extract, read_document
from accord.intake.ocr import (
    Recognised,
    estimate_skew,
    first_word,
    is_blank,
    open_images,
    reading_order,
    sharpness,
    tidy,
)
from accord.intake.ocr_marks import dropped_comma
from accord.intake.reader import pdf_pages

from .test_pdf_as_published import FIXTURES

# The tests that read scans run on one worker, which then recognises a page image it has read before
# from memory (tests/support/ocr.py).
pytestmark = pytest.mark.xdist_group("ocr")

ENGINES = ["rapidocr", pytest.param("tesseract", marks=pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract-ocr is not installed"))]  # fmt: skip


@cache
def scanned_pages(lang: str) -> tuple[Image.Image, ...]:
    pdf = (FIXTURES / f"agreement-{lang}.libreoffice.pdf").read_bytes()
    return tuple(specimens.scan(pdf, dpi=150, seed=7))


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def written(lang: str) -> str:
    return (FIXTURES / f"agreement-{lang}.txt").read_text(encoding="utf-8")


def test_boxes_are_put_in_reading_order_rows_top_to_bottom_left_to_right() -> None:
    boxes = [
        Recognised((300, 52, 500, 70), "second half", 0.9),
        Recognised((50, 100, 200, 118), "next row", 0.8),
        Recognised((50, 50, 280, 68), "first half", 0.99),
    ]
    rows = reading_order(boxes)
    assert [text for _box, text, _conf in rows] == ["first half second half", "next row"]
    assert rows[0][0] == (50, 50, 500, 70)


def test_the_error_rate_with_spaces_counts_words_run_together() -> None:
    written_ = 'Montana State University ("MSU");\neach entity ____'
    glued = 'MontanaStateUniversity("MSU"); each entity'
    assert character_error_rate(written_, glued) == (0, len('MontanaStateUniversity("MSU");eachentity'))
    assert spaced_error_rate(written_, glued) == (3, len('Montana State University ("MSU"); each entity'))


def test_recognised_chinese_gets_its_punctuation_back() -> None:
    assert (
        tidy("甲方: 负责提供场地,并承担费用;乙方(受托方)负责")
        == "甲方：负责提供场地，并承担费用；乙方（受托方）负责"
    )
    assert tidy("平等互利丶优势互补") == "平等互利、优势互补"
    assert tidy("Party A: shall (1) provide") == "Party A: shall (1) provide"
    # The full-width full stop of a clause number read as a middle dot; a name's dot stays.
    assert tidy("1 ·技术目标：完成") == "1．技术目标：完成" and tidy("2·涉密人员范围") == "2．涉密人员范围"
    assert tidy("约翰·史密斯") == "约翰·史密斯" and tidy("Section 1·2") == "Section 1·2"


def test_a_chinese_line_s_first_word_ends_at_its_first_chinese_character() -> None:
    # Else "1、按本协议…" was one long word, the short title line above it looked full, and the two ran together.
    assert first_word("1、按本协议向乙方捐赠资金 ${amount}") == "1"
    assert first_word("（一）甲方责任与权利") == "（"
    assert first_word("The City shall") == "The" and first_word("甲方") == "甲"


def test_an_enumeration_comma_the_recogniser_dropped_is_put_back_from_the_gap_it_left() -> None:
    pitch = 25.0
    text = "1按本协议向乙方捐赠资金"
    dropped = [0.0, 2 * pitch] + [2 * pitch + pitch * i for i in range(1, len(text) - 1)]
    assert dropped_comma(list(text), dropped) == 1
    close = [0.0, 0.75 * pitch] + [0.75 * pitch + pitch * i for i in range(1, len(text) - 1)]
    assert dropped_comma(list("3个月内完成全部研究任务"), close) is None  # a number written against the text
    assert dropped_comma(list("按本协议"), [0.0, 25.0, 50.0, 75.0]) is None


def _text_image(angle: float) -> Image.Image:
    image = Image.new("L", (1200, 1600), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    rng = random.Random(3)
    for row in range(30):
        words = " ".join(rng.choice(["alpha", "beta", "gamma", "delta", "omega"]) for _ in range(9))
        draw.text((80, 80 + row * 48), words, fill=0, font=font)
    return image.rotate(angle, expand=False, fillcolor=255)


@pytest.mark.parametrize("angle", [-4.0, 2.5])
def test_skew_is_measured_from_the_rows_of_text(angle: float) -> None:
    import numpy as np

    estimate = estimate_skew(np.asarray(_text_image(angle)))
    assert abs(estimate + angle) <= 0.5  # the rotation that levels the rows undoes the skew


def test_blank_and_blurred_pages_are_told_apart_from_sharp_ones() -> None:
    import numpy as np
    from PIL import ImageFilter

    sharp = _text_image(0)
    assert is_blank(np.asarray(Image.new("L", (800, 1000), 250)))
    assert not is_blank(np.asarray(sharp))
    assert (
        sharpness(np.asarray(sharp.filter(ImageFilter.GaussianBlur(6)))) < sharpness(np.asarray(sharp)) / 10
    )


def test_an_image_over_the_pixel_limit_is_refused_naming_the_page() -> None:
    frames = [Image.new("L", (100, 100), 255), Image.new("L", (400, 400), 255)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:])
    with pytest.raises(IntakeError) as error:
        open_images(out.getvalue(), limit=50_000)
    assert error.value.code == "image_too_large" and error.value.params["page"] == 2
    with pytest.raises(IntakeError) as error:
        read_document(out.getvalue(), "scan.tiff", options=ReadOptions(max_pixels=50_000))
    assert error.value.code == "image_too_large"


def test_a_scan_without_ocr_allowed_asks_for_it() -> None:
    with pytest.raises(IntakeError) as error:
        read_document(png(scanned_pages("zh")[0]), "scan.png")
    assert error.value.code == "needs_ocr" and error.value.params["pages"] == "1"
    pdf = specimens.images_to_pdf(list(scanned_pages("zh")))
    with pytest.raises(IntakeError) as error:
        read_document(pdf, "scan.pdf")
    assert error.value.code == "needs_ocr" and error.value.params["pages"] == "1, 2"


def test_a_file_whose_content_is_not_what_its_name_says_is_refused() -> None:
    pdf = (FIXTURES / "agreement-zh.libreoffice.pdf").read_bytes()
    for name in ("scan.jpg", "agreement.docx", "agreement.doc"):
        with pytest.raises(IntakeError) as error:
            read_document(pdf, name)
        assert error.value.code == "wrong_extension" and error.value.params["actual"] == "PDF"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_scanned_chinese_page_is_read_with_its_commitments(engine: str) -> None:
    page = scanned_pages("zh")[0]
    result = read_document(png(page), "scan.png", options=ReadOptions(ocr_engine=engine))
    assert result.format == "png" and result.ocr is not None
    assert result.ocr.engine == engine and result.ocr.pages == [1] and not result.ocr.unreadable_pages
    assert result.ocr.lines and all(0 <= span.confidence <= 1 for span in result.ocr.lines)
    for span in result.ocr.lines:
        assert result.text[span.start : span.end].strip()
    # The same page's text layer is what was printed (the running head included).
    printed = pdf_pages((FIXTURES / "agreement-zh.libreoffice.pdf").read_bytes())
    assert printed is not None
    edits, chars = character_error_rate("".join(line.text for line in printed[0].lines), result.text)
    assert edits / chars < 0.03
    assert {c.party for c in extract(result.text).commitments} >= {"甲方", "乙方"}


def test_a_mixed_pdf_is_read_page_by_page() -> None:
    import pypdf

    text_layer = pypdf.PdfReader(FIXTURES / "agreement-zh.libreoffice.pdf")
    scan = pypdf.PdfReader(io.BytesIO(specimens.images_to_pdf([scanned_pages("zh")[1]])))
    writer = pypdf.PdfWriter()
    writer.add_page(text_layer.pages[0])
    writer.add_page(scan.pages[0])
    out = io.BytesIO()
    writer.write(out)
    result = read_document(out.getvalue(), "mixed.pdf", options=ReadOptions(ocr_engine="rapidocr"))
    assert result.ocr is not None and result.ocr.pages == [2]
    assert "第一条 合作内容" in result.text  # page 1 from its text layer, with its space
    assert "有效期五年" in result.text.replace(" ", "")  # page 2 by OCR
    assert all(span.page == 2 for span in result.ocr.lines)


def test_blurred_pages_are_named_and_a_wholly_blurred_scan_is_refused() -> None:
    pdf = (FIXTURES / "agreement-zh.libreoffice.pdf").read_bytes()
    blurred = specimens.scan(pdf, dpi=150, seed=7, blur=7.0)
    mixed = specimens.images_to_pdf([scanned_pages("zh")[0], blurred[1]])
    result = read_document(mixed, "scan.pdf", options=ReadOptions(ocr_engine="rapidocr"))
    assert result.ocr is not None and result.ocr.unreadable_pages == [2]
    assert "ocr_pages_unreadable" in result.warnings
    with pytest.raises(IntakeError) as error:
        read_document(
            specimens.images_to_pdf(blurred), "scan.pdf", options=ReadOptions(ocr_engine="rapidocr")
        )
    assert error.value.code == "unreadable_scan" and error.value.params["pages"] == "1, 2"


def test_a_phone_photo_of_an_english_page_is_read() -> None:
    photo = specimens.photo(scanned_pages("en")[0], seed=5)
    result = read_document(photo, "photo.jpg", options=ReadOptions(ocr_engine="rapidocr"))
    assert result.format == "jpeg" and result.ocr is not None
    assert "The City shall provide the University" in " ".join(result.text.split())


@cache
def printed_scan(lang: str) -> Image.Image:
    """Page one of the fixture text printed at 12 pt on A4 (WeasyPrint) and scanned at 150 dpi."""
    return specimens.scan(specimens.print_weasyprint(written(lang), lang), dpi=150, seed=7)[0]


def test_an_english_scan_at_12_points_keeps_the_spaces_between_words() -> None:
    # rapidocr's recogniser runs English words together at this size ("TheCityshallprovide"); the
    # spaces are put back from the gaps in each line's ink.
    result = read_document(png(printed_scan("en")), "scan.png", options=ReadOptions(ocr_engine="rapidocr"))
    read = " ".join(result.text.split())
    lines = [" ".join(line.split()) for line in written("en").splitlines()[:10]]
    assert sum(line in read for line in lines) >= 9, result.text
    assert "The City shall provide the University with at least two thousand square metres" in read
    assert {c.party for c in extract(result.text, lang="en").commitments} >= {"City", "University"}


FORM_ZH = """四方联合研究协议
第一条 本项目由
甲方：______________________________
乙方：______________________________
丙方：______________________________
共同合作，以________方为课题组长，经费________万元，研究时间为________年。各方应按期完成研究任务，并向项目主管部门提交年度研究报告和经费使用情况说明。
第二条 项目研究工作分工：
甲方：______________________________
乙方：______________________________
丙方：______________________________
第三条 甲方应当于每年十二月三十一日前向乙方支付合作经费，乙方应当按期提交研究报告，丙方负责组织项目的结题验收。
第四条 本协议自各方签字之日起生效，有效期三年。
甲方（盖章）：____________
________年________月________日
"""


def test_a_scanned_chinese_form_keeps_its_blanks_and_its_clauses() -> None:
    # The blanks of a form are printed as rules, which the recogniser does not read: "甲方：" then stood
    # alone on its line and was taken for a heading (an extra clause each time), and once the blanks
    # were back the lines ran together because the text block's edge was measured from too few lines.
    page = specimens.scan(specimens.print_weasyprint(FORM_ZH, "zh"), dpi=150, seed=7)[0]
    result = read_document(png(page), "scan.png", options=ReadOptions(ocr_engine="rapidocr"))
    lines = result.text.splitlines()
    assert sum(1 for ln in lines if re.fullmatch(r"[甲乙丙]方：_{8,}", ln)) == 6, result.text
    assert re.search(r"_+年_+月_+", result.text)
    clauses = [c.number for c in extract(result.text, lang="zh").clauses]
    assert (
        clauses
        == [c.number for c in extract(FORM_ZH, lang="zh").clauses]
        == ["第一条", "第二条", "第三条", "第四条"]
    )
