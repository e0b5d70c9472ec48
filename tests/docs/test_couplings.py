"""No hidden couplings between modules: the page environment is built in one place, and templates get
their data from their route instead of querying."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "accord"
ENVIRONMENT_CHANGE = re.compile(r"\benv\.(globals|filters|tests)\b|\bjinja2\b|\bJinja2Templates\(directory")
FACTORY = {"templating.py"}


def _lines(pattern: re.Pattern[str], skip: set[str]) -> list[str]:
    return [
        f"{path.relative_to(SOURCE)}:{number}: {line.strip()}"
        for path in sorted(SOURCE.rglob("*.py"))
        if str(path.relative_to(SOURCE)) not in skip
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]


def test_jinja_environments_come_from_the_one_factory() -> None:
    # A route module that adds template globals when it is imported makes other pages depend on
    # the order routers are included in; a second hand-built environment drifts from the first.
    # The pages' Jinja2Templates wraps the factory's environment (web/render.py).
    assert _lines(ENVIRONMENT_CHANGE, FACTORY) == []


def test_report_templates_live_beside_the_report_code() -> None:
    assert (SOURCE / "services" / "report_templates" / "annual_print.html").is_file()
    assert (
        "web"
        not in (SOURCE / "services" / "reports.py")
        .read_text(encoding="utf-8")
        .split("TEMPLATES =")[1]
        .split("\n")[0]
    )


def test_pages_never_reach_the_database_through_a_loaded_record() -> None:
    # object_session(...) in page code is how a template helper would query behind its route's back.
    web = re.compile(r"\bobject_session\b")
    found = [line for line in _lines(web, set()) if line.startswith(("web/", "api/"))]
    assert found == []


def test_every_enumeration_label_table_lives_in_accord_labels() -> None:
    # A table of translatable names keyed by an enumeration's members: {TaskStatus.DONE: N_("Done"), …}.
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path.name == "labels.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Dict)
                and node.keys
                and all(isinstance(key, ast.Attribute) for key in node.keys)
                and all(isinstance(v, ast.Call) and getattr(v.func, "id", "") == "N_" for v in node.values)
            ):
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    assert found == [], "add the table to accord.labels (one table per enumeration)"
