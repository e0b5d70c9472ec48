"""Timing of a full import (read + extract) on a generated 30-page DOCX.

Run ``python -m accord.bench.intake_speed`` (and ``--shapes`` for 1 MB texts of awkward shapes); the figures
are recorded in docs/benchmarks.md, never asserted in tests.
"""

from __future__ import annotations

import io
import time

from accord.intake import extract, read_document

_CN = "零一二三四五六七八九"


def _cn(n: int) -> str:
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    rest = n % 100
    tail = ("零" + _CN[rest]) if 0 < rest < 10 else (_cn(rest) if rest else "")
    return _CN[n // 100] + "百" + tail


def make_long_docx(pages: int = 30) -> bytes:
    """An agreement of about ``pages`` A4 pages (roughly 1,000 characters per page)."""
    import docx

    document = docx.Document()
    document.add_paragraph("合作协议（性能测试用生成文本）")
    document.add_paragraph("甲方：某区人民政府")
    document.add_paragraph("乙方：某大学")
    document.add_paragraph("双方经友好协商，达成如下协议：")
    article = 0
    written = 0
    while written < pages * 1000:
        article += 1
        lines = [
            f"第{_cn(article)}条 合作事项{article}",
            "（一）甲方负责提供项目所需的场地、设施及政策支持，每年安排专项经费不少于100万元。",
            "（二）乙方应当组建研究团队，并于签约后3个月内提交工作方案，每半年向甲方报告进展。",
            "（三）双方共同建立联络机制，任何一方不得擅自泄露合作中获得的技术信息和商业秘密。",
            "（四）如乙方逾期提交成果，乙方应当及时书面说明原因，甲方有权要求乙方限期改正。",
        ]
        for line in lines:
            document.add_paragraph(line)
            written += len(line)
    document.add_paragraph("签订日期：2020年7月27日")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def time_import(pages: int = 30, repeat: int = 3) -> tuple[float, int, int]:
    """Best wall time in seconds of read_document + extract, with characters and commitments found."""
    data = make_long_docx(pages)
    best = float("inf")
    chars = found = 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = read_document(data, "generated.docx")
        extraction = extract(result.text)
        best = min(best, time.perf_counter() - started)
        chars, found = len(result.text), len(extraction.commitments)
    return best, chars, found


def time_shapes(size: int = 1_000_000) -> list[tuple[str, int, float, float]]:
    """``extract`` on each awkward shape of ``size`` UTF-8 bytes: (name, characters, wall s, CPU s).

    CPU time is what the process itself used; on a shared machine it is the fairer of the two.
    """
    from accord.intake.shapes import shapes

    out = []
    for name, text in shapes(size):
        started, cpu = time.perf_counter(), time.process_time()
        extract(text)
        out.append((name, len(text), time.perf_counter() - started, time.process_time() - cpu))
    return out


if __name__ == "__main__":
    import sys

    if "--shapes" in sys.argv:
        for name, chars, wall, cpu in time_shapes():
            print(f"{name:20s} {chars:9d} characters  wall {wall:6.2f} s  CPU {cpu:6.2f} s", flush=True)
    else:
        seconds, chars, found = time_import()
        print(f"30-page DOCX: {chars} characters, {found} commitments, read+extract {seconds:.3f} s")
