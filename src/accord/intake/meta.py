"""Agreement-level facts: language, parties, signing date and term."""

from __future__ import annotations

import re
from datetime import date

from .clauses import find_body_start
from .dates import EN_DATE_RE, ISO_RE, ZH_DATE_RE, parse_en_date, parse_zh_date
from .model import Party
from .terms import find_term

__all__ = ["find_term"]


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
    r"(甲方|乙方|丙方|丁方|委托方|受托方|联系电话|联系方式|电话|地址|住所|联系人|法定代表人|负责人|时间|日期|邮编|传真|Email|E-mail|电子邮|电子信箱|签字|盖章|开户|"
    r"统一社会信用代码|社会信用代码|信用代码|组织机构代码|注册号|营业执照)"
)
_ZH_SHORT_NAME = re.compile(
    r"([^\s，,。；;：:（(〔【“”\"]{2,40})[（(〔【]\s*+(?:以下|下文)?简称(?:为)?\s*+[：:]?\s*+[“\"「]?([\u4e00-\u9fffA-Za-z]{1,10})[”\"」]?\s*+[)）〕】]"
)
_ZH_ORG = re.compile(
    r"政府|大学|学院|学校|公司|医院|研究院|研究所|中心|委员会|局|厅|集团|银行|协会|基金会|中学|小学|管委会"
)
_ZH_ROLE_LINE = re.compile(
    r"(?<![\u4e00-\u9fff])((?:委托方|受托方|捐赠方|受赠方|出资方|资助方|受资助方|承担方|合作方|中方|外方|买方|卖方|供方|需方|"
    r"发包方|承包方|出让方|受让方|许可方|被许可方|服务方|投资方|承办方|主办方|协办方|研究开发方)"
    # 合作方一：X / 合作方二：Y, 合作方A：X
    r"(?:[一二三四五六]|[A-F1-6](?![\w.]))?)[ \t]*[:：][ \t]*"
)
_ZH_HEADING_ROLE = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{1,3}方)的?(?:主要)?(?:责任|义务|权利|职责)"
)
_EN_ORG = re.compile(
    r"(?i)\b(LLC|L\.L\.C|Inc|Ltd|Co\.|Company|Corporation|Corp|University|College|Institute|City|County|"
    r"Government|GmbH|AG|AB|S\.A|Limited|Hospital|School|Foundation|Council|Department|Ministry|Association|"
    r"Center|Centre|Authority|District|State|Bureau|Agency|Partners|LLP|LP|PLC|Bank|Trust|Group|B\.V|N\.V|"
    r"S\.R\.L|S\.p\.A|Pty|Holdings?|Therapeutics|Pharma\w*|Technolog\w*|Systems|Resources|Enterprises?|"
    r"Industries|Capital|Ventures?)\b"
)
_EN_LABEL_RE = re.compile(
    r"\((?:each\s+a\s+|individually\s+)?(?:hereinafter\s+(?:(?:to\s+be\s+)?referred\s+(?:to\s+)?as\s+|called\s+(?:as\s+)?|known\s+as\s+)?)?(?:the\s+)?"
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
    "supplement",
    "addendum",
    "memorandum",
    "territory",
    "software",
    "confidential information",
    "effective",
    "services",
    "project",
    "projects",
    "term",
    "contract",
    # the entity the parties form, not a party to the agreement
    "joint venture",
    "venture",
    "jv",
    "alliance",
    "strategic alliance",
    "partnership",
    "holding company",
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
                re.sub(
                    r"^(?:[〕】)）]|(?:[本此该]?(?:协议|合同|备忘录)书?)?由|与|和|及|、|，|,|甲方|乙方|[:：])+",
                    "",
                    m.group(1),
                ).strip(),
            )
            if label in seen or not (label.endswith("方") or _ZH_ORG.search(name)):
                continue
            seen.add(label)
            parties.append(Party(label, name or None))
        # Role names used as labels in their own right ("委托方：某公司", "受托方：某大学").
        for m in _ZH_ROLE_LINE.finditer(head):
            label = m.group(1)
            rest = text[m.end() : m.end() + 80].split("\n")[0]
            stop = _ZH_NAME_STOP.search(rest)
            name = (rest[: stop.start()] if stop else rest).strip(" ，,;；。")
            if label in seen:
                # "合作方：X / 合作方：Y": one role for several parties, told apart by their order.
                if not name or any(p.name == name for p in parties):
                    continue
                label = label + "一二三四五六"[min(5, sum(p.label.startswith(label) for p in parties))]
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
    # "…, as an amendment to that certain Agreement … by and among X ("X") and Y": the parties of the
    # agreement referred to are not this one's.
    if first_label:
        other = _EN_OTHER_AGREEMENT.search(head, first_label.end())
        between = _EN_BETWEEN.search(head[: other.start()]) if other else None
        if other and between and _EN_TERM_CLOSE.search(head, between.end(), other.start()):
            head = head[: other.start()]  # only once this agreement's own parties were named
    for m in _EN_PARTY_COLON.finditer(head):
        label = re.sub(r"\s+", " ", m.group(1))
        if label not in seen:
            seen.add(label)
            parties.append(Party(label, m.group(2).strip(" ,;")))
    # "Party A: … Party B: …" names the parties; quoted terms after that are definitions.
    if len(parties) < 2:
        defined = _en_defined_parties(head, text)
        quoted = _en_quoted_parties(head)
        for label, name in defined if len(defined) >= len(quoted) else quoted:
            if label not in seen and name:
                seen.add(label)
                parties.append(Party(label, name))
    for m in _EN_GROUP.finditer(head):
        if m.group(1) not in extra:
            extra.append(m.group(1))
    return parties, extra


_EN_OTHER_AGREEMENT = re.compile(
    r"(?i),?\s+(?:as\s+(?:an?\s+)?(?:amendment|supplement|addendum|modification)\s+to|pursuant\s+to|under)\s+"
    r"(?:that\s+certain|the)\s+(?:[A-Z][\w&'-]*\s+){0,8}(?:Agreement|Contract)\b[^.]{0,200}?\b(?:between|among)\b"
)
#: The close of a term a party was defined by ("Nissin"), whatever follows it in the parenthesis: the next
#: party's name starts after it.
_EN_TERM_CLOSE = re.compile(r"[\"”]\s*\)")


def _after_last_term(block: str) -> str:
    """``block`` from the end of the last defined term in it: in "X, a Japanese corporation ("X"), Y, an
    Ohio corporation", what precedes Y's description is Y's name alone."""
    ends = [m.end() for m in _EN_TERM_CLOSE.finditer(block)]
    return block[ends[-1] :] if ends else block


_EN_QUOTED_NAME_END = re.compile(
    r",\s+(?:a|an)\s|,\s+(?=\d+[A-Za-z]?\s)|,?\s+(?:located|having|whose|with\s+(?:a|an|its))\s"
)


def _en_quoted_parties(head: str) -> list[tuple[str, str]]:
    """Quoted terms whose preceding words, back to "between"/"and"/";", read as an organisation's name."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for m in _EN_LABEL_RE.finditer(head):
        label = m.group(1).strip()
        if label.lower() in _EN_BAD_LABELS or label in seen or len(label.split()) > 4:
            continue
        before = _after_last_term(head[max(0, m.start() - 200) : m.start()])
        cut = max(
            (
                x.end()
                for x in re.finditer(r"(?i)\bbetween\b|\bamong\b|\band\b(?!\s*/)|\(\d\)|;|\bby\b", before)
            ),
            default=0,
        )
        name = before[cut:].strip(" ,\n")
        if "\n" in name:
            name = name.split("\n")[-1].strip()  # exhibit and title lines above the name
        # Its description or address follows the name: ", a Delaware corporation", ", 481 Main Road, …".
        name = _EN_QUOTED_NAME_END.split(name)[0].strip(" ,")
        name = re.sub(r"^(?:the)\s+", "", name, flags=re.I)
        if not name[:1].isupper():
            continue  # "…("MD Anderson"), a member institution of … ("System")": a description, not a party
        proper_name = re.fullmatch(r"(?:[A-Z][\w.'&-]*\s+){1,5}[A-Z][\w.'&-]*", name) is not None
        if not name or (not _EN_ORG.search(name) and not _EN_ORG.search(label) and not proper_name):
            continue  # "(the "Products")" and other defined terms are not parties
        if len(name) > 100 or _EN_DOCUMENT.search(name):
            continue  # "This Cooperative Research and Development Agreement ("CRDA")": the text itself
        seen.add(label)
        out.append((label, name))
    return out


_EN_DOCUMENT = re.compile(
    r"(?i)\b(?:agreement|memorandum|contract|amendment|addendum|understanding|letter|mou|crada?|nda)$"
)


_EN_BETWEEN = re.compile(
    r"(?i)\b(?:between|among)\b\s*:?|\b(?:entered\s+into|made|executed|signed|concluded)\s+by\b(?!\s+and\s+between)"
    r"|(?:^|(?<=\n))[ \t]*(?-i:PARTIES)[ \t]*+:?[ \t]*(?=\n)"  # a deed's heading over its numbered parties
)
_EN_DEFINED = re.compile(
    # "(hereinafter called as the “VAL”)"; "Rochester, NY. 14615 (Torvec)": a term after a postal code
    r"\(\s*(?:each\s+a\s+|individually\s+)?(?:hereinafter\s+(?:(?:to\s+be\s+)?referred\s+(?:to\s+)?as\s+|called\s+(?:as\s+)?|known\s+as\s+)?)?(?:the\s+)?"
    r"[\"“]\s*([^\"”]{1,40}?)\s*[\"”]"
    r"|\bhereinafter\s+(?:(?:to\s+be\s+)?referred\s+(?:to\s+)?as|called(?:\s+as)?|known\s+as)\s+(?:the\s+)?[\"“]([^\"”]{1,40}?)[\"”]"
    r"|(?<=[a-z0-9.,] )\(([A-Z][A-Za-z0-9&]*(?: [A-Z][A-Za-z0-9&]*){0,2})\)"
)
# Where a party's name stops: its description, address or incorporation follows.
_EN_NAME_END = re.compile(
    r",?\s+(?:a|an)\s+(?=[A-Za-z])|,\s+(?!(?:Inc|LLC|L\.L\.C|Ltd|B\.V|S\.R\.L|GmbH|Co|Corp|N\.A|S\.A|LLP|LP|PLC|"
    r"S\.A\.S|S\.p\.A|AG|AB|SE|Limited)\b)|,?\s+(?:located|having|with\s+(?:its|an|a)|whose|of\s+\d|organi[sz]ed|"
    r"incorporated|registered|at\s+\d|and\s+its\s+Affiliates|dba)\b"
    # A bracket ends the name unless a legal form follows it ("GALEN (CHEMICALS) LIMITED"); so does an
    # address ("…, LLC, 481 Schuylkill Road", "… A/S of Industriparken 55").
    r"|\s*\((?!(?i:[A-Za-z][\w .&-]{0,30}\)\s*+,?\s*+(?:co\b|company|limited|ltd|inc|llc|corp|gmbh|pte|pty|holdings?|s\.a|b\.v)))|,\s+(?=\d+[A-Za-z]?\s)|,?\s+of\s+(?=[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?\s+\d)|\n"
)
_EN_BLOCK_LEAD = re.compile(r"^(?:[\s,;:.)\"”]|\b(?:and|AND|And)\b|\(\d\)|\d\.\s)++")


def _en_name(block: str) -> str:
    block = _EN_BLOCK_LEAD.sub("", block)
    if "\n" in block.strip():
        # A title or exhibit line above the name: the name is on the last line that starts one.
        lines = [x for x in block.strip().split("\n") if x.strip()[:1].isupper()]
        block = lines[-1] if lines else block
    end = _EN_NAME_END.search(block)
    name = (block[: end.start()] if end else block).strip(" ,;:\n")
    if name.endswith(".") and not re.search(r"(?:\b\w{1,4}|\.\w+)\.$", name):
        name = name[:-1]  # a sentence's full stop, not "Inc." or "B.V."
    name = re.sub(r"^(?:the)\s+", "", name, flags=re.I)
    if not name[:1].isupper() or len(name) > 140 or len(name.split()) > 20:
        return ""
    return re.sub(r"\s+", " ", name)


def _en_defined_parties(head: str, text: str) -> list[tuple[str, str]]:
    """("Hyatt Franchising Latin America, L.L.C., a limited liability company … ("Hyatt")") → (label, name).

    Each quoted (or bracketed capitalised) term after "between" is a party when the text before it,
    back to the previous party, opens with a capitalised name; a term standing for both parties
    ("Parties", "Members") or naming a date or thing is not. Parties introduced without a term
    ("KIROMIC BIOPHARMA Inc., … AND MOLIPHARMA S.R.L. …") are labelled by the first word of their
    name as the body writes it.
    """
    betweens = [m.end() for m in _EN_BETWEEN.finditer(head)]
    start = betweens[0] if betweens else 0
    out: list[tuple[str, str]] = []
    cursor = start
    for m in _EN_DEFINED.finditer(head, start):
        label = (m.group(1) or m.group(2) or m.group(3) or "").strip()
        # The party's block opens at the last "between" before its term, or after the previous party.
        opened = max([cursor, *(b for b in betweens if b <= m.start())])
        block = _after_last_term(head[opened : m.start()])
        low = label.lower()
        if not label or low in _EN_BAD_LABELS or (low.endswith("s") and low[:-1] in _EN_BAD_LABELS):
            continue
        if re.fullmatch(r"(?i)(?:parties|party|members?|affiliates?|joint\s+venturers?)", label) or re.search(
            r"(?i)\b(?:date|agreement)\b", label
        ):
            continue
        if len(label.split()) > 4:
            continue
        name = _en_name(block)
        if name and (_EN_ORG.search(name) or _EN_ORG.search(label) or _PROPER.fullmatch(name)):
            out.append((label, name))
            cursor = m.end()
    if out or not betweens:
        return out
    # No defined terms: blocks separated by AND / and between capitalised names.
    region = head[start : start + 1500]
    # The parties' blocks end where the text names them together or the recitals begin.
    closing = re.search(r"(?i)\beach\s+a\s+party\b|\bcollectively\b|\bthe\s+parties\b|\bwhereas\b", region)
    region = region[: closing.start()] if closing else region
    blocks = re.split(
        r"\n\s*AND\s*\n|\s+AND\s+|;\s*and\s+(?=[A-Z])|,?\s+and\s+(?=[A-Z][A-Za-z]+[\s,])", region
    )
    for block in blocks[:4]:
        name = _en_name(block)
        if not name or not (_EN_ORG.search(name) or _PROPER.fullmatch(name)):
            continue
        first = name.split()[0].strip(",.")
        short = first[:1] + first[1:].lower() if first.isupper() else first
        label = short if re.search(rf"\b{re.escape(short)}\b", text[len(head) // 2 :]) else name
        out.append((label, name))
    return out if len(out) >= 2 else []


#: A proper name, its words capitalised but for those that join them ("Chinese Academy of Sciences").
_PROPER = re.compile(r"(?:[A-Z&][\w.'&-]*,?\s+(?:(?:of|and|for|the|de|du|des|la)\s+)?){0,6}[A-Z][\w.'&-]*")


# Signing date -------------------------------------------------------------------------------------

_SIGN_CONTEXT_ZH = re.compile(r"(签订|签署|签约|签字|盖章|日期|时间|于)")
_SIGN_CONTEXT_EN = re.compile(
    # "is made and effective from 5th Day of March, 2019"
    r"(?i)\b(made|entered\s+into|dated|effective|signed|executed)(?:\s+(?:and\s+entered\s+into|and\s+effective|into|effective))*+"
    r"\s*+(?:as\s+of|on|at|from)?\s*+(?:this|the)?\s*$"
)
_RECITALS = re.compile(
    r"\b(WHEREAS|Whereas|RECITALS|Recitals|BACKGROUND|W\s?I\s?T\s?N\s?E\s?S\s?S|NOW,?\s+THEREFORE)\b"
)
_AFTER_NOT_SIGN = re.compile(r"^\s*(前|之前|以前|内|之内|后|以后|起|至|到|止)")


#: A date written with full stops, dashes or slashes (2020.7.27, 2020-07-27, 2020/7/27).
_ZH_DOTTED = re.compile(
    r"(?<![\d.])(\d{4})\s*+([./-])\s*+(\d{1,2})\s*+\2\s*+(\d{1,2})(?![\d.])(?!\s*+\d{1,2}:\d{2})"  # not a timestamp
)
#: "under the agreement dated September 28, 1989": another agreement's date, not this one's.
_EN_OTHER_DATED = re.compile(
    r"(?i)\b(?:the|that\s+certain|an?|said)\s+(?:[\w-]+\s+){0,5}?(?:agreement|contract|licen[cs]e|memorandum|letter|nda)\b"
    r"[^.;\"“”]{0,100}?\bdated(?:\s++as\s++of)?(?:\s++(?:this|the))?\s*+$"
)
_EN_EFFECTIVE_LINE = re.compile(r"(?i)\beffective\s+date\s*[:：]\s*$")
_EN_SIGNATURE_CONTEXT = re.compile(r"(?i)(?:date|signed|signature|executed|seal)\w*\b[^.\n]{0,40}$")


def _zh_dates(text: str) -> list[tuple[int, int, date]]:
    """(start, end, date) of every full date: 2020年7月27日, 二〇二〇年七月二十七日, 2020.7.27."""
    found: list[tuple[int, int, date]] = []
    for m in ZH_DATE_RE.finditer(text):
        value = parse_zh_date(m)
        if value is not None:
            found.append((m.start(), m.end(), value))
    for m in _ZH_DOTTED.finditer(text):
        try:
            found.append((m.start(), m.end(), date(int(m.group(1)), int(m.group(3)), int(m.group(4)))))
        except ValueError:
            continue
    return sorted(found, key=lambda x: x[0])


_EN_NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")


def _en_numeric_signature_dates(text: str, start: int) -> list[date]:
    """ "Date: 6/15/2019" under a signature: month first as American agreements write it, unless
    impossible (15/6/2019)."""
    out = []
    for m in _EN_NUMERIC_DATE.finditer(text, start):
        if not re.search(r"(?i)\bdated?\s*[:：]?\s*$", text[max(0, m.start() - 20) : m.start()]):
            continue
        first, second, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        month, day = (second, first) if first > 12 else (first, second)
        try:
            out.append(date(year, month, day))
        except ValueError:
            continue
    return out


def find_signed_on(text: str, lang: str) -> date | None:
    """The signing/effective day when one full date is stated for it; of several signature dates, the
    last signature's (the day the agreement was concluded)."""
    n = len(text)
    if lang == "zh":
        candidates: list[tuple[int, int, date]] = []
        for start, end, value in _zh_dates(text):
            if _AFTER_NOT_SIGN.match(text[end : end + 3]):
                continue
            before = text[max(0, start - 12) : start]
            if re.search(r"(?:至|到|—|－|-|~|～|自|从)\s*$", before):
                continue  # a bound of the term (有效期自…至…), not a signing day
            score = 0
            if _SIGN_CONTEXT_ZH.search(before):
                score += 2
            if start > n * 0.7:
                score += 2
            if start < n * 0.15:
                score += 1
            if re.match(r"\s*(在|于)?[\u4e00-\u9fff]{0,8}(签订|签署|签约)", text[end : end + 12]):
                score += 2
            if score >= 2:
                candidates.append((score, start, value))
        if not candidates:
            return None
        best = max(s for s, _, _ in candidates)
        chosen = [(p, v) for s, p, v in candidates if s == best]
        if all(p > n * 0.7 for p, _ in chosen):
            return max(v for _, v in chosen)  # signature dates: the last signature concludes it
        return chosen[0][1]
    for m in EN_DATE_RE.finditer(text[: max(2000, n // 4)]):
        lead = text[max(0, m.start() - 60) : m.start()]
        if _EN_OTHER_DATED.search(text[max(0, m.start() - 160) : m.start()]):
            continue
        if _SIGN_CONTEXT_EN.search(lead) or _EN_EFFECTIVE_LINE.search(lead):
            preamble = parse_en_date(m)
            if preamble is not None:
                return preamble
    signed = [
        parse_en_date(m)
        for m in EN_DATE_RE.finditer(text, max(0, int(n * 0.8)))
        if _EN_SIGNATURE_CONTEXT.search(text[max(0, m.start() - 60) : m.start()])
    ]
    iso = [
        date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        for m in ISO_RE.finditer(text, max(0, int(n * 0.8)))
        if re.search(r"(?i)date\w*\s*[:：]\s*$", text[max(0, m.start() - 20) : m.start()])
        and 1 <= int(m.group(2)) <= 12
    ]
    values = [v for v in signed + iso + _en_numeric_signature_dates(text, int(n * 0.8)) if v is not None]
    return max(values) if values else None


# Title, kind, parent, signatories, end date ------------------------------------------------------

_TITLE_WORD = re.compile(
    r"(?i)(协议|合同|备忘录|意向书|协议书|章程|agreement|memorandum|contract|\bmou\b|\bmoc\b|addendum|amendment)"
)
_NOT_TITLE = re.compile(
    r"(?i)^(合同编号|协议编号|编号|项目名称|签订地点|签订日期|有效期限|甲方|乙方|丙方|委托方|受托方|party\s+[a-d]|"
    r"schedule|source|page|第.{1,4}页|本协议|本合同|this\s|whereas|鉴于|table of contents|目\s*录)"
)


#: Furniture around a title: a breadcrumb (文档之家› …, 作文 >> …), an exhibit number, a list marker.
_TITLE_LEAD = re.compile(
    r"^(?:.*(?:当前位置|首页)\s*+[:：>›»]++\s*+|.*(?:[›»]|>>)\s*+|(?i:exhibit)\s++[\dA-Z][\w.-]*+\s*+|\d{1,2}、\s*+)"
)
#: A title run into what follows it when a file lost its line breaks: the parties' heads, the first
#: clause, the English version (合作协议书甲方:…, 合作办学协议Cooperation Agreement…, … AGREEMENT THIS AGREEMENT is made).
_ZH_TITLE_RUN_IN = re.compile(
    r"(协议书|合同书|协议|合同|备忘录|意向书)(?:[（(](?:模板|范本|样本)[)）])?"
    r"(?=甲方|乙方|丙方|委托方|受托方|[A-Za-z]{3}|一、|第一条)"
)
_EN_TITLE_RUN_IN = re.compile(r"\s+(?:THIS|This)\s+(?=[A-Z])|\s+Effective\s+Date\s*:")
_EN_LEADING_DATE = re.compile(EN_DATE_RE.pattern + r"\s*+")
#: Pages that write about agreements, not agreements: 教育合作协议如何写?, …如何开票(汇总15篇)
_WEB_ARTICLE = re.compile(r"如何|怎么|怎样|汇总|[?？]$")
#: "This Outsource Technology Development Agreement (": the title the preamble repeats.
_EN_PREAMBLE_TITLE = re.compile(
    r"\b(?:This|THIS)\s+((?:(?:[A-Z][\w-]*|and|of|for|&)\s+){0,8}?(?:AGREEMENT|Agreement|MEMORANDUM\s+OF\s+UNDERSTANDING|"
    r"Memorandum\s+of\s+Understanding|CONTRACT|Contract))\s*+(?:\(|is\b|made\b|dated\b|for\b|between\b|,)"
)


def _display_title(candidate: str) -> str:
    if candidate.isupper() and len(candidate) > 4:
        candidate = " ".join(
            w.capitalize() if len(w) > 3 or i == 0 else w.lower() for i, w in enumerate(candidate.split())
        )
    tokens = candidate.split()
    if len(tokens) > 2 and sum(len(t) == 1 and "\u4e00" <= t <= "\u9fff" for t in tokens) >= 0.6 * len(
        tokens
    ):
        candidate = "".join(tokens)  # "合 作 协 议" spaced out for display
    return candidate


def find_title(text: str) -> str | None:
    """The agreement's title: the first short line near the top that names a kind of agreement, without
    the furniture around it; else the title the preamble repeats (This Development Agreement …)."""
    lines = [line.strip() for line in text[:3000].split("\n")]
    for line in [x for x in lines if x][:15]:
        candidate = re.sub(r"\s+", " ", line).strip(" :：")
        # Pages saved from the web carry breadcrumbs and counters around the title.
        for _ in range(3):  # 当前位置:文档之家› …
            candidate = _TITLE_LEAD.sub("", candidate)
        candidate = _EN_LEADING_DATE.sub("", candidate) if _EN_LEADING_DATE.match(candidate) else candidate
        zh_run_in = _ZH_TITLE_RUN_IN.search(candidate)
        if zh_run_in and re.search(r"[\u4e00-\u9fff]", candidate[: zh_run_in.start()] or zh_run_in.group(1)):
            candidate = candidate[: zh_run_in.end(1)]
        en_run_in = _EN_TITLE_RUN_IN.search(candidate)
        if en_run_in and _TITLE_WORD.search(candidate[: en_run_in.start()]):
            candidate = candidate[: en_run_in.start()]
        candidate = re.sub(
            r"[（(](?:共\s*\d+\s*篇|\d+|范本|模板)[)）]|\.(?:pdf|docx?)$|(?:范本|模板)+\d*$",
            "",
            candidate,
            flags=re.I,
        ).strip()
        # "Project Cooperation Agreement July 2013": the month it was written is no part of the title
        candidate = re.sub(rf"\s+(?:{_MONTH_NAMES})\s+\d{{4}}$", "", candidate).strip(" :：")
        limit = 60 if re.search(r"[\u4e00-\u9fff]", candidate) else 160
        if len(candidate) > limit and (between := re.search(r"\s(?:BETWEEN|between)\s", candidate)):
            candidate = candidate[
                : between.start()
            ]  # "COOPERATION AGREEMENT BETWEEN THE CITY OF … REGARDING …"
        if len(candidate) > limit or _NOT_TITLE.match(candidate) or not _TITLE_WORD.search(candidate):
            continue
        if re.search(r"[。；;]$|[,，]\s*$", candidate) or _WEB_ARTICLE.search(candidate):
            continue
        return _display_title(candidate)
    repeated = _EN_PREAMBLE_TITLE.search(text[:3000])
    if repeated and len(repeated.group(1).split()) > 1:
        return _display_title(re.sub(r"\s+", " ", repeated.group(1)))
    return None


_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"


_KINDS = (
    ("strategic", r"(?i)战略合作|战略联盟|全面合作|strategic"),
    ("framework", r"(?i)框架|framework"),
    ("mou", r"(?i)备忘录|意向书|memorandum|\bmou\b|\bmoc\b|letter of intent"),
    ("cooperative_operation", r"(?i)合作运营|运营|委托管理|托管|合作办学|联合办学|joint venture|\boperat"),
)


def find_kind(title: str | None, text: str = "") -> str:
    """strategic | framework | mou | cooperative_operation | other, from the title (or the opening)."""
    source = title or text[:300]
    for kind, pattern in _KINDS:
        if re.search(pattern, source):
            return kind
    return "other"


_CHILD_TITLE = re.compile(
    r"(?i)(补充协议|补充合同|补充条款|变更协议|附件|附录|续签|amendment|addendum|supplement|annex|side letter|extension)"
)
_ZH_REFERENCE = re.compile(r"《([^《》\n]{4,60}?(?:协议|合同|协议书|备忘录))》")
_EN_REFERENCE = re.compile(
    r"(?i)(?:amend(?:s|ing|ment\s+to)?|supplement(?:s|ing|al\s+to)?|addendum\s+to|to)\s+(?:the|that\s+certain)\s+"
    r"((?:[A-Z][\w&,'-]*\s+){0,8}(?:Agreement|Memorandum|Contract))"
)


def find_parent_reference(title: str | None, text: str) -> str | None:
    """For a supplement, amendment or annex, the title of the agreement it belongs to (as written)."""
    if not title or not _CHILD_TITLE.search(title):
        return None
    head = text[:2500]
    for m in _ZH_REFERENCE.finditer(head):
        if m.group(1) != title and not _CHILD_TITLE.search(m.group(1)):
            return m.group(1)
    english = _EN_REFERENCE.search(head)
    return english.group(1).strip() if english else None


_ZH_SIGNATORY = re.compile(
    r"(?:法定代表人|法人代表|授权代表|委托代理人|代表人?|负责人)(?:或(?:其)?(?:授权|委托)(?:代表|代理人))?\s*+[（(]?(?:签字|签章|签名)?[)）]?\s*+[:：]\s*+"
    r"([\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff])"
)
_EN_SIGNATORY = re.compile(
    r"(?m)^\s*(?:Name|Printed Name|Print Name)\s*[:：]\s*([A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+){1,3})\s*$"
)
_ZH_BLANK_NAMES = {"签字", "盖章", "签章", "日期", "时间"}


def find_signatories(text: str, lang: str) -> list[str]:
    """Names of the people who signed, in the order they appear (signature blocks and the party header)."""
    found: list[str] = []
    pattern = _ZH_SIGNATORY if lang == "zh" else _EN_SIGNATORY
    for m in pattern.finditer(text):
        name = m.group(1).strip()
        if name in _ZH_BLANK_NAMES or name in found:
            continue
        found.append(name)
    return found[:6]


def find_end_date(text: str, lang: str, term: str | None, signed_on: date | None) -> date | None:
    """The last day of the agreement: stated ("至2025年7月26日止"), or the signing day plus the term."""
    from .ledger import term_end  # ledger imports dates; keep the module graph one-way at import time

    if term:
        zh_range = re.search(r"至\s*(" + ZH_DATE_RE.pattern + ")", term)
        if zh_range:
            m = ZH_DATE_RE.search(zh_range.group(1))
            if m:
                return parse_zh_date(m)
        end = term_end(term, signed_on)
        if end is not None:
            return end
    return None
