"""Import pages run their jobs in threads of the test server on both databases (no queue worker runs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.config import Settings


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        database_url=database_url,
        secret_key="test-secret-key",
        job_runner="thread",
    )
