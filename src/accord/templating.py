"""The one way Accord builds a Jinja environment: the pages' (``accord.web.render``) and the printed
reports' (``accord.services.reports``, whose templates live beside it in ``report_templates/``) both
come from ``environment``, with the same translation and formatting helpers; each then adds only the
helpers of its own templates, when its module is loaded, never from elsewhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

from accord.i18n import (
    format_date,
    format_datetime,
    format_number,
    gettext,
    localized,
    localized_with_fallback,
    ngettext,
    pgettext,
)


def environment(directory: Path, *, compact: bool = False, **helpers: Any) -> Environment:
    """An autoescaping environment over the templates in ``directory`` with the shared helpers and
    ``helpers``; ``compact`` drops the line breaks and indentation around block tags (for print)."""
    env = Environment(
        loader=FileSystemLoader(str(directory)),
        autoescape=True,
        trim_blocks=compact,
        lstrip_blocks=compact,
    )
    env.globals.update(
        _=gettext,
        gettext=gettext,
        ngettext=ngettext,
        pgettext=pgettext,
        localized=localized,
        localized_with_fallback=localized_with_fallback,
        format_date=format_date,
        format_datetime=format_datetime,
        format_number=format_number,
        **helpers,
    )
    return env
