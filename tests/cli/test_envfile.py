"""``accord --env-file`` reads /etc/accord.env as systemd does: a ``$`` in a password stays a ``$``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli import app
from accord.config import get_settings
from accord.envfile import EnvFileError, parse

TEXT = r"""# Accord
ACCORD_DATABASE_URL=postgresql+psycopg://accord:pa$word%40x@127.0.0.1/accord
  ACCORD_BASE_URL = https://accord.example.org
; a comment
ACCORD_SMTP_SENDER="Accord \"office\" <accord@example.org>"
ACCORD_SMTP_PASSWORD='$HOME is not expanded'
ACCORD_SSO_SECRETS={"campus": \
"s3cret"}

"""


def test_values_are_taken_as_written() -> None:
    assert parse(TEXT) == {
        "ACCORD_DATABASE_URL": "postgresql+psycopg://accord:pa$word%40x@127.0.0.1/accord",
        "ACCORD_BASE_URL": "https://accord.example.org",
        "ACCORD_SMTP_SENDER": 'Accord "office" <accord@example.org>',
        "ACCORD_SMTP_PASSWORD": "$HOME is not expanded",
        "ACCORD_SSO_SECRETS": '{"campus": "s3cret"}',
    }


def test_a_line_that_is_not_a_setting_is_named() -> None:
    with pytest.raises(EnvFileError, match=r"accord.env, line 2: expected KEY=VALUE, got 'export X'"):
        parse("A=1\nexport X\n", "accord.env")


def test_the_option_feeds_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / "accord.env"
    env.write_text(f"ACCORD_DATA_DIR={tmp_path / 'data'}\nACCORD_DATABASE_URL=\n", encoding="utf-8")
    # The option writes into the environment; variables already set there would win over the file's.
    monkeypatch.setattr(os, "environ", {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")})
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["--env-file", str(env), "db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "data" / "accord.db").is_file()
        missing = CliRunner().invoke(app, ["--env-file", str(tmp_path / "none.env"), "db", "current"])
        assert missing.exit_code == 2 and f"Cannot read {tmp_path / 'none.env'}" in missing.output
    finally:
        get_settings.cache_clear()
