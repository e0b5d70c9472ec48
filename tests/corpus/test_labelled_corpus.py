"""The labelled corpus stays consistent: offsets agree with their anchors, every file is listed with its source."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "data" / "agreements"
SPLITS = [CORPUS / "dev", CORPUS / "locked", CORPUS / "fresh"]
NAME = re.compile(r"^(\d{3})_(zh|en)_[a-z0-9-]+$")


def stems(split: Path) -> list[str]:
    return sorted(p.stem for p in (split / "gold").glob("*.json"))


def test_offsets_agree_with_their_anchors() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "anchor-labels"), "--check", *map(str, SPLITS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("split", SPLITS, ids=lambda p: p.name)
def test_every_document_has_a_text_a_header_and_a_source_row(split: Path) -> None:
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    for stem in stems(split):
        assert NAME.match(stem), f"{stem}: name is not NNN_lang_slug"
        header = (split / "texts" / f"{stem}.txt").read_text(encoding="utf-8").split("\n\n", 1)[0]
        assert header.startswith("SOURCE: "), f"{stem}: first line must be SOURCE:"
        assert "\nKIND: " in header, f"{stem}: no KIND: line"
        assert f"`{stem}`" in sources, f"{stem}: no row in SOURCES.md"
        assert f"| {split.name} |" in next(line for line in sources.splitlines() if f"`{stem}`" in line)


def test_every_third_document_of_each_language_is_locked() -> None:
    for split in SPLITS:
        for stem in stems(split):
            number = int(stem[:3])
            first = 101 if stem[4:6] == "zh" else 201
            expected = {"locked"} if (number - first + 1) % 3 == 0 else {"dev", "fresh"}
            assert split.name in expected, f"{stem} is in {split.name}, the split rule puts it in {expected}"


def test_every_gold_file_names_its_parties_and_says_why_it_has_no_commitments() -> None:
    for split in SPLITS:
        for stem in stems(split):
            gold = json.loads((split / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
            assert gold["parties"], f"{stem}: no parties"
            assert gold["commitments"] or gold.get("notes"), f"{stem}: no commitments and no note saying why"
            assert all(item["party"] for item in gold["commitments"]), f"{stem}: a commitment without a party"


def documents() -> list[tuple[str, dict[str, Any], str]]:
    found: list[tuple[str, dict[str, Any], str]] = []
    for split in SPLITS:
        for stem in stems(split):
            gold = json.loads((split / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
            raw = (split / "texts" / f"{stem}.txt").read_text(encoding="utf-8")
            found.append((stem, gold, raw.split("\n\n", 1)[1]))
    return found


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
JOINT = {"both", "all", "either"}
# A group or description names a party, ends in a word for one or more parties, or is a group as written.
DESCRIPTION = re.compile(r"(一方|双方|part(y|ies)|members?)$", re.IGNORECASE)


def test_every_due_is_an_iso_date_or_the_words_of_the_text() -> None:
    """README.md, Conventions: `due` is never paraphrased; whitespace may differ, nothing else."""
    for stem, gold, body in documents():
        flat = re.sub(r"\s+", "", body)
        for index, item in enumerate(gold["commitments"]):
            due = item["due"]
            if due is None or ISO_DATE.match(due):
                continue
            assert re.sub(r"\s+", "", due) in flat, (
                f"{stem} commitment {index}: due {due!r} is not written in the text"
            )


def test_every_party_is_a_label_a_joint_word_or_a_description() -> None:
    for stem, gold, _ in documents():
        labels = {party["label"] for party in gold["parties"]}
        for index, item in enumerate(gold["commitments"]):
            party = item["party"]
            assert (
                party in labels
                or party in JOINT
                or any(label in party for label in labels)
                or DESCRIPTION.search(party)
            ), (
                f"{stem} commitment {index}: party {party!r} is neither a label of {sorted(labels)} nor both/all/either"
            )


def test_indemnities_are_conditional() -> None:
    """LABELLING.md rule 10 (shared 08 is the exception the README names)."""
    for stem, gold, _ in documents():
        for index, item in enumerate(gold["commitments"]):
            if re.search(r"\bindemnif|hold (\w+ )?harmless", item["quote"], re.IGNORECASE):
                assert item["conditional"], f"{stem} commitment {index}: an indemnity must be conditional"
