"""Technology transfer pages: the pipeline board, achievements, moves and deals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from accord.i18n import N_, format_date, gettext, localized
from accord.labels import DEAL_TYPE_LABELS, IP_TYPE_LABELS, PIPELINE_STAGE_LABELS, choice_label, options
from accord.models import Achievement, DealType, IPType, PipelineStage
from accord.schemas.transfer import AchievementIn, DealIn, MoveIn
from accord.services import achievements, agreements, audit, organisations
from accord.services.errors import ValidationFailed
from accord.services.permissions import Principal
from accord.services.portfolio import commitment_choices
from accord.services.validation import parse
from accord.web.deps import PrincipalDep, SessionDep, SettingsDep
from accord.web.forms import FormDep, errors_by_field, list_query, nest, read_form
from accord.web.listing import FilterField, ListView, list_routes
from accord.web.portfolio_forms import blank_rows, money, names, people_first, selected_commitments
from accord.web.render import render
from accord.web.saving import archive_route, form_routes, save_or_rerender
from accord.web.tables import Column

router = APIRouter()

PUBLIC_OPTIONS = [("1", N_("Public")), ("0", N_("Not public"))]

ACHIEVEMENT_FILTERS: dict[str, type] = {
    "stage": PipelineStage,
    "ip_type": IPType,
    "organisation_id": int,
    "maturity": int,
    "public": str,
}
DEAL_FILTERS: dict[str, type] = {
    "deal_type": DealType,
    "achievement_id": int,
    "agreement_id": int,
    "year": int,
}


def label_helpers() -> dict[str, Any]:
    """Label functions the transfer templates use."""
    return {
        "ip_type_label": lambda v: choice_label(IP_TYPE_LABELS, v),
        "deal_type_label": lambda v: choice_label(DEAL_TYPE_LABELS, v),
        "stage_label": lambda v: choice_label(PIPELINE_STAGE_LABELS, v),
        "names": names,
        "money": money,
    }


def _stage_options(current: PipelineStage | None = None) -> list[tuple[str, str]]:
    """Every other stage, the moves that need no reason first (the next step is the default)."""
    labelled = [
        (value, text)
        for value, text in options(PIPELINE_STAGE_LABELS)
        if current is None or value != current.value
    ]
    if current is None:
        return labelled
    easy = {stage.value for stage in achievements.allowed_moves(current) if stage != PipelineStage.WITHDRAWN}
    return [o for o in labelled if o[0] in easy] + [o for o in labelled if o[0] not in easy]


def _achievement_view(session: Session, principal: Principal) -> ListView:
    return ListView(
        title=N_("Achievements"),
        columns=[
            Column(N_("Title"), lambda a: localized(a, "title"), sort="title_zh", link=True),
            Column(N_("Owned by"), lambda a: names(a.owners)),
            Column(N_("IP type"), lambda a: choice_label(IP_TYPE_LABELS, a.ip_type)),
            Column(N_("Maturity"), lambda a: a.maturity, sort="maturity"),
            Column(N_("Field"), lambda a: localized(a, "field")),
            Column(N_("Stage"), lambda a: choice_label(PIPELINE_STAGE_LABELS, a.stage), sort="stage"),
            Column(N_("Public"), lambda a: gettext("Yes") if a.public else gettext("No")),
        ],
        row_url=lambda a: f"/achievements/{a.id}",
        filters=[
            FilterField("stage", N_("Stage"), options(PIPELINE_STAGE_LABELS)),
            FilterField("ip_type", N_("IP type"), options(IP_TYPE_LABELS)),
            FilterField(
                "organisation_id",
                N_("Owned by"),
                [(str(o.id), localized(o, "name")) for o in organisations.choices(session)],
            ),
            FilterField("public", N_("Public"), [(v, gettext(t)) for v, t in PUBLIC_OPTIONS]),
        ],
        new_url="/achievements/new" if principal.coordinates_any else None,
        export_name="achievements",
    )


list_routes(router, "/achievements", ACHIEVEMENT_FILTERS, _achievement_view, achievements.list_achievements)


def _board(
    request: Request,
    session: Session,
    principal: Principal,
    settings: Any,
    errors: dict[int, dict[str, str]] | None = None,
    status: int = 200,
) -> Response:
    columns = achievements.board(session, principal, list_query(request, settings, ACHIEVEMENT_FILTERS))
    return render(
        request,
        "transfer/board.html",
        {
            "columns": columns,
            "can_manage": lambda a: achievements.can_manage(principal, a),
            "stage_options": _stage_options,
            "move_errors": errors or {},
            "ip_types": options(IP_TYPE_LABELS),
            "can_create": principal.coordinates_any,
            **label_helpers(),
        },
        status=status,
    )


@router.get("/achievements/board")
def board(request: Request, session: SessionDep, principal: PrincipalDep, settings: SettingsDep) -> Response:
    return _board(request, session, principal, settings)


def _achievement_form(
    request: Request,
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str],
    achievement: Achievement | None,
    status: int = 200,
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "achievement": achievement,
        "owners": blank_rows(values, "owners", 3),
        "inventors": blank_rows(values, "inventors", 3),
        "orgs": organisations.choices(session),
        "people_groups": people_first(session, values, "owners"),
        "agreement_choices": agreements.choices(session, principal),
        "ip_types": options(IP_TYPE_LABELS),
        "maturities": [(str(n), str(n)) for n in range(1, 10)],
    }
    return render(request, "transfer/achievement_form.html", context, status=status)


def _achievement_values(achievement: Achievement) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(achievement, name)
        for name in AchievementIn.model_fields
        if name not in {"owners", "inventors"}
    }
    values["ip_type"] = achievement.ip_type.value
    values["public"] = "true" if achievement.public else ""
    values["owners"] = [{"organisation_id": o.organisation_id} for o in achievement.owners]
    values["inventors"] = [{"person_id": i.person_id} for i in achievement.inventors]
    return values


form_routes(
    router,
    "/achievements/{achievement_id}",
    show=_achievement_form,
    schema=AchievementIn,
    blank=lambda _request: {"ip_type": "patent", "maturity": "4"},
    filled=_achievement_values,
    get=achievements.get_achievement,
    may_edit=achievements.can_manage,
    create=achievements.create_achievement,
    update=achievements.update_achievement,
    saved=N_("Achievement saved."),
)


def _achievement_detail(
    request: Request,
    session: Session,
    principal: Principal,
    achievement: Achievement,
    values: dict[str, Any],
    errors: dict[str, str],
    form: str | None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "transfer/achievement_detail.html",
        {
            "achievement": achievement,
            "can_edit": achievements.can_manage(principal, achievement),
            "history": audit.history(session, "achievement", achievement.id),
            "stage_options": _stage_options(achievement.stage),
            "deal_types": options(DEAL_TYPE_LABELS),
            "orgs": organisations.choices(session),
            "agreement_choices": agreements.choices(session, principal),
            "commitments": commitment_choices(session, principal),
            "selected": selected_commitments(values) if form == "deal" else set(),
            "deal_parties": blank_rows(values if form == "deal" else {}, "parties", 3),
            "values": values,
            "errors": errors,
            "form": form,
            **label_helpers(),
        },
        status=status,
    )


@router.get("/achievements/{achievement_id}")
def show_achievement(
    achievement_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    achievement = achievements.get_achievement(session, principal, achievement_id)
    return _achievement_detail(request, session, principal, achievement, {}, {}, None)


archive_route(
    router,
    "/achievements/{achievement_id}",
    achievements.archive_achievement,
    archived=N_("Achievement archived."),
    restored=N_("Achievement restored."),
)


@router.post("/achievements/{achievement_id}/move")
def move_achievement(
    achievement_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    flat, version = read_form(form)
    from_board = flat.get("back") == "board"
    nested = {key: value for key, value in nest(flat).items() if key != "back"}

    def on_error(error: ValidationFailed) -> Response:
        if from_board:
            return _board(
                request, session, principal, settings, {achievement_id: errors_by_field(error)}, 422
            )
        achievement = achievements.get_achievement(session, principal, achievement_id)
        return _achievement_detail(
            request, session, principal, achievement, nested, errors_by_field(error), "move", 422
        )

    return save_or_rerender(
        request,
        session,
        lambda: achievements.move(session, principal, achievement_id, parse(MoveIn, nested), version),
        on_error,
        gettext("Achievement moved."),
        lambda a: "/achievements/board" if from_board else f"/achievements/{a.id}",
    )


@router.post("/achievements/{achievement_id}/deals")
def create_deal(
    achievement_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    flat, _version = read_form(form)
    nested = nest(flat)
    nested["achievement_id"] = str(achievement_id)

    def on_error(error: ValidationFailed) -> Response:
        achievement = achievements.get_achievement(session, principal, achievement_id)
        return _achievement_detail(
            request, session, principal, achievement, nested, errors_by_field(error), "deal", 422
        )

    return save_or_rerender(
        request,
        session,
        lambda: achievements.create_deal(session, principal, parse(DealIn, nested)),
        on_error,
        gettext("Deal recorded."),
        lambda d: f"/deals/{d.id}",
    )


# Deals ------------------------------------------------------------------------------------------


def _deal_view(session: Session, principal: Principal) -> ListView:
    return ListView(
        title=N_("Deals"),
        columns=[
            Column(N_("Achievement"), lambda d: localized(d.achievement, "title"), link=True),
            Column(N_("Type"), lambda d: choice_label(DEAL_TYPE_LABELS, d.deal_type)),
            Column(N_("Parties"), lambda d: names(d.parties)),
            Column(N_("Amount"), lambda d: money(d.amount, d.currency), sort="amount"),
            Column(N_("Signed on"), lambda d: format_date(d.signed_on), sort="signed_on"),
        ],
        row_url=lambda d: f"/deals/{d.id}",
        filters=[
            FilterField("deal_type", N_("Type"), options(DEAL_TYPE_LABELS)),
            FilterField(
                "agreement_id",
                N_("Agreement"),
                [(str(a.id), localized(a, "title")) for a in agreements.choices(session, principal)],
            ),
        ],
        export_name="deals",
    )


list_routes(router, "/deals", DEAL_FILTERS, _deal_view, achievements.list_deals)


@router.get("/deals/{deal_id}")
def show_deal(deal_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    deal = achievements.get_deal(session, principal, deal_id)
    return render(
        request,
        "transfer/deal_detail.html",
        {
            "deal": deal,
            "can_edit": achievements.can_manage_deal(principal, deal),
            "history": audit.history(session, "deal", deal.id),
            **label_helpers(),
        },
    )


archive_route(
    router,
    "/deals/{deal_id}",
    achievements.archive_deal,
    archived=N_("Deal archived."),
    restored=N_("Deal restored."),
)
