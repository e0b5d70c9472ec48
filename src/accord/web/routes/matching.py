"""Matchmaking pages: demands (signed-in and public form), the ranked and explained suggestions, sent
matches and their responses, works with their import and the author review queue, the index status."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from accord import clock
from accord.bibliography import ReadResult
from accord.config import Settings
from accord.i18n import N_, gettext, localized
from accord.labels import (
    AUTHOR_STATE_LABELS,
    DEMAND_STATUS_LABELS,
    MATCH_STATUS_LABELS,
    WORK_KIND_LABELS,
    choice_label,
    options,
)
from accord.models import Achievement, Demand, DemandStatus, MatchTarget, OrgKind, Role, WorkKind
from accord.schemas.matching import (
    DemandIn,
    MatchProjectIn,
    MatchResponseIn,
    MatchSendIn,
    PublicDemandIn,
)
from accord.schemas.numbers import parse_id
from accord.services import agreements, demands, files, matching, organisations, throttle, works
from accord.services.errors import FieldError, ServiceError, ValidationFailed
from accord.services.permissions import (
    Principal,
    can_manage_matching,
    require,
    require_signed_in,
)
from accord.services.validation import parse
from accord.web.deps import OptionalPrincipalDep, PrincipalDep, SessionDep, SettingsDep
from accord.web.forms import FormDep, errors_by_field, read_form
from accord.web.listing import FilterField, ListView, list_routes
from accord.web.render import flash, render
from accord.web.saving import archive_route, save_or_rerender
from accord.web.security import client_address
from accord.web.tables import Column

router = APIRouter()

SOURCE_LABELS = {
    "query": N_("word of the demand"),
    "translation": N_("translation"),
    "feedback": N_("related term"),
}
BREAKDOWN_LABELS = {
    "original_terms": N_("Words of the demand"),
    "translated_terms": N_("Translated words"),
    "feedback_terms": N_("Related terms"),
    "documents": N_("Supporting documents"),
    "score": N_("Score"),
}
WORK_FILTERS: dict[str, type] = {"kind": WorkKind, "year": int, "person_id": int}
DEMAND_FILTERS: dict[str, type] = {"status": DemandStatus, "organisation_id": int}
RECENCY = [("3", N_("Last 3 years")), ("5", N_("Last 5 years")), ("10", N_("Last 10 years"))]

# Public form: at most PUBLIC_LIMIT.attempts demands per client address per hour, counted in the
# database so that every application process shares the count.
PUBLIC_LIMIT = throttle.Limit("public-demand", 5, 3600, 3600)


def allow_public_post(session: Session, settings: Settings, address: str) -> bool:
    """Whether ``address`` may post another public demand now (and count it if so)."""
    key = throttle.key_for(settings.resolved_secret_key(), PUBLIC_LIMIT.bucket, address)
    if throttle.blocked(session, PUBLIC_LIMIT, key):
        return False
    allowed = throttle.hit(session, PUBLIC_LIMIT, key) <= PUBLIC_LIMIT.attempts
    session.commit()  # counted even when the demand itself is then refused
    return allowed


def _index(settings: Settings) -> Path:
    return matching.index_dir(settings.data_dir)


def helpers() -> dict[str, Any]:
    """Label functions the matchmaking templates use."""
    return {
        "kind_label": lambda v: choice_label(WORK_KIND_LABELS, v),
        "status_label": lambda v: choice_label(DEMAND_STATUS_LABELS, v),
        "match_label": lambda v: choice_label(MATCH_STATUS_LABELS, v),
        "author_label": lambda v: choice_label(AUTHOR_STATE_LABELS, v),
        "source_label": lambda v: gettext(SOURCE_LABELS.get(v) or v),
        "breakdown_label": lambda v: gettext(BREAKDOWN_LABELS.get(v) or v),
        "highlight": matching.highlight,
    }


# Overview ----------------------------------------------------------------------------------------


@router.get("/matching")
def overview(
    request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    manager = can_manage_matching(principal)
    status = matching.status(session, principal, _index(settings)) if principal.is_admin else None
    pending = len(works.pending_authorships(session, principal)) if manager else 0
    return render(
        request,
        "matching/index.html",
        {"manager": manager, "index_status": status, "pending": pending},
    )


@router.post("/matching/glossary")
def glossary(
    request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    flat, _version = read_form(form)
    try:
        added = matching.extend_glossary(principal, _index(settings), flat.get("glossary", "")[:20000])
    except ValidationFailed as error:
        status = matching.status(session, principal, _index(settings))
        return render(
            request,
            "matching/index.html",
            {
                "manager": True,
                "index_status": status,
                "pending": len(works.pending_authorships(session, principal)),
                "errors": [e.message for e in error.errors],
                "glossary_text": flat.get("glossary", "")[:20000],
            },
            status=422,
        )
    flash(request, gettext("{n} term pairs added to the glossary.", n=added))
    return RedirectResponse("/matching", status_code=303)


@router.post("/matching/rebuild")
def rebuild(
    request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    state = matching.rebuild(session, principal, _index(settings))
    flash(request, gettext("The matching index was rebuilt: {n} documents.", n=len(state.hashes)))
    return RedirectResponse("/matching", status_code=303)


# Demands -----------------------------------------------------------------------------------------


def _demand_view(session: Session) -> ListView:
    return ListView(
        title=N_("Demands"),
        columns=[
            Column(N_("Title"), lambda d: d.title, sort="title", link=True),
            Column(N_("Field"), lambda d: d.field),
            Column(
                N_("Enterprise"),
                lambda d: localized(d.organisation, "name") if d.organisation else d.contact_organisation,
            ),
            Column(N_("Deadline"), lambda d: d.deadline, sort="deadline"),
            Column(N_("Status"), lambda d: choice_label(DEMAND_STATUS_LABELS, d.status)),
            Column(N_("Posted"), lambda d: clock.day_of(d.created_at), sort="created"),
        ],
        row_url=lambda d: f"/demands/{d.id}",
        filters=[
            FilterField("status", N_("Status"), options(DEMAND_STATUS_LABELS)),
            FilterField(
                "organisation_id",
                N_("Enterprise"),
                [(str(o.id), localized(o, "name")) for o in organisations.choices(session)],
            ),
        ],
        new_url="/demands/new",
        export_name="demands",
    )


list_routes(router, "/demands", DEMAND_FILTERS, lambda s, _p: _demand_view(s), demands.list_demands)


def _my_enterprises(session: Session, principal: Principal) -> list[tuple[int, str]]:
    """The demand form's pick list: the enterprises the user belongs to (a demand is an enterprise's)."""
    choices = organisations.choices(session, kinds=(OrgKind.ENTERPRISE,))
    return [(o.id, localized(o, "name")) for o in choices if principal.has_role(o.id, Role.MEMBER)]


def _demand_form(
    request: Request,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    return render(
        request,
        "matching/demand_form.html",
        {
            "values": values,
            "errors": errors,
            "public": not principal.authenticated,
            "orgs": _my_enterprises(session, principal) if principal.authenticated else [],
        },
        status=status,
    )


@router.get("/demands/new")
def new_demand(request: Request, session: SessionDep, principal: OptionalPrincipalDep) -> Response:
    return _demand_form(request, session, principal, {"currency": "CNY"}, {})


@router.post("/demands/new")
def create_demand(
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: OptionalPrincipalDep,
    settings: SettingsDep,
) -> Response:
    flat, _version = read_form(form)
    values = {k: v for k, v in flat.items() if k != "website"}
    if not principal.authenticated:
        if flat.get("website", "").strip():
            # The honeypot field is hidden from people; only robots fill it in. Pretend success.
            return render(request, "matching/thanks.html", {})
        if not allow_public_post(session, settings, client_address(request)):
            message = gettext("Too many demands from your address. Please try again in an hour.")
            return _demand_form(request, session, principal, values, {"__all__": message}, status=429)

    def save() -> Demand:
        if principal.authenticated:
            return demands.create_demand(session, principal, parse(DemandIn, values))
        return demands.create_public_demand(session, principal, parse(PublicDemandIn, values))

    return save_or_rerender(
        request,
        session,
        save,
        lambda e: _demand_form(request, session, principal, values, errors_by_field(e), status=e.status),
        gettext("The demand was posted.") if principal.authenticated else None,
        lambda d: (
            f"/demands/{d.id}"
            if principal.authenticated
            else render(request, "matching/thanks.html", {"demand": d})
        ),
    )


def _filters(request: Request) -> matching.RankFilters:
    params = request.query_params
    org = params.get("organisation_id", "")
    since = params.get("recent", "")
    field = (params.get("field") or "").strip()[:100] or None

    return matching.RankFilters(
        organisation_id=parse_id(org),
        field=field,
        since=clock.today().year - int(since) + 1 if since in {"3", "5", "10"} else None,
    )


def _demand_page(
    request: Request,
    session: Session,
    principal: Principal,
    settings: Settings,
    demand_id: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    demand = demands.get_demand(session, principal, demand_id)
    manager = can_manage_matching(principal)
    ranking = (
        matching.rank(session, principal, _index(settings), demand, _filters(request)) if manager else None
    )
    sent = matching.matches_of(session, demand)
    return render(
        request,
        "matching/demand_detail.html",
        {
            "demand": demand,
            "ranking": ranking,
            "manager": manager,
            "sent": sent,
            "invitations": matching.invitations(session, sent),
            # A suggested achievement links to what the reader may open (its page, else its catalogue entry).
            "suggested_achievements": {
                a.id: a
                for a in session.scalars(
                    select(Achievement)
                    .options(selectinload(Achievement.owners))
                    .where(Achievement.id.in_([s.target_id for s in ranking.achievements] if ranking else []))
                )
            },
            # Send and answer buttons only for what the reader may handle (matching.can_handle).
            "sendable": {
                (target.value, s.target_id)
                for target, pool in (
                    (MatchTarget.EXPERT, ranking.experts if ranking else []),
                    (MatchTarget.ACHIEVEMENT, ranking.achievements if ranking else []),
                    (MatchTarget.LAB, ranking.labs if ranking else []),
                )
                for s in pool
                if matching.can_handle(session, principal, target, s.target_id)
            },
            "handled": {
                m.id
                for m in sent
                if matching.can_handle(
                    session, principal, m.target, m.person_id or m.achievement_id or m.organisation_id or 0
                )
            },
            "sent_keys": {
                (m.target.value, m.person_id or m.achievement_id or m.organisation_id) for m in sent
            },
            "orgs": [(str(o.id), localized(o, "name")) for o in organisations.choices(session)],
            "recency": [(v, gettext(t)) for v, t in RECENCY],
            "agreement_choices": agreements.choices(session, principal),
            "errors": errors or {},
            **helpers(),
        },
        status=status,
    )


@router.get("/demands/{demand_id}")
def demand_detail(
    demand_id: int, request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    return _demand_page(request, session, principal, settings, demand_id)


@router.post("/demands/{demand_id}/status")
def demand_status(
    demand_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, version = read_form(form)
    wanted = DemandStatus.CLOSED if flat.get("status") == "closed" else DemandStatus.OPEN
    demands.set_status(session, principal, demand_id, wanted, version)
    session.commit()
    return RedirectResponse(f"/demands/{demand_id}", status_code=303)


def _match_action(
    request: Request,
    form: FormData,
    session: Session,
    principal: Principal,
    settings: Settings,
    demand_id: int,
    action: Callable[[dict[str, Any], int | None], object],
    message: str,
) -> Response:
    flat, version = read_form(form)
    values = dict(flat)
    return save_or_rerender(
        request,
        session,
        lambda: action(values, version),
        lambda e: _demand_page(
            request, session, principal, settings, demand_id, errors_by_field(e), status=e.status
        ),
        message,
        f"/demands/{demand_id}#sent",
    )


@router.post("/demands/{demand_id}/send")
def send(
    demand_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    def action(values: dict[str, Any], _version: int | None) -> object:
        return matching.send_match(
            session, principal, _index(settings), demand_id, parse(MatchSendIn, values)
        )

    message = gettext("The match was recorded as sent to the expert.")
    return _match_action(request, form, session, principal, settings, demand_id, action, message)


@router.post("/matches/{match_id}/respond")
def respond(
    match_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    match = matching.get_match(session, principal, match_id)

    def action(values: dict[str, Any], version: int | None) -> object:
        return matching.respond(session, principal, match_id, parse(MatchResponseIn, values), version)

    message = gettext("The response was recorded.")
    return _match_action(request, form, session, principal, settings, match.demand_id, action, message)


@router.post("/matches/{match_id}/project")
def to_project(
    match_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    match = matching.get_match(session, principal, match_id)
    flat, version = read_form(form)
    values = dict(flat)
    return save_or_rerender(
        request,
        session,
        lambda: matching.to_project(session, principal, match_id, parse(MatchProjectIn, values), version),
        lambda e: _demand_page(
            request, session, principal, settings, match.demand_id, errors_by_field(e), status=e.status
        ),
        gettext("The accepted match became a joint project."),
        lambda done: f"/projects/{done.project_id}",
    )


# Works -------------------------------------------------------------------------------------------


def _work_view(principal: Principal) -> ListView:
    return ListView(
        title=N_("Publications and patents"),
        columns=[
            Column(N_("Title"), lambda w: w.title, sort="title", link=True),
            Column(N_("Kind"), lambda w: choice_label(WORK_KIND_LABELS, w.kind)),
            Column(N_("Year"), lambda w: w.year, sort="year"),
            Column(N_("Venue"), lambda w: w.venue or w.patent_number),
            Column(N_("Authors"), lambda w: ", ".join(a.name for a in w.authors)),
        ],
        row_url=lambda w: f"/works/{w.id}",
        filters=[FilterField("kind", N_("Kind"), options(WORK_KIND_LABELS))],
        new_url="/works/import" if can_manage_matching(principal) else None,
        export_name="works",
    )


list_routes(router, "/works", WORK_FILTERS, lambda _s, p: _work_view(p), works.list_works)


def _import_page(
    request: Request,
    result: ReadResult | None,
    errors: dict[str, str],
    upload: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    checked = None
    if result is not None:
        good, line_errors = works.check_records(result)
        checked = {"good": len(good), "errors": line_errors, "sample": [d for _r, d in good[:10]]}
    return render(
        request,
        "matching/import.html",
        {"checked": checked, "errors": errors, "upload": upload, **helpers()},
        status=status,
    )


@router.get("/works/import")
def import_form(request: Request, principal: PrincipalDep) -> Response:
    require(can_manage_matching(principal))
    return _import_page(request, None, {})


@router.post("/works/import")
def import_works(
    request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep, settings: SettingsDep
) -> Response:
    require(can_manage_matching(principal))
    upload = form.get("file")
    stored = str(form.get("stored") or "")
    filename = str(form.get("filename") or "")
    folder = works.staging_dir(settings.data_dir)
    if isinstance(upload, UploadFile) and upload.filename:
        data = files.read_upload(upload.file, settings.upload_max_bytes)
        filename = upload.filename
    else:
        data = files.stored(folder, stored) or b""
        if not data:
            return _import_page(request, None, {"file": gettext("Choose a file to import.")}, status=422)
    try:
        result = works.read_upload(data, filename, settings.upload_max_bytes)
    except ValidationFailed as error:
        return _import_page(request, None, errors_by_field(error), status=error.status)
    stored = files.store(folder, data)  # a killed request leaves no truncated file
    keep = {"stored": stored, "filename": filename[:200]}
    if form.get("action") != "import":
        return _import_page(request, result, {}, keep)
    lenient = form.get("lenient") == "1"

    def store() -> works.ImportResult:
        outcome = works.import_records(
            session, principal, result, works.format_of(filename) or "file", lenient=lenient
        )
        if outcome.errors and not lenient:
            message = gettext(
                "Nothing was imported: some entries have errors. Tick the box to import the valid records only."
            )
            raise ValidationFailed(message, [FieldError("lenient", message)])
        return outcome

    return save_or_rerender(
        request,
        session,
        store,
        lambda error: _import_page(request, result, errors_by_field(error), keep, status=error.status),
        lambda outcome: gettext(
            "{n} works imported, {d} duplicates skipped, {p} author names await review.",
            n=outcome.imported,
            d=outcome.skipped_duplicates,
            p=outcome.pending_reviews,
        ),
        "/works",
    )


@router.get("/works/review")
def review_queue(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    pending = works.pending_authorships(session, principal)
    return render(
        request,
        "matching/review.html",
        {"pending": pending, "people": works.candidate_people(session, pending)},
    )


@router.post("/works/review/{authorship_id}")
def resolve(
    authorship_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, _version = read_form(form)
    raw = flat.get("person_id", "")
    person_id = parse_id(raw)
    works.resolve_authorship(session, principal, authorship_id, person_id)
    session.commit()
    flash(request, gettext("The author was confirmed."))
    return RedirectResponse("/works/review", status_code=303)


@router.get("/works/{work_id}")
def work_detail(work_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    require_signed_in(principal)
    work = works.get_work(session, principal, work_id)
    context = {"work": work, "can_edit": can_manage_matching(principal), **helpers()}
    return render(request, "matching/work_detail.html", context)


archive_route(
    router,
    "/works/{work_id}",
    works.archive_work,
    archived=N_("Work archived."),
    restored=N_("Work restored."),
)


__all__ = ["ServiceError", "router"]
