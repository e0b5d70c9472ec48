"""Running heads and feet with page numbers in a phrase, legends, and clause numbers at line starts.

Agreements filed with a regulator come as PDFs whose every page carries a foot such as
"Page 3 of 6 CONFIDENTIAL" or "Acme Confidential - 3 -", often a legend such as
"* Confidential treatment requested" above it, and numbered clauses hard-wrapped at the margin, some
written without a space after the number ("10.An individual …"). These PDFs are printed here by
WeasyPrint from text written for the test, so the expected reading is known exactly.
"""

from __future__ import annotations

import html
import random

import pytest

from accord.intake import read_document
from accord.intake.layout import Line, paragraphs

WORDS = [
    "supplier",
    "purchaser",
    "product",
    "service",
    "delivery",
    "schedule",
    "account",
    "report",
    "quality",
    "standard",
    "records",
    "samples",
    "facility",
    "inspection",
    "invoice",
    "forecast",
    "order",
    "quantity",
    "notice",
    "period",
    "review",
    "committee",
    "plan",
    "budget",
    "training",
    "staff",
    "premises",
    "equipment",
    "materials",
    "documents",
    "approval",
    "programme",
    "results",
]

# The printed page's foot (CSS), and the same foot as the original's pages had it, which a filing
# printed from HTML carries in the text flow wherever the original page ended.
FOOTS = {
    "page-of": ('"Page " counter(page) " of " counter(pages) " CONFIDENTIAL"', "Page {} of 13 CONFIDENTIAL"),
    "name-dash": ('"Acme Confidential - " counter(page) " -"', "Acme Confidential - {} -"),
    "dash": ('"- " counter(page) " -"', "- {} -"),
}


def _sentence(rng: random.Random, words: int) -> str:
    picked = [rng.choice(WORDS) for _ in range(words)]
    return "The " + " ".join(picked) + " shall be kept by the supplier"


def _clauses() -> list[tuple[str, str, str]]:
    """(number, separator, body) of each clause; some bodies end in a redaction, without a full stop."""
    rng = random.Random(12)
    out = []
    for article in range(1, 13):
        for sub in range(1, 4):
            body = ". ".join(_sentence(rng, rng.randint(14, 30)) for _ in range(rng.randint(1, 3)))
            body += " [***]" if (article + sub) % 4 == 0 else "."
            out.append((f"{article}.{sub}", " ", body))
        if article % 3 == 0:
            # A plain number with no space after it, as some filings print "10.An individual …".
            out.append((f"{article}.", "", "An individual " + _sentence(rng, 22).lower() + "."))
    return out


def _pdf(foot: str) -> bytes:
    import weasyprint

    printed, original = FOOTS[foot]
    rows = []
    for index, (number, gap, body) in enumerate(_clauses()):
        last = ' class="full"' if body.endswith("]") else ""
        rows.append(f"<p{last}>{html.escape(number + gap + body)}</p>")
        if index % 4 == 3:
            rows.append("<p>* Confidential treatment requested</p>")
            rows.append(f'<p class="foot">{html.escape(original.format(index // 4 + 1))}</p>')
    css = f"""
    @page {{ size: Letter; margin: 22mm 25mm 32mm 25mm;
      @top-right {{ content: "Execution Version"; font-size: 8pt }}
      @bottom-center {{ content: {printed}; font-size: 9pt; vertical-align: bottom }} }}
    body {{ font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.35 }}
    p {{ margin: 0 0 6pt; text-align: justify }}
    p.full {{ text-align-last: justify }}
    p.foot {{ text-align: center; font-size: 9pt }}
    .legend {{ position: fixed; bottom: -14mm; left: 0; font-size: 9pt }}
    """
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><style>{css}</style></head><body>'
        '<div class="legend">* Confidential treatment requested</div>'
        f"{''.join(rows)}</body></html>"
    )
    return bytes(weasyprint.HTML(string=page).write_pdf())


@pytest.fixture(scope="module", params=sorted(FOOTS))
def read(request: pytest.FixtureRequest) -> tuple[str, int]:
    result = read_document(_pdf(request.param), "filed.pdf")
    return result.text, result.pages or 0


def test_the_filing_has_several_pages(read: tuple[str, int]) -> None:
    assert read[1] >= 4


def test_no_running_head_foot_legend_or_page_number_is_left(read: tuple[str, int]) -> None:
    text = read[0]
    for furniture in ("CONFIDENTIAL", "Confidential", "Execution Version", "Page ", "treatment requested"):
        assert furniture not in text
    assert not any(line.strip().startswith("-") or line.strip().isdigit() for line in text.split("\n"))


def test_each_clause_is_one_line_starting_with_its_number(read: tuple[str, int]) -> None:
    expected = [number + gap + body for number, gap, body in _clauses()]
    assert read[0].split("\n") == expected


# --- the same rules on lines as the reader builds them ----------------------------------------------

LEFT, RIGHT, SIZE = 72.0, 540.0, 11.0


def _line(text: str, page: int, top: float, *, x1: float = RIGHT) -> Line:
    return Line(
        text=text,
        page=page,
        x0=LEFT,
        x1=x1,
        top=top,
        bottom=top + SIZE,
        size=SIZE,
        page_height=792.0,
        page_width=612.0,
        first_word_width=len(text.split(" ", 1)[0]) * SIZE * 0.5,
    )


def _body(page: int) -> list[Line]:
    rows = [
        _line(f"Body text of page {page} line {i} that runs on to the margin", page, 200 + 15 * i)
        for i in range(7)
    ]
    return [*rows, _line("and ends here.", page, 305, x1=160)]


def test_numbered_headings_at_the_same_height_on_several_pages_stay() -> None:
    pages = []
    for page in range(1, 7):
        head = [_line(f"ARTICLE {page * 2 + 3}", page, 60.0, x1=150)] if page % 2 == 0 else []
        pages.append(head + _body(page))
    found = [p.text for p in paragraphs(pages)]
    assert {"ARTICLE 7", "ARTICLE 11", "ARTICLE 15"} <= set(found)


def test_a_cross_reference_wrapped_to_a_line_start_is_not_a_new_clause() -> None:
    found = paragraphs(
        [
            [
                _line("The Supplier shall deliver the samples described in clause", 1, 100),
                _line("7.2 of this Agreement within thirty days.", 1, 115, x1=300),
            ]
        ]
    )
    assert [p.text for p in found] == [
        "The Supplier shall deliver the samples described in clause 7.2 of this Agreement within thirty days."
    ]


def test_a_sentence_cut_by_a_page_break_short_of_the_margin_runs_on() -> None:
    found = paragraphs(
        [
            [*_body(1), _line("4.1 The Supplier acknowledges that its work depends upon", 1, 700, x1=420)],
            [_line("the information the Purchaser gives it.", 2, 72, x1=300), *_body(2)],
        ]
    )
    assert [p.text for p in found][1] == (
        "4.1 The Supplier acknowledges that its work depends upon the information the Purchaser gives it."
    )


def test_a_page_repeating_the_last_line_of_the_page_before_reads_it_once() -> None:
    repeated = "1.3 Confidential Information means all information given under this"
    found = paragraphs(
        [
            [_line("1.2 The Supplier shall keep records.", 1, 600, x1=300), _line(repeated, 1, 700)],
            [_line(repeated, 2, 72), _line("Agreement in any form.", 2, 87, x1=250)],
        ]
    )
    assert [p.text for p in found] == [
        "1.2 The Supplier shall keep records.",
        repeated + " Agreement in any form.",
    ]


def test_a_list_number_drawn_over_the_items_first_letters_reads_before_them() -> None:
    # Some filings set "ii." in its own text run over the start of the item; sorting the letters by
    # position alone interleaves them ("iih.as").
    import weasyprint

    items = [("i.", "has engaged in wrongful conduct that affected the business;"),
             ("ii.", "has willfully committed a material breach of this Agreement;"),
             ("iii.", "has engaged in conduct that makes it impracticable to go on.")]  # fmt: skip
    rows = "".join(f'<p><span class="n">{number}</span>{html.escape(body)}</p>' for number, body in items)
    css = (
        "body { font-family: 'DejaVu Sans', sans-serif; font-size: 11pt; margin-left: 40pt }"
        "p { position: relative; margin: 0 0 8pt }"
        ".n { position: absolute; left: -16pt; top: 0; width: 20pt; text-align: right }"
    )
    page = f"<!doctype html><html><head><style>{css}</style></head><body>{rows}</body></html>"
    text = read_document(bytes(weasyprint.HTML(string=page).write_pdf()), "items.pdf").text
    assert text.split("\n") == [f"{number} {body}" for number, body in items]
