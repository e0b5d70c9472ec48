"""Matchmaking suggests, explains and quotes only what the reader may read (issue 15, item 2): another
organisation's private achievement or co-built lab never appears, nor its abstract as a snippet."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.models import Demand, InstitutionKind, IPType
from accord.schemas.portfolio import InstitutionIn, OrganisationRef, SharedPartyIn
from accord.schemas.transfer import AchievementIn
from accord.services import achievements, institutions
from accord.services.permissions import SYSTEM
from tests.reliability import authz_world
from tests.reliability.test_authorization_matrix import Matrix, act_as

SECRET = "hydrophobic nanocoating borealisite"


@pytest.fixture
def private_b(world: dict[str, int], factory: sessionmaker[Session], settings: Settings) -> Iterator[Matrix]:
    with factory() as session:
        built = authz_world.build(session, settings.files_dir)
        b = built.b
        achievements.create_achievement(
            session,
            SYSTEM,
            AchievementIn(
                title_en="borealis corrosion sensor coating",
                abstract_en=f"A corrosion sensor coating for river bank steel piles: {SECRET}.",
                ip_type=IPType.PATENT,
                maturity=6,
                public=False,
                owners=[OrganisationRef(organisation_id=b.organisation)],
            ),
        )
        institutions.create_institution(
            session,
            SYSTEM,
            InstitutionIn(
                name_en="borealis corrosion sensor key laboratory",
                summary_en=f"River bank corrosion sensors and steel pile coatings, {SECRET}.",
                kind=InstitutionKind.KEY_LAB,
                parties=[SharedPartyIn(organisation_id=b.organisation)],
            ),
        )
        demand = session.get(Demand, built.a.demand)
        assert demand is not None
        demand.title = "corrosion sensor coating for river bank steel piles"
        demand.description = "We need a corrosion sensor coating for steel piles on the river bank."
        session.commit()
    yield Matrix(built, "", lambda: 0)


def test_suggestions_leave_out_what_the_reader_may_not_read(client: TestClient, private_b: Matrix) -> None:
    demand = private_b.world.a.demand
    act_as(client, private_b, "admin")  # the search does find them, so their absence below means something
    seen = client.get(f"/api/v1/demands/{demand}/suggestions").text
    assert "borealis corrosion sensor coating" in seen and "borealis corrosion sensor key laboratory" in seen
    for role in ("coordinator", "outsider"):
        act_as(client, private_b, role)
        api = client.get(f"/api/v1/demands/{demand}/suggestions")
        page = client.get(f"/demands/{demand}")
        assert api.status_code == 200 and page.status_code == 200
        if role == "coordinator":
            for body in (api.text, page.text):
                assert "borealis corrosion" not in body
                assert "borealisite" not in body
        else:  # B's own coordinator reads B's records
            assert "borealis corrosion sensor coating" in api.text
