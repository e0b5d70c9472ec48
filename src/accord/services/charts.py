"""Charts drawn on the server with matplotlib (a bare Figure, SVG output, no pyplot or GUI backend), each with the table of its numbers.

Pages show a chart as ``<img src="data:image/svg+xml;base64,…">`` next to the same numbers as a
table, so nothing needs JavaScript and the page's CSP (no inline script or style) holds. Text is
drawn as outlines in a CJK font (Noto Sans CJK from Debian's fonts-noto-cjk), so Chinese labels
render the same in any browser and in the PDF report.

matplotlib is imported when the first chart is drawn, not with this module: every process that builds
the web application imports it, and most never draw (a server's warm-up draws the dashboard's).
"""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FAMILY = ["Noto Sans CJK SC", "DejaVu Sans"]
PALETTE = {
    "fulfilled": "#15803d",
    "partly_fulfilled": "#65a30d",
    "waived": "#6b7280",
    "done": "#15803d",
    "on_track": "#2563eb",
    "in_progress": "#2563eb",
    "at_risk": "#d97706",
    "overdue": "#b91c1c",
    "not_started": "#9ca3af",
    "cancelled": "#6b7280",
}
DEFAULT_COLOUR = "#4f46e5"
_lock = threading.Lock()
_ready = False


def _setup() -> None:
    global _ready
    if _ready:
        return
    import matplotlib
    from matplotlib import font_manager

    if CJK_FONT.exists():
        font_manager.fontManager.addfont(str(CJK_FONT))
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": FAMILY,
            "svg.fonttype": "path",
            "svg.hashsalt": "accord",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.unicode_minus": False,
        }
    )
    _ready = True


@dataclass
class Chart:
    """A drawn chart and the numbers behind it (the table shown beside it)."""

    title: str
    svg: bytes  # empty when every number is zero: nothing is drawn
    headers: list[str]
    rows: list[list[str | int | float]] = field(default_factory=list)

    @property
    def data_uri(self) -> str:
        """The SVG as a ``data:`` URI for an ``<img>``."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")

    @property
    def empty(self) -> bool:
        """Whether every number is zero (the page then says so instead of drawing nothing)."""
        return not any(isinstance(v, int | float) and v for row in self.rows for v in row[1:])


def _save(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    keys: Sequence[str] | None = None,
    value_header: str,
    label_header: str,
    horizontal: bool = False,
) -> Chart:
    """One bar per label; ``keys`` pick colours (status names) from the palette."""
    colours = [PALETTE.get(k, DEFAULT_COLOUR) for k in keys] if keys else [DEFAULT_COLOUR] * len(labels)
    rows: list[list[str | int | float]] = [
        [label, value] for label, value in zip(labels, values, strict=True)
    ]
    chart = Chart(title, b"", [label_header, value_header], rows)
    if not chart.empty:  # nothing to draw: the page says so instead of an axis around zero
        chart.svg = _bar_svg(title, tuple(labels), tuple(values), tuple(colours), horizontal)
    return chart


@lru_cache(maxsize=256)
def _bar_svg(
    title: str, labels: tuple[str, ...], values: tuple[float, ...], colours: tuple[str, ...], horizontal: bool
) -> bytes:
    # Drawing is the slow part (text becomes outlines); the same numbers give the same picture.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with _lock:
        _setup()
        figure = Figure(figsize=(6.4, 3.2 if not horizontal else max(2.2, 0.5 * len(labels) + 1)), dpi=100)
        axes = figure.subplots()
        positions = list(range(len(labels)))
        if horizontal:
            bars = axes.barh(positions, values, color=colours)
            axes.set_yticks(positions, labels=list(labels))
            axes.invert_yaxis()
            axes.xaxis.set_major_locator(MaxNLocator(integer=True))
            axes.margins(x=0.15)
        else:
            bars = axes.bar(positions, values, color=colours)
            axes.set_xticks(positions, labels=list(labels))
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.margins(x=0.05, y=0.15)
        axes.bar_label(bars, labels=[_number(v) for v in values], padding=2, fontsize=9)
        axes.set_title(title, fontsize=11, loc="left")
        return _save(figure)


def line_chart(
    title: str,
    points: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    label_header: str,
    keys: Sequence[str] | None = None,
) -> Chart:
    """Lines over ordered points (months); a series per (name, values)."""
    colours = tuple(PALETTE.get(k, DEFAULT_COLOUR) for k in keys) if keys else ()
    frozen = tuple((name, tuple(values)) for name, values in series)
    rows: list[list[str | int | float]] = [
        [point, *(values[i] for _name, values in series)] for i, point in enumerate(points)
    ]
    chart = Chart(title, b"", [label_header, *(name for name, _values in series)], rows)
    if not chart.empty:
        chart.svg = _line_svg(title, tuple(points), frozen, colours)
    return chart


@lru_cache(maxsize=256)
def _line_svg(
    title: str,
    points: tuple[str, ...],
    series: tuple[tuple[str, tuple[float, ...]], ...],
    colours: tuple[str, ...],
) -> bytes:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with _lock:
        _setup()
        figure = Figure(figsize=(6.4, 3.2), dpi=100)
        axes = figure.subplots()
        positions = list(range(len(points)))
        for index, (name, values) in enumerate(series):
            colour = colours[index] if colours else None
            axes.plot(positions, list(values), marker="o", markersize=3, label=name, color=colour)
        step = max(1, len(points) // 8)
        axes.set_xticks(positions[::step], labels=list(points)[::step], rotation=0, fontsize=8)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(bottom=0)
        axes.set_title(title, fontsize=11, loc="left")
        if series:
            axes.legend(fontsize=8, frameon=False, loc="upper left")
        return _save(figure)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:,.1f}"
