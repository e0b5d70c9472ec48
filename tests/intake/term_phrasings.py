"""Signing dates and terms written as public agreements write them, each with what a labeller would record.

``HELDOUT`` was written before the rules for these families were set (see test_terms.py for its score):
the phrasings are those of university, government and company agreements and model texts (有效期自…至…,
合作期限五年, "this 27th day of July, 2020", "shall remain in effect until terminated", signature blocks
with two dates, blank 年 月 日); the bodies and names around them are made up here.
"""

from __future__ import annotations

_ZH_BODY = "一、甲方负责提供场地和经费。\n二、乙方负责派出专家开展研究。\n三、双方应定期召开工作会议，通报合作进展情况。\n"
_EN_BODY = (
    "1. Scope. The parties shall cooperate in research and the exchange of staff.\n"
    "2. Costs. Each party shall bear its own costs unless agreed otherwise in writing.\n"
    "3. Notices. Notices shall be given in writing to the addresses above.\n"
)
_ZH_SEAL = "甲方（盖章）：某市科学技术局\n乙方（盖章）：某某大学\n"
_EN_SEAL = "IN WITNESS WHEREOF, the parties have executed this Agreement.\nNorthfield County\nBy: ____\nLakeside University\nBy: ____\n"

#: (source of the phrasing, text, signed_on as ISO or None, term as a labeller writes it or None)
HELDOUT: list[tuple[str, str, str | None, str | None]] = [
    (
        "有效期自X至Y止, two signature dates (the last counts)",
        "校地合作协议\n甲方：某市科学技术局\n乙方：某某大学\n"
        + _ZH_BODY
        + "四、本协议有效期自2021年3月1日至2024年2月29日止。\n"
        + _ZH_SEAL
        + "甲方代表签字：        日期：2021年2月26日\n乙方代表签字：        日期：2021年2月28日\n",
        "2021-02-28",
        "自2021年3月1日至2024年2月29日止",
    ),
    (
        "本协议有效期为三年, 签订日期 in Chinese numerals",
        "战略合作框架协议\n甲方：某区人民政府\n乙方：某某学院\n"
        + _ZH_BODY
        + "四、本协议自双方签字盖章之日起生效，有效期为三年。\n"
        + _ZH_SEAL
        + "签订日期：二〇二二年九月十五日\n",
        "2022-09-15",
        "三年",
    ),
    (
        "合作期限五年 with renewal, blank 年 月 日",
        "产学研合作协议\n甲方：某某科技有限公司\n乙方：某某大学\n"
        + _ZH_BODY
        + "四、合作期限五年。期满后如双方无异议，本协议自动续延。\n"
        + _ZH_SEAL
        + "      年    月    日\n",
        None,
        "五年，期满自动续延",
    ),
    (
        "有效期至 a date, 签订时间 2023.7.27",
        "合作协议书\n甲方：某某医院\n乙方：某某医学院\n"
        + _ZH_BODY
        + "四、本协议自签订之日起生效，有效期至2025年12月31日。\n"
        + _ZH_SEAL
        + "签订时间：2023.7.27\n",
        "2023-07-27",
        "至2025年12月31日",
    ),
    (
        "长期有效 and a notice period that is no term",
        "校企合作协议\n甲方：某某集团有限公司\n乙方：某某职业技术学院\n"
        + _ZH_BODY
        + "四、本协议一经签订，长期有效，任何一方可提前三个月书面通知对方终止本协议。\n"
        + _ZH_SEAL,
        None,
        "长期有效",
    ),
    (
        "合同于X在某地签订, 有效期限：自签订之日起两年",
        "技术服务合同\n本合同于2019年10月8日在北京签订。\n甲方：某某有限公司\n乙方：某某研究院\n"
        + _ZH_BODY
        + "四、本合同有效期限：自合同签订之日起两年。\n"
        + _ZH_SEAL,
        "2019-10-08",
        "两年",
    ),
    (
        "项目执行期限 (the project's, not the agreement's) and an agreement ending with the project",
        "联合申报协议\n甲方：某某大学\n乙方：某某股份有限公司\n"
        + _ZH_BODY
        + "四、项目执行期限为2020年1月至2022年12月。\n五、本协议自双方签字之日起生效，至项目验收结束时终止。\n"
        + _ZH_SEAL,
        None,
        "自双方签字之日起生效，至项目验收结束时终止",
    ),
    (
        "a month alone (二〇二〇年七月), 有效期一年",
        "合作备忘录\n甲方：某某市人民政府\n乙方：某某大学\n"
        + _ZH_BODY
        + "四、本备忘录有效期一年。\n"
        + _ZH_SEAL
        + "二〇二〇年七月\n",
        None,
        "一年",
    ),
    (
        "dates only in the signature block, the later one counts, no term",
        "实习基地共建协议\n甲方：某某中学\n乙方：某某师范学院\n"
        + _ZH_BODY
        + _ZH_SEAL
        + "甲方代表签字：\n日期：2018年5月10日\n乙方代表签字：\n日期：2018年5月16日\n",
        "2018-05-16",
        None,
    ),
    (
        "本协议有效期为3年 beside a delivery period in months",
        "委托开发合同\n甲方：某某信息技术有限公司\n乙方：某某大学\n"
        + "一、乙方应在本合同签订后6个月内完成软件开发并交付甲方。\n二、甲方按约定支付研究开发经费。\n"
        + "三、本协议有效期为3年。协议期满前一个月，双方协商续签事宜。\n"
        + _ZH_SEAL
        + "2017年4月12日\n",
        "2017-04-12",
        "3年",
    ),
    (
        "合作期为 a range in Chinese numerals",
        "共建实验室协议\n甲方：某某研究所\n乙方：某某科技股份有限公司\n"
        + _ZH_BODY
        + "四、合作期为二〇二一年一月一日至二〇二五年十二月三十一日。\n"
        + _ZH_SEAL,
        None,
        "二〇二一年一月一日至二〇二五年十二月三十一日",
    ),
    (
        "合作期限：X—Y with a dash, 签订日期 with full stops",
        "人才培养合作协议\n甲方：某某区教育局\n乙方：某某大学\n"
        + _ZH_BODY
        + "四、合作期限：2020年8月1日—2023年7月31日。\n"
        + _ZH_SEAL
        + "签订日期：2020.7.27\n",
        "2020-07-27",
        "2020年8月1日—2023年7月31日",
    ),
    (
        "有效期：叁年 in capital numerals, 签约时间 blank",
        "科技合作协议\n甲方：某某县人民政府\n乙方：某某农业大学\n"
        + _ZH_BODY
        + "四、本协议有效期：叁年。\n"
        + _ZH_SEAL
        + "签约时间：    年    月    日\n",
        None,
        "叁年",
    ),
    (
        "有效期两年，期满自动续签",
        "医联体合作协议\n甲方：某某人民医院\n乙方：某某镇卫生院\n"
        + _ZH_BODY
        + "四、本协议有效期两年，期满自动续签。\n"
        + _ZH_SEAL
        + "2016年11月3日\n",
        "2016-11-03",
        "两年，期满自动续签",
    ),
    (
        '"made and entered into this 27th day of July, 2020", "for a period of three (3) years"',
        "COOPERATION AGREEMENT\nThis Cooperation Agreement is made and entered into this 27th day of July, 2020, by "
        'and between Northfield County ("County") and Lakeside University ("University").\n'
        + _EN_BODY
        + "4. Term. This Agreement shall commence on the Effective Date and continue for a period of three (3) "
        "years.\n" + _EN_SEAL,
        "2020-07-27",
        "three (3) years",
    ),
    (
        '"dated as of", "shall remain in effect until" a date',
        "MEMORANDUM OF UNDERSTANDING\nThis Memorandum of Understanding is dated as of March 3, 2021 between the City "
        'of Fairview ("City") and Harbor State College ("College").\n'
        + _EN_BODY
        + "4. Term. This MOU shall remain in effect until December 31, 2025, unless terminated earlier under "
        "Section 5.\n" + _EN_SEAL,
        "2021-03-03",
        "until December 31, 2025",
    ),
    (
        "five years from the Effective Date, automatic renewal, two signature dates",
        'SERVICES AGREEMENT\nThis Services Agreement is between Acme Analytics, Inc. ("Acme") and Riverside '
        'Medical Center ("Hospital").\n'
        + _EN_BODY
        + "4. Term. The term of this Agreement shall be five (5) years from the Effective Date and shall "
        "automatically renew for successive one (1) year periods unless either party gives ninety (90) days' "
        "notice.\n" + _EN_SEAL + "Date: June 10, 2019\nDate: June 15, 2019\n",
        "2019-06-15",
        "five (5) years, automatically renewed for one (1) year periods",
    ),
    (
        '"shall remain in effect until terminated"',
        'MEMORANDUM OF UNDERSTANDING\nThis MOU is entered into between Northfield County ("County") and Lakeside '
        'University ("University").\n'
        + _EN_BODY
        + "4. Duration. This MOU shall remain in effect until terminated by either party upon sixty (60) days "
        "written notice to the other party.\n" + _EN_SEAL,
        None,
        "until terminated by either party upon sixty (60) days written notice",
    ),
    (
        '"Effective Date:" line, "initial term … is twenty-four (24) months"',
        "STRATEGIC ALLIANCE AGREEMENT\nEffective Date: January 5, 2022\nThis Strategic Alliance Agreement is "
        'between Bluewater Systems LLC ("Bluewater") and Granite Logistics, Inc. ("Granite").\n'
        + _EN_BODY
        + "4. Term. The initial term of this Agreement is twenty-four (24) months.\n"
        + _EN_SEAL,
        "2022-01-05",
        "twenty-four (24) months",
    ),
    (
        "expires on the fifth anniversary, effective on the last signature",
        'RESEARCH COLLABORATION AGREEMENT\nThis Agreement is between Lakeside University ("University") and Orion '
        'Therapeutics, Inc. ("Orion"), effective as of the date of the last signature below (the "Effective '
        'Date").\n'
        + _EN_BODY
        + "4. Term. This Agreement shall expire on the fifth anniversary of the Effective Date.\n"
        + _EN_SEAL
        + "Date: 2 March 2021\nDate: 9 March 2021\n",
        "2021-03-09",
        "expire on the fifth anniversary of the Effective Date",
    ),
    (
        "a project period (not the agreement's) and 'valid for a duration of'",
        'COLLABORATION AGREEMENT\nThis Agreement is made on May 4, 2020 between Northfield County ("County") and '
        'Lakeside University ("University").\n'
        + _EN_BODY
        + "4. Project Period. The Project Period shall be from September 1, 2020 to August 31, 2022.\n"
        "5. Term. This Agreement will be valid for a duration of four (4) years from the date of signature.\n"
        + _EN_SEAL,
        "2020-05-04",
        "four (4) years",
    ),
    (
        '"dated this 1st day of October, 2019", "for an initial period of 2 years"',
        "LICENSE AGREEMENT\nThis License Agreement is dated this 1st day of October, 2019, between Bluewater Systems "
        'LLC ("Licensor") and Harbor State College ("Licensee").\n'
        + _EN_BODY
        + "4. Term. This Agreement shall continue for an initial period of 2 years, renewable by mutual written "
        "agreement.\n" + _EN_SEAL,
        "2019-10-01",
        "2 years, renewable by mutual written agreement",
    ),
    (
        "blank date line, 'for a term of one year'",
        "SPONSORSHIP AGREEMENT\nThis Sponsorship Agreement is entered into between Granite Logistics, Inc. "
        '("Sponsor") and Riverside Youth Foundation ("Foundation").\n'
        + _EN_BODY
        + "4. Term. This Agreement is for a term of one year.\n"
        + _EN_SEAL
        + "Dated: ____________, 20__\n",
        None,
        "one year",
    ),
    (
        '"made on the 14th of February 2020", "thirty-six months"',
        "CONSULTING AGREEMENT\nThis Consulting Agreement is made on the 14th of February 2020 between Orion "
        'Therapeutics, Inc. ("Company") and Lakeside University ("University").\n'
        + _EN_BODY
        + "4. Term. The term of this Agreement is thirty-six months.\n"
        + _EN_SEAL,
        "2020-02-14",
        "thirty-six months",
    ),
    (
        "an ISO date in the signature block, 'expires on' a date",
        'DATA SHARING AGREEMENT\nThis Data Sharing Agreement is between Riverside Medical Center ("Provider") and '
        'Harbor State College ("Recipient").\n'
        + _EN_BODY
        + "4. Term. This Agreement expires on 31 March 2024.\n"
        + _EN_SEAL
        + "Date: 2021-04-12\n",
        "2021-04-12",
        "expires on 31 March 2024",
    ),
    (
        "terminates on completion of the Project",
        "PROJECT AGREEMENT\nThis Project Agreement is entered into on August 2, 2018 between Northfield County "
        '("County") and Bluewater Systems LLC ("Contractor").\n'
        + _EN_BODY
        + "4. Term. This Agreement shall commence on the date of signature and shall terminate upon completion of "
        "the Project.\n" + _EN_SEAL,
        "2018-08-02",
        "commence on the date of signature and terminate upon completion of the Project",
    ),
]
