"""The matchmaking index: BM25 (bm25s) segments with incremental add/remove, expert aggregation, explain.

Incremental updates: bm25s builds static, precomputed sparse score matrices. We keep a large *main* segment
and a small *delta* segment for documents added since the last merge (rebuilt lazily before the next search,
cheap because it is small), plus tombstones for removed documents. When the delta grows past
``merge_fraction`` of the main segment both are merged into a new main segment. Corpus statistics (document
frequencies, N) are maintained live, and every segment's precomputed scores are rescaled at query time by
``idf_now / idf_segment`` so that scores stay comparable across segments and reflect removals immediately.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from accord.match.aggregate import Aggregation, Calibration, aggregate_experts, calibrate
from accord.match.compounds import attest, into_chinese
from accord.match.explain import explain_document, readable_terms
from accord.match.model import (
    DocExplanation,
    Document,
    ExpertHit,
    ExpertResult,
    Explanation,
    Filters,
    Hit,
    IndexCorruptedError,
    IndexOutdatedError,
    MatchError,
    MatchSummary,
    QueryTerm,
    SearchResult,
    TermMatch,
)
from accord.match.query import (
    AnalyzedQuery,
    DisplayUnit,
    QueryOptions,
    TranslationUnit,
    analyze,
    display_units,
    translation_terms,
)
from accord.match.ragged import Ragged, grown
from accord.match.segment import Segment, top_k
from accord.match.tokenize import detect_lang, is_phrase, tokenize
from accord.match.translate import get_dictionary

FORMAT = "accord-match-index"
FORMAT_VERSION = 4  # 3: English phrase terms in the tokens; 4: BM25 k1/b chosen anew, Chinese b its own

F32 = npt.NDArray[np.float32]
I32 = npt.NDArray[np.int32]


@dataclass(frozen=True, slots=True)
class MatchConfig:
    """Engine settings. The defaults of the tunable ones (title repetition, BM25 k1/b, the query's word
    weight, feedback, translation weight, sense evidence, Model 2 temperature, calibration) are those
    chosen across the shared sets by cross-validation (``accord bench match``, docs/benchmarks.md)."""

    k1: float = 1.6
    b: float = 0.9
    #: k1 and b for Chinese documents (0: ``k1`` / ``b``). Their terms are characters and bigrams, whose
    #: counts saturate and grow with a document's length otherwise than English words do.
    k1_zh: float = 1.6
    b_zh: float = 0.75
    #: Title terms are indexed this many times (titles name the topic).
    title_repeat: int = 2
    merge_fraction: float = 0.1
    merge_min_docs: int = 2_000
    #: Documents per main segment (bounds build-time memory; more segments cost a little query time).
    segment_docs: int = 125_000
    #: Very long demands keep only their most informative terms (weight × idf), bounding query time.
    max_query_terms: int = 1_000
    aggregation: Aggregation = "model2"
    aggregation_top: int = 3
    aggregation_temperature: float = 5.0
    #: Temperature for a demand matched mostly through translation (more than half of the weight of its
    #: terms that the index knows is translated): 0 uses ``aggregation_temperature`` for every demand.
    translated_temperature: float = 1.0
    #: Score comparable across demands carried by each expert hit (``ExpertHit.calibrated``).
    calibration: Calibration = "rr"
    calibration_k: float = 10.0
    #: Documents considered when ranking experts (by document score).
    expert_doc_depth: int = 1_000
    query: QueryOptions = field(default_factory=QueryOptions)
    #: Pseudo-relevance feedback (RM3-style): expand the query with terms of the top documents.
    feedback_docs: int = 10
    feedback_terms: int = 20
    feedback_weight: float = 0.5
    #: Feedback only for demands of at most this many distinct terms of their own (0: always). Long
    #: demands already say what they need; expanding them drifts (measured in docs/benchmarks.md).
    feedback_max_terms: int = 20
    #: Feedback for a demand matched mostly through translation (see ``translated_temperature``): its
    #: weight and number of terms (0: ``feedback_weight`` / ``feedback_terms``). Its first pass rests on
    #: translations, some of them wrong senses; the top documents' own words say what they mean.
    translated_feedback_weight: float = 1.0
    translated_feedback_terms: int = 50
    #: Weigh each translation's senses by evidence from the collection (how often a sense's terms occur
    #: together with the other query pieces' translations): 0 weighs senses equally, 1 by evidence only,
    #: in between a mix of both.
    sense_evidence: float = 1.0
    #: Documents (the first slots) in which that co-occurrence is counted: bounds its cost.
    sense_sample: int = 20_000
    #: Pieces written together translated as one term where the documents write their translations
    #: together (``accord.match.compounds``: English words → a Chinese compound, Chinese words → an
    #: English phrase); the join is searched with this times the translation weight (0: off).
    compound_weight: float = 1.0


@dataclass(slots=True)
class Retrieval:
    """Scores of every slot, the best slots (best first), the query as scored, or why nothing matched."""

    scores: F32
    top: npt.NDArray[np.int64]
    query: AnalyzedQuery
    reason: str | None


class _Pending:
    """Documents added since the last flush: copied into the flat arrays once per batch."""

    __slots__ = ("distinct", "expert_lens", "experts", "n", "token_lens", "tokens")

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.n = 0
        self.tokens: list[int] = []  # term ids
        self.token_lens: list[int] = []
        self.distinct: list[int] = []
        self.experts: list[int] = []
        self.expert_lens: list[int] = []

    def add(self, tokens: list[int], distinct: list[int], experts: list[int]) -> None:
        self.tokens += tokens
        self.token_lens.append(len(tokens))
        self.distinct += distinct
        self.experts += experts
        self.expert_lens.append(len(experts))
        self.n += 1

    def lens(self) -> npt.NDArray[np.int64]:
        return np.asarray(self.token_lens, np.int64)


class Matcher:
    """Index documents and match demands against them (documents, or experts via their documents)."""

    def __init__(self, config: MatchConfig | None = None) -> None:
        self.config = config or MatchConfig()
        self._vocab: dict[str, int] = {}
        self._terms: list[str] = []
        self._df = np.zeros(0, dtype=np.int64)
        self._ids: list[str] = []
        self._slot_of: dict[str, int] = {}
        self._docs: list[Document | None] = []
        self._tokens = Ragged()  # token ids of each slot, in document order
        self._alive = np.zeros(0, dtype=bool)  # capacity may exceed len(self._ids)
        self._n_alive = 0
        self._mains: list[Segment] = []  # main segments, contiguous slot ranges in order
        self._main_n = 0
        self._delta: Segment | None = None
        self._experts: dict[str, int] = {}
        self._expert_names: list[str] = []
        self._doc_experts = Ragged()
        # Per-slot filter columns (codes), turned into numpy arrays lazily for vectorised filtering.
        self._codes: dict[str, dict[str | None, int]] = {"kind": {}, "lang": {}, "org": {}}
        self._meta: dict[str, list[int]] = {"kind": [], "lang": [], "org": [], "year": []}
        self._cache: dict[str, Any] = {}
        self._postings: dict[int, list[tuple[I32, F32, float]]] = {}  # term id -> columns, per layout
        self._pending = _Pending()
        self._phrase_ids = np.zeros(0, dtype=bool)  # term id -> whether it is a phrase term

    # -- building ------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._n_alive

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slot_of

    def _doc_tokens(self, doc: Document) -> list[str]:
        # Character unigrams only for Chinese documents: in other documents a stray CJK phrase would
        # otherwise collect many rare-character matches from a long Chinese demand.
        uni = (doc.lang or "").lower().startswith("zh")  # zh, zh-CN, zh-Hans …
        toks = tokenize(doc.text, uni)
        if doc.title and not doc.text.startswith(doc.title):
            toks = tokenize(doc.title, uni) * self.config.title_repeat + toks
        elif doc.title and self.config.title_repeat > 1:
            toks = tokenize(doc.title, uni) * (self.config.title_repeat - 1) + toks
        return toks

    def add(self, doc: Document) -> None:
        """Add or replace one document (replacing = remove + add)."""
        self.add_many([doc])

    def add_many(self, docs: Iterable[Document]) -> int:
        n = 0
        vocab, names, pending = self._vocab, self._terms, self._pending
        for doc in docs:
            if doc.id in self._slot_of:
                self._flush()
                self.remove(doc.id)
            if doc.lang is None:  # a copy: the caller's object is left as it was
                doc = replace(doc, lang=detect_lang(doc.title + " " + doc.text))
            toks = self._doc_tokens(doc)
            # Lookups in the large vocabulary miss the CPU cache: one per distinct term, not per token.
            distinct = list(dict.fromkeys(toks))
            ids = list(map(vocab.get, distinct))
            if None in ids:  # new terms get the next ids, in first-occurrence order
                for i, t in enumerate(distinct):
                    if ids[i] is None:
                        ids[i] = vocab[t] = len(names)
                        names.append(t)
            known = cast(list[int], ids)  # no None left
            local = dict(zip(distinct, known, strict=True))
            experts = [self._expert_id(e) for e in dict.fromkeys(doc.expert_ids)]
            pending.add(list(map(local.__getitem__, toks)), known, experts)
            self._slot_of[doc.id] = len(self._ids)
            self._ids.append(doc.id)
            self._docs.append(doc)
            self._append_meta(doc)
            n += 1
            if pending.n >= 10_000:
                self._flush()
        self._flush()
        if n:
            self._delta = None
            self._clear_caches()
        return n

    def _flush(self) -> None:
        """Move the pending batch into the flat arrays and document frequencies."""
        p = self._pending
        if not p.n:
            return
        self._tokens.extend_flat(np.asarray(p.tokens, np.int32), p.lens())
        self._doc_experts.extend_flat(np.asarray(p.experts, np.int32), np.asarray(p.expert_lens, np.int64))
        if len(self._df) < len(self._terms):
            have = len(self._df)
            self._df = grown(self._df, len(self._terms))
            self._df[have:] = 0
        np.add.at(self._df, np.asarray(p.distinct, np.intp), 1)
        start = len(self._tokens) - p.n
        self._alive = grown(self._alive, start + p.n)
        self._alive[start : start + p.n] = True
        self._n_alive += p.n
        p.clear()

    def _append_meta(self, doc: Document) -> None:
        for name, value in (("kind", doc.kind), ("lang", doc.lang), ("org", doc.org)):
            codes = self._codes[name]
            self._meta[name].append(codes.setdefault(value, len(codes)))
        self._meta["year"].append(doc.year if doc.year is not None else -(2**31))

    def _expert_id(self, name: str) -> int:
        i = self._experts.get(name)
        if i is None:
            i = len(self._expert_names)
            self._experts[name] = i
            self._expert_names.append(name)
        return i

    def remove(self, doc_id: str) -> bool:
        """Remove a document (a tombstone; space is reclaimed at the next merge). False if unknown."""
        if doc_id not in self._slot_of:
            return False
        self._flush()
        slot = self._slot_of.pop(doc_id)
        self._alive[slot] = False
        self._n_alive -= 1
        ids = self._tokens.row(slot)
        if len(ids):
            self._df[np.unique(ids)] -= 1
        self._docs[slot] = None
        if slot >= self._main_n:
            self._delta = None
        self._clear_caches()
        return True

    def _word_lengths(self, tokens: I32, offsets: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Each document's length without its phrase terms (BM25 normalises by the words)."""
        known = len(self._phrase_ids)
        if known < len(self._terms):
            new = np.fromiter((is_phrase(t) for t in self._terms[known:]), bool, len(self._terms) - known)
            self._phrase_ids = np.concatenate((self._phrase_ids, new))
        counts = np.concatenate(([0], np.cumsum(self._phrase_ids[tokens], dtype=np.int64)))
        lengths: npt.NDArray[np.int64] = np.diff(offsets) - (counts[offsets[1:]] - counts[offsets[:-1]])
        return lengths

    def _chinese_params(self, start: int, end: int) -> tuple[npt.NDArray[np.bool_], float, float] | None:
        """Which of the slots ``start .. end - 1`` are Chinese documents, with their k1 and b, when those
        differ from the others' (``MatchConfig.k1_zh``, ``b_zh``); None otherwise."""
        cfg = self.config
        k1, b = cfg.k1_zh or cfg.k1, cfg.b_zh or cfg.b
        if (k1, b) == (cfg.k1, cfg.b):
            return None
        zh = [code for lang, code in self._codes["lang"].items() if (lang or "").lower().startswith("zh")]
        mask = np.isin(np.asarray(self._meta["lang"][start:end], np.int64), np.asarray(zh, np.int64))
        return mask, k1, b

    def _clear_caches(self) -> None:
        self._cache.clear()
        self._postings.clear()

    def _refresh(self) -> None:
        self._flush()
        n_delta = len(self._ids) - self._main_n
        if n_delta > max(self.config.merge_min_docs, self.config.merge_fraction * self._main_n):
            self.merge()
        elif n_delta and self._delta is None:
            tokens, offsets = self._tokens.span(self._main_n, len(self._ids))
            self._delta = Segment.build(
                self.config.k1,
                self.config.b,
                self._main_n,
                tokens,
                offsets,
                self._word_lengths(tokens, offsets),
                self._chinese_params(self._main_n, len(self._ids)),
            )
            self._postings.clear()

    def merge(self) -> None:
        """Fold the delta segment and tombstones into fresh main segments."""
        self._flush()
        n = len(self._ids)
        alive = self._alive[:n]
        if self._n_alive < n:
            keep = np.flatnonzero(alive).tolist()
            self._ids = [self._ids[i] for i in keep]
            self._docs = [self._docs[i] for i in keep]
            self._meta = {k: [v[i] for i in keep] for k, v in self._meta.items()}
            self._tokens = self._tokens.compact(alive)
            self._doc_experts = self._doc_experts.compact(alive)
            self._alive = np.ones(len(keep), dtype=bool)
            self._slot_of = {d: i for i, d in enumerate(self._ids)}
        # Built in chunks to bound build-time memory (one sort of the chunk's tokens); global idf
        # rescaling at query time makes the chunks score as one index.
        self._mains = []
        step = max(1, self.config.segment_docs)
        for base in range(0, len(self._ids), step):
            tokens, offsets = self._tokens.span(base, min(base + step, len(self._ids)))
            scored = self._word_lengths(tokens, offsets)
            zh = self._chinese_params(base, base + len(offsets) - 1)
            self._mains.append(
                Segment.build(self.config.k1, self.config.b, base, tokens, offsets, scored, zh)
            )
        self._main_n = len(self._ids)
        self._delta = None
        self._clear_caches()

    # -- columns for filters and aggregation (rebuilt after changes) -----------------------------------
    def _alive_mask(self) -> npt.NDArray[np.bool_]:
        return self._alive[: len(self._ids)]

    def _column(self, name: str) -> npt.NDArray[np.int64]:
        col = self._cache.get(f"meta_{name}")
        if col is None:
            col = np.asarray(self._meta[name], dtype=np.int64)
            self._cache[f"meta_{name}"] = col
        return col

    def _filter_mask(self, f: Filters) -> npt.NDArray[np.bool_]:
        mask = self._alive_mask().copy()
        for name, allowed in (("kind", f.kinds), ("lang", f.langs), ("org", f.orgs)):
            if allowed is not None:
                codes = [self._codes[name][v] for v in allowed if v in self._codes[name]]
                mask &= np.isin(self._column(name), np.asarray(codes, dtype=np.int64))
        if f.year_min is not None or f.year_max is not None:
            years = self._column("year")
            mask &= years > -(2**31)
            if f.year_min is not None:
                mask &= years >= f.year_min
            if f.year_max is not None:
                mask &= years <= f.year_max
        for d in f.exclude_ids:
            s = self._slot_of.get(d)
            if s is not None:
                mask[s] = False
        return mask

    # -- scoring -------------------------------------------------------------------------------------
    def _idf_now(self, term_id: int) -> float:
        df = float(self._df[term_id]) if term_id < len(self._df) else 0.0
        n = float(self._n_alive)
        return math.log1p((n - df + 0.5) / (df + 0.5))

    def _scores(
        self, terms: Sequence[QueryTerm], out: F32 | None = None
    ) -> tuple[F32, list[tuple[int, QueryTerm]]]:
        """Weighted BM25 of every slot (dense; zero where no term matches), added into ``out`` if given."""
        self._refresh()
        scores = np.zeros(len(self._ids), dtype=np.float32) if out is None else out
        used: list[tuple[int, QueryTerm]] = []
        for qt in terms:
            tid = self._vocab.get(qt.term)
            if tid is None or self._df[tid] <= 0:
                continue
            used.append((tid, qt))
            w = qt.weight * self._idf_now(tid)
            for rows, data, idf_seg in self._columns(tid):
                # ufunc.at is numpy's fastest scatter-add (faster than scores[rows] += … or bincount).
                np.add.at(scores, rows, np.float32(w / idf_seg) * data)
        return scores, used

    def _columns(self, tid: int) -> list[tuple[I32, F32, float]]:
        """The term's posting slices in every segment (cached until the segments change)."""
        cols = self._postings.get(tid)
        if cols is None:
            cols = []
            for seg in (*self._mains, self._delta):
                col = seg.column(tid) if seg is not None else None
                if col is not None and col[2] > 0:
                    cols.append(col)
            if len(self._postings) >= 100_000:
                self._postings.clear()
            self._postings[tid] = cols
        return cols

    def top(self, terms: Sequence[QueryTerm], k: int) -> list[int]:
        """Retrieval core: slots of the ``k`` best documents for already analysed terms (no feedback)."""
        scores, used = self._scores(terms)
        if not used:
            return []
        self._mask_out(scores, None)
        slots: list[int] = top_k(scores, k).tolist()
        return slots

    def _mask_out(self, scores: F32, filters: Filters | None) -> None:
        """Zero the scores of removed and filtered-out documents (nothing to do in the common case)."""
        if filters is not None:
            scores[~self._filter_mask(filters)] = 0.0
        elif self._n_alive < len(self._ids):
            scores[~self._alive_mask()] = 0.0

    def _feedback_terms(
        self, scores: F32, used: Sequence[tuple[int, QueryTerm]], n_terms: int, weight: float
    ) -> list[QueryTerm]:
        """RM3-style expansion (Lavrenko & Croft 2001; Abdul-Jaleel et al. 2004): ``n_terms`` terms weighted
        by Σ_d p(d|q) p(t|d) over the top documents, times idf; added below the original terms (their
        weights sum to ``weight`` × the demand's)."""
        top = top_k(scores, self.config.feedback_docs)
        if len(top) < 2:
            return []
        doc_w = np.exp(scores[top] - scores[top[0]]).astype(np.float64)
        doc_w /= doc_w.sum()
        toks, owner = self._tokens.gather(top)
        lens = self._tokens.lengths_of(top)
        # Σ_d w_d · tf(t, d) / |d|, summed document by document (pairs in document order).
        terms, inv = np.unique(toks, return_inverse=True)
        pair, count = np.unique(owner * len(terms) + inv, return_counts=True)
        d = pair // len(terms)
        acc = np.bincount(pair % len(terms), doc_w[d] * (count / lens[d]), minlength=len(terms))
        df = self._df[terms].astype(np.float64)
        n = float(self._n_alive)
        value = acc * np.log1p((n - df + 0.5) / (df + 0.5))
        ok = (df > 1) & ~np.isin(terms, np.fromiter((t for t, _ in used), np.int64, len(used)))
        terms, value = terms[ok], value[ok]
        best = np.lexsort((-terms, -value))[:n_terms]  # ties: higher term id first
        if not len(best) or value[best[0]] <= 0:
            return []
        total_q = sum(qt.weight for _, qt in used)
        top_v = float(value[best[0]])
        scale = weight * total_q / len(best)
        return [
            QueryTerm(
                self._terms[int(terms[j])], scale * float(value[j]) / top_v, "feedback", "top documents"
            )
            for j in best
        ]

    def analyze(self, query: str, context: str = "") -> AnalyzedQuery:
        """The demand's weighted terms; ``context`` (text around it) adds its terms at
        ``QueryOptions.context_weight``."""
        return analyze(query, self.config.query, context)

    def _ranked_docs(
        self, query: str, filters: Filters | None, depth: int, context: str = ""
    ) -> tuple[F32, npt.NDArray[np.int64], AnalyzedQuery, str | None]:
        """Scores and the best ``depth`` slots (best first), or a reason why there are none."""
        r = self.retrieve(self.analyze(query, context), depth, filters)
        return r.scores, r.top, r.query, r.reason

    def retrieve(self, aq: AnalyzedQuery, depth: int, filters: Filters | None = None) -> Retrieval:
        """Score an analysed query (with feedback) and keep the best ``depth`` slots. ``aq`` is left as it
        was: the terms used, feedback included, are in the result's ``query``."""
        aq = AnalyzedQuery(list(aq.terms), aq.reason, aq.truncated, aq.translations)
        if aq.translations and self._n_alive:
            self._weigh_translations(aq)
        empty = np.zeros(0, dtype=np.int64)
        if aq.reason:
            return Retrieval(np.zeros(0, np.float32), empty, aq, aq.reason)
        if self._n_alive == 0:
            return Retrieval(np.zeros(0, np.float32), empty, aq, "the index is empty")
        if len(aq.terms) > self.config.max_query_terms:
            known = [qt for qt in aq.terms if qt.term in self._vocab]
            known.sort(key=lambda qt: -qt.weight * self._idf_now(self._vocab[qt.term]))
            aq.terms = known[: self.config.max_query_terms]
        scores, used = self._scores(aq.terms)
        if not used:
            return Retrieval(scores, empty, aq, "no indexed document contains any of the query terms")
        self._mask_out(scores, filters)
        n_terms, weight = self._feedback_for(aq.terms)
        if self.config.feedback_docs > 0 and n_terms > 0 and weight > 0 and self._wants_feedback(aq.terms):
            extra = self._feedback_terms(scores, used, n_terms, weight)
            if extra:
                # Scores are sums over terms: add only the expansion terms' scores.
                aq.terms.extend(extra)
                self._scores(extra, out=scores)
                self._mask_out(scores, filters)
        top = top_k(scores, depth)
        if len(top) == 0:
            return Retrieval(scores, empty, aq, "no document matches the query within the filters")
        return Retrieval(scores, top, aq, None)

    def _weigh_translations(self, aq: AnalyzedQuery) -> None:
        """Translations chosen with evidence from the collection (compounds, then sense co-occurrence),
        when the configuration asks for either."""
        cfg = self.config
        compounds = cfg.compound_weight > 0 and any(u.joins_next for u in aq.translations)
        if not compounds and cfg.sense_evidence <= 0:
            return
        self._refresh()
        units, joins = list(aq.translations), list[QueryTerm]()
        weight = cfg.query.translation_weight
        if compounds:
            units, joins = attest(units, self._sample_docs, weight * cfg.compound_weight)
        originals = {t.term for t in aq.terms if t.source == "query"}
        confidence = self._sense_confidence(units) if cfg.sense_evidence > 0 else None
        translated = translation_terms(units, originals, weight, confidence)
        have = {t.term for t in translated} | originals
        aq.terms = [t for t in aq.terms if t.source != "translation"] + translated
        aq.terms += [j for j in joins if j.term not in have]

    def _feedback_for(self, terms: Sequence[QueryTerm]) -> tuple[int, float]:
        """Number of feedback terms and their weight for a demand (its own, or a translated demand's)."""
        cfg = self.config
        n_terms, weight = cfg.feedback_terms, cfg.feedback_weight
        if (
            cfg.translated_feedback_terms > 0 or cfg.translated_feedback_weight > 0
        ) and self.mostly_translated(terms):
            n_terms = cfg.translated_feedback_terms or n_terms
            weight = cfg.translated_feedback_weight or weight
        return n_terms, weight

    def _wants_feedback(self, terms: Sequence[QueryTerm]) -> bool:
        """Feedback expands demands of at most ``feedback_max_terms`` distinct terms of their own (their
        words, not translations or phrase terms; 0: every demand)."""
        limit = self.config.feedback_max_terms
        return limit <= 0 or sum(1 for t in terms if t.source == "query" and not is_phrase(t.term)) <= limit

    def _sample_docs(self, term: str) -> npt.NDArray[np.int64]:
        """Slots below ``sense_sample`` whose document contains ``term`` (sorted)."""
        tid = self._vocab.get(term)
        if tid is None or self._df[tid] <= 0:
            return np.zeros(0, np.int64)
        limit = self.config.sense_sample
        parts = [rows[: np.searchsorted(rows, limit)] for rows, _data, _idf in self._columns(tid)]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)

    def _sense_confidence(self, units: Sequence[TranslationUnit]) -> list[list[float]]:
        """Per unit, a confidence for each sense (summing to 1): prior by dictionary order (1 / position)
        times (ε + Σ over the other units of the Dice overlap between the documents containing every term
        of the sense and those containing any translation of the other unit). Senses absent from the
        collection get 0 (Ballesteros & Croft 1998; Gao et al. 2001). Only translations into Chinese are
        weighed: an English piece's headwords come from every dictionary line whose gloss has its words, and
        most are other senses (content → 惬意), while a Chinese term's English glosses are synonyms that
        all match (landslide, landslip); concentrating on one of them lost matches (docs/benchmarks.md)."""
        if not any(into_chinese(u) for u in units):
            return [[1.0 / len(u.senses)] * len(u.senses) for u in units]
        self._refresh()
        size = min(self.config.sense_sample, len(self._ids))
        sense_docs: list[list[npt.NDArray[np.int64]]] = []
        masks = np.zeros((len(units), size), dtype=bool)  # per unit: documents with any of its senses
        for u, unit in enumerate(units):
            docs_of_senses = []
            for sense in unit.senses:
                # Multi-character Chinese terms and English stems; single characters say little.
                terms = sorted(t for t in sense.terms if len(t) > 1)[:6]
                docs: npt.NDArray[np.int64] | None = None
                for t in terms:
                    d = self._sample_docs(t)
                    docs = d if docs is None else np.intersect1d(docs, d, assume_unique=True)
                    if not len(docs):
                        break
                docs = docs if docs is not None else np.zeros(0, np.int64)
                docs_of_senses.append(docs)
                masks[u, docs[docs < size]] = True
            sense_docs.append(docs_of_senses)
        counts = masks.sum(axis=1)
        out: list[list[float]] = []
        for i in range(len(units)):
            n = len(units[i].senses)
            if not into_chinese(units[i]):
                out.append([1.0 / n] * n)  # into English: synonyms all match (see the docstring)
                continue
            others = counts > 0
            others[i] = False
            raw = []
            for pos, docs in enumerate(sense_docs[i]):
                if not len(docs):
                    raw.append(0.0)
                    continue
                # Dice overlap with every other unit at once: documents of this sense in each unit's set.
                both = masks[:, docs].sum(axis=1)[others]
                overlap = float((2.0 * both / (len(docs) + counts[others])).sum())
                raw.append((0.05 + overlap) / (1 + pos))
            total, n, mix = sum(raw), len(raw), min(1.0, self.config.sense_evidence)
            evidence = [r / total for r in raw] if total > 0 else [1.0 / n] * n
            out.append([mix * e + (1 - mix) / n for e in evidence])
        return out

    def scores(self, terms: Sequence[QueryTerm], filters: Filters | None = None) -> F32:
        """Weighted BM25 score of every document slot for already analysed terms (no feedback; zero for
        documents that match no term, are removed or are filtered out)."""
        scores, _used = self._scores(terms)
        self._mask_out(scores, filters)
        return scores

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, context: str = ""
    ) -> SearchResult:
        """Best ``k`` documents for ``query``. An empty result carries a human-readable ``reason``.
        ``context``: text around the demand (e.g. the whole abstract of the sentences in ``query``),
        counted at ``QueryOptions.context_weight``."""
        scores, top, aq, reason = self._ranked_docs(query, filters, k, context)
        if reason:
            return SearchResult([], aq.terms, reason, aq.truncated)
        hits = []
        for s in top.tolist():
            doc = self._docs[s]
            assert doc is not None
            hits.append(Hit(doc.id, float(scores[s]), doc.kind, doc.title))
        return SearchResult(hits, aq.terms, None, aq.truncated)

    def search_experts(
        self, query: str, k: int | None = 10, filters: Filters | None = None, context: str = ""
    ) -> ExpertResult:
        """Experts ranked by their documents' scores (see :mod:`accord.match.aggregate`); ``k=None``: all.
        ``context`` as for :meth:`search`."""
        scores, top, aq, reason = self._ranked_docs(query, filters, self.config.expert_doc_depth, context)
        if reason:
            return ExpertResult([], aq.terms, reason, aq.truncated)
        doc_scores = list(zip(top.tolist(), scores[top].tolist(), strict=True))
        ranked = aggregate_experts(
            doc_scores,
            self._doc_experts,
            method=self.config.aggregation,
            top=self.config.aggregation_top,
            expert_doc_counts=self._expert_doc_counts(),
            temperature=self.temperature_for(aq.terms),
            k=k,
        )
        calibrated = calibrate(
            doc_scores,
            self._doc_experts,
            [e for e, _, _ in ranked],
            self.config.calibration,
            self.config.calibration_k,
        )
        years = self._column("year")
        experts = [
            ExpertHit(
                self._expert_names[e],
                sc,
                tuple(self._ids[s] for s in slots[:5]),
                calibrated[e],
                len(slots),
                tuple(int(y) for y in years[slots].tolist() if y > -(2**31)),
                float(scores[slots[0]]) if slots else 0.0,
            )
            for e, sc, slots in ranked
        ]
        if not experts:
            return ExpertResult([], aq.terms, "no matching document has an expert", aq.truncated)
        return ExpertResult(experts, aq.terms, None, aq.truncated)

    def temperature_for(self, terms: Sequence[QueryTerm]) -> float:
        """Model 2's temperature for a demand: ``translated_temperature`` when more than half of the
        weight of its original and translated terms that occur in the index comes through translation."""
        cfg = self.config
        if cfg.translated_temperature > 0 and self.mostly_translated(terms):
            return cfg.translated_temperature
        return cfg.aggregation_temperature

    def mostly_translated(self, terms: Sequence[QueryTerm]) -> bool:
        """More than half of the weight of the demand's original and translated terms that occur in the
        index comes through translation (the demand is matched mostly in the other language)."""
        known = [t for t in self.known_terms(terms) if t.source in ("query", "translation")]
        total = sum(t.weight for t in known)
        return total > 0 and sum(t.weight for t in known if t.source == "translation") > total / 2

    # -- for evaluation: slots and experts by number ---------------------------------------------------
    def known_terms(self, terms: Sequence[QueryTerm]) -> list[QueryTerm]:
        """The terms that occur in at least one indexed document."""
        return [t for t in terms if (tid := self._vocab.get(t.term)) is not None and self._df[tid] > 0]

    def doc_id(self, slot: int) -> str:
        return self._ids[slot]

    def expert_name(self, number: int) -> str:
        return self._expert_names[number]

    @property
    def doc_experts(self) -> Ragged:
        """Expert numbers of each slot (what :func:`aggregate_experts` takes)."""
        return self._doc_experts

    def expert_doc_counts(self) -> npt.NDArray[np.int64]:
        return self._expert_doc_counts()

    def _expert_doc_counts(self) -> npt.NDArray[np.int64]:
        c = self._cache.get("expert_counts")
        if c is None:
            experts, owner = self._doc_experts.gather(np.flatnonzero(self._alive_mask()))
            c = np.bincount(experts, minlength=len(self._expert_names)).astype(np.int64)
            del owner
            self._cache["expert_counts"] = c
        return c

    # -- explanation ---------------------------------------------------------------------------------
    def _segment_of(self, slot: int) -> Segment | None:
        if slot >= self._main_n:
            return self._delta
        for seg in self._mains:
            if seg.base <= slot < seg.base + seg.n:
                return seg
        return None

    def _term_contributions(self, slot: int, used: Sequence[tuple[int, QueryTerm]]) -> list[TermMatch]:
        seg = self._segment_of(slot)
        if seg is None:
            return []
        present = set(self._tokens.row(slot).tolist())  # only look up columns of terms the document has
        out: list[TermMatch] = []
        for tid, qt in used:
            if tid not in present:
                continue
            col = seg.column(tid)
            if col is None:
                continue
            rows, data, idf_seg = col
            hit = np.searchsorted(rows, slot)
            if hit < len(rows) and rows[hit] == slot and idf_seg > 0:
                c = float(data[hit]) * qt.weight * self._idf_now(tid) / idf_seg
                out.append(TermMatch(qt.term, qt.origin, qt.source, qt.via, c))
        out.sort(key=lambda t: -t.contribution)
        return out

    def explain(
        self,
        query: str,
        hit: Hit | ExpertHit,
        max_docs: int = 3,
        terms: Sequence[QueryTerm] | None = None,
        since: int | None = None,
    ) -> Explanation:
        """Why ``hit`` matched: terms (and translations), supporting documents with spans, score parts.

        Pass ``terms`` from the search result (``result.terms``, which includes feedback terms) to explain
        exactly the scored query; otherwise the query is analysed again (without feedback terms). The
        summary counts the documents of ``since`` or later as recent.
        """
        if terms is None:
            terms = self.analyze(query).terms
        return self._explain(hit, max_docs, self._used(terms), {}, display_units(query), since)

    def _used(self, terms: Sequence[QueryTerm]) -> list[tuple[int, QueryTerm]]:
        self._refresh()
        return [(tid, qt) for qt in terms if (tid := self._vocab.get(qt.term)) is not None]

    def _explain(
        self,
        hit: Hit | ExpertHit,
        max_docs: int,
        used: Sequence[tuple[int, QueryTerm]],
        memo: dict[int, tuple[DocExplanation, list[TermMatch]]],
        units: Sequence[DisplayUnit] = (),
        since: int | None = None,
    ) -> Explanation:
        if isinstance(hit, Hit):
            slots = [self._slot_of[hit.doc_id]] if hit.doc_id in self._slot_of else []
        else:
            slots = [self._slot_of[d] for d in hit.doc_ids[:max_docs] if d in self._slot_of]
        docs: list[DocExplanation] = []
        merged: dict[str, TermMatch] = {}
        sources: list[tuple[Document, list[TermMatch]]] = []
        for slot in slots:
            doc = self._docs[slot]
            if doc is None:
                continue
            if slot not in memo:  # experts share documents: explain each document once per match
                matches = self._term_contributions(slot, used)
                memo[slot] = (explain_document(doc, matches), matches)
            explained, matches = memo[slot]
            docs.append(explained)
            sources.append((doc, matches))
            for m in matches:
                prev = merged.get(m.term)
                merged[m.term] = (
                    m
                    if prev is None
                    else TermMatch(m.term, m.origin, m.source, m.via, prev.contribution + m.contribution)
                )
        matched = sorted(merged.values(), key=lambda t: -t.contribution)
        translated = [t for t in matched if t.source == "translation"]
        breakdown = {
            "original_terms": sum(t.contribution for t in matched if t.source == "query"),
            "translated_terms": sum(t.contribution for t in translated),
            "feedback_terms": sum(t.contribution for t in matched if t.source == "feedback"),
            "documents": float(len(docs)),
            "score": hit.score,
        }
        target = hit.doc_id if isinstance(hit, Hit) else hit.expert_id
        readable, n_matched, n_translated = readable_terms(units, sources, get_dictionary().is_word)
        if isinstance(hit, Hit):
            years = tuple(d.year for d, _ in sources if d.year is not None)
            n_docs = len(sources)
        else:
            years, n_docs = hit.years, hit.n_docs
        summary = MatchSummary(
            len(units),
            n_matched,
            n_translated,
            n_docs,
            sum(1 for y in years if since is not None and y >= since),
            since,
        )
        return Explanation(target, hit.score, matched, translated, docs, breakdown, readable, summary)

    def match_experts(
        self,
        query: str,
        k: int = 10,
        filters: Filters | None = None,
        max_docs: int = 3,
        since: int | None = None,
    ) -> tuple[ExpertResult, list[Explanation]]:
        """Experts for a demand plus an explanation for each (one analysis, one retrieval)."""
        res = self.search_experts(query, k, filters)
        used = self._used(res.terms)
        memo: dict[int, tuple[DocExplanation, list[TermMatch]]] = {}
        units = display_units(query)
        return res, [self._explain(e, max_docs, used, memo, units, since) for e in res.experts]

    # -- persistence ---------------------------------------------------------------------------------
    def save(self, directory: str | Path) -> None:
        """Write the index (merged) to ``directory`` atomically, with a manifest of SHA-256 checksums."""
        self.merge()
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".accord-match-", dir=directory.parent))
        try:
            files: dict[str, bytes] = {}
            files["docs.jsonl"] = "".join(
                json.dumps(asdict(d), ensure_ascii=False) + "\n" for d in self._docs if d is not None
            ).encode("utf-8")
            files["vocab.json"] = json.dumps(self._terms, ensure_ascii=False).encode("utf-8")
            tokens, offsets = self._tokens.arrays()
            arrays: dict[str, npt.NDArray[Any]] = {
                "tokens": tokens,
                "token_lens": np.diff(offsets),
                "df": self._df[: len(self._terms)],
            }
            for i, seg in enumerate(self._mains):
                for name in ("local_of", "data", "indices", "indptr", "idf"):
                    arrays[f"seg{i}_{name}"] = getattr(seg, name)
            for name, arr in arrays.items():
                path = tmp / f"{name}.npy"
                np.save(path, arr, allow_pickle=False)
                files[f"{name}.npy"] = path.read_bytes()
            for name, blob in files.items():
                if not name.endswith(".npy"):
                    (tmp / name).write_bytes(blob)
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "n_docs": len(self._ids),
                "segments": [[seg.base, seg.n] for seg in self._mains],
                "config": {
                    "k1": self.config.k1,
                    "b": self.config.b,
                    "k1_zh": self.config.k1_zh,
                    "b_zh": self.config.b_zh,
                },
                "files": {
                    n: {"sha256": hashlib.sha256(b).hexdigest(), "bytes": len(b)} for n, b in files.items()
                },
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
            if directory.exists():
                old = directory.with_name(directory.name + ".old")
                shutil.rmtree(old, ignore_errors=True)
                os.replace(directory, old)
                os.replace(tmp, directory)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, directory)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    @classmethod
    def load(cls, directory: str | Path, config: MatchConfig | None = None) -> Matcher:
        """Load an index saved by :meth:`save`; raises :class:`IndexCorruptedError` if anything is off."""
        directory = Path(directory)
        try:
            manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise IndexCorruptedError(f"unreadable manifest in {directory}: {e}") from e
        if manifest.get("format") != FORMAT:
            raise IndexCorruptedError(f"{directory} is not an Accord match index")
        if manifest.get("version") != FORMAT_VERSION:
            raise IndexOutdatedError(
                f"{directory} holds an index of version {manifest.get('version')}, not {FORMAT_VERSION}"
            )
        blobs: dict[str, bytes] = {}
        for name, meta in manifest.get("files", {}).items():
            try:
                blob = (directory / name).read_bytes()
            except OSError as e:
                raise IndexCorruptedError(f"missing index file {name}: {e}") from e
            if hashlib.sha256(blob).hexdigest() != meta.get("sha256"):
                raise IndexCorruptedError(f"checksum mismatch in index file {name}")
            blobs[name] = blob
        try:
            return cls._from_blobs(directory, manifest, blobs, config)
        except (KeyError, ValueError, TypeError, IndexError) as e:
            raise IndexCorruptedError(f"inconsistent index in {directory}: {e}") from e

    @classmethod
    def _from_blobs(
        cls, directory: Path, manifest: dict[str, Any], blobs: dict[str, bytes], config: MatchConfig | None
    ) -> Matcher:
        saved = manifest["config"]
        cfg = config or MatchConfig(
            k1=saved["k1"], b=saved["b"], k1_zh=saved.get("k1_zh", 0.0), b_zh=saved.get("b_zh", 0.0)
        )
        m = cls(cfg)
        arrays = {n[:-4]: np.load(directory / n, allow_pickle=False) for n in blobs if n.endswith(".npy")}
        m._terms = json.loads(blobs["vocab.json"])
        m._vocab = {t: i for i, t in enumerate(m._terms)}
        docs = [
            Document(**{**json.loads(line), "expert_ids": tuple(json.loads(line)["expert_ids"])})
            for line in blobs["docs.jsonl"].decode("utf-8").splitlines()
            if line
        ]
        lens = arrays["token_lens"]
        if len(docs) != manifest["n_docs"] or len(lens) != len(docs):
            raise ValueError("document count differs from the manifest")
        offsets = np.concatenate([[0], np.cumsum(lens)])
        tokens = arrays["tokens"].astype(np.int32)
        if offsets[-1] != len(tokens) or (len(tokens) and int(tokens.max()) >= len(m._terms)):
            raise ValueError("token arrays do not match the vocabulary")
        m._tokens = Ragged(tokens, offsets.astype(np.int64))
        m._df = arrays["df"].astype(np.int64)
        m._docs = list(docs)
        m._ids = [d.id for d in docs]
        m._slot_of = {d: i for i, d in enumerate(m._ids)}
        m._alive = np.ones(len(docs), dtype=bool)
        m._n_alive = len(docs)
        m._doc_experts.extend(
            [np.asarray([m._expert_id(e) for e in dict.fromkeys(d.expert_ids)], np.int32) for d in docs]
        )
        for d in docs:
            m._append_meta(d)
        expected = 0
        for i, (base, n) in enumerate(manifest["segments"]):
            prefix = f"seg{i}_"
            seg = Segment.from_arrays(
                int(base), int(n), {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
            )
            if (
                base != expected
                or len(seg.indptr) != len(seg.idf) + 1
                or (len(seg.indices) and (seg.indices.min() < base or seg.indices.max() >= base + n))
            ):
                raise ValueError("segment arrays are inconsistent")
            expected += int(n)
            m._mains.append(seg)
        if expected != len(docs):
            raise ValueError("segments do not cover the documents")
        m._main_n = len(docs)
        return m


__all__ = ["MatchConfig", "MatchError", "Matcher"]
