"""Whole-database backups as a portable ZIP: every table as JSON lines, plus the stored files.

The same archive restores into SQLite or PostgreSQL (a backup of one can seed the other), and is
the documented export format of all data (see docs/backup.md). Rows are written in primary-key
order and tables in foreign-key order, so a backup of a restored database is identical.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, TypeDecorator, func, insert, select, text
from sqlalchemy.sql.sqltypes import JSON, Boolean, Date, DateTime, LargeBinary, Numeric

from accord import __version__
from accord.db.migrate import current_revision
from accord.i18n import gettext as _
from accord.models import Base
from accord.safezip import Budget, MemberStream, ZipLimits, ZipRefused, iter_member, open_archive, read_member
from accord.services.errors import FieldError, ValidationFailed

FORMAT = "accord-backup"
FORMAT_VERSION = 1
BATCH = 1000
MANIFEST_MAX = 64 * 1024 * 1024  # file names and digests of every stored file
Progress = Callable[[str, int], None]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _decoder(column_type: Any) -> Callable[[Any], Any]:
    if isinstance(column_type, TypeDecorator):
        column_type = column_type.impl_instance
    if isinstance(column_type, DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(column_type, Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    if isinstance(column_type, Numeric) and column_type.asdecimal:
        return lambda v: None if v is None else Decimal(v)
    if isinstance(column_type, LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    if isinstance(column_type, Boolean):
        return lambda v: None if v is None else bool(v)
    if isinstance(column_type, JSON):
        return lambda v: v
    return lambda v: v


# Sign-in sessions and attempt counters are not data: they last hours, hold hashes of cookies and keyed
# hashes of addresses, and a restored session would sign in again whoever held the old cookie. A backup
# leaves them out, a restore skips them in an older archive, and everyone signs in again after a restore.
EPHEMERAL = frozenset({"user_session", "throttle"})


def _tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in EPHEMERAL]


def _rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execution_options(stream_results=True).execute(select(table).order_by(*order))
    for row in result.mappings():
        yield {key: _encode(value) for key, value in row.items()}


def _stored_files(files_dir: Path) -> list[Path]:
    if not files_dir.exists():
        return []
    return sorted(p for p in files_dir.glob("*/*") if p.is_file() and not p.name.startswith("."))


def create_backup(
    engine: Engine, files_dir: Path, target: Path, progress: Progress | None = None
) -> dict[str, Any]:
    """Write a consistent backup of the database and files to ``target`` (a ZIP); returns its manifest."""
    report = progress or (lambda _name, _n: None)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "accord": __version__,
        "created_at": datetime.now(UTC).isoformat(),
        "database": engine.dialect.name,
        "tables": {},
        "files": {},
    }
    tmp = target.with_suffix(target.suffix + ".partial")
    # The archive holds password and token hashes: readable by its owner only, from the first byte.
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with (
        os.fdopen(descriptor, "wb") as raw,
        zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        # One read transaction (repeatable read on PostgreSQL) gives every table the same moment.
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
            manifest["revision"] = current_revision_of(connection)
            for table in _tables():
                count = 0
                with archive.open(f"tables/{table.name}.jsonl", "w") as handle:
                    for row in _rows(connection, table):
                        handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True).encode() + b"\n")
                        count += 1
                manifest["tables"][table.name] = count
                report(table.name, count)
        for path in _stored_files(files_dir):
            data = path.read_bytes()
            archive.writestr(f"files/{path.name}", data)
            manifest["files"][path.name] = hashlib.sha256(data).hexdigest()
        report("files", len(manifest["files"]))
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
    tmp.replace(target)
    return manifest


def current_revision_of(connection: Connection) -> str | None:
    """The Alembic revision recorded in the database."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _fail(message: str, field: str = "archive") -> ValidationFailed:
    return ValidationFailed(message, [FieldError(field, message)])


def backup_limits(source: Path) -> ZipLimits:
    """What a backup archive may inflate to: 1,000 times its size, at least 1 GiB (JSON lines compress
    well; a backup that produces more was not written by Accord)."""
    return ZipLimits.for_size(
        source.stat().st_size, ratio=1000, floor=1 << 30, ceiling=1 << 50, members=10_000_000
    )


def _refused(refused: ZipRefused) -> ValidationFailed:
    if refused.code == "too_large":
        return _fail(
            _(
                "The backup expands to more than {size} bytes; it was not restored.",
                size=refused.params.get("limit", 0),
            )
        )
    return _fail(_("This file is not an Accord backup."))


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of a backup, checked for format and version."""
    try:
        with open_archive(source, backup_limits(source)) as archive:
            manifest = json.loads(
                read_member(archive, "manifest.json", Budget(ZipLimits(total=MANIFEST_MAX)))
            )
    except ZipRefused as refused:
        raise _refused(refused) from None
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        raise _fail(_("This file is not an Accord backup.")) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise _fail(_("This file is not an Accord backup."))
    return dict(manifest)


def restore_backup(
    engine: Engine, files_dir: Path, source: Path, progress: Progress | None = None
) -> dict[str, Any]:
    """Load a backup into an empty database at the same schema revision, all or nothing; then its files."""
    report = progress or (lambda _name, _n: None)
    manifest = read_manifest(source)
    if current_revision(engine) != manifest.get("revision"):
        raise _fail(
            _(
                "The database must be at schema revision {revision}; run 'accord db upgrade {revision}' on an empty database first.",
                revision=manifest.get("revision"),
            )
        )
    budget = Budget(backup_limits(source))
    try:
        with open_archive(source, budget.limits) as archive, engine.begin() as connection:
            _restore(archive, budget, connection, files_dir, manifest, report)
    except ZipRefused as refused:
        raise _refused(refused) from None
    return manifest


def _restore(
    archive: zipfile.ZipFile,
    budget: Budget,
    connection: Connection,
    files_dir: Path,
    manifest: dict[str, Any],
    report: Progress,
) -> None:
    for table in _tables():
        if connection.scalar(select(func.count()).select_from(table)):
            raise _fail(
                _("The database is not empty (table {table}); restore into a new one.", table=table.name)
            )
    for table in _tables():
        decoders = {c.name: _decoder(c.type) for c in table.columns}
        name = f"tables/{table.name}.jsonl"
        if name not in archive.namelist():
            continue
        batch: list[dict[str, Any]] = []
        count = 0
        with io.BufferedReader(MemberStream(archive, name, budget)) as handle:
            for line_no, line in enumerate(io.TextIOWrapper(handle, encoding="utf-8"), start=1):
                try:
                    raw = json.loads(line)
                    batch.append({k: decoders[k](v) for k, v in raw.items() if k in decoders})
                except (ValueError, KeyError, TypeError):
                    raise _fail(_("Line {line} of {name} is damaged.", line=line_no, name=name)) from None
                if len(batch) >= BATCH:
                    connection.execute(insert(table), batch)
                    count += len(batch)
                    batch = []
        if batch:
            connection.execute(insert(table), batch)
            count += len(batch)
        report(table.name, count)
    _reset_sequences(connection)
    files_dir.mkdir(parents=True, exist_ok=True)
    for name, digest in manifest.get("files", {}).items():
        target = files_dir / name[:2] / name
        if digest != name or not re.fullmatch(r"[0-9a-f]{64}", name):
            raise _fail(_("The stored file {name} is damaged.", name=name))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        hasher = hashlib.sha256()
        # Streamed to disk in bounded chunks: a stored file may be large, and its declared size may lie.
        try:
            with partial.open("wb") as out:
                for chunk in iter_member(archive, f"files/{name}", budget):
                    hasher.update(chunk)
                    out.write(chunk)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        if hasher.hexdigest() != digest:
            partial.unlink()
            raise _fail(_("The stored file {name} is damaged.", name=name))
        if target.exists():
            partial.unlink()
        else:
            partial.replace(target)
    report("files", len(manifest.get("files", {})))


def _reset_sequences(connection: Connection) -> None:
    # Rows came back with their ids; PostgreSQL's sequences must move past them.
    if connection.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" in table.columns and table.columns["id"].autoincrement is not False:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )
