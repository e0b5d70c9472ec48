"""The documentation keeps up with the code: every setting and every command is described."""

from __future__ import annotations

from pathlib import Path

import typer.main

from accord.cli import app
from accord.config import Settings

ROOT = Path(__file__).parents[2]


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [
        f"ACCORD_{name.upper()}" for name in Settings.model_fields if f"ACCORD_{name.upper()}" not in text
    ]
    assert missing == []


def test_every_command_has_help_and_appears_in_the_docs() -> None:
    command = typer.main.get_command(app)
    docs = "\n".join(
        p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    )
    missing = []
    for name, sub in command.commands.items():  # type: ignore[attr-defined]
        assert sub.help, f"accord {name} has no help text"
        children = getattr(sub, "commands", None) or {name: sub}
        for child in children:
            phrase = f"accord {name}" if child == name else f"accord {name} {child}"
            if phrase not in docs:
                missing.append(phrase)
    assert missing == []
