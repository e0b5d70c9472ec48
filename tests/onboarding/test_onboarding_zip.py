"""An uploaded folder (ZIP) is read through accord.safezip; the batch's own rules come on top.

The rules of a batch: at most 1,000 files, names that stay inside the folder, hidden files skipped,
each file within the upload limit (a file over it fails alone). The archive's own limits (bytes
actually inflated, encryption, compression methods) are safezip's, whatever the archive declares.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from accord.services import onboarding
from accord.services.errors import ValidationFailed
from tests.reliability.test_zip_limits import MB, lying_zip

PAGE = "合作协议\n\n甲方：重庆大学\n乙方：重庆市万州区人民政府\n".encode()


def folder(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def expand(
    data: bytes, name: str = "folder.zip", max_bytes: int = MB
) -> tuple[list[str], list[tuple[str, str]]]:
    documents, problems = onboarding.expand(
        [onboarding.Upload(name, data)], max_files=1000, max_bytes=max_bytes
    )
    return [d.name for d in documents], problems


def refusal(data: bytes, name: str = "folder.zip") -> str:
    with pytest.raises(ValidationFailed) as refused:
        expand(data, name)
    return refused.value.message


def test_the_documents_of_a_folder_are_read_and_the_rest_skipped_or_named() -> None:
    names, problems = expand(
        folder(
            {
                "协议/a.txt": PAGE,
                "协议/.DS_Store": b"x",
                "__MACOSX/协议/._a.txt": b"x",
                "../escape.txt": PAGE,
                "/abs.txt": PAGE,
                "C:/windows.txt": PAGE,
                "协议/big.txt": b"x" * (MB + 1),
            }
        )
    )
    assert names == ["协议/a.txt"]
    assert sorted(problems) == sorted(
        [
            ("../escape.txt", "The ZIP entry points outside its folder; it was not read."),
            ("/abs.txt", "The ZIP entry points outside its folder; it was not read."),
            ("C:/windows.txt", "The ZIP entry points outside its folder; it was not read."),
            ("协议/big.txt", "The file is larger than the upload limit; it was not read."),
        ]
    )


def test_a_member_that_lies_about_its_size_gives_no_more_than_it_declares() -> None:
    # Declares 1,000 bytes and would inflate to 64 MB: what is read stops at the declared size.
    data = lying_zip("lies.txt", inflated=64 * MB, declared=1000, extra={"good.txt": PAGE})
    documents, problems = onboarding.expand(
        [onboarding.Upload("folder.zip", data)], max_files=1000, max_bytes=MB
    )
    assert [(d.name, len(d.data)) for d in documents] == [("good.txt", len(PAGE)), ("lies.txt", 1000)]
    assert problems == []


def test_a_folder_that_would_inflate_beyond_its_limit_is_refused_naming_it() -> None:
    # 60 MB of zeros packed into about 60 kB: beyond 200 times its size (at least 10 MB).
    honest = folder({"a.txt": PAGE, "big.txt": b"0" * (60 * MB)})
    with pytest.raises(ValidationFailed) as refused:
        onboarding.expand([onboarding.Upload("bomb.zip", honest)], max_files=1000, max_bytes=100 * MB)
    assert "bomb.zip would expand to more than 11 MB" in refused.value.message


def test_archives_safezip_does_not_read_are_refused_naming_them() -> None:
    data = bytearray(folder({"a.txt": PAGE}, zipfile.ZIP_STORED))
    data[6] |= 0x1  # the local header's "encrypted" flag
    start = data.find(b"PK\x01\x02")
    data[start + 8] |= 0x1  # and the central directory's
    assert "locked.zip is protected by a password" in refusal(bytes(data), "locked.zip")
    assert "old.zip is compressed with a method that is not read" in refusal(
        folder({"a.txt": PAGE}, zipfile.ZIP_BZIP2), "old.zip"
    )
    assert "broken.zip is not a readable ZIP archive" in refusal(b"PK\x03\x04 nothing", "broken.zip")


def test_too_many_files_are_refused_before_anything_is_read() -> None:
    data = folder({f"f/{n}.txt": b"x" for n in range(1001)}, zipfile.ZIP_STORED)
    assert "holds 1001 files; a batch holds at most 1000" in refusal(data)


def test_names_written_in_gbk_by_windows_archivers_are_read_as_written() -> None:
    name = "协议/合作协议.txt"
    placeholder = "a" * len(name.encode("gbk"))
    plain = folder({placeholder: PAGE}, zipfile.ZIP_STORED)
    # The name as GBK bytes without the UTF-8 flag, as the archivers of Chinese Windows write it.
    data = plain.replace(placeholder.encode(), name.encode("gbk"))
    names, problems = expand(data)
    assert (names, problems) == ([name], [])
