"""What both languages share: clauses' own text, the candidate unit and how it becomes a commitment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..grammar import find_amount, find_due, find_recurrence, is_conditional, is_timing_word
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
    # Where the unit's deadline may be written when its quote has none (English): the sentence before
    # the piece ("During the term …, X shall … and will not …") or the lead-in of its list.
    due_context: tuple[int, int] | None = None


def build_commitment(
    text: str, lang: str, unit: Unit, clause: int | None, signed_on: date | None
) -> Commitment:
    quote = text[unit.start : unit.end]
    due, resolved = find_due(quote, lang, signed_on)
    if unit.due_context is not None and (due is None or is_timing_word(due, lang)):
        # README, Due: the event or period the sentence names wins over a timing word on the action.
        a, b = unit.due_context
        context_due, context_resolved = find_due(text[a:b], lang, signed_on)
        if (
            context_due is not None
            and not is_timing_word(context_due, lang)
            # only a time phrase that opens the sentence governs all of it ("Upon termination, …")
            and text[a:b].lstrip().lower().startswith(context_due.lower())
        ):
            due, resolved = context_due, context_resolved
    action_text = text[unit.action_start : unit.end]
    action = re.sub(r"\s+", "", action_text)[:40] if lang == "zh" else " ".join(action_text.split()[:14])
    action = re.sub(r"^\(\w{1,4}\)\s*", "", action)
    if lang == "en":
        # "agree to jointly develop …": who acts together is the party (both), the action is the verb.
        action = (
            re.sub(r"(?i)^(?:(?:jointly|also|further|mutually|severally|together)\b[\s,]*)+", "", action)
            or action
        )
    action = unit.action_prefix + action
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


# What begins a new unit on a line of its own: clause markers, bullets, party headings.
_LINE_MARKER = re.compile(
    r"[ \t]*(?:第\s*[0-9０-９一二三四五六七八九十百]+\s*[条章节]|[一二三四五六七八九十]+\s*、|"
    r"[（(]\s*(?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3}|[a-zA-Z]|[ivxIVX]{1,4})\s*[)）]|"
    r"[0-9０-９]{1,3}(?:[.．][0-9０-９]{1,3}){0,3}[.．、)）]?(?=\s|[\u4e00-\u9fff])|[a-zA-Z][.)](?=\s)|"
    r"[•·▪■□◆●○\-–—*]|(?:Article|ARTICLE|Section|SECTION|Clause|Item|Chapter|Schedule|Annex|Exhibit)\b|"
    r"[\u4e00-\u9fff]{1,4}方[：:])"
)
_ENDS_UNIT = set("。；;！？!?：:")
# An English word and a full stop at the end of a line, not an abbreviation ("Inc.", "No.", "e.g.", "U.S.").
_EN_FULL_STOP_END = re.compile(
    r"(?<![A-Za-z.])(?!(?i:etc|approx|incl|viz|cf|vs|no|nos|co|inc|corp|ltd|llc|dr|mr|ms|mrs|prof|sec|art|st|seq|al|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|jr|sr|bros|dept|govt|assn|ave|blvd|vol|fig|para)\.$)"
    r"[A-Za-z][a-z]+[)\"”']?\.$|[0-9)][)\"”']?\.$(?<![0-9]\.)"
)
_GLUE_END = set("，,、-‐")


class Lines:
    """Which line breaks end a sentence and which only wrap a long line (text flattened from a PDF).

    A break wraps when the line before it stops mid-sentence (a comma, a hyphen, or an English line
    followed by a lower-case word) or reaches the page's usual width, and the next line does not open
    a clause, a list item or a party heading. Blank lines always end the sentence.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # The width of a filled line, from the lines that stop mid-sentence: wrapped lines reach it,
        # headings stop short, and paragraphs that end a sentence (DOCX, TXT) do not count.
        lengths = sorted(
            len(stripped)
            for stripped in (line.strip() for line in text.split("\n"))
            if len(stripped) >= 8 and stripped[-1] not in _ENDS_UNIT and stripped[-1] not in ".。"
        )
        self.width = lengths[len(lengths) * 3 // 4] if len(lengths) >= 2 else 0

    def wraps(self, nl: int) -> bool:
        text = self.text
        line_start = text.rfind("\n", 0, nl) + 1
        prev = text[line_start:nl].rstrip()
        nxt_end = text.find("\n", nl + 1)
        nxt = text[nl + 1 : nxt_end if nxt_end >= 0 else len(text)]
        if not prev or not nxt.strip():
            return False
        last = prev[-1]
        if last in _ENDS_UNIT or _LINE_MARKER.match(nxt):
            return False
        if last in _GLUE_END:
            return True
        first = nxt.lstrip()[:1]
        if first.islower() and (last.isalnum() or last in ")）\"”'"):
            return True
        if _EN_FULL_STOP_END.search(prev) and (first.isupper() or first in '("“'):
            return False  # "… in a professional manner.\nThe City will …": an English sentence ends
        return bool(self.width) and len(prev.strip()) >= 0.85 * self.width
