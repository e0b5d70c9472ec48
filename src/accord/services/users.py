"""Accounts, passwords (argon2), sign-in with lock-out, roles, API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import Parameters, PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from accord.i18n import LANGUAGES
from accord.i18n import gettext as _
from accord.models import ApiToken, Membership, Organisation, Role, User
from accord.models.base import utcnow
from accord.services import audit, records, sessions, throttle
from accord.services.errors import Conflict, FieldError, NotFound, ValidationFailed
from accord.services.permissions import Principal, can_manage_users, require
from accord.services.throttle import Limit

# argon2id with the OWASP Password Storage Cheat Sheet's recommended parameters (19 MiB, 2 passes, one
# lane): a verification takes about 75 ms on a busy 2-core machine, where RFC 9106's low-memory profile
# (64 MiB, 3 passes, 4 lanes) took 0.6-1.1 s and made sign-in slow. Login rehashes any stored hash made
# with other parameters.
PASSWORD_PARAMETERS = Parameters(
    type=Type.ID, version=19, salt_len=16, hash_len=32, time_cost=2, memory_cost=19_456, parallelism=1
)
_hasher = PasswordHasher.from_parameters(PASSWORD_PARAMETERS)
# Verifying against this keeps sign-in time the same whether or not the account exists.
_DUMMY_HASH = _hasher.hash("accord-timing-equaliser")
TOKEN_PREFIX = "acc_"


def check_password_policy(password: str, email: str = "") -> None:
    """At least 10 characters, not only one kind of character, not the email address."""
    problems = []
    if len(password) < 10:
        problems.append(_("The password must have at least 10 characters."))
    elif len(set(password)) < 4:
        problems.append(_("The password repeats too few different characters."))
    if email and password.lower() == email.lower():
        problems.append(_("The password must not be the email address."))
    if problems:
        raise ValidationFailed(problems[0], [FieldError("password", p) for p in problems])


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def create_user(
    session: Session,
    principal: Principal,
    *,
    email: str,
    display_name: str,
    password: str,
    is_admin: bool = False,
    language: str | None = None,
) -> User:
    """Create an account (admins only, or the system for the first admin)."""
    require(can_manage_users(principal))
    email = email.strip().lower()
    check_password_policy(password, email)
    if language is not None and language not in LANGUAGES:
        raise ValidationFailed(
            _("Unknown language."),
            [FieldError("language", _("Must be one of: {choices}.", choices="zh_Hans, en"))],
        )
    if session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise Conflict(
            _("An account with this email address already exists."), [FieldError("email", _("Taken."))]
        )
    user = User(
        email=email,
        display_name=display_name.strip() or email,
        password_hash=hash_password(password),
        is_admin=is_admin,
        language=language,
    )
    session.add(user)
    audit.record(session, principal, "create", user)
    return user


def set_password(session: Session, principal: Principal, user: User, password: str) -> None:
    """Replace a user's password (the user themself or an admin).

    Whoever knew the old password may have signed in or made tokens with it, so the change ends every
    session of the account and revokes its API tokens (docs/security.md explains the choice)."""
    require(principal.user_id == user.id or can_manage_users(principal))
    check_password_policy(password, user.email)
    user.password_hash = hash_password(password)
    audit.record(session, principal, "password", user, after={"password": "changed"})
    sessions.end_all(session, principal, user)
    now = utcnow()
    for token in session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ):
        token.revoked_at = now
        audit.record(session, principal, "revoke", token)


def user_by_email(email: str) -> Select[User]:
    """The query for an account by email address, ignoring case."""
    return select(User).where(func.lower(User.email) == email.strip().lower())


@dataclass(frozen=True)
class SignInPolicy:
    """How sign-in is throttled: failures per account (by e-mail address, whether or not an account
    has it) and per client address, counted in the database under keys made with ``secret``."""

    secret: str
    account: Limit
    address: Limit


@dataclass(frozen=True)
class SignInResult:
    """The account if the password was right; ``locked`` when the account name or the address is
    blocked (the same answer whether or not an account exists)."""

    user: User | None
    locked: bool = False


def _verify(user: User | None, password: str) -> bool:
    # Exactly one argon2 verification on every path, so an unknown or locked address takes as long.
    try:
        return _hasher.verify(user.password_hash if user is not None else _DUMMY_HASH, password) and (
            user is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    session: Session, email: str, password: str, *, policy: SignInPolicy, address: str
) -> SignInResult:
    """Check a password. Unknown and existing addresses take the same time and get the same answers:
    wrong, or locked once ``policy.account`` failures were counted for the address typed (or
    ``policy.address`` for the client address). Failures are counted atomically; the caller commits."""
    normalised = email.strip().lower()
    account_key = throttle.key_for(policy.secret, policy.account.bucket, normalised)
    address_key = throttle.key_for(policy.secret, policy.address.bucket, address)
    locked = throttle.blocked(session, policy.account, account_key) or throttle.blocked(
        session, policy.address, address_key
    )
    user = session.scalar(user_by_email(normalised))
    correct = _verify(user, password)
    if locked:
        return SignInResult(None, locked=True)
    if not correct or user is None or not user.is_active:
        failures = throttle.hit(session, policy.account, account_key)
        from_address = throttle.hit(session, policy.address, address_key)
        return SignInResult(
            None, locked=failures >= policy.account.attempts or from_address >= policy.address.attempts
        )
    throttle.clear(session, policy.account, account_key)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return SignInResult(user)


def unlock(session: Session, principal: Principal, user: User, *, secret: str) -> bool:
    """Let ``user`` sign in again at once: forget the failed sign-ins counted for the account's e-mail
    address (``secret`` is the key the sign-in policy counts them under). Returns whether it was locked."""
    require(can_manage_users(principal))
    limit = Limit("login-account", 1, 1, 1)
    key = throttle.key_for(secret, limit.bucket, user.email.strip().lower())
    was_locked = throttle.blocked(session, limit, key)
    throttle.clear(session, limit, key)
    audit.record(session, principal, "unlock", user, after={"locked": was_locked})
    return was_locked


def grant_role(
    session: Session, principal: Principal, user: User, organisation_id: int, role: Role
) -> Membership:
    """Give ``user`` a role in an organisation (replacing any role they had there)."""
    require(can_manage_users(principal))
    records.get_or_404(session, Organisation, organisation_id)
    membership = next((m for m in user.memberships if m.organisation_id == organisation_id), None)
    if membership is None:
        membership = Membership(user=user, organisation_id=organisation_id, role=role)
        session.add(membership)
    else:
        membership.role = role
    audit.record(session, principal, "grant", membership)
    return membership


def create_token(session: Session, principal: Principal, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token; the secret is returned once and only its hash is kept."""
    require(principal.user_id == user.id or can_manage_users(principal))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=(name.strip() or "token")[:100],
        token_hash=hashlib.sha256(secret.encode()).hexdigest(),
        prefix=secret[:12],
    )
    session.add(token)
    audit.record(session, principal, "create", token)
    return token, secret


def user_for_token(session: Session, secret: str) -> User | None:
    """The active user owning an unrevoked token, or None."""
    digest = hashlib.sha256(secret.encode()).hexdigest()
    token = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.is_active:
        return None
    token.last_used_at = utcnow()
    return token.user


def revoke_token(session: Session, principal: Principal, token_id: int) -> ApiToken:
    """Revoke a token (its owner or an admin)."""
    token = records.find(session, ApiToken, token_id)
    if token is None or not (principal.user_id == token.user_id or can_manage_users(principal)):
        raise NotFound(_("No such record."))  # someone else's token looks absent
    token.revoked_at = utcnow()
    audit.record(session, principal, "revoke", token)
    return token


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """A user's tokens, newest first."""
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()))
    )
