"""Person-name matching across Chinese characters and romanised forms.

张宗益 ↔ Zhang Zongyi ↔ Zongyi Zhang ↔ Zong-Yi Zhang ↔ Zhang, Z. ↔ Z. Zhang. Chinese names are romanised with
pypinyin (surname readings taken from a small table where they differ from the common reading, e.g. 曾 zeng,
单 shan). Each side is parsed into possible (family, given) readings; the best pair decides the confidence.
Initial-only matches and homophones are marked ``ambiguous`` so a person reviews them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 "  # noqa: SIM905
    "端木 独孤 南宫 西门 呼延 轩辕 申屠 澹台 公冶 太史".split()
)
# Surname readings that differ from the character's most common reading.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "查": "zha", "朴": "piao", "乐": "yue",
    "覃": "qin", "翟": "zhai", "盖": "ge", "缪": "miao", "尉迟": "yuchi", "万俟": "moqi", "任": "ren",
    "沈": "shen", "柏": "bai", "宓": "mi", "秘": "bi", "过": "guo", "葛": "ge", "员": "yun", "句": "gou",
}  # fmt: skip
_HAN = re.compile(r"^[\u3400-\u9fff]+$")
_SPLIT = re.compile(r"[\s.]+")

#: Confidence below which a match is flagged for review.
REVIEW_BELOW = 0.8


@dataclass(frozen=True, slots=True)
class NameReading:
    """One way to read a name: family and given names romanised, lower-case, no spaces/hyphens.
    ``initials_only`` when the given name is known only by initials (``Z.``, ``ZY``)."""

    family: str
    given: str
    initials_only: bool
    prior: float  # how likely this reading is (name order guesses get less)
    han: str = ""  # the original characters for Chinese names


@dataclass(frozen=True, slots=True)
class NameMatch:
    candidate: str
    confidence: float
    ambiguous: bool
    reason: str


def _fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return s.replace("ü", "v").replace("u:", "v")


def _norm_py(s: str) -> str:
    # lv / lu / lyu / lue spellings of ü are all used in the wild.
    s = re.sub(r"[^a-z]", "", _fold(s))
    return s.replace("yu", "v").replace("lu", "lv").replace("nu", "nv") if s else s


def romanise_chinese(name: str) -> list[NameReading]:
    name = name.strip()
    if len(name) < 2:
        return []
    fam_len = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    fam, giv = name[:fam_len], name[fam_len:]
    fam_py = SURNAME_READINGS.get(fam) or pinyin(fam)
    giv_py = pinyin(giv)
    return [NameReading(fam_py, giv_py, False, 1.0, han=name)]


def parse_name(name: str) -> list[NameReading]:
    """All plausible readings of ``name`` (Chinese characters or a romanised form)."""
    name = " ".join(name.split())
    if not name:
        return []
    if _HAN.match(name.replace(" ", "").replace("·", "")):
        return romanise_chinese(name.replace(" ", "").replace("·", ""))
    if "," in name:  # "Zhang, Zongyi" / "Zhang, Z.": the order is explicit
        fam, _, giv = name.partition(",")
        return [_reading(fam, giv, 1.0)]
    parts = [p for p in _SPLIT.split(name) if p]
    if len(parts) < 2:
        return []
    raw = name.split()

    # Initials: one or two letters (with a dot or all caps) such as "Z.", "ZY", "Z.Y.".
    def is_init(tok: str) -> bool:
        t = tok.replace(".", "").replace("-", "")
        return 0 < len(t) <= 2 and (tok.endswith(".") or t.isupper()) and t.isalpha()

    if is_init(raw[0]) and not is_init(raw[-1]):
        return [_reading(raw[-1], "".join(raw[:-1]), 1.0)]
    if is_init(raw[-1]) and not is_init(raw[0]):
        return [_reading(raw[0], "".join(raw[1:]), 1.0)]
    # Full names with unknown order: western order first, Chinese order as an alternative.
    western = _reading(raw[-1], "".join(raw[:-1]), 1.0)
    chinese = _reading(raw[0], "".join(raw[1:]), 0.95)
    if raw[0].isupper() and len(raw[0]) > 2:  # "ZHANG Zongyi": capitalised family name first
        western, chinese = _reading(raw[-1], "".join(raw[:-1]), 0.9), _reading(raw[0], "".join(raw[1:]), 1.0)
    return [western, chinese]


def _reading(family: str, given: str, prior: float) -> NameReading:
    g = given.strip()
    letters = re.sub(r"[^A-Za-z]", "", _fold(g))
    initials_only = bool(letters) and (
        len(letters) <= 2
        and (("." in g) or g.replace("-", "").replace(" ", "").isupper() or len(letters) == 1)
    )
    return NameReading(
        _norm_py(family), letters.lower() if initials_only else _norm_py(g), initials_only, prior
    )


def _initials_fit(initials: str, given: str) -> bool:
    """``zy`` fits ``zongyi``: first letters match, later initials appear in order."""
    if not initials or not given or initials[0] != given[0]:
        return False
    pos = 1
    for ch in initials[1:]:
        pos = given.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


def _compare(a: NameReading, b: NameReading) -> tuple[float, str]:
    if a.family != b.family:
        return 0.0, "different family names"
    if a.han and b.han:
        if a.han == b.han:
            return 1.0, "same characters"
        if a.given == b.given:
            return 0.5, "same pinyin, different characters"
        return 0.0, "different given names"
    if a.initials_only or b.initials_only:
        init = a.given if a.initials_only else b.given
        full = b.given if a.initials_only else a.given
        if b.initials_only and a.initials_only:
            return (0.5, "initials only on both sides") if a.given == b.given else (0.0, "different initials")
        if _initials_fit(init, full):
            return (0.65 if len(init) >= 2 else 0.55), "family name and initials match"
        return 0.0, "initials do not fit"
    if a.given == b.given:
        if a.han or b.han:
            return 0.9, "pinyin of the Chinese name matches"
        return 1.0, "same name"
    return 0.0, "different given names"


def name_similarity(a: str, b: str) -> tuple[float, str]:
    """Confidence in [0, 1] that ``a`` and ``b`` name the same person, with a reason."""
    best, why = 0.0, "no reading matches"
    for ra in parse_name(a):
        for rb in parse_name(b):
            score, reason = _compare(ra, rb)
            score *= min(ra.prior, rb.prior)
            if score > best:
                best, why = score, reason
    return round(best, 3), why


def match_names(query: str, candidates: Iterable[str], threshold: float = 0.4) -> list[NameMatch]:
    """Candidates that may be ``query``, best first. ``ambiguous`` when confidence < REVIEW_BELOW or when
    another candidate is (nearly) as good."""
    scored = []
    for c in dict.fromkeys(candidates):
        conf, why = name_similarity(query, c)
        if conf >= threshold:
            scored.append((conf, c, why))
    scored.sort(key=lambda x: (-x[0], x[1]))
    out: list[NameMatch] = []
    for conf, c, why in scored:
        rivals = sum(1 for other, oc, _ in scored if oc != c and other >= conf - 0.05)
        ambiguous = conf < REVIEW_BELOW or rivals > 0
        reason = why + (f"; {rivals} other candidate(s) about as likely" if rivals else "")
        out.append(NameMatch(c, conf, ambiguous, reason))
    return out


def pinyin(text: str) -> str:
    """``text`` in toneless pinyin, syllables run together (also the reading key of organisation names in
    accord.intake.resolve). pypinyin is imported on first use: its tables take over half a second to load
    at every process start."""
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.NORMAL))
