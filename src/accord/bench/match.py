"""``accord bench match`` (quality on a labelled set) and ``accord bench match-speed`` (synthetic scale)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from accord.bench.crossval import GRID, GRID_EXTRA, Runner, cross_validate, load_set


def register(app: typer.Typer) -> None:
    app.command("match")(bench_match)
    app.command("match-speed")(bench_match_speed)


def bench_match(
    directories: Annotated[
        list[Path],
        typer.Argument(help="Data set folders, each with docs.jsonl, queries.jsonl and qrels.tsv"),
    ],
    folds: Annotated[
        int,
        typer.Option(
            "--folds", min=2, max=20, help="Cross-validation folds (queries; experts in expert sets)"
        ),
    ] = 5,
    grid: Annotated[
        list[str] | None,
        typer.Option("--grid", help="Replace one grid axis: NAME=V1,V2 (repeatable), e.g. k1=0.9,1.2"),
    ] = None,
    cache: Annotated[
        Path | None, typer.Option("--cache", help="Folder for tokenised corpora reused by later runs")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
) -> None:
    """Cross-validated match quality: every setting chosen on training folds, nDCG@10 (and reviewer_gold's
    pairwise loss) reported on the held-out folds, beside plain BM25 on the same folds."""
    for d in directories:
        missing = [n for n in ("docs.jsonl", "queries.jsonl", "qrels.tsv") if not (d / n).is_file()]
        if missing:
            raise typer.BadParameter(f"{d}: missing {', '.join(missing)}", param_hint="DIRECTORIES")
    axes = dict(GRID)
    for item in grid or []:
        name, sep, values = item.partition("=")
        if not sep or not values or (name not in axes and name not in GRID_EXTRA):
            known = ", ".join([*GRID, *GRID_EXTRA])
            raise typer.BadParameter(
                f"{item!r}: write NAME=V1,V2 with NAME one of {known}", param_hint="--grid"
            )
        axes[name] = tuple(_value(v) for v in values.split(","))
    sets = [load_set(d) for d in directories]
    runner = Runner(cache)
    if as_json:
        typer.echo(json.dumps(cross_validate(sets, folds, axes, runner)))
        return
    console = Console()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("settings × sets", total=None)

        def advance(name: str, step: int, total: int) -> None:
            progress.update(task, completed=step, total=total, description=name)

        res = cross_validate(sets, folds, axes, runner, advance)
    print_report(console, res)


def _value(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def print_report(console: Console, res: dict[str, Any]) -> None:
    """The held-out table per set, the loss per fold and the cross-lingual ratios."""
    title = f"Matchmaking, {res['folds']}-fold cross-validation ({res['n_settings']} settings, "
    table = Table(title=title + f"score matrices per set: {res['n_index_builds']})")
    for col in ("set", "target", "queries", "BM25", "engine (joint)", "÷ BM25", "engine (per set)"):
        table.add_column(col, justify="left" if col in ("set", "target") else "right")
    for name, s in res["sets"].items():
        ratio = s["joint_over_bm25"]
        table.add_row(
            name,
            s["target"],
            str(s["n_queries"]),
            f"{s['bm25']['mean']:.3f} ± {s['bm25']['sd']:.3f}",
            f"{s['joint']['mean']:.3f} ± {s['joint']['sd']:.3f}",
            f"{ratio:.2f}×" if ratio else "—",
            f"{s['per_set']['mean']:.3f} ± {s['per_set']['sd']:.3f}",
        )
    console.print(table)
    for name, s in res["sets"].items():
        loss = s.get("pairwise_loss")
        if loss:
            folds = ", ".join(
                f"{a:.3f} (BM25 {b:.3f})" for a, b in zip(loss["folds"], loss["bm25_folds"], strict=True)
            )
            console.print(
                f"{name} pairwise loss, held-out experts: {loss['mean']:.3f} ± {loss['sd']:.3f} "
                f"(BM25 {loss['bm25']['mean']:.3f}); per fold {folds}"
            )
    for x in res["cross_lingual"]:
        console.print(
            f"{x['set']} ÷ {x['monolingual']} on the same {x['queries']} queries: "
            f"{x['cross_lingual_ndcg']:.3f} ÷ {x['monolingual_ndcg']:.3f} = {x['ratio']:.2f}"
        )
    console.print(f"Defaults (chosen across sets on all queries): {res['defaults']}")


def bench_match_speed(
    docs: Annotated[
        int, typer.Option("--docs", help="Synthetic documents (half Chinese, half English)")
    ] = 100_000,
    n_queries: Annotated[int, typer.Option("--queries", help="Queries to time")] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    peers: Annotated[
        str, typer.Option(help="Comma list: bm25s,tantivy,sqlite,rank_bm25")
    ] = "bm25s,tantivy,sqlite,rank_bm25",
    seed: Annotated[int, typer.Option(help="Random seed")] = 7,
) -> None:
    """Index/query speed and memory of Accord's engine and raw peers on one synthetic bilingual corpus."""
    from accord.bench import match_speed as speed

    chosen = [p for p in peers.split(",") if p]
    unknown = [p for p in chosen if p not in speed.PEER_MODULES]
    if unknown:
        raise typer.BadParameter(speed.unavailable(unknown[0]) or "", param_hint="--peers")
    res = speed.run(docs, n_queries, chosen, seed, progress=not as_json)
    if as_json:
        typer.echo(json.dumps(res))
        return
    speed.print_table(res)
