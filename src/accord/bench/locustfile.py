"""The people of ``accord bench load`` as locust users: read pages, search, report progress, upload evidence.

locust monkey-patches the standard library with gevent when imported, so the accord process never imports
this file: ``accord bench load`` runs ``python -m locust -f <this file>`` and reads the statistics it writes.
The plan (accounts, their agreements and tasks, think times, measured seconds) comes from the JSON file in
``ACCORD_LOAD_PLAN``; failures are written to ``ACCORD_LOAD_ERRORS`` when locust stops.

The statistics restart ``warmup`` seconds after the last person has signed in and locust stops ``duration``
seconds later, so the figures hold steady use only: not the burst of sign-ins (argon2 is slow on purpose),
nor each process's first renders of each template. If a sign-in
fails they never restart and the run ends at locust's ``--run-time``, with the failure in the figures.

Every request is sent without following redirects and checked for the one status it should have, so a
session that expired (redirect to /login), a lost update (409) or a server error counts as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

PLAN: dict[str, Any] = json.loads(Path(os.environ["ACCORD_LOAD_PLAN"]).read_text(encoding="utf-8"))
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_indexes = itertools.count()
_signed_in = itertools.count(1)


def _write_errors(environment: Environment, **_kwargs: Any) -> None:
    errors = [
        {"kind": e["name"], "error": e["error"], "occurrences": e["occurrences"]}
        for e in environment.stats.serialize_errors().values()
    ]
    Path(os.environ["ACCORD_LOAD_ERRORS"]).write_text(
        json.dumps(errors, ensure_ascii=False), encoding="utf-8"
    )


events.quitting.add_listener(_write_errors)  # type: ignore[no-untyped-call]


class Person(HttpUser):
    """One signed-in person: a coordinator of the supervision office or a member reporting on own tasks."""

    wait_time = between(PLAN["wait_min"], PLAN["wait_max"])

    def on_start(self) -> None:
        self.index = next(_indexes)
        self.me: dict[str, Any] = PLAN["accounts"][self.index % len(PLAN["accounts"])]
        self.rng = random.Random(PLAN["seed"] + self.index)
        self.uploads = 0
        # Like a browser, send a page request again once when the server closed the idle keep-alive
        # connection just as it was reused (uvicorn closes them after 5 s; people think 1-5 s).
        retry = Retry(total=1, connect=1, read=1, status=0, allowed_methods={"GET"}, raise_on_status=False)
        self.client.mount("http://", HTTPAdapter(max_retries=retry))
        self.client.headers["Accept-Language"] = "zh-CN,zh;q=0.9" if self.index % 2 else "en"
        token = self._token(self._get("/login", "sign-in form"))
        data = {"email": self.me["email"], "password": PLAN["password"], "csrf_token": token}
        if self._post("/login", "sign in", data, expect_location="/") and next(_signed_in) == len(
            PLAN["accounts"]
        ):
            gevent.spawn_later(PLAN["warmup"], self._measure)

    def _measure(self) -> None:
        self.environment.stats.reset_all()
        runner = self.environment.runner
        if runner is not None:
            gevent.spawn_later(PLAN["duration"], runner.quit)

    # --- requests ----------------------------------------------------------------------------------

    def _get(self, url: str, kind: str) -> str:
        with self.client.get(url, name=kind, allow_redirects=False, catch_response=True) as response:
            if response.status_code == 200:
                response.success()
                return str(response.text)
            response.failure(f"{response.status_code} on GET {url} {response.error or ''}".strip())
            return ""

    def _post(
        self,
        url: str,
        kind: str,
        data: dict[str, str],
        *,
        expect_location: str,
        files: list[tuple[str, tuple[str, bytes, str]]] | None = None,
    ) -> bool:
        with self.client.post(
            url, name=kind, data=data, files=files, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("location", "")
            if response.status_code == 303 and urlparse(location).path == expect_location:
                response.success()
                return True
            response.failure(f"{response.status_code} on POST {url} {response.error or location}".strip())
            return False

    @staticmethod
    def _token(page: str) -> str:
        found = CSRF.search(page)
        return found.group(1) if found else ""

    def _pick(self, key: str) -> int | None:
        choices: list[int] = self.me[key]
        return self.rng.choice(choices) if choices else None

    # --- what people do -----------------------------------------------------------------------------

    @task(10)
    def home(self) -> None:
        self._get("/", "home")

    @task(10)
    def board(self) -> None:
        self._get("/board", "board")

    @task(8)
    def board_filtered(self) -> None:
        query = self.rng.choice(
            [
                "status=overdue",
                "status=at_risk",
                f"organisation_id={self.me['organisation_id']}&due_within=30",
                "due_within=90&page=2",
            ]
        )
        self._get(f"/board?{query}", "board, filtered")

    @task(15)
    def agreement(self) -> None:
        agreement_id = self._pick("agreements")
        if agreement_id is not None:
            self._get(f"/agreements/{agreement_id}", "agreement page")

    @task(15)
    def task_page(self) -> None:
        task_id = self._pick("tasks")
        if task_id is not None:
            self._get(f"/tasks/{task_id}", "task page")

    @task(8)
    def search(self) -> None:
        n = self.rng.randint(1, 999)
        where, query = self.rng.choice(
            [
                ("agreements", f"协议{n}"),
                ("agreements", f"agreement {n}"),
                ("board", f"任务{n}"),
                ("organisations", f"Partner {n}"),
            ]
        )
        self._get(f"/{where}?q={query}", f"search {where}")

    @task(5)
    def report_progress(self) -> None:
        task_id = self._pick("editable")
        if task_id is None:
            return
        token = self._token(self._get(f"/tasks/{task_id}", "task page"))
        if not token:
            return  # the task page failed and was counted; a person would not submit a form they never saw
        data = {"percent": str(self.rng.randrange(0, 101, 5)), "note": "进展顺利", "csrf_token": token}
        self._post(f"/tasks/{task_id}/updates", "progress update", data, expect_location=f"/tasks/{task_id}")

    @task(2)
    def upload_evidence(self) -> None:
        task_id = self._pick("editable")
        if task_id is None:
            return
        token = self._token(self._get(f"/tasks/{task_id}", "task page"))
        if not token:
            return
        self.uploads += 1
        # A distinct 30 KB report each time: files are stored by SHA-256, identical bytes would be shared.
        body = f"{self.me['email']} report {self.uploads}\n".encode() + b"progress report line\n" * 1500
        files = [("files", (f"report-{self.uploads}.txt", body, "text/plain"))]
        data = {"note": "附件：阶段报告", "csrf_token": token}
        self._post(
            f"/tasks/{task_id}/updates",
            "evidence upload",
            data,
            files=files,
            expect_location=f"/tasks/{task_id}",
        )
