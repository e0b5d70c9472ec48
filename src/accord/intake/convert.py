"""Legacy word-processor files (.doc, .wps, .rtf, .odt) converted to DOCX by LibreOffice.

LibreOffice runs headless as a separate process (``soffice --headless --convert-to docx``) in a
temporary folder with its own user profile, so conversions never share state with each other or
with a desktop session, and it is killed (with its whole process group) after a time limit. Macros
are not run: a fresh profile keeps LibreOffice's default macro security. The system package is
Debian's ``libreoffice-writer-nogui`` (optional: without it these formats are refused with a message
that says so).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import IntakeError

DEFAULT_TIMEOUT = 120
_CANDIDATES = ("soffice", "libreoffice")


def soffice() -> str | None:
    """The LibreOffice program on PATH, or None when it is not installed."""
    override = os.environ.get("ACCORD_SOFFICE")
    if override:
        return override if shutil.which(override) else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def to_docx(data: bytes, fmt: str, *, timeout: int = DEFAULT_TIMEOUT) -> bytes:
    """The document converted to DOCX; ``fmt`` is its format (doc, wps, rtf, odt)."""
    return run_soffice(data, fmt, "docx", timeout=timeout)


_FILTERS = {
    "docx": "docx:MS Word 2007 XML",
    "pdf": "pdf:writer_pdf_Export",
    "doc": "doc:MS Word 97",
    "rtf": "rtf:Rich Text Format",
    "odt": "odt:writer8",
}


def run_soffice(data: bytes, fmt: str, target: str, *, timeout: int = DEFAULT_TIMEOUT) -> bytes:
    """Convert ``data`` (a ``fmt`` file) to ``target`` (docx, pdf, doc, rtf or odt) with LibreOffice."""
    program = soffice()
    if program is None:
        raise IntakeError("converter_missing", format=fmt)
    with tempfile.TemporaryDirectory(prefix="accord-convert-") as tmp:
        work = Path(tmp)
        source = work / f"document.{fmt}"
        source.write_bytes(data)
        out = work / "out"
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            _FILTERS[target],
            "--outdir",
            str(out),
            str(source),
        ]
        env = {**os.environ, "HOME": str(work), "SAL_USE_VCLPLUGIN": "svp"}
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=work,
            start_new_session=True,  # its own process group, so the whole of it can be killed
        )
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise IntakeError("conversion_timeout", format=fmt, seconds=timeout) from None
        finally:
            if process.poll() is None:
                _kill(process)
        result = out / f"document.{target}"
        if process.returncode != 0 or not result.exists() or result.stat().st_size == 0:
            lines = stderr.decode("utf-8", "replace").strip().splitlines() if stderr else []
            raise IntakeError("conversion_failed", format=fmt, detail=(lines[-1] if lines else "")[:200])
        return result.read_bytes()


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
