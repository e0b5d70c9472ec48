"""Party names completed for creating agreements from files: cleaned, filled from the rest of the text."""

from __future__ import annotations

import pytest

from accord.intake import extract
from accord.intake.party_names import clean_zh_name, complete_parties, signatories
from accord.intake.resolve import RegistryIndex, resolve


def names(text: str) -> list[tuple[str, str | None]]:
    found = extract(text)
    return [(p.label, p.name) for p in complete_parties(text, found.lang, found.parties)]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("重庆市万州区人民政府（以下简称“甲方”）", "重庆市万州区人民政府"),
        (
            "下城区东新街道社区卫生服务中心根据国务院关于城市社区卫生服务的指导意见",
            "下城区东新街道社区卫生服务中心",
        ),
        ("中山大学与香港理工大学联合培养博士研究生合作协议书中山大学", "中山大学"),
        ("重庆大学，地址：重庆市沙坪坝区", "重庆大学"),
        ("电子科技大学研究生院", "电子科技大学研究生院"),
    ],
)
def test_a_name_is_cut_where_the_organisations_name_ends(written: str, name: str) -> None:
    assert clean_zh_name(written) == name


def test_a_blank_label_takes_the_name_on_the_next_line_or_in_the_signature_block() -> None:
    text = (
        "定向培养协议\n\n甲方(定向单位):\n\n乙方(培养单位):\n\n长安大学 丙方(定向生本人):\n\n"
        "根据教育部的有关规定，三方协商达成如下协议：\n一、甲方同意丙方录取为乙方博士研究生。\n"
        "二、乙方负责培养。\n"
        + "三、本协议一式三份。\n" * 5
        + "甲方（盖章）：重庆市万州区科学技术局\n乙方（盖章）：\n丙方：\n"
    )
    assert names(text) == [("甲方", "重庆市万州区科学技术局"), ("乙方", "长安大学"), ("丙方", None)]


def test_a_sentence_below_a_blank_label_is_not_a_name() -> None:
    text = "合作协议\n甲方：\n乙方：\nXXXXX是一家综合性私立医院，现与甲方合作。\n一、甲方负责提供场地。\n"
    assert names(text) == [("甲方", None), ("乙方", None)]


def test_english_names_keep_their_legal_form_and_come_from_between_when_no_term_names_them() -> None:
    cut = (
        "Strategic Alliance Agreement\nThis agreement is made by and between Bravatek Solutions, Inc., a corporation "
        'organized under the laws of Colorado, ("Bravatek"), and Sibannac,\nInc. ("COMPANY"), a corporation.\n'
        "Whereas, Bravatek has expertise.\n1. Bravatek shall provide software. COMPANY shall pay the fees.\n"
    )
    assert names(cut) == [("Bravatek", "Bravatek Solutions, Inc."), ("COMPANY", "Sibannac, Inc.")]
    between = (
        "JOINT VENTURE AGREEMENT\n\nBETWEEN\n\nKIROMIC BIOPHARMA Inc., a Delaware Company, Houston TX, in person "
        "of its Chief Executive Officer\n\nAND\n\nMOLIPHARMA S.R.L. an Italian Company stated in Campobasso;\n\n"
        "each a Party and, together, the Parties.\n\nWHEREAS A. Kiromic is a Company. The Parties wish to "
        'collaborate to the Joint Venture (the "JV").\n1. Kiromic shall fund the JV. Molipharma shall do the research.\n'
    )
    assert names(between) == [("Kiromic", "KIROMIC BIOPHARMA Inc."), ("Molipharma", "MOLIPHARMA S.R.L.")]


def test_the_signatory_of_each_party_is_read_from_its_block() -> None:
    zh = (
        "合作协议\n甲方：重庆市万州区人民政府\n乙方：重庆大学\n一、甲方负责提供场地。\n二、乙方负责派出专家。\n"
        "甲方（盖章）：重庆市万州区人民政府\n授权代表（签字）：蒋雪松\n乙方（盖章）：重庆大学\n法定代表人（签字）：张宗益\n"
    )
    found = extract(zh)
    assert signatories(zh, "zh", found.parties) == {"甲方": "蒋雪松", "乙方": "张宗益"}
    blank = "合作协议\n甲方：某大学\n乙方：某公司\n一、甲方负责。\n甲方负责人签字: 乙方负责人签字:\n"
    assert signatories(blank, "zh", extract(blank).parties) == {}
    en = (
        "Memorandum of Understanding\nParty A: Chongqing University\nParty B: Montana State University\n"
        "1. Party B shall host ten students each year.\n2. Party A shall pay the tuition.\n\n"
        "CHONGQING UNIVERSITY\nBy: ________\nName: Zhang Zongyi\nTitle: President\n\n"
        "MONTANA STATE UNIVERSITY\nBy: ________\nName: Waded Cruzado\nTitle: President\n"
    )
    parties = extract(en).parties
    assert signatories(en, "en", parties) == {"Party A": "Zhang Zongyi", "Party B": "Waded Cruzado"}


def test_blank_labels_take_the_names_the_preamble_gives_them() -> None:
    text = (
        "合作协议\n甲方：\n乙方：\n本协议由重庆大学（甲方）与重庆云帆智能科技有限公司（以下简称“乙方”）签订。\n"
        "一、甲方负责提供技术。\n二、乙方负责支付费用。\n"
    )
    assert names(text) == [("甲方", "重庆大学"), ("乙方", "重庆云帆智能科技有限公司")]


_ZH_BODY = (
    "一、甲方负责提供场地和经费。\n二、乙方负责派出专家开展研究。\n三、本协议一式两份，双方各执一份。\n"
)
_EN_BODY = "1. Party A shall provide the premises.\n2. Party B shall send experts.\n"
_ZH_PAIR = [("甲方", "重庆市万州区人民政府"), ("乙方", "重庆大学")]


@pytest.mark.parametrize(
    "head",
    [
        "| 甲方 | 重庆市万州区人民政府 |\n| 乙方 | 重庆大学 |\n",  # a table
        "甲方\t重庆市万州区人民政府\n乙方\t重庆大学\n",  # a table flattened with tabs
        "甲方 重庆市万州区人民政府\n乙方 重庆大学\n",
        "甲 方：重庆市万州区人民政府\n乙 方：重庆大学\n",
        "甲方名称：重庆市万州区人民政府\n乙方名称：重庆大学\n",
        "甲方 Party A：重庆市万州区人民政府 Wanzhou District People's Government\n乙方 Party B：重庆大学 Chongqing University\n",
        "甲方：\n乙方：\n"
        + _ZH_BODY * 3
        + "甲方（盖章）：\n重庆市万州区人民政府\n乙方（盖章）：\n重庆大学\n",
    ],
)
def test_a_label_laid_out_as_a_form_or_table_gives_its_name(head: str) -> None:
    assert names("合作协议\n" + head + _ZH_BODY) == _ZH_PAIR


def test_names_with_brackets_branches_and_units_are_kept_whole() -> None:
    text = "合作协议\n甲方：中国农业银行股份有限公司重庆万州分行\n乙方：中国（重庆）自由贸易试验区管理局\n"
    assert [n for _, n in names(text + _ZH_BODY)] == [
        "中国农业银行股份有限公司重庆万州分行",
        "中国（重庆）自由贸易试验区管理局",
    ]
    unit = "合作协议\n甲方：重庆大学建筑城规学院\n乙方：某某律师事务所（普通合伙）\n"
    assert [n for _, n in names(unit + _ZH_BODY)] == ["重庆大学建筑城规学院", "某某律师事务所（普通合伙）"]


def test_the_title_names_the_parties_when_no_label_does() -> None:
    text = "重庆市万州区人民政府与重庆大学战略合作协议\n为推进校地合作，双方协商如下：\n一、万州区负责提供场地。\n"
    assert [n for _, n in names(text)] == ["重庆市万州区人民政府", "重庆大学"]
    flattened = (
        "湖北省某某中学与多伦多某某商务学院合作办学协议Cooperation Agreement一、中方的责任和义务1.1负责招生。"
    )
    assert [n for _, n in names(flattened)] == ["湖北省某某中学", "多伦多某某商务学院"]


def test_a_blank_label_takes_the_holder_of_the_partys_account() -> None:
    text = (
        "服务协议\n甲方：\n乙方：\n"
        + _ZH_BODY
        + "乙方收款账户:\n户名:南京某某文化传播有限公司\n开户行:某银行\n"
    )
    assert names(text)[1] == ("乙方", "南京某某文化传播有限公司")


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            "| Party A | Chongqing University |\n| Party B | Acme Widgets Co., Ltd. |\n",
            [("Party A", "Chongqing University"), ("Party B", "Acme Widgets Co., Ltd.")],
        ),
        (
            "Party A\nName: Chongqing University\nAddress: Shapingba\nParty B\nName: Acme Widgets Co., Ltd.\n",
            [("Party A", "Chongqing University"), ("Party B", "Acme Widgets Co., Ltd.")],
        ),
        (
            'Party A (the "University"): Chongqing University\nParty B (the "Company"): Acme Widgets Co., Ltd.\n'
            "1. The University shall do research.\n2. The Company shall pay.\n",
            [("University", "Chongqing University"), ("Company", "Acme Widgets Co., Ltd.")],
        ),
    ],
)
def test_english_parties_laid_out_on_their_own_lines(head: str, expected: list[tuple[str, str]]) -> None:
    assert names("COOPERATION AGREEMENT\n" + head + _EN_BODY) == expected


def test_a_sentence_beside_a_label_is_still_not_a_name() -> None:
    text = "合作协议\n甲方 负责提供场地和经费\n乙方 负责派出专家\n" + _ZH_BODY
    assert names(text) == [("甲方", None), ("乙方", None)]


@pytest.mark.parametrize(
    "text",
    [
        "联合申报项目合作协议书甲方(主持单位):通讯地址:项目负责人:乙方(合作单位):通讯地址:项目负责人:本协议双方就共同研究达成如下协议。",
        "出国留学协议\n（具有法人资格的）单位（简称甲方）委托本单位代理人与（姓名）（简称乙方），签订如下协议：\n一、甲方派遣乙方出国。\n",
    ],
)
def test_a_forms_field_or_fragment_beside_a_label_is_not_a_name(text: str) -> None:
    assert all(name is None for _label, name in names(text))


def test_a_name_with_a_blank_inside_names_nobody() -> None:
    assert resolve("使其日后在________大学", RegistryIndex.build([])).reason == "empty"


def test_blank_labels_take_the_bodies_the_preamble_says_agree() -> None:
    text = (
        "合作办学框架协议\n甲方：__________\n乙方：__________\n"
        "为促进教育均衡发展，________区人民政府与市教育局经友好协商，就合作办学达成如下协议：\n" + _ZH_BODY
    )
    assert names(text) == [("甲方", "__________"), ("乙方", "市教育局")]
    named = (
        "合作协议\n甲方：\n乙方：\n重庆市万州区人民政府与重庆大学本着互利共赢的原则，达成如下协议：\n"
        + _ZH_BODY
    )
    assert names(named) == _ZH_PAIR
