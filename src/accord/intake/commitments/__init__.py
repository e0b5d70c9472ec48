"""Commitment extraction: who undertakes to do what, by when, how often, for how much.

Rules, not a model: a sentence is cut into action units (Chinese at commas and before 并 + verb,
English at "; ", "and <verb>", repeated modals and enumerations); a unit is kept when a contracting
party is its subject (or is implied by an enclosing heading such as 乙方责任与义务 / "Warrants of
Party B", or by a list lead-in) and it carries an obligation cue or starts with an action verb.
Rights, permissions, intentions, generic liability, remedies and boilerplate are dropped.

``shared`` holds what both languages use, ``chinese`` and ``english`` the rules of each.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import date

from ..model import Clause, Commitment, Party
from .chinese import ZhFinder
from .english import EnFinder, name_aliases
from .shared import LEAD_IN_WINDOW, Unit, build_commitment, own_spans, parents_of

# A Chinese undertaking whose subject and modal are written ("双方应…", "如遇…时，甲方须…"): read even
# in a clause under a boilerplate heading (LABELLING.md, Commitments 2).
_ZH_EXPLICIT = re.compile(
    r"(?:[^，,。；]{0,12}[，,])?(?:双方|任何一方|甲方|乙方|丙方)(?:均)?(?:应当|应|必须|须)"
)
# A Chinese lead-in whose object is the list below it ("乙方承诺提供以下服务：", "甲方应履行下列义务："): the
# items are the undertakings, not the umbrella (data/agreements/README.md, Umbrellas), unless the items are
# blanks or descriptions that give no undertaking of their own ("双方负有下列保密义务：＿＿").
_ZH_UMBRELLA = re.compile(
    r"(?:以下|下列|如下)[\u4e00-\u9fff]{0,6}?(?:服务|义务|职责|工作|任务|事项|责任)\s*$"
)
# The shortest span a unit (Chinese, after trimming) or a leftover sentence part can be.
MIN_UNIT = 4

__all__ = ["Candidate", "find_candidates", "find_commitments", "own_spans"]


@dataclass(frozen=True)
class Candidate:
    """A span that may be an undertaking: one the rules proposed, or a sentence (part) they left.

    ``rule`` tells which; ``party_source`` says where a party is found for the span without the rules'
    verdict (its subject, an enclosing heading or lead-in, the previous item, "jointly", none). The learned component
    decides on these; the rules alone keep exactly the ``rule`` ones.
    """

    unit: Unit
    clause: int | None
    rule: bool
    party_source: str
    headings: str  # the enclosing clauses' headings, innermost first
    level: int
    boilerplate: bool  # under a heading such as "Governing law" / 争议解决


def find_candidates(
    text: str,
    lang: str,
    clauses: list[Clause],
    parties: list[Party],
    extra_labels: list[str],
) -> list[Candidate]:
    labels = [p.label for p in parties] + [x for x in extra_labels if x not in {p.label for p in parties}]
    spans = own_spans(text, clauses)
    parents = parents_of(clauses)
    finder: ZhFinder | EnFinder = (
        ZhFinder(text, labels, len(parties), [(p.label, p.name) for p in parties])
        if lang == "zh"
        else EnFinder(text, labels, len(parties), name_aliases([(p.label, p.name) for p in parties]))
    )
    implicit = [finder.heading_party(c, text) for c in clauses]
    out: list[Candidate] = []
    skip_clause = [
        bool(finder.boilerplate_heading(c.heading or ""))
        # "3.其他事项" inside a clause on the work is more of that clause, not the closing provisions
        and not (
            lang == "zh" and c.level > 1 and re.fullmatch(r"其[他它](?:事项|约定|要求)?", c.heading or "")
        )
        for c in clauses
    ]
    last_party: dict[int, str | None] = {}
    titled: set[tuple[int, int]] = set()  # (start, clause) of units read from a clause's heading
    for span in spans:
        idx = span.clause
        start = span.start
        if isinstance(finder, ZhFinder) and idx is not None:
            # "第四条 甲方应向乙方提供的技术资料如下：" reads as a title but is itself an undertaking.
            start = finder.undertaking_heading_start(clauses[idx], span.start)
        if span.end - start < MIN_UNIT:
            continue  # too short to hold a unit or a sentence part (a lone character on its line)
        inherited: str | None = None
        cur: int | None = idx
        while cur is not None:
            if skip_clause[cur]:
                break
            if implicit[cur]:
                inherited = implicit[cur]
                break
            cur = parents[cur]
        boilerplate = idx is not None and _under_boilerplate(idx, clauses, parents, skip_clause)
        listed = False
        lead_in: tuple[int, int] | None = None
        if inherited is None and idx is not None and not boilerplate:
            inherited = finder.umbrella_party(idx, clauses, parents)
            if inherited is not None and isinstance(finder, EnFinder):
                lead_in = _lead_in_sentence(finder, idx, clauses, parents)
        if inherited is not None and idx is not None and not boilerplate:
            listed = _lists_items(text, idx, clauses, parents)
        fallback = None
        if lang == "zh" and idx is not None and idx > 0 and parents[idx - 1] == parents[idx]:
            fallback = last_party.get(idx - 1)
        headings = _headings(idx, clauses, parents)
        level = clauses[idx].level if idx is not None else 0
        negated_list = idx is not None and _negated_lead_in(text, idx, clauses, parents)
        units: list[Unit] = []
        if boilerplate and isinstance(finder, ZhFinder):
            # a party that is the subject of a concrete undertaking in a boilerplate clause
            units = [
                u for u in finder.units(start, span.end, None, None) if _ZH_EXPLICIT.match(text, u.start)
            ]
        elif boilerplate:
            pass
        elif isinstance(finder, EnFinder):
            units = finder.units(span.start, span.end, inherited, fallback, listed=listed)
        else:
            units = finder.units(start, span.end, inherited, fallback)
        if start < span.start and idx is not None:
            titled.update((u.start, idx) for u in units if u.start < span.start)
        for unit in units:
            if lead_in is not None and unit.due_context is None:
                unit.due_context = lead_in  # "During any Services Term, Dr. Murray shall provide:"
            if negated_list and not re.search(
                r"不得|不|禁止|严禁|\bnot\b|\bno\b", text[unit.start : unit.end]
            ):
                unit.action_prefix = "不得" if lang == "zh" else "not "  # "乙方不得：(1) …" / "shall not:"
            _, source = finder.guess_party(unit.start, unit.end, inherited, fallback)
            out.append(Candidate(unit, idx, True, source, headings, level, boilerplate))
            if idx is not None:
                last_party[idx] = unit.party
        # What the rules left: every sentence part that no rule unit touches.
        taken = sorted((u.start, u.end) for u in units)
        previous = last_party.get(idx) if idx is not None else None
        for s_start, s_end in finder.sentences(start, span.end):
            for p_start, p_end in finder.parts(s_start, s_end):
                if p_end - p_start < MIN_UNIT or _touches(taken, p_start, p_end):
                    continue
                party, source = finder.guess_party(p_start, p_end, inherited, fallback or previous)
                unit = Unit(p_start, p_end, party, p_start)
                out.append(Candidate(unit, idx, False, source, headings, level, boilerplate))
    if lang == "zh":
        out = _umbrellas_give_way(text, out, parents)
    if titled:
        # The undertaking in a heading stands for its list only when the items are blanks or amounts:
        # items that take their subject from it are labelled instead ("乙方不得有下列行为：（一）…").
        with_units: set[int] = set()
        opened: set[int] = set()  # clauses whose first unit has been seen (out is in text order)
        for c in out:
            if not c.rule or c.clause is None or c.clause in opened:
                continue
            opened.add(c.clause)
            cur = parents[c.clause] if c.party_source != "subject" else None
            while cur is not None and cur not in with_units:
                with_units.add(cur)
                cur = parents[cur]
        out = [
            c for c in out if not (c.rule and (c.unit.start, c.clause) in titled and c.clause in with_units)
        ]
    out.sort(key=lambda c: (c.unit.start, c.unit.end))
    return out


def find_commitments(
    text: str,
    lang: str,
    clauses: list[Clause],
    parties: list[Party],
    extra_labels: list[str],
    signed_on: date | None,
) -> list[Commitment]:
    """The rules' commitments (every candidate the rules proposed)."""
    candidates = find_candidates(text, lang, clauses, parties, extra_labels)
    return [build_commitment(text, lang, c.unit, c.clause, signed_on) for c in candidates if c.rule]


def _umbrellas_give_way(text: str, out: list[Candidate], parents: list[int | None]) -> list[Candidate]:
    """Rule units that introduce a list whose items the rules read become sentences the rules left."""
    with_items = {parents[c.clause] for c in out if c.rule and c.clause is not None}
    return [
        replace(c, rule=False)
        if c.rule
        and c.clause in with_items
        and re.match(r"\s*[：:]", text[c.unit.end : c.unit.end + 3])
        and _ZH_UMBRELLA.search(text, c.unit.start, c.unit.end)
        else c
        for c in out
    ]


def _touches(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect_left(taken, (start, start))
    return any(a < end and start < b for a, b in taken[max(0, k - 2) : k + 2])


def _headings(idx: int | None, clauses: list[Clause], parents: list[int | None]) -> str:
    names: list[str] = []
    cur = idx
    while cur is not None and len(names) < 3:
        if clauses[cur].heading:
            names.append(clauses[cur].heading or "")
        cur = parents[cur]
    return " | ".join(names)


def _negated_lead_in(text: str, idx: int, clauses: list[Clause], parents: list[int | None]) -> bool:
    """The parent clause introduces a list of prohibitions ("乙方不得有下列行为：", "shall not:")."""
    parent = parents[idx]
    if parent is None:
        return False
    pc = clauses[parent]
    own_end = clauses[parent + 1].start if parent + 1 < len(clauses) else pc.end
    own = text[max(pc.start, own_end - LEAD_IN_WINDOW) : own_end]
    return bool(
        re.search(
            r"(?:不得|禁止|严禁|不能)[^。；;\n]{0,12}[：:]\s*$|\b(?:shall|will|must)\s+not\b[^.;]{0,40}:\s*$",
            own,
        )
    )


# An English lead-in whose items may be noun phrases: "… the following services:", "cooperate in:".
_EN_ITEM_LEAD_IN = re.compile(
    r"(?i)(?:\bthe\s+following\s+(?:[\w-]+\s+(?:and\s+)?){0,3}(?:services|activities|tasks|duties|work|support|"
    r"assistance|responsibilities|obligations|benefits|insurance|coverages?)\b[^.;:]{0,200}|\b(?:cooperat\w*|collaborat\w*|work\s+together|engage|"
    r"participate|assist|support)\s+(?:\w+\s+){0,3}(?:in|on|with|by)(?:\s+the\s+following(?:\s+\w+){0,3})?"
    # "… support project lead finding by:" introduces the means, often as gerunds ("Listing …")
    r"|\bby)"
    r"[\s,]*[:.]\s*$"
)


def _lists_items(text: str, idx: int, clauses: list[Clause], parents: list[int | None]) -> bool:
    """The parent clause ends in a lead-in whose items may be noun phrases (English)."""
    parent = parents[idx]
    if parent is None:
        return False
    pc = clauses[parent]
    own_end = clauses[parent + 1].start if parent + 1 < len(clauses) else pc.end
    return bool(_EN_ITEM_LEAD_IN.search(text, max(pc.start, own_end - LEAD_IN_WINDOW), own_end))


def _lead_in_sentence(
    finder: EnFinder, idx: int, clauses: list[Clause], parents: list[int | None]
) -> tuple[int, int] | None:
    """The last sentence of the parent's own text: the lead-in of the list ``idx`` is an item of."""
    parent = parents[idx]
    if parent is None:
        return None
    pc = clauses[parent]
    own_end = clauses[parent + 1].start if parent + 1 < len(clauses) else pc.end
    sentences = finder.sentences(max(pc.start, own_end - LEAD_IN_WINDOW), own_end)
    return sentences[-1] if sentences else None


def _under_boilerplate(idx: int, clauses: list[Clause], parents: list[int | None], skip: list[bool]) -> bool:
    """True when the nearest headed clause around ``idx`` is boilerplate (governing law, notices ...)."""
    cur: int | None = idx
    while cur is not None:
        if clauses[cur].heading:
            return skip[cur]
        cur = parents[cur]
    return False
