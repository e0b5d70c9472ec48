"""Kinds guessed for names of real public bodies that no labelled agreement holds.

The lists in ``fixtures/names`` were written from public knowledge of the organisations and labelled by
what each body is, not by Accord's answers: ``kinds_zh.tsv`` and ``kinds_en.tsv`` are the names the kind
rules were corrected on; ``kinds_heldout.tsv`` was written after those rules were set and scored once
(0.945 then; the campus family, 校区, was added after reading its misses). The floors keep the families
from falling back; a name listed as a known miss may start to pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import pytest

from accord.intake import extract
from accord.intake.party_names import complete_parties
from accord.intake.resolve import SURE, RegistryIndex, RegistryOrg, guess_kind, resolve

from .public_preambles import (
    HELDOUT,
    LAYOUTS,
    LAYOUTS_2,
    LAYOUTS_2_HELDOUT,
    PREAMBLES,
    ROLES_HELDOUT,
    SEALS_HELDOUT,
)

_NAMES = Path(__file__).parent / "fixtures" / "names"
_KINDS = {"university", "government", "enterprise", "hospital", "institute", "other"}


def _rows(file: str) -> list[tuple[str, str, str]]:
    rows = []
    for number, line in enumerate((_NAMES / file).read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        name, kind, source = line.split("\t")
        assert kind in _KINDS, f"{file} line {number}: unknown kind {kind!r}"
        rows.append((name, kind, source))
    return rows


@pytest.mark.parametrize(
    ("file", "floor"),
    [
        ("kinds_zh.tsv", 0.99),
        ("kinds_en.tsv", 0.98),
        ("kinds_heldout.tsv", 0.95),
        ("kinds_families.tsv", 1.0),
        # Scored once when written, after the families' rules were set: 12 of 17 (0.706).
        # Scored once when written, after the families' rules were set: 12 of 17 (0.706); 17 of 17 after the
        # families of kinds_families_2.tsv.
        ("kinds_families_heldout.tsv", 0.7),
        ("kinds_families_2.tsv", 1.0),
        # Written before the rules of kinds_families_2.tsv, scored once after them: 16 of 19 (9 of 19 before);
        # 19 of 19 once Instituto Universitário, Institut Supérieur and theatre companies were read.
        ("kinds_families_2_heldout.tsv", 1.0),
        ("kinds_public_bodies.tsv", 1.0),
        # Written before the rules for courts, legislatures, ports and patrols, scored once after them: 11 of 12
        # (1 before); the Bundestag, a legislature named in its own language, was then read.
        ("kinds_public_bodies_heldout.tsv", 1.0),
    ],
)
def test_kinds_of_public_bodies_stay_above_their_floor(file: str, floor: float) -> None:
    rows = _rows(file)
    misses = [(name, kind, guess_kind(name)) for name, kind, _source in rows if guess_kind(name) != kind]
    accuracy = 1 - len(misses) / len(rows)
    assert accuracy >= floor, f"{file}: {accuracy:.3f} < {floor}; misses: {misses}"


def test_the_name_lists_hold_each_name_once() -> None:
    names = [
        name
        for file in (
            "kinds_zh.tsv",
            "kinds_en.tsv",
            "kinds_heldout.tsv",
            "kinds_families.tsv",
            "kinds_families_heldout.tsv",
            "kinds_families_2.tsv",
            "kinds_families_2_heldout.tsv",
            "kinds_public_bodies.tsv",
            "kinds_public_bodies_heldout.tsv",
        )
        for name, _k, _s in _rows(file)
    ]
    assert len(names) == len(set(names))


# Resolution -------------------------------------------------------------------------------------


def _registry() -> tuple[RegistryIndex, dict[str, RegistryOrg]]:
    orgs: dict[str, RegistryOrg] = {}
    for line in (_NAMES / "registry.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, zh, en, short = line.split("\t")
        orgs[key] = RegistryOrg(
            len(orgs) + 1,
            name_zh=zh or None,
            name_en=en or None,
            short_names=tuple(s for s in short.split(";") if s),
            kind=guess_kind(zh or en),
        )
    return RegistryIndex.build(orgs.values()), orgs


def _generated(orgs: dict[str, RegistryOrg]) -> list[tuple[str, str, str]]:
    """The spellings an office makes of each registry name without thinking of them as other names."""
    t2s = opencc.OpenCC("s2t")
    out: list[tuple[str, str, str]] = []
    for key, org in orgs.items():
        if org.name_zh:
            zh = org.name_zh
            out.append((str(t2s.convert(zh)), key, "traditional"))
            if "（" in zh:
                out.append((zh.replace("（", "(").replace("）", ")"), key, "brackets"))
            out.append((f"甲方：{zh}", key, "label"))
        if org.name_en:
            en = org.name_en
            out.append((en.upper(), key, "case"))
            out.append((en[4:] if en.startswith("The ") else "The " + en, key, "article"))
            swaps = (
                ("Co., Ltd.", "Company Limited"),
                ("Company Limited", "Co., Ltd."),
                (" & ", " and "),
                ("University", "Univ."),
                ("L.L.C.", "LLC"),
                (" Inc.", " Incorporated"),
            )
            for old, new in swaps:
                if old in en:
                    out.append((en.replace(old, new), key, "english form"))
    return out


def _variants() -> list[tuple[str, str, str]]:
    rows = []
    for line in (_NAMES / "variants.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            written, expected, family = line.split("\t")
            rows.append((written, expected, family))
    return rows


def resolution_figures(
    variants: list[tuple[str, str, str]] | None = None, generated: bool = True
) -> dict[str, object]:
    """Links made and missed over the written and generated variants: a link is any answer naming an
    organisation (sure or asked); "sure" counts only those taken without asking."""
    index, orgs = _registry()
    ids = {key: org.id for key, org in orgs.items()}
    counts = {"links": 0, "right": 0, "expected": 0, "sure": 0, "sure_right": 0, "units": 0, "units_right": 0}
    wrong: list[tuple[str, str, str]] = []
    missed: list[tuple[str, str, str]] = []
    rows = (_variants() if variants is None else variants) + (_generated(orgs) if generated else [])
    for written, expected, _family in rows:
        found = resolve(written, index)
        linked = found.organisation_id
        if expected.startswith("unit:"):
            counts["units"] += 1
            parent = ids[expected[5:]]
            if found.reason == "new_unit" and found.new_parent_id == parent:
                counts["units_right"] += 1
            elif linked is not None:
                wrong.append((written, expected, found.matched))
            else:
                missed.append((written, expected, found.reason))
        elif expected != "new":
            counts["expected"] += 1
        if linked is None:
            if expected not in ("new",) and not expected.startswith("unit:"):
                missed.append((written, expected, found.reason))
            continue
        counts["links"] += 1
        sure = found.confidence >= SURE
        counts["sure"] += sure
        if expected in ids and ids[expected] == linked:
            counts["right"] += 1
            counts["sure_right"] += sure
        elif not expected.startswith("unit:"):
            wrong.append((written, expected, found.matched))
    links, right = counts["links"], counts["right"]
    return {
        **counts,
        "precision": round(right / links, 3) if links else 1.0,
        "recall": round(right / counts["expected"], 3) if counts["expected"] else 1.0,
        "sure_precision": round(counts["sure_right"] / counts["sure"], 3) if counts["sure"] else 1.0,
        "wrong": wrong,
        "missed": missed,
    }


def _variant_rows(file: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in (_NAMES / file).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            written, expected, family = line.split("\t")
            rows.append((written, expected, family))
    return rows


def _heldout_variants() -> list[tuple[str, str, str]]:
    return _variant_rows("variants_heldout.tsv")


def test_written_and_generated_variants_are_resolved_without_wrong_sure_links() -> None:
    figures = resolution_figures()
    assert figures["sure_precision"] == 1.0, figures["wrong"]
    assert figures["precision"] >= 0.99, figures["wrong"]
    assert figures["recall"] >= 0.99, figures["missed"]
    assert figures["units_right"] == figures["units"], figures["missed"]


def test_heldout_variants_stay_above_their_floor() -> None:
    # Scored once when written (precision 0.913, recall 0.840); read and corrected after (branches under a
    # short name, 教委, a street office under its district): the floor keeps what that gave.
    figures = resolution_figures(_heldout_variants(), generated=False)
    assert figures["precision"] >= 0.95, figures["wrong"]
    assert figures["recall"] >= 0.99, figures["missed"]  # 1.000 after this round's families


# Party finding ----------------------------------------------------------------------------------


def _without_article(name: str | None) -> str | None:
    return re.sub(r"(?i)^the\s+", "", name) if name else name  # Accord drops a leading "The" by design


@pytest.mark.parametrize(("source", "text", "expected"), PREAMBLES, ids=[s[:40] for s, _t, _e in PREAMBLES])
def test_parties_of_preambles_laid_out_as_public_agreements(
    source: str, text: str, expected: list[str | None]
) -> None:
    found = extract(text)
    names = [_without_article(p.name) for p in complete_parties(text, found.lang, found.parties)]
    assert names == [_without_article(n) for n in expected], source


@pytest.mark.parametrize(("source", "text", "expected"), HELDOUT, ids=[s[:40] for s, _t, _e in HELDOUT])
def test_parties_of_preambles_written_after_the_rules(
    source: str, text: str, expected: list[str | None]
) -> None:
    # Scored once when written: 17 of 21 names, 8 of 10 preambles (15 and 7 before this round's rules);
    # then a deed's PARTIES heading and 统一社会信用代码 beside a name were read as the families they are.
    found = extract(text)
    names = [_without_article(p.name) for p in complete_parties(text, found.lang, found.parties)]
    assert names == [_without_article(n) for n in expected], source


def test_heldout_variants_of_this_rounds_families_stay_above_their_floor() -> None:
    # Scored once when written, after the rules for a branch's place without 市, seats after a company's
    # name and short names of well-known bodies were set: precision 1.000, recall 4 of 6, the four
    # distractors left new.
    figures = resolution_figures(_variant_rows("variants_families_heldout.tsv"), generated=False)
    assert figures["precision"] == 1.0, figures["wrong"]
    # 6 of 6 once two places after a name and a short name without its head word were read.
    assert figures["recall"] == 1.0, figures["missed"]


@pytest.mark.parametrize(
    ("file", "recall"),
    [
        ("variants_families_2.tsv", 1.0),
        # Written before the rules for places after a name and short names without their head word, scored
        # once after: precision 1.000, recall 5 of 5 (1 of 5 before), the four distractors left new.
        ("variants_families_2_heldout.tsv", 1.0),
    ],
)
def test_places_after_a_name_and_short_names_without_their_head_word(file: str, recall: float) -> None:
    figures = resolution_figures(_variant_rows(file), generated=False)
    assert figures["precision"] == 1.0 and figures["sure_precision"] == 1.0, figures["wrong"]
    assert figures["recall"] >= recall, figures["missed"]


def test_parties_of_this_rounds_layouts_stay_above_their_floor() -> None:
    # Scored when written: 16 of 20 names, 8 of 10 preambles; 18 and 9 after 联系电话 beside a name was read
    # as the field it is. The memorandum "entered into by X (CAS) and Y (NSF)" is still missed.
    right = whole = names = 0
    for _source, text, expected in LAYOUTS:
        found = extract(text)
        got = [_without_article(p.name) for p in complete_parties(text, found.lang, found.parties)]
        wanted = [_without_article(n) for n in expected]
        names += len(wanted)
        right += sum(1 for at, name in enumerate(wanted) if at < len(got) and got[at] == name)
        whole += got == wanted
    # 20 and 10 once "entered into by X (CAS)" was read (a proper name joined by "of").
    assert right >= 18 and whole >= 9, (right, whole, names)


@pytest.mark.parametrize(
    ("source", "text", "expected"),
    LAYOUTS_2 + LAYOUTS_2_HELDOUT,
    ids=[s[:40] for s, _t, _e in LAYOUTS_2 + LAYOUTS_2_HELDOUT],
)
def test_parties_of_memoranda_role_heads_tables_and_titles(
    source: str, text: str, expected: list[str | None]
) -> None:
    # LAYOUTS_2: 9 of 18 names, 4 of 9 texts before their rules. LAYOUTS_2_HELDOUT, written before those
    # rules and scored once after them: 18 of 19 names, 8 of 9 texts (14 and 5 before); the one miss, a
    # title "X、Y共建科技园协议" whose second name ran on to 科技园, was then read as its family.
    found = extract(text)
    names = [_without_article(p.name) for p in complete_parties(text, found.lang, found.parties)]
    assert names == [_without_article(n) for n in expected], source


@pytest.mark.parametrize(
    ("source", "text", "expected"), SEALS_HELDOUT, ids=[s[:40] for s, _t, _e in SEALS_HELDOUT]
)
def test_parties_of_signature_blocks_around_seals(source: str, text: str, expected: list[str | None]) -> None:
    # Written before the rules for seal lines were set, scored once after them: 10 of 12 names, 5 of 6 texts
    # (2 and 0 before); the miss, 授权代表（签字）： left blank above the name, was then read as the field it is.
    found = extract(text)
    names = [_without_article(p.name) for p in complete_parties(text, found.lang, found.parties)]
    assert names == [_without_article(n) for n in expected], source


@pytest.mark.parametrize(
    ("source", "text", "expected"), ROLES_HELDOUT, ids=[s[:40] for s, _t, _e in ROLES_HELDOUT]
)
def test_parties_of_heads_labelled_by_role(source: str, text: str, expected: list[str | None]) -> None:
    # Written before the rule for role labels (发包人, 出卖人, 第一方 …) was set, scored once after it: 12 of 12
    # names, 6 of 6 texts (0 and 0 before).
    found = extract(text)
    names = [_without_article(p.name) for p in complete_parties(text, found.lang, found.parties)]
    assert names == [_without_article(n) for n in expected], source
