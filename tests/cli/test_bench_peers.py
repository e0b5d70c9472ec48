"""A benchmark whose optional peers are missing says which extra to install, not a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from accord.bench import match_speed
from accord.cli import app


def test_a_peer_whose_package_is_missing_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(match_speed.PEER_MODULES, "tantivy", "accord_no_such_module")
    assert match_speed.unavailable("tantivy") == (
        "accord_no_such_module is not installed; install the benchmark extra: pip install -e '.[bench]'"
    )
    assert match_speed.unavailable("sqlite") is None


def test_an_unknown_peer_is_refused_before_any_work() -> None:
    result = CliRunner().invoke(app, ["bench", "match-speed", "--docs", "10", "--peers", "bm25s,lucene"])
    assert result.exit_code == 2
    assert "unknown peer 'lucene'" in result.output
