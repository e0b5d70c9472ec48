"""Pages save one way: a route that saves a form runs its service call through ``save_or_rerender``
or ``save_or_flash`` (accord.web.saving) instead of writing commit, rollback and re-render by hand.
The check finds any route that rolls back itself, whatever it caught (bad input, a refusal, or a
result it rejected)."""

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
    # The corrections to every item of an import are checked before any is kept, and the errors of all
    # items are shown together.
    "onboarding.save_review",
    # A refused sign-in is not bad input: after the rollback the refusal itself is written down.
    "sso._complete",
    # The account and sign-in method forms show a refusal (a taken address, a clashing provider) next to
    # the form as well, and only to administrators, which is checked once the change is rolled back.
    "admin.create_user",
    "admin_sso.create_provider",
    "admin_sso.save_policy",
    "admin_sso.update_provider",
    "admin_sso.add_group",
}


def hand_written(source: str, module: str) -> list[str]:
    """The functions of ``source`` that roll back themselves."""
    found = []
    for function in ast.walk(ast.parse(source)):
        if isinstance(function, ast.FunctionDef) and any(
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "rollback"
            for call in ast.walk(function)
        ):
            found.append(f"{module}.{function.name}")
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


def test_the_check_finds_a_rejected_result_rolled_back_by_hand() -> None:
    source = """
def import_things(request, session):
    outcome = things.load(session)
    if outcome.errors:
        session.rollback()
        return form(request, outcome.errors)
    session.commit()
    return RedirectResponse("/things")
"""
    assert hand_written(source, "things") == ["things.import_things"]
