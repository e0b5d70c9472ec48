"""Legacy word-processor files converted by LibreOffice headless: same text as the DOCX, or a clear refusal."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from accord.intake import IntakeError, ReadOptions, read_document

from .test_pdf_as_published import FIXTURES

needs_soffice = pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")


@needs_soffice
@pytest.mark.parametrize("fmt", ["doc", "wps", "rtf", "odt"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_legacy_files_read_as_their_docx(fmt: str, lang: str) -> None:
    expected = read_document((FIXTURES / f"agreement-{lang}.docx").read_bytes(), "a.docx")
    result = read_document(
        (FIXTURES / f"agreement-{lang}.{fmt}").read_bytes(),
        f"agreement.{fmt}",
        options=ReadOptions(convert=True),
    )
    assert result.format == fmt
    assert result.text == expected.text
    assert result.sha256 != expected.sha256  # the original's digest, not the conversion's


def test_without_conversion_allowed_a_legacy_file_asks_for_it() -> None:
    with pytest.raises(IntakeError) as error:
        read_document((FIXTURES / "agreement-zh.doc").read_bytes(), "agreement.doc")
    assert error.value.code == "needs_conversion" and error.value.params["format"] == "doc"


def test_a_word_97_file_named_docx_is_converted_as_a_doc() -> None:
    with pytest.raises(IntakeError) as error:
        read_document((FIXTURES / "agreement-zh.doc").read_bytes(), "agreement.docx")
    assert error.value.code == "needs_conversion"


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return script


def test_a_missing_libreoffice_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ACCORD_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(IntakeError) as error:
        read_document(
            (FIXTURES / "agreement-zh.rtf").read_bytes(), "a.rtf", options=ReadOptions(convert=True)
        )
    assert error.value.code == "converter_missing"


def test_a_failed_conversion_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(
        "ACCORD_SOFFICE",
        str(_fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")),
    )
    with pytest.raises(IntakeError) as error:
        read_document(
            (FIXTURES / "agreement-zh.odt").read_bytes(), "a.odt", options=ReadOptions(convert=True)
        )
    assert error.value.code == "conversion_failed"
    assert "could not be loaded" in error.value.params["detail"]


def test_a_conversion_that_hangs_is_killed_after_its_time_limit(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pid_file = tmp_path / "pid"
    # The fake converter starts a child that would outlive it; the whole process group must go.
    monkeypatch.setenv(
        "ACCORD_SOFFICE", str(_fake_soffice(tmp_path, f"sleep 300 & echo $! > {pid_file}; wait"))
    )
    with pytest.raises(IntakeError) as error:
        read_document(
            (FIXTURES / "agreement-zh.doc").read_bytes(),
            "a.doc",
            options=ReadOptions(convert=True, convert_timeout=2),
        )
    assert error.value.code == "conversion_timeout" and error.value.params["seconds"] == 2
    child = int(pid_file.read_text())
    for _ in range(50):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        if Path(f"/proc/{child}/stat").exists() and Path(f"/proc/{child}/stat").read_text().split()[2] == "Z":
            break  # killed, waiting for its parent to reap it
        time.sleep(0.1)
    else:
        pytest.fail("the converter's child process is still running")
