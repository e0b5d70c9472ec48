"""Labelled agreements on disk (``texts/`` + ``gold/``, the layout of the shared LABELLING.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .scoring import lang_of


@dataclass(frozen=True)
class Document:
    name: str
    lang: str
    body: str
    gold: dict[str, Any]


def load_corpus(directory: Path) -> list[Document]:
    """Every text of ``directory`` that has a gold file; the body follows the header's blank line."""
    docs = []
    for text_path in sorted((directory / "texts").glob("*.txt")):
        gold_path = directory / "gold" / (text_path.stem + ".json")
        if not gold_path.exists():
            continue
        raw = text_path.read_text(encoding="utf-8")
        body = raw.split("\n\n", 1)[1] if "\n\n" in raw else raw
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        docs.append(Document(text_path.name, lang_of(text_path.name, gold), body, gold))
    return docs


def folds_of(docs: list[Document], k: int) -> list[int]:
    """A fold number for each document: per language in name order, dealt round-robin (deterministic)."""
    out = [0] * len(docs)
    for lang in sorted({d.lang for d in docs}):
        members = sorted((d.name, i) for i, d in enumerate(docs) if d.lang == lang)
        for position, (_name, i) in enumerate(members):
            out[i] = position % k
    return out
