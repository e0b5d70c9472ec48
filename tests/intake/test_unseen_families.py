"""Families of errors found by cross-validation on agreements the rules were not written on.

Each test is a small agreement written for it; the rules alone are checked (``mode="rules"``), so
that a retrained model does not hide a rule that stopped working.
"""

from __future__ import annotations

from accord.intake import Commitment, extract


def rules(text: str) -> list[Commitment]:
    return extract(text, mode="rules").commitments


def test_chinese_items_run_into_one_paragraph_keep_their_subject() -> None:
    # A list flattened into one line: each item's marker follows the previous item's full stop.
    text = (
        "甲方：某市医院\n乙方：某社区中心\n"
        "一、甲方的义务：（一）甲方接受乙方医生进修。（二）甲方负责指派一名联络员。3、乙方定期上报病例。"
    )
    found = [(c.party, c.quote) for c in rules(text)]
    assert ("甲方", "甲方接受乙方医生进修") in found
    assert ("甲方", "甲方负责指派一名联络员") in found
    assert ("乙方", "乙方定期上报病例") in found


def test_chinese_adverbs_and_verbs_of_going_before_the_action() -> None:
    text = (
        "甲方：某制药厂\n乙方：某研究所\n"
        "一、甲方在合同签订后先预付设计费三成。\n"
        "二、甲方另支付调试补贴五千元。\n"
        "三、乙方在样机完成后到甲方车间安装调试。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("甲方", "甲方在合同签订后先预付设计费三成"),
        ("甲方", "甲方另支付调试补贴五千元"),
        ("乙方", "乙方在样机完成后到甲方车间安装调试"),
    ]


def test_chinese_parties_named_by_their_kinds_are_both() -> None:
    text = (
        "甲方：某职业学院\n乙方：某机械公司\n一、校企双方共建实训基地。\n二、政校双方每年召开一次联席会议。"
    )
    assert [c.party for c in rules(text)] == ["both", "both"]


def test_chinese_full_width_full_stop_ends_a_sentence() -> None:
    # Older texts end sentences with "．" (after a digit it is a clause number, "２．").
    text = "甲方：某农场\n乙方：某农机站\n一、乙方应派技术员驻场指导．甲方负责提供住宿．\n二、甲方每季度付给乙方服务费三千元．"
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("乙方", "乙方应派技术员驻场指导"),
        ("甲方", "甲方负责提供住宿"),
        ("甲方", "甲方每季度付给乙方服务费三千元"),
    ]


def test_chinese_consequence_binds_the_party_its_condition_names() -> None:
    text = "甲方：某县农业局\n乙方：某种业公司\n五、如乙方中途停止供种，应退还甲方已付的全部货款。"
    (commitment,) = rules(text)
    assert commitment.party == "乙方" and commitment.conditional


def test_chinese_preamble_closing_words_are_no_commitment() -> None:
    text = (
        "甲方：某区卫生局 乙方：某社区医院 为发挥双方优势，经甲乙双方协商，与乙方开展技术合作，特签订本协议。"
        "一、甲方负责培训乙方医生。"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [("甲方", "甲方负责培训乙方医生")]


def test_chinese_groups_of_some_parties_and_signature_lines() -> None:
    three = "甲方：某市卫健委\n乙方：某医科大学\n丙方：张某\n"
    text = three + (
        "三、甲方或丙方应于每学年开学初向乙方缴纳培养费。\n"
        "四、甲乙双方配合解决丙方的住宿。\n"
        "承办单位：____________（公章）\n"
    )
    assert [c.party for c in rules(text)] == ["甲方或丙方", "甲乙双方"]
    two = "甲方：某市\n乙方：某大学\n三、甲方或乙方应每年向对方报送一次报告。"
    assert [c.party for c in rules(two)] == ["either"]


def test_chinese_yao_as_shall() -> None:
    text = (
        "甲方：某区医院\n乙方：某卫生院\n"
        "一、甲方要制订双向转诊办法。\n二、本项目的主要内容是远程会诊。\n三、乙方需要时可申请会诊。"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("甲方", "甲方要制订双向转诊办法"),
    ]


def test_chinese_verb_cut_by_a_hard_line_wrap() -> None:
    # Text from a PDF: the line is full, so the break inside 建立 only wraps it.
    text = (
        "甲方：某技师学院\n乙方：某汽车配件有限公司\n"
        "一、合作原则\n"
        "为推动职业教育与产业发展的深度融合，经友好协商，校企双方建\n"
        "立长期稳定的合作关系，并定期召开联席会议研究合作中的具体问题。\n"
    )
    quotes = [(c.party, c.quote) for c in rules(text)]
    assert ("both", "校企双方建\n立长期稳定的合作关系") in quotes


def test_chinese_each_verb_after_a_comma_is_its_own_undertaking() -> None:
    # One subject, several actions: each verb is a commitment; a result ("取得") stays with its action.
    text = (
        "甲方：某县人民医院\n乙方：某镇卫生院\n"
        "一、甲方义务\n"
        "（一）甲方派专家到乙方坐诊，帮助乙方建立慢病随访制度，加强乙方护理人员的培训。\n"
        "（二）乙方负责办理医联体所需的备案手续，取得主管部门的批复。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("甲方", "甲方派专家到乙方坐诊"),
        ("甲方", "帮助乙方建立慢病随访制度"),
        ("甲方", "加强乙方护理人员的培训"),
        ("乙方", "乙方负责办理医联体所需的备案手续，取得主管部门的批复"),
    ]


def test_chinese_heading_that_is_an_undertaking_and_other_matters_inside_a_clause() -> None:
    # "第三条 甲方应…如下：" over blanks is the undertaking; "3.其他事项" inside it is no closing clause.
    text = (
        "甲方：某电机厂\n乙方：某理工大学\n"
        "第三条 甲方应向乙方提供的图纸及试验条件如下：\n"
        "1.图纸清单：[ ]。\n"
        "2.提供时间：[ ]。\n"
        "3.其他事项：乙方将妥善保管上述图纸。\n"
        "第四条 其他\n"
        "本合同一式四份，双方各执两份。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("甲方", "甲方应向乙方提供的图纸及试验条件如下"),
        ("乙方", "乙方将妥善保管上述图纸"),
    ]


def test_chinese_bodies_and_units_of_the_parties_act_for_both() -> None:
    text = (
        "甲方：某区科技局\n乙方：某工业大学\n"
        "一、双方组成联合管理委员会。\n"
        "二、由专家委员会对入驻项目进行评审，联席会议每季度听取一次工作汇报。\n"
        "三、双方单位间共享大型仪器设备。\n"
    )
    found = [(c.party, c.quote) for c in rules(text)]
    assert ("both", "双方单位间共享大型仪器设备") in found
    assert ("both", "由专家委员会对入驻项目进行评审") in found
    assert ("both", "联席会议每季度听取一次工作汇报") in found


def test_chinese_liability_written_the_other_way_round_is_no_undertaking() -> None:
    text = (
        "甲方：某建筑公司\n乙方：某职业中学\n"
        "一、甲方负责学生实习期间的安全教育。\n"
        "二、因甲方管理不善造成学生伤害的，责任由甲方承担。\n"
        "三、乙方违约时，乙方须承担与其过错程度相当的全部经济责任。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [("甲方", "甲方负责学生实习期间的安全教育")]


def test_chinese_manner_words_and_instalment_dates_before_the_action() -> None:
    text = (
        "甲方：某县科委\n乙方：某农机研究所\n"
        "一、乙方本着节约的原则使用项目经费，甲方合理支付乙方人员的差旅补贴。\n"
        "二、乙方对甲方所拨经费，采取如下办法偿还：\n"
        "（一）二〇____年____月偿还____元；\n"
        "（二）二〇____年____月偿还____元。\n"
    )
    found = [(c.party, c.quote, c.due) for c in rules(text)]
    assert ("乙方", "乙方本着节约的原则使用项目经费", None) in found
    assert ("甲方", "甲方合理支付乙方人员的差旅补贴", None) in found
    assert ("乙方", "二〇____年____月偿还____元", "二〇____年____月") in found


def test_chinese_time_before_the_subject_and_a_second_action_with_bing_jiang() -> None:
    text = (
        "甲方：某师范大学\n乙方：某外国语学院\n"
        "一、每年3月底前乙方提供下一学年的交换生名单。\n"
        "二、项目结束后，甲方销毁乙方提供的试题复印件并将原件交还乙方。\n"
    )
    found = [(c.party, c.quote, c.due) for c in rules(text)]
    assert ("乙方", "每年3月底前乙方提供下一学年的交换生名单", "每年3月底前") in found
    assert [(p, q) for p, q, _ in found if q.startswith("并将")] == [("甲方", "并将原件交还乙方")]


def test_chinese_must_be_is_a_requirement_not_an_action() -> None:
    text = (
        "甲方：某建设集团\n乙方：某技工学校\n"
        "一、乙方推荐的实习生必须是土建类专业二年级以上的学生，乙方应于实习前一周报送名单。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [("乙方", "乙方应于实习前一周报送名单")]


def test_chinese_three_parties_written_with_commas_and_the_signatories() -> None:
    text = (
        "甲方：某市人社局\n乙方：某职业学院\n丙方：某汽车公司\n"
        "一、甲、乙、丙三方自愿遵守本协议的各项约定。\n"
        "二、签约各方每半年召开一次协调会。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("all", "甲、乙、丙三方自愿遵守本协议的各项约定"),
        ("all", "签约各方每半年召开一次协调会"),
    ]


def test_chinese_condition_after_a_time_phrase_binds_its_party() -> None:
    text = (
        "甲方：某果树研究所\n乙方：某村合作社\n"
        "五、合同期满，如甲方的指导没有达到约定的要求，应退还乙方已付的指导费。\n"
    )
    assert [c.party for c in rules(text)] == ["甲方"]


def test_chinese_a_sum_stated_after_an_action_is_no_second_action() -> None:
    text = (
        "甲方：某家电公司\n乙方：某工业设计学院\n"
        "一、乙方为甲方完成空气净化器外观设计一款，设计费用为人民币三万元。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("乙方", "乙方为甲方完成空气净化器外观设计一款，设计费用为人民币三万元")
    ]


def test_chinese_a_guarantor_made_a_party_and_the_signatories_after_boilerplate() -> None:
    text = (
        "甲方：某学院\n乙方：某教师\n"
        "第一条 甲方派遣乙方出国进修。\n"
        "第二条 保证人须与乙方经常保持联系，每半年向甲方介绍乙方的情况。\n"
        "第三条 本协议书自公证之日起生效，签字各方保证遵照执行。\n"
        "第四条 经甲方、乙方、保证人三方协商一致后，可对本协议书进行修改。\n"
    )
    found = [(c.party, c.quote) for c in rules(text)]
    assert ("保证人", "保证人须与乙方经常保持联系") in found
    assert ("保证人", "每半年向甲方介绍乙方的情况") in found
    assert ("all", "签字各方保证遵照执行") in found


def test_chinese_the_school_students_are_the_party_named_as_students() -> None:
    text = (
        "甲方:某建筑公司\n乙方:某职教中心\n丙方:(学生)\n"
        "1.乙方学生在实习期间要严格遵守甲方的规章制度,服从工作安排。\n"
        "2.乙方负责学生的安全教育。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("丙方", "乙方学生在实习期间要严格遵守甲方的规章制度"),
        ("丙方", "服从工作安排"),
        ("乙方", "乙方负责学生的安全教育"),
    ]


def test_chinese_period_after_the_subject_is_the_due_without_the_subject() -> None:
    text = (
        "甲方：某研究所\n乙方：某进修教师\n"
        "第一条 甲方在乙方回国后，负责安排乙方的工作。\n"
        "第二条 乙方在样机研制完成后到甲方车间调试。\n"
        "第三条 丙⽅在学期间，⼄⽅按照培养⽅案进⾏培养。\n"
    )
    assert [c.due for c in rules(text)] == ["在乙方回国后", "在样机研制完成后", "丙⽅在学期间"]


def test_chinese_details_agreed_later_by_the_parties_units_are_undertakings() -> None:
    text = (
        "甲方：某大学\n乙方：某理工大学\n"
        "二、具体学科由双方相关院系磋商确定，在本协议框架下，细化具体实施办法并签订补充协议。"
        "补充协议与本协议具有同等法律效力。\n"
    )
    found = [(c.party, c.quote) for c in rules(text)]
    assert [party for party, _ in found] == ["both", "both"]
    assert found[0][1].startswith("具体学科由双方相关院系磋商确定")
    assert found[1][1] == "细化具体实施办法并签订补充协议"


def test_chinese_a_comma_lost_after_a_noun_in_flattened_text() -> None:
    text = "甲方：某中医院\n乙方：某社区中心\n(四)甲方要研究制订双向转诊管理办法建立双向转诊信息沟通渠道。\n"
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("甲方", "甲方要研究制订双向转诊管理办法"),
        ("甲方", "建立双向转诊信息沟通渠道"),
    ]


def test_chinese_another_party_after_a_time_phrase_takes_the_next_action() -> None:
    text = (
        "甲方:某建筑公司\n乙方:某职教中心\n"
        "3.乙方组织学生进行实习,实习期结束后,甲方根据学生表现,择优录取学生到企业就业。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("乙方", "乙方组织学生进行实习"),
        ("甲方", "择优录取学生到企业就业"),
    ]


def test_chinese_notice_ahead_and_on_time_are_dues_a_bonus_per_month_early_is_not() -> None:
    text = (
        "甲方：某研究所\n乙方：某进修教师\n"
        "第一条 乙方改变留学内容，均应至少提前三个月向甲方提出书面申请。\n"
        "第二条 乙方应按期完成学业。\n"
        "第三条 甲方同意按每提前一个月另支付奖励费五千元，提前二个月为一万元。\n"
    )
    assert [c.due for c in rules(text)] == ["至少提前三个月", "按期", None]


def test_chinese_a_body_the_parties_form_is_an_undertaking_and_acts_for_them() -> None:
    text = (
        "甲方：某科技公司\n乙方：某大学研究生院\n"
        "1.1由企业专家与大学教师共同组成专家委员会,负责创新项目的遴选、验收等工作。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("both", "由企业专家与大学教师共同组成专家委员会"),
        ("both", "负责创新项目的遴选、验收等工作"),
    ]


def test_chinese_a_party_undertaking_under_a_boilerplate_heading() -> None:
    text = (
        "甲方：某电器公司\n乙方：某大学\n"
        "四、协议的生效变更与解除\n"
        "1、本协议自双方签字盖章之日起生效。\n"
        "2、执行中如遇不可抗力导致协议不能继续履行时，双方应及时通知对方以将损失控制在最小范围。\n"
        "3、本协议一式四份，甲乙双方各持两份。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [("both", "双方应及时通知对方以将损失控制在最小范围")]


def test_chinese_the_agreements_performance_and_signing_after_the_subject_are_dues() -> None:
    text = (
        "甲方：某食品厂\n乙方：某研究所\n"
        "一、甲方在协议生效后先预付试制经费三成。\n"
        "二、本合同履行完毕后，乙方将全部销毁技术资料的复印件。\n"
        "三、在合同执行期间，乙方每月付给甲方报酬五百元。\n"
    )
    assert [c.due for c in rules(text)] == ["在协议生效后", "本合同履行完毕后", "在合同执行期间"]


def test_chinese_a_dispute_arising_is_boilerplate() -> None:
    text = (
        "甲方：某学院\n乙方：某教师\n"
        "第一条 甲方负责安排乙方的工作。\n"
        "第二条 甲方与乙方因本协议而发生纠纷时，经双方同意，可由甲方的上级主管部门裁决。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [("甲方", "甲方负责安排乙方的工作")]


_EN_PARTIES = (
    'This Agreement is made between Northwind Labs Inc. ("Northwind") and Harbor College ("Harbor").\n'
)


def test_english_status_ownership_and_entitlements_are_not_undertakings() -> None:
    text = _EN_PARTIES + (
        "1. Northwind shall be, and shall be deemed to be, an independent contractor of Harbor.\n"
        "2. All sample data shall be jointly owned by Northwind and Harbor.\n"
        "3. Harbor shall be entitled to a refund of any unused deposit.\n"
        "4. Northwind will have fifteen (15) days to decide whether to license the design.\n"
        "5. Harbor shall have the option of paying the fee in two parts.\n"
        "6. Northwind shall deliver the prototype to Harbor within sixty (60) days.\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("Northwind", "Northwind shall deliver the prototype to Harbor within sixty (60) days."),
    ]


def test_english_lead_in_whose_colon_ends_the_line_is_not_proposed() -> None:
    text = _EN_PARTIES + (
        "1. Services\n\n"
        'Harbor agrees to provide the following services, referred to below as the "Services":\n\n'
        "THE SCHEDULE IN EXHIBIT B IS PART OF THIS AGREEMENT.\n\n"
        "A. Host the summer workshop for Northwind engineers.\n"
        "B. Supervise two student interns each term.\n"
    )
    assert [c.quote for c in rules(text) if "following" in c.quote] == []


def test_english_joint_lead_in_is_an_umbrella_and_its_items_are_both() -> None:
    text = _EN_PARTIES + (
        "3) Joint work\n"
        "Northwind and Harbor agree to jointly:\n"
        "a. Design a shared curriculum for the robotics course;\n"
        "b. Utilize each other's laboratories when either has spare capacity.\n"
    )
    found = rules(text)
    assert [(c.party, c.action) for c in found] == [
        ("both", "Design a shared curriculum for the robotics course"),
        ("both", "Utilize each other's laboratories when either has spare capacity."),
    ]


def test_english_waivers_and_excused_losses_are_not_undertakings() -> None:
    text = _EN_PARTIES + (
        "7. Neither Party shall be responsible to the other Party for any indirect loss.\n"
        "8. The non-defaulting Party shall waive the right to terminate for that breach.\n"
        "9. Harbor shall publish the course results within thirty (30) days.\n"
    )
    assert [c.party for c in rules(text)] == ["Harbor"]


def test_english_semicolons_as_a_pdf_writes_them_and_promises() -> None:
    # U+037E looks like a semicolon and comes out of some PDF text layers; so does the full-width one.
    text = _EN_PARTIES + (
        "1. Harbor promises that two rooms will be kept free for the workshop.\n"
        "2. Northwind will lend three robots to Harbor\u037e Harbor will insure them.\n"
        "3. Northwind will train the teachers\uff1b Harbor will pay their travel.\n"
    )
    assert [c.party for c in rules(text)] == ["Harbor", "Northwind", "Harbor", "Northwind", "Harbor"]


def test_english_nor_opens_another_prohibition() -> None:
    text = (
        _EN_PARTIES
        + "4. Harbor shall not copy the course software or its manuals nor lend the course robots to any third party.\n"
    )
    assert [(c.party, c.action) for c in rules(text)] == [
        ("Harbor", "not copy the course software or its manuals"),
        ("Harbor", "not lend the course robots to any third party."),
    ]


def test_english_joint_committees_written_with_the_article_act_for_both() -> None:
    text = _EN_PARTIES + (
        '1. The Parties will form a joint steering committee ("JSC").\n'
        "2. The JSC will review the progress of each study every quarter.\n"
        "3. The Technical Committee shall report to the JSC on the results.\n"
    )
    assert [c.party for c in rules(text)] == ["both", "both", "both"]


def test_english_passive_with_the_party_as_agent() -> None:
    text = _EN_PARTIES + "5. The travel costs of the visiting engineers shall be borne by the Harbor.\n"
    assert [c.party for c in rules(text)] == ["Harbor"]


def test_english_would_is_a_modal_in_memoranda() -> None:
    text = _EN_PARTIES + (
        "1. Harbor would be responsible for the pumps that carry the water to its users.\n"
        "2. Northwind would receive one third of the monthly fee.\n"
    )
    # what a party would receive is what the other party pays (LABELLING.md, Commitments 5: who pays)
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("Harbor", "Harbor would be responsible for the pumps that carry the water to its users."),
        ("Harbor", "Northwind would receive one third of the monthly fee."),
    ]


def test_english_noun_phrase_items_under_a_services_lead_in() -> None:
    text = _EN_PARTIES + (
        "3. Harbor's Services\n\n"
        "Harbor undertakes to provide the following consultancy and services to Northwind:\n\n"
        "3.1 Research, testing and maintenance of the relevant robots;\n\n"
        "3.2 Design the course plan;\n\n"
        "3.3 Other services as agreed by the Parties.\n\n"
        "4. Topics\n\n"
        "The following topics are covered:\n\n"
        "4.1 Robot safety and maintenance rules.\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("Harbor", "Research, testing and maintenance of the relevant robots"),
        ("Harbor", "Design the course plan"),
        ("Harbor", "Other services as agreed by the Parties."),
    ]


def test_english_noun_phrase_items_under_cooperate_in() -> None:
    text = _EN_PARTIES + (
        "2. Areas of cooperation\n\n"
        "The Parties will cooperate in:\n\n"
        "(a) joint research on marine robotics;\n\n"
        "(b) exchange of staff and students;\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("both", "joint research on marine robotics"),
        ("both", "exchange of staff and students"),
    ]


def test_english_dues_of_each_period_and_longer_events() -> None:
    text = _EN_PARTIES + (
        "1. Harbor shall pay the course fees by the 20th of each month.\n"
        "2. Harbor shall furnish a report no later than forty-five days after the end of each Calendar Quarter.\n"
        "3. Northwind shall not hire Harbor staff for a twenty four months (24) following the execution of "
        "this Agreement.\n"
        "4. Northwind shall remove its robots within ninety (90) days after termination of the provisions of "
        "this Agreement related only to the laboratory.\n"
    )
    assert [c.due for c in rules(text)] == [
        "by the 20th of each month",
        "no later than forty-five days after the end of each Calendar Quarter",
        "for a twenty four months (24) following the execution of this Agreement",
        "within ninety (90) days after termination of the provisions of this Agreement related only to the "
        "laboratory",
    ]


def test_english_due_opening_the_sentence_or_the_lead_in() -> None:
    text = _EN_PARTIES + (
        "1. Upon the expiration of this Agreement, Harbor shall immediately stop using the robots, and "
        "shall return them to Northwind.\n"
        "2. Services: During any Services Term (defined below), Northwind shall provide the following "
        "services to Harbor:\n"
        "(a) Provide two engineers for the workshop.\n"
        "3. Harbor shall promptly notify Northwind of any damage.\n"
    )
    assert [(c.party, c.due) for c in rules(text)] == [
        ("Harbor", "Upon the expiration of this Agreement"),
        ("Harbor", "Upon the expiration of this Agreement"),
        ("Northwind", "During any Services Term"),
        ("Harbor", "promptly"),
    ]


def test_english_titles_before_names_do_not_end_a_sentence() -> None:
    text = (
        'This Agreement is made between Harbor College ("Harbor") and Michael Reed ("Dr. Reed").\n'
        "3. Dr. Reed shall not assist in developing any competing course.\n"
        "4. Harbor shall not have any rights in or to Dr. Reed's name.\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("Dr. Reed", "Dr. Reed shall not assist in developing any competing course."),
    ]


def test_english_neither_nor_lists_and_subjects_after_a_condition() -> None:
    text = (
        'This Agreement is made between Northwind Labs Inc. ("Northwind"), Harbor College ("Harbor") and '
        'Michael Reed ("Dr. Reed").\n'
        "7. Confidentiality. Neither Northwind, Harbor nor Dr. Reed shall disclose the course materials.\n"
        "8. If a disclosure is required, then Harbor and Dr. Reed shall cause the recipient to sign a "
        "non-disclosure agreement.\n"
    )
    assert [c.party for c in rules(text)] == ["all", "Harbor and Dr. Reed"]


def test_english_means_listed_after_by_and_services_lead_in_ending_in_a_full_stop() -> None:
    text = _EN_PARTIES + (
        "1) Duties of Harbor\n"
        "Harbor agrees to use its best efforts to promote and support the course of Northwind by:\n"
        "a. Listing Northwind in all course materials as a partner\n"
        "b. Provide timely answers to questions posed by Northwind.\n"
        "2) Duties of Northwind\n"
        "Northwind will use its best efforts to provide the following services to Harbor.\n"
        "a. Lend two robots for each course.\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("Harbor", "Listing Northwind in all course materials as a partner"),
        ("Harbor", "Provide timely answers to questions posed by Northwind."),
        ("Northwind", "Lend two robots for each course."),
    ]


def test_english_intent_effort_and_miscellaneous_boilerplate() -> None:
    text = _EN_PARTIES + (
        "1. Harbor intends to open a second laboratory.\n"
        "2. Northwind is interested in offering the course abroad.\n"
        "3. Northwind endeavours to answer every request within two days.\n"
        "9. Miscellaneous\n"
        "9.1 The Parties shall execute any further documents reasonably necessary to carry out this Agreement.\n"
        "9.2 This Agreement shall be construed without regard to the party that prepared it.\n"
        "9.3 The rights and obligations of each Party shall not be transferred without consent.\n"
        "9.4 The Parties confirm that this Agreement shall constitute all understanding of the Parties.\n"
    )
    assert [c.party for c in rules(text)] == ["Northwind", "both"]


def test_english_another_subject_after_and_under_such_circumstances() -> None:
    text = _EN_PARTIES + (
        "4. Harbor may bill the students directly, and under such circumstances Northwind shall bill Harbor "
        "the agreed amount.\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("Northwind", "Northwind shall bill Harbor the agreed amount."),
    ]


def test_english_passive_whose_agent_is_only_in_a_relative_clause_is_about_a_thing() -> None:
    text = _EN_PARTIES + (
        "6. The funds of the course will be placed in such accounts as will be designated by Harbor.\n"
        "8. The course reports shall be submitted by Harbor to the board.\n"
    )
    assert [(c.party, c.action) for c in rules(text)] == [
        ("Harbor", "be submitted by Harbor to the board."),
    ]


def test_english_what_a_party_is_rather_than_does() -> None:
    text = _EN_PARTIES + (
        '1. The Parties agree that Harbor will be the "host" of the workshops.\n'
        "2. Any copy of the course software shall be deemed a breach by Northwind.\n"
        "3. Harbor shall have the ability to request further reports.\n"
        "4. Northwind shall be fully liable for damage to the robots.\n"
        "5. Northwind will also have the option to buy the robots back.\n"
        "6. Harbor will have up to five years from delivery to return the robots.\n"
        "7. All lodging will be the responsibility of Harbor.\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("Harbor", "All lodging will be the responsibility of Harbor."),
    ]


def test_english_bullets_run_into_a_line_start_sentences() -> None:
    text = _EN_PARTIES + (
        "5. The workshop will be the second phase of the course. \u25cfHarbor will inform Northwind of every "
        "new student \u25cfNorthwind will lend the robots.\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("Harbor", "Harbor will inform Northwind of every new student"),
        ("Northwind", "Northwind will lend the robots."),
    ]


def test_english_comma_list_of_verb_phrases_after_a_modal() -> None:
    text = _EN_PARTIES + (
        "3. Harbor will actively promote the course, improve its laboratories, increase local enrolment and "
        "enhance the teachers' training.\n"
    )
    assert [c.action for c in rules(text)] == [
        "actively promote the course",
        "improve its laboratories",
        "increase local enrolment",
        "enhance the teachers' training.",
    ]


def test_english_the_party_paid_is_not_the_one_who_pays() -> None:
    text = _EN_PARTIES + (
        "1. If Northwind ends the course early, Harbor shall be reimbursed the amount spent on the rooms.\n"
        "2. Northwind shall be paid by Harbor within thirty (30) days.\n"
    )
    assert [c.party for c in rules(text)] == ["Northwind", "Harbor"]


def test_english_tasks_of_a_committee_listed_after_a_colon() -> None:
    text = _EN_PARTIES + (
        "4. The Parties shall form a Technical Committee of one member of each Party.\n"
        "The tasks assigned to the Technical Committee are to: a. propose new projects to the Parties; "
        "b. review the progress of each project; c. report every six months on the results achieved.\n"
    )
    found = [(c.party, c.quote) for c in rules(text)]
    assert ("both", "propose new projects to the Parties") in found
    assert ("both", "review the progress of each project") in found
    assert ("both", "report every six months on the results achieved.") in found


def test_english_middle_initial_does_not_end_a_sentence_but_a_party_letter_does() -> None:
    text = (
        'This Agreement is made between Northwind Labs Inc. ("Party A") and Harbor College ("Party B").\n'
        "1. Party B, represented by Dr. Jane K. Moore and Tom Price, will assist in the design of the plant.\n"
        "2. The fees are paid by Party A. Party B shall deliver the report within ten days.\n"
    )
    found = [(c.party, c.quote) for c in rules(text)]
    assert (
        "Party B",
        "Party B, represented by Dr. Jane K. Moore and Tom Price, will assist in the design of the plant.",
    ) in found
    assert ("Party B", "Party B shall deliver the report within ten days.") in found


def test_english_together_with_and_an_affiliate_join_the_parties() -> None:
    text = _EN_PARTIES + (
        "1. Harbor and/or its Principal Investigator together with Northwind and the contractor will run "
        "the trial.\n"
        "2. Northwind (or its affiliate) and Harbor's affiliate shall negotiate the terms of a supply agreement.\n"
    )
    assert [c.party for c in rules(text)] == ["both", "both"]


def test_english_items_the_parties_agree_of_a_thing_bind_them() -> None:
    text = _EN_PARTIES + (
        "6. During the term of this Agreement and for a period of three (3) years thereafter, the Parties each "
        "agree that the samples of the disclosing party: (i) shall be kept in a locked store, (ii) shall be used "
        "only for the tests, and (iii) will not be sold by the recipient party.\n"
    )
    found = [(c.party, c.quote, c.due) for c in rules(text)]
    due = "During the term of this Agreement and for a period of three (3) years thereafter"
    assert ("both", "shall be kept in a locked store", due) in found
    assert ("both", "shall be used only for the tests", due) in found
    assert ("both", "will not be sold by the recipient party.", due) in found


def test_english_due_event_with_no_comma_before_the_subject() -> None:
    text = _EN_PARTIES + (
        "2. Within 30 days of the execution of this agreement both companies agree to finalize a marketing plan.\n"
        "3. No activity of Harbor during the term of this Agreement shall conflict with its duties here.\n"
    )
    dues = [c.due for c in rules(text)]
    assert dues[0] == "Within 30 days of the execution of this agreement"


def test_english_payee_among_three_parties_is_paid_by_the_party_that_pays_it_before() -> None:
    text = (
        'This Agreement is made between Alder Foods Inc. ("Alder"), Birch Brands Inc. ("Birch") and '
        'Carol Smith ("Dr. Smith").\n'
        "1. Birch will pay Dr. Smith $5,000 per month for her advice.\n"
        "2. Each year, Dr. Smith will be paid a royalty on the net sales of the products she develops.\n"
    )
    assert [c.party for c in rules(text)] == ["Birch", "Birch"]


def test_english_list_at_the_level_of_its_lead_in_takes_its_party() -> None:
    text = _EN_PARTIES + (
        "A. Term. The term is one year.\n"
        "B. Services. Harbor agrees to provide the following services to Northwind:\n\n"
        "i. Identify new technologies from universities for Northwind.\n\n"
        "ii. Review the licensing opportunities for Northwind.\n\n"
        "iii. Present the opportunities to Northwind.\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("Harbor", "Identify new technologies from universities for Northwind."),
        ("Harbor", "Review the licensing opportunities for Northwind."),
        ("Harbor", "Present the opportunities to Northwind."),
    ]


def test_english_shall_have_no_power_is_no_undertaking() -> None:
    text = _EN_PARTIES + (
        "7. Harbor shall have no power to enter into any agreement on behalf of Northwind.\n"
        "8. Harbor shall keep the samples in a locked store.\n"
    )
    assert [c.quote for c in rules(text)] == ["Harbor shall keep the samples in a locked store."]


def test_english_authority_held_and_a_period_to_cure_are_no_undertakings() -> None:
    text = _EN_PARTIES + (
        "9. Harbor shall have full and complete control over all patent matters.\n"
        "10. The defaulting party shall have a period of sixty (60) days after receipt of such notice to cure.\n"
        "11. Northwind shall file the patent applications.\n"
    )
    assert [c.quote for c in rules(text)] == ["Northwind shall file the patent applications."]


def test_english_roman_article_headings_with_a_dash_are_clauses() -> None:
    text = _EN_PARTIES + (
        "I - DEFINITIONS\n"
        '1.1 "Product" means the ointment.\n'
        "II - WORK BY NORTHWIND\n"
        "2.1 Northwind will perform the additional studies.\n"
        "III - COMPLIANCE WITH LAWS\n"
        "Both Northwind and Harbor shall observe all applicable laws.\n"
    )
    clauses = extract(text, mode="rules").clauses
    assert [(c.number, c.heading, c.path) for c in clauses if c.level == 1] == [
        ("I", "DEFINITIONS", "I"),
        ("II", "WORK BY NORTHWIND", "II"),
        ("III", "COMPLIANCE WITH LAWS", "III"),
    ]
    assert [c.path for c in clauses if c.level == 2] == ["I > 1.1", "II > 2.1"]


def test_english_survival_exceptions_permissions_and_waivers_are_no_undertakings() -> None:
    text = _EN_PARTIES + (
        "4.3 The obligation of the Parties in this Article IV shall survive the termination of this Agreement.\n"
        "4.4 Both Parties shall, if desired, be allowed to participate at their own expense in any action.\n"
        "5.1 The obligation not to disclose shall not apply to information that is publicly available.\n"
        "5.2 All information disclosed to Harbor shall be considered confidential regardless of designation.\n"
        "6.1 Neither Party shall have any authority to bind the other Party in any way.\n"
        "6.2 Each Party irrevocably waives any objection to the laying of venue of any action in New York.\n"
        "6.3 Harbor shall keep the samples in a locked store.\n"
    )
    assert [c.quote for c in rules(text)] == ["Harbor shall keep the samples in a locked store."]


def test_english_study_objectives_under_a_lead_in_are_not_the_party_s_tasks() -> None:
    # The lead-in's modal is in a sentence of its own whose subject is the study, not the party named before.
    text = _EN_PARTIES + (
        "2.1 A joint team shall be constituted, chaired by a Board member of Harbor, to undertake this study. "
        "The objectives of the study will be to:\n"
        "a) build a picture of the key market participants;\n"
        "b) identify what alliances could be formed;\n"
        "c) gather market information on pricing points.\n"
        "2.2 Harbor shall present the market entry plan to Northwind.\n"
    )
    assert [c.quote for c in rules(text) if c.party == "Harbor"] == [
        "Harbor shall present the market entry plan to Northwind."
    ]


def test_english_enumerated_actions_after_one_modal_are_each_an_undertaking() -> None:
    text = _EN_PARTIES + (
        "14.2 In the event of a Force Majeure Event, the Party unable to perform will, i) promptly notify the "
        "other Party, ii) provide an estimate of the duration of the delay, iii) use its best efforts to resume "
        "performance as quickly as possible, and iv) suspend performance only for the period necessary.\n"
    )
    found = rules(text)
    assert [c.quote.split(" ")[0] for c in found] == ["the", "provide", "use", "suspend"]
    assert {c.party for c in found} == {"either"}
    assert found[2].due == "as quickly as possible"


def test_english_second_verb_after_a_wrapped_line_or_an_adverb_is_split() -> None:
    text = _EN_PARTIES + (
        "5.4 Harbor shall participate at fairs and events and generally undertake all\n"
        "promotional activities that are required in order to promote the product;\n"
        "6.5 Northwind shall define the warranty conditions for the Products\n"
        "and work with Harbor to provide the information necessary to secure insurance cover.\n"
    )
    assert [c.quote for c in rules(text)] == [
        "Harbor shall participate at fairs and events",
        "generally undertake all\npromotional activities that are required in order to promote the product",
        "Northwind shall define the warranty conditions for the Products",
        "work with Harbor to provide the information necessary to secure insurance cover.",
    ]


def test_english_term_and_a_period_after_it_are_one_due() -> None:
    text = _EN_PARTIES + (
        "12.1 Both Parties agree that during the Term of this Agreement and for a period of two (2) years "
        "following the termination, both Parties will not solicit any employee of the other Party.\n"
    )
    assert [c.due for c in rules(text)] == [
        "during the Term of this Agreement and for a period of two (2) years following the termination"
    ]


def test_chinese_clause_number_alone_on_its_line_keeps_the_text_below_it() -> None:
    # "第二条" on a line of its own, the undertaking in the paragraph below it.
    text = (
        "甲方：某外国公司\n乙方：某中国公司\n\n第一条\n\n乙方负责派遣工程师三名。\n\n"
        "第二条\n\n甲方负责安排机票。\n\n第三条\n甲方负责提供住宿。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("乙方", "乙方负责派遣工程师三名"),
        ("甲方", "甲方负责安排机票"),
        ("甲方", "甲方负责提供住宿"),
    ]


def test_chinese_costs_a_party_bears_with_fu_dan() -> None:
    text = (
        "甲方：某外国公司\n乙方：某中国公司\n"
        "一、甲方负担乙方人员往返的国际旅费。\n二、培训费由乙方负担。\n三、乙方应减轻甲方的负担。\n"
    )
    found = [(c.party, c.quote) for c in rules(text)]
    assert ("甲方", "甲方负担乙方人员往返的国际旅费") in found
    assert ("乙方", "培训费由乙方负担") in found


def test_chinese_lead_in_that_agrees_to_a_list_is_not_itself_an_undertaking() -> None:
    # "在…期间，甲方同意：" opens the list: the items are the undertakings, the period is no party's act.
    text = (
        "甲方：某外国公司\n乙方：某中国公司\n"
        "第六条\n甲、乙双方执行合同期间，甲方同意：\n１．为乙方人员免费提供住宿；\n２．处理一切善后事宜。\n"
        "第七条\n在合同期间内，乙方人员因工伤致残时，甲方同意：\n（１）负担所产生的费用。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("甲方", "为乙方人员免费提供住宿"),
        ("甲方", "处理一切善后事宜"),
        ("甲方", "负担所产生的费用"),
    ]


def test_chinese_promise_before_a_comma_gives_its_subject_to_the_action_after_it() -> None:
    text = "甲方：某医生\n乙方：某网络科技公司\n一、乙方承诺，将使用互联网渠道进行宣传推广。\n"
    assert [(c.party, c.quote) for c in rules(text)] == [("乙方", "将使用互联网渠道进行宣传推广")]


def test_chinese_defaulting_party_pays_the_penalty_either() -> None:
    text = (
        "甲方：某公司\n乙方：某研究所\n"
        "七、任何一方不按照合同约定进行投资，造成研究开发工作停滞的，违约方应向另一方支付项目总额百分之五的违约金。\n"
    )
    [found] = rules(text)
    assert found.party == "either"
    assert found.conditional
    assert found.quote.endswith("违约方应向另一方支付项目总额百分之五的违约金")


def test_chinese_fields_of_a_form_are_no_undertakings() -> None:
    text = (
        "甲方：\n地址：\n电话：　　　　传真：\n乙方：\n电话：　　　　传真：\n"
        "一、服务内容：课题思路设计及写作咨询指导服务\n二、乙方负责提供咨询报告。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [("乙方", "乙方负责提供咨询报告")]


def test_chinese_what_a_party_is_and_the_term_of_cooperation_are_no_undertakings() -> None:
    text = (
        "甲方：某医院\n乙方：某公司\n一、乙方为公派出国留学人员。\n"
        "二、合作期限\n合作期限为1年，从2015年7月1日起至2016年6月30日止。\n"
        "三、甲方负责安排专家出诊。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [("甲方", "甲方负责安排专家出诊")]


def test_chinese_due_before_an_event() -> None:
    text = (
        "甲方：某医生\n乙方：某网络科技公司\n"
        "一、乙方承诺在使用任何信息和图片以前都征求甲方的同意。\n"
        "二、在离开中国前，乙方向甲方提出咨询报告初稿。\n"
    )
    assert [(c.party, c.due) for c in rules(text)] == [
        ("乙方", "在使用任何信息和图片以前"),
        ("乙方", "在离开中国前"),
    ]


def test_english_parties_called_as_the_term_and_a_term_after_a_postal_code() -> None:
    text = (
        "This Mobile Application Development Agreement is made and effective from 5th Day of March, 2019\n"
        "BETWEEN:\n"
        "Kestrel Asia Ltd. (hereinafter called as the “KAL”), located at 397 Hennessy Road, Hong Kong.\n"
        'AND:\nMs. Chen Wei and Mr. Gu Lin (hereinafter called as the "Developer"), private software developers.\n'
        "1. KAL shall pay the Developer within 7 days of handover.\n"
    )
    found = extract(text, mode="rules")
    assert [p.label for p in found.parties] == ["KAL", "Developer"]
    assert str(found.signed_on) == "2019-03-05"
    second = (
        "This agreement is entered into as of May 18, 2010 by and between Phoenix Racing, LLC, 481 Main Road, "
        'Phoenixville, PA 19460 ("Vendor") and Torque Inc., a New York corporation located at 1999 Mt Read Blvd, '
        "Rochester, NY. 14615 (Torque).\n"
        "1. Torque will provide to Vendor the use of two differential units.\n"
    )
    assert [p.label for p in extract(second, mode="rules").parties] == ["Vendor", "Torque"]


def test_english_rights_held_after_a_long_aside_and_what_a_schedule_constitutes_are_no_undertakings() -> None:
    text = _EN_PARTIES + (
        "13. Northwind shall, in the event of Harbor committing any breach of the terms of this agreement or for "
        "any other reason considered as sufficient, be entitled to terminate this agreement by two weeks' notice.\n"
        "14. The schedule set forth in Exhibit A will constitute invoicing for the events.\n"
        "15. Each party shall have a non-exclusive, royalty free, non-transferable license to use the name of the "
        "other party.\n"
        "16. Harbor shall keep the samples in a locked store.\n"
    )
    assert [c.quote for c in rules(text)] == ["Harbor shall keep the samples in a locked store."]


def test_english_enumeration_continued_after_a_semicolon_keeps_its_party_and_period() -> None:
    text = _EN_PARTIES + (
        "6. The party receiving permission to use a trademark will (i) follow all reasonable instructions from "
        "the owner regarding that trademark; and (ii) take all reasonable steps to protect it.\n"
        "12.1 Both Parties agree that during the Term of this Agreement and for a period of two (2) years "
        "following the termination, both Parties will not (i) solicit any employee of a Party; or (ii) interfere "
        "in any manner with the employment relationship between the Parties and their employees.\n"
    )
    found = rules(text)
    assert [(c.party, c.quote.split(" ")[0]) for c in found] == [
        ("either", "The"),
        ("either", "take"),
        ("both", "Both"),
        ("both", "interfere"),
    ]
    assert (
        found[3].due
        == "during the Term of this Agreement and for a period of two (2) years following the termination"
    )


def test_chinese_short_item_without_a_full_stop_is_an_undertaking_not_a_title() -> None:
    # "２、甲方向乙方支付软件单价" ends its line without punctuation, like a title; a party and its verb make it
    # an undertaking, a noun phrase ("乙方提供的软件包装") stays a title.
    text = (
        "甲方：\n乙方：\n二、协议概述\n１、乙方提供软件名称为：\n２、甲方向乙方支付软件单价\n"
        "３、乙方提供的软件包装\n三、乙方提供的服务\n１、乙方负责培训。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("乙方", "乙方提供软件名称为"),
        ("甲方", "甲方向乙方支付软件单价"),
        ("乙方", "乙方负责培训"),
    ]


def test_chinese_copies_of_a_report_are_no_copies_of_the_agreement() -> None:
    # "一式五份" of a report is part of the undertaking; "本合同一式两份" is the closing boilerplate.
    text = (
        "甲方：某公司\n乙方：某外国公司\n"
        "三、乙方应在离开中国后一个月内提出正式咨询报告一式五份，并用英文书就。\n"
        "四、本合同一式两份，双方各执一份。\n"
    )
    [found] = rules(text)
    assert found.party == "乙方"
    assert found.quote.startswith("乙方应在离开中国后一个月内提出正式咨询报告一式五份")


def test_english_unnumbered_colon_headings_and_run_in_titles_are_clauses() -> None:
    text = (
        'This agreement is made effective this 1st day of April, 2018 between Fruit Productions LLC ("Promoter") '
        'and Eco Science Solutions, Inc. ("Sponsor").\n'
        "Contribution by Sponsor:\n"
        "Sponsor agrees to pay the amount of $250,000.00 upon signing of this agreement.\n"
        "Terms and Termination:\n"
        "The term of this agreement will begin on April 1, 2018 and continue until April 30, 2018.\n"
        "Exhibiting:\n"
        "Sponsors must have their own liability insurance with limits of one million dollars.\n"
        "Banners: Sponsors are responsible for creating their own banners and for hanging them.\n"
        "Confidentiality\n"
        "Each party shall restrict disclosure of the other party's information to its employees.\n"
        "Address:\n16115 SW 117th Ave.\n"
    )
    clauses = extract(text, mode="rules").clauses
    assert [(c.heading, c.level, c.path) for c in clauses] == [
        ("Contribution by Sponsor", 1, "Contribution by Sponsor"),
        ("Terms and Termination", 1, "Terms and Termination"),
        ("Exhibiting", 1, "Exhibiting"),
        ("Banners", 2, "Exhibiting > Banners"),
        ("Confidentiality", 1, "Confidentiality"),
    ]


def test_english_benefits_and_insurance_lists_take_the_party_of_their_lead_in() -> None:
    text = _EN_PARTIES + (
        "1. Benefits. During the term of this Agreement Harbor shall cause its team to provide for Northwind's "
        "benefit all of the benefits customarily associated with the sponsorship of a racing team and consistent "
        "with the benefits provided to Northwind in 2005 - 2009 (individually, a “Benefit,” and collectively, the "
        "“Benefits”), including but not limited to the following:\n"
        "(a) displaying the name of Northwind on the race car;\n"
        "(b) making available for the use of Northwind a show car.\n"
        "2. Insurance. Harbor shall obtain and maintain, at its sole expense, the following types of insurance "
        "coverage, with minimum limits as set forth below:\n"
        "(a) Commercial General Liability—$5,000,000 each occurrence.\n"
        "(b) Workers Compensation—statutory limits for all states of operation.\n"
        "3. Rights. Northwind shall be entitled to the following sponsorship benefits:\n"
        "a) Primary sponsorship rights to all race events.\n"
        "b) The right to approve all team markings.\n"
    )
    found = [(c.party, c.quote.split("—")[0].split(" ")[0]) for c in rules(text)]
    assert found == [
        ("Harbor", "displaying"),
        ("Harbor", "making"),
        ("Harbor", "Commercial"),
        ("Harbor", "Workers"),
    ]


def test_english_hereby_agrees_to_in_a_clause_does_not_open_the_body() -> None:
    # Only the preamble's "hereby agree as follows" / "hereby agree:" opens the body; a party that "hereby
    # agrees to indemnify" in clause 1 does not hide the clauses before it.
    text = _EN_PARTIES + (
        "1. Obligations of Harbor.\n"
        "Harbor shall keep complete books of account.\n"
        "Harbor hereby agrees to indemnify Northwind against all claims.\n"
        "2. Reports.\n"
        "Northwind shall deliver a report each year.\n"
    )
    result = extract(text, mode="rules")
    assert [c.number for c in result.clauses if c.level == 1] == ["1.", "2."]
    assert [c.party for c in result.commitments] == ["Harbor", "Harbor", "Northwind"]


def test_english_may_not_is_a_prohibition() -> None:
    text = _EN_PARTIES + (
        "1. Use.\n"
        "Harbor may not sublicense the software without the prior written consent of Northwind.\n"
        "Harbor may use the software at its campus.\n"
        "Northwind may not be required to provide updates.\n"
    )
    (commitment,) = rules(text)
    assert commitment.party == "Harbor" and commitment.action.startswith("not ")


def test_english_passives_without_an_agent_bind_from_context() -> None:
    text = _EN_PARTIES + (
        "1. Reports.\n"
        "1.1 Monthly progress reports shall be delivered to Northwind by the fifth business day of each month.\n"
        "1.2 All samples shall be returned to Harbor upon termination of this Agreement.\n"
        "1.3 Meetings of the parties shall be held at least twice a year.\n"
        "1.4 The costs of the joint audit will be shared equally.\n"
        "1.5 The fiscal year shall be the calendar year.\n"
        "1.6 Northwind shall be notified in writing of any change to the protocol.\n"
        "1.7 Harbor shall be given access to the test data upon reasonable notice.\n"
    )
    found = [(c.party, c.quote.split()[1]) for c in rules(text)]
    assert found == [
        ("Harbor", "progress"),
        ("Northwind", "samples"),
        ("both", "of"),
        ("both", "costs"),
        ("Harbor", "shall"),
        ("Northwind", "shall"),
    ]


def test_english_gerund_items_under_a_party_heading() -> None:
    text = _EN_PARTIES + (
        "3. Harbor's Responsibilities.\n"
        "(a) Furnishing technical assistance to Northwind as reasonably requested;\n"
        "(b) Maintaining the laboratory in good working order;\n"
        "(c) Marketing Plan.\n"
        "4. Term.\n"
        "Following the first year, the parties shall meet.\n"
    )
    found = [(c.party, c.quote.split()[0]) for c in rules(text)]
    assert found == [("Harbor", "Furnishing"), ("Harbor", "Maintaining"), ("both", "Following")]


def test_english_dues_as_agreements_write_them() -> None:
    text = _EN_PARTIES + (
        "1. Payments.\n"
        "1.1 Northwind shall pay royalties on or before January 31 of each year.\n"
        "1.2 Harbor shall send Northwind a copy of any paper at least thirty (30) days prior to submission.\n"
        "1.3 Northwind shall give notice seven business days in advance.\n"
        "1.4 Harbor shall keep the records for a period of three (3) years.\n"
        "1.5 The parties shall agree a plan by the end of the first Contract Year.\n"
        "1.6 Harbor shall take part in the trade fair in March, 2024.\n"
        "1.7 Northwind shall pay the fee on the first business day of each month.\n"
        "1.8 Harbor shall notify Northwind on or prior to the Closing Date.\n"
    )
    assert [c.due for c in rules(text)] == [
        "on or before January 31 of each year",
        "at least thirty (30) days prior to submission",
        "seven business days in advance",
        "for a period of three (3) years",
        "by the end of the first Contract Year",
        "in March, 2024",
        "on the first business day of each month",
        "on or prior to the Closing Date",
    ]


def test_english_pronoun_after_a_condition_stands_for_its_subject() -> None:
    text = _EN_PARTIES + (
        "1. Security.\n"
        "If Harbor learns of any security breach, it shall notify Northwind within twenty-four (24) hours.\n"
        "In the event that one party is required to make an announcement, it shall send a copy to the other.\n"
        "If the weather is bad, it will be postponed.\n"
    )
    found = [(c.party, c.quote.split(",")[0], c.conditional) for c in rules(text)]
    assert found == [
        ("Harbor", "If Harbor learns of any security breach", True),
        ("either", "In the event that one party is required to make an announcement", True),
    ]


def test_english_an_aside_after_the_modal_does_not_cut_the_undertaking() -> None:
    text = _EN_PARTIES + (
        "1. Licences.\n"
        "Harbor shall, at its own expense, obtain all necessary licences.\n"
        "Northwind will, upon request, provide copies of the permits.\n"
    )
    assert [c.quote for c in rules(text)] == [
        "Harbor shall, at its own expense, obtain all necessary licences.",
        "Northwind will, upon request, provide copies of the permits.",
    ]


def test_english_noun_items_after_a_lead_in_colon_in_one_paragraph() -> None:
    text = _EN_PARTIES + (
        "2. Support. Harbor will provide Northwind with the following: (i) telephone support during business "
        "hours; (ii) monthly traffic reports; and (iii) a dedicated account manager.\n"
        "3. Costs. Northwind will pay all costs to: (a) build the site; (b) the hosting fees.\n"
    )
    found = [(c.party, c.quote) for c in rules(text)]
    assert found[1:4] == [
        ("Harbor", "monthly traffic reports"),
        ("Harbor", "a dedicated account manager."),
        ("Northwind", "Northwind will pay all costs to: (a) build the site"),
    ]
    assert found[0][0] == "Harbor" and found[0][1].endswith("(i) telephone support during business hours")


def test_english_roles_in_the_plural_and_the_investigator_of_the_institution() -> None:
    text = (
        'This Agreement is made between Kestrel Biotech Inc. ("Sponsor") and Lakeshore University '
        '("University").\n'
        "1. Exhibitors.\n"
        "Sponsors are responsible for creating their own banners.\n"
        "2. Study.\n"
        "The Principal Investigator shall submit a final report to Sponsor.\n"
    )
    assert [c.party for c in rules(text)] == ["Sponsor", "University"]


def test_chinese_dues_by_month_quarter_event_before_and_range_end() -> None:
    # deadlines without a day, events the work comes before (also the agreement's own end, with notice
    # ahead), the end of a date range, 每个季度, and 的 between an event and its period
    text = (
        "甲方：某市科学技术局\n乙方：某理工大学\n"
        "一、乙方应于2031年9月前完成首批学员招收。\n"
        "二、乙方应于2031年第三季度前完成样机研制。\n"
        "三、乙方应于项目验收前完成全部调试工作。\n"
        "四、乙方应在合同期满前三十日向甲方移交全部技术档案。\n"
        "五、甲方须在每学期开学前两周提供课程安排。\n"
        "六、乙方应于2031年3月1日至2031年6月30日期间完成现场施工。\n"
        "七、乙方应于每个季度末前提交进度报告。\n"
        "八、甲方应当在收到发票后的十五日内支付服务费。\n"
    )
    assert [c.due for c in rules(text)] == [
        "2031年9月前",
        "2031年第三季度前",
        "于项目验收前",
        "在合同期满前三十日",
        "在每学期开学前两周",
        "2031-06-30",
        "每个季度末前",
        "在收到发票后的十五日内",
    ]


def test_english_a_full_stop_at_a_full_line_end_ends_the_sentence() -> None:
    # Lines as long as the text's usual width are read as hard-wrapped, unless a word and a full stop end
    # them and a capital opens the next ("… Inc." and "No." still run on).
    line = "Harbor shall keep the laboratory notebooks of every project in a locked room on its campus."
    text = _EN_PARTIES + (
        "1. Records.\n"
        "Harbor shall store every sample that Northwind sends under this Agreement in the\n"
        "freezers of its laboratory and shall label each sample with the number of its\n"
        "batch and the date on which it arrived at the laboratory of Harbor College.\n"
        f"{line}\n"
        "Northwind shall deliver the samples of the second batch to the laboratory of Harbor College.\n"
        "The reagents were bought from a supplier named Lumen Reagents Co.\n"
        "Harbor shall test them within thirty (30) days after delivery and report the results in writing.\n"
    )
    quotes = [c.quote for c in rules(text)]
    assert line in quotes
    assert (
        "Northwind shall deliver the samples of the second batch to the laboratory of Harbor College."
        in quotes
    )
    assert quotes[-1].startswith("The reagents were bought") is False


def test_english_will_not_and_will_cause_others_not_to_is_one_undertaking() -> None:
    text = _EN_PARTIES + (
        "1. Records.\nHarbor will not, and will cause its affiliates not to, disclose student records.\n"
    )
    (commitment,) = rules(text)
    assert commitment.party == "Harbor" and commitment.quote.endswith("disclose student records.")


def test_english_bullets_under_a_lead_in_of_the_same_clause() -> None:
    text = _EN_PARTIES + (
        "3. Joint Activities.\n"
        "The Parties will:\n"
        "• Share information on funding opportunities;\n"
        "• Meet at least twice per year to review progress; and\n"
        "• Jointly seek external funding for research.\n"
        "4. Background.\n"
        "The region has three universities:\n"
        "• Several colleges serve the region.\n"
    )
    assert [(c.party, c.quote.split()[0]) for c in rules(text)] == [
        ("both", "Share"),
        ("both", "Meet"),
        ("both", "Jointly"),
    ]


def test_english_it_after_a_warranty_stands_for_the_warranting_party() -> None:
    text = _EN_PARTIES + (
        "5. Warranties.\n"
        "In addition, Harbor represents and warrants that (i) it has the authority to sign this Agreement and "
        "(ii) it will perform the services in a professional manner.\n"
    )
    (commitment,) = rules(text)
    assert commitment.party == "Harbor"


def test_chinese_time_limits_in_hours_open_the_action_and_are_no_condition() -> None:
    # 时 of 小时 is no "when"; a period before an event (在…前48小时以内) is the due as written
    text = (
        "技术服务合同\n甲方：某市中心医院\n乙方：某信息技术有限公司\n第二条 乙方的义务\n"
        "（一）免费培训甲方操作人员；\n"
        "（二）在接到故障报告后二十四小时内派员到场处理；\n"
        "（三）二十四小时内提供远程技术支持；\n"
        "（四）在设备验收前十日内提交操作手册；\n"
        "（五）必须于合同届满之前十日内提交总结报告。\n"
    )
    assert [(c.quote, c.due) for c in rules(text)] == [
        ("免费培训甲方操作人员", None),
        ("在接到故障报告后二十四小时内派员到场处理", "在接到故障报告后二十四小时内"),
        ("二十四小时内提供远程技术支持", "二十四小时内"),
        ("在设备验收前十日内提交操作手册", "在设备验收前十日内"),
        ("必须于合同届满之前十日内提交总结报告", "于合同届满之前十日内"),
    ]


def test_chinese_umbrella_gives_way_to_the_items_it_introduces() -> None:
    # "乙方承诺提供以下服务：" introduces its items, which are the undertakings; over blank items the
    # umbrella stays
    text = (
        "技术服务合同\n甲方：某市中心医院\n乙方：某信息技术有限公司\n"
        "第一条 服务\n乙方承诺提供以下服务：\n（一）免费培训甲方操作人员；\n（二）每季度上门巡检一次。\n"
        "第二条 甲方的义务\n甲方应履行下列义务：\n（一）＿＿＿＿＿＿＿＿；\n（二）＿＿＿＿＿＿＿＿。\n"
    )
    assert [(c.party, c.quote) for c in rules(text)] == [
        ("乙方", "免费培训甲方操作人员"),
        ("乙方", "每季度上门巡检一次"),
        ("甲方", "甲方应履行下列义务"),
    ]


def test_chinese_dues_no_later_than_a_date_and_the_next_year() -> None:
    text = (
        "甲方：某市科学技术局\n乙方：某理工大学\n"
        "一、乙方应不迟于2031年6月30日提交结题报告。\n"
        "二、乙方最迟不晚于2031年9月30日完成验收。\n"
        "三、甲方应于次年1月31日前支付上一年度服务费。\n"
    )
    assert [c.due for c in rules(text)] == ["2031-06-30", "2031-09-30", "次年1月31日前"]
