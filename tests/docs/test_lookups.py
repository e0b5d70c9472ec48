"""Records are looked up by id through accord.services.records.find (or get_or_404), which answers
"none" for an id no database column can hold: ``session.get`` with 2**63 raises on SQLite and
PostgreSQL and turned a page for /channels/9223372036854775808/edit into a 500. Modules whose ids only
ever come from stored rows (a notice's task, a job's user) may use ``session.get`` and are named here."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "accord"
FROM_STORED_ROWS = {
    "services/records.py",  # the lookup itself
    "services/notices.py",  # the notice row's task, match, user and channel
    "services/jobs.py",  # the job row and its user
    "services/intake_jobs.py",  # the document a queued job names
    "services/matching/ranking.py",  # ids read back from the search index
    "services/sso.py",  # the break-glass account chosen from the users list
    "cli/onboarding.py",  # the job and batch the command itself created
    "demo/wanzhou.py",  # the demo's own records
}
LOOKUP = re.compile(r"(?<![\w.])session\.get\(")


def test_ids_are_looked_up_through_records_find() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in sorted(SRC.rglob("*.py"))
        if str(path.relative_to(SRC)) not in FROM_STORED_ROWS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LOOKUP.search(line)
    ]
    assert offenders == [], "use records.find / records.get_or_404: " + ", ".join(offenders)


def test_the_check_sees_a_lookup_and_not_the_cookie_session() -> None:
    assert LOOKUP.search("    target = session.get(NoticeTarget, target_id)")
    assert not LOOKUP.search("    secret = request.session.get(SESSION_KEY)")
