"""``accord bench extract DIR...``: score agreement extraction against labelled folders (texts/ + gold/).

Without ``--folds`` the shipped system is scored as it is (figures on documents the model or the rules
were fit on are training figures, and are labelled so). ``--folds K`` cross-validates at document
level: the learned component of each fold is fit on the other folds only. ``--locked DIR`` fits on all
of DIR... and prints only the totals on the locked split, never a per-document figure.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Annotated, Any

import typer

_KEYS = [
    ("clause_precision", "clause P"),
    ("clause_recall", "clause R"),
    ("clause_f1", "clause F1"),
    ("commitment_precision", "commitment P"),
    ("commitment_recall", "commitment R"),
    ("commitment_f1", "commitment F1"),
    ("party_accuracy", "party acc"),
    ("due_accuracy", "due acc"),
    ("recurrence_accuracy", "recurrence acc"),
]


#: The folder name of a locked test split (data/agreements/locked): never fit, tuned or cross-validated on.
LOCKED_NAME = "locked"


def _corpus(directories: list[Path], *, fitting: bool = False) -> list[Any]:
    from accord.intake.corpus import load_corpus

    docs = []
    for directory in directories:
        if not (directory / "texts").is_dir() or not (directory / "gold").is_dir():
            raise typer.BadParameter(f"{directory} must contain texts/ and gold/", param_hint="DIR")
        if fitting and directory.resolve().name == LOCKED_NAME:
            raise typer.BadParameter(
                f"{directory} is a locked test split: it is only scored, with --locked, never fit or "
                "cross-validated on",
                param_hint="DIR",
            )
        docs.extend(load_corpus(directory))
    if not docs:
        raise typer.BadParameter(
            "no labelled documents (texts/*.txt with gold/*.json) found", param_hint="DIR"
        )
    return docs


def score_shipped(directories: list[Path], *, progress: bool = True) -> dict[str, Any]:
    from accord.intake import extract
    from accord.intake.scoring import Counts, score_document, summarize

    docs = _corpus(directories)
    total = Counts()
    by_lang: dict[str, Counts] = {}
    for doc in _track(docs, "extracting", progress):
        started = time.perf_counter()
        result = extract(doc.body, lang=doc.lang or None)
        seconds = time.perf_counter() - started
        counts = score_document(result, doc.gold, len(doc.body.encode("utf-8")), seconds)
        total = total + counts
        by_lang[doc.lang] = by_lang.get(doc.lang, Counts()) + counts
    figures: dict[str, Any] = summarize(total)
    figures["documents"] = len(docs)
    figures["by_lang"] = {lang: summarize(c) for lang, c in sorted(by_lang.items())}
    return figures


def _track(items: list[Any], label: str, progress: bool) -> Any:
    if not progress:
        yield from items
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(label, total=len(items))
        for item in items:
            yield item
            bar.advance(task)


def cross_validated(directories: list[Path], folds: int, *, progress: bool = True) -> dict[str, Any]:
    """Per mode and language: the mean and spread over folds, and the figures pooled over all folds."""
    from accord.intake.scoring import summarize
    from accord.intake.training import cross_validate

    docs = _corpus(directories, fitting=True)
    if folds < 2 or folds > len(docs):
        raise typer.BadParameter(f"--folds must be between 2 and {len(docs)}", param_hint="--folds")
    ticks = iter(_track(list(range(folds)), "cross-validating", progress))
    next(ticks, None)
    evaluation = cross_validate(docs, folds, progress=lambda: next(ticks, None))
    out: dict[str, Any] = {"folds": folds, "documents": {}, "modes": {}}
    for doc in docs:
        out["documents"][doc.lang] = out["documents"].get(doc.lang, 0) + 1
    pooled = evaluation.pooled()
    for mode, by_lang in pooled.items():
        out["modes"][mode] = {}
        for lang in sorted(by_lang):
            per_fold = [summarize(f[mode][lang]) for f in evaluation.folds if lang in f.get(mode, {})]
            entry: dict[str, Any] = {"pooled": summarize(by_lang[lang]), "mean": {}, "spread": {}}
            for key, _label in _KEYS:
                values = [f[key] for f in per_fold]
                entry["mean"][key] = round(statistics.fmean(values), 4)
                entry["spread"][key] = round(statistics.pstdev(values), 4)
            out["modes"][mode][lang] = entry
    return out


def locked_totals(directories: list[Path], locked: Path, *, progress: bool = True) -> dict[str, Any]:
    """Fit on ``directories``, score the locked split: totals per mode and language, nothing per document."""
    from accord.intake.scoring import summarize
    from accord.intake.training import held_out

    train = _corpus(directories, fitting=True)
    test = _corpus([locked])
    names = {d.name for d in train}
    if any(d.name in names for d in test):
        raise typer.BadParameter(
            "the locked split shares documents with the training folders", param_hint="--locked"
        )
    counts = held_out(train, test)
    out: dict[str, Any] = {"documents": {}, "modes": {}}
    for doc in test:
        out["documents"][doc.lang] = out["documents"].get(doc.lang, 0) + 1
    for mode, by_lang in counts.items():
        out["modes"][mode] = {lang: summarize(c) for lang, c in sorted(by_lang.items())}
    return out


def _print_modes(title: str, modes: dict[str, Any], key_of: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    table.add_column("metric")
    columns = [(mode, lang) for mode in modes for lang in modes[mode]]
    for mode, lang in columns:
        table.add_column(f"{mode} {lang}", justify="right")
    for key, label in _KEYS:
        cells = []
        for mode, lang in columns:
            entry = modes[mode][lang]
            if key_of is None:
                cells.append(f"{entry[key]:.3f}")
            else:
                cells.append(f"{entry['mean'][key]:.3f} ± {entry['spread'][key]:.3f}")
        table.add_row(label, *cells)
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add ``extract`` to the ``accord bench`` group."""

    @app.command("extract")
    def bench_extract(
        directories: Annotated[
            list[Path], typer.Argument(help="Folders with texts/ and gold/ (e.g. ../shared/agreements).")
        ],
        folds: Annotated[
            int, typer.Option("--folds", help="Cross-validate with K folds (documents dealt per language).")
        ] = 0,
        locked: Annotated[
            Path | None,
            typer.Option("--locked", help="Fit on DIR... and print only the totals on this locked split."),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Score clause splitting and commitment extraction against gold labels."""
        if locked is not None:
            figures = locked_totals(directories, locked, progress=not as_json)
            if as_json:
                typer.echo(json.dumps(figures, ensure_ascii=False, sort_keys=True))
                return
            docs = ", ".join(f"{n} {lang}" for lang, n in sorted(figures["documents"].items()))
            _print_modes(f"Locked split, totals only ({docs})", figures["modes"], None)
            return
        if folds:
            figures = cross_validated(directories, folds, progress=not as_json)
            if as_json:
                typer.echo(json.dumps(figures, ensure_ascii=False, sort_keys=True))
                return
            docs = ", ".join(f"{n} {lang}" for lang, n in sorted(figures["documents"].items()))
            _print_modes(
                f"{folds}-fold cross-validation, mean ± spread over folds ({docs})", figures["modes"], "mean"
            )
            return
        figures = score_shipped(directories, progress=not as_json)
        if as_json:
            typer.echo(json.dumps(figures, ensure_ascii=False, sort_keys=True))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"Agreement extraction, shipped system ({figures['documents']} documents)")
        table.add_column("metric")
        groups = [("all", figures), *figures["by_lang"].items()]
        for name, _ in groups:
            table.add_column(name, justify="right")
        for key, label in [*_KEYS, ("kb_per_s", "KB/s")]:
            table.add_row(
                label, *(f"{g[key]:.3f}" if key != "kb_per_s" else f"{g[key]:.0f}" for _, g in groups)
            )
        Console().print(table)
        typer.echo(
            "Documents the shipped model or rules were fit on give training figures; use --folds or --locked."
        )
