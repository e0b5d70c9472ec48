"""``accord bench load`` end to end on a tiny portfolio, and the plan that keeps people's edits apart."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from accord.bench import load_plan
from accord.bench.load import _percentile
from accord.cli import app
from accord.demo.scale import generate

KINDS = {"home", "board", "agreement page", "task page", "progress update"}


@pytest.mark.slow
def test_a_short_load_run_serves_every_kind_of_request_without_errors(database_url: str) -> None:
    # Short think times so five people make enough requests in five seconds to touch every kind.
    arguments = ["bench", "load", "--agreements", "10", "--users", "5", "--spawn-rate", "5"]
    arguments += ["--warmup", "1", "--duration", "5", "--wait-min", "0.05", "--wait-max", "0.2"]
    result = CliRunner().invoke(app, [*arguments, "--database-url", database_url, "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["processes"] == (1 if figures["backend"] == "sqlite" else 2)
    assert figures["accounts"] == 5 and figures["tasks"] == 200
    overall = figures["overall"]
    assert set(overall) == {"requests", "errors", "rps", "p50_ms", "p95_ms", "p99_ms"}
    assert overall["errors"] == 0, figures["error_samples"]
    assert overall["requests"] > 0 and overall["p50_ms"] <= overall["p95_ms"] <= overall["p99_ms"]
    # Which kinds a five-second window reaches depends on the machine's speed: a person's next step is
    # drawn at random by weight (a progress update 5 in 73), so only a run of some length must have
    # drawn them all (200 requests miss one with a chance near one in 10^5).
    if overall["requests"] >= 200:
        assert set(figures["kinds"]) >= KINDS
    assert "sign in" not in figures["kinds"]  # sign-ins happen before the measured window


def test_no_two_accounts_may_edit_the_same_task(session: Session) -> None:
    generate(session, 30, today=date(2026, 11, 25))
    plan = load_plan.add_accounts(session, 25)
    editable = [task for account in plan for task in account["editable"]]
    assert len(editable) == len(set(editable)) > 0
    assert [a["role"] for a in plan].count("coordinator") == 3
    assert all(account["agreements"] and account["tasks"] for account in plan)


def test_percentiles_read_locust_histograms() -> None:
    histogram = {10: 50, 20: 45, 300: 4, 900: 1}
    assert (_percentile(histogram, 0.5), _percentile(histogram, 0.95), _percentile(histogram, 0.99)) == (
        10.0,
        20.0,
        300.0,
    )
    assert _percentile({}, 0.5) == 0.0
