"""Snippets with highlighted spans (character offsets, never HTML) for a matched document."""

from __future__ import annotations

from collections.abc import Sequence

from accord.match.model import DocExplanation, Document, Span, TermMatch
from accord.match.tokenize import term_spans

SNIPPET_CHARS = 240
#: Snippets are chosen from the start of long documents only (bounds explanation time for full patents).
SCAN_CHARS = 5_000


def doc_surface(doc: Document) -> str:
    """The text offsets refer to: the title, a newline, then the body."""
    return f"{doc.title}\n{doc.text}" if doc.title else doc.text


def explain_document(
    doc: Document, matches: Sequence[TermMatch], width: int = SNIPPET_CHARS
) -> DocExplanation:
    text = doc_surface(doc)[:SCAN_CHARS]
    weight = {m.term: m.contribution for m in matches}
    spans = term_spans(text, weight)
    spans.sort()
    # Best window: the one whose distinct matched terms carry the most score.
    best_start, best_val = 0, -1.0
    j = 0
    for i, (s, _, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= s + width:
            j += 1
        val = sum(weight[t] for t in {sp[2] for sp in spans[i:j]})
        if val > best_val:
            best_val, best_start = val, s
    start = max(0, min(best_start - 20, len(text) - width)) if spans else 0
    end = min(len(text), start + width)
    snippet = text[start:end]
    merged: list[Span] = []
    for s, e, t in spans:
        if s < start or e > end:
            continue
        if merged and s < merged[-1].end:  # overlapping bigrams / words: extend the previous span
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, e - start), last.term)
            continue
        merged.append(Span(s - start, e - start, t))
    return DocExplanation(doc.id, doc.title, sum(weight.values()), list(matches), snippet, merged, start)
