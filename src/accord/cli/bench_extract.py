"""``accord bench extract DIR``: score agreement extraction against a gold folder (texts/ + gold/)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer


def _load(directory: Path) -> list[tuple[str, str, dict[str, Any]]]:
    samples = []
    for text_path in sorted((directory / "texts").glob("*.txt")):
        gold_path = directory / "gold" / (text_path.stem + ".json")
        if not gold_path.exists():
            continue
        raw = text_path.read_text(encoding="utf-8")
        # The body is everything after the SOURCE/KIND header and its blank line.
        body = raw.split("\n\n", 1)[1] if "\n\n" in raw else raw
        samples.append((text_path.name, body, json.loads(gold_path.read_text(encoding="utf-8"))))
    return samples


def run_bench(directory: Path, *, progress: bool = True) -> dict[str, Any]:
    """Extract every text in ``directory`` and return overall and per-language figures."""
    from accord.intake import extract
    from accord.intake.scoring import Counts, lang_of, score_document, summarize

    samples = _load(directory)
    total = Counts()
    by_lang: dict[str, Counts] = {}

    def one(name: str, body: str, gold: dict[str, Any]) -> None:
        nonlocal total
        lang = lang_of(name, gold)
        started = time.perf_counter()
        result = extract(body, lang=lang or None)
        seconds = time.perf_counter() - started
        counts = score_document(result, gold, len(body.encode("utf-8")), seconds)
        total = total + counts
        by_lang[lang] = by_lang.get(lang, Counts()) + counts

    if progress:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("extracting", total=len(samples))
            for sample in samples:
                one(*sample)
                bar.advance(task)
    else:
        for sample in samples:
            one(*sample)
    figures: dict[str, Any] = summarize(total)
    figures["documents"] = len(samples)
    figures["by_lang"] = {lang: summarize(c) for lang, c in sorted(by_lang.items())}
    return figures


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
    ("kb_per_s", "KB/s"),
]


def register(app: typer.Typer) -> None:
    """Add ``extract`` to the ``accord bench`` group."""

    @app.command("extract")
    def bench_extract(
        directory: Annotated[
            Path, typer.Argument(help="Folder with texts/ and gold/ (like shared/agreements).")
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Score clause splitting and commitment extraction against gold labels."""
        if not (directory / "texts").is_dir() or not (directory / "gold").is_dir():
            raise typer.BadParameter(f"{directory} must contain texts/ and gold/")
        figures = run_bench(directory, progress=not as_json)
        if as_json:
            typer.echo(json.dumps(figures, ensure_ascii=False, sort_keys=True))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"Agreement extraction ({figures['documents']} documents)")
        table.add_column("metric")
        groups = [("all", figures), *figures["by_lang"].items()]
        for name, _ in groups:
            table.add_column(name, justify="right")
        for key, label in _KEYS:
            table.add_row(
                label, *(f"{g[key]:.3f}" if key != "kb_per_s" else f"{g[key]:.0f}" for _, g in groups)
            )
        Console().print(table)
