"""Upgrading from every earlier schema revision, with data present, keeps the data and the application reads it.

For each revision R before the head (whatever revisions exist, so a new migration is covered the
day it is added) the test builds the schema at R, puts one row in every table that exists at R
(foreign keys pointing at the rows of the other tables, every column filled with a value of its
type, enumerations with a value the models accept), upgrades to the head, and checks that every
row is still there with the same values, that every model loads its row, and that services read
the migrated registry (an agreement, an organisation, the registry export, a full backup).
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, Table, text
from sqlalchemy.orm import Session

from accord.db import migrate
from accord.db.session import make_engine
from accord.models import Agreement, Base, Organisation
from accord.services import agreements, backup, organisations, registry_json
from accord.services.permissions import SYSTEM

SIGNED = date(2020, 7, 27)
SIGNED_AT = datetime(2020, 7, 27, 9, 30, tzinfo=UTC)
# Tables that are not Accord's: Alembic's own, and the job queue's (owned by procrastinate).
FOREIGN = ("alembic_version", "procrastinate_")


def _earlier_revisions(url: str) -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config(url))
    line = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert len(script.get_heads()) == 1 and line[-1] == script.get_current_head()
    return line[:-1]


def _at_revision(url: str, tmp_path: Path, revision: str, earlier: str | None) -> str:
    """A database with the schema at ``revision`` and no rows.

    On SQLite the schema of each revision is kept in a file of its own and the next revision's is that
    file copied and upgraded by one step, so the line of migrations is applied once in all, not once
    per revision; on PostgreSQL the test database's schema is dropped and built up to ``revision``."""
    if url.startswith("sqlite"):
        schema = tmp_path / f"schema-{revision}.db"
        if earlier is not None:
            shutil.copy(tmp_path / f"schema-{earlier}.db", schema)
        migrate.upgrade(f"sqlite:///{schema}", revision)
        filled = tmp_path / f"at-{revision}.db"
        shutil.copy(schema, filled)
        return f"sqlite:///{filled}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    migrate.upgrade(url, revision)
    return url


def _tables(engine: Engine) -> list[Table]:
    metadata = MetaData()
    metadata.reflect(engine)
    return [t for t in metadata.sorted_tables if not t.name.startswith(FOREIGN)]


def _model_column(table: str, column: str) -> sa.Column[Any] | None:
    model = Base.metadata.tables.get(table)
    return model.columns.get(column) if model is not None else None


def _value(table: Table, column: sa.Column[Any], serial: int) -> Any:
    """A value of the column's type that the models also accept."""
    model = _model_column(table.name, column.name)
    if model is not None and isinstance(model.type, sa.Enum) and model.type.enums:
        return model.type.enums[0]
    if model is not None and isinstance(model.type, sa.JSON):
        default: Any = model.default  # a scalar or a callable default, such as list
        if default is None:
            return {}
        return default.arg(None) if default.is_callable else default.arg
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return True
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.Float | sa.Double):
        return 0.5
    if isinstance(kind, sa.Numeric):
        return Decimal("1.50")
    if isinstance(kind, sa.DateTime):
        return SIGNED_AT
    if isinstance(kind, sa.Date):
        return SIGNED
    if isinstance(kind, sa.LargeBinary):
        return b"\x00accord"
    if isinstance(kind, sa.JSON):
        return {}
    if isinstance(kind, sa.String | sa.Text):
        length = getattr(kind, "length", None) or 200
        return f"合作{column.name}{serial}"[:length]
    raise AssertionError(f"no sample value for {table.name}.{column.name} ({kind!r})")


# Columns left empty so that the row meets a check constraint the filler does not read.
LEFT_EMPTY = {"notice_target": {"user_id"}}  # one_owner: an organisation's or a person's, not both


def _fill(connection: Connection, tables: list[Table]) -> dict[str, dict[str, Any]]:
    """One row in every table, foreign keys pointing at the rows already inserted; returns the rows."""
    rows: dict[str, dict[str, Any]] = {}
    for serial, table in enumerate(tables, start=1):
        row: dict[str, Any] = {}
        for column in table.columns:
            targets = [fk.column for fk in column.foreign_keys]
            if column.name in LEFT_EMPTY.get(table.name, set()):
                row[column.name] = None
            elif targets:
                target = targets[0]
                if target.table.name in rows:
                    row[column.name] = rows[target.table.name][target.name]
                else:  # points at itself or round a cycle: leave empty where allowed
                    assert column.nullable, f"{table.name}.{column.name} needs a row that cannot exist yet"
                    row[column.name] = None
            elif column.primary_key and isinstance(column.type, sa.Integer):
                row[column.name] = 1
            elif column.name == "archived_at":
                row[column.name] = None  # archived records are hidden from most reads
            else:
                row[column.name] = _value(table, column, serial)
        connection.execute(table.insert().values(**row))
        rows[table.name] = row
    return rows


def _plain(value: Any) -> Any:
    """Values as both databases give them back through reflected types."""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return float(value)
    return value


def test_upgrading_from_every_earlier_revision_keeps_the_data(database_url: str, tmp_path: Path) -> None:
    revisions = _earlier_revisions(database_url)
    assert revisions, "there is no earlier revision to upgrade from"
    for earlier, revision in zip([None, *revisions[:-1]], revisions, strict=True):
        url = _at_revision(database_url, tmp_path, revision, earlier)
        engine = make_engine(url)
        at_revision = _tables(engine)
        assert at_revision, f"no tables at {revision}"
        with engine.begin() as connection:
            rows = _fill(connection, at_revision)

        migrate.upgrade(url)

        assert migrate.current_revision(engine) == migrate.head_revision(url)
        by_name = {t.name: t for t in _tables(engine)}
        with engine.connect() as connection:
            for table in at_revision:
                now = by_name.get(table.name)
                assert now is not None, f"upgrading from {revision} dropped table {table.name}"
                columns = [now.columns[c.name] for c in table.columns if c.name in now.columns]
                found = connection.execute(sa.select(*columns)).mappings().all()
                assert len(found) == 1, f"{table.name} has {len(found)} rows after upgrading from {revision}"
                expected = {c.name: _plain(rows[table.name][c.name]) for c in columns}
                assert {k: _plain(v) for k, v in found[0].items()} == expected, (
                    f"{table.name} changed when upgrading from {revision}"
                )
        _read_through_the_application(engine, {t.name for t in at_revision}, tmp_path / revision)
        engine.dispose()


def _read_through_the_application(engine: Engine, tables: set[str], folder: Path) -> None:
    with Session(engine) as session:
        for mapper in Base.registry.mappers:
            model = mapper.class_
            table = getattr(model, "__tablename__", None)
            if table not in tables:
                continue
            loaded = session.scalars(sa.select(model)).all()
            assert len(loaded) == 1, f"the {model.__name__} row does not load"
            for attribute in mapper.column_attrs:
                getattr(loaded[0], attribute.key)  # every value converts to its Python type
        if "agreement" in tables:
            agreement = agreements.get_agreement(session, SYSTEM, 1)
            assert isinstance(agreement, Agreement) and agreement.signed_on == date(2020, 7, 27)
            assert [p.organisation_id for p in agreement.parties] == [1]
        if "organisation" in tables:
            organisation = organisations.get_organisation(session, SYSTEM, 1)
            assert isinstance(organisation, Organisation) and organisation.name_zh
            exported = registry_json.export_registry(session)
            assert [o["id"] for o in exported["organisations"]] == [1]
    folder.mkdir(parents=True)
    manifest = backup.create_backup(engine, folder / "files", folder / "backup.zip")
    with zipfile.ZipFile(folder / "backup.zip") as archive:
        assert "manifest.json" in archive.namelist()
    for table in tables:
        if table in manifest["tables"]:
            assert manifest["tables"][table] == 1, f"the backup misses the {table} row"
