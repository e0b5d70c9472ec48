"""Every interface string is in the Chinese catalogue, translated, with the same placeholders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from accord.i18n import LOCALE_DIR, format_date, gettext, localized, negotiate, normalise, set_language

ROOT = Path(__file__).parents[2]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _extracted(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "-q",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "gettext",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "-k",
            "pgettext:1c,2",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_the_chinese_catalogue_covers_every_string_in_the_code(tmp_path: Path) -> None:
    with (LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        text = message.string if isinstance(message.string, str) else message.string[0]
        translated[key] = text
    missing = sorted(_extracted(tmp_path) - {k for k, v in translated.items() if v})
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing[:20])
    for key, text in translated.items():
        assert set(PLACEHOLDER.findall(key)) == set(PLACEHOLDER.findall(text)), key


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh_Hans"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR, en;q=0.5", "en"),
        ("zh-TW", "zh_Hans"),
        ("de", "zh_Hans"),
        ("", "zh_Hans"),
        ("en;q=0, zh;q=0.1", "zh_Hans"),
        (";;;,,q=abc", "zh_Hans"),
    ],
)
def test_the_browser_language_is_negotiated(header: str, expected: str) -> None:
    assert negotiate(header) == expected


def test_unknown_language_codes_are_not_accepted() -> None:
    assert normalise("klingon") is None and normalise("zh-Hans") == "zh_Hans"


def test_dates_and_bilingual_fields_follow_the_language() -> None:
    from datetime import date
    from types import SimpleNamespace

    record = SimpleNamespace(name_zh="重庆大学", name_en=None)
    set_language("zh_Hans")
    assert format_date(date(2020, 7, 27)) == "2020年7月27日"
    assert gettext("Save") == "保存"
    assert localized(record, "name") == "重庆大学"
    set_language("en")
    assert format_date(date(2020, 7, 27)) == "27 July 2020"
    assert localized(record, "name") == "重庆大学"  # falls back to the other language
