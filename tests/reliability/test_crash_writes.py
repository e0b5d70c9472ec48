"""kill -9 during a bulk task update or an export: nothing half-written, and the audit trail agrees.

Each test starts a real child process that does the write and stops in the middle of it (rows
flushed but not committed; an export file half written), prints a marker and sleeps; the test
kills it with SIGKILL and looks at what is left, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.models import AuditEntry, Base, Task, User
from accord.schemas.tasks import BulkIn
from accord.services import supervision
from accord.services.permissions import principal_for
from tests.conftest import ADMIN

TODAY = date(2026, 11, 25)
MOVED = date(2031, 3, 3)

BULK_CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from sqlalchemy import select
    from accord.db.session import make_engine, make_sessionmaker
    from accord.models import Task, User
    from accord.schemas.tasks import BulkIn
    from accord.services import supervision
    from accord.services.permissions import principal_for

    url, action, ids = sys.argv[1], sys.argv[2], [int(i) for i in sys.argv[3].split(",")]
    session = make_sessionmaker(make_engine(url))()
    admin = session.scalars(select(User).where(User.email == "admin@accord.example")).one()
    data = BulkIn(action=action, task_ids=ids, due_on=date(2031, 3, 3) if action == "due" else None)
    changed = supervision.bulk(session, principal_for(session, admin), data, today=date(2026, 11, 25))
    session.flush()  # every task and audit entry is written, the transaction is still open
    print("written", changed, flush=True)
    time.sleep(60)
    """
)

# Runs a command of the real command line; the first file it opens for writing gets half of its
# bytes, flushed to disk, and then the process stops there, as if the machine lost power mid-write.
EXPORT_CHILD = textwrap.dedent(
    """
    import builtins, io, os, sys, time

    real_open = io.open

    class Stalled:
        def __init__(self, handle):
            self._handle = handle

        def write(self, data):
            self._handle.write(data[: len(data) // 2])
            self._handle.flush()
            os.fsync(self._handle.fileno())
            print("written", flush=True)
            time.sleep(60)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self._handle.__exit__(*exc)

        def __getattr__(self, name):
            return getattr(self._handle, name)

    def stalling_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        return Stalled(handle) if any(m in mode for m in "wax") else handle

    from accord.cli import app

    io.open = builtins.open = stalling_open
    app(sys.argv[1:])
    """
)


def _spawn(script: Path, args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(script), *args],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _kill_after_marker(child: subprocess.Popen[str]) -> str:
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line.startswith("written"), f"the child stopped before writing: {line!r}"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return line


def _tasks(factory: sessionmaker[Session]) -> dict[int, tuple[Any, ...]]:
    with factory() as session:
        return {
            t.id: (t.done, t.done_on, t.cancelled, t.due_on, t.progress_percent, t.version)
            for t in session.scalars(select(Task))
        }


def _row_counts(factory: sessionmaker[Session]) -> dict[str, int]:
    with factory() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def _trail_disagreements(factory: sessionmaker[Session]) -> list[str]:
    """Tasks whose latest audit entry describes a state other than the stored one."""
    keys = ("done", "done_on", "cancelled", "due_on", "version")
    found = []
    with factory() as session:
        tasks = {t.id: t for t in session.scalars(select(Task))}
        latest: dict[int, AuditEntry] = {}
        for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.object_type == "task").order_by(AuditEntry.id)
        ):
            latest[entry.object_id] = entry
        for task_id, entry in latest.items():
            task = tasks.get(task_id)
            if entry.after is None or task is None:
                continue
            stored = {
                "done": task.done,
                "done_on": task.done_on.isoformat() if task.done_on else None,
                "cancelled": task.cancelled,
                "due_on": task.due_on.isoformat() if task.due_on else None,
                "version": task.version,
            }
            recorded = {k: entry.after.get(k) for k in keys}
            if recorded != stored:
                found.append(f"task {task_id}: trail {recorded} != stored {stored}")
    return found


@pytest.mark.parametrize("action", ["done", "cancel", "due"])
def test_killing_a_bulk_task_update_midway_changes_no_task(
    action: str,
    world: dict[str, int],
    settings: Settings,
    factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    with factory() as session:
        ids = list(
            session.scalars(
                select(Task.id).where(Task.done.is_(False), Task.cancelled.is_(False)).order_by(Task.id)
            )
        )
    assert len(ids) >= 10, "the demo should give the bulk action many tasks"
    tasks_before, counts_before = _tasks(factory), _row_counts(factory)
    assert _trail_disagreements(factory) == []
    script = tmp_path / "bulk.py"
    script.write_text(BULK_CHILD)

    line = _kill_after_marker(
        _spawn(script, [settings.resolved_database_url, action, ",".join(map(str, ids))])
    )

    assert line == f"written {len(ids)}"  # the child did change every task before it died
    assert _tasks(factory) == tasks_before
    assert _row_counts(factory) == counts_before
    assert _trail_disagreements(factory) == []

    # The same bulk action run to its commit changes every task, and the trail follows each change.
    with factory() as session:
        admin = session.scalars(select(User).where(User.email == ADMIN)).one()
        data = BulkIn(action=action, task_ids=ids, due_on=MOVED if action == "due" else None)
        assert supervision.bulk(session, principal_for(session, admin), data, today=TODAY) == len(ids)
        session.commit()
    after = _tasks(factory)
    assert {i for i in ids if after[i] != tasks_before[i]} == set(ids)
    counts = _row_counts(factory)
    assert counts["audit_entry"] == counts_before["audit_entry"] + len(ids)
    assert _trail_disagreements(factory) == []


EXPORTS = {
    "report": ["report", "annual", "--year", "2020-2026", "--partner", "Chongqing University",
               "--format", "xlsx", "--lang", "en", "--output"],
    "registry": ["export"],
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(EXPORTS))
def test_killing_an_export_midway_leaves_no_file_that_looks_complete(
    kind: str,
    world: dict[str, int],
    settings: Settings,
    factory: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    name = "annual-report.xlsx" if kind == "report" else "registry.json"
    target = folder / name
    target_args = [*EXPORTS[kind], str(target)]
    env = {
        "ACCORD_DATABASE_URL": settings.resolved_database_url,
        "ACCORD_DATA_DIR": str(settings.data_dir),
        "ACCORD_SECRET_KEY": "test-secret-key",
    }
    counts_before = _row_counts(factory)
    script = tmp_path / "export.py"
    script.write_text(EXPORT_CHILD)

    _kill_after_marker(_spawn(script, target_args, env))

    # Nothing under the name asked for; whatever half-written bytes remain are in a hidden file
    # whose name says it is partial. An export writes no rows, so none can point at a missing file.
    assert not target.exists()
    assert all(p.name.startswith(f".{name}.") and p.name.endswith(".partial") for p in folder.iterdir())
    assert _row_counts(factory) == counts_before

    # Run to the end, the same command leaves a complete file under that name.
    done = subprocess.run(
        [sys.executable, "-m", "accord", *target_args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    if kind == "report":
        workbook = load_workbook(target)
        assert "Chongqing University" in str(workbook.worksheets[0]["A1"].value)
    else:
        assert json.loads(target.read_text("utf-8"))["organisations"]
    assert [p for p in folder.iterdir() if not p.name.startswith(".")] == [target]
    assert _row_counts(factory) == counts_before
