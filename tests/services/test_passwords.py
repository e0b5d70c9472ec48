"""Passwords are hashed with argon2id at OWASP's recommended cost or above (the tests run cheaper)."""

from __future__ import annotations

import subprocess
import sys

from argon2 import Type, extract_parameters

from accord.services import users

# OWASP Password Storage Cheat Sheet: argon2id with one of these (memory in KiB, passes) or stronger.
OWASP_MINIMA = [(47_104, 1), (19_456, 2), (12_288, 3), (9_216, 4), (7_168, 5)]


def test_the_production_parameters_meet_owasp() -> None:
    chosen = users.PASSWORD_PARAMETERS
    assert chosen.type is Type.ID
    assert any(chosen.memory_cost >= m and chosen.time_cost >= t for m, t in OWASP_MINIMA)
    assert chosen.parallelism >= 1 and chosen.salt_len >= 16 and chosen.hash_len >= 32


def test_a_process_outside_the_tests_hashes_with_the_production_parameters() -> None:
    script = "from accord.services import users; print(users.hash_password('a-long-passphrase'))"
    stored = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert extract_parameters(stored.stdout.strip()) == users.PASSWORD_PARAMETERS
