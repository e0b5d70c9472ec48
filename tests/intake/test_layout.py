"""Lines → paragraphs from geometry alone (synthetic lines, as a PDF or an OCR engine gives them)."""

from __future__ import annotations

from accord.intake.layout import Line, Paragraph, paragraphs

LEFT, RIGHT, SIZE, PITCH = 72.0, 523.0, 11.0, 15.0


def line(
    text: str,
    row: int,
    *,
    page: int = 1,
    x0: float = LEFT,
    x1: float | None = None,
    size: float = SIZE,
    bold: bool = False,
    top: float | None = None,
) -> Line:
    width = len(text) * size if any("\u4e00" <= ch <= "\u9fff" for ch in text) else len(text) * size * 0.5
    first = text.split(" ", 1)[0]
    return Line(
        text=text,
        page=page,
        x0=x0,
        x1=x1 if x1 is not None else min(RIGHT, x0 + width),
        top=top if top is not None else 100 + row * PITCH,
        bottom=(top if top is not None else 100 + row * PITCH) + size,
        size=size,
        bold=bold,
        first_word_width=len(first) * size * 0.5,
    )


def texts(found: list[Paragraph]) -> list[str]:
    return [p.text for p in found]


WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]


def body(rows: int, page: int = 1, start: int = 0) -> list[Line]:
    """Full lines of body text, different on every page (as real pages are)."""
    return [
        line(f"Body text {WORDS[(page * 3 + i) % 10]} on page {page} that runs to the margin", start + i, page=page, x1=RIGHT)
        for i in range(rows)
    ]  # fmt: skip


def test_a_sentence_wrapped_at_the_margin_is_one_paragraph() -> None:
    found = paragraphs(
        [
            [
                line("The City shall provide the University with office space within", 0, x1=RIGHT),
                line("thirty days after signing.", 1),
                line("The University shall report every year.", 2),
            ]
        ]
    )
    assert texts(found) == [
        "The City shall provide the University with office space within thirty days after signing.",
        "The University shall report every year.",
    ]


def test_chinese_lines_join_without_a_space_even_a_little_short_of_the_margin() -> None:
    found = paragraphs(
        [
            [
                line("甲方负责在本协议签订后三个月内向乙方提供科研用房，并承担", 0, x1=RIGHT - 1.5 * SIZE),
                line("装修费用。", 1),
                line("乙方负责组建团队。", 2),
            ]
        ]
    )
    assert texts(found) == [
        "甲方负责在本协议签订后三个月内向乙方提供科研用房，并承担装修费用。",
        "乙方负责组建团队。",
    ]


def test_end_of_line_hyphens_are_undone_but_real_compounds_keep_theirs() -> None:
    found = paragraphs(
        [
            [
                line("The parties will build an interdiscip-", 0, x1=RIGHT),
                line("linary programme and a long-", 1, x1=RIGHT),
                line("term plan; the long-term plan is reviewed yearly.", 2),
            ]
        ]
    )
    assert texts(found) == [
        "The parties will build an interdisciplinary programme and a long-term plan; "
        "the long-term plan is reviewed yearly."
    ]


def test_a_first_line_indent_or_a_wider_gap_starts_a_new_paragraph() -> None:
    found = paragraphs(
        [
            [
                line("First paragraph runs right to the margin of the text block here", 0, x1=RIGHT),
                line("    Second paragraph is indented at its first line and goes on", 1, x0=LEFT + 2 * SIZE, x1=RIGHT),
                line("to the end.", 2),
                line("Third paragraph after a gap runs to the margin of the block too", 0, x1=RIGHT, top=100 + 4 * PITCH),
                line("and ends.", 0, top=100 + 5 * PITCH),
            ]
        ]
    )  # fmt: skip
    assert len(found) == 3
    assert found[1].text.startswith("Second paragraph") and found[1].text.endswith("to the end.")


def test_a_hanging_indent_continues_the_numbered_item() -> None:
    found = paragraphs(
        [
            [
                line("(1) The City shall provide the University with office space and", 0, x1=RIGHT),
                line("bear the refurbishment costs.", 1, x0=LEFT + 2 * SIZE),
                line("(2) The University shall report.", 2),
            ]
        ]
    )
    assert texts(found) == [
        "(1) The City shall provide the University with office space and bear the refurbishment costs.",
        "(2) The University shall report.",
    ]


def test_a_clause_number_after_a_sentence_end_starts_a_new_line() -> None:
    found = paragraphs(
        [
            [
                line("一、甲方负责提供场地和设备，并在签约后三十日内完成交付工作。", 0, x1=RIGHT),
                line("二、乙方负责派驻人员。", 1),
            ]
        ]
    )
    assert len(found) == 2


def test_page_numbers_and_running_heads_are_dropped_and_text_runs_across_pages() -> None:
    pages = []
    for page in (1, 2, 3):
        lines = [line("Cooperation Agreement", 0, page=page, top=30, size=8)]
        lines += body(3, page, start=1)
        lines.append(line(f"- {page} -", 0, page=page, top=800, size=8))
        pages.append(lines)
    pages[0][-2].x1 = RIGHT  # the last body line of page 1 is full: the sentence goes on overleaf
    found = paragraphs(pages)
    joined = " ".join(texts(found))
    assert "Cooperation Agreement" not in joined and "- 2 -" not in joined
    assert "on page 1 that runs to the margin Body text golf on page 2" in joined


def test_a_line_repeated_in_the_body_is_not_a_running_head() -> None:
    pages = [
        [line("甲方：", 3, page=page), *body(2, page, start=4), line("End.", 6, page=page)]
        for page in (1, 2, 3)
    ]
    assert sum(p.text == "甲方：" for p in paragraphs(pages)) == 3


def test_headings_by_size_weight_centring_and_short_numbered_lines() -> None:
    centre = (LEFT + RIGHT) / 2
    found = paragraphs(
        [
            [
                line("MEMORANDUM OF UNDERSTANDING", 0, size=16),
                line("Purpose", 2, bold=True),
                *body(2, start=3),
                line("Annex", 6, x0=centre - 20, x1=centre + 20),
                line("第一条 合作内容", 7),
                line("双方同意按照下列约定开展合作，具体事项另行商定，并报双方批", 8, x1=RIGHT),
                line("准。", 9),
                line("第二条 本协议自签字之日起生效", 10),
                line("第三条 本协议一式两份", 11),
            ]
        ]
    )
    headings = [p.text for p in found if p.heading]
    assert headings == ["MEMORANDUM OF UNDERSTANDING", "Purpose", "Annex", "第一条 合作内容"]


def test_a_title_wrapped_over_two_lines_is_one_heading() -> None:
    found = paragraphs(
        [
            [
                line("Memorandum of Understanding on", 0, size=20, top=60),
                line("Research Cooperation", 0, size=20, top=84),
                *body(2, start=3),
            ]
        ]
    )
    assert found[0].heading and found[0].text == "Memorandum of Understanding on Research Cooperation"


def test_a_page_number_left_inside_a_run_together_page_is_dropped() -> None:
    found = paragraphs(
        [
            [
                *body(2),
                line("shall be made.", 2),
                line("39", 0, x0=300, x1=310, top=100 + 4 * PITCH),
                line("6. Division of Income and Losses. All income shall be shared.", 0, top=100 + 7 * PITCH),
                line("— 40 —", 0, x0=290, x1=330, top=100 + 10 * PITCH),
            ]
        ]
    )
    assert "39" not in texts(found) and "— 40 —" not in texts(found)


def test_short_list_items_are_not_headings() -> None:
    found = paragraphs(
        [
            [
                *body(4),
                line("(a) Marketing", 4),
                line("(b) Sales", 5),
                line("2. Training", 6),
                line("(a) Courses", 7),
            ]
        ]
    )
    assert [p.text for p in found if p.heading] == ["2. Training"]


def test_recognised_lines_of_a_form_keep_their_breaks_though_their_sizes_vary() -> None:
    # Sizes of recognised lines come from box heights (here 11-13.7 pt for one type): the text block's
    # right edge must still be found from all of them, not from the few of the commonest size (here
    # the form's blank lines), or half-width lines look full and run together ("甲方：____乙方：____").
    import dataclasses

    blank = "甲方：______________________"
    rows = [
        ("第一条 本项目由", 120.0, 11.1),
        (blank, 316.0, 13.3),
        (blank.replace("甲", "乙"), 316.0, 13.7),
        (blank.replace("甲", "丙"), 316.0, 13.5),
        ("共同合作，以______方为课题组长，经费______万元，研究时间为______年，各方应按期完成", RIGHT, 11.5),
        ("研究任务，并向项目主管部门提交年度研究报告和经费使用情况说明，接受主管部门的", RIGHT, 12.6),
        ("检查。", 150.0, 11.0),
        ("第二条 项目研究工作分工：", 260.0, 11.5),
        (blank, 316.0, 13.3),
        (blank.replace("甲", "乙"), 316.0, 13.7),
        (blank.replace("甲", "丙"), 316.0, 13.5),
    ]
    lines = [
        dataclasses.replace(line(text, i, x1=x1, size=size), confidence=0.95)
        for i, (text, x1, size) in enumerate(rows)
    ]
    found = texts(paragraphs([lines]))
    assert found[:4] == ["第一条 本项目由", blank, blank.replace("甲", "乙"), blank.replace("甲", "丙")]
    assert found[4].endswith("接受主管部门的检查。") and found[5:] == [
        "第二条 项目研究工作分工：",
        blank,
        blank.replace("甲", "乙"),
        blank.replace("甲", "丙"),
    ]
