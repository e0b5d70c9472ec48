"""The verification example in docs/delivery.md must stay correct."""

from __future__ import annotations

import re
from pathlib import Path

from accord.delivery.channels import sign, verify_signature

DOC = Path(__file__).resolve().parents[2] / "docs" / "delivery.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_documented_receiver_check_runs_and_agrees_with_the_library() -> None:
    [block] = python_blocks()
    namespace: dict[str, object] = {}
    exec(compile(block, str(DOC), "exec"), namespace)
    verify = namespace["verify"]
    assert callable(verify)
    body = '{"key":"t1","subject":"督办通知"}'.encode()
    header = sign("s", body)
    assert verify("s", body, header) is verify_signature("s", body, header) is True
    assert verify("t", body, header) is verify_signature("t", body, header) is False


def test_the_documented_dedupe_key_example_matches_the_format() -> None:
    from datetime import date

    from accord.delivery.escalation import Level, NoticeKind, notice_key

    key = notice_key(
        "t42", NoticeKind.ESCALATION, Level.LEADERSHIP, "u3", date(2026, 6, 30), date(2026, 7, 14)
    )
    assert key in DOC.read_text(encoding="utf-8")
