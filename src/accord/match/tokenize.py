"""Tokenisation for Chinese, English and mixed text.

Chinese: jieba words (via the Rust port rjieba, ~20x faster than pure-Python jieba, same dictionary)
plus overlapping character bigrams, so out-of-vocabulary technical terms still match on their parts.
English: lower-case, Snowball stemming (PyStemmer), stop words removed. Both scripts are handled in one
pass, so mixed text (``基于BERT的模型``) yields tokens of both kinds. Never raises on odd input.

rjieba loads its dictionary when imported (about half a second): it is imported at the first Chinese
text, not with this module, which every process that builds the web application imports.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from types import ModuleType

import Stemmer

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RUN = re.compile(f"[{HAN}]+")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
_HAS_LETTER = re.compile(r"[A-Za-z]")
#: Words and the marks that end a phrase (punctuation within a sentence, Chinese text between words).
_PHRASE_PART = re.compile(f"[A-Za-z0-9]+|[.;:,!?()\\[\\]{HAN}]")

#: Maximum characters analysed; longer input is truncated (the caller is told through ``truncated``).
MAX_CHARS = 20_000

EN_STOPWORDS: frozenset[str] = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "etc",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "thus",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "may",
        "might",
        "must",
        "shall",
        "one",
        "two",
        "using",
        "used",
        "use",
        "based",
        "new",
        "given",
        "show",
        "shows",
        "shown",
        "paper",
        "propose",
        "proposed",
        "approach",
        "also",
    ]
)

ZH_STOPWORDS: frozenset[str] = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "对",
        "为",
        "以",
        "于",
        "将",
        "把",
        "被",
        "由",
        "从",
        "等",
        "中",
        "上",
        "下",
        "其",
        "该",
        "这",
        "那",
        "个",
        "之",
        "而",
        "并",
        "也",
        "都",
        "就",
        "又",
        "还",
        "但",
        "我们",
        "你们",
        "他们",
        "我",
        "你",
        "他",
        "她",
        "它",
        "本文",
        "文中",
        "通过",
        "进行",
        "一种",
        "一个",
        "以及",
        "并且",
        "如何",
        "可以",
        "能够",
        "需要",
        "希望",
        "寻求",
        "提出",
        "采用",
        "利用",
        "基于",
        "使用",
        "研究",
        "其中",
        "具有",
        "不同",
        "相关",
        "主要",
        "得到",
        "实现",
        "结果",
        "表明",
        "方面",
        "问题",
        "情况",
        "有",
        "无",
        "不",
        "所",
        "则",
        "即",
        "如",
    ]
)

#: Index neighbouring English content words as phrase terms too ("minimum spanning", "spanning tree").
PHRASES = True

#: Index every Chinese character as well (not only one-character words): partial matches of unseen terms.
ZH_UNIGRAMS = True

_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of one lower-case word (cached: corpora repeat words)."""
    return str(_stemmer.stemWord(word))


def is_han(text: str) -> bool:
    return bool(_HAN_RUN.fullmatch(text))


def detect_lang(text: str) -> str:
    """``zh`` when Han characters make up at least a fifth of the letters, else ``en``."""
    han = sum(len(m) for m in _HAN_RUN.findall(text[:2000]))
    latin = sum(len(m) for m in _LATIN_WORD.findall(text[:2000]))
    return "zh" if han and han * 5 >= han + latin else "en"


@dataclass(frozen=True, slots=True)
class Token:
    """A token with the character span it came from (for highlighting)."""

    term: str
    start: int
    end: int


@lru_cache(maxsize=500_000)
def en_term(word: str) -> str | None:
    """Index term for one Latin-script word, or None for stop words, lone letters and bare numbers."""
    w = word.lower()
    if len(w) < 2 or w in EN_STOPWORDS or not _HAS_LETTER.search(w):
        return None
    return stem(w)


def phrase_term(first: str, second: str) -> str:
    """Index term of two neighbouring English words (their stems, joined by a space: no word term has one)."""
    return f"{first} {second}"


def is_phrase(term: str) -> bool:
    return " " in term


def _phrase_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Neighbouring content words of English text as phrase terms: stop words between them are skipped,
    punctuation, numbers, lone letters and Chinese characters end a phrase (Metzler & Croft 2005's
    ordered pairs, without the window)."""
    prev: tuple[int, str] | None = None
    for m in _PHRASE_PART.finditer(text):
        word = m.group()
        if not word[0].isascii() or not word[0].isalnum():
            prev = None
            continue
        term = _en_terms[word]
        if term is None:
            if word.lower() not in EN_STOPWORDS:
                prev = None
            continue
        if prev is not None:
            yield prev[0], m.end(), phrase_term(prev[1], term)
        prev = (m.start(), term)


def en_phrases(text: str) -> list[str]:
    """The phrase terms of ``text`` (see :func:`_phrase_spans`)."""
    if not _HAS_LETTER.search(text):
        return []
    return [t for _s, _e, t in _phrase_spans(text)]


@cache
def _jieba() -> ModuleType:
    """The segmenter, imported on first use."""
    import rjieba

    return rjieba


def _zh_words(run: str) -> list[str]:
    return [w for w in _jieba().cut(run) if w.strip()]


def iter_tokens(text: str, unigrams: bool | None = None) -> Iterator[Token]:
    """Yield tokens with spans. Chinese: words of 3+ chars, all bigrams and (optionally) all characters."""
    text = text[:MAX_CHARS]
    uni = ZH_UNIGRAMS if unigrams is None else unigrams
    for m in _LATIN_WORD.finditer(text):
        term = en_term(m.group())
        if term is not None:
            yield Token(term, m.start(), m.end())
    if PHRASES and _HAS_LETTER.search(text):
        for start, end, term in _phrase_spans(text):
            yield Token(term, start, end)
    for m in _HAN_RUN.finditer(text):
        run, base = m.group(), m.start()
        pos = 0
        for w in _zh_words(run):
            n = len(w)
            if n >= 3 and w not in ZH_STOPWORDS:
                yield Token(w, base + pos, base + pos + n)
            pos += n
        if uni:
            for i, c in enumerate(run):
                if c not in ZH_STOPWORDS:
                    yield Token(c, base + i, base + i + 1)
        for i in range(len(run) - 1):
            bg = run[i : i + 2]
            if bg not in ZH_STOPWORDS:
                yield Token(bg, base + i, base + i + 2)


class _TermCache(dict[str, str | None]):
    """word -> :func:`en_term`, filled on first use; ``map(cache.__getitem__, words)`` stays in C on hits."""

    def __missing__(self, word: str) -> str | None:
        if len(self) >= 500_000:  # bound memory on adversarial input
            self.clear()
        term = self[word] = en_term(word)
        return term


_en_terms = _TermCache()
#: bytes.translate table: ASCII letters and digits kept, everything else a space (same as _LATIN_WORD).
_ASCII_WORDS = bytes(c if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))


def _latin_words(text: str) -> list[str]:
    if text.isascii():  # several times faster than the regex on English text
        return text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    return _LATIN_WORD.findall(text)


def tokenize(text: str, unigrams: bool | None = None) -> list[str]:
    """Index terms of ``text``: the same terms as :func:`iter_tokens`, without spans (indexing path)."""
    text = text[:MAX_CHARS]
    uni = ZH_UNIGRAMS if unigrams is None else unigrams
    out: list[str] = list(filter(None, map(_en_terms.__getitem__, _latin_words(text))))
    if PHRASES and out:
        out += en_phrases(text)
    if text.isascii():
        return out
    stop = ZH_STOPWORDS
    cut_words = _jieba().cut
    for run in _HAN_RUN.findall(text):
        out += [w for w in cut_words(run) if len(w) >= 3 and w not in stop]
        if uni:
            out += [c for c in run if c not in stop]
        out += [bg for bg in map(operator.add, run, run[1:]) if bg not in stop]
    return out


def term_spans(text: str, wanted: Collection[str]) -> list[tuple[int, int, str]]:
    """``(start, end, term)`` of the tokens of ``text`` whose term is in ``wanted``: the spans of
    :func:`iter_tokens` (with character unigrams), found without building every token. Segments Chinese
    only if a wanted term is a word of three or more characters."""
    text = text[:MAX_CHARS]
    out: list[tuple[int, int, str]] = [
        (m.start(), m.end(), t)
        for m in _LATIN_WORD.finditer(text)
        if (t := _en_terms[m.group()]) is not None and t in wanted
    ]
    if any(is_phrase(t) for t in wanted):
        out += [span for span in _phrase_spans(text) if span[2] in wanted]
    if text.isascii():
        return out
    words = any(len(t) >= 3 and is_han(t) for t in wanted)
    stop = ZH_STOPWORDS
    for m in _HAN_RUN.finditer(text):
        run, base = m.group(), m.start()
        if words:
            pos = 0
            for w in _jieba().cut(run):
                if len(w) >= 3 and w in wanted and w not in stop:
                    out.append((base + pos, base + pos + len(w), w))
                pos += len(w)
        out += [(base + i, base + i + 1, c) for i, c in enumerate(run) if c in wanted and c not in stop]
        out += [
            (base + i, base + i + 2, bg)
            for i, bg in enumerate(map(operator.add, run, run[1:]))
            if bg in wanted and bg not in stop
        ]
    return out


def han_runs(text: str) -> list[str]:
    """The runs of Chinese characters in ``text``."""
    return _HAN_RUN.findall(text[:MAX_CHARS])


def cut(run: str) -> list[str]:
    """jieba words of one run of Chinese characters (the segmenter knows the glossary's terms)."""
    return list(_jieba().cut(run))


def zh_subwords(word: str) -> list[str]:
    """Finer jieba pieces of a long word (search mode), used when the whole word has no translation."""
    return [w for w in _jieba().cut_for_search(word) if w != word and len(w) >= 2]


def en_words(text: str) -> list[str]:
    """Lower-case Latin words in order, stop words kept (phrase look-ups need them as boundaries)."""
    return [w.lower() for w in _LATIN_WORD.findall(text[:MAX_CHARS])]


def add_user_words(words: list[str]) -> None:
    """Teach the segmenter domain terms so they come out as one word (idempotent)."""
    for w in words:
        if is_han(w) and len(w) >= 2:
            _jieba().add_word(w, None, None)
