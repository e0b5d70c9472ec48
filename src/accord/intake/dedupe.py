"""Telling copies and revisions of an agreement apart from different agreements.

Three kinds of sameness, strongest first:

- ``same_file``: the same bytes (SHA-256).
- ``same_text``: the same agreement in another format (the PDF and the DOCX of one text): the
  texts' character 5-gram sets overlap almost wholly (Jaccard ≥ ``SAME_TEXT``) — page numbers,
  running heads and line breaks that one format adds do not move it much.
- ``revised``: a revised version (clauses changed, added or dropped): a large overlap
  (≥ ``REVISED``), or an almost whole one whose numbers differ (amounts, dates and counts changed;
  a copy in another format keeps every number but its page numbers).

Both need parties that do not contradict each other: agreements written on one model text (范本, or
one company's alliance template) overlap as much as revisions do — up to 0.8 in the labelled
corpus — and it is their different parties that tell them apart. When the parties cannot (a model
text whose parties are placeholders), a revision also needs titles that do not name different
agreements.

Texts are compared through MinHash signatures (datasketch), and candidates are found with MinHash
LSH, so a batch is checked against thousands of stored agreements without comparing every pair.
Pure: no database.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz

if TYPE_CHECKING:
    from datasketch import LeanMinHash

# datasketch is imported where it is used: it brings scipy, about a second at every process start
# (the web application, each command) for work only onboarding does.

NUM_PERM = 128
SHINGLE = 5
SAME_TEXT = 0.9
REVISED = 0.45
_SEED = 7
_SCHEME = "affine32"  # stored signatures must keep the scheme they were made with
_NOISE = re.compile(r"[\W_]+", re.UNICODE)
# Page furniture that differs between formats of one text: "第 3 页 共 12 页", "Page 3 of 12", "- 3 -".
_FURNITURE = re.compile(
    r"(?im)^\s*+(?:第\s*+\d+\s*+页(?:\s*+[,，/]?\s*+共\s*+\d+\s*+页)?|page\s+\d+(?:\s+of\s+\d+)?|[-–—]?\s*+\d{1,3}\s*+[-–—]?)\s*+$"
)


def normalise(text: str) -> str:
    """The text with page furniture, spacing, punctuation and case removed."""
    text = unicodedata.normalize("NFKC", text)
    text = _FURNITURE.sub("", text)
    return _NOISE.sub("", text).lower()


def text_hash(text: str) -> str:
    """SHA-256 of the normalised text: equal for one text saved in two formats that read identically."""
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[str]:
    norm = normalise(text)
    if len(norm) <= SHINGLE:
        return {norm} if norm else set()
    return {norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1)}


def numbers(text: str) -> tuple[str, ...]:
    """The numbers of a text, page furniture left out: a copy in another format keeps them all, a revision
    changes some (amounts, dates, counts)."""
    cleaned = _FURNITURE.sub("", unicodedata.normalize("NFKC", text))
    return tuple(re.findall(r"\d+", cleaned))


def _numbers_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    if not a or not b:
        return True
    left, right = Counter(a), Counter(b)
    changed = sum(((left - right) + (right - left)).values())
    return changed <= max(2, (len(a) + len(b)) // 100)


def signature(text: str) -> list[int]:
    """The MinHash signature of a text (``NUM_PERM`` integers), to store and compare later."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    grams = shingles(text)
    if grams:
        minhash.update_batch([g.encode("utf-8") for g in grams])
    return [int(v) for v in minhash.hashvalues]


def _minhash(values: Sequence[int]) -> LeanMinHash:
    from datasketch import LeanMinHash

    return LeanMinHash(seed=_SEED, hashvalues=np.array(values, dtype=np.uint32), scheme=_SCHEME)


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two texts from their signatures."""
    return float(_minhash(a).jaccard(_minhash(b)))


@dataclass(frozen=True)
class Fingerprint:
    """What is compared of one document: its bytes' hash, its text's signature, its parties and title."""

    key: str  # caller's identifier: "item:12" or "agreement:7"
    sha256: str
    text_hash: str
    signature: tuple[int, ...]
    parties: tuple[str, ...] = ()  # names as written (or the registry's), empty when blank
    title: str = ""
    numbers: tuple[str, ...] = ()  # every number of the text in order (see ``numbers``); empty when unknown


@dataclass(frozen=True)
class Verdict:
    other: str  # the key of the document this one repeats
    kind: str  # same_file | same_text | revised
    similarity: float


def _party_key(name: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", name)).lower()


def parties_agree(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two party lists could be the same parties: every named party of the shorter list has a
    close match in the other (blanks and unnamed parties agree with anything)."""
    left = [k for k in (_party_key(n) for n in a) if len(k) >= 2 and not set(k) <= set("x_")]
    right = [k for k in (_party_key(n) for n in b) if len(k) >= 2 and not set(k) <= set("x_")]
    if not left or not right:
        return True
    short, long = (left, right) if len(left) <= len(right) else (right, left)
    return all(max(fuzz.ratio(s, other) for other in long) >= 80 for s in short)


_TITLE_KIND = re.compile(
    r"(?i)(?:协议书|协议|合同书|合同|备忘录|意向书|框架|补充|修订稿|修订版|草案|征求意见稿|"
    r"agreement|contract|memorandum(?:\s+of\s+understanding)?|mou|amended(?:\s+and\s+restated)?|draft|revised)"
)


def titles_differ(a: str, b: str) -> bool:
    """Whether two titles name different agreements (支持学校发展协议书 and 奖助学金协议书, both written
    on one foundation's model text), not one agreement's versions: what is left once the words for a
    kind of document and for a draft or revision are taken out has little in common."""
    left = _NOISE.sub("", _TITLE_KIND.sub("", unicodedata.normalize("NFKC", a))).lower()
    right = _NOISE.sub("", _TITLE_KIND.sub("", unicodedata.normalize("NFKC", b))).lower()
    if len(left) < 2 or len(right) < 2:
        return False
    return fuzz.ratio(left, right) < 50 and fuzz.partial_ratio(left, right) < 70


def compare(a: Fingerprint, b: Fingerprint) -> Verdict | None:
    """How ``a`` repeats ``b``, if it does."""
    if a.sha256 == b.sha256:
        return Verdict(b.key, "same_file", 1.0)
    if a.text_hash == b.text_hash:
        return Verdict(b.key, "same_text", 1.0)
    score = similarity(a.signature, b.signature)
    if score < REVISED or not parties_agree(a.parties, b.parties):
        return None
    same = score >= SAME_TEXT and _numbers_agree(a.numbers, b.numbers)
    if not same and titles_differ(a.title, b.title):
        return None  # two agreements on one model text, not a revision
    return Verdict(b.key, "same_text" if same else "revised", round(score, 3))


_RANK = {"same_file": 3, "same_text": 2, "revised": 1}


class DuplicateFinder:
    """Known documents indexed for lookup; ``check`` names the one a new document repeats best."""

    def __init__(self) -> None:
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=REVISED * 0.8, num_perm=NUM_PERM)
        self._by_key: dict[str, Fingerprint] = {}
        self._by_sha: dict[str, str] = {}
        self._by_text: dict[str, str] = {}

    def add(self, print_: Fingerprint) -> None:
        if print_.key in self._by_key:
            return
        self._by_key[print_.key] = print_
        self._by_sha.setdefault(print_.sha256, print_.key)
        if print_.text_hash:
            self._by_text.setdefault(print_.text_hash, print_.key)
        if print_.signature:  # a stored original without a text is found by its bytes only
            self._lsh.insert(print_.key, _minhash(print_.signature))

    def check(self, print_: Fingerprint) -> Verdict | None:
        """The strongest repetition of a known document (same file, then same text, then the closest revision)."""
        if print_.sha256 in self._by_sha:
            return Verdict(self._by_sha[print_.sha256], "same_file", 1.0)
        if print_.text_hash in self._by_text:
            return Verdict(self._by_text[print_.text_hash], "same_text", 1.0)
        best: Verdict | None = None
        if not print_.signature:
            return None
        for key in self._lsh.query(_minhash(print_.signature)):
            if key == print_.key:
                continue
            verdict = compare(print_, self._by_key[key])
            if verdict and (
                best is None
                or (_RANK[verdict.kind], verdict.similarity) > (_RANK[best.kind], best.similarity)
            ):
                best = verdict
        return best
