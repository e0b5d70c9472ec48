"""Preambles laid out as public agreements lay them out, each with the parties' names in order.

Layouts are those of public research, cooperation and service agreements and model texts (the source
of each layout is given beside it); the names are real bodies' names from fixtures/names/kinds_*.tsv and
fixtures/names/registry.tsv, so that the parties and the text around them are written here, not copied.
"""

from __future__ import annotations

_EN_BODY = "1. The parties shall exchange students.\n2. Each party shall bear its own costs.\n"
_ZH_BODY = (
    "一、甲方负责提供场地和经费。\n二、乙方负责派出专家开展研究。\n三、本协议一式两份，双方各执一份。\n"
)

PREAMBLES: list[tuple[str, str, list[str | None]]] = [
    (
        'lawsdocbox.com model CRDA: \'entered into by and between the X, a New York Corporation ("X"), and '
        'the Y, a laboratory of the Z ("Y")\'',
        "COOPERATIVE RESEARCH AND DEVELOPMENT AGREEMENT\nThis Cooperative Research and Development Agreement "
        '("CRDA"), dated as of May 1, 2020, is entered into by and between BlackRock, Inc., a New York '
        'Corporation ("BlackRock"), and the Argonne National Laboratory, a laboratory of the U.S. Department '
        'of Energy ("Argonne").\n' + _EN_BODY,
        ["BlackRock, Inc.", "Argonne National Laboratory"],
    ),
    (
        "5y1.org research agreement: no defined terms, 'made by and between X, a Michigan corporation whose "
        "address is …, and Y, a … body corporate … located in …'",
        "RESEARCH AGREEMENT\nThis Research Agreement is made by and between Atlassian Pty Ltd, a Michigan "
        "corporation whose address is 12 Main Street, Troy, Michigan, and Oakland University, a Michigan "
        "constitutional body corporate and institution of higher education located in Rochester, Michigan.\n"
        "Recitals\nWHEREAS, the parties desire research.\n" + _EN_BODY,
        ["Atlassian Pty Ltd", "Oakland University"],
    ),
    (
        "investorshub research agreement: 'is between THE BOARD OF TRUSTEES OF …, a body corporate and "
        'politic …, doing business … through …, address ("UNIVERSITY"), and X, organized … ("SPONSOR")\'',
        'RESEARCH AGREEMENT\nResearch Agreement ("Agreement") is between THE BOARD OF TRUSTEES OF THE '
        "UNIVERSITY OF ILLINOIS, a body corporate and politic organized and existing under the laws of the "
        "State of Illinois, doing business on its Urbana-Champaign campus through the Office of Sponsored "
        'Programs, 1901 South First Street, Champaign IL 61820 ("UNIVERSITY"), and Medtronic plc, organized '
        "and existing under the laws of Ireland with its principal offices at 20 Lower Hatch Street, Dublin "
        '("SPONSOR"). The parties may be referred to individually as "Party" and collectively as the '
        '"Parties".\n' + _EN_BODY,
        ["THE BOARD OF TRUSTEES OF THE UNIVERSITY OF ILLINOIS", "Medtronic plc"],
    ),
    (
        "docest.com research agreement: '(hereinafter referred to as COMPANY)' without quotes",
        "RESEARCH AGREEMENT\nTHIS AGREEMENT is between Illumina, Inc., with offices at 5200 Illumina Way, San "
        "Diego (hereinafter referred to as COMPANY), and the University of Delaware, with offices at Newark, "
        "Delaware 19716 (hereinafter referred to as UNIVERSITY), an educational nonprofit institution "
        "chartered under the laws of the State of Delaware.\n" + _EN_BODY,
        ["Illumina, Inc.", "University of Delaware"],
    ),
    (
        "docsbay.net master research agreement: three parties 'by and among X, a corporation … (hereinafter "
        "referred to as “Sponsor”), The University of …, a public corporation … (hereinafter referred to as "
        '"University"), and the … Research Foundation, a corporation not for profit … (… “UARF”)\'',
        "MASTER RESEARCH AGREEMENT\nTHIS AGREEMENT effective this 1st day of May, 2020 by and among Genentech, "
        "Inc., a corporation having a place of business at 1 DNA Way, South San Francisco (hereinafter "
        "referred to as “Sponsor”), The University of Akron, a public corporation of the State of Ohio "
        '(hereinafter referred to as "University"), and the University of Akron Research Foundation, a '
        "corporation not for profit under Section 1702 of the Ohio Revised Code (hereinafter referred to as "
        "“UARF”).\nWITNESSETH\nWHEREAS, research is of interest.\n" + _EN_BODY,
        ["Genentech, Inc.", "The University of Akron", "University of Akron Research Foundation"],
    ),
    (
        "lawinsider research collaboration agreement: 'is between the University of … (“UML” or “Institution”), "
        "a public institution …, and X Corporation, a Delaware corporation (“Sponsor”),'",
        "RESEARCH COLLABORATION AGREEMENT\nThis Agreement, effective as of September 21, 2005 (the “Effective "
        "Date”), is between the University of Massachusetts Lowell (“UML” or “Institution”), a public "
        "institution of higher education of the Commonwealth of Massachusetts, and Lightbridge Corporation, "
        "a Delaware corporation (“Sponsor”),\nWHEREAS: UML has identified a process.\n" + _EN_BODY,
        ["University of Massachusetts Lowell", "Lightbridge Corporation"],
    ),
    (
        "contractstandards.com research agreement: 'made on DATE between X located at ADDRESS (the "
        '"University") and Y, a … corporation with its principal place of business at … (the "Sponsor")\'',
        "RESEARCH AGREEMENT\nThis Research Agreement is made on May 1, 2020 between Montana State University "
        'located at 211 Montana Hall, Bozeman (the "University") and Pfizer Inc., a Delaware corporation with '
        'its principal place of business at 66 Hudson Boulevard, New York (the "Sponsor").\n' + _EN_BODY,
        ["Montana State University", "Pfizer Inc."],
    ),
    (
        "crossfitfinalpush.com 招生合作协议: both labels on one line, 甲方：X乙方：Y",
        "招生合作协议书\n甲方：重庆市工贸高级技工学校乙方：重庆城市管理职业学院\n一、合作背景\n" + _ZH_BODY,
        ["重庆市工贸高级技工学校", "重庆城市管理职业学院"],
    ),
    (
        "lekantv.com 合作科室协议书: 甲方 named, 乙方 left blank",
        "合作科室协议书\n甲方：河北省红十字基金会石家庄中西医结合医院\n\n乙方：\n\n为了更好的促进中医药事业的发展，"
        "经双方友好协商达成如下协议。\n" + _ZH_BODY,
        ["河北省红十字基金会石家庄中西医结合医院", None],
    ),
    (
        "boteman.cn 临床试验协议: 乙方：X(以下简称:乙方)地址:… on one run-on line",
        "医疗器械临床试验协议\n甲方:重庆智飞生物制品股份有限公司(以下简称:甲方)地址:重庆市江北区联系人:王某\n"
        "乙方:绍兴市人民医院(以下简称:乙方)地址:绍兴市越城区中兴北路568号联系人:康某\n" + _ZH_BODY,
        ["重庆智飞生物制品股份有限公司", "绍兴市人民医院"],
    ),
    (
        "zixin.com.cn 医院投资合作协议书: 'X医院〔以下简称甲方〕与Y公司〔以下简称乙方〕就…' with 〔〕",
        "医院投资合作协议书\n第一章 总则\n经双方友好协商，重庆市第九人民医院〔以下简称甲方〕与重庆云帆科技有限公司"
        "〔以下简称乙方〕就共同组建诊疗中心的合作事宜达成如下意向。\n第二章 合作双方\n" + _ZH_BODY,
        ["重庆市第九人民医院", "重庆云帆科技有限公司"],
    ),
    (
        "news of a listed company's agreement: 'X与Y（以下简称“…”）、Z（以下简称“…”）共同签订《…协议》'",
        "关于共建新能源汽车项目的协议\n重庆两江新区管理委员会（以下简称“甲方”）、东风汽车集团有限公司（以下简称“乙方”）"
        "与重庆长安汽车股份有限公司（以下简称“丙方”）共同签订本协议。\n" + _ZH_BODY,
        ["重庆两江新区管理委员会", "东风汽车集团有限公司", "重庆长安汽车股份有限公司"],
    ),
    (
        "taowenge.com 合作协议文本样式: '此协议由X与Y签署'",
        "合作协议\n序言\n此协议由上海立信会计金融学院（以下简称“甲方”）与香港理工大学（以下简称“乙方”）签署。\n"
        + _ZH_BODY,
        ["上海立信会计金融学院", "香港理工大学"],
    ),
    (
        "a CUAD-style preamble: several parties each described and defined, a group term, and the parties of "
        "the agreement amended",
        'AMENDMENT\nThis Amendment (this "Amendment") is made and entered into effective as of May 1, 2020 '
        '(the "Effective Date") by and among (1) Siemens AG, a German corporation ("Siemens AG") and Siemens '
        'Energy, Inc., a Delaware corporation ("Siemens US" and together with Siemens AG, the "Siemens '
        'Parties"), and (2) Hitachi, Ltd., a Japanese corporation ("Hitachi"), as an amendment to that certain '
        'Joint Venture Agreement dated March 7, 2016 by and among Robert Bosch GmbH ("Bosch") and the Hitachi '
        "Parties.\n" + _EN_BODY,
        ["Siemens AG", "Siemens Energy, Inc.", "Hitachi, Ltd."],
    ),
]

#: Written after the rules of this round were set from PREAMBLES and scored once (see test_public_names).
HELDOUT: list[tuple[str, str, list[str | None]]] = [
    (
        "UK deed style: 'THIS AGREEMENT is dated … PARTIES (1) X incorporated and registered in England and "
        "Wales with company number … whose registered office is at … (Supplier) (2) Y …'",
        "THIS AGREEMENT is dated 1 May 2020\nPARTIES\n(1) AstraZeneca UK Limited incorporated and registered in "
        "England and Wales with company number 03674842 whose registered office is at 1 Francis Crick Avenue, "
        "Cambridge (Supplier).\n(2) University College London, a body incorporated by Royal Charter, of Gower "
        "Street, London (Customer).\nBACKGROUND\n(A) The Supplier supplies drugs.\n" + _EN_BODY,
        ["AstraZeneca UK Limited", "University College London"],
    ),
    (
        "Singapore MOU: 'This Memorandum of Understanding is made between X, a company incorporated in "
        "Singapore (Company Registration No. …) having its registered office at … (“X”) and Y …'",
        "MEMORANDUM OF UNDERSTANDING\nThis Memorandum of Understanding is made between DBS Bank Ltd., a company "
        "incorporated in Singapore (Company Registration No. 196800306E) having its registered office at 12 "
        "Marina Boulevard (“DBS”) and the National University of Singapore, a company limited by guarantee "
        "having its office at 21 Lower Kent Ridge Road (“NUS”).\n" + _EN_BODY,
        ["DBS Bank Ltd.", "National University of Singapore"],
    ),
    (
        "US CRADA with an agency: 'between the U.S. Department of … through its … (“X”) and Y, Inc. (“Collaborator”)'",
        "COOPERATIVE RESEARCH AND DEVELOPMENT AGREEMENT\nThis Cooperative Research and Development Agreement "
        '("CRADA") is entered into by and between the National Renewable Energy Laboratory ("NREL") and Tesla, '
        'Inc., a Delaware corporation ("Collaborator").\n' + _EN_BODY,
        ["National Renewable Energy Laboratory", "Tesla, Inc."],
    ),
    (
        "Party A / Party B lines with a Chinese name after the English one",
        "COOPERATION AGREEMENT\nParty A: Southwest University (西南大学)\nAddress: No. 2 Tiansheng Road, "
        "Chongqing\nParty B: Huawei Technologies Co., Ltd.\nAddress: Bantian, Shenzhen\n" + _EN_BODY,
        ["Southwest University", "Huawei Technologies Co., Ltd."],
    ),
    (
        "甲方/乙方 lines with 统一社会信用代码 and 住所 on the same line",
        "技术服务合同\n甲方：重庆市万州区人民政府 统一社会信用代码：11500101009283541F 住所：重庆市万州区\n"
        "乙方：重庆市设计院有限公司 统一社会信用代码：915000002028010866 住所：重庆市渝中区\n" + _ZH_BODY,
        ["重庆市万州区人民政府", "重庆市设计院有限公司"],
    ),
    (
        "委托方/受托方 lines, then 甲方/乙方 used in the body",
        "技术开发（委托）合同\n委托方（甲方）：中国汽车工程研究院股份有限公司\n受托方（乙方）：重庆邮电大学\n"
        + _ZH_BODY,
        ["中国汽车工程研究院股份有限公司", "重庆邮电大学"],
    ),
    (
        "a preamble sentence without labels before it: 'X（以下简称甲方）与Y（以下简称乙方）经协商…'",
        "战略合作协议\n中国科学院重庆绿色智能技术研究院（以下简称甲方）与重庆长安汽车股份有限公司（以下简称乙方）经友好协商，"
        "就共建联合实验室事宜达成如下协议。\n" + _ZH_BODY,
        ["中国科学院重庆绿色智能技术研究院", "重庆长安汽车股份有限公司"],
    ),
    (
        "three parties, 丙方 a hospital",
        "三方合作协议\n甲方：重庆医科大学\n乙方：重庆市万州区卫生健康委员会\n丙方：重庆市万州区第一人民医院\n"
        "一、甲方负责培训。\n二、乙方负责协调。\n三、丙方负责提供场地。\n",
        ["重庆医科大学", "重庆市万州区卫生健康委员会", "重庆市万州区第一人民医院"],
    ),
    (
        "traditional characters with full-width colons",
        "合作協議書\n甲方：香港中文大學\n乙方：臺灣積體電路製造股份有限公司\n一、甲方負責研究。\n二、乙方負責提供經費。\n",
        ["香港中文大學", "臺灣積體電路製造股份有限公司"],
    ),
    (
        "German GmbH and a French université, 'by and between … and …, hereinafter …'",
        "LICENSE AGREEMENT\nThis License Agreement is made by and between Robert Bosch GmbH, Robert-Bosch-Platz 1, "
        '70839 Gerlingen, Germany, hereinafter referred to as "Bosch", and Université Paris-Saclay, 3 rue '
        'Joliot Curie, 91190 Gif-sur-Yvette, France, hereinafter referred to as "UPSaclay".\n' + _EN_BODY,
        ["Robert Bosch GmbH", "Université Paris-Saclay"],
    ),
]

#: Layouts written in a later round from public agreements and model texts (GitHub code corpora: Indian and
#: UK "THIS AGREEMENT is made on … BETWEEN: (1) … AND (2) …", "made on DATE between X and Y", LICENSOR /
#: LICENSEE blocks, 委托方（甲方）/受托方（乙方）/开发方/服务方 lines, 甲方（委托方）), scored before and after.
LAYOUTS: list[tuple[str, str, list[str | None]]] = [
    (
        "Indian model: 'THIS AGREEMENT is made on this … day of … BETWEEN: (1) X, a company incorporated under "
        'the Companies Act …, having its registered office at … (hereinafter referred to as "X"); AND (2) Y\'',
        "MEMORANDUM OF AGREEMENT\nTHIS AGREEMENT is made on this 1st day of May, 2025\nBETWEEN:\n(1) Tata "
        "Consultancy Services Limited, a company incorporated under the Companies Act, 1956, having its "
        'registered office at Nariman Point, Mumbai (hereinafter referred to as "TCS");\nAND\n(2) Indian '
        "Institute of Technology Bombay, an institute of national importance, Powai, Mumbai (hereinafter "
        'referred to as "IITB").\n' + _EN_BODY,
        ["Tata Consultancy Services Limited", "Indian Institute of Technology Bombay"],
    ),
    (
        "non-disclosure agreement: 'This Agreement is made on DATE, between X and Y.'",
        "MUTUAL NON-DISCLOSURE AGREEMENT\nThis Agreement is made on August 14, 2025, between Siemens AG and "
        "Karolinska Institutet.\n" + _EN_BODY,
        ["Siemens AG", "Karolinska Institutet"],
    ),
    (
        "UK terms of business: 'This Agreement is made on DATE / BETWEEN / (1) X, a company registered in "
        'England and Wales under company number … whose registered office is … (the "Client"); and (2) Y\'',
        "AGREEMENT FOR THE SUPPLY OF SERVICES\nThis Agreement is made on 1 May 2025\nBETWEEN\n(1) Unilever "
        "PLC, a company registered in England and Wales under company number 00041424 whose registered "
        'office is at Port Sunlight, Wirral (the "Client"); and\n(2) University College London, of Gower '
        'Street, London (the "University").\n' + _EN_BODY,
        ["Unilever PLC", "University College London"],
    ),
    (
        "licence: 'made on DATE between: / LICENSOR: / X, … / AND / LICENSEE: / Y, …'",
        "LICENSE AGREEMENT\nThis Agreement is made on May 1, 2025 between:\nLICENSOR:\nMassachusetts "
        "Institute of Technology, a Massachusetts corporation, 77 Massachusetts Avenue, Cambridge\nAND\n"
        "LICENSEE:\nMedtronic plc, 20 Lower Hatch Street, Dublin\n" + _EN_BODY,
        ["Massachusetts Institute of Technology", "Medtronic plc"],
    ),
    (
        "memorandum of understanding: 'is entered into by X (ABBR) and Y (ABBR).'",
        "MEMORANDUM OF UNDERSTANDING\nThis Memorandum of Understanding is entered into by the Chinese Academy "
        "of Sciences (CAS) and the National Science Foundation (NSF).\n" + _EN_BODY,
        ["Chinese Academy of Sciences", "National Science Foundation"],
    ),
    (
        "委托方（甲方）/受托方（乙方） on one line, as a web page renders a contract's head",
        "技术咨询合同\n委托方（甲方）：重庆长安汽车股份有限公司 受托方（乙方）：重庆大学\n" + _ZH_BODY,
        ["重庆长安汽车股份有限公司", "重庆大学"],
    ),
    (
        "技术咨询合同 head: 委托方（甲方）/受托方（乙方）, then '本合同甲方委托乙方就…进行技术咨询'",
        "技术咨询合同\n委托方（甲方）：中铁第四勘察设计院集团有限公司\n受托方（乙方）：广东省建筑设计研究院\n"
        "本合同甲方委托乙方就轨道交通项目规划选址评估项目进行技术咨询，并支付咨询报酬。\n" + _ZH_BODY,
        ["中铁第四勘察设计院集团有限公司", "广东省建筑设计研究院"],
    ),
    (
        "服务合同 head: 委托方（甲方）/服务方（乙方） with a telephone on each line",
        "技术服务合同\n委托方（甲方）：重庆市科学技术局  联系电话：023-63898000\n"
        "服务方（乙方）：重庆邮电大学  联系电话：023-62460000\n" + _ZH_BODY,
        ["重庆市科学技术局", "重庆邮电大学"],
    ),
    (
        "技术开发合同 head: 委托方（甲方）/开发方（乙方）, then 项目名称 and 签订地点",
        "技术开发合同\n委托方（甲方）：华为技术有限公司\n开发方（乙方）：华中科技大学\n项目名称：智能网联技术研究\n"
        "签订地点：湖北省武汉市\n" + _ZH_BODY,
        ["华为技术有限公司", "华中科技大学"],
    ),
    (
        "甲方（委托方）/乙方（受托方）: the roles after the party letters",
        "委托研究协议\n甲方（委托方）：京东方科技集团股份有限公司\n乙方（受托方）：香港理工大学\n" + _ZH_BODY,
        ["京东方科技集团股份有限公司", "香港理工大学"],
    ),
]

#: Layouts of the families still missed after LAYOUTS (a memorandum "made by X (ABBR) and Y (ABBR)", Chinese
#: heads labelled 合作方/主办方/承办方 instead of 甲方/乙方, parties in a table's 单位名称 row or column, the two
#: bodies named only in the title, 甲方（盖章）/乙方（盖章） over the names in the signature block, a bilingual
#: head flattened into one line); the rules of the families were set on these.
LAYOUTS_2: list[tuple[str, str, list[str | None]]] = [
    (
        "memorandum: 'is made by X (ABBR) and Y (ABBR)' without quotes",
        "MEMORANDUM OF UNDERSTANDING\nThis Memorandum of Understanding is made by Stanford University (SU) and "
        "Peking University (PKU) to promote academic exchange.\n" + _EN_BODY,
        ["Stanford University", "Peking University"],
    ),
    (
        "agreement 'signed by X, located at …, and Y, located at …'",
        "ACADEMIC COOPERATION AGREEMENT\nThis Agreement is signed by Karolinska Institutet, located at "
        "Solnavägen 1, Solna, Sweden, and Fudan University, located at 220 Handan Road, Shanghai, China.\n"
        + _EN_BODY,
        ["Karolinska Institutet", "Fudan University"],
    ),
    (
        "合作方 twice: 合作方：X / 合作方：Y",
        "校企合作协议\n合作方：重庆城市管理职业学院\n合作方：重庆长安汽车股份有限公司\n"
        + _ZH_BODY.replace("甲方", "双方").replace("乙方", "双方"),
        ["重庆城市管理职业学院", "重庆长安汽车股份有限公司"],
    ),
    (
        "活动合作协议: 主办方：X / 承办方：Y, no 甲方/乙方",
        "活动合作协议\n主办方：重庆两江新区管理委员会\n承办方：重庆大学\n一、主办方负责提供经费。\n二、承办方负责组织活动。\n",
        ["重庆两江新区管理委员会", "重庆大学"],
    ),
    (
        "a table with the parties as columns and a 单位名称 row under a 法定代表人 row",
        "技术合作协议\n| 项目 | 甲方 | 乙方 |\n| --- | --- | --- |\n| 法定代表人 | 张某 | 李某 |\n"
        "| 单位名称 | 西南大学 | 重庆市第九人民医院 |\n| 地址 | 重庆市北碚区 | 重庆市北碚区 |\n" + _ZH_BODY,
        ["西南大学", "重庆市第九人民医院"],
    ),
    (
        "parties listed in a table without labels: | 序号 | 单位名称 | 联系人 |, the body saying 双方",
        "联合培养协议\n合作单位：\n| 序号 | 单位名称 | 联系人 |\n| 1 | 重庆医科大学 | 王某 |\n| 2 | 重庆市万州区人民政府 | 李某 |\n"
        "一、双方共同制定培养方案。\n二、双方各自承担费用。\n",
        ["重庆医科大学", "重庆市万州区人民政府"],
    ),
    (
        "the two bodies named only in the title (X与Y战略合作协议), the body saying 双方",
        "重庆大学与重庆市万州区人民政府战略合作协议\n为深化校地合作，双方经友好协商，达成如下协议：\n"
        "一、双方共建研究院。\n二、双方定期会商。\n",
        ["重庆大学", "重庆市万州区人民政府"],
    ),
    (
        "甲方（盖章）/乙方（盖章） as columns over the names in the signature block, the head left blank",
        "合作协议书\n甲方：\n乙方：\n" + _ZH_BODY + "甲方（盖章）                    乙方（盖章）\n"
        "重庆邮电大学                    华为技术有限公司\n2024年5月1日                    2024年5月1日\n",
        ["重庆邮电大学", "华为技术有限公司"],
    ),
    (
        "a bilingual head flattened into one line: 甲方：X English X 乙方：Y English Y",
        "合作协议 Cooperation Agreement\n甲方：重庆大学 Party A: Chongqing University 乙方：香港理工大学 Party B: "
        "The Hong Kong Polytechnic University\n" + _ZH_BODY,
        ["重庆大学", "香港理工大学"],
    ),
]

#: Written before the rules of LAYOUTS_2's families were set, scored once after (see test_public_names).
LAYOUTS_2_HELDOUT: list[tuple[str, str, list[str | None]]] = [
    (
        "memorandum: 'is made by the X (ABBR) and the Y (ABBR).'",
        "MEMORANDUM OF UNDERSTANDING\nThis Memorandum of Understanding is made by the University of Tokyo "
        "(UTokyo) and the Chinese Academy of Sciences (CAS).\n" + _EN_BODY,
        ["University of Tokyo", "Chinese Academy of Sciences"],
    ),
    (
        "memorandum 'entered into between X, located at …, and Y, located at …'",
        "MEMORANDUM OF UNDERSTANDING\nThis Memorandum of Understanding (MOU) is entered into between Imperial "
        "College London, located at Exhibition Road, London, and Tsinghua University, located at Haidian "
        "District, Beijing.\n" + _EN_BODY,
        ["Imperial College London", "Tsinghua University"],
    ),
    (
        "合作方一 / 合作方二",
        "科研合作协议\n合作方一：华中科技大学\n合作方二：武汉市人民政府\n一、双方共建实验室。\n二、双方共享成果。\n",
        ["华中科技大学", "武汉市人民政府"],
    ),
    (
        "主办方 / 承办方 / 协办方 on one line each",
        "会议合作协议\n主办方：重庆市科学技术局\n承办方：重庆邮电大学\n协办方：重庆长安汽车股份有限公司\n"
        "一、主办方负责指导。\n二、承办方负责组织。\n三、协办方负责赞助。\n",
        ["重庆市科学技术局", "重庆邮电大学", "重庆长安汽车股份有限公司"],
    ),
    (
        "委托方 / 受托方 only, 委托方（盖章） in the signature block",
        "技术服务合同\n委托方：中国汽车工程研究院股份有限公司\n受托方：重庆大学\n一、受托方提供检测服务。\n"
        "二、委托方支付费用。\n委托方（盖章）：\n受托方（盖章）：\n",
        ["中国汽车工程研究院股份有限公司", "重庆大学"],
    ),
    (
        "a table with a 单位名称 column and the party's letter in the first column",
        "合作协议\n| 合作方 | 单位名称 | 地址 |\n| 甲方 | 重庆医科大学附属第一医院 | 重庆市渝中区 |\n"
        "| 乙方 | 重庆智飞生物制品股份有限公司 | 重庆市江北区 |\n" + _ZH_BODY,
        ["重庆医科大学附属第一医院", "重庆智飞生物制品股份有限公司"],
    ),
    (
        "the two bodies named only in a title 'X、Y共建…协议', the body saying 双方",
        "西南大学、重庆市北碚区人民政府共建科技园协议\n双方本着互利共赢的原则，达成如下协议：\n"
        "一、双方共建科技园。\n二、双方共同管理。\n",
        ["西南大学", "重庆市北碚区人民政府"],
    ),
    (
        "甲方（盖章）：X and 乙方（盖章）：Y on one line of the signature block, the head left blank",
        "战略合作协议\n甲方：\n乙方：\n"
        + _ZH_BODY
        + "甲方（盖章）：重庆两江新区管理委员会    乙方（盖章）：京东方科技集团股份有限公司\n",
        ["重庆两江新区管理委员会", "京东方科技集团股份有限公司"],
    ),
    (
        "a bilingual head flattened into one line, the English names first",
        "Cooperation Agreement 合作协议\nParty A: Southwest University 甲方：西南大学 Party B: Huawei "
        "Technologies Co., Ltd. 乙方：华为技术有限公司\n" + _ZH_BODY,
        ["西南大学", "华为技术有限公司"],
    ),
]

#: Signature blocks laid out around 甲方（盖章）/乙方（盖章） (the head left blank or naming nobody), written
#: before the rules for a date or a blank field beside the seal, a seal without a colon and columns with
#: colons were set (from the rows in test_party_families), and scored once after.
SEALS_HELDOUT: list[tuple[str, str, list[str | None]]] = [
    (
        "甲方（盖章）：X 签订日期：… on one line, the head left blank",
        "技术服务合同\n甲方：\n乙方：\n"
        + _ZH_BODY * 2
        + "甲方（盖章）：重庆医科大学  签订日期：2023年3月1日\n"
        "乙方（盖章）：重庆智飞生物制品股份有限公司  签订日期：2023年3月1日\n",
        ["重庆医科大学", "重庆智飞生物制品股份有限公司"],
    ),
    (
        "甲方（公章）X without a colon, in the head",
        "合作协议书\n甲方（公章）西南大学\n乙方（公章）重庆市北碚区人民政府\n" + _ZH_BODY,
        ["西南大学", "重庆市北碚区人民政府"],
    ),
    (
        "甲方（盖章）：/乙方（盖章）： with colons over two columns of names",
        "战略合作协议\n甲方：\n乙方：\n" + _ZH_BODY * 2 + "甲方（盖章）：                    乙方（盖章）：\n"
        "重庆邮电大学                      重庆长安汽车股份有限公司\n",
        ["重庆邮电大学", "重庆长安汽车股份有限公司"],
    ),
    (
        "甲方（盖章）： then 授权代表（签字）： blank, the name below",
        "委托协议\n甲方：\n乙方：\n" + _ZH_BODY * 2 + "甲方（盖章）：\n授权代表（签字）：\n重庆市科学技术局\n"
        "乙方（盖章）：\n授权代表（签字）：\n重庆大学\n",
        ["重庆市科学技术局", "重庆大学"],
    ),
    (
        "a signature table: | 甲方（盖章）：X | 乙方（盖章）：Y |",
        "合作协议\n甲方：\n乙方：\n"
        + _ZH_BODY * 2
        + "| 甲方（盖章）：华中科技大学 | 乙方（盖章）：华为技术有限公司 |\n"
        "| 日期： | 日期： |\n",
        ["华中科技大学", "华为技术有限公司"],
    ),
    (
        "甲方（签章）：X 法定代表人：张某 on one line",
        "采购合同\n甲方：\n乙方：\n" + _ZH_BODY * 2 + "甲方（签章）：重庆市第九人民医院 法定代表人：张某\n"
        "乙方（签章）：重庆云帆科技有限公司 法定代表人：李某\n",
        ["重庆市第九人民医院", "重庆云帆科技有限公司"],
    ),
]

#: Heads that label the parties by their role in the contract (发包人/承包人, 出卖人/买受人 and the like)
#: instead of 甲方/乙方, as model contracts do; written before the rule for such labels was set (from rows in
#: test_party_families) and scored once after.
ROLES_HELDOUT: list[tuple[str, str, list[str | None]]] = [
    (
        "建设工程施工合同: 发包人（全称）：X / 承包人（全称）：Y",
        "建设工程施工合同\n发包人（全称）：重庆市万州区教育委员会\n承包人（全称）：中国建筑第八工程局有限公司\n"
        "一、工程概况\n二、发包人按期支付工程款。\n三、承包人按期竣工。\n",
        ["重庆市万州区教育委员会", "中国建筑第八工程局有限公司"],
    ),
    (
        "买卖合同: 出卖人：X / 买受人：Y",
        "设备买卖合同\n出卖人：重庆长安汽车股份有限公司\n买受人：重庆城市管理职业学院\n"
        "第一条 出卖人按期交付设备。\n第二条 买受人按期付款。\n",
        ["重庆长安汽车股份有限公司", "重庆城市管理职业学院"],
    ),
    (
        "技术转让合同: 让与人：X / 受让人：Y",
        "技术秘密转让合同\n让与人：中国科学院重庆绿色智能技术研究院\n受让人：京东方科技集团股份有限公司\n"
        "第一条 让与人提供技术资料。\n第二条 受让人支付使用费。\n",
        ["中国科学院重庆绿色智能技术研究院", "京东方科技集团股份有限公司"],
    ),
    (
        "租赁合同: 出租方：X / 承租方：Y, each with 法定代表人 below",
        "房屋租赁合同\n出租方：重庆两江新区开发投资集团有限公司\n法定代表人：王某\n承租方：重庆邮电大学\n法定代表人：李某\n"
        "一、出租方将房屋出租给承租方。\n二、承租方按月支付租金。\n",
        ["重庆两江新区开发投资集团有限公司", "重庆邮电大学"],
    ),
    (
        "合作备忘录: 第一方：X / 第二方：Y",
        "合作备忘录\n第一方：香港理工大学\n第二方：华中科技大学\n一、双方开展联合研究。\n二、双方互派学者。\n",
        ["香港理工大学", "华中科技大学"],
    ),
    (
        "委托合同: 委托人：X / 受托人：Y, a witness that is no party",
        "委托合同\n委托人：重庆市第九人民医院\n受托人：北京市金杜律师事务所\n见证方：重庆市公证处\n"
        "第一条 受托人代为处理法律事务。\n第二条 委托人支付报酬。\n",
        ["重庆市第九人民医院", "北京市金杜律师事务所"],
    ),
]
