"""One validated settings object for the whole application (environment prefix ``ACCORD_``)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from accord.clock import DEFAULT_TIME_ZONE, Clock, clock_for

LANGUAGES = ("zh_Hans", "en")


class Settings(BaseSettings):
    """Configuration read from ``ACCORD_*`` environment variables (and ``.env``)."""

    model_config = SettingsConfigDict(env_prefix="ACCORD_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("var"), description="Where the SQLite database, files and keys live.")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty means SQLite under data_dir.")
    secret_key: str = Field(
        default="", description="Signs session cookies; generated under data_dir if empty."
    )
    default_language: str = Field(default="zh_Hans", description="Language when the browser states none.")
    time_zone: str = Field(
        default=DEFAULT_TIME_ZONE,
        description="IANA time zone whose calendar day is 'today' (due dates, statuses, reports, notices).",
    )
    upload_max_bytes: int = Field(default=20 * 1024 * 1024, gt=0, description="Largest accepted upload.")
    form_max_bytes: int = Field(
        default=1024 * 1024, gt=0, description="Largest request body of a form or JSON call (not an upload)."
    )
    body_timeout_seconds: float = Field(
        default=15,
        gt=0,
        description="A request body pausing longer than this (or too slow overall) gets 408.",
    )
    secure_cookies: bool = Field(default=False, description="Mark cookies Secure (set behind TLS).")
    session_max_age: int = Field(default=14 * 24 * 3600, gt=0, description="Session lifetime in seconds.")
    login_max_failures: int = Field(default=5, gt=0, description="Failed logins before a lock-out.")
    login_lockout_seconds: int = Field(default=900, gt=0, description="How long a lock-out lasts.")
    sso_secrets: dict[str, str] = Field(
        default_factory=dict,
        description='Secrets of the sign-in providers by their short name, as JSON: {"campus": "client secret '
        'or bind password"}; the rest of each provider is configured in the admin pages.',
    )
    sso_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120, description="How long to wait for an identity provider or directory."
    )
    login_address_max_failures: int = Field(
        default=30, gt=0, description="Failed sign-ins from one client address before it is locked out."
    )
    forwarded_allow_ips: str = Field(
        default="",
        description="Proxies (addresses or networks, comma-separated) whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed; empty believes none.",
    )
    page_size: int = Field(default=25, gt=0, le=500, description="Rows per page in lists.")
    # delivery: reminders, escalation and the worker
    base_url: str = Field(
        default="http://127.0.0.1:8000", description="Public address of the site, for links in notices."
    )
    smtp_host: str = Field(default="", description="SMTP server for notices; empty disables e-mail.")
    smtp_port: int = Field(default=587, gt=0, lt=65536, description="SMTP port.")
    smtp_sender: str = Field(default="accord@localhost", description="From address of notices.")
    smtp_user: str = Field(default="", description="SMTP login; empty sends without logging in.")
    smtp_password: str = Field(default="", description="SMTP password.")
    smtp_starttls: bool = Field(
        default=True, description="Require STARTTLS (never falls back to plain text)."
    )
    smtp_ssl: bool = Field(default=False, description="Implicit TLS (port 465) instead of STARTTLS.")
    webhook_url: str = Field(default="", description="Receiver of signed notice webhooks; empty disables.")
    webhook_secret: str = Field(default="", description="HMAC-SHA256 key for the webhook signature.")
    remind_days_before: str = Field(
        default="7,1", pattern=r"^\d+(,\d+)*$", description="Days before the due date to remind owners."
    )
    overdue_repeat_days: int = Field(default=7, gt=0, description="Repeat overdue notices every N days.")
    escalate_coordinator_after: int = Field(default=3, gt=0, description="Days overdue before coordinators.")
    escalate_leadership_after: int = Field(default=14, gt=0, description="Days overdue before leadership.")
    at_risk_days: int = Field(default=14, ge=0, description="Due within N days and behind: at risk.")
    max_occurrences: int = Field(
        default=500, gt=0, le=5000, description="Most dates a recurrence may produce."
    )
    recurrence_horizon_years: int = Field(
        default=5,
        gt=0,
        le=50,
        description="Years of occurrences a recurring task gets when its agreement has no end date.",
    )
    worker_interval_seconds: int = Field(default=300, gt=0, description="Pause between worker rounds.")
    job_runner: Literal["auto", "thread", "queue"] = Field(
        default="auto",
        description="Who runs background jobs: threads of the web process (thread), the procrastinate "
        "queue worked by accord worker (queue), or auto (queue on PostgreSQL, thread on SQLite).",
    )
    ocr_engine: Literal["rapidocr", "tesseract"] = Field(
        default="rapidocr",
        description="OCR engine for scans and photos: rapidocr (PP-OCRv4 models in the Python package) or "
        "tesseract (Debian's tesseract-ocr with chi_sim and eng).",
    )
    convert_timeout: int = Field(
        default=120,
        gt=0,
        le=3600,
        description="Seconds LibreOffice may take to convert a .doc/.wps/.rtf/.odt file.",
    )
    cache_dir: Path | None = Field(
        default=None,
        description="Where data that can be rebuilt is kept between processes (the parsed bilingual "
        "dictionary, about 10 MB); empty means data_dir/cache.",
    )
    match_warm_up: bool = Field(
        default=False,
        description="Load the matching index and dictionaries when a process starts (accord serve turns it on).",
    )

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}")
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone name such as Asia/Shanghai or UTC") from None
        return value

    @property
    def clock(self) -> Clock:
        """The clock of ``time_zone``."""
        return clock_for(self.time_zone)

    @property
    def https(self) -> bool:
        """Whether the site is served over TLS: Secure cookies and HSTS then."""
        return self.secure_cookies or self.base_url.lower().startswith("https://")

    @property
    def trusted_proxies(self) -> list[str]:
        """The entries of ``forwarded_allow_ips``."""
        return [entry.strip() for entry in self.forwarded_allow_ips.split(",") if entry.strip()]

    @property
    def base_url_configured(self) -> bool:
        """Whether ACCORD_BASE_URL was set; otherwise links use the address a page was served from."""
        return "base_url" in self.model_fields_set

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to an embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'accord.db').resolve()}"

    @property
    def files_dir(self) -> Path:
        """Where uploaded files are stored by their SHA-256."""
        return self.data_dir / "files"

    @property
    def resolved_cache_dir(self) -> Path:
        """``cache_dir``, or ``cache`` under ``data_dir``."""
        return self.cache_dir or self.data_dir / "cache"

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and kept in ``data_dir``."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, validated on first use."""
    return Settings()
