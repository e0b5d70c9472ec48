"""Two organisations with private records of every kind, and an account for every role.

Organisation A ("Aurora Institute") and organisation B ("Borealis Works") each sign an agreement with a
third organisation nobody has a role in, and get a commitment, a task with a progress update and an
evidence file, a signed original, an institution with an indicator, a project, a programme, a private
achievement with a deal, a demand with a sent match, a draft article with an image, a person, a signing event and a
work. Every record of A carries the word ``aurora`` in its title, every record of B ``borealis``, so a
search, a list or an export that shows the other side's rows is easy to spot.

Accounts: a viewer, a member and a coordinator of A, a coordinator of B, an admin (the demo's) and
anonymous visitors. Each signed-in role also has an API token.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from accord import clock
from accord.bibliography import ReadResult, Record
from accord.demo.wanzhou import DEMO_PASSWORD
from accord.models import (
    AgreementKind,
    AgreementStatus,
    Authorship,
    BatchState,
    Commitment,
    DealType,
    ImportBatch,
    ImportItem,
    IndicatorUnit,
    InstitutionKind,
    IPType,
    ItemState,
    Job,
    JobState,
    MatchTarget,
    NewsKind,
    NewsStatus,
    NoticeChannel,
    NoticeRecord,
    NoticeTarget,
    OrgKind,
    ProgrammeKind,
    Role,
    User,
)
from accord.models.base import utcnow
from accord.schemas.intake import CommitmentNew
from accord.schemas.matching import DemandIn, MatchSendIn
from accord.schemas.news import NewsIn
from accord.schemas.portfolio import (
    IndicatorIn,
    InstitutionIn,
    OrganisationRef,
    ProgrammeIn,
    ProjectIn,
    SharedPartyIn,
)
from accord.schemas.registry import AgreementIn, OrganisationIn, PartyIn, PersonIn, SigningEventIn
from accord.schemas.tasks import ProgressIn, TaskIn
from accord.schemas.transfer import AchievementIn, DealIn
from accord.services import (
    achievements,
    agreements,
    demands,
    events,
    files,
    institutions,
    intake,
    matching,
    news,
    organisations,
    people,
    programmes,
    projects,
    tasks,
    users,
    works,
)
from accord.services.permissions import SYSTEM

ROLES = ("anonymous", "viewer", "member", "coordinator", "outsider", "admin")
"""viewer, member and coordinator hold their role in organisation A; outsider coordinates B."""

EMAILS = {
    "viewer": "aurora.viewer@accord.example",
    "member": "aurora.member@accord.example",
    "coordinator": "aurora.coordinator@accord.example",
    "outsider": "borealis.coordinator@accord.example",
    "admin": "admin@accord.example",
}
MARKERS = {"a": "aurora", "b": "borealis"}
AGREEMENT_TEXT = """{marker} 合作协议

甲方：{title}机构
乙方：共同合作方

第一条 合作内容
双方共建{marker}实验室。

第二条 各方责任
（一）甲方应在签约后30日内提供场地。
（二）乙方每年投入经费100万元。
"""


@dataclass
class Side:
    """The ids of one organisation's records."""

    marker: str
    organisation: int = 0
    person: int = 0
    expert: int = 0
    event: int = 0
    agreement: int = 0
    document: int = 0
    commitment: int = 0
    proposed: int = 0
    proposed_last: int = 0
    spares: list[int] = field(default_factory=list)
    task: int = 0
    notice: int = 0  # an e-mail reminder about the task, held in the outbox
    channel: int = 0  # a Slack channel of the organisation, used through the API
    page_channel: int = 0  # another, used through the pages (each is removed once)
    update: int = 0
    evidence: int = 0
    institution: int = 0
    indicator: int = 0
    project: int = 0
    programme: int = 0
    achievement: int = 0
    deal: int = 0
    demand: int = 0
    match: int = 0
    lab_match: int = 0
    news: int = 0
    image: int = 0
    work: int = 0
    authorship: int = 0
    provider: int = 0  # a directory sign-in method, and one line of its group mapping
    mapping: int = 0
    slug: str = ""


@dataclass
class AuthzWorld:
    """Both organisations, the shared counterpart, and the accounts (ids and API tokens) per role."""

    a: Side
    b: Side
    counterpart: int
    users: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    token_ids: dict[str, int] = field(default_factory=dict)
    job_ids: dict[str, int] = field(default_factory=dict)
    # Import batches of A in review, one per use: the ones confirmed or cancelled end there.
    batches: dict[str, int] = field(default_factory=dict)
    batch_item: int = 0


def _side(session: Session, files_dir: Path, marker: str, counterpart: int) -> Side:
    side = Side(marker=marker)
    title = marker.capitalize()
    org = organisations.create_organisation(
        session,
        SYSTEM,
        OrganisationIn(name_zh=f"{title}机构", name_en=f"{title} organisation", kind=OrgKind.ENTERPRISE),
    )
    side.organisation = org.id
    person = people.create_person(
        session,
        SYSTEM,
        PersonIn(name_zh=f"{title}研究员", name_en=f"{title} Researcher", organisation_id=org.id),
    )
    side.person = person.id
    side.expert = people.create_person(
        session, SYSTEM, PersonIn(name_en=f"{title} Expert", organisation_id=org.id)
    ).id
    side.event = events.create_event(
        session,
        SYSTEM,
        SigningEventIn(
            title_zh=f"{marker} 签约仪式",
            title_en=f"{marker} signing",
            held_on=date(2024, 5, 1),
            organiser_id=org.id,
        ),
    ).id
    agreement = agreements.create_agreement(
        session,
        SYSTEM,
        AgreementIn(
            title_zh=f"{marker} 合作协议",
            title_en=f"{marker} cooperation agreement",
            kind=AgreementKind.OTHER,
            status=AgreementStatus.IN_FORCE,
            signed_on=date(2024, 5, 1),
            summary_en=f"{marker} private terms",
            parties=[PartyIn(organisation_id=org.id), PartyIn(organisation_id=counterpart)],
        ),
    )
    side.agreement = agreement.id
    side.document = agreements.attach_document(
        session,
        SYSTEM,
        agreement.id,
        files_dir=files_dir,
        filename=f"{marker}-signed.txt",
        content_type="text/plain",
        data=f"{marker} signed original".encode(),
        limit=1_000_000,
    ).id
    intake.import_text(
        session,
        SYSTEM,
        agreement.id,
        data=AGREEMENT_TEXT.format(marker=marker, title=title).encode(),
        filename=f"{marker}.txt",
        content_type="text/plain",
        files_dir=files_dir,
        limit=1_000_000,
    )
    commitment = intake.add_commitment(
        session,
        SYSTEM,
        agreement.id,
        CommitmentNew(
            organisation_id=org.id, action=f"{marker} builds a laboratory", due_on=date(2030, 1, 1)
        ),
    )
    side.spares = [
        intake.add_commitment(
            session, SYSTEM, agreement.id, CommitmentNew(organisation_id=org.id, action=f"{marker} spare {n}")
        ).id
        for n in range(3)
    ]
    session.flush()
    side.commitment = commitment.id
    proposed = select(Commitment.id).where(
        Commitment.agreement_id == agreement.id, Commitment.id != commitment.id
    )
    side.proposed, *_rest, side.proposed_last = sorted(session.scalars(proposed))
    # Accepted and without a task: what "tasks for all accepted commitments" has to make one for.
    intake.add_commitment(
        session,
        SYSTEM,
        agreement.id,
        CommitmentNew(organisation_id=org.id, action=f"{marker} reports yearly"),
    )
    task = tasks.create_task(
        session,
        SYSTEM,
        TaskIn(
            title=f"{marker} laboratory task",
            agreement_id=agreement.id,
            commitment_id=commitment.id,
            owner_organisation_id=org.id,
            due_on=clock.today() + timedelta(days=30),
        ),
    )
    side.task = task.id
    notice = NoticeRecord(
        key=f"t{task.id}:reminder:owner:u0:{task.due_on}:{task.due_on}#email",
        plan_key=f"t{task.id}:reminder:owner:u0:{task.due_on}:{task.due_on}",
        task_id=task.id,
        level="owner",
        kind="reminder",
        channel=NoticeChannel.EMAIL,
        recipient=f"{marker.lower()}@example.org",
        language="en",
        due_on=task.due_on,
        days=7,
    )
    session.add(notice)
    session.flush()
    side.notice = notice.id
    for attribute in ("channel", "page_channel"):
        channel = NoticeTarget(
            organisation_id=side.organisation,
            platform=NoticeChannel.SLACK,
            label=f"{marker} {attribute}",
            address_encrypted="v1:unreadable",  # a test message reports that it must be entered again
            address_hint="https://hooks.slack.com/…",
            enabled=True,
            created_at=utcnow(),
        )
        session.add(channel)
        session.flush()
        setattr(side, attribute, channel.id)
    update = tasks.add_update(
        session,
        SYSTEM,
        task.id,
        ProgressIn(percent=Decimal(10), note=f"{marker} progress note"),
        today=clock.today(),
        uploads=[tasks.Upload(f"{marker}-evidence.txt", "text/plain", f"{marker} evidence".encode())],
        files_dir=files_dir,
        limit=1_000_000,
    )
    side.update = update.id
    side.evidence = update.evidence[0].id
    institution = institutions.create_institution(
        session,
        SYSTEM,
        InstitutionIn(
            name_zh=f"{marker} 研究院",
            name_en=f"{marker} institute",
            kind=InstitutionKind.INSTITUTE,
            agreement_id=agreement.id,
            parties=[SharedPartyIn(organisation_id=org.id), SharedPartyIn(organisation_id=counterpart)],
        ),
    )
    side.institution = institution.id
    side.indicator = institutions.add_indicator(
        session,
        SYSTEM,
        institution.id,
        IndicatorIn(name_en=f"{marker} researchers", unit=IndicatorUnit.PEOPLE, target=Decimal(10)),
    ).id
    parties = [OrganisationRef(organisation_id=org.id), OrganisationRef(organisation_id=counterpart)]
    side.project = projects.create_project(
        session,
        SYSTEM,
        ProjectIn(
            title_zh=f"{marker} 项目",
            title_en=f"{marker} project",
            agreement_id=agreement.id,
            parties=parties,
        ),
    ).id
    side.programme = programmes.create_programme(
        session,
        SYSTEM,
        ProgrammeIn(
            title_zh=f"{marker} 培训",
            title_en=f"{marker} programme",
            kind=ProgrammeKind.CADRE_TRAINING,
            agreement_id=agreement.id,
            parties=parties,
        ),
    ).id
    achievement = achievements.create_achievement(
        session,
        SYSTEM,
        AchievementIn(
            title_zh=f"{marker} 成果",
            title_en=f"{marker} achievement",
            ip_type=IPType.PATENT,
            maturity=4,
            public=False,
            agreement_id=agreement.id,
            owners=[OrganisationRef(organisation_id=org.id)],
        ),
    )
    side.achievement = achievement.id
    side.deal = achievements.create_deal(
        session,
        SYSTEM,
        DealIn(
            achievement_id=achievement.id,
            deal_type=DealType.LICENCE,
            agreement_id=agreement.id,
            note_en=f"{marker} licence",
            parties=[OrganisationRef(organisation_id=org.id)],
        ),
    ).id
    demand = demands.create_demand(
        session,
        SYSTEM,
        DemandIn(title=f"{marker} demand", description=f"{marker} needs a sensor", organisation_id=org.id),
    )
    side.demand = demand.id
    session.flush()
    side.match = matching.send_match(
        session, SYSTEM, None, demand.id, MatchSendIn(target=MatchTarget.EXPERT, target_id=side.expert)
    ).id
    side.lab_match = matching.send_match(
        session, SYSTEM, None, demand.id, MatchSendIn(target=MatchTarget.LAB, target_id=org.id)
    ).id
    side.news = news.create_news(
        session,
        SYSTEM,
        NewsIn(
            kind=NewsKind.NEWS,
            status=NewsStatus.DRAFT,
            title_zh=f"{marker} 草稿",
            title_en=f"{marker} draft",
            body_en=f"{marker} embargoed text",
            publisher_id=org.id,
        ),
    ).id
    picture = io.BytesIO()
    Image.new("RGB", (2, 2)).save(picture, format="PNG")
    side.image = news.add_image(
        session, SYSTEM, side.news, files_dir=files_dir, filename=f"{marker}.png", data=picture.getvalue()
    ).id
    works.import_records(
        session,
        SYSTEM,
        ReadResult(
            [Record(title=f"{marker} sensor paper", authors=[f"{title} Researcher"], year=2023, line=1)], []
        ),
        marker,
        lenient=False,
    )
    session.flush()
    authorship = session.scalars(
        select(Authorship).where(Authorship.name == f"{title} Researcher").order_by(Authorship.id)
    ).first()
    assert authorship is not None
    side.work, side.authorship = authorship.work_id, authorship.id
    # Single sign-on is site-wide (administrators only); each side gets its own method to act on.
    from accord.models import Role as _Role
    from accord.models import SsoKind
    from accord.schemas.sso import GroupRoleIn, SsoProviderIn
    from accord.services import sso

    provider = sso.save_provider(
        session,
        SYSTEM,
        SsoProviderIn(
            slug=f"{marker}-directory",
            kind=SsoKind.LDAP,
            name_en=f"{title} directory",
            url="ldaps://127.0.0.1:9",
            base_dn="dc=example",
            user_filter="(uid={username})",
        ),
    )
    side.provider, side.slug = provider.id, provider.slug
    side.mapping = sso.add_group_role(
        session,
        SYSTEM,
        provider.id,
        GroupRoleIn(group_name=f"{marker}-staff", organisation_id=org.id, role=_Role.VIEWER),
    ).id
    return side


def build(session: Session, files_dir: Path) -> AuthzWorld:
    """Add both organisations, their records and the role accounts to a database holding the demo."""
    counterpart = organisations.create_organisation(
        session,
        SYSTEM,
        OrganisationIn(name_zh="共同合作方", name_en="Shared counterpart", kind=OrgKind.GOVERNMENT),
    ).id
    world = AuthzWorld(
        a=_side(session, files_dir, MARKERS["a"], counterpart),
        b=_side(session, files_dir, MARKERS["b"], counterpart),
        counterpart=counterpart,
    )
    grants = {
        "viewer": (world.a.organisation, Role.VIEWER),
        "member": (world.a.organisation, Role.MEMBER),
        "coordinator": (world.a.organisation, Role.COORDINATOR),
        "outsider": (world.b.organisation, Role.COORDINATOR),
    }
    for role, email in EMAILS.items():
        user = session.scalar(select(User).where(User.email == email))
        if user is None:
            user = users.create_user(session, SYSTEM, email=email, display_name=role, password=DEMO_PASSWORD)
            session.flush()
            organisation_id, level = grants[role]
            users.grant_role(session, SYSTEM, user, organisation_id, level)
        session.flush()
        token, secret = users.create_token(session, SYSTEM, user, f"{role} token")
        world.users[role] = user.id
        world.tokens[role] = secret
        world.token_ids[role] = token.id
        # Running with a fresh heartbeat: no runner takes it, and cancelling only asks it to stop.
        job = Job(
            kind="authz-probe",
            state=JobState.RUNNING,
            heartbeat_at=utcnow(),
            user_id=user.id,
            organisation_id=grants.get(role, (None,))[0],
        )
        session.add(job)
        session.flush()
        world.job_ids[role] = job.id
    _batches(session, files_dir, world)
    session.flush()
    return world


LEDGER = "协议名称,合作单位,签订日期\naurora ledger agreement,Shared counterpart,2024-05-01\n".encode()


def _batches(session: Session, files_dir: Path, world: AuthzWorld) -> None:
    """A's import batches waiting for review: one to correct (a read file and a ledger), and one each
    for confirming through the API and cancelling through the API and the page."""
    for use in ("review", "api-confirm", "api-cancel", "web-cancel"):
        batch = ImportBatch(organisation_id=world.a.organisation, state=BatchState.REVIEW)
        if use == "review":
            batch.ledger_filename = "ledger.csv"
            batch.ledger_sha256 = files.store(files_dir, LEDGER)
            batch.ledger_header_row = 0
            batch.ledger_headings = ["协议名称", "合作单位", "签订日期"]
            batch.ledger_mapping = {"title": 0, "partner": 1, "signed_on": 2}
            item = ImportItem(
                position=0, source="file", filename="aurora.txt", state=ItemState.READ,
                proposal={"title": "aurora imported agreement"},
                decision={"action": "create", "title": "aurora imported agreement", "kind": "other"},
            )  # fmt: skip
            batch.items.append(item)
        session.add(batch)
        session.flush()
        world.batches[use] = batch.id
        if use == "review":
            world.batch_item = batch.items[0].id
