"""Onboarding a folder: files read into proposals, parties found, copies and revisions caught,
ledger linked, nothing created until confirmed; then one transaction per agreement."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from accord import intake
from accord.config import Settings
from accord.models import (
    Agreement,
    AgreementText,
    BatchState,
    Commitment,
    ImportBatch,
    ImportItem,
    ItemState,
    JobState,
    Organisation,
    OrganisationAlias,
    User,
)
from accord.services import jobs, onboarding, onboarding_confirm
from accord.services.permissions import principal_for
from tests.conftest import CQU
from tests.onboarding.folder import write_folder


def _cqu(session: Session):  # type: ignore[no-untyped-def]
    user = session.scalar(select(User).where(User.email == CQU))
    assert user is not None
    return principal_for(session, user)


def by_state(batch: ImportBatch, filename: str) -> int:
    found = next(i.agreement_id for i in batch.items if i.filename == filename)
    assert found is not None
    return found


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_folder_is_read_reviewed_and_confirmed(
    factory: sessionmaker[Session],
    settings: Settings,
    world: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = write_folder(tmp_path / "folder")
    uploads = [onboarding.Upload(p.name, p.read_bytes()) for n, p in paths.items() if n != "ledger.xlsx"]
    ledger = onboarding.Upload("台账.xlsx", paths["ledger.xlsx"].read_bytes())
    with factory() as session:
        before = (_count(session, Agreement), _count(session, Organisation))
        batch, job = onboarding.create_batch(
            session,
            _cqu(session),
            world["cqu"],
            uploads,
            ledger_upload=ledger,
            files_dir=settings.files_dir,
            max_bytes=settings.upload_max_bytes,
        )
        session.commit()
        batch_id, job_id = batch.id, job.id
        assert batch.ledger_mapping["title"] == 1 and batch.ledger_header_row == 1
    assert jobs.run(factory, settings, job_id) == JobState.DONE
    with factory() as session:
        batch = session.get(ImportBatch, batch_id)
        assert batch is not None and batch.state == BatchState.REVIEW
        # Nothing entered the registry yet.
        assert (_count(session, Agreement), _count(session, Organisation)) == before
        by_name = {i.filename: i for i in batch.items if i.source == "file"}
        assert by_name["broken.pdf"].state == ItemState.FAILED and by_name["broken.pdf"].error
        strategic = by_name["strategic.docx"].proposal
        assert strategic["title"] == "重庆大学 重庆市万州区人民政府 科技创新合作协议"
        assert strategic["signed_on"] == "2021-03-15" and strategic["expires_on"] == "2026-03-14"
        parties = strategic["parties"]
        wanzhou = session.scalar(
            select(Organisation.id).where(Organisation.name_zh == "重庆市万州区人民政府")
        )
        assert [p["organisation_id"] for p in parties] == [wanzhou, world["cqu"]]
        twin = by_name["strategic.pdf"].proposal["duplicate"]
        assert twin["kind"] == "same_text" and twin["item_id"] == by_name["strategic.docx"].id
        revised = by_name["strategic-revised.txt"].proposal["duplicate"]
        assert revised["kind"] == "revised"
        assert by_name["strategic-revised.txt"].decision["action"] == "version"
        mou = by_name["mou-msu.txt"].proposal["parties"]
        assert mou[0]["organisation_id"] == world["cqu"]
        assert mou[1]["reason"] == "new" and mou[1]["new_kind"] == "university"
        rows = [i for i in batch.items if i.source == "ledger"]
        assert [r.row_no for r in rows] == [3, 4, 6, 7]
        assert rows[0].linked_item_id == by_name["strategic.docx"].id
        assert rows[1].proposal["values"]["signed_on"] == "2021-05-20"
        assert rows[2].proposal["values"]["expires_on"] == "2023-07-26"
        assert rows[3].proposal["values"]["owner_unit"] == "教务处"  # merged cell
        # Saving the review form with the parent left as found keeps the main agreement of the batch.
        supplement_item = by_name["supplement.docx"]
        assert supplement_item.decision["parent_item_id"] == by_name["strategic.docx"].id
        onboarding_confirm.update_decision(
            session, _cqu(session), batch_id, supplement_item.id, {"parent_id": "", "action": "create"}
        )
        assert supplement_item.decision["parent_item_id"] == by_name["strategic.docx"].id
        job = onboarding_confirm.confirm(session, _cqu(session), batch_id)
        session.commit()
        confirm_id = job.id

    def read_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file read while analysing is not read again when its agreement is created")

    monkeypatch.setattr(intake, "read_document", read_again)
    assert jobs.run(factory, settings, confirm_id) == JobState.DONE
    with factory() as session:
        batch = session.get(ImportBatch, batch_id)
        assert batch is not None
        states = {i.filename: (i.state, i.error) for i in batch.items if i.source == "file"}
        assert states["strategic.docx"][0] == ItemState.CREATED, states
        strategic_id = next(i.agreement_id for i in batch.items if i.filename == "strategic.docx")
        texts = session.scalars(select(AgreementText).where(AgreementText.agreement_id == strategic_id)).all()
        assert len(texts) == 2  # the revised version became version 2
        assert session.scalar(
            select(func.count()).select_from(Commitment).where(Commitment.agreement_id == strategic_id)
        )
        msu = session.scalar(select(Organisation).where(Organisation.name_en == "Montana State University"))
        assert msu is not None and msu.kind.value == "university"
        assert {k for k, (state, _e) in states.items() if state != ItemState.CREATED} == {"broken.pdf"}, (
            states
        )
        assert batch.state == BatchState.DONE
        supplement = session.get(Agreement, by_state(batch, "supplement.docx"))
        assert supplement is not None and supplement.parent_id == strategic_id
        unit = session.scalar(select(Organisation).where(Organisation.name_zh == "重庆大学建筑城规学院"))
        assert unit is not None and unit.parent_id == world["cqu"]
        # The abbreviation 重大 was confirmed for 重庆大学 … it is in the registry already (a short name).
        assert _count(session, OrganisationAlias) == 0
        rows = {i.row_no: i for i in batch.items if i.source == "ledger"}
        assert rows[3].state == ItemState.SKIPPED and rows[3].agreement_id == strategic_id
        assert rows[6].state == ItemState.CREATED
        partner = session.scalar(
            select(func.count()).select_from(Organisation).where(Organisation.name_zh == "重庆三峡职业学院")
        )
        assert partner == 1  # created once for two ledger rows


def test_a_scan_in_a_folder_is_read_by_ocr_and_its_agreement_created(
    factory: sessionmaker[Session], settings: Settings, world: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.intake_app.test_background_import import scan_png

    with factory() as session:
        batch, job = onboarding.create_batch(
            session,
            _cqu(session),
            world["cqu"],
            [onboarding.Upload("扫描件.png", scan_png("zh"))],
            ledger_upload=None,
            files_dir=settings.files_dir,
            max_bytes=settings.upload_max_bytes,
        )
        session.commit()
        batch_id, job_id = batch.id, job.id
    assert jobs.run(factory, settings, job_id) == JobState.DONE
    with factory() as session:
        batch = session.get(ImportBatch, batch_id)
        assert batch is not None
        item = batch.items[0]
        assert item.state == ItemState.READ, (item.error, item.error_args)
        assert item.proposal["format"] == "png" and item.proposal["clauses"] > 0
        partner = next(p["name"] for p in item.proposal["parties"] if p["name"])
        onboarding_confirm.update_decision(
            session,
            _cqu(session),
            batch_id,
            item.id,
            {
                "title": "扫描的合作协议",
                "parties": [
                    {"choice": str(world["cqu"])},
                    {"choice": "new", "new_name": partner, "new_kind": "university"},
                ],
            },
        )
        confirm = onboarding_confirm.confirm(session, _cqu(session), batch_id)
        session.commit()
        confirm_id, item_id = confirm.id, item.id

    def ocr_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("a scan read by OCR while analysing is not recognised again when created")

    # The reading kept beside the scan holds the OCR report too (engine, pages, line confidences).
    monkeypatch.setattr(intake, "read_document", ocr_again)
    assert jobs.run(factory, settings, confirm_id) == JobState.DONE
    with factory() as session:
        item = session.get(ImportItem, item_id)
        assert item is not None and item.state == ItemState.CREATED, (item.error, item.error_args)
        text = session.scalar(select(AgreementText).where(AgreementText.agreement_id == item.agreement_id))
        assert text is not None and text.source_format == "png" and text.detected["ocr"]["engine"]
        assert text.detected["ocr"]["pages"] == [1] and text.detected["ocr"]["lines"] > 0
