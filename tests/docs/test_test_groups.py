"""The suite's ``xdist_group`` marks keep a module's tests on one worker (`make test` runs with
``--dist loadgroup``): a module-wide application or server is built once, and tests that share a
port or a browser never run side by side. pytest-xdist applies the mark by renaming test ids, which
some pytest releases silently ignore; this runs a two-worker session to prove the pair pinned in
pyproject.toml still honours it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GROUPED = """
import os

import pytest

pytestmark = pytest.mark.xdist_group("together")


@pytest.mark.parametrize("n", range(8))
def test_one(n):
    print("worker=" + os.environ["PYTEST_XDIST_WORKER"])
"""


OPTIONS = ["--dist", "loadgroup", "-q", "-s", "-rA", "test_grouped.py"]


@pytest.mark.slow
def test_tests_marked_with_one_group_run_on_one_worker(tmp_path: Path) -> None:
    (tmp_path / "test_grouped.py").write_text(GROUPED, encoding="utf-8")
    # Only pytest-xdist is loaded: the other installed plugins (hypothesis, schemathesis, playwright,
    # locust) play no part in grouping and would be imported again by each of the two workers.
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "xdist.plugin", "-p", "no:cacheprovider", "-n", "2", *OPTIONS],
        cwd=tmp_path,
        env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("PASSED") == 8 and "@together" in run.stdout, run.stdout
