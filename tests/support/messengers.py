"""Local stand-ins for the messengers' webhook endpoints, answering as the platforms do.

One HTTP server on 127.0.0.1 serves ``/wecom``, ``/dingtalk``, ``/feishu``, ``/slack``, ``/teams`` and
``/webhook``. Each endpoint checks the platform's signature scheme and message shape with its own code
(written from the platforms' documentation, not Accord's) and answers like the platform: WeCom and
DingTalk ``{"errcode": 0, "errmsg": "ok"}`` (DingTalk 310000 when the signature does not match), Feishu
``{"code": 0}`` (19021 on a bad signature), Slack ``ok``, Teams 202, the generic webhook 204 (401 on a
bad signature). Accepted and refused requests are both recorded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

DINGTALK_SECRET = "SEC0123456789abcdef钉钉"
FEISHU_SECRET = "feishu-secret-飞书"
WEBHOOK_SECRET = "whsec_generic"
WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


@dataclass
class Received:
    platform: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    message: Any
    problems: list[str]

    @property
    def accepted(self) -> bool:
        return not self.problems


@dataclass
class Messengers:
    base: str = ""
    received: list[Received] = field(default_factory=list)
    fail: dict[str, int] = field(default_factory=dict)  # platform -> HTTP status to answer with

    def url(self, platform: str) -> str:
        if platform == "wecom":
            return f"{self.base}/wecom/cgi-bin/webhook/send?key={WECOM_KEY}"
        if platform == "dingtalk":
            return f"{self.base}/dingtalk/robot/send?access_token=abc123"
        if platform == "feishu":
            return f"{self.base}/feishu/open-apis/bot/v2/hook/0f1e2d3c"
        if platform == "slack":
            return f"{self.base}/slack/services/T000/B000/XXXX"
        if platform == "teams":
            return f"{self.base}/teams/workflows/abc/triggers/manual/paths/invoke"
        return f"{self.base}/webhook/accord"

    def accepted(self, platform: str) -> list[Received]:
        return [r for r in self.received if r.platform == platform and r.accepted]


def _b64_hmac(key: bytes, message: bytes) -> str:
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def _fresh(stamp: float) -> bool:
    return abs(time.time() - stamp) < 3600


def check_wecom(query: dict[str, str], message: Any) -> list[str]:
    problems = []
    if query.get("key") != WECOM_KEY:
        problems.append("wrong key")
    if message.get("msgtype") != "markdown" or not isinstance(
        message.get("markdown", {}).get("content"), str
    ):
        problems.append("not a markdown message")
    elif len(message["markdown"]["content"].encode()) > 4096:
        problems.append("content over 4096 bytes")
    return problems


def check_dingtalk(query: dict[str, str], message: Any) -> list[str]:
    problems = []
    stamp, signature = query.get("timestamp", ""), query.get("sign", "")
    expected = _b64_hmac(DINGTALK_SECRET.encode(), f"{stamp}\n{DINGTALK_SECRET}".encode())
    if not stamp.isdigit() or not _fresh(int(stamp) / 1000) or not hmac.compare_digest(signature, expected):
        problems.append("sign not match")
    card = message.get("actionCard") if message.get("msgtype") == "actionCard" else None
    if not card or not all(isinstance(card.get(k), str) and card[k] for k in ("title", "text")):
        problems.append("not an actionCard")
    elif not (card.get("singleTitle") and str(card.get("singleURL", "")).startswith("http")):
        problems.append("actionCard without its button")
    return problems


def check_feishu(message: Any) -> list[str]:
    problems = []
    stamp, signature = str(message.get("timestamp", "")), str(message.get("sign", ""))
    expected = _b64_hmac(f"{stamp}\n{FEISHU_SECRET}".encode(), b"")
    if not stamp.isdigit() or not _fresh(int(stamp)) or not hmac.compare_digest(signature, expected):
        problems.append("sign match fail or timestamp is not within one hour from current time")
    card = message.get("card") if message.get("msg_type") == "interactive" else None
    if not card or card.get("header", {}).get("title", {}).get("tag") != "plain_text":
        problems.append("not an interactive card")
    else:
        tags = [element.get("tag") for element in card.get("elements", [])]
        buttons = [
            action
            for element in card["elements"]
            if element.get("tag") == "action"
            for action in element["actions"]
        ]
        if "div" not in tags or not buttons or not buttons[0]["url"].startswith("http"):
            problems.append("card without fields or button")
    return problems


def check_slack(message: Any) -> list[str]:
    problems = []
    if not isinstance(message.get("text"), str) or not message["text"]:
        problems.append("no fallback text")
    blocks = message.get("blocks", [])
    kinds = [block.get("type") for block in blocks]
    if kinds[:1] != ["header"] or "section" not in kinds or "actions" not in kinds:
        problems.append("invalid_blocks")
    for block in blocks:
        for item in block.get("fields", []):
            if item.get("type") != "mrkdwn" or len(item.get("text", "")) > 2000:
                problems.append("invalid field")
    return problems


def check_teams(message: Any) -> list[str]:
    attachments = message.get("attachments") if message.get("type") == "message" else None
    if not attachments or attachments[0].get("contentType") != "application/vnd.microsoft.card.adaptive":
        return ["not an Adaptive Card message"]
    card = attachments[0]["content"]
    problems = []
    if card.get("type") != "AdaptiveCard" or not card.get("version"):
        problems.append("not an AdaptiveCard")
    if not any(item.get("type") == "FactSet" for item in card.get("body", [])):
        problems.append("no facts")
    if not any(a.get("type") == "Action.OpenUrl" and a.get("url") for a in card.get("actions", [])):
        problems.append("no link back")
    return problems


def check_webhook(headers: dict[str, str], body: bytes) -> list[str]:
    signature = headers.get("X-Accord-Signature", "")
    expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    return [] if hmac.compare_digest(signature, expected) else ["bad signature"]


def _answer(platform: str, problems: list[str]) -> tuple[int, bytes]:
    if platform == "wecom":
        code = 93000 if problems else 0
        return 200, json.dumps({"errcode": code, "errmsg": "; ".join(problems) or "ok"}).encode()
    if platform == "dingtalk":
        code = 310000 if problems else 0
        return 200, json.dumps({"errcode": code, "errmsg": "; ".join(problems) or "ok"}).encode()
    if platform == "feishu":
        code = 19021 if problems else 0
        return 200, json.dumps({"code": code, "msg": "; ".join(problems) or "success", "data": {}}).encode()
    if platform == "slack":
        return (400, b"invalid_payload") if problems else (200, b"ok")
    if platform == "teams":
        return (400, b"Bad payload") if problems else (202, b"")
    return (401, b"bad signature") if problems else (204, b"")


@contextmanager
def messengers() -> Iterator[Messengers]:
    state = Messengers()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            platform = parts.path.strip("/").split("/", 1)[0]
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            headers = dict(self.headers.items())
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                message = json.loads(body)
                problems: list[str] = []
            except ValueError:
                message, problems = None, ["not JSON"]
            if not problems:
                if platform == "wecom":
                    problems = check_wecom(query, message)
                elif platform == "dingtalk":
                    problems = check_dingtalk(query, message)
                elif platform == "feishu":
                    problems = check_feishu(message)
                elif platform == "slack":
                    problems = check_slack(message)
                elif platform == "teams":
                    problems = check_teams(message)
                else:
                    problems = check_webhook(headers, body)
            status, payload = _answer(platform, problems)
            if platform in state.fail:
                status, payload = state.fail[platform], b"temporarily unavailable"
                problems = [*problems, f"answered {status} on purpose"]
            state.received.append(Received(platform, parts.path, query, headers, body, message, problems))
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if payload.startswith(b"{") else "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
