"""Parties as real agreements write them, and the kinds real organisations' names say.

Each row is a way an office's agreements lay out or write a party that the labelled corpus has few or
none of: seals beside labels, blanks filled in the signature block, tables, bilingual names, numbered
English parties, signature blocks that alone name the parties; and names of every family an office
meets, with the kind proposed for a new organisation ("other" where the name does not say).
"""

from __future__ import annotations

import pytest

from accord.intake import extract
from accord.intake.party_names import complete_parties
from accord.intake.resolve import RegistryIndex, RegistryOrg, guess_kind, new_kind_in_context, resolve

_ZH_BODY = (
    "一、甲方负责提供场地和经费。\n二、乙方负责派出专家开展研究。\n三、本协议一式两份，双方各执一份。\n"
)
_EN_BODY = "1. The parties shall exchange students.\n2. Each party shall bear its own costs.\n"
_CQU, _YUNFAN = "重庆大学", "重庆云帆科技有限公司"


def names(text: str) -> list[str | None]:
    found = extract(text)
    return [p.name for p in complete_parties(text, found.lang, found.parties)]


@pytest.mark.parametrize(
    "text",
    [
        "合作协议\n甲方（盖章）：重庆大学\n乙方（盖章）：重庆云帆科技有限公司\n" + _ZH_BODY,
        "合作协议\n甲方（签章）：重庆大学\n乙方（签章）：重庆云帆科技有限公司\n" + _ZH_BODY,
        "合作协议\n甲 方 （盖 章）：重庆大学\n乙 方 （盖 章）：重庆云帆科技有限公司\n" + _ZH_BODY,
        "合作协议\n甲方（全称）：重庆大学\n乙方（全称）：重庆云帆科技有限公司\n" + _ZH_BODY,
        "合作协议\n甲方单位：重庆大学\n乙方单位：重庆云帆科技有限公司\n" + _ZH_BODY,
        "合作协议\n甲方：重庆大学 法定代表人：张宗益\n乙方：重庆云帆科技有限公司 法定代表人：李明\n"
        + _ZH_BODY,
        "合作协议\n甲方：重庆大学（以下简称“重大”）\n乙方：重庆云帆科技有限公司（以下简称“云帆公司”）\n"
        + _ZH_BODY,
        "合作协议\n甲方：重庆大学\n住所：重庆市沙坪坝区\n乙方：重庆云帆科技有限公司\n住所：重庆市渝北区\n"
        + _ZH_BODY,
        "合作协议\n委托方（甲方）：重庆大学\n受托方（乙方）：重庆云帆科技有限公司\n" + _ZH_BODY,
        # Bilingual forms: the Chinese name is kept.
        "合作协议\n甲方：重庆大学（Chongqing University）\n乙方：重庆云帆科技有限公司（Chongqing Yunfan Technology Co., Ltd.）\n"
        + _ZH_BODY,
        "合作协议\n甲方：Chongqing University 重庆大学\n乙方：重庆云帆科技有限公司\n" + _ZH_BODY,
        # The label on its own line, the name below (a seal line between them is skipped).
        "合作协议\n甲方\n重庆大学\n乙方\n重庆云帆科技有限公司\n" + _ZH_BODY,
        "合作协议\n甲方：\n乙方：\n"
        + _ZH_BODY * 2
        + "甲方（公章）\n重庆大学\n乙方（公章）\n重庆云帆科技有限公司\n",
        "合作协议\n甲方：\n乙方：\n"
        + _ZH_BODY * 2
        + "甲方：\n（盖章）\n重庆大学\n乙方：\n（盖章）\n重庆云帆科技有限公司\n",
        # Blank header, names in the signature block, with the seal before or after them.
        "合作协议\n甲方：____________\n乙方：____________\n"
        + _ZH_BODY * 2
        + "甲方（盖章）：重庆大学　　　　　乙方（盖章）：重庆云帆科技有限公司\n",
        "合作协议\n甲方：\n乙方：\n"
        + _ZH_BODY * 2
        + "甲方：重庆大学（盖章）\n法定代表人：\n乙方：重庆云帆科技有限公司（盖章）\n",
        "合作协议\n甲方：\n乙方：\n"
        + _ZH_BODY * 2
        + "甲方：（盖章）重庆大学\n乙方：（盖章）重庆云帆科技有限公司\n",
        "合作协议\n甲方：\n乙方：\n"
        + _ZH_BODY * 2
        + "甲方单位（盖章）：重庆大学\n乙方单位（盖章）：重庆云帆科技有限公司\n",
        # No label beside the names at all: the sealed names of the signature block, in order.
        "合作协议\n"
        + _ZH_BODY * 2
        + "重庆大学（盖章）　　　　　　重庆云帆科技有限公司（盖章）\n2020年7月27日\n",
        # Tables: the name beside the label, or under it in the next row.
        "合作协议\n| 甲方名称 | 重庆大学 | 乙方名称 | 重庆云帆科技有限公司 |\n" + _ZH_BODY,
        "合作协议\n| 甲方（盖章） | 乙方（盖章） |\n| 重庆大学 | 重庆云帆科技有限公司 |\n" + _ZH_BODY,
        "合作协议\n甲方名称\t重庆大学\t乙方名称\t重庆云帆科技有限公司\n" + _ZH_BODY,
    ],
)
def test_chinese_parties_as_forms_tables_and_signature_blocks_write_them(text: str) -> None:
    assert names(text)[:2] == [_CQU, _YUNFAN]


_FLAT = "一、甲方负责提供场地和经费。二、乙方负责派出专家开展研究。三、本协议一式两份。"


@pytest.mark.parametrize(
    "text",
    [
        # Files that lost their line breaks: the name ends where a clause or a field starts.
        "合作协议甲方：重庆大学乙方：重庆云帆科技有限公司" + _FLAT,
        "合作协议 甲方：重庆大学 乙方：重庆云帆科技有限公司 " + _FLAT,
        "合作协议甲方(委托方):重庆大学地址:重庆市沙坪坝区乙方(受托方):重庆云帆科技有限公司地址:重庆市渝北区"
        + _FLAT,
        "合作协议\n甲方：重庆大学\t\t乙方：重庆云帆科技有限公司\n" + _FLAT,
        # Names spaced out, quoted, followed by their address or registration number, or a definition.
        "合作协议\n甲方： 重 庆 大 学\n乙方： 重庆云帆科技有限公司\n" + _FLAT,
        "合作协议\n甲方：“重庆大学”\n乙方：“重庆云帆科技有限公司”\n" + _FLAT,
        "合作协议\n甲方：《重庆大学》\n乙方：重庆云帆科技有限公司\n" + _FLAT,
        "合作协议\n甲方：重庆大学，地址：重庆市沙坪坝区沙正街174号\n乙方：重庆云帆科技有限公司，地址：重庆市渝北区\n"
        + _FLAT,
        "合作协议\n甲方：重庆大学\n统一社会信用代码：12100000450400123X\n乙方：重庆云帆科技有限公司\n"
        + _FLAT,
        "合作协议\n甲方：重庆大学（以下称甲方）\n乙方：重庆云帆科技有限公司（以下称乙方）\n" + _FLAT,
        "合作协议\n甲方（以下简称甲方）：重庆大学\n乙方（以下简称乙方）：重庆云帆科技有限公司\n" + _FLAT,
        "合作协议\n本协议由重庆大学（以下简称甲方）与重庆云帆科技有限公司（以下简称乙方）于2020年签订。\n"
        + _FLAT,
        # The parties on the first line, the kind of agreement below it.
        "重庆大学与重庆云帆科技有限公司\n产学研合作协议\n" + _FLAT,
        # Signature blocks set out in columns, or with the contract seal.
        "合作协议\n甲方：\n乙方：\n" + _FLAT * 3 + "\n甲方（盖章）                 乙方（盖章）\n"
        "重庆大学                     重庆云帆科技有限公司\n",
        "合作协议\n甲方：\n乙方：\n"
        + _FLAT * 3
        + "\n甲方：重庆大学（公章）\n乙方：重庆云帆科技有限公司（合同专用章）\n",
        "合作协议\n甲方：________\n乙方：________\n" + _FLAT * 3 + "\n甲方（盖章）：\n重庆大学\n年 月 日\n"
        "乙方（盖章）：\n重庆云帆科技有限公司\n年 月 日\n",
    ],
)
def test_chinese_parties_in_flattened_and_noisy_texts(text: str) -> None:
    assert names(text)[:2] == [_CQU, _YUNFAN]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "科研项目合作协议\n委托单位：重庆云帆科技有限公司\n承担单位：重庆大学\n一、委托单位负责支付经费。\n"
            "二、承担单位负责完成研究。\n",
            [("委托单位", _YUNFAN), ("承担单位", _CQU)],
        ),
        (
            "项目任务书\n项目承担单位：重庆大学\n项目主管部门：重庆市科学技术局\n收款单位：重庆大学\n"
            "一、承担单位按计划完成任务。\n",
            [("项目承担单位", _CQU), ("项目主管部门", "重庆市科学技术局")],
        ),
        (
            "联合培养协议\n培养单位：重庆大学\n合作单位：重庆云帆科技有限公司\n一、培养单位负责招生。\n",
            [("培养单位", _CQU), ("合作单位", _YUNFAN)],
        ),
    ],
)
def test_parties_labelled_by_their_role_as_a_unit(text: str, expected: list[tuple[str, str]]) -> None:
    found = extract(text)
    assert [(p.label, p.name) for p in complete_parties(text, found.lang, found.parties)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The name in brackets after the label, in the preamble's sentence; a role or a seal there is none.
        (
            "战略合作框架协议\n经甲方（重庆大学）乙方（重庆云帆科技有限公司，以下简称云帆）共同探讨，达成如下协议：\n"
            + _ZH_BODY,
            [_CQU, _YUNFAN],
        ),
        ("合作协议\n经甲方（签约医生）乙方（重庆云帆科技有限公司）协商：\n" + _ZH_BODY, [None, _YUNFAN]),
        ("合作协议\n甲方（盖章）乙方（委托方）\n" + _ZH_BODY, [None, None]),
        # The label run into a sentence that describes the body.
        (
            "顾问协议\n甲方重庆云帆科技有限公司是一家提供软件服务的公司。\n乙方系在中国合法注册的执业医师。\n"
            + _ZH_BODY,
            [_YUNFAN, None],
        ),
        ("合作协议\n甲方负责组建研究中心，乙方派出专家。\n" + _ZH_BODY, [None, None]),
        # Labels used in the body, the names only in a table's name column.
        (
            "合作协议\n| 序号 | 单位名称 | 联系人 |\n| 1 | 重庆大学 | 王某 |\n| 2 | 重庆云帆科技有限公司 | 李某 |\n"
            + _ZH_BODY,
            [_CQU, _YUNFAN],
        ),
        # Seal lines: a seal without a colon, a date or a representative beside the name, a blank field
        # between the seal and the name, columns with colons, a signature table.
        ("合作协议\n甲方（盖章）重庆大学\n乙方（盖章）重庆云帆科技有限公司\n" + _ZH_BODY, [_CQU, _YUNFAN]),
        (
            "合作协议\n甲方：\n乙方：\n" + _ZH_BODY * 3 + "甲方（盖章）：重庆大学  日期：2020年1月1日\n"
            "乙方（盖章）：重庆云帆科技有限公司  日期：2020年1月1日\n",
            [_CQU, _YUNFAN],
        ),
        (
            "合作协议\n甲方：\n乙方：\n" + _ZH_BODY * 3 + "甲方（盖章）：                 乙方（盖章）：\n"
            "重庆大学                     重庆云帆科技有限公司\n",
            [_CQU, _YUNFAN],
        ),
        (
            "合作协议\n甲方：\n乙方：\n" + _ZH_BODY * 3 + "甲方（盖章）：\n法定代表人（签字）：\n重庆大学\n"
            "乙方（盖章）：\n重庆云帆科技有限公司\n",
            [_CQU, _YUNFAN],
        ),
        (
            "合作协议\n甲方：\n乙方：\n"
            + _ZH_BODY * 3
            + "| 甲方（盖章）：重庆大学 | 乙方（盖章）：重庆云帆科技有限公司 |\n",
            [_CQU, _YUNFAN],
        ),
    ],
)
def test_chinese_names_written_against_a_label_without_a_colon(text: str, expected: list[str | None]) -> None:
    assert names(text)[:2] == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [("发包人", "承包人"), ("出卖人", "买受人"), ("委托人", "受托人"), ("转让方", "受让方"), ("出租方", "承租方"),
     ("第一方", "第二方"), ("技术转让方", "技术受让方")],
)  # fmt: skip
def test_parties_labelled_by_their_role_in_the_contract(first: str, second: str) -> None:
    text = (
        f"合同\n{first}：重庆大学\n法定代表人：张某\n{second}：重庆云帆科技有限公司\n见证方：重庆市公证处\n"
        + _ZH_BODY
    )
    found = extract(text)
    parties = complete_parties(text, found.lang, found.parties)
    assert [(p.label, p.name) for p in parties] == [(first, _CQU), (second, _YUNFAN)]


def test_a_cover_page_names_the_parties_on_lines_of_their_own() -> None:
    three = (
        "重庆大学\n重庆云帆科技有限公司\n重庆市第九人民医院\n三方合作协议\n为推进合作，三方达成如下协议。\n"
    )
    assert names(three) == [_CQU, _YUNFAN, "重庆市第九人民医院"]
    assert names("重庆大学\n重庆云帆科技有限公司\n合作协议\n" + _ZH_BODY) == [_CQU, _YUNFAN]
    # One body above the title is who issued the form, not two parties.
    assert names("重庆市科学技术局\n科技计划项目合同书\n" + _ZH_BODY) == [None, None]


def test_role_lines_do_not_replace_labels_a_form_leaves_blank() -> None:
    text = "合同\n甲方：\n乙方：\n出租方：重庆大学\n承租方：重庆云帆科技有限公司\n" + _ZH_BODY
    assert [p.label for p in complete_parties(text, "zh", extract(text).parties)][:2] == ["甲方", "乙方"]


def test_a_placeholder_sealed_in_the_signature_block_does_not_fill_a_blank() -> None:
    text = (
        "合作协议\n甲方：\n乙方：重庆大学\n"
        + _ZH_BODY * 2
        + "甲方：xxxxxx公司（盖章）\n乙方：重庆大学（盖章）\n"
    )
    assert names(text) == [None, _CQU]


def test_sealed_names_fill_blanks_only_when_they_are_as_many() -> None:
    text = (
        "合作协议\n"
        + _ZH_BODY * 2
        + "重庆大学（盖章）\n重庆云帆科技有限公司（盖章）\n重庆市万州区人民政府（盖章）\n"
    )
    assert names(text) == [None, None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "COOPERATION AGREEMENT\nThis Agreement is made between Chongqing University (hereinafter 'the University') "
            "and Acme Widgets Co., Ltd. (hereinafter 'the Company').\n1. The University shall do research.\n"
            "2. The Company shall pay the fees.\n",
            ["Chongqing University", "Acme Widgets Co., Ltd."],
        ),
        (
            "MEMORANDUM OF UNDERSTANDING\nBETWEEN\n(1) Chongqing University, a public university in China; and\n"
            "(2) Montana State University, a land-grant university.\n" + _EN_BODY,
            ["Chongqing University", "Montana State University"],
        ),
        (
            "MEMORANDUM OF UNDERSTANDING\nThis MOU is entered into by the City of Bozeman and Montana State University.\n"
            "1. The City shall provide land.\n2. The University shall build.\n",
            ["City of Bozeman", "Montana State University"],
        ),
        (
            "COLLABORATION AGREEMENT\n" + _EN_BODY + "IN WITNESS WHEREOF the parties have signed.\n"
            "For and on behalf of Chongqing University\nSignature: ____\n"
            "For and on behalf of Acme Widgets Co., Ltd.\nSignature: ____\n",
            ["Chongqing University", "Acme Widgets Co., Ltd."],
        ),
        (
            "COLLABORATION AGREEMENT\n" + _EN_BODY + "IN WITNESS WHEREOF the parties have signed.\n"
            "CHONGQING UNIVERSITY\nBy: ____\nName: Zhang\nACME WIDGETS CO., LTD.\nBy: ____\nName: Smith\n",
            ["CHONGQING UNIVERSITY", "ACME WIDGETS CO., LTD."],
        ),
        (
            "AGREEMENT\nParty A: Chongqing University\nAddress: Shapingba\nParty B: Acme Widgets Co., Ltd.\n"
            "Address: Beijing\n" + _EN_BODY,
            ["Chongqing University", "Acme Widgets Co., Ltd."],
        ),
        (
            "AGREEMENT\nParty A (甲方): Chongqing University 重庆大学\nParty B (乙方): Acme Widgets Co., Ltd.\n"
            + _EN_BODY,
            ["Chongqing University", "Acme Widgets Co., Ltd."],
        ),
        # A cover sheet naming each party by its role; a date after the last name of the sentence.
        (
            "SPONSORED RESEARCH AGREEMENT\nSponsor: Pfizer Inc.\nInstitution: The University of Iowa\n"
            "Principal Investigator: Dr. Jane Smith\n" + _EN_BODY,
            ["Pfizer Inc.", "The University of Iowa"],
        ),
        (
            "AGREEMENT\nThis Agreement is made between Pfizer Inc. and Illumina, Inc. on May 1, 2020.\n"
            + _EN_BODY,
            ["Pfizer Inc.", "Illumina, Inc."],
        ),
        # Three or more parties listed without defined terms; places after names are no parties.
        (
            "AGREEMENT\nThis Agreement is entered into among Siemens AG, Robert Bosch GmbH and Hitachi, Ltd. on May 1, "
            "2020.\n" + _EN_BODY,
            ["Siemens AG", "Robert Bosch GmbH", "Hitachi, Ltd."],
        ),
        (
            "AGREEMENT\nThis Agreement is made among Pfizer Inc., Illumina, Inc., and the University of Iowa.\n"
            + _EN_BODY,
            ["Pfizer Inc.", "Illumina, Inc.", "University of Iowa"],
        ),
        (
            "AGREEMENT\nThis agreement is made between the University of Iowa, Iowa City, Iowa, USA and Chongqing "
            "University, Chongqing, China.\n" + _EN_BODY,
            ["University of Iowa", "Chongqing University"],
        ),
    ],
)
def test_english_parties_as_agreements_write_them(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "COLLABORATION AGREEMENT\nBETWEEN:\nMONTANA STATE UNIVERSITY of 123 Main Street, Bozeman "
            '(the "University"); and\nACME WIDGETS LIMITED (company number 01234567) whose registered office is '
            'at 1 High Street, London (the "Company").\n' + _EN_BODY,
            ["MONTANA STATE UNIVERSITY", "ACME WIDGETS LIMITED"],
        ),
        (
            "COLLABORATION AGREEMENT\nPARTIES\n1. MONTANA STATE UNIVERSITY, a public university (the University); "
            "and\n2. ACME WIDGETS LIMITED incorporated and registered in England with company number 01234567 "
            "(the Company).\nBACKGROUND\n" + _EN_BODY,
            ["MONTANA STATE UNIVERSITY", "ACME WIDGETS LIMITED"],
        ),
        (
            "AGREEMENT\n" + _EN_BODY + "IN WITNESS WHEREOF, the parties have executed this Agreement.\n"
            "| Chongqing University | Acme Widgets Co., Ltd. |\n| By: ______ | By: ______ |\n",
            ["Chongqing University", "Acme Widgets Co., Ltd."],
        ),
        (
            "AGREEMENT\n" + _EN_BODY + "IN WITNESS WHEREOF, the parties have executed this Agreement.\n"
            "CHONGQING UNIVERSITY                      ACME WIDGETS CO., LTD.\n"
            "By: ______                                By: ______\n",
            ["CHONGQING UNIVERSITY", "ACME WIDGETS CO., LTD."],
        ),
        (
            'AGREEMENT\nParty A: Chongqing University (hereinafter "Party A")\n'
            'Party B: Acme Widgets Co., Ltd. (hereinafter "Party B")\n' + _EN_BODY,
            ["Chongqing University", "Acme Widgets Co., Ltd."],
        ),
        (
            'AGREEMENT\nThis agreement is made between Chongqing University (the "University") and Acme Widgets '
            'Co., Ltd. d/b/a Acme (the "Company").\n' + _EN_BODY,
            ["Chongqing University", "Acme Widgets Co., Ltd."],
        ),
        (
            "AGREEMENT\nThis Agreement is made between Chongqing University, located at 174 Shazheng Street, "
            'Chongqing (hereinafter referred to as "CQU") and Montana State University, located in Bozeman '
            '(hereinafter referred to as "MSU").\n' + _EN_BODY,
            ["Chongqing University", "Montana State University"],
        ),
    ],
)
def test_english_parties_with_addresses_lists_and_signature_tables(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # each party described after its name and defined: the next name starts after the last term
            'AMENDMENT\nThis Amendment (this "Amendment") is made by and among (1) Acme Widgets Co., Ltd., a '
            'Japanese corporation ("Acme"), Acme Holdings USA, Inc., an Ohio corporation ("Acme Holding") and '
            'Beta Tools AB, a Swedish corporation ("Beta").\n' + _EN_BODY,
            ["Acme Widgets Co., Ltd.", "Acme Holdings USA, Inc.", "Beta Tools AB"],
        ),
        (  # a group term after a party: the next party's block starts after the group's term
            'AGREEMENT\nThis Agreement is made by and among (1) Gamma AB, a Swedish corporation ("Gamma AB") and '
            'Gamma US, Inc., a Delaware corporation ("Gamma US" and together with Gamma AB, the "Gamma Parties"), '
            'and (2) Delta Kogyo Co., Ltd., a Japanese corporation ("Delta"), Delta Kogyo Holdings USA, Inc., an '
            'Ohio corporation ("Delta Holding"), as an amendment to that certain Joint Venture Agreement dated '
            'March 7, 2016 by and among Omega ASP, Inc. ("Omega ASP"), Omega AB ("Omega AB") and Omega Holding, '
            'Inc. ("Omega Holding").\n' + _EN_BODY,
            ["Gamma AB", "Gamma US, Inc.", "Delta Kogyo Co., Ltd.", "Delta Kogyo Holdings USA, Inc."],
        ),
        (  # the parties of the agreement this one amends are not its parties
            'AMENDMENT\nThis Amendment (this "Amendment") is made by and between Acme Widgets Co., Ltd., a Japanese '
            'corporation ("Acme") and Beta Tools AB, a Swedish corporation ("Beta"), as an amendment to that '
            'certain Joint Venture Agreement dated March 7, 2016 by and among Omega ASP, Inc. ("Omega ASP") and '
            'Omega AB ("Omega AB").\n' + _EN_BODY,
            ["Acme Widgets Co., Ltd.", "Beta Tools AB"],
        ),
        (  # a description after a party's term, with a term of its own, is no party
            "ALLIANCE AGREEMENT\nThis Agreement is entered into by and between Acme Widgets, Inc., with a place of "
            'business located at 999 Skyway Road, San Carlos ("Acme"), and The University of Texas M. D. Anderson '
            'Cancer Center, with a place of business located at 1515 Holcombe Blvd., Houston ("MD Anderson"), a '
            'member institution of The University of Texas System ("System").\n' + _EN_BODY,
            ["Acme Widgets, Inc.", "University of Texas M. D. Anderson Cancer Center"],
        ),
        (  # … but a supplement made under an agreement between its own parties keeps them
            'SUPPLEMENT\nThis Supplement ("Supplement") is made under the Master Agreement between Acme Widgets '
            'Co., Ltd. ("Acme") and Chongqing University ("CQU").\n' + _EN_BODY,
            ["Acme Widgets Co., Ltd.", "Chongqing University"],
        ),
    ],
)
def test_english_parties_each_described_and_defined_in_one_sentence(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # "hereinafter called as", an address after "of", a bracketed word before the legal form
            "DEVELOPMENT AGREEMENT\nbetween\nACME PHARMA A/S of Industriparken 55, DK-2750 Ballerup, Denmark "
            '(hereinafter called as the "ACME") ---\nand\nBETA (CHEMICALS) LIMITED of 4 Adelaide Street, Dublin '
            '(hereinafter referred to as "BETA").\n' + _EN_BODY,
            ["ACME PHARMA A/S", "BETA (CHEMICALS) LIMITED"],
        ),
        (  # the address straight after the legal form
            "AGREEMENT\nThis agreement is entered into by and between Gamma Performance, LLC, 481 Main Road, "
            'Phoenixville, PA 19460 ("Vendor") and Delta Inc., a New York corporation (Delta).\n' + _EN_BODY,
            ["Gamma Performance, LLC", "Delta Inc."],
        ),
    ],
)
def test_english_names_end_before_their_address_whatever_precedes_it(text: str, expected: list[str]) -> None:
    assert names(text) == expected


_EN_AB = "1. Party A shall provide the premises.\n2. Party B shall send experts.\n"


@pytest.mark.parametrize(
    "head",
    [
        "Party A: Chongqing University, a public university in China\n"
        "Party B: Acme Widgets Co., Ltd., a Delaware corporation\n",
        "Party A: Chongqing University, with its address at 174 Shazheng Street\n"
        "Party B: Acme Widgets Co., Ltd., whose registered address is Beijing\n",
        "Party A: Chongqing University (CQU)\nParty B: Acme Widgets Co., Ltd. (Acme)\n",
        "Party A:\nChongqing University\nParty B:\nAcme Widgets Co., Ltd.\n",
        "Party A: Chongqing University\nLegal Representative: Zhang\nParty B: Acme Widgets Co., Ltd.\n",
    ],
)
def test_english_party_lines_keep_the_name_alone(head: str) -> None:
    assert names("AGREEMENT\n" + head + _EN_AB) == ["Chongqing University", "Acme Widgets Co., Ltd."]


_INDEX = RegistryIndex.build(
    [
        RegistryOrg(1, name_zh="重庆大学", name_en="Chongqing University"),
        RegistryOrg(2, name_zh="重庆云帆科技有限公司"),
        RegistryOrg(3, name_en="Montana State University"),
        RegistryOrg(4, name_en="City of Bozeman"),
        RegistryOrg(5, name_en="Acme Widgets Co., Ltd."),
        RegistryOrg(6, name_zh="重庆市万州区人民政府"),
        RegistryOrg(7, name_zh="万州区科学技术局"),
        RegistryOrg(8, name_zh="北京京东方科技集团股份有限公司"),
        RegistryOrg(9, name_zh="北京市科学技术局"),
        RegistryOrg(10, name_zh="香港理工大学"),
    ]
)


@pytest.mark.parametrize(
    ("written", "organisation"),
    [
        # A partner's name written several ways.
        ("重庆云帆科技公司", 2),
        ("重庆云帆科技有限责任公司", 2),
        ("云帆公司", 2),
        ("云帆科技", 2),
        ("京东方", 8),
        ("京东方科技集团股份有限公司", 8),
        ("重庆大学（Chongqing University）", 1),
        ("Chongqing University 重庆大学", 1),
        ("CHONGQING UNIVERSITY", 1),
        # A place name dropped or added, a form written shorter.
        ("万州区人民政府", 6),
        ("万州区政府", 6),
        ("重庆市万州区科学技术局", 7),
        ("万州区科技局", 7),
        # Traditional characters, and a character typed as another of the same sound.
        ("香港理工大學", 10),
        ("重慶大學", 1),
        ("萬州區人民政府", 6),
        ("重庆市万洲区人民政府", 6),
        # The campus or state after an English name.
        ("Montana State University-Bozeman", 3),
        ("Montana State University, Bozeman", 3),
        ("the City of Bozeman, Montana", 4),
        ("City of Bozeman, MT", 4),
        ("Acme Widgets Company Limited", 5),
    ],
)
def test_a_name_written_another_way_finds_its_organisation(written: str, organisation: int) -> None:
    assert resolve(written, _INDEX).organisation_id == organisation


@pytest.mark.parametrize(
    "written",
    [
        "上海市科学技术局",
        "科技局",
        "重庆市渝北区科学技术局",
        "Acme Widgets (Shanghai) Co., Ltd.",
        "云帆",
        "BOE",
    ],
)
def test_a_name_that_only_looks_like_a_known_one_is_new(written: str) -> None:
    assert resolve(written, _INDEX).reason == "new"


_SIBLINGS = RegistryIndex.build(
    [
        RegistryOrg(1, name_zh="重庆医科大学"),
        RegistryOrg(2, name_zh="重庆医科大学附属第一医院"),
        RegistryOrg(3, name_zh="腾讯科技（深圳）有限公司"),
        RegistryOrg(4, name_zh="中国银行股份有限公司重庆市分行"),
        RegistryOrg(5, name_zh="四川大学华西医院"),
        RegistryOrg(6, name_zh="武汉理工大学教育发展基金会"),
        RegistryOrg(7, name_zh="华中科技大学"),
        RegistryOrg(8, name_zh="长安汽车", short_names=("长安汽车",)),
        RegistryOrg(9, name_zh="重庆市万州区人民政府"),
        RegistryOrg(10, name_zh="重庆市万州区教育委员会"),
        RegistryOrg(11, name_zh="招商银行股份有限公司", short_names=("招商银行",)),
        RegistryOrg(12, name_en="MOLIPHARMA"),
        RegistryOrg(13, name_en="The Johns Hopkins University"),
        RegistryOrg(14, name_en="Siemens AG"),
        RegistryOrg(15, name_en="Huazhong University of Science and Technology"),
    ]
)


@pytest.mark.parametrize(
    "written",
    [
        "重庆医科大学附属第二医院",  # numbered siblings are other bodies (a unit of the university here)
        "腾讯科技（北京）有限公司",  # the bracketed place tells two companies apart
        "腾讯科技(上海)有限公司",
        "中国建设银行股份有限公司重庆市分行",  # what tells two names apart differs by more than a slip
        "四川大学华西第二医院",
        "四川大学华西口腔医院",
        "武汉大学教育发展基金会",
        "华中科技大学教育发展基金会",  # a known name followed by another body's name
        "长安福特汽车有限公司",  # Chinese names never meet through their pinyin alone
        "重庆市万州区人民政府龙都街道办事处",
    ],
)
def test_a_sibling_or_neighbour_of_a_known_body_is_never_taken_for_it(written: str) -> None:
    assert resolve(written, _SIBLINGS).organisation_id is None


@pytest.mark.parametrize(
    ("written", "organisation"),
    [
        ("腾讯科技(深圳)有限公司", 3),
        ("中国银行重庆市分行", 4),  # a branch written without its company's legal form
        ("重庆市万州区教委", 10),  # a government body's usual short form
        ("万州区教委", 10),
        ("MOLIPHARMA S.R.L.", 12),  # a legal form written with stops
        ("Siemens Aktiengesellschaft", 14),
        ("Huazhong Univ. of Sci. & Tech.", 15),
    ],
)
def test_a_sibling_familys_own_spellings_still_find_it(written: str, organisation: int) -> None:
    assert resolve(written, _SIBLINGS).organisation_id == organisation


@pytest.mark.parametrize(
    ("written", "sure"),
    [
        ("Siemens Ltd.", False),  # one trade name, another country's company: asked, never taken
        ("Siemens, Inc.", False),
        ("Siemens Aktiengesellschaft", True),  # the same legal form written in full
        ("SIEMENS", True),  # no legal form written
    ],
)
def test_a_known_trade_name_under_another_legal_form_is_asked(written: str, sure: bool) -> None:
    found = resolve(written, _SIBLINGS)
    assert found.organisation_id == 14
    assert found.sure is sure


@pytest.mark.parametrize(
    ("written", "parent"),
    [
        ("重庆医科大学附属第二医院", 1),
        ("重庆市万州区人民政府办公室", 9),
        ("招商银行重庆分行", 11),  # a branch under a short name of four characters or more
        ("Johns Hopkins University School of Medicine", 13),  # the registry's name with its article
    ],
)
def test_units_of_known_bodies_written_as_offices_branches_and_schools(written: str, parent: int) -> None:
    found = resolve(written, _SIBLINGS)
    assert (found.reason, found.new_parent_id) == ("new_unit", parent)


@pytest.mark.parametrize(
    ("written", "organisation"),
    [
        # The same sound written with other characters: a slip, or another body of that sound.
        ("重庆云凡科技有限公司", 2),
        ("重庆市万洲区人民政府", 6),
        ("重庆大雪", 1),
    ],
)
def test_a_name_that_meets_one_only_by_sound_is_offered_but_asked(written: str, organisation: int) -> None:
    found = resolve(written, _INDEX)
    assert (found.organisation_id, found.sure) == (organisation, False)


def test_traditional_characters_of_any_word_meet_the_simplified_name() -> None:
    # Characters beyond organisation words (雲, 帆 is the same in both): the whole name is converted.
    found = resolve("重慶雲帆科技有限公司", _INDEX)
    assert (found.organisation_id, found.sure) == (2, True)


@pytest.mark.parametrize(
    "written",
    [
        "重庆大学建筑城规学院",
        "School of Architecture, Chongqing University",
        "Chongqing University School of Architecture",
    ],
)
def test_a_unit_named_with_its_parent_either_way_round_is_a_new_unit(written: str) -> None:
    found = resolve(written, _INDEX)
    assert (found.reason, found.new_parent_id, found.new_kind) == ("new_unit", 1, "university")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        # Institutes, societies, foundations, centres
        ("中国科学院重庆绿色智能技术研究院", "institute"),
        ("重庆市农业科学院", "institute"),
        ("中国科学院化学研究所", "institute"),
        ("国家重点实验室", "institute"),
        ("重庆市科技成果转化服务中心", "other"),  # a centre that does not say what it is
        ("重庆市机械工程学会", "other"),
        ("中国法学会", "other"),
        ("重庆市软件行业协会", "other"),
        ("中国青少年发展基金会", "other"),
        ("长江经济带产业技术创新联盟", "other"),
        # Government: committees, zones, streets, towns, places
        ("重庆经济技术开发区管委会", "government"),
        ("万州经济技术开发区", "government"),
        ("两江新区", "government"),
        ("重庆高新区", "government"),
        ("万州区高笋塘街道办事处", "government"),
        ("万州区高笋塘街道", "government"),
        ("万州区龙沙镇", "government"),
        ("万州区", "government"),
        ("某某村民委员会", "government"),
        ("某某村委会", "government"),
        ("某某社区居委会", "government"),
        ("重庆市消防救援总队", "government"),
        ("重庆市卫生健康委员会", "government"),
        ("万州区卫生监督所", "government"),
        ("中共万州区委宣传部", "government"),
        ("教育部", "government"),
        ("重庆市公安局万州区分局", "government"),
        # Hospitals and public health
        ("重庆市第一人民医院", "hospital"),
        ("万州区龙沙镇卫生院", "hospital"),
        ("重庆市疾病预防控制中心", "hospital"),
        ("万州区疾控中心", "hospital"),
        # Companies and firms
        ("重庆大有设计集团", "enterprise"),
        ("重庆钢铁股份有限公司", "enterprise"),
        ("重庆某某建设有限责任公司", "enterprise"),
        ("万州区某某柑橘专业合作社", "enterprise"),
        ("重庆某某律师事务所", "enterprise"),
        ("天健会计师事务所（特殊普通合伙）", "enterprise"),
        ("中国工商银行股份有限公司重庆万州分行", "enterprise"),
        ("重庆大学出版社", "enterprise"),
        ("某某大药房", "enterprise"),
        ("某某旅行社", "enterprise"),
        # A unit takes the kind of the body it belongs to
        ("重庆大学国际合作与交流处", "university"),
        ("重庆某某科技有限公司技术中心", "enterprise"),
        ("万州区人民政府办公室", "government"),
        # Schools below university level and public bodies that are none of the others
        ("中共重庆市委党校", "other"),
        ("重庆市第一中学校", "other"),
        ("重庆大学附属中学", "other"),
        ("重庆市图书馆", "other"),
        ("万州区社会福利院", "other"),
        ("重庆市某某技师学院", "other"),
        ("符合规定的执业医师", "other"),  # a person described, not a body
        # Embassies, consulates, 署 and the central bank are government bodies
        ("中华人民共和国驻某国大使馆", "government"),
        ("中华人民共和国驻某市总领事馆", "government"),
        ("中华人民共和国审计署", "government"),
        ("中国人民银行", "government"),
        # Psychiatric centres, prevention-and-treatment hospitals, maternal and child care centres
        ("某市精神卫生中心", "hospital"),
        ("某市口腔病防治院", "hospital"),
        ("某某大学肿瘤防治中心", "hospital"),
        ("某区妇幼保健计划生育服务中心", "hospital"),
        # Farms are enterprises; a campus is its university's
        ("某某县某某养殖场", "enterprise"),
        ("某某师范大学珠海校区", "university"),
        # Written in traditional characters
        ("香港理工大學", "university"),
        ("國立臺灣大學附設醫院", "hospital"),
        ("臺北市政府", "government"),
        ("中華民國紅十字會", "other"),
        ("台灣積體電路製造股份有限公司", "enterprise"),
        # English: legal forms
        ("Acme Widgets, Inc.", "enterprise"),
        ("Acme Widgets Ltd.", "enterprise"),
        ("Acme Widgets LLC", "enterprise"),
        ("Siemens AG", "enterprise"),
        ("Robert Bosch GmbH", "enterprise"),
        ("Acme Pte. Ltd.", "enterprise"),
        ("Acme Sdn. Bhd.", "enterprise"),
        ("Acme S.A.", "enterprise"),
        ("Novo Nordisk A/S", "enterprise"),
        ("Deloitte LLP", "enterprise"),
        ("Smith & Co.", "enterprise"),
        ("Sequoia Capital", "enterprise"),
        # Legal forms of other countries, after the name or before it
        ("Acme SE", "enterprise"),
        ("Acme p.l.c.", "enterprise"),
        ("Acme Oyj", "enterprise"),
        ("Acme ASA", "enterprise"),
        ("Acme AG & Co. KGaA", "enterprise"),
        ("Acme Aktiengesellschaft", "enterprise"),
        ("Acme Berhad", "enterprise"),
        ("PT Acme Indonesia Tbk", "enterprise"),
        ("Acme Holding A.Ş.", "enterprise"),
        ("Acme Bank PJSC", "enterprise"),
        ("Grupo Acme, S.A.B. de C.V.", "enterprise"),
        ("Kabushiki Kaisha Acme", "enterprise"),
        ("Aktiebolaget Acme", "enterprise"),
        ("Acme Bank, National Association", "enterprise"),
        # A legal form's letters inside a word are no legal form ("Wellcome" is not "LLC")
        ("Wellcome Trust", "other"),
        # Universities and hospitals named in their own language
        ("Technische Universität Acme", "university"),
        ("Université de Acme", "university"),
        ("Universidad de Acme", "university"),
        ("Università di Acme", "university"),
        ("Universiteit van Acme", "university"),
        ("Hochschule Acme", "university"),
        ("École Polytechnique de Acme", "university"),
        ("Hôpital Universitaire de Acme", "hospital"),
        ("Klinikum Acme", "hospital"),
        ("Ospedale San Acme", "hospital"),
        # Governments named by their kind of state, office or board
        ("Commonwealth of Acme", "government"),
        ("Shire of Acme", "government"),
        ("Office of Acme Research", "government"),
        ("Acme Patent Office", "government"),
        ("Law Office of John Acme", "other"),
        ("Acme Economic Development Board", "government"),
        ("Acme Customs and Excise", "government"),
        ("Acme Scientific and Industrial Research Organisation", "institute"),
        # English: non-profits, even incorporated
        ("Bill & Melinda Gates Foundation", "other"),
        ("Mayo Foundation for Medical Education and Research", "other"),
        ("Research Foundation, Inc.", "other"),
        ("American Heart Association", "other"),
        ("Royal Society", "other"),
        # English: institutes, hospitals, universities, schools
        ("Broad Institute", "institute"),
        ("Max Planck Institute for Chemistry", "institute"),
        ("Lawrence Berkeley National Laboratory", "institute"),
        ("Chinese Academy of Sciences", "institute"),
        ("Massachusetts Institute of Technology", "university"),
        ("Massachusetts General Hospital", "hospital"),
        ("Boston Children's Hospital, Inc.", "hospital"),
        ("Mayo Clinic", "hospital"),
        ("Guy's and St Thomas' NHS Foundation Trust", "hospital"),
        ("School of Architecture", "university"),
        ("Stanford University School of Medicine", "university"),
        ("Department of Physics, Montana State University", "university"),
        ("Bozeman High School", "other"),
        # English: government
        ("Bozeman School District No. 7", "government"),
        ("Boston Public Schools", "government"),
        ("Bozeman City Council", "government"),
        ("Ministry of Education of the People's Republic of China", "government"),
        ("Department of Energy", "government"),
        ("Montana Department of Commerce", "government"),
        ("Port Authority of New York and New Jersey", "government"),
        ("City of Bozeman", "government"),
        ("Gallatin County", "government"),
        ("Republic of Kenya", "government"),
        ("European Space Agency", "government"),
        ("Bozeman Police Department", "government"),
        # A cultural word beside a company's line of business is a company's name
        ("Jazz Pharmaceuticals, Inc.", "enterprise"),
        ("Zoo Entertainment, Inc.", "enterprise"),
        ("Symphony Health Solutions Corporation", "enterprise"),
        ("New York City Ballet, Inc.", "other"),
        # A company's services and a department's are not a government's service or a hospital system
        ("Direct Marketing Service", "other"),
        ("Department of Health Services", "government"),
        # Not a public body: a church's general assembly, a party named a congress, a company named after a court
        ("General Assembly of the Presbyterian Church", "other"),
        ("Indian National Congress", "other"),
        ("Food Court Inc.", "enterprise"),
        # A name that does not say what the body is
        ("Google", "other"),
        ("Zeta", "other"),
    ],
)
def test_the_kind_of_each_family_of_names(name: str, kind: str) -> None:
    assert guess_kind(name) == kind


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("Zeta", 'between Acme Ltd. and Zeta (hereinafter the "University")', "university"),
        ("Zeta", 'and Zeta (the "Company"), together the Parties', "enterprise"),
        ("某某", "某某（以下简称“医院”）与某某公司", "hospital"),
        # A term that names a role, not a kind of body, says nothing.
        ("Zeta", 'Zeta ("Licensee")', "other"),
        ("某某", "某某（以下简称“甲方”）", "other"),
        # A name that says what the body is keeps its kind.
        ("Zeta Foundation", 'Zeta Foundation (the "Company")', "other"),
    ],
)
def test_the_term_a_text_defines_for_a_body_gives_its_kind(name: str, text: str, kind: str) -> None:
    assert new_kind_in_context(name, text) == kind
