"""``accord bench ocr DIR``: character error rate and speed of OCR on scans of known texts.

Every text of DIR (``texts/*.txt`` with a header, like ../shared/agreements and data/agreements/dev)
is printed to A4 PDF (WeasyPrint), scanned at 150 dpi with a scanner's faults (skew of 0.4–1.6°,
blur, uneven paper, noise, JPEG compression; reproducible from the file name), saved as an image-only
PDF, and read back through Accord's reader with each engine in turn, in the same run. The character
error rate is the edit distance between what was read and the text, over the text's length, both
compared after NFKC (full- and half-width forms alike) with all white space and fill-in blanks
(``____``, printed as rules) removed. The error rate *with spaces* keeps one space wherever the
text has white space, so words run together count (one edit per missing space). Seconds per
page are the recognition time (deskew, detection, recognition) of the reader's OCR step, as wall-clock
time; CPU seconds per page are the processor time of the whole reading (rendering the page included)
used by Accord's process and the programs it ran (tesseract), which a busy machine does not inflate.
"""

from __future__ import annotations

import json
import os
import resource
import time
import unicodedata
import zlib
from pathlib import Path
from typing import Annotated, Any

import typer


def comparable(text: str) -> str:
    """Text as compared for the error rate: NFKC, no white space, no fill-in blanks.

    Blanks (``____``) print as a rule, not as characters a reader could count, so they are left out
    of both sides.
    """
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("_", "")


def character_error_rate(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edits, reference length) between two texts as :func:`comparable` makes them."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = comparable(reference), comparable(hypothesis)
    return Levenshtein.distance(ref, hyp), len(ref)


def spaced(text: str) -> str:
    """Text as compared for the error rate with spaces: NFKC, no fill-in blanks, white space as one space.

    The plain error rate leaves white space out, which hides words run together
    (``StateUniversity``); this one counts a missing or extra space between words as an error.
    """
    return " ".join(unicodedata.normalize("NFKC", text).replace("_", " ").split())


def spaced_error_rate(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edits, reference length) between two texts as :func:`spaced` makes them."""
    from rapidfuzz.distance import Levenshtein

    ref, hyp = spaced(reference), spaced(hypothesis)
    return Levenshtein.distance(ref, hyp), len(ref)


def cpu_seconds() -> float:
    """Processor time used so far by this process and by the child processes it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_bench(
    directory: Path, engines: list[str], *, dpi: int = 150, limit: int | None = None, progress: bool = True
) -> dict[str, Any]:
    """Scan every text of ``directory`` and read it back with each engine; overall and per-language figures."""
    from accord.bench import specimens
    from accord.intake import IntakeError, ReadOptions, read_document
    from accord.intake.corpus import load_corpus

    samples = load_corpus(directory)[:limit] if limit else load_corpus(directory)
    load_before = os.getloadavg()
    tallies: dict[str, dict[str, Any]] = {
        e: {
            "edits": 0,
            "chars": 0,
            "spaced_edits": 0,
            "spaced_chars": 0,
            "pages": 0,
            "seconds": 0.0,
            "cpu": 0.0,
            "by_lang": {},
            "failed": 0,
        }
        for e in engines
    }
    documents: list[dict[str, Any]] = []

    def one(name: str, lang: str, body: str) -> None:
        seed = zlib.crc32(name.encode())
        pdf = specimens.images_to_pdf(
            specimens.scan(specimens.print_weasyprint(body, lang), dpi=dpi, seed=seed), dpi
        )
        row: dict[str, Any] = {"document": name, "lang": lang}
        for engine in engines:
            tally = tallies[engine]
            cpu_before = cpu_seconds()
            try:
                read = read_document(pdf, "scan.pdf", options=ReadOptions(ocr_engine=engine))
            except IntakeError as error:
                tally["failed"] += 1
                row[engine] = {"error": error.code}
                continue
            cpu = cpu_seconds() - cpu_before
            assert read.ocr is not None
            edits, chars = character_error_rate(body, read.text)
            spaced_edits, spaced_chars = spaced_error_rate(body, read.text)
            pages = len(read.ocr.pages)
            tally["edits"] += edits
            tally["chars"] += chars
            tally["spaced_edits"] += spaced_edits
            tally["spaced_chars"] += spaced_chars
            tally["pages"] += pages
            tally["seconds"] += read.ocr.seconds
            tally["cpu"] += cpu
            by_lang = tally["by_lang"].setdefault(
                lang,
                {
                    "edits": 0,
                    "chars": 0,
                    "spaced_edits": 0,
                    "spaced_chars": 0,
                    "pages": 0,
                    "seconds": 0.0,
                    "cpu": 0.0,
                },
            )
            by_lang["edits"] += edits
            by_lang["chars"] += chars
            by_lang["spaced_edits"] += spaced_edits
            by_lang["spaced_chars"] += spaced_chars
            by_lang["pages"] += pages
            by_lang["seconds"] += read.ocr.seconds
            by_lang["cpu"] += cpu
            row[engine] = {
                "cpu_seconds": round(cpu, 2),
                "cer": round(edits / max(1, chars), 4),
                "cer_with_spaces": round(spaced_edits / max(1, spaced_chars), 4),
                "pages": pages,
                "seconds": read.ocr.seconds,
            }
        documents.append(row)

    started = time.perf_counter()
    if progress:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("scanning and reading", total=len(samples))
            for doc in samples:
                one(doc.name, doc.lang, doc.body)
                bar.advance(task)
    else:
        for doc in samples:
            one(doc.name, doc.lang, doc.body)

    def figures(t: dict[str, Any]) -> dict[str, Any]:
        return {
            "cer": round(t["edits"] / max(1, t["chars"]), 4),
            "cer_with_spaces": round(t["spaced_edits"] / max(1, t["spaced_chars"]), 4),
            "characters": t["chars"],
            "pages": t["pages"],
            "seconds_per_page": round(t["seconds"] / max(1, t["pages"]), 2),
            "cpu_seconds_per_page": round(t["cpu"] / max(1, t["pages"]), 2),
        }

    return {
        "documents": len(samples),
        "dpi": dpi,
        "engines": {
            e: {
                **figures(t),
                "failed": t["failed"],
                "by_lang": {k: figures(v) for k, v in sorted(t["by_lang"].items())},
            }
            for e, t in tallies.items()
        },
        "per_document": documents,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }


def register(app: typer.Typer) -> None:
    """Add ``ocr`` to the ``accord bench`` group."""

    @app.command("ocr")
    def bench_ocr(
        directory: Annotated[Path, typer.Argument(help="Folder with texts/ (like shared/agreements).")],
        engines: Annotated[
            str, typer.Option(help="Engines to compare, comma-separated.")
        ] = "rapidocr,tesseract",
        dpi: Annotated[int, typer.Option(help="Scan resolution.")] = 150,
        limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Character error rate and seconds per page of OCR on scans of known texts, engine beside engine."""
        if not (directory / "texts").is_dir():
            raise typer.BadParameter(f"{directory} must contain texts/")
        chosen = [e.strip() for e in engines.split(",") if e.strip()]
        from accord.intake.ocr import ENGINES

        unknown = [e for e in chosen if e not in ENGINES]
        if unknown:
            raise typer.BadParameter(f"unknown engine(s): {', '.join(unknown)} (known: {', '.join(ENGINES)})")
        results = run_bench(directory, chosen, dpi=dpi, limit=limit, progress=not as_json)
        if "locked" in directory.resolve().parts:
            results.pop("per_document")  # the locked split: totals only
        if as_json:
            typer.echo(json.dumps(results, ensure_ascii=False, sort_keys=True))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"OCR at {dpi} dpi ({results['documents']} documents)")
        table.add_column("engine")
        for column in ("scope", "pages", "characters", "CER", "CER with spaces", "s/page", "CPU s/page"):
            table.add_column(column, justify="right")
        for engine, figures in results["engines"].items():
            rows = [("all", figures), *figures["by_lang"].items()]
            for scope, f in rows:
                table.add_row(
                    engine,
                    scope,
                    str(f["pages"]),
                    str(f["characters"]),
                    f"{f['cer']:.2%}",
                    f"{f['cer_with_spaces']:.2%}",
                    f"{f['seconds_per_page']:.1f}",
                    f"{f['cpu_seconds_per_page']:.1f}",
                )
        console = Console()
        console.print(table)
        console.print(
            f"load average before {results['load_average_before']}, after {results['load_average_after']} "
            f"on {results['cpus']} CPUs; {results['wall_seconds']} s in all"
        )
