"""The command line starts without the heavy libraries: `accord --help` and `accord check` load no
benchmark, matching, charting or report code, and `accord bench` loads its commands when opened.

Each command runs in a fresh interpreter (the test process has imported everything already), which
then lists the modules it holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from accord.cli import app
from accord.cli.commands import RoleName
from accord.models import Role

# Modules no command needs to start: the benchmarks, numeric and charting libraries, the matching and
# report engines, the job queue, the ORM models, PDF rendering.
HEAVY = (
    "accord.bench",
    "accord.match",
    "accord.bibliography",
    "accord.demo",
    "accord.services.reports",
    "numpy",
    "scipy",
    "sklearn",
    "matplotlib",
    "datasketch",
    "pypinyin",
    "procrastinate",
    "weasyprint",
    "openpyxl",
)
# `accord --help` needs no database or settings at all (pydantic may come: Typer uses it itself).
NOT_FOR_HELP = (*HEAVY, "accord.models", "accord.services", "accord.config", "sqlalchemy", "alembic")

SCRIPT = """
import json, sys
from accord.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\n" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def modules_after(args: list[str], env: dict[str, str] | None = None) -> set[str]:
    """The modules an ``accord`` process holds after running ``args``."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def loaded(modules: set[str], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == f or m.startswith(f + ".") for f in forbidden))


def test_help_imports_no_heavy_module() -> None:
    assert loaded(modules_after(["--help"]), NOT_FOR_HELP) == []
    assert loaded(modules_after(["db", "--help"]), NOT_FOR_HELP) == []


def test_check_imports_no_heavy_module(tmp_path: Path) -> None:
    env = {"ACCORD_DATA_DIR": str(tmp_path), "ACCORD_DATABASE_URL": f"sqlite:///{tmp_path}/accord.db"}
    modules = modules_after(["check"], env)
    assert "accord.preflight" in modules  # the check ran
    assert loaded(modules, HEAVY) == []


# What only onboarding, registry matching, charts and Chinese search use: the web application and every
# command that builds it (tests start dozens) load these when a page first needs them, not at start.
NOT_FOR_THE_APP = (
    "datasketch",
    "scipy",
    "pypinyin",
    "sklearn",
    "matplotlib",
    "rjieba",
    "openpyxl",
    "accord.bench",
    "accord.demo",
)

APP_SCRIPT = """
import json, sys, tempfile
from accord.config import Settings
from accord.web.app import create_app
folder = tempfile.mkdtemp()
create_app(Settings(data_dir=folder, database_url=f"sqlite:///{folder}/accord.db", secret_key="x"))
sys.stderr.write("\\n" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def test_the_web_application_starts_without_what_only_onboarding_uses() -> None:
    result = subprocess.run([sys.executable, "-c", APP_SCRIPT], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    modules = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert "accord.web.app" in modules
    assert loaded(modules, NOT_FOR_THE_APP) == []


def test_the_benchmarks_load_when_their_group_is_opened() -> None:
    modules = modules_after(["bench", "--help"])
    assert "accord.cli.bench" in modules
    result = CliRunner().invoke(app, ["bench", "--help"])
    assert result.exit_code == 0
    for name in ("board", "extract", "formats", "load", "match", "ocr", "onboard"):
        assert name in result.output


def test_the_role_choices_are_the_roles() -> None:
    assert [r.value for r in RoleName] == [r.value for r in Role]
