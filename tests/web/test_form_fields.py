"""What a page's form hands to its service: the fields people fill in, never the ones every form carries."""

from __future__ import annotations

from starlette.datastructures import FormData

from accord.web.forms import read_form
from accord.web.security import CSRF_FIELD, ONCE_FIELD


def test_the_fields_every_form_carries_never_reach_a_schema() -> None:
    form = FormData([(CSRF_FIELD, "c"), (ONCE_FIELD, "o"), ("version", "3"), ("title_en", "Aurora")])
    flat, version = read_form(form)
    assert flat == {"title_en": "Aurora"}
    assert version == 3


def test_a_malformed_version_never_matches() -> None:
    assert read_form(FormData([("version", "x")]))[1] == -1
    assert read_form(FormData([("title_en", "Aurora")]))[1] is None
