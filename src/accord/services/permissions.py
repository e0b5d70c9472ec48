"""Who may do what. Every page, API call and command asks these functions; nothing else decides.

Rules (see docs/permissions.md):
- admins may do everything;
- a role in an organisation also applies to the organisations under it (a district government's
  coordinator coordinates its bureaus);
- any signed-in user reads the directory (organisations, people, signing events);
- agreements are read by members, viewers and coordinators of a party (and admins), and changed
  by coordinators of a party;
- coordinators manage the people, child organisations and signing events of their organisations.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, literal, select, true
from sqlalchemy.orm import Session

from accord.i18n import gettext as _
from accord.models import (
    Achievement,
    Agreement,
    AgreementParty,
    Commitment,
    Deal,
    Demand,
    Institution,
    Match,
    Organisation,
    PipelineStage,
    Programme,
    Project,
    Role,
    Task,
    User,
)
from accord.services.errors import PermissionDenied

_RANK = {Role.VIEWER: 1, Role.MEMBER: 2, Role.COORDINATOR: 3}


@dataclass(frozen=True)
class Principal:
    """The acting user with effective roles per organisation (inherited down the tree)."""

    user_id: int | None
    label: str
    is_admin: bool = False
    roles: dict[int, Role] = field(default_factory=dict)

    @property
    def authenticated(self) -> bool:
        """Whether this is a signed-in user (or a system actor), not an anonymous visitor."""
        return self.user_id is not None or self.is_admin

    def has_role(self, organisation_id: int | None, at_least: Role) -> bool:
        """Whether the principal holds ``at_least`` in the organisation (admins always do)."""
        if self.is_admin:
            return True
        if organisation_id is None:
            return False
        role = self.roles.get(organisation_id)
        return role is not None and _RANK[role] >= _RANK[at_least]

    def orgs_with(self, at_least: Role) -> set[int]:
        """Organisations where the principal holds at least ``at_least``."""
        return {org for org, role in self.roles.items() if _RANK[role] >= _RANK[at_least]}

    @property
    def coordinates_any(self) -> bool:
        """Whether the principal coordinates at least one organisation."""
        return self.is_admin or bool(self.orgs_with(Role.COORDINATOR))


ANONYMOUS = Principal(user_id=None, label="anonymous")
SYSTEM = Principal(user_id=None, label="system", is_admin=True)


def principal_for(session: Session, user: User) -> Principal:
    """Build the principal of ``user``, expanding each membership to the organisations below it."""
    roles: dict[int, Role] = {}
    for membership in user.memberships:
        for org_id in descendants(session, membership.organisation_id):
            current = roles.get(org_id)
            if current is None or _RANK[membership.role] > _RANK[current]:
                roles[org_id] = membership.role
    return Principal(user_id=user.id, label=user.email, is_admin=user.is_admin, roles=roles)


def descendants(session: Session, organisation_id: int) -> set[int]:
    """The organisation and every organisation below it (recursive query, both databases)."""
    tree = select(Organisation.id).where(Organisation.id == organisation_id).cte("tree", recursive=True)
    tree = tree.union_all(select(Organisation.id).where(Organisation.parent_id == tree.c.id))
    return set(session.scalars(select(tree.c.id)))


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))


def require_signed_in(principal: Principal) -> None:
    """Directory reads need a signed-in user."""
    require(principal.authenticated, _("Please sign in first."))


def agreement_visibility(principal: Principal) -> ColumnElement[bool]:
    """A SQL condition selecting the agreements the principal may read."""
    if principal.is_admin:
        return true()
    orgs = principal.orgs_with(Role.VIEWER)
    if not orgs:
        return literal(False)
    # An uncorrelated IN lets both databases start from the principal's few agreements instead of
    # testing every agreement (SQLite ran the EXISTS once per agreement).
    return Agreement.id.in_(
        select(AgreementParty.agreement_id).where(AgreementParty.organisation_id.in_(orgs))
    )


def party_ids(agreement: Agreement) -> Iterable[int]:
    """The organisations that are parties to ``agreement``."""
    return (party.organisation_id for party in agreement.parties)


def can_read_agreement(principal: Principal, agreement: Agreement) -> bool:
    """Parties' members, viewers and coordinators, and admins."""
    return principal.is_admin or any(principal.has_role(org, Role.VIEWER) for org in party_ids(agreement))


def can_edit_agreement(principal: Principal, agreement: Agreement) -> bool:
    """Coordinators of a party, and admins."""
    return principal.is_admin or any(
        principal.has_role(org, Role.COORDINATOR) for org in party_ids(agreement)
    )


def can_create_agreement_for(principal: Principal, organisation_ids: Iterable[int]) -> bool:
    """A new agreement must include an organisation the user coordinates."""
    return principal.is_admin or any(principal.has_role(org, Role.COORDINATOR) for org in organisation_ids)


def can_edit_organisation(principal: Principal, organisation_id: int) -> bool:
    """Coordinators of the organisation (or of one above it), and admins."""
    return principal.has_role(organisation_id, Role.COORDINATOR)


def can_create_organisation(principal: Principal, parent_id: int | None) -> bool:
    """Admins create top-level organisations; coordinators create ones under their own."""
    return principal.is_admin or (parent_id is not None and principal.has_role(parent_id, Role.COORDINATOR))


def can_move_organisation(
    principal: Principal, organisation: Organisation, new_parent_id: int | None
) -> bool:
    """Moving an organisation under another needs rights in both places: its coordinators (or those of
    an organisation above it) and coordinators of the new parent; only admins make it top-level."""
    return can_edit_organisation(principal, organisation.id) and can_create_organisation(
        principal, new_parent_id
    )


def can_manage_person(principal: Principal, organisation_id: int | None) -> bool:
    """Coordinators of the person's organisation, and admins."""
    return principal.is_admin or principal.has_role(organisation_id, Role.COORDINATOR)


def can_manage_event(principal: Principal, organiser_id: int | None) -> bool:
    """Coordinators of the organiser, and admins."""
    return principal.is_admin or principal.has_role(organiser_id, Role.COORDINATOR)


def can_manage_users(principal: Principal) -> bool:
    """Only admins manage accounts and roles."""
    return principal.is_admin


def can_manage_news(principal: Principal, publisher_id: int | None) -> bool:
    """Coordinators of the publishing organisation write, publish and archive its news; admins too."""
    return principal.is_admin or principal.has_role(publisher_id, Role.COORDINATOR)


def can_read_dashboards(principal: Principal) -> bool:
    """Dashboards and reports are for signed-in users; each shows only the agreements they may read."""
    return principal.authenticated


def parties_visibility(
    principal: Principal, party_org: Any, link: ColumnElement[bool]
) -> ColumnElement[bool]:
    """A SQL condition selecting portfolio records (institutions, projects, programmes, achievements)
    with a party the principal may read: ``party_org`` is the party table's organisation column and
    ``link`` joins the party table to the record."""
    if principal.is_admin:
        return true()
    orgs = principal.orgs_with(Role.VIEWER)
    if not orgs:
        return literal(False)
    return exists().where(link, party_org.in_(orgs))


def can_read_portfolio(principal: Principal, organisation_ids: Iterable[int]) -> bool:
    """Viewers, members and coordinators of a party of an institution, project, programme,
    achievement or deal read it; admins too."""
    return principal.is_admin or any(principal.has_role(org, Role.VIEWER) for org in organisation_ids)


def can_manage_portfolio(principal: Principal, organisation_ids: Iterable[int]) -> bool:
    """Coordinators of a party create and change it (stages, KPIs, cohorts, pipeline moves, deals)."""
    return principal.is_admin or any(principal.has_role(org, Role.COORDINATOR) for org in organisation_ids)


class AchievementAccess(enum.Enum):
    """How a reader may open an achievement: its full page, or only its public catalogue entry."""

    PAGE = "page"
    CATALOGUE = "catalogue"


def in_catalogue(achievement: Achievement) -> bool:
    """Whether the achievement is listed in the public catalogue (public, not archived, not withdrawn)."""
    return (
        achievement.public
        and achievement.archived_at is None
        and achievement.stage != PipelineStage.WITHDRAWN
    )


def catalogue_condition() -> ColumnElement[bool]:
    """The SQL form of ``in_catalogue``."""
    return and_(
        Achievement.public.is_(True),
        Achievement.archived_at.is_(None),
        Achievement.stage != PipelineStage.WITHDRAWN,
    )


def achievement_access(principal: Principal, achievement: Achievement) -> AchievementAccess | None:
    """The one rule for achievements: readers of an owner (and admins) open its page; anyone else, signed
    in or not, reads only its catalogue entry, when it is in the catalogue; otherwise it looks absent.
    The achievement page, the catalogue entry, links to achievements and references all follow it."""
    if principal.authenticated and can_read_portfolio(
        principal, (o.organisation_id for o in achievement.owners)
    ):
        return AchievementAccess.PAGE
    return AchievementAccess.CATALOGUE if in_catalogue(achievement) else None


def can_manage_matching(principal: Principal) -> bool:
    """Coordinators (of any organisation) and admins act as matchmakers: they import works, see every
    demand and rank experts, achievements and labs for it."""
    return principal.is_admin or principal.coordinates_any


def can_read_demand(principal: Principal, organisation_id: int | None, submitted_by_id: int | None) -> bool:
    """Matchmakers, the user who posted a demand, and members of the enterprise it was posted for."""
    if can_manage_matching(principal):
        return True
    if principal.user_id is not None and submitted_by_id == principal.user_id:
        return True
    return principal.has_role(organisation_id, Role.VIEWER)


def can_post_demand_for(principal: Principal, organisation_id: int | None) -> bool:
    """A signed-in user posts a demand for an organisation where they are at least a member (or for none)."""
    if not principal.authenticated:
        return False
    return organisation_id is None or principal.has_role(organisation_id, Role.MEMBER)


def can_manage_match(principal: Principal, organisation_ids: Iterable[int | None]) -> bool:
    """Coordinators of the matched expert's (or owner's, or lab's) organisation send a match, record the
    response and turn an accepted match into a joint project; admins too."""
    return principal.is_admin or any(principal.has_role(org, Role.COORDINATOR) for org in organisation_ids)


def can_read(principal: Principal, obj: object) -> bool:
    """Whether the principal may read ``obj``, whatever its kind: the one rule for references.

    A record that names another one (a parent agreement, a linked task, commitment, institution,
    project, match…) shows it, and accepts it in a form or API body, only when this is true; otherwise
    the reference is treated exactly like a missing one."""
    if isinstance(obj, Achievement):
        return achievement_access(principal, obj) is not None
    if not principal.authenticated:
        return False
    if principal.is_admin:
        return True
    if isinstance(obj, Agreement):
        return can_read_agreement(principal, obj)
    if isinstance(obj, Commitment | Task):
        return can_read_agreement(principal, obj.agreement)
    if isinstance(obj, Institution | Project | Programme):
        return can_read_portfolio(principal, (p.organisation_id for p in obj.parties))
    if isinstance(obj, Deal):
        orgs = [p.organisation_id for p in obj.parties] + [o.organisation_id for o in obj.achievement.owners]
        return can_read_portfolio(principal, orgs)
    if isinstance(obj, Demand):
        return can_read_demand(principal, obj.organisation_id, obj.submitted_by_id)
    if isinstance(obj, Match):
        return can_read(principal, obj.demand)
    # The directory (organisations, people, signing events) and accounts: any signed-in user.
    return True


def readable(principal: Principal, objects: Iterable[Any]) -> list[Any]:
    """The objects the principal may read, in their order (for lists of linked records on a page)."""
    return [obj for obj in objects if obj is not None and can_read(principal, obj)]
