"""A record names another one only when the reader may read it (issue 15, item 1).

Organisation A's records are linked, behind A's back, to organisation B's: A's agreement sits under B's
and has a child of B's, A's institution, project, programme and deal count toward B's agreement and
fulfil B's commitment, A's published article is about B's agreement and institution, and A's demand was
matched to B's private achievement. A's coordinator opens every page and API read of A's records and
sees none of B's titles; a form or API body that names one of B's records gets the same 404 as one
naming a record that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.config import Settings
from accord.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Commitment,
    Deal,
    Institution,
    Match,
    MatchTarget,
    NewsItem,
    NewsStatus,
    Programme,
    Project,
    Review,
)
from tests.reliability import authz_world
from tests.reliability.test_authorization_matrix import Matrix, act_as
from tests.reliability.test_object_level import B_TITLES, _text

MISSING = 2_000_000_000


@pytest.fixture
def linked(world: dict[str, int], factory: sessionmaker[Session], settings: Settings) -> Iterator[Matrix]:
    with factory() as session:
        built = authz_world.build(session, settings.files_dir)
        a, b = built.a, built.b
        b_agreement = session.get(Agreement, b.agreement)
        b_commitment = session.get(Commitment, b.commitment)
        b_institution = session.get(Institution, b.institution)
        assert b_agreement and b_commitment and b_institution
        b_commitment.review = Review.ACCEPTED
        a_agreement = session.get(Agreement, a.agreement)
        assert a_agreement is not None
        a_agreement.parent_id = b.agreement
        child = Agreement(
            title_en="borealis cooperation annex", kind=AgreementKind.OTHER, status=AgreementStatus.IN_FORCE
        )
        child.parent_id = a.agreement
        child.parties = [AgreementParty(organisation_id=b.organisation, position=0)]
        session.add(child)
        for model, key in ((Institution, a.institution), (Project, a.project), (Programme, a.programme)):
            record = session.get(model, key)
            assert record is not None
            record.agreement_id = b.agreement  # type: ignore[union-attr]
            record.commitments.append(b_commitment)  # type: ignore[union-attr]
        deal = session.get(Deal, a.deal)
        assert deal is not None
        deal.agreement_id = b.agreement
        deal.commitments.append(b_commitment)
        article = session.get(NewsItem, a.news)
        assert article is not None
        article.status = NewsStatus.PUBLISHED
        article.published_at = datetime.now(UTC) - timedelta(days=1)
        article.agreements.append(b_agreement)
        article.institutions.append(b_institution)
        session.add(
            Match(
                demand_id=a.demand,
                target=MatchTarget.ACHIEVEMENT,
                achievement_id=b.achievement,
                sent_by="system",
            )
        )
        session.commit()
    yield Matrix(built, "", lambda: 0)


def test_pages_and_api_reads_of_own_records_name_no_unreadable_record(
    client: TestClient, linked: Matrix
) -> None:
    a = linked.world.a
    act_as(client, linked, "coordinator")
    urls = [
        f"/agreements/{a.agreement}",
        f"/institutions/{a.institution}",
        f"/projects/{a.project}",
        f"/programmes/{a.programme}",
        f"/achievements/{a.achievement}",
        f"/deals/{a.deal}",
        f"/news/{a.news}",
        f"/demands/{a.demand}",
        f"/tasks/{a.task}",
        f"/dashboard/agreements/{a.agreement}",
        f"/api/v1/agreements/{a.agreement}",
        f"/api/v1/institutions/{a.institution}",
        f"/api/v1/projects/{a.project}",
        f"/api/v1/programmes/{a.programme}",
        f"/api/v1/deals/{a.deal}",
        f"/api/v1/news/{a.news}",
        f"/api/v1/demands/{a.demand}/matches",
    ]
    leaks = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found = B_TITLES.search(_text(response.content))
        if found:
            leaks[url] = found.group(0)
    assert leaks == {}
    client.cookies.clear()
    client.headers.pop("Authorization", None)
    public = client.get(f"/news/{a.news}")  # the public article, read anonymously
    assert public.status_code == 200 and not B_TITLES.search(public.text)


def test_naming_an_unreadable_record_answers_like_naming_a_missing_one(
    client: TestClient, linked: Matrix
) -> None:
    w = linked.world
    a, b = w.a, w.b
    act_as(client, linked, "coordinator")
    parties = [{"organisation_id": a.organisation}, {"organisation_id": w.counterpart}]
    bodies = {
        "/api/v1/agreements": lambda ref: {
            "title_en": "aurora addendum",
            "kind": "other",
            "parties": parties,
            "parent_id": ref("agreement"),
        },
        "/api/v1/tasks": lambda ref: {
            "title": "aurora follow-up",
            "agreement_id": a.agreement,
            "commitment_id": ref("commitment"),
            "owner_organisation_id": a.organisation,
            "due_on": "2030-01-01",
        },
        "/api/v1/projects": lambda ref: {
            "title_en": "aurora study",
            "parties": parties,
            "agreement_id": ref("agreement"),
        },
        "/api/v1/institutions": lambda ref: {
            "name_en": "aurora centre",
            "kind": "institute",
            "parties": parties,
            "fulfils": [{"commitment_id": ref("commitment")}],
        },
        "/api/v1/news": lambda ref: {
            "title_en": "aurora update",
            "body_en": "text",
            "publisher_id": a.organisation,
            "agreement_ids": [ref("agreement")],
        },
        f"/api/v1/demands/{a.demand}/matches": lambda ref: {
            "target": "achievement",
            "target_id": ref("achievement"),
        },
    }
    different = {}
    for url, body in bodies.items():
        unreadable = client.post(url, json=body(lambda name: getattr(b, name)))
        missing = client.post(url, json=body(lambda name: MISSING))
        shown = (unreadable.status_code, unreadable.json()), (missing.status_code, missing.json())
        if shown[0] != shown[1] or shown[0][0] != 404:
            different[url] = shown
        assert str(MISSING) not in missing.text
    assert different == {}
    page = client.post(
        "/agreements/new",
        data={
            "title_en": "aurora addendum",
            "kind": "other",
            "parties.0.organisation_id": str(a.organisation),
            "parties.1.organisation_id": str(w.counterpart),
            "parent_id": str(b.agreement),
            "csrf_token": act_as(client, linked, "coordinator"),
        },
    )
    assert page.status_code == 404 and "No such record." in page.text
