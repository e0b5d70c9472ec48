"""Property-based fuzzing of the JSON API from its own OpenAPI document: no 5xx, no schema violations."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis import Case
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance
from starlette.testclient import TestClient

from accord.config import Settings
from accord.web.app import create_app
from tests.support.accounts import ADMIN, token_for
from tests.support.databases import SqliteTemplates, fresh_database

# One application for the module: its tests stay together on one pytest-xdist worker, except the
# operations' properties, which are split in SHARDS groups of their own so that the workers share them.
# The application runs the jobs some requests start (an import batch's analysis) in threads of its own, and
# datasketch names the tables of a duplicate finder with the global random generator: Hypothesis sees
# the generator move while it draws a case and blames the strategy. The strategies use none of it.
pytestmark = [
    pytest.mark.xdist_group("fuzz"),
    pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies"),
]

# Correctness, not speed: a loaded machine must not turn a slow answer into a failure (the default
# limit is a few seconds, and a timed-out first try that passes on replay reads as "flaky").
TIMEOUT = 300


@pytest.fixture(scope="module")
def fuzz_app(
    tmp_path_factory: pytest.TempPathFactory, _sqlite_templates: SqliteTemplates
) -> Iterator[tuple[object, str]]:
    from accord.db.session import make_engine, make_sessionmaker

    data = tmp_path_factory.mktemp("fuzz")
    url = fresh_database(_sqlite_templates, data, data / "files", demo=True)
    engine = make_engine(url)
    secret = token_for(make_sessionmaker(engine), ADMIN)["Authorization"].removeprefix("Bearer ")
    engine.dispose()
    # The state as every scenario of the chains starts from (see Chains.setup).
    shutil.copy(_sqlite_path(url), data / "pristine.db")
    app = create_app(Settings(data_dir=data, database_url=url, secret_key="fuzz"))
    yield app, secret


def _sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


SHARDS = 2


@pytest.mark.parametrize(
    "shard", [pytest.param(n, marks=pytest.mark.xdist_group(f"fuzz-{n}")) for n in range(SHARDS)]
)
def test_the_api_never_fails_on_generated_input(fuzz_app: tuple[object, str], shard: int) -> None:
    # Driven through hypothesis directly: one property per operation of the OpenAPI document, every
    # SHARDS-th operation from the shard's on (the shards together cover each operation once).
    app, secret = fuzz_app
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    failures: list[str] = []
    for operation in operations[shard::SHARDS]:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        def property_holds(case: Case) -> None:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {secret}"},
                timeout=TIMEOUT,
                checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
            )

        try:
            property_holds()
        except (
            Exception,
            BaseExceptionGroup,
        ) as error:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {_reason(error)}")
    assert failures == []


def _reason(error: BaseException) -> str:
    """The failure itself, also when Hypothesis wraps it (a group of one, or "flaky")."""
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    return f"{type(error).__name__}: {str(error)[:600]}"


def test_the_openapi_document_is_served(fuzz_app: tuple[object, str]) -> None:
    app, _secret = fuzz_app
    with TestClient(app) as client:  # type: ignore[arg-type]
        assert client.get("/api/v1/openapi.json").json()["openapi"].startswith("3.")


def test_chains_of_operations_through_the_openapi_links_never_fail(fuzz_app: tuple[object, str]) -> None:
    # Creates are followed, through their OpenAPI links, by reads, replacements and archives of the new record.
    app, secret = fuzz_app
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    machine = schema.as_state_machine()
    assert "POST /organisations -> 201" in machine.bundles  # created records feed the linked operations

    database = _sqlite_path(str(app.state.engine.url))  # type: ignore[attr-defined]

    class Chains(machine):  # type: ignore[misc,valid-type]
        def setup(self) -> None:
            # Each scenario starts from the same records: Hypothesis replays a failing scenario to
            # shrink it, and a replay against what earlier scenarios left would take other turns
            # (a record gone, a name taken) and hide the failure behind "inconsistent data".
            app.state.engine.dispose()  # type: ignore[attr-defined]
            for leftover in (
                database.with_name(database.name + "-wal"),
                database.with_name(database.name + "-shm"),
            ):
                leftover.unlink(missing_ok=True)
            shutil.copy(database.parent / "pristine.db", database)

        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"headers": {"Authorization": f"Bearer {secret}"}, "timeout": TIMEOUT}

        def validate_response(self, response: Any, case: Case, **kwargs: Any) -> None:
            case.validate_response(
                response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance]
            )

    run_state_machine_as_test(
        Chains,
        settings=settings(
            max_examples=40,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        ),
    )


def test_create_operations_link_to_the_operations_on_the_new_record(fuzz_app: tuple[object, str]) -> None:
    app, _secret = fuzz_app
    with TestClient(app) as client:  # type: ignore[arg-type]
        paths = client.get("/api/v1/openapi.json").json()["paths"]
    for collection in ("/organisations", "/people", "/events", "/agreements", "/tasks"):
        links = paths[collection]["post"]["responses"]["201"]["links"]
        assert set(links) == {"Get", "Replace", "Archive"}, collection
        for link in links.values():
            pointer = link["operationRef"].removeprefix("#/paths/")
            path, method = pointer.rsplit("/", 1)
            assert method in paths[path.replace("~1", "/").replace("~0", "~")], link
