"""``extract``: the whole pipeline from normalised text to clauses, parties and commitments."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from .clauses import find_body_start, heading_clauses, split_clauses
from .commitments import Candidate, find_candidates
from .commitments.english import name_aliases
from .commitments.shared import build_commitment
from .ideographs import unify_ideographs
from .learned import ExtractionModel, select, shipped_model
from .meta import detect_lang, find_parties, find_signed_on, find_term
from .model import Clause, Commitment, Extraction, Party
from .party_choice import PartyChooser, choose_parties


@dataclass(frozen=True)
class Analysis:
    """Everything ``extract`` finds before deciding on commitments (also what the model trains on)."""

    text: str  # ideographs unified; same offsets as the original
    lang: str
    parties: list[Party]
    labels: list[str]  # party labels and extra subject labels
    clauses: list[Clause]
    fallback: bool
    candidates: list[Candidate]


def analyse(text: str, lang: str | None = None) -> Analysis:
    """Language, parties, clauses and candidate commitments of ``text``."""
    # Radicals and compatibility ideographs (⼄⽅ for 乙方) read as the characters they stand for; the
    # mapping keeps every offset, and what is quoted is cut from the original text in ``extract``.
    text = unify_ideographs(text)
    code = (lang or "").lower()[:2]
    language = code if code in ("zh", "en") else detect_lang(text)
    parties, extra = find_parties(text, language)
    labels = [p.label for p in parties] + extra
    names = list(name_aliases([(p.label, p.name) for p in parties])) if language == "en" else []
    clauses = split_clauses(text, labels + names)
    fallback = False
    if not clauses:
        clauses = heading_clauses(text)
    if not clauses:
        clauses = paragraph_clauses(text)
        fallback = True
    clauses = _fingerprinted(text, clauses)
    candidates = find_candidates(text, language, clauses, parties, extra)
    return Analysis(text, language, parties, labels, clauses, fallback, candidates)


def extract(
    text: str,
    lang: str | None = None,
    signed_on: date | None = None,
    *,
    mode: str | None = None,
    model: ExtractionModel | None = None,
) -> Extraction:
    """Split ``text`` into clauses and find parties, signing date, term and commitments.

    ``lang`` ("zh" or "en") is detected when omitted; ``signed_on`` overrides the date found in the
    text and is used to resolve deadlines relative to signing. ``mode`` chooses who decides on the
    commitments: ``rules``, ``model`` (the classifier alone) or ``combined`` (the classifier with the
    rules' verdict as a feature); by default the mode the model file records for the language, with
    ``model`` defaulting to the one that ships in the package (rules only when there is none). A mode
    ending in ``+parties`` first lets the learned party chooser revise the candidates' parties.
    """
    found = analyse(text, lang)
    return decide(found, text, signed_on, mode=mode, model=model)


def decide(
    found: Analysis,
    original: str,
    signed_on: date | None = None,
    *,
    mode: str | None = None,
    model: ExtractionModel | None = None,
) -> Extraction:
    """The extraction of an analysed text, with commitments chosen by ``mode`` (see ``extract``)."""
    text, language = found.text, found.lang
    clauses = found.clauses
    if text != original:
        clauses = [_as_written(original, text, c) for c in clauses]
    found_date = find_signed_on(text, language)
    effective = signed_on or found_date
    if model is None and mode != "rules":
        model = shipped_model()
    chosen_mode = mode or (model.use(language) if model is not None else "rules")
    parties_by = chosen_mode.partition("+")[2]
    candidates = found.candidates
    if parties_by == "parties" and model is not None:
        data = model.languages.get(language, {}).get("parties")
        chooser = PartyChooser.from_json(data) if data else None
        candidates = choose_parties(text, language, candidates, found.parties, found.labels, chooser)
    kept = select(text, language, candidates, set(found.labels), chosen_mode, model)
    commitments = [build_commitment(text, language, c.unit, c.clause, effective) for c in kept]
    if text != original:
        commitments = [
            replace(c, quote=original[c.quote_start : c.quote_end], due=_as_written_due(c, text, original))
            for c in commitments
        ]
    return Extraction(
        lang=language,
        clauses=clauses,
        parties=found.parties,
        signed_on=found_date if signed_on is None else signed_on,
        term=find_term(text, language),
        commitments=commitments,
        fallback_paragraphs=found.fallback,
    )


def _as_written_due(commitment: Commitment, text: str, original: str) -> str | None:
    """A relative due cut from the quote is given as the original writes it (丙⽅在学期间, not 丙方)."""
    due = commitment.due
    if not due:
        return due
    at = text.find(due, commitment.quote_start, commitment.quote_end)
    return original[at : at + len(due)] if at >= 0 else due


def paragraph_clauses(text: str) -> list[Clause]:
    """Unnumbered documents: each non-empty paragraph after the preamble becomes a clause."""
    start = find_body_start(text)
    out: list[Clause] = []
    sep = r"\n\s*\n" if re.search(r"\n\s*\n", text[start:]) else r"\n"
    pos = start
    for m in re.finditer(rf"{sep}|$", text[start:]):
        end = start + m.start()
        chunk = text[pos:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append(
                Clause(number=None, heading=None, level=1, path=f"¶{len(out) + 1}", start=pos + lead, end=end)
            )
        pos = start + m.end()
        if m.end() == m.start() and m.start() == len(text) - start:
            break
    return out


def _as_written(original: str, mapped: str, clause: Clause) -> Clause:
    """The clause's number and heading as the original text writes them (same offsets)."""
    number = original[clause.start : clause.start + len(clause.number)] if clause.number else None
    heading = clause.heading
    if heading:
        at = mapped.find(heading, clause.start, clause.end)
        if at >= 0:
            heading = original[at : at + len(heading)]
    return replace(clause, number=number, heading=heading)


_SPACE = re.compile(r"\s+")


def _fingerprinted(text: str, clauses: list[Clause]) -> list[Clause]:
    out = []
    normalize, sha1, space = unicodedata.normalize, hashlib.sha1, _SPACE.sub
    for i, clause in enumerate(clauses):
        own_end = clauses[i + 1].start if i + 1 < len(clauses) else clause.end
        own_end = min(own_end, clause.end) if clause.end > clause.start else own_end
        norm = space("", normalize("NFKC", text[clause.start : own_end]))
        # Built directly rather than with dataclasses.replace: this runs once per clause.
        out.append(
            Clause(
                clause.number,
                clause.heading,
                clause.level,
                clause.path,
                clause.start,
                clause.end,
                sha1(norm.encode("utf-8")).hexdigest()[:16],
            )
        )
    return out
