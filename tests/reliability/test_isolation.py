"""What the test suite shares between the tests of one process stays true for each of them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from accord import clock
from tests.support import databases


def test_the_demo_template_is_loaded_again_on_a_new_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[date] = []

    def load(url: str, files: Path) -> dict[str, int]:
        loads.append(clock.today())
        return {"cqu": 1}

    monkeypatch.setattr(databases, "load_demo", load)
    templates = object.__new__(databases.SqliteTemplates)
    templates.folder, templates.empty, templates._demo = tmp_path, tmp_path / "empty.db", None
    templates.empty.touch()
    day = date(2026, 12, 7)
    monkeypatch.setattr(clock, "today", lambda: day)
    first = templates.demo()
    assert templates.demo() is first and loads == [day]  # the same day: built once
    day += timedelta(days=1)  # midnight passed in the configured time zone
    assert templates.demo().day == day and loads == [day - timedelta(days=1), day]
