"""What every field of the API's schemas means, with an example value, for the OpenAPI document.

Field names mean the same thing across Accord's schemas (``due_on`` is always a due date), so one
glossary serves them all; ``Schema.field`` entries say what a name means in one schema where it
differs. Paired bilingual fields (``title_zh``/``title_en``) share one entry for the base name with a
Chinese and an English example; ``…_id`` and ``…_ids`` fields name what they point to.
:func:`document_fields` writes descriptions and examples into a generated document, never replacing
ones a schema already declares.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["BILINGUAL", "FIELDS", "POINTERS", "document_fields", "missing_field_docs"]

# name -> (description, example)
FIELDS: Final[dict[str, tuple[str, Any]]] = {
    "id": ("The record's id, assigned by Accord.", 12),
    "version": (
        "Version of the record, raised by every change; send it as If-Match to refuse a stale edit.",
        3,
    ),
    "archived_at": ("When the record was archived (hidden from lists), or null.", None),
    "created_at": ("When the record was created (UTC).", "2026-03-02T08:15:00Z"),
    "updated_at": ("When the record last changed (UTC).", "2026-03-02T08:20:00Z"),
    "started_at": ("When the work started (UTC), or null while it waits.", "2026-03-02T08:15:02Z"),
    "finished_at": ("When the work finished (UTC), or null while it runs.", "2026-03-02T08:16:40Z"),
    "uploaded_at": ("When the file was uploaded (UTC).", "2020-07-28T02:00:00Z"),
    "published_at": ("When the item was (or is to be) published (UTC).", "2020-07-28T09:00:00Z"),
    "items": ("The records on this page.", []),
    "total": ("How many there are in all.", 42),
    "page": ("Number of this page, from 1.", 1),
    "page_size": ("How many records a page holds.", 50),
    "kind": ("What kind of record this is (one of the listed values).", "framework"),
    "status": ("Where the record stands (one of the listed values).", "active"),
    "state": ("State of the record (one of the listed values).", "accepted"),
    "stage": ("Current stage (one of the listed values).", "operating"),
    "signed_on": ("Date of signing.", "2020-07-27"),
    "effective_from": ("Date the agreement takes effect, if not the signing date.", "2020-07-27"),
    "expires_on": ("Date the agreement ends, or null for an open-ended one.", "2025-07-26"),
    "start_on": ("First day.", "2020-09-01"),
    "end_on": ("Last day, or null while open.", "2021-06-30"),
    "due_on": ("Due date.", "2020-12-31"),
    "due_text": ("The deadline as the text words it.", "2020年12月底前"),
    "held_on": ("Date the signing ceremony was held.", "2020-07-27"),
    "changed_on": ("Date of the change.", "2021-03-01"),
    "reported_on": ("Date the progress was reported.", "2020-11-15"),
    "responded_on": ("Date the expert answered.", "2026-04-03"),
    "sent_on": ("Date the match was sent.", "2026-04-01"),
    "stage_since": ("Date the current stage began.", "2021-03-01"),
    "deadline": ("Date by which the demand should be solved, or null.", "2026-12-31"),
    "as_of": ("The day the figures are computed for.", "2026-03-02"),
    "year": ("Year of publication or grant.", 2021),
    "title": ("Title.", "全面深化战略合作协议"),
    "name": ("Name as written.", "王强"),
    "description": (
        "Free text describing it.",
        "Design and build a slope monitoring system for the reservoir banks.",
    ),
    "summary": ("A short summary.", "Joint research on slope stability in the Three Gorges reservoir area."),
    "note": ("A note in free text.", "Agreed at the joint committee on 1 March."),
    "reason": ("Why, in free text.", "The partner asked to postpone."),
    "website": ("Web address.", "https://www.cqu.edu.cn"),
    "email": ("E-mail address.", "wang.qiang@example.edu.cn"),
    "phone": ("Telephone number.", "+86 23 6510 2000"),
    "currency": ("Currency code (ISO 4217).", "CNY"),
    "amount": ("Amount of money.", 500000),
    "amount_text": ("The amount as the text words it.", "人民币500万元"),
    "amount_value": ("The amount as a number.", 5000000),
    "amount_unit": ("Unit of the amount.", "元"),
    "budget": ("Budget the enterprise offers.", 300000),
    "share": ("Percentage held by this party.", 50),
    "percent": ("Progress in percent (0–100).", 60),
    "progress_percent": ("Latest reported progress in percent.", "60"),
    "metric_target": ("Target value of the task's measure, if it has one.", 20),
    "metric_unit": ("Unit of the task's measure.", "graduates"),
    "metric_value": ("Latest value of the task's measure.", 12),
    "party_label": ("The party as the text names it (甲方, party A, the Recipient …).", "甲方"),
    "action": ("What is to be done.", "provide funding for the joint laboratory"),
    "conditional": ("True when the obligation only applies if something happens.", False),
    "quote": ("The words of the text the commitment comes from.", "乙方负责组织专家团队开展技术攻关。"),
    "quote_start": ("Character offset where the quote begins in the text.", 1040),
    "quote_end": ("Character offset where the quote ends in the text.", 1068),
    "review": ("The reviewer's decision (one of the listed values).", "accepted"),
    "origin": ("Where it came from (one of the listed values).", "rules"),
    "needs_recheck": ("True when a revised text changed the clause and a reviewer should look again.", False),
    "recurrence": ("How often the obligation repeats, or null for once.", "yearly"),
    "recurrence_rule": (
        "Repetition as an iCalendar RRULE, or null for a one-off task.",
        "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
    ),
    "horizon_note": (
        "For a recurring task of an agreement without an end date: how far its occurrences were made, "
        "in the caller's language; null otherwise.",
        "The agreement has no end date, so occurrences were made for 5 years, up to 31 March 2029. "
        "Create the task again later for the years after.",
    ),
    "done": ("True once the task is done.", False),
    "cancelled": ("True once the task is cancelled.", False),
    "position": ("Order in the list, from 0 (party A).", 0),
    "parties": ("The parties in order.", []),
    "fulfils": ("Commitments this record fulfils.", []),
    "commitments": ("Commitments linked to the record.", []),
    "documents": ("Files attached to the record.", []),
    "attendees": ("People who attended, with their role.", []),
    "owners": ("Organisations that own it.", []),
    "inventors": ("People who made it.", []),
    "leads": ("People who lead it.", []),
    "cohorts": ("Cohorts of the programme.", []),
    "counts": ("Participants per organisation.", []),
    "participants": ("Number of participants.", 30),
    "indicators": ("KPIs of the institution.", []),
    "values": ("Recorded values, oldest first.", []),
    "stages": ("Stage changes, oldest first.", []),
    "moves": ("Moves along the transfer pipeline, oldest first.", []),
    "images": ("Images uploaded for the item.", []),
    "authors": ("Authors or inventors in order.", []),
    "ip_type": ("Kind of intellectual property (one of the listed values).", "patent"),
    "ip_numbers": ("Patent or registration numbers, comma separated.", "ZL202010123456.7"),
    "maturity": ("Technology readiness level, 1 to 9.", 5),
    "public": ("True when it is shown to visitors without an account.", True),
    "deal_type": ("Kind of transfer deal (one of the listed values).", "licence"),
    "unit": ("Unit the values are counted in (one of the listed values).", "count"),
    "target": ("Target value.", 10),
    "period": ("Period the value is for (a year, or year-quarter).", "2021"),
    "value": ("The value recorded.", 8),
    "filename": ("File name as uploaded.", "合作协议.docx"),
    "content_type": ("Media type of the file.", "application/pdf"),
    "size": ("Size in bytes.", 183204),
    "sha256": (
        "SHA-256 of the file's bytes, in hex.",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ),
    "width": ("Width in pixels.", 1200),
    "height": ("Height in pixels.", 800),
    "file": ("The file to upload.", "agreement.docx"),
    "files": ("The files to upload.", ["agreement.docx"]),
    "ledger": ("The office's ledger (XLSX or CSV), optional.", "ledger.xlsx"),
    "ledger_filename": ("File name of the ledger, if one was uploaded.", "台账2020.xlsx"),
    "ledger_headings": ("Column headings read from the ledger.", ["协议名称", "签订日期", "合作单位"]),
    "ledger_mapping": (
        "Which ledger column (counted from 0) holds which field.",
        {"title": 0, "signed_on": 2},
    ),
    "mapping": ("Which ledger column (counted from 0) holds which field.", {"title": 0, "signed_on": 2}),
    "row_no": ("Row of the ledger this item came from, or null.", 4),
    "error": ("Why it failed, or null.", None),
    "errors": ("What was wrong, one entry per field or line.", []),
    "proposal": (
        "What Accord read from the file.",
        {"title": "全面深化战略合作协议", "signed_on": "2020-07-27"},
    ),
    "decision": ("What will be created from the item.", {"action": "create"}),
    "linked_item_id": ("Item this one duplicates or revises, or null.", None),
    "waits_for": (
        "What the file waits for before it can be created, in the caller's language (empty: ready).",
        [
            "The text leaves the party “甲方” blank (a form to fill in): choose its organisation or propose a new one."
        ],
    ),
    "batch_id": ("Id of the import.", 5),
    "job_id": ("Id of the background job doing the work (see /jobs/{job_id}).", 17),
    "kind_label": ("Kind of job in the caller's language.", "Reading agreement files"),
    "message": ("What went wrong or is happening, in the caller's language.", "Reading file 3 of 10"),
    "cancel_requested": ("True when someone asked the job to stop.", False),
    "result": ("What the job produced once finished.", {"batch_id": 5}),
    "lang": ("Language of the text (zh or en).", "zh"),
    "language": ("Language of the text (zh or en).", "zh"),
    "source_format": ("Format the text was read from.", "docx"),
    "fallback_paragraphs": (
        "True when no numbered clauses were found and paragraphs stand in for them.",
        False,
    ),
    "body": ("The text.", "第一条 合作目标……"),
    "clauses": ("The clauses in text order.", []),
    "version_no": ("Number of the text's version, from 1.", 1),
    "number": ("Clause number as written.", "第三条"),
    "heading": ("Clause heading, if any.", "合作内容"),
    "level": ("Depth of the clause (1 for top-level clauses).", 1),
    "path": ("Numbers of the clause and those above it.", "3.2"),
    "start": ("Character offset where it begins.", 120),
    "end": ("Character offset where it ends.", 468),
    "change": (
        "How the clause changed from the previous text (one of unchanged, changed, new).",
        "unchanged",
    ),
    "proposed": ("How many commitments were proposed.", 14),
    "kept": ("How many reviewed commitments were kept from the previous text.", 0),
    "recheck": ("How many commitments need another look because their clause changed.", 0),
    "ids": ("Ids of the records.", [101, 102]),
    "task_ids": ("Ids of the tasks.", [7, 8]),
    "agreement_ids": ("Ids of the agreements the item is about.", [1]),
    "institution_ids": ("Ids of the co-built institutions the item is about.", [2]),
    "author_label": ("Who reported it.", "王强"),
    "actor_label": ("Who made the change.", "cqu@accord.example"),
    "body_html_zh": ("The Chinese body rendered to safe HTML.", "<p>签约仪式在万州举行。</p>"),
    "body_html_en": ("The English body rendered to safe HTML.", "<p>The signing took place in Wanzhou.</p>"),
    "source_url": (
        "Link to the original, if published elsewhere.",
        "https://news.example.edu.cn/2020/0728.html",
    ),
    "read_count": ("How many anonymous daily reads the item had.", 120),
    "states": (
        "Number of commitments in each fulfilment state.",
        {
            "fulfilled": 3,
            "partly_fulfilled": 1,
            "in_progress": 5,
            "overdue": 1,
            "not_started": 2,
            "waived": 0,
        },
    ),
    "fulfilment_rate": (
        "The fulfilment rate (履约率): fulfilled commitments ÷ (accepted − waived), 0 to 1, or null when none is owed.",
        0.75,
    ),
    "override_reason": ("Why a coordinator set the fulfilment instead of computing it, or null.", None),
    "field": ("Field or discipline.", "hydraulic engineering"),
    "keywords": ("Keywords, separated by semicolons.", "slope stability; reservoir"),
    "abstract": ("Abstract.", "We study landslides on reservoir banks."),
    "venue": ("Journal, conference or patent office.", "Engineering Geology"),
    "doi": ("DOI, if any.", "10.1016/j.enggeo.2021.106000"),
    "patent_number": ("Patent number, if a patent.", "CN112345678A"),
    "source": ("Where the record came from.", "bibtex"),
    "score": ("Matching score; higher is closer.", 12.5),
    "confidence": ("How sure Accord is of the link, 0 to 1.", 0.92),
    "rank": ("Place in the ranking, from 1.", 1),
    "relative": ("Score relative to the best suggestion, 0 to 1.", 0.8),
    "label": ("Name shown for the suggestion.", "李明"),
    "organisation": ("Organisation of the suggestion.", "重庆大学"),
    "readable_terms": ("Matched words a person can read, with their share of the score.", []),
    "matched_terms": ("Demand terms found in the documents.", []),
    "translated_terms": ("Demand terms found through translation.", []),
    "breakdown": ("The score's parts.", {"bm25": 10.2, "translation": 2.3}),
    "text": ("The word or phrase.", "边坡"),
    "term": ("The term.", "slope"),
    "gloss": ("The sense of the translation that matched.", "slope (of a hill)"),
    "via": ("The term it was translated from, or empty.", "边坡"),
    "contribution": ("Share of the score this term brings.", 0.35),
    "doc_id": ("Id of the document (work) that matched.", "w42"),
    "snippet": ("The document's words around the match.", "…slope stability of reservoir banks…"),
    "spans": ("Where the matched terms are in the snippet.", []),
    "experts": ("Suggested experts, best first.", []),
    "achievements": ("Suggested achievements, best first.", []),
    "labs": ("Suggested labs, best first.", []),
    "sent_by": ("Who sent the match.", "cqu@accord.example"),
    "response_note": ("What the expert answered.", "Happy to meet next week."),
    "read": ("How many records were read.", 120),
    "imported": ("How many were imported.", 118),
    "skipped_duplicates": ("How many were skipped as already known.", 2),
    "pending_reviews": ("How many authorships wait for a person to confirm them.", 5),
    "line": ("Line of the file, from 1.", 7),
    "detail": ("What went wrong, in the caller's language.", "Give the Chinese or the English name."),
    "type": ("A URI naming the kind of problem.", "about:blank"),
    "choice": ("How the party is resolved: an existing organisation or a new one.", "existing"),
    "new_name": ("Name of the organisation to create, when the choice is a new one.", "万州区教育委员会"),
    "new_kind": ("Kind of the organisation to create.", "government"),
    "new_parent_id": ("Organisation the new one belongs to, or null.", None),
    "target_agreement_id": ("Agreement the file is a copy or revision of, or null.", None),
    "recipient": ("Who the notice goes to (an e-mail address, or a name).", "wang.qiang@example.edu.cn"),
    "subject": ("The message's subject line.", "任务即将到期提醒：建设联合实验室"),
    "match_id": ("Id of the match whose invitation this is, or null.", None),
    "attempts": ("How many times sending was tried.", 1),
    "sent_at": ("When it was sent (UTC), or null.", "2026-03-02T08:15:03Z"),
    "last_error": ("Why the last try failed, or null.", None),
    "from_stage": ("The stage it left, or null for the first one.", None),
    "at": ("When it happened (UTC).", "2021-03-01T02:00:00Z"),
}

# Paired bilingual fields: base name -> (what it is, Chinese example, English example)
BILINGUAL: Final[dict[str, tuple[str, str, str]]] = {
    "title": (
        "Title",
        "全面深化战略合作协议",
        "Agreement on comprehensively deepening strategic cooperation",
    ),
    "name": ("Name", "重庆大学", "Chongqing University"),
    "short_name": ("Short name", "重大", "CQU"),
    "region": ("Region", "重庆市万州区", "Wanzhou, Chongqing"),
    "place": ("Place", "万州区", "Wanzhou District"),
    "role": ("Role at the event", "签约代表", "Signatory"),
    "term": ("Term as worded", "五年", "five years"),
    "summary": (
        "Summary",
        "双方在人才培养、科技创新等方面开展全面合作。",
        "Cooperation on talent, research and innovation.",
    ),
    "abstract": ("Abstract", "一种库岸边坡监测方法。", "A method for monitoring reservoir bank slopes."),
    "field": ("Field", "水利工程", "Hydraulic engineering"),
    "outcomes": ("Outcomes", "培养研究生 20 名。", "Twenty graduate students trained."),
    "outputs": ("Outputs", "发表论文 5 篇。", "Five papers published."),
    "funding": ("Funding", "双方各出资 50%。", "Each party funds half."),
    "note": ("Note", "由联合委员会确认。", "Confirmed by the joint committee."),
    "body": ("Body in safe Markdown", "签约仪式在万州举行。", "The signing took place in Wanzhou."),
}

# ``x_id`` / ``x_ids`` -> what x is
POINTERS: Final[dict[str, str]] = {
    "agreement": "agreement",
    "organisation": "organisation",
    "person": "person",
    "commitment": "commitment",
    "clause": "clause the commitment comes from",
    "task": "task",
    "achievement": "achievement",
    "demand": "demand",
    "project": "joint project this became",
    "signing_event": "signing event",
    "parent": "record above this one",
    "signatory": "person who signed for the party",
    "organiser": "organisation that organised the event",
    "owner_organisation": "organisation responsible for the task",
    "owner_person": "person responsible for the task",
    "owner_user": "account responsible for the task",
    "publisher": "organisation publishing the item",
    "target": "expert (person), achievement or lab (organisation) suggested",
}

# Where a name means something else in one schema
SCHEMA_FIELDS: Final[dict[str, tuple[str, Any]]] = {
    "JobOut.done": ("Steps done so far.", 3),
    "CommitmentScore.state": (
        "The commitment's fulfilment, computed from its tasks unless overridden.",
        "fulfilled",
    ),
    "FromCommitmentsIn.rows": ("The tasks as edited, or null to take the proposals as they are.", None),
    "FulfilmentOut.state": (
        "The commitment's fulfilment, computed from its tasks unless overridden.",
        "fulfilled",
    ),
    "FulfilmentOut.override": ("The fulfilment a coordinator set, or null when it is computed.", None),
    "FulfilmentOut.reason": ("Why the coordinator set it, or null.", None),
    "FulfilmentOut.year": ("The year whose occurrences a recurring commitment is judged on, or null.", 2021),
    "FulfilmentIn.state": ("The fulfilment to set, or null to compute it from the tasks again.", "waived"),
    "FulfilmentIn.reason": (
        "Why (required when a state is set).",
        "Both parties agreed in writing to drop it.",
    ),
    "JobOut.total": ("Steps in all, or null while unknown.", 10),
    "JobOut.percent": ("Progress in percent, or null while unknown.", "30"),
    "JobOut.state": ("Where the job stands.", "running"),
    "JobOut.kind": ("What the job does.", "onboarding.read"),
    "ProgressIn.done": ("True to mark the task done with this report.", False),
    "ProgressOut.percent": ("Progress in percent reported.", "60"),
    "ImportStarted.files": ("How many files were received.", 10),
    "accord__api__intake__ImportOut.clauses": ("How many clauses were found.", 24),
    "Problem.title": ("Short summary of the problem.", "Validation failed"),
    "Problem.status": ("HTTP status code.", 422),
    "FieldProblem.field": ("Field the problem is in (dotted path).", "name_zh"),
    "ItemOut.source": ("File name inside the upload, or the ledger.", "协议/2020/万州.docx"),
    "ItemOut.state": ("Where reading the item stands.", "proposed"),
    "BatchOut.state": ("Where the import stands.", "review"),
    "BatchOut.items": ("One item per file or ledger row.", []),
    "MatchOut.target": ("What kind of record was matched.", "person"),
    "MatchOut.status": ("Where the match stands.", "sent"),
    "MatchResponseIn.status": ("The expert's answer.", "accepted"),
    "MatchResponseIn.note": ("What the expert said.", "Happy to meet next week."),
    "MatchSendIn.target": ("What kind of record is matched.", "person"),
    "SuggestionOut.target": ("What kind of record is suggested.", "person"),
    "SuggestionOut.summary": (
        "Why it was suggested, in a sentence.",
        "Matched 3 of 4 demand terms in 5 works.",
    ),
    "SuggestionOut.documents": ("The documents that matched best.", []),
    "TermOut.source": ("Where the term was found (title, abstract …).", "title"),
    "TermOut.origin": ("How it matched: as written or through translation.", "direct"),
    "ReadableTermOut.source": ("Where the term was found (title, abstract …).", "title"),
    "ReadableTermOut.origin": ("How it matched: as written or through translation.", "translation"),
    "SpanOut.term": ("The term matched at this place.", "slope"),
    "IndicatorIn.target": ("Target value of the KPI.", 10),
    "IndicatorOut.target": ("Target value of the KPI.", 10),
    "TaskOut.status": ("Computed status: on track, at risk, overdue, done …", "on_track"),
    "TaskOut.progress_percent": ("Latest reported progress in percent.", "60"),
    "TaskIn.title": ("What is to be delivered.", "Set up the joint laboratory"),
    "TaskOut.title": ("What is to be delivered.", "Set up the joint laboratory"),
    "TaskIn.kind": ("Task or milestone.", "task"),
    "TaskOut.kind": ("Task or milestone.", "task"),
    "NewsIn.kind": ("News or notice.", "news"),
    "NewsOut.kind": ("News or notice.", "news"),
    "NewsIn.status": ("Draft or published.", "published"),
    "NewsOut.status": ("Draft or published.", "published"),
    "WorkOut.kind": ("Publication or patent.", "article"),
    "WorkOut.title": ("Title of the work.", "Stability of reservoir bank slopes"),
    "WorkOut.language": ("Language of the work.", "en"),
    "DemandIn.title": ("What the enterprise needs, in a line.", "Monitoring landslides on reservoir banks"),
    "DemandOut.title": ("What the enterprise needs, in a line.", "Monitoring landslides on reservoir banks"),
    "DemandOut.status": ("Where the demand stands.", "open"),
    "DecisionIn.title": ("Title of the agreement to create.", "全面深化战略合作协议"),
    "DecisionIn.term": ("Term of the agreement as worded.", "五年"),
    "DecisionIn.action": ("What to do with the item: create, link, skip …", "create"),
    "BulkIn.action": ("What to do with the tasks.", "done"),
    "BulkIn.due_on": ("New due date, for the move action.", "2021-03-31"),
    "CommitmentBrief.action": ("What was committed.", "provide funding for the joint laboratory"),
    "CommitmentScore.action": ("What was committed.", "provide funding for the joint laboratory"),
    "AuthorshipOut.state": ("Whether the author is linked to a person, proposed or confirmed.", "confirmed"),
    "AuthorshipOut.position": ("Order among the authors, from 0.", 0),
    "AuthorshipOut.name": ("The author's name as written in the work.", "Li Ming"),
    "StageChangeIn.stage": ("The stage to move to.", "operating"),
    "StageChangeOut.stage": ("The stage moved to.", "operating"),
    "MoveIn.to_stage": ("The pipeline stage to move to.", "negotiation"),
    "MoveOut.to_stage": ("The pipeline stage moved to.", "negotiation"),
    "IndicatorValueIn.unit": ("Unit, when it differs from the KPI's.", "count"),
    "OutboxNoticeOut.kind": ("What the notice is: reminder, overdue, escalation or invitation.", "reminder"),
    "OutboxNoticeOut.level": (
        "Who it is for on the escalation ladder: owner, coordinator or leadership.",
        "owner",
    ),
    "OutboxNoticeOut.state": ("Held (no SMTP server yet), pending, sent or failed.", "held"),
    "OutboxNoticeOut.body": ("The message's text in its recipient's language.", "王强，您好：……"),
    "OutboxNoticeOut.language": ("Language the notice is written in (zh or en).", "zh"),
    "DemandIn.description": (
        "The demand in the enterprise's words.",
        "We need to detect slope movement early.",
    ),
    "DemandOut.description": (
        "The demand in the enterprise's words.",
        "We need to detect slope movement early.",
    ),
}


def _describe(schema: str, name: str) -> tuple[str, Any] | None:
    found = SCHEMA_FIELDS.get(f"{schema}.{name}") or FIELDS.get(name)
    if found is not None:
        return found
    for suffix, language, index in (("_zh", "in Chinese", 1), ("_en", "in English", 2)):
        if name.endswith(suffix) and name[: -len(suffix)] in BILINGUAL:
            entry = BILINGUAL[name[: -len(suffix)]]
            return f"{entry[0]} {language}.", entry[index]
    for suffix, many in (("_ids", True), ("_id", False)):
        if name.endswith(suffix) and name[: -len(suffix)] in POINTERS:
            what = POINTERS[name[: -len(suffix)]]
            return (f"Ids of the {what}s.", [1, 2]) if many else (f"Id of the {what}.", 1)
    return None


def _object_like(prop: dict[str, Any]) -> bool:
    """A field whose example is its referenced schema's (an object, or a list of objects)."""
    options = prop.get("anyOf", [prop])
    return any("$ref" in option or "$ref" in option.get("items", {}) for option in options)


def _enum_example(prop: dict[str, Any], schemas: dict[str, Any]) -> Any:
    for option in prop.get("anyOf", [prop]):
        ref = option.get("$ref", "")
        target = schemas.get(ref.rsplit("/", 1)[-1]) if ref else None
        if target and target.get("enum"):
            return target["enum"][0]
    return None


def _types(prop: dict[str, Any]) -> set[str]:
    return {option.get("type", "") for option in prop.get("anyOf", [prop])}


def _fit(example: Any, prop: dict[str, Any]) -> Any:
    """The example in the field's JSON type: decimals answered as strings, integers asked as numbers."""
    types = _types(prop)
    numeric = isinstance(example, int | float) and not isinstance(example, bool)
    if numeric and not types & {"number", "integer"} and "string" in types:
        return str(example)
    if isinstance(example, str) and example.isdigit() and "string" not in types and "integer" in types:
        return int(example)
    return example


def document_fields(document: dict[str, Any]) -> dict[str, Any]:
    """Fill in a description and an example for every schema property that lacks one."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    for schema_name, schema in schemas.items():
        for name, prop in (schema.get("properties") or {}).items():
            found = _describe(schema_name, name)
            if found is None:
                continue
            description, example = found
            prop.setdefault("description", description)
            if "example" in prop or "examples" in prop:
                continue
            enum_value = _enum_example(prop, schemas)
            if enum_value is not None:
                prop["example"] = enum_value
            elif not _object_like(prop) or example not in ([], None):
                prop["example"] = _fit(example, prop)
    return document


def missing_field_docs(document: dict[str, Any]) -> list[str]:
    """``Schema.field`` of every property without a description, or without an example of its own
    (a field holding another schema's objects takes that schema's examples)."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    missing = []
    for schema_name, schema in schemas.items():
        for name, prop in (schema.get("properties") or {}).items():
            if not prop.get("description"):
                missing.append(f"{schema_name}.{name}: description")
            if "example" not in prop and "examples" not in prop and not _object_like(prop):
                missing.append(f"{schema_name}.{name}: example")
    return missing
