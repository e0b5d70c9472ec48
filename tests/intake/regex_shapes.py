"""Find the pattern shapes that make a backtracking regex engine take more than linear time.

Python's ``re`` backtracks. Two shapes make one attempt cost more than the length it reads:

- a repeat without an upper bound whose body may end on another unbounded repeat that reads what the
  body starts with (``(?:[0-9]+|\\s)+``), or choose between alternatives that start with the same
  character: exponential;
- two repeats without an upper bound in a row that can read the same characters, with nothing between
  them that only one of them can read (``(?:[0-9]|\\s)+\\s*月``, ``\\s*.*``): polynomial.

Possessive repeats (``*+``, ``++``) and atomic groups (``(?>…)``) never give back what they read, so
they are exempt. Character sets are compared on a probe alphabet: the pattern's own literals, ASCII
and a few common CJK and full-width characters.
"""

from __future__ import annotations

import re
import string
from re import _constants as c
from re import _parser as sre_parse
from typing import Any

_EXTRA = "\u3000中文甲乙方一二十年月日，。；：、（）０１９" + "\u00e9"


def _alphabet(pattern: str) -> frozenset[str]:
    return frozenset(string.printable) | frozenset(_EXTRA) | frozenset(pattern)


class _Sets:
    def __init__(self, alphabet: frozenset[str], flags: int) -> None:
        self.alphabet = alphabet
        self.ignore_case = bool(flags & re.IGNORECASE)
        self.dotall = bool(flags & re.DOTALL)

    def _fold(self, chars: set[str]) -> frozenset[str]:
        if not self.ignore_case:
            return frozenset(chars)
        return frozenset(chars | {x.lower() for x in chars} | {x.upper() for x in chars})

    def _category(self, cat: Any, ch: str) -> bool:
        tests = {
            c.CATEGORY_DIGIT: lambda x: x.isdigit(),
            c.CATEGORY_NOT_DIGIT: lambda x: not x.isdigit(),
            c.CATEGORY_SPACE: lambda x: x.isspace(),
            c.CATEGORY_NOT_SPACE: lambda x: not x.isspace(),
            c.CATEGORY_WORD: lambda x: x.isalnum() or x == "_",
            c.CATEGORY_NOT_WORD: lambda x: not (x.isalnum() or x == "_"),
        }
        return bool(tests.get(cat, lambda x: True)(ch))

    def _in(self, items: list[Any]) -> frozenset[str]:
        negate = False
        chosen: set[str] = set()
        for op, av in items:
            if op is c.NEGATE:
                negate = True
            elif op is c.LITERAL:
                chosen.add(chr(av))
            elif op is c.RANGE:
                lo, hi = av
                chosen |= {x for x in self.alphabet if lo <= ord(x) <= hi}
            elif op is c.CATEGORY:
                chosen |= {x for x in self.alphabet if self._category(av, x)}
        folded = self._fold(chosen)
        return self.alphabet - folded if negate else folded

    def chars(self, node: tuple[Any, Any]) -> frozenset[str]:
        """Every character ``node`` may read."""
        op, av = node
        if op is c.LITERAL:
            return self._fold({chr(av)})
        if op is c.NOT_LITERAL:
            return self.alphabet - self._fold({chr(av)})
        if op is c.ANY:
            return self.alphabet if self.dotall else self.alphabet - {"\n"}
        if op is c.IN:
            return self._in(av)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            return self.seq_chars(av[2])
        if op is c.SUBPATTERN:
            return self.seq_chars(av[3])
        if op is c.ATOMIC_GROUP:
            return self.seq_chars(av)
        if op is c.BRANCH:
            out: frozenset[str] = frozenset()
            for alt in av[1]:
                out |= self.seq_chars(alt)
            return out
        if op is c.GROUPREF or op is c.GROUPREF_EXISTS:
            return self.alphabet
        return frozenset()  # AT, ASSERT, ASSERT_NOT: read nothing

    def seq_chars(self, seq: Any) -> frozenset[str]:
        out: frozenset[str] = frozenset()
        for node in seq:
            out |= self.chars(node)
        return out

    def first(self, seq: Any) -> frozenset[str]:
        """Characters a match of ``seq`` may start with."""
        out: frozenset[str] = frozenset()
        for node in seq:
            out |= self.first_of(node)
            if not nullable(node):
                break
        return out

    def first_of(self, node: tuple[Any, Any]) -> frozenset[str]:
        op, av = node
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            return self.first(av[2])
        if op is c.SUBPATTERN:
            return self.first(av[3])
        if op is c.ATOMIC_GROUP:
            return self.first(av)
        if op is c.BRANCH:
            out: frozenset[str] = frozenset()
            for alt in av[1]:
                out |= self.first(alt)
            return out
        return self.chars(node)


def nullable(node: tuple[Any, Any]) -> bool:
    op, av = node
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return av[0] == 0 or all(nullable(n) for n in av[2])
    if op is c.SUBPATTERN:
        return all(nullable(n) for n in av[3])
    if op is c.ATOMIC_GROUP:
        return all(nullable(n) for n in av)
    if op is c.BRANCH:
        return any(all(nullable(n) for n in alt) for alt in av[1])
    return op in (c.AT, c.ASSERT, c.ASSERT_NOT)


def _unbounded(node: tuple[Any, Any]) -> bool:
    op, av = node
    return op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[1] == c.MAXREPEAT


def _flatten(seq: Any) -> list[tuple[Any, Any]]:
    """The sequence with plain groups opened, so neighbours across ``(?:…)`` are seen."""
    out: list[tuple[Any, Any]] = []
    for node in seq:
        op, av = node
        if op is c.SUBPATTERN:
            out.extend(_flatten(av[3]))
        else:
            out.append(node)
    return out


def _tails(seq: Any) -> list[tuple[Any, Any]]:
    """Unbounded repeats a match of ``seq`` may end with."""
    out: list[tuple[Any, Any]] = []
    for node in reversed(_flatten(seq)):
        op, av = node
        if _unbounded(node):
            out.append(node)
        elif op is c.BRANCH:
            for alt in av[1]:
                out.extend(_tails(alt))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            out.extend(_tails(av[2]))
        if not nullable(node):
            break
    return out


def problems(pattern: str, flags: int = 0) -> list[str]:
    """Descriptions of the backtracking shapes found in ``pattern`` (empty when there are none)."""
    parsed = sre_parse.parse(pattern, flags)
    sets = _Sets(_alphabet(pattern), parsed.state.flags)
    found: list[str] = []

    def walk(seq: Any) -> None:
        items = _flatten(seq)
        for i, node in enumerate(items):
            op, av = node
            if _unbounded(node):
                body = av[2]
                # Iterations can trade characters when one may end on a repeat that reads what the
                # next one starts with: "(?:[0-9]+|\\s)+" on "123", not "(?:\\.[0-9]+)*".
                starts = sets.first(body)
                if any(sets.chars(tail) & starts for tail in _tails(body)):
                    found.append("an unbounded repeat inside another that can end where the next begins")
                flat = _flatten(body)
                for sub in flat:
                    if sub[0] is c.BRANCH:
                        alts = [sets.first(alt) for alt in sub[1][1]]
                        for a in range(len(alts)):
                            for b in range(a + 1, len(alts)):
                                if alts[a] & alts[b]:
                                    found.append("alternatives starting alike inside an unbounded repeat")
                mine = sets.chars(node)
                for later in items[i + 1 :]:
                    if _unbounded(later) and sets.first_of(later) & mine:
                        found.append("two unbounded repeats in a row reading the same characters")
                        break
                    if nullable(later) or sets.chars(later) <= mine:
                        continue
                    break
                walk(body)
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                walk(av[2])
            elif op is c.BRANCH:
                for alt in av[1]:
                    walk(alt)
            elif op in (c.ASSERT, c.ASSERT_NOT):
                walk(av[1])
            # possessive repeats and atomic groups give nothing back: their insides cannot backtrack

    walk(parsed)
    return sorted(set(found))
