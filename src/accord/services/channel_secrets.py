"""Messenger addresses and signing secrets at rest: AES-256-GCM under a key derived from the
application's secret key (``ACCORD_SECRET_KEY`` or ``var/secret_key``).

A value that no longer decrypts (the secret key changed) reads as None, and the channel reports that
its address must be entered again.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from accord.config import Settings

_PREFIX = "v1:"
_CONTEXT = b"accord notice channel secrets v1"


def _key(settings: Settings) -> bytes:
    return hashlib.sha256(_CONTEXT + settings.resolved_secret_key().encode("utf-8")).digest()


def seal(settings: Settings, value: str) -> str:
    """``value`` encrypted, as text for a column."""
    nonce = os.urandom(12)
    sealed = AESGCM(_key(settings)).encrypt(nonce, value.encode("utf-8"), _CONTEXT)
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def open_sealed(settings: Settings, stored: str | None) -> str | None:
    """The value :func:`seal` stored, or None when there is none or it cannot be decrypted."""
    if not stored or not stored.startswith(_PREFIX):
        return None
    try:
        raw = base64.urlsafe_b64decode(stored[len(_PREFIX) :].encode("ascii"))
        return AESGCM(_key(settings)).decrypt(raw[:12], raw[12:], _CONTEXT).decode("utf-8")
    except (InvalidTag, ValueError):
        return None
