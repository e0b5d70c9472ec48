"""Docs and examples name paths relative to the repository, never one machine's folders."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MACHINE_PATH = re.compile(r"(?<![\w.~])/(?:work|home|root|Users)/[\w.-]+")


def test_no_doc_or_example_names_an_absolute_path_of_a_machine() -> None:
    texts = [
        ROOT / "README.md",
        *sorted((ROOT / "docs").rglob("*.md")),
        *sorted((ROOT / "src").rglob("*.py")),
    ]
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in texts
        for match in MACHINE_PATH.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "use paths relative to the repository (../shared/agreements)"
