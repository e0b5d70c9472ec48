"""One immutable BM25 score matrix (bm25s's precomputed-score layout) and exact top-k selection.

The matrix is bm25s's: per term (column, CSC), the documents containing it (ascending) and their
precomputed Lucene BM25 score idf · tf / (tf + k1 · (1 − b + b · |d| / avgdl)), with
idf = ln(1 + (N − df + 0.5) / (df + 0.5)) (Kamphuis et al., ECIR 2020), computed in the same precision as
bm25s (idf in float64 rounded to float32, the tf part in float64, the product rounded to float32), so the
scores equal bm25s's (tests/match/test_match_reference.py checks them against bm25s and rank_bm25). It is
built here with numpy from flat token-id arrays: bm25s's builder walks Python lists of every token, which
dominated indexing time and build memory.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]

_BLOCK = 1 << 22  # pairs scored at a time


def lucene_idf(df: npt.NDArray[np.int64], n: int) -> F32:
    """ln(1 + (N − df + 0.5) / (df + 0.5)) per term, in float64 rounded to float32."""
    d = df.astype(np.float64)
    return np.log(1.0 + (n - d + 0.5) / (d + 0.5)).astype(np.float32)


def lucene_tf(
    tf: npt.NDArray[np.float64], length: npt.NDArray[np.int64], avgdl: float, k1: float, b: float
) -> npt.NDArray[np.float64]:
    """The term-frequency part tf / (tf + k1 · (1 − b + b · |d| / avgdl)), in float64."""
    return tf / (k1 * ((1 - b) + b * length / avgdl) + tf)


def lucene_saturation(
    length: npt.NDArray[np.int64], avgdl: float, k1: npt.NDArray[np.float64], b: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Each document's k1 · (1 − b + b · |d| / avgdl) with its own k1 and b (the same float64 operations
    as :func:`lucene_tf`, so a document scores exactly as in an index with its parameters)."""
    out: npt.NDArray[np.float64] = k1 * ((1 - b) + b * length / avgdl)
    return out


class Segment:
    """Score matrix over the contiguous slots ``base .. base + n - 1``; postings hold global slots."""

    base: int
    n: int
    local_of: I32  # global term id -> column, or -1
    data: F32
    indices: I32
    indptr: I64
    idf: F32

    @classmethod
    def build(
        cls,
        k1: float,
        b: float,
        base: int,
        tokens: I32,
        offsets: I64,
        scored: I64 | None = None,
        other: tuple[npt.NDArray[np.bool_], float, float] | None = None,
    ) -> Segment:
        """From the documents' token ids, flat, with ``offsets`` (row i = tokens[offsets[i]:offsets[i+1]]).
        ``scored``: each document's length for BM25's length normalisation, when not all its tokens count
        (phrase terms do not: a document is as long as its words). ``other``: documents (a mask) scored
        with their own k1 and b instead (Chinese documents, whose terms are characters and bigrams)."""
        seg = cls()
        seg.base, seg.n = base, len(offsets) - 1
        lens = np.diff(offsets)
        norm = lens if scored is None else scored
        n = max(seg.n, 1)
        # One sort of (term, document) keys gives the distinct pairs in column order and their counts.
        # Temporaries are freed as soon as possible: this is the peak of the index's memory.
        key = tokens.astype(np.int64)
        key *= n
        key += np.repeat(np.arange(seg.n, dtype=np.int32), lens)
        key.sort()
        first = np.empty(len(key), dtype=bool)
        first[:1] = True
        np.not_equal(key[1:], key[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        tf = np.empty(len(starts), np.float32)
        tf[:-1] = starts[1:] - starts[:-1]
        tf[-1:] = len(key) - starts[-1:]
        del starts
        key = key[first]
        del first
        doc = (key % n).astype(np.int32)
        key //= n
        term = key
        del key
        firsts = np.flatnonzero(np.concatenate(([True], term[1:] != term[:-1]))) if len(term) else term[:0]
        uniq = term[firsts]
        del term
        seg.indptr = np.append(firsts, len(doc)).astype(np.int64)
        df = np.diff(seg.indptr)
        seg.local_of = np.full(int(uniq.max()) + 1 if len(uniq) else 0, -1, dtype=np.int32)
        seg.local_of[uniq] = np.arange(len(uniq), dtype=np.int32)
        # Column idf for rescaling at query time (as before: log1p, float32).
        seg.idf = np.log1p((seg.n - df + 0.5) / (df + 0.5)).astype(np.float32)
        # Scores in bm25s's precision: float32 idf times the float64 tf part, rounded once to float32;
        # in blocks to bound the float64 temporaries.
        idf_b = lucene_idf(df, seg.n)
        avgdl = float(norm.mean()) if seg.n else 1.0
        avgdl = avgdl if avgdl > 0 else 1.0
        # With parameters per document: each document's k1 · (1 − b + b · |d| / avgdl), once.
        saturation = None
        if other is not None:
            mask, k1_other, b_other = other
            saturation = lucene_saturation(
                norm, avgdl, np.where(mask, k1_other, k1), np.where(mask, b_other, b)
            )
        seg.data = np.empty(len(doc), np.float32)
        for s in range(0, len(doc), _BLOCK):
            e = min(s + _BLOCK, len(doc))
            col = np.searchsorted(seg.indptr, np.arange(s, e), side="right") - 1
            tfs = tf[s:e].astype(np.float64)
            if saturation is None:
                tfc = lucene_tf(tfs, norm[doc[s:e]], avgdl, k1, b)
            else:
                tfc = tfs / (saturation[doc[s:e]] + tfs)
            seg.data[s:e] = idf_b[col] * tfc
        del tf
        doc += np.int32(base)
        seg.indices = doc
        return seg

    @classmethod
    def from_arrays(cls, base: int, n: int, arrays: dict[str, Any]) -> Segment:
        seg = cls()
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


def top_k(scores: F32, k: int) -> I64:
    """Slots of the ``k`` highest positive scores, best first, ties by slot; exact, without sorting N.

    The k-th largest of the block maxima is a lower bound of the k-th largest score, so only the few
    scores at or above it are candidates (two passes over ``scores`` instead of a partition of all hits).
    """
    n = len(scores)
    if k <= 0 or n == 0:
        return np.zeros(0, np.int64)
    block = max(64, n // (8 * k))
    theta = 0.0
    if n >= 4 * block:
        full = n - n % block
        bmax = scores[:full].reshape(-1, block).max(axis=1)
        if full < n:
            bmax = np.append(bmax, scores[full:].max())
        if len(bmax) > k:
            theta = float(np.partition(bmax, len(bmax) - k)[len(bmax) - k])
    cand = np.flatnonzero(scores >= theta) if theta > 0 else np.flatnonzero(scores > 0)
    vals = scores[cand]
    if len(cand) > k:
        kth = np.partition(vals, len(vals) - k)[len(vals) - k]
        keep = vals >= kth
        cand, vals = cand[keep], vals[keep]
    order = np.lexsort((cand, -vals))[:k]
    out: I64 = cand[order].astype(np.int64, copy=False)
    return out
