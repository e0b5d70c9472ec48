"""Every ZIP Accord opens is inflated as a stream with a hard cap on the bytes actually produced.

A ZIP can declare sizes that are false. These tests build archives whose members lie (a member that
declares 1,000 bytes and inflates toward gigabytes), honest bombs, bzip2 and encrypted members, and
check that reading stops early with a clear refusal, in bounded memory, for DOCX imports and backups.
The last test checks the whole source: any module that opens an archive goes through accord.safezip.
"""

from __future__ import annotations

import ast
import io
import json
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from sqlalchemy import Engine

import accord
from accord.config import Settings
from accord.intake import IntakeError, read_document
from accord.safezip import Budget, ZipLimits, ZipRefused, inflate, open_archive, read_member, stored_copy
from accord.services import backup
from accord.services.errors import ValidationFailed

MB = 1024 * 1024


def lying_zip(name: str, inflated: int, declared: int, extra: dict[str, bytes] | None = None) -> bytes:
    """A ZIP whose member ``name`` inflates to ``inflated`` zero bytes but declares ``declared``."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b"\0" * MB
    parts = [compressor.compress(block) for _ in range(inflated // MB)]
    payload = b"".join(parts) + compressor.flush()
    crc = zlib.crc32(b"\0" * min(declared, MB))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as honest:
        for other, data in (extra or {}).items():
            honest.writestr(other, data)
    entries = []
    body = io.BytesIO()
    # Re-read the honest members' raw records, then append the lying one, then a central directory.
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source:
        for info in source.infolist():
            offset = body.tell()
            raw_name = info.filename.encode()
            data = source.read(info)
            body.write(
                struct.pack(
                    "<IHHHHHIIIHH",
                    0x04034B50,
                    20,
                    0,
                    0,
                    0,
                    0,
                    zlib.crc32(data),
                    len(data),
                    len(data),
                    len(raw_name),
                    0,
                )
                + raw_name
                + data
            )
            entries.append((raw_name, 0, zlib.crc32(data), len(data), len(data), offset))
    raw_name = name.encode()
    offset = body.tell()
    body.write(
        struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(payload), declared, len(raw_name), 0)
        + raw_name
        + payload
    )
    entries.append((raw_name, 8, crc, len(payload), declared, offset))
    directory = body.tell()
    for raw, method, crc_, size, usize, off in entries:
        body.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0,
                crc_,
                size,
                usize,
                len(raw),
                0,
                0,
                0,
                0,
                0,
                off,
            )
            + raw
        )
    end = body.tell()
    body.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), end - directory, directory, 0)
    )
    return body.getvalue()


def honest_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_member_that_lies_about_its_size_gives_only_what_it_declares() -> None:
    bomb = lying_zip("word/document.xml", inflated=512 * MB, declared=1000)
    assert len(bomb) < 2 * MB
    tracemalloc.start()
    members = inflate(bomb, ZipLimits(total=10 * MB))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # Reading stops at the declared size (ZipFile.read would first inflate up to 1 GiB in one call).
    assert members == {"word/document.xml": b"\0" * 1000}
    assert peak < 8 * MB


def test_a_lying_member_whose_check_fails_is_damaged() -> None:
    bomb = bytearray(lying_zip("word/document.xml", inflated=64 * MB, declared=1000))
    at = bomb.rfind(b"PK\x01\x02")
    bomb[at + 16 : at + 20] = b"\x01\x02\x03\x04"  # the central directory's CRC-32
    with pytest.raises(ZipRefused) as refused:
        inflate(bytes(bomb), ZipLimits(total=10 * MB))
    assert refused.value.code == "damaged"


def test_an_honest_bomb_stops_at_the_cap_on_bytes_produced() -> None:
    bomb = honest_zip({"a.xml": b"\0" * (64 * MB)})
    tracemalloc.start()
    with pytest.raises(ZipRefused) as refused:
        inflate(bomb, ZipLimits(total=4 * MB))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert refused.value.code == "too_large" and refused.value.params["member"] == "a.xml"
    assert peak < 12 * MB


def test_per_member_limits_count_and_methods() -> None:
    with pytest.raises(ZipRefused) as refused:
        inflate(honest_zip({"a": b"x" * 5000, "b": b"y"}), ZipLimits(total=MB, member=4000))
    assert refused.value.code == "too_large"
    with pytest.raises(ZipRefused) as refused:
        inflate(honest_zip({f"f{i}": b"" for i in range(20)}), ZipLimits(total=MB, members=10))
    assert refused.value.code == "too_many_members"
    with pytest.raises(ZipRefused) as refused:
        inflate(honest_zip({"a": b"x" * 100}, zipfile.ZIP_BZIP2), ZipLimits(total=MB))
    assert refused.value.code == "unsupported_method"
    with pytest.raises(ZipRefused) as refused:
        inflate(b"not a zip", ZipLimits(total=MB))
    assert refused.value.code == "not_zip"


def test_encrypted_members_are_refused() -> None:
    data = bytearray(honest_zip({"a.txt": b"secret"}, zipfile.ZIP_STORED))
    # Set the "encrypted" flag bit in the central directory record.
    at = data.rfind(b"PK\x01\x02")
    data[at + 8] |= 0x1
    with pytest.raises(ZipRefused) as refused:
        inflate(bytes(data), ZipLimits(total=MB))
    assert refused.value.code == "encrypted"


def test_a_stored_copy_holds_the_same_members_with_true_sizes() -> None:
    members = {"word/document.xml": b"<w:document/>" * 100, "[Content_Types].xml": b"<Types/>"}
    copy = stored_copy(honest_zip(members), ZipLimits(total=MB))
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        assert {i.filename: i.compress_type for i in archive.infolist()} == dict.fromkeys(
            members, zipfile.ZIP_STORED
        )
        assert {n: archive.read(n) for n in archive.namelist()} == members


def test_reading_a_member_counts_against_one_budget_for_the_archive() -> None:
    data = honest_zip({"a": b"x" * 3000, "b": b"y" * 3000})
    budget = Budget(ZipLimits(total=5000))
    with open_archive(data, budget.limits) as archive:
        read_member(archive, "a", budget)
        with pytest.raises(ZipRefused):
            read_member(archive, "b", budget)


def test_a_docx_that_lies_about_its_sizes_is_refused_quickly() -> None:
    content_types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    )
    bomb = lying_zip(
        "word/document.xml", inflated=512 * MB, declared=1000, extra={"[Content_Types].xml": content_types}
    )
    tracemalloc.start()
    with pytest.raises(IntakeError) as error:
        read_document(bomb, "agreement.docx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert error.value.code in {"corrupt_file", "zip_bomb"}
    assert peak < 16 * MB


def test_a_docx_inflating_beyond_its_limit_is_a_zip_bomb() -> None:
    bomb = honest_zip({"word/document.xml": b"\0" * (40 * MB), "[Content_Types].xml": b"<Types/>"})
    with pytest.raises(IntakeError) as error:
        read_document(bomb, "agreement.docx")
    assert error.value.code == "zip_bomb"


def _calls_that_open_archives(tree: ast.AST) -> list[str]:
    """Calls that read a ZIP: ZipFile in read mode, zipfile.open, openpyxl.load_workbook, docx.Document(file)."""
    from_docx = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "docx"
        and any(a.name == "Document" for a in node.names)
        for node in ast.walk(tree)
    )
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name == "ZipFile":
            modes = [a.value for a in node.args[1:2] if isinstance(a, ast.Constant)]
            modes += [
                k.value.value for k in node.keywords if k.arg == "mode" and isinstance(k.value, ast.Constant)
            ]
            if not modes or modes[0] == "r":
                found.append("ZipFile (read)")
        elif name == "load_workbook" or (name == "open" and owner == "zipfile"):
            found.append(name)
        elif name == "Document" and node.args and (owner == "docx" or (not owner and from_docx)):
            found.append("docx.Document")
    return found


def test_every_module_that_opens_an_archive_goes_through_safezip() -> None:
    root = Path(accord.__file__).parent
    offenders = {}
    for path in root.rglob("*.py"):
        if path.name == "safezip.py":
            continue
        source = path.read_text(encoding="utf-8")
        calls = _calls_that_open_archives(ast.parse(source))
        if calls and "accord.safezip" not in source:
            offenders[str(path.relative_to(root))] = calls
    assert offenders == {}, "open archives with accord.safezip (stored_copy, open_archive + read_member)"


def test_a_backup_whose_stored_file_lies_is_refused_and_nothing_is_restored(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    honest = tmp_path / "honest.zip"
    manifest = backup.create_backup(engine, settings.files_dir, honest)
    digest = "ab" * 32
    manifest["files"] = {digest: digest}
    with zipfile.ZipFile(honest) as archive:
        members = {n: archive.read(n) for n in archive.namelist() if n != "manifest.json"}
    members["manifest.json"] = json.dumps(manifest).encode()
    forged = tmp_path / "forged.zip"
    forged.write_bytes(lying_zip(f"files/{digest}", inflated=256 * MB, declared=1000, extra=members))
    with pytest.raises(ValidationFailed):
        backup.restore_backup(engine, tmp_path / "files", forged)
    assert not list((tmp_path / "files").rglob("*")) or not any(
        p.is_file() for p in (tmp_path / "files").rglob("*")
    )


def test_a_backup_manifest_that_lies_is_not_read(tmp_path: Path) -> None:
    forged = tmp_path / "forged.zip"
    forged.write_bytes(lying_zip("manifest.json", inflated=256 * MB, declared=100))
    with pytest.raises(ValidationFailed) as refused:
        backup.read_manifest(forged)
    assert "not an Accord backup" in refused.value.message
