"""The Python walkthrough in docs/api.md runs, as written there, against a test server with the demo."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from tests.support.accounts import CQU, token_for

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _python_block() -> str:
    [block] = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return block


def test_the_python_walkthrough_runs_against_the_api(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    namespace: dict[str, Any] = {"__name__": "walkthrough"}
    exec(compile(_python_block(), str(DOC), "exec"), namespace)  # the code of the doc, unchanged
    client.headers.update(token_for(factory, CQU))
    client.headers["Accept-Language"] = "zh-CN"
    result = namespace["walkthrough"](client)
    assert result["agreement"]["title_zh"] == "人才培养合作协议"
    assert len(result["commitments"]) >= 2
    reviewed = client.get(f"/api/v1/agreements/{result['agreement']['id']}/commitments").json()
    assert {c["review"] for c in reviewed} == {"accepted"}
    assert float(result["task"]["progress_percent"]) == 40
    updates = client.get(f"/api/v1/tasks/{result['task']['id']}/updates").json()
    assert updates[0]["note"] == "首批 8 名研究生已入学"


def test_the_curl_walkthrough_names_only_operations_that_exist(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    templates = [re.compile("^" + re.sub(r"\{[^}]+\}", r"[^/]+", p) + "$") for p in paths]
    used = re.findall(r'"\$ACCORD_URL/api/v1(/[^"?]*)', DOC.read_text(encoding="utf-8"))
    assert used and all(any(t.match(path) for t in templates) for path in used), used
