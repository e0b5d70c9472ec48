"""PDFs as people have them: radicals in the text layer, hard-wrapped lines, running heads, headings.

The fixtures are two short agreements written for these tests, printed by Chromium and by LibreOffice
(``scripts/intake-fixtures`` regenerates them).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from accord.intake import diff_clauses, extract, read_document
from accord.intake.ideographs import count_radicals, unify_ideographs

from .conftest import make_docx

FIXTURES = Path(__file__).parent / "fixtures"
PRINTERS = ["chromium", "libreoffice"]
HEADINGS = {
    "zh": ["校地科技合作协议", "第一条 合作内容", "第二条 人才培养", "第三条 组织保障", "第四条 其他"],
    "en": [
        "Memorandum of Understanding on Research Cooperation",
        "1. Joint Laboratory",
        "2. Training",
        "3. Meetings",
        "4. Term",
    ],
}


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _paragraphs(lang: str) -> list[str]:
    return (FIXTURES / f"agreement-{lang}.txt").read_text(encoding="utf-8").strip().split("\n")


def test_radicals_and_compatibility_ideographs_become_unified_ideographs() -> None:
    assert unify_ideographs("⼄⽅应于⼀个⽉内⽀付") == "乙方应于一个月内支付"
    assert unify_ideographs("⻓江⻔户") == "长江门户"  # CJK Radicals Supplement (C-simplified forms)
    assert unify_ideographs("\uf900\U0002f800") == "\u8c48\u4e3d"  # compatibility ideographs
    assert unify_ideographs("客⼾") == "客户" and unify_ideographs("⼾們") == "戶們"  # by the text's script


def test_only_those_blocks_are_mapped_so_numbering_punctuation_stays() -> None:
    text = "（一）１．第⼀条：甲方，ｆｕｌｌ－ｗｉｄｔｈ【注】"
    unified = unify_ideographs(text)
    assert unified == "（一）１．第一条：甲方，ｆｕｌｌ－ｗｉｄｔｈ【注】"
    assert len(unified) == len(text)


@pytest.mark.parametrize("filename", ["a.txt", "a.md", "a.html", "a.docx"])
def test_every_reader_unifies_radicals(filename: str) -> None:
    text = "第⼀条 ⼄⽅负责提供场地。"
    data = make_docx([text]) if filename.endswith(".docx") else text.encode()
    result = read_document(data, filename)
    assert count_radicals(result.text) == 0
    assert "第一条 乙方负责提供场地。" in result.text


def test_a_browser_printed_chinese_pdf_keeps_its_commitments() -> None:
    data = _fixture("agreement-zh.chromium.pdf")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        raw = "".join(page.extract_text() for page in pdf.pages)
    # The fixture really has the fault: its text layer says ⼀ and ⽅ where 一 and 方 are printed.
    assert count_radicals(raw) > 10
    result = read_document(data, "agreement.pdf")
    assert count_radicals(result.text) == 0
    found = extract(result.text)
    expected = extract("\n".join(_paragraphs("zh")))
    assert {c.party for c in found.commitments} >= {"甲方", "乙方"}
    assert len(found.commitments) == len(expected.commitments) > 5


@pytest.mark.parametrize("printer", PRINTERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_printed_lines_are_joined_back_into_the_paragraphs_that_were_written(printer: str, lang: str) -> None:
    result = read_document(_fixture(f"agreement-{lang}.{printer}.pdf"), "agreement.pdf")
    lines = result.text.split("\n")
    written = _paragraphs(lang)
    # Every paragraph comes back whole, in order; the running head and page numbers are gone.
    assert [line for line in lines if line in written] == written[1:] or lines[1:] == written[1:]
    assert lines.count(HEADINGS[lang][0]) == 1
    assert not any(line.strip().strip("-– ").isdigit() for line in lines)
    assert result.pages == 2


@pytest.mark.parametrize("printer", PRINTERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headings_are_found_from_the_layout(printer: str, lang: str) -> None:
    result = read_document(_fixture(f"agreement-{lang}.{printer}.pdf"), "agreement.pdf")
    assert [result.text[start:end] for start, end in result.headings] == HEADINGS[lang]
    for start, end in result.headings:
        assert start == 0 or result.text[start - 1] == "\n"
        assert end == len(result.text) or result.text[end] == "\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_headings_come_from_their_styles(lang: str) -> None:
    result = read_document(_fixture(f"agreement-{lang}.docx"), "agreement.docx")
    assert [result.text[start:end] for start, end in result.headings] == HEADINGS[lang]


def test_bold_short_docx_paragraphs_are_headings() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph().add_run("Purpose").bold = True
    document.add_paragraph("The City shall provide rooms.")
    buffer = io.BytesIO()
    document.save(buffer)
    result = read_document(buffer.getvalue(), "mou.docx")
    assert [result.text[a:b] for a, b in result.headings] == ["Purpose"]


@pytest.mark.parametrize("printer", PRINTERS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reimporting_the_pdf_over_its_docx_keeps_every_clause(printer: str, lang: str) -> None:
    docx_text = read_document(_fixture(f"agreement-{lang}.docx"), "agreement.docx").text
    pdf_text = read_document(_fixture(f"agreement-{lang}.{printer}.pdf"), "agreement.pdf").text
    before, after = extract(docx_text), extract(pdf_text)
    diff = diff_clauses(before, after)
    assert len(diff.unchanged) == len(before.clauses) == len(after.clauses)
    assert [c.path for c in before.clauses] == [c.path for c in after.clauses]
    assert not diff.changed and not diff.added and not diff.removed


def test_pdfminer_font_warnings_are_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        read_document(_fixture("agreement-zh.chromium.pdf"), "agreement.pdf")
    assert not [r for r in caplog.records if r.name.startswith("pdfminer")]


def test_a_greek_question_mark_in_a_text_layer_reads_as_a_semicolon() -> None:
    assert read_document("(a) the purchase of Products for resale\u037e".encode(), "a.txt").text.endswith(";")
