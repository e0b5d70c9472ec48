"""Extraction work grows linearly with the text: counted, never timed (see workmeter.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.intake import extract
from accord.intake.shapes import SHAPES

from .regex_shapes import problems
from .workmeter import measured, module_patterns


def _work(text: str) -> int:
    with measured() as work:
        extract(text)
    return work.total


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_doubling_a_text_of_any_shape_at_most_doubles_the_work(shape: str) -> None:
    make = SHAPES[shape]
    assert _work(make(12_000)) <= 2 * _work(make(6_000)), shape


_PIECES = st.sampled_from(
    [
        "甲方",
        "乙方应",
        "负责",
        "，",
        "。",
        "\n",
        " ",
        "1",
        "年",
        "月",
        "日前",
        "(1)",
        "1.1",
        "一、",
        "_",
        "X",
        "Party A shall ",
        "and ",
        "within 30 days",
        ". ",
        ":",
        "第一条",
        "签约后",
        "3个月内",
        "每年",
        "a",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=6)), min_size=1, max_size=300).map("".join))
def test_random_text_stays_within_a_work_budget_per_character(text: str) -> None:
    # A fixed start-up allowance (patterns compiled on first use) plus a budget per character.
    assert _work(text) <= 40_000 + 300 * len(text)


def test_no_pattern_of_the_engine_has_a_backtracking_shape() -> None:
    seen = module_patterns()
    with measured() as work:  # also the patterns built at run time (party names, inline patterns)
        for make in SHAPES.values():
            extract(make(2_000))
    seen |= work.patterns
    found = {pattern[:80]: problems(pattern, flags) for pattern, flags in seen}
    assert {p: f for p, f in found.items() if f} == {}


@pytest.mark.parametrize(
    "pattern",
    [r"(?:[0-9]+|\s)+\s*月", r"\s*.*", r"(a+)+b", r"(?:\d+\s?)+x", r"[ \t]*\.?[ \t]*\n"],
)
def test_the_shape_check_finds_known_backtracking_patterns(pattern: str) -> None:
    assert problems(pattern)


@pytest.mark.parametrize(
    "pattern",
    [r"(?:[0-9]|\s)++月", r"\d+(?:\.\d+)*", r"[^，,]{0,14}?后\s*", r"(?>\s*)\s*x", r"a+b+"],
)
def test_the_shape_check_accepts_linear_patterns(pattern: str) -> None:
    assert problems(pattern) == []
