"""The ``accord`` command line: argument parsing only; work is done by services and engines."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Accord: cooperation agreements turned into delivered results.", no_args_is_help=True)
bench_app = typer.Typer(
    help="Benchmarks that print figures (never run by the test suite).", no_args_is_help=True
)
app.add_typer(bench_app, name="bench")


# Each benchmark module in accord.bench adds its commands with ``register(bench_app)``.
from accord.bench import board, extract, formats, load, match, ocr, onboard  # noqa: E402

for _benchmarks in (board, extract, formats, load, match, ocr, onboard):
    _benchmarks.register(bench_app)

# Command modules add themselves to ``app`` on import.
from accord.cli import accounts as _accounts  # noqa: E402,F401
from accord.cli import commands as _commands  # noqa: E402,F401
from accord.cli import delivery as _delivery  # noqa: E402,F401
from accord.cli import matching as _matching  # noqa: E402,F401
from accord.cli import onboarding as _onboarding  # noqa: E402,F401
from accord.cli import reports as _reports  # noqa: E402,F401
from accord.cli import training as _training  # noqa: E402,F401


@app.callback()
def _options(
    debug: bool = typer.Option(False, "--debug", help="Print the traceback of an error."),
    env_file: Path | None = typer.Option(
        None,
        "--env-file",
        help="Read ACCORD_* settings from this file the way systemd's EnvironmentFile= does (no shell "
        "expansion), e.g. /etc/accord.env; variables already set in the environment win.",
    ),
) -> None:
    """Options for every command (``--debug`` is read by :func:`main`)."""
    if env_file is not None:
        import os

        from accord.config import get_settings
        from accord.envfile import EnvFileError, read

        try:
            # Variables already set win, so one command can point elsewhere (a test restore).
            for name, value in read(env_file).items():
                os.environ.setdefault(name, value)
        except EnvFileError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(2) from None
        get_settings.cache_clear()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: an error is one or two lines naming what to fix."""
    import sys

    from accord.cli import errors, ownership

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        app(args=[a for a in args if a != "--debug"], prog_name="accord")
    except SystemExit:
        raise
    except Exception as exc:
        if debug:
            raise
        for line in errors.describe(exc):
            sys.stderr.write(line + "\n")
        raise SystemExit(1) from None
    finally:
        ownership.give_back()
