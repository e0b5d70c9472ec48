"""Agreement-level facts: language, parties, signing date and term."""

from __future__ import annotations

import re
from datetime import date

from .clauses import find_body_start
from .dates import EN_DATE_RE, ZH_DATE_RE, parse_en_date, parse_zh_date
from .model import Party


def detect_lang(text: str) -> str:
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin = len(re.findall(r"[A-Za-z]+", text))
    return "zh" if cjk >= latin * 0.5 and cjk > 0 else "en"


# Parties ------------------------------------------------------------------------------------------

_ZH_ROLE = r"(甲方|乙方|丙方|丁方|戊方)"
_ZH_PARTY_RE = re.compile(
    rf"(?:[\u4e00-\u9fff]{{0,6}}[（(])?{_ZH_ROLE}(?:[)）][\u4e00-\u9fff]{{0,4}})?"
    r"(?:[（(][^)）\n]{0,12}[)）])?[ \t]*[:：][ \t]*"
)
_ZH_NAME_STOP = re.compile(
    r"(甲方|乙方|丙方|丁方|委托方|受托方|电话|地址|住所|联系人|法定代表人|负责人|时间|日期|邮编|传真|Email|E-mail|电子|签字|盖章|开户)"
)
_ZH_SHORT_NAME = re.compile(
    r"([^\s，,。；;：:（(“”\"]{2,40})[（(]\s*+(?:以下|下文)?简称(?:为)?\s*+[：:]?\s*+[“\"「]?([\u4e00-\u9fffA-Za-z]{1,10})[”\"」]?\s*+[)）]"
)
_ZH_ORG = re.compile(
    r"政府|大学|学院|学校|公司|医院|研究院|研究所|中心|委员会|局|厅|集团|银行|协会|基金会|中学|小学|管委会"
)
_ZH_ROLE_LINE = re.compile(
    r"(?<![\u4e00-\u9fff])(委托方|受托方|捐赠方|受赠方|出资方|资助方|受资助方|承担方|合作方|中方|外方|买方|卖方|供方|需方|"
    r"发包方|承包方|出让方|受让方|许可方|被许可方|服务方|投资方|承办方|主办方|协办方|研究开发方)[ \t]*[:：][ \t]*"
)
_ZH_HEADING_ROLE = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{1,3}方)的?(?:主要)?(?:责任|义务|权利|职责)"
)
_EN_ORG = re.compile(
    r"(?i)\b(LLC|L\.L\.C|Inc|Ltd|Co\.|Company|Corporation|Corp|University|College|Institute|City|County|"
    r"Government|GmbH|AG|AB|S\.A|Limited|Hospital|School|Foundation|Council|Department|Ministry|Association|"
    r"Center|Centre|Authority|District|State|Bureau|Agency|Partners|LLP|LP|PLC|Bank|Trust|Group)\b"
)
_EN_LABEL_RE = re.compile(
    r"\((?:each\s+a\s+|individually\s+)?(?:hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?)?(?:the\s+)?"
    r"[\"“]([^\"”]{1,40})[\"”]"
)
_EN_PARTY_COLON = re.compile(
    r"\b(Party\s+[A-D])\s*[:：]\s*([^\n:]{3,120}?)(?=\s+(?:Legal|Address|Tel|Represent|Registered)|\n|$|\.\s)"
)
_EN_BAD_LABELS = {
    "agreement",
    "mou",
    "moc",
    "effective date",
    "parties",
    "party",
    "products",
    "product",
    "amendment",
    "territory",
    "software",
    "confidential information",
    "effective",
    "services",
    "project",
    "projects",
    "term",
    "contract",
}
_EN_GROUP = re.compile(r"\bthe\s+[\"“]([A-Z][\w\- ]{0,30}\sParties)[\"”]")


def find_parties(text: str, lang: str) -> tuple[list[Party], list[str]]:
    """Parties in order of introduction, plus extra subject labels (party groups, heading roles)."""
    head = text[: max(3000, len(text) // 3)]
    parties: list[Party] = []
    seen: set[str] = set()
    extra: list[str] = []
    if lang == "zh":
        for m in _ZH_PARTY_RE.finditer(head):
            label = m.group(1)
            if label in seen:
                continue
            rest = text[m.end() : m.end() + 80].split("\n")[0]
            stop = _ZH_NAME_STOP.search(rest)
            name = (rest[: stop.start()] if stop else rest).strip(" ，,;；。")
            seen.add(label)
            parties.append(Party(label, name or None))
        # "重庆大学（以下简称“乙方”）" / "某医院（以下简称“医院”）" in the preamble.
        preamble = head[: find_body_start(text) or len(head)]
        for m in _ZH_SHORT_NAME.finditer(preamble):
            label, name = (
                m.group(2),
                re.sub(r"^(?:由|与|和|及|、|，|,|甲方|乙方|[:：])+", "", m.group(1)).strip(),
            )
            if label in seen or not (label.endswith("方") or _ZH_ORG.search(name)):
                continue
            seen.add(label)
            parties.append(Party(label, name or None))
        # Role names used as labels in their own right ("委托方：某公司", "受托方：某大学").
        for m in _ZH_ROLE_LINE.finditer(head):
            label = m.group(1)
            if label in seen:
                continue
            rest = text[m.end() : m.end() + 80].split("\n")[0]
            stop = _ZH_NAME_STOP.search(rest)
            name = (rest[: stop.start()] if stop else rest).strip(" ，,;；。")
            if not name:
                continue
            seen.add(label)
            parties.append(Party(label, name))
        for label in ("甲方", "乙方", "丙方", "丁方"):
            if label not in seen and re.search(label, text):
                seen.add(label)
                parties.append(Party(label, None))
        for m in _ZH_HEADING_ROLE.finditer(text):
            label = m.group(1)
            if label not in seen and label not in extra and label not in ("双方", "各方", "一方", "对方"):
                extra.append(label)
        order = {"甲方": 0, "乙方": 1, "丙方": 2, "丁方": 3}
        parties.sort(key=lambda p: order.get(p.label, 9))
        return parties, extra
    first_label = _EN_LABEL_RE.search(head)
    recitals = _RECITALS.search(head, first_label.end() if first_label else 0)
    if recitals:
        head = head[: recitals.start()]
    for m in _EN_PARTY_COLON.finditer(head):
        label = re.sub(r"\s+", " ", m.group(1))
        if label not in seen:
            seen.add(label)
            parties.append(Party(label, m.group(2).strip(" ,;")))
    # "Party A: … Party B: …" names the parties; quoted terms after that are definitions.
    for m in _EN_LABEL_RE.finditer(head if len(parties) < 2 else ""):
        label = m.group(1).strip()
        if label.lower() in _EN_BAD_LABELS or label in seen or len(label.split()) > 4:
            continue
        before = head[max(0, m.start() - 200) : m.start()]
        cut = max(
            (
                x.end()
                for x in re.finditer(r"(?i)\bbetween\b|\bamong\b|\band\b(?!\s*/)|\(\d\)|;|\bby\b", before)
            ),
            default=0,
        )
        name = before[cut:].strip(" ,\n")
        name = re.split(r",\s+(?:a|an)\s", name)[0].strip(" ,")
        name = re.sub(r"^(?:the)\s+", "", name, flags=re.I)
        proper_name = re.fullmatch(r"(?:[A-Z][\w.'&-]*\s+){1,5}[A-Z][\w.'&-]*", name) is not None
        if not name or (not _EN_ORG.search(name) and not _EN_ORG.search(label) and not proper_name):
            continue  # "(the "Products")" and other defined terms are not parties
        if len(name) > 100:
            continue
        seen.add(label)
        parties.append(Party(label, name))
    for m in _EN_GROUP.finditer(head):
        if m.group(1) not in extra:
            extra.append(m.group(1))
    return parties, extra


# Signing date -------------------------------------------------------------------------------------

_SIGN_CONTEXT_ZH = re.compile(r"(签订|签署|签约|签字|盖章|日期|时间|于)")
_SIGN_CONTEXT_EN = re.compile(
    r"(?i)\b(made|entered\s+into|dated|effective|signed|executed)(?:\s+(?:and\s+entered\s+into|into|effective))*+"
    r"\s*+(?:as\s+of|on|at)?\s*+(?:this|the)?\s*$"
)
_RECITALS = re.compile(
    r"\b(WHEREAS|Whereas|RECITALS|Recitals|BACKGROUND|W\s?I\s?T\s?N\s?E\s?S\s?S|NOW,?\s+THEREFORE)\b"
)
_AFTER_NOT_SIGN = re.compile(r"^\s*(前|之前|以前|内|之内|后|以后|起|至|到|止)")


def find_signed_on(text: str, lang: str) -> date | None:
    """The signing/effective day when one full date is stated for it."""
    n = len(text)
    if lang == "zh":
        candidates: list[tuple[int, date]] = []
        for m in ZH_DATE_RE.finditer(text):
            value = parse_zh_date(m)
            if value is None or _AFTER_NOT_SIGN.match(text[m.end() : m.end() + 3]):
                continue
            before = text[max(0, m.start() - 12) : m.start()]
            score = 0
            if _SIGN_CONTEXT_ZH.search(before):
                score += 2
            if m.start() > n * 0.7:
                score += 2
            if m.start() < n * 0.15:
                score += 1
            if re.match(r"\s*(在|于)?[\u4e00-\u9fff]{0,8}(签订|签署|签约)", text[m.end() : m.end() + 12]):
                score += 2
            if score >= 2:
                candidates.append((score, value))
        if not candidates:
            return None
        best = max(s for s, _ in candidates)
        return next(v for s, v in candidates if s == best)
    for m in EN_DATE_RE.finditer(text[: max(2000, n // 4)]):
        if _SIGN_CONTEXT_EN.search(text[max(0, m.start() - 60) : m.start()]):
            return parse_en_date(m)
    for m in EN_DATE_RE.finditer(text, max(0, int(n * 0.8))):
        if re.search(r"(?i)(date|signed|signature)\W*$", text[max(0, m.start() - 30) : m.start()]):
            return parse_en_date(m)
    return None


# Term ---------------------------------------------------------------------------------------------

_TERM_ZH_RANGE = re.compile(
    r"((?:合作|协议|合同|有效)?(?:期限|有效期)(?:为|是|：|:|\s)*自[^，。；\n]{4,30}?(?:至|到)[^，。；\n]{2,30}?(?:日|止|为止))"
)
_TERM_ZH = re.compile(
    r"((?:合作|协议|合同|有效)?(?:期限|有效期)(?:为|是|：|:|\s)*"
    r"(?:[0-9０-９一二三四五六七八九十两]+\s*(?:个月|年|月)|[^，。；\n期]{0,8}?[0-9一二三四五六七八九十两_]+\s*(?:个月|年)))"
)
_TERM_EN = re.compile(
    r"(?i)\b(?:term|period)\s+of\s+(?:this\s+\w+\s+(?:shall\s+be|is)\s+)?"
    r"((?:\d+|[a-z]+(?:[- ][a-z]+)?)\s*(?:\(\d+\)\s*)?(?:years?|months?))"
    r"|\bfor\s+(?:a\s+(?:term|period)\s+of\s+)((?:\d+|[a-z]+)\s*(?:\(\d+\)\s*)?(?:years?|months?))"
    r"|\b(?:remain\s+in\s+(?:full\s+)?(?:force|effect)|be\s+valid|continue\s+in\s+(?:force|effect))\s+for\s+"
    r"(?:a\s+period\s+of\s+)?((?:\d+|[a-z]+)\s*(?:\(\d+\)\s*)?(?:years?|months?))"
)


def find_term(text: str, lang: str) -> str | None:
    if lang == "zh":
        m = _TERM_ZH_RANGE.search(text) or _TERM_ZH.search(text)
        return m.group(1).strip() if m else None
    m = _TERM_EN.search(text)
    if m:
        return next(g for g in m.groups() if g).strip()
    return None
