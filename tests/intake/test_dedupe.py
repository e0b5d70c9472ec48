"""Copies and revisions: the same bytes, the same text in another format, a revised version, and
agreements written on one model text for other parties (not copies)."""

from __future__ import annotations

from accord.intake.dedupe import DuplicateFinder, Fingerprint, signature, similarity, text_hash

BASE = "\n".join(
    f"第{n}条 甲方负责每年安排专项资金{n}百万元，支持乙方在万州设立第{n}个研究中心，乙方负责选派专家开展技术服务。"
    for n in range(1, 21)
)


def _print(
    key: str, text: str, parties: tuple[str, ...] = ("重庆大学", "万州区人民政府"), sha: str = ""
) -> Fingerprint:
    return Fingerprint(key, sha or key, text_hash(text), tuple(signature(text)), parties)


def test_format_twins_revisions_and_model_texts_are_told_apart() -> None:
    finder = DuplicateFinder()
    finder.add(_print("agreement:1", BASE, sha="abc"))
    # The PDF of the same text: page numbers and line breaks added.
    twin = BASE.replace("\n第11条", "\n- 3 -\n第11条").replace("，支持", "，\n支持")
    assert finder.check(_print("item:1", twin)).kind == "same_text"  # type: ignore[union-attr]
    assert finder.check(_print("item:2", "anything", sha="abc")).kind == "same_file"  # type: ignore[union-attr]
    lines = BASE.split("\n")
    revised = "\n".join(
        lines[:14] + [line.replace("百万元", "千万元").replace("专家", "教授") for line in lines[14:]]
    )
    verdict = finder.check(_print("item:3", revised))
    assert verdict is not None and verdict.kind == "revised" and verdict.other == "agreement:1"
    other_parties = _print("item:4", revised, parties=("北京大学", "海淀区人民政府"))
    assert finder.check(other_parties) is None
    assert (
        finder.check(_print("item:5", "完全不同的一份技术开发合同，委托方应当支付研究开发经费。" * 20))
        is None
    )


def test_similarity_estimates_overlap() -> None:
    assert similarity(signature(BASE), signature(BASE)) == 1.0
    assert similarity(signature(BASE), signature("无关的文字" * 100)) < 0.1


def test_two_agreements_on_one_model_text_with_blank_parties_are_told_apart_by_their_titles() -> None:
    from dataclasses import replace

    from accord.intake.dedupe import titles_differ

    placeholders = ("${donationName}", "某某大学教育发展基金会")
    lines = BASE.split("\n")
    other = "\n".join(
        lines[:10]
        + [line.replace("研究中心", "奖学金").replace("技术服务", "学生资助") for line in lines[10:]]
    )
    finder = DuplicateFinder()
    finder.add(replace(_print("agreement:1", BASE, parties=placeholders), title="支持学校发展协议书"))
    assert (
        finder.check(replace(_print("item:1", other, parties=placeholders), title="奖助学金协议书")) is None
    )
    # A revision keeps its title, or changes it as a revision does.
    revised = replace(_print("item:2", other, parties=placeholders), title="支持学校发展协议书（修订稿）")
    assert finder.check(revised) is not None
    assert not titles_differ("重庆大学万州区战略合作框架协议", "重庆大学与万州区战略合作协议")
    assert not titles_differ(
        "Strategic Alliance Agreement", "Amended and Restated Strategic Alliance Agreement"
    )
    assert not titles_differ("", "奖助学金协议书")
