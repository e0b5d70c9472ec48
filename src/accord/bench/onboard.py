"""``accord bench onboard DIR...``: onboarding measured on labelled agreements (texts/ + gold/).

- **Parties**: a registry is seeded with every other organisation the gold labels name (chosen by a
  hash of the name, so the choice is fixed and independent of the system), each under its name as
  labelled or, for every second one, as a clerk would type it (case and legal form changed), beside the
  demo registry's organisations. Each agreement's text is read and its parties resolved; a party whose
  organisation was seeded must be linked to it (precision and recall), one whose organisation was not
  must be proposed as new, with the kind labelled in ``data/onboarding/party_kinds.tsv``. The same is
  measured with the gold names as queries (the resolver alone, without party finding).
- **Signing date and term** against the gold ``signed_on`` and ``term``.
- **Duplicates**: every text is added as a known agreement; then a format twin of each (its DOCX, or
  the published PDF kept in ``originals/``) and a revised version (numbers changed, a paragraph dropped,
  a sentence added) must be found as copies of their own agreement and nothing else.
- **Speed**: 100 files (DOCX, PDF and TXT made from the texts) onboarded through the real batch, both
  jobs, into a fresh SQLite database; files per minute.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer

KINDS_FILE = Path(__file__).resolve().parents[3] / "data" / "onboarding" / "party_kinds.tsv"
_MASKED = re.compile(r"[_＿]{2,}|X{3,}|x{3,}|\$\{|^\(|^(foreign|funded)\b")


def _clean(name: str) -> str:
    """A gold name without the labeller's note: "武汉理工大学教育发展基金会 (受赠方)" → the name."""
    return re.sub(r"\s+\([^()]*\)\s*$", "", name or "").strip()


def _real(name: str) -> bool:
    return bool(name) and not _MASKED.search(name)


def _seeded(name: str) -> bool:
    return hashlib.sha256(name.encode("utf-8")).digest()[0] % 2 == 0


def _clerk(name: str) -> str:
    """How a clerk might have typed an English name into the registry: legal form and case changed."""
    if re.search(r"[\u4e00-\u9fff]", name):
        return name
    short = re.sub(
        r",?\s+(Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Co\., Ltd\.|Corporation|Corp\.|GmbH|AB|B\.V\.|S\.R\.L\.)\.*$",
        "",
        name,
    )
    return short.upper() if short != name else name.lower()


def _kinds() -> dict[str, str]:
    out = {}
    if KINDS_FILE.exists():
        for line in KINDS_FILE.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and "\t" in line:
                name, kind = line.rsplit("\t", 1)
                out[name.strip()] = kind.strip()
    return out


def _docs(directories: list[Path]) -> list[Any]:
    from accord.intake.corpus import load_corpus

    docs = []
    for directory in directories:
        found = (
            [directory]
            if (directory / "texts").is_dir()
            else [p for p in sorted(directory.iterdir()) if (p / "texts").is_dir()]
        )
        if not found:
            raise typer.BadParameter(
                f"{directory} holds no texts/ and gold/ (nor folders that do)", param_hint="DIR"
            )
        for folder in found:
            for doc in load_corpus(folder):
                original = (
                    next((folder / "originals").glob(Path(doc.name).stem + ".*"), None)
                    if (folder / "originals").is_dir()
                    else None
                )
                docs.append((doc, original))
    return docs


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def _registry(docs: list[Any]) -> tuple[Any, dict[str, int]]:
    from accord.intake.resolve import RegistryIndex, RegistryOrg, guess_kind

    ids: dict[str, int] = {}
    orgs = []
    # Distractors: the demo registry's organisations.
    for n, name in enumerate(
        [
            "重庆大学",
            "重庆市万州区人民政府",
            "重庆大学附属三峡医院",
            "万州区规划设计研究院",
            "万州区科学技术局",
            "重庆大有设计集团",
        ]
    ):
        orgs.append(RegistryOrg(900_000 + n, name_zh=name, kind=guess_kind(name)))
    for doc, _original in docs:
        for party in doc.gold.get("parties", []):
            name = _clean(party.get("name") or "")
            if not _real(name) or name in ids or not _seeded(name):
                continue
            ids[name] = len(ids) + 1
            typed = _clerk(name) if ids[name] % 2 == 0 else name
            zh = bool(re.search(r"[\u4e00-\u9fff]", typed))
            orgs.append(RegistryOrg(ids[name], name_zh=typed if zh else None, name_en=None if zh else typed))
    return RegistryIndex.build(orgs), ids


def _norm_label(label: str) -> str:
    return re.sub(r"[\s“”\"']", "", label or "").lower()


def party_figures(docs: list[Any]) -> dict[str, Any]:
    from accord.intake.resolve import resolve_all
    from accord.services.onboarding import analyse_document

    index, ids = _registry(docs)
    kinds = _kinds()
    counts: dict[str, Counter[str]] = {"text": Counter(), "gold_names": Counter()}
    kind_counts: dict[str, Counter[str]] = {"text": Counter(), "gold_names": Counter()}
    unlabelled: set[str] = set()
    signed: Counter[str] = Counter()
    term: Counter[str] = Counter()
    for doc, _original in docs:
        proposal, _fp = analyse_document(doc.body.encode("utf-8"), doc.name, index, max_bytes=50_000_000)
        gold_parties = [p for p in doc.gold.get("parties", [])]
        by_label = {_norm_label(p["label"]): p for p in proposal["parties"]}
        found = []
        for position, gold in enumerate(gold_parties):
            predicted = by_label.get(_norm_label(gold.get("label", "")))
            if predicted is None and position < len(proposal["parties"]):
                predicted = proposal["parties"][position]
            found.append(predicted)
        names = [_clean(g.get("name") or "") for g in gold_parties]
        direct = resolve_all(names, index)
        for mode, predictions in (
            ("text", found),
            (
                "gold_names",
                [
                    {"organisation_id": r.organisation_id, "reason": r.reason, "new_kind": r.new_kind}
                    for r in direct
                ],
            ),
        ):
            for name, predicted in zip(names, predictions, strict=True):
                if not _real(name):
                    continue
                expected = ids.get(name)
                got = (predicted or {}).get("organisation_id")
                if expected is not None:
                    counts[mode]["tp" if got == expected else "fn"] += 1
                    if got is not None and got != expected:
                        counts[mode]["fp"] += 1
                else:
                    if got is not None:
                        counts[mode]["fp"] += 1
                    label = kinds.get(name)
                    if label is None:
                        unlabelled.add(name)
                        continue
                    new = (predicted or {}).get("reason") in ("new", "new_unit")
                    kind_counts[mode]["total"] += 1
                    kind_counts[mode]["proposed_new"] += new
                    kind_counts[mode]["correct"] += new and (predicted or {}).get("new_kind") == label
        gold_date = doc.gold.get("signed_on")
        signed["total"] += 1
        signed["correct"] += (proposal["signed_on"] or None) == (gold_date or None)
        term["total"] += 1
        term["correct"] += _same_term(proposal["term"], doc.gold.get("term"))
    out: dict[str, Any] = {}
    for mode in counts:
        c = counts[mode]
        out[f"parties_{mode}"] = _prf(c["tp"], c["fp"], c["fn"])
        k = kind_counts[mode]
        out[f"new_organisations_{mode}"] = {
            "labelled": k["total"],
            "proposed_new": k["proposed_new"],
            "type_accuracy": round(k["correct"] / k["total"], 3) if k["total"] else None,
        }
    out["signed_on_accuracy"] = round(signed["correct"] / signed["total"], 3) if signed["total"] else None
    out["term_accuracy"] = round(term["correct"] / term["total"], 3) if term["total"] else None
    out["seeded_organisations"] = len(ids)
    out["unlabelled_new_organisations"] = sorted(unlabelled)
    return out


_DURATION = re.compile(
    r"(\d+|[一二三四五六七八九十两壹贰叁肆伍陆柒捌玖拾]+|[a-z]+(?:-[a-z]+)?)\s*(?:\(\d+\)\s*)?(个月|年|月|years?|months?)\b",
    re.I,
)
#: A labeller's note after the term: "2016年月日至2016年月日 (day/month blank)".
_NOTE = re.compile(r"\s+\([a-z][^()]*\)\s*$")


def _durations(text: str | None) -> set[tuple[int, str]]:
    from accord.intake.numerals import any_to_int

    out = set()
    for m in _DURATION.finditer(text or ""):
        n = any_to_int(m.group(1))
        unit = "y" if m.group(2).lower().startswith(("年", "year")) else "m"
        if n is not None:
            out.add((n * 12, "m") if unit == "y" else (n, "m"))
    return out


def _term_dates(text: str) -> set[Any]:
    from accord.intake.dates import find_dates

    return {value for _start, _end, value in find_dates(text) if value is not None}


def _same_term(found: str | None, gold: str | None) -> bool:
    """Same duration, same dates (a term given by its first and last day, in any wording), or the
    proposal is the gold's wording, in part."""
    gold = _NOTE.sub("", gold or "")
    if not gold:
        return not found
    if not found:
        return False
    if _durations(found) & _durations(gold):
        return True
    dates = _term_dates(found)
    if dates and dates <= _term_dates(gold):
        return True
    return re.sub(r"\W", "", found) in re.sub(r"\W", "", gold)


def _revise(text: str, seed: str) -> str:
    """A revised version: some numbers changed, one paragraph dropped, one sentence added."""
    rng = random.Random(seed)
    lines = text.split("\n")
    body = [i for i, line in enumerate(lines) if len(line) > 20]
    if len(body) > 6:
        lines.pop(rng.choice(body[len(body) // 3 :]))
    out = []
    for line in lines:
        if rng.random() < 0.2:
            line = re.sub(r"\d+", lambda m: str(int(m.group(0)) + 1), line)
        out.append(line)
    zh = bool(re.search(r"[\u4e00-\u9fff]", text))
    out.insert(
        len(out) // 2,
        "双方同意每季度召开一次工作会议，通报合作进展。"
        if zh
        else "The Parties shall meet every quarter to review progress.",
    )
    return "\n".join(out)


def _docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(text: str) -> bytes:
    from html import escape

    from weasyprint import HTML

    body = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())
    return bytes(
        HTML(string=f"<html><body style='font-family: \"Noto Sans CJK SC\"'>{body}</body></html>").write_pdf()
    )


def duplicate_figures(docs: list[Any]) -> dict[str, Any]:
    from accord.intake import extract, read_document
    from accord.intake.dedupe import DuplicateFinder, Fingerprint, numbers, signature, text_hash
    from accord.intake.meta import find_title

    def fingerprint(key: str, text: str, sha: str) -> Fingerprint:
        parties = tuple(p.name for p in extract(text).parties if p.name)
        title = find_title(text) or ""
        return Fingerprint(key, sha, text_hash(text), tuple(signature(text)), parties, title, numbers(text))

    finder = DuplicateFinder()
    tp = fp = fn = 0
    kinds: Counter[str] = Counter()
    for n, (doc, _original) in enumerate(docs):
        print_ = fingerprint(f"doc:{n}", doc.body, hashlib.sha256(doc.body.encode()).hexdigest())
        if finder.check(print_) is not None:
            fp += 1  # a different agreement taken for a copy
        finder.add(print_)
    for n, (doc, original) in enumerate(docs):
        if original is not None and original.suffix == ".pdf":
            data, name, expected = original.read_bytes(), original.name, "same_text"
        else:
            data, name, expected = _docx(doc.body), "twin.docx", "same_text"
        for variant_data, variant_name, variant_kind in (
            (data, name, expected),
            (_revise(doc.body, doc.name).encode("utf-8"), "revised.txt", "revised"),
        ):
            try:
                text = read_document(variant_data, variant_name).text
            except Exception:
                fn += 1
                continue
            verdict = finder.check(
                fingerprint(f"variant:{n}", text, hashlib.sha256(variant_data).hexdigest())
            )
            if verdict is None:
                fn += 1
            elif verdict.other == f"doc:{n}":
                tp += 1
                kinds["kind_correct"] += verdict.kind == variant_kind
            else:
                fp += 1
                fn += 1
            kinds["pairs"] += 1
    figures: dict[str, Any] = dict(_prf(tp, fp, fn))
    figures["kind_accuracy"] = round(kinds["kind_correct"] / tp, 3) if tp else None
    figures["variants"] = kinds["pairs"]
    return figures


def _waits(decision: dict[str, Any]) -> str:
    """Why a file read but not created waits for a person."""
    parties = decision.get("parties") or []
    unchosen = [p for p in parties if not (p.get("organisation_id") or p.get("new_name"))]
    if any(p.get("blank") for p in unchosen):
        return "a party left blank by the text"
    if unchosen:
        return "a party fitting several organisations, or none surely"
    return "fewer than two parties" if len(parties) < 2 else "other"


def speed_figures(docs: list[Any], files: int = 100) -> dict[str, Any]:
    from accord.config import Settings
    from accord.db import migrate
    from accord.db.session import make_engine, make_sessionmaker
    from accord.demo import wanzhou
    from accord.models import ItemState
    from accord.services import jobs, onboarding, onboarding_confirm
    from accord.services.permissions import SYSTEM

    uploads = []
    for n in range(files):
        doc, _original = docs[n % len(docs)]
        body = doc.body + ("" if n < len(docs) else f"\n\n{n}")
        kind = n % 3
        if kind == 0:
            uploads.append(onboarding.Upload(f"{n:03d}.docx", _docx(body)))
        elif kind == 1:
            uploads.append(onboarding.Upload(f"{n:03d}.pdf", _pdf(body)))
        else:
            uploads.append(onboarding.Upload(f"{n:03d}.txt", body.encode("utf-8")))
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url="", secret_key="bench", job_runner="thread")
        migrate.upgrade(settings.resolved_database_url)
        engine = make_engine(settings.resolved_database_url)
        factory = make_sessionmaker(engine)
        with factory() as session:
            ids = wanzhou.load(session, settings.files_dir)
            session.commit()
        started = time.perf_counter()
        with factory() as session:
            batch, job = onboarding.create_batch(
                session, SYSTEM, ids["cqu"], uploads, ledger_upload=None,
                files_dir=settings.files_dir, max_bytes=settings.upload_max_bytes,
            )  # fmt: skip
            session.commit()
            batch_id, job_id = batch.id, job.id
        jobs.run(factory, settings, job_id)
        read_done = time.perf_counter()
        with factory() as session:
            confirm = onboarding_confirm.confirm(session, SYSTEM, batch_id)
            session.commit()
            confirm_id = confirm.id
        jobs.run(factory, settings, confirm_id)
        finished = time.perf_counter()
        with factory() as session:
            batch_row = onboarding.get_batch(session, SYSTEM, batch_id)
            states = Counter(i.state.value for i in batch_row.items)
            waiting = Counter(_waits(i.decision) for i in batch_row.items if i.state == ItemState.READ)
            created = sum(1 for i in batch_row.items if i.state == ItemState.CREATED)
        engine.dispose()
    total = finished - started
    return {
        "files": files,
        "seconds": round(total, 1),
        "reading_seconds": round(read_done - started, 1),
        "creating_seconds": round(finished - read_done, 1),
        "files_per_minute": round(files / total * 60, 1),
        "items": dict(states),
        "created": created,
        "waiting": dict(waiting),
    }


def register(app: typer.Typer) -> None:
    """Add ``onboard`` to the ``accord bench`` group."""

    @app.command("onboard")
    def bench_onboard(
        directories: Annotated[
            list[Path],
            typer.Argument(help="Labelled folders (texts/ + gold/), or folders of them (dev/, locked/)."),
        ],
        files: Annotated[
            int, typer.Option("--files", help="Files to onboard for the speed figure.", min=1, max=1000)
        ] = 100,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Measure party resolution, new-organisation kinds, dates, terms, duplicate detection and speed."""
        docs = _docs(directories)
        figures: dict[str, Any] = {"documents": len(docs)}
        figures.update(party_figures(docs))
        figures["duplicates"] = duplicate_figures(docs)
        figures["speed"] = speed_figures(docs, files)
        if as_json:
            typer.echo(json.dumps(figures, ensure_ascii=False, sort_keys=True))
            return
        typer.echo(json.dumps(figures, ensure_ascii=False, indent=2, sort_keys=True))
