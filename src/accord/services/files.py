"""Content-addressed file storage: each file once, under its SHA-256, never executed."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import IO

from accord.i18n import gettext as _
from accord.services.errors import FieldError, TooLarge, ValidationFailed


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def path_for(root: Path, digest: str) -> Path:
    """Where the file with ``digest`` lives."""
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError("not a SHA-256 digest")
    return root / digest[:2] / digest


def store(root: Path, data: bytes) -> str:
    """Write ``data`` atomically (temp file + rename) unless already stored; return its digest."""
    digest = sha256_hex(data)
    target = path_for(root, digest)
    if target.exists():
        return digest
    write_atomically(target, data, mode=0o640)
    return digest


def write_atomically(target: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to ``target`` so that ``target`` is either absent (or unchanged) or complete.

    The bytes go to a hidden ``.<name>.*.partial`` file in the same folder, are flushed to disk, and
    only then renamed over ``target``; a process killed midway leaves no file under ``target``'s name.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def stored(root: Path, digest: str) -> bytes | None:
    """The bytes stored under ``digest`` by :func:`store`; None for an unknown or malformed digest."""
    try:
        path = path_for(root, digest)
    except ValueError:
        return None
    return path.read_bytes() if path.is_file() else None


def read_upload(stream: IO[bytes], limit: int) -> bytes:
    """An uploaded file's bytes, one more than ``limit`` at most, so that :func:`check_size` (which the
    services call) refuses a file over the limit instead of taking it cut short."""
    return stream.read(limit + 1)


def check_size(data: bytes, limit: int, field: str = "file") -> None:
    """Reject empty files (422) and files over ``limit`` bytes (413)."""
    if not data:
        raise ValidationFailed(_("The file is empty."), [FieldError(field, _("The file is empty."))])
    if len(data) > limit:
        message = _("The file is larger than the limit of {mb} MB.", mb=round(limit / 1024 / 1024, 1))
        raise TooLarge(message, [FieldError(field, message)])


def safe_filename(name: str | None) -> str:
    """A display name without directories or control characters."""
    base = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?').strip(" .")
    return cleaned[:200] or "upload"
