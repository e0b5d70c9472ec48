"""Pages save one way: a route that saves a form runs its service call through ``save_or_rerender``
or ``save_or_flash`` (accord.web.saving) instead of writing commit, rollback and re-render by hand."""

from __future__ import annotations

import ast
from pathlib import Path

ROUTES = Path(__file__).resolve().parents[2] / "src" / "accord" / "web" / "routes"

# Routes that still roll back by hand, and why the helpers do not fit them.
BY_HAND = {
    # A wrong new password is flashed by the first rule it breaks only, as the account page has said.
    "auth.change_password",
    # The board has no form to show field errors next to: the flashed error names each field.
    "tasks.bulk",
}


def _catches_bad_input(handler: ast.ExceptHandler) -> bool:
    caught = handler.type
    names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
    return any(isinstance(n, ast.Name) and n.id == "ValidationFailed" for n in names)


def _rolls_back(node: ast.AST) -> bool:
    return any(
        isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "rollback"
        for call in ast.walk(node)
    )


def hand_written(source: str, module: str) -> list[str]:
    """The functions of ``source`` that catch ``ValidationFailed`` and roll back themselves."""
    found = []
    for function in ast.walk(ast.parse(source)):
        if isinstance(function, ast.FunctionDef):
            for handler in ast.walk(function):
                if (
                    isinstance(handler, ast.ExceptHandler)
                    and _catches_bad_input(handler)
                    and _rolls_back(handler)
                ):
                    found.append(f"{module}.{function.name}")
                    break
    return found


def test_no_route_writes_the_save_pattern_by_hand() -> None:
    found = set()
    for path in sorted(ROUTES.glob("*.py")):
        found |= set(hand_written(path.read_text(encoding="utf-8"), path.stem))
    assert sorted(found - BY_HAND) == [], "use save_or_rerender or save_or_flash (accord.web.saving)"
    assert sorted(BY_HAND - found) == [], "no longer written by hand: take it off BY_HAND"


def test_the_check_finds_the_pattern() -> None:
    source = """
def create(request, session):
    try:
        thing = things.create(session)
        session.commit()
    except ValidationFailed as error:
        session.rollback()
        return form(request, error)
    return RedirectResponse("/things")
"""
    assert hand_written(source, "things") == ["things.create"]
