"""Snippets with highlighted spans (character offsets, never HTML) for a matched document."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from accord.match.model import DocExplanation, Document, ReadableTerm, Span, TermMatch
from accord.match.query import DisplayUnit
from accord.match.tokenize import _HAN_RUN, _LATIN_WORD, _en_terms, _latin_words, en_term, term_spans

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
    # Single Chinese characters count in the score but are not highlighted: marks on 自 or 动 read as noise.
    weight = {m.term: m.contribution for m in matches if not (len(m.term) == 1 and _HAN_RUN.match(m.term))}
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


#: Related words from feedback shown per match, at most (they support the match; the demand's terms lead).
MAX_RELATED = 4


def readable_terms(
    units: Sequence[DisplayUnit],
    docs: Sequence[tuple[Document, Sequence[TermMatch]]],
    is_word: Callable[[str], bool],
) -> tuple[list[ReadableTerm], int, int]:
    """What matched, in words: the demand's terms found whole in the documents (a Chinese term only when
    its characters stand together in a document, an English word by its stem), translations with the
    sense that matched, and related words from feedback that are whole words. Returns the terms (demand's
    first, then translations, then related words; each by contribution) and how many demand terms matched
    at all and how many only through translation."""
    direct: dict[int, float] = {}
    translated: dict[str, tuple[float, str, float]] = {}  # origin → (contribution, gloss, its best)
    related: dict[str, float] = {}
    for doc, matches in docs:
        surface = doc_surface(doc)
        by_term = {m.term: m for m in matches if m.source == "query"}
        for i, unit in enumerate(units):
            got = [by_term[t].contribution for t in unit.terms if t in by_term]
            if got and (unit.lang == "en" or unit.text in surface):
                direct[i] = direct.get(i, 0.0) + sum(got)
        best: dict[str, TermMatch] = {}
        total: dict[str, float] = {}
        for m in matches:
            if m.source == "translation":
                total[m.origin] = total.get(m.origin, 0.0) + m.contribution
                if m.origin not in best or m.contribution > best[m.origin].contribution:
                    best[m.origin] = m
        for origin, m in best.items():
            gloss = m.via
            if _HAN_RUN.search(gloss) and gloss not in surface:
                continue  # a Chinese headword matched only through some of its characters
            c, shown, top = translated.get(origin, (0.0, gloss, -1.0))
            if m.contribution > top:  # the sense that matched best across the documents
                shown, top = gloss, m.contribution
            translated[origin] = (c + total[origin], shown, top)
        written: dict[str, str] | None = None
        for m in matches:
            if m.source != "feedback":
                continue
            if written is None:
                written = _written_words(surface)
            word = _as_written(m.term, written, is_word)
            if word and not any(word in u.text or u.text in word for u in units):
                related[word] = related.get(word, 0.0) + m.contribution
    out = [
        ReadableTerm(units[i].text, "query", units[i].text, "", c)
        for i, c in sorted(direct.items(), key=lambda kv: -kv[1])
    ]
    via: set[int] = set()
    for origin, (c, gloss, _top) in sorted(translated.items(), key=lambda kv: -kv[1][0]):
        owners = _owners(origin, units)
        via |= owners
        if owners and owners <= set(direct):
            continue  # the demand's own word already matched: its translation adds nothing to read
        out.append(ReadableTerm(f"{origin} → {gloss}", "translation", origin, gloss, c))
    for word, c in sorted(related.items(), key=lambda kv: -kv[1])[:MAX_RELATED]:
        out.append(ReadableTerm(word, "feedback", "", "", c))
    matched = set(direct) | via
    return out, len(matched), len(via - set(direct))


def _owners(origin: str, units: Sequence[DisplayUnit]) -> set[int]:
    """The demand's terms a translated piece came from (a Chinese piece lies in or over a term; an
    English phrase covers the words whose stems it has)."""
    if _HAN_RUN.search(origin):
        return {i for i, u in enumerate(units) if u.lang == "zh" and (origin in u.text or u.text in origin)}
    stems = {t for w in _LATIN_WORD.findall(origin) if (t := en_term(w))}
    return {i for i, u in enumerate(units) if u.lang == "en" and u.terms & stems}


def _written_words(surface: str) -> dict[str, str]:
    """English index term → the first word of ``surface`` that has it (one pass over the text)."""
    words = _latin_words(surface)[::-1]  # reversed, so that the first occurrence is written last
    out: dict[str | None, str] = dict(zip(map(_en_terms.__getitem__, words), words, strict=True))
    out.pop(None, None)  # stop words
    return cast("dict[str, str]", out)


def _as_written(term: str, written: dict[str, str], is_word: Callable[[str], bool]) -> str | None:
    """A feedback term as a person reads it: the English word as the document writes it (not its stem,
    ``written`` from :func:`_written_words`); a Chinese term only when it is a word (not a character or a
    fragment such as 测与)."""
    if _HAN_RUN.fullmatch(term):
        return term if len(term) >= 2 and is_word(term) else None
    return written.get(term)
