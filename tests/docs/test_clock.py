"""One clock: 'today' is the calendar day of ACCORD_TIME_ZONE, asked of accord.clock and nothing else."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from accord import clock
from accord.config import Settings

SOURCE = Path(__file__).resolve().parents[2] / "src" / "accord"
TESTS = Path(__file__).resolve().parents[1]
# Ways of asking the machine, or UTC, what day it is.
AD_HOC_TODAY = re.compile(
    r"\bdate\.today\(\)"
    r"|\bdatetime\.today\(\)"
    r"|\bdatetime\.utcnow\b"
    r"|\.now\([^()]*\)\.date\(\)"
    r"|\butcnow\(\)\.date\(\)"
    r"|\bnow\.date\(\)"
    r"|\btime\.localtime\("
)


def test_no_module_works_out_today_by_itself() -> None:
    found = [
        f"{path.relative_to(SOURCE.parent)}:{number}: {line.strip()}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path.name != "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if AD_HOC_TODAY.search(line)
    ]
    assert found == [], "ask accord.clock (today, day_of) so the configured time zone decides the day"


def test_no_test_works_out_today_by_itself() -> None:
    # The machine's date (UTC here) is the day before Shanghai's from 16:00 to midnight UTC: a test
    # that builds its data or its expectations from it disagrees with the pages for eight hours a day.
    found = [
        f"{path.relative_to(TESTS.parent)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if AD_HOC_TODAY.search(line)
    ]
    assert found == [], "ask accord.clock (today, now) as the application does"


def test_the_day_is_the_configured_time_zones() -> None:
    # 23:30 UTC on 6 December is already 7 December in Shanghai, still 6 December in New York.
    moment = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    assert clock.clock_for("Asia/Shanghai").day_of(moment) == date(2026, 12, 7)
    assert clock.clock_for("America/New_York").day_of(moment) == date(2026, 12, 6)
    assert clock.clock_for("UTC").day_of(moment.replace(tzinfo=None)) == date(2026, 12, 6)


def test_the_setting_names_a_real_time_zone_and_gives_the_clock() -> None:
    assert Settings().time_zone == "Asia/Shanghai"
    assert Settings(time_zone="Europe/Berlin").clock.zone.key == "Europe/Berlin"
    with pytest.raises(ValidationError, match="IANA time zone"):
        Settings(time_zone="Mars/Olympus_Mons")


def test_the_application_sets_its_process_clock(tmp_path: Path) -> None:
    from accord.web.app import create_app

    before = clock.current()
    try:
        app = create_app(
            Settings(
                data_dir=tmp_path,
                database_url=f"sqlite:///{tmp_path / 'accord.db'}",
                time_zone="Pacific/Auckland",
                match_warm_up=False,
            )
        )
        app.state.engine.dispose()
        assert clock.current().zone.key == "Pacific/Auckland"
    finally:
        clock.use(before.zone.key)
