"""English commitment rules: modal anchors, imperative list items, splits before "and <verb>"."""

from __future__ import annotations

import re
from bisect import bisect_right

from ..grammar import find_due
from ..model import Clause
from .shared import LEAD_IN_WINDOW, Lines, Unit, bounded, trim

_EN_VERBS = (
    "provide|utilize|utilise|pay|bear|assume|ensure|keep|maintain|cooperate|submit|deliver|notify|give|take|make|obtain|complete|"
    "sign|assist|supply|purchase|use|comply|guarantee|compensate|indemnify|defend|hold|return|report|share|install|"
    "operate|connect|perform|prepare|establish|organize|organise|arrange|promote|develop|offer|support|allow|disclose|"
    "transfer|mortgage|adjust|notify|inform|send|train|hire|appoint|designate|register|apply|file|procure|build|"
    "construct|design|manage|monitor|review|approve|accept|execute|implement|conduct|carry|collaborate|contribute|"
    "fund|finance|reimburse|refund|repay|protect|respect|observe|follow|abide|exercise|authorize|sell|distribute|"
    "market|advertise|host|hold|attend|participate|dedicate|create|keep|store|insure|cover|maintain|be|do|cause|"
    "determine|provides|pays|bears|assumes|ensures|keeps|makes|purchase|responsible|cooperate|enter|issue|invest|"
    "arrange|jointly|fully|immediately|promptly|timely|also|not|assign|refer|recruit|select|publish|reserve|"
    "schedule|coordinate|evaluate|supervise|grant|award|admit|enroll|enrol|teach|pay|plan|facilitate|engage|"
    "identify|present|negotiate|aid|initiate|improve|increase|enhance|strengthen|expand|accelerate|encourage|"
    "undertake|work|generally|meet"
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
    r"(?i)\b(?:shall(?:\s+not)?(?:\s+also)?|will(?:\s+not)?|must(?:\s+not)?|would(?:\s+not)?|agrees?\s+(?:not\s+)?to|"
    r"undertakes?\s+(?:not\s+)?to|(?:is|are)\s+(?:also\s+)?responsible\s+for|(?:is|are)\s+in\s+charge\s+of|"
    r"(?:is|are)\s+obligated\s+to|(?:is|are)\s+not\s+allowed\s+to|cannot|can\s+not|should|guarantees?|"
    # "Licensee may not sublicense …": a prohibition, unlike "may" alone
    r"may\s+not(?!\s+(?:be\s+)?(?:required|obligated)\b)|"
    # obligations as translated agreements write them ("is obliged to", "has the obligation to", "has to pay")
    r"(?:is|are)\s+(?:obliged|bound)\s+to|ha(?:s|ve)\s+(?:the\s+)?(?:obligation|duty)\s+to|"
    r"(?:has|have|needs?)\s+to(?=\s+(?:" + _EN_VERBS + r")\b)|"
    r"covenants?\s+to|commits?\s+to|(?:is|are)\s+committed\s+to|(?:is|are)\s+required\s+to|jointly|"
    r"promises?\s+(?:to|that)|endeavou?rs?\s+to|"
    r"uses?\s+(?:its|their|all)\s+(?:best|reasonable|commercially\s+reasonable)\s+(?:efforts|endeavou?rs)\s+to)\b"
)
_EN_RIGHT = re.compile(
    r"(?i)\b(?:may(?!\s+not)|can(?!not)|(?:will|shall)\s+not\s+be\s+(?:responsible|liable)|ha(?:s|ve)\s+(?:the\s+|any\s+)?(?:full\s+|sole\s+|exclusive\s+)?rights?|(?:is|are)\s+entitled|"
    r"reserves?\s+the\s+right|hereby\s+grants?|shall\s+have\s+(?:the\s+)?right|has\s+priority|at\s+its\s+option|"
    r"(?:shall|will|would|may)\s+(?:charge|collect|receive)|make\s+the\s+decision|"
    r"(?:shall|will)\s+not\s+be\s+(?:required|obligated|deemed|considered)|(?:shall|will)\s+have\s+no\s+"
    r"(?:liability|obligation|claim|power|authority|rights?)|sole\s+discretion|(?:shall|will)\s+have\s+(?:the\s+)?(?:first\s+)?right|"
    # entitlements, options, periods to decide and ownership are rights, not undertakings
    r"(?:shall|will)\s+(?:also\s+)?be\s+entitled|(?:shall|will)\s+(?:also\s+)?have\s+the\s+option|"
    r"(?:shall|will)\s+have\s+(?:a\s+period\s+of\s+)?(?:[\w()]{1,20}[\s-]){0,3}(?:days?|months?|years?)\s+(?:to|after|from|following)|"
    # authority over the affairs is what a party holds, not what it does ("shall have full and complete control")
    r"(?:shall|will)\s+have\s+(?:full\s+(?:and\s+complete\s+)?|complete\s+|sole\s+)(?:control|charge|authority)|"
    r"(?:shall|will)\s+(?:be\s+)?(?:solely\s+|jointly\s+|exclusively\s+)?own(?:ed)?(?:\s+and\s+control)?\s+(?:by|all)|"
    # statements of intent and interest (LABELLING.md 2), not undertakings; beliefs and expectations too
    r"\bintends?\s+to|\b(?:is|are)\s+interested\s+in|\b(?:believes?|expects?|anticipates?|hopes?)\s+that\b|"
    # claims given up ("shall not have any claim towards …", "Neither party shall have any claim …")
    r"(?:shall|will)\s+(?:not\s+)?have\s+any\s+(?:claims?|liability|recourse)\b|"
    # what a party or thing is, not what it does ("will be the sponsor", "shall be deemed", "subject to")
    r"(?:shall|will)\s+be\s+(?:deemed|subject\s+to|(?:the|an?)\s+(?!(?:sole\s+|joint\s+|full\s+)?responsibilit)[\"“]?[a-z]+)|(?:shall|will)\s+have\s+the\s+ability|"
    r"(?:sole|exclusive)\s+property\s+of|"
    # survival, exceptions, permissions and status: what a clause or a party is, not what it does
    r"(?:shall|will)\s+(?:\w+\s+){0,3}?survive|(?:shall|will)\s+not\s+apply|"
    r"(?:shall|will)(?:\s*,[^,.;]{1,40},)?\s+be\s+(?:allowed|permitted|free)\s+to|"
    # "VAL shall, in the event of Developer committing any breach …, be entitled to terminate"
    r"(?:shall|will)\s*,[^,.;]{1,200},\s*be\s+(?:entitled|allowed|permitted|free)\s+to|"
    # what a schedule is and what a party holds ("will constitute invoicing", "shall have a non-exclusive … license")
    r"(?:shall|will)\s+constitute\b|(?:shall|will)\s+have\s+(?:a|an)\s+(?:[\w-]+,?\s+){0,6}licen[cs]e|"
    r"(?:shall|will)\s+(?:not\s+)?have\s+any\s+(?:authority|power)\s+to|\bwaives?\b|"
    r"(?:shall|will)\s+be\s+(?:considered|regarded)\b|\bneither\s[^.;]{0,60}?\b(?:shall|will)\s+be\s+(?:required|obligated)|(?:waive|exercise)\s+(?:the|its|any|such)\s+rights?)\b"
)
_EN_COND_START = re.compile(
    r"(?i)\s*(?:[A-Z][\w-]*\s+){0,2}?(?:if|in\s+case|in\s+the\s+event|unless|should|where)\b"
)
_EN_LIABILITY = re.compile(
    r"(?i)\b(?:be\s+(?:fully\s+|jointly\s+|solely\s+|held\s+)?liable|liable\s+for|neither\s+part(?:y|ies)\s+shall\s+be\s+(?:held\s+)?responsible|bear\s+(?:\w+\s+){0,2}liabilit|assume\s+(?:\w+\s+){0,2}liabilit|"
    r"be\s+(?:partially\s+or\s+fully\s+|fully\s+|partially\s+)?(?:exempt|relieved|excused))"
)
_EN_BOILER = re.compile(
    r"(?i)\b(?:governed\s+by|governing\s+law|arbitrat|jurisdiction|in\s+(?:duplicate|triplicate|quadruplicate)|"
    r"counterparts|entire\s+agreement|supersede|take\s+effect|come\s+into\s+effect|same\s+legal\s+effect|"
    r"signed\s+and\s+sealed|headings|severab|waiver|supplemental\s+agreement|shall\s+prevail|prevails|"
    r"\bmeans\b|shall\s+mean|refers\s+to|will\s+commence|will\s+terminate|shall\s+terminate|shall\s+expire|"
    r"is\s+made\s+in|disputes?\b|amicabl|\bvenue\b|"
    # term, modification and assignment boilerplate
    r"\b(?:term\s+of\s+this|this)\s+(?:agreement|mou|memorandum|contract)\b[^.;]{0,60}\b(?:commence|continue|"
    r"remain\s+in|expire|renew|be\s+extended|be\s+effective|is\s+effective)|"
    r"\b(?:amend|modif|supplement)\w*\b[^.;]{0,80}\bin\s+writing\b|\bin\s+writing\b[^.;]{0,60}\b(?:amend|modif)\w*|"
    r"\bassign\w*\b[^.;]{0,60}\b(?:this\s+agreement|its\s+rights|rights\s+(?:and|or)\s+obligations|hereunder)|"
    r"\bautomatically\s+renew|\bconstrued\b|\b(?:entire|all)\s+understanding|"
    r"\b(?:rights|obligations)\b[^.;]{0,60}\b(?:shall|will|may)\s+not\s+be\s+(?:transferred|assigned)|"
    # the parties' status, not an undertaking
    r"\b(?:be|being|is|are|acting)\b[^.;]{0,40}\bindependent\s+contractors?|fiduciary\s+(?:obligations|duties)|"
    r"\binure\s+to)"
)
_EN_BOILER_HEADING = re.compile(
    r"(?i)\b(?:governing\s+law|dispute|entire\s+agreement|effectiveness|notices?|counterparts|severability|"
    r"definitions?|interpretation|amendment|assignment|waiver|recitals)\b"
)
_EN_SPLIT_VERBS = (
    "provide|pay|bear|assume|ensure|keep|maintain|cooperate|submit|deliver|notify|give|take|make|obtain|complete|"
    "sign|assist|supply|purchase|use|comply|guarantee|compensate|indemnify|defend|hold|return|report|share|install|"
    "operate|connect|perform|prepare|establish|organize|organise|arrange|promote|develop|offer|support|allow|disclose|"
    "transfer|adjust|inform|send|train|hire|appoint|designate|register|apply|procure|build|construct|design|manage|"
    "monitor|review|approve|accept|execute|implement|conduct|carry|contribute|fund|finance|reimburse|refund|repay|"
    "protect|observe|follow|abide|authorize|sell|distribute|market|host|attend|participate|dedicate|create|store|"
    "insure|cover|cause|determine|assumes|provides|pays|bears|ensures|keeps|makes|enter|issue|invest|"
    "improve|increase|enhance|strengthen|expand|accelerate|facilitate|coordinate|encourage|undertake|"
    "work(?=\\s+(?:with|together|closely|jointly|cooperatively)\\b)"
    "|meet(?=\\s+(?:at\\s+least|regularly|periodically|annually|quarterly|monthly|once|twice|with)\\b)"
)
_EN_SPLIT = re.compile(
    r"(?i)(?:,\s*|\s+)(?:and|as\s+well\s+as)\s+(?=(?:(?:shall|will|must)\s+(?:not\s+)?|to\s+|not\s+to\s+|also\s+|"
    r"(?:actively|promptly|fully|further|jointly|generally)\s+)?"
    rf"(?:{_EN_SPLIT_VERBS})\b)"
    r"|(?:,\s*|\s+)and\s+(?=(?:shall|will|must)\s+(?:not\s+)?(?:also\s+)?[a-z]+)"
    r"|,\s+(?=(?:and\s+)?not\s+to\s)"
    # "responsible for recruiting patients and for obtaining informed consent": another act
    r"|(?:,\s*|\s+)and\s+(?=for\s+[a-z]{3,}ing\b)"
    # "shall not disclose … nor use …", "…, nor shall it carry out …": another prohibition
    r"|,?\s+(?=nor\s+(?:shall\s+(?:it|they|\w+)\s+)?[a-z]{3,})"
    # "agrees (1) not to disclose …, and (2) not to allow …": enumerated verb phrases after a modal.
    r"|,\s*(?:and\s+|or\s+)?(?=\((?:[2-9]|[b-h]|ii|iii|iv|v|vi)\)\s*(?:not\s+)?(?:to\s+)?[a-z]+)"
    # "shall (i) maintain the patents and (ii) notify …": the same without a comma
    r"|\s+(?:and|or)\s+(?=\((?:[2-9]|[b-h]|ii|iii|iv|v|vi)\)\s*(?:not\s+)?(?:to\s+)?[a-z]+)"
    r"|,\s*(?:and\s+|or\s+)?(?=(?<![(\w])(?:ii|iii|iv|v|vi)\)\s*(?:not\s+)?(?:to\s+)?[a-z]+)"
    r"|,\s+(?=(?:provide|pay|notify|keep|ensure|submit|deliver|bear|assume|inform|return|maintain|obtain|"
    r"complete|cooperate|sign|take|improve|increase|enhance|strengthen|expand|accelerate|facilitate|coordinate|"
    r"encourage)\b)"
)


def _spaced(name: str) -> str:
    """A label as a pattern that also matches it broken across a line ("Party\\nB")."""
    return r"\s+".join(re.escape(word) for word in name.split())


# A legal form or article around a party's name, left out when the body names the party in words
# ("Collectible Concepts Group will:" for "Collectible Concepts Group, Inc.").
_LEGAL_FORM = re.compile(
    r"(?i),?\s++(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|Co|Company|PLC|LLP|LP|S\.R\.L|S\.A|GmbH|AG|B\.V|N\.V)"
    r"\.?$|^the\s++"
)


def name_aliases(parties: list[tuple[str, str | None]]) -> dict[str, str]:
    """The names of the parties as the body may write them, each with its label."""
    out: dict[str, str] = {}
    for label, name in parties:
        if not name:
            continue
        bare = _LEGAL_FORM.sub("", _LEGAL_FORM.sub("", name.strip(" ,.")).strip(" ,.")).strip(" ,")
        for alias in (name, bare):
            words = alias.split()
            if len(words) >= 2 and len(alias) <= 60 and alias.lower() != label.lower():
                out.setdefault(" ".join(words), label)
    # The investigator a research agreement names acts for the one institution among the parties.
    institutions = [label for label, name in parties if name and _INSTITUTION.search(name)]
    if len(institutions) == 1 and len(parties) >= 2:
        for role in ("Principal Investigator", "Principal Investigators", "the Investigator"):
            if all(role.lower() != label.lower() for label, _ in parties):
                out.setdefault(role, institutions[0])
    return out


_INSTITUTION = re.compile(
    r"\b(?:University|College|Institute|Hospital|Medical\s+Center|Cancer\s+Center|Regents|School|Clinic|"
    r"Universit[éäà]t?|Universidad|Università)\b"
)


# Group words that stand for the parties together or for one of them that the text does not name.
_GROUP_ALL = (
    r"(?:all\s+|the\s+)?members|(?:the\s+)?joint\s+venturers|each\s+(?:member|joint\s+venturer)"
    r"|both\s+(?:companies|organi[sz]ations|institutions)"
    # joint bodies act for the parties that form them (README, Party)
    r"|the\s+(?:joint\s+)?(?:steering|management|coordinating|research|development|technical|scientific|"
    r"executive|project|advisory)\s+committee"
    r"|the\s+J[SMRD]C"
)
_GROUP_ONE = (
    r"no\s+(?:party|member|joint\s+venturer)|(?:a|any)\s+(?:member|joint\s+venturer)"
    # a role glossed in quotes ('Each party ("the Defaulting party")') does not change the subject
    r"|(?<![\"“])the\s+(?:recipient|receiving|disclosing|breaching|defaulting|non-prevailing|offering)\s+party"
)


# "Molipharma, through a separate agreement with UCSC, undertakes to …": a phrase set off by commas
# between the subject and its modal.
_PARENTHETICAL = re.compile(r"[ \t]*+,(?:[^,;.]|(?<=[ \t][A-Z])\.){3,80},[ \t]*+")
# What may follow a lead-in's modal before its colon: nothing, or only how the parties act.
_LEAD_IN_REST = re.compile(r"(?i)[\s:,]*+(?:(?:jointly|mutually|together|also|further|severally)[\s:,]*+)?")
_NOR = re.compile(r"(?i)[ \t\n]*+nor[ \t\n]++(?:shall[ \t\n]++(?:it|they|he|she)[ \t\n]++)?")
_WORD_OF_TWO = re.compile(r"[A-Za-z]{2}")
_LEAD_IN_AFTER_SUBJECT = re.compile(
    r"(?i)[ \t]*+(?:also\s+|jointly\s+)?(?:shall|will|must|agrees?\s+to|undertakes?\s+to|(?:is|are)\s+responsible\s+for)"
    r"\b[^.:;]{0,400}:\s*$"
)


_CONDITION_TO_SUBJECT = re.compile(r"(?i)\s*(?:if|in\s+the\s+event|in\s+case|where|when|upon|after|once)\b")
_THEN = re.compile(r"(?i)\s*(?:then\s+)?")
# A sentence whose object is the list after it: an umbrella, whatever punctuation ends it.
_FOLLOWING_ITEMS = re.compile(
    r"(?i)\bthe\s+following\s+(?:[\w-]+\s+){0,3}(?:services|activities|tasks|duties|obligations|"
    r"responsibilities)\b[^.;:]{0,80}[.:]?\s*$"
)
_PAID = re.compile(
    r"(?i)\b(?:shall|will|must)[ \t\n]++(?:also[ \t\n]++)?be[ \t\n]++(?:paid|reimbursed|compensated|refunded)\b"
)
_WORDS = re.compile(r"[A-Za-z]{2,}")
# A party that receives what the other gives: between two parties, the other one acts.
_RECEIVES = re.compile(
    r"(?i)\b(?:shall|will|must)[ \t\n]++(?:also[ \t\n]++)?(?:promptly[ \t\n]++)?be[ \t\n]++(?:promptly[ \t\n]++)?"
    r"(?:notified|advised|informed|given|sent|furnished|provided|supplied|consulted|kept[ \t\n]++informed)\b"
    r"(?![ \t\n]++(?:the|an?|any)[ \t\n]++(?:right|option|opportunity|chance)\b)"
)
_PRONOUN_BEFORE = re.compile(r"(?i)(?<![A-Za-z])(?:it|they)[ \t\n]++$")
# "may" in a clause that only qualifies the undertaking ("as X may request", "which it may require").
_SUBORDINATE_MAY = re.compile(
    r"(?i)\b(?:as|if|when|whenever|where|that|which|who|whom|unless)[ \t\n]++(?:[\w'’-]++[ \t\n]++){0,5}?"
    r"may[ \t\n]++(?!not\b)(?:[a-z]+ly[ \t\n]++)?(?:request|require|reasonably|direct|specify|designate|approve|"
    r"agree|determine|need|deem|be|have|from)\b"
)
# Money a party will receive: what the other party pays (an entitlement, "shall be entitled to a refund", stays
# a right).
_RECEIVES_MONEY = re.compile(
    r"(?i)\b(?:shall|will|would)[ \t\n]++(?:also[ \t\n]++)?receive[ \t\n]++"
    r"(?:[^.;,]{0,40}?[ \t\n])?(?:refund|reimbursement|payment|fee|compensation|royalt|revenue[ \t\n]++share|"
    r"commission|one[ \t\n]++(?:third|half|quarter)|\d+(?:\.\d+)?[ \t\n]*+%|\$)"
)
_LONE_CONJUNCTION = re.compile(r"(?i)[ \t\n]*+(?:and|or)[ \t\n]*+")
# A bullet just before a sentence (the sentence splitter cuts at bullets run into a line).
_BULLET_BEFORE = re.compile(r"[●•▪◦\-–][ \t]*+$")
# What stands between a modal and its verb when a comma opens it ("shall, at its own expense,").
_ASIDE_AFTER_MODAL = re.compile(
    r"[ \t\n]*+,(?![ \t\n]*+\(?(?:[ivx]{1,4}|[a-h]|\d)\))(?:[^,;.:()]|\(\d{1,4}\)){1,120}"
)
# A pronoun that opens the main clause after a condition ("If Licensee learns of …, it shall …").
_PRONOUN_SUBJECT = re.compile(
    r"(?i),[ \t\n]*+(?:then[ \t\n]++)?(it|they|such[ \t\n]++party)[ \t\n]++(?:also[ \t\n]++)?$"
)
# Passives whose subject is a thing and whose agent is left out (what follows the modal).
_MEETINGS_HELD = re.compile(
    r"(?i)[ \t\n]*+(?:also[ \t\n]++)?be[ \t\n]++(?:held|convened|conducted|organi[sz]ed)\b"
)
_COSTS_SHARED = re.compile(
    r"(?i)[ \t\n]*+be[ \t\n]++(?:shared|split|divided|borne)(?:[ \t\n]++(?:equally|evenly|jointly|pro[ \t\n]++rata))?"
    r"(?:[ \t\n]++(?:between|among|by)[ \t\n]++the[ \t\n]++parties)?[ \t\n]*+(?:[.;,]|$|\[)"
)
_HANDED_TO = re.compile(
    r"(?i)[ \t\n]*+(?:promptly[ \t\n]++)?be[ \t\n]++(?:promptly[ \t\n]++)?(?:delivered|submitted|provided|sent|"
    r"given|furnished|made[ \t\n]++available|returned|transferred|disclosed|reported|forwarded|supplied|remitted|"
    r"paid|refunded|issued|mailed|shipped)\b[^.;:]{0,60}?\bto[ \t\n]++(?:the[ \t\n]++)?(?=[A-Z])"
)
# How far back a payee's payer is looked for (characters).
PAYER_WINDOW = 6000
# "X each agree that <a thing>…: (i) shall …": enumerated undertakings of the agreeing party about a thing.
_AGREE_THAT = re.compile(
    r"(?i)(?<![A-Za-z])(?:(?:each|both|hereby|further)[ \t\n]++)?(?:agrees?|undertakes?|covenants?)[ \t\n]++that\b"
    r"[^:;.]{0,300}:[ \t\n]*+\((?:i|a|1)\)[ \t\n]*+(?=(?:shall|will|must)\b)"
)
# The marker of an item run into its paragraph ("a. ", "(b) ", "iii) ").
_ITEM_MARK = re.compile(r"[ \t\n]*+(?:\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)])[ \t\n]++")
# A later enumerated verb phrase after a semicolon ("; and (ii) take …", "; or (ii) interfere …"), and the
# first item of the same enumeration after a modal in the sentence before ("will (i) follow …").
_NEXT_ENUM = re.compile(
    r"(?i)(?P<mark>\s*(?:and\s+|or\s+)?\((?:ii|iii|iv|v|vi|[b-h]|[2-9])\)\s*)(?:not\s+)?[a-z]{3,}\b"
)
_NEXT_ITEM = re.compile(
    r"(?i)(?P<mark>[ \t\n]*+(?:and[ \t\n]++|or[ \t\n]++)?\((?:ii|iii|iv|v|vi|vii|viii|[b-h]|[2-9])\)[ \t\n]*+)[a-z]"
)
_LIST_OPENED = re.compile(
    r"(?i)\b(?:shall|will|must|agrees?[ \t\n]++to|undertakes?[ \t\n]++to)\b[^.;:]{0,200}?"
    r"\b(?:the[ \t\n]++following|as[ \t\n]++follows)\b[^.;:]{0,60}:[ \t\n]*+\((?:i|a|1)\)"
)
_ENUM_OPENED = re.compile(
    r"(?i)\b(?:shall|will|must|agrees?\s+to|undertakes?\s+to)(?:\s+not)?(?:\s*:)?\s+\((?:i|a|1)\)\s*[a-z]"
)
# A list item opening with a gerund and its object ("Furnishing technical assistance …", "Providing the
# reports …"), not a preposition in -ing ("During", "Including") nor a title ("Marketing Plan", "Funding of …").
_GERUND_ITEM = re.compile(
    r"[ \t\n]*+(?!(?:During|Including|Notwithstanding|Following|According|Regarding|Concerning|Pending|Excluding|"
    r"Beginning|Commencing|Starting|Depending|Subject)\b)[A-Z][a-z]{2,}ing[ \t\n]++(?!of\b|and\b|or\b|for\b)"
    r"(?:[a-z]{2,}|(?:the|a|an|all|any|such|its|their)\b)"
)
# List items that are conditions, references or titles rather than what a lead-in's party does.
_NOT_ITEM = re.compile(r"(?i)\s*(?:if|where|when|unless|subject|provided|notwithstanding|see|as\s+defined)\b")


class EnFinder:
    def __init__(
        self, text: str, labels: list[str], n_parties: int, aliases: dict[str, str] | None = None
    ) -> None:
        self.text = text
        self.lines = Lines(text)
        self.n_parties = n_parties
        self.labels = labels
        aliases = dict(aliases or {})
        for label in labels[:n_parties]:
            # a role in the plural, as templates for many such parties write it ("Sponsors are responsible")
            if re.fullmatch(r"[A-Z][a-z]{3,}(?<!s)", label) and label + "s" not in labels:
                aliases.setdefault(label + "s", label)
        self.aliases = {k.lower(): v for k, v in aliases.items()}
        collective = [
            _GROUP_ALL,
            _GROUP_ONE,
            r"(?:both|the|all|each\s+of\s+the)\s+part(?:y|ie)s",
            r"parties",
            r"Party\s+A\s+and\s+(?:Party\s+)?B",
            r"either\s+party",
            r"any\s+party",
            r"(?:a|one)\s+party",
            r"the\s+affected\s+party",
            r"such\s+party",
            r"each\s+party",
            r"the\s+party",
            r"the\s+other\s+party",
            r"neither\s+party",
        ]
        names = sorted([*labels, *(aliases or {})], key=len, reverse=True)
        self.mention_re = re.compile(
            # The lookahead fails fast where no word starts (digits, spaces): the alternatives are many.
            r"(?=\w)(?<![A-Za-z])("
            + "|".join([*collective, *(_spaced(n) for n in names)])
            + r")(?![A-Za-z])",
            re.IGNORECASE,
        )

        mention = self.mention_re.pattern
        self.present_re = re.compile(
            rf"(?i){mention}\s+(?:also\s+|jointly\s+|fully\s+)?(?:{_EN_PRESENT})\b"
            r"|\bresponsibility\s+of\b"
        )
        self.only_subject = re.compile(
            rf"(?i)\s*(?:both\s+|each\s+of\s+|the\s+)?(?:{mention})(?:\s*,\s*(?:the\s+)?(?:{mention}))*+\s*+"
        )
        # "The tasks assigned to the Technical Committee are to: a. propose …; b. define …": the items
        # after the colon are what the body or party named does.
        # "Obligations of University: (a) conduct …; (b) deliver …" as well, a run-in title over its items.
        self.tasks_lead = re.compile(
            r"(?i)\s*(?:the\s+)?(?:(?:main|principal|specific)\s+)?(?:tasks?|duties|functions|responsibilities|role|"
            r"obligations|undertakings|covenants|commitments)"
            rf"[ \t\n]++(?:assigned[ \t\n]++to|entrusted[ \t\n]++to|of)[ \t\n]++(?:the[ \t\n]++)?({mention})"
            r"(?:[ \t\n]++(?:are|is|shall[ \t\n]++be|will[ \t\n]++be)(?:[ \t\n]++to)?)?[ \t]*+:[ \t\n]*+"
        )
        # "EHN will pay Dr. Murray …": who pays whom, for a payee among more than two parties (groups 1 and
        # 3: the mention pattern holds a group of its own).
        self.pays_re = re.compile(
            rf"({mention})[ \t\n]++(?:shall|will|must|agrees?[ \t\n]++to)[ \t\n]++(?:also[ \t\n]++)?pay"
            rf"[ \t\n]++(?:to[ \t\n]++)?(?:the[ \t\n]++)?({mention})"
        )
        self.that_clause_re = re.compile(
            rf"(?i)({mention})[ \t\n]++(?:hereby[ \t\n]++|further[ \t\n]++)?(?:represents|warrants|covenants|agrees|"
            r"acknowledges|certifies|confirms|undertakes)(?:[ \t\n]*+(?:,|and)[ \t\n]*+(?:represents|warrants|"
            r"covenants|agrees|acknowledges|certifies|confirms|undertakes))*+(?:[ \t\n]++to[ \t\n]++\w+)?[ \t\n]++that\b"
        )
        self.subject_split = re.compile(
            rf"(?:,\s*|\s+)(?:and|while|whereas)\s+(?:then\s+|(?:under|in)\s+such\s+(?:circumstances|case|event)\s+)?"
            rf"(?={mention}\s+(?:also\s+)?"
            r"(?:shall|will|must|agrees?|undertakes?|is\s+responsible|are\s+responsible|[a-z]+s\b))",
            re.IGNORECASE,
        )

    def norm(self, mention: str) -> str | None:
        low = re.sub(r"\s+", " ", mention.lower())
        if low in ("the other party",):
            return None
        if low in self.aliases:
            return self.aliases[low]
        if low.startswith(
            ("neither", "no ", "a member", "any member", "a joint", "any joint")
        ) or re.fullmatch(_GROUP_ONE, low):
            return "either"  # "neither party shall …": one party the text does not name (README, Party)
        if re.fullmatch(_GROUP_ALL, low, re.IGNORECASE):
            return "both" if self.n_parties <= 2 else "all"
        if low.startswith(("either", "any ", "the affected", "such party")) or low in (
            "the party",
            "a party",
            "one party",
        ):
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

    def describes_thing(self, piece: str, anchor: re.Match[str]) -> bool:
        """ "The books of the Joint Venture shall be kept …", "The fiscal year shall be …": a statement
        about a thing (a passive or a copula whose subject is no party), unless a party is its agent."""
        if not re.match(
            r"\s*(?:not\s+)?be\s+(?!responsible|liable|obligated|required\s+to|(?:the\s+)?(?:sole\s+)?responsibilit)",
            piece[anchor.end() :],
        ):
            return False
        subject = piece[: anchor.start()]
        mentions = list(self.mention_re.finditer(subject))
        if mentions and not subject[mentions[-1].end() :].strip(" ,"):
            return False  # "Party B shall be …": the party itself
        for later in _EN_MODAL.finditer(piece, anchor.end()):
            before = list(self.mention_re.finditer(piece, anchor.end(), later.start()))
            if before and len(piece[before[-1].end() : later.start()].split()) <= 2:
                return False  # "… cannot be corrected …, Party B shall compensate": a party acts later
        # the agent follows the passive itself ("shall be borne by the Company"), not a relative clause
        # further on ("… in such accounts as will be designated by the Members")
        return not re.match(
            r"(?i)\s*(?:not\s+)?be\s+[^.;,]{0,80}?\bby\s+(?:the\s+)?(?:" + self.mention_re.pattern + ")",
            piece[anchor.end() :],
        ) or bool(
            re.match(
                r"(?i)\s*(?:not\s+)?be\s+[^.;,]{0,80}?\b(?:as|which|that)\s+(?:will|shall|may)\b",
                piece[anchor.end() :],
            )
        )

    def passive_party(self, piece: str, anchor: re.Match[str]) -> str | None:
        """Who a passive without a party agent binds: the parties for meetings held and costs shared, the
        other party for what is handed to a party ("Reports shall be delivered to Sponsor")."""
        subject, rest = piece[: anchor.start()], piece[anchor.end() :]
        together = "both" if self.n_parties <= 2 else "all"
        if _MEETINGS_HELD.match(rest) and re.search(r"(?i)\bmeetings?\b", subject):
            return together
        if _COSTS_SHARED.match(rest) and re.search(r"(?i)\b(?:costs?|expenses?|fees?)\b", subject):
            return together
        if self.n_parties != 2:
            return None
        two = self.labels[:2]
        handed = _HANDED_TO.match(rest)
        if handed is not None:
            recipient = self.mention_re.match(rest, handed.end())
            named = self.norm(recipient.group(0)) if recipient else None
            if named in two and not self.mention_re.search(subject):
                return two[1] if named == two[0] else two[0]
            return None
        return None

    def subject_splits(self, start: int, end: int) -> list[re.Match[str]]:
        """Where another subject takes over ("…, and Party B shall …"), but not inside a conjoined
        subject ("The City and the University will …", "Both X and Y …")."""
        out = []
        cut = start
        for m in self.subject_split.finditer(self.text, start, end):
            if self.only_subject.fullmatch(self.text, cut, m.start()):
                continue
            # "If …, then EHS and Dr. Murray shall …": the subject after the condition's comma
            comma = self.text.rfind(",", cut, m.start())
            if comma >= 0 and _CONDITION_TO_SUBJECT.match(self.text, cut, comma):
                then = _THEN.match(self.text, comma + 1, m.start())
                if self.only_subject.fullmatch(self.text, then.end() if then else comma + 1, m.start()):
                    continue
            out.append(m)
            cut = m.end()
        return out

    def conjoined(self, seg: str, mentions: list[re.Match[str]], k: int) -> str | None:
        """The subject ending at ``mentions[k]``, with the parties conjoined before it.

        "The City and the University will …", "Both X and Y …", "Each of X and Y …" bind both (or all)
        when they name every party, otherwise the group as written ("EHS and EHN"); "X or Y" is the
        group as written.
        """
        last = mentions[k]
        names = [last]
        j = k
        while j > 0:
            gap = seg[mentions[j - 1].end() : names[0].start()]
            # The last two are joined by and / or / &; earlier ones may be a comma list.
            joiner = r",?\s*(?:and(?:/or)?|&|n?or)" if j == k else r",|,?\s*(?:and(?:/or)?|&|or)"
            # "Playa (or its affiliate) and Hyatt's affiliate"; "The University and/or its Principal
            # Investigator together with ArTara": together with joins parties like and.
            joiner = rf"(?:\s*\((?:or|and)\s[^()]{{0,40}}\))?(?:{joiner})|[^.;:()]{{0,60}}?\b(?:together|along)\s+with"
            if not re.fullmatch(rf"(?i)\s*(?:{joiner})\s*(?:the\s+)?", gap):
                break
            names.insert(0, mentions[j - 1])
            j -= 1
        if len(names) == 1:
            return self.norm(last.group(0))
        parties = [self.norm(m.group(0)) for m in names]
        if any(p in ("both", "all", "either", None) for p in parties):
            return self.norm(last.group(0))
        distinct = list(dict.fromkeys(p for p in parties if p))
        written = seg[names[0].start() : last.end()]
        plain = re.sub(r"\([^()]{0,60}\)", "", written)  # "(or its affiliate)" does not make X or Y
        if re.search(r"(?i)\bor\b", plain) and not re.search(r"(?i)and/or", plain):
            return " ".join(written.split())
        if len(distinct) >= self.n_parties >= 2:
            return "both" if self.n_parties == 2 else "all"
        return " ".join(written.split()) if len(distinct) > 1 else distinct[0]

    def heading_party(self, clause: Clause, text: str) -> str | None:
        head = clause.heading or ""
        if not head:
            # Headings run into the body after PDF flattening ("Item Ten Warrants of Party A Besides ...").
            lead = text[clause.start : min(clause.end, clause.start + 90)]  # not the next clause's heading
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
            parent = _list_opener(idx, clauses)
        if parent is None:
            return None
        pc = clauses[parent]
        own_end = clauses[parent + 1].start if parent + 1 < len(clauses) else pc.end
        own = self.text[max(pc.start, own_end - LEAD_IN_WINDOW) : own_end]  # the lead-in ends the parent
        mentions = list(self.mention_re.finditer(own))
        m = mentions[-1] if mentions else None
        if m and _EN_RIGHT.match(own, m.end() + len(own[m.end() :]) - len(own[m.end() :].lstrip())):
            return (
                None  # "Torvec shall be entitled to the following sponsorship benefits:": rights, not tasks
            )
        if m and re.match(
            # the modal in the mention's own sentence: "Oak Ridge, to undertake this study …. The objectives of
            # the study will be to:" lists what a study covers, not what Oak Ridge does
            r"(?i)[^.;:]*?\b(shall|will|must|agrees?|undertakes?|(?:is|are)\s+responsible)\b[^.:]{0,60}:\s*$",
            own[m.end() :],
        ):
            return self.conjoined(own, mentions, len(mentions) - 1)  # "The City and the University shall:"
        # "Dr. Murray shall provide the following ongoing services to EHS for …:": the party that is the
        # subject of the lead-in's modal, whoever its object names.
        for k in range(len(mentions) - 1, max(-1, len(mentions) - 6), -1):
            if _LEAD_IN_AFTER_SUBJECT.match(own, mentions[k].end()):
                return self.conjoined(own, mentions, k)
        return None

    def boilerplate_heading(self, heading: str) -> bool:
        return bool(heading) and bool(_EN_BOILER_HEADING.search(heading))

    def _party_for(self, start: int, end: int, anchor: re.Match[str] | None) -> str | None:
        seg = self.text[start:end]
        mentions = list(self.mention_re.finditer(seg))
        mention_ends = [m.end() for m in mentions]
        for other in _EN_MODAL.finditer(seg):
            # Prefer the modal that has a party right before it ("..., Party B shall compensate").
            k = bisect_right(mention_ends, other.start())
            if k:
                gap = seg[mention_ends[k - 1] : other.start()]
                if (
                    len(gap) < 60
                    and len(gap.split()) <= 3
                    and not re.search(r"(?i)\b(of|to|with|for|by|from|and)\s*$", gap)
                    and not re.search(r"[,;]", gap)
                ) or _PARENTHETICAL.fullmatch(gap):
                    return self.conjoined(seg, mentions, k - 1)
        if anchor is not None:
            before = seg[: anchor.start()]
            cands = list(self.mention_re.finditer(before))
            if cands:
                last = cands[-1]
                gap = before[last.end() :]
                if len(gap.split()) <= 4 and not re.search(r"(?i)\b(of|to|with|for|by|from)\s*$", gap):
                    # "Party A and Party B agree"/"Equipment of both parties must": the named subject.
                    return self.conjoined(seg, cands, len(cands) - 1)
                first = cands[0]
                if first.start() < 3 or re.match(r"(?i)\s*(?:and|,)", before[first.end() : first.end() + 5]):
                    return self.norm(first.group(0))
            after = seg[anchor.end() :]
            by = re.search(
                r"(?i)\b(?:by|of)\s+(?:the\s+)?("
                + self.mention_re.pattern[len("(?=\\w)(?<![A-Za-z])(") : -len(")(?![A-Za-z])")]
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

    def _agreed_items(self, start: int, end: int) -> tuple[int, str] | None:
        """ "the Parties each agree that Confidential Information …: (i) shall be received …, (ii) shall be
        used …": where the items begin, and the party that agrees to them."""
        m = _AGREE_THAT.search(self.text, start, end)
        if m is None:
            return None
        mentions = list(self.mention_re.finditer(self.text, max(start, m.start() - 120), m.start()))
        if not mentions or self.text[mentions[-1].end() : m.start()].strip():
            return None
        seg = self.text[start : m.start()]
        local = list(self.mention_re.finditer(seg))
        party = self.conjoined(seg, local, len(local) - 1) if local else None
        return (m.end(), party) if party is not None else None

    def _payer(self, piece: str, party: str, at: int = 0) -> str:
        """ "STW shall be reimbursed …": between two parties, the one who pays is the other, unless the
        passive names its agent ("shall be paid by X"); among more, the one the text has paying that party
        before ("EHN will pay Dr. Murray …" before "Dr. Murray will be paid …")."""
        count = self.n_parties
        if count < 2 or party not in self.labels[:count]:
            return party
        m = _PAID.search(piece)
        if m is None and count == 2:
            m = _RECEIVES.search(piece)  # "Provider shall be notified …", "Client shall be given access …"
        if m is None:
            return party
        by = re.match(r"\s+by\s+(?:the\s+)?", piece[m.end() : m.end() + 12])
        if by:
            agent = self.mention_re.match(piece, m.end() + by.end())
            named = self.norm(agent.group(0)) if agent else None
            return named if named in self.labels[:count] else party  # "shall be paid by Harbor"
        payee = [x for x in self.mention_re.finditer(piece, max(0, m.start() - 80), m.start())]
        if not payee or piece[payee[-1].end() : m.start()].strip() or self.norm(payee[-1].group(0)) != party:
            return party
        if count == 2:
            return self.labels[1] if party == self.labels[0] else self.labels[0]
        payer = None
        for paying in self.pays_re.finditer(self.text, max(0, at - PAYER_WINDOW), at):
            named = self.norm(paying.group(1))
            if self.norm(paying.group(3)) == party and named in self.labels[:count] and named != party:
                payer = named
        return payer or party

    def _main_clause(self, start: int, end: int) -> int | None:
        """Start of the main clause of an "If …, Party A shall …" piece (the piece start otherwise)."""
        piece = self.text[start:end]
        if not _EN_COND_START.match(piece):
            return start
        for anchor in _EN_MODAL.finditer(piece):
            before = piece[: anchor.start()]
            mentions = list(self.mention_re.finditer(before))
            passive = re.match(r"\s*be\s+\w+ed\s+by\s+", piece[anchor.end() :])
            pronoun = _PRONOUN_SUBJECT.search(before)
            if pronoun is not None and self.condition_subject(start, start + pronoun.start(1)) is not None:
                return start + pronoun.start(1)  # "If Licensee learns of …, it shall notify …"
            if (mentions and len(before[mentions[-1].end() :].split()) <= 3) or passive:
                # The main clause starts after the last comma before its subject.
                subject_at = mentions[-1].start() if mentions and not passive else anchor.start()
                commas = [c.end() for c in re.finditer(r",\s*(?:then\s+)?", piece[:subject_at])]
                if commas:
                    return start + commas[-1]
        return None

    def that_clause_subject(self, start: int, end: int) -> str | None:
        """The party that represents, warrants or agrees that …, for "it" in the clause that follows."""
        found = None
        for m in self.that_clause_re.finditer(self.text, start, end):
            found = self.norm(m.group(1))
        return found

    def condition_subject(self, start: int, end: int) -> str | None:
        """The party that is the subject of the condition ``start:end`` ("If Licensee learns …", "In the event
        that one party is required …"), which a pronoun after it ("it shall …") stands for."""
        opened = _EN_COND_START.match(self.text, start, end)
        if opened is None:
            return None
        at = re.compile(r"(?i)[ \t\n]*+(?:that[ \t\n]++)?(?:the[ \t\n]++)?").match(
            self.text, opened.end(), end
        )
        mention = self.mention_re.match(self.text, at.end() if at else opened.end(), end)
        if mention is None:
            one = re.compile(r"(?i)(?:one|a)[ \t\n]++party\b").match(
                self.text, at.end() if at else opened.end(), end
            )
            return "either" if one is not None else None
        return self.norm(mention.group(0))

    def sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        return _sentences_en(self.text, start, end, self.lines)

    def parts(self, start: int, end: int) -> list[tuple[int, int]]:
        """The sentence cut where another subject or verb phrase begins (no filter applied)."""
        out: list[tuple[int, int]] = []
        cut = start
        for m in self.subject_splits(start, end):
            out.extend(_split_en(self.text, cut, m.start()))
            cut = m.end()
        out.extend(_split_en(self.text, cut, end))
        return [trim(self.text, a, b, " \t\n,;:", " \t\n,;:.") for a, b in out]

    def guess_party(
        self, start: int, end: int, inherited: str | None, fallback: str | None
    ) -> tuple[str | None, str]:
        """Who a span binds, and where that came from (subject, heading, previous), for spans the rules left."""
        anchor = _EN_MODAL.search(self.text, start, end)
        shifted = None
        if anchor is not None:
            shifted = re.compile(re.escape(anchor.group(0))).search(self.text[start:end])
        party = self._party_for(start, end, shifted)
        if party is not None:
            return party, "subject"
        if inherited is not None:
            return inherited, "heading"
        if fallback is not None:
            return fallback, "previous"
        return None, "none"

    def units(
        self,
        start: int,
        end: int,
        inherited: str | None,
        fallback: str | None = None,
        *,
        listed: bool = False,
    ) -> list[Unit]:
        """``listed``: the span is an item under a lead-in that names its party ("Party B undertakes to
        provide the following services:", "The parties will cooperate in:"), so a noun phrase is one."""
        text = self.text
        out: list[Unit] = []
        outer = inherited
        tasks_party: str | None = None
        bullet_party: str | None = None
        for s_index, (s_start, s_end) in enumerate(_sentences_en(text, start, end, self.lines)):
            if not _WORD_OF_TWO.search(text, s_start, s_end):
                continue  # no word at all (digits, blanks): no party, modal or verb to find
            if _LONE_CONJUNCTION.fullmatch(text, s_start, s_end):
                continue  # "…; and" before the last bullet
            lead = self.tasks_lead.match(text, s_start, s_end)
            if lead is not None:
                tasks_party = self.norm(lead.group(1))
                s_start = lead.end()
            inherited = tasks_party if tasks_party is not None else outer
            # "The Parties will:" then "• Share information …;" in the same clause: the bullets are the
            # lead-in's party's undertakings
            bulleted = bool(_BULLET_BEFORE.search(text, max(start, s_start - 4), s_start)) or bool(
                _ITEM_MARK.match(text, s_start, s_end)
            )
            if not bulleted:
                bullet_party = None
            elif bullet_party is not None and tasks_party is None:
                inherited = bullet_party
            s_open = s_start
            agreed = self._agreed_items(s_start, s_end)
            if agreed is not None:
                s_start, agreed_party = agreed
                inherited = agreed_party
            if tasks_party is not None or inherited is not None:
                mark = _ITEM_MARK.match(text, s_start, s_end)
                if mark is not None:
                    s_start = mark.end()  # "b. define …": the item's own marker
            sentence = text[s_start:s_end]
            if _EN_BOILER.search(sentence):
                continue
            if not bulleted and sentence.rstrip().endswith(":"):
                lead_modal = _EN_MODAL.search(sentence)
                if lead_modal is not None and _LEAD_IN_REST.fullmatch(sentence, lead_modal.end()):
                    bullet_party = self._party_for(s_start, s_end, lead_modal)  # "The Parties will:"
            if sentence.rstrip().endswith(":") and re.search(
                r"(?i)following|also|as follows?\b|shall\s*:|\b(?:cooperat|collaborat|participat|engag)\w*\s+"
                r"(?:\w+\s+){0,3}(?:in|on)\s*:|\bby\s*:",
                sentence,
            ):
                continue  # umbrella: its list items are labelled instead
            if _FOLLOWING_ITEMS.search(sentence):
                continue  # "… will use its best efforts to provide the following services to COMPANY."
            if (
                text.startswith(":", s_end)
                and re.search(r"(?i)\bthe\s+following\b|\bas\s+follows?\b", sentence)
                and find_due(sentence, "en", None)[0] is None
            ):
                continue  # the same, its colon cut off with the line break ("… as "Services":")
            imperative_sentence = (
                bool(re.match(rf"\s*(?:{_EN_VERBS})\b", sentence, re.I)) and sentence.lstrip()[:1].isupper()
            )
            opened_unit: Unit | None = None
            cont = _NEXT_ENUM.match(sentence) if s_index > 0 and out else None
            opened = (
                _ENUM_OPENED.search(text, max(start, s_start - 600), s_start) if cont is not None else None
            )
            # "Pinecone will provide Westfield with the following: (i) telephone support; (ii) monthly
            # reports; and (iii) a dedicated account manager": noun phrases after a lead-in's colon
            items_after_colon = False
            if opened is None and s_index > 0 and out:
                cont = _NEXT_ITEM.match(sentence)
                colons = list(_LIST_OPENED.finditer(text, max(start, s_start - 600), s_start)) if cont else []
                colon = colons[-1] if colons else None
                if colon is not None and not re.search(
                    r"[.!?][ \t\n]+[A-Z]|\n[ \t]*\n", text[colon.end() : s_start]
                ):
                    opened, items_after_colon = colon, True
                else:
                    cont = None
            if cont is not None and opened is not None:
                inherited = out[
                    -1
                ].party  # "… will (i) follow all reasonable instructions …; and (ii) take …"
                opened_unit = next(
                    (u for u in reversed(out) if u.start <= opened.end() <= u.end + 1), out[-1]
                )
                s_start += cont.end("mark")
                sentence = text[s_start:s_end]
            parts = []
            cut = s_start
            for m in self.subject_splits(s_start, s_end):
                parts.extend(_split_en(text, cut, m.start(), imperative_sentence))
                cut = m.end()
            parts.extend(_split_en(text, cut, s_end, imperative_sentence and cut == s_start))
            sentence_party: str | None = None
            for k, (p_start0, p_end) in enumerate(parts):
                p_start = self._main_clause(p_start0, p_end)
                if p_start is None:
                    continue  # a condition whose consequence binds no party
                antecedent = (
                    self.condition_subject(p_start0, p_start)
                    if p_start > p_start0 and re.match(r"(?i)(?:it|they|such\s+party)\b", text[p_start:p_end])
                    else None
                )
                enum = re.match(r"\s*(?:\((?:\d{1,2}|[a-z]|[ivx]{1,4})|[ivx]{1,4})\)\s*", text[p_start:p_end])
                if enum and k > 0:
                    p_start += enum.end()  # "(b) reverse engineer …" continues the modal before "(a)"
                nor = _NOR.match(text, p_start, p_end) if k > 0 else None
                if nor:
                    p_start = nor.end()  # "… nor use such information …": the same modal, negated
                piece = text[p_start:p_end]
                anchor = _EN_MODAL.search(piece)
                right = _EN_RIGHT.search(piece)
                if right is not None and _SUBORDINATE_MAY.search(
                    piece, max(0, right.start() - 60), right.end() + 40
                ):
                    right = None  # "Provide such other services as EHS may reasonably request": not a right
                paid_by_other: str | None = None
                if right is not None and self.n_parties == 2 and _RECEIVES_MONEY.search(piece):
                    # "USA MCO will receive a revenue share": between two parties, the other one pays
                    receiver = self._party_for(p_start, p_end, anchor)
                    two = self.labels[:2]
                    if receiver in two:
                        paid_by_other = two[1] if receiver == two[0] else two[0]
                        right = None
                if right and (anchor is None or right.start() <= anchor.end() + 1):
                    continue
                if _EN_LIABILITY.search(piece):
                    continue
                if anchor is not None and _LEAD_IN_REST.fullmatch(piece, anchor.end()):
                    continue  # a lead-in ("In conjunction with the Services, UTK agrees to", "… agree to jointly:")
                passive_party: str | None = None
                if anchor is not None and agreed is None and self.describes_thing(piece, anchor):
                    passive_party = self.passive_party(piece, anchor)
                    if passive_party is None:
                        continue
                starts_verb = (
                    bool(re.match(rf"\s*(?:(?:not\s+)?to\s+)?(?:{_EN_VERBS})\b", piece, re.I))
                    or (nor is not None and bool(re.match(r"[a-z]{3,}\b", piece)))
                    or (
                        (inherited is not None or (enum is not None and k > 0))
                        and bool(re.match(r"\s*(?:not\s+)?(?:to\s+)?[a-z]{3,}\b", piece))
                        and not re.match(rf"\s*(?:{_EN_NOT_VERB})\b", piece)
                    )
                    # "(c) Furnishing technical assistance to Licensee" under a party's heading or lead-in
                    or (inherited is not None and bool(_GERUND_ITEM.match(piece)))
                    # "… responsible for recruiting patients and for obtaining informed consent"
                    or (k > 0 and bool(re.match(r"\s*for\s+[a-z]{3,}ing\b", piece)))
                    # "• Meet at least twice per year" under "The Parties will:"
                    or (
                        bulleted
                        and bullet_party is not None
                        and k == 0
                        and bool(re.match(r"\s*(?:\(?[a-z0-9]{1,4}[.)]\s*)?[A-Za-z][a-z]{2,}\b", piece))
                        and not re.match(rf"(?i)\s*(?:\(?[a-z0-9]{{1,4}}[.)]\s*)?(?:{_EN_NOT_VERB})\b", piece)
                    )
                )
                # A verb phrase split off after "and" continues the previous unit's modal.
                # Lower-case items count when a heading or lead-in ("The University shall:") names the party.
                imperative = starts_verb and (piece.lstrip()[:1].isupper() or k > 0 or inherited is not None)
                party = self._party_for(p_start, p_end, anchor) if passive_party is None else passive_party
                if paid_by_other is not None:
                    passive_party = party = paid_by_other
                if party is None and anchor is not None and _PRONOUN_BEFORE.search(piece, 0, anchor.start()):
                    party = self.that_clause_subject(
                        s_open, p_start + anchor.start()
                    )  # "X warrants that … it will"
                named_in_condition = antecedent is not None and party is None
                if named_in_condition:
                    party = antecedent  # "If Licensee learns of a breach, it shall notify Sponsor"
                if imperative and anchor is None and inherited is not None:
                    party = inherited  # list item under "Warrants of Party A" / "Party A shall also:"
                if party is None and k > 0 and sentence_party is not None:
                    party = sentence_party
                nominal = (
                    listed
                    and s_index == 0
                    and k == 0
                    and anchor is None
                    and inherited is not None
                    and len(_WORDS.findall(piece)) >= 3
                    and not _NOT_ITEM.match(piece)
                )
                nominal = nominal or (items_after_colon and k == 0 and anchor is None)
                if nominal:
                    party = inherited  # "(a) joint research;" under "The parties will cooperate in:"
                if anchor is None and not imperative and not nominal and not self.present_re.search(piece):
                    continue  # no modal, no imperative list item, no "<party> provides ..."
                if party is None:
                    party = inherited
                if party is None:
                    continue
                if agreed is not None:
                    party = agreed[1]  # what the parties agree of a thing binds them, whoever its agent
                party = self._payer(piece, party, p_start) if passive_party is None else passive_party
                sentence_party = party
                # the quote holds the party: from the condition that names it when a pronoun stands for it
                q_from = p_start0 if named_in_condition else p_start
                q_start, q_end = trim(text, q_from, p_end, " \t\n,;:", " \t\n,;:")
                q_start = _strip_lead_en(text, q_start, q_end)
                if q_end - q_start < 8:
                    continue
                a_start = p_start + anchor.end() if anchor else q_start
                negated = bool(
                    re.search(
                        r"(?i)\b(?:shall|will|must|may|agrees?|undertakes?)\s+not\b|\bcannot\b", sentence
                    )
                )
                own_negation = anchor is not None and bool(re.search(r"(?i)\bnot\b|cannot", anchor.group(0)))
                inherited_negation = k > 0 and negated and not re.match(r"(?i)\s*(?:\(\w+\)\s*)?not\b", piece)
                prefix = "not " if own_negation or (anchor is None and (inherited_negation or nor)) else ""
                unit = Unit(q_start, q_end, party, a_start, p_start != p_start0, prefix)
                context_start = s_open if agreed is not None else s_start  # "During the term …, X agree that"
                if _WORD_OF_TWO.search(text, context_start, q_start):
                    unit.due_context = (context_start, q_start)
                if opened_unit is not None and k == 0:
                    # the period of the enumeration's opening sentence ("during the Term …, both Parties will not (i)")
                    # only the lead-in's due, not the first item's own ("shall: (a) pay all royalties when due")
                    lead_end = min(opened_unit.end, opened.end()) if opened is not None else opened_unit.end
                    opened_due = find_due(text[opened_unit.start : lead_end], "en", None)[0]
                    at = text.find(opened_due, opened_unit.start, lead_end) if opened_due else -1
                    if opened_due and at >= 0:
                        unit.due_context = (at, max(lead_end, at + len(opened_due)))
                out.append(unit)
        return out


# The first item of a list and the style of each marker ("i." roman, "a." letter, "1." digit).
_FIRST_ITEM = re.compile(r"\(?(?:i|a|A|I|1)[.)]")
_MARKER_STYLES = (
    re.compile(r"\(?[ivx]{1,5}[.)]"),
    re.compile(r"\(?[a-z][.)]"),
    re.compile(r"\(?[A-Z][.)]"),
    re.compile(r"\(?\d{1,2}[.)]"),
)


def _list_opener(idx: int, clauses: list[Clause]) -> int | None:
    """A list whose items are no children of the clause before it ("… the following services to AVDU:
    i. Identify …", both at one level): the clause the list's first item follows."""
    level = clauses[idx].level
    number = clauses[idx].number or ""
    style = next((p for p in _MARKER_STYLES if p.fullmatch(number)), None)
    if style is None:
        return None
    k = idx
    for _ in range(40):  # a list is not longer than this
        if _FIRST_ITEM.fullmatch(clauses[k].number or ""):
            break
        if k == 0 or clauses[k - 1].level != level or not style.fullmatch(clauses[k - 1].number or ""):
            return None
        k -= 1
    else:
        return None
    if k == 0 or clauses[k - 1].level != level or style.fullmatch(clauses[k - 1].number or ""):
        return None
    return k - 1


def _strip_lead_en(text: str, start: int, end: int) -> int:
    m = re.match(r"(?i)(?:and|or|but|also|further(?:more)?|in\s+addition|then)\b[\s,]*", text[start:end])
    return start + m.end() if m else start


# A semicolon may come as the full-width "；" or as U+037E, which looks the same (PDF text layers).
# A title before a name ("Dr. Murray", "Mr. Smith") or a number ("No. 5") does not end a sentence.
_EN_SENTENCE_END = re.compile(
    r"(?<=[.;!?])(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bProf\.)(?<!\bNo\.)(?<!\bSt\.)"
    r"\s+(?=[A-Z(\"“0-9])|[;；\u037e]\s*|\n\s*|:\s+(?=[A-Z])"
    # a bullet run into the line ("… the system ●IMedicor will …") starts another sentence
    r"|[ \t]*[●•▪][ \t]*"
)


# A capital letter and full stop between two names is a middle initial ("James E. Billie"), unless the
# word before it makes the letter a name of its own ("Party A. Party B shall …", "Schedule B. The …").
_INITIAL_BEFORE = re.compile(r"(?<![A-Za-z])([A-Z][a-z]{1,20})[ \t]([A-Z])\.$")
_NAME_AFTER = re.compile(r"[A-Z][a-z]{1,20}\b(?![ \t\n]*+(?:shall|will|must|may)\b)")
_LETTER_NAMES = frozenset((
    "party", "schedule", "exhibit", "appendix", "annex", "article", "section", "attachment", "item", "class",
    "series", "phase", "plan", "option", "group", "part", "form", "note", "table", "figure", "step", "stage",
    "level", "grade", "type", "model", "unit", "block", "lot", "zone",
))  # fmt: skip
_SENTENCE_OPENERS = frozenset((
    "the", "this", "that", "these", "those", "each", "any", "all", "if", "in", "on", "for", "upon", "after",
    "before", "during", "within", "no", "neither", "either", "such", "both", "it", "its", "their", "we",
    "our", "you", "a", "an", "as", "at", "by", "from", "to", "with", "where", "when", "unless",
    "notwithstanding",
))  # fmt: skip


def _middle_initial(text: str, stop: int, after: int) -> bool:
    before = _INITIAL_BEFORE.search(text, max(0, stop - 26), stop)
    if before is None or before.group(1).lower() in _LETTER_NAMES:
        return False
    name = _NAME_AFTER.match(text, after)
    return name is not None and name.group(0).lower() not in _SENTENCE_OPENERS


def _sentences_en(text: str, start: int, end: int, lines: Lines | None = None) -> list[tuple[int, int]]:
    out = []
    s = start
    for m in _EN_SENTENCE_END.finditer(text, start, end):
        if text[m.start()] == "\n" and lines is not None and lines.wraps(m.start()):
            continue  # a hard-wrapped line, not a sentence end
        if text[m.start() - 1 : m.start()] == "." and _middle_initial(text, m.start(), m.end()):
            continue  # "Chief James E. Billie"
        e = m.start()
        if text[s:e].strip():
            out.append((s, e))
        s = m.end()
    if text[s:end].strip():
        out.append((s, end))
    return bounded(text, out)


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
        if first is not None and s == 0 and _ASIDE_AFTER_MODAL.fullmatch(seg, after, m.start()):
            continue  # "shall, at its own expense, obtain …": the modal's verb follows its aside
        if first is not None and s == 0 and not seg[after : m.start()].strip(" \t\n,"):
            continue  # "will not, and will cause its Affiliates not to, disclose …": one undertaking
        if (
            "," not in m.group(0)
            and s == 0  # the last of a list of verb phrases cut at commas is a phrase of its own
            and len(seg[max(s, after) : m.start()].split()) <= 4
            and not re.match(r"\s*(?:shall|will|must|to|for)\b", seg[m.end() :])
        ):
            continue  # "defend, indemnify and hold harmless" / "complete its due diligence and provide"
        parts.append((start + s, start + m.start()))
        s = m.end()
    parts.append((start + s, end))
    return parts
