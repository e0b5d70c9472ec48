"""Organisation pages."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from starlette.responses import Response

from accord.i18n import N_, localized
from accord.labels import ORG_KIND_LABELS, choice_label, options
from accord.models import Organisation, OrgKind
from accord.schemas.registry import OrganisationIn
from accord.services import audit, organisations
from accord.services.permissions import Principal, can_create_organisation, can_edit_organisation
from accord.web.deps import PrincipalDep, SessionDep
from accord.web.listing import FilterField, ListView, list_routes
from accord.web.render import render
from accord.web.saving import archive_route, form_routes
from accord.web.tables import Column

router = APIRouter(prefix="/organisations")
FILTERS: dict[str, type] = {"kind": OrgKind, "parent_id": int}


def _view(can_create: bool) -> ListView:
    return ListView(
        title=N_("Organisations"),
        columns=[
            Column(N_("Name"), lambda o: localized(o, "name"), sort="name_zh", link=True),
            Column(N_("Kind"), lambda o: choice_label(ORG_KIND_LABELS, o.kind), sort="kind"),
            Column(N_("Parent"), lambda o: localized(o.parent, "name") if o.parent else ""),
            Column(N_("Region"), lambda o: localized(o, "region")),
        ],
        row_url=lambda o: f"/organisations/{o.id}",
        filters=[FilterField("kind", N_("Kind"), options(ORG_KIND_LABELS))],
        new_url="/organisations/new" if can_create else None,
        export_name="organisations",
    )


list_routes(router, "", FILTERS, lambda _s, p: _view(p.coordinates_any), organisations.list_organisations)


def _form(
    request: Request,
    session: SessionDep,
    principal: Principal,
    values: Mapping[str, object],
    errors: dict[str, str],
    organisation: Organisation | None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "organisations/form.html",
        {
            "values": values,
            "errors": errors,
            "organisation": organisation,
            "parents": organisations.choices(session),
            "kinds": options(ORG_KIND_LABELS),
        },
        status=status,
    )


form_routes(
    router,
    "/{organisation_id}",
    show=_form,
    schema=OrganisationIn,
    blank=lambda request: {"kind": "other", "parent_id": request.query_params.get("parent_id", "")},
    filled=lambda organisation: OrganisationIn.model_validate(
        organisation, from_attributes=True
    ).model_dump(),
    get=organisations.get_organisation,
    may_edit=lambda principal, organisation: can_edit_organisation(principal, organisation.id),
    create=organisations.create_organisation,
    update=organisations.update_organisation,
    saved=N_("Organisation saved."),
)


@router.get("/{organisation_id}")
def show_organisation(
    organisation_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    organisation = organisations.get_organisation(session, principal, organisation_id)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "can_edit": can_edit_organisation(principal, organisation.id),
            "can_add_unit": can_create_organisation(principal, organisation.id),
            "history": audit.history(session, "organisation", organisation.id),
        },
    )


archive_route(
    router,
    "/{organisation_id}",
    organisations.archive_organisation,
    archived=N_("Organisation archived."),
    restored=N_("Organisation restored."),
)
