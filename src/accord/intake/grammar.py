"""Due dates, recurrence, amounts and conditions found inside one commitment's text."""

from __future__ import annotations

import re
from datetime import date

from .dates import EN_DATE_RE, ZH_DATE_RE, parse_en_date, parse_zh_date, resolve_due
from .model import Amount
from .numerals import EN_NUMBER_RE

_N = r"[0-9０-９一二三四五六七八九十两几_＿]+"
_ZH_UNITS = r"(?:个)?(?:工作日|周日|小时|日|天|周|星期|月|年)"
# A year/month/day slot: digits, Chinese numerals, blanks (____), masks (XX) or ${placeholders}.
# Possessive: a slot never gives characters back, so "1 2 3 …" without 月 fails in linear time.
_SLOT = r"(?:[0-9０-９零〇○一二三四五六七八九十_＿Xx\s]|\$\{\w+\})++"
_ZH_DUE = [
    # explicit (possibly blank) calendar day with 前: 2012年9月31日前 / ____年____月____日前 / 每年X月X日之前
    # A date starts where a run of slot characters starts: trying every position inside a long run of
    # digits and spaces would read the rest of the run from each.
    re.compile(
        rf"(?<![0-9０-９零〇○一二三四五六七八九十_＿Xx\s])(?:(?<=[，,：:\n])在|^在|每年|次年|翌年|当年)?(?:{_SLOT}年)?{_SLOT}月{_SLOT}日"
        r"\s*+(?:之前|以前|前)"
    ),
    # a month, month's end, quarter or year's end without a day: 2025年9月前 / 2025年9月底前 / 2025年第三季度前
    re.compile(
        rf"(?<![0-9０-９零〇○一二三四五六七八九十_＿Xx\s])(?:每年)?(?:{_SLOT}年(?:年底|年末|底|末)"
        rf"|(?:{_SLOT}年)?(?:{_SLOT}月(?:份|底|末)?|第{_SLOT}季度(?:末)?))\s*+(?:之前|以前|前)"
    ),
    # "在收到发票后的十五日内": 的 may stand between the event and its period; "在手术前48小时以内": a
    # period before the event
    re.compile(
        rf"(?:在|于|自)?[^，,。；;、\s]{{1,10}}?(?:后|之日起|起|(?<!提)前)的?\s*+(?:{_N}|\[\s*\])?\s*+{_ZH_UNITS}(?:之内|以内|内)"
    ),
    re.compile(rf"[^，,。；;、\s]{{1,6}}?{_N}\s*(?:个)?(?:工作日|小时|日|天|周|星期|月|年)后"),
    re.compile(rf"(?:(?<=[应须需将并])在)?{_N}\s*{_ZH_UNITS}(?:之内|以内|内)"),
    re.compile(r"(?:(?<=方)在)?(?:本)?(?:合同|协议)(?:签订|签署|生效|订立)(?:后|之日起)"),
    re.compile(r"(?:(?<=应)|(?<=并)|(?<=当))及时"),
    re.compile(r"当[^，,。；;及]{2,14}时"),
    re.compile(r"(?:刊登|发布|出版|开工|开学|入学|结题|启动|付款|发货|交付|签约|签订)(?:之)?前"),
    re.compile(r"按进度"),
    # times of year: 每学年开学初 / 每年年底前
    re.compile(r"每(?:个)?(?:学年|半年|年|学期|季度|月)[^，,。；;]{0,6}?(?:底前|末前|初|末|底|前|内)"),
    # a month (perhaps with blanks) that opens an instalment or schedule item: "一九____年____月偿还____元"
    re.compile(rf"^(?:于|在)?{_SLOT}年{_SLOT}月(?:底|末)?(?=\s*[\u4e00-\u9fff])"),
    # notice ahead of an act ("必须提前日以书面形式通知", "均应至少提前三个月…申请"), not a bonus per month early
    re.compile(rf"(?<!每)(?:至少)?提前\s*+(?:{_N})?\s*+(?:个)?(?:工作日|日|天|周|星期|月)(?!为)"),
    # "按期完成学业", "并按期回国服务": on time, as written
    re.compile(r"(?:(?<=[应须并])|^)按期(?=[\u4e00-\u9fff])"),
]
# The patterns above that name a date or a period in so many days: when one matches, an opening period or
# event of the quote is not its due.
_ZH_SPECIFIC = 5
# A period or an event the undertaking is tied to, opening the quote: "在实习期内，…", "丙方在学期间，…",
# "项目立项后，…", "在收到全部款项后，…". Kept as written, subject included.
_ZH_OPENING_DUE = re.compile(
    r"^[^，,。；;]{1,14}?(?:期间|期内|过程中)(?=\s*[，,])|^[^，,。；;]{2,20}?(?:之后|以后|后)(?=\s*[，,])"
    # an event the undertaking must come before: "在离开中国前，向甲方提出…"
    r"|^在[^，,。；;]{2,20}?(?:之前|以前|前)(?=\s*[，,])"
)
# The same period or event after the subject, without a comma: "乙方学生在实习期间要遵守…",
# "乙方在控制台研制完成后到现场调试" (the due is the phrase from 在).
_ZH_SUBJECT_THEN_PERIOD = re.compile(
    r"^[\u4e00-\u9fff]{1,4}方(?:学生|实习生)?(?:应当|应|须|必须|将|承诺|保证)?"
    r"((?:在|于(?!每))[^，,。；;在]{2,16}?(?:期间|期内|过程中|之后|以后|(?<!以)后|之前|以前|(?<![以之])前"
    # notice ahead of the event: "甲方应在合同期满前三十日书面通知…"
    rf"(?:{_N}\s*(?:个)?(?:工作日|日|天|周|星期|月))?))(?![，,])"
)
# An event the undertaking comes before is a deadline even when it is the agreement's ("在合同期满前").
_ZH_BEFORE = re.compile(rf"前(?:{_N}\s*(?:个)?(?:工作日|日|天|周|星期|月))?$")
# A party before the period opening the quote ("甲方在乙方回国后，…") is the subject, not the time.
_ZH_LEADING_PARTY = re.compile(r"^[甲乙丙丁]方(?=在)")
# An event or period written with no comma after it ends where the subject or its modal begins ("Within 30
# days of the execution of this agreement both companies agree …").
_EN_EVENT_STOP = (
    r"\s+(?:shall|will|must|agrees?)\b"
    r"|\s+(?:both|each|all|the)\s+(?:parties|companies|members|joint\s+venturers)\b"
)
# What follows a period without being part of it ("during the Term with a proposed offer", "during regular
# business hours at the headquarters of …", "during the term of the Project in accordance with the Plan").
_EN_PERIOD_STOP = r"\s+(?:in\s+accordance\s+with|with\s+(?:a|an|the|any|its)|at\s+(?:the|its)|to\s+the)\b"
_EN_DUE = [
    # "as soon as practicable but in any event within two (2) business days of such event": one due
    re.compile(
        r"(?i)\bas\s+(?:soon|quickly)\s+as\s+(?:is\s+)?(?:reasonably\s+)?(?:practicable|possible),?\s+(?:but|and)\s+"
        r"(?:in\s+any\s+(?:event|case)\s+)?(?:within|no\s+later\s+than|not\s+later\s+than)\s+[^,;.]{1,80}?(?=[,;.]|$)"
    ),
    re.compile(
        rf"(?i)\bwithin\s+(?:\d+|{EN_NUMBER_RE})\s*(?:\(\d+\)\s*)?(?:business\s+|working\s+|calendar\s+)?"
        r"(?:hours?|days?|weeks?|months?|years?)"
        rf"(?:\s+(?:after|of|from|following)\s+[^,;.]{{1,100}}?(?=[,;.]|{_EN_EVENT_STOP}|$))?"
    ),
    re.compile(
        rf"(?i)\b(?:(?:no|not)\s+later\s+than\s+)?(?:\d+|{EN_NUMBER_RE})\s+(?:days?|weeks?|months?|years?)\s+"
        r"(?:from|after)\s+(?:the\s+)?"
        r"[^,;.]{1,50}?(?=[,;.]|$)"
    ),
    # "at least thirty (30) days prior to submission", "seven business days in advance": a lead time, whole
    re.compile(
        r"(?i)\b(?:(?:at\s+least|not\s+less\s+than|no\s+less\s+than|no\s+fewer\s+than|not\s+fewer\s+than)\s+)?"
        rf"(?:\d+|{EN_NUMBER_RE})\s*(?:\(\d+\)\s*)?(?:business\s+|working\s+|calendar\s+)?(?:hours?|days?|weeks?|months?)\s+"
        r"(?:(?:prior\s+to|before|in\s+advance\s+of)\s+[^,;.]{1,80}?(?=[,;.]|$)|in\s+advance\b)"
    ),
    re.compile(r"(?i)\bbefore\s+the\s+\d+(?:st|nd|rd|th)?\s+(?:day\s+)?of\s+(?:each|every)\s+month"),
    re.compile(
        r"(?i)\b(?:after|upon)\s+(?:the|this)\s+(?:agreement|contract|MOU|amendment)\s+is\s+(?:signed|executed)"
    ),
    re.compile(
        r"(?i)\bfrom\s+the\s+(?:starting|start|effective|commencement)\s+(?:date|day)\s+of\s+[^,;.]{1,40}?(?=[,;.]|$)"
    ),
    re.compile(
        r"(?i)\b(?:(?:on\s+or\s+|at\s+or\s+|(?:sufficiently|reasonably|immediately|well|shortly)\s+)?prior\s+to|"
        r"no\s+later\s+than|not\s+later\s+than)\s+[^,;.]{1,80}?"
        r"(?=[,;.]|\s+(?:based\s+on|in\s+accordance|pursuant\s+to|by\s+wire|with\s+respect\s+to|in\s+connection\s+with)\b"
        r"|\s+\(|$)"
    ),
    # a day of each period: "by the 20th of each month", "at the end of each calendar quarter"
    re.compile(
        r"(?i)\b(?:at|by|before|on\s+or\s+before|on)\s+the\s+(?:end|close|beginning|start|(?:\d{1,2}(?:st|nd|rd|th)?|first|last)"
        r"(?:\s+(?:business\s+|working\s+)?day)?)\s+of\s+(?:each|every)\s+(?:calendar\s+|fiscal\s+|contract\s+)?"
        r"(?:month|quarter|year|half[\s-]year)\b"
    ),
    # periods and events an undertaking is tied to, as written
    # "during the Term of this Agreement and for a period of two (2) years following the termination": one span
    re.compile(
        r"(?i)\b(?:(?:during|throughout)\s+the\s+term\b|while\s+this\s+agreement\s+is\s+in\s+(?:force|effect)\b)"
        r"[^,;.]{0,40}?\s+and\s+for\s+a\s+period\s+of\s+"
        r"[^,;.]{1,80}?(?=[,;.]|$)"
    ),
    re.compile(
        r"(?i)\b(?:for\s+a\s+period\s+of|for)\s+(?:[\w-]+\s+){0,3}(?:\(\d+\)\s+)?(?:years?|months?|days?)\s+"
        r"(?:\(\d+\)\s+)?(?:after|following|from)\s+[^,;.]{1,100}?(?=[,;.]|$)"
    ),
    re.compile(
        r"(?i)\b(?:during|throughout)\s+(?:the\s+|any\s+|each\s+)?(?:[\w-]+\s+){0,2}?(?:term|period|course|phase|regular|normal)\b"
        rf"[^,;.]{{0,90}}?(?=[,;.]|\s+\((?!\d)|{_EN_EVENT_STOP}|{_EN_PERIOD_STOP}|$)"
    ),
    re.compile(
        r"(?i)\bat\s+any\s+time\s+(?:during|after|subsequent\s+to|prior\s+to|before)\b[^,;.]{0,60}?(?=[,;.]|$)"
    ),
    re.compile(r"(?i)\bat\s+all\s+times(?:\s+during\s+the\s+term(?:\s+of\s+this\s+agreement)?)?"),
    re.compile(r"(?i)\bat\s+reasonable\s+times\b[^,;.]{0,60}?(?=[,;.]|$)"),
    re.compile(r"(?i)\bas\s+(?:soon|quickly)\s+as\s+(?:is\s+)?(?:reasonably\s+)?(?:practicable|possible)"),
    re.compile(r"(?i)\b(?:as\s+and\s+)?when\s+(?:due|requested)\b"),
    re.compile(r"(?i)\bwhile\s+this\s+agreement\s+is\s+in\s+(?:force|effect)\b[^,;.]{0,60}?(?=[,;.]|$)"),
    re.compile(r"(?i)\b(?:until|till)\s+[^,;.]{3,60}?(?=[,;.]|$)"),
    re.compile(
        r"(?i)(?<!based\s)(?<!agreed\s)(?<!relied\s)\b(?:upon|on)\s+(?:the\s+|any\s+)?(?:termination|expiration|completion|receipt|"
        r"written\s+request|request|achieving|signing|execution)\b[^,;.]{0,60}?(?=[,;.]|$)"
    ),
    re.compile(r"(?i)^\s*once\s+[^,;.]{3,60}?(?=[,;.]|$)"),
    re.compile(r"(?i)\b(?:on\s+or\s+)?before\s+(?!the\s+\d)[a-z][^,;.]{3,50}?(?=[,;.]|$)"),
    # "by the end of the first Contract Year", "in January, 2010", "for a period of three (3) years"
    re.compile(r"(?i)\bby\s+(?:the\s+)?end\s+of\s+[^,;.]{2,60}?(?=[,;.]|$)"),
    re.compile(
        r"\bin\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)"
        r",?\s+\d{4}\b"
    ),
    re.compile(
        rf"(?i)\bfor\s+a\s+period\s+of\s+(?:\d+|{EN_NUMBER_RE})\s*(?:\(\d+\)\s*)?(?:years?|months?|weeks?|days?)\b"
    ),
    # timing words on the action, taken only when the sentence names no event or period (README, Due)
    re.compile(
        r"(?i)\b(?:(?:promptly|immediately)(?:\s+thereafter)?|in\s+a\s+timely\s+manner|on\s+time|on\s+schedule|as\s+rapidly\s+as\s+possible"
        r"|(?:prompt|timely|immediate)(?=\s+(?:written\s+)?[a-z]+))\b"
    ),
]

_EN_TIMING_BEFORE = re.compile(r"(?i)\b(?:promptly|immediately)\s+$")

_REC_ZH = [
    ("semiannual", re.compile(r"每半年|每学期|每半学年|半年一次")),
    ("quarterly", re.compile(r"每季度|每季|按季度?|每个季度")),
    ("monthly", re.compile(r"每月|按月|每个月|月度")),
    (
        "annual",
        re.compile(
            r"每年(?!度执行)|每一年|每个年度|每学年|按年度?|年度(?:召开|举办|支付|报告|提交|评估|考核)"
        ),
    ),
]
_REC_EN = [
    (
        "semiannual",
        re.compile(
            r"(?i)\bsemi-?annual(?:ly)?\b|\btwice\s+(?:a|per|each)\s+(?:calendar\s+)?year\b|\bevery\s+six\s+months\b"
            r"|\beach\s+semester\b"
        ),
    ),
    (
        "quarterly",
        re.compile(
            r"(?i)\bquarterly\b|\b(?:each|every|per)\s+(?:calendar\s+)?quarter\b|\bonce\s+(?:a|per|each)\s+quarter\b"
        ),
    ),
    (
        "monthly",
        re.compile(
            r"(?i)\bmonthly\b|\b(?:each|every)\s+(?:calendar\s+)?month\b|\bonce\s+(?:a|per|each)\s+month\b"
            r"|\b(?:pay|payment|fee|rent)\w*\b[^.;]{0,60}\b(?:per|a)\s+month\b"
        ),
    ),
    (
        "annual",
        re.compile(
            r"(?i)\bannual(?:ly)?\b|\b(?:each|every)\s+(?:calendar\s+|contract\s+)?year\b|\byearly\b|\bper\s+annum\b"
            r"|\bonce\s+(?:a|per|each)\s+(?:calendar\s+)?year\b"
            r"|\b(?:pay|payment|fee|contribut)\w*\b[^.;]{0,60}\b(?:per|a)\s+year\b"
        ),
    ),
]
_RATE_EN = re.compile(r"(?i)\b(?:hours?|units?|kwh|tons?)\s*(?:/|per\s+)year")

_AMOUNT_ZH = re.compile(
    r"(?:人民币|美元)?\s*(?:[0-9０-９][0-9,，.]*|[零〇一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟两]+|_{2,}|\$\{\w+\})\s*"
    r"(万元|亿元|千元|元|万美元|美元|万)(?:整)?(?:人民币)?(?:\s*[(（]\s*[￥¥]\s*[0-9,.]+\s*[)）])?"
    r"|[0-9０-９.]+\s*[%％]|[(（]?[￥¥]\s*[0-9][0-9,.]*[)）]?"
)
_AMOUNT_EN = re.compile(
    r"(?i)(RMB|USD|US\$|\$|€|EUR|¥|￥)\s?([0-9]{1,3}(?:,[0-9]{3})+(?:\.\d+)?|[0-9]+(?:\.\d+)?)"
    r"(?:\s*(million|billion|thousand))?"
    r"|([0-9]{1,3}(?:,[0-9]{3})+(?:\.\d+)?|[0-9]+(?:\.\d+)?)\s*(?:(million|billion|thousand)\s+)?"
    r"(RMB|USD|yuan|dollars|euros?)\b"
    r"|([0-9]+(?:\.\d+)?)\s*(%|percent\b)"
)
_COND_ZH = re.compile(
    r"^(?:如|若|如果|倘若|假如|一旦|凡|因)|(?:的|时|后)[，,]|情况下|违约|逾期|赔偿|中途|退出|撤消|撤销|解除"
)
_COND_EN = re.compile(
    r"(?i)\bif\b|\bin\s+the\s+event\b|\bin\s+case\b|\bunless\b|\bshould\b.*\bfail|\bcompensat|"
    r"\bindemnif|\bpenalt|\boverdue\b|\bbreach\b|\bforce\s+majeure\b"
)


def find_due(text: str, lang: str, signed_on: date | None) -> tuple[str | None, date | None]:
    """The deadline as written (ISO when absolute) and, when signing is known, its calendar date."""
    if lang == "zh":
        for m in ZH_DATE_RE.finditer(text):
            tail = text[m.end() : m.end() + 3]
            # by the date, or until it: the end of a range ("2025年3月1日至2025年6月30日期间")
            if (
                re.match(r"\s*(?:之前|以前|前|止)", tail)
                # "不迟于2031年6月30日提交", "最迟不晚于…": by the date
                or re.search(
                    r"(?:不迟于|不晚于|最迟于?|最晚于?)\s*$", text[max(0, m.start() - 5) : m.start()]
                )
                or re.search(r"[至到]\s*$", text[max(0, m.start() - 2) : m.start()])
            ):
                value = parse_zh_date(m)
                if value is not None:
                    return value.isoformat(), value
        patterns = _ZH_DUE
        opening = _ZH_OPENING_DUE.search(text)
        if (
            opening
            and not any(p.search(text) for p in _ZH_DUE[:_ZH_SPECIFIC])
            # the agreement's own lifetime is no deadline; a cause or condition is no time
            and not re.search(r"合同(?!执行|履行)|协议|合作|项目执行|有效期", opening.group(0))
            and not re.match(r"(?:因|由于|如|若|如果|一旦)", opening.group(0))
        ):
            due = opening.group(0).strip()
            if not re.match(r"\s*[，,]\s*[甲乙丙丁]方", text[opening.end() :]):
                due = _ZH_LEADING_PARTY.sub("", due)  # unless another party acts after the comma
            return due, resolve_due(due, signed_on)
        period = _ZH_SUBJECT_THEN_PERIOD.match(text)
        if (
            period
            and not any(p.search(text) for p in _ZH_DUE[:_ZH_SPECIFIC])
            and (
                not re.search(r"合同|协议|合作|项目执行|有效期", period.group(1))
                or _ZH_BEFORE.search(period.group(1))
            )
        ):
            return period.group(1), resolve_due(period.group(1), signed_on)
    else:
        for m in EN_DATE_RE.finditer(text):
            if re.search(
                r"(?i)\b(?:by|before|on\s+or\s+before|no\s+later\s+than|until|prior\s+to)\s*$",
                text[max(0, m.start() - 25) : m.start()],
            ):
                value = parse_en_date(m)
                if value is not None:
                    return value.isoformat(), value
        patterns = _EN_DUE
    for pattern in patterns:
        hit = pattern.search(text)
        if hit:
            due = hit.group(0).strip(" ，,")
            if lang == "en":
                # "promptly following expiration …": a timing word right before the event is part of it
                timing = _EN_TIMING_BEFORE.search(text, max(0, hit.start() - 14), hit.start())
                if timing:
                    due = text[timing.start() : hit.end()].strip(" ,")
            if lang == "zh":
                # The match may start on the subject or modal ("双方应在…后3个月内"): keep the time phrase.
                due = (
                    re.sub(
                        r"^(?:[\u4e00-\u9fff]{0,3}方)?(?:应当|应|必须|须|需|将|并且|并|且|务必|均)*+", "", due
                    )
                    or due
                )
                due = re.sub(r"^于\s*(?=[0-9０-９])", "", due)
            return due, resolve_due(due, signed_on)
    return None, None


def is_timing_word(due: str, lang: str) -> bool:
    """An English due that is only a timing word on the action ("promptly", "in a timely manner")."""
    return lang == "en" and _EN_DUE[-1].fullmatch(due) is not None


def find_recurrence(text: str, lang: str) -> str | None:
    if lang == "en" and _RATE_EN.search(text):
        return None
    for value, pattern in _REC_ZH if lang == "zh" else _REC_EN:
        if pattern.search(text):
            return value
    return None


_MULT = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


def find_amount(text: str, lang: str) -> Amount | None:
    m = (_AMOUNT_ZH if lang == "zh" else _AMOUNT_EN).search(text)
    if not m:
        return None
    written = m.group(0).strip()
    if lang == "zh":
        unit_m = re.search(r"(万元|亿元|千元|万美元|美元|元|万|%|％)", written)
        unit = unit_m.group(1) if unit_m else None
        currency = (
            "USD"
            if unit and "美元" in unit
            else ("CNY" if (unit and "元" in unit) or "￥" in written or "¥" in written else None)
        )
        return Amount(text=written, value=_zh_value(written), unit=unit, currency=currency)
    if m.group(1):
        cur = {"$": "USD", "US$": "USD", "¥": "CNY", "￥": "CNY", "€": "EUR", "RMB": "CNY"}.get(
            m.group(1).upper() if m.group(1).isalpha() else m.group(1), m.group(1).upper()
        )
        value = float(m.group(2).replace(",", "")) * _MULT.get((m.group(3) or "").lower(), 1)
        return Amount(written, value, m.group(3), cur)
    if m.group(4):
        unit = m.group(6).lower()
        cur = {"rmb": "CNY", "yuan": "CNY", "usd": "USD", "dollars": "USD"}.get(unit, "EUR")
        value = float(m.group(4).replace(",", "")) * _MULT.get((m.group(5) or "").lower(), 1)
        return Amount(written, value, m.group(5), cur)
    return Amount(written, float(m.group(7)), "%", None)


def _zh_value(written: str) -> float | None:
    m = re.search(r"[0-9０-９][0-9,，.]*", written)
    raw: str | None = None
    if m:
        raw = m.group(0).replace(",", "").replace("，", "")
        try:
            value = float(raw.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        except ValueError:
            return None
    else:
        cm = re.search(r"[零〇一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟两]+", written)
        if not cm:
            return None
        try:
            import cn2an

            value = float(cn2an.cn2an(cm.group(0).rstrip("万亿") or cm.group(0), "smart"))
            if cm.group(0).endswith("万") and "万元" not in written and "万" in cm.group(0)[-1:]:
                value *= 1e4
        except Exception:  # cn2an raises ValueError and others on odd strings
            return None
    return value


def is_conditional(text: str, lang: str) -> bool:
    return bool((_COND_ZH if lang == "zh" else _COND_EN).search(text))
