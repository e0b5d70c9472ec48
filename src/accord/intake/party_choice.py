"""The learned party chooser: which of the parties the text offers a candidate undertaking binds.

The rules give each candidate a party (its subject, an enclosing heading, a lead-in, the previous item)
or none. The chooser lists every party the span could bind — each contracting party and extra subject
label, and the group readings ``both``, ``either`` and (three or more parties) ``all`` — and describes
each option by where the text offers it rather than by its words: is it mentioned in the span, before or
after the modal verb and how far from it, is it the mention nearest before the modal (the grammatical
subject), is that mention governed by an object or agent marker (向/与/由/to/with/by …), is it part of a
conjoined subject, named in the innermost or an outer heading, in the lead-in that ends with a colon, the
first party of the previous sentence, and is it the rules' own choice (and where the rules found it).

A per-option logistic regression (fit in :mod:`accord.intake.training`, scikit-learn only there) scores
every option; the best one replaces the rules' party when its probability reaches ``threshold``, and
fills a candidate the rules gave no party when it reaches ``fill``. Both thresholds are chosen by inner
cross-validation on the training documents. The weights ship in the extraction model file; here they are
applied with plain arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from .commitments import Candidate
from .learned import LinearModel
from .model import Party

GROUPS = ("both", "either", "all")

_GROUP_FORMS: dict[str, dict[str, str]] = {
    "zh": {
        "both": r"双方|甲乙双方|共同|彼此|相互",
        "either": r"任何一方|任一方|另一方|一方|守约方|违约方",
        "all": r"三方|各方|全体|所有",
    },
    "en": {
        "both": r"(?i)\b(?:both\s+parties|the\s+parties|parties|jointly|together|mutual(?:ly)?|each\s+other)\b",
        "either": r"(?i)\b(?:either\s+party|each\s+party|any\s+party|a\s+party|neither\s+party|no\s+party|"
        r"the\s+other\s+party|such\s+party)\b",
        "all": r"(?i)\b(?:all\s+(?:of\s+)?(?:the\s+)?parties|each\s+of\s+the\s+parties)\b",
    },
}
_MODAL = {
    "zh": re.compile(r"应当|应该|应|必须|须|需|将|负责|承诺|保证|确保|不得|同意|承担|有权|可以"),
    "en": re.compile(
        r"(?i)\b(?:shall|will|must|agrees?|undertakes?|covenants?|is\s+responsible|are\s+responsible|may)\b"
    ),
}
_MARKER = {
    "zh": re.compile(r"(向|与|由|对|给|为|和|及|同|跟|被|委托|聘请|协助|配合|支持|通知)\s*$"),
    "en": re.compile(
        r"(?i)\b(to|with|by|from|of|for|and|between|assist|provide|notify|inform|upon|than)\s+(?:the\s+)?$"
    ),
}
_CONJ = {"zh": r"\s*(?:和|与|及|、|以及)\s*", "en": r"\s*(?:,|and|&)\s*(?:the\s+)?"}
_TERMINAL = re.compile(r"[。；;！？!?]|\.(?:\s|$)")


def _tokens(text: str, lang: str) -> int:
    return len(re.sub(r"\s+", "", text)) if lang == "zh" else len(text.split())


def _bucket(n: int) -> str:
    return "0" if n == 0 else "1" if n == 1 else "2" if n <= 3 else "4" if n <= 7 else "8"


@cache
def _pattern(form: str) -> re.Pattern[str]:
    return re.compile(form)


def option_forms(lang: str, parties: list[Party], labels: list[str]) -> dict[str, re.Pattern[str]]:
    """Each party option with the pattern of how the text mentions it."""
    out: dict[str, re.Pattern[str]] = {}
    names = {p.label: p.name for p in parties}
    for label in dict.fromkeys(labels):
        if lang == "zh":
            out[label] = _pattern(re.escape(label))
            continue
        forms = [label]
        name = names.get(label)
        if name:
            from .commitments.english import name_aliases

            forms += [alias for alias, lab in name_aliases([(label, name)]).items() if lab == label]
        body = "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))
        out[label] = _pattern(rf"(?i)(?<![\w])(?:{body})(?![\w])")
    groups = ("both", "either", "all") if len(parties) >= 3 else ("both", "either")
    for group in groups:
        out[group] = _pattern(_GROUP_FORMS[lang][group])
    return out


def _mentions(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text, start, end) if m.end() > m.start()]


def _first_of(forms: dict[str, re.Pattern[str]], text: str, start: int, end: int) -> str | None:
    best: tuple[int, str] | None = None
    for option, pattern in forms.items():
        m = pattern.search(text, start, end)
        if m is not None and m.end() > m.start() and (best is None or m.start() < best[0]):
            best = (m.start(), option)
    return best[1] if best else None


def _lead_in(text: str, start: int) -> tuple[int, int] | None:
    """The line before ``start`` that ends with a colon (a list's lead-in), within 400 characters."""
    window_start = max(0, start - 400)
    at = max(text.rfind("：", window_start, start), text.rfind(":", window_start, start))
    if at < 0:
        return None
    line_start = text.rfind("\n", window_start, at) + 1
    return max(line_start, window_start), at


def _previous_sentence(text: str, start: int) -> tuple[int, int]:
    window_start = max(0, start - 300)
    end = start
    while end > window_start and text[end - 1] in " \t\n":
        end -= 1
    last = None
    for m in _TERMINAL.finditer(text, window_start, max(window_start, end - 1)):
        last = m.end()
    return (last if last is not None else window_start), end


def option_features(
    text: str,
    lang: str,
    candidate: Candidate,
    parties: list[Party],
    labels: list[str],
) -> dict[str, dict[str, float]]:
    """For each party option of ``candidate``, its sparse structural features (names → 1.0)."""
    forms = option_forms(lang, parties, labels)
    unit = candidate.unit
    start, end = unit.start, unit.end
    party_labels = [p.label for p in parties]
    mentions = {option: _mentions(pattern, text, start, end) for option, pattern in forms.items()}
    modal = _MODAL[lang].search(text, start, end)
    earliest = min((ms[0][0] for ms in mentions.values() if ms), default=None)
    nearest: tuple[int, str] | None = None  # the mention nearest before the modal: the subject
    if modal is not None:
        for option, ms in mentions.items():
            before = [m for m in ms if m[1] <= modal.start()]
            if before and (nearest is None or before[-1][1] > nearest[0]):
                nearest = (before[-1][1], option)
    conj = bool(
        re.search(
            rf"(?:{'|'.join(re.escape(x) for x in party_labels) or '(?!)'}){_CONJ[lang]}"
            rf"(?:{'|'.join(re.escape(x) for x in party_labels) or '(?!)'})",
            text[start : modal.start() if modal else end],
        )
    )
    heads = candidate.headings.split(" | ") if candidate.headings else []
    lead = _lead_in(text, start)
    lead_first = _first_of(forms, text, *lead) if lead else None
    prev = _previous_sentence(text, start)
    prev_first = _first_of(forms, text, *prev)
    out: dict[str, dict[str, float]] = {}
    for option, pattern in forms.items():
        kind = option if option in GROUPS else "label" if option in party_labels else "extra"
        f: dict[str, float] = {"bias": 1.0, f"kind={kind}": 1.0}
        if option in party_labels:
            f[f"index={min(party_labels.index(option), 2)}"] = 1.0
        if option == unit.party:
            f["rule"] = 1.0
            f[f"rule&source={candidate.party_source}"] = 1.0
            f[f"rule&proposed={int(candidate.rule)}"] = 1.0
        elif unit.party is None:
            f[f"rule_none&kind={kind}"] = 1.0
        ms = mentions[option]
        if ms:
            f["in_span"] = 1.0
            f[f"count={min(len(ms), 3)}"] = 1.0
            f[f"at={_bucket(_tokens(text[start : ms[0][0]], lang))}"] = 1.0
            if ms[0][0] == earliest:
                f["first_in_span"] = 1.0
            marker = _MARKER[lang].search(text, max(start, ms[0][0] - 12), ms[0][0])
            f[f"first_marker={marker.group(1).lower() if marker else 'none'}"] = 1.0
            if modal is not None:
                before = [m for m in ms if m[1] <= modal.start()]
                if before:
                    f["before_modal"] = 1.0
                    gap = _tokens(text[before[-1][1] : modal.start()], lang)
                    f[f"modal_distance={_bucket(gap)}"] = 1.0
                    if nearest is not None and nearest[1] == option:
                        f["subject"] = 1.0
                        m2 = _MARKER[lang].search(text, max(start, before[-1][0] - 12), before[-1][0])
                        f[f"subject_marker={m2.group(1).lower() if m2 else 'none'}"] = 1.0
                if any(m[0] >= modal.end() for m in ms):
                    f["after_modal"] = 1.0
                    if not before:
                        f["only_after_modal"] = 1.0
            else:
                f["no_modal"] = 1.0
        else:
            f["absent"] = 1.0
        if conj:
            f[f"conjoined&kind={kind}"] = 1.0
        if heads and pattern.search(heads[0]):
            f["in_heading"] = 1.0
        elif any(pattern.search(h) for h in heads[1:]):
            f["in_outer_heading"] = 1.0
        if lead is not None and pattern.search(text, *lead):
            f["in_lead_in"] = 1.0
            if lead_first == option:
                f["lead_in_first"] = 1.0
        if prev_first == option:
            f["previous_subject"] = 1.0
        elif pattern.search(text, *prev):
            f["in_previous"] = 1.0
        if nearest is not None and nearest[1] != option:
            f["other_is_subject"] = 1.0
        if option == unit.party:
            # paired with the rules' choice: where the structure says the rules are wrong
            for name in [n for n in f if n not in ("bias", "rule") and not n.startswith("rule&")]:
                f[f"rule:{name}"] = 1.0
        out[option] = f
    return out


@dataclass(frozen=True)
class PartyChooser:
    """The option scorer and when to use it: override at ``threshold``, fill a missing party at ``fill``."""

    linear: LinearModel
    threshold: float
    fill: float

    def to_json(self) -> dict[str, Any]:
        return {**self.linear.to_json(), "override": self.threshold, "fill": self.fill}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PartyChooser:
        return cls(LinearModel.from_json(data), float(data["override"]), float(data["fill"]))

    def best(
        self, text: str, lang: str, candidate: Candidate, parties: list[Party], labels: list[str]
    ) -> tuple[str, float] | None:
        scored = [
            (self.linear.probability(f), option)
            for option, f in option_features(text, lang, candidate, parties, labels).items()
        ]
        if not scored:
            return None
        p, option = max(scored, key=lambda s: (s[0], s[1] == candidate.unit.party))
        return option, p

    def choose(
        self, text: str, lang: str, candidate: Candidate, parties: list[Party], labels: list[str]
    ) -> Candidate:
        """``candidate`` with the chooser's party where it is confident enough, else as it was."""
        best = self.best(text, lang, candidate, parties, labels)
        if best is None:
            return candidate
        option, p = best
        current = candidate.unit.party
        if option == current:
            return candidate
        if (current is None and p >= self.fill) or (current is not None and p >= self.threshold):
            return replace(candidate, unit=replace(candidate.unit, party=option))
        return candidate


def choose_parties(
    text: str,
    lang: str,
    candidates: list[Candidate],
    parties: list[Party],
    labels: list[str],
    chooser: PartyChooser | None,
) -> list[Candidate]:
    if chooser is None:
        return candidates
    return [chooser.choose(text, lang, c, parties, labels) for c in candidates]
