"""What an administrator writes to configure a sign-in provider and its group mapping."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from accord.models import Provisioning, Role, SsoKind
from accord.schemas.common import InputModel, RecordId, Text100, Text200, Text300

# The protocol fields each kind keeps in ``SsoProvider.config``; the rest of the form is ignored for it.
ATTRIBUTE_FIELDS = (
    "email_attribute",
    "name_attribute",
    "organisation_attribute",
    "unit_attribute",
    "groups_attribute",
)
CONFIG_FIELDS: dict[SsoKind, tuple[str, ...]] = {
    SsoKind.OIDC: ("issuer", "client_id", "scopes", *ATTRIBUTE_FIELDS),
    SsoKind.CAS: ("server_url", "cas_version", *ATTRIBUTE_FIELDS),
    SsoKind.LDAP: (
        "url",
        "start_tls",
        "ca_file",
        "base_dn",
        "user_filter",
        "bind_dn",
        "group_base_dn",
        "group_filter",
        "group_name_attribute",
        *ATTRIBUTE_FIELDS,
    ),
}
REQUIRED_FIELDS: dict[SsoKind, tuple[str, ...]] = {
    SsoKind.OIDC: ("issuer", "client_id"),
    SsoKind.CAS: ("server_url",),
    SsoKind.LDAP: ("url", "base_dn", "user_filter"),
}
# Sensible names for each kind, used when the administrator leaves an attribute blank.
DEFAULT_ATTRIBUTES: dict[SsoKind, dict[str, str]] = {
    SsoKind.OIDC: {
        "email_attribute": "email",
        "name_attribute": "name",
        "organisation_attribute": "organisation",
        "unit_attribute": "unit",
        "groups_attribute": "groups",
    },
    SsoKind.CAS: {
        "email_attribute": "mail",
        "name_attribute": "cn",
        "organisation_attribute": "o",
        "unit_attribute": "ou",
        "groups_attribute": "memberOf",
    },
    SsoKind.LDAP: {
        "email_attribute": "mail",
        "name_attribute": "cn",
        "organisation_attribute": "o",
        "unit_attribute": "ou",
        "groups_attribute": "memberOf",
    },
}


class SsoProviderIn(InputModel):
    """A sign-in provider: who it is, how accounts are provisioned, and its protocol settings."""

    slug: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,39}$",
        description="Short name in addresses and in ACCORD_SSO_SECRETS (lowercase letters, digits, hyphens).",
        examples=["campus"],
    )
    kind: SsoKind = Field(description="The protocol.", examples=["oidc"])
    name_zh: Text100 = Field(None, description="Button text in Chinese.", examples=["统一身份认证"])
    name_en: Text100 = Field(None, description="Button text in English.", examples=["Campus sign-in"])
    enabled: bool = Field(True, description="Offered on the sign-in page.")
    provisioning: Provisioning = Field(
        Provisioning.CREATE, description="Create accounts at first sign-in, or only match existing ones."
    )
    # OpenID Connect
    issuer: Text300 = Field(None, description="Issuer URL; discovery is read from its well-known address.")
    client_id: Text200 = Field(None, description="Client id registered with the provider.")
    scopes: Text200 = Field(None, description="Scopes asked for; openid is always included.")
    # CAS
    server_url: Text300 = Field(None, description="CAS base URL, e.g. https://cas.example.edu/cas.")
    cas_version: Literal["2.0", "3.0"] = Field("3.0", description="CAS protocol version.")
    # LDAP / Active Directory
    url: Text300 = Field(None, description="ldap://host (with StartTLS) or ldaps://host.")
    start_tls: bool = Field(True, description="Upgrade ldap:// connections with StartTLS.")
    ca_file: Text300 = Field(None, description="CA certificate file that signed the directory's certificate.")
    base_dn: Text300 = Field(None, description="Where people are searched.")
    user_filter: Text300 = Field(None, description="Search filter; {username} is replaced, escaped.")
    bind_dn: Text300 = Field(None, description="Service account that searches (empty: anonymous).")
    group_base_dn: Text300 = Field(None, description="Where groups are searched (empty: memberOf only).")
    group_filter: Text300 = Field(None, description="Group filter; {dn} and {username} are replaced.")
    group_name_attribute: Text100 = Field(None, description="Attribute naming a group, e.g. cn.")
    # claims / attributes
    email_attribute: Text100 = Field(None, description="Claim or attribute with the e-mail address.")
    name_attribute: Text100 = Field(None, description="Claim or attribute with the display name.")
    organisation_attribute: Text100 = Field(None, description="Claim or attribute naming the organisation.")
    unit_attribute: Text100 = Field(None, description="Claim or attribute naming the unit.")
    groups_attribute: Text100 = Field(None, description="Claim or attribute listing the groups.")


class GroupRoleIn(InputModel):
    """Members of a provider's group get a role in an organisation."""

    group_name: str = Field(min_length=1, max_length=200, description="Group as the provider names it.")
    organisation_id: RecordId = Field(description="Organisation the role applies in.")
    role: Role = Field(description="The role granted.")


class PasswordPolicyIn(InputModel):
    """Whether local passwords are accepted, and the one administrator who keeps theirs."""

    local_passwords: bool = Field(True, description="Everyone may sign in with a local password.")
    break_glass_user_id: RecordId | None = Field(
        None, description="Administrator who may still use a password when local passwords are off."
    )
