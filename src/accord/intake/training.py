"""Training and cross-validating the learned component (scikit-learn, imported only here).

A candidate is a positive example when the commitment built from it would be counted right: its span
overlaps a gold commitment by at least half of the shorter span (the scorer's rule) and names the same
party. Logistic regression (liblinear, L2) fits the weights; they are exported as plain numbers
(:class:`accord.intake.learned.LinearModel`), so the engine never loads scikit-learn.

The regularisation strength and the probability threshold are chosen inside the training documents
only, by an inner cross-validation over them (documents dealt into ``INNER_FOLDS`` folds): each setting's
out-of-fold probabilities are turned into commitments and scored as the bench scores them, and the
setting with the best commitment F1 is refit on all the training documents. Run inside
:func:`cross_validate`, this is nested cross-validation: no setting ever sees its outer test fold.
Everything is deterministic: documents in name order, folds dealt round-robin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from .commitments.shared import build_commitment
from .corpus import Document, folds_of
from .extract import Analysis, analyse, decide
from .learned import MODES, ExtractionModel, LinearModel, features
from .meta import find_signed_on
from .model import Commitment, Extraction
from .party_choice import PartyChooser, choose_parties, option_features
from .scoring import Counts, score_document, span_overlap_ok, summarize

C = 0.5  # inverse regularisation strength when there are too few documents to choose one
GRID_C = (0.1, 0.3, 1.0)  # tried by the inner cross-validation
GRID_CHOICE = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # the chooser's override thresholds (1.01: never)
GRID_FILL = (0.0, 0.2, 0.3, 0.4, 0.5, 0.7, 1.01)  # and its thresholds for filling a missing party
GRID_THRESHOLD = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65)
INNER_FOLDS = 3


@dataclass
class Prepared:
    doc: Document
    found: Analysis
    labels: list[int]  # 1 when the candidate's commitment matches a gold commitment, party included
    built: list[Commitment] = field(default_factory=list)  # the commitment of each candidate
    # the party of the gold commitment each candidate's span matches best (None: matches none)
    gold_party: list[str | None] = field(default_factory=list)
    options: list[dict[str, dict[str, float]] | None] | None = None  # the chooser's rows, once computed

    def options_of(self, i: int) -> dict[str, dict[str, float]]:
        if self.options is None:
            self.options = [None] * len(self.found.candidates)
        cached = self.options[i]
        if cached is None:
            found = self.found
            cached = option_features(found.text, found.lang, found.candidates[i], found.parties, found.labels)
            self.options[i] = cached
        return cached


def prepare(doc: Document) -> Prepared:
    return _labelled(doc, analyse(doc.body, doc.lang))


def with_parties(p: Prepared, chooser: PartyChooser) -> Prepared:
    """``p`` with the chooser's parties on its candidates, labelled again (what ``+parties`` modes see)."""
    found = p.found
    chosen = choose_parties(found.text, found.lang, found.candidates, found.parties, found.labels, chooser)
    return _labelled(p.doc, replace(found, candidates=chosen))


def _labelled(doc: Document, found: Analysis) -> Prepared:
    signed = find_signed_on(found.text, found.lang)
    built = [build_commitment(found.text, found.lang, c.unit, c.clause, signed) for c in found.candidates]
    gold = [
        (g["quote_start"], g["quote_start"] + len(g["quote"]), g.get("party"))
        for g in doc.gold.get("commitments", [])
    ]
    labels = [
        int(
            any(
                span_overlap_ok((b.quote_start, b.quote_end), (start, end)) >= 0.5 and b.party == party
                for start, end, party in gold
            )
        )
        for b in built
    ]
    gold_party: list[str | None] = []
    for b in built:
        overlaps = [
            (span_overlap_ok((b.quote_start, b.quote_end), (start, end)), party) for start, end, party in gold
        ]
        best = max(overlaps, key=lambda o: o[0], default=(0.0, None))
        gold_party.append(best[1] if best[0] >= 0.5 else None)
    return Prepared(doc, found, labels, built, gold_party)


def _rows(
    prepared: Iterable[Prepared], lang: str, *, with_rule: bool
) -> tuple[list[dict[str, float]], list[int], list[tuple[int, int]]]:
    """Feature rows, labels and (document, candidate) positions of the candidates that have a party."""
    rows: list[dict[str, float]] = []
    ys: list[int] = []
    where: list[tuple[int, int]] = []
    for n, p in enumerate(prepared):
        if p.doc.lang != lang:
            continue
        label_set = set(p.found.labels)
        for i, (candidate, y) in enumerate(zip(p.found.candidates, p.labels, strict=True)):
            if candidate.unit.party is None:
                continue  # never proposed: a commitment needs a party
            rows.append(features(p.found.text, lang, candidate, label_set, with_rule=with_rule))
            ys.append(y)
            where.append((n, i))
    return rows, ys, where


def _int32(matrix: Any) -> Any:
    # liblinear takes 32-bit sparse indices; newer SciPy builds 64-bit ones by default.
    matrix = matrix.tocsr()
    matrix.indices = matrix.indices.astype("int32")
    matrix.indptr = matrix.indptr.astype("int32")
    return matrix


def fit(
    prepared: Iterable[Prepared], lang: str, *, with_rule: bool, c: float = C, threshold: float = 0.5
) -> LinearModel | None:
    """Weights for one language (None when the training documents have no example of each class)."""
    rows, ys, _where = _rows(prepared, lang, with_rule=with_rule)
    return _fit_linear(rows, ys, c, threshold)


def _fit_linear(
    rows: list[dict[str, float]], ys: list[int], c: float, threshold: float = 0.5
) -> LinearModel | None:
    """A logistic regression over sparse features, kept as rounded weights (None without both classes)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(ys)) < 2:
        return None
    vectorizer = DictVectorizer()
    matrix = _int32(vectorizer.fit_transform(rows))
    classifier = LogisticRegression(
        C=c, solver="liblinear", fit_intercept=False, max_iter=1000, random_state=0
    )
    classifier.fit(matrix, ys)
    weights = {
        str(name): round(float(w), 5)
        for name, w in zip(vectorizer.get_feature_names_out(), classifier.coef_[0], strict=True)
        if abs(w) >= 1e-3
    }
    bias = weights.pop("bias", 0.0)
    return LinearModel(bias, weights, threshold)


def _kept_f1(
    prepared: list[Prepared], probabilities: dict[tuple[int, int], float], threshold: float
) -> float:
    total = Counts()
    for n, p in enumerate(prepared):
        kept = [b for i, b in enumerate(p.built) if probabilities.get((n, i), 0.0) >= threshold]
        extraction = Extraction(p.found.lang, p.found.clauses, p.found.parties, None, None, kept)
        total = total + score_document(extraction, p.doc.gold)
    return summarize(total)["commitment_f1"]


def tune(prepared: list[Prepared], lang: str, *, with_rule: bool) -> tuple[float, float]:
    """(C, threshold) with the best inner cross-validated commitment F1 on ``prepared`` alone."""
    docs = [p for p in prepared if p.doc.lang == lang]
    if len(docs) < 2 * INNER_FOLDS:
        return C, 0.5
    inner = folds_of([p.doc for p in docs], INNER_FOLDS)
    best: tuple[float, float, float] | None = None
    for c in GRID_C:
        probabilities: dict[tuple[int, int], float] = {}
        for k in range(INNER_FOLDS):
            train = [p for p, f in zip(docs, inner, strict=True) if f != k]
            test_at = [n for n, f in enumerate(inner) if f == k]
            linear = fit(train, lang, with_rule=with_rule, c=c)
            if linear is None:
                continue
            test = [docs[n] for n in test_at]
            rows, _ys, where = _rows(test, lang, with_rule=with_rule)
            for row, (m, i) in zip(rows, where, strict=True):
                probabilities[(test_at[m], i)] = linear.probability(row)
        for threshold in GRID_THRESHOLD:
            f1 = _kept_f1(docs, probabilities, threshold)
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, c, threshold)
    assert best is not None
    return best[1], best[2]


def _option_rows(
    prepared: Iterable[Prepared], lang: str
) -> list[tuple[tuple[int, int], list[tuple[str, dict[str, float]]], str | None, str]]:
    """Per candidate whose span matches a gold commitment: its options with features, the rules' party and
    the gold party (candidates whose gold party is not among the options are left out)."""
    out = []
    for n, p in enumerate(prepared):
        if p.doc.lang != lang:
            continue
        for i, candidate in enumerate(p.found.candidates):
            gold = p.gold_party[i]
            if gold is None:
                continue
            options = p.options_of(i)
            if gold not in options:
                continue
            out.append(((n, i), list(options.items()), candidate.unit.party, gold))
    return out


def fit_options(prepared: Iterable[Prepared], lang: str, *, c: float = C) -> LinearModel | None:
    """Per-option logistic regression: is this option the gold party of its candidate?"""
    rows: list[dict[str, float]] = []
    ys: list[int] = []
    for _at, options, _rule, gold in _option_rows(prepared, lang):
        for option, feats in options:
            rows.append(feats)
            ys.append(int(option == gold))
    return _fit_linear(rows, ys, c)


def _choice_gain(
    picks: list[tuple[str | None, str, float, str]], threshold: float, fill: float
) -> tuple[int, int]:
    """(net right overrides, net right fills) at these thresholds: right minus wrong changes."""
    override = filled = 0
    for rule, best, p, gold in picks:
        if best == rule:
            continue
        if rule is None and p >= fill:
            filled += 1 if best == gold else -1
        elif rule is not None and p >= threshold:
            override += (1 if best == gold else 0) - (1 if rule == gold else 0)
    return override, filled


def fit_chooser(prepared: list[Prepared], lang: str) -> PartyChooser | None:
    """The party chooser of ``lang``: C and both thresholds by inner cross-validation on ``prepared``."""
    docs = [p for p in prepared if p.doc.lang == lang]
    if len(docs) < 2 * INNER_FOLDS:
        return None
    inner = folds_of([p.doc for p in docs], INNER_FOLDS)
    best: tuple[int, float, float, float] | None = None
    for c in GRID_C:
        picks: list[tuple[str | None, str, float, str]] = []
        for k in range(INNER_FOLDS):
            train = [p for p, f in zip(docs, inner, strict=True) if f != k]
            test = [p for p, f in zip(docs, inner, strict=True) if f == k]
            linear = fit_options(train, lang, c=c)
            if linear is None:
                continue
            for _at, options, rule, gold in _option_rows(test, lang):
                p_best, option = max(
                    ((linear.probability(f), o) for o, f in options), key=lambda s: (s[0], s[1] == rule)
                )
                picks.append((rule, option, p_best, gold))
        for threshold in GRID_CHOICE:
            for fill in GRID_FILL:
                gain = sum(_choice_gain(picks, threshold, fill))
                # ties go to the more cautious setting (higher thresholds: fewer changes)
                key = (gain, threshold + fill)
                if best is None or key > (best[0], best[2] + best[3]):
                    best = (gain, c, threshold, fill)
    if best is None or best[0] <= 0:
        return None
    linear = fit_options(docs, lang, c=best[1])
    return PartyChooser(linear, best[2], best[3]) if linear is not None else None


def fit_model(prepared: list[Prepared], use: dict[str, str] | None = None) -> ExtractionModel:
    languages: dict[str, dict[str, Any]] = {}
    for lang in sorted({p.doc.lang for p in prepared}):
        entry: dict[str, Any] = {"use": (use or {}).get(lang, "combined")}
        chooser = fit_chooser(prepared, lang)
        if chooser is not None:
            entry["parties"] = chooser.to_json()
        # the classifiers of the +parties modes learn on the candidates as the chooser leaves them
        chosen = [with_parties(p, chooser) if p.doc.lang == lang else p for p in prepared] if chooser else []
        for mode, with_rule in (("model", False), ("combined", True)):
            for name, docs in ((mode, prepared), (f"{mode}+parties", chosen)):
                if not docs:
                    continue
                c, threshold = tune(docs, lang, with_rule=with_rule)
                linear = fit(docs, lang, with_rule=with_rule, c=c, threshold=threshold)
                if linear is not None:
                    entry[name] = {**linear.to_json(), "c": c}
        languages[lang] = entry
    return ExtractionModel(languages)


@dataclass
class Evaluation:
    """Counts per mode and language, for each fold (cross-validation) or one split (locked)."""

    folds: list[dict[str, dict[str, Counts]]] = field(default_factory=list)

    def pooled(self) -> dict[str, dict[str, Counts]]:
        out: dict[str, dict[str, Counts]] = {}
        for fold in self.folds:
            for mode, by_lang in fold.items():
                for lang, counts in by_lang.items():
                    out.setdefault(mode, {}).setdefault(lang, Counts())
                    out[mode][lang] = out[mode][lang] + counts
        return out


def score(prepared: list[Prepared], model: ExtractionModel | None) -> dict[str, dict[str, Counts]]:
    out: dict[str, dict[str, Counts]] = {}
    for mode in MODES:
        for p in prepared:
            extraction = decide(p.found, p.doc.body, mode=mode, model=model)
            counts = score_document(extraction, p.doc.gold)
            out.setdefault(mode, {}).setdefault(p.doc.lang, Counts())
            out[mode][p.doc.lang] = out[mode][p.doc.lang] + counts
    return out


def cross_validate(docs: list[Document], k: int, progress: Callable[[], None] | None = None) -> Evaluation:
    """Document-level K-fold cross-validation: the model of each fold is fit on the other folds only."""
    prepared = [prepare(d) for d in docs]
    fold_of = folds_of(docs, k)
    evaluation = Evaluation()
    for fold in range(k):
        train = [p for p, f in zip(prepared, fold_of, strict=True) if f != fold]
        test = [p for p, f in zip(prepared, fold_of, strict=True) if f == fold]
        if not test:
            continue
        evaluation.folds.append(score(test, fit_model(train)))
        if progress:
            progress()
    return evaluation


def held_out(train_docs: list[Document], test_docs: list[Document]) -> dict[str, dict[str, Counts]]:
    """Fit on ``train_docs`` and score ``test_docs`` (the locked split): totals only."""
    model = fit_model([prepare(d) for d in train_docs])
    return score([prepare(d) for d in test_docs], model)


def best_modes(evaluation: Evaluation) -> dict[str, str]:
    """Per language, the mode with the best cross-validated commitment F1 (rules on a tie)."""
    pooled = evaluation.pooled()
    out: dict[str, str] = {}
    for lang in sorted({lang for by_lang in pooled.values() for lang in by_lang}):
        ranked = sorted(
            MODES, key=lambda mode: (-summarize(pooled[mode][lang])["commitment_f1"], MODES.index(mode))
        )
        out[lang] = ranked[0]
    return out


def train(docs: list[Document], k: int = 5) -> tuple[ExtractionModel, Evaluation]:
    """The model to ship: fit on every document, with the mode per language chosen by cross-validation."""
    evaluation = cross_validate(docs, k)
    return fit_model([prepare(d) for d in docs], best_modes(evaluation)), evaluation


def train_choosing_on(
    docs: list[Document], fresh: list[Document]
) -> tuple[ExtractionModel, dict[str, dict[str, Counts]]]:
    """Fit on ``docs``; choose each language's mode by its pooled commitment F1 on ``fresh``.

    The fresh documents are scored before anyone reads their errors, so the choice is not biased toward
    the rules the way cross-validation over documents the rules were written from is.
    """
    prepared = [prepare(d) for d in docs]
    fitted = fit_model(prepared)
    scores = score([prepare(d) for d in fresh], fitted)
    use = best_modes(Evaluation([scores]))
    languages = {
        lang: {**entry, "use": use.get(lang, entry["use"])} for lang, entry in fitted.languages.items()
    }
    return ExtractionModel(languages), scores
