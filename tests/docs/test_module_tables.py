"""docs/architecture.md names every model module and every service, and says which services commit."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "accord"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _table(heading: str) -> dict[str, list[str]]:
    """The rows of the table under ``## heading``, by the module named in their first cell."""
    section = DOC.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        found = re.match(r"\| `([\w.]+)` \|(.*)\|\s*$", line)
        if found:
            rows[found.group(1)] = [cell.strip() for cell in found.group(2).split("|")]
    return rows


def _services() -> dict[str, Path]:
    found = {p.stem: p for p in (SOURCE / "services").glob("*.py") if p.stem != "__init__"}
    for path in (SOURCE / "services").glob("*/*.py"):
        package = path.parent.name
        found[package if path.stem == "__init__" else f"{package}.{path.stem}"] = path
    return found


def test_every_model_module_is_in_the_table() -> None:
    modules = {p.stem for p in (SOURCE / "models").glob("*.py") if p.stem != "__init__"}
    assert sorted(_table("Model modules")) == sorted(modules)


def test_every_service_is_in_the_table() -> None:
    assert sorted(_table("Services")) == sorted(_services())


def test_the_table_says_which_services_commit_and_why() -> None:
    rows = _table("Services")
    wrong = []
    for name, path in _services().items():
        commits = ".commit()" in path.read_text(encoding="utf-8")
        said = rows[name][-1]
        if (
            commits != said.startswith("yes")
            or (commits and len(said) < 20)
            or (not commits and said != "no")
        ):
            wrong.append(f"{name}: commits={commits}, the doc says {said!r}")
    assert wrong == [], "a service that commits says 'yes — why'; the others 'no'"


def test_every_page_route_module_is_in_the_table() -> None:
    modules = {p.stem for p in (SOURCE / "web" / "routes").glob("*.py") if p.stem != "__init__"}
    assert sorted(_table("Page routes")) == sorted(modules)


def test_no_page_module_borrows_another_ones_private_helpers() -> None:
    """What two page modules share is public, in ``accord.web`` or the module that owns it."""
    imports = re.compile(r"^from accord\.web\.routes\.(\w+) import ([^\n]+)", re.M)
    borrowed = [
        f"{path.stem} imports {module}.{name.strip()}"
        for path in sorted((SOURCE / "web" / "routes").glob("*.py"))
        for module, names in imports.findall(path.read_text(encoding="utf-8"))
        for name in names.split(",")
        if name.strip().startswith("_")
    ]
    assert borrowed == []
