"""Tasks from commitments and by hand: validation, recurrence, progress, status in Python and SQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from accord import clock
from accord.config import Settings
from accord.delivery import TaskStatus
from accord.demo import wanzhou
from accord.models import AuditEntry, Occurrence, ProgressUpdate, Task
from accord.schemas.tasks import ProgressIn, TaskIn
from accord.services import supervision, tasks
from accord.services.errors import NotFound, PermissionDenied, ValidationFailed
from accord.services.listing import ListQuery
from accord.services.permissions import SYSTEM
from tests.conftest import CQU, WANZHOU
from tests.delivery_app.conftest import TODAY, MakeTask
from tests.factories import design_agreement_id, org_id, principal


def _fields(error: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in error.errors}


def test_the_demo_gives_accepted_commitments_tasks_in_every_state(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    with factory() as session:
        wanzhou.load(session, settings.files_dir)
        session.commit()
        today = clock.today()  # the demo places its tasks around the day it is loaded
        rows = supervision.board(session, SYSTEM, ListQuery(page_size=500), today=today).items
        statuses = {r.status for r in rows}
        assert {TaskStatus.DONE, TaskStatus.ON_TRACK, TaskStatus.OVERDUE, TaskStatus.AT_RISK} <= statuses
        assert all(r.task.commitment_id is not None for r in rows)
        assert session.scalar(select(func.count()).select_from(ProgressUpdate)) > 0


def test_a_task_from_an_accepted_commitment_links_to_it_and_its_clause_and_recurs(
    session: Session, commitment_id: int, world: dict[str, int]
) -> None:
    wanzhou = principal(session, WANZHOU)
    task = tasks.create_task(
        session,
        wanzhou,
        TaskIn(
            title="召开年度联席会议",
            commitment_id=commitment_id,
            owner_organisation_id=org_id(session, "People's Government of Wanzhou District"),
            due_on=date(2021, 7, 27),
        ),
    )
    session.commit()
    assert task.agreement_id == world["strategic_agreement"]
    assert task.commitment is not None and task.commitment.clause is not None
    assert task.commitment.clause.number == "第五条"
    # The commitment recurs every year: one occurrence per year until the agreement ends (2025-07-26).
    assert task.recurrence_rule is not None and "INTERVAL=12" in task.recurrence_rule
    dates = list(
        session.scalars(
            select(Occurrence.due_on).where(Occurrence.series_id == task.id).order_by(Occurrence.sequence)
        )
    )
    assert dates == [date(y, 7, 27) for y in range(2021, 2025)]
    children = sorted(task.children, key=lambda t: t.due_on)
    assert [c.due_on for c in children] == dates and all(c.commitment_id == commitment_id for c in children)
    assert task.due_on == date(2024, 7, 27)
    # Each creation is in the audit trail.
    audited = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "task")
    )
    assert audited == 5


def test_open_ended_rules_stop_at_the_horizon_and_too_many_dates_are_refused(
    session: Session, world: dict[str, int], make_task: MakeTask
) -> None:
    design = design_agreement_id(session)  # signed with no end date
    owner = org_id(session, "Wanzhou Planning and Design Institute")
    monthly = make_task(agreement_id=design, owner_organisation_id=owner, recurrence_rule="monthly")
    assert len(monthly.children) == 60  # five years (ACCORD_RECURRENCE_HORIZON_YEARS), not an error
    assert tasks.horizon_note(monthly, 5) is not None
    session.delete(monthly)
    for child in monthly.children:
        session.delete(child)
    session.commit()
    with pytest.raises(ValidationFailed) as too_many:
        tasks.create_task(
            session,
            SYSTEM,
            TaskIn(
                title="每日报告",
                agreement_id=world["strategic_agreement"],
                owner_organisation_id=org_id(session, "Chongqing University"),
                due_on=date(2021, 1, 1),
                recurrence_rule="FREQ=DAILY",
            ),
            max_occurrences=50,
        )
    assert "more than 50" in _fields(too_many.value)["recurrence_rule"]
    session.rollback()
    with pytest.raises(ValidationFailed) as garbage:
        make_task(recurrence_rule="every full moon")
    assert "recurrence_rule" in _fields(garbage.value)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Task)) == 0  # nothing half-saved


def test_due_before_start_cycles_and_foreign_owners_are_refused(
    session: Session, world: dict[str, int], make_task: MakeTask
) -> None:
    with pytest.raises(ValidationFailed) as early:
        make_task(start_on=date(2024, 5, 1), due_on=date(2024, 4, 1))
    assert "before the start" in _fields(early.value)["due_on"]
    session.rollback()
    with pytest.raises(ValidationFailed) as foreign:
        make_task(owner_organisation_id=org_id(session, "Chongqing Dayou Design Group"))
    assert "owner_organisation_id" in _fields(foreign.value)
    session.rollback()

    top = make_task(title="总任务")
    middle = make_task(title="子任务", parent_id=top.id)
    leaf = make_task(title="孙任务", parent_id=middle.id)
    data = TaskIn.model_validate(
        {k: getattr(top, k) for k in TaskIn.model_fields if k not in ("agreement_id",)}
        | {"parent_id": leaf.id}
    )
    with pytest.raises(ValidationFailed) as cycle:
        tasks.update_task(session, SYSTEM, top.id, data, top.version)
    assert "under itself" in _fields(cycle.value)["parent_id"]
    session.rollback()
    with pytest.raises(ValidationFailed):
        tasks.update_task(session, SYSTEM, top.id, data.model_copy(update={"parent_id": top.id}), None)


def test_permissions_other_coordinators_see_nothing_viewers_cannot_report(
    session: Session, world: dict[str, int], make_task: MakeTask
) -> None:
    design = design_agreement_id(session)
    foreign = make_task(
        agreement_id=design, owner_organisation_id=org_id(session, "Chongqing Dayou Design Group")
    )
    cqu = principal(session, CQU)
    with pytest.raises(NotFound):
        tasks.get_task(session, cqu, foreign.id)
    own = make_task()
    # CQU coordinates a party of the strategic agreement: it manages tasks but Wanzhou owns this one.
    assert tasks.can_manage_tasks(cqu, own.agreement)
    from tests.conftest import VIEWER

    viewer = principal(session, VIEWER)
    assert tasks.get_task(session, viewer, own.id).id == own.id
    with pytest.raises(PermissionDenied):
        tasks.add_update(
            session,
            viewer,
            own.id,
            ProgressIn(percent=Decimal(10)),
            today=TODAY,
            files_dir=Path("/nonexistent"),
            limit=10,
        )
    with pytest.raises(PermissionDenied):
        tasks.create_task(
            session,
            viewer,
            TaskIn(
                title="x",
                agreement_id=own.agreement_id,
                owner_organisation_id=own.owner_organisation_id,
                due_on=TODAY,
            ),
        )


def test_progress_updates_set_percent_from_the_metric_and_refuse_bad_values(
    session: Session, world: dict[str, int], make_task: MakeTask, tmp_path: Path
) -> None:
    task = make_task(metric_target=Decimal(200), metric_unit="人次")
    wanzhou = principal(session, WANZHOU)
    update = tasks.add_update(
        session,
        wanzhou,
        task.id,
        ProgressIn(metric_value=Decimal(50), note="首批"),
        today=TODAY,
        files_dir=tmp_path,
        limit=100,
    )
    session.commit()
    assert update.percent == Decimal("25.00") and task.progress_percent == Decimal("25.00")
    with pytest.raises(ValidationFailed) as empty:
        tasks.add_update(session, wanzhou, task.id, ProgressIn(), today=TODAY, files_dir=tmp_path, limit=100)
    assert "percent" in _fields(empty.value)
    with pytest.raises(ValidationFailed) as future:
        tasks.add_update(
            session,
            wanzhou,
            task.id,
            ProgressIn(percent=Decimal(30), reported_on=TODAY + timedelta(days=1)),
            today=TODAY,
            files_dir=tmp_path,
            limit=100,
        )
    assert "reported_on" in _fields(future.value)
    with pytest.raises(ValidationFailed) as bad_type:
        tasks.add_update(
            session,
            wanzhou,
            task.id,
            ProgressIn(percent=Decimal(30)),
            today=TODAY,
            uploads=[
                tasks.Upload("ok.pdf", "application/pdf", b"%PDF-1.4"),
                tasks.Upload("run.exe", None, b"MZ"),
            ],
            files_dir=tmp_path,
            limit=100,
        )
    assert "not accepted" in _fields(bad_type.value)["files.1"]
    session.rollback()
    assert len(tasks.updates_of(session, task.id)) == 1 and tasks.evidence_of(session, task.id) == []


@pytest.mark.parametrize("progress", [0, 10, 24, 50, 90, 100])
def test_the_board_computes_status_in_sql_exactly_as_the_delivery_rules_do(
    session: Session, world: dict[str, int], make_task: MakeTask, progress: int
) -> None:
    specs = [
        (date(2024, 1, 1), date(2024, 12, 31)),
        (date(2024, 6, 2), date(2024, 9, 1)),
        (None, date(2024, 6, 10)),
        (date(2024, 5, 1), date(2024, 5, 31)),
        (date(2024, 6, 1), date(2024, 6, 1)),
        (date(2023, 1, 1), date(2024, 6, 14)),
        (date(2023, 1, 1), date(2024, 6, 16)),
    ]
    for start, due in specs:
        task = make_task(title=f"{start}-{due}", start_on=start, due_on=due)
        task.progress_percent = Decimal(progress)
    done = make_task(title="done")
    done.done = True
    cancelled = make_task(title="cancelled")
    cancelled.cancelled = True
    session.commit()
    page = supervision.board(session, SYSTEM, ListQuery(page_size=100), today=TODAY)
    assert page.total == len(specs) + 2
    for row in page.items:
        assert row.status == tasks.status_of(row.task, TODAY), row.task.title
    ranks = [tasks.STATUS_ORDER.index(r.status) for r in page.items]
    assert ranks == sorted(ranks)  # overdue first
    for status in TaskStatus:
        filtered = supervision.board(
            session, SYSTEM, ListQuery(filters={"status": status.value}, page_size=100), today=TODAY
        )
        assert {r.task.id for r in filtered.items} == {r.task.id for r in page.items if r.status == status}
