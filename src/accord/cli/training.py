"""``accord train extract DIR...``: fit the extraction model on labelled folders and write its file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from accord.cli import app

train_app = typer.Typer(help="Fit the learned components on labelled data.", no_args_is_help=True)
app.add_typer(train_app, name="train")


def _default_output() -> Path:
    from accord.intake import learned

    return Path(learned.__file__).parent / "data" / learned.MODEL_FILE


@train_app.command("extract")
def train_extract(
    directories: Annotated[list[Path], typer.Argument(help="Folders with texts/ and gold/ to train on.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Where to write the model (default: the file in the package)."),
    ] = None,
    folds: Annotated[int, typer.Option("--folds", help="Folds for choosing the mode per language.")] = 5,
    choose_on: Annotated[
        Path | None,
        typer.Option(
            "--choose-on",
            help="A fresh labelled folder: choose each language's mode by its commitment F1 there, not by CV.",
        ),
    ] = None,
) -> None:
    """Fit the commitment classifier; the mode per language is chosen by CV or on a fresh folder."""
    from accord.bench.extract import _corpus
    from accord.intake.scoring import Counts, summarize
    from accord.intake.training import train, train_choosing_on

    docs = _corpus(directories, fitting=True)
    pooled: dict[str, dict[str, Counts]]
    if choose_on is not None:
        if any(choose_on.resolve() == d.resolve() for d in directories):
            raise typer.BadParameter(f"{choose_on} is also a training folder", param_hint="--choose-on")
        fresh = _corpus([choose_on], fitting=True)
        model, pooled = train_choosing_on(docs, fresh)
        basis = f"commitment F1 per mode on {len(fresh)} fresh documents ({choose_on})"
    else:
        if folds < 2 or folds > len(docs):
            raise typer.BadParameter(f"--folds must be between 2 and {len(docs)}", param_hint="--folds")
        model, evaluation = train(docs, folds)
        pooled = evaluation.pooled()
        basis = "cross-validated commitment F1 per mode"
    target = out or _default_output()
    target.parent.mkdir(parents=True, exist_ok=True)
    model.save(target)
    report = {
        lang: {
            "use": model.use(lang),
            **{
                mode: summarize(pooled[mode][lang])["commitment_f1"]
                for mode in pooled
                if lang in pooled[mode]
            },
        }
        for lang in sorted(model.languages)
    }
    typer.echo(f"wrote {target} ({len(docs)} documents)")
    typer.echo(f"{basis}: " + json.dumps(report, ensure_ascii=False, sort_keys=True))
