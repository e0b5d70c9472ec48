"""Families of texts the rules once failed on outside the labelled set; each test covers the family."""

from __future__ import annotations

import pytest

from accord.intake import extract
from accord.intake.ideographs import unify_ideographs

_ZH = (
    "合作协议\n甲方：某区人民政府\n乙方：某大学\n双方经友好协商，达成如下协议：\n"
    "一、甲方负责提供办公场地，并于签约后3个月内拨付启动经费100万元。\n"
    "二、乙方应当组建研究团队，每年向甲方报告工作进展。\n"
)
# The same text as a PDF printed from a browser gives it: Kangxi radicals for 一 二 乙 方 …
_KANGXI = str.maketrans({"一": "⼀", "二": "⼆", "乙": "⼄", "方": "⽅", "人": "⼈", "大": "⼤", "工": "⼯"})


def test_text_with_kangxi_radicals_extracts_as_the_unified_text() -> None:
    radicals = _ZH.translate(_KANGXI)
    assert radicals != _ZH and unify_ideographs(radicals) == _ZH
    plain, mapped = extract(_ZH), extract(radicals)
    assert [(c.start, c.end, c.level) for c in mapped.clauses] == [
        (c.start, c.end, c.level) for c in plain.clauses
    ]
    assert [c.number for c in mapped.clauses] == ["⼀、", "⼆、"]  # numbers as written
    assert [(c.party, c.quote_start, c.quote_end) for c in mapped.commitments] == [
        (c.party, c.quote_start, c.quote_end) for c in plain.commitments
    ]
    for c in mapped.commitments:
        assert radicals[c.quote_start : c.quote_end] == c.quote


def test_only_radicals_and_compatibility_ideographs_are_mapped() -> None:
    kept = "（一）１．①、：；“”《》"
    assert unify_ideographs(kept) == kept
    assert unify_ideographs("\u2f00\u2f08\uf900") == "一人豈"


def _wrapped(words: str, width: int) -> str:
    lines, line = [], ""
    for word in words.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


@pytest.mark.parametrize("width", [40, 60, 80])
def test_hard_wrapped_english_sentences_are_proposed_whole(width: int) -> None:
    body = (
        "Party A shall provide the laboratory space, the equipment and the technical staff needed for the "
        "joint research programme described in the annex. Party B will pay the research fees within thirty "
        "days after each invoice is received and will report the results to Party A every quarter."
    )
    text = 'This Agreement is made between Alpha Ltd. ("Party A") and Beta Inc. ("Party B").\n1. Duties.\n'
    text += _wrapped(body, width)
    found = extract(text).commitments
    quotes = [" ".join(c.quote.split()) for c in found]
    assert quotes and all(len(q.split()) >= 5 for q in quotes)  # no fragments such as "clients."
    assert not [
        c.quote for c in found if text[c.quote_end : c.quote_end + 1] == "\n"
    ]  # none cut at a line end
    assert any(q.startswith("Party A shall provide") and "annex" in q for q in quotes)
    assert any(q.startswith("Party B will pay") and "within thirty days" in q for q in quotes)


@pytest.mark.parametrize("width", [18, 24, 30])
def test_hard_wrapped_chinese_sentences_are_proposed_whole(width: int) -> None:
    body = (
        "乙方应当按照项目任务书的要求组织研究团队开展研究工作，按期完成全部研究任务并提交研究报告。"
        "甲方负责提供项目实施所需的场地和设备，并协调有关部门为项目的顺利实施创造条件。"
    )
    text = "甲方：某公司\n乙方：某大学\n经协商，达成如下协议：\n一、乙方的义务\n"
    text += "\n".join(body[i : i + width] for i in range(0, len(body), width)) + "\n二、其他\n"
    found = extract(text).commitments
    assert not [
        c.quote for c in found if text[c.quote_end : c.quote_end + 1] == "\n"
    ]  # none cut at a line end
    assert any(
        c.quote.startswith("乙方应当按照") and "开展研究工作" in c.quote.replace("\n", "") for c in found
    )


@pytest.mark.parametrize(
    ("preamble", "expected"),
    [
        (
            "This Agreement is entered into by and between Hyatt Franchising Latin America, L.L.C., a limited "
            "liability company organized under the laws of Delaware with its principal place of business at 71 "
            'South Wacker Drive, Chicago ("Hyatt"), and Playa Hotels & Resorts, B.V., a private limited '
            'liability company with its registered address at Amsterdam ("Playa").',
            [("Hyatt", "Hyatt Franchising Latin America, L.L.C."), ("Playa", "Playa Hotels & Resorts, B.V.")],
        ),
        (
            "This Cooperation Agreement is entered into by and between:\n(1) Nanjing Tuniu Technology Co., Ltd., "
            'with its registered address at Nanjing ("Party A");\n(2) Beijing Tuniu Technology Co., Ltd., with its '
            'registered address at Beijing ("Party B").',
            [
                ("Party A", "Nanjing Tuniu Technology Co., Ltd."),
                ("Party B", "Beijing Tuniu Technology Co., Ltd."),
            ],
        ),
        (
            'EXHIBIT 10.13\nJOINT VENTURE AGREEMENT\nCollectible Concepts Group, Inc. ("CCGI") and Pivotal Self '
            'Service Tech, Inc. ("PVSS"), (the "Parties"), by this Agreement associate themselves.',
            [("CCGI", "Collectible Concepts Group, Inc."), ("PVSS", "Pivotal Self Service Tech, Inc.")],
        ),
    ],
)
def test_english_parties_are_found_behind_their_descriptions(
    preamble: str, expected: list[tuple[str, str]]
) -> None:
    text = (
        preamble
        + "\nNOW, THEREFORE, the parties agree as follows:\n1. Cooperation. Both parties shall cooperate."
    )
    assert [(p.label, p.name) for p in extract(text).parties] == expected


_EN_PREAMBLE = (
    'This MOU is by and between the City of Bozeman ("City") and Montana State University ("University").\n'
    "The parties agree as follows:\n"
)


@pytest.mark.parametrize(
    ("sentence", "party"),
    [
        ("The City and the University will jointly develop a curriculum.", "both"),
        ("City and University agree to jointly apply for state funding.", "both"),
        ("Both City and University shall provide one staff member each.", "both"),
        ("Each of City and University agrees to keep records of the project.", "both"),
        ("The University and the City shall meet every month.", "both"),
        ("City or University shall notify the other party within 5 days.", "City or University"),
        # data/agreements/README.md, Conventions: "neither party" is one party the text does not name
        ("Neither party shall disclose the terms of this MOU.", "either"),
    ],
)
def test_conjoined_subjects_bind_the_parties_together(sentence: str, party: str) -> None:
    found = extract(_EN_PREAMBLE + "1. Duties. " + sentence, mode="rules").commitments
    assert [c.party for c in found] == [party]
    assert not found[0].action.lower().startswith("jointly")  # "jointly" says who, not what


def test_a_separate_subject_after_and_still_splits_the_sentence() -> None:
    text = _EN_PREAMBLE + "1. Duties. City shall pay the fee, and University shall provide the rooms."
    assert [c.party for c in extract(text, mode="rules").commitments] == ["City", "University"]


@pytest.mark.parametrize(
    "lead_in", ["The City and the University shall:", "Both City and University agree to:"]
)
def test_list_items_under_a_joint_lead_in_bind_both(lead_in: str) -> None:
    text = (
        _EN_PREAMBLE
        + f"1. Duties. {lead_in}\n(a) develop a joint curriculum;\n(b) meet every month to review "
        "progress;\n(c) publish an annual report.\n2. Staff. The University shall provide two instructors."
    )
    found = extract(text, mode="rules").commitments
    assert [c.party for c in found] == ["both", "both", "both", "University"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The term of this MOU shall commence on the date last signed and shall continue for two years.",
        "This Agreement will be automatically renewed for one additional year.",
        "This MOU may be amended or modified only by a written instrument signed by both parties.",
        "No amendment of this MOU shall be valid unless in writing and signed by the parties.",
        "Neither party shall assign this MOU or its rights hereunder without the consent of the other.",
        "The books of the project shall be kept at the principal office of the City.",
        "The fiscal year of the programme shall be the calendar year.",
    ],
)
def test_term_modification_assignment_and_descriptions_are_not_commitments(sentence: str) -> None:
    text = (
        _EN_PREAMBLE + "1. General. " + sentence + "\n2. Staff. The University shall provide two instructors."
    )
    assert [c.party for c in extract(text, mode="rules").commitments] == ["University"]


@pytest.mark.parametrize(
    "sentence",
    [
        "本协议有效期为三年，期满后双方可协商续签。",
        "本协议的变更应当经双方协商一致并以书面形式确认。",
        "未经对方书面同意，任何一方不得转让本协议项下的权利义务。",
    ],
)
def test_chinese_term_modification_and_assignment_are_not_commitments(sentence: str) -> None:
    text = (
        "甲方：某区人民政府\n乙方：某大学\n双方达成如下协议：\n一、乙方负责组建研究团队。\n二、"
        + sentence
        + "\n"
    )
    assert [c.party for c in extract(text, mode="rules").commitments] == ["乙方"]


def test_titles_set_before_clause_numbers_are_unnumbered_clauses() -> None:
    text = (
        'This Joint Venture Agreement is made between Alpha Inc. ("Alpha") and Beta LLC ("Beta"). The Members '
        "agree as follows:\nFormation 1. By this Agreement the Members enter into a joint venture.\n"
        "Name 2. The name of the venture will be Gamma.\nCapital Contributions 3. Each Member shall contribute "
        "USD 1,000.\n"
    )
    clauses = extract(text).clauses
    assert [(c.number, c.heading) for c in clauses if c.number is None] == [
        (None, "Formation"),
        (None, "Name"),
        (None, "Capital Contributions"),
    ]
    assert [c.number for c in clauses if c.number] == ["1.", "2.", "3."]


@pytest.mark.parametrize(
    ("markers", "lines"),
    [
        (["第一项、", "第二项、"], ["第一项、基本原则", "第二项、合作方式及内容"]),
        (["一，", "二，", "三，"], ["一，科研项目的主要内容", "二，计划进度", "三，技术经济指标"]),
    ],
)
def test_chinese_numbering_with_other_separators_is_found(markers: list[str], lines: list[str]) -> None:
    text = "甲方：某公司\n乙方：某大学\n双方达成如下协议：\n" + "\n".join(
        f"{line}\n甲方负责提供经费。" for line in lines
    )
    assert [c.number for c in extract(text).clauses] == markers


def test_a_comma_after_a_numeral_inside_a_sentence_is_not_a_clause() -> None:
    text = "甲方：某公司\n乙方：某大学\n双方达成如下协议：\n一、合作内容\n其一，甲方负责提供场地，二，乙方负责研究。\n"
    assert [c.number for c in extract(text).clauses] == ["一、"]


def test_it_is_agreed_that_inside_the_body_does_not_move_the_body_start() -> None:
    text = (
        'Alpha Inc. ("Alpha") and Beta LLC ("Beta") form a joint venture.\n1. Name. The venture is Gamma.\n'
        "2. Authority. It is agreed that either party shall have authority to sign contracts.\n3. Books. Alpha "
        "shall keep the books.\n"
    )
    assert [c.number for c in extract(text).clauses] == ["1.", "2.", "3."]


def test_numbered_recitals_before_an_amended_and_restated_body_are_not_clauses() -> None:
    text = (
        'This Agreement is entered into by and between Alpha Co., Ltd. ("Party A") and Beta Co., Ltd. ("Party B").'
        "\nWHEREAS\n1. Party A is a company incorporated in China.\n2. Party B is a software company.\n"
        "The Original Agreement is amended and restated as follows:\n1. Business Cooperation\n"
        "Party B shall provide technical services to Party A.\n2. Fees\nParty A shall pay the fees monthly.\n"
    )
    clauses = extract(text).clauses
    assert [c.number for c in clauses] == ["1.", "2."]
    assert clauses[0].start == text.index("1. Business")


@pytest.mark.parametrize(
    ("sentence", "due"),
    [
        (
            "During the term of this Agreement, the University shall keep the records.",
            "During the term of this Agreement",
        ),
        ("The University shall at all times comply with the applicable laws.", "at all times"),
        (
            "Upon written request of the City, the University will return the materials.",
            "Upon written request of the City",
        ),
        ("The University will notify the City as soon as practicable.", "as soon as practicable"),
        ("The University shall promptly notify the City of any delay.", "promptly"),
        ("The University shall give the City prompt written notice of any delay.", "prompt"),
        (
            "The University shall return the materials upon the termination of this Agreement.",
            "upon the termination of this Agreement",
        ),
        (
            "The University shall keep the records for a period of three (3) years after the end of the project.",
            "for a period of three (3) years after the end of the project",
        ),
    ],
)
def test_english_periods_and_events_are_dues_as_written(sentence: str, due: str) -> None:
    found = extract(_EN_PREAMBLE + "1. Records. " + sentence, mode="rules").commitments
    assert [c.due for c in found] == [due]


@pytest.mark.parametrize(
    ("piece", "due"),
    [
        ("在实习期内，甲方负责学生的安全管理。", "在实习期内"),
        ("项目立项后，乙方负责组织专家进行审核。", "项目立项后"),
        ("在收到全部款项后，乙方把全部技术资料发给甲方。", "在收到全部款项后"),
        ("甲方应在三个工作日内付清尾款。", "在三个工作日内"),
        ("甲方应于每学年开学初向乙方缴纳培养费。", "每学年开学初"),
    ],
)
def test_chinese_periods_and_events_are_dues_as_written(piece: str, due: str) -> None:
    text = "甲方：某公司\n乙方：某大学\n双方达成如下协议：\n一、" + piece + "\n"
    assert [c.due for c in extract(text, mode="rules").commitments] == [due]


def test_the_agreements_own_lifetime_is_not_a_due() -> None:
    text = (
        "甲方：某公司\n乙方：某大学\n双方达成如下协议：\n一、在本合同有效期内，甲方指定张三为项目联系人。\n"
    )
    assert [c.due for c in extract(text, mode="rules").commitments] == [None]


def test_a_party_named_in_words_over_a_list_binds_its_items() -> None:
    text = (
        'JOINT VENTURE AGREEMENT\nCollectible Concepts Group, Inc. ("CCGI") and Pivotal Self Service Tech, Inc.\n'
        '("PVSS") (the "Parties") form a joint venture (the "Joint Venture").\n'
        "1. Name. The name of the Joint Venture will be MightyCell.\n"
        "EXHIBIT A\nCollectible Concepts Group will:\n1) Obtain any licenses for the Products\n"
        "2) Prepare any artwork for the Products\nPivotal Self Service Tech, Inc. will:\n"
        "1) Provide the Products in the quantities designated by CCGI\n"
    )
    result = extract(text, mode="rules")
    assert [p.label for p in result.parties] == ["CCGI", "PVSS"]  # the Joint Venture is no party
    heads = [c for c in result.clauses if c.number is None and c.heading and "will:" in c.heading]
    assert len(heads) == 2 and heads[0].level == heads[1].level
    assert [(c.party, c.quote.split()[0]) for c in result.commitments] == [
        ("CCGI", "Obtain"),
        ("CCGI", "Prepare"),
        ("PVSS", "Provide"),
    ]


def test_markers_that_a_sentence_runs_through_are_not_clauses() -> None:
    text = _EN_PREAMBLE + (
        "1. Definitions. Net Sales means the gross amount invoiced, less: (a) discounts allowed; "
        "(b) credits for returns; and (c) freight.\n"
        "2. Payment. Subject to Section 5.3 below, the University shall pay the fee.\n"
        "3. Reports. The University shall:\n(a) keep records;\n(b) send a report each year.\n"
    )
    numbers = [c.number for c in extract(text, mode="rules").clauses]
    assert numbers == ["1.", "2.", "3.", "(a)", "(b)"]
