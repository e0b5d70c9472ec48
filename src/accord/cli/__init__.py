"""The ``accord`` command line: argument parsing only; work is done by services and engines."""

from __future__ import annotations

import importlib
import pkgutil

import typer

app = typer.Typer(help="Accord: cooperation agreements turned into delivered results.", no_args_is_help=True)
bench_app = typer.Typer(
    help="Benchmarks that print figures (never run by the test suite).", no_args_is_help=True
)
app.add_typer(bench_app, name="bench")


def _register_benchmarks() -> None:
    # Each engine owns its benchmark commands in a module named ``bench_<engine>``
    # exposing ``register(bench_app)``; discovering them keeps this file free of edits.
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("bench_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            module.register(bench_app)


_register_benchmarks()

# Command modules add themselves to ``app`` on import.
from accord.cli import commands as _commands  # noqa: E402,F401
from accord.cli import delivery as _delivery  # noqa: E402,F401
from accord.cli import matching as _matching  # noqa: E402,F401
from accord.cli import reports as _reports  # noqa: E402,F401
from accord.cli import training as _training  # noqa: E402,F401


def main() -> None:
    """Entry point of the console script."""
    app()
