"""Synthetic speed benchmark: Accord's engine against raw peers on the same tokens.

The corpus is seeded and bilingual (half Chinese, half English). Chinese words are drawn by frequency from
jieba's dictionary (shipped in the jieba wheel); English words from ``wordfreq`` (bench extra) or, without
it, from CC-CEDICT's English glosses. Each system runs in its own subprocess so its peak RSS is its own.
Peers get Accord's tokens (pre-tokenised, read from a file), so their index time excludes segmentation;
Accord's includes it. Accord's worker generates the raw documents from the seed in chunks of 10,000, so its
peak RSS is its index (with the documents it keeps for snippets), not a second copy of the corpus.
"""

from __future__ import annotations

import gc
import importlib.util
import itertools
import json
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

Corpus = dict[str, Any]


# The retrieval core returns the best CORE_K documents of an already analysed query, for every system.
CORE_K = 100


def _zh_vocab(limit: int = 60_000) -> tuple[list[str], list[float]]:
    text = resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit() and len(parts[0]) >= 2:
            rows.append((int(parts[1]), parts[0]))
    rows.sort(reverse=True)
    rows = rows[:limit]
    return [w for _, w in rows], [float(f) for f, _ in rows]


def _en_vocab(limit: int = 40_000) -> tuple[list[str], list[float]]:
    try:
        import wordfreq

        freqs = wordfreq.get_frequency_dict("en")
        items = sorted(((f, w) for w, f in freqs.items() if w.isalpha() and w.isascii()), reverse=True)[
            :limit
        ]
        return [w for _, w in items], [f for f, _ in items]
    except ImportError:  # fall back to gloss words, Zipf-weighted by order of first appearance
        from accord.match.translate import get_dictionary

        seen: dict[str, None] = {}
        for senses in get_dictionary().zh_en.values():
            for s in senses[:1]:
                for w in s.lower().split():
                    if w.isalpha() and w.isascii():
                        seen.setdefault(w)
        words = list(seen)[:limit]
        return words, [1.0 / (i + 1) for i in range(len(words))]


class CorpusStream:
    """The seeded corpus, generated document by document: call :meth:`docs` to the end, then :meth:`queries`
    (one random stream, so both match :func:`make_corpus` exactly)."""

    def __init__(self, n_docs: int, seed: int) -> None:
        self.n_docs, self.rng = n_docs, random.Random(seed)
        self.zh_w, zh_f = _zh_vocab()
        self.en_w, en_f = _en_vocab()
        self.zh_cum, self.en_cum = list(itertools.accumulate(zh_f)), list(itertools.accumulate(en_f))

    def docs(self) -> Iterator[dict[str, Any]]:
        rng = self.rng
        n_experts = max(1, self.n_docs // 20)
        for i in range(self.n_docs):
            if i % 2 == 0:
                words = rng.choices(self.zh_w, cum_weights=self.zh_cum, k=rng.randint(30, 60))
                title, text, lang = "".join(words[:5]), "".join(words[5:]), "zh"
            else:
                words = rng.choices(self.en_w, cum_weights=self.en_cum, k=rng.randint(60, 120))
                title, text, lang = " ".join(words[:8]), " ".join(words[8:]), "en"
            experts = [f"x{rng.randrange(n_experts)}" for _ in range(rng.randint(1, 3))]
            yield {"id": f"d{i}", "title": title, "text": text, "lang": lang, "expert_ids": experts}

    def queries(self, n_queries: int) -> list[str]:
        rng, out = self.rng, []
        # Query words come from the middle of the frequency range (content words, not the commonest).
        zh_mid, en_mid = self.zh_w[200:20_000], self.en_w[200:20_000]
        for i in range(n_queries):
            if i % 2 == 0:
                out.append("".join(rng.sample(zh_mid, rng.randint(2, 5))))
            else:
                out.append(" ".join(rng.sample(en_mid, rng.randint(2, 6))))
        return out


def make_corpus(n_docs: int, n_queries: int, seed: int) -> Corpus:
    """Seeded corpus: documents (id, title, text, lang, expert_ids) and queries (half zh, half en)."""
    stream = CorpusStream(n_docs, seed)
    docs = list(stream.docs())
    return {"docs": docs, "queries": stream.queries(n_queries), "seed": seed}


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))] if s else 0.0


def _latency(samples: list[float]) -> dict[str, float]:
    total = sum(samples)
    return {
        "p50_ms": _pct(samples, 50),
        "p95_ms": _pct(samples, 95),
        "p99_ms": _pct(samples, 99),
        "qps": len(samples) / (total / 1000) if total else 0.0,
        "n_timed": float(len(samples)),
    }


def _peak_rss_mib() -> float:
    # VmHWM is this process image's own peak; ru_maxrss would also count the parent's RSS at fork time.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _tokens(corpus: Corpus) -> tuple[list[str], list[list[str]]]:
    """Accord's tokens: documents as space-joined strings (compact in memory), queries as lists."""
    from accord.match.tokenize import tokenize

    docs = [" ".join(tokenize(d["title"] + " " + d["text"], d["lang"] == "zh")) for d in corpus["docs"]]
    queries = [tokenize(q) for q in corpus["queries"]]
    return docs, queries


# -- workers (one per subprocess) ----------------------------------------------------------------------
def _timed(fn: Any, queries: list[Any]) -> list[float]:
    out = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        out.append((time.perf_counter() - t) * 1000)
    return out


def _work_accord(spec: dict[str, Any], _toks: Any) -> dict[str, Any]:
    """Accord generates its input in chunks (never the whole corpus at once), so its peak RSS is the
    index plus the documents it keeps for snippets, plus one chunk."""
    from accord.match import Document, Matcher
    from accord.match.translate import get_dictionary

    get_dictionary()  # loaded once per process; not part of indexing
    m = Matcher()
    stream = CorpusStream(spec["docs"], spec["seed"])
    docs, index_s = stream.docs(), 0.0
    extra: list[dict[str, Any]] = []
    while chunk := list(itertools.islice(docs, 10_000)):
        extra = extra or [dict(d, id=d["id"] + "-new") for d in chunk[:100]]
        t = time.perf_counter()
        m.add_many(Document.from_dict(d) for d in chunk)
        index_s += time.perf_counter() - t
    del chunk
    t = time.perf_counter()
    m.merge()
    index_s += time.perf_counter() - t
    # A long-lived index is millions of objects; moving them out of the cyclic GC's generations avoids
    # collection pauses of hundreds of ms in later queries (recommended for the app's worker as well).
    gc.collect()
    gc.freeze()
    queries = stream.queries(spec["queries"])
    analysed = [m.analyze(q).terms for q in queries]
    res: dict[str, Any] = {"index_s": index_s, "index_docs_per_s": spec["docs"] / index_s}
    # Retrieval core: weighted BM25 over the segments + the top CORE_K, for already analysed terms.
    res["core"] = _latency(_timed(lambda terms: m.top(terms, CORE_K), analysed))
    res["search"] = _latency(_timed(lambda q: m.search(q, 10), queries))
    res["full_match"] = _latency(_timed(lambda q: m.match_experts(q, 10), queries))
    # Incremental update cost: add 100 documents one by one, each followed by a search.
    t = time.perf_counter()
    for d in extra:
        m.add(Document.from_dict(d))
        m.search(queries[0], 10)
    res["add_then_search_ms"] = (time.perf_counter() - t) * 1000 / len(extra)
    return res


def _work_bm25s(corpus: Corpus, toks: Any) -> dict[str, Any]:
    import bm25s
    import numpy as np

    doc_str, q_toks = toks
    t = time.perf_counter()
    doc_toks = [d.split() for d in doc_str]
    r = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    r.index(doc_toks, show_progress=False)
    index_s = time.perf_counter() - t

    def q(tokens: list[str]) -> None:
        ids = r.get_tokens_ids(tokens)
        if ids:
            s = r.get_scores_from_ids(ids)
            k = min(CORE_K, len(s) - 1)
            np.argpartition(-s, k)[:k]

    return {
        "index_s": index_s,
        "index_docs_per_s": len(doc_toks) / index_s,
        "core": _latency(_timed(q, q_toks)),
    }


def _work_tantivy(corpus: Corpus, toks: Any) -> dict[str, Any]:
    import tantivy

    doc_toks, q_toks = toks
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="freq")
    sb.add_integer_field("n", stored=True, indexed=False, fast=False)
    schema = sb.build()
    t = time.perf_counter()
    index = tantivy.Index(schema)
    writer = index.writer(heap_size=256_000_000, num_threads=1)
    for i, dt in enumerate(doc_toks):
        writer.add_document(tantivy.Document(body=dt, n=i))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    index_s = time.perf_counter() - t
    searcher = index.searcher()

    def q(tokens: list[str]) -> None:
        if tokens:
            sub = [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", tk)) for tk in tokens]
            searcher.search(tantivy.Query.boolean_query(sub), CORE_K)

    return {
        "index_s": index_s,
        "index_docs_per_s": len(doc_toks) / index_s,
        "core": _latency(_timed(q, q_toks)),
    }


def _work_sqlite(corpus: Corpus, toks: Any) -> dict[str, Any]:
    import sqlite3

    doc_toks, q_toks = toks
    t = time.perf_counter()
    con = sqlite3.connect(":memory:")
    con.execute('CREATE VIRTUAL TABLE docs USING fts5(body, tokenize="unicode61 remove_diacritics 0")')
    con.executemany("INSERT INTO docs(rowid, body) VALUES (?, ?)", enumerate(doc_toks))
    con.commit()
    index_s = time.perf_counter() - t

    def q(tokens: list[str]) -> None:
        if tokens:
            expr = " OR ".join('"' + tk.replace('"', "") + '"' for tk in dict.fromkeys(tokens))
            con.execute(
                "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (expr, CORE_K)
            ).fetchall()

    return {
        "index_s": index_s,
        "index_docs_per_s": len(doc_toks) / index_s,
        "core": _latency(_timed(q, q_toks)),
    }


def _work_rank_bm25(corpus: Corpus, toks: Any) -> dict[str, Any]:
    import numpy as np
    from rank_bm25 import BM25Okapi

    doc_str, q_toks = toks
    t = time.perf_counter()
    doc_toks = [d.split() for d in doc_str]
    r = BM25Okapi(doc_toks, k1=1.2, b=0.75)
    index_s = time.perf_counter() - t
    # rank_bm25 scores every document in Python per query term: time a subset of the queries.
    budget = max(20, min(len(q_toks), 2_000_000 // max(1, len(doc_toks))))

    def q(tokens: list[str]) -> None:
        scores = r.get_scores(tokens)
        k = min(CORE_K, len(scores) - 1)
        np.argpartition(-scores, k)[:k]

    return {
        "index_s": index_s,
        "index_docs_per_s": len(doc_toks) / index_s,
        "core": _latency(_timed(q, q_toks[:budget])),
    }


WORKERS = {
    "accord": _work_accord,
    "bm25s": _work_bm25s,
    "tantivy": _work_tantivy,
    "sqlite": _work_sqlite,
    "rank_bm25": _work_rank_bm25,
}


def _worker_main(name: str, data_path: str, out_path: str) -> None:
    # Accord generates the raw corpus from its seed (it segments itself); peers read the pre-tokenised one.
    with open(data_path, "rb") as fh:
        data = pickle.load(fh)
    corpus, toks = (data, None) if name == "accord" else ({}, data)
    del data
    rss_before = _peak_rss_mib()
    res = WORKERS[name](corpus, toks)
    res["peak_rss_mib"] = _peak_rss_mib()
    res["rss_after_loading_input_mib"] = rss_before
    Path(out_path).write_text(json.dumps(res), encoding="utf-8")


# Each peer and the module it needs; tantivy and rank_bm25 come with the bench extra.
PEER_MODULES = {"bm25s": "bm25s", "tantivy": "tantivy", "sqlite": "sqlite3", "rank_bm25": "rank_bm25"}
BENCH_EXTRA = "pip install -e '.[bench]'"


def unavailable(peer: str) -> str | None:
    """Why ``peer`` cannot run here (unknown, or its package not installed), or None when it can."""
    module = PEER_MODULES.get(peer)
    if module is None:
        return f"unknown peer {peer!r}; choose from {', '.join(PEER_MODULES)}"
    if importlib.util.find_spec(module) is None:
        return f"{module} is not installed; install the benchmark extra: {BENCH_EXTRA}"
    return None


def run(
    n_docs: int,
    n_queries: int,
    peers: list[str],
    seed: int,
    progress: bool = True,
    rank_bm25_max: int = 100_000,
) -> dict[str, Any]:
    """Generate the corpus, run Accord and each peer in a subprocess, return all figures."""
    say = print if progress else (lambda *a, **k: None)
    t = time.perf_counter()
    corpus = make_corpus(n_docs, n_queries, seed)
    toks = _tokens(corpus)
    say(f"corpus: {n_docs} docs, {n_queries} queries ({time.perf_counter() - t:.1f}s)", file=sys.stderr)
    out: dict[str, Any] = {"docs": n_docs, "queries": n_queries, "seed": seed, "systems": {}}
    with tempfile.TemporaryDirectory() as tmp:
        cpath, tpath = Path(tmp) / "spec.pkl", Path(tmp) / "tokens.pkl"
        with cpath.open("wb") as fh:
            pickle.dump({"docs": n_docs, "queries": n_queries, "seed": seed}, fh)
        with tpath.open("wb") as fh:
            pickle.dump(toks, fh, protocol=pickle.HIGHEST_PROTOCOL)
        del corpus, toks
        for name in ["accord", *peers]:
            reason = None if name == "accord" else unavailable(name)
            if reason:
                say(f"{name} skipped: {reason}", file=sys.stderr)
                out["systems"][name] = {"skipped": reason}
                continue
            if name == "rank_bm25" and n_docs > rank_bm25_max:
                out["systems"][name] = {"skipped": f"more than {rank_bm25_max} documents"}
                continue
            rpath = Path(tmp) / f"{name}.json"
            say(f"running {name} ...", file=sys.stderr)
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "accord.bench.match_speed",
                    name,
                    str(cpath if name == "accord" else tpath),
                    str(rpath),
                ],
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0 or not rpath.exists():
                out["systems"][name] = {"error": (proc.stderr or "failed")[-500:]}
                continue
            out["systems"][name] = json.loads(rpath.read_text(encoding="utf-8"))
    peers_ok = {k: v for k, v in out["systems"].items() if k != "accord" and "core" in v}
    acc = out["systems"].get("accord", {})
    if peers_ok and "core" in acc:
        best_p95 = min(v["core"]["p95_ms"] for v in peers_ok.values())
        best_idx = max(v["index_docs_per_s"] for v in peers_ok.values())
        out["ratios"] = {
            "core_p95_vs_fastest_peer": acc["core"]["p95_ms"] / best_p95 if best_p95 else None,
            "index_rate_vs_fastest_peer": acc["index_docs_per_s"] / best_idx if best_idx else None,
        }
    return out


def print_table(res: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"match-speed: {res['docs']} docs, {res['queries']} queries (seed {res['seed']})")
    for col in ("system", "index docs/s", "p50 ms", "p95 ms", "p99 ms", "QPS", "peak RSS MiB"):
        table.add_column(col, justify="right")
    for name, r in res["systems"].items():
        if "core" not in r:
            table.add_row(name, r.get("skipped") or "error", "", "", "", "", "")
            continue
        rows = [("core", r["core"])] + [(k, r[k]) for k in ("search", "full_match") if k in r]
        for label, lat in rows:
            table.add_row(
                name if label == "core" else f"{name} {label}",
                f"{r['index_docs_per_s']:.0f}" if label == "core" else "",
                f"{lat['p50_ms']:.2f}",
                f"{lat['p95_ms']:.2f}",
                f"{lat['p99_ms']:.2f}",
                f"{lat['qps']:.0f}",
                f"{r['peak_rss_mib']:.0f}" if label == "core" else "",
            )
    Console().print(table)
    if "ratios" in res:
        Console().print(res["ratios"])


if __name__ == "__main__":
    _worker_main(sys.argv[1], sys.argv[2], sys.argv[3])
