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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import numpy.typing as npt

from accord.match.aggregate import aggregate_experts
from accord.match.explain import explain_document
from accord.match.model import (
    DocExplanation,
    Document,
    ExpertHit,
    ExpertResult,
    Explanation,
    Filters,
    Hit,
    IndexCorruptedError,
    MatchError,
    QueryTerm,
    SearchResult,
    TermMatch,
)
from accord.match.query import AnalyzedQuery, QueryOptions, analyze
from accord.match.tokenize import detect_lang, tokenize

FORMAT = "accord-match-index"
FORMAT_VERSION = 2

F32 = npt.NDArray[np.float32]
I32 = npt.NDArray[np.int32]


@dataclass(frozen=True, slots=True)
class MatchConfig:
    k1: float = 1.2
    b: float = 0.75
    #: Title terms are indexed this many times (titles name the topic).
    title_repeat: int = 1
    merge_fraction: float = 0.1
    merge_min_docs: int = 2_000
    #: Documents per main segment (bounds build-time memory; more segments cost a little query time).
    segment_docs: int = 250_000
    #: Very long demands keep only their most informative terms (weight × idf), bounding query time.
    max_query_terms: int = 1_000
    aggregation: str = "model2"
    aggregation_top: int = 3
    aggregation_temperature: float = 3.0
    #: Documents considered when ranking experts (by document score).
    expert_doc_depth: int = 1_000
    query: QueryOptions = field(default_factory=QueryOptions)
    #: Pseudo-relevance feedback (RM3-style): expand the query with terms of the top documents.
    feedback_docs: int = 10
    feedback_terms: int = 20
    feedback_weight: float = 0.5


class _Segment:
    """One immutable bm25s score matrix over a contiguous range of slots."""

    def __init__(self, k1: float, b: float, base: int, docs: Sequence[I32]) -> None:
        self.base = base
        self.n = len(docs)
        uniq = (
            np.unique(np.concatenate(docs)) if docs and any(len(d) for d in docs) else np.zeros(0, np.int32)
        )
        self.local_of: I32 = np.full(int(uniq.max()) + 1 if len(uniq) else 0, -1, dtype=np.int32)
        self.local_of[uniq] = np.arange(len(uniq), dtype=np.int32)
        if len(uniq) == 0:
            self.data: F32 = np.zeros(0, np.float32)
            self.indices: I32 = np.zeros(0, np.int32)
            self.indptr: npt.NDArray[np.int64] = np.zeros(1, np.int64)
            self.idf: F32 = np.zeros(0, np.float32)
            return
        local_docs = [self.local_of[d].tolist() for d in docs]
        retriever = bm25s.BM25(k1=k1, b=b, method="lucene")
        vocab = {i: i for i in range(len(uniq))}
        retriever.index((local_docs, vocab), create_empty_token=False, show_progress=False)
        self.data = np.asarray(retriever.scores["data"], dtype=np.float32)
        # Stored as global slot numbers so that scoring needs no per-query offset arithmetic.
        self.indices = np.asarray(retriever.scores["indices"], dtype=np.int32) + np.int32(base)
        self.indptr = np.asarray(retriever.scores["indptr"], dtype=np.int64)
        df = np.diff(self.indptr).astype(np.float64)
        self.idf = np.log1p((self.n - df + 0.5) / (df + 0.5)).astype(np.float32)

    @classmethod
    def from_arrays(cls, base: int, n: int, arrays: dict[str, Any]) -> _Segment:
        seg = cls.__new__(cls)
        seg.base, seg.n = base, n
        seg.local_of, seg.data = arrays["local_of"], arrays["data"]
        seg.indices, seg.indptr, seg.idf = arrays["indices"], arrays["indptr"], arrays["idf"]
        return seg

    def column(self, term_id: int) -> tuple[I32, F32, float] | None:
        if term_id >= len(self.local_of):
            return None
        c = int(self.local_of[term_id])
        if c < 0:
            return None
        s, e = int(self.indptr[c]), int(self.indptr[c + 1])
        return self.indices[s:e], self.data[s:e], float(self.idf[c])


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
        self._tokens: list[I32] = []
        self._alive: list[bool] = []
        self._n_alive = 0
        self._mains: list[_Segment] = []  # main segments, contiguous slot ranges in order
        self._main_n = 0
        self._delta: _Segment | None = None
        self._experts: dict[str, int] = {}
        self._expert_names: list[str] = []
        self._doc_experts: list[I32] = []
        # Per-slot filter columns (codes), turned into numpy arrays lazily for vectorised filtering.
        self._codes: dict[str, dict[str | None, int]] = {"kind": {}, "lang": {}, "org": {}}
        self._meta: dict[str, list[int]] = {"kind": [], "lang": [], "org": [], "year": []}
        self._cache: dict[str, Any] = {}

    # -- building ------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._n_alive

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._slot_of

    def _term_ids(self, terms: list[str], grow: bool) -> I32:
        vocab = self._vocab
        if not grow:
            return np.asarray([i for t in terms if (i := vocab.get(t)) is not None], dtype=np.int32)
        before = len(vocab)
        # setdefault assigns the next id to unseen terms in one C-level call per token.
        ids = [vocab.setdefault(t, len(vocab)) for t in terms]
        if len(vocab) > before:
            names = self._terms
            for t, i in zip(terms, ids, strict=True):
                if i == len(names):  # first occurrence of a new term, in id order
                    names.append(t)
        return np.asarray(ids, dtype=np.int32)

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
        pending: list[I32] = []  # document frequencies are updated in vectorised batches
        for doc in docs:
            if doc.id in self._slot_of:
                self.remove(doc.id)
            if doc.lang is None:  # a copy: the caller's object is left as it was
                doc = replace(doc, lang=detect_lang(doc.title + " " + doc.text))
            ids = self._term_ids(self._doc_tokens(doc), grow=True)
            slot = len(self._ids)
            self._ids.append(doc.id)
            self._slot_of[doc.id] = slot
            self._docs.append(doc)
            self._tokens.append(ids)
            self._alive.append(True)
            self._n_alive += 1
            self._doc_experts.append(
                np.asarray([self._expert_id(e) for e in dict.fromkeys(doc.expert_ids)], dtype=np.int32)
            )
            self._append_meta(doc)
            if len(self._df) < len(self._terms):
                self._df = np.concatenate(
                    [self._df, np.zeros(max(len(self._terms), 2 * len(self._df)) - len(self._df), np.int64)]
                )
            pending.append(ids)
            if len(pending) >= 10_000:
                self._add_df(pending)
                pending = []
            n += 1
        self._add_df(pending)
        if n:
            self._delta = None
            self._cache.clear()
        return n

    def _add_df(self, batch: list[I32]) -> None:
        batch = [ids for ids in batch if len(ids)]
        if not batch:
            return
        v = len(self._terms)
        doc_idx = np.repeat(np.arange(len(batch), dtype=np.int64), [len(ids) for ids in batch])
        pairs = np.unique(doc_idx * v + np.concatenate(batch).astype(np.int64))  # distinct (doc, term)
        self._df[:v] += np.bincount(pairs % v, minlength=v)

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
        slot = self._slot_of.pop(doc_id, None)
        if slot is None:
            return False
        self._alive[slot] = False
        self._n_alive -= 1
        ids = self._tokens[slot]
        if len(ids):
            self._df[np.unique(ids)] -= 1
        self._docs[slot] = None
        if slot >= self._main_n:
            self._delta = None
        self._cache.clear()
        return True

    def _refresh(self) -> None:
        n_delta = len(self._ids) - self._main_n
        if n_delta > max(self.config.merge_min_docs, self.config.merge_fraction * self._main_n):
            self.merge()
        elif n_delta and self._delta is None:
            self._delta = _Segment(self.config.k1, self.config.b, self._main_n, self._tokens[self._main_n :])

    def merge(self) -> None:
        """Fold the delta segment and tombstones into a fresh main segment."""
        keep = [i for i, a in enumerate(self._alive) if a]
        self._ids = [self._ids[i] for i in keep]
        self._docs = [self._docs[i] for i in keep]
        self._tokens = [self._tokens[i] for i in keep]
        self._doc_experts = [self._doc_experts[i] for i in keep]
        self._meta = {k: [v[i] for i in keep] for k, v in self._meta.items()}
        self._alive = [True] * len(keep)
        self._slot_of = {d: i for i, d in enumerate(self._ids)}
        # Built in chunks so that bm25s's build-time Python lists stay small; global idf rescaling at
        # query time makes the chunks score as one index.
        self._mains = []
        step = max(1, self.config.segment_docs)
        for base in range(0, len(self._tokens), step):
            chunk = self._tokens[base : base + step]
            self._mains.append(_Segment(self.config.k1, self.config.b, base, chunk))
        self._main_n = len(self._ids)
        self._delta = None
        self._cache.clear()

    # -- columns for filters and aggregation (rebuilt after changes) -----------------------------------
    def _alive_mask(self) -> npt.NDArray[np.bool_]:
        m = self._cache.get("alive")
        if m is None:
            m = np.asarray(self._alive, dtype=bool)
            self._cache["alive"] = m
        return m

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

    def _scores(self, terms: Sequence[QueryTerm]) -> tuple[F32, list[tuple[int, QueryTerm]]]:
        self._refresh()
        scores = np.zeros(len(self._ids), dtype=np.float32)
        used: list[tuple[int, QueryTerm]] = []
        for qt in terms:
            tid = self._vocab.get(qt.term)
            if tid is None or self._df[tid] <= 0:
                continue
            used.append((tid, qt))
            idf = self._idf_now(tid)
            for seg in (*self._mains, self._delta):
                if seg is None:
                    continue
                col = seg.column(tid)
                if col is None:
                    continue
                rows, data, idf_seg = col
                if idf_seg <= 0:
                    continue
                scores[rows] += np.float32(qt.weight * idf / idf_seg) * data
        return scores, used

    def _feedback_terms(self, scores: F32, used: Sequence[tuple[int, QueryTerm]]) -> list[QueryTerm]:
        """RM3-style expansion (Lavrenko & Croft 2001; Abdul-Jaleel et al. 2004): terms weighted by
        Σ_d p(d|q) p(t|d) over the top documents, times idf; added below the original terms."""
        cand = np.flatnonzero(scores > 0)
        top = _top(scores, cand, self.config.feedback_docs)
        if len(top) < 2:
            return []
        doc_w = np.exp(scores[top] - scores[top[0]]).astype(np.float64)
        doc_w /= doc_w.sum()
        acc: dict[int, float] = defaultdict(float)
        for w, slot in zip(doc_w.tolist(), top, strict=True):
            toks = self._tokens[slot]
            if not len(toks):
                continue
            ids, counts = np.unique(toks, return_counts=True)
            for tid, c in zip(ids.tolist(), (counts / len(toks)).tolist(), strict=True):
                acc[tid] += w * c
        have = {tid for tid, _ in used}
        ranked = sorted(
            ((v * self._idf_now(t), t) for t, v in acc.items() if t not in have and self._df[t] > 1),
            reverse=True,
        )[: self.config.feedback_terms]
        if not ranked or ranked[0][0] <= 0:
            return []
        total_q = sum(qt.weight for _, qt in used)
        top_v = ranked[0][0]
        scale = self.config.feedback_weight * total_q / len(ranked)
        return [QueryTerm(self._terms[t], scale * v / top_v, "feedback", "top documents") for v, t in ranked]

    def analyze(self, query: str) -> AnalyzedQuery:
        return analyze(query, self.config.query)

    def _ranked_docs(
        self, query: str, filters: Filters | None
    ) -> tuple[F32, npt.NDArray[np.int64], AnalyzedQuery, str | None]:
        aq = self.analyze(query)
        empty = np.zeros(0, dtype=np.int64)
        if aq.reason:
            return np.zeros(0, np.float32), empty, aq, aq.reason
        if self._n_alive == 0:
            return np.zeros(0, np.float32), empty, aq, "the index is empty"
        if len(aq.terms) > self.config.max_query_terms:
            known = [qt for qt in aq.terms if qt.term in self._vocab]
            known.sort(key=lambda qt: -qt.weight * self._idf_now(self._vocab[qt.term]))
            aq.terms = known[: self.config.max_query_terms]
        scores, used = self._scores(aq.terms)
        if not used:
            return scores, empty, aq, "no indexed document contains any of the query terms"
        mask = self._filter_mask(filters) if filters else self._alive_mask()
        scores[~mask] = 0.0
        if self.config.feedback_docs > 0 and self.config.feedback_terms > 0:
            extra = self._feedback_terms(scores, used)
            if extra:
                # Scores are sums over terms: score only the expansion terms and add them.
                aq.terms.extend(extra)
                more, _ = self._scores(extra)
                scores += more
                scores[~mask] = 0.0
        cand = np.flatnonzero(scores > 0)
        if len(cand) == 0:
            return scores, empty, aq, "no document matches the query within the filters"
        return scores, cand, aq, None

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> SearchResult:
        """Best ``k`` documents for ``query``. An empty result carries a human-readable ``reason``."""
        scores, cand, aq, reason = self._ranked_docs(query, filters)
        if reason:
            return SearchResult([], aq.terms, reason, aq.truncated)
        top = _top(scores, cand, k)
        hits = []
        for s in top:
            doc = self._docs[s]
            assert doc is not None
            hits.append(Hit(doc.id, float(scores[s]), doc.kind, doc.title))
        return SearchResult(hits, aq.terms, None, aq.truncated)

    def search_experts(self, query: str, k: int | None = 10, filters: Filters | None = None) -> ExpertResult:
        """Experts ranked by their documents' scores (see :mod:`accord.match.aggregate`); ``k=None``: all."""
        scores, cand, aq, reason = self._ranked_docs(query, filters)
        if reason:
            return ExpertResult([], aq.terms, reason, aq.truncated)
        top = _top(scores, cand, self.config.expert_doc_depth)
        ranked = aggregate_experts(
            [(int(s), float(scores[s])) for s in top],
            self._doc_experts,
            method=self.config.aggregation,
            top=self.config.aggregation_top,
            expert_doc_counts=self._expert_doc_counts(),
            temperature=self.config.aggregation_temperature,
        )
        experts = [
            ExpertHit(self._expert_names[e], sc, tuple(self._ids[s] for s in slots[:5]), 1.0 / (i + 1))
            for i, (e, sc, slots) in enumerate(ranked if k is None else ranked[:k])
        ]
        if not experts:
            return ExpertResult([], aq.terms, "no matching document has an expert", aq.truncated)
        return ExpertResult(experts, aq.terms, None, aq.truncated)

    def _expert_doc_counts(self) -> npt.NDArray[np.int64]:
        c = self._cache.get("expert_counts")
        if c is None:
            c = np.zeros(len(self._expert_names), dtype=np.int64)
            for slot, ex in enumerate(self._doc_experts):
                if self._alive[slot] and len(ex):
                    c[ex] += 1
            self._cache["expert_counts"] = c
        return c

    # -- explanation ---------------------------------------------------------------------------------
    def _segment_of(self, slot: int) -> _Segment | None:
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
        present = set(self._tokens[slot].tolist())  # only look up columns of terms the document has
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
    ) -> Explanation:
        """Why ``hit`` matched: terms (and translations), supporting documents with spans, score parts.

        Pass ``terms`` from the search result (``result.terms``, which includes feedback terms) to explain
        exactly the scored query; otherwise the query is analysed again (without feedback terms).
        """
        if terms is None:
            aq = self.analyze(query)
            terms = aq.terms
        self._refresh()
        used = [(tid, qt) for qt in terms if (tid := self._vocab.get(qt.term)) is not None]
        if isinstance(hit, Hit):
            slots = [self._slot_of[hit.doc_id]] if hit.doc_id in self._slot_of else []
        else:
            slots = [self._slot_of[d] for d in hit.doc_ids[:max_docs] if d in self._slot_of]
        docs: list[DocExplanation] = []
        merged: dict[str, TermMatch] = {}
        for slot in slots:
            doc = self._docs[slot]
            if doc is None:
                continue
            matches = self._term_contributions(slot, used)
            docs.append(explain_document(doc, matches))
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
        return Explanation(target, hit.score, matched, translated, docs, breakdown)

    def match_experts(
        self, query: str, k: int = 10, filters: Filters | None = None, max_docs: int = 3
    ) -> tuple[ExpertResult, list[Explanation]]:
        """Experts for a demand plus an explanation for each (one analysis, one retrieval)."""
        res = self.search_experts(query, k, filters)
        return res, [self.explain(query, e, max_docs, res.terms) for e in res.experts]

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
            lens = np.asarray([len(t) for t in self._tokens], dtype=np.int64)
            arrays: dict[str, npt.NDArray[Any]] = {
                "tokens": np.concatenate(self._tokens) if self._tokens else np.zeros(0, np.int32),
                "token_lens": lens,
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
                "config": {"k1": self.config.k1, "b": self.config.b},
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
        if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
            raise IndexCorruptedError(f"{directory} is not an Accord match index of version {FORMAT_VERSION}")
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
        cfg = config or MatchConfig(k1=manifest["config"]["k1"], b=manifest["config"]["b"])
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
        m._tokens = [tokens[offsets[i] : offsets[i + 1]] for i in range(len(docs))]
        m._df = arrays["df"].astype(np.int64)
        m._docs = list(docs)
        m._ids = [d.id for d in docs]
        m._slot_of = {d: i for i, d in enumerate(m._ids)}
        m._alive = [True] * len(docs)
        m._n_alive = len(docs)
        m._doc_experts = [
            np.asarray([m._expert_id(e) for e in dict.fromkeys(d.expert_ids)], np.int32) for d in docs
        ]
        for d in docs:
            m._append_meta(d)
        expected = 0
        for i, (base, n) in enumerate(manifest["segments"]):
            prefix = f"seg{i}_"
            seg = _Segment.from_arrays(
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


def _top(scores: F32, cand: npt.NDArray[np.int64], k: int) -> list[int]:
    if k <= 0:
        return []
    if len(cand) > k:
        part = np.argpartition(-scores[cand], k - 1)[:k]
        cand = cand[part]
    order = np.lexsort((cand, -scores[cand]))  # ties broken by insertion order: deterministic
    return [int(x) for x in cand[order]]


__all__ = ["MatchConfig", "MatchError", "Matcher"]
