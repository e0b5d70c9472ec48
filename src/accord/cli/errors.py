"""What the command line prints when a command fails: one or two lines naming what to fix.

``accord --debug …`` prints the traceback instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from accord.preflight import database_error, mask, settings_errors


def describe(exc: BaseException) -> list[str]:
    """The lines an operator reads for ``exc`` (passwords in URLs masked)."""
    if isinstance(exc, ValidationError) and exc.title == "Settings":
        return ["Invalid setting: " + line for line in settings_errors(exc)]
    if isinstance(exc, (ArgumentError, NoSuchModuleError)):
        return [f"ACCORD_DATABASE_URL is not a database URL: {mask(str(exc))}"]
    if isinstance(exc, DBAPIError) and exc.connection_invalidated is False and _is_connect(exc):
        return [database_error(exc, _database_url()), "Check ACCORD_DATABASE_URL and that the server runs."]
    if isinstance(exc, DBAPIError):
        first = str(getattr(exc, "orig", exc)).strip().splitlines()
        return [mask(f"Database error: {first[0] if first else type(exc).__name__}")]
    if isinstance(exc, OSError) and exc.filename is not None:
        verb = "write" if isinstance(exc, (PermissionError, IsADirectoryError)) else "use"
        return [f"Cannot {verb} {exc.filename}: {exc.strerror or exc}", _owner_hint(Path(str(exc.filename)))]
    text = mask(str(exc)) or type(exc).__name__
    return [f"{type(exc).__name__}: {text.splitlines()[0]}", "Run with --debug for the traceback."]


def _is_connect(exc: DBAPIError) -> bool:
    return type(exc).__name__ == "OperationalError" and "connect" in str(exc.orig).lower()


def _database_url() -> str:
    from accord.config import Settings

    try:
        return Settings().resolved_database_url
    except ValidationError:
        return os.environ.get("ACCORD_DATABASE_URL", "")


def _owner_hint(path: Path) -> str:
    folder = path if path.is_dir() else path.parent
    if not folder.exists():
        return f"The folder {folder} does not exist; create it first."
    return f"Check who owns {folder} and that this user may write there ('accord check' tells)."
