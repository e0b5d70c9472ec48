"""Chromium for the browser tests: where it is, a context in a locale, signing in through the real form, and
axe-core's serious and critical violations (the ``browser`` fixture is in tests/browser/conftest.py)."""

from __future__ import annotations

import functools
import shutil
from typing import Any

from tests.support.accounts import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def new_context(browser: object, locale: str, state: object = None) -> Any:
    """A browser context in ``locale`` (with the cookies of ``state``, a context's saved storage state);
    waits are generous, since a busy machine can be slow to serve."""
    context = browser.new_context(locale=locale, storage_state=state)  # type: ignore[attr-defined]
    context.set_default_timeout(90_000)
    return context


def submit_sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Fill and send the sign-in form of the page that shows it."""
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")


def sign_in(page: Any, server: str, email: str, password: str = PASSWORD, next: str = "/") -> None:
    """Sign ``page`` in at ``server`` through the real form and wait until it shows ``next``."""
    page.goto(f"{server}/login" if next == "/" else f"{server}/login?next={next}")
    submit_sign_in(page, email, password)
    page.wait_for_url(f"{server}{next}")


@functools.cache
def axe_script() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return str(Axe().axe_script)


def axe_violations(page: Any, *, injected: bool = False) -> list[dict[str, object]]:
    """The serious and critical violations axe-core finds on the whole page, all its rules run; axe-core is
    put into the page first unless the page's context already loads it into every document (``injected``).
    Only violations are reported in full: the passes and the rest are not what the checks read."""
    if not injected:
        page.evaluate(axe_script())
    response = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in response["violations"] if v["impact"] in {"serious", "critical"}]
