"""Plain-words summaries and descriptions for the API's operations, and the OpenAPI document built with
them and with the field glossary.

Operations built by ``crud_router`` word their own; the others are named here by method and path so
that the whole API reads alike in one place ("Create an organisation", "Report progress on a task").
A route whose decorator already gives a description keeps it; the summary here wins, so the docs
page lists imperative sentences.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from accord.api.glossary import document_fields

__all__ = ["OPERATIONS", "OPTIONAL_TOKEN", "build_openapi", "missing_operation_docs"]

# (method, path) -> (summary, description)
OPERATIONS: Final[dict[tuple[str, str], tuple[str, str]]] = {
    ("post", "/agreements/{agreement_id}/text"): (
        "Import an agreement's signed text",
        "Upload the signed text as a file (DOCX, PDF, TXT, Markdown, HTML). Accord splits it into clauses and "
        "proposes commitments at once; scans and DOC/WPS/RTF/ODT files are read in the background and the "
        "answer carries the job to follow (202). A new text for an agreement that already has one is kept as "
        "its next version, with the reviewed commitments carried over.",
    ),
    ("get", "/agreements/{agreement_id}/text"): (
        "Read an agreement's text and clauses",
        "The current version of the agreement's text with its numbered clauses and their offsets.",
    ),
    ("get", "/agreements/{agreement_id}/commitments"): (
        "List an agreement's commitments",
        "Every commitment proposed from or added to the agreement, in the order of the text, with its review state.",
    ),
    ("post", "/agreements/{agreement_id}/commitments"): (
        "Add a commitment by hand",
        "Record a commitment the text holds but Accord did not propose; it starts as accepted.",
    ),
    ("get", "/commitments/{commitment_id}"): (
        "Get a commitment",
        "The commitment with this id, if you may read its agreement.",
    ),
    ("put", "/commitments/{commitment_id}"): (
        "Correct a commitment",
        "Replace the party, action, due date, recurrence or amount Accord proposed; send If-Match with the "
        "version to refuse a stale edit.",
    ),
    ("post", "/commitments/review"): (
        "Accept or reject commitments",
        "Record one review decision for several commitments at once. Accepted commitments can become tasks.",
    ),
    ("post", "/commitments/merge"): (
        "Merge commitments into one",
        "Join commitments the text split over several sentences; the first keeps its id and the others are "
        "rejected.",
    ),
    ("post", "/commitments/{commitment_id}/split"): (
        "Split a commitment",
        "Copy a commitment that holds two obligations, so that each copy can be corrected apart.",
    ),
    ("get", "/jobs/{job_id}"): (
        "Follow a background job",
        "A background job's state, progress and, once finished, its result or error.",
    ),
    ("post", "/jobs/{job_id}/cancel"): (
        "Cancel a background job",
        "Ask the job to stop; it stops at its next step and keeps what was already done.",
    ),
    ("post", "/imports"): (
        "Import a backlog of agreements",
        "Upload agreement files (or ZIPs of folders) and optionally the office's ledger. They are read in the "
        "background; follow the job, then review the import.",
    ),
    ("get", "/imports/{batch_id}"): (
        "Get an import",
        "The import with what was found in each file and ledger row and what will be created from it.",
    ),
    ("patch", "/imports/{batch_id}/items/{item_id}"): (
        "Correct an imported item",
        "Change what will be done with one file or ledger row: its parties, dates, or whether it is created, "
        "linked as a copy or revision, or skipped.",
    ),
    ("put", "/imports/{batch_id}/ledger-mapping"): (
        "Map the ledger's columns",
        "Say which ledger column holds which field; the ledger is read again with this mapping, which is "
        "remembered for the next import.",
    ),
    ("post", "/imports/{batch_id}/confirm"): (
        "Confirm an import",
        "Create everything decided, one transaction per agreement, in the background.",
    ),
    ("post", "/imports/{batch_id}/cancel"): (
        "Cancel an import",
        "Stop the import; nothing more is created from it.",
    ),
    ("get", "/tasks"): (
        "List tasks",
        "The supervision board: tasks and milestones across the agreements you may read, with their computed "
        "status, filtered and sorted.",
    ),
    ("post", "/tasks"): (
        "Create a task",
        "Create a task or milestone for an agreement, usually from an accepted commitment, with its owner and "
        "due date.",
    ),
    ("get", "/tasks/{task_id}"): (
        "Get a task",
        "The task with this id, with its computed status and latest progress.",
    ),
    ("put", "/tasks/{task_id}"): (
        "Replace a task",
        "Replace every field of the task; send If-Match with its version to refuse a stale edit (412).",
    ),
    ("post", "/tasks/{task_id}/archive"): (
        "Archive a task",
        "Hide the task from the board; it is kept with its history.",
    ),
    ("get", "/tasks/{task_id}/updates"): (
        "List a task's progress reports",
        "Every progress report on the task, newest first.",
    ),
    ("post", "/tasks/{task_id}/updates"): (
        "Report progress on a task",
        "Record a percentage and/or a value of the task's measure with a note; marking it done closes the task.",
    ),
    ("post", "/tasks/bulk"): (
        "Change several tasks at once",
        "Mark tasks done, cancel them, or move their due date, in one transaction.",
    ),
    ("get", "/news"): (
        "List news",
        "Published news and notices; drafts too for the people who may publish them.",
    ),
    ("post", "/news"): (
        "Write a news item",
        "Write a news item or notice in safe Markdown, as a draft or published.",
    ),
    ("get", "/news/{news_id}"): (
        "Get a news item",
        "The news item with this id (reading it here is not counted).",
    ),
    ("put", "/news/{news_id}"): (
        "Replace a news item",
        "Replace every field of the news item; send If-Match with its version to refuse a stale edit.",
    ),
    ("post", "/news/{news_id}/archive"): (
        "Archive a news item",
        "Take the news item off the lists and public pages.",
    ),
    ("get", "/agreements/{agreement_id}/scorecard"): (
        "Get an agreement's scorecard",
        "How the agreement's commitments stand today (or on as_of): counts per fulfilment state, the "
        "fulfilment rate, and each commitment with its fulfilment.",
    ),
    ("post", "/tasks/from-commitments"): (
        "Create the tasks of all accepted commitments at once",
        "One task for each accepted commitment of the agreement that has none yet, owned by the organisation "
        "of the obligated party and dated from the commitment (recurring ones get their occurrences); send "
        "rows to create them as edited. All are created or none, an error naming its row (rows.3.due_on).",
    ),
    ("get", "/commitments/{commitment_id}/fulfilment"): (
        "Get a commitment's fulfilment",
        "Fulfilled, partly fulfilled, in progress, overdue, not started or waived, computed from the "
        "commitment's tasks by the same rules as every page (or as a coordinator set it, with the reason); "
        "give year to judge a recurring commitment on that year's occurrences.",
    ),
    ("put", "/commitments/{commitment_id}/fulfilment"): (
        "Override a commitment's fulfilment",
        "Set the fulfilment with a reason (kept in the audit trail and shown on the pages), or send a null "
        "state to compute it from the tasks again. Coordinators of a party only.",
    ),
    ("get", "/reports/annual"): (
        "Download the annual report",
        "The annual cooperation report for a year, as PDF or XLSX.",
    ),
    ("post", "/institutions/{item_id}/stage"): (
        "Move an institution to another stage",
        "Record a change in a co-built institution's lifecycle, with its date and a note.",
    ),
    ("post", "/institutions/{item_id}/indicators"): (
        "Add a KPI to an institution",
        "Add an indicator with its unit and target to a co-built institution.",
    ),
    ("put", "/indicators/{item_id}/values"): (
        "Record a KPI value",
        "Record the indicator's value for a period, replacing one recorded before for the same period.",
    ),
    ("post", "/programmes/{item_id}/cohorts"): (
        "Add a cohort to a programme",
        "Add a cohort with its dates, outcomes and participants per organisation.",
    ),
    ("post", "/achievements/{item_id}/move"): (
        "Move an achievement along the pipeline",
        "Record the achievement's move to another stage of the transfer pipeline.",
    ),
    ("get", "/catalogue"): (
        "List the public catalogue",
        "Achievements offered for transfer, as visitors see them; no token needed.",
    ),
    ("get", "/catalogue/{item_id}"): (
        "Get a public achievement",
        "One achievement of the public catalogue; no token needed.",
    ),
    ("get", "/works"): (
        "List publications and patents",
        "Experts' publications and patents, searched and filtered.",
    ),
    ("get", "/works/{work_id}"): ("Get a publication or patent", "The work with this id and its authors."),
    ("post", "/works/import"): (
        "Import publications and patents",
        "Import works from a CSV, JSONL, BibTeX or RIS file; authors are linked to people where Accord is sure "
        "and proposed for review otherwise.",
    ),
    ("get", "/demands"): ("List demands", "Enterprises' technical demands you may read."),
    ("post", "/demands"): (
        "Post a demand",
        "Record an enterprise's technical demand to be matched with experts.",
    ),
    ("get", "/demands/{demand_id}"): ("Get a demand", "The demand with this id."),
    ("get", "/demands/{demand_id}/suggestions"): (
        "Suggest experts for a demand",
        "Experts, achievements and labs whose work matches the demand, best first, each with the terms that "
        "matched.",
    ),
    ("get", "/demands/{demand_id}/matches"): ("List a demand's matches", "The matches sent for the demand."),
    ("post", "/demands/{demand_id}/matches"): (
        "Send a match",
        "Send a suggested expert, achievement or lab to the demand; an expert with an e-mail address is invited.",
    ),
    ("post", "/matches/{match_id}/response"): (
        "Record an expert's answer",
        "Record whether the expert accepted or declined the match, with a note.",
    ),
    ("post", "/matches/{match_id}/project"): (
        "Start a project from a match",
        "Turn an accepted match into a joint project.",
    ),
    ("get", "/outbox"): (
        "List e-mail notices",
        "E-mail notices with their state, held ones included while no SMTP server is configured; for "
        "administrators.",
    ),
    ("get", "/outbox/{notice_id}"): (
        "Get an e-mail notice",
        "One e-mail notice with its subject and text in its recipient's language; for administrators.",
    ),
}

_METHODS = ("get", "post", "put", "patch", "delete")

# Read without a token (published items) or with one (drafts too): the token is optional.
OPTIONAL_TOKEN: Final = frozenset({("get", "/news"), ("get", "/news/{news_id}")})

# query parameters: name -> (description, example)
PARAMETERS: Final[dict[str, tuple[str, Any]]] = {
    "page": ("Number of the page to return, from 1.", 1),
    "page_size": ("How many records a page holds.", 50),
    "include_archived": ("True to list archived records too.", False),
    "q": ("Words to search for in names and titles.", "万州"),
    "organisation_id": ("Only those of this organisation (and its units).", 1),
    "agreement_id": ("Only those under this agreement.", 1),
    "achievement_id": ("Only those for this achievement.", 1),
    "partner_id": ("Only those with this partner organisation.", 2),
    "parent_id": ("Only the units of this organisation.", 1),
    "organiser_id": ("Only events this organisation organised.", 1),
    "kind": ("Only those of this kind.", None),
    "status": ("Only those with this status.", None),
    "stage": ("Only those at this stage.", None),
    "review": ("Only commitments with this review state.", None),
    "ip_type": ("Only this kind of intellectual property.", None),
    "deal_type": ("Only this kind of deal.", None),
    "sort": ("Field to sort by; a leading minus sorts in descending order.", None),
    "state": ("Only those in this state.", None),
    "task_id": ("Only those about this task.", 7),
    "maturity": ("Only this technology readiness level (1 to 9).", 5),
    "year": ("Only those of this year.", 2020),
    "field": ("Only those in this field.", "hydraulic engineering"),
    "lang": ("Language of the report (zh or en).", "zh"),
    "format": ("File format of the report.", "pdf"),
}

_PATH_NOUNS: Final[dict[str, str]] = {
    "item_id": "record",
    "batch_id": "import",
    "job_id": "background job",
    "news_id": "news item",
    "work_id": "publication or patent",
}


def _document_parameter(parameter: dict[str, Any]) -> None:
    name = parameter["name"]
    if parameter.get("in") == "path" and name.endswith("_id"):
        noun = _PATH_NOUNS.get(name, name[:-3].replace("_", " "))
        parameter.setdefault("description", f"Id of the {noun}.")
        parameter.setdefault("example", 1)
        return
    found = PARAMETERS.get(name)
    if found is not None:
        parameter.setdefault("description", found[0])
        if found[1] is not None:
            parameter.setdefault("example", found[1])


def build_openapi(api: FastAPI) -> dict[str, Any]:
    """The API's OpenAPI document with every operation worded and every field described (cached)."""
    if api.openapi_schema:
        return api.openapi_schema
    document = get_openapi(
        title=api.title,
        version=api.version,
        openapi_version=api.openapi_version,
        description=api.description,
        routes=api.routes,
    )
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            for parameter in operation.get("parameters", []):
                _document_parameter(parameter)
            if (method, path) in OPTIONAL_TOKEN:
                operation["security"] = [{}, {"bearerAuth": []}]
            words = OPERATIONS.get((method, path))
            if words is not None:
                operation["summary"] = words[0]
                operation.setdefault("description", words[1])
    api.openapi_schema = document_fields(document)
    return api.openapi_schema


def missing_operation_docs(document: dict[str, Any]) -> list[str]:
    """``METHOD path: what`` for every operation without a summary or a description, or with an
    undescribed parameter."""
    missing = []
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            for key in ("summary", "description"):
                if not operation.get(key):
                    missing.append(f"{method.upper()} {path}: {key}")
            for parameter in operation.get("parameters", []):
                if not parameter.get("description"):
                    missing.append(f"{method.upper()} {path}: parameter {parameter['name']}")
    return missing
