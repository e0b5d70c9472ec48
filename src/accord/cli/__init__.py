"""The ``accord`` command line: argument parsing only; work is done by services and engines."""

from __future__ import annotations

from collections.abc import MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING

import typer
import typer.main
from typer.core import TyperGroup

if TYPE_CHECKING:
    from typer._click.core import Command

app = typer.Typer(help="Accord: cooperation agreements turned into delivered results.", no_args_is_help=True)


class _Benchmarks(TyperGroup):
    """The ``accord bench`` group: its commands (and numpy, scipy, the corpora readers they import) are
    loaded from :mod:`accord.cli.bench` when the group is opened, not for every ``accord`` command."""

    _loaded = False

    @property
    def commands(self) -> MutableMapping[str, Command]:
        if not self._loaded:
            self._loaded = True
            from accord.cli import bench

            loaded = typer.main.get_command(bench.app)
            assert isinstance(loaded, TyperGroup)
            self._commands.update(loaded.commands)
        return self._commands

    @commands.setter
    def commands(self, value: MutableMapping[str, Command]) -> None:
        self._commands = value


bench_app = typer.Typer(
    help="Benchmarks that print figures (never run by the test suite).", no_args_is_help=True, cls=_Benchmarks
)
app.add_typer(bench_app, name="bench")

# Command modules add themselves to ``app`` on import; each imports the database, services and engines
# inside the commands that use them, so ``accord --help`` and ``accord check`` start quickly.
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

    from accord.cli import ownership

    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        app(args=[a for a in args if a != "--debug"], prog_name="accord")
    except SystemExit:
        raise
    except Exception as exc:
        if debug:
            raise
        from accord.cli import errors  # pydantic and SQLAlchemy's errors, needed only now

        for line in errors.describe(exc):
            sys.stderr.write(line + "\n")
        raise SystemExit(1) from None
    finally:
        ownership.give_back()
