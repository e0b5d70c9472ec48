"""The learned component: a linear classifier that decides which candidate spans are undertakings.

Candidates are what the rules proposed plus every sentence part they left (see
:func:`accord.intake.commitments.find_candidates`). Each is described by sparse features: cue words
(modal, right, liability, boilerplate, condition, intent …), its first words or characters, the word
after its modal, the words of the enclosing headings, where its party came from, its length and depth,
and, for the combined model only, whether the rules proposed it. Two models per language are trained
(``accord train extract``): ``model`` without the rules' verdict and ``combined`` with it; ``use``
records which of rules, model or combined did best in cross-validation, and is what ``extract`` runs.

The weights ship in ``data/extraction_model.json`` and are applied here with plain arithmetic: no
model library is loaded at run time, and the same file always gives the same result.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .commitments import Candidate

MODES = ("rules", "model", "combined")
MODEL_FILE = "extraction_model.json"

_CUES: dict[str, dict[str, re.Pattern[str]]] = {
    "zh": {
        "modal": re.compile(r"应当|应该|应|必须|须|需|将|务必|负责|承诺|保证|确保|不得|同意|承担"),
        "right": re.compile(r"有权|可以|可(?![能靠行持])|享有|方可|方能|无需|不必"),
        "liability": re.compile(r"责任|赔偿|违约|损失"),
        "boiler": re.compile(
            r"一式|份|生效|效力|争议|仲裁|法院|诉讼|协商解决|未尽事宜|解释|补充协议|终止|变更"
        ),
        "cond": re.compile(r"^(?:如果|如|若|倘若|一旦|凡|因)|的，|时，|情况下"),
        "intent": re.compile(r"为了|为实现|旨在|希望|意向|拟|本着|鉴于"),
        "negation": re.compile(r"不得|不|禁止|严禁|未"),
        "jointly": re.compile(r"双方|共同|各方|三方"),
        "definition": re.compile(r"是指|系指|指的是|包括"),
        "number": re.compile(r"[0-9０-９一二三四五六七八九十百千万]+\s*(?:万元|元|%|个|年|月|日|名|人)"),
        "every": re.compile(r"每年|每月|每季|每学期|每半年|定期"),
    },
    "en": {
        "modal": re.compile(
            r"(?i)\b(?:shall|will|must|agrees?\s+to|undertakes?|is\s+responsible|are\s+responsible)\b"
        ),
        "right": re.compile(r"(?i)\b(?:may|can|entitled|right\s+to|option|sole\s+discretion|permitted)\b"),
        "liability": re.compile(r"(?i)\b(?:liab\w*|indemnif\w*|damages|warrant\w*)\b"),
        "boiler": re.compile(
            r"(?i)\b(?:governed|governing|arbitrat\w*|jurisdiction|counterparts?|entire\s+agreement|supersede\w*|"
            r"amend\w*|modif\w*|assign\w*|waiver|severab\w*|notices?|terminat\w*|term\s+of|effective\s+date|"
            r"headings|binding\s+upon|successors)\b"
        ),
        "cond": re.compile(r"(?i)^\s*(?:if|in\s+the\s+event|in\s+case|unless|should|where|upon|provided)\b"),
        "intent": re.compile(r"(?i)\b(?:intends?|desires?|wish(?:es)?|whereas|purpose|hope)\b"),
        "negation": re.compile(r"(?i)\b(?:not|no|neither|nor|never)\b"),
        "jointly": re.compile(r"(?i)\b(?:jointly|both\s+parties|the\s+parties|each\s+party|mutual\w*)\b"),
        "definition": re.compile(r"(?i)\b(?:means|shall\s+mean|refers?\s+to|defined|definition)\b"),
        "passive": re.compile(r"(?i)\b(?:shall|will|must)\s+be\s+\w+ed\b"),
        "number": re.compile(r"\d"),
        "every": re.compile(
            r"(?i)\b(?:annual\w*|monthly|quarterly|each\s+(?:year|month|quarter)|per\s+annum)\b"
        ),
        "nonparty_subject": re.compile(r"^\s*(?:The|This|Such|Each|All|Any)\s+(?!part)[a-z]+"),
    },
}
_EN_MODAL = re.compile(
    r"(?i)\b(shall|will|must|agrees?\s+to|undertakes?\s+to|responsible\s+for)\s+(?:not\s+)?(\w+)"
)
_ZH_MODAL = re.compile(r"(应当|应|必须|须|需|将|负责|承诺|保证|确保|不得|同意|承担)(\w{0,2})")
_WORD = re.compile(r"[a-z]+")
_PARTY_KINDS = {"both", "either", "all"}


def features(
    text: str, lang: str, candidate: Candidate, labels: set[str], *, with_rule: bool
) -> dict[str, float]:
    """Sparse features of one candidate (names → 1.0, or a small number for sizes)."""
    unit = candidate.unit
    span = text[unit.start : unit.end]
    out: dict[str, float] = {"bias": 1.0}
    if with_rule:
        out["rule"] = 1.0 if candidate.rule else 0.0
    party = unit.party
    kind = (
        "none"
        if party is None
        else party
        if party in _PARTY_KINDS
        else "label"
        if party in labels
        else "group"
    )
    out[f"party={kind}"] = 1.0
    out[f"source={candidate.party_source}"] = 1.0
    out[f"level={min(candidate.level, 4)}"] = 1.0
    if candidate.boilerplate:
        out["boilerplate_heading"] = 1.0
    size = len(span) if lang == "zh" else len(span.split())
    out[f"size={min(int(math.log2(size + 1)), 8)}"] = 1.0
    for name, pattern in _CUES[lang].items():
        if pattern.search(span):
            out[f"cue={name}"] = 1.0
    after = text[unit.end : unit.end + 2].strip()[:1]
    if after in (":", "："):
        out["ends_colon"] = 1.0
    if lang == "zh":
        flat = re.sub(r"\s+", "", span)
        out[f"c0={flat[:1]}"] = 1.0
        out[f"c01={flat[:2]}"] = 1.0
        for i in range(min(len(flat), 16) - 1):
            out[f"bi={flat[i : i + 2]}"] = 1.0
        m = _ZH_MODAL.search(flat)
        if m:
            out[f"modal={m.group(1)}"] = 1.0
            out[f"after_modal={m.group(2)}"] = 1.0
        heads = re.sub(r"\s+", "", candidate.headings)
        for i in range(min(len(heads), 24) - 1):
            out[f"head_bi={heads[i : i + 2]}"] = 1.0
    else:
        words = _WORD.findall(span.lower())
        if words:
            out[f"w0={words[0]}"] = 1.0
            out[f"w01={' '.join(words[:2])}"] = 1.0
        for word in words[:14]:
            out[f"bow={word}"] = 1.0
        if span.lstrip()[:1].isupper():
            out["capital"] = 1.0
        m = _EN_MODAL.search(span)
        if m:
            out[f"modal={m.group(1).lower().split()[0]}"] = 1.0
            out[f"after_modal={m.group(2).lower()}"] = 1.0
            out[f"modal_at={min(len(span[: m.start()].split()), 6)}"] = 1.0
        for word in _WORD.findall(candidate.headings.lower())[:12]:
            out[f"head={word}"] = 1.0
    return out


@dataclass(frozen=True)
class LinearModel:
    bias: float
    weights: dict[str, float]
    threshold: float = 0.5

    def probability(self, feats: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def to_json(self) -> dict[str, Any]:
        return {"bias": self.bias, "threshold": self.threshold, "weights": self.weights}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(
            float(data["bias"]),
            {str(k): float(v) for k, v in data["weights"].items()},
            float(data["threshold"]),
        )


@dataclass(frozen=True)
class ExtractionModel:
    """Per language: the model without and with the rules' verdict, and which mode to use."""

    languages: dict[str, dict[str, Any]]

    def use(self, lang: str) -> str:
        return str(self.languages.get(lang, {}).get("use", "rules"))

    def linear(self, lang: str, mode: str) -> LinearModel | None:
        data = self.languages.get(lang, {}).get(mode)
        return LinearModel.from_json(data) if data else None

    def to_json(self) -> dict[str, Any]:
        return {"version": 1, "languages": self.languages}

    def save(self, path: Path) -> None:
        path.write_text(
            json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, indent=1) + "\n", "utf-8"
        )

    @classmethod
    def load(cls, path: Path) -> ExtractionModel:
        data = json.loads(path.read_text("utf-8"))
        return cls(dict(data["languages"]))


@cache
def shipped_model() -> ExtractionModel | None:
    """The model that ships in the package (None when the file is absent: rules only)."""
    resource = resources.files("accord.intake").joinpath("data", MODEL_FILE)
    if not resource.is_file():
        return None
    data = json.loads(resource.read_text("utf-8"))
    return ExtractionModel(dict(data["languages"]))


def select(
    text: str,
    lang: str,
    candidates: list[Candidate],
    labels: set[str],
    mode: str,
    model: ExtractionModel | None,
) -> list[Candidate]:
    """The candidates that ``mode`` keeps: the rules' own, or those the classifier accepts."""
    linear = model.linear(lang, mode) if model is not None and mode != "rules" else None
    if linear is None:
        return [c for c in candidates if c.rule]
    with_rule = mode == "combined"
    return [
        c
        for c in candidates
        if c.unit.party is not None
        and linear.probability(features(text, lang, c, labels, with_rule=with_rule)) >= linear.threshold
    ]
