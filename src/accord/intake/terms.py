"""The agreement's term as written: a duration (三年, "three (3) years"), a range of dates, or an end
(until a date, an event, or until terminated).

A term is the agreement's own: periods that run after it ends (confidentiality for five years after
termination, records kept for three years, no solicitation for 24 months following it) and the project's
execution period (项目执行期限) are not it.
"""

from __future__ import annotations

import re

# Chinese ------------------------------------------------------------------------------------------

_ZH_NUM = "[0-9０-９一二三四五六七八九十两壹贰叁肆伍陆柒捌玖拾_＿]"
#: The words that name the term, and what joins them to the value (为, 是, 共, 暂定, a colon, a heading's
#: line break).
_ZH_LABEL = (
    r"(?P<label>(?:合作|协议|合同|有效|托管|服务|研究)?(?:期限|有效期|合作期|时间|起始日|期)(?:限)?)"
    r"(?:[为是共：:\s]|暂定|自然)*+"
)
_ZH_RANGE = re.compile(
    _ZH_LABEL
    + r"(?P<value>(?:自(?!动|行|然)|从)[^，。；\n]{2,30}?(?:至|到)[^，。；\n]{2,30}?(?:日(?:止|为止)?|止|为止)"
    r"|[^，。；\n自从]{0,3}?"
    + _ZH_NUM
    + r"*\s*年[^，。；\n]{0,12}?(?:至|到|—|－|-|~|～)[^，。；\n]{2,20}?(?:日(?:止|为止)?|止|为止))"
)
_ZH_DURATION = re.compile(
    # "有效期限：自合同签订之日起两年": the day it runs from, then its length
    _ZH_LABEL
    + r"(?:(?:自|从)[^，。；\n]{2,16}?起[，,]?)?(?P<value>"
    + _ZH_NUM
    + r"++\s*+(?:个月|年))(?!\s*[0-9０-９一二三四五六七八九十〇]+\s*月)"
)
_ZH_UNTIL = re.compile(
    r"(?P<label>(?:期限|有效期)(?:限)?)(?:为|是|：|:)*+(?P<value>(?:至|到)[^，。；\n]{2,40}?(?:日(?:止|为止)?|止|为止))"
)
_ZH_LONG = re.compile(r"(?P<value>长期有效|长期合作|长期执行)")
#: "丙方学业结束后自然终止", "项目验收结束时终止": the agreement ends with an event.
_ZH_EVENT_END = re.compile(
    r"(?P<value>(?:自[^，。；\n]{2,16}?(?:起|之日起)生效[，,])?(?:至|到)?[^，。；,\n]{2,24}?(?:后|时)(?:自然|自动|自行)?(?:终止|失效|止))"
)
#: The project's own period is no term of the agreement.
_ZH_NOT_AGREEMENT = re.compile(
    r"(?:项目|课题|建设|执行|实习|培训|施工|工作|留学|学习|延长)[\u4e00-\u9fff]{0,2}$"
)
#: Terms are about the agreement (本协议有效期…): a term sentence mentioning 本协议/本合同 wins over
#: a 期限 standing for something else ("质保期限为一年").
_ZH_OTHER_PERIOD = re.compile(
    r"(?:保修|质保|保密|付款|支付|借款|租赁|试用|履行|交付|研究开发|开发)[\u4e00-\u9fff]{0,2}$"
)

#: A letter of guarantee or power of attorney appended to the agreement has its own validity.
_ZH_OTHER_DOCUMENT = re.compile(r"保证函|保函|担保函|担保书|授权书|委托书")


def _zh_candidates(text: str) -> list[tuple[int, int, str]]:
    """(priority, position, value); lower priority first."""
    out: list[tuple[int, int, str]] = []
    for rank, pattern in ((0, _ZH_RANGE), (0, _ZH_UNTIL), (1, _ZH_DURATION)):
        for m in pattern.finditer(text):
            label = m.group("label")
            if label in ("时间", "期") or (
                label.endswith("时间") and label[:2] not in ("合作", "研究", "托管")
            ):
                continue  # 时间 alone, 期 alone: a time of day, a school term
            before = text[max(0, m.start() - 6) : m.start()]
            sentence = text[
                max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1 : m.start()
            ]
            if _ZH_OTHER_PERIOD.search(before) or _ZH_OTHER_DOCUMENT.search(sentence):
                continue
            penalty = 5 if _ZH_NOT_AGREEMENT.search(before) else 0
            out.append((rank + penalty, m.start(), m.group("value").strip()))
    for m in _ZH_LONG.finditer(text):
        out.append((2, m.start(), m.group("value")))
    return out


def _zh_term(text: str) -> str | None:
    found = _zh_candidates(text)
    if found:
        best = min(found)
        if best[0] < 5:
            return _zh_renewal(text, best[1], best[2])
    for m in _ZH_EVENT_END.finditer(text):
        value = m.group("value").strip()
        if re.search(r"(?:本|该|此)?(?:协议|合同)|[甲乙丙丁]方|项目", value) and not re.search(
            r"有权|可以|应当|期满", value
        ):
            return value
    return min(found)[2] if found else None


#: "期满后如双方无异议，本协议自动续延": an automatic renewal shown beside the term.
_ZH_RENEWAL = re.compile(
    r"(?:期满|到期)后?[^。；\n]{0,16}?(?P<renew>自动(?:续签|续延|顺延|延续|续期|延长)[^，。；\n]{0,10})"
)


def _zh_renewal(text: str, at: int, term: str) -> str:
    if term.startswith(("至", "到")) or term == "长期有效":
        return term
    renewal = _ZH_RENEWAL.search(text[at : at + 160])
    return f"{term}，期满{renewal.group('renew')}" if renewal else term


# English ------------------------------------------------------------------------------------------

_EN_DURATION = r"(?:\d+|[a-z]+(?:[- ][a-z]+)?)\s*+(?:\(\d+\)\s*+)?(?:years?|months?)\b"
_EN_SUBJECT = re.compile(
    r"(?i)\b(?:this|the)\s+(?:[\w-]+\s+){0,3}?(?:agreement|mou|memorandum|contract|venture|alliance|collaboration|sponsorship)\b"
    r"|\b(?:initial\s+)?term\b|\bduration\b"
)
#: Where the term's wording stops: the sentence's end, a condition, the defined term it is given ("Term").
_EN_STOP = (
    r"(?=\s*[.;]|\s*$|,?\s+(?:unless|or\s+as\s+otherwise|subject\s+to|provided|except)\b|,\s+(?:which|whichever)\b"
    r"|\s*\(\s*(?:the\s+)?[\"“]|,?\s+or\s+\((?:ii|b|2)\))"
)
_EN_PATTERNS: tuple[re.Pattern[str], ...] = (
    # "During the period beginning on the Effective Date and ending on December 31, 2018 (the "Development
    # Term")": a period the text itself names a term
    re.compile(
        r"(?i)\bperiod\s+(?:beginning|commencing|starting)\s+(?:on|from)\s+(?P<start>[^.;()]{3,60}?)\s+and\s+"
        r"(?:ending|expiring)\s+on\s+(?P<end>[^.;()]{3,60}?)\s*+\(\s*+(?:the\s+)?[\"“][\w -]{0,30}?\bTerm[\"”]\s*+\)"
    ),
    # "shall commence on the Effective Date and conclude on October 31, 2010"
    re.compile(
        r"(?i)\b(?:commence|begin|start)s?\s+(?:on|from|as\s+of)\s+(?P<start>[^.;]{3,60}?),?\s+and\s+(?:shall\s+|will\s+)?"
        r"(?:(?:conclude|end|expire|terminate)(?:\s+(?:on|upon|at))?|extend\s+through|continue(?:,[^,.;]{0,30},)?\s+(?:in\s+full\s+force\s+and\s+effect\s+)?until"
        r"|remain\s+in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s+until|be\s+effective\s+until)\s+"
        r"(?P<end>[^.;]{3,90}?)" + _EN_STOP
    ),
    # "shall remain in effect until December 31, 2025", "… until terminated by either party"
    re.compile(
        r"(?i)\b(?:remain|continue|be)\s+(?:in\s+(?:full\s+)?(?:force|effect)(?:\s+and\s+effect)?\s+|effective\s+|valid\s+)?"
        r"(?P<value>until\s+[^.;]{3,100}?)" + _EN_STOP
    ),
    # "shall expire on the fifth anniversary of the Effective Date"
    re.compile(
        r"(?i)\b(?:shall|will)\s+(?P<value>(?:expire|terminate|end)\s+(?:on|upon|at)\s+[^.;]{3,90}?)"
        + _EN_STOP
    ),
    re.compile(
        r"(?i)\b(?:this\s+(?:agreement|mou|memorandum|contract))\s+(?P<value>expires\s+on\s+[^.;]{3,90}?)"
        + _EN_STOP
    ),
    # "The term of this Agreement is twelve (12) months", "The term of the Agreement will be for 12 months"
    re.compile(
        r"(?i)\bterm\s+of\s+(?:this|the)\s+(?:[\w-]+\s+){1,2}?(?:is|shall\s+be|will\s+be)\s+(?:for\s+)?"
        r"(?:an?\s+(?:initial\s+)?(?:term|period)\s+of\s+)?(?P<value>" + _EN_DURATION + ")"
    ),
    re.compile(
        r"(?i)\b(?:term|period|duration)\s+of\s+(?P<value>" + _EN_DURATION + ")"
        r"|\bfor\s+(?:an?\s+(?:initial\s+|maximum\s+)?(?:term|period|duration)\s+of\s+)(?P<v2>"
        + _EN_DURATION
        + ")"
        r"|\b(?:remain\s+in\s+(?:full\s+)?(?:force|effect)|be\s+valid|continue(?:\s+in\s+(?:force|effect))?)\s+for\s+"
        r"(?:an?\s+(?:initial\s+)?(?:term|period|duration)\s+of\s+)?(?P<v3>" + _EN_DURATION + ")"
    ),
)
#: A period that runs after the agreement, or for something else than the agreement.
_EN_AFTER = re.compile(
    r"(?i)^[^.;]{0,25}?\b(?:after|following|thereafter|from\s+the\s+(?:date\s+of\s+)?(?:termination|expiration))\b"
)
_EN_OTHER = re.compile(
    r"(?i)\b(?:surviv\w*|records?|retain\w*|confidential\w*|solicit\w*|warrant\w*|payments?|royalt\w*|"
    r"project\s+period|option|right\s+of\s+first|exclusivity|non-?compet\w*)\b[^.;]{0,80}$"
)


def _en_term(text: str) -> str | None:
    found: list[tuple[int, int, str]] = []
    for pattern in _EN_PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            if groups.get("start"):
                # "shall commence on X and conclude on Y": shown as "from X until Y"
                start = re.sub(r"(?i)\s+hereof$", "", groups["start"])
                value = f"from {start} until {groups['end']}"
            else:
                value = next(v for v in groups.values() if v)
            sentence_start = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start()))
            lead = text[max(sentence_start + 1, m.start() - 160) : m.start()]
            if _EN_AFTER.search(text[m.end() : m.end() + 60]) or _EN_OTHER.search(lead):
                continue
            if value.lower().startswith("until") and re.match(
                r"(?i)until\s+(?:such\s+time|the\s+parties)", value
            ):
                continue
            strong = _EN_SUBJECT.search(lead + text[m.start() : m.start() + 40]) is not None
            found.append((0 if strong else 1, m.start(), re.sub(r"\s+", " ", value).strip(" ,")))
    if not found:
        return None
    _rank, at, value = min(found)
    if not value.lower().startswith(("until", "expire", "terminate", "end ")) and _EN_RENEWAL.search(
        text[at : at + 400]
    ):
        value += ", automatically renewed"
    return value


#: "… and will be automatically renewed for one (1) additional twelve month period": the term renews.
_EN_RENEWAL = re.compile(
    r"(?i)\b(?:automatically\s+(?:be\s+)?(?:renew|extend)(?:ed|s)?|(?:renew|extend)(?:s|ed)?\s+automatically|auto-renew\w*)\b"
)


def find_term(text: str, lang: str) -> str | None:
    """The agreement's term as written, or None when the text states none."""
    return _zh_term(text) if lang == "zh" else _en_term(text)
