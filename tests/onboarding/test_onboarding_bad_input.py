"""Bad input to onboarding: each gets a message naming the file or party, and nothing is created before
the user confirms (ZIP bombs, names leaving the folder, merged cells, dates and empty rows are in
test_onboarding_zip, test_onboarding_pages, test_onboarding_service and tests/intake/test_ledger)."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.models import Agreement, ImportBatch, ImportItem, ItemState, JobState, Organisation, OrgKind
from accord.services import jobs, onboarding, onboarding_confirm
from accord.services.errors import ValidationFailed
from tests.onboarding.folder import MOU_EN
from tests.onboarding.test_onboarding_service import _count, _cqu


def _stored(settings: Settings) -> set[str]:
    return {p.name for p in settings.files_dir.glob("*/*")} if settings.files_dir.exists() else set()


def test_ten_thousand_files_are_refused_before_anything_is_stored(
    factory: sessionmaker[Session], settings: Settings, world: dict[str, int]
) -> None:
    loose = [onboarding.Upload(f"{n}.txt", b"x") for n in range(10_000)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for n in range(10_000):
            archive.writestr(f"folder/{n}.txt", b"x")
    zipped = [onboarding.Upload("folder.zip", buffer.getvalue())]
    stored_before = _stored(settings)
    with factory() as session:
        for uploads, message in (
            (loose, "A batch holds at most 1000 files"),
            (zipped, "folder.zip holds 10000 files; a batch holds at most 1000"),
        ):
            with pytest.raises(ValidationFailed) as refused:
                onboarding.create_batch(
                    session,
                    _cqu(session),
                    world["cqu"],
                    uploads,
                    ledger_upload=None,
                    files_dir=settings.files_dir,
                    max_bytes=settings.upload_max_bytes,
                )
            assert message in refused.value.message
            assert refused.value.errors[0].field == "files"
        session.rollback()
        assert _count(session, ImportBatch) == 0
    assert _stored(settings) == stored_before


def test_a_party_that_fits_two_organisations_is_named_and_nothing_is_created_until_one_is_chosen(
    factory: sessionmaker[Session], settings: Settings, world: dict[str, int]
) -> None:
    with factory() as session:
        for name in ("Montana State University", "Michigan State University"):
            session.add(Organisation(name_en=name, short_name_en="MSU", kind=OrgKind.UNIVERSITY))
        session.commit()
        montana = session.scalar(select(Organisation.id).where(Organisation.name_en.startswith("Montana")))
        text = MOU_EN.replace("Party B: Montana State University", "Party B: MSU")
        batch, job = onboarding.create_batch(
            session,
            _cqu(session),
            world["cqu"],
            [onboarding.Upload("mou.txt", text.encode())],
            ledger_upload=None,
            files_dir=settings.files_dir,
            max_bytes=settings.upload_max_bytes,
        )
        session.commit()
        batch_id, job_id = batch.id, job.id
    assert jobs.run(factory, settings, job_id) == JobState.DONE
    with factory() as session:
        item = session.scalar(select(ImportItem).where(ImportItem.batch_id == batch_id))
        assert item is not None
        party = item.proposal["parties"][1]
        assert party["name"] == "MSU" and party["reason"] == "ambiguous"
        assert party["organisation_id"] is None and len(party["candidates"]) == 2
        assert item.decision["parties"][1] == {"organisation_id": None, "name": "MSU"}
        before = _count(session, Agreement)
        confirm = onboarding_confirm.confirm(session, _cqu(session), batch_id)
        session.commit()
        confirm_id, item_id = confirm.id, item.id
    assert jobs.run(factory, settings, confirm_id) == JobState.DONE
    with factory() as session:
        item = session.get(ImportItem, item_id)
        assert item is not None and item.state == ItemState.READ
        assert "“MSU”" in item.error_args["detail"]
        assert _count(session, Agreement) == before
        # The review page's "(choose the organisation)" keeps the party undecided, and named.
        onboarding_confirm.update_decision(
            session,
            _cqu(session),
            batch_id,
            item_id,
            {"parties": [{"choice": str(world["cqu"])}, {"choice": "?"}]},
        )
        assert item.decision["parties"][1] == {"organisation_id": None, "name": "MSU"}
        onboarding_confirm.update_decision(
            session,
            _cqu(session),
            batch_id,
            item_id,
            {"parties": [{"choice": str(world["cqu"])}, {"choice": str(montana)}]},
        )
        confirm = onboarding_confirm.confirm(session, _cqu(session), batch_id)
        session.commit()
        confirm_id = confirm.id
    assert jobs.run(factory, settings, confirm_id) == JobState.DONE
    with factory() as session:
        item = session.get(ImportItem, item_id)
        assert item is not None and item.state == ItemState.CREATED
        agreement = session.get(Agreement, item.agreement_id)
        assert agreement is not None
        assert [p.organisation_id for p in agreement.parties] == [world["cqu"], montana]
        assert session.scalar(select(func.count()).select_from(Agreement)) == before + 1
