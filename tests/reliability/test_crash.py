"""kill -9 in the middle of a write leaves nothing half-written, and the audit trail agrees with the data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from accord.config import Settings
from accord.models import AgreementText, AuditEntry, Clause, Commitment, SignedDocument

CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from accord.db.session import make_engine, make_sessionmaker
    from accord.intake.samples import CQU_WANZHOU_STRATEGIC
    from accord.services import intake
    from accord.services.permissions import SYSTEM

    url, files, agreement = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    session = make_sessionmaker(make_engine(url))()
    data = CQU_WANZHOU_STRATEGIC.read_bytes() + b"\\n" + "第二十条 附则\\n本协议一式四份。".encode()
    intake.import_text(session, SYSTEM, agreement, data=data, filename="revised.txt", content_type=None,
                       files_dir=files, limit=10_000_000)
    session.flush()  # every row is written, the transaction is still open
    print("written", flush=True)
    time.sleep(60)
    """
)


def _counts(factory: sessionmaker[Session]) -> dict[str, int]:
    with factory() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (AgreementText, Clause, Commitment, SignedDocument, AuditEntry)
        }


def test_killing_an_import_midway_leaves_the_database_as_it_was(
    world: dict[str, int], settings: Settings, factory: sessionmaker[Session], tmp_path: Path
) -> None:
    before = _counts(factory)
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen(
        [
            sys.executable,
            str(script),
            settings.resolved_database_url,
            str(settings.files_dir),
            str(world["strategic_agreement"]),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "written"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    after = _counts(factory)
    assert after == before
    with factory() as session:
        # Every text version the trail mentions exists, and the other way round.
        imports = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "import", AuditEntry.object_type == "agreement_text"
            )
        ).all()
        texts = session.scalars(select(AgreementText)).all()
        assert sorted(e.object_id for e in imports) == sorted(t.id for t in texts)
