"""Gold labels moved onto another reading of the same agreement (the text read from its DOCX, PDF or scan).

Gold offsets index the labelled body. The same agreement read from another format differs a little:
lines joined, page numbers dropped, white space changed, or (from a scan) a few characters misread.
The two texts are aligned character by character (Levenshtein edit operations, rapidfuzz), and each
gold offset is carried to the other text through that alignment: exactly inside unchanged stretches,
to the start of the corresponding stretch inside changed ones. Quotes are then cut from the other
text at the carried offsets, so a commitment is scored on the words that format gave.
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Callable
from typing import Any


def offset_map(source: str, target: str) -> Callable[[int], int]:
    """A function carrying an offset in ``source`` to the matching offset in ``target``."""
    from rapidfuzz.distance import Levenshtein

    blocks: list[tuple[int, int, int, int, bool]] = []  # source start, end, target start, end, equal
    for op in Levenshtein.opcodes(source, target):
        blocks.append((op.src_start, op.src_end, op.dest_start, op.dest_end, op.tag == "equal"))
    starts = [b[0] for b in blocks]

    def carry(offset: int) -> int:
        if offset >= len(source):
            return len(target)
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        s1, e1, s2, e2, equal = blocks[i]
        if equal:
            return s2 + (offset - s1)
        # Inside a changed stretch: proportionally within it (a misread word keeps its place).
        if e1 == s1:
            return s2
        return s2 + round((offset - s1) * (e2 - s2) / (e1 - s1))

    return carry


def reanchor(gold: dict[str, Any], body: str, text: str) -> dict[str, Any]:
    """A copy of ``gold`` (offsets into ``body``) with its offsets and quotes moved onto ``text``."""
    carry = offset_map(body, text)
    moved = copy.deepcopy(gold)
    for clause in moved.get("clauses", []):
        if clause.get("start") is not None:
            clause["start"] = carry(int(clause["start"]))
        if clause.get("end") is not None:
            clause["end"] = carry(int(clause["end"]))
    for commitment in moved.get("commitments", []):
        start = commitment.get("quote_start")
        quote = commitment.get("quote") or ""
        if start is None:
            continue
        new_start = carry(int(start))
        new_end = max(new_start, carry(int(start) + len(quote)))
        commitment["quote_start"] = new_start
        commitment["quote"] = text[new_start:new_end]
    return moved
