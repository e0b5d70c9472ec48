"""Reading ZIP archives (DOCX, XLSX, ZIP uploads, backups) with a hard cap on the bytes they produce.

A ZIP declares each member's size, and the sizes can lie: a 2 MB DOCX declaring 1,000 bytes can
inflate toward gigabytes, and ``ZipFile.read`` inflates up to a gigabyte in one call before it checks
anything. So every archive Accord opens is read here, member by member, in small chunks, counting the
bytes actually produced; reading stops with :class:`ZipRefused` the moment a member or the whole
archive passes its limit. Only the ``stored`` and ``deflate`` methods are read (bzip2 and LZMA inflate
without an output bound per call); encrypted members and absurd member counts are refused.

Libraries that open archives themselves (python-docx, openpyxl) get :func:`stored_copy`: the same
members re-packed without compression after inflating them here, so whatever they read is already
bounded.

Standard library only, so the pure engines may use it too.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

CHUNK = 64 * 1024
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


_MESSAGES = {
    "not_zip": "The file is not a ZIP archive.",
    "encrypted": "The archive is encrypted.",
    "too_many_members": "The archive holds {count} files; the limit is {limit}.",
    "unsupported_method": "The archive member {member} is compressed with a method that is not read.",
    "too_large": "The archive expands beyond {limit} bytes (at {member}); it was not opened.",
    "damaged": "The archive member {member} is damaged.",
    "missing": "The archive has no member {member}.",
}


class ZipRefused(Exception):
    """An archive that is not read. ``code`` is stable; ``params`` fill a message."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(_MESSAGES.get(code, code).format(**params))


@dataclass(frozen=True)
class ZipLimits:
    """The most an archive may produce: in all, per member, and how many members it may hold."""

    total: int
    member: int | None = None
    members: int = 10_000

    @classmethod
    def for_size(cls, size: int, *, ratio: int, floor: int, ceiling: int, members: int = 10_000) -> ZipLimits:
        """Limits that grow with the archive's own size: ``ratio`` times it, between ``floor`` and ``ceiling``."""
        return cls(total=min(ceiling, max(floor, ratio * size)), members=members)


def open_archive(source: bytes | Path | IO[bytes], limits: ZipLimits) -> zipfile.ZipFile:
    """Open an archive and check what can be checked before inflating anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ZipRefused("not_zip") from exc
    infos = archive.infolist()
    if len(infos) > limits.members:
        archive.close()
        raise ZipRefused("too_many_members", count=len(infos), limit=limits.members)
    for info in infos:
        if info.flag_bits & 0x1:
            archive.close()
            raise ZipRefused("encrypted")
        if info.compress_type not in _METHODS:
            archive.close()
            raise ZipRefused("unsupported_method", member=info.filename)
    return archive


def check_declared(members: Iterable[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Refuse, before inflating anything, members whose declared sizes already pass ``limits``.

    For callers about to read all of ``members``: an honest archive would only reach its limit while
    being read. Declared sizes can lie downwards, so the bytes produced are still counted (:class:`Budget`).
    """
    declared = 0
    for info in members:
        declared += info.file_size
        if declared > limits.total:
            raise ZipRefused("too_large", limit=limits.total, member=info.filename)
        if limits.member is not None and info.file_size > limits.member:
            raise ZipRefused("too_large", limit=limits.member, member=info.filename)


class Budget:
    """Bytes an archive may still produce; shared by every member read from it."""

    def __init__(self, limits: ZipLimits) -> None:
        self.limits = limits
        self.produced = 0

    def take(self, member: str, count: int, member_total: int) -> None:
        self.produced += count
        if self.produced > self.limits.total:
            raise ZipRefused("too_large", limit=self.limits.total, member=member)
        if self.limits.member is not None and member_total > self.limits.member:
            raise ZipRefused("too_large", limit=self.limits.member, member=member)


def iter_member(
    archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, budget: Budget, chunk: int = CHUNK
) -> Iterator[bytes]:
    """A member's bytes in chunks of at most ``chunk``, counted against ``budget`` as they are produced."""
    name = member.filename if isinstance(member, zipfile.ZipInfo) else member
    try:
        handle = archive.open(member)
    except KeyError as exc:
        raise ZipRefused("missing", member=name) from exc
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError) as exc:
        raise ZipRefused("damaged", member=name) from exc
    produced = 0
    with handle:
        while True:
            try:
                # A bounded read: zipfile inflates at most about ``chunk`` bytes for it, and stops at
                # the declared size (a member that goes on fails its CRC check).
                data = handle.read(chunk)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
                raise ZipRefused("damaged", member=name) from exc
            if not data:
                return
            produced += len(data)
            budget.take(name, len(data), produced)
            yield data


def read_member(archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, budget: Budget) -> bytes:
    """A whole member, read in bounded chunks (see :func:`iter_member`)."""
    return b"".join(iter_member(archive, member, budget))


class MemberStream(io.RawIOBase):
    """A member as a readable stream (for ``io.TextIOWrapper``), counted against the budget."""

    def __init__(self, archive: zipfile.ZipFile, member: str | zipfile.ZipInfo, budget: Budget) -> None:
        super().__init__()
        self._chunks = iter_member(archive, member, budget)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._pending:
            self._pending = next(self._chunks, b"")
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count


def inflate(source: bytes | Path | IO[bytes], limits: ZipLimits) -> dict[str, bytes]:
    """Every member of an archive, inflated within ``limits`` (directories left out)."""
    budget = Budget(limits)
    with open_archive(source, limits) as archive:
        check_declared(archive.infolist(), limits)
        return {
            info.filename: read_member(archive, info, budget)
            for info in archive.infolist()
            if not info.is_dir()
        }


def stored_copy(source: bytes | Path | IO[bytes], limits: ZipLimits) -> bytes:
    """The archive re-packed without compression, after inflating it within ``limits``.

    Hand this to libraries that open the archive themselves (python-docx, openpyxl): its declared
    sizes are true and it holds no more than ``limits.total`` bytes.
    """
    members = inflate(source, limits)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as copy:
        for name, data in members.items():
            copy.writestr(name, data)
    return buffer.getvalue()
