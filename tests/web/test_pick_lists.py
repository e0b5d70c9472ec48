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


def _first_group(page: str, name: str) -> tuple[str, set[int], set[int]]:
    """The first group's label and people of a person pick list, and every person it offers."""
    found = _select(page, name)
    first = re.search(r'<optgroup label="([^"]+)">(.*?)</optgroup>', found, re.S)
    assert first is not None, name
    return html.unescape(first.group(1)), _values(first.group(2)), _values(found)


def test_lead_people_inventors_and_attendees_list_the_chosen_organisations_people_first(
    client: TestClient, session: Session, world: dict[str, int]
) -> None:
    from accord.models import Achievement, Project, SigningEvent
    from accord.services.permissions import descendants

    project = session.scalars(select(Project).where(Project.parties.any()).order_by(Project.id)).first()
    achievement = session.scalars(
        select(Achievement).where(Achievement.owners.any()).order_by(Achievement.id)
    ).first()
    event = session.scalars(
        select(SigningEvent).where(SigningEvent.organiser_id.is_not(None)).order_by(SigningEvent.id)
    ).first()
    assert project is not None and achievement is not None and event is not None
    cases = [
        (f"/projects/{project.id}/edit", "leads.0.person_id", project.parties[0].organisation_id),
        (
            f"/achievements/{achievement.id}/edit",
            "inventors.0.person_id",
            achievement.owners[0].organisation_id,
        ),
        (f"/events/{event.id}/edit", "attendees.0.person_id", event.organiser_id),
    ]
    everyone = set(session.scalars(select(Person.id).where(Person.archived_at.is_(None))))
    login(client, ADMIN)
    for language in ("en", "zh_Hans"):
        client.cookies.set("accord_lang", language)
        for url, name, organisation_id in cases:
            assert organisation_id is not None
            organisation = session.get(Organisation, organisation_id)
            assert organisation is not None
            label, first, offered = _first_group(client.get(url).text, name)
            assert label in {organisation.name_zh, organisation.name_en}, url
            units = descendants(session, organisation_id)
            own = set(session.scalars(select(Person.id).where(Person.organisation_id.in_(units))))
            assert first == own & everyone, url
            assert offered == everyone, url  # only the order changes: the services check as before
        # A new form has no organisation chosen yet: one list, no groups.
        new = _select(client.get("/events/new").text, "attendees.0.person_id")
        assert "<optgroup" not in new and _values(new) == everyone
