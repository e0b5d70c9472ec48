"""The engine's BM25 scores against two reference implementations on a small corpus.

bm25s (Lucene variant) must give the same scores; rank_bm25 (Okapi) shares the term-frequency part and
differs only in its idf and a constant factor k1 + 1, so each of its per-term scores, rescaled to Lucene's
idf, must give ours too.
"""

from __future__ import annotations

import math

import bm25s
import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from accord.match import Document, MatchConfig, Matcher, QueryOptions, QueryTerm, tokenize

CORPUS = [
    "Thermal runaway of lithium-ion batteries is detected early from voltage and temperature.",
    "Slope stability of the reservoir bank is monitored with inclinometers and rainfall gauges.",
    "A landslide on the reservoir slope was monitored; the slope failed after the water level fell.",
    "Concrete cracking in dams: early shrinkage, temperature and the water level of the reservoir.",
    "Battery packs of electric vehicles: state of charge estimation for lithium batteries.",
    "三峡库区消落带边坡稳定监测与生态修复",
    "库区滑坡监测预警，边坡变形与水位变化的关系",
    "锂电池热失控预警与电池管理系统",
    "Groundwater seepage through the dam foundation and its monitoring.",
    "Vegetation restoration on the fluctuation zone of the reservoir bank.",
    "Early warning systems for landslides with rainfall thresholds and slope monitoring.",
    "Lithium battery safety: thermal runaway, separators and temperature monitoring.",
]
QUERIES = [
    "reservoir slope monitoring",
    "lithium battery thermal runaway temperature",
    "water level",
    "边坡监测 水位",
    "dam concrete seepage",
]


@pytest.mark.parametrize(("k1", "b"), [(1.2, 0.75), (0.9, 0.4), (2.0, 1.0)])
def test_scores_equal_bm25s_and_rank_bm25(k1: float, b: float) -> None:
    matcher = Matcher(MatchConfig(k1=k1, b=b, k1_zh=0.0, b_zh=0.0, query=QueryOptions(translate=False)))
    matcher.add_many(Document(id=str(i), text=t, lang="en") for i, t in enumerate(CORPUS))
    # The engine indexes with character unigrams only for Chinese documents; give the references the
    # same tokens as the engine (all documents here are declared English). Phrase terms ("thermal
    # runaway") are indexed too but do not count in a document's length: the references get the words.
    tokens = [[t for t in tokenize(text, unigrams=False) if " " not in t] for text in CORPUS]
    assert "thermal runaway" in tokenize(CORPUS[0], unigrams=False)

    reference = bm25s.BM25(k1=k1, b=b, method="lucene")
    reference.index(tokens, show_progress=False)
    okapi = BM25Okapi(tokens, k1=k1, b=b)
    n = len(CORPUS)
    checked: set[str] = set()
    for query in QUERIES:
        terms = list(dict.fromkeys(t for t in tokenize(query, unigrams=False) if " " not in t))
        ours = matcher.scores([QueryTerm(t, 1.0, "query", t) for t in terms])
        known = [t for t in terms if t in reference.vocab_dict]
        assert known, query
        theirs = reference.get_scores(known)
        np.testing.assert_array_equal(ours, theirs.astype(np.float32))

        # rank_bm25, term by term: idf_okapi(t) · (k1 + 1) · tf-part, where Lucene has idf_lucene(t) ·
        # tf-part (terms in half the documents or more have no Okapi idf to rescale).
        for t in known:
            if okapi.idf[t] <= 0.05:
                continue
            df = sum(1 for doc in tokens if t in doc)
            lucene_idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            expected = okapi.get_scores([t]) * lucene_idf / (okapi.idf[t] * (k1 + 1))
            ours_t = matcher.scores([QueryTerm(t, 1.0, "query", t)])
            np.testing.assert_allclose(ours_t, expected, rtol=2e-6, atol=1e-7)
            checked.add(t)
    assert len(checked) >= 10  # most query terms were compared with rank_bm25 as well


def _mixed(config: MatchConfig) -> Matcher:
    matcher = Matcher(config)
    matcher.add_many(
        Document(id=str(i), text=t, lang="zh" if any("\u4e00" <= c <= "\u9fff" for c in t) else "en")
        for i, t in enumerate(CORPUS)
    )
    return matcher


def test_chinese_documents_scored_with_their_own_k1_and_b() -> None:
    """With ``k1_zh``/``b_zh``, Chinese documents score as if the whole index had those parameters, and
    the others as before; the same values as ``k1``/``b`` change nothing."""
    base = _mixed(MatchConfig(k1=1.2, b=0.75, k1_zh=0.0, b_zh=0.0))
    same = _mixed(MatchConfig(k1=1.2, b=0.75, k1_zh=1.2, b_zh=0.75))
    own = _mixed(MatchConfig(k1=1.2, b=0.75, k1_zh=2.0, b_zh=0.3))
    everywhere = _mixed(MatchConfig(k1=2.0, b=0.3, k1_zh=0.0, b_zh=0.0))
    zh = np.asarray([any("\u4e00" <= c <= "\u9fff" for c in t) for t in CORPUS])
    changed = False
    for query in [*QUERIES, "监测 预警", "边坡 滑坡 库区"]:
        terms = [QueryTerm(t, 1.0, "query", t) for t in dict.fromkeys(tokenize(query))]
        ours = own.scores(terms)
        np.testing.assert_array_equal(same.scores(terms), base.scores(terms))
        np.testing.assert_array_equal(ours[~zh], base.scores(terms)[~zh])
        np.testing.assert_array_equal(ours[zh], everywhere.scores(terms)[zh])
        changed |= bool((ours[zh] != base.scores(terms)[zh]).any())
    assert changed  # the Chinese documents' parameters were used
