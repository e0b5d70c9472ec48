"""Regression guard on the shared labelled agreements (skipped when the folder is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.intake import extract
from accord.intake.scoring import Counts, lang_of, score_document, summarize

SHARED = Path(__file__).parents[2].parent / "shared" / "agreements"

# Floors sit a little below the figures measured when the rules were last tuned (see docs/benchmarks.md).
FLOORS = {
    "all": {
        "clause_f1": 0.96,
        "commitment_f1": 0.90,
        "party_accuracy": 0.95,
        "due_accuracy": 0.92,
        "recurrence_accuracy": 0.95,
    },
    "zh": {
        "clause_f1": 0.96,
        "commitment_f1": 0.91,
        "party_accuracy": 0.95,
        "due_accuracy": 0.95,
        "recurrence_accuracy": 0.95,
    },
    "en": {
        "clause_f1": 0.96,
        "commitment_f1": 0.88,
        "party_accuracy": 0.95,
        "due_accuracy": 0.87,
        "recurrence_accuracy": 0.95,
    },
}


def _figures() -> dict[str, dict[str, float]]:
    totals: dict[str, Counts] = {"all": Counts()}
    for text_path in sorted((SHARED / "texts").glob("*.txt")):
        gold = json.loads((SHARED / "gold" / f"{text_path.stem}.json").read_text(encoding="utf-8"))
        body = text_path.read_text(encoding="utf-8").split("\n\n", 1)[1]
        counts = score_document(extract(body), gold)
        lang = lang_of(text_path.name, gold)
        totals["all"] = totals["all"] + counts
        totals[lang] = totals.get(lang, Counts()) + counts
    return {group: summarize(c) for group, c in totals.items()}


@pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="shared agreements folder not available")
def test_extraction_on_shared_agreements_stays_above_the_floors() -> None:
    figures = _figures()
    for group, floors in FLOORS.items():
        for key, floor in floors.items():
            assert figures[group][key] >= floor, (group, key, figures[group][key])


@pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="shared agreements folder not available")
def test_every_shared_quote_offset_is_in_range() -> None:
    for text_path in sorted((SHARED / "texts").glob("*.txt")):
        body = text_path.read_text(encoding="utf-8").split("\n\n", 1)[1]
        for commitment in extract(body).commitments:
            assert body[commitment.quote_start : commitment.quote_end] == commitment.quote
