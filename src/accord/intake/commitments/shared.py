"""What both languages share: clauses' own text, the candidate unit and how it becomes a commitment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..grammar import find_amount, find_due, find_recurrence, is_conditional
from ..model import Clause, Commitment

_AFTER_HEADING = re.compile(r"[ \t]*[：:.]?")
# No sentence of an agreement is this long; longer runs (text without punctuation) are read in windows
# of this size, which keeps the rules' work per window bounded and the whole extraction linear.
MAX_SENTENCE = 1200
# A list's lead-in ("乙方应：", "Party A shall:") is the end of its parent's own text; reading only
# this much of it keeps the work per list item bounded.
LEAD_IN_WINDOW = 400
_BREAKS = " \t\n，,、；;"


@dataclass
class Span:
    start: int
    end: int
    clause: int | None


def own_spans(text: str, clauses: list[Clause]) -> list[Span]:
    """Each clause's own text (marker and heading removed, children excluded)."""
    spans: list[Span] = []
    for i, clause in enumerate(clauses):
        start = clause.start + (len(clause.number) if clause.number else 0)
        if clause.heading:
            idx = text.find(clause.heading, start, start + len(clause.heading) + 8)
            if idx >= 0:
                start = idx + len(clause.heading)
                m = _AFTER_HEADING.match(text, start)
                if m:
                    start = m.end()
        end = clauses[i + 1].start if i + 1 < len(clauses) else clause.end
        end = min(end, clause.end) if clause.end > clause.start else end
        if end > start:
            spans.append(Span(start, end, i))
    return spans


def parents_of(clauses: list[Clause]) -> list[int | None]:
    parents: list[int | None] = []
    stack: list[int] = []
    for i, clause in enumerate(clauses):
        while stack and clauses[stack[-1]].level >= clause.level:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(i)
    return parents


def trim(text: str, start: int, end: int, lead: str, trail: str) -> tuple[int, int]:
    while start < end and text[start] in lead:
        start += 1
    while end > start and text[end - 1] in trail:
        end -= 1
    return start, end


@dataclass
class Unit:
    start: int
    end: int
    party: str | None
    action_start: int
    conditional: bool = False  # a condition was cut off the front of the quote
    action_prefix: str = ""  # "not " for items of "shall not (a) …, (b) …"


def build_commitment(
    text: str, lang: str, unit: Unit, clause: int | None, signed_on: date | None
) -> Commitment:
    quote = text[unit.start : unit.end]
    due, resolved = find_due(quote, lang, signed_on)
    action_text = text[unit.action_start : unit.end]
    action = re.sub(r"\s+", "", action_text)[:40] if lang == "zh" else " ".join(action_text.split()[:14])
    action = unit.action_prefix + re.sub(r"^\(\w{1,4}\)\s*", "", action)
    return Commitment(
        party=unit.party,
        action=action,
        due=due,
        due_resolved=resolved,
        recurrence=find_recurrence(quote, lang),
        amount=find_amount(quote, lang),
        conditional=unit.conditional or is_conditional(quote, lang),
        quote=quote,
        quote_start=unit.start,
        quote_end=unit.end,
        clause_index=clause,
    )


def bounded(text: str, spans: list[tuple[int, int]], limit: int = MAX_SENTENCE) -> list[tuple[int, int]]:
    """``spans`` with every span longer than ``limit`` cut into windows, at a space or comma if one is near."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while end - start > limit:
            cut = max(text.rfind(ch, start + limit // 2, start + limit) for ch in _BREAKS)
            cut = cut + 1 if cut > start else start + limit
            out.append((start, cut))
            start = cut
        out.append((start, end))
    return out
