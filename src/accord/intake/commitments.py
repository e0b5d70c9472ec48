"""Commitment extraction: who undertakes to do what, by when, how often, for how much.

Rules, not a model: a sentence is cut into action units (Chinese at commas and before 并 + verb,
English at "; ", "and <verb>", repeated modals and enumerations); a unit is kept when a contracting
party is its subject (or is implied by an enclosing heading such as 乙方责任与义务 / "Warrants of
Party B", or by a list lead-in) and it carries an obligation cue or starts with an action verb.
Rights, permissions, intentions, generic liability, remedies and boilerplate are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .grammar import find_amount, find_due, find_recurrence, is_conditional
from .model import Clause, Commitment, Party

# --- shared ----------------------------------------------------------------------------------------


@dataclass
class _Span:
    start: int
    end: int
    clause: int | None


def own_spans(text: str, clauses: list[Clause]) -> list[_Span]:
    """Each clause's own text (marker and heading removed, children excluded)."""
    spans: list[_Span] = []
    for i, clause in enumerate(clauses):
        start = clause.start + (len(clause.number) if clause.number else 0)
        if clause.heading:
            idx = text.find(clause.heading, start, start + len(clause.heading) + 8)
            if idx >= 0:
                start = idx + len(clause.heading)
                m = re.match(r"[ \t]*[：:.]?", text[start:])
                if m:
                    start += m.end()
        end = clauses[i + 1].start if i + 1 < len(clauses) else clause.end
        end = min(end, clause.end) if clause.end > clause.start else end
        if end > start:
            spans.append(_Span(start, end, i))
    return spans


def _parents(clauses: list[Clause]) -> list[int | None]:
    parents: list[int | None] = []
    stack: list[int] = []
    for i, clause in enumerate(clauses):
        while stack and clauses[stack[-1]].level >= clause.level:
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(i)
    return parents


def _trim(text: str, start: int, end: int, lead: str, trail: str) -> tuple[int, int]:
    while start < end and text[start] in lead:
        start += 1
    while end > start and text[end - 1] in trail:
        end -= 1
    return start, end


@dataclass
class _Unit:
    start: int
    end: int
    party: str | None
    action_start: int
    conditional: bool = False  # a condition was cut off the front of the quote
    action_prefix: str = ""  # "not " for items of "shall not (a) …, (b) …"


def find_commitments(
    text: str,
    lang: str,
    clauses: list[Clause],
    parties: list[Party],
    extra_labels: list[str],
    signed_on: date | None,
) -> list[Commitment]:
    labels = [p.label for p in parties] + [x for x in extra_labels if x not in {p.label for p in parties}]
    spans = own_spans(text, clauses)
    parents = _parents(clauses)
    finder = _ZhFinder(text, labels, len(parties)) if lang == "zh" else _EnFinder(text, labels, len(parties))
    implicit = [finder.heading_party(c, text) for c in clauses]
    out: list[Commitment] = []
    skip_clause = [bool(finder.boilerplate_heading(c.heading or "")) for c in clauses]
    last_party: dict[int, str | None] = {}
    for span in spans:
        idx = span.clause
        inherited: str | None = None
        cur: int | None = idx
        while cur is not None:
            if skip_clause[cur]:
                break
            if implicit[cur]:
                inherited = implicit[cur]
                break
            cur = parents[cur]
        if idx is not None and _under_boilerplate(idx, clauses, parents, skip_clause):
            continue
        if inherited is None and idx is not None:
            inherited = finder.umbrella_party(idx, clauses, parents)
        fallback = None
        if lang == "zh" and idx is not None and idx > 0 and parents[idx - 1] == parents[idx]:
            fallback = last_party.get(idx - 1)
        negated_list = idx is not None and _negated_lead_in(text, idx, clauses, parents)
        for unit in finder.units(span.start, span.end, inherited, fallback):
            if negated_list and not re.search(
                r"不得|不|禁止|严禁|\bnot\b|\bno\b", text[unit.start : unit.end]
            ):
                unit.action_prefix = "不得" if lang == "zh" else "not "  # "乙方不得：(1) …" / "shall not:"
            out.append(_build(text, lang, unit, idx, signed_on))
            if idx is not None:
                last_party[idx] = unit.party
    return out


def _negated_lead_in(text: str, idx: int, clauses: list[Clause], parents: list[int | None]) -> bool:
    """The parent clause introduces a list of prohibitions ("乙方不得有下列行为：", "shall not:")."""
    parent = parents[idx]
    if parent is None:
        return False
    pc = clauses[parent]
    own = text[pc.start : clauses[parent + 1].start if parent + 1 < len(clauses) else pc.end]
    return bool(
        re.search(
            r"(?:不得|禁止|严禁|不能)[^。；;\n]{0,12}[：:]\s*$|\b(?:shall|will|must)\s+not\b[^.;]{0,40}:\s*$",
            own,
        )
    )


def _under_boilerplate(idx: int, clauses: list[Clause], parents: list[int | None], skip: list[bool]) -> bool:
    """True when the nearest headed clause around ``idx`` is boilerplate (governing law, notices ...)."""
    cur: int | None = idx
    while cur is not None:
        if clauses[cur].heading:
            return skip[cur]
        cur = parents[cur]
    return False


def _build(text: str, lang: str, unit: _Unit, clause: int | None, signed_on: date | None) -> Commitment:
    quote = text[unit.start : unit.end]
    due, resolved = find_due(quote, lang, signed_on)
    action_text = text[unit.action_start : unit.end]
    action = re.sub(r"\s+", "", action_text)[:40] if lang == "zh" else " ".join(action_text.split()[:14])
    action = unit.action_prefix + re.sub(r"^\(\w{1,4}\)\s*", "", action)
    return Commitment(
        party=unit.party,
        action=action,
        due=due,
        due_resolved=resolved,
        recurrence=find_recurrence(quote, lang),
        amount=find_amount(quote, lang),
        conditional=unit.conditional or is_conditional(quote, lang),
        quote=quote,
        quote_start=unit.start,
        quote_end=unit.end,
        clause_index=clause,
    )


# --- Chinese ---------------------------------------------------------------------------------------

_ZH_VERBS = (
    "办理|取得|组织|提供|负责(?!人)|开始|指定|建立|开设|培训|完成|提交|支付|付清|付|承担|协助|配合|接受|开展|建设|共建|设立|推动|推进|"
    "促进|参与|选派|派遣|派|制定|编制|审核|审定|审查|确认|保证|保障|确保|落实|实施|执行|报送|上缴|退还|归还|退回|准备|归档|"
    "保存|保管|维护|通知|告知|发布|报道|扩大|加强|给予|支持|创造|安排|聘请|选聘|招收|招生|颁发|交付|进行|召开|举办|申请|"
    "申报|协调|监督|检查|验收|使用|管理|遵守|遵循|做好|作出|做出|成立|修改|指定|授权|签订|签署|发给|传真|转拨|拨付|下拨|"
    "汇至|汇入|汇|开具|核算|实行|用于|资助|捐赠|捐资|投入|投资|出资|筹集|承办|共享|联合|牵头|争取|帮助|指导|服务|保密|"
    "购买|采购|运行|运营|维修|设计|研发|开发|转化|孵化|培养|引进|推荐|输送|对接|组成|编写|制作|反馈|报告|汇报|公示|建成|"
    "打造|搭建|构建|共同|协同|整合|统筹|优先|吸纳|接收|录用|聘任|补偿|赔偿|偿还|缴纳|缴|提请|报请|备案|登记|注册|"
    "开放|改造|新建|扩建|配备|配套|投放|派驻|挂职|授予|给与|不得|严格|按时|按期|及时|认真|积极|"
    "变更|转包|转让|泄露|披露|挪用|截留|占用|出租|出借|调整|更换|撤回|中止|终止|公开|复制|许可|"
    "擅自|私自|分包|抵押|销售|宣传|招聘|移交|交纳|清算|核查|评估|考核|整改|维护|更新|升级|部署|安装|调试|"
    "培育|设置|开通|共建|共享|互派|互聘|承接|主办|参加|出席|组建|筹建|建立健全|完善|制订|起草|审批|批准"
)
_ZH_VERB_RE = re.compile(rf"(?:{_ZH_VERBS})")
_ZH_MODAL = re.compile(
    r"应当|应该|(?<![相对供适反响回答])应(?![得用收付有届])|必须|(?<!必)须|(?<!所)需(?!要|求)|将|务必|负责(?!的)|承诺|保证|确保|不得|"
    r"不应|不准|禁止|有义务|有责任|同意|承担(?!的)|每年|每半年|每学期|每季度|每月"
)
_ZH_INTENT = re.compile(
    r"^(?:为了|为实现|为确保|为此)|诚恳邀请|邀请|希望|意向|拟(?!定)|签字|盖章|签章|主要包括|包括[：:]?$"
)
_ZH_RIGHT = re.compile(r"有权|可以|可(?![能靠行持])|享有|有权利|免于|无需|不必|无须|方可|方能")
# Remedies the other side may apply when a condition is met ("甲方将适当减少或暂停支付经费").
_ZH_REMEDY = re.compile(r"减少|暂停|停止|追回|扣回|收回|扣除")
_ZH_LIABILITY = re.compile(r"承担[^，,。；]{0,8}(?:法律|违约|相应|相关|一切)?责任|追究[^，,。；]{0,6}责任")
_ZH_GENERIC_LOSS = re.compile(r"(?:一切|相应的?)损失|相应(?:的)?赔偿|予以赔偿")
_ZH_BOILER = re.compile(
    r"一式[^，。；]{0,4}份|签字盖章后生效|签字盖章之日起|盖章后生效|同等(?:法律)?效力|未尽事宜|协商解决|仲裁|人民法院|起诉|"
    r"自[^，。；]{0,12}之日起生效|解释权|法律效力|另行(?:协商|约定|签订)|补充(?:协议|规定)|各执|各持|诉讼|(?<!协)调解|"
    r"方能生效|后生效|即生效|起生效|变更[^。；]{0,12}协商一致"
)
_ZH_BOILER_HEADING = re.compile(
    r"争议|法律适用|协议文本|合同文本|效力|附则|其他|其它|通知|送达|生效|份数|解决"
)
_ZH_CONNECT = re.compile(r"^(?:并且|并|且|同时|另外|此外|以及|还应|还|也|则|和)")
_ZH_COND = re.compile(r"^(?:如果|如|若|倘若|假如|一旦|凡|因|由于|当|在[^，,]{0,20}(?:时|的情况下))")
_ZH_ADVERB = re.compile(
    r"^(?:[在于自从当][^，,、]{0,14}?(?:之前|以前|前|之后|以后|后|之内|以内|内|时|过程中|期间|期内)(?=[\u4e00-\u9fff]|$)|"
    r"[^，,、]{0,10}?[0-9０-９一二三四五六七八九十两_]+\s*(?:个)?(?:工作日|周日|日|天|周|星期|月|年)(?:之内|以内|内|后|前)|"
    r"[^，,、]{1,8}?(?:签订|签署|生效|完成|到位|合格|结束)(?:之)?后|按进度|按要求|及时|按时|按期|积极|认真|全面|主动|分期分批|"
    r"定期|共同|另行|切实|严格|尽快|立即|每年|每半年|每学期|每季度|每月|均|也|还|再|都|务必|一次性|专门|负责|应当|应|须|"
    r"需|必须|将|要|全力|优先|及早|尽力|同意)+"
)
_ZH_PREP = re.compile(r"^(?:向|为|对|给|与|同|跟|从|把|将|按照|按|根据|依据|依照|会同|通过|就|在)")
_NOUN_AFTER_PARTY = re.compile(
    r"的|教员|教师|人员|单位|代表|员工|职工|名称|账户|帐户|负责人|所属|所在|方面|原因"
)
_OBJ_BEFORE = set("向给对为与和同跟及或把经请由的、被让使令")


class _ZhFinder:
    def __init__(self, text: str, labels: list[str], n_parties: int) -> None:
        self.text = text
        self.n_parties = n_parties
        collective = [
            "甲乙双方",
            "甲、乙双方",
            "甲乙丙三方",
            "双方",
            "各方",
            "三方",
            "四方",
            "合作各方",
            "合作项目各方",
            "项目各方",
            "协议各方",
            "合同各方",
            "协议双方",
            "合同双方",
            "合作双方",
            "任何一方",
            "任一方",
        ]
        names = sorted(set(labels + collective), key=len, reverse=True)
        self.mention_re = re.compile(
            r"([\u4e00-\u9fff]{2,12}的一方)|("
            + "|".join(re.escape(n) for n in names)
            + r"|(?<![另任何])一方)"
        )
        self.labels = labels

    def norm(self, mention: str) -> str:
        if mention.endswith("双方"):
            return "both"
        if mention.endswith(("各方", "三方", "四方")):
            return "all" if self.n_parties > 2 else "both"
        if mention in ("任何一方", "任一方", "一方"):
            return "either"
        return mention

    def heading_party(self, clause: Clause, text: str) -> str | None:
        head = clause.heading or ""
        if not head:
            return None
        m = re.search(r"([\u4e00-\u9fff、]{1,5}方)的?(?:主要)?(?:责任|义务|职责|权利|承诺|保证|工作)", head)
        if m:
            return self.norm(m.group(1).replace("、", "")) if "双方" not in m.group(1) else "both"
        m2 = re.fullmatch(r"([\u4e00-\u9fff]{1,4}方)\s*[：:]?", head)
        if m2 and m2.group(1) in self.labels:
            return m2.group(1)
        return None

    def umbrella_party(self, idx: int, clauses: list[Clause], parents: list[int | None]) -> str | None:
        # "甲方应：" / "乙方承诺如下：" opening a list gives its items their subject.
        parent = parents[idx]
        hops = 0
        while parent is not None and hops < 2:
            pc = clauses[parent]
            own_start = pc.start + len(pc.number or "")
            own_end = clauses[parent + 1].start if parent + 1 < len(clauses) else pc.end
            own = self.text[own_start:own_end]
            if re.search(r"[：:]\s*$", own):
                # The list's lead-in names who acts: the last explicit subject before the colon.
                found: str | None = None
                for s_start, s_end in _sentences_zh(self.text, own_start, own_end):
                    for p_start, p_end in _pieces_zh(self.text, s_start, s_end):
                        subj, _ = self.subject(p_start, p_end)
                        if subj is not None:
                            found = subj
                if found is not None:
                    return found
            parent = parents[parent]
            hops += 1
        return None

    def boilerplate_heading(self, heading: str) -> bool:
        return (
            bool(heading) and bool(_ZH_BOILER_HEADING.search(heading)) and not re.search("责任|义务", heading)
        )

    def subject(self, start: int, end: int) -> tuple[str | None, int]:
        """Party that is the grammatical subject of the piece, and where the predicate begins."""
        piece = self.text[start:end]
        lead = _ZH_CONNECT.match(piece)
        offset = lead.end() if lead else 0
        for m in self.mention_re.finditer(piece):
            if m.start() > 24:
                break
            before = piece[m.start() - 1] if m.start() > 0 else ""
            name = m.group(0)
            if _NOUN_AFTER_PARTY.match(piece, m.end()):
                continue  # "甲方教员" / "甲方的" name something of the party, not the party
            if m.start() <= offset or before in "，,：: \t" or before == "由":
                # "甲方和乙方" / "乙方和甲方将" name two subjects: the parties jointly.
                rest = piece[m.end() :]
                pair = re.match(r"(?:和|与|及|、)(" + self.mention_re.pattern + ")", rest)
                if pair and m.group(1) is None:
                    return (
                        "all" if self.n_parties > 2 and "以及" in rest[:30] else "both"
                    ), m.end() + pair.end()
                return (name if m.group(1) else self.norm(name)), m.end()
            if before in _OBJ_BEFORE:
                continue
        return None, offset

    def units(self, start: int, end: int, inherited: str | None, fallback: str | None = None) -> list[_Unit]:
        text = self.text
        out: list[_Unit] = []
        last_subject: str | None = None
        for s_start, s_end in _sentences_zh(text, start, end):
            sentence = text[s_start:s_end]
            if _ZH_BOILER.search(sentence):
                continue
            pieces = _pieces_zh(text, s_start, s_end)
            groups: list[list[int]] = []  # [start, end, action_start, explicit]
            group_party: list[str | None] = []
            prefix_start: int | None = None
            cond_mode = bool(_ZH_COND.match(sentence.lstrip()))
            first_piece = True
            current_party: str | None = None
            dead = False
            for p_start, p_end in pieces:
                piece = text[p_start:p_end]
                subj, pred_at = self.subject(p_start, p_end)
                modal = _ZH_MODAL.search(piece)
                if (
                    cond_mode
                    and not piece.startswith("则")
                    and subj is None
                    and (
                        first_piece
                        or re.search(r"(?:时|的|后|前|情况下|之一)\s*$", piece)
                        or re.match(r"或|且", piece)
                    )
                ):
                    prefix_start = p_start if prefix_start is None else prefix_start
                    first_piece = False
                    continue
                first_piece = False
                cond_mode = False
                if re.search(r"(?:如下|以下|下列)约定", piece) or (
                    prefix_start is not None and _ZH_REMEDY.search(piece)
                ):
                    dead = True
                    continue
                if re.fullmatch(r"\s*(?:主要|具体)?(?:包括|如下|以下)[^，,]{0,4}\s*", piece):
                    if groups and not groups[-1][4]:
                        groups.pop()
                        group_party.pop()
                    dead = True
                    continue
                if re.match(r"(?:使|以使|以便|以确保|从而|以)(?![\u4e00-\u9fff]{0,1}方)", piece) and groups:
                    groups[-1][1] = p_end  # purpose clause of the previous undertaking
                    continue
                if (
                    _ZH_RIGHT.search(piece[: (modal.start() if modal else len(piece)) + 4])
                    and not (
                        modal
                        and modal.group(0) in ("不得", "应", "应当")
                        and not _ZH_RIGHT.search(piece[: modal.start()])
                    )
                ) or re.search(r"方可|方能", piece):
                    dead = True
                    continue
                if re.fullmatch(r"\s*(?:双方|甲乙双方|各方)(?:确定|约定|同意|商定|确认)\s*", piece):
                    continue  # "双方确定：…" frames what follows; it is not the subject of each item
                if (
                    (_ZH_LIABILITY.search(piece) and not re.search(r"损失|费用|经费", piece))
                    or re.search(r"承担[^，,。；]{0,24}的责任\s*$", piece)
                    or _ZH_GENERIC_LOSS.search(piece)
                ):
                    dead = True
                    continue
                if _ZH_INTENT.search(piece.strip()):
                    dead = True
                    continue
                rest = piece[pred_at:]
                if subj is not None and _ZH_INTENT.search(rest.strip()):
                    dead = True
                    continue
                adv = _ZH_ADVERB.match(rest)
                core = rest[adv.end() :] if adv else rest
                if not modal and (
                    not core.strip()
                    or re.search(r"(?:时|的时候|之后|以后|后|之前|前|的)\s*$", piece)
                    or (
                        re.match(r"(?:围绕|根据|按照|依据|结合|针对|本着|基于)", core)
                        and not _ZH_VERB_RE.search(core[2:])
                    )
                ):
                    # "甲方在提出修改意见时" / "乙方没有按照合同执行的": a condition for what follows.
                    if subj is not None:
                        current_party = subj
                    if not groups:
                        prefix_start = p_start if prefix_start is None else prefix_start
                    continue
                copula = re.match(r"[\u4e00-\u9fff]{1,8}?(?:为|是|系)", core)
                if not modal and (
                    (copula and not _ZH_VERB_RE.search(core[: copula.end() - 1]))
                    or re.match(r"(?:包括|例如|比如|如|即|含|其中)", piece)
                ):
                    if groups:
                        groups[-1][1] = p_end
                    continue
                prep = _ZH_PREP.match(core)
                verb_start = bool(_ZH_VERB_RE.match(core)) or bool(
                    prep and _ZH_VERB_RE.search(core[prep.end() : prep.end() + 32])
                )
                connector = bool(_ZH_CONNECT.match(piece))
                nonparty_modal = bool(
                    modal
                    and subj is None
                    and 2 <= modal.start() <= 12
                    and not _ZH_ADVERB.match(piece)
                    and not _ZH_CONNECT.match(piece)
                    and not _ZH_PREP.match(piece)
                    and not re.match(r"(?:负责|提供|保证|确保|承诺|承担)", piece)
                )
                if nonparty_modal and groups:
                    groups[-1][1] = p_end
                    continue
                if groups and subj is None and not modal and not connector and not adv and not prep:
                    # "办理审批手续，取得批文": a bare verb after a comma continues the same undertaking.
                    groups[-1][1] = p_end
                    continue
                if (
                    not groups
                    and not modal
                    and not verb_start
                    and prefix_start is not None
                    and (current_party or inherited)
                    and re.search(r"支付|赔偿|偿付|退还|补偿", piece)
                ):
                    # "甲方逾期付款的，每逾期一日按…向乙方支付违约金": the consequence is the undertaking.
                    verb_start = True
                starts = (
                    subj is not None
                    or verb_start
                    or (modal is not None)
                    or (connector and bool(prep))
                    or (connector and bool(_ZH_VERB_RE.search(piece[:8])))
                )
                if dead and not starts:
                    continue
                dead = False
                if starts and (verb_start or modal or subj is not None or (connector and prep)):
                    g_start = p_start
                    if not groups and prefix_start is not None:
                        g_start = prefix_start
                    if subj is not None:
                        current_party = subj
                    groups.append(
                        [
                            g_start,
                            p_end,
                            p_start + pred_at,
                            int(bool(modal) or verb_start or (connector and bool(prep))),
                            int(bool(modal)),
                            int(subj is None and nonparty_modal),
                        ]
                    )
                    group_party.append(current_party)
                elif groups:
                    groups[-1][1] = p_end
                else:
                    prefix_start = p_start if prefix_start is None else prefix_start
            resolved: str | None = None
            for (g_start, g_end, a_start, actionable, _modal, nonparty), party in zip(
                groups, group_party, strict=True
            ):
                seg = text[g_start:g_end]
                if party is None and resolved is not None:
                    party = resolved  # "各方应遵守…，不得中途撤消…": same subject as the previous undertaking
                if party is None:
                    # A non-party subject ("本项目将终止执行") only binds the party a heading names.
                    party = (
                        inherited
                        if nonparty
                        else (last_subject if last_subject and not inherited else inherited)
                    )
                if party is None and fallback is not None and actionable and not nonparty:
                    party = fallback  # same actor as the previous item of this list
                if party is None and re.search(r"双方", seg):
                    party = "both"
                if party is None and re.search(r"均|共同", seg):
                    party = "all" if self.n_parties > 2 else "both"
                if party is None:
                    continue
                resolved = party
                if not actionable:
                    continue
                q_start, q_end = _trim(text, g_start, g_end, " \t\n，,：:、", " \t\n，,。；;：:、")
                if q_end - q_start < 4:
                    continue
                out.append(_Unit(q_start, q_end, party, max(a_start, q_start)))
            if group_party and group_party[0]:
                last_subject = group_party[-1]
        return out


def _sentences_zh(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    s = start
    # A line break after a comma is a hard wrap inside one sentence, not a sentence end.
    for m in re.finditer(r"[。；;！？!?]|(?<![，,、\s])\n", text[start:end]):
        e = start + m.start()
        if text[s:e].strip():
            out.append((s, e))
        s = start + m.end()
    if text[s:end].strip():
        out.append((s, end))
    return out


def _pieces_zh(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    s = start
    for m in re.finditer(
        r"[，,：:]|(?<=[^\s，,：:])(?=并(?:且|通过|按照|按|向|为|在|及时|负责|接受|上缴|退还|提交|支付|报送|归还))",
        text[start:end],
    ):
        e = start + m.start()
        if e > s and text[s:e].strip():
            out.append((s, e))
            s = start + m.end()
        elif e == s:
            s = start + m.end()
    if text[s:end].strip():
        out.append((s, end))
    # A split before 不得 only makes sense when something precedes it in the same piece.
    merged: list[tuple[int, int]] = []
    for p in out:
        if (
            merged
            and text[p[0] : p[0] + 2] == "不得"
            and not re.search(r"[，,：:]\s*$", text[merged[-1][0] : p[0]])
        ):
            prev = text[merged[-1][0] : p[0]]
            # keep "所有相关资料 | 不得外泄" together: the object precedes 不得 there.
            if not _ZH_VERB_RE.search(prev):
                merged[-1] = (merged[-1][0], p[1])
                continue
        merged.append(p)
    # Pieces start at their first visible character, so "piece start" tests see the subject.
    trimmed = []
    for a, b in merged:
        while a < b and text[a] in " \t\u3000":
            a += 1
        trimmed.append((a, b))
    return trimmed


# --- English ---------------------------------------------------------------------------------------

_EN_VERBS = (
    "provide|pay|bear|assume|ensure|keep|maintain|cooperate|submit|deliver|notify|give|take|make|obtain|complete|"
    "sign|assist|supply|purchase|use|comply|guarantee|compensate|indemnify|defend|hold|return|report|share|install|"
    "operate|connect|perform|prepare|establish|organize|organise|arrange|promote|develop|offer|support|allow|disclose|"
    "transfer|mortgage|adjust|notify|inform|send|train|hire|appoint|designate|register|apply|file|procure|build|"
    "construct|design|manage|monitor|review|approve|accept|execute|implement|conduct|carry|collaborate|contribute|"
    "fund|finance|reimburse|refund|repay|protect|respect|observe|follow|abide|exercise|authorize|sell|distribute|"
    "market|advertise|host|hold|attend|participate|dedicate|create|keep|store|insure|cover|maintain|be|do|cause|"
    "determine|provides|pays|bears|assumes|ensures|keeps|makes|purchase|responsible|cooperate|enter|issue|invest|"
    "arrange|jointly|fully|immediately|promptly|timely|also|not|assign|refer|recruit|select|publish|reserve|"
    "schedule|coordinate|evaluate|supervise|grant|award|admit|enroll|enrol|teach|pay|plan|facilitate"
)
# Present-tense verbs that state an undertaking without a modal ("Party B provides pipeline ...").
_EN_PRESENT = (
    "provides?|pays?|makes?\\s+(?:\\w+\\s+)?payments?|bears?|assumes?|guarantees?|ensures?|shares?|supplies|supply|"
    "delivers?|covers?|maintains?|keeps?|undertakes?|determines?|cooperates?|assists?|purchases?"
)
# First words that show a list item is not a verb phrase.
_EN_NOT_VERB = (
    "the|a|an|all|any|each|every|such|this|that|these|those|if|in|on|for|to|of|with|by|as|its|their|his|her|"
    "no|other|both|either|neither|which|where|when|after|before|during|within|upon|subject|including|and|or|but"
)
_EN_MODAL = re.compile(
    r"(?i)\b(?:shall(?:\s+not)?(?:\s+also)?|will(?:\s+not)?|must(?:\s+not)?|agrees?\s+(?:not\s+)?to|"
    r"undertakes?\s+(?:not\s+)?to|(?:is|are)\s+(?:also\s+)?responsible\s+for|(?:is|are)\s+in\s+charge\s+of|"
    r"(?:is|are)\s+obligated\s+to|(?:is|are)\s+not\s+allowed\s+to|cannot|can\s+not|should|guarantees?|"
    r"covenants?\s+to|commits?\s+to|(?:is|are)\s+required\s+to|jointly)\b"
)
_EN_RIGHT = re.compile(
    r"(?i)\b(?:may(?!\s+not)|can(?!not)|(?:will|shall)\s+not\s+be\s+(?:responsible|liable)|ha(?:s|ve)\s+(?:the\s+)?(?:full\s+|sole\s+|exclusive\s+)?rights?|(?:is|are)\s+entitled|"
    r"reserves?\s+the\s+right|hereby\s+grants?|shall\s+have\s+(?:the\s+)?right|has\s+priority|at\s+its\s+option|"
    r"(?:shall|will|may)\s+(?:charge|collect|receive)|make\s+the\s+decision)\b"
)
_EN_COND_START = re.compile(
    r"(?i)\s*(?:[A-Z][\w-]*\s+){0,2}?(?:if|in\s+case|in\s+the\s+event|unless|should|where)\b"
)
_EN_LIABILITY = re.compile(
    r"(?i)\b(?:be\s+liable|liable\s+for|bear\s+(?:\w+\s+){0,2}liabilit|assume\s+(?:\w+\s+){0,2}liabilit|"
    r"be\s+(?:partially\s+or\s+fully\s+|fully\s+|partially\s+)?(?:exempt|relieved|excused))"
)
_EN_BOILER = re.compile(
    r"(?i)\b(?:governed\s+by|governing\s+law|arbitrat|jurisdiction|in\s+(?:duplicate|triplicate|quadruplicate)|"
    r"counterparts|entire\s+agreement|supersede|take\s+effect|come\s+into\s+effect|same\s+legal\s+effect|"
    r"signed\s+and\s+sealed|headings|severab|waiver|supplemental\s+agreement|shall\s+prevail|prevails|"
    r"\bmeans\b|shall\s+mean|refers\s+to|will\s+commence|will\s+terminate|shall\s+terminate|shall\s+expire|"
    r"is\s+made\s+in|disputes?\b|amicabl)"
)
_EN_BOILER_HEADING = re.compile(
    r"(?i)\b(?:governing\s+law|dispute|entire\s+agreement|effectiveness|notices?|counterparts|severability|"
    r"miscellaneous|definitions?|interpretation|amendment|assignment|waiver|recitals)\b"
)
_EN_SPLIT_VERBS = (
    "provide|pay|bear|assume|ensure|keep|maintain|cooperate|submit|deliver|notify|give|take|make|obtain|complete|"
    "sign|assist|supply|purchase|use|comply|guarantee|compensate|indemnify|defend|hold|return|report|share|install|"
    "operate|connect|perform|prepare|establish|organize|organise|arrange|promote|develop|offer|support|allow|disclose|"
    "transfer|adjust|inform|send|train|hire|appoint|designate|register|apply|procure|build|construct|design|manage|"
    "monitor|review|approve|accept|execute|implement|conduct|carry|contribute|fund|finance|reimburse|refund|repay|"
    "protect|observe|follow|abide|authorize|sell|distribute|market|host|attend|participate|dedicate|create|store|"
    "insure|cover|cause|determine|assumes|provides|pays|bears|ensures|keeps|makes|enter|issue|invest"
)
_EN_SPLIT = re.compile(
    r"(?i)(?:,\s*|\s+)(?:and|as\s+well\s+as)\s+(?=(?:(?:shall|will|must)\s+(?:not\s+)?|to\s+|not\s+to\s+|also\s+)?"
    rf"(?:{_EN_SPLIT_VERBS})\b)"
    r"|(?:,\s*|\s+)and\s+(?=(?:shall|will|must)\s+(?:not\s+)?(?:also\s+)?[a-z]+)"
    r"|,\s+(?=(?:and\s+)?not\s+to\s)"
    # "agrees (1) not to disclose …, and (2) not to allow …": enumerated verb phrases after a modal.
    r"|,\s*(?:and\s+|or\s+)?(?=\((?:[2-9]|[b-h]|ii|iii|iv|v|vi)\)\s*(?:not\s+)?(?:to\s+)?[a-z]+)"
    r"|,\s+(?=(?:provide|pay|notify|keep|ensure|submit|deliver|bear|assume|inform|return|maintain|obtain|"
    r"complete|cooperate|sign|take)\b)"
)


class _EnFinder:
    def __init__(self, text: str, labels: list[str], n_parties: int) -> None:
        self.text = text
        self.n_parties = n_parties
        self.labels = labels
        collective = [
            r"(?:both|the|all|each\s+of\s+the)\s+part(?:y|ie)s",
            r"parties",
            r"Party\s+A\s+and\s+(?:Party\s+)?B",
            r"either\s+party",
            r"any\s+party",
            r"the\s+affected\s+party",
            r"such\s+party",
            r"each\s+party",
            r"the\s+party",
            r"the\s+other\s+party",
            r"neither\s+party",
        ]
        names = sorted(labels, key=len, reverse=True)
        self.mention_re = re.compile(
            r"(?<![A-Za-z])(" + "|".join([*collective, *(re.escape(n) for n in names)]) + r")(?![A-Za-z])",
            re.IGNORECASE,
        )

        mention = self.mention_re.pattern
        self.present_re = re.compile(
            rf"(?i){mention}\s+(?:also\s+|jointly\s+|fully\s+)?(?:{_EN_PRESENT})\b"
            r"|\bresponsibility\s+of\b"
        )
        self.subject_split = re.compile(
            rf"(?:,\s*|\s+)(?:and|while|whereas)\s+(?:then\s+)?(?={mention}\s+(?:also\s+)?"
            r"(?:shall|will|must|agrees?|undertakes?|is\s+responsible|are\s+responsible|[a-z]+s\b))",
            re.IGNORECASE,
        )

    def norm(self, mention: str) -> str | None:
        low = re.sub(r"\s+", " ", mention.lower())
        if low in ("the other party",):
            return None
        if low.startswith(("either", "any ", "the affected", "such party", "neither")) or low == "the party":
            return "either"
        if low.startswith("both"):
            return "both"  # "both parties" names two, whatever else was defined in the preamble
        if low in ("each party",):
            return "both" if self.n_parties <= 2 else "all"
        if (
            "part" in low
            and ("ies" in low or " and " in low)
            and not any(low == lab.lower() for lab in self.labels)
        ):
            return "both" if self.n_parties <= 2 else "all"
        for lab in self.labels:
            if lab.lower() == low:
                return lab
        return mention

    def heading_party(self, clause: Clause, text: str) -> str | None:
        head = clause.heading or ""
        if not head:
            # Headings run into the body after PDF flattening ("Item Ten Warrants of Party A Besides ...").
            lead = text[clause.start : clause.start + 90]
            m = re.search(
                r"(?i)(?:warrant|dut|obligation|responsibilit|undertaking|covenant|commitment)\w*\s+of\s+"
                r"(?:the\s+)?(?:" + "|".join(re.escape(x) for x in self.labels or ["Party"]) + ")",
                lead,
            )
            head = m.group(0) if m else ""
        if not head or not re.search(
            r"(?i)warrant|dut|obligation|responsib|undertaking|covenant|commitment", head
        ):
            return None
        found = {self.norm(m.group(0)) for m in self.mention_re.finditer(head)}
        found.discard(None)
        if len(found) == 1:
            return found.pop()
        return None

    def umbrella_party(self, idx: int, clauses: list[Clause], parents: list[int | None]) -> str | None:
        parent = parents[idx]
        if parent is None:
            return None
        pc = clauses[parent]
        own = self.text[pc.start : clauses[parent + 1].start if parent + 1 < len(clauses) else pc.end]
        mentions = list(self.mention_re.finditer(own))
        m = mentions[-1] if mentions else None
        if m and re.search(r"(?i)\b(shall|will|must|agrees?|undertakes?)\b[^.:]{0,40}:\s*$", own[m.end() :]):
            return self.norm(m.group(0))
        return None

    def boilerplate_heading(self, heading: str) -> bool:
        return bool(heading) and bool(_EN_BOILER_HEADING.search(heading))

    def _party_for(self, start: int, end: int, anchor: re.Match[str] | None) -> str | None:
        seg = self.text[start:end]
        for other in _EN_MODAL.finditer(seg):
            # Prefer the modal that has a party right before it ("..., Party B shall compensate").
            before = seg[: other.start()]
            cands = list(self.mention_re.finditer(before))
            if cands:
                gap = before[cands[-1].end() :]
                if (
                    len(gap.split()) <= 3
                    and not re.search(r"(?i)\b(of|to|with|for|by|from|and)\s*$", gap)
                    and not re.search(r"[,;]", gap)
                ):
                    return self.norm(cands[-1].group(0))
        if anchor is not None:
            before = seg[: anchor.start()]
            cands = list(self.mention_re.finditer(before))
            if cands:
                last = cands[-1]
                gap = before[last.end() :]
                if len(gap.split()) <= 4 and not re.search(r"(?i)\b(of|to|with|for|by|from)\s*$", gap):
                    # "Party A and Party B agree"/"Equipment of both parties must": the named subject.
                    return self.norm(last.group(0))
                first = cands[0]
                if first.start() < 3 or re.match(r"(?i)\s*(?:and|,)", before[first.end() : first.end() + 5]):
                    return self.norm(first.group(0))
            after = seg[anchor.end() :]
            by = re.search(
                r"(?i)\b(?:by|of)\s+("
                + self.mention_re.pattern[len("(?<![A-Za-z])(") : -len(")(?![A-Za-z])")]
                + r")(?![A-Za-z])",
                after,
            )
            if by and re.search(r"(?i)\b(?:be|been|responsibility)\b", after[: by.start() + 4]):
                return self.norm(by.group(1))
        m = (
            re.search(
                r"(?i)\bresponsibility\s+of\s+(" + "|".join(re.escape(x) for x in self.labels) + r")\b", seg
            )
            if self.labels
            else None
        )
        if m:
            return self.norm(m.group(1))
        for mm in self.mention_re.finditer(seg):
            if self.present_re.match(seg, mm.start()):
                return self.norm(mm.group(0))
        return None

    def _main_clause(self, start: int, end: int) -> int | None:
        """Start of the main clause of an "If …, Party A shall …" piece (the piece start otherwise)."""
        piece = self.text[start:end]
        if not _EN_COND_START.match(piece):
            return start
        for anchor in _EN_MODAL.finditer(piece):
            before = piece[: anchor.start()]
            mentions = list(self.mention_re.finditer(before))
            passive = re.match(r"\s*be\s+\w+ed\s+by\s+", piece[anchor.end() :])
            if (mentions and len(before[mentions[-1].end() :].split()) <= 3) or passive:
                # The main clause starts after the last comma before its subject.
                subject_at = mentions[-1].start() if mentions and not passive else anchor.start()
                commas = [c.end() for c in re.finditer(r",\s*(?:then\s+)?", piece[:subject_at])]
                if commas:
                    return start + commas[-1]
        return None

    def units(self, start: int, end: int, inherited: str | None, fallback: str | None = None) -> list[_Unit]:
        text = self.text
        out: list[_Unit] = []
        for s_start, s_end in _sentences_en(text, start, end):
            sentence = text[s_start:s_end]
            if _EN_BOILER.search(sentence):
                continue
            if sentence.rstrip().endswith(":") and re.search(
                r"(?i)following|also|as follows|shall\s*:", sentence
            ):
                continue  # umbrella: its list items are labelled instead
            imperative_sentence = (
                bool(re.match(rf"\s*(?:{_EN_VERBS})\b", sentence, re.I)) and sentence.lstrip()[:1].isupper()
            )
            parts = []
            cut = s_start
            for m in self.subject_split.finditer(text, s_start, s_end):
                parts.extend(_split_en(text, cut, m.start(), imperative_sentence))
                cut = m.end()
            parts.extend(_split_en(text, cut, s_end, imperative_sentence and cut == s_start))
            sentence_party: str | None = None
            for k, (p_start0, p_end) in enumerate(parts):
                p_start = self._main_clause(p_start0, p_end)
                if p_start is None:
                    continue  # a condition whose consequence binds no party
                enum = re.match(r"\s*\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)\s*", text[p_start:p_end])
                if enum and k > 0:
                    p_start += enum.end()  # "(b) reverse engineer …" continues the modal before "(a)"
                piece = text[p_start:p_end]
                anchor = _EN_MODAL.search(piece)
                right = _EN_RIGHT.search(piece)
                if right and (anchor is None or right.start() <= anchor.end() + 1):
                    continue
                if _EN_LIABILITY.search(piece):
                    continue
                starts_verb = bool(re.match(rf"\s*(?:(?:not\s+)?to\s+)?(?:{_EN_VERBS})\b", piece, re.I)) or (
                    (inherited is not None or (enum is not None and k > 0))
                    and bool(re.match(r"\s*(?:not\s+)?(?:to\s+)?[a-z]{3,}\b", piece))
                    and not re.match(rf"\s*(?:{_EN_NOT_VERB})\b", piece)
                )
                # A verb phrase split off after "and" continues the previous unit's modal.
                # Lower-case items count when a heading or lead-in ("The University shall:") names the party.
                imperative = starts_verb and (piece.lstrip()[:1].isupper() or k > 0 or inherited is not None)
                party = self._party_for(p_start, p_end, anchor)
                if imperative and anchor is None and inherited is not None:
                    party = inherited  # list item under "Warrants of Party A" / "Party A shall also:"
                if party is None and k > 0 and sentence_party is not None:
                    party = sentence_party
                if anchor is None and not imperative and not self.present_re.search(piece):
                    continue  # no modal, no imperative list item, no "<party> provides ..."
                if party is None:
                    party = inherited
                if party is None:
                    continue
                sentence_party = party
                q_start, q_end = _trim(text, p_start, p_end, " \t\n,;:", " \t\n,;:")
                q_start = _strip_lead_en(text, q_start, q_end)
                if q_end - q_start < 8:
                    continue
                a_start = p_start + anchor.end() if anchor else q_start
                negated = bool(
                    re.search(r"(?i)\b(?:shall|will|must|agrees?|undertakes?)\s+not\b|\bcannot\b", sentence)
                )
                own_negation = anchor is not None and bool(re.search(r"(?i)\bnot\b|cannot", anchor.group(0)))
                inherited_negation = k > 0 and negated and not re.match(r"(?i)\s*(?:\(\w+\)\s*)?not\b", piece)
                prefix = "not " if own_negation or (anchor is None and inherited_negation) else ""
                out.append(_Unit(q_start, q_end, party, a_start, p_start != p_start0, prefix))
        return out


def _strip_lead_en(text: str, start: int, end: int) -> int:
    m = re.match(r"(?i)(?:and|or|but|also|further(?:more)?|in\s+addition|then)\b[\s,]*", text[start:end])
    return start + m.end() if m else start


def _sentences_en(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    s = start
    for m in re.finditer(r"(?<=[.;!?])\s+(?=[A-Z(\"“0-9])|;\s*|\n\s*|:\s+(?=[A-Z])", text[start:end]):
        e = start + m.start()
        if text[s:e].strip():
            out.append((s, e))
        s = start + m.end()
    if text[s:end].strip():
        out.append((s, end))
    return out


def _split_en(text: str, start: int, end: int, imperative: bool = False) -> list[tuple[int, int]]:
    seg = text[start:end]
    first = _EN_MODAL.search(seg)
    after = first.end() if first else (0 if imperative else len(seg))
    verb = (
        re.match(r"\s*(?:also\s+|jointly\s+)?([a-z]+)", seg[after:])
        if first
        else re.match(r"\s*([A-Za-z]+)", seg)
    )
    main_verb = verb.group(1).lower() if verb else ""
    parts = []
    s = 0
    for m in _EN_SPLIT.finditer(seg):
        if m.start() < after:
            continue
        nxt = re.match(r"\s*(?:shall\s+|will\s+|must\s+|to\s+|also\s+)?([a-z]+)", seg[m.end() :])
        if nxt and nxt.group(1).lower() == main_verb:
            continue  # "pay the fees ... and pay the losses": one verb, a list of objects
        # Lists of objects under one verb stay together: only split before another verb phrase.
        if m.start() - s < 12:
            continue
        if (
            "," not in m.group(0)
            and len(seg[max(s, after) : m.start()].split()) <= 4
            and not re.match(r"\s*(?:shall|will|must)\b", seg[m.end() :])
        ):
            continue  # "defend, indemnify and hold harmless" / "complete its due diligence and provide"
        parts.append((start + s, start + m.start()))
        s = m.end()
    parts.append((start + s, end))
    return parts
