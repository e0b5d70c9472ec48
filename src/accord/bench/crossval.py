"""Cross-validated benchmark of the engine: every tunable setting is chosen on training folds only.

Each data set's queries are split into K folds (for an expert set, by the experts who judged them, so that
one expert's labels are never on both sides; reviewer_gold's pairwise loss is held out by expert too).
Every setting of a grid (BM25 k1/b, token weights, feedback, translation, Model 2 temperature, calibration)
is run once on every query; choosing on the training folds and scoring the held-out fold is then
arithmetic on per-query results. Two selections are reported:

- **joint** (the engine's defaults): per fold, the one setting that does best across all sets at once
  (mean over sets of the training score divided by that set's best training score in the grid), as a
  deployed engine must use one setting for every demand;
- **per set**: per fold, the best setting for that set alone (what tuning to one kind of query would give).

The plain BM25 baseline of the shared data's README (k1 0.9, b 0.4; lower-cased English words, Chinese
character unigrams and bigrams; an expert's score is the sum of their best three documents) is run with
bm25s on the same folds. Pure: no CLI, database or settings; the CLI renders the result.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from accord.match.aggregate import Calibration, aggregate_experts, calibrate, calibration_named
from accord.match.evaluate import jsonl, pairwise_loss_parts, read_qrels, read_ratings
from accord.match.index import MatchConfig, Matcher
from accord.match.model import Document, Filters
from accord.match.query import AnalyzedQuery, QueryOptions, analyze

Value = float | int | str
Setting = dict[str, Value]
Progress = Callable[[str, int, int], None]

CALIBRATION_KEY = "calibration"
#: The engine as shipped: the grid always holds its value of every axis (``engine_default``).
ENGINE = MatchConfig()


def calibration_of(value: Value, k: float = ENGINE.calibration_k) -> tuple[Calibration, float]:
    """A calibration written METHOD or METHOD:K (``rr:10``); without K, ``k`` (the engine's)."""
    method, _, given = str(value).partition(":")
    return calibration_named(method), float(given) if given else k


def engine_default(name: str) -> Value:
    """The engine's default of a grid setting (a field of MatchConfig or QueryOptions; the calibration as
    METHOD:K); a ValueError for any other name."""
    if name == CALIBRATION_KEY:
        return f"{ENGINE.calibration}:{ENGINE.calibration_k:g}"
    for obj in (ENGINE, ENGINE.query):
        if name in {f.name for f in fields(obj)}:
            value = getattr(obj, name)
            if isinstance(value, bool | int | float | str):
                return int(value) if isinstance(value, bool) else value
    raise ValueError(f"unknown setting {name}")


def _axis(name: str, *alternatives: Value) -> tuple[Value, ...]:
    """The engine's default first (grid order breaks ties, so a tie keeps the shipped setting), then the
    alternatives worth searching."""
    default = engine_default(name)
    return (default, *(a for a in alternatives if a != default))


#: The default grid: each axis is the engine's default and, where the folds have not agreed on it every
#: time it was offered, the one alternative that came closest (docs/benchmarks.md). Axes every fold has
#: settled (title twice, word weight 0) are searched with ``--grid``. Index-time settings come first
#: (each needs new score matrices, not new tokens).
GRID: dict[str, tuple[Value, ...]] = {
    "title_repeat": _axis("title_repeat"),
    "k1": _axis("k1", 1.2),
    "b": _axis("b", 0.75),
    "word_weight": _axis("word_weight"),
    "feedback_weight": _axis("feedback_weight", 0.0),
    "feedback_max_terms": _axis("feedback_max_terms", 0),
    "translation_weight": _axis("translation_weight", 0.5),
    "sense_evidence": _axis("sense_evidence", 0.0),
    "aggregation_temperature": _axis("aggregation_temperature", 3.0),
    "translated_temperature": _axis("translated_temperature", 0.0),
    "calibration": _axis("calibration", "rr:60", "rank", "share"),
}
#: Further settings ``--grid`` may vary (fixed at the engine's defaults otherwise).
GRID_EXTRA = (
    "k1_zh", "b_zh", "unigram_weight", "context_weight", "phrase_weight",
    "feedback_docs", "feedback_terms", "max_senses", "expert_doc_depth", "sense_sample",
    "compound_weight", "translated_feedback_weight", "translated_feedback_terms",
)  # fmt: skip
INDEX_KEYS = ("title_repeat", "k1", "b", "k1_zh", "b_zh")
QUERY_KEYS = tuple(f.name for f in fields(QueryOptions))
FEEDBACK_KEYS = (
    "feedback_docs", "feedback_terms", "feedback_weight", "feedback_max_terms",
    "translated_feedback_weight", "translated_feedback_terms",
)  # fmt: skip
AGGREGATION_KEYS = ("aggregation_temperature", "translated_temperature")
#: Documents kept per query in document mode (nDCG@10 needs ten; the rest is margin for exclusions).
DOC_DEPTH = 20


@dataclass(frozen=True, slots=True)
class Query:
    id: str
    text: str
    lang: str
    exclude: frozenset[str] = frozenset()
    #: Text around the query (csfcube: the whole abstract of the facet's sentences), at ``context_weight``.
    context: str = ""


@dataclass
class BenchSet:
    """One data set folder: documents, judged queries, and (reviewer_gold) the experts' own ratings."""

    name: str
    docs: list[Document]
    docs_key: str
    queries: list[Query]
    qrels: dict[str, dict[str, int]]
    expert_mode: bool
    ratings: dict[str, dict[str, float]] = field(default_factory=dict)  # expert → query → expertise
    rating_queries: list[Query] = field(default_factory=list)

    @property
    def lang(self) -> str:
        langs = [q.lang for q in self.queries]
        return max(set(langs), key=langs.count) if langs else ""


def _query(d: Mapping[str, Any]) -> Query:
    return Query(
        str(d["id"]),
        str(d.get("text") or ""),
        str(d.get("lang") or ""),
        frozenset(str(x) for x in d.get("exclude") or ()),
        str(d.get("context") or d.get("full_text") or ""),
    )


def load_set(directory: Path) -> BenchSet:
    """Read ``docs.jsonl``, ``queries.jsonl``, ``qrels.tsv`` (and ``ratings.tsv`` with
    ``ratings_queries.jsonl`` when present) from a data set folder."""
    raw = (directory / "docs.jsonl").read_bytes()
    docs = [Document.from_dict(d) for d in jsonl(directory / "docs.jsonl")]
    qrels = read_qrels(directory / "qrels.tsv")
    queries = [q for q in map(_query, jsonl(directory / "queries.jsonl")) if q.id in qrels]
    experts = {e for d in docs for e in d.expert_ids}
    targets = {t for judged in qrels.values() for t in judged}
    expert_mode = bool(targets) and len(targets & experts) > len(targets & {d.id for d in docs})
    bench = BenchSet(directory.name, docs, hashlib.sha256(raw).hexdigest()[:16], queries, qrels, expert_mode)
    ratings, rated = directory / "ratings.tsv", directory / "ratings_queries.jsonl"
    if expert_mode and ratings.exists() and rated.exists():
        bench.ratings = read_ratings(ratings)
        bench.rating_queries = [_query(d) for d in jsonl(rated)]
    return bench


# -- folds -------------------------------------------------------------------------------------------


def unit_fold(unit: str, k: int) -> int:
    """The fold of a fold unit (a query, or an expert): a hash, so that paired sets (the same queries in
    two languages) fall into the same folds."""
    return int(hashlib.sha256(unit.encode()).hexdigest()[:12], 16) % k


def query_units(bench: BenchSet) -> dict[str, frozenset[str]]:
    """What each query's labels belong to: in an expert set, the experts who judged or rated it."""
    out: dict[str, set[str]] = {}
    for q in [*bench.queries, *bench.rating_queries]:
        units = out.setdefault(q.id, set())
        if bench.expert_mode:
            units.update(f"expert:{e}" for e in bench.qrels.get(q.id, {}))
            units.update(f"expert:{e}" for e, rated in bench.ratings.items() if q.id in rated)
        if not units:
            units.add(f"query:{q.id}")
    return {q: frozenset(u) for q, u in out.items()}


@dataclass(frozen=True)
class Folds:
    """Held-out queries and experts of each fold, and the queries each fold may train on."""

    k: int
    test: list[frozenset[str]]
    train: list[frozenset[str]]
    experts: list[frozenset[str]]  # held-out raters (pairwise loss)


def make_folds(bench: BenchSet, k: int) -> Folds:
    units = query_units(bench)
    test: list[set[str]] = [set() for _ in range(k)]
    train: list[set[str]] = [set() for _ in range(k)]
    for q, us in units.items():
        test[unit_fold(min(us), k)].add(q)
        touched = {unit_fold(u, k) for u in us}
        for f in range(k):
            if f not in touched:  # a query judged by a held-out expert never trains that fold
                train[f].add(q)
    experts: list[set[str]] = [set() for _ in range(k)]
    for e in bench.ratings:
        experts[unit_fold(f"expert:{e}", k)].add(e)
    return Folds(
        k, [frozenset(t) for t in test], [frozenset(t) for t in train], [frozenset(e) for e in experts]
    )


# -- metrics -----------------------------------------------------------------------------------------


def ndcg_at(ranked: Sequence[str], gains: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with linear gains and log2 discounts (trec_eval's ndcg_cut), for one ranking."""
    dcg = sum(gains.get(t, 0) / math.log2(i + 2) for i, t in enumerate(ranked[:k]))
    ideal = sorted((g for g in gains.values() if g > 0), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best > 0 else 0.0


@dataclass
class Outcome:
    """One setting on one set: nDCG@10 per judged query and, for rated sets, (loss, total) per expert
    for each calibration."""

    ndcg: dict[str, float]
    loss: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)


def mean_of(outcome: Outcome, queries: Iterable[str]) -> float:
    values = [outcome.ndcg[q] for q in queries if q in outcome.ndcg]
    return sum(values) / len(values) if values else 0.0


def loss_of(parts: Mapping[str, tuple[float, float]], experts: Iterable[str]) -> float:
    chosen = [parts[e] for e in experts if e in parts]
    total = sum(t for _, t in chosen)
    return sum(lo for lo, _ in chosen) / total if total else 0.0


# -- the plain BM25 baseline -------------------------------------------------------------------------

_PLAIN_STOP = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its", "of",
    "on", "or", "that", "the", "their", "this", "to", "was", "were", "which", "with", "we", "our",
))  # fmt: skip
_PLAIN_WORD = re.compile(r"[a-z0-9]+")
_PLAIN_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def plain_tokens(text: str) -> list[str]:
    """The baseline's tokens: lower-cased words minus a few stop words; Chinese characters and bigrams."""
    low = text.lower()
    out = [w for w in _PLAIN_WORD.findall(low) if w not in _PLAIN_STOP]
    for run in _PLAIN_HAN.findall(low):
        out += list(run)
        out += [run[i : i + 2] for i in range(len(run) - 1)]
    return out


def plain_bm25(bench: BenchSet) -> Outcome:
    """The shared README's baseline, run with bm25s (an independent implementation)."""
    import bm25s

    retriever = bm25s.BM25(k1=0.9, b=0.4, method="lucene")
    texts = [
        d.text if not d.title or d.text.startswith(d.title) else f"{d.title} {d.text}" for d in bench.docs
    ]
    retriever.index([plain_tokens(t) for t in texts], show_progress=False)
    ids = [d.id for d in bench.docs]
    doc_experts = [d.expert_ids for d in bench.docs]

    def ranking(q: Query) -> dict[str, float]:
        tokens = [t for t in plain_tokens(q.text) if t in retriever.vocab_dict]
        if not tokens:
            return {}
        scores = retriever.get_scores(tokens)
        hits = np.flatnonzero(scores > 0)
        if not bench.expert_mode:
            return {ids[i]: float(scores[i]) for i in hits if ids[i] not in q.exclude}
        best: dict[str, list[float]] = {}
        for i in hits[np.argsort(-scores[hits], kind="stable")]:
            for e in doc_experts[i]:
                if len(best.setdefault(e, [])) < 3:
                    best[e].append(float(scores[i]))
        return {e: sum(v) for e, v in best.items() if e not in q.exclude}

    outcome = Outcome({})
    for q in bench.queries:
        run = ranking(q)
        ranked = sorted(run, key=lambda t: (-run[t], t))
        outcome.ndcg[q.id] = ndcg_at(ranked, bench.qrels[q.id])
    if bench.ratings:
        raw = {q.id: ranking(q) for q in bench.rating_queries}
        outcome.loss["raw"] = pairwise_loss_parts(bench.ratings, raw)
    return outcome


# -- running the grid --------------------------------------------------------------------------------


def settings_of(grid: Mapping[str, Sequence[Value]]) -> list[Setting]:
    """Every combination of the grid except calibration (applied after retrieval), index settings
    outermost so that score matrices are rebuilt as rarely as possible."""
    keys = [k for k in grid if k != CALIBRATION_KEY]
    keys.sort(
        key=lambda k: (
            k not in INDEX_KEYS,
            INDEX_KEYS.index(k) if k in INDEX_KEYS else 0,
            k in AGGREGATION_KEYS,
        )
    )
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*(grid[k] for k in keys))]


def index_builds(grid: Mapping[str, Sequence[Value]]) -> int:
    """Score matrices a grid builds per set (one per combination of its index-time settings)."""
    return math.prod(len(set(grid[k])) for k in INDEX_KEYS if k in grid)


def config_for(setting: Mapping[str, Value], base: MatchConfig | None = None) -> MatchConfig:
    """The engine configuration of a setting (names of MatchConfig or QueryOptions fields)."""
    base = base or MatchConfig()
    top = {k: v for k, v in setting.items() if k in {f.name for f in fields(MatchConfig)}}
    query = {k: v for k, v in setting.items() if k in QUERY_KEYS}
    unknown = set(setting) - set(top) - set(query) - {CALIBRATION_KEY}
    if unknown:
        raise ValueError(f"unknown setting {', '.join(sorted(unknown))}")
    cfg = replace(base, **_typed(base, top)) if top else base
    if query:
        cfg = replace(cfg, query=replace(cfg.query, **_typed(cfg.query, query)))
    if CALIBRATION_KEY in setting:
        method, k = calibration_of(setting[CALIBRATION_KEY], cfg.calibration_k)
        cfg = replace(cfg, calibration=method, calibration_k=k)
    return cfg


def _typed(obj: Any, values: Mapping[str, Value]) -> dict[str, Any]:
    """Grid values as the types of the fields they set (a grid axis of 0/1 sets a flag)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        current = getattr(obj, name)
        if isinstance(current, bool):
            out[name] = bool(value)
        elif isinstance(current, int):
            out[name] = int(value)
        else:
            out[name] = value
    return out


class Runner:
    """Runs settings on sets, caching what settings share: tokenised corpora (one per distinct
    documents file), score matrices per (k1, b), query analyses and retrievals."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._corpora: dict[str, Matcher] = {}
        self._built: dict[str, tuple[float, float, float, float]] = {}
        self._analyses: dict[tuple[str, str, QueryOptions], AnalyzedQuery] = {}
        self._retrievals: dict[tuple[Any, ...], tuple[list[int], list[float]]] = {}

    def corpus(self, bench: BenchSet, title_repeat: int = 1) -> Matcher:
        """The tokenised documents (from the on-disk cache when there is one)."""
        key = f"{bench.docs_key}-t{title_repeat}"
        matcher = self._corpora.get(key)
        if matcher is not None:
            return matcher
        path = self.cache_dir / f"corpus-{key}-{code_key()}" if self.cache_dir else None
        if path is not None and (path / "manifest.json").exists():
            try:
                matcher = Matcher.load(path)
            except Exception:  # a stale or damaged cache entry: tokenise again
                matcher = None
        if matcher is None:
            matcher = Matcher(MatchConfig(title_repeat=title_repeat))
            matcher.add_many(bench.docs)
            if path is not None:
                matcher.save(path)
        self._corpora[key] = matcher
        return matcher

    def _matcher(self, bench: BenchSet, cfg: MatchConfig) -> Matcher:
        matcher = self.corpus(bench, cfg.title_repeat)
        key = f"{bench.docs_key}-t{cfg.title_repeat}"
        params = (cfg.k1, cfg.b, cfg.k1_zh, cfg.b_zh)
        if self._built.get(key) != params:
            matcher.config = cfg
            matcher.merge()  # new score matrices from the same tokens
            self._built[key] = params
        matcher.config = cfg
        return matcher

    def _analysis(self, q: Query, options: QueryOptions) -> AnalyzedQuery:
        key = (q.text, q.context, options)
        aq = self._analyses.get(key)
        if aq is None:
            aq = self._analyses[key] = analyze(q.text, options, q.context)
        return aq

    def _retrieve(
        self, bench: BenchSet, matcher: Matcher, q: Query, depth: int
    ) -> tuple[list[int], list[float]]:
        cfg = matcher.config
        aq = self._analysis(q, cfg.query)
        used = tuple(sorted((t.term, round(t.weight, 6)) for t in matcher.known_terms(aq.terms)))
        key = (
            bench.docs_key,
            cfg.title_repeat,
            cfg.k1,
            cfg.b,
            cfg.k1_zh,
            cfg.b_zh,
            cfg.sense_evidence,
            cfg.compound_weight,
            used,
            tuple(getattr(cfg, k) for k in FEEDBACK_KEYS) if used else (),
            q.exclude if not bench.expert_mode else frozenset(),
            depth,
        )
        hit = self._retrievals.get(key)
        if hit is None:
            filters = Filters(exclude_ids=q.exclude) if q.exclude and not bench.expert_mode else None
            r = matcher.retrieve(aq, depth, filters)
            hit = (r.top.tolist(), r.scores[r.top].tolist())
            self._retrievals[key] = hit
        return hit

    def outcome(self, bench: BenchSet, setting: Setting, calibrations: Sequence[str] = ()) -> Outcome:
        """nDCG@10 of every judged query under ``setting`` (and the rated experts' loss parts under each
        calibration)."""
        cfg = config_for(setting)
        matcher = self._matcher(bench, cfg)
        outcome = Outcome({})
        if not bench.expert_mode:
            for q in bench.queries:
                slots, _scores = self._retrieve(bench, matcher, q, DOC_DEPTH)
                docs = [matcher.doc_id(s) for s in slots]
                outcome.ndcg[q.id] = ndcg_at(docs, bench.qrels[q.id])
            return outcome
        rated: dict[str, dict[str, dict[str, float]]] = {c: {} for c in calibrations}
        judged = {q.id for q in bench.queries}
        by_id = {q.id: q for q in [*bench.queries, *bench.rating_queries]}
        for qid, q in by_id.items():
            slots, scores = self._retrieve(bench, matcher, q, cfg.expert_doc_depth)
            doc_scores = list(zip(slots, scores, strict=True))
            ranked = aggregate_experts(
                doc_scores,
                matcher.doc_experts,
                method=cfg.aggregation,
                top=cfg.aggregation_top,
                expert_doc_counts=matcher.expert_doc_counts(),
                temperature=matcher.temperature_for(self._analysis(q, cfg.query).terms),
            )
            order = [matcher.expert_name(e) for e, _, _ in ranked]
            if qid in judged:
                kept = [e for e in order if e not in q.exclude]
                outcome.ndcg[qid] = ndcg_at(kept, bench.qrels[qid])
            for c in calibrations:
                method, k = calibration_of(c)
                values = calibrate(doc_scores, matcher.doc_experts, [e for e, _, _ in ranked], method, k)
                rated[c][qid] = {matcher.expert_name(e): v for e, v in values.items()}
        for c in calibrations:
            outcome.loss[c] = pairwise_loss_parts(bench.ratings, rated[c])
        return outcome


def code_key() -> str:
    """Changes when tokenisation could change (the tokeniser, the glossary it teaches the segmenter)."""
    from importlib import resources

    h = hashlib.sha256()
    for name in ("tokenize.py", "segment.py", "index.py", "data/glossary.tsv"):
        h.update(resources.files("accord.match").joinpath(name).read_bytes())
    return h.hexdigest()[:12]


# -- selection ---------------------------------------------------------------------------------------


@dataclass
class SetReport:
    """Held-out figures of one set: per fold, and their mean and spread."""

    name: str
    target: str
    n_queries: int
    folds: list[int]  # queries per held-out fold
    bm25: list[float]
    joint: list[float]
    per_set: list[float]
    joint_settings: list[Setting]
    per_set_settings: list[Setting]
    loss: list[float] = field(default_factory=list)
    bm25_loss: list[float] = field(default_factory=list)
    loss_calibrations: list[str] = field(default_factory=list)
    per_query: dict[str, dict[str, float]] = field(default_factory=dict)  # held-out nDCG by query

    def summary(self) -> dict[str, Any]:
        def stats(values: list[float]) -> dict[str, float]:
            return {"mean": mean(values), "sd": sd(values)}

        out: dict[str, Any] = {
            "target": self.target,
            "n_queries": self.n_queries,
            "fold_sizes": self.folds,
            "bm25": {"folds": self.bm25, **stats(self.bm25)},
            "joint": {"folds": self.joint, **stats(self.joint), "settings": self.joint_settings},
            "per_set": {"folds": self.per_set, **stats(self.per_set), "settings": self.per_set_settings},
            "joint_over_bm25": mean(self.joint) / mean(self.bm25) if mean(self.bm25) else None,
        }
        if self.loss:
            out["pairwise_loss"] = {
                "folds": self.loss,
                **stats(self.loss),
                "calibrations": self.loss_calibrations,
                "bm25_folds": self.bm25_loss,
                "bm25": {**stats(self.bm25_loss)},
                "below_bm25_in_every_fold": all(
                    a < b for a, b in zip(self.loss, self.bm25_loss, strict=True)
                ),
            }
        return out


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def sd(values: Sequence[float]) -> float:
    return statistics.stdev(values) if len(values) > 1 else 0.0


def _best(scores: Sequence[float]) -> int:
    """Index of the highest score; the first on ties (grid order is the tie-break)."""
    return max(range(len(scores)), key=lambda i: (scores[i], -i))


def choose_joint(outcomes: Mapping[str, Sequence[Outcome]], train: Mapping[str, frozenset[str]]) -> int:
    """The setting that does best across sets: mean over sets of its training score divided by the best
    training score of that set in the grid."""
    n = len(next(iter(outcomes.values())))
    total = [0.0] * n
    for name, results in outcomes.items():
        scores = [mean_of(o, train[name]) for o in results]
        top = max(scores) or 1.0
        for i, s in enumerate(scores):
            total[i] += s / top
    return _best(total)


def cross_validate(
    sets: Sequence[BenchSet],
    k: int = 5,
    grid: Mapping[str, Sequence[Value]] | None = None,
    runner: Runner | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run the grid and the baseline on every set, choose on training folds, report held-out folds."""
    grid = dict(grid or GRID)
    runner = runner or Runner()
    settings = settings_of(grid)
    calibrations = [str(c) for c in grid.get(CALIBRATION_KEY, ("rank",))]
    outcomes: dict[str, list[Outcome]] = {}
    baselines: dict[str, Outcome] = {}
    folds = {b.name: make_folds(b, k) for b in sets}
    steps = len(sets) * (len(settings) + 1)
    step = 0
    for bench in sets:
        baselines[bench.name] = plain_bm25(bench)
        step += 1
        if progress:
            progress(bench.name, step, steps)
        results = []
        for setting in settings:
            results.append(runner.outcome(bench, setting, calibrations if bench.ratings else ()))
            step += 1
            if progress:
                progress(bench.name, step, steps)
        outcomes[bench.name] = results

    reports: dict[str, SetReport] = {}
    joint_choice = [choose_joint(outcomes, {b.name: folds[b.name].train[f] for b in sets}) for f in range(k)]
    for bench in sets:
        fo, results, base = folds[bench.name], outcomes[bench.name], baselines[bench.name]
        rep = SetReport(
            bench.name,
            "expert" if bench.expert_mode else "document",
            len(bench.queries),
            [len(fo.test[f] & set(base.ndcg)) for f in range(k)],
            [mean_of(base, fo.test[f]) for f in range(k)],
            [],
            [],
            [],
            [],
        )
        for f in range(k):
            j = joint_choice[f]
            rep.joint.append(mean_of(results[j], fo.test[f]))
            rep.joint_settings.append(settings[j])
            own = _best([mean_of(o, fo.train[f]) for o in results])
            rep.per_set.append(mean_of(results[own], fo.test[f]))
            rep.per_set_settings.append(settings[own])
            for q in fo.test[f]:
                if q in results[j].ndcg:
                    rep.per_query.setdefault("joint", {})[q] = results[j].ndcg[q]
                    rep.per_query.setdefault("per_set", {})[q] = results[own].ndcg[q]
                    rep.per_query.setdefault("bm25", {})[q] = base.ndcg[q]
            if bench.ratings:
                train_experts = set(bench.ratings) - fo.experts[f]
                parts = results[j].loss
                c = min(calibrations, key=lambda c: (loss_of(parts[c], train_experts), calibrations.index(c)))
                rep.loss.append(loss_of(parts[c], fo.experts[f]))
                rep.loss_calibrations.append(c)
                rep.bm25_loss.append(loss_of(base.loss["raw"], fo.experts[f]))
        reports[bench.name] = rep

    everything = {b.name: frozenset(q.id for q in b.queries) for b in sets}
    default = settings[choose_joint(outcomes, everything)]
    rated = [b for b in sets if b.ratings]
    default_calibration = (
        min(
            calibrations,
            key=lambda c: (
                mean([loss_of(outcomes[b.name][settings.index(default)].loss[c], b.ratings) for b in rated]),
                calibrations.index(c),
            ),
        )
        if rated
        else None
    )
    return {
        "folds": k,
        "grid": {name: list(values) for name, values in grid.items()},
        "n_settings": len(settings),
        "n_index_builds": index_builds(grid),
        "defaults": {**default, **({CALIBRATION_KEY: default_calibration} if default_calibration else {})},
        "sets": {name: rep.summary() for name, rep in reports.items()},
        "cross_lingual": _cross_lingual(sets, reports, k, folds),
    }


def _cross_lingual(
    sets: Sequence[BenchSet], reports: Mapping[str, SetReport], k: int, folds: Mapping[str, Folds]
) -> list[dict[str, Any]]:
    """Each cross-lingual set against the monolingual set with the same documents and query ids: the
    held-out nDCG@10 of the same queries in both, per fold."""
    out = []
    for xl in sets:
        for mono in sets:
            ids = {q.id for q in xl.queries}
            if (
                mono is xl
                or mono.docs_key != xl.docs_key
                or mono.lang == xl.lang
                or not ids <= {q.id for q in mono.queries}
            ):
                continue
            xl_q, mono_q = reports[xl.name].per_query["joint"], reports[mono.name].per_query["joint"]
            per_fold = []
            for f in range(k):
                same = [q for q in folds[xl.name].test[f] if q in xl_q and q in mono_q]
                a, b = mean([xl_q[q] for q in same]), mean([mono_q[q] for q in same])
                per_fold.append({"cross_lingual": a, "monolingual": b, "ratio": a / b if b else None})
            both = [q for q in xl_q if q in mono_q]
            a, b = mean([xl_q[q] for q in both]), mean([mono_q[q] for q in both])
            out.append(
                {
                    "set": xl.name,
                    "monolingual": mono.name,
                    "queries": len(both),
                    "cross_lingual_ndcg": a,
                    "monolingual_ndcg": b,
                    "ratio": a / b if b else None,
                    "folds": per_fold,
                }
            )
    return out
