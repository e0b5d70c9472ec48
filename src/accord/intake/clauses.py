"""Clause splitting: find numbering markers, validate them by sequence and position, build the tree.

A marker is accepted when it continues a numbering style already open (``2.`` after ``1.``), or opens a
new style with its first value at a line start / after a sentence end (or right after a short heading
when PDF flattening glued it to the previous text).  The open styles form a stack: a style seen again
closes everything nested below it, so depth follows the order in which styles first appeared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Clause
from .numerals import CN_NUM_CHARS, EN_NUMBER_RE, any_to_int, roman_to_int

_CN = f"[{CN_NUM_CHARS}]+"
_D = "[0-9０-９]"


@dataclass
class _Cand:
    start: int
    end: int
    number: str
    style: str
    value: int
    group: str  # strict: needs a line start or sentence end; loose: may be glued after a heading


_PATTERNS: list[tuple[str, str, re.Pattern[str]]] = [
    ("zh_zhang", "strict", re.compile(rf"第\s*({_CN}|{_D}+)\s*章")),
    ("zh_jie", "strict", re.compile(rf"第\s*({_CN}|{_D}+)\s*节")),
    ("zh_tiao", "strict", re.compile(rf"第\s*({_CN}|{_D}+)\s*条")),
    ("zh_xiang", "strict", re.compile(rf"第\s*({_CN}|{_D}+)\s*项\s*[、，,．.:：]?")),
    ("zh_dun", "strict", re.compile(rf"({_CN})\s*、")),
    # "一，科研项目的主要内容" / "二．计划进度": other separators, taken only at a line start
    ("zh_comma", "strict", re.compile(rf"(?<![第其之])({_CN})\s*[，,．](?=[\u4e00-\u9fff])")),
    ("zh_paren_full", "strict", re.compile(rf"（\s*({_CN})\s*）")),
    ("zh_paren_half", "strict", re.compile(rf"\(\s*({_CN})\s*\)")),
    (
        "dec3",
        "loose",
        re.compile(rf"({_D}{{1,2}})[.．]({_D}{{1,2}})[.．]({_D}{{1,2}})(?!{_D})[.．]?(?!{_D})"),
    ),
    ("dec2", "loose", re.compile(rf"({_D}{{1,2}})[.．]({_D}{{1,2}})(?!{_D}|[.．]{_D})[.．]?")),
    ("num_dot", "loose", re.compile(rf"({_D}{{1,3}})[.．](?!{_D}|[.．])")),
    ("num_dun", "loose", re.compile(rf"({_D}{{1,3}})\s?、")),
    ("num_paren", "loose", re.compile(rf"[(（]\s*({_D}{{1,3}})\s*[)）]")),
    ("num_close", "loose", re.compile(rf"(?<![(（0-9０-９])({_D}{{1,3}})[)）]")),
    ("alpha_paren", "loose", re.compile(r"[(（]([a-z])[)）]")),
    ("ualpha_paren", "strict", re.compile(r"[(（]([A-Z])[)）]")),
    ("alpha_close", "loose", re.compile(r"(?<![(（A-Za-z])([a-z])[)）]")),
    ("alpha_dot", "loose", re.compile(r"(?<![A-Za-z.])([a-z])\.(?![a-z.])")),
    ("ualpha_dot", "strict", re.compile(r"(?<![A-Za-z.])([A-Z])\.(?=\s|[A-Z\u4e00-\u9fff])")),
    ("roman_paren", "loose", re.compile(r"[(（]([ivx]{1,5})[)）]")),
    # "IV. INDEMNIFICATION", and "IV - INDEMNIFICATION" (a spaced dash before a capitalised title)
    (
        "roman_dot",
        "strict",
        re.compile(r"(?<![A-Za-z.])([IVX]{1,5})(?:\.(?=\s|[A-Z\u4e00-\u9fff])|[ \t]+[-–—](?=[ \t]+[A-Z]))"),
    ),
    (
        "kw",
        "strict",
        re.compile(
            rf"\b(Article|ARTICLE|Section|SECTION|Clause|CLAUSE|Item|ITEM|Term|TERM|Chapter|CHAPTER)\s+"
            rf"({_D}+(?:\.{_D}+)*|[IVXLC]+\b|(?i:{EN_NUMBER_RE})\b)\.?"
        ),
    ),
]
_ANNEX_RE = re.compile(
    rf"(?m)^[ \t]*(?:(附件|附录|附表)\s*({_CN}|{_D}*)"
    r"|(Annex|ANNEX|Appendix|APPENDIX|Schedule|SCHEDULE)\s+([A-Z0-9]{1,3})\b)"
)
_INTRO_RE = re.compile(
    r"(达成|订立|签订|签署|约定)(如下|以下)(协议|条款|合同|事项)?|协议如下|约定如下|条款如下|"
    r"(?:订立|签订|签署)本(?:协议|合同|协议书)(?=[。：:\n])|"
    r"(?i:agree[sd]?\s+as\s+follows|hereby\s+agree[sd]?+(?!\s+(?:to\s+(?!the\s+following)|not\b))|agreed\s+as\s+follows|agree\s+to\s+the\s+following"
    r"|parties\s+(?:hereto\s+)?agree\s*:|(?:amended\s+and\s+)?restated\s+as\s+follows|stipulated\s+as\s+follows"
    # "It is agreed that either party shall …" is a clause; only "It is hereby agreed:" / "… as follows" opens the body
    r"|it\s+is\s+(?:hereby\s+)?(?:mutually\s+)?agreed\s*(?:[:：]|as\s+follows|by\s+and\s+between))"
)
_KW_FAMILY = {
    "item": "item",
    "term": "item",
    "article": "article",
    "section": "section",
    "clause": "clause",
    "chapter": "chapter",
}
_STOP_PREV = {
    "and",
    "or",
    "of",
    "to",
    "in",
    "under",
    "with",
    "by",
    "see",
    "per",
    "pursuant",
    "agrees",
    "agree",
    "article",
    "section",
    "clause",
    "paragraph",
    "the",
    "a",
    "an",
    "from",
    "at",
    "on",
    "that",
    "than",
    "item",
    "sections",
    "articles",
    "exhibit",
    "schedule",
    "annex",
    "appendix",
    "no",
    "number",
    "page",
}
_UNIT_AFTER = set("万亿元%％年月日个号周天")
_SENT_END = set("。；;！？!?：:")
_HARD_END_RE = re.compile(r"[。；;！？!?]|\.\s+[A-Z]")


def find_body_start(text: str) -> int:
    """Offset after the preamble's 'agree as follows' sentence, when one appears early enough."""
    limit = max(len(text) // 2, 400)
    m = _INTRO_RE.search(text, 0, limit)
    if not m:
        return 0
    end = m.end()
    tail = re.search(r"[。：:\n]|(?<=\.)\s", text[end : end + 60])
    return end + (tail.end() if tail else 0)


def _candidates(text: str) -> dict[int, list[_Cand]]:
    by_start: dict[int, list[_Cand]] = {}
    for style, group, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            number = m.group(0).strip()
            if style == "kw":
                family = _KW_FAMILY[m.group(1).lower()]
                parts = re.split(r"\.", m.group(2))
                raw = parts[-1]
                value = any_to_int(raw) if raw.isdigit() or not raw.isupper() else roman_to_int(raw)
                if value is None:
                    value = any_to_int(raw)
                cstyle = f"kw_{family}_{len(parts)}"
            elif style in ("dec3", "dec2"):
                value = any_to_int(m.groups()[-1])
                cstyle = style
            elif style in ("alpha_paren", "alpha_close", "alpha_dot", "ualpha_paren", "ualpha_dot"):
                value = ord(m.group(1).lower()) - ord("a") + 1
                cstyle = style
            elif style in ("roman_paren", "roman_dot"):
                value = roman_to_int(m.group(1))
                cstyle = style
                if not number.endswith((".", ")", "）")):
                    number = m.group(1)  # "IV - INDEMNIFICATION": the numeral, the dash is a separator
            else:
                value = any_to_int(m.group(1))
                cstyle = style
            if value is None:
                continue
            cand = _Cand(m.start(), m.end(), number, cstyle, value, group)
            by_start.setdefault(m.start(), []).append(cand)
            # "...协议31、合作" : a page number glued before the marker; also try the last digit alone.
            if style in ("num_dot", "num_dun", "dec2") and len(m.group(1)) >= 2:
                cut = m.start() + len(m.group(1)) - 1
                tail = text[cut : m.end()].strip()
                sub = _Cand(
                    cut,
                    m.end(),
                    tail,
                    cstyle,
                    any_to_int(tail.rstrip(".．、 ").split(".")[-1].split("．")[-1]) or 0,
                    group,
                )
                if sub.value:
                    by_start.setdefault(cut, []).append(sub)
    for group_list in by_start.values():
        group_list.sort(key=lambda c: c.start - c.end)  # longest marker first
    return by_start


def _position(text: str, start: int) -> str:
    """line | sent | space | glued: what precedes the marker on its line."""
    j = start - 1
    spaced = False
    while j >= 0 and text[j] in " \t":
        j -= 1
        spaced = True
    if j < 0 or text[j] == "\n":
        return "line"
    ch = text[j]
    if ch in _SENT_END:
        return "sent"
    if ch == "." and (spaced or not text[j - 1 : j].isdigit()):
        return "sent"
    if spaced:
        # A lone page number between a sentence end and the marker (". 1 9. INDEMNITY").
        k = j
        while k >= 0 and text[k].isdigit():
            k -= 1
        if k < j and k >= 0 and text[k] in " \t\n":
            k2 = k
            while k2 >= 0 and text[k2] in " \t":
                k2 -= 1
            if k2 < 0 or text[k2] in '\n.。;；:：)）"”':
                return "sent"
        return "space"
    return "glued"


_LATIN_STYLES = (
    "dec3",
    "dec2",
    "num_dot",
    "num_paren",
    "num_close",
    "alpha_paren",
    "alpha_close",
    "alpha_dot",
    "roman_paren",
)
_ITEM_STYLES = {
    "num_paren",
    "num_close",
    "alpha_paren",
    "alpha_close",
    "alpha_dot",
    "roman_paren",
    "roman_dot",
}
_LATIN_BEFORE = re.compile(r"[A-Za-z]{3}")
_LIST_LINE_END = re.compile(r"(?:\n[ \t]*|[:;]|\b(?:and|or))[ \t]*\n[ \t]*$")
_REFERENCE_WORDS = {
    "section",
    "sections",
    "paragraph",
    "paragraphs",
    "subsection",
    "clause",
    "clauses",
    "article",
}


def _inside_sentence(text: str, cand: _Cand, where: str) -> bool:
    """A marker that a sentence runs through: an enumeration ("less: (a) discounts …; (b) credits …") or a
    reference ("Section 5.3 below", "1.3, neither Party …"). Clauses start with a capital (or CJK); a
    lower-case item counts only after a blank line."""
    if cand.style not in _LATIN_STYLES or not _LATIN_BEFORE.search(text, max(0, cand.start - 24), cand.start):
        return False  # Chinese text: blanks such as "1.;" and "3.o" in a form are still its clauses
    after = text[cand.end : cand.end + 4].lstrip(" \t")
    if after[:1] in (",", ";"):
        return True
    if where != "line" and _prev_word(text, cand.start) in _REFERENCE_WORDS:
        return True
    if cand.style in ("dec3", "dec2", "num_dot") or not ("a" <= after[:1] <= "z"):
        return False  # "7.1.1 it is duly organized …": numbered sub-clauses may open in lower case
    # On its own line after a blank line or a list's punctuation ("shall:\n(a) provide …;\n(b) …") it is
    # a list item; after a line that stops mid-sentence it is a wrapped enumeration.
    before = text[max(0, cand.start - 12) : cand.start]
    return not (where == "line" and _LIST_LINE_END.search(before))


def _prev_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z]+)\W*$", text[max(0, start - 30) : start])
    return m.group(1).lower() if m else ""


def _heading_like(segment: str) -> bool:
    seg = segment.strip()
    if _HARD_END_RE.search(seg):
        return False
    if re.search(r"(?i)\b(?:shall|will|must|agrees?|undertakes?|may|is|are|not)\b", seg):
        return False  # a sentence in progress: "(a)" there is an in-sentence enumeration
    limit = 110 if re.search(r"[A-Za-z]{3}", seg) else 45
    return len(seg) <= limit


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@dataclass
class _Open:
    style: str
    value: int
    number: str
    index: int


def split_clauses(text: str, party_labels: list[str] | None = None) -> list[Clause]:
    """Numbered clauses of ``text`` in order, with level, path and span."""
    body_start = find_body_start(text)
    cands = _candidates(text)
    heading_re = _party_heading_re(party_labels or [])
    if heading_re is not None:
        for m in heading_re.finditer(text):
            cands.setdefault(m.start(1), []).insert(
                0, _Cand(m.start(1), m.end(1), m.group(1).strip(), "party_heading", 0, "strict")
            )
    annexes = {m.start(): m for m in _ANNEX_RE.finditer(text)}

    stack: list[_Open] = []
    seen: dict[str, int] = {}  # last value of every style, open or closed
    annex: str | None = None
    out: list[
        tuple[int, int, str | None, str, int, str | None]
    ] = []  # start, marker_end, number, path, level
    last_end = body_start
    last_value: int | None = None
    last_cjk = False
    positions = sorted(set(cands) | set(annexes))
    for pos in positions:
        if pos < body_start or pos < last_end:
            continue
        if pos in annexes and out:
            m = annexes[pos]
            annex_no = m.group(0).strip()
            line_end = text.find("\n", pos)
            line_end = len(text) if line_end < 0 else line_end
            if line_end - pos <= 40:
                annex = annex_no
                stack = []
                out.append((pos, m.end(), annex_no, annex_no, 0, None))
                last_end, last_value, last_cjk = m.end(), None, False
                continue
        where = _position(text, pos)
        for cand in cands.get(pos, []):
            verdict = _judge(text, cand, where, stack, last_end, bool(out), seen)
            if verdict is None:
                continue
            after = text[cand.end : cand.end + 1]
            if cand.style != "party_heading" and _inside_sentence(text, cand, where):
                continue
            if cand.style != "party_heading":
                nxt = text[cand.end : cand.end + 3].lstrip(" ")
                numeric = cand.style in ("dec2", "dec3", "num_dot", "num_close")
                if not nxt or (numeric and nxt[0] in _UNIT_AFTER) or nxt[0].isdigit() or nxt[0] in ")）":
                    continue
                # Bilingual texts repeat each number before the translation; the clause is the Chinese one.
                if (
                    last_value == cand.value
                    and last_cjk
                    and re.match(r"\s*[A-Za-z]", text[cand.end : cand.end + 3])
                ):
                    continue
                if cand.style == "alpha_dot" and not re.match(
                    r"\s*[A-Z\u4e00-\u9fff(（\"“]", text[cand.end : cand.end + 3]
                ):
                    continue
            k = verdict
            entry = _Open(cand.style, cand.value, cand.number, len(out))
            stack = [*stack[:k], entry] if k >= 0 else [entry]
            names = [e.number for e in stack]
            path = " > ".join(([annex] if annex else []) + names)
            level = len(stack)
            shown: str | None = None if cand.style == "party_heading" else cand.number
            out.append((pos, cand.end, shown, path, level, None))
            last_end = cand.end
            seen[cand.style] = cand.value
            last_value = cand.value if cand.style != "party_heading" else None
            last_cjk = bool(after) and _is_cjk(text[cand.end : cand.end + 2].strip()[:1] or " ")
            break

    out = _with_run_in_headings(text, out, body_start)
    clauses: list[Clause] = []
    body_end = len(text.rstrip())
    # End of each clause = start of the next clause at the same or a higher level (one backward pass).
    ends = [body_end] * len(out)
    waiting: list[int] = []
    for i, item in enumerate(out):
        while waiting and out[waiting[-1]][4] >= item[4]:
            ends[waiting.pop()] = item[0]
        waiting.append(i)
    for i, (start, mend, number, path, level, _) in enumerate(out):
        end = ends[i]
        next_start = out[i + 1][0] if i + 1 < len(out) else body_end
        heading = _heading(text, mend, next_start) if number is not None else text[start:mend].strip()
        clauses.append(Clause(number=number, heading=heading, level=level, path=path, start=start, end=end))
    return clauses


# A title set before a clause number on its line ("Formation 1. By this Agreement …", "Term 4."): the
# sections of agreements whose headings are unnumbered, as PDF text gives them.
_RUN_IN_TITLE = re.compile(
    r"[ \t]*([A-Z][A-Za-z'’&-]*(?:[ \t]+(?:[A-Z][A-Za-z'’&-]*|of|and|the|for|to|in|on|a|an|&)){0,5})[ \t]+"
)


_SENTENCE_BEFORE_TITLE = re.compile(r"[a-z0-9)][.;][ \t]+(?=[A-Z][^.;:]*$)")


def _with_run_in_headings(
    text: str, out: list[tuple[int, int, str | None, str, int, str | None]], body_start: int
) -> list[tuple[int, int, str | None, str, int, str | None]]:
    result: list[tuple[int, int, str | None, str, int, str | None]] = []
    previous_end = body_start
    for item in out:
        start, _mend, number, _path, level, _ = item
        # Only a line break after the previous marker matters: looking back no further than that keeps
        # a text without line breaks linear.
        floor = max(0, previous_end - 1)
        brk = text.rfind("\n", floor, start)
        own_line = brk + 1 if brk >= 0 else (0 if floor == 0 else -1)
        line_start = max(own_line, previous_end)
        # A title after another marker on the same line is that clause's heading ("Item Eleven Quality
        # Assurance 1. …"), unless that marker was the preamble's "agree as follows:".
        after_marker = previous_end > own_line and previous_end != body_start
        if after_marker and number is not None:
            # A clause whose text is one long line: a title follows the previous sentence's full stop
            # ("… of the Venture. Term 4. The duration …").
            stop = _SENTENCE_BEFORE_TITLE.search(text, max(previous_end, start - 60), start)
            if stop is not None:
                line_start, after_marker = stop.end(), False
        if (
            number is not None
            and not after_marker
            and start - line_start <= 60
            and _prev_word(text, start) not in _STOP_PREV
        ):
            m = _RUN_IN_TITLE.fullmatch(text, line_start, start)
            if m and not re.fullmatch(
                r"(?i)(?:article|section|clause|item|chapter|schedule|annex|exhibit|page)", m.group(1)
            ):
                title = m.group(1)
                result.append((m.start(1), m.end(1), None, title, level, None))
        result.append(item)
        previous_end = item[1]
    return result


# Letters that are also roman numerals (i, v, x), by their place in the alphabet.
_ROMAN_LETTERS = frozenset((9, 22, 24))


def _judge(
    text: str,
    cand: _Cand,
    where: str,
    stack: list[_Open],
    last_end: int,
    any_out: bool,
    seen: dict[str, int] | None = None,
) -> int | None:
    """Stack index to truncate to (-1 = new top level) if the candidate is accepted, else None."""
    k = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].style == cand.style), None)
    strong = where in ("line", "sent")
    if cand.style == "zh_comma" and where != "line":
        return None
    if (
        k is None
        and seen
        and cand.style in seen
        and strong
        and cand.value in (seen[cand.style] + 1, seen[cand.style] + 2)
    ):
        # 第三条 under 第二章 continues the article numbering closed by the chapter: nest it there.
        return len(stack)
    if cand.style == "party_heading":
        if k is None and stack and stack[-1].style in _ITEM_STYLES and cand.number[:1].isascii():
            return len(stack) - 1  # "Pivotal … will:" after the last item of the previous party's list
        return k if k is not None else len(stack)
    if (
        k is None
        and cand.style == "alpha_paren"  # "(i)" is also read as roman_paren; "i." and "i)" only as letters
        and cand.value in _ROMAN_LETTERS
        and (seen or {}).get(cand.style) != cand.value - 1
    ):
        return None  # "(i)" opening a list after "1." is a roman numeral, not the ninth letter
    if k is not None:
        last = stack[k].value
        if cand.value == last + 1:
            if (
                where == "glued"
                and cand.group == "strict"
                and cand.style.startswith(("kw", "zh_tiao", "zh_zhang"))
            ):
                return None
            if where == "space" and cand.style.startswith("kw"):
                return None
            return k
        if strong and (cand.value in (last, last + 2, last + 3) or cand.value == 1):
            return k
        return None
    first = cand.value == 1
    if first:
        if strong:
            return len(stack)
        script_change = (
            where == "glued"
            and re.match(r"[A-Za-z)）]", text[cand.start - 1]) is not None
            and (cand.style.startswith("zh_") or _is_cjk(text[cand.end : cand.end + 1] or " "))
        )
        if script_change:
            # A Chinese marker glued to Latin text (a flattened bilingual title) still starts a clause.
            return len(stack)
        line_start = max(text.rfind("\n", last_end, cand.start) + 1, last_end)
        if (
            cand.group == "loose"
            and where == "space"
            and _prev_word(text, cand.start) not in _STOP_PREV
            and _RUN_IN_TITLE.fullmatch(text, line_start, cand.start)
        ):
            return len(stack)  # "Formation 1. By this Agreement …": a title run in before the number
        if not any_out or cand.group == "strict":
            return None
        if _prev_word(text, cand.start) in _STOP_PREV and where == "space":
            return None
        line_start = text.rfind("\n", last_end, cand.start) + 1
        if _heading_like(text[max(last_end, line_start) : cand.start]):
            return len(stack)
        return None
    if where == "line":
        return -1
    return None


def _party_heading_re(labels: list[str]) -> re.Pattern[str] | None:
    latin = [lab for lab in labels if re.search(r"[A-Za-z]", lab) and len(lab) <= 60]
    labels = [lab for lab in labels if re.fullmatch(r"[\u4e00-\u9fff]{1,4}", lab)]
    if not labels:
        if not latin:
            return None
        # "Collectible Concepts Group will:" alone on its line over a list of what that party does.
        alt = "|".join(r"\s+".join(map(re.escape, x.split())) for x in sorted(latin, key=len, reverse=True))
        return re.compile(
            rf"(?m)^[ \t]*((?:[Tt]he[ \t]+)?(?:{alt})[ \t]+(?:will|shall|agrees[ \t]+to|undertakes[ \t]+to)"
            r"(?:[ \t]++[a-z]++){0,4}+[ \t]*+:)[ \t]*$"
        )
    alt = "|".join(re.escape(lab) for lab in sorted(labels, key=len, reverse=True))
    return re.compile(
        rf"(?m)^[ \t]*((?:{alt})(?:的|之)?(?:主要)?(?:责任|义务|权利|职责)?"
        r"(?:[和与及、](?:责任|义务|权利))*[：:])[ \t]*$"
    )


def _heading(text: str, start: int, limit: int) -> str | None:
    """The title after a marker: up to a colon, a line end or the next marker, when it is short."""
    # A title is short: reading a bounded window keeps this linear in the clause count.
    segment = text[start : min(limit, start + 300)]
    bilingual = re.match(
        r"[ \t]*([\u4e00-\u9fff（）()、]{2,20})(?=\s*(?:[0-9IVXivx.]+[.)]?\s*)?[A-Z][a-z])", segment
    )
    if bilingual:
        return bilingual.group(1)
    # "ARTICLE I\nDEFINITIONS": a marker alone on its line, titled by the next short line.
    own_line = re.match(r"[ \t]*+\.?[ \t]*+\n[ \t]*+([^\n]{2,60})\n", segment)
    if own_line and not re.search(r"[。；;,，]|\.\s|\b(shall|will|must)\b", own_line.group(1)):
        return own_line.group(1).strip().rstrip(".:：")
    # A sentence that ends in a full stop, "。" or the full-width "．" of older texts, is no title.
    m = re.match(r"[ \t]*+([^\n：:。；;．]*?)(?:[ \t]*+([：:]|\n|$)|(?=\.\s))", segment)
    if not m:
        return None
    head = m.group(1).strip().lstrip("-–—·.").strip()
    if not head:
        return None
    stop = m.group(2)
    latin = bool(re.search(r"[A-Za-z]{3}", head))
    if latin:
        head = re.split(r"\.\s|\.(?=[A-Z])", head)[0].strip()
        words = head.split()
        if len(words) > 12 or re.search(r"\b(shall|will|must|is|are|may|agrees?)\b", head):
            return None
        content = [
            w
            for w in words
            if w.lower() not in {"of", "and", "the", "for", "to", "in", "on", "a", "an", "&", "or"}
        ]
        titled = sum(1 for w in content if w[:1].isupper() or not w[:1].isalpha())
        if stop not in ("：", ":") and content and titled < 0.7 * len(content):
            return None  # a sentence ("Ensure the safety of ..."), not a title
        if stop is None and not re.match(r"[ \t]*" + re.escape(head) + r"\.", segment):
            return None
        return head.rstrip(".")
    if len(head) > 30 or re.search(r"[，,]", head):
        return None
    if stop in ("：", ":") or stop == "\n" or len(segment.strip()) == len(head):
        return head
    return None


# Agreements without numbers whose sections are titled lines ending in a colon ("Contribution by Sponsor:",
# "Terms and Termination:"); inside them, a short title run into its line ("Banners: Sponsors are …").
_COLON_HEADING = re.compile(r"(?m)^[ \t]*([A-Z][A-Za-z'’&/ -]{1,60}?)[ \t]*:[ \t]*$")
_RUN_IN_COLON = re.compile(
    r"(?m)^[ \t]*([A-Z][A-Za-z'’&-]*(?:[ \t]+[A-Za-z'’&-]+){0,3})[ \t]*:[ \t]+(?=[A-Z])"
)
_BARE_TITLE = re.compile(r"(?m)^[ \t]*([A-Z][a-z'’&-]+(?:[ \t]+[A-Z][a-z'’&-]+){0,3})[ \t]*$")
_FORM_LABELS = frozenset((
    "address", "name", "title", "date", "by", "attn", "attention", "tel", "telephone", "fax", "email", "e-mail",
    "phone", "signature", "witness", "position", "company", "notes", "note",
))  # fmt: skip


def _sentence_after(text: str, start: int) -> bool:
    """The rest of the line reads as prose: several words, lower-case words among them."""
    line_end = text.find("\n", start)
    rest = text[start : len(text) if line_end < 0 else line_end]
    return len(rest.split()) >= 6 and len(re.findall(r"\b[a-z]{3,}\b", rest)) >= 3


def heading_clauses(text: str) -> list[Clause]:
    """Sections titled by colon lines when a text has no numbered clauses; [] when fewer than three."""
    tops = [
        m
        for m in _COLON_HEADING.finditer(text)
        if m.group(1).strip().lower() not in _FORM_LABELS and len(m.group(1).split()) <= 7
    ]
    if len(tops) < 3:
        return []
    first = tops[0].start(1)
    heads: list[tuple[int, int, str, int]] = [(m.start(1), m.end(), m.group(1).strip(), 1) for m in tops]
    taken = {m.start(1) for m in tops}
    # a title alone on its line between two sections, without its colon ("Confidentiality")
    for m in _BARE_TITLE.finditer(text, first):
        if m.start(1) in taken or m.group(1).lower() in _FORM_LABELS:
            continue
        before = text.rfind("\n", 0, max(0, m.start() - 1))
        previous_line = text[before + 1 : m.start()].strip()
        if previous_line.endswith((".", ":")) and _sentence_after(text, m.end() + 1):
            heads.append((m.start(1), m.end(), m.group(1), 1))
            taken.add(m.start(1))
    for m in _RUN_IN_COLON.finditer(text, first):
        if m.start(1) in taken or m.group(1).lower() in _FORM_LABELS or not _sentence_after(text, m.end()):
            continue
        heads.append((m.start(1), m.start(1) + len(m.group(1)), m.group(1), 2))
    heads.sort()
    clauses: list[Clause] = []
    parent = ""
    for i, (start, _end, title, level) in enumerate(heads):
        if level == 1:
            parent = title
        elif not parent:
            level = 1
        end = len(text)
        for later in heads[i + 1 :]:
            if later[3] <= level:
                end = later[0]
                break
        path = title if level == 1 else f"{parent} > {title}"
        clauses.append(Clause(number=None, heading=title, level=level, path=path, start=start, end=end))
    return clauses
