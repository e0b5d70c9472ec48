"""What an installation needs before it can serve: the checks behind ``accord check``.

Each check returns one :class:`Item` (a line for the operator): ``ok``, ``warn`` (works, but something
an operator should know) or ``fail`` (Accord will not work as configured). ``accord serve`` and
``accord worker`` run :func:`fatal` at start and stop on its first failure.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import smtplib
import ssl
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Literal

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from accord.config import Settings

Status = Literal["ok", "warn", "fail"]

_PASSWORD_IN_URL = re.compile(r"(\b[a-zA-Z][\w+.-]*://[^:/@\s]*:)[^@\s]*@")
SECRET_FIELDS = ("secret_key", "smtp_password", "webhook_secret", "sso_secrets", "database_url")


@dataclass(frozen=True)
class Item:
    """One line of ``accord check``."""

    name: str
    status: Status
    message: str

    def line(self) -> str:
        return f"{self.status.upper():4}  {self.name}: {self.message}"


def mask(text: str) -> str:
    """``text`` with the password of every URL in it replaced by ``***``."""
    return _PASSWORD_IN_URL.sub(r"\1***@", text)


def display_url(url: str) -> str:
    """A database URL as it may be printed or logged: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return mask(url)


def env_name(field: str) -> str:
    """The environment variable of a setting."""
    return f"ACCORD_{field.upper()}"


def settings_errors(error: ValidationError) -> list[str]:
    """One line per invalid setting, naming its ACCORD_* variable (secret values are not repeated)."""
    lines = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        shown = "" if field in SECRET_FIELDS else f" (got {str(problem.get('input'))[:60]!r})"
        lines.append(f"{env_name(field)}: {problem['msg']}{shown}")
    return lines


def database_error(exc: BaseException, url: str) -> str:
    """A connection failure in one line: the masked URL and the driver's own last words."""
    original = getattr(exc, "orig", None) or exc
    words = [line.strip() for line in str(original).splitlines() if line.strip()]
    reason = words[-1] if words else type(original).__name__
    if "password authentication failed" in str(original):
        reason += " (check the password in ACCORD_DATABASE_URL; URL-encode characters such as @ : / % #)"
    return mask(f"cannot connect to {display_url(url)}: {reason}")


# --- the checks ----------------------------------------------------------------------------------


def check_settings() -> tuple[Item, Settings | None]:
    """Whether every ACCORD_* variable is valid."""
    try:
        settings = Settings()
    except ValidationError as error:
        return Item("settings", "fail", "; ".join(settings_errors(error))), None
    return Item("settings", "ok", "every ACCORD_* variable is valid"), settings


def check_database(
    settings: Settings, engine_for: Callable[[str], Engine], *, need_head: bool = True
) -> Item:
    """The database answers, and its schema is at the newest revision (a failure when ``need_head``)."""
    from accord.db import migrate

    url = settings.resolved_database_url
    behind: Status = "fail" if need_head else "warn"
    if make_url_backend(url) == "sqlite":
        database = make_url(url).database
        if database and database != ":memory:" and not Path(database).exists():
            # Checking creates nothing: connecting would make the file (and its folder).
            return Item("database", behind, f"no database yet at {database}; run 'accord db upgrade'")
    try:
        engine = engine_for(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        return Item("database", "fail", f"ACCORD_DATABASE_URL is not a database URL: {mask(str(exc))}")
    try:
        current = migrate.current_revision(engine)
    except (DBAPIError, OSError) as exc:
        return Item("database", "fail", database_error(exc, url))
    finally:
        engine.dispose()
    head = migrate.head_revision(url)
    where = display_url(url)
    if current is None:
        return Item("database", behind, f"{where} is empty; run 'accord db upgrade'")
    if current != head:
        return Item(
            "database", behind, f"{where} is at {current}, Accord needs {head}: run 'accord db upgrade'"
        )
    return Item("database", "ok", f"{where} at {head}")


def _writable(folder: Path) -> str | None:
    """None if a file can be created in ``folder``, else why not."""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".accord-check-"):
            pass
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    return None


def _owner(path: Path) -> str:
    try:
        import pwd

        return pwd.getpwuid(path.stat().st_uid).pw_name
    except (ImportError, KeyError, OSError):
        return "?"


def _me() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        return str(os.geteuid())


def check_data_dir(settings: Settings) -> Item:
    """The data folder (and its files folder) exist or can be made, and the current user can write them."""
    folder = settings.data_dir.resolve()
    fix = f"run: install -d -o {_me()} -m 0750 {folder}"
    if not folder.exists():
        parent = next((p for p in folder.parents if p.exists()), None)
        if parent is None or not os.access(parent, os.W_OK):
            return Item(
                "data folder", "fail", f"ACCORD_DATA_DIR {folder} does not exist and cannot be created; {fix}"
            )
        return Item("data folder", "ok", f"{folder} will be created")
    if not folder.is_dir():
        return Item("data folder", "fail", f"ACCORD_DATA_DIR {folder} is not a folder")
    for path in (folder, settings.files_dir.resolve()):
        if path.is_dir() and (problem := _writable(path)):
            return Item(
                "data folder",
                "fail",
                f"{path} is not writable by {_me()} (owner {_owner(path)}: {problem}); "
                f"run: chown -R {_me()}: {folder}",
            )
    return Item("data folder", "ok", f"{folder} writable by {_me()}")


def check_secret_key(settings: Settings) -> Item:
    """Every process must sign sessions with the same key."""
    if settings.secret_key:
        if len(settings.secret_key) < 32:
            return Item("secret key", "warn", "ACCORD_SECRET_KEY is shorter than 32 characters")
        return Item("secret key", "ok", "ACCORD_SECRET_KEY set")
    where = settings.data_dir / "secret_key"
    if make_url_backend(settings.resolved_database_url) == "sqlite":
        return Item("secret key", "ok", f"generated in {where} (one machine)")
    return Item(
        "secret key",
        "warn",
        f"ACCORD_SECRET_KEY not set: processes share {where}; set it when they run on several machines",
    )


def make_url_backend(url: str) -> str:
    try:
        return make_url(url).get_backend_name()
    except ArgumentError:
        return ""


def check_base_url(settings: Settings) -> Item:
    """Links in notices and feeds start with ACCORD_BASE_URL, never with the request's Host."""
    explicit = "base_url" in settings.model_fields_set
    loopback = re.match(r"^https?://(127\.|localhost\b|\[::1\])", settings.base_url) is not None
    if not explicit or loopback:
        status: Status = "warn" if make_url_backend(settings.resolved_database_url) == "sqlite" else "fail"
        return Item(
            "base URL",
            status,
            f"ACCORD_BASE_URL is {settings.base_url}: links in notices would point at this machine; "
            "set the site's public address",
        )
    return Item("base URL", "ok", settings.base_url)


def check_smtp(settings: Settings, timeout: float = 10.0) -> Item:
    """The mail server answers and speaks the TLS the settings require (and accepts the login)."""
    if not settings.smtp_host:
        return Item("SMTP", "ok", "e-mail off (ACCORD_SMTP_HOST empty)")
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    mode = "implicit TLS" if settings.smtp_ssl else ("STARTTLS" if settings.smtp_starttls else "plain")
    try:
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if settings.smtp_ssl:
            client = smtplib.SMTP_SSL(
                settings.smtp_host, settings.smtp_port, timeout=timeout, context=context
            )
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        with client:
            client.ehlo()
            if settings.smtp_starttls and not settings.smtp_ssl:
                if not client.has_extn("starttls"):
                    return Item(
                        "SMTP",
                        "fail",
                        f"{where} offers no STARTTLS, which ACCORD_SMTP_STARTTLS=true requires; use the relay's "
                        "TLS port, or set ACCORD_SMTP_STARTTLS=false for a plain relay on a trusted network",
                    )
                client.starttls(context=context)
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password)
    except smtplib.SMTPAuthenticationError as exc:
        return Item("SMTP", "fail", f"{where} refused ACCORD_SMTP_USER's login: {exc.smtp_code}")
    except (OSError, smtplib.SMTPException) as exc:
        reason = str(exc) or type(exc).__name__
        return Item("SMTP", "fail", f"{where} ({mode}): {type(exc).__name__}: {reason}")
    return Item("SMTP", "ok", f"{where} answers ({mode})")


# The shared libraries WeasyPrint opens (by these names on Linux, by the stem elsewhere).
_PDF_LIBRARIES = (
    ("libgobject-2.0.so.0", "gobject-2.0"),
    ("libpango-1.0.so.0", "pango-1.0"),
    ("libharfbuzz.so.0", "harfbuzz"),
    ("libfontconfig.so.1", "fontconfig"),
    ("libpangoft2-1.0.so.0", "pangoft2-1.0"),
)


def _loadable(soname: str, stem: str) -> bool:
    """Whether the shared library can be opened, as WeasyPrint will open it."""
    import ctypes
    import ctypes.util

    for name in (soname, ctypes.util.find_library(stem)):
        if name:
            try:
                ctypes.CDLL(name)
            except OSError:
                continue
            return True
    return False


def check_pdf_fonts() -> Item:
    """PDF reports need WeasyPrint's Pango and a font with Chinese characters.

    The libraries are opened directly: importing WeasyPrint would parse its whole C interface first,
    seconds of ``accord check`` on a busy machine."""
    if not all(_loadable(soname, stem) for soname, stem in _PDF_LIBRARIES):
        return Item(
            "PDF reports",
            "warn",
            "Pango is missing (apt-get install libpango-1.0-0 libpangoft2-1.0-0); XLSX reports still work",
        )
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return Item("PDF reports", "warn", "fc-list not found: cannot tell whether a CJK font is installed")
    found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    if not found.strip():
        return Item(
            "PDF reports", "warn", "no Chinese font (apt-get install fonts-noto-cjk): PDF shows boxes"
        )
    return Item("PDF reports", "ok", f"Pango and a CJK font ({found.splitlines()[0].split(',')[0]})")


def check_converters(settings: Settings) -> list[Item]:
    """LibreOffice for legacy formats, and the configured OCR engine."""
    from accord.intake.convert import soffice

    items = []
    override = os.environ.get("ACCORD_SOFFICE")
    found = soffice()
    if found:
        items.append(Item("LibreOffice", "ok", found))
    elif override:
        items.append(Item("LibreOffice", "fail", f"ACCORD_SOFFICE={override} is not a program"))
    else:
        items.append(
            Item("LibreOffice", "warn", "soffice not found: .doc/.wps/.rtf/.odt uploads are refused")
        )
    if settings.ocr_engine == "tesseract":
        tesseract = shutil.which("tesseract")
        if tesseract is None:
            items.append(Item("OCR", "fail", "ACCORD_OCR_ENGINE=tesseract but tesseract is not installed"))
        else:
            langs = subprocess.run(
                [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30
            ).stdout.split()
            missing = [lang for lang in ("chi_sim", "eng") if lang not in langs]
            status: Status = "fail" if missing else "ok"
            items.append(
                Item("OCR", status, f"tesseract, missing {', '.join(missing)}" if missing else "tesseract")
            )
    elif find_spec("rapidocr_onnxruntime") is None:
        items.append(
            Item("OCR", "fail", "ACCORD_OCR_ENGINE=rapidocr but rapidocr-onnxruntime is not installed")
        )
    else:
        items.append(Item("OCR", "ok", "rapidocr"))
    return items


def fatal(settings: Settings, engine_for: Callable[[str], Engine], *, need_head: bool = False) -> Item | None:
    """The first check that stops a process from starting (the data folder, the database), or None."""
    for item in (check_data_dir(settings), check_database(settings, engine_for, need_head=need_head)):
        if item.status == "fail":
            return item
    return None


def run_all(engine_for: Callable[[str], Engine], *, smtp_timeout: float = 10.0) -> list[Item]:
    """Every check, in the order an operator fixes things."""
    settings_item, settings = check_settings()
    if settings is None:
        return [settings_item]
    items: list[Item] = [settings_item]
    items.append(check_database(settings, engine_for))
    items.append(check_data_dir(settings))
    items.append(check_secret_key(settings))
    items.append(check_base_url(settings))
    items.append(check_smtp(settings, smtp_timeout))
    items.append(check_pdf_fonts())
    items.extend(check_converters(settings))
    return items


def failed(items: Iterable[Item]) -> bool:
    """Whether any check failed."""
    return any(item.status == "fail" for item in items)


class MaskingFilter(logging.Filter):
    """Masks the password of any URL in a log record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
