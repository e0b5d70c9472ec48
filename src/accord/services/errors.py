"""Errors services raise; each front end (pages, API, CLI) renders them its own way."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """A problem with one input field; ``message`` is already in the current language."""

    field: str
    message: str


class ServiceError(Exception):
    """Base of the errors a user can cause (rendered as 4xx, never 500)."""

    status = 400

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class ValidationFailed(ServiceError):
    """Input was rejected; ``errors`` names each field and what is wrong with it."""

    status = 422


@dataclass(frozen=True)
class MissingReference(FieldError):
    """A field names a record that is missing, archived or one the user may not read (the same error
    for all three, so a reference never tells whether a record exists)."""


class TooLarge(ValidationFailed):
    """An uploaded file is over the size limit: 413, on the pages as in the API."""

    status = 413


class ReferenceNotFound(ValidationFailed):
    """Input named a record the user cannot see: 404, as for a missing id, with the field named."""

    status = 404


class NotFound(ServiceError):
    """The object does not exist, or the user may not know it exists."""

    status = 404


class PermissionDenied(ServiceError):
    """The user is known but may not do this."""

    status = 403


class Conflict(ServiceError):
    """The object changed since the user loaded it (optimistic locking) or a unique value is taken."""

    status = 409
