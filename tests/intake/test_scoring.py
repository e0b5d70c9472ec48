from __future__ import annotations

from datetime import date

from accord.intake import Clause, Commitment, Extraction
from accord.intake.scoring import (
    Counts,
    due_equal,
    lang_of,
    match_clauses,
    match_commitments,
    score_document,
    span_overlap_ok,
    strip_number,
    summarize,
)


def commitment(
    start: int, end: int, party: str, due: str | None = None, recurrence: str | None = None
) -> Commitment:
    return Commitment(
        party=party,
        action="x",
        due=due,
        due_resolved=None,
        recurrence=recurrence,
        amount=None,
        conditional=False,
        quote="x" * (end - start),
        quote_start=start,
        quote_end=end,
        clause_index=None,
    )


def test_numbers_compare_without_surrounding_punctuation() -> None:
    assert strip_number("（一）") == strip_number("(一)") == "一"
    assert strip_number("Article 1.") == "Article 1"
    assert strip_number(None) == ""


def test_clause_matches_need_close_start_and_equal_number_one_to_one() -> None:
    pred = [(10, "1."), (14, "1"), (100, "2.")]
    gold = [(12, "1、"), (106, "2.")]
    assert match_clauses(pred, gold) == [(0, 0)]


def test_overlap_is_measured_against_the_shorter_span() -> None:
    assert span_overlap_ok((0, 10), (5, 100)) == 0.5
    assert span_overlap_ok((0, 10), (10, 20)) == 0.0


def test_commitment_matching_needs_the_same_party_unless_span_only() -> None:
    pred = [(0, 10, "甲方"), (20, 30, "乙方")]
    gold = [(2, 12, "甲方"), (20, 30, "甲方")]
    assert match_commitments(pred, gold, with_party=True) == [(0, 0)]
    assert sorted(match_commitments(pred, gold, with_party=False)) == [(0, 0), (1, 1)]


def test_relative_dues_match_by_text_or_by_resolved_date() -> None:
    signed = date(2020, 7, 27)
    assert due_equal("签约后3个月内", None, "签约后 3个月内", signed)
    assert due_equal("x", date(2020, 10, 27), "签约后3个月内", signed)
    assert not due_equal(None, None, "及时", signed)
    assert due_equal(None, None, None, signed)


def test_document_score_counts_clauses_commitments_and_attributes() -> None:
    extraction = Extraction(
        lang="zh",
        clauses=[Clause("一、", None, 1, "一、", 0, 50), Clause("二、", None, 1, "二、", 50, 90)],
        parties=[],
        signed_on=None,
        term=None,
        commitments=[commitment(2, 20, "甲方", recurrence="annual"), commitment(52, 70, "乙方")],
    )
    gold = {
        "signed_on": None,
        "clauses": [{"number": "一、", "start": 0}, {"number": "三、", "start": 50}],
        "commitments": [
            {"quote": "y" * 18, "quote_start": 2, "party": "甲方", "due": None, "recurrence": "annual"},
            {"quote": "y" * 18, "quote_start": 52, "party": "both", "due": None, "recurrence": None},
        ],
    }
    counts = score_document(extraction, gold, body_bytes=2048, seconds=1.0)
    figures = summarize(counts)
    assert figures["clause_f1"] == 0.5
    assert figures["commitment_precision"] == 0.5 and figures["commitment_recall"] == 0.5
    assert figures["party_accuracy"] == 0.5
    assert figures["due_accuracy"] == 1.0 and figures["recurrence_accuracy"] == 1.0
    assert figures["kb_per_s"] == 2.0


def test_counts_add_up_across_documents() -> None:
    total = Counts(clause_tp=1, clause_pred=2, clause_gold=2) + Counts(
        clause_tp=2, clause_pred=2, clause_gold=3
    )
    assert (total.clause_tp, total.clause_pred, total.clause_gold) == (3, 4, 5)
    assert summarize(Counts())["commitment_f1"] == 0.0


def test_language_comes_from_the_file_name_or_the_gold() -> None:
    assert lang_of("03_zh_four-party.txt") == "zh"
    assert lang_of("contract.txt", {"lang": "en"}) == "en"
