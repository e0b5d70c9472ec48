"""Interface language: negotiation, the current locale, gettext and locale-aware formatting.

The current locale lives in a context variable set per request (or per CLI run), so services
can translate messages without being handed a request. Catalogues are read from the ``.po``
files at start-up (compiled in memory), so no build step is needed to run from a checkout.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("zh_Hans", "en")
DEFAULT_LANGUAGE = "zh_Hans"
# Browsers send zh-CN, zh-Hans, zh-SG, zh-TW…; Accord's Chinese interface is simplified.
_ALIASES = {"zh": "zh_Hans", "zh_hans": "zh_Hans", "zh_cn": "zh_Hans", "zh_sg": "zh_Hans", "en": "en"}

_current: ContextVar[str] = ContextVar("accord_locale", default=DEFAULT_LANGUAGE)


def normalise(code: str | None) -> str | None:
    """Map a language tag (``zh-CN``, ``en-GB``, ``zh_Hans``) to a supported language, or None."""
    if not code:
        return None
    key = code.strip().replace("-", "_").lower()
    if key in _ALIASES:
        return _ALIASES[key]
    # Every Chinese variant gets the simplified interface (the only Chinese one shipped).
    return _ALIASES.get(key.split("_")[0])


def negotiate(accept_language: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Pick the best supported language from an ``Accept-Language`` header."""
    if not accept_language:
        return default
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        pieces = part.strip().split(";")
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        weighted.append((-quality, index, pieces[0]))
    for negative_quality, _index, tag in sorted(weighted):
        language = normalise(tag)
        if language and negative_quality < 0:
            return language
    return default


@cache
def translations(language: str) -> Translations:
    """The compiled catalogue for ``language`` (English falls back to the source strings)."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return Translations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def set_language(language: str) -> Any:
    """Make ``language`` current; returns a token for :func:`reset_language`."""
    return _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


def reset_language(token: Any) -> None:
    """Restore the language that was current before :func:`set_language`."""
    _current.reset(token)


def current_language() -> str:
    """The language of the current request or command."""
    return _current.get()


def gettext(message: str, **params: Any) -> str:
    """Translate ``message`` into the current language and fill ``{named}`` placeholders."""
    text = translations(current_language()).gettext(message)
    return text.format(**params) if params else text


def ngettext(singular: str, plural: str, n: int, **params: Any) -> str:
    """Translate a message that depends on a count ``n`` (available as ``{n}``)."""
    text = translations(current_language()).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def pgettext(context: str, message: str) -> str:
    """Translate a word whose meaning depends on ``context``."""
    return str(translations(current_language()).pgettext(context, message))


_ = gettext


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (translated where shown)."""
    return message


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale used for formatting in ``language``."""
    return Locale.parse("zh_Hans_CN" if (language or current_language()) == "zh_Hans" else "en_GB")


def format_date(value: date | datetime | None, format: str = "long") -> str:
    """``2020年7月27日`` / ``27 July 2020``; empty for None."""
    if value is None:
        return ""
    return dates.format_date(value, format=format, locale=babel_locale())


def format_datetime(value: datetime | None) -> str:
    """A timestamp in the current locale, minutes precision."""
    if value is None:
        return ""
    return dates.format_datetime(value, format="medium", locale=babel_locale())


def format_number(value: int | float | Decimal | None) -> str:
    """A number with the locale's grouping."""
    if value is None:
        return ""
    return numbers.format_decimal(value, locale=babel_locale())


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """The ``field`` of ``obj`` in the current language, falling back to the other one."""
    text, _fallback = localized_with_fallback(obj, field, language)
    return text


def localized_with_fallback(obj: Any, field: str, language: str | None = None) -> tuple[str, bool]:
    """Like :func:`localized`, also saying whether the other language had to be used."""
    language = language or current_language()
    first, second = ("zh", "en") if language == "zh_Hans" else ("en", "zh")
    value = getattr(obj, f"{field}_{first}", None)
    if value:
        return str(value), False
    other = getattr(obj, f"{field}_{second}", None)
    return (str(other), True) if other else ("", False)
