"""Finding a party named in an agreement among the organisations of the registry.

A name as written (重庆大学, 重大, Chongqing University, CQU, 重庆大学建筑城规学院, "the City of Bozeman")
is compared with every name the registry holds for an organisation — Chinese and English names,
short names, former names and aliases — through keys that make spelling differences vanish: folded
width and case, dropped punctuation, legal suffixes and articles, and for Chinese names a reading in
English (pinyin for the place, words for the kind of body: 大学 → university). Close spellings are
scored with rapidfuzz. Each answer carries a confidence and a reason code; two organisations that fit
equally well make the answer ambiguous, and a name that fits none is proposed as a new organisation
with a kind guessed from its name (or as a new unit when it starts with a known organisation's name).

Pure: no database. ``RegistryOrg`` rows are handed in by the caller.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import opencc
from rapidfuzz import fuzz, process

from accord.bibliography.names import pinyin

#: Answers at or above this confidence are taken without asking; below it a person confirms.
SURE = 0.85
#: A Chinese name that meets a registry name only by its sound (pinyin): asked, never taken.
SOUND = 0.8
#: Below this no registry organisation is proposed at all.
POSSIBLE = 0.6
#: Least rapidfuzz ratio for a similar name, over the whole key and over its distinctive words.
FUZZY_CUTOFF = 85
#: Two candidates closer than this are equally good: the answer is ambiguous.
TIE = 0.03


@dataclass(frozen=True)
class RegistryOrg:
    """One organisation as the resolver sees it."""

    id: int
    name_zh: str | None = None
    name_en: str | None = None
    short_names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # former names and other names people use
    parent_id: int | None = None
    kind: str = "other"


@dataclass(frozen=True)
class Candidate:
    organisation_id: int
    confidence: float
    reason: str  # exact | alias | short_name | abbreviation | translation | similar | unit_of
    matched: str  # the registry name that fitted


@dataclass(frozen=True)
class Resolution:
    """What the registry holds for one written name."""

    name: str
    organisation_id: int | None
    confidence: float
    reason: str  # as in Candidate, or "ambiguous", "new", "new_unit", "empty"
    candidates: tuple[Candidate, ...] = ()
    new_kind: str | None = None  # kind guessed for a new organisation
    new_parent_id: int | None = None  # for a new unit of a known organisation
    matched: str = ""

    @property
    def sure(self) -> bool:
        return self.organisation_id is not None and self.confidence >= SURE


# Kinds of organisation --------------------------------------------------------------------------

# The rightmost Chinese keyword names the body (重庆大学附属三峡医院 is a hospital, 万州区教育委员会 a
# government body); each pattern lists that kind's usual endings.
_ZH_KINDS = (
    (
        "hospital",
        r"医院|卫生院|诊所|保健院|卫生服务中心|卫生服务站|卫生室|卫生所|门诊部|急救中心|血站|血液中心|疗养院|"
        r"康复中心|医疗中心|医学中心|疾病预防控制中心|疾控中心|精神卫生中心|防治院|防治中心|妇幼保健[\u4e00-\u9fff]{0,8}中心",
    ),
    ("university", r"大学|学院|职业技术学院|大学堂|高等专科学校|专科学校|研究生院"),
    (
        "other",
        r"中学|小学|幼儿园|学校|职教中心|技工学校|技师学院|技工学院|图书馆|博物馆|纪念馆|文化馆|科技馆|美术馆|电视台|广播电台|"
        r"党校|养老院|福利院|敬老院|剧院|(?:医师|医生|教师|律师|个人|自然人)$",
    ),
    (
        "government",
        r"人民政府|政府|委员会|管委会|管理委员会|局|厅|部|办公室|办事处|街道|人民代表大会|法院|检察院|委|"
        r"派出所|海关|管理处|大使馆|使馆|领事馆|署$|^中国人民银行|村委会|居委会|党委|纪委|政协|常委会|监督所|司法所|公证处|支队|大队|总队|"
        r"开发区|高新区|新区|自贸区|保税区|示范区|试验区|管理区|"
        r"(?:镇|乡|县|市|省|自治区|自治州|地区|(?<![小景校])区)$",
    ),
    (
        "enterprise",
        r"有限责任公司|股份有限公司|有限公司|公司|集团|厂|商行|事务所|合作社|银行|酒店|工作室|企业|商店|"
        r"出版社|报社|经营部|农场|养殖场|种植场|林场|牧场|渔场|控股|分行|支行|营业部|药房|药店|宾馆|饭店|旅行社",
    ),
    (
        "government",
        r"政务服务中心|政务中心|公共资源交易中心|行政服务中心|便民服务中心",
    ),
    (
        "institute",
        r"研究院|研究所|研究中心|实验室|科学院|工程院|设计院|检测中心|检验中心|规划院|勘察院|勘测院|"
        r"测绘院|检测院|计量院|技术转移中心|工程技术中心|超算中心|计算中心",
    ),
    ("other", r"基金会|协会|学会|研究会|联合会|促进会|商会|联盟|中心|社|会"),
)
#: Words that name a unit inside a body (its office, department, centre): a name that ends in one takes
#: the kind of the body named before it (重庆大学国际合作部 is a university's, 某某公司技术中心 a company's).
_ZH_UNIT_WORDS = frozenset({"部", "处", "科", "室", "办公室", "办", "中心", "系", "所", "部门", "分部", "委"})
_EN_KINDS = (
    (
        "hospital",
        r"hospital|medical cent(?:er|re)|cancer cent(?:er|re)|clinic|health(?:care)? system|infirmary|"
        r"\bnhs\b|hospice|h[ôo]pital|h[ôo]pitaux|klinikum|krankenhaus|\bklinik\b|ospedale|clinique|"
        # Hospital systems named "X Health" and a cancer centre called an institute; not a ministry's
        # "of Health" nor the government's National Cancer Institute.
        r"(?<!\bof )(?<!public )\bhealth$|^(?!(?:the\s+)?national\b)[\w.\- ]{0,60}\bcancer institute$|"
        # "Providence Health & Services", "Catholic Health Services of Long Island": a hospital system,
        # not a department "of Health Services" nor the Indian Health Service.
        r"(?<!\bof )(?<!public )(?<!indian )\bhealth (?:(?:&|and) )?services(?: of [\w.' ]{2,40})?$",
    ),
    (
        "other",
        r"high school|middle school|elementary school|primary school|secondary school|grammar school|"
        r"kindergarten|preschool|\b(?:theat(?:re|er)|opera|ballet|dance) company\b|^[\w.'\- ]{0,60}(?<!military )(?<!naval )(?<!force )(?<!guard )(?<!marine )\bacademy$",
    ),
    ("government", r"school district|public schools|board of education"),
    (
        "university",
        r"university|college|school|polytechnic|academy of sciences and technology|conservatory|"
        r"institute of technology|board of regents|universit[äéàeyaà]\w*|universidad\w*|hochschule|"
        r"polytechnique|politecnico|\bhögskola|\binstitutet$|^instituto (?:polit[eé]cnico|tecnol[oó]gico|superior|universit[aá]rio)\b|"
        # Higher-education institutes named so in Indonesian and French (ITB, INSA, INP).
        r"^institut (?:teknologi|sup[ée]rieur|national (?:des sciences appliqu[ée]es|polytechnique))\b|"
        r"(?:military|naval|air force|coast guard|merchant marine) academy|academy of (?:music|fine arts|art)\b",
    ),
    (
        "government",
        r"government|city of|county|municipal|ministry|bureau|department|district|commission|"
        r"state of|province|council|authority|agency|administration|township|village of|town of|"
        r"municipality|prefecture|embassy|consulate|tribal|\btribe\b|republic of|kingdom of|borough|"
        r"region of|police|commonwealth of|shire of|customs|^(?:the\s+)?office\s+of\b|"
        r"(?<!law )\boffice$|\bboard\b|\bconfederation$|^(?:the\s+)?federal republic\b|\bfederal office\b|"
        # A government's national services and science foundations (not "National Kidney Foundation").
        r"^(?:the\s+)?(?:united states\b|u\.s\.|national\b|internal\b)[\w.\- ]{0,60}\bservices?$|"
        # Services a government's words name (Agricultural Research Service, Indian Health Service; a
        # company's "Research Services" is plural), its "Centers for" agencies and geological surveys.
        r"\b(?:research|inspection|conservation|extension|agricultural marketing|forest|park|weather|wildlife|fisheries|"
        r"postal|marshals|secret|revenue|agricultural|meteorological|geological|prison|probation|"
        r"indian health|public health)\s+service$|\b(?:immigration|medicaid)\s+services$|"
        r"^(?:the\s+)?(?:u\.s\.\s+)?centers for\b|\b(?:geological|geodetic|hydrographic)\s+survey\b|"
        r"^(?:the\s+)?survey of\b|"
        # Courts, legislatures, ports, patrols, sheriffs, attorneys general (not "Court Square Capital").
        r"\b(?:supreme|district|circuit|appeals?|appellate|superior|municipal|county|family|federal|high|crown|"
        r"magistrates'?|people's|criminal|civil|claims|tax|bankruptcy)\s+courts?\b|\bcourts? of\b|"
        r"\blegislature\b|\bsenate$|^(?:the\s+)?(?:united states\s+|u\.s\.\s+)?senate\b|"
        r"\bhouse of (?:commons|lords|representatives|delegates)\b|\bparliament\b|\bpeople's congress\b|"
        r"^(?:the\s+)?(?:united states\s+)?congress(?: of\b|$)|\b(?:state|national|legislative)\s+assembly\b|"
        r"\b(?:bundestag|bundesrat|landtag|duma|knesset|storting|riksdag|folketing|sejm|oireachtas)\b|"
        r"^(?:the\s+)?port of\b|\b(?:highway|state)\s+patrol\b|\bsheriff\b|\battorney[- ]general\b|"
        r"\bnational guard\b",
    ),
    (
        "institute",
        r"institute|\binstitut\b|\binstituto\b|laboratory|laboratories|research cent(?:er|re)|academy|research organi[sz]ation",
    ),
    (
        "enterprise",
        r"\binc\b|incorporated|\bltd\b|limited|\bllc\b|l\.l\.c|\bcorp\b|corporation|company|\bco\.|gmbh|\bag\b|"
        r"\bab\b|\bs\.a\b|\bplc\b|\bp\.l\.c\b|\blp\b|\bllp\b|holdings|group|technologies|technology|enterprises|partners|bank|pharma\w*|"
        r"therapeutics|biosciences|biotech\w*|solutions|software|energy|motors|airlines|consulting|"
        r"\bn\.?v\b|\bb\.?v\b|s\.?r\.?l|s\.?p\.?a|pty|ventures|capital|industries|manufacturing|trading|"
        r"associates|& co\b",
    ),
    ("other", r"foundation|association|society|trust|federation|union|church|club|alliance|consortium"),
)
_EN_LEGAL_END = re.compile(
    r"(?i)(?:\binc|\bincorporated|\bltd|\blimited|\bllc|l\.l\.c|\bcorp|\bcorporation|\bco|\bgmbh|\bag|\bplc|"
    r"\bs\.?r\.?l|\bs\.?p\.?a|\bb\.?v|\bn\.?v|\bpty|\bs\.a|\bs\.a\.s|\bsarl|\ba/s|\bk\.k|\bsdn\.?\s+bhd|"
    r"\bllp|\bkg|\boy|\boyj|\bse|\bs\.e|\bp\.l\.c|\basa|\bkgaa|\baktiengesellschaft|\bberhad|\bbhd|\btbk|\ba\.ş|"
    r"\bpjsc|\bjsc|\bde\s+c\.?v|\bs\.l|\bltda|\bn\.a|,\s*national\s+association|\bbank\s+national\s+association|\bkabushiki\s+kaisha)\.?\s*$"
    # Forms written before the name: Kabushiki Kaisha Toshiba, Aktiebolaget Volvo, PT Bank Central Asia.
    r"|^(?:kabushiki\s+kaisha|\w*aktiebolag(?:et)?|pt|pjsc|jsc|ooo|oao|zao)\s"
)
#: Legal forms non-profit bodies, hospitals and universities use too (a foundation "Inc."): with one of
#: these, what the name says the body is comes first.
_EN_SHARED_FORM = re.compile(r"(?i)(?:\binc|\bincorporated|\bcorp|\bcorporation)\.?\s*$")
#: A government's science funding agency, which a foundation's name does not make a non-profit.
_EN_STATE_FOUNDATION = re.compile(r"^(?:the\s+)?national (?:natural )?science foundation\b")
_EN_NON_PROFIT = re.compile(r"\b(?:foundation|association|society|federation|chamber of commerce)\b")
#: Cultural bodies that are non-profits whatever legal form they write (New York City Ballet, Inc.;
#: The Carnegie Hall Corporation; Lincoln Center for the Performing Arts, Inc.).
_EN_CULTURAL = re.compile(
    r"\b(?:ballet|opera|orchestra|symphony|philharmonic|jazz|museum|theat(?:re|er)|performing arts|"
    r"botanic(?:al)? gardens?|zoo|zoological|aquarium|library|carnegie hall)\b"
)
#: Words of a company's line of business, which a cultural word beside them does not make a non-profit.
_EN_BUSINESS = re.compile(
    r"\b(?:company|co|group|holdings?|technolog\w*|pharma\w*|therapeutics|bio\w*|software|solutions|systems|"
    r"services|entertainment|media|studios?|games|records|cinemas?|health|capital|partners|ventures|"
    r"industries|energy|motors|bank|trading|consulting)\b"
)
_ZH_KIND_RE = [(kind, re.compile(f"(?:{pattern})")) for kind, pattern in _ZH_KINDS]
_EN_KIND_RE = [(kind, re.compile(f"(?i)(?:{pattern})")) for kind, pattern in _EN_KINDS]


def guess_kind(name: str) -> str:
    """university | government | enterprise | hospital | institute | other, from the name alone."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    if _has_han(text):
        han = simplified(re.sub(r"[（(][^）)]*[）)]", "", text))  # "（普通合伙）", "（筹）"
        found: list[tuple[tuple[int, int], int, str, str]] = []
        for kind, pattern in _ZH_KIND_RE:
            for m in pattern.finditer(han):
                found.append(((m.end(), len(m.group(0))), m.start(), kind, m.group(0)))
        if not found:
            return "other"
        # The rightmost ending wins, at one place the longer; the earlier-listed kind on a tie.
        best = max(found, key=lambda f: f[0])
        if best[3] in _ZH_UNIT_WORDS:
            before = [f for f in found if f[0][0] <= best[1] and f[3] not in _ZH_UNIT_WORDS]
            if before:
                return max(before, key=lambda f: f[0])[2]
        return best[2]
    lowered = text.lower()
    # A legal form at the end makes a company whatever else the name says ("Boxing County … Co., Ltd."),
    # but for "Inc." and "Corporation", which foundations and hospitals use too.
    if _EN_LEGAL_END.search(lowered):
        if _EN_SHARED_FORM.search(lowered):
            for kind, pattern in _EN_KIND_RE:
                if kind in ("hospital", "university") and pattern.search(lowered):
                    return kind
            if _EN_NON_PROFIT.search(lowered):
                return "other"
            base = _EN_SHARED_FORM.sub("", lowered)
            if _EN_CULTURAL.search(base) and not _EN_BUSINESS.search(base):
                return "other"  # not Jazz Pharmaceuticals, Inc. nor Zoo Entertainment, Inc.
        return "enterprise"
    for kind, pattern in _EN_KIND_RE[:4]:  # hospitals, schools and universities, by what they are
        if pattern.search(lowered):
            if kind == "university" and re.search(r"(?i)\b(foundation|research foundation)\b", lowered):
                return "other"
            return kind
    if _EN_STATE_FOUNDATION.search(lowered):
        return "government"
    if _EN_NON_PROFIT.search(lowered):
        return "other"  # "Energy Foundation": what the body is, not what it works on
    for kind, pattern in _EN_KIND_RE[4:]:
        if pattern.search(lowered):
            return kind
    return "other"


def kind_is_sure(name: str) -> bool:
    """Whether the name itself says what kind of body it is (an ending, a legal form, a keyword)."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    if _has_han(text):
        return any(pattern.search(simplified(text)) for _kind, pattern in _ZH_KIND_RE)
    lowered = text.lower()
    return bool(_EN_LEGAL_END.search(lowered)) or any(p.search(lowered) for _k, p in _EN_KIND_RE)


_EN_DESCRIBED = re.compile(r"(?i)^[\s,)\"”]*(?:\([^)]{0,40}\)[\s,]*)?(?:is\s+)?(?:a|an)\s+([^,;()\n]{3,80})")
_EN_DESCRIPTION_KINDS = (
    ("other", r"non-?profit|not[- ]for[- ]profit|charit|foundation|association|society"),
    ("hospital", r"hospital|medical cent(?:er|re)|clinic|health\s*care provider"),
    ("university", r"university|college|institution of higher (?:education|learning)"),
    ("government", r"municipal|political subdivision|public body|government|agency of|county|city"),
    ("institute", r"research institute|research organi[sz]ation|laborator"),
    ("enterprise", r"corporation|company|partnership|limited|llc|enterprise|business"),
)
_ZH_DESCRIBED = re.compile(r"^[\s，,（(]*(?:是|为|系)(?:一家|一所|一个|国内|我国)?([^，,。；;\n]{0,30})")
_ZH_DESCRIPTION_KINDS = (
    ("hospital", r"医院|医疗机构|卫生机构"),
    ("university", r"高校|高等院校|高等学校|大学"),
    ("government", r"政府部门|行政机关|政府机构|国家机关"),
    ("institute", r"科研院所|研究机构|科研机构"),
    ("enterprise", r"公司|企业|厂商"),
    ("other", r"社会组织|社会团体|非营利|民办非企业|公益"),
)


def kind_in_context(name: str, text: str) -> str | None:
    """The kind a text gives a body whose name does not say it: "Acme, a Delaware corporation";
    "X是一家高新技术企业". None when the text does not say, or says nothing that fits one kind."""
    if not name or not text:
        return None
    at = text.find(name)
    while at >= 0:
        after = text[at + len(name) : at + len(name) + 160]
        m = (_ZH_DESCRIBED if _has_han(name) else _EN_DESCRIBED).match(after)
        if m:
            described = m.group(1).lower()
            table = _ZH_DESCRIPTION_KINDS if _has_han(name) else _EN_DESCRIPTION_KINDS
            for kind, pattern in table:
                if re.search(pattern, described):
                    return kind
        at = text.find(name, at + len(name))
    return _kind_of_defined_term(name, text)


_ZH_TERM_AFTER = re.compile(
    r"^[^()（）\n]{0,60}?[（(]\s*+(?:以下|下文)?(?:简称|称)(?:为)?\s*+[：:]?\s*+[“\"「']?([^”\"」'）)\n]{1,12})[”\"」']?\s*+[)）]"
)
_EN_TERM_AFTER = re.compile(
    r"^[^()\n]{0,120}?\(\s*+(?:hereinafter\s+(?:(?:to\s+be\s+)?referred\s+(?:to\s+)?as\s+|called\s+(?:as\s+)?|known\s+as\s+)?)?(?:the\s+)?[\"“'‘]([^\"”'’\n]{1,30})[\"”'’]\s*+\)",
    re.I,
)


def _kind_of_defined_term(name: str, text: str) -> str | None:
    """The kind the term a text defines for the body says ("Sibannac (the "Company")", 某某（以下简称“医院”）),
    when the term names a kind of body."""
    at = text.find(name)
    if at < 0:
        return None
    after = text[at + len(name) : at + len(name) + 200]
    m = (_ZH_TERM_AFTER if _has_han(name) else _EN_TERM_AFTER).match(after)
    if m is None:
        return None
    term = m.group(1).strip()
    if re.fullmatch(r"[甲乙丙丁戊]方|(?i:party\s+[a-e])", term) or not kind_is_sure(term):
        return None
    return guess_kind(term)


def new_kind_in_context(name: str, text: str) -> str:
    """The kind proposed for a new organisation: its name's when the name says it, else the text's,
    else "other"."""
    guessed = guess_kind(name)
    if kind_is_sure(name):
        return guessed
    return kind_in_context(name, text) or guessed


# Keys -------------------------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u9fff]")
_ZH_NOISE = re.compile(r"[\s·•.,，、。；;:：'\"“”‘’（）()【】\[\]《》<>〈〉「」_\-—–/]+")
_ZH_BRACKETS = re.compile(r"[（(]([^（）()]{0,20})[）)]")
#: Bracketed notes that say nothing of which body it is (（筹）, （普通合伙）); any other bracketed words, such
#: as the place in 腾讯科技（深圳）有限公司 and 腾讯科技（北京）有限公司, tell two companies apart.
_ZH_NOTE = re.compile(
    r"(?:筹|筹建|筹备|特殊普通合伙|普通合伙|有限合伙|试行|暂行|盖章|公章|签章|以下简称.*|简称.*|下称.*|甲方|乙方|丙方|丁方)"
)
_EN_LEGAL = re.compile(
    r"\b(incorporated|inc|ltd|limited|llc|l l c|corp|corporation|company|co|gmbh|ag|ab|sa|plc|lp|llp|"
    r"pty|nv|bv|srl|spa|holdings?|aktiengesellschaft|se|oyj|asa|kgaa|bhd|berhad|tbk|pjsc|sas|sarl|na)\b"
)
_EN_NOISE = re.compile(r"[^a-z0-9 ]+")
_EN_LETTERS = re.compile(r"\b[a-z](?: +[a-z]\b)+")
_EN_EXPAND = {"univ": "university", "dept": "department", "govt": "government", "gov": "government",
              "intl": "international", "natl": "national", "inst": "institute", "tech": "technology",
              "ctr": "center", "centre": "center", "hosp": "hospital", "assn": "association",
              "sci": "science"}  # fmt: skip
_EN_STOP = re.compile(r"\b(the|of|and|a|an|for|in|at)\b")
# Chinese endings read in English, so 重庆大学 meets "Chongqing University" and 万州区人民政府 meets
# "Wanzhou District People's Government"; longest first.
_ZH_GLOSS = (
    ("人民政府", "peoples government"),
    ("职业技术学院", "vocational technical college"),
    ("科技大学", "university science technology"),
    ("理工大学", "university technology"),
    ("师范大学", "normal university"),
    ("医科大学", "medical university"),
    ("大学", "university"),
    ("学院", "college"),
    ("研究院", "research institute"),
    ("研究所", "institute"),
    ("医院", "hospital"),
    ("人民医院", "peoples hospital"),
    ("有限公司", "co ltd"),
    ("集团", "group"),
    ("委员会", "committee"),
    ("管委会", "administrative committee"),
    ("政府", "government"),
    ("基金会", "foundation"),
    ("中心", "center"),
    ("教育", "education"),
    ("科学技术", "science technology"),
    ("科技", "science technology"),
    ("局", "bureau"),
    ("省", "province"),
    ("市", "city"),
    ("区", "district"),
    ("县", "county"),
    ("镇", "town"),
)
_GLOSS_RE = re.compile("|".join(re.escape(zh) for zh, _en in sorted(_ZH_GLOSS, key=lambda p: -len(p[0]))))
_GLOSS = dict(_ZH_GLOSS)
_PARTY_PREFIX = re.compile(
    r"^\s*+(?:甲方|乙方|丙方|丁方|戊方|委托方|受托方|合作方|party\s+[a-e]\b|the\s+parties?)\s*+[:：]?\s*+",
    re.I,
)


def _has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def clean(name: str) -> str:
    """The name as a person would write it on a form: NFKC, one space, no role prefix or trailing punctuation."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _PARTY_PREFIX.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;；，。.:：")
    return text


#: OpenCC's traditional-to-simplified table (shipped in its wheel): 香港理工大學 meets 香港理工大学 and its
#: kind is read from 大學, whatever the characters; made on first use.
_T2S: opencc.OpenCC | None = None


def simplified(text: str) -> str:
    """``text`` in simplified characters (OpenCC ``t2s``; simplified text comes back unchanged)."""
    global _T2S
    if _T2S is None:
        _T2S = opencc.OpenCC("t2s")
    return str(_T2S.convert(text))


def zh_key(name: str) -> str:
    """Chinese name key: no spaces, punctuation or bracketed notes (（筹）, （普通合伙）), common
    traditional characters simplified."""
    text = simplified(unicodedata.normalize("NFKC", name).lower())
    text = _ZH_BRACKETS.sub(lambda m: "" if _ZH_NOTE.fullmatch(m.group(1).strip()) else m.group(1), text)
    return _ZH_NOISE.sub("", text)


def sound_key(name: str) -> str:
    """A Chinese name as it sounds (pinyin without tones): the same for its traditional and simplified
    writing, and for a character typed as another of the same sound (重庆市万洲区 for 万州区)."""
    return pinyin(zh_key(name))


def en_key(name: str) -> str:
    """English name key: lower case, no punctuation, articles or legal form (Inc., Co., Ltd.)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("&", " and ").replace("'s", "s").replace("’s", "s")
    text = _EN_NOISE.sub(" ", text)
    # Letters written with stops (S.R.L., S.p.A., B.V., J. P.) are one word: "srl", as when written without.
    text = _EN_LETTERS.sub(lambda m: re.sub(" +", "", m.group(0)), text)
    text = _EN_LEGAL.sub(" ", text)
    text = _EN_STOP.sub(" ", text)
    return " ".join(_EN_EXPAND.get(word, word) for word in text.split())


def reading(name: str) -> str:
    """A Chinese name read in English: endings translated, the rest in pinyin (重庆大学 → chongqing university)."""
    key = zh_key(name)
    words: list[str] = []
    pos = 0
    for m in _GLOSS_RE.finditer(key):
        if m.start() > pos:
            words.append(pinyin(key[pos : m.start()]))
        words.append(_GLOSS[m.group(0)])
        pos = m.end()
    if pos < len(key):
        words.append(pinyin(key[pos:]))
    return en_key(" ".join(words))


_GENERIC = re.compile(
    r"\b(university|college|institute|research|government|peoples|district|city|county|province|town|"
    r"hospital|center|group|company|committee|bureau|foundation|technology|science|international|services?|"
    r"holdings?|systems?|solutions|education)\b|^(zh|en):"
)


_ZH_NUMBER = re.compile(r"[〇零一二三四五六七八九十百两0-9]+")
#: Words many Chinese names share (legal forms, kinds of body, places' endings): what is left tells them apart.
_ZH_GENERIC = re.compile(
    r"股份有限公司|有限责任公司|有限公司|股份|公司|集团|分公司|分行|支行|大学|学院|医院|研究院|研究所|基金会|"
    r"教育发展|学会|协会|管理委员会|委员会|管委会|人民政府|政府|中心|科技|技术|中国|附属|省|市|区|县"
)


#: Provinces and the largest cities, which names often open without 省/市 (北京京东方 for 京东方).
_ZH_PROVINCE = re.compile(
    r"^(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|"
    r"四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|深圳|广州|成都|武汉|南京|杭州|"
    r"西安|沈阳|长春|哈尔滨|济南|青岛|大连|宁波|厦门|苏州)(?:省|市|自治区|特别行政区)?"
)


def _zh_close(written: str, registered: str) -> bool:
    """Whether two Chinese names that look alike may be one body written two ways: not when they carry
    different numbers (第二医院 and 第九医院, 十一局 and 十二局), nor when what is left once the words
    many names share are dropped differs by more than a slip (中国建设银行 and 中国银行, 武汉大学 and 武汉理工大学,
    华西口腔医院 and 华西医院); and a Chinese name never meets another only through their readings in pinyin."""
    if sorted(_ZH_NUMBER.findall(written)) != sorted(_ZH_NUMBER.findall(registered)):
        return False
    a, b = (_ZH_GENERIC.sub("", _ZH_PROVINCE.sub("", key)) for key in (written, registered))
    return bool(a and b) and fuzz.ratio(a, b) >= FUZZY_CUTOFF


def _distinct(key: str) -> str:
    """A key without the words many names share, and without its prefix: what tells names apart."""
    return " ".join(_GENERIC.sub(" ", key).split())


def _sorted_words(text: str) -> str:
    return " ".join(sorted(text.split()))


_ZH_PLACE = re.compile(r"[\u4e00-\u9fff]{1,7}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|盟|区|县|旗)")
_ZH_FORM_NORMAL = (("人民政府", "政府"), ("科学技术委员会", "科委"), ("科学技术", "科技"), ("有限责任公司", "公司"),
                   ("股份有限公司", "公司"), ("有限公司", "公司"), ("管理委员会", "管委会"), ("教育委员会", "教委"),
                   ("卫生健康委员会", "卫健委"), ("发展和改革委员会", "发改委"), ("经济和信息化委员会", "经信委"),
                   ("人力资源和社会保障局", "人社局"), ("市场监督管理局", "市场监管局"))  # fmt: skip


def zh_place_keys(name: str) -> list[str]:
    """A Chinese name with its leading place names dropped one at a time, as long as a place name is left:
    重庆市万州区人民政府 → 重庆市万州区政府, 万州区政府 (so "万州区人民政府" meets it, "政府" does not).
    Forms that mean the same are written one way (人民政府/政府, 科学技术/科技, 有限公司/公司)."""
    key = zh_key(name)
    for long, short in _ZH_FORM_NORMAL:
        key = key.replace(long, short)
    out = [key]
    rest = key
    while (place := _ZH_PLACE.match(rest)) is not None:
        rest = rest[place.end() :]
        following = _ZH_PLACE.match(rest)
        if following is None or following.end() >= len(rest) - 1:
            break  # no place name left in front of the body's own name
        out.append(rest)
    return out


_ZH_TRADE_WORDS = (
    "有限责任公司",
    "股份有限公司",
    "有限公司",
    "公司",
    "科技",
    "技术",
    "实业",
    "股份",
    "控股",
    "集团",
)


def _without_trade_words(key: str) -> str:
    """A company name without the words for its line of business and legal form at its end."""
    while ending := next((w for w in _ZH_TRADE_WORDS if key.endswith(w) and len(key) > len(w)), None):
        key = key[: -len(ending)]
    return key


_ZH_COMPANY = re.compile(r"(?:公司|集团)$")


def zh_trade_name(written: str, registered: str) -> bool:
    """Whether ``written`` is the trade name of the company ``registered``, as people shorten it:
    云帆公司 or 云帆科技 for 重庆云帆科技有限公司, 京东方 for 北京京东方科技集团股份有限公司 (the name
    after a short place name, without the words for its line of business and legal form)."""
    short, full = zh_key(written), zh_key(registered)
    if not _ZH_COMPANY.search(full) or len(short) > 8 or short == full:
        return False
    core = _without_trade_words(short)
    if len(core) < 2 or (core == short and len(core) < 3):
        return False
    at = full.find(core)
    return 0 <= at <= 4 and _without_trade_words("·" + full[at + len(core) :]) == "·"


def zh_abbreviations(name: str) -> set[str]:
    """Short forms people make of a Chinese name: 重庆大学 → 重大, 华中科技大学 → 华科, 华中科大."""
    key = zh_key(name)
    out: set[str] = set()
    m = re.match(r"^(.{2,4}?)(科技大学|理工大学|师范大学|医科大学|大学|学院)$", key)
    if m:
        place, body = m.group(1), m.group(2)
        if len(place) == 4:  # a city and a discipline: 北京体育大学 → 北体, 北体大
            out.update({place[0] + place[2], place[0] + place[2] + body[0]})
        else:
            out.add(place[0] + body[0])  # 重大, 北大
        if len(body) == 4:
            out.add(place[0] + body[0])  # 华科 (科技大学)
            out.add(place[:2] + body[0] + body[2])  # 华中科大
            out.add(place[:2] + body[:2])  # 华中科技
    return {a for a in out if len(a) >= 2 and a != key}


def en_initials(name: str) -> str:
    """Initials of an English name's main words: Montana State University → MSU."""
    words = re.findall(r"[A-Za-z][A-Za-z'’.-]*", unicodedata.normalize("NFKC", name))
    letters = [w[0].upper() for w in words if w.lower() not in {"of", "the", "and", "for", "at", "in", "a"}]
    return "".join(letters)


# The index ----------------------------------------------------------------------------------------


@dataclass
class _Entry:
    org: RegistryOrg
    text: str
    reason: str


@dataclass
class RegistryIndex:
    """Every name of every organisation, under the keys the resolver compares."""

    orgs: dict[int, RegistryOrg] = field(default_factory=dict)
    exact: dict[str, list[_Entry]] = field(default_factory=dict)
    fuzzy_keys: list[str] = field(default_factory=list)
    fuzzy_entries: list[_Entry] = field(default_factory=list)

    @classmethod
    def build(cls, orgs: Iterable[RegistryOrg]) -> RegistryIndex:
        index = cls()
        for org in orgs:
            index.add(org)
        return index

    def add(self, org: RegistryOrg) -> None:
        self.orgs[org.id] = org
        names = [(n, "exact") for n in (org.name_zh, org.name_en) if n]
        names += [(n, "alias") for n in org.aliases if n]
        names += [(n, "short_name") for n in org.short_names if n]
        for text, _reason in list(names):  # "JVLS, LLC dba Vaccines 2Go": both names are the organisation's
            parts = re.split(r"(?i)\s+d/?b/?a\s+", text)
            if len(parts) == 2:
                names += [(part.strip(" ,"), "alias") for part in parts]
        for text, reason in names:
            for key in _keys(text):
                self.exact.setdefault(key, []).append(_Entry(org, text, reason))
            for key in _fuzzy_keys(text):
                self.fuzzy_keys.append(key)
                self.fuzzy_entries.append(_Entry(org, text, reason))
        for text, _reason in names:
            if _has_han(text):
                for key in zh_place_keys(text):
                    self.exact.setdefault("pl:" + key, []).append(_Entry(org, text, "place"))
                    if len(key) >= 4:
                        self.exact.setdefault("py:" + sound_key(key), []).append(_Entry(org, text, "sound"))
        if org.name_zh:
            for abbreviation in zh_abbreviations(org.name_zh):
                self.exact.setdefault("zh:" + abbreviation, []).append(
                    _Entry(org, org.name_zh, "abbreviation")
                )
        for english in (org.name_en, *[a for a in org.aliases if not _has_han(a)]):
            if english and len(initials := en_initials(english)) >= 2:
                self.exact.setdefault("ab:" + initials, []).append(_Entry(org, english, "abbreviation"))


_ZH_BRANCH_PLACE = re.compile(r"(?<=[\u4e00-\u9fff]{2})[市省](?=分行|支行|分公司|营业部)")
_ZH_INNER_FORM = re.compile(r"(?:股份有限公司|有限责任公司|有限公司)(?=.{2,}$)")


def _keys(text: str) -> list[str]:
    if _has_han(text):
        key = zh_key(text)
        # A branch written without its company's legal form (中国银行重庆市分行 for 中国银行股份有限公司重庆市分行).
        inner = _ZH_INNER_FORM.sub("", key)
        keys = ["zh:" + key, "en:" + reading(text), *(["zh:" + inner] if inner != key else [])]
        # A branch's place written without 市 or 省 (中国银行重庆分行 for 中国银行重庆市分行).
        for written in dict.fromkeys((key, inner)):
            bare = _ZH_BRANCH_PLACE.sub("", written)
            if bare != written:
                keys.append("zh:" + bare)
        return keys
    key = en_key(text)
    # Short names such as "CQU" are matched as written, too.
    return [
        "en:" + key,
        *(["ab:" + text.strip().upper()] if re.fullmatch(r"[A-Za-z]{2,8}", text.strip()) else []),
    ]


def _fuzzy_keys(text: str) -> list[str]:
    if _has_han(text):
        return ["zh:" + zh_key(text), "en:" + _sorted_words(reading(text))]
    return ["en:" + _sorted_words(en_key(text))]


_EXACT_CONFIDENCE = {"exact": 1.0, "alias": 0.97, "short_name": 0.95, "abbreviation": 0.8, "place": 0.9}
_EN_PLACE_TAIL = re.compile(
    r"^(.{6,}?)(?:\s*+[,\u2013\u2014-]\s*+|\s+(?:at|in)\s+)((?:[A-Z][a-z]+\.?[ ]?){1,3}|[A-Z]{2})\.?$"
)


#: Seats after a company's name: "Berlin and Munich", "Stuttgart".
_EN_SEATS = re.compile(
    r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?(?:\s+(?:and|&|und)\s+[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)?"
)


#: A place after a comma: a city, state or country ("Dallas", "New Jersey", "TX").
_EN_PLACE = re.compile(r"(?:[A-Z][a-z]+\.?(?:[ -](?=[A-Z]))?){1,3}|[A-Z]{2}|[A-Z]\.[A-Z]\.")
#: What makes a segment after a comma part of the body: a branch, a campus, a legal form, a kind.
_EN_NOT_PLACE = re.compile(
    r"(?i)\b(?:branch|office|division|plant|factory|site|unit|subsidiary|operations|"
    r"inc|ltd|llc|limited|corp|corporation|co|company|gmbh|ag|plc|university|college|school|hospital|"
    r"institute|center|centre|department|bureau|agency)\b"
)
#: The head word a short name leaves out ("Hong Kong Polytechnic" [University]).
_EN_HEAD_WORDS = (["university"], ["college"], ["institute"], ["hospital"], ["school"])


def resolve(name: str, index: RegistryIndex) -> Resolution:
    """The registry organisation ``name`` most likely means, with a confidence and the reason."""
    written = clean(name)
    # A form's blank, alone or inside words ("使其日后在________大学"), names nobody.
    if not written or re.fullmatch(r"[_\s.＿×xX*·-]*", written) or re.search(r"[_＿]{3,}", written):
        return Resolution(name, None, 0.0, "empty")
    candidates: dict[int, Candidate] = {}

    def offer(org_id: int, confidence: float, reason: str, matched: str) -> None:
        current = candidates.get(org_id)
        if current is None or confidence > current.confidence:
            candidates[org_id] = Candidate(org_id, round(confidence, 3), reason, matched)

    han = _has_han(written)
    probes = _keys(written)
    if han:
        probes.append("zh:" + zh_key(written))
    elif re.fullmatch(r"[A-Za-z]{2,8}", written.strip()):
        probes.append("ab:" + written.strip().upper())
    for probe in probes:
        for entry in index.exact.get(probe, []):
            reason = entry.reason
            if probe.startswith("en:") and han != _has_han(entry.text):
                reason = "translation"
            elif probe.startswith("en:") and han and zh_key(entry.text) != zh_key(written):
                # Two Chinese names that read the same in pinyin but are written differently (重庆天诚科技
                # and 重庆天成科技): homophones, offered below SURE for a person to confirm.
                offer(entry.org.id, SOUND, "similar", entry.text)
                continue
            confidence = _EXACT_CONFIDENCE.get(reason, 0.9)
            if reason == "translation":
                confidence = 0.9
            offer(entry.org.id, confidence, reason, entry.text)
    if not candidates and han:
        # 万州区人民政府 for 重庆市万州区人民政府: a place name dropped or added, the same body.
        keys = zh_place_keys(written)
        for number, key in enumerate(keys):
            for entry in index.exact.get("pl:" + key, []):
                offer(entry.org.id, 0.92 if number == 0 and key == zh_place_keys(entry.text)[0] else 0.9,
                      "similar", entry.text)  # fmt: skip
        for key in keys if not candidates else ():
            # Homophones are other bodies as often as typing slips (天成科技 and 天诚科技 are two
            # companies): a name that meets one only by sound is offered for a person to confirm.
            for entry in index.exact.get("py:" + sound_key(key), []) if len(key) >= 4 else ():
                offer(entry.org.id, SOUND, "similar", entry.text)
        if not candidates and len(zh_key(written)) <= 8:
            for org in index.orgs.values():
                if org.name_zh and zh_trade_name(written, org.name_zh):
                    offer(org.id, 0.8, "abbreviation", org.name_zh)
    if not candidates and not han:
        # "Montana State University-Bozeman", "City of Bozeman, MT": the place after the name.
        tail = _EN_PLACE_TAIL.match(written)
        head, comma, seats = written.rpartition(",")
        if tail is None and comma and _EN_SEATS.fullmatch(seats.strip()):
            head = head.strip()  # "Siemens Aktiengesellschaft, Berlin and Munich": the company's seats
        else:
            head = tail.group(1) if tail and not _EN_NOT_PLACE.search(tail.group(2)) else ""
        heads = [head] if head else []
        # "AT&T Inc., Dallas, Texas", "Huawei Technologies Co., Ltd., Shenzhen, China": a city and its
        # state or country, each after a comma (a branch, campus or legal form is no place).
        rest = written
        for _ in range(3):
            rest, comma, place = rest.rpartition(",")
            if not comma or not _EN_PLACE.fullmatch(place.strip()) or _EN_NOT_PLACE.search(place):
                break
            heads.append(rest.strip())
        for head in heads:
            for entry in index.exact.get("en:" + en_key(head), []):
                offer(entry.org.id, 0.88, "similar", entry.text)
    words = en_key(written).split() if not candidates and not han else []
    if len(words) >= 2:
        # "Johns Hopkins" for The Johns Hopkins University: a well-known body's name cut short, taken only
        # when the registry holds one body whose name starts with it, and asked, never taken as sure. A
        # short name that says a kind ("Hong Kong Polytechnic") is one only without its head word
        # (University): "Wuhan University" is not Wuhan University of Technology.
        sure_kind = kind_is_sure(written)
        starting = {
            org.id: org.name_en
            for org in index.orgs.values()
            for english in (org.name_en, *org.aliases)
            if english
            and not _has_han(english)
            and en_key(english).split()[: len(words)] == words
            and len(en_key(english).split()) > len(words)
            and (not sure_kind or en_key(english).split()[len(words) :] in _EN_HEAD_WORDS)
        }
        if len(starting) == 1:
            org_id, matched = next(iter(starting.items()))
            offer(org_id, SOUND, "abbreviation", matched or "")
    if not candidates and han and re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{2,}", written):
        # "Chongqing University 重庆大学": each language of a bilingual name on its own.
        for part in (
            re.sub(r"[A-Za-z][A-Za-z .,&'()-]*", " ", written),
            re.sub(r"[^A-Za-z .,&'-]+", " ", written),
        ):
            if part.strip() and part.strip() != written:
                found = resolve(part, index)
                if found.organisation_id is not None:
                    offer(found.organisation_id, found.confidence, found.reason, found.matched)
    if not candidates and index.fuzzy_keys:
        queries = (
            ["zh:" + zh_key(written), "en:" + _sorted_words(reading(written))]
            if han
            else ["en:" + _sorted_words(en_key(written))]
        )
        for query in queries:
            for _key, score, position in process.extract(
                query, index.fuzzy_keys, scorer=fuzz.ratio, limit=5, score_cutoff=FUZZY_CUTOFF
            ):
                entry = index.fuzzy_entries[position]
                if fuzz.ratio(_distinct(query), _distinct(_key)) < FUZZY_CUTOFF:
                    continue  # "changan university" is not "chongqing university"
                if han and _has_han(entry.text) and not _zh_close(zh_key(written), zh_key(entry.text)):
                    continue
                across = query[:3] != _key[:3] or (han != _has_han(entry.text))
                confidence = score / 100 * (0.9 if across else 0.95)
                offer(
                    entry.org.id,
                    confidence,
                    "translation" if across and han != _has_han(entry.text) else "similar",
                    entry.text,
                )
    if not candidates and han:
        # A name run together with the text around it ("中山大学与香港理工大学…协议书中山大学"): a known
        # Chinese name of four characters or more at its start or end.
        key = zh_key(written)
        for org in index.orgs.values():
            head = zh_key(org.name_zh or "")
            if len(head) >= 4 and len(key) > len(head) + 6 and (key.startswith(head) or key.endswith(head)):
                rest = key[len(head) :] if key.startswith(head) else key[: -len(head)]
                if key.startswith(head) and _ZH_BODY_END.search(rest) and not _ZH_RUN_ON.search(rest):
                    continue  # 华中科技大学教育发展基金会 is the university's foundation, another body
                offer(org.id, 0.86, "similar", org.name_zh or "")
    if not han:
        # "Veoneer, Inc." and "Veoneer AB", "Siemens AG" and "Siemens Ltd": one trade name, two companies of
        # two countries. Both legal forms written and different: asked, never taken.
        form = _en_form(written)
        for org_id, candidate in list(candidates.items()):
            other = _en_form(candidate.matched)
            if form and other and form != other and candidate.confidence > SOUND:
                candidates[org_id] = Candidate(org_id, SOUND, "similar", candidate.matched)
    unit = _unit_of(written, index)
    if unit is not None:
        parent, rest = unit
        # A named unit that is itself in the registry was found above; otherwise propose it as new.
        if not any(c.confidence >= SURE for c in candidates.values()):
            return Resolution(
                name,
                None,
                0.0,
                "new_unit",
                tuple(_ranked(candidates)),
                guess_kind(rest) if rest else "other",
                parent.id,
                parent.name_zh or parent.name_en or "",
            )
    ranked = _ranked(candidates)
    if not ranked or ranked[0].confidence < POSSIBLE:
        return Resolution(name, None, 0.0, "new", tuple(ranked), new_kind=guess_kind(written))
    best = ranked[0]
    if len(ranked) > 1 and best.confidence - ranked[1].confidence < TIE:
        return Resolution(name, None, best.confidence, "ambiguous", tuple(ranked), matched=best.matched)
    return Resolution(
        name, best.organisation_id, best.confidence, best.reason, tuple(ranked), matched=best.matched
    )


_ZH_BODY_END = re.compile(
    r"(?:基金会|协会|学会|商会|联合会|公司|集团|医院|学校|中学|小学|研究院|研究所|实验室|中心|委员会|合作社|事务所|"
    r"办事处|办公室|局|处|站|馆|出版社)$"
)
_ZH_RUN_ON = re.compile(r"协议|合同|备忘录|甲方|乙方|丙方|双方|签订|签署|与|和|及")


#: Legal forms that mean the same written one way (Co., Ltd. = Company Limited = Ltd.; Inc. = Corporation).
_EN_FORMS = (
    ("limited", r"(?:co\.?,?\s*)?(?:ltd|limited)|company\s+limited|pte\.?\s*ltd|pty\.?\s*ltd"),
    ("corporation", r"inc|incorporated|corp|corporation"),
    ("llc", r"llc|l\.l\.c"),
    ("ag", r"ag|aktiengesellschaft"),
    ("gmbh", r"gmbh"),
    ("plc", r"plc|p\.l\.c|public\s+limited\s+company"),
    ("sa", r"s\.?a|s\.?a\.?s|sarl"),
    ("bv", r"b\.?v"),
    ("nv", r"n\.?v"),
    ("ab", r"ab"),
    ("se", r"se"),
    ("llp", r"llp|lp|l\.p"),
    ("as", r"a/s|asa|as"),
    ("srl", r"s\.?r\.?l"),
    ("spa", r"s\.?p\.?a"),
)
_EN_FORM_RE = [(form, re.compile(rf"(?i)(?:,?\s+)(?:{pattern})\.?\s*$")) for form, pattern in _EN_FORMS]


def _en_form(name: str) -> str | None:
    """The legal form an English name ends with, written one way; None without one."""
    if _has_han(name):
        return None
    for form, pattern in _EN_FORM_RE:
        if pattern.search(name.strip()):
            return form
    return None


def _ranked(candidates: dict[int, Candidate]) -> list[Candidate]:
    return sorted(candidates.values(), key=lambda c: (-c.confidence, c.organisation_id))[:5]


_UNIT_END_ZH = re.compile(
    r"(学院|系|研究院|研究所|研究中心|中心|实验室|医院|分院|分公司|分行|支行|营业部|办公室|处|部|校区|图书馆|出版社|"
    r"研究生院)$"
)


def _unit_of(written: str, index: RegistryIndex) -> tuple[RegistryOrg, str] | None:
    """A known organisation whose name starts this one, followed by a unit's name (重庆大学 + 建筑城规学院)."""
    best: tuple[RegistryOrg, str] | None = None
    if _has_han(written):
        key = zh_key(written)
        longest = 0
        for org in index.orgs.values():
            if not org.name_zh:
                continue
            # Its full name, and a short name of four characters or more (招商银行 + 重庆分行).
            heads = {zh_key(org.name_zh)} | {
                zh_key(n) for n in org.short_names if _has_han(n) and len(zh_key(n)) >= 4
            }
            for head in heads:
                if len(head) >= 2 and key.startswith(head) and len(key) > len(head):
                    rest = key[len(head) :]
                    if len(rest) <= 15 and _UNIT_END_ZH.search(rest) and len(head) > longest:
                        best, longest = (org, rest), len(head)
        return best
    lowered = written.lower()
    for org in index.orgs.values():
        if not org.name_en:
            continue
        head = re.sub(r"^the\s+", "", org.name_en.lower())
        # "Chongqing University School of Architecture": the parent's name first.
        first = re.match(rf"^(?:the\s+)?{re.escape(head)},?\s+((?:school|college|department|faculty|institute|"
                         r"center|centre|hospital|office|laboratory)\b.{2,100})$", lowered)  # fmt: skip
        if first:
            return (org, written[len(written) - len(first.group(1)) :])
        m = re.search(rf"^(.{{3,120}}?),?\s+(?:of\s+|at\s+)?(?:the\s+)?{re.escape(head)}$", lowered)
        if m and re.search(
            r"(?i)\b(school|college|department|faculty|institute|center|centre|hospital|office|laboratory)\b",
            m.group(1),
        ):
            return (org, written[: m.end(1)])
    return None


def resolve_all(names: Sequence[str], index: RegistryIndex) -> list[Resolution]:
    """Resolve each party of one agreement; one organisation is not given to two parties."""
    results = [resolve(n, index) for n in names]
    taken: dict[int, int] = {}
    for i, result in enumerate(results):
        if result.organisation_id is None:
            continue
        other = taken.get(result.organisation_id)
        if other is None:
            taken[result.organisation_id] = i
            continue
        # Keep the surer of the two; the other must be confirmed by a person.
        loser = i if result.confidence <= results[other].confidence else other
        results[loser] = Resolution(
            results[loser].name,
            None,
            results[loser].confidence,
            "ambiguous",
            results[loser].candidates,
            matched=results[loser].matched,
        )
        if loser == other:
            taken[result.organisation_id] = i
    return results
