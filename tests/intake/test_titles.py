"""Titles without the furniture around them: breadcrumbs, exhibit numbers, what a lost line break ran in."""

from __future__ import annotations

import pytest

from accord.intake.meta import find_title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("当前位置:范文网› 校企合作协议范本模板\n\n甲方：某公司\n乙方：某大学\n", "校企合作协议"),
        ("首页 >> 合同 >> 技术服务合同\n甲方：某公司\n", "技术服务合同"),
        ("1、共建实验室合作协议书甲方:某某大学乙方:某某有限公司经双方协商……", "共建实验室合作协议书"),
        ("产学研合作协议(模板)甲方:\n乙方:某某学院\n", "产学研合作协议"),
        (
            "某某中学与某某学院合作办学协议Cooperation Agreement between A School and B College一、双方责任",
            "某某中学与某某学院合作办学协议",
        ),
        ("医院托管协议范本20140716\n某某医院托管协议书\n", "医院托管协议"),
        (
            "Exhibit 10.4 STRATEGIC ALLIANCE AGREEMENT THIS AGREEMENT is made on this 1st day of May, 2015",
            "Strategic Alliance Agreement",
        ),
        (
            'EXHIBIT 10.71\n\nMay 04, 2017 Supply Agreement This Supply Agreement (this "Agreement") is made',
            "Supply Agreement",
        ),
        (
            "Acme Ltd.\n\nProject Cooperation Agreement July 2013\n\nParty A: Acme Ltd.",
            "Project Cooperation Agreement",
        ),
        (
            "Exhibit 10.5 PORTIONS OF THIS EXHIBIT WERE OMITTED. SPONSORED RESEARCH AND LICENSE AGREEMENT This Sponsored "
            'Research and License Agreement (this "Agreement") is entered into by Acme, Inc. and Beta University, '
            "and the parties agree to cooperate in research for the benefit of both of them and of the public, with "
            "the results published.",
            "Sponsored Research and License Agreement",
        ),
    ],
)
def test_titles_without_their_furniture(text: str, expected: str) -> None:
    assert find_title(text) == expected


@pytest.mark.parametrize(
    "text", ["合作协议如何写?(20)\n\n(1)执行计划：……", "某某合同怎么写(汇总15篇)\n\n正文……"]
)
def test_pages_about_agreements_give_no_title(text: str) -> None:
    assert find_title(text) is None
