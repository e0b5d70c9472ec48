"""A growable list of int32 arrays stored flat: one value buffer and one offsets array.

A million documents as a million small numpy arrays cost ~100 bytes of object header each and millions of
objects for the garbage collector to track; stored flat they cost only their values and one offset.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]


def grown(buf: npt.NDArray[Any], need: int) -> npt.NDArray[Any]:
    """``buf`` if it holds ``need`` items, else a larger copy."""
    if need <= len(buf):
        return buf
    # 1.5x growth: amortised O(1) appends; untouched capacity is never resident (np.empty).
    new = np.empty(max(need, len(buf) * 3 // 2, 16), dtype=buf.dtype)
    new[: len(buf)] = buf
    return new


class Ragged:
    """Rows of int32 values; append at the end, read rows as views, compact with :meth:`take`."""

    def __init__(self, values: I32 | None = None, offsets: I64 | None = None) -> None:
        self._values: I32 = np.zeros(0, np.int32) if values is None else values.astype(np.int32, copy=False)
        self._offsets: I64 = (
            np.zeros(1, np.int64) if offsets is None else offsets.astype(np.int64, copy=False)
        )
        self._n = len(self._offsets) - 1
        if self._n < 0 or int(self._offsets[-1]) != len(self._values):
            raise ValueError("offsets do not match the values")

    def __len__(self) -> int:
        return self._n

    @property
    def size(self) -> int:
        return int(self._offsets[self._n])

    def extend(self, rows: Sequence[I32]) -> None:
        """Append rows (one copy for the whole batch)."""
        if not rows:
            return
        lens = np.fromiter((len(r) for r in rows), np.int64, len(rows))
        flat = np.concatenate(rows) if len(rows) > 1 else np.asarray(rows[0])
        self.extend_flat(flat.astype(np.int32, copy=False), lens)

    def extend_flat(self, flat: I32, lens: I64) -> None:
        """Append ``len(lens)`` rows given as one flat array and their lengths."""
        start, n = self.size, self._n
        self._values = grown(self._values, start + len(flat))
        self._values[start : start + len(flat)] = flat
        self._offsets = grown(self._offsets, n + 1 + len(lens))
        self._offsets[n + 1 : n + 1 + len(lens)] = start + np.cumsum(lens)
        self._n += len(lens)

    def row(self, i: int) -> I32:
        return self._values[int(self._offsets[i]) : int(self._offsets[i + 1])]

    def lengths(self, lo: int = 0, hi: int | None = None) -> I64:
        hi = self._n if hi is None else hi
        return np.diff(self._offsets[lo : hi + 1])

    def lengths_of(self, rows: npt.NDArray[np.integer]) -> I64:
        rows = np.asarray(rows, np.int64)
        lens: I64 = self._offsets[rows + 1] - self._offsets[rows]
        return lens

    def span(self, lo: int, hi: int) -> tuple[I32, I64]:
        """Rows ``lo..hi-1`` as (flat values view, offsets starting at 0)."""
        off = self._offsets[lo : hi + 1]
        return self._values[int(off[0]) : int(off[-1])], off - off[0]

    def _positions(self, rows: npt.NDArray[np.integer]) -> tuple[I64, I64]:
        rows = np.asarray(rows, np.int64)
        starts = self._offsets[rows]
        lens = self._offsets[rows + 1] - starts
        # Position of each value: its row's start plus its rank inside the row.
        pos = np.arange(int(lens.sum()), dtype=np.int64) - np.repeat(np.cumsum(lens) - lens - starts, lens)
        return pos, lens

    def gather(self, rows: npt.NDArray[np.integer]) -> tuple[I32, I64]:
        """Values of several rows concatenated, and for each value the position of its row in ``rows``."""
        pos, lens = self._positions(rows)
        return self._values[pos], np.repeat(np.arange(len(lens), dtype=np.int64), lens)

    def compact(self, keep: npt.NDArray[np.bool_]) -> Ragged:
        """A new Ragged holding only the rows where ``keep`` is true (order kept)."""
        lens = self.lengths()
        values = self._values[: self.size][np.repeat(keep, lens)]
        offsets = np.zeros(int(keep.sum()) + 1, np.int64)
        np.cumsum(lens[keep], out=offsets[1:])
        return Ragged(values, offsets)

    def arrays(self) -> tuple[I32, I64]:
        """The live values and offsets (views; for saving)."""
        return self._values[: self.size], self._offsets[: self._n + 1]
