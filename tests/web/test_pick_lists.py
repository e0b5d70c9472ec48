"""Pick lists offer what fits the field (a task's owners among the agreement's parties, its owner person
among their people, a demand's enterprise among enterprises, a party's signatory among its people
first), and the server still refuses what does not fit."""

from __future__ import annotations

import html
import re

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.i18n import gettext, set_language
from accord.models import Agreement, Organisation, OrgKind, Person
from accord.services import tasks
from tests.conftest import ADMIN, csrf_of, login
from tests.factories import design_agreement_id
from tests.support.accounts import token_for


def _select(page: str, name: str) -> str:
    found = re.search(rf'<select id="f-{re.escape(name)}" name="{re.escape(name)}".*?</select>', page, re.S)
    assert found, name
    return found.group(0)


def _values(select_html: str) -> set[int]:
    return {int(v) for v in re.findall(r'<option value="(\d+)"', select_html)}


def test_the_task_form_offers_the_parties_and_their_people_first(
    client: TestClient, session: Session, world: dict[str, int]
) -> None:
    agreement = session.get(Agreement, design_agreement_id(session))  # three design institutes
    assert agreement is not None
    allowed = tasks.owner_ids(session, agreement)
    owner = agreement.parties[0].organisation_id
    session.add(Person(name_zh="陈工", name_en="Chen Gong", organisation_id=owner))
    session.commit()
    party_people = set(session.scalars(select(Person.id).where(Person.organisation_id.in_(allowed))))
    others = set(session.scalars(select(Person.id).where(Person.organisation_id.not_in(allowed))))
    assert others, "the demo has people outside the design agreement's parties"
    login(client, ADMIN)
    for language in ("en", "zh_Hans"):
        client.cookies.set("accord_lang", language)
        set_language(language)
        page = client.get(f"/tasks/new?agreement_id={agreement.id}").text
        assert _values(_select(page, "owner_organisation_id")) == allowed
        people = _select(page, "owner_person_id")
        assert _values(people) == party_people
        assert gettext("Show everyone") in page and "people=all" in page
        everyone = client.get(f"/tasks/new?agreement_id={agreement.id}&people=all").text
        assert _values(_select(everyone, "owner_person_id")) == party_people | others
        assert f'label="{gettext("Everyone else")}"' in everyone
    # The owner organisation's people come first.
    token = csrf_of(client, f"/tasks/new?agreement_id={agreement.id}")
    stranger = min(others)
    refused = client.post(
        "/tasks/new?people=all",
        data={
            "csrf_token": token,
            "agreement_id": str(agreement.id),
            "kind": "task",
            "title": "联合调研",
            "owner_organisation_id": str(owner),
            "owner_person_id": str(stranger),
            "due_on": "2024-12-31",
        },
    )
    assert refused.status_code == 422  # the server still checks what the list offers
    groups = re.findall(r'<optgroup label="([^"]+)"', _select(refused.text, "owner_person_id"))
    owner_org = session.get(Organisation, owner)
    assert owner_org is not None
    assert html.unescape(groups[0]) in {owner_org.name_zh, owner_org.name_en}
    assert f'value="{stranger}" selected' in refused.text  # what was picked stays picked


def test_a_demand_is_posted_for_an_enterprise(
    client: TestClient, session: Session, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    enterprises = set(
        session.scalars(
            select(Organisation.id).where(
                Organisation.kind == OrgKind.ENTERPRISE, Organisation.archived_at.is_(None)
            )
        )
    )
    login(client, ADMIN)
    for language in ("en", "zh_Hans"):
        client.cookies.set("accord_lang", language)
        offered = _values(_select(client.get("/demands/new").text, "organisation_id"))
        assert offered == enterprises and world["enterprise"] in offered
    client.cookies.clear()
    refused = client.post(
        "/api/v1/demands",
        headers=token_for(factory, ADMIN),
        json={"title": "边坡监测", "description": "库岸边坡监测预警", "organisation_id": world["cqu"]},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "organisation_id"
    assert "not an enterprise" in refused.json()["errors"][0]["message"]


def test_a_partys_signatory_is_offered_among_its_people_first(
    client: TestClient, session: Session, world: dict[str, int]
) -> None:
    login(client, ADMIN)
    page = client.get(f"/agreements/{world['strategic_agreement']}/edit").text
    signatory = _select(page, "parties.0.signatory_id")
    agreement = session.get(Agreement, world["strategic_agreement"])
    assert agreement is not None
    first = agreement.parties[0].organisation
    first_group = re.search(r'<optgroup label="([^"]+)">(.*?)</optgroup>', signatory, re.S)
    assert first_group is not None and html.unescape(first_group.group(1)) in {first.name_zh, first.name_en}
    own = set(session.scalars(select(Person.id).where(Person.organisation_id == first.id)))
    assert _values(first_group.group(2)) == own
