"""Environment files read the way systemd's ``EnvironmentFile=`` reads them, with no shell expansion.

The services get their settings from ``/etc/accord.env`` through systemd, which takes each value as
written: a ``$`` in a password is a ``$``. ``accord --env-file /etc/accord.env …`` reads the file the
same way, so a command an operator runs sees exactly what the services see (``. /etc/accord.env`` in a
shell would expand ``$`` and break such a password).

Rules (systemd.exec(5)): one ``KEY=VALUE`` a line; blank lines and lines starting with ``#`` or ``;``
are ignored; spaces around the key and value are dropped; a value in double quotes may hold ``\\"``,
``\\\\`` and ``\\n``; a value in single quotes is taken literally; a line ending in ``\\`` continues on
the next.
"""

from __future__ import annotations

import re
from pathlib import Path

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class EnvFileError(ValueError):
    """A line that is not ``KEY=VALUE``; the message names the file and line."""


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == '"':
        inner, out, i = value[1:-1], [], 0
        while i < len(inner):
            if inner[i] == "\\" and i + 1 < len(inner):
                following = inner[i + 1]
                out.append({"n": "\n", "t": "\t"}.get(following, following))
                i += 2
            else:
                out.append(inner[i])
                i += 1
        return "".join(out)
    return value


def parse(text: str, name: str = "environment file") -> dict[str, str]:
    """The variables of an environment file's text."""
    result: dict[str, str] = {}
    pending = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = pending + raw
        if line.endswith("\\") and not line.endswith("\\\\"):
            pending, start = line[:-1], start or number
            continue
        first, pending, start = start or number, "", 0
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        key, equals, value = stripped.partition("=")
        key = key.strip()
        if not equals or not _KEY.match(key):
            raise EnvFileError(f"{name}, line {first}: expected KEY=VALUE, got {stripped[:40]!r}")
        result[key] = _unquote(value.strip())
    return result


def read(path: Path) -> dict[str, str]:
    """The variables of the file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EnvFileError(f"Cannot read {path}: {exc.strerror}") from None
    return parse(text, str(path))
