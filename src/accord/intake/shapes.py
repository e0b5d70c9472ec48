"""Texts of awkward shapes for checking that extraction time grows linearly with the input.

Each shape repeats a short pattern up to a given size in UTF-8 bytes: one line without breaks, no
punctuation, repeated dates and blanks, deeply nested numbering, lone characters on their own lines, a
run of one character. ``python -m accord.bench.intake_speed --shapes`` times them at 1 MB; the tests count the
work done on them at two sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator


def _repeat(unit: str) -> Callable[[int], str]:
    def make(size: int) -> str:
        per = max(1, len(unit.encode("utf-8")))
        text = unit * (size // per + 1)
        return _cut(text, size)

    return make


def _cut(text: str, size: int) -> str:
    """The longest prefix of ``text`` that fits in ``size`` UTF-8 bytes."""
    out = text[:size]
    while len(out.encode("utf-8")) > size:
        out = out[: len(out) - max(1, (len(out.encode("utf-8")) - size) // 3)]
    return out


def _nested(size: int) -> str:
    lines: list[str] = []
    total = 0
    i = 0
    while total < size:
        i += 1
        a, b, c = i // 400 + 1, (i // 20) % 20 + 1, i % 20 + 1
        line = (
            f"{a}.{b}.{c} 甲方应在签约后{c}个月内提交报告。\n" if i % 3 else f"（{c}）乙方负责(1)(a)(i)：\n"
        )
        lines.append(line)
        total += len(line.encode("utf-8"))
    return _cut("".join(lines), size)


SHAPES: dict[str, Callable[[int], str]] = {
    "zh_one_line": _repeat("甲方应在签约后3个月内向乙方支付100万元，并负责提供场地，"),
    "zh_no_punctuation": _repeat("甲方负责提供场地乙方应当支付经费双方共同建设实验室"),
    "en_no_punctuation": _repeat(
        "Party A shall provide the premises and Party B will pay the fees within thirty days "
    ),
    "en_one_sentence": _repeat("the University and the City shall jointly provide, and "),
    "zh_dates": _repeat("2020年7月27日前"),
    "zh_blank_dates": _repeat("____年____月____日前 "),
    "zh_spaced_dates": _repeat("2020 年 7 月  "),
    "digits": _repeat("1234567890"),
    "digits_and_spaces": _repeat("1 2 3 4 5 6 7 8 9 0 "),
    "en_dates": _repeat("on or before July 27, 2020 and within 30 days after the agreement is signed "),
    "nested_numbering": _nested,
    "markers": _repeat("(1)(a)(i)（一）一、第一条 1.1.1 Article 1. "),
    "spaces": _repeat(" "),
    "newlines": _repeat("\n"),
    "short_lines": _repeat("甲\n"),
    "en_short_lines": _repeat("Party A shall\n"),
    "one_character": _repeat("甲"),
}


def shapes(size: int) -> Iterator[tuple[str, str]]:
    """(name, text of about ``size`` UTF-8 bytes) for every shape."""
    for name, make in SHAPES.items():
        yield name, make(size)
