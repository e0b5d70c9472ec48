from __future__ import annotations

from datetime import date

from accord.intake import Commitment, extract
from accord.intake.samples import CQU_WANZHOU_STRATEGIC, read_sample


def found(text: str, **kwargs: object) -> list[Commitment]:
    return extract(text, **kwargs).commitments  # type: ignore[arg-type]


def test_chinese_obligations_name_their_party_and_action() -> None:
    text = (
        "甲方：某区人民政府\n乙方：某大学\n经协商，达成如下协议：\n"
        "一、甲方负责提供办公场地。\n二、乙方应当组建研究团队。"
    )
    result = found(text)
    assert [(c.party, c.quote) for c in result] == [
        ("甲方", "甲方负责提供办公场地"),
        ("乙方", "乙方应当组建研究团队"),
    ]
    assert result[0].clause_index == 0


def test_conjoined_chinese_actions_are_split() -> None:
    text = "甲方：A\n乙方：B\n一、乙方保证专项资金单独核算，并按规定的支出范围专款专用，不得挪用。"
    quotes = [c.quote for c in found(text)]
    assert quotes == ["乙方保证专项资金单独核算", "并按规定的支出范围专款专用", "不得挪用"]


def test_rights_and_permissions_are_not_commitments() -> None:
    text = "甲方：A\n乙方：B\n一、甲方有权监督经费的使用。\n二、乙方可以提前解除本协议。\n三、甲方负责验收。"
    assert [c.quote for c in found(text)] == ["甲方负责验收"]


def test_boilerplate_and_generic_liability_are_not_commitments() -> None:
    text = (
        "甲方：A\n乙方：B\n一、本协议一式四份，双方各执两份。\n二、违约方应承担相应的法律责任。\n"
        "三、因本协议发生的争议，双方应协商解决。\n四、乙方负责培训教师。"
    )
    assert [c.quote for c in found(text)] == ["乙方负责培训教师"]


def test_implicit_party_comes_from_the_enclosing_heading() -> None:
    text = "甲方：A\n乙方：B\n三、乙方责任与义务\n1.成立专门的设计团队。\n2.按时交付设计方案。"
    result = found(text)
    assert [(c.party, c.quote) for c in result] == [
        ("乙方", "成立专门的设计团队"),
        ("乙方", "按时交付设计方案"),
    ]


def test_collective_subjects_map_to_both_all_and_either() -> None:
    text = "甲方：A\n乙方：B\n一、双方共同制定执行计划。\n二、任何一方不得擅自解除本协议。"
    assert [c.party for c in found(text)] == ["both", "either"]
    four = "甲方：A\n乙方：B\n丙方：C\n丁方：D\n第一条 合作各方应严格遵守本协议。"
    assert [c.party for c in found(four)] == ["all"]


def test_chinese_due_recurrence_and_amount_are_attached() -> None:
    text = (
        "甲方：A\n乙方：B\n签订日期：2020年7月27日\n"
        "一、甲方应于签约后30日内拨付首期经费200万元。\n二、乙方每年提交一份研究报告。"
    )
    result = extract(text)
    first, second = result.commitments
    assert (first.due, first.due_resolved) == ("于签约后30日内", date(2020, 8, 26))
    assert first.amount is not None and first.amount.text == "200万元"
    assert second.recurrence == "annual"


def test_given_signing_date_resolves_relative_dues() -> None:
    text = "甲方：A\n乙方：B\n一、双方应在本协议签订后3个月内制定方案。"
    (commitment,) = found(text, signed_on=date(2021, 1, 31))
    assert commitment.due_resolved == date(2021, 4, 30)


def test_english_modal_obligations_and_negations() -> None:
    text = (
        'This Agreement is made between Alpha Ltd ("Party A") and Beta Inc ("Party B").\n'
        "1. Party A shall provide office space within 30 days after the agreement is signed.\n"
        "2. Party B will not disclose any Proprietary Information.\n"
        "3. Party B may terminate this Agreement at any time.\n"
        "4. This Agreement shall be governed by the laws of China."
    )
    result = found(text)
    assert [(c.party, c.due) for c in result] == [
        ("Party A", "within 30 days after the agreement is signed"),
        ("Party B", None),
    ]


def test_english_conjoined_verbs_are_split_but_object_lists_are_not() -> None:
    text = (
        'Between Alpha Ltd ("Party A") and Beta Inc ("Party B").\n'
        "1. Party B shall keep the process functional, and provide necessary guidance.\n"
        "2. Party A shall pay the fees, the taxes and the charges."
    )
    assert [c.quote for c in found(text)] == [
        "Party B shall keep the process functional",
        "provide necessary guidance.",
        "Party A shall pay the fees, the taxes and the charges.",
    ]


def test_english_imperative_items_take_the_party_from_the_heading() -> None:
    text = (
        'Between Alpha Ltd ("Party A") and Beta Inc ("Party B").\n'
        "Item Ten Warrants of Party A Besides responsibilities in this agreement, Party A shall also: "
        "1. Keep the power station operating properly. 2. Provide reliable technical support."
    )
    result = found(text)
    assert [(c.party, c.quote) for c in result] == [
        ("Party A", "Keep the power station operating properly."),
        ("Party A", "Provide reliable technical support."),
    ]


def test_english_recurrence_and_conditions() -> None:
    text = (
        'Between Alpha Ltd ("Party A") and Beta Inc ("Party B").\n'
        "1. Party B shall pay the service fee monthly.\n"
        "2. If Party A delays delivery, Party A shall compensate the loss of Party B."
    )
    first, second = found(text)
    assert first.recurrence == "monthly" and not first.conditional
    assert second.party == "Party A" and second.conditional


def test_quotes_match_the_text_at_their_offsets() -> None:
    text = read_sample(CQU_WANZHOU_STRATEGIC)
    for commitment in extract(text).commitments:
        assert text[commitment.quote_start : commitment.quote_end] == commitment.quote


def test_demo_agreement_is_extracted_well() -> None:
    result = extract(read_sample())
    assert result.lang == "zh"
    assert [(p.label, p.name) for p in result.parties] == [
        ("甲方", "重庆市万州区人民政府"),
        ("乙方", "重庆大学"),
    ]
    assert result.signed_on == date(2020, 7, 27)
    assert result.term is not None and "5年" in result.term
    assert [c.number for c in result.clauses if c.level == 1] == [
        "第一条",
        "第二条",
        "第三条",
        "第四条",
        "第五条",
        "第六条",
        "第七条",
        "第八条",
        "第九条",
        "第十条",
    ]
    parties = {c.party for c in result.commitments}
    assert {"甲方", "乙方", "both"} <= parties
    meeting = [c for c in result.commitments if "联席会议" in c.quote and c.recurrence == "annual"]
    assert meeting
    early = [c for c in result.commitments if c.due and "3个月内" in c.due]
    assert early and early[0].due_resolved == date(2020, 10, 27)
    assert any(c.amount and c.amount.text == "2000万元" for c in result.commitments)


def test_lower_case_list_items_under_a_lead_in_take_its_party() -> None:
    text = (
        'This MOU is entered into between Greenfield University ("University") and the County of Riverside '
        '("County").\nNOW, THEREFORE, the parties agree as follows:\n'
        "2.1 The University shall:\n(a) provide classroom space;\n"
        "(b) assign a coordinator within 30 days after the effective date; and\n"
        "(c) submit a report quarterly.\n"
        "2.2 The County shall:\n(a) pay the University USD 50,000 per year.\n"
    )
    result = found(text, signed_on=date(2021, 3, 3))
    assert [(c.party, c.recurrence) for c in result] == [
        ("University", None),
        ("University", None),
        ("University", "quarterly"),
        ("County", "annual"),
    ]
    assert result[1].due_resolved == date(2021, 4, 2)


def test_shall_and_shall_not_are_two_undertakings() -> None:
    text = (
        'Between Alpha Ltd ("Party A") and Beta Inc ("Party B").\n'
        "1. Each party shall keep the information secret and shall not disclose it to any third party."
    )
    assert [(c.party, c.quote) for c in found(text)] == [
        ("both", "Each party shall keep the information secret"),
        ("both", "shall not disclose it to any third party."),
    ]


def test_short_names_in_the_preamble_become_party_labels() -> None:
    text = (
        "某市第一人民医院（以下简称“医院”）与某大学（以下简称“学校”）达成如下协议：\n"
        "一、学校负责派遣教师。\n二、医院应当提供实习岗位。"
    )
    result = extract(text)
    assert [(p.label, p.name) for p in result.parties] == [("医院", "某市第一人民医院"), ("学校", "某大学")]
    assert [c.party for c in result.commitments] == ["学校", "医院"]


def test_english_conditions_keep_only_a_party_bound_consequence() -> None:
    text = (
        'Between Alpha Ltd ("Party A") and Beta Inc ("Party B").\n'
        "1. If Party A delays delivery, Party A shall compensate the loss of Party B.\n"
        "2. If any party delays the work, the other party has right to terminate the agreement.\n"
        "3. If force majeure occurs, both parties shall be fully exempt from their liabilities."
    )
    assert [(c.party, c.quote) for c in found(text)] == [
        ("Party A", "Party A shall compensate the loss of Party B.")
    ]


def test_a_cut_off_condition_still_marks_the_commitment_conditional() -> None:
    text = (
        'Between Alpha Ltd ("Party A") and Beta Inc ("Party B").\n'
        "1. If the site is ready, Party B shall install the meters."
    )
    (commitment,) = found(text)
    assert commitment.quote == "Party B shall install the meters." and commitment.conditional


def test_an_item_without_subject_continues_the_previous_items_party() -> None:
    text = "甲方：A\n乙方：B\n二、支付方式\n1、甲方向乙方支付首期经费。\n2、每年6月30日之前支付年度经费。"
    assert [c.party for c in found(text)] == ["甲方", "甲方"]


def test_framing_phrases_do_not_make_both_parties_the_subject() -> None:
    text = "甲方：A\n乙方：B\n第九条 双方确定，对乙方完成的成果进行验收：由甲方验收。"
    assert [(c.party, c.quote) for c in found(text)] == [("甲方", "由甲方验收")]


def test_passive_consequence_after_a_condition_names_the_agent() -> None:
    text = (
        'Between Alpha Ltd ("Party A") and Beta Inc ("Party B").\n'
        "1. If meters are needed, the meters shall be provided by Party B."
    )
    (commitment,) = found(text)
    assert commitment.party == "Party B" and commitment.quote == "the meters shall be provided by Party B."


def test_flattened_pdf_text_with_spaces_before_items_is_read() -> None:
    text = (
        "甲方：某某市人民政府 乙方：某某大学 经双方友好协商，达成以下协议：第一条 合作内容 "
        "1.1 甲方同意将市中心医院作为乙方的附属医院。1.2 乙方承诺将医院纳入附属医院管理体系。"
        "第二条 甲方的权利和义务 2.1 甲方应于协议签署后12个月内完成新院区规划。第 1 页 共 3 页 "
        "第三条 乙方的权利和义务 3.1 每年选派不少于10名学科带头人。"
    )
    result = extract(text)
    assert [c.number for c in result.clauses] == ["第一条", "1.1", "1.2", "第二条", "2.1", "第三条", "3.1"]
    assert [(c.party, c.recurrence) for c in result.commitments] == [
        ("甲方", None),
        ("乙方", None),
        ("甲方", None),
        ("乙方", "annual"),
    ]


def test_contract_style_articles_sections_and_repeated_modals() -> None:
    text = (
        "This Agreement is entered into as of January 15, 2018 by and between "
        'Acme Software, Inc. ("Licensor") '
        'and Beacon Health Systems LLC ("Licensee").\n\nARTICLE I\nDEFINITIONS\n\n'
        'Section 1.1 "Affiliate" means any entity that controls a party.\n\nARTICLE II\nSERVICES\n\n'
        "Section 2.1 Support. Licensor shall provide telephone support and shall respond to critical issues "
        "within four (4) hours.\n\nSection 2.2 Fees. Licensee shall pay an annual fee of $120,000, "
        "payable quarterly in advance.\n\nSection 2.3 Effect of Termination. Upon termination, "
        "Licensee shall promptly return all copies of the Software."
    )
    result = extract(text)
    assert result.signed_on == date(2018, 1, 15)
    assert [(c.number, c.heading) for c in result.clauses[:3]] == [
        ("ARTICLE I", "DEFINITIONS"),
        ("Section 1.1", None),
        ("ARTICLE II", "SERVICES"),
    ]
    found_ = [(c.party, c.due, c.recurrence) for c in result.commitments]
    assert found_ == [
        ("Licensor", None, None),
        ("Licensor", "within four (4) hours", None),
        ("Licensee", None, "quarterly"),
        ("Licensee", "Upon termination", None),  # an event-relative deadline, as written
    ]
    assert result.commitments[2].amount is not None and result.commitments[2].amount.text == "$120,000"


def test_enumerated_prohibitions_are_split_and_keep_their_negation() -> None:
    text = (
        'Between Alpha Ltd ("Licensor") and Beta LLC ("Licensee").\n'
        "1. Licensee shall not (a) sublicense the Software, (b) reverse engineer the Software, "
        "or (c) remove any notices within four (4) hours."
    )
    result = found(text)
    assert [c.action for c in result] == [
        "not sublicense the Software",
        "not reverse engineer the Software",
        "not remove any notices within four (4) hours.",
    ]
    assert {c.party for c in result} == {"Licensee"}


def test_english_parties_can_be_people_and_companies_with_defined_labels() -> None:
    text = (
        'This Agreement is made on May 1, 2020 by and between Northwind Traders, Inc. (the "Company") and '
        'Jane Doe (the "Consultant").\n1. Services. Consultant shall provide advisory services (the "Services").'
        "\n2. Fees. The Company shall pay Consultant USD 5,000 per month."
    )
    result = extract(text)
    assert [(p.label, p.name) for p in result.parties] == [
        ("Company", "Northwind Traders, Inc."),
        ("Consultant", "Jane Doe"),
    ]
    assert [(c.party, c.recurrence) for c in result.commitments] == [
        ("Consultant", None),
        ("Company", "monthly"),
    ]


def test_items_of_a_prohibition_list_carry_the_negation() -> None:
    text = (
        "甲方：A\n乙方：B\n第五条 乙方不得有下列行为：\n（一）将项目转包给第三方；\n（二）擅自变更研究内容。"
    )
    assert [(c.party, c.action) for c in found(text)] == [
        ("乙方", "不得将项目转包给第三方"),
        ("乙方", "不得擅自变更研究内容"),
    ]


def test_a_following_prohibition_keeps_the_subject_of_the_sentence() -> None:
    four = "甲方：A\n乙方：B\n丙方：C\n第六条 合作项目各方应严格遵守本协议，除因不可抗力，不得中途中止合同。"
    assert [(c.party, c.quote) for c in found(four)] == [
        ("all", "合作项目各方应严格遵守本协议"),
        ("all", "不得中途中止合同"),
    ]


def test_role_names_can_be_the_party_labels() -> None:
    text = (
        "技术开发合同\n委托方：某某科技有限公司\n受托方：某某大学\n双方经协商，达成如下协议：\n"
        "第一条 受托方应于合同签订后30日内提交研究方案。\n第二条 委托方应按期支付研究经费。"
    )
    result = extract(text)
    assert [(p.label, p.name) for p in result.parties] == [
        ("委托方", "某某科技有限公司"),
        ("受托方", "某某大学"),
    ]
    assert [(c.party, c.due) for c in result.commitments] == [
        ("受托方", "于合同签订后30日内"),
        ("委托方", "按期"),  # on time, as written (LABELLING.md, Commitments 7)
    ]
