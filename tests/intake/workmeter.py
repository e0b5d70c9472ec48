"""A deterministic measure of the work ``extract`` does, for tests that check it grows linearly.

Work is counted in two parts, neither of them time:

- lines of the intake engine's own Python code executed (``sys.settrace``), which grows with every loop;
- characters handed to the regular-expression engine: each scanning call (search, finditer, findall, sub,
  split) is charged the length of the span it may read (``endpos - pos``), so searching the whole text
  inside a loop costs what it really may cost, which is how quadratic scans show up; an anchored call
  (match, fullmatch) is charged the length it matched.

Backtracking inside one pattern is not visible from Python; ``test_linear_time`` checks separately that
no pattern of the engine has the shapes that backtrack (nested or adjacent unbounded repeats that
overlap), and the wall-clock figures are measured by ``python -m accord.bench.intake_speed``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType, ModuleType
from typing import Any

import accord.intake

_SPAN_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


@dataclass
class Work:
    lines: int = 0
    regex_chars: int = 0
    by_pattern: dict[str, int] = field(default_factory=dict)
    patterns: set[tuple[str, int]] = field(default_factory=set)

    @property
    def total(self) -> int:
        return self.lines + self.regex_chars


def _span(string: Any, args: tuple[Any, ...], kwargs: dict[str, Any], method: str) -> int:
    if not isinstance(string, str):
        return 0
    if method in ("sub", "subn", "split"):
        return len(string)
    pos = args[0] if args else kwargs.get("pos", 0)
    endpos = args[1] if len(args) > 1 else kwargs.get("endpos", len(string))
    return max(0, min(endpos, len(string)) - pos) + 1


class _CountingPattern:
    def __init__(self, pattern: re.Pattern[str], work: Work) -> None:
        self._pattern = pattern
        self._work = work

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._pattern, name)
        if name not in _SPAN_METHODS:
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            if name in ("sub", "subn"):
                string, rest = args[1], ()
            else:
                string, rest = args[0], args[1:]
            result = attr(*args, **kwargs)
            if name in ("match", "fullmatch"):
                # Anchored: charged what it read when it matched (a failed attempt reads a bounded prefix).
                pos = rest[0] if rest else kwargs.get("pos", 0)
                cost = (result.end() - pos if result else 0) + 1
            else:
                cost = _span(string, rest, kwargs, name)
            self._work.regex_chars += cost
            key = self._pattern.pattern[:60]
            self._work.by_pattern[key] = self._work.by_pattern.get(key, 0) + cost
            return result

        return counted


class _CountingRe:
    """Stands in for the ``re`` module inside the intake engine's modules."""

    def __init__(self, work: Work) -> None:
        self._work = work

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    def compile(self, pattern: Any, flags: int = 0) -> Any:
        compiled = re.compile(pattern, flags)
        if isinstance(compiled.pattern, str):
            self._work.patterns.add((compiled.pattern, compiled.flags))
        return _CountingPattern(compiled, self._work) if isinstance(compiled.pattern, str) else compiled

    def _call(self, name: str) -> Callable[..., Any]:
        def call(pattern: Any, *args: Any, **kwargs: Any) -> Any:
            flags = kwargs.pop("flags", 0)
            compiled = self.compile(pattern, flags)
            return getattr(compiled, name)(*args, **kwargs)

        return call

    def search(self, pattern: Any, *args: Any, **kwargs: Any) -> Any:
        return self._call("search")(pattern, *args, **kwargs)

    def match(self, pattern: Any, *args: Any, **kwargs: Any) -> Any:
        return self._call("match")(pattern, *args, **kwargs)

    def fullmatch(self, pattern: Any, *args: Any, **kwargs: Any) -> Any:
        return self._call("fullmatch")(pattern, *args, **kwargs)

    def finditer(self, pattern: Any, *args: Any, **kwargs: Any) -> Any:
        return self._call("finditer")(pattern, *args, **kwargs)

    def findall(self, pattern: Any, *args: Any, **kwargs: Any) -> Any:
        return self._call("findall")(pattern, *args, **kwargs)

    def split(self, pattern: Any, *args: Any, **kwargs: Any) -> Any:
        return self._call("split")(pattern, *args, **kwargs)

    def sub(self, pattern: Any, repl: Any, string: Any, *args: Any, **kwargs: Any) -> Any:
        return self.compile(pattern, kwargs.pop("flags", 0)).sub(repl, string, *args, **kwargs)

    def subn(self, pattern: Any, repl: Any, string: Any, *args: Any, **kwargs: Any) -> Any:
        return self.compile(pattern, kwargs.pop("flags", 0)).subn(repl, string, *args, **kwargs)


def engine_modules() -> Iterator[ModuleType]:
    """Every module of ``accord.intake`` that ``extract`` runs (imported); reading files is apart."""
    package = accord.intake
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.name.endswith((".perf", ".samples", ".shapes", ".reader")):
            continue
        yield importlib.import_module(info.name)


@contextmanager
def measured() -> Iterator[Work]:
    """Count the engine's work inside the ``with`` block."""
    work = Work()
    proxy = _CountingRe(work)
    saved: list[tuple[ModuleType, str, Any]] = []
    for module in engine_modules():
        for name, value in list(vars(module).items()):
            if value is re:
                saved.append((module, name, value))
                setattr(module, name, proxy)
            elif isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                saved.append((module, name, value))
                setattr(module, name, _CountingPattern(value, work))
    root = accord.intake.__path__[0]

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            work.lines += 1
        return local

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(root) else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        yield work
    finally:
        sys.settrace(previous)
        for module, name, value in saved:
            setattr(module, name, value)


def module_patterns() -> set[tuple[str, int]]:
    """Patterns the extraction modules compile at import (also inside lists, tuples and dicts)."""
    found: set[tuple[str, int]] = set()

    def add(value: Any) -> None:
        if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
            found.add((value.pattern, value.flags))
        elif isinstance(value, list | tuple):
            for item in value:
                add(item)
        elif isinstance(value, dict):
            for item in value.values():
                add(item)

    for module in engine_modules():
        for value in vars(module).values():
            add(value)
    return found
