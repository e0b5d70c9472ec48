"""The labelled corpus stays consistent: offsets agree with their anchors, every file is listed with its source."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "data" / "agreements"
SPLITS = [CORPUS / "dev", CORPUS / "locked"]
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
            expected = "locked" if (number - first + 1) % 3 == 0 else "dev"
            assert split.name == expected, f"{stem} is in {split.name}, the split rule puts it in {expected}"


def test_every_gold_file_names_its_parties_and_says_why_it_has_no_commitments() -> None:
    for split in SPLITS:
        for stem in stems(split):
            gold = json.loads((split / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
            assert gold["parties"], f"{stem}: no parties"
            assert gold["commitments"] or gold.get("notes"), f"{stem}: no commitments and no note saying why"
            assert all(item["party"] for item in gold["commitments"]), f"{stem}: a commitment without a party"
