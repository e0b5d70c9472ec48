"""Package data: illustrative agreement texts for demos and tests."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent

# Illustrative CQU–Wanzhou strategic agreement (written from public reports; not the signed text).
CQU_WANZHOU_STRATEGIC: Path = _HERE / "cqu_wanzhou_strategic_2020.txt"


def read_sample(path: Path = CQU_WANZHOU_STRATEGIC) -> str:
    """Text of a bundled sample (UTF-8)."""
    return path.read_text(encoding="utf-8")
