"""``accord bench formats DIR...``: the same agreements as TXT, DOCX, printed PDFs and a scan, scored alike.

Every labelled text of the folders is turned into the forms offices hold (``accord.bench.specimens``):

- ``txt``: the body as UTF-8;
- ``docx``: one paragraph per line (python-docx);
- ``pdf-libreoffice``: that DOCX printed by LibreOffice;
- ``pdf-chromium``: the text as an HTML page printed by Chromium;
- ``scan``: the LibreOffice PDF scanned at 150 dpi with a scanner's faults, as an image-only PDF,
  read by OCR (``--ocr-engine``).

Each is read by Accord's reader, the gold labels are re-anchored on what was read
(``accord.bench.reanchor``), and extraction is scored as ``accord bench extract`` scores it. The
figures are commitment and clause F1 per format, and each format's difference from ``txt``. Folders
of the locked split are refused: their errors are not to be read, and per-format differences are
errors by another name.
"""

from __future__ import annotations

import json
import os
import time
import zlib
from pathlib import Path
from typing import Annotated, Any

import typer

FORMATS = ("txt", "docx", "pdf-libreoffice", "pdf-chromium", "scan")


def specimen(fmt: str, body: str, lang: str, seed: int, cache: dict[str, bytes]) -> tuple[bytes, str]:
    """The file of one format, and the name it is read under."""
    from accord.bench import specimens

    if fmt == "txt":
        return body.encode("utf-8"), "agreement.txt"
    if "docx" not in cache:
        cache["docx"] = specimens.to_docx(body)
    if fmt == "docx":
        return cache["docx"], "agreement.docx"
    if fmt in ("pdf-libreoffice", "scan") and "pdf-libreoffice" not in cache:
        cache["pdf-libreoffice"] = specimens.print_libreoffice(cache["docx"])
    if fmt == "pdf-libreoffice":
        return cache["pdf-libreoffice"], "agreement.pdf"
    if fmt == "pdf-chromium":
        return specimens.print_chromium(specimens.to_html(body, lang)), "agreement.pdf"
    pages = specimens.scan(cache["pdf-libreoffice"], dpi=150, seed=seed)
    return specimens.images_to_pdf(pages, 150), "scan.pdf"


def run_bench(
    directories: list[Path],
    formats: list[str],
    *,
    ocr_engine: str = "rapidocr",
    limit: int | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Read every labelled text in each format and score extraction on it; figures per format and language."""
    from accord.bench.reanchor import reanchor
    from accord.intake import IntakeError, ReadOptions, extract, read_document
    from accord.intake.corpus import load_corpus
    from accord.intake.scoring import Counts, score_document, summarize

    docs = [doc for directory in directories for doc in load_corpus(directory)]
    docs = docs[:limit] if limit else docs
    totals = {f: Counts() for f in formats}
    by_lang: dict[str, dict[str, Counts]] = {f: {} for f in formats}
    failures: dict[str, list[str]] = {f: [] for f in formats}
    seconds = dict.fromkeys(formats, 0.0)
    options = ReadOptions(ocr_engine=ocr_engine, convert=True)
    started = time.perf_counter()
    load_before = os.getloadavg()

    def one(name: str, lang: str, body: str, gold: dict[str, Any]) -> None:
        cache: dict[str, bytes] = {}
        seed = zlib.crc32(name.encode())
        for fmt in formats:
            began = time.perf_counter()
            try:
                data, filename = specimen(fmt, body, lang, seed, cache)
                read = read_document(data, filename, options=options)
            except IntakeError as error:
                failures[fmt].append(f"{name}: {error.code}")
                continue
            seconds[fmt] += time.perf_counter() - began
            moved = reanchor(gold, body, read.text)
            result = extract(read.text, lang=lang)
            counts = score_document(result, moved, len(read.text.encode("utf-8")), 0.0)
            totals[fmt] = totals[fmt] + counts
            by_lang[fmt][lang] = by_lang[fmt].get(lang, Counts()) + counts

    if progress:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("printing, scanning and reading", total=len(docs))
            for doc in docs:
                one(doc.name, doc.lang, doc.body, doc.gold)
                bar.advance(task)
    else:
        for doc in docs:
            one(doc.name, doc.lang, doc.body, doc.gold)

    def figures(c: Counts) -> dict[str, float]:
        summary = summarize(c)
        return {k: round(v, 4) for k, v in summary.items() if k.startswith(("commitment", "clause"))}

    results: dict[str, Any] = {
        "documents": len(docs),
        "ocr_engine": ocr_engine,
        "formats": {
            f: {
                **figures(totals[f]),
                "by_lang": {lang: figures(c) for lang, c in sorted(by_lang[f].items())},
                "failed": failures[f],
                "seconds": round(seconds[f], 1),
            }
            for f in formats
        },
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    if "txt" in formats:
        base = results["formats"]["txt"]["commitment_f1"]
        for f in formats:
            results["formats"][f]["commitment_f1_minus_txt"] = round(
                results["formats"][f]["commitment_f1"] - base, 4
            )
    return results


def register(app: typer.Typer) -> None:
    """Add ``formats`` to the ``accord bench`` group."""

    @app.command("formats")
    def bench_formats(
        directories: Annotated[
            list[Path], typer.Argument(help="Folders with texts/ and gold/ (not the locked split).")
        ],
        formats: Annotated[str, typer.Option(help="Formats, comma-separated.")] = ",".join(FORMATS),
        ocr_engine: Annotated[str, typer.Option(help="OCR engine for the scans.")] = "rapidocr",
        limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Commitment F1 of the same agreements read from TXT, DOCX, LibreOffice/Chromium PDFs and a 150 dpi scan."""
        for directory in directories:
            if "locked" in directory.resolve().parts:
                raise typer.BadParameter(f"{directory} is the locked split; its errors are not to be read")
            if not (directory / "texts").is_dir() or not (directory / "gold").is_dir():
                raise typer.BadParameter(f"{directory} must contain texts/ and gold/")
        chosen = [f.strip() for f in formats.split(",") if f.strip()]
        unknown = [f for f in chosen if f not in FORMATS]
        if unknown:
            raise typer.BadParameter(f"unknown format(s): {', '.join(unknown)} (known: {', '.join(FORMATS)})")
        results = run_bench(
            list(directories), chosen, ocr_engine=ocr_engine, limit=limit, progress=not as_json
        )
        if as_json:
            typer.echo(json.dumps(results, ensure_ascii=False, sort_keys=True))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"The same {results['documents']} agreements in each format")
        for column in (
            "format",
            "scope",
            "commitment P",
            "commitment R",
            "commitment F1",
            "Δ F1 vs txt",
            "clause F1",
        ):
            table.add_column(column, justify="right" if column != "format" else "left")
        for fmt, f in results["formats"].items():
            for scope, g in [("all", f), *f["by_lang"].items()]:
                delta = f.get("commitment_f1_minus_txt") if scope == "all" else None
                table.add_row(
                    fmt,
                    scope,
                    f"{g['commitment_precision']:.3f}",
                    f"{g['commitment_recall']:.3f}",
                    f"{g['commitment_f1']:.3f}",
                    "" if delta is None else f"{delta:+.3f}",
                    f"{g['clause_f1']:.3f}",
                )
        console = Console()
        console.print(table)
        for fmt, f in results["formats"].items():
            if f["failed"]:
                console.print(f"{fmt}: could not read {len(f['failed'])}: {', '.join(f['failed'][:5])}")
        console.print(
            f"load average before {results['load_average_before']}, after {results['load_average_after']}"
        )
