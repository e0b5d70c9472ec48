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

MODES = ("rules", "model", "combined", "rules+parties", "model+parties", "combined+parties")
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

# What a clause heading is about, by kind rather than by its words: the kinds recur across agreements
# where the headings' own wording does not.
_HEADING_KINDS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    "zh": [
        ("duty", re.compile(r"义务|职责|责任|分工|工作|任务|内容|事项|权利")),
        ("pay", re.compile(r"费|付款|支付|资金|经费|价款|报酬")),
        ("closing", re.compile(r"争议|违约|生效|其他|其它|附则|变更|终止|解除|不可抗力|效力|期限|法律")),
        ("ip", re.compile(r"知识产权|成果|保密|专利")),
        ("aim", re.compile(r"目的|宗旨|原则|目标|背景|概况|基本情况|方式|领域|范围")),
    ],
    "en": [
        (
            "duty",
            re.compile(r"(?i)obligation|responsib|dut(?:y|ies)|services|scope|work|tasks?\b|role|undertak"),
        ),
        ("pay", re.compile(r"(?i)pay|fee|compensat|cost|expense|fund|budget|financ|invoice")),
        (
            "closing",
            re.compile(
                r"(?i)\bterm\b|law|dispute|notice|general|miscellan|amend|assign|entire|severab|counterpart|"
                r"force|governing|waiver|terminat|effective"
            ),
        ),
        (
            "ip",
            re.compile(
                r"(?i)intellectual|confidential|publicat|propert|patent|licen|insurance|indemn|liabil|warrant"
            ),
        ),
        ("aim", re.compile(r"(?i)purpose|background|recital|whereas|definition|objective|goal|principle")),
    ],
}
# An enumeration marker at the start of the unit's line: the unit is a list item.
_LIST_ITEM = {
    "zh": re.compile(r"\s*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|[①-⑳])"),
    "en": re.compile(r"\s*(?:\(?[a-zA-Z0-9]{1,4}[).]|[•\-–·*●])\s"),
}
# Chinese sentence shapes that recur across agreements whatever their wording (``_zh_shape``).
_ZH_STAFF_SUBJECT = re.compile(
    r"(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．])?(?:甲方|乙方|丙方|丁方|双方)的?"
    r"(?:工作人员|技术人员|管理人员|医务人员|派出人员|人员|专家|教师|学生|员工|职工)"
)
_ZH_NOTE = re.compile(r"[（(]?注[：:]|(?:备注|说明)[：:]")
_ZH_PASSIVE = re.compile(r"由(?:甲方|乙方|丙方|丁方|双方)|(?:应|须|必须)(?:予以|被|由)")
_ZH_MODAL_ACT = re.compile(
    r"(?:应当|应|必须|须|需)(?:负责|提供|支付|按|在|于|及时|协助|配合|保证|确保|向|为|对|做好|完成|组织|建立|派|"
    r"安排|承担)"
)
_ZH_UMBRELLA = re.compile(r"(?:如下|下列|以下|包括)[^，,。；]{0,12}[：:]?$")
_ZH_RIGHT = re.compile(r"有权|可以|可(?!能)|享有")
_ZH_OBLIGED = re.compile(r"应当|应该|应|必须|须|需|将|务必|负责|承诺|保证|确保|不得")
_ZH_TIME = re.compile(
    r"[0-9０-９一二三四五六七八九十]+\s*(?:个)?(?:工作日|日|天|月|年)(?:之内|以内|内|前)|之前|以前|前$"
)
_ZH_FIELD = re.compile(r"[^，,。；：:]{1,12}[：:]")
_ZH_BLANK = re.compile(r"[_＿　□]+")
# Families of features the combined model also sees paired with the rules' verdict.
_PAIRED = ("cue=", "source=", "party=", "head_kind=", "list_item", "ends_colon", "modal=")


def features(
    text: str, lang: str, candidate: Candidate, labels: set[str], *, with_rule: bool
) -> dict[str, float]:
    """Sparse features of one candidate (names → 1.0).

    Mostly structure: where the party comes from and of what kind, the clause depth, whether the unit opens
    its line or a list item, ends in a lead-in colon, where in the text it stands, the kind of its
    heading, the modal verb's class and position relative to the first party mention, the punctuation
    that ends it. A few lexical features remain (the first characters or words, the word after the
    modal, the innermost heading's words); with the rules' verdict, the structural families are also
    paired with it, so the combined model can learn where the rules are wrong rather than re-learn them.
    """
    unit = candidate.unit
    span = text[unit.start : unit.end]
    out: dict[str, float] = {"bias": 1.0}
    shape: dict[str, float] = {}
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
    line_start = text.rfind("\n", max(0, unit.start - 40), unit.start) + 1
    prefix = text[line_start : unit.start] if line_start > 0 else ""
    if not prefix.strip():
        out["starts_line"] = 1.0
    if _LIST_ITEM[lang].match(prefix + span[:8]):
        out["list_item"] = 1.0
    heads = candidate.headings.split(" | ")
    if candidate.headings:
        for name, pattern in _HEADING_KINDS[lang]:
            if pattern.search(heads[0]):
                out[f"head_kind={name}"] = 1.0
            if pattern.search(candidate.headings):
                out[f"any_head_kind={name}"] = 1.0
    else:
        out["no_heading"] = 1.0
    out[f"position={min(int(5 * unit.start / max(1, len(text))), 4)}"] = 1.0
    mention = min((at for at in (span.find(label) for label in labels) if at >= 0), default=None)
    if mention is None:
        out["no_mention"] = 1.0
    else:
        words_before = mention if lang == "zh" else len(span[:mention].split())
        out[f"mention_at={min(words_before, 6) // 2}"] = 1.0
    if lang == "zh":
        flat = re.sub(r"\s+", "", span)
        m = _ZH_MODAL.search(flat)
        if m:
            out[f"modal={m.group(1)}"] = 1.0
            out[f"after_modal={m.group(2)}"] = 1.0
            out[f"modal_at={min(m.start(), 12) // 3}"] = 1.0
            if mention is not None:
                out[f"modal_after_mention={int(m.start() >= mention)}"] = 1.0
        last = flat[-1:]
        out[f"end={last if last and last in '。；;，,：:' else 'other'}"] = 1.0
        out[f"c01={flat[:2]}"] = 1.0
        for i in range(min(len(flat), 16) - 1):
            out[f"bi={flat[i : i + 2]}"] = 1.0
        head = re.sub(r"\s+", "", heads[0]) if with_rule else ""
        # the heading's own words tie the classifier that decides alone to the documents it was fit on
        # (without them: 5-fold CV zh 0.740 -> 0.748, dev alone 0.699 -> 0.704); its kind stays
        for i in range(min(len(head), 12) - 1):
            out[f"head_bi={head[i : i + 2]}"] = 1.0
        shape = _zh_shape(span, flat, candidate.party_source, out)
        shape.update(_zh_context(text, unit.start, unit.end))
    else:
        words = _WORD.findall(span.lower())
        if words:
            out[f"w0={words[0]}"] = 1.0
        for word in words[:14]:
            out[f"bow={word}"] = 1.0
        if span.lstrip()[:1].isupper():
            out["capital"] = 1.0
        last = span.rstrip()[-1:]
        out[f"end={last if last and last in '.;,:' else 'other'}"] = 1.0
        m = _EN_MODAL.search(span)
        if m:
            out[f"modal={m.group(1).lower().split()[0]}"] = 1.0
            out[f"after_modal={m.group(2).lower()}"] = 1.0
            out[f"modal_at={min(len(span[: m.start()].split()), 6)}"] = 1.0
            if mention is not None:
                out[f"modal_after_mention={int(m.start() >= mention)}"] = 1.0
            if re.match(r"\s*not\b", span[m.end(1) :]):
                out["modal_not"] = 1.0
        if re.match(r"\s*(?:[a-z]+ing|to)\b", span):
            out["gerund_or_to_start"] = 1.0
        for word in _WORD.findall(heads[0].lower())[:6]:
            out[f"head={word}"] = 1.0
    if with_rule:
        verdict = "rule" if candidate.rule else "left"
        out["rule"] = 1.0 if candidate.rule else 0.0
        for name in [n for n in out if n.startswith(_PAIRED)]:
            out[f"{verdict}:{name}"] = 1.0
    else:
        # the shapes help the classifier that decides alone; beside the rules' verdict they did not
        # (cross-validated commitment F1 0.804 without, 0.800 with; docs/benchmarks.md)
        out.update(shape)
    return out


_ZH_MARKS = (("comma", "，,"), ("stop", "。．.!！？"), ("semi", "；;"), ("colon", "：:"), ("line", "\n"))


def _zh_mark(char: str) -> str:
    return next((name for name, chars in _ZH_MARKS if char and char in chars), "other")


def _zh_context(text: str, start: int, end: int) -> dict[str, float]:
    """Where a Chinese candidate stands in its sentence and list: the mark before and after it, and for
    a unit that opens its line whether the line before ends a lead-in (：) or a list item (；)."""
    at = start - 1
    while at >= 0 and text[at] in " \t\u3000":
        at -= 1
    before = text[at] if at >= 0 else "\n"
    out = {f"ctx:prev={_zh_mark(before)}": 1.0, f"ctx:next={_zh_mark(text[end : end + 1])}": 1.0}
    if before == "\n":
        line_end = text[max(0, at - 200) : at].rstrip(" \t\u3000\n")[-1:]
        if line_end in ("：", ":"):
            out["ctx:after_lead_in"] = 1.0
        elif line_end in ("；", ";"):
            out["ctx:after_semicolon_line"] = 1.0
    return out


def _zh_shape(span: str, flat: str, source: str, cues: dict[str, float]) -> dict[str, float]:
    """Chinese shapes of a sentence that a linear model cannot combine on its own.

    Whether it is obliged (a modal) crossed with the cue families and the party's source, so that a
    right, a liability or a condition counts differently with and without one; a form field ("开户银行：",
    "甲方：＿＿＿＿") and how much of it is blanks; staff of a party as its subject (乙方人员应…), an
    editor's note (注：…), a passive with its agent (由甲方…), an umbrella lead-in (…如下：), a right before
    any modal, a time limit. Used by the model that decides without the rules' verdict.
    """
    out: dict[str, float] = {}
    obliged = _ZH_OBLIGED.search(flat)
    has_modal = int(obliged is not None)
    out[f"shape:modal={has_modal}"] = 1.0
    out[f"shape:source={source}&modal={has_modal}"] = 1.0
    for cue in ("right", "liability", "boiler", "cond", "intent", "definition"):
        if cues.get(f"cue={cue}"):
            out[f"shape:{cue}&modal={has_modal}"] = 1.0
    if _ZH_FIELD.match(flat):
        out["shape:field"] = 1.0
        out[f"shape:field&modal={has_modal}"] = 1.0
    blanks = sum(len(m.group(0)) for m in _ZH_BLANK.finditer(span))
    if blanks:
        out[f"shape:blanks={min(4 * blanks // max(1, len(span)), 3)}"] = 1.0
    right = _ZH_RIGHT.search(flat)
    if right and (obliged is None or right.start() < obliged.start()):
        out["shape:right_first"] = 1.0
    for name, pattern in (
        ("passive", _ZH_PASSIVE),
        ("modal_act", _ZH_MODAL_ACT),
        ("time", _ZH_TIME),
    ):
        if pattern.search(flat):
            out[f"shape:{name}"] = 1.0
    for name, pattern in (("staff", _ZH_STAFF_SUBJECT), ("note", _ZH_NOTE)):
        if pattern.match(flat):
            out[f"shape:{name}"] = 1.0
    if _ZH_UMBRELLA.search(flat):
        out["shape:umbrella"] = 1.0
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
    base = mode.partition("+")[0]
    linear = None
    if model is not None and base != "rules":
        # a +parties mode has its own classifier when the chooser was fit, else the base one's
        linear = model.linear(lang, mode) or model.linear(lang, base)
    if linear is None:
        return [c for c in candidates if c.rule]
    with_rule = base == "combined"
    return [
        c
        for c in candidates
        if c.unit.party is not None
        and linear.probability(features(text, lang, c, labels, with_rule=with_rule)) >= linear.threshold
    ]
