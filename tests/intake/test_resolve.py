"""Party names found in the registry: exact, aliases, short names and abbreviations, the other language,
units under their parent, ties, and new organisations with a kind guessed from the name."""

from __future__ import annotations

import pytest

from accord.intake.resolve import (
    RegistryIndex,
    RegistryOrg,
    guess_kind,
    new_kind_in_context,
    resolve,
    resolve_all,
)

INDEX = RegistryIndex.build(
    [
        RegistryOrg(1, "重庆大学", "Chongqing University", ("重大", "CQU"), (), None, "university"),
        RegistryOrg(
            2,
            "重庆市万州区人民政府",
            "People's Government of Wanzhou District",
            ("万州区政府",),
            ("万县市人民政府",),
        ),
        RegistryOrg(3, None, "Montana State University", (), (), None, "university"),
        RegistryOrg(4, "重庆医科大学", None),
        RegistryOrg(5, "北京大学", None),
        RegistryOrg(6, "北京体育大学", None),
        RegistryOrg(7, None, "Michigan State University"),
    ]
)


@pytest.mark.parametrize(
    ("name", "org", "reason"),
    [
        ("重庆大学", 1, "exact"),
        ("甲方：重庆大学", 1, "exact"),
        ("重 庆 大 学", 1, "exact"),
        ("Chongqing University", 1, "exact"),
        ("the Chongqing University", 1, "exact"),
        ("重大", 1, "short_name"),
        ("CQU", 1, "short_name"),
        ("万县市人民政府", 2, "alias"),
        ("Wanzhou District People's Government", 2, "similar"),
        ("Chongqing Medical University", 4, "translation"),
        ("北体大", 6, "abbreviation"),
        ("Montana State Univ.", 3, "exact"),
        ("重庆医大", 4, "abbreviation"),
        ("北大", 5, "abbreviation"),
        ("重庆大学（筹）", 1, "exact"),
    ],
)
def test_known_names_are_found_with_their_reason(name: str, org: int, reason: str) -> None:
    found = resolve(name, INDEX)
    assert (found.organisation_id, found.reason) == (org, reason)
    assert 0.0 < found.confidence <= 1.0


def test_an_abbreviation_two_organisations_share_is_ambiguous_and_names_both() -> None:
    found = resolve("MSU", INDEX)  # Montana State University and Michigan State University
    assert found.organisation_id is None and found.reason == "ambiguous"
    assert {c.organisation_id for c in found.candidates} == {3, 7}


def test_a_unit_of_a_known_organisation_is_proposed_under_it() -> None:
    found = resolve("重庆大学建筑城规学院", INDEX)
    assert (found.reason, found.new_parent_id, found.new_kind) == ("new_unit", 1, "university")


def test_unknown_names_are_new_organisations_of_a_guessed_kind() -> None:
    found = resolve("重庆云帆智能科技有限公司", INDEX)
    assert (found.organisation_id, found.reason, found.new_kind) == (None, "new", "enterprise")
    assert resolve("________", INDEX).reason == "empty"


def test_one_organisation_is_not_given_to_two_parties() -> None:
    first, second = resolve_all(["重庆大学", "重大"], INDEX)
    assert first.organisation_id == 1 and second.organisation_id is None and second.reason == "ambiguous"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("重庆大学", "university"),
        ("重庆大学附属三峡医院", "hospital"),
        ("万州区人民政府", "government"),
        ("万州区教育委员会", "government"),
        ("重庆市万州区科学技术局", "government"),
        ("中国建筑西南设计研究院有限公司", "enterprise"),
        ("长江生态环境研究院", "institute"),
        ("武汉理工大学教育发展基金会", "other"),
        ("Montana State University", "university"),
        ("City of Bozeman", "government"),
        ("Bosch Security Systems, Inc.", "enterprise"),
        ("Johns Hopkins Hospital", "hospital"),
        ("University of Iowa Research Foundation", "other"),
        ("重庆三峡医药高等专科学校", "university"),
        ("万州区公安局龙都派出所", "government"),
        ("万州区高笋塘街道社区卫生服务站", "hospital"),
        ("重庆出版社", "enterprise"),
        ("重庆市产品质量监督检验中心", "institute"),
        ("Massachusetts Institute of Technology", "university"),
        ("The University of Texas M. D. Anderson Cancer Center", "hospital"),
        ("Anixa Biosciences", "enterprise"),
        ("Energy Foundation", "other"),
        ("重庆市国土资源和房屋勘测规划院", "institute"),
        ("重庆市技术转移中心", "institute"),
        ("万州区政务服务中心", "government"),
        ("重庆市公共资源交易中心", "government"),
        ("中国建筑西南设计研究院有限公司", "enterprise"),
        ("Institut Pasteur", "institute"),
        ("Zeta", "other"),
    ],
)
def test_the_kind_of_a_new_organisation_is_guessed_from_its_name(name: str, kind: str) -> None:
    assert guess_kind(name) == kind


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("Zeta", 'between Acme and Zeta, a Nevada corporation ("Zeta")', "enterprise"),
        ("Zeta", "Zeta, a non-profit corporation organised under the laws of Iowa", "other"),
        ("Zeta", "Zeta, an agency of the State of Montana", "government"),
        ("Zeta", "Zeta, a public research university", "university"),
        ("某某", "某某是一家综合性私立医院，现与甲方合作", "hospital"),
        ("某某", "某某是一家高新技术企业", "enterprise"),
        # What the text says does not overrule a name that says what the body is.
        ("Zeta Foundation", "Zeta Foundation, a Delaware corporation", "other"),
        ("Zeta", "Zeta shall deliver the goods.", "other"),
    ],
)
def test_a_name_that_does_not_say_its_kind_takes_it_from_the_text(name: str, text: str, kind: str) -> None:
    assert new_kind_in_context(name, text) == kind
