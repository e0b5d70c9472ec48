"""Single sign-on in the application: providers and their group mapping, provisioning, password policy.

The protocols live in ``accord.sso``; this module turns the identity a provider vouches for into an
account (created at first sign-in, or only matched, as the provider is set), keeps the account's name,
person and organisation in step, and grants the roles its groups map to — taking back, at every
sign-in, a mapped role whose group the person has left. Roles granted by hand are never touched.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from accord.config import Settings
from accord.i18n import gettext as _
from accord.models import (
    Membership,
    Organisation,
    Person,
    Provisioning,
    Role,
    SiteOption,
    SsoGroupRole,
    SsoKind,
    SsoLink,
    SsoProvider,
    User,
)
from accord.models.base import utcnow
from accord.schemas.sso import (
    CONFIG_FIELDS,
    DEFAULT_ATTRIBUTES,
    REQUIRED_FIELDS,
    GroupRoleIn,
    PasswordPolicyIn,
    SsoProviderIn,
)
from accord.services import audit, records
from accord.services.errors import Conflict, FieldError, NotFound, ServiceError, ValidationFailed
from accord.services.permissions import Principal, can_manage_users, require
from accord.sso import AttributeMap, Identity, SsoError
from accord.sso.cas import CasConfig
from accord.sso.ldap import LdapConfig
from accord.sso.oidc import OidcConfig

_RANK = {Role.VIEWER: 1, Role.MEMBER: 2, Role.COORDINATOR: 3}
PASSWORD_POLICY = "password_policy"
# Marks an account that has no local password: no argon2 hash can ever equal it.
NO_PASSWORD = "!sso:"


class SignInRefused(ServiceError):
    """The provider vouched for the person, but Accord will not let them in; ``code`` says why."""

    status = 403

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def error_message(code: str) -> str:
    """What a person is told when their sign-in fails, in their language."""
    messages = {
        "state_mismatch": _(
            "The sign-in could not be matched to this browser (it was started elsewhere or has expired). "
            "Please start again."
        ),
        "provider_error": _("The sign-in provider did not let you in. Please try again or ask its helpdesk."),
        "token_invalid": _("The sign-in provider's answer could not be verified, so it was not trusted."),
        "ticket_invalid": _(
            "The sign-in ticket is expired, already used or meant for another site. Please sign in again."
        ),
        "unreachable": _(
            "The sign-in service cannot be reached at the moment. Please try again later or use another "
            "way to sign in."
        ),
        "bad_credentials": _("The user name or password is wrong."),
        "no_email": _("The sign-in provider sent no e-mail address for you, which Accord needs."),
        "misconfigured": _("This sign-in method is not set up correctly. Please tell an administrator."),
        "not_provisioned": _(
            "You have no Accord account yet, and accounts are not created automatically here. "
            "Please ask an administrator to create one for you."
        ),
        "account_disabled": _("Your Accord account is disabled."),
        "disabled_provider": _("This sign-in method is switched off."),
    }
    return messages.get(code, messages["provider_error"])


# --- providers -----------------------------------------------------------------------------------


def list_providers(session: Session, *, enabled_only: bool = False) -> list[SsoProvider]:
    """The configured providers in the order they were added."""
    stmt = select(SsoProvider).where(SsoProvider.archived_at.is_(None)).order_by(SsoProvider.id)
    if enabled_only:
        stmt = stmt.where(SsoProvider.enabled.is_(True))
    return list(session.scalars(stmt))


def provider_by_slug(session: Session, slug: str) -> SsoProvider:
    """The provider with this short name, or NotFound."""
    provider = session.scalar(
        select(SsoProvider).where(SsoProvider.slug == slug, SsoProvider.archived_at.is_(None))
    )
    if provider is None:
        raise NotFound(_("There is no sign-in method called “{slug}”.", slug=slug))
    return provider


def _config_of(data: SsoProviderIn) -> dict[str, Any]:
    values = data.model_dump()
    config = {name: values[name] for name in CONFIG_FIELDS[data.kind]}
    for name, default in DEFAULT_ATTRIBUTES[data.kind].items():
        config[name] = config.get(name) or default
    if data.kind is SsoKind.OIDC:
        scopes = (config.get("scopes") or "openid email profile").split()
        config["scopes"] = " ".join(["openid", *[s for s in scopes if s != "openid"]])
    if data.kind is SsoKind.LDAP:
        config["group_filter"] = config.get("group_filter") or "(member={dn})"
        config["group_name_attribute"] = config.get("group_name_attribute") or "cn"
    return config


def _check(session: Session, data: SsoProviderIn, provider: SsoProvider | None) -> None:
    problems = [
        FieldError(name, _("Required for this kind of sign-in."))
        for name in REQUIRED_FIELDS[data.kind]
        if not getattr(data, name)
    ]
    urls = {"issuer": data.issuer, "server_url": data.server_url}
    problems += [
        FieldError(name, _("Give an address starting with https:// (or http:// for a test server)."))
        for name, value in urls.items()
        if value and not re.match(r"^https?://[^/\s]+", value)
    ]
    if data.kind is SsoKind.LDAP and data.url and not re.match(r"^ldaps?://[^/\s]+", data.url, re.I):
        problems.append(FieldError("url", _("Give an address starting with ldap:// or ldaps://.")))
    if (
        data.kind is SsoKind.LDAP
        and data.url
        and data.url.lower().startswith("ldap://")
        and not data.start_tls
    ):
        problems.append(
            FieldError(
                "start_tls", _("Passwords must not cross the network in clear: use StartTLS or ldaps://.")
            )
        )
    if data.kind is SsoKind.LDAP and data.user_filter and "{username}" not in data.user_filter:
        problems.append(FieldError("user_filter", _("The filter must contain {username}.")))
    if not data.name_zh and not data.name_en:
        problems += [
            FieldError("name_zh", _("Give the Chinese or the English text (or both).")),
            FieldError("name_en", _("Give the Chinese or the English text (or both).")),
        ]
    if problems:
        raise ValidationFailed(_("Please correct the highlighted fields."), problems)
    clash = session.scalar(select(SsoProvider.id).where(SsoProvider.slug == data.slug))
    if clash is not None and (provider is None or clash != provider.id):
        raise Conflict(
            _("Another sign-in method already has this short name."), [FieldError("slug", _("Taken."))]
        )


def save_provider(
    session: Session,
    principal: Principal,
    data: SsoProviderIn,
    provider: SsoProvider | None = None,
    version: int | None = None,
) -> SsoProvider:
    """Create a provider, or change one (administrators only)."""
    require(can_manage_users(principal))
    _check(session, data, provider)
    before = audit.snapshot(provider) if provider is not None else None
    if provider is None:
        provider = SsoProvider()
        session.add(provider)
    else:
        records.check_version(provider, version)
    provider.slug = data.slug
    provider.kind = data.kind
    provider.name_zh = data.name_zh
    provider.name_en = data.name_en
    provider.enabled = data.enabled
    provider.provisioning = data.provisioning
    provider.config = _config_of(data)
    audit.record(session, principal, "update" if before else "create", provider, before=before)
    return provider


def form_values(provider: SsoProvider) -> dict[str, str]:
    """A provider as the edit form shows it."""
    values = {
        "slug": provider.slug,
        "kind": provider.kind.value,
        "name_zh": provider.name_zh or "",
        "name_en": provider.name_en or "",
        "enabled": "1" if provider.enabled else "",
        "provisioning": provider.provisioning.value,
    }
    for name, value in provider.config.items():
        values[name] = ("1" if value else "") if isinstance(value, bool) else str(value or "")
    return values


def delete_provider(session: Session, principal: Principal, provider_id: int) -> None:
    """Remove a provider; roles it granted stay, now as if granted by hand."""
    require(can_manage_users(principal))
    provider = records.get_or_404(session, SsoProvider, provider_id)
    audit.record(session, principal, "delete", provider, after={})
    session.delete(provider)


def add_group_role(
    session: Session, principal: Principal, provider_id: int, data: GroupRoleIn
) -> SsoGroupRole:
    """Map a provider's group to a role in an organisation (administrators only)."""
    require(can_manage_users(principal))
    provider = records.get_or_404(session, SsoProvider, provider_id)
    records.get_or_404(session, Organisation, data.organisation_id)
    mapping = session.scalar(
        select(SsoGroupRole).where(
            SsoGroupRole.provider_id == provider.id,
            SsoGroupRole.group_name == data.group_name,
            SsoGroupRole.organisation_id == data.organisation_id,
        )
    )
    if mapping is None:
        mapping = SsoGroupRole(
            provider_id=provider.id,
            group_name=data.group_name,
            organisation_id=data.organisation_id,
            role=data.role,
        )
        session.add(mapping)
    else:
        mapping.role = data.role
    audit.record(session, principal, "grant", mapping)
    return mapping


def remove_group_role(session: Session, principal: Principal, mapping_id: int) -> None:
    """Remove one line of the mapping; members lose the role at their next sign-in."""
    require(can_manage_users(principal))
    mapping = records.get_or_404(session, SsoGroupRole, mapping_id)
    audit.record(session, principal, "revoke", mapping, after={})
    session.delete(mapping)


# --- configuration for the protocols ---------------------------------------------------------


def _attributes(config: dict[str, Any]) -> AttributeMap:
    return AttributeMap(
        email=config.get("email_attribute") or "email",
        name=config.get("name_attribute") or "name",
        organisation=config.get("organisation_attribute") or "organisation",
        unit=config.get("unit_attribute") or "unit",
        groups=config.get("groups_attribute") or "groups",
    )


def secret_of(provider: SsoProvider, settings: Settings) -> str:
    """The provider's secret from ACCORD_SSO_SECRETS (empty when none is set)."""
    return settings.sso_secrets.get(provider.slug, "")


def oidc_config(provider: SsoProvider, settings: Settings) -> OidcConfig:
    """The OpenID Connect settings of ``provider``."""
    c = provider.config
    return OidcConfig(
        issuer=c.get("issuer") or "",
        client_id=c.get("client_id") or "",
        client_secret=secret_of(provider, settings),
        scopes=c.get("scopes") or "openid email profile",
        attributes=_attributes(c),
        timeout=settings.sso_timeout_seconds,
    )


def cas_config(provider: SsoProvider, settings: Settings) -> CasConfig:
    """The CAS settings of ``provider``."""
    c = provider.config
    return CasConfig(
        server_url=c.get("server_url") or "",
        version="2.0" if c.get("cas_version") == "2.0" else "3.0",
        attributes=_attributes(c),
        timeout=settings.sso_timeout_seconds,
    )


def ldap_config(provider: SsoProvider, settings: Settings) -> LdapConfig:
    """The directory settings of ``provider``."""
    c = provider.config
    return LdapConfig(
        url=c.get("url") or "",
        base_dn=c.get("base_dn") or "",
        user_filter=c.get("user_filter") or "(uid={username})",
        bind_dn=c.get("bind_dn") or "",
        bind_password=secret_of(provider, settings),
        start_tls=bool(c.get("start_tls", True)),
        ca_file=c.get("ca_file") or "",
        group_base_dn=c.get("group_base_dn") or "",
        group_filter=c.get("group_filter") or "(member={dn})",
        group_name_attribute=c.get("group_name_attribute") or "cn",
        attributes=_attributes(c),
        timeout=settings.sso_timeout_seconds,
    )


def callback_url(provider: SsoProvider, settings: Settings) -> str:
    """Where the provider sends the browser back (from the public base URL, never the request's Host)."""
    suffix = "cas" if provider.kind is SsoKind.CAS else "callback"
    return f"{settings.base_url.rstrip('/')}/sso/{provider.slug}/{suffix}"


# --- signing in ----------------------------------------------------------------------------------


def _organisation(session: Session, name: str | None, parent_id: int | None = None) -> Organisation | None:
    if not name:
        return None
    key = name.strip().lower()
    stmt = select(Organisation).where(
        Organisation.archived_at.is_(None),
        or_(
            func.lower(Organisation.name_zh) == key,
            func.lower(Organisation.name_en) == key,
            func.lower(Organisation.short_name_zh) == key,
            func.lower(Organisation.short_name_en) == key,
        ),
    )
    if parent_id is not None:
        stmt = stmt.where(Organisation.parent_id == parent_id)
    return session.scalars(stmt.order_by(Organisation.id)).first()


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _place_person(session: Session, user: User, identity: Identity, principal: Principal) -> None:
    """Link the account to a person in the organisation (or unit) the identity names, once."""
    if user.person_id is not None:
        return
    organisation = _organisation(session, identity.organisation)
    if organisation is None:
        return
    unit = _organisation(session, identity.unit, organisation.id) or organisation
    name = identity.name or user.display_name
    person = Person(
        name_zh=name if _has_han(name) else None,
        name_en=None if _has_han(name) else name,
        organisation_id=unit.id,
        email=user.email,
    )
    session.add(person)
    audit.record(session, principal, "create", person)
    user.person = person


def _sync_roles(
    session: Session, provider: SsoProvider, user: User, groups: frozenset[str], principal: Principal
) -> None:
    wanted: dict[int, Role] = {}
    for mapping in provider.mappings:
        if mapping.group_name in groups:
            current = wanted.get(mapping.organisation_id)
            if current is None or _RANK[mapping.role] > _RANK[current]:
                wanted[mapping.organisation_id] = mapping.role
    for membership in list(user.memberships):
        if membership.provider_id != provider.id:
            wanted.pop(membership.organisation_id, None)  # granted by hand or by another provider
            continue
        role = wanted.pop(membership.organisation_id, None)
        if role is None:
            audit.record(session, principal, "revoke", membership, after={})
            user.memberships.remove(membership)
            session.delete(membership)
        elif role != membership.role:
            before = audit.snapshot(membership)
            membership.role = role
            audit.record(session, principal, "grant", membership, before=before)
    for organisation_id, role in wanted.items():
        membership = Membership(
            user=user, organisation_id=organisation_id, role=role, provider_id=provider.id
        )
        session.add(membership)
        audit.record(session, principal, "grant", membership)


def sign_in(session: Session, provider: SsoProvider, identity: Identity) -> User:
    """The account ``identity`` signs in as, provisioned and with its mapped roles; or SignInRefused."""
    if not provider.enabled:
        raise SignInRefused("disabled_provider", error_message("disabled_provider"))
    principal = Principal(user_id=None, label=f"sso:{provider.slug}", is_admin=True)
    link = session.scalar(
        select(SsoLink).where(SsoLink.provider_id == provider.id, SsoLink.subject == identity.subject)
    )
    if link is None:
        if not identity.email:
            raise SignInRefused("no_email", error_message("no_email"))
        user = session.scalar(select(User).where(func.lower(User.email) == identity.email))
        if user is None:
            if provider.provisioning is Provisioning.MATCH:
                raise SignInRefused("not_provisioned", error_message("not_provisioned"))
            user = User(
                email=identity.email,
                display_name=(identity.name or identity.email)[:100],
                password_hash=NO_PASSWORD + secrets.token_urlsafe(24),
                is_admin=False,
            )
            session.add(user)
            audit.record(session, principal, "create", user)
        link = SsoLink(provider_id=provider.id, subject=identity.subject[:300], user=user)
        session.add(link)
    user = link.user
    if not user.is_active:
        raise SignInRefused("account_disabled", error_message("account_disabled"))
    if identity.name and identity.name[:100] != user.display_name:
        user.display_name = identity.name[:100]
    _place_person(session, user, identity, principal)
    _sync_roles(session, provider, user, identity.groups, principal)
    now = utcnow()
    link.last_sign_in_at = now
    user.last_login_at = now
    session.flush()
    return user


# --- local passwords ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PasswordPolicy:
    """Whether local passwords are accepted, and who keeps one when they are not."""

    local_passwords: bool = True
    break_glass_user_id: int | None = None


def password_policy(session: Session) -> PasswordPolicy:
    """The site's current policy (local passwords on when never set)."""
    option = session.scalar(select(SiteOption).where(SiteOption.key == PASSWORD_POLICY))
    value = option.value if option is not None and isinstance(option.value, dict) else {}
    user_id = value.get("break_glass_user_id")
    return PasswordPolicy(
        local_passwords=bool(value.get("local_passwords", True)),
        break_glass_user_id=user_id if isinstance(user_id, int) else None,
    )


def set_password_policy(session: Session, principal: Principal, data: PasswordPolicyIn) -> PasswordPolicy:
    """Turn local passwords on or off; off needs an active administrator as the break-glass account."""
    require(can_manage_users(principal))
    if not data.local_passwords:
        keeper = session.get(User, data.break_glass_user_id) if data.break_glass_user_id else None
        if keeper is None or not keeper.is_admin or not keeper.is_active:
            raise ValidationFailed(
                _("Please correct the highlighted fields."),
                [
                    FieldError(
                        "break_glass_user_id",
                        _("Choose an active administrator who keeps a password, so nobody is locked out."),
                    )
                ],
            )
        if keeper.password_hash.startswith(NO_PASSWORD):
            raise ValidationFailed(
                _("Please correct the highlighted fields."),
                [FieldError("break_glass_user_id", _("This administrator has no local password."))],
            )
    option = session.scalar(select(SiteOption).where(SiteOption.key == PASSWORD_POLICY))
    value = {"local_passwords": data.local_passwords, "break_glass_user_id": data.break_glass_user_id}
    if option is None:
        option = SiteOption(key=PASSWORD_POLICY, value=value)
        session.add(option)
    else:
        option.value = value
    audit.record(session, principal, "update", option)
    return password_policy(session)


def password_allowed(session: Session, user: User) -> bool:
    """Whether ``user`` may sign in with a local password under the current policy."""
    if user.password_hash.startswith(NO_PASSWORD):
        return False
    policy = password_policy(session)
    return policy.local_passwords or user.id == policy.break_glass_user_id


# --- reachability (for health checks) ---------------------------------------------------------


@dataclass(frozen=True)
class Reachability:
    """Whether one configured provider answers; ``detail`` says what went wrong."""

    name: str
    ok: bool
    detail: str = ""


def reachability(
    session: Session, settings: Settings, *, only: SsoProvider | None = None
) -> list[Reachability]:
    """Ask every enabled provider (or ``only`` one) whether it answers: discovery, CAS server, directory bind."""
    import httpx

    from accord.sso import ldap, oidc

    found = []
    for provider in [only] if only is not None else list_providers(session, enabled_only=True):
        name = f"sso:{provider.slug}"
        try:
            if provider.kind is SsoKind.OIDC:
                oidc.discover(oidc_config(provider, settings))
                found.append(Reachability(name, True))
            elif provider.kind is SsoKind.LDAP:
                problem = ldap.reachable(ldap_config(provider, settings))
                found.append(Reachability(name, problem is None, problem or ""))
            else:
                config = cas_config(provider, settings)
                response = httpx.get(f"{config.server_url.rstrip('/')}/login", timeout=config.timeout)
                ok = response.status_code < 500
                found.append(Reachability(name, ok, "" if ok else f"HTTP {response.status_code}"))
        except SsoError as exc:
            found.append(Reachability(name, False, f"{exc.code}: {exc.detail}"))
        except httpx.HTTPError as exc:
            found.append(Reachability(name, False, f"{type(exc).__name__}: {exc}"))
    return found
