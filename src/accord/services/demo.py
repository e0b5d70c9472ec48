"""The Wanzhou demonstration data, drawn from the 2020-07-27 signing forum, loaded through the services."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.intake.samples import CQU_WANZHOU_STRATEGIC
from accord.models import Agreement, AgreementKind, AgreementStatus, Organisation, OrgKind, Review, Role, User
from accord.schemas.registry import (
    AgreementIn,
    AttendeeIn,
    OrganisationIn,
    PartyIn,
    PersonIn,
    SigningEventIn,
)
from accord.services import agreements, events, intake, organisations, people, users
from accord.services.permissions import SYSTEM

DEMO_PASSWORD = "accord-demo-2020"
DEMO_USERS = (
    # email, display name, admin, organisation key, role
    ("admin@accord.example", "Demo administrator", True, None, None),
    ("cqu@accord.example", "重庆大学地方合作处", False, "cqu", Role.COORDINATOR),
    ("wanzhou@accord.example", "万州区科技局", False, "wanzhou", Role.COORDINATOR),
    ("viewer@accord.example", "Read-only viewer", False, "cqu", Role.VIEWER),
)

ORGANISATIONS = {
    "cqu": OrganisationIn(
        name_zh="重庆大学",
        name_en="Chongqing University",
        short_name_zh="重大",
        short_name_en="CQU",
        kind=OrgKind.UNIVERSITY,
        region_zh="重庆市沙坪坝区",
        region_en="Shapingba, Chongqing",
        website="https://www.cqu.edu.cn",
    ),
    "wanzhou": OrganisationIn(
        name_zh="重庆市万州区人民政府",
        name_en="People's Government of Wanzhou District",
        short_name_zh="万州区政府",
        short_name_en="Wanzhou District",
        kind=OrgKind.GOVERNMENT,
        region_zh="重庆市万州区",
        region_en="Wanzhou, Chongqing",
    ),
    "cqu_design": OrganisationIn(
        name_zh="重庆大学建筑规划设计研究总院有限公司",
        name_en="CQU General Institute of Architectural Planning and Design",
        short_name_zh="重大设计总院",
        kind=OrgKind.INSTITUTE,
        region_zh="重庆市",
        region_en="Chongqing",
    ),
    "wanzhou_design": OrganisationIn(
        name_zh="万州区规划设计研究院",
        name_en="Wanzhou Planning and Design Institute",
        kind=OrgKind.INSTITUTE,
        region_zh="重庆市万州区",
        region_en="Wanzhou, Chongqing",
    ),
    "dayou": OrganisationIn(
        name_zh="重庆大有设计集团",
        name_en="Chongqing Dayou Design Group",
        kind=OrgKind.ENTERPRISE,
        region_zh="重庆市",
        region_en="Chongqing",
    ),
    "hospital": OrganisationIn(
        name_zh="重庆大学附属三峡医院",
        name_en="Three Gorges Hospital Affiliated to Chongqing University",
        short_name_zh="三峡医院",
        kind=OrgKind.HOSPITAL,
        region_zh="重庆市万州区",
        region_en="Wanzhou, Chongqing",
    ),
}
# Units under a parent, added once the parents exist.
UNITS = {
    "wanzhou_st": (
        "wanzhou",
        OrganisationIn(
            name_zh="万州区科学技术局",
            name_en="Wanzhou District Science and Technology Bureau",
            kind=OrgKind.GOVERNMENT,
            region_zh="重庆市万州区",
            region_en="Wanzhou, Chongqing",
        ),
    ),
    "wanzhou_committee": (
        "wanzhou",
        OrganisationIn(
            name_zh="中共万州区委",
            name_en="CPC Wanzhou District Committee",
            kind=OrgKind.GOVERNMENT,
            region_zh="重庆市万州区",
            region_en="Wanzhou, Chongqing",
        ),
    ),
    "cqu_committee": (
        "cqu",
        OrganisationIn(
            name_zh="中共重庆大学委员会",
            name_en="CPC Chongqing University Committee",
            kind=OrgKind.UNIVERSITY,
        ),
    ),
}

PEOPLE = {
    # key: (name_zh, name_en, title_zh, title_en, organisation key, role at the event zh, en)
    "mo": (
        "莫恭明",
        "Mo Gongming",
        "重庆市委常委、万州区委书记",
        "Standing member of the CPC Chongqing Municipal Committee; secretary of the CPC Wanzhou District Committee",
        "wanzhou_committee",
        "出席并讲话",
        "Attended and spoke",
    ),
    "shu": (
        "舒立春",
        "Shu Lichun",
        "重庆大学党委书记",
        "Secretary of the CPC CQU Committee",
        "cqu_committee",
        "出席并讲话",
        "Attended and spoke",
    ),
    "zhang": (
        "张宗益",
        "Zhang Zongyi",
        "重庆大学校长",
        "President of Chongqing University",
        "cqu",
        "介绍学校“双一流”建设进展",
        "Briefed on CQU's Double First-Class progress",
    ),
    "nie": (
        "聂红艳",
        "Nie Hongyan",
        "万州区委副书记、区长",
        "Deputy secretary of the CPC Wanzhou District Committee; head of the district",
        "wanzhou",
        "介绍万州经济社会发展情况",
        "Introduced Wanzhou's social and economic development",
    ),
    "jiang_xs": (
        "蒋雪松",
        "Jiang Xuesong",
        "万州区委常委、常务副区长",
        "Standing member of the CPC Wanzhou District Committee; managing deputy head of the district",
        "wanzhou",
        "代表万州区签约",
        "Signed for Wanzhou District",
    ),
    "liu_wei": (
        "刘伟",
        "Liu Wei",
        "万州区委常委、区委办公室主任",
        "Standing member of the CPC Wanzhou District Committee; director of its Central Office",
        "wanzhou_committee",
        "出席",
        "Attended",
    ),
    "jiang_yy": (
        "蒋宜益",
        "Jiang Yiyi",
        "万州区副区长",
        "Deputy head of Wanzhou District",
        "wanzhou",
        "出席",
        "Attended",
    ),
    "liu_hl": (
        "刘汉龙",
        "Liu Hanlong",
        "重庆大学副校长",
        "Vice president of Chongqing University",
        "cqu",
        "代表重庆大学签约",
        "Signed for Chongqing University",
    ),
}


def is_loaded(session: Session) -> bool:
    """Whether the demo organisations are already present."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.name_en == ORGANISATIONS["cqu"].name_en)
        )
        != 0
    )


def load(session: Session, files_dir: Path) -> dict[str, int]:
    """Create the demo registry and accounts; returns the ids of the main records."""
    orgs: dict[str, Organisation] = {}
    for key, data in ORGANISATIONS.items():
        orgs[key] = organisations.create_organisation(session, SYSTEM, data)
    for key, (parent, data) in UNITS.items():
        orgs[key] = organisations.create_organisation(
            session, SYSTEM, data.model_copy(update={"parent_id": orgs[parent].id})
        )
    persons = {}
    for key, (name_zh, name_en, title_zh, title_en, org, _rz, _re) in PEOPLE.items():
        persons[key] = people.create_person(
            session,
            SYSTEM,
            PersonIn(
                name_zh=name_zh,
                name_en=name_en,
                title_zh=title_zh,
                title_en=title_en,
                organisation_id=orgs[org].id,
            ),
        )
    event = events.create_event(
        session,
        SYSTEM,
        SigningEventIn(
            title_zh="重庆大学与万州区人民政府深化战略合作签约座谈会暨重庆大学附属三峡医院揭牌仪式",
            title_en="Contract Signing Forum for Deepening Strategic Cooperation between CQU and the Government of "
            "Wanzhou District & Inauguration Ceremony of the Three Gorges Hospital Affiliated to CQU",
            held_on=date(2020, 7, 27),
            place_zh="重庆市万州区",
            place_en="Wanzhou, Chongqing",
            organiser_id=orgs["wanzhou"].id,
            attendees=[
                AttendeeIn(person_id=persons[k].id, role_zh=v[5], role_en=v[6]) for k, v in PEOPLE.items()
            ],
        ),
    )
    strategic = agreements.create_agreement(
        session,
        SYSTEM,
        AgreementIn(
            title_zh="重庆大学 重庆市万州区人民政府 全面深化战略合作协议",
            title_en="Agreement on Comprehensively Deepening Strategic Cooperation between Chongqing University and "
            "the People's Government of Wanzhou District",
            kind=AgreementKind.STRATEGIC,
            status=AgreementStatus.IN_FORCE,
            signed_on=date(2020, 7, 27),
            effective_from=date(2020, 7, 27),
            expires_on=date(2025, 7, 26),
            term_zh="5年",
            term_en="5 years",
            summary_zh="双方在产学研协同攻关、共建高校与研究院、科技成果转化、人才培养与干部培训等领域全面深化合作，"
            "共建重庆大学附属三峡医院、重庆大学建筑规划设计研究总院渝东北分院和长江流域生态环境保护与可持续发展研究院。",
            summary_en="Both sides deepen cooperation in enterprise–university–research problem tackling, co-built "
            "colleges and institutes, achievement transfer, and talent and cadre training; they co-build the Three "
            "Gorges Hospital Affiliated to CQU, the Northeast Chongqing Branch of the CQU design institute and the "
            "Yangtze River Basin Ecological Environment Protection and Sustainable Development Institute.",
            signing_event_id=event.id,
            parties=[
                PartyIn(organisation_id=orgs["wanzhou"].id, signatory_id=persons["jiang_xs"].id),
                PartyIn(organisation_id=orgs["cqu"].id, signatory_id=persons["liu_hl"].id),
            ],
        ),
    )
    agreements.create_agreement(
        session,
        SYSTEM,
        AgreementIn(
            title_zh="重庆大学建筑规划设计研究总院 万州区规划设计研究院 重庆大有设计集团 合作运营协议",
            title_en="Cooperative Operation Agreement between the CQU General Institute of Architectural Planning and "
            "Design, Wanzhou Planning and Design Institute and Chongqing Dayou Design Group",
            kind=AgreementKind.COOPERATIVE_OPERATION,
            status=AgreementStatus.IN_FORCE,
            signed_on=date(2020, 7, 27),
            signing_event_id=event.id,
            parent_id=strategic.id,
            summary_zh="三方合作运营重庆大学建筑规划设计研究总院渝东北分院。",
            summary_en="The three parties run the Northeast Chongqing Branch of the CQU design institute together.",
            parties=[
                PartyIn(organisation_id=orgs["cqu_design"].id),
                PartyIn(organisation_id=orgs["wanzhou_design"].id),
                PartyIn(organisation_id=orgs["dayou"].id),
            ],
        ),
    )
    _import_strategic_text(session, strategic.id, files_dir)
    for email, name, admin, org_key, role in DEMO_USERS:
        user = users.create_user(
            session, SYSTEM, email=email, display_name=name, password=DEMO_PASSWORD, is_admin=admin
        )
        if org_key and role:
            session.flush()
            users.grant_role(session, SYSTEM, user, orgs[org_key].id, role)
    ids = {"strategic_agreement": strategic.id, "event": event.id, "cqu": orgs["cqu"].id}
    load_delivery(session, ids)
    return ids


def _import_strategic_text(session: Session, agreement_id: int, files_dir: Path) -> None:
    """Import the illustrative text of the strategic agreement and accept what was found unconditionally."""
    data = CQU_WANZHOU_STRATEGIC.read_bytes()
    intake.import_text(
        session,
        SYSTEM,
        agreement_id,
        data=data,
        filename=CQU_WANZHOU_STRATEGIC.name,
        content_type="text/plain",
        files_dir=files_dir,
        limit=len(data),
    )
    proposed = intake.commitments_of(session, SYSTEM, agreement_id, Review.PROPOSED)
    intake.set_review(session, SYSTEM, [c.id for c in proposed if not c.conditional], Review.ACCEPTED)


def demo_user_count(session: Session) -> int:
    """How many demo accounts exist."""
    emails = [u[0] for u in DEMO_USERS]
    return session.scalar(select(func.count()).select_from(User).where(User.email.in_(emails))) or 0


def strategic_agreement(session: Session) -> Agreement | None:
    """The CQU–Wanzhou strategic agreement, if loaded."""
    return session.scalar(select(Agreement).where(Agreement.title_zh.like("%全面深化战略合作协议%")).limit(1))


# Demo task shapes relative to today: (start offset, due offset, progress, done); cycled over the
# accepted commitments so the board shows every status.
_DEMO_SHAPES = (
    (-400, -30, 100, True),  # done
    (-100, 200, 50, False),  # on track
    (-300, -20, 60, False),  # overdue
    (-200, 10, 50, False),  # at risk
    (-30, 330, 10, False),  # on track
    (30, 400, 0, False),  # not started
)


def load_delivery(session: Session, ids: dict[str, int]) -> None:
    """Give the strategic agreement's accepted commitments tasks: some done, some on track, some overdue."""
    from datetime import timedelta
    from decimal import Decimal

    from accord.models import Commitment, Person
    from accord.schemas.tasks import ProgressIn, TaskIn
    from accord.services import tasks
    from accord.services.permissions import principal_for

    today = date.today()
    agreement = session.get(Agreement, ids["strategic_agreement"])
    assert agreement is not None
    parties = [p.organisation_id for p in agreement.parties]  # Wanzhou (party A), CQU (party B)
    accepted = list(
        session.scalars(
            select(Commitment)
            .where(Commitment.agreement_id == agreement.id, Commitment.review == Review.ACCEPTED)
            .order_by(Commitment.id)
        )
    )
    emails = {parties[0]: "wanzhou@accord.example", parties[1]: "cqu@accord.example"}
    reporters = {
        org: principal_for(session, session.scalars(select(User).where(User.email == email)).one())
        for org, email in emails.items()
    }
    people_of = {
        org: session.scalars(
            select(Person.id).where(Person.organisation_id == org).order_by(Person.id)
        ).first()
        for org in parties
    }
    work: list[tuple[str, int | None, int, Commitment | None]] = []
    for index, commitment in enumerate(accepted):
        owner = commitment.organisation_id if commitment.organisation_id in parties else parties[index % 2]
        work.append((commitment.action[:300], commitment.id, owner, commitment))
    if not work:  # no reviewed text: hand-made tasks stand in for the commitments
        titles = (
            "共建重庆大学附属三峡医院",
            "组建建筑规划设计研究总院渝东北分院",
            "共建长江流域生态环境研究院",
        )
        work = [(title, None, parties[i % 2], None) for i, title in enumerate(titles)]
    for index, (title, commitment_id, owner, source) in enumerate(work):
        start, due, progress, done = _DEMO_SHAPES[index % len(_DEMO_SHAPES)]
        recurring = source is not None and source.recurrence is not None
        first_due = (agreement.effective_from or today).replace(
            year=(agreement.effective_from or today).year + 1
        )
        data = TaskIn(
            title=title,
            agreement_id=agreement.id,
            commitment_id=commitment_id,
            owner_organisation_id=owner,
            owner_person_id=people_of[owner],
            start_on=None if recurring else today + timedelta(days=start),
            due_on=first_due if recurring else today + timedelta(days=due),
            metric_target=source.amount_value if source is not None else None,
            metric_unit=source.amount_unit if source is not None else None,
        )
        task = tasks.create_task(session, SYSTEM, data)
        reporter = reporters[owner]
        if recurring:
            # Past occurrences were held; the latest one is still open (and so overdue).
            for child in sorted(task.children, key=lambda t: t.due_on)[:-1]:
                tasks.add_update(
                    session,
                    reporter,
                    child.id,
                    ProgressIn(note="已按期完成", done=True, reported_on=min(child.due_on, today)),
                    today=today,
                    files_dir=Path("."),
                    limit=0,
                )
            continue
        if progress:
            tasks.add_update(
                session,
                reporter,
                task.id,
                ProgressIn(percent=Decimal(progress), note="阶段性进展", done=done),
                today=today,
                files_dir=Path("."),
                limit=0,
            )
        if source is not None and source.action.startswith("共同建设长江流域"):
            for offset, sub in ((60, "完成研究院章程与选址"), (240, "研究院挂牌运行")):
                tasks.create_task(
                    session,
                    SYSTEM,
                    data.model_copy(
                        update={"title": sub, "parent_id": task.id, "due_on": today + timedelta(days=offset)}
                    ),
                )
