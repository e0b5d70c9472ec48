"""Chinese commitment rules: sentences cut at commas and before 并 + verb; subjects, cues and verbs."""

from __future__ import annotations

import re

from ..model import Clause
from .shared import LEAD_IN_WINDOW, Lines, Unit, bounded, trim

_ZH_VERBS = (
    "办理|取得|组织|提供|负责(?!人)|开始|指定|建立|开设|培训|完成|提交|支付|付清|付|承担|负担(?![和与及、])|协助|配合|接受|开展|建设|共建|设立|推动|推进|"
    "促进|参与|选派|派遣|派|制定|编制|审核|审定|审查|确认|保证|保障|确保|落实|实施|执行|报送|上缴|退还|归还|退回|准备|归档|"
    "保存|保管|维护|通知|告知|发布|报道|扩大|加强|给予|支持|创造|安排|聘请|选聘|招收|招生|颁发|交付|进行|召开|举办|申请|"
    "申报|协调|监督|检查|验收|使用|管理|遵守|遵循|做好|作出|做出|成立|修改|指定|授权|签订|签署|发给|传真|转拨|拨付|下拨|"
    "汇至|汇入|汇|开具|核算|实行|用于|资助|捐赠|捐资|投入|投资|出资|筹集|承办|共享|联合|牵头|争取|帮助|指导|服务|保密|"
    "购买|采购|运行|运营|维修|设计|研发|开发|转化|孵化|培养|引进|推荐|输送|对接|组成|编写|制作|反馈|报告|汇报|公示|建成|"
    "打造|搭建|构建|共同|协同|整合|统筹|优先|吸纳|接收|录用|聘任|补偿|赔偿|偿还|缴纳|缴|提请|报请|备案|登记|注册|"
    "开放|改造|新建|扩建|配备|配套|投放|派驻|挂职|授予|给与|不得|严格|按时|按期|及时|认真|积极|"
    "变更|转包|转让|泄露|披露|挪用|截留|占用|出租|出借|调整|更换|撤回|中止|终止|公开|复制|许可|"
    "擅自|私自|分包|抵押|销售|宣传|招聘|移交|交纳|清算|核查|评估|考核|整改|维护|更新|升级|部署|安装|调试|"
    "培育|设置|开通|共建|共享|互派|互聘|承接|主办|参加|出席|组建|筹建|建立健全|完善|制订|起草|审批|批准|"
    "预付|垫付|上报|呈报|寄送|送达|销毁|传授|服从|处理|沟通|交流|联系|磋商|细化|录取(?![专名通])"
)
# A verb cut by a hard line wrap ("建\n立") is still that verb: a break may fall between its characters.
_WRAP = r"(?:\n[ \t\u3000]*+)?"
_ZH_VERB_RE = re.compile(
    "(?:"
    + "|".join(
        _WRAP.join(re.findall(r"[\u4e00-\u9fff](?:\(\?[!=<][^)]*\))?", alt)) for alt in _ZH_VERBS.split("|")
    )
    + ")"
)
_ZH_MODAL = re.compile(
    r"应当|应该|(?<![相对供适反响回答])应(?![得用收付有届])|必须|(?<!必)须|(?<!所)需(?!要|求)|将|务必|负责(?!的)|承诺|保证|确保|不得|"
    r"不应|不准|禁止|有义务|有责任|同意|承担(?!的)|(?<![减加重])负担(?![的和与及、])|每年|每半年|每学期|每季度|每月|"
    # 要 as "shall" ("甲方要研究制订…"), not 需要, 主要, 要求, 重要 …
    r"(?<![需主重只想必总纲])要(?![求素点是件闻])"
)
# A subject described by what it is ("为…留学人员", "是…企业法人").
_ZH_IS_ROLE = re.compile(r"(?:为|是|系)[^，,。；;]{0,40}?(?:人员|单位|机构|成员|法人|医师|企业|平台)\s*")
# The label of a field before its colon ("服务内容", "付款方式", "交货地点").
_ZH_FIELD_LABEL = re.compile(
    r"\s*(?:[\u4e00-\u9fff]{1,8}(?:内容|周期|方式|地点|时间|名称|标准|要求|范围|期限|日期|金额|数量|对象|目标)"
    r"|电话|传真|地址|邮编|邮政编码|开户行|开户银行|帐号|账号|税号|联系人)\s*"
)
# What is left of a list's lead-in once its subject is read ("甲方同意：", "乙方还同意：", "丙方应负责：").
_ZH_LEAD_IN_ONLY = re.compile(
    r"\s*(?:还|也|均|并)?(?:同意|承诺|保证|应当|应|须|必须|负责|应负责|应当负责)\s*"
)
_ZH_INTENT = re.compile(
    r"^(?:为了|为实现|为确保|为此)|诚恳邀请|邀请|希望|意向|拟(?!定)|签字(?![各双]方)|盖章|签章|主要包括|包括[：:]?$"
)
_ZH_RIGHT = re.compile(r"有权|可以|可(?![能靠行持])|享有|有权利|免于|无需|不必|无须|方可|方能")
# Remedies the other side may apply when a condition is met ("甲方将适当减少或暂停支付经费").
_ZH_REMEDY = re.compile(r"减少|暂停|停止|追回|扣回|收回|扣除")
_ZH_LIABILITY = re.compile(
    r"承担[^，,。；]{0,20}(?:法律|违约|相应|相关|一切|经济)?责任|追究[^，,。；]{0,24}责任|"
    # "责任由甲方承担": generic liability written the other way round
    r"责任(?:均|全部|概)?由[^，,。；]{1,12}承担"
)
_ZH_GENERIC_LOSS = re.compile(r"(?:一切|相应的?)损失|相应(?:的)?赔偿|予以赔偿")
_ZH_BOILER = re.compile(
    r"(?:合同|协议|正本|副本|文本)[^。；]{0,12}?一式[^，。；]{0,6}份|发生(?:纠纷|争议)|签字盖章后生效|签字盖章之日起|盖章后生效|同等(?:法律)?效力|未尽事宜|协商解决|仲裁|人民法院|起诉|"
    r"自[^，。；]{0,12}之日起生效|解释权|法律效力|另行(?:协商|约定|签订)|(?<!签订)(?<!制定)补充(?:协议|规定)|各执|各持|诉讼|(?<!协)调解|"
    r"方能生效|后生效|即生效|起生效|变更[^。；]{0,12}协商一致|特(?:此)?(?:签订|订立|签署)本|[（(](?:公章|盖章|签章|签字|签名)[)）]|"
    # term, modification and assignment boilerplate
    r"有效期(?:为|自|限)|期满[^。；]{0,10}(?:续签|终止|延长)|自动(?:续期|延长)|(?:本协议|本合同)[^。；]{0,10}(?:变更|修改)[^。；]{0,20}书面|"
    r"书面[^。；]{0,12}(?:变更|修改)(?:本协议|本合同)|转让[^。；]{0,12}(?:本协议|本合同|权利(?:和|及|与)?义务)"
)
_ZH_BOILER_HEADING = re.compile(
    r"(?:合作|协议|合同|联营)期限|争议|法律适用|协议文本|合同文本|效力|附则|其他|其它|通知|送达|生效|份数|解决"
)
_ZH_CONNECT = re.compile(r"^(?:并且|并|且|同时|另外|此外|以及|还应|还|也|则|和)")
# 时 of 小时 is no "when": "在签约后二十四小时内…" is a time limit, not a condition
_ZH_COND = re.compile(r"^(?:如果|如|若|倘若|假如|一旦|凡|因|由于|当|在[^，,]{0,20}(?:(?<!小)时|的情况下))")
_ZH_ADVERB = re.compile(
    r"^(?:[在于自从当][^，,、]{0,14}?(?:之前|以前|前|之后|以后|后|之内|以内|内|(?<!小)时|过程中|期间|期内)(?=[\u4e00-\u9fff]|$)|"
    r"[^，,、]{0,10}?[0-9０-９一二三四五六七八九十两_]+\s*(?:个)?(?:工作日|周日|小时|日|天|周|星期|月|年)(?:之内|以内|内|后|前)|"
    r"[^，,、]{1,8}?(?:签订|签署|生效|完成|到位|合格|结束)(?:之)?后|按进度|按要求|及时|按时|按期|积极|认真|全面|主动|分期分批|"
    r"定期|共同|另行|切实|严格|尽快|立即|每年|每半年|每学期|每季度|每月|均|也|还|再|都|务必|一次性|专门|负责|应当|应|须|"
    r"需|必须|将|要|全力|优先|及早|尽力|同意|先|另|亦|一并|分别|逐步|适时|择优|最迟|最晚|不迟于|不晚于|"
    r"合理|妥善|如实|足额|全额|无偿|免费|依法|全部|自愿|本着[^，,、]{0,16}?(?:原则|精神)|"
    # a date, perhaps with blanks to fill in, before the action ("一九____年____月偿还____元")
    r"(?:于|在)?[0-9０-９一二三四五六七八九〇零_＿ \t\n]{1,12}年(?:[0-9０-９一二三四五六七八九十_＿ \t\n]{1,8}月)?"
    r"(?:[0-9０-９一二三四五六七八九十_＿ \t\n]{1,8}[日号])?(?:之?前|以前|底前?|内)?)++"  # possessive: adverbs once read are kept
)
# A time phrase before the subject: a date or month (with blanks), a time of year, "…后" / "…前".
_ZH_TIME_FIRST = re.compile(
    r"(?:每年|每学期|每季度|每月)?[0-9０-９一二三四五六七八九十〇零_＿]{1,12}(?:年|月)(?:[0-9０-９一二三四五六七八九十_＿]{1,6}[月日号])?"
    r"(?:底|末|初|中旬)?(?:之?前|以前|之?内|以内)?|每年(?:年底|年初|年末)(?:之?前)?"
)
_ZH_STATED = re.compile(
    r"[\u4e00-\u9fff]{0,8}?(?:费|费用|经费|金额|价款|报酬|期限|时间|地点|方式|标准|数量|比例)(?:为|是|系)(?![\u4e00-\u9fff]{0,4}方)"
)
# Prepositions and verbs of going ("到甲方生产现场调试") that open a phrase whose verb comes later.
_ZH_PREP = re.compile(r"^(?:向|为|对|给|与|同|跟|从|把|将|按照|按|根据|依据|依照|会同|通过|就|在|到|赴|前往)")
# "双方单位间共享…", "由双方相关院系磋商确定": the parties' own units act for the parties together.
_UNITS_OF_PARTIES = re.compile(r"(?:相关)?(?:单位|院系|部门)(?:之?间)?(?!的)")
_NOUN_AFTER_PARTY = re.compile(
    r"的|教员|教师|人员|单位|代表|员工|职工|名称|账户|帐户|负责人|所属|所在|方面|原因"
)
# A line break after a comma is a hard wrap inside one sentence, not a sentence end.
# A full-width full stop (．) ends a sentence in older texts, except after a digit ("１．" numbers).
_ZH_SENTENCE_END = re.compile(r"[。；;！？!?]|(?<![0-9０-９])．|(?<![，,、\s])\n")
_INLINE_MARKER = re.compile(
    r"(?:[（(](?:[一二三四五六七八九十]{1,3}|[0-9０-９]{1,2})[)）]|(?:[一二三四五六七八九十]{1,3}|[0-9０-９]{1,2})、)[ \t\u3000]*+"
)
# Bodies the parties form together (管理委员会, 联合工作小组, 联席会议): their duties are the parties'.
_ZH_JOINT_BODY = (
    r"(?:联合|共同)?(?:管理|指导|专家|协调|领导|工作|执行|项目|合作|战略)?"
    r"(?:委员会|领导小组|工作小组|工作组|协调小组|联席会议)"
)
_ZH_JOINT_BODY_RE = re.compile(_ZH_JOINT_BODY)
_ZH_FORMS_BODY = re.compile(r"(?:组成|组建|成立)" + _ZH_JOINT_BODY + r"\s*$")
# A role the agreement makes a party besides 甲方/乙方 ("经甲方、乙方、保证人三方协商一致"): its
# undertakings ("保证人须与乙方经常保持联系") are that party's.
_ZH_ROLE_PARTY = re.compile(
    r"(?:甲方|乙方|丙方)、[^。；\n]{0,8}?(保证人|担保人)(?:[（(][^)）]{0,6}[)）])?[三四]方"
)
# A party whose name says it is the students ("丙方:(学生)"): "乙方学生" names that party.
_ZH_STUDENT_NAME = re.compile(r"^[（(]?(?:学生|实习生|学员)[)）]?$")
_OBJ_BEFORE = set("向给对为与和同跟及或把经请由的、被让使令")


# Verbs after a comma that go on with the undertaking before them: its result, its aim, a grant.
_ZH_CONTINUES = re.compile(r"授权|许可|争取|取得")


class ZhFinder:
    def __init__(
        self,
        text: str,
        labels: list[str],
        n_parties: int,
        party_names: list[tuple[str, str | None]] | None = None,
    ) -> None:
        self.text = text
        self.lines = Lines(text)
        role = _ZH_ROLE_PARTY.search(text)
        if role is not None and role.group(1) not in labels:
            labels = [*labels, role.group(1)]
            n_parties += 1
        self.n_parties = n_parties
        # "乙方学生" for the party the students are, when another party is their school
        self.members: dict[str, str] = {}
        for label, name in party_names or []:
            if name and _ZH_STUDENT_NAME.match(name.strip()):
                for other in labels:
                    if other != label and other.endswith("方"):
                        for noun in ("学生", "实习生", "学员"):
                            self.members[other + noun] = label
        collective = [
            "甲乙双方",
            "甲、乙双方",
            "甲乙丙三方",
            "甲、乙、丙三方",
            "甲、乙、丙各方",
            "甲、乙、丙、丁四方",
            # the signatories as a whole ("签字各方保证遵照执行")
            "签字各方",
            # whichever party breaches ("违约方应向另一方支付违约金"): either (README, Party)
            "违约方",
            "签字双方",
            "签约各方",
            "签约双方",
            "缔约各方",
            "缔约双方",
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
            # the two parties named by their kinds ("校企双方" school and enterprise, "政校双方" …)
            "校企双方",
            "校地双方",
            "政校双方",
            "政企双方",
            "院企双方",
            "院地双方",
            "银企双方",
            "中外双方",
        ]
        names = sorted(set(labels + collective + list(self.members)), key=len, reverse=True)
        self.mention_re = re.compile(
            r"([\u4e00-\u9fff]{2,12}的一方)|("
            + "|".join(re.escape(n) for n in names)
            + r"|(?<![另任何])一方|"
            + _ZH_JOINT_BODY
            + ")"
        )
        self.labels = labels

    def norm(self, mention: str) -> str:
        if _ZH_JOINT_BODY_RE.fullmatch(mention):
            return "all" if self.n_parties > 2 else "both"  # a body the parties form acts for them
        if mention.endswith("双方"):
            if self.n_parties > 2 and mention in ("甲乙双方", "甲、乙双方"):
                return "甲乙双方"  # two of three or more parties: the group as written
            return "both"
        if mention.endswith(("各方", "三方", "四方")):
            return "all" if self.n_parties > 2 else "both"
        if mention in ("任何一方", "任一方", "一方", "违约方"):
            return "either"
        return self.members.get(mention, mention)

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
            own_start = max(own_start, own_end - LEAD_IN_WINDOW)  # the lead-in ends the parent's text
            own = self.text[own_start:own_end]
            if re.search(r"[：:]\s*$", own):
                # The list's lead-in names who acts: the last explicit subject before the colon.
                found: str | None = None
                for s_start, s_end in _sentences_zh(self.text, own_start, own_end, self.lines):
                    for p_start, p_end in _pieces_zh(self.text, s_start, s_end):
                        subj, _ = self.subject(p_start, p_end)
                        if subj is not None:
                            found = subj
                if found is not None:
                    return found
            parent = parents[parent]
            hops += 1
        return None

    def undertaking_heading_start(self, clause: Clause, own_start: int) -> int:
        """Where the clause's own text starts when its heading is an undertaking, else ``own_start``.

        A heading with a contracting party as subject and a modal ("甲方应以如下方式支付经费：") is the
        undertaking itself (its items are amounts or blanks), not a title.
        """
        head = clause.heading or ""
        if len(head) < 6:
            return own_start
        at = self.text.find(head, clause.start, own_start)
        if at < 0:
            return own_start
        subj, pred_at = self.subject(at, at + len(head))
        if subj is None:
            return own_start
        if _ZH_MODAL.search(head) is not None:
            return at
        # A short item with no full stop is read as a title ("２、甲方向乙方支付软件单价"): it is an
        # undertaking when the party is followed by its verb, not a noun phrase ("乙方提供的服务").
        rest = self.text[at + pred_at : at + len(head)]
        prep = _ZH_PREP.match(rest)
        verb = _ZH_VERB_RE.match(rest) or (prep and _ZH_VERB_RE.search(rest, prep.end()))
        return at if verb and "的" not in rest else own_start

    def boilerplate_heading(self, heading: str) -> bool:
        return (
            bool(heading) and bool(_ZH_BOILER_HEADING.search(heading)) and not re.search("责任|义务", heading)
        )

    def subject(self, start: int, end: int) -> tuple[str | None, int]:
        """Party that is the grammatical subject of the piece, and where the predicate begins."""
        piece = self.text[start:end]
        lead = _ZH_CONNECT.match(piece)
        offset = lead.end() if lead else 0
        # "每年4月底前理大提供…": a time phrase may come before the subject.
        timed = _ZH_TIME_FIRST.match(piece, offset)
        after_time = timed.end() if timed else -1
        for m in self.mention_re.finditer(piece):
            if m.start() > 24:
                break
            before = piece[m.start() - 1] if m.start() > 0 else ""
            name = m.group(0)
            if _NOUN_AFTER_PARTY.match(piece, m.end()) and not (
                name.endswith(("双方", "各方")) and _UNITS_OF_PARTIES.match(piece, m.end())
            ):
                continue  # "甲方教员" / "甲方的" name something of the party, not the party
            if m.start() <= offset or m.start() == after_time or before in "，,：: \t" or before == "由":
                # "甲方和乙方" / "乙方和甲方将" name two subjects: the parties jointly.
                rest = piece[m.end() :]
                either = re.match(r"或(" + self.mention_re.pattern + ")", rest)
                if either and m.group(1) is None and either.group(2) is None:
                    # "甲方或丙方应…": one of two named parties, written as the group when there are more
                    if self.n_parties > 2:
                        return name + either.group(0), m.end() + either.end()
                    return "either", m.end() + either.end()
                pair = re.match(r"(?:和|与|及|、)(" + self.mention_re.pattern + ")", rest)
                if pair and m.group(1) is None:
                    return (
                        "all" if self.n_parties > 2 and "以及" in rest[:30] else "both"
                    ), m.end() + pair.end()
                units = _UNITS_OF_PARTIES.match(piece, m.end()) if name.endswith(("双方", "各方")) else None
                return (name if m.group(1) else self.norm(name)), (units.end() if units else m.end())
            if before in _OBJ_BEFORE:
                continue
        return None, offset

    def condition_party(self, piece: str) -> str | None:
        """The party a condition opens with ("如甲方…", "若乙方的…"), if any."""
        cond = _ZH_COND.match(piece.lstrip())
        if cond is None:
            return None
        m = self.mention_re.match(piece.lstrip(), cond.end())
        if m is None:
            return None
        return m.group(0) if m.group(1) else self.norm(m.group(0))

    def sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        return _sentences_zh(self.text, start, end, self.lines)

    def parts(self, start: int, end: int) -> list[tuple[int, int]]:
        return [trim(self.text, start, end, " \t\n，,：:、", " \t\n，,。；;：:、")]

    def guess_party(
        self, start: int, end: int, inherited: str | None, fallback: str | None
    ) -> tuple[str | None, str]:
        """Who a span binds, and where that came from (subject, heading, previous), for spans the rules left."""
        for p_start, p_end in _pieces_zh(self.text, start, end)[:3]:
            subj, _ = self.subject(p_start, p_end)
            if subj is not None:
                return subj, "subject"
        if inherited is not None:
            return inherited, "heading"
        if fallback is not None:
            return fallback, "previous"
        if re.search(r"双方|共同", self.text[start:end]):
            return ("all" if self.n_parties > 2 else "both"), "jointly"
        return None, "none"

    def units(self, start: int, end: int, inherited: str | None, fallback: str | None = None) -> list[Unit]:
        text = self.text
        out: list[Unit] = []
        last_subject: str | None = None
        for s_start, s_end in _sentences_zh(text, start, end, self.lines):
            sentence = text[s_start:s_end]
            pieces = _pieces_zh(text, s_start, s_end)
            boiler_end = -1
            for bm in _ZH_BOILER.finditer(sentence):
                boiler_end = s_start + bm.end()
            if boiler_end >= 0:
                # "本协议书自公证之日起生效，签字各方保证遵照执行": an undertaking with its own subject
                # after the boilerplate is still read; otherwise the sentence is boilerplate.
                pieces = [p for p in pieces if p[0] >= boiler_end]
                if not pieces or self.subject(*pieces[0])[0] is None:
                    continue
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
                if not groups and not first_piece and not modal and _ZH_COND.match(piece):
                    # "合同期满，如甲方的指导没有达到要求，…": a condition after a time phrase
                    cond_mode = first_piece = True
                if (
                    cond_mode
                    and not piece.startswith("则")
                    and subj is None
                    and (
                        first_piece
                        or re.search(r"(?:(?<!小)时|的|后|前|情况下|之一)\s*$", piece)
                        or re.match(r"或|且", piece)
                    )
                ):
                    prefix_start = p_start if prefix_start is None else prefix_start
                    if first_piece and current_party is None:
                        # "如甲方中止执行合同，应赔偿…": who the condition is about owes the consequence.
                        current_party = self.condition_party(piece)
                    first_piece = False
                    continue
                first_piece = False
                cond_mode = False
                if subj is None and not groups and _ZH_FORMS_BODY.search(piece):
                    # "由…共同组成管理委员会，负责制定…": the body the parties form does what follows
                    current_party = "all" if self.n_parties > 2 else "both"
                    groups.append(
                        [prefix_start if prefix_start is not None else p_start, p_end, p_start, 1, 0, 0]
                    )
                    group_party.append(current_party)
                    continue
                if (
                    not groups
                    and subj is None
                    and not modal
                    and _ZH_FIELD_LABEL.fullmatch(piece)
                    and re.match(r"\s*[：:]", text[p_end : p_end + 2])
                ):
                    dead = True  # "服务内容：…", "付款方式：…": a field of the form, not an action
                    continue
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
                if modal and re.match(r"(?:必须|须|应当|应)(?:是|系)", piece[modal.start() :]):
                    dead = True  # "乙方学生必须是高职生": a requirement on what is provided, not an action
                    continue
                adv = _ZH_ADVERB.match(rest)
                core = rest[adv.end() :] if adv else rest
                if not modal and (
                    not core.strip()
                    or re.search(r"(?:(?<!小)时|的时候|之后|以后|后|之前|前|的|期间)\s*$", piece)
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
                    # "设计费用为人民币…元": a sum, time or manner stated, even when a verb names it
                    or _ZH_STATED.match(core)
                    or re.match(r"(?:包括|例如|比如|如|即|含|其中)", piece)
                    # "乙方为（国家或单位）公派出国留学人员": what the party is, not what it does
                    or _ZH_IS_ROLE.fullmatch(core)
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
                if (
                    groups
                    and subj is None
                    and not modal
                    and not connector
                    and not adv
                    and not prep
                    and (not verb_start or _ZH_CONTINUES.match(core))
                ):
                    # Words after a comma that open no new verb ("…，以市小学为主") continue the undertaking;
                    # a new verb is a new action ("提供指导，帮助乙方建立…机制" are two), except the result
                    # or aim of the one before ("办理审批手续，取得批文") and grants ("授权其…").
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
                q_start, q_end = trim(text, g_start, g_end, " \t\n，,：:、", " \t\n，,。；;：:、")
                if q_end - q_start < 4:
                    continue
                if _ZH_LEAD_IN_ONLY.fullmatch(text, max(a_start, q_start), q_end) and re.match(
                    r"\s*(?:[：:]\s*$|[，,]\s*\S)", text[q_end:s_end]
                ):
                    # "…，甲方同意：" opens a list: its items are the undertakings; "乙方承诺，将…": the
                    # action after the comma is the undertaking, with this subject
                    continue
                out.append(Unit(q_start, q_end, party, max(a_start, q_start)))
            if group_party and group_party[0]:
                last_subject = group_party[-1]
        return out


def _sentences_zh(text: str, start: int, end: int, lines: Lines | None = None) -> list[tuple[int, int]]:
    out = []
    s = start
    for m in _ZH_SENTENCE_END.finditer(text, start, end):
        if m.group(0) == "\n" and lines is not None and lines.wraps(m.start()):
            continue  # a hard-wrapped line, not a sentence end
        e = m.start()
        if text[s:e].strip():
            out.append((_past_space(text, s, e), e))
        s = m.end()
    if text[s:end].strip():
        out.append((_past_space(text, s, end), end))
    return bounded(text, out)


def _past_space(text: str, start: int, end: int) -> int:
    """A sentence starts at its first character: a clause number alone on its line ("第二条\n\n乙方人员…")
    leaves the blank lines before the text, where no subject would be read."""
    at = start
    while at < end and text[at].isspace():
        at += 1
    return at if "\n" in text[start:at] else start


def _pieces_zh(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    s = start
    for m in re.finditer(
        r"[，,：:]|(?<=[^\s，,：:])(?=并(?:且|通过|按照|按|向|为|在|及时|负责|接受|上缴|退还|提交|支付|报送|归还|将))"
        # a comma lost in flattened text: "制订双向转诊管理办法建立…渠道" are two actions
        r"|(?<=办法|制度|机制|方案)(?=建立|制定|制订|开展|完善|组织|提供)",
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
    # Pieces start at their first visible character, so "piece start" tests see the subject; an
    # enumeration marker run into the text ("。(二)甲方接受…", flattened lists) is no part of the piece.
    trimmed = []
    for a, b in merged:
        while a < b and text[a] in " \t\u3000":
            a += 1
        marker = _INLINE_MARKER.match(text, a, b)
        if marker and marker.end() < b:
            a = marker.end()
        trimmed.append((a, b))
    return trimmed
