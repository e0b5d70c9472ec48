"""``accord bench match`` (quality on a labelled set) and ``accord bench match-speed`` (synthetic scale)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from accord.match import MatchConfig, QueryOptions
from accord.match.evaluate import run_match_benchmark


def register(app: typer.Typer) -> None:
    app.command("match")(bench_match)
    app.command("match-speed")(bench_match_speed)


def bench_match(
    directory: Annotated[
        Path, typer.Argument(help="Data set folder with docs.jsonl, queries.jsonl, qrels.tsv")
    ],
    queries: Annotated[
        Path | None, typer.Option("--queries", help="Queries file (default DIR/queries.jsonl)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    aggregation: Annotated[str, typer.Option(help="Expert aggregation method")] = "model2",
    aggregation_top: Annotated[int, typer.Option(help="Documents per expert for combsum_top")] = 3,
    temperature: Annotated[float, typer.Option(help="Model 2 temperature")] = 3.0,
    feedback_docs: Annotated[int, typer.Option(help="Pseudo-relevance feedback documents (0: off)")] = 10,
    k1: Annotated[float, typer.Option(help="BM25 k1")] = 1.2,
    b: Annotated[float, typer.Option(help="BM25 b")] = 0.75,
    translation_weight: Annotated[float, typer.Option(help="Weight of translated terms")] = 0.5,
    no_translate: Annotated[bool, typer.Option("--no-translate", help="Disable query translation")] = False,
) -> None:
    """Measure match quality (nDCG@10, MAP, P@10, R@100, MRR) and latency on a labelled data set."""
    cfg = replace(
        MatchConfig(),
        aggregation=aggregation,
        aggregation_top=aggregation_top,
        aggregation_temperature=temperature,
        feedback_docs=feedback_docs,
        k1=k1,
        b=b,
        query=QueryOptions(translate=not no_translate, translation_weight=translation_weight),
    )
    if as_json:
        res = run_match_benchmark(directory, queries, cfg)
        typer.echo(json.dumps(res))
        return
    console = Console()
    with Progress(console=console, transient=True) as progress:
        res = run_match_benchmark(directory, queries, cfg, progress=progress)
    table = Table(title=f"Matchmaking on {directory.name} ({res['target']} ranking)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in res.items():
        table.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
    console.print(table)


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
