"""Single sign-on providers, the group → role mapping, the accounts they vouch for, and site options."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accord.models.base import Base, Versioned, enum_column, utcnow
from accord.models.user import Role

if TYPE_CHECKING:
    from accord.models.organisation import Organisation
    from accord.models.user import User


class SsoKind(enum.StrEnum):
    """The sign-in protocol a provider speaks."""

    OIDC = "oidc"
    CAS = "cas"
    LDAP = "ldap"


class Provisioning(enum.StrEnum):
    """What happens when someone the provider vouches for has no account yet."""

    CREATE = "create"  # an account is created at first sign-in
    MATCH = "match"  # only existing accounts (matched by e-mail address) may sign in


class SsoProvider(Versioned, Base):
    """One identity provider; its secret (client secret, bind password) lives in the settings, not here."""

    __tablename__ = "sso_provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[SsoKind] = mapped_column(enum_column(SsoKind))
    name_zh: Mapped[str | None] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(default=True)
    provisioning: Mapped[Provisioning] = mapped_column(enum_column(Provisioning), default=Provisioning.CREATE)
    # Protocol settings without secrets: issuer and client id, CAS server, directory URL and filters,
    # and which claim or attribute holds the e-mail, name, organisation, unit and groups.
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    mappings: Mapped[list[SsoGroupRole]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", order_by="SsoGroupRole.id"
    )


class SsoGroupRole(Base):
    """Members of ``group`` (as the provider names it) get ``role`` in ``organisation``."""

    __tablename__ = "sso_group_role"
    __table_args__ = (UniqueConstraint("provider_id", "group_name", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("sso_provider.id", ondelete="CASCADE"), index=True)
    group_name: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))

    provider: Mapped[SsoProvider] = relationship(back_populates="mappings")
    organisation: Mapped[Organisation] = relationship()


class SsoLink(Base):
    """The account a provider's subject signs in as (kept so a changed e-mail address still matches)."""

    __tablename__ = "sso_link"
    __table_args__ = (UniqueConstraint("provider_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("sso_provider.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class SiteOption(Base):
    """A site-wide option set in the admin pages (e.g. whether local passwords are accepted)."""

    __tablename__ = "site_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
