"""Tasks for all accepted commitments at once: proposed with the obligated party as owner, editable
before confirming, created all or none, on the page and through the API."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord.models import Commitment, Review, Task
from tests.conftest import CQU, login
from tests.support.accounts import csrf_of, token_for


def _accepted(factory: sessionmaker[Session], agreement_id: int) -> list[Commitment]:
    with factory() as session:
        return list(
            session.scalars(
                select(Commitment).where(
                    Commitment.agreement_id == agreement_id, Commitment.review == Review.ACCEPTED
                )
            )
        )


def test_the_page_proposes_and_creates_every_task(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    agreement = world["strategic_agreement"]
    accepted = _accepted(factory, agreement)
    login(client, CQU)
    form = client.get(f"/agreements/{agreement}/tasks/all")
    assert form.status_code == 200
    rows = len(re.findall(r'name="rows\.\d+\.title"', form.text))
    assert rows == len(accepted) > 0
    owners = {c.id: c.organisation_id for c in accepted}
    first = re.search(r'name="rows\.0\.commitment_id" value="(\d+)"', form.text)
    assert first is not None and form.text.count("selected") >= rows  # every row has its owner
    data: dict[str, str] = {"csrf_token": csrf_of(client, f"/agreements/{agreement}/tasks/all")}
    for name, value in re.findall(r'<input[^>]*name="(rows\.[^"]+)"[^>]*value="([^"]*)"', form.text):
        data[name] = value
    for index, owner in re.findall(
        r'name="rows\.(\d+)\.owner_organisation_id".*?<option value="(\d+)" selected', form.text, re.S
    ):
        data[f"rows.{index}.owner_organisation_id"] = owner
    for index in range(rows):
        data[f"rows.{index}.include"] = "1"
        data.setdefault(
            f"rows.{index}.owner_organisation_id",
            str(owners[int(data[f"rows.{index}.commitment_id"])] or world["cqu"]),
        )
    data["rows.0.due_on"] = ""  # an error names its row and keeps what was typed
    data["rows.1.title"] = "改过的标题"
    bad = client.post(f"/agreements/{agreement}/tasks/all", data=data, follow_redirects=False)
    assert bad.status_code == 422 and "改过的标题" in bad.text
    with factory() as session:
        before = session.scalar(select(func.count()).select_from(Task))
    data["rows.0.due_on"] = "2027-11-19"
    done = client.post(f"/agreements/{agreement}/tasks/all", data=data, follow_redirects=False)
    assert done.status_code == 303, done.text[:500]
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Task)) > (before or 0)
        titled = session.scalars(select(Task).where(Task.title == "改过的标题")).one()
        assert titled.commitment_id is not None
    again = client.get(f"/agreements/{agreement}/tasks/all")
    assert "Every accepted commitment already has a task." in again.text


def test_the_api_creates_them_from_the_proposals(
    client: TestClient, factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    headers = token_for(factory, CQU)
    agreement = world["strategic_agreement"]
    made = client.post("/api/v1/tasks/from-commitments", json={"agreement_id": agreement}, headers=headers)
    assert made.status_code == 201, made.text
    assert {t["commitment_id"] for t in made.json()} <= {c.id for c in _accepted(factory, agreement)}
    assert len(made.json()) >= len(_accepted(factory, agreement))
