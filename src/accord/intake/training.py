"""Training and cross-validating the learned component (scikit-learn, imported only here).

A candidate is a positive example when its span overlaps a gold commitment by at least half of the
shorter span, the rule the scorer uses. Logistic regression (liblinear, L2) fits the weights; they are
exported as plain numbers (:class:`accord.intake.learned.LinearModel`), so the engine never loads
scikit-learn. Everything is deterministic: documents in name order, folds dealt round-robin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .corpus import Document, folds_of
from .extract import Analysis, analyse, decide
from .learned import MODES, ExtractionModel, LinearModel, features
from .scoring import Counts, score_document, span_overlap_ok, summarize

C = 0.5  # inverse regularisation strength; small data, many sparse features


@dataclass
class Prepared:
    doc: Document
    found: Analysis
    labels: list[int]  # 1 when the candidate overlaps a gold commitment


def prepare(doc: Document) -> Prepared:
    found = analyse(doc.body, doc.lang)
    gold = [(g["quote_start"], g["quote_start"] + len(g["quote"])) for g in doc.gold.get("commitments", [])]
    labels = [
        int(any(span_overlap_ok((c.unit.start, c.unit.end), g) >= 0.5 for g in gold))
        for c in found.candidates
    ]
    return Prepared(doc, found, labels)


def fit(prepared: Iterable[Prepared], lang: str, *, with_rule: bool) -> LinearModel | None:
    """Weights for one language (None when the training documents have no example of each class)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows: list[dict[str, float]] = []
    ys: list[int] = []
    for p in prepared:
        if p.doc.lang != lang:
            continue
        label_set = set(p.found.labels)
        for candidate, y in zip(p.found.candidates, p.labels, strict=True):
            if candidate.unit.party is None:
                continue  # never proposed: a commitment needs a party
            rows.append(features(p.found.text, lang, candidate, label_set, with_rule=with_rule))
            ys.append(y)
    if len(set(ys)) < 2:
        return None
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(rows).tocsr()
    # liblinear takes 32-bit sparse indices; newer SciPy builds 64-bit ones by default.
    matrix.indices = matrix.indices.astype("int32")
    matrix.indptr = matrix.indptr.astype("int32")
    classifier = LogisticRegression(
        C=C, solver="liblinear", fit_intercept=False, max_iter=1000, random_state=0
    )
    classifier.fit(matrix, ys)
    names = vectorizer.get_feature_names_out()
    weights = {
        str(name): round(float(w), 5)
        for name, w in zip(names, classifier.coef_[0], strict=True)
        if abs(w) >= 1e-3
    }
    bias = weights.pop("bias", 0.0)
    return LinearModel(bias, weights)


def fit_model(prepared: list[Prepared], use: dict[str, str] | None = None) -> ExtractionModel:
    languages: dict[str, dict[str, Any]] = {}
    for lang in sorted({p.doc.lang for p in prepared}):
        entry: dict[str, Any] = {"use": (use or {}).get(lang, "combined")}
        for mode, with_rule in (("model", False), ("combined", True)):
            linear = fit(prepared, lang, with_rule=with_rule)
            if linear is not None:
                entry[mode] = linear.to_json()
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
