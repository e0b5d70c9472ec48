"""Every paged list (the generic list page, the board, news, the public catalogue) shows its pages with
one macro."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from accord.web.render import TEMPLATES, templates


def _render(page: int, pages: int) -> str:
    template = templates.env.from_string(
        '{% import "_macros.html" as m with context %}{{ m.pagination(page) }}'
    )
    return template.render(
        page=SimpleNamespace(page=page, pages=pages), query_with=lambda **changes: f"?page={changes['page']}"
    )


def test_pages_link_to_their_neighbours() -> None:
    middle = _render(2, 3)
    assert 'href="?page=1"' in middle and 'href="?page=3"' in middle and "Page 2 of 3" in middle
    first = _render(1, 3)
    assert 'href="?page=0"' not in first and 'href="?page=2"' in first
    assert "pagination" not in _render(1, 1)


def test_no_template_writes_its_own_pagination() -> None:
    written = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path.name != "_macros.html" and 'class="pagination"' in path.read_text(encoding="utf-8")
    ]
    assert written == []


def test_the_lists_use_the_macro() -> None:
    for name in ("list.html", "tasks/board.html", "news/index.html", "catalogue/list.html"):
        assert "m.pagination(page)" in Path(TEMPLATES, name).read_text(encoding="utf-8")
