"""The parties' names as an organisation would be registered under them, for creating agreements from files.

``find_parties`` (in ``meta``) finds the parties' labels in order, which is what commitment extraction
needs; the name it reads after each label is the rest of that line. Creating an agreement needs the
organisation's name itself, so :func:`complete_parties` takes those parties and

- cleans each name: the definition that follows it (（以下简称“甲方”）, (hereinafter "X")), the
  sentence it runs into when the file lost its line breaks (…服务中心根据…), the title in front of it,
  an exhibit heading above it;
- fills a label left blank on a form (甲方：, with the name on the next line, in the preamble's
  "X（以下简称甲方）", or in the signature block: 甲方（盖章）：X);
- in English, keeps a legal form the text writes in lower case (BorrowMoney.com, inc) or that the name
  was cut down to (", Inc."), and reads "between X and Y" when what was found is not a name.

Labels and their order are kept (so the result lines up with the commitments' party labels), but
where the labels found are not parties at all: then the parties are the names the text introduces
("between X and Y"; a Chinese title "A与B合作协议"), labelled as the text defines them.

:func:`signatories` reads who signed for each party, so that the agreement's parties can be linked to
the registry's people.
"""

from __future__ import annotations

import re

from .model import Party

_ZH_ROLES = (
    r"甲方|乙方|丙方|丁方|戊方|委托方|受托方|捐赠方|受赠方|出资方|资助方|受资助方|承担方|合作方|中方|外方|买方|卖方|"
    r"供方|需方|发包方|承包方|出让方|受让方|许可方|被许可方|服务方|投资方|承办方|主办方|协办方|研究开发方|保证人"
)
#: What ends the name of an organisation in Chinese.
_ZH_ORG_END = (
    r"(?:人民政府|政府|委员会|管委会|大学|学院|学校|中学|小学|公司|集团|医院|卫生院|研究院|研究所|中心|局|厅|"
    r"银行|协会|基金会|联合会|研究生院|实验室|事务所|合作社|办公室|工作室|委|社|会|院|所|部|处|站|馆|园)"
)
_ZH_HAS_ORG = re.compile(_ZH_ORG_END)
_ZH_DEFINITION = re.compile(
    r"[（(]?\s*+(?:以下|下文|下面)?(?:简称|称)(?:为)?\s*+[：:]?\s*+[“\"「]|[（(]\s*+(?:以下|下文|下面)(?:简称|称)"
)
#: Where a clause starts after a name when the line breaks were lost: 一、, 第一条, 1、, （一）.
_ZH_CLAUSE_START = re.compile(
    r"(?<=[\u4e00-\u9fff）)])\s*+(?:[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十百\d]{1,4}条|\d{1,2}[、．]|"
    r"[（(][一二三四五六七八九十]{1,2}[)）])"
)
_ZH_TITLE_WORD = re.compile(r"(?:协议书|协议|合同书|合同|备忘录|意向书)")
_ZH_SENTENCE = re.compile(
    rf"^.{{1,40}}?{_ZH_ORG_END}(?=根据|依据|按照|为了|为|经|本着|鉴于|就|现就|现|双方|特|同意|在平等|遵照|依照|通过)"
)
_ZH_FIELD = re.compile(
    r"^(?:地址|住所|通讯地址|电话|联系电话|传真|邮编|邮政编码|法定代表人|法人代表|授权代表|代表|负责人|联系人|委托代理人|开户|账号|"
    r"户名|签字|签章|盖章|日期|时间|统一社会信用代码|电子邮|E-?mail)",
    re.I,
)
_ZH_ROLE_AT = re.compile(rf"(?:{_ZH_ROLES})\s*+(?:[（(][^)）\n]{{0,12}}[)）])?\s*+[:：]")
_PLACEHOLDER = re.compile(r"^[\s_＿X×xＸ*＊.·…]*$|\$\{|^[（(][^)）]*[)）]$")


def _is_placeholder(name: str | None) -> bool:
    return not name or _PLACEHOLDER.search(name) is not None


#: A seal or signature mark written beside a name: （盖章）, (公章), （签字盖章）.
_ZH_SEAL_MARK = (
    r"[（(]\s*+(?:签字|签名|签章|盖章|公章|印章|章|盖公章|签字盖章|签字或盖章|签字并盖章|签字/盖章|合同专用章|专用章)"
    r"\s*+[)）]"
)
_ZH_SEAL_EDGE = re.compile(rf"^\s*+{_ZH_SEAL_MARK}\s*+|\s*+{_ZH_SEAL_MARK}\s*+$")
_ZH_SEAL_ONLY = re.compile(rf"^[\s|｜]*+(?:{_ZH_SEAL_MARK}|盖章|公章|签章|签字|印章)[\s|｜:：]*+$")


_ZH_FIELD_AFTER = re.compile(
    r"(?<=\S)\s*+(?=(?:日期|时间|签订日期|签约日期|签署日期|地址|住所|电话|联系电话|联系人|法定代表人|法人代表|"
    r"授权代表|委托代理人|负责人|邮编|传真|开户行|账号)\s*+(?:[（(][^)）\n]{0,6}[)）])?\s*+[:：])"
)


def clean_zh_name(name: str) -> str:
    """A Chinese party name without what follows or precedes the organisation's name on its line."""
    # Columns of a signature block or table ("重庆大学        某某有限公司"): the first.
    text = re.split(r"[ \u3000]{3,}|\t|\u3000{2,}", name.strip(" \t\u3000"))[0]
    text = re.sub(r"[ \t\u3000]+", " ", text).strip()
    # A field written after the name on its line ("重庆大学  日期：2020年1月1日", "X 法定代表人：张某").
    text = _ZH_FIELD_AFTER.split(text)[0]
    text = _ZH_SEAL_EDGE.sub("", _ZH_SEAL_EDGE.sub("", text))
    # "Chongqing University 重庆大学": a bilingual form may give the English name first.
    text = re.sub(
        r"^[A-Za-z][A-Za-z.,&'-]*(?:\s+[A-Za-z(][A-Za-z.,&'()-]*)+\s*+(?=[\u4e00-\u9fff])", "", text
    )
    definition = _ZH_DEFINITION.search(text)
    if definition:
        text = text[: definition.start()]
    clause = _ZH_CLAUSE_START.search(text)
    if clause:
        text = text[: clause.start()]
    text = re.sub(
        r"^(?:[本此该]?(?:协议|合同|备忘录)书?)?由(?=[\u4e00-\u9fff]{4})", "", text
    )  # "(本协议)由重庆大学"
    text = text.strip(' “”"「」《》『』')
    if re.fullmatch(r"(?:[\u4e00-\u9fff] )+[\u4e00-\u9fff]", text):
        text = text.replace(" ", "")  # "重 庆 大 学", spaced out to fill a form's field
    text = re.split(r"[，,。；;]|\s{2,}|\t", text)[0]
    # "重庆大学 Chongqing University", "重庆大学（Chongqing University）": a bilingual form gives the
    # English name after the Chinese one.
    text = re.sub(r"(?<=[\u4e00-\u9fff）)])\s+[A-Za-z][A-Za-z .,&'()-]*$", "", text)
    # "重庆大学 Party A: Chongqing University": a bilingual head flattened into one line.
    text = re.sub(r"(?<=[\u4e00-\u9fff）)])\s*+(?:Party|Side)\s++[A-D]\b.*$", "", text)
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s*+[（(][A-Za-z][^（）()\u4e00-\u9fff]*(?:[)）]|$)", "", text)
    text = _ZH_SEAL_EDGE.sub("", text)
    # "…合作协议书中山大学": the title ran into the name when the line breaks were lost.
    titled = list(_ZH_TITLE_WORD.finditer(text))
    if titled and titled[-1].end() < len(text) and _ZH_HAS_ORG.search(text[titled[-1].end() :]):
        text = text[titled[-1].end() :]
    run_on = _ZH_SENTENCE.search(text)
    if run_on:
        text = text[: run_on.end()]
    text = re.sub(r"\s*[（(“\"「]+$", "", text)
    return text.strip(' ：:，,；;。“”"「」《》')


_ZH_NOT_NAME = re.compile(
    r"^(?:根据|依据|按照|为了|为|经|本着|鉴于|就|现|双方|特|同意|在|由)|是|的[^\u4e00-\u9fff]|[，。；]|与|"
    r"[（(](?:甲方|乙方|丙方|丁方)[)）]"
)
_ZH_ENDS_AS_ORG = re.compile(_ZH_ORG_END + r"(?:[（(][^)）]{1,10}[)）])?$")


def _zh_org_name(candidate: str) -> bool:
    """A candidate reads as an organisation's name: short, ends as one, and is not a sentence."""
    return (
        2 <= len(candidate) <= 40
        and _ZH_ENDS_AS_ORG.search(candidate) is not None
        and _ZH_NOT_NAME.search(candidate) is None
        and _ZH_TITLE_WORD.search(candidate) is None
    )


def _zh_next_line(text: str, after: int) -> str | None:
    """The name on the line below a blank label ("甲方：" / "长安大学 丙方…:"), before any other label."""
    lines = text[after:].split("\n")[1:5]
    for line in lines:
        line = line.strip()
        if not line or _ZH_SEAL_ONLY.match(line):
            continue  # "（盖章）" on its own line between the label and the name
        if _ZH_FIELD.match(line) and re.fullmatch(r"[^:：]{1,16}[:：][\s_＿]*", line):
            continue  # "授权代表（签字）：" left blank between the label and the name
        if _ZH_ROLE_AT.match(line) or _ZH_FIELD.match(line):
            return None
        other = _ZH_ROLE_AT.search(line)
        candidate = clean_zh_name(line[: other.start()] if other else line)
        return candidate if _fills(candidate) else None
    return None


def _zh_defined(text: str, label: str) -> str | None:
    """ "重庆大学（以下简称“乙方”）" or "重庆大学（乙方）" in the preamble: the name the text gives the label."""
    pattern = re.compile(
        r"([^\s，,。；;：:（()）“”\"]{2,40})\s*+[（(]\s*+(?:(?:以下|下文)?(?:简称|称)(?:为)?\s*+[：:]?\s*+)?[“\"「]?"
        + re.escape(label)
        + r"[”\"」]?\s*+[)）]"
    )
    for m in pattern.finditer(text[:4000]):
        lead = r"^(?:[^由]{0,20}由)?[与和及、:：]*+(?:甲方|乙方|丙方)?[与和及、:：]*+"
        name = clean_zh_name(re.sub(lead, "", m.group(1)))
        if _zh_org_name(name):
            return name
    return None


def _zh_signed(text: str, label: str) -> str | None:
    """ "甲方（盖章）：重庆大学" in the signature block (the last third of the text)."""
    start = len(text) * 2 // 3
    pattern = re.compile(
        re.escape(label)
        + r"\s*+(?:[（(][^)）\n]{0,10}[)）]|单位|单位公章|公章|盖章|签章|名称)?\s*+[:：][ \t]*+([^\n]{2,60})"
    )
    found = None
    for m in pattern.finditer(text, start):
        rest = re.split(r"[|｜]", m.group(1))[0]
        other = _ZH_ROLE_AT.search(rest)
        candidate = clean_zh_name(rest[: other.start()] if other else rest)
        candidate = re.sub(r"[（(]?(?:盖章|公章|签章|签字)[)）]?$", "", candidate).strip()
        if _fills(candidate):
            found = candidate
    return found


def _zh_label_at(text: str, label: str) -> int | None:
    m = re.search(re.escape(label) + r"\s*+(?:[（(][^)）\n]{0,12}[)）])?\s*+[:：]", text[:4000])
    return m.end() if m else None


_ZH_LABEL_QUALIFIER = (
    r"(?:[ \t]*+(?:[（(][^)）\n]{0,12}[)）]|单位名称|单位全称|名称|全称|单位|Party[ \t]+[A-D]\b))*+"
)
_ZH_TRAILING_SEAL = re.compile(r"[（(]?(?:盖章|公章|签章|签字|印章)[)）]?$")


def _zh_label_lines(text: str, label: str) -> list[re.Match[str]]:
    """Lines that start with ``label`` however a form lays it out: "甲 方：X", "甲方名称：X",
    "| 甲方 | X |" (a table), "甲方\tX", "甲方 Party A：X", "甲方（盖章）：" with X below."""
    spaced = r"[ \t\u3000]*".join(re.escape(c) for c in label)
    pattern = re.compile(
        rf"(?m)^[ \t\u3000|｜]*+{spaced}{_ZH_LABEL_QUALIFIER}[ \t\u3000]*"
        r"(?:(?:[:：|｜\t]|[ \u3000](?=[ \u3000]*+[^\s:：|｜]))[ \t\u3000|｜:：]*+([^\n]*)|(?=\n))$"
    )
    return list(pattern.finditer(text))


def _zh_laid_out(text: str, label: str) -> str | None:
    """The name beside (or below) the label on a line laid out as a form or table."""
    for m in _zh_label_lines(text, label):
        rest = re.sub(r"[ \t\u3000|｜]+$", "", m.group(1) or "")
        other = _ZH_ROLE_AT.search(rest)
        if other:
            rest = rest[: other.start()]
        if not rest.strip() or _is_placeholder(rest):
            candidate = _zh_next_line(text, m.start()) or ""
        else:
            candidate = clean_zh_name(re.split(r"[|｜\t]", rest)[0])
        candidate = _ZH_TRAILING_SEAL.sub("", candidate).strip()
        if _fills(candidate):
            return candidate
    return None


def _cells(line: str) -> list[str]:
    """A table row's cells: between bars or tabs, or columns set apart by runs of spaces."""
    return [c.strip(" \u3000") for c in re.split(r"[|｜\t]|[ \u3000]{3,}", line.strip(" \u3000|｜\t"))]


def _zh_table(text: str, label: str) -> str | None:
    """A table that puts the label in a cell: the name in the next cell ("| 甲方名称 | X | 乙方名称 | Y |"),
    or, when the next cell is another label, under it in the next row ("| 甲方（盖章） | 乙方（盖章） |"
    over "| X | Y |")."""
    spaced = r"[ \u3000]*".join(re.escape(c) for c in label)
    is_label = re.compile(rf"^{spaced}{_ZH_LABEL_QUALIFIER}[ \u3000]*[:：]?$")
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if len(_cells(line)) < 2:
            continue
        cells = _cells(line)
        for i, cell in enumerate(cells):
            if not is_label.match(cell):
                continue
            beside = cells[i + 1] if i + 1 < len(cells) else ""
            candidates = []
            if beside and not _ZH_ROLE_AT.match(beside + "：") and not _ZH_SEAL_ONLY.match(beside):
                candidates.append(beside)
            rows = [
                _cells(x) for x in lines[n + 1 : n + 9] if x.strip() and not re.fullmatch(r"[\s|｜:-]+", x)
            ]
            rows = [row for row in rows if len(row) == len(cells)]
            # The parties as columns: their names in the row a name field heads (| 单位名称 | X | Y |),
            # whatever rows come first, else in the row below.
            named = next((row for row in rows if _ZH_NAME_FIELD.fullmatch(row[0])), None)
            for row in [named] if named else rows[:1]:
                candidates.append(row[i])
            for candidate in candidates:
                name = clean_zh_name(candidate)
                if _fills(name):
                    return name
    return None


_ZH_NAME_FIELD = re.compile(r"(?:单位|机构|合作单位|公司)?(?:名称|全称)|单位")


def _zh_name_column(text: str) -> list[str]:
    """A table that lists the parties without labels, one per row under a name column
    ("| 序号 | 单位名称 | 联系人 |" over "| 1 | X | 王某 |"): the names in order."""
    lines = text[:4000].split("\n")
    for n, line in enumerate(lines):
        cells = _cells(line)
        if len(cells) < 2:
            continue
        column = next((i for i, c in enumerate(cells) if _ZH_NAME_FIELD.fullmatch(c)), None)
        if column is None:
            continue
        out: list[str] = []
        for below in lines[n + 1 : n + 12]:
            if re.fullmatch(r"[\s|｜:-]+", below):
                continue
            row = _cells(below)
            if len(row) != len(cells):
                break
            name = clean_zh_name(row[column])
            if _fills(name) and name not in out:
                out.append(name)
        if len(out) >= 2:
            return out
    return []


_ZH_ACCOUNT_NAME = re.compile(
    r"(?m)^[ \t]*+(?:户名|账户名称|账户名|开户名称|开户名|收款单位|收款人)[ \t]*+[:：][ \t]*+([^\n]{2,60})$"
)


def _zh_account(text: str, label: str) -> str | None:
    """ "乙方收款账户：/ 户名：南京某某有限公司": the account holder named under the party's account."""
    for m in re.finditer(re.escape(label) + r"[^\n]{0,8}(?:账户|账号|开户|收款)", text):
        window = "\n".join(text[m.start() :].split("\n")[:5])
        held = _ZH_ACCOUNT_NAME.search(window)
        if held:
            candidate = clean_zh_name(held.group(1))
            if _fills(candidate):
                return candidate
    return None


_ZH_FIELD_WORD = re.compile(r"^(?:通讯|通信|联系|联系方式|名称|单位|单位名称)$")


def _not_a_name(cleaned: str) -> bool:
    """What was read beside a label is a form's field or a fragment, not a name: "通讯" (of 通讯地址),
    "使其日后在____大学", "具有法人资格的）单位"."""
    return (
        _ZH_FIELD_WORD.match(cleaned) is not None
        or _ZH_FIELD.match(cleaned) is not None
        or re.search(r"[_＿]{3,}", cleaned) is not None
        or cleaned.count("）") + cleaned.count(")") > cleaned.count("（") + cleaned.count("(")
    )


_MASKED = re.compile(r"[xX×Ｘ]{3,}")


def _fills(candidate: str) -> bool:
    """A name found elsewhere in the text may fill a blank label: a name, not a field, a fragment or a
    model text's masked name (xxxxxx公司: what a header writes so is kept as written, never copied)."""
    return (
        _zh_org_name(candidate)
        and not _ZH_FIELD.match(candidate)
        and not _not_a_name(candidate)
        and not _MASKED.search(candidate)
    )


def _zh_beside_label(text: str, label: str) -> str | None:
    """A name the text writes against the label without a colon: in brackets after it ("经甲方（X）乙方（Y，
    以下简称Z）共同探讨"), or run into it where a sentence describes the body ("甲方X是一家…公司")."""
    head = text[:4000]
    for m in re.finditer(
        re.escape(label) + r"[（(]([^（()）\n]{2,40}?)(?:[，,][^（()）\n]{0,20})?[)）]", head
    ):
        name = clean_zh_name(m.group(1))
        if _fills(name):
            return name
    sealed = re.compile(
        rf"(?m)^[ \t\u3000]*+{re.escape(label)}[ \t]*+{_ZH_SEAL_MARK}[ \t\u3000]*+([^\s:：|｜（(][^\n]{{1,60}})$"
    )
    for m in sealed.finditer(text):
        other = _ZH_ROLE_AT.search(m.group(1))
        name = clean_zh_name(m.group(1)[: other.start()] if other else m.group(1))
        if _fills(name):
            return name
    run_in = re.compile(
        rf"(?:^|(?<=[\n。；]))[ \t\u3000]*+{re.escape(label)}([^\s，,。；;：:（()）]{{4,40}}?{_ZH_ORG_END})"
        r"(?=(?:是|系|为)(?:一家|一所|一个|我国|国内)|[（(](?:以下|下文)?简称)"
    )
    for m in run_in.finditer(head):
        name = clean_zh_name(m.group(1))
        if _fills(name):
            return name
    return None


def _complete_zh(text: str, party: Party) -> Party:
    name = party.name
    partly_blank: str | None = None  # "______区人民政府": kept as written when nothing else names the party
    if name and not _is_placeholder(name):
        cleaned = clean_zh_name(name)
        if re.search(r"[_＿]{3,}", cleaned) and _zh_org_name(re.sub(r"[_＿]+", "某", cleaned)):
            partly_blank = cleaned
        if (
            cleaned
            and not _is_placeholder(cleaned)
            and not _ZH_TITLE_WORD.search(cleaned[-3:])
            and not _not_a_name(cleaned)
        ):
            return Party(party.label, cleaned)
        name = None  # the title, a field, or nothing, was read where the name should be
    if name and _is_placeholder(name) and not re.fullmatch(r"[\s_＿]*", name):
        # "${contract.fpnm}", "（用人单位）": a form's blank, kept as written.
        return Party(party.label, clean_zh_name(name) or name)
    at = _zh_label_at(text, party.label)
    found = (
        (_zh_next_line(text, at) if at is not None else None)
        or _zh_defined(text, party.label)
        or _zh_signed(text, party.label)
        or _zh_laid_out(text, party.label)
        or _zh_table(text, party.label)
        or _zh_account(text, party.label)
        or _zh_beside_label(text, party.label)
    )
    return Party(party.label, found or name or partly_blank)


_ZH_ORDER = ("甲方", "乙方", "丙方", "丁方", "戊方")
_ZH_TITLE_JOIN = re.compile(r"与|和|同|、|及|\s+")
_ZH_TITLE_AFTER = re.compile(
    r"关于|共建|联合|合作|战略|框架|全面|共同|[\u4e00-\u9fff]{0,12}(?:协议|合同|备忘录|意向书)"
)
_ZH_ORG_END_RE = re.compile(_ZH_ORG_END)
_ZH_TITLE_VERB = re.compile(r"关于|共建|联合|合作|共同")


def _zh_title_parties(text: str) -> list[str]:
    """ "湖北省荆门市龙泉中学与多伦多职业商务学院合作办学协议": the two names a title starts with
    (the first line stands for the title of a file that lost its line breaks)."""
    from .meta import find_title

    lines = [line.strip() for line in text.split("\n") if line.strip()][:2]
    first = lines[0] if lines else ""
    titles = [find_title(text) or first[:80]]
    if len(lines) == 2 and _ZH_TITLE_WORD.search(lines[1]) and not _ZH_TITLE_WORD.search(first):
        titles.append(first + lines[1])  # the parties on the first line, the kind of agreement below
    for title in titles:
        named = _zh_title_pair(re.sub(r"[ \t\u3000]+", " ", title).strip())
        if named:
            return named
    # A cover page: each party's name on a line of its own above the title ("重庆大学 / 某某有限公司 / 合作协议").
    head = [line.strip() for line in text.split("\n") if line.strip()][:5]
    above: list[str] = []
    for line in head:
        if _ZH_TITLE_WORD.search(line):
            return above if len(above) >= 2 else []
        name = clean_zh_name(line)
        if name != line.strip(" ：:") or not _fills(name):
            return []
        above.append(name)
    return []


def _zh_title_pair(title: str) -> list[str]:
    for join in _ZH_TITLE_JOIN.finditer(title, 2, 42):
        first_name = clean_zh_name(title[: join.start()])
        if not _zh_org_name(first_name) or len(first_name) < 4:
            continue  # "政府", "大学": a kind of body, not a name
        rest = title[join.end() :]
        # The second name ends at the last organisation ending that the title's own words follow.
        ends = [m.end() for m in _ZH_ORG_END_RE.finditer(rest[:42]) if _ZH_TITLE_AFTER.match(rest, m.end())]
        # "X、Y共建科技园协议": what the two do together (共建, 合作) ends the name before its object does.
        ends = sorted(ends, key=lambda end: (_ZH_TITLE_VERB.match(rest, end) is not None, end))
        for end in reversed(ends):
            second = clean_zh_name(rest[:end])
            if _zh_org_name(second) and len(second) >= 4 and second != first_name:
                return [first_name, second]
    return []


_ZH_PREAMBLE_PAIR = re.compile(
    r"([^\s，,。；;：:、（）()]{2,40}?)(?:与|和|同)([^\s，,。；;：:、与和（）()]{4,40}?)"
    r"(?=经|就|本着|通过|友好|共同|协商|签订|达成|双方|在平等)"
)


def _zh_preamble_pair(text: str) -> tuple[str | None, str | None]:
    """ "____区人民政府与市教育局协商，就合作办学达成如下协议": the two bodies a preamble says agree,
    in order (None for one left blank or not a name)."""
    from .clauses import find_body_start

    head = text[: min(len(text), (find_body_start(text) or 1500) + 200, 3000)]
    for m in _ZH_PREAMBLE_PAIR.finditer(head):
        names = [clean_zh_name(m.group(1)), clean_zh_name(m.group(2))]
        usable = [n if len(n) >= 4 and _zh_org_name(n) and not _not_a_name(n) else None for n in names]
        blank_first = re.search(r"[_＿]{3,}", m.group(1)) is not None
        if usable[1] and (usable[0] or blank_first):
            return usable[0], usable[1]
    return None, None


_ZH_SEALED = re.compile(
    r"([^\s：:|｜，,。；;（()）]{2,40}?)[ \t\u3000]*+[（(][ \t]*+(?:盖章|公章|签章|印章|签字盖章)[ \t]*+[)）]"
)


def _zh_sealed(text: str) -> list[str]:
    """Names the signature block marks with a seal and no label ("重庆大学（盖章）      某某有限公司（盖章）"),
    in order."""
    out: list[str] = []
    for m in _ZH_SEALED.finditer(text, len(text) * 2 // 3):
        name = clean_zh_name(m.group(1))
        if _fills(name) and name not in out:
            out.append(name)
    return out


def _fill_from_seals(text: str, out: list[Party]) -> list[Party]:
    """Blank parties take the sealed names of the signature block, in order, when there are exactly as
    many of those (not already given to a party) as blank parties."""
    blank = [i for i, p in enumerate(out) if not p.name or re.fullmatch(r"[\s_＿]*", p.name)]
    if not blank:
        return out
    given = {p.name for p in out if not _is_placeholder(p.name)}
    sealed = [n for n in _zh_sealed(text) if n not in given]
    if len(sealed) != len(blank):
        return out
    filled = list(out)
    for i, name in zip(blank, sealed, strict=True):
        filled[i] = Party(out[i].label, name)
    return filled


_ZH_UNIT_LABEL = re.compile(
    r"(?m)^[ \t\u3000]*+([\u4e00-\u9fff]{1,6}?(?:单位|部门|机构))[ \t\u3000]*+(?:[（(][^)）\n]{0,8}[)）])?"
    r"[ \t\u3000]*+[:：][ \t\u3000]*+([^\n]{2,60})$"
)
_ZH_NOT_PARTY_UNIT = re.compile(r"收款|开户|付款|填报|汇款|开票|联系|通讯|邮寄")


def _zh_unit_labelled(text: str) -> list[Party]:
    """ "委托单位：X / 承担单位：Y", "项目主管部门：Z": parties labelled by their role as a unit, in a text
    with no 甲方/乙方 (research contracts, task books, joint training agreements)."""
    out: list[Party] = []
    for m in _ZH_UNIT_LABEL.finditer(text[:3000]):
        label = m.group(1)
        if _ZH_NOT_PARTY_UNIT.search(label) or any(p.label == label for p in out):
            continue
        name = clean_zh_name(m.group(2))
        if _fills(name) and name not in {p.name for p in out}:
            out.append(Party(label, name))
    return out if len(out) >= 2 else []


_ZH_ANY_ROLE = re.compile(
    r"(?m)^[ \t\u3000]*+([\u4e00-\u9fff]{1,5}?(?:方|人))[ \t]*+(?:[（(](?:全称|名称|盖章|签章)[)）])?[ \t]*+[:：]"
    r"[ \t\u3000]*+([^\n]{2,60})$"
)
#: Labels of people, accounts and witnesses, never of a party: 法定代表人, 联系人, 收款人, 见证方.
_ZH_NOT_ROLE = re.compile(
    r"代表|代理|联系|负责|经办|收款|付款|开户|账户|见证|鉴证|签字|签约人|证明|担保人$|介绍"
)


def _zh_role_lines(text: str) -> list[Party]:
    """ "发包人：X / 承包人：Y", "出卖人：X / 买受人：Y", "第一方：X / 第二方：Y": a head that labels the parties
    by their role in the contract instead of 甲方/乙方, one a line, each naming an organisation."""
    out: list[Party] = []
    for m in _ZH_ANY_ROLE.finditer(text[:3000]):
        label = m.group(1)
        if _ZH_NOT_ROLE.search(label) or any(p.label == label for p in out):
            continue
        other = _ZH_ROLE_AT.search(m.group(2))
        name = clean_zh_name(m.group(2)[: other.start()] if other else m.group(2))
        if _fills(name) and name not in {p.name for p in out}:
            out.append(Party(label, name))
    return out if len(out) >= 2 else []


def _complete_zh_all(text: str, parties: list[Party]) -> list[Party]:
    named = [p for p in parties if p.name and not _is_placeholder(p.name)]
    if len(named) < 2:
        # Parties labelled by their role (发包人, 出卖人, 第一方) that the labels found leave out, when the
        # role lines name every party already found.
        roles = _zh_role_lines(text)
        if roles and {clean_zh_name(p.name or "") for p in named} <= {r.name for r in roles}:
            blank = [p for p in parties if not (p.name and not _is_placeholder(p.name))]
            if not blank or not any(re.search(re.escape(p.label) + r"\s*+[:：]", text[:3000]) for p in blank):
                return roles
    if not parties:
        listed = _zh_name_column(text)
        if listed:
            return [Party(label, name) for label, name in zip(_ZH_ORDER, listed, strict=False)]
        return _zh_unit_labelled(text) or _zh_title_only(text)
    out = [_complete_zh(text, p) for p in parties]
    if len(out) >= 2 and (_is_placeholder(out[0].name) or _is_placeholder(out[1].name)):
        first, second = _zh_preamble_pair(text)
        given = {p.name for p in out if not _is_placeholder(p.name)}
        if first and _is_placeholder(out[0].name) and first not in given and first != second:
            out[0] = Party(out[0].label, first)
        if second and _is_placeholder(out[1].name) and second not in given:
            out[1] = Party(out[1].label, second)
    out = _fill_from_seals(text, out)
    if all(not p.name for p in out):
        # No party named beside its label: a table may list them, one per row ("| 1 | X | 王某 |").
        listed = _zh_name_column(text)
        if len(listed) == len(out):
            return [Party(p.label, name) for p, name in zip(out, listed, strict=True)]
    if all(not p.name for p in out) and len(out) <= 2:
        # No party named anywhere else: the title may name both ("A与B合作协议").
        titled = _zh_title_parties(text)
        if titled:
            labels = [p.label for p in out] + list(_ZH_ORDER)[len(out) :]
            return [Party(label, name) for label, name in zip(labels, titled, strict=False)]
    return out


def _zh_title_only(text: str) -> list[Party]:
    named = _zh_title_parties(text)
    return [Party(label, name) for label, name in zip(_ZH_ORDER, named, strict=False)]


# English ------------------------------------------------------------------------------------------

_EN_MONTH = r"January|February|March|April|May|June|July|August|September|October|November|December"
_EN_LEGAL = r"(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Co|GmbH|AG|AB|S\.A|PLC|LLP|LP|B\.V|N\.V|S\.R\.L|S\.p\.A|Pty)"
_EN_ORG_WORD = re.compile(
    r"(?i)\b(?:LLC|L\.L\.C|Inc|Ltd|Co|Company|Corporation|Corp|University|College|Institute|City|County|"
    r"Government|GmbH|AG|AB|Limited|Hospital|School|Foundation|Council|Department|Ministry|Association|"
    r"Center|Centre|Authority|District|Bureau|Agency|Partners|LLP|LP|PLC|Bank|Trust|Group|B\.V|N\.V|S\.R\.L|"
    r"S\.p\.A|Pty|Holdings?|Pharma\w*|Technolog\w*|Systems|Resources|Enterprises?|Industries|Capital|Sciences?)\b"
)
_EN_PROPER = re.compile(
    r"(?:The\s+)?(?:[A-Z&][\w.'&-]*,?\s+(?:of\s+|and\s+|for\s+|&\s+)?){0,7}[A-Z][\w.'&-]*\.?"
)
_EN_NOT_NAME = re.compile(r"(?i)^(?:parties|party|each|together|the\s+parties|whereas|this|such)\b")


def _looks_like_en_name(name: str | None) -> bool:
    if not name or _EN_NOT_NAME.match(name) or len(name) > 120:
        return False
    return bool(_EN_ORG_WORD.search(name)) or _EN_PROPER.fullmatch(name) is not None


def _clean_en(name: str) -> str:
    # An exhibit number or the title on the lines above the name: the name is the last line.
    lines = [line.strip() for line in name.split("\n") if line.strip()]
    text = lines[-1] if lines else name.strip()
    # "Autoliv ASP, Inc. ("Autoliv ASP"), Autoliv AB": another party defined before the name.
    text = re.sub(r"^.*\((?:hereinafter|the\s+[\"“]|[\"“])[^()]*\)\s*+,?\s*+(?:and\s+)?(?=[A-Z])", "", text)
    # What follows the name on its line: its definition, address or trading name.
    text = re.split(
        r"\s*\((?:hereinafter|the\s+[\"“]|[\"“])|,?\s+(?:of|at)\s+\d|,\s+(?=\d+[A-Za-z]?\s)|,?\s+of\s+(?=[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?\s+\d)|,?\s+(?:d/?b/?a|doing\s+business\s+as|trading\s+as)\s"
        r"|,\s+(?:a|an)\s+(?=[A-Za-z])|,?\s+(?:with\s+its|whose|having\s+its|located|organi[sz]ed|incorporated|registered)\b",
        text,
        maxsplit=1,
    )[0]
    text = re.sub(r"\s*\([A-Z][A-Za-z&.]{1,11}\)$", "", text)  # "Chongqing University (CQU)"
    # "… and Hitachi, Ltd. on May 1, 2020": the date the sentence gives after the last name.
    text = re.sub(rf"\s+(?:on|dated|as\s+of|effective)\s+(?:the\s+)?(?:{_EN_MONTH}|\d).*$", "", text)
    # "Chongqing University 重庆大学", "重庆大学 Chongqing University": the English name of a bilingual line.
    latin = re.sub(r"[（(]?[\u4e00-\u9fff][\u4e00-\u9fff（）()]*[)）]?", " ", text)
    if latin != text and re.search(r"[A-Za-z]{2,}", latin):
        text = latin
    return re.sub(r"\s+", " ", text).strip(" ,;:")


_EN_ROLE_LINE = re.compile(
    r"(?im)^[ \t|]*+(Sponsor|Institution|University|Company|Licensor|Licensee|Client|Contractor|Consultant|"
    r"Supplier|Customer|Buyer|Seller|Collaborator|Partner|Recipient|Discloser|Disclosing\s+Party|"
    r"Receiving\s+Party|Provider|Grantor|Grantee|Purchaser|Vendor|Service\s+Provider)[ \t]*+[:：|][ \t|]*+([^\n|]{3,120})"
)


def _en_role_lines(text: str) -> list[tuple[str, str]]:
    """ "Sponsor: Pfizer Inc. / Institution: The University of Iowa": a cover sheet that names each party
    by its role, one a line (the principal investigator and other people's lines are no parties)."""
    out: list[tuple[str, str]] = []
    for m in _EN_ROLE_LINE.finditer(text[:3000]):
        role = re.sub(r"\s+", " ", m.group(1)).title()
        name = _clean_en(m.group(2))
        if role in {r for r, _n in out} or not _EN_ORG_WORD.search(name) or not _looks_like_en_name(name):
            continue
        out.append((role, _en_with_legal_form(text, name)))
    return out


_EN_ABBREVIATED_END = re.compile(r"(?i)\b(?:Inc|Ltd|Corp|Co|L\.L\.C|S\.A|B\.V|N\.V|S\.R\.L|S\.p\.A)$")


def _en_with_legal_form(text: str, name: str) -> str:
    """The name with the legal form that follows it in the text, whatever its case ("BorrowMoney.com, inc")."""
    if re.search(rf"(?i)\b{_EN_LEGAL}\.?$", name):
        # "Acme Co., Ltd" read where the line went on "Ltd.": the abbreviation keeps its full stop.
        cut = not name.endswith(".") and re.search(_EN_ABBREVIATED_END, name) is not None
        return name + "." if cut and re.search(re.escape(name) + r"\.", text[:6000]) else name
    m = re.search(re.escape(name) + rf"(,?\s+(?i:{_EN_LEGAL})\b\.?)(?=[\s,;(]|$)", text[:6000])
    return name + m.group(1) if m else name


def _en_before_legal_form(text: str, label: str, name: str) -> str:
    """A name cut down to its legal form ("Inc."): the capitalised words before it, where the label is defined."""
    defined = re.search(r"[(“\"]\s*[\"“]?" + re.escape(label) + r"[\"”]", text[:6000])
    if defined is None:
        return name
    m = re.search(
        r"((?:[A-Z][\w.'&-]*\s+){0,5}[A-Z][\w.'&-]*),?\s+" + re.escape(name) + r"\s*+\(?\s*+$",
        text[max(0, defined.start() - 200) : defined.start()],
    )
    return f"{m.group(1)}, {name}" if m else name


_EN_BETWEEN_BLOCKS = re.compile(
    r"(?is)\b(?:by\s+and\s+)?between\s*+:?\s*+(.{3,600}?)"
    r"(?:[ \t]*+\n\s*+AND\s*+:?[ \t]*+\n|\s+AND\b\s*+:?|;\s*+and\s+|,\s+and\s+)\s*+(.{3,600})"
)
_EN_NAME_STOP = re.compile(
    r"\s*\((?!(?i:[A-Za-z][\w .&-]{0,30}\)\s*+,?\s*+(?:co\b|company|limited|ltd|inc|llc|corp|gmbh|pte|pty|holdings?|s\.a|b\.v)))|,\s+(?=\d+[A-Za-z]?\s)|,?\s+of\s+(?=[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?\s+\d)|"
    rf",\s+(?!{_EN_LEGAL}\b)(?:a|an|the|having|with|located|whose|of|organi[sz]ed|incorporated|registered|in\s+person)\b"
    r"|\s+(?:a|an)\s+(?:[A-Z][a-z]+\s+)?(?:company|corporation|limited|university|public|private|Delaware|Nevada|Italian)\b"
    r"|,?\s+(?:having|located|whose|organi[sz]ed|incorporated|registered|hereinafter|with\s+(?:its|an|a)|of\s+\d|in\s+person)\b"
    r"|\n|;",
    re.I,
)


def _en_block_name(block: str) -> str | None:
    block = block.strip(" \n:,;")
    block = re.sub(
        r"^(?:\(\s*(?:\d{1,2}|[a-dA-D]|i{1,3}|iv)\s*\)|\d{1,2}[.)])\s*+", "", block
    )  # "(1) X", "2. Y"
    stop = _EN_NAME_STOP.search(block)
    name = (block[: stop.start()] if stop else block[:120]).strip(" ,;:")
    name = re.sub(r"^(?:the)\s+", "", name, flags=re.I)
    return name if _looks_like_en_name(name) else None


def _en_between(text: str) -> list[str]:
    """ "between X, a … company, and Y, …": the two names, when a text introduces its parties so."""
    head = text[:5000]
    m = _EN_BETWEEN_BLOCKS.search(head)
    if not m:
        return []
    names = [_en_block_name(m.group(1)), _en_block_name(m.group(2))]
    return [n for n in names if n] if all(names) else []


_EN_LAID_LABEL = re.compile(
    r"(?im)^[ \t|]*+((?:Party|Side)[ \t]+[A-D]|(?:First|Second|Third)[ \t]+Party)\b"
    r"(?:[ \t]*+\((?:the[ \t]+)?[\"“]?([^)\"”\n]{1,30})[\"”]?\))?[ \t]*+[:：|\t]?[ \t|]*+([^\n]*)$"
)
_EN_NAME_FIELD = re.compile(r"(?i)^(?:Name|Full\s+name|Company\s+name|Organi[sz]ation)\s*[:：]\s*+(.+)$")
_EN_OTHER_FIELD = re.compile(
    r"(?i)^(?:Address|Tel|Telephone|Phone|Fax|E-?mail|Contact|Legal|Represent|By|Title|Date)\b"
)


def _en_laid_out(text: str) -> list[tuple[str, str, str | None]]:
    """ "Party A: X", "| Party A | X |", "Party A (the "University"): X", or "Party A" on its own line
    with "Name: X" (or the name) below: (label, name, the term the text defines for it)."""
    out: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    for m in _EN_LAID_LABEL.finditer(text[:5000]):
        label = re.sub(r"\s+", " ", m.group(1)).title()
        if label in seen:
            continue
        rest = re.split(r"\s*\|\s*", m.group(3).strip(" |"))[0]
        rest = re.split(r"(?i),?\s+(?:address|tel|with\s+its)\b", rest)[0].strip(" ,;:")
        candidate: str | None = rest or None
        if candidate is None:
            for line in text[m.end() :].split("\n")[1:4]:
                line = line.strip(" \t|")
                if not line:
                    continue
                field = _EN_NAME_FIELD.match(line)
                if field:
                    candidate = field.group(1).strip(" ,;")
                elif not _EN_OTHER_FIELD.match(line) and not _EN_LAID_LABEL.match(line):
                    candidate = line.strip(" ,;")
                break
        candidate = _clean_en(candidate) if candidate else None
        if candidate and _looks_like_en_name(candidate):
            seen.add(label)
            out.append((label, _en_with_legal_form(text, candidate), m.group(2)))
    return out


_EN_ON_BEHALF = re.compile(
    r"(?im)^[ \t|]*+(?:signed\s+)?(?:for\s+and\s+on\s+behalf\s+of|on\s+behalf\s+of|for)\b[ \t]*+:?[ \t]*+"
    r"(?:the\s+)?([^\n:]{3,120}?)[ \t]*+:?[ \t|]*+$"
)
_EN_BY_LINE = re.compile(r"(?i)^[ \t|]*+(?:By|Signature|Signed|Name)\b[ \t]*+:")


def _en_signature_names(text: str) -> list[str]:
    """The parties' names in an English signature block, in order: "For and on behalf of X", or the
    line above a "By:" (or "Signature:") line, written as a name with a word that names a body."""
    start = text.rfind("IN WITNESS")
    start = start if start >= 0 else len(text) * 2 // 3
    out: list[str] = []
    lines = text[start:].split("\n")
    for n, line in enumerate(lines):
        m = _EN_ON_BEHALF.match(line)
        candidates = [m.group(1).strip(" ,;")] if m else []
        if not m and line.strip() and not _EN_BY_LINE.match(line):
            below = next((x for x in lines[n + 1 : n + 3] if x.strip()), "")
            if _EN_BY_LINE.match(below):
                # One name, or one per column of a signature table ("| X | Y |", "X        Y").
                candidates = [c.strip(" \t,;:") for c in re.split(r"\s*\|\s*|\s{3,}|\t", line.strip(" \t|"))]
        for candidate in candidates:
            if candidate and _EN_ORG_WORD.search(candidate) and _looks_like_en_name(candidate):
                candidate = _en_with_legal_form(text, candidate)
                if candidate.lower() not in {x.lower() for x in out}:
                    out.append(candidate)
    return out


_EN_PARTIES_HEADING = re.compile(r"(?im)^[ \t]*+(?:the\s+)?parties[ \t]*+:?[ \t]*+$")


def _en_listed(text: str) -> list[str]:
    """ "PARTIES / 1. X, a … (the University); and / 2. Y incorporated in …": the numbered parties listed
    under a heading of their own."""
    heading = _EN_PARTIES_HEADING.search(text[:5000])
    if heading is None:
        return []
    out: list[str] = []
    for line in text[heading.end() :].split("\n")[1:8]:
        if not line.strip():
            continue
        if not re.match(r"^\s*+(?:\(?\d{1,2}[.)]|\([a-d]\))\s", line):
            break
        name = _en_block_name(line)
        if name:
            out.append(_en_with_legal_form(text, name))
    return out


_EN_AMONG = re.compile(
    r"\b(?i:among|between)\s++(?:(?i:the)\s+)?([A-Z][^\n;()\"“]{5,400}?)"
    r"(?:(?<!\bInc)(?<!\bLtd)(?<!\bCo)(?<!\bCorp)(?<!\bL\.L\.C)(?<!\bS\.A)\.(?=\s|$)|(?=\n)|,?\s+(?:on|dated|effective|as\s+of)\s)"
)
_EN_LIST_SPLIT = re.compile(
    rf",\s+(?:and\s+)?(?:the\s+)?(?!{_EN_LEGAL}\b)(?=[A-Z])|\s+and\s+(?:the\s+)?(?=[A-Z])"
)


def _en_among(text: str) -> list[str]:
    """ "among Siemens AG, Robert Bosch GmbH and Hitachi, Ltd.": three or more names listed without
    defined terms, each a name with a word that names a body."""
    m = _EN_AMONG.search(text[:5000])
    if m is None:
        return []
    names = [re.sub(r"^the\s+", "", n.strip(" ,"), flags=re.I) for n in _EN_LIST_SPLIT.split(m.group(1))]
    if len(names) < 3 or not all(
        _EN_ORG_WORD.search(n)
        and _looks_like_en_name(n)
        and not re.search(r"\b(?!of|and|for|the|de)[a-z]{2,}\b", n)
        for n in names
    ):
        return []
    return [_en_with_legal_form(text, n) for n in names]


def _complete_en(text: str, parties: list[Party]) -> list[Party]:
    out = []
    for party in parties:
        name = _clean_en(party.name) if party.name else party.name
        if name and re.fullmatch(rf"(?i){_EN_LEGAL}\.?", name):
            name = _en_before_legal_form(text, party.label, name)
        if name:
            name = _en_with_legal_form(text, name)
        out.append(Party(party.label, name))
    named = [p for p in out if _looks_like_en_name(p.name)]
    listed = _en_among(text)
    if len(listed) > len(out) and {p.name for p in out} <= set(listed):
        # The parties found are some of those the sentence lists: all of them, in its order.
        labels = {p.name: p.label for p in out}
        return [Party(labels.get(name) or _en_label(text, name), name) for name in listed]
    if len(named) < 2:
        laid = _en_laid_out(text)
        if len(laid) >= 2:
            by_term = {(term or "").lower(): name for _label, name, term in laid}
            by_label = {label.lower(): name for label, name, _term in laid}
            if out and all(p.label.lower() in by_term or (p.name or "").lower() in by_label for p in out):
                return [
                    Party(p.label, by_term.get(p.label.lower()) or by_label[(p.name or "").lower()])
                    for p in out
                ]
            return [Party(term or label, name) for label, name, term in laid]
        between = _en_between(text)
        if len(between) == 2:
            labels = {p.name: p.label for p in out}
            return [Party(labels.get(name) or _en_label(text, name), name) for name in between]
        listed = _en_listed(text)
        if len(listed) >= 2 and (not out or len(listed) == len(out)):
            if out:
                return [Party(p.label, name) for p, name in zip(out, listed, strict=True)]
            return [Party(_en_label(text, name), name) for name in listed]
        roles = _en_role_lines(text)
        if len(roles) >= 2 and not out:
            return [Party(role, name) for role, name in roles]
        signed = _en_signature_names(text)
        if len(signed) >= 2 and (not out or len(signed) == len(out)):
            if out:
                return [Party(p.label, name) for p, name in zip(out, signed, strict=True)]
            return [Party(_en_label(text, name), name) for name in signed]
    return named if len(named) >= 2 else out


def _en_label(text: str, name: str) -> str:
    """How the body calls a party introduced without a defined term: the term defined after its name
    ("hereinafter referred to as "SIC""), else its first word as the body writes it."""
    after = text.find(name)
    if after >= 0:
        defined = re.search(
            r"(?:hereinafter\s+(?:(?:to\s+be\s+)?referred\s+(?:to\s+)?as|called(?:\s+as)?|known\s+as)\s+(?:the\s+)?|\(\s*)[\"“]([^\"”\n]{1,40})[\"”]",
            text[after + len(name) : after + len(name) + 400],
        )
        if defined and "between" not in text[after : after + len(name) + defined.start()].lower():
            return defined.group(1).strip()
    first = name.split()[0].strip(",.")
    short = first[:1] + first[1:].lower() if first.isupper() else first
    return short if re.search(rf"\b{re.escape(short)}\b", text[len(text) // 4 :]) else name


def complete_parties(text: str, lang: str, parties: list[Party]) -> list[Party]:
    """The parties found in ``text`` with their names completed and cleaned (see the module's docstring)."""
    if lang == "zh":
        return _complete_zh_all(text, parties)
    return _complete_en(text, parties)


# Signatories ---------------------------------------------------------------------------------------

_ZH_SIGNER = re.compile(
    r"(?:法定代表人|法人代表|授权代表|委托代理人|代表人?|负责人)(?:或(?:其)?(?:授权|委托)(?:代表|代理人))?"
    r"\s*+[（(]?(?:签字|签章|签名)?[)）]?\s*+[:：][ \t]*+([\u4e00-\u9fff]{2,4})(?![\u4e00-\u9fff])"
)
_ZH_NOT_SIGNER = {"签字", "盖章", "签章", "日期", "时间", "签名", "年月日"}
_EN_SIGNER = re.compile(
    r"(?m)^[ \t]*+(?:Name|Printed Name|Print Name)[ \t]*+[:：][ \t]*+([A-Z][A-Za-z.'-]+(?:[ \t]+[A-Z][A-Za-z.'-]+){1,3})[ \t]*+$"
)


def signatories(text: str, lang: str, parties: list[Party]) -> dict[str, str]:
    """Who signed for each party, by label: the person named in the party's block (its header lines or
    its signature block: "乙方（盖章）：重庆大学 / 法定代表人（签字）：张宗益"; "By: … Name: John Smith"
    under the party's name)."""
    labels = [p.label for p in parties]
    out: dict[str, str] = {}
    if lang == "zh":
        marks = [(m.start(), "label", m.group(0)) for m in _ZH_ROLE_AT.finditer(text)]
        marks += [(m.start(), "signer", m.group(1)) for m in _ZH_SIGNER.finditer(text)]
        current: str | None = None
        for _at, kind, value in sorted(marks):
            if kind == "label":
                label = next((x for x in labels if value.startswith(x)), None)
                current = label
            elif current is not None and current not in out and value not in _ZH_NOT_SIGNER:
                out[current] = value
                current = None
        return out
    start = len(text) // 2
    for m in _EN_SIGNER.finditer(text, start):
        best: tuple[int, str] | None = None
        for party in parties:
            for word in {party.label, party.name or ""} - {""}:
                at = text.lower().rfind(word.lower(), start, m.start())
                if at >= 0 and m.start() - at <= 400 and (best is None or at > best[0]):
                    best = (at, party.label)
        if best is not None and best[1] not in out and m.group(1) not in out.values():
            out[best[1]] = m.group(1).strip()
    return out
