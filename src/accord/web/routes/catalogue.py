"""The public catalogue of transferable achievements: no sign-in, both languages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from accord.i18n import current_language
from accord.labels import IP_TYPE_LABELS, options
from accord.models import IPType
from accord.services import achievements
from accord.web.deps import OptionalPrincipalDep, SessionDep, SettingsDep
from accord.web.forms import list_query
from accord.web.render import render
from accord.web.routes.transfer import label_helpers

router = APIRouter(prefix="/catalogue")
FILTERS: dict[str, type] = {"ip_type": IPType, "maturity": int, "field": str}


@router.get("")
def catalogue(
    request: Request, session: SessionDep, _principal: OptionalPrincipalDep, settings: SettingsDep
) -> Response:
    page = achievements.list_public(session, list_query(request, settings, FILTERS))
    chinese = current_language() == "zh_Hans"
    fields = sorted(
        {
            (zh or en or "", ((zh if chinese else en) or zh or en or ""))
            for zh, en in achievements.public_fields(session)
        }
    )
    return render(
        request,
        "catalogue/list.html",
        {
            "page": page,
            "ip_types": options(IP_TYPE_LABELS),
            "fields": [(value, text) for value, text in fields if value],
            "maturities": [(str(n), f"≥ {n}") for n in range(1, 10)],
            **label_helpers(),
        },
    )


@router.get("/{achievement_id}")
def catalogue_entry(
    achievement_id: int, request: Request, session: SessionDep, _principal: OptionalPrincipalDep
) -> Response:
    achievement = achievements.get_public(session, achievement_id)
    return render(request, "catalogue/detail.html", {"achievement": achievement, **label_helpers()})
