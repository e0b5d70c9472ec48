"""A folder of agreements as an office keeps it: mixed formats, a format twin, a revised version,
a supplement, an unreadable file, and a ledger (台账) with merged cells and dates written every way."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from docx import Document
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.models import Agreement, AgreementText, Commitment, Organisation, Review

STRATEGIC = """重庆大学 重庆市万州区人民政府 科技创新合作协议

甲方：重庆市万州区人民政府
乙方：重庆大学

为深化校地合作，经双方友好协商，签订本协议。

第一条 合作内容
甲方负责每年安排专项资金五百万元，支持乙方在万州设立研究院。
乙方负责每年选派不少于二十名专家到万州开展技术服务。

第二条 合作期限
本协议有效期五年，自签订之日起生效。

第三条 联席会议
双方每年召开一次联席会议，总结合作进展。

第四条 其他
本协议一式四份，双方各执两份。

甲方（盖章）：重庆市万州区人民政府
授权代表（签字）：蒋雪松
乙方（盖章）：重庆大学
法定代表人（签字）：张宗益
签订日期：2021年3月15日
"""

REVISED = (
    STRATEGIC.replace("五百万元", "八百万元")
    .replace("不少于二十名", "不少于三十名")
    .replace(
        "第三条 联席会议\n双方每年召开一次联席会议，总结合作进展。",
        "第三条 联席会议\n双方每半年召开一次联席会议，总结合作进展，并向上级报告。",
    )
)

SUPPLEMENT = """科技创新合作协议之补充协议

甲方：重庆市万州区人民政府
乙方：重庆大学

双方于2021年3月15日签订的《重庆大学 重庆市万州区人民政府 科技创新合作协议》执行顺利，现补充约定如下：

第一条 甲方负责在2022年6月30日前建成研究院办公场所。
第二条 乙方负责派驻一名常务副院长。

签订日期：2021年9月1日
"""

MOU_EN = """Memorandum of Understanding on Joint Graduate Training

Party A: Chongqing University
Party B: Montana State University

1. Party B shall host ten graduate students from Party A each year.
2. Party A shall pay the tuition of its students.
3. The Parties shall review the programme every two years.

This Memorandum shall remain in force for a period of three years.
Signed on 12 May 2022.
"""

HOSPITAL = """医联体合作协议

甲方：重大
乙方：万州区龙沙镇卫生院

第一条 甲方负责每月派出专家到乙方坐诊。
第二条 乙方负责将疑难病人转诊至甲方。
第三条 本协议有效期三年。

签订日期：2020年11月2日
"""

COMPANY = """技术开发合同

委托方：重庆云帆智能科技有限公司
受托方：重庆大学

第一条 受托方应当在合同签订后六个月内完成样机开发。
第二条 委托方应当支付研究开发经费人民币一百二十万元。

签订日期：2022年1月10日
"""

TRAINING = """干部培训合作协议

甲方：万州区科学技术局
乙方：重庆大学

一、乙方负责每年为甲方举办两期科技管理干部培训班。
二、甲方负责承担培训期间的食宿费用。

签订日期：2021年5月20日
"""

DESIGN = """合作运营协议

甲方：重庆大学建筑城规学院
乙方：万州区规划设计研究院

第一条 甲方负责派出技术骨干参与乙方项目。
第二条 乙方负责提供办公场所。

签订日期：2020年7月27日
"""


def docx_bytes(text: str) -> bytes:
    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip())
    html = f"<html><body style='font-family: \"Noto Sans CJK SC\"'>{body}</body></html>"
    return HTML(string=html).write_pdf()


def ledger_bytes() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["2021年合作协议台账"])
    sheet.append(["序号", "协议名称", "合作单位", "签订日期", "有效期", "责任单位", "联系人"])
    sheet.append(
        [
            1,
            "重庆大学 重庆市万州区人民政府 科技创新合作协议",
            "重庆市万州区人民政府",
            "2021.3.15",
            "5年",
            "科学技术研究院",
            "李明",
        ]
    )
    sheet.append(
        [2, "干部培训合作协议", "万州区科学技术局", "二〇二一年五月二十日", "3年", "继续教育学院", "王芳"]
    )
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(
        [3, "产教融合实习基地协议", "重庆三峡职业学院", "27/07/2020", "2020.7.27-2023.7.26", "教务处", "张伟"]
    )
    sheet.append([4, "校企联合实验室协议", "重庆三峡职业学院", datetime(2020, 9, 1), "3年", "教务处", "张伟"])
    sheet.merge_cells("F6:F7")  # one responsible unit over two rows
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_folder(folder: Path) -> dict[str, Path]:
    """Ten files: two of them format twins, one a revised version, one unreadable; plus the ledger."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {
        "strategic.docx": docx_bytes(STRATEGIC),
        "strategic.pdf": pdf_bytes(STRATEGIC),
        "strategic-revised.txt": REVISED.encode("utf-8"),
        "supplement.docx": docx_bytes(SUPPLEMENT),
        "mou-msu.txt": MOU_EN.encode("utf-8"),
        "hospital.txt": HOSPITAL.encode("gb18030"),
        "company.docx": docx_bytes(COMPANY),
        "training.md": TRAINING.encode("utf-8"),
        "design.html": f"<html><body><pre>{DESIGN}</pre></body></html>".encode(),
        "broken.pdf": b"%PDF-1.4 this is not really a PDF",
    }
    paths = {}
    for name, data in made.items():
        (folder / name).write_bytes(data)
        paths[name] = folder / name
    paths["ledger.xlsx"] = folder.parent / "ledger.xlsx"
    paths["ledger.xlsx"].write_bytes(ledger_bytes())
    return paths


#: The agreements the folder and its ledger give (the twin is attached to, the revision a new version of,
#: the strategic agreement), with a partner each must name and whether its text was imported.
EXPECTED = {
    "重庆大学 重庆市万州区人民政府 科技创新合作协议": ("重庆市万州区人民政府", True),
    "科技创新合作协议之补充协议": ("重庆市万州区人民政府", True),
    "Memorandum of Understanding on Joint Graduate Training": ("Montana State University", True),
    "医联体合作协议": ("万州区龙沙镇卫生院", True),
    "技术开发合同": ("重庆云帆智能科技有限公司", True),
    "干部培训合作协议": ("万州区科学技术局", True),
    "合作运营协议": ("万州区规划设计研究院", True),
    "产教融合实习基地协议": ("重庆三峡职业学院", False),
    "校企联合实验室协议": ("重庆三峡职业学院", False),
}


def check_registry(session: Session, since: int) -> None:
    """The registry after the folder was onboarded: each agreement (numbered above ``since``) with its
    parties in order, its original and text, and proposed commitments waiting for review."""
    created = {
        a.title_zh or a.title_en: a
        for a in session.scalars(select(Agreement).where(Agreement.id > since).order_by(Agreement.id))
    }
    assert set(created) == set(EXPECTED), sorted(created)
    for title, (partner, with_text) in EXPECTED.items():
        agreement = created[title]
        names = [p.organisation.name_zh or p.organisation.name_en for p in agreement.parties]
        assert len(names) >= 2 and partner in names, (title, names)
        proposed = session.scalar(
            select(func.count())
            .select_from(Commitment)
            .where(Commitment.agreement_id == agreement.id, Commitment.review == Review.PROPOSED)
        )
        texts = session.scalar(
            select(func.count()).select_from(AgreementText).where(AgreementText.agreement_id == agreement.id)
        )
        if with_text:
            assert agreement.documents and proposed, (title, proposed)
        else:
            assert not texts and not agreement.documents, title
    strategic = created["重庆大学 重庆市万州区人民政府 科技创新合作协议"]
    assert [p.organisation.name_zh for p in strategic.parties] == ["重庆市万州区人民政府", "重庆大学"]
    assert strategic.signed_on == date(2021, 3, 15)
    # The signatories the text names are the registry's people of each party.
    assert [p.signatory.name_zh if p.signatory else None for p in strategic.parties] == ["蒋雪松", "张宗益"]
    assert len(strategic.documents) == 3  # the DOCX, its PDF twin, the revised text
    versions = session.scalars(
        select(AgreementText.version_no).where(AgreementText.agreement_id == strategic.id)
    ).all()
    assert sorted(versions) == [1, 2]
    assert created["科技创新合作协议之补充协议"].parent_id == strategic.id
    unit = session.scalar(select(Organisation).where(Organisation.name_zh == "重庆大学建筑城规学院"))
    assert unit is not None and unit.parent is not None and unit.parent.name_zh == "重庆大学"
