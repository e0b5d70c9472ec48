"""``accord bench``: the benchmark commands, imported only when ``accord bench …`` runs.

The benchmarks bring numpy, scipy, the matching engine and the demo generator with them; no other
command needs them, so :mod:`accord.cli` names the group and loads this module on first use.
"""

from __future__ import annotations

import typer

from accord.bench import board, extract, formats, load, match, ocr, onboard

app = typer.Typer()

# Each benchmark module adds its commands with ``register(app)``.
for _benchmarks in (board, extract, formats, load, match, ocr, onboard):
    _benchmarks.register(app)
