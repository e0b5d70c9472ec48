"""An agreement's status follows its dates everywhere: the pages, the list's filter and sort, the home
page's counts and (after a worker round) the API; the end date comes from the term when none is given."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.models import Agreement, AgreementKind, AgreementStatus
from accord.schemas.registry import AgreementIn, PartyIn
from accord.services import agreements
from accord.services.listing import ListQuery
from accord.services.permissions import SYSTEM
from tests.factories import WANZHOU_EN, org_id

TODAY = date(2026, 12, 7)


def test_the_status_is_read_from_the_dates() -> None:
    rule = agreements.status_from_dates
    live = AgreementStatus.IN_FORCE
    assert rule(live, date(2020, 7, 27), None, date(2025, 7, 26), TODAY) is AgreementStatus.EXPIRED
    assert rule(AgreementStatus.SIGNED, date(2026, 1, 1), None, None, TODAY) is AgreementStatus.IN_FORCE
    assert rule(live, date(2026, 12, 1), date(2027, 1, 1), None, TODAY) is AgreementStatus.SIGNED
    assert rule(AgreementStatus.TERMINATED, date(2020, 1, 1), None, None, TODAY) is AgreementStatus.TERMINATED
    assert rule(AgreementStatus.DRAFT, None, None, None, TODAY) is AgreementStatus.DRAFT


def test_sql_python_and_the_list_filter_agree(session: Session, world: dict[str, int]) -> None:
    parties = [PartyIn(organisation_id=org_id(session, WANZHOU_EN)), PartyIn(organisation_id=world["cqu"])]
    made = agreements.create_agreement(
        session,
        SYSTEM,
        AgreementIn(
            title_en="Five-year framework",
            kind=AgreementKind.FRAMEWORK,
            status=AgreementStatus.IN_FORCE,
            signed_on=date(2019, 3, 1),
            term_en="5 years",
            parties=parties,
        ),
    )
    session.commit()
    assert made.expires_on == date(2024, 2, 29)  # from the term
    rows = session.execute(select(Agreement, agreements.status_sql(TODAY))).all()
    for agreement, status in rows:
        assert AgreementStatus(status) == agreements.status_on(agreement, TODAY), agreement.title_en
    demo = session.get(Agreement, world["strategic_agreement"])
    assert demo is not None and agreements.status_on(demo, TODAY) is AgreementStatus.EXPIRED
    expired = agreements.list_agreements(
        session, SYSTEM, ListQuery(filters={"status": "expired"}, page_size=50)
    )
    assert {a.id for a in expired.items} >= {made.id, demo.id}
    agreements.refresh_statuses(session, TODAY)
    assert demo.status is AgreementStatus.EXPIRED
