"""The Wanzhou demonstration data, drawn from the 2020-07-27 signing forum, loaded through the services."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from accord import clock
from accord.intake.samples import CQU_WANZHOU_STRATEGIC
from accord.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Organisation,
    OrgKind,
    Person,
    Review,
    Role,
    User,
)
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
    load_portfolio(session, ids)
    load_news(session, ids)
    load_matching(session, ids, files_dir)
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
    intake.accept_unconditional(session, SYSTEM, agreement_id)


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

    today = clock.today()
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
        first_due = (source.due_on if source is not None else None) or (
            agreement.effective_from or today
        ).replace(year=(agreement.effective_from or today).year + 1)
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


NEWS_TITLE_ZH = "重庆大学与万州区人民政府深化战略合作签约座谈会暨重庆大学附属三峡医院揭牌仪式在万州举行"
NEWS_TITLE_EN = "Contract Signing Forum for Deepening Strategic Cooperation between CQU and the Government of Wanzhou District & Inauguration Ceremony of the Three Gorges Hospital Affiliated to CQU Held in Wanzhou"
NEWS_SUMMARY_ZH = (
    "2020年7月27日，重庆大学与万州区人民政府签署全面深化战略合作协议，三家设计院签署合作运营协议，"
    "重庆大学附属三峡医院揭牌。"
)
NEWS_SUMMARY_EN = (
    "On 27 July 2020 Chongqing University and the People's Government of Wanzhou District signed the agreement on "
    "comprehensively deepening strategic cooperation, three design institutes signed a cooperative operation "
    "agreement, and the Three Gorges Hospital Affiliated to CQU was inaugurated."
)
# The English article as published (news of 2020-10-12), paragraph by paragraph.
NEWS_BODY_EN = "In order to further implement the strategic layout of Chengdu-Chongqing Economic Circle as set out by the Central Committee of CPC and the decision and deployment about the development pattern that includes “one district and two groups” as proposed by the CPC Chongqing Municipal Committee, the Contract Signing Forum for Deepening Strategic Cooperation between CQU and the Government of Wanzhou District & Inauguration Ceremony of the Three Gorges Hospital Affiliated to CQU was held on July 27, 2020 in Wanzhou. Mo Gongming, a standing member of CPC Chongqing Municipal Committee and secretary of CPC Wanzhou District Committee, Shu Lichun, secretary of CPC CQU Committee, Zhang Zongyi, CQU’s president, Nie Hongyan, deputy secretary of CPC Wanzhou District Committee and head of the district, Jiang Xuesong, a standing member of CPC Wanzhou District Committee and the managing deputy head of the district, Liu Wei, a standing member of CPC Wanzhou District Committee and director of the Central Office of the Committee, Jiang Yiyi, deputy head of the government of the district, and Liu Hanlong, vice president of Chongqing University, were present at the event.\n\nAt the Forum, Nie Hongyan gave an introduction to the social-economic development of Wanzhou District and the progress in cooperation between the two sides. Nie expressed her desire to further promote the existing cooperation and seek for opportunities for extensive and in-depth cooperation in areas such as enterprise-university-research cooperation, joint construction of colleges and universities and talent cultivation using their respective advantages. She said that during this period of time, the two sides should start a new chapter of mutual beneficial cooperation and add new power to their development.\n\nZhang Zongyi briefed the attendants on the latest progress in the “Double-First-Rate” construction of Chongqing University. Zhang stressed that the contract signing between the two sides was part of the move to implement the decision and deployment made by the municipal government and the CPC Chongqing Municipal Committee, and was a response to the internal need of future development of CQU and Wanzhou District. Given such a good opportunity, the two are expected to achieve something great. According to Zhang, CQU will take this opportunity to refine and implement the content in the cooperation agreement, and give full play to its advantages in disciplines, talents and science and technology, and comprehensively deepen cooperation with Wanzhou in various areas, and extensively participate in the social-economic construction of Wanzhou, in an ultimate effort to drive the industrial transformation and high-quality development of Wanzhou, contribute to construction of Chengdu-Chongqing Economic Circle, support the “two-point” positioning of Chongqing, realize the “two-high” goal and play the “three roles” as anticipated.\n\nCQU General Institute of Architectural Planning and Design, Wanzhou Planning and Design Institute and Chongqing Dayou Design Group signed the cooperative operation agreement.\n\nLiu Hanlong and Jiang Xuesong signed the agreement on comprehensively deepening strategic cooperation between Chongqing University and the People’s Government of Wanzhou District.\n\nAfter the signing ceremony, Shu Lichun pointed out that the contract signing was only a beginning. According to Shu, in the next step, the two sides should further refine the content of the strategic cooperation agreement and carry out every requirement and each task as planned. The two are expected to cooperate to build the Three Gorges Hospital Affiliated to Chongqing University, the Northeast Chongqing Branch of CQU General Institute of Architectural Planning and Design and the Yangtze River Basin Ecological Environment Protection and Sustainable Development Institute satisfactorily. Besides, the two will work together to promote comprehensive services such as science and technology, education and talents and to build more useful bases, launch more projects and transform more achievements of Chongqing University in Wanzhou District. While expediting the “Double-First-Rate” construction, characteristic construction and high-quality construction, the two will collaborate to secure the leading role of Wanzhou in high-quality development of towns and townships of the Three Gorges Reservoir Region in northeast Chongqing.\n\nMo Gongming highlighted in his speech that Wanzhou was currently learning and implementing the spirit of President Xi Jinping’s important speeches, carrying out the deployment requirements of CPC Chongqing Municipal Committee and practicing the “one-center and six-pattern” approach in an effort to expedite construction of the economic center of the Three Gorges Reservoir Region and promote the influential power of central cities of the Region. Mo expressed his hope to bring the scientific and technological achievements, innovative ideas and excellent talents to Wanzhou and strengthen the cooperation ties between the two sides and carry out more practical and in-depth cooperation between CQU and Wanzhou District in areas such as joint construction of colleges and universities, collaborative problem tackling through enterprise-university-research cooperation, scientific and technological achievement transformation, in-depth engagement in advantageous areas and cultivation of cadres and talents. The two sides are also expected to co-build innovation agencies such as R&D centers, scientific research institutes and key labs, and work together to set up multi-form scientific and technological incubators, thus achieving a win-win result."
NEWS_BODY_ZH = """为深入贯彻落实党中央关于成渝地区双城经济圈建设的战略部署和重庆市委“一区两群”协调发展的决策部署，2020年7月27日，重庆大学与万州区人民政府深化战略合作签约座谈会暨重庆大学附属三峡医院揭牌仪式在万州举行。重庆市委常委、万州区委书记莫恭明，重庆大学党委书记舒立春，重庆大学校长张宗益，万州区委副书记、区长聂红艳，万州区委常委、常务副区长蒋雪松，万州区委常委、区委办公室主任刘伟，万州区副区长蒋宜益，重庆大学副校长刘汉龙出席活动。

座谈会上，聂红艳介绍了万州区经济社会发展情况和双方合作进展。她表示，希望进一步推进双方现有合作，发挥各自优势，在产学研合作、共建高校、人才培养等领域寻求更加广泛、更加深入的合作机会。她说，双方要在这一时期开启互利合作的新篇章，为各自发展注入新动力。

张宗益介绍了重庆大学“双一流”建设的最新进展。他强调，双方此次签约是落实市委、市政府决策部署的举措，也是重庆大学和万州区未来发展的内在需要。机遇难得，双方必将大有可为。张宗益表示，重庆大学将以此为契机，细化落实合作协议内容，充分发挥学科、人才和科技优势，与万州全面深化各领域合作，广泛参与万州经济社会建设，努力推动万州产业转型和高质量发展，为成渝地区双城经济圈建设作出贡献，支撑重庆“两点”定位、实现“两高”目标、发挥“三个作用”。

重庆大学建筑规划设计研究总院、万州区规划设计研究院和重庆大有设计集团签署了合作运营协议。

刘汉龙与蒋雪松签署了《重庆大学 重庆市万州区人民政府 全面深化战略合作协议》。

签约仪式后，舒立春指出，签约只是一个开始。下一步，双方要进一步细化战略合作协议内容，把每一项要求、每一项任务按计划落到实处；合作建好重庆大学附属三峡医院、重庆大学建筑规划设计研究总院渝东北分院和长江流域生态环境保护与可持续发展研究院；共同推进科技、教育、人才等综合服务，在万州建设更多管用的基地、落地更多项目、转化更多重庆大学的成果。双方将在加快推进“双一流”建设、特色建设和高质量建设的同时，携手巩固万州在渝东北三峡库区城镇群高质量发展中的引领地位。

莫恭明在讲话中强调，万州正在学习贯彻习近平总书记重要讲话精神，落实重庆市委部署要求，践行“一个中心、六个格局”思路，加快建设三峡库区经济中心，提升库区中心城市影响力。他希望把科技成果、创新理念和优秀人才带到万州，密切双方合作纽带，推动重庆大学与万州区在共建高校、产学研协同攻关、科技成果转化、优势领域深度对接、干部人才培养等方面开展更加务实、更加深入的合作；共建研发中心、科研院所、重点实验室等创新机构，共同建设多种形式的科技孵化器，实现合作共赢。"""


def load_news(session: Session, ids: dict[str, int]) -> None:
    """The seed's own article: the 2020 signing as reported, in English and in Chinese."""
    from datetime import datetime, timedelta, timezone

    from accord.models import Institution, NewsKind, NewsStatus
    from accord.schemas.news import NewsIn
    from accord.services import news

    signed = session.scalars(
        select(Agreement.id).where(Agreement.signing_event_id == ids["event"]).order_by(Agreement.id)
    ).all()
    # The article reports the hospital's inauguration and the institutes to be co-built.
    built = session.scalars(
        select(Institution.id).where(Institution.agreement_id.in_(signed)).order_by(Institution.id)
    ).all()
    news.create_news(
        session,
        SYSTEM,
        NewsIn(
            kind=NewsKind.NEWS,
            status=NewsStatus.PUBLISHED,
            title_zh=NEWS_TITLE_ZH,
            title_en=NEWS_TITLE_EN,
            summary_zh=NEWS_SUMMARY_ZH,
            summary_en=NEWS_SUMMARY_EN,
            body_zh=NEWS_BODY_ZH,
            body_en=NEWS_BODY_EN,
            published_at=datetime(2020, 10, 12, 9, 0, tzinfo=timezone(timedelta(hours=8))),
            publisher_id=ids["cqu"],
            signing_event_id=ids["event"],
            agreement_ids=list(signed),
            institution_ids=list(built),
        ),
    )


def load_portfolio(session: Session, ids: dict[str, int]) -> None:
    """The seed's co-built institutions, a cadre-training programme, a joint project and an achievement
    in the transfer pipeline with its deal, linked to the strategic agreement's accepted commitments.

    Shares, KPI figures, later stage dates, participant counts and amounts are illustrative.
    """
    from decimal import Decimal

    from accord.models import (
        Commitment,
        DealType,
        IndicatorUnit,
        InstitutionKind,
        InstitutionStage,
        IPType,
        PipelineStage,
        ProgrammeKind,
    )
    from accord.schemas.portfolio import (
        CohortCountIn,
        CohortIn,
        CommitmentRef,
        IndicatorIn,
        IndicatorValueIn,
        InstitutionIn,
        OrganisationRef,
        PersonRef,
        ProgrammeIn,
        ProjectIn,
        SharedPartyIn,
        StageChangeIn,
    )
    from accord.schemas.transfer import AchievementIn, DealIn, MoveIn
    from accord.services import achievements, institutions, programmes, projects

    strategic = ids["strategic_agreement"]

    def org(name_en: str) -> int:
        found = session.scalar(select(Organisation.id).where(Organisation.name_en == name_en))
        assert found is not None, name_en
        return found

    def fulfils(*words: str, agreement_id: int = strategic) -> list[CommitmentRef]:
        stmt = (
            select(Commitment.id)
            .where(Commitment.agreement_id == agreement_id, Commitment.review == Review.ACCEPTED)
            .where(or_(*(Commitment.action.contains(word) for word in words)))
            .order_by(Commitment.id)
        )
        return [CommitmentRef(commitment_id=cid) for cid in session.scalars(stmt)]

    cqu, wanzhou = org("Chongqing University"), org("People's Government of Wanzhou District")
    cqu_design = org(ORGANISATIONS["cqu_design"].name_en or "")
    wanzhou_design = org(ORGANISATIONS["wanzhou_design"].name_en or "")
    dayou = org(ORGANISATIONS["dayou"].name_en or "")
    operation = session.scalar(
        select(Agreement.id).where(Agreement.kind == AgreementKind.COOPERATIVE_OPERATION)
    )

    hospital = institutions.create_institution(
        session,
        SYSTEM,
        InstitutionIn(
            name_zh="重庆大学附属三峡医院",
            name_en="Three Gorges Hospital Affiliated to Chongqing University",
            kind=InstitutionKind.HOSPITAL,
            stage=InstitutionStage.OPERATING,
            stage_since=date(2020, 7, 27),
            agreement_id=strategic,
            summary_zh="2020年7月27日在万州揭牌，纳入重庆大学附属医院管理体系。",
            summary_en="Inaugurated in Wanzhou on 27 July 2020 and brought into CQU's system of affiliated hospitals.",
            parties=[
                SharedPartyIn(organisation_id=wanzhou, share=Decimal(50)),
                SharedPartyIn(organisation_id=cqu, share=Decimal(50)),
            ],
            fulfils=fulfils("三峡医院", "附属医院"),
        ),
    )
    for name_zh, name_en, unit, target, values in (
        ("开放床位", "Open beds", IndicatorUnit.BEDS, 2000, (("2020", 1650), ("2021", 1800), ("2022", 1900))),
        ("职工人数", "Staff", IndicatorUnit.PEOPLE, 2500, (("2020", 2050), ("2021", 2200), ("2022", 2350))),
        (
            "年门急诊人次",
            "Outpatient and emergency visits a year",
            IndicatorUnit.VISITS,
            1500000,
            (("2020", 1120000), ("2021", 1260000), ("2022", 1310000)),
        ),
    ):
        indicator = institutions.add_indicator(
            session,
            SYSTEM,
            hospital.id,
            IndicatorIn(name_zh=name_zh, name_en=name_en, unit=unit, target=Decimal(target)),
        )
        for period, value in values:
            institutions.record_value(
                session, SYSTEM, indicator.id, IndicatorValueIn(period=period, value=Decimal(value))
            )

    branch = institutions.create_institution(
        session,
        SYSTEM,
        InstitutionIn(
            name_zh="重庆大学建筑规划设计研究总院渝东北分院",
            name_en="Northeast Chongqing Branch of the CQU General Institute of Architectural Planning and Design",
            kind=InstitutionKind.BRANCH,
            stage=InstitutionStage.APPROVED,
            stage_since=date(2020, 7, 27),
            agreement_id=operation,
            summary_zh="由三家设计院依合作运营协议共同运营。",
            summary_en="Run by the three design institutes under their cooperative operation agreement.",
            parties=[
                SharedPartyIn(organisation_id=cqu_design, share=Decimal(40)),
                SharedPartyIn(organisation_id=wanzhou_design, share=Decimal(30)),
                SharedPartyIn(organisation_id=dayou, share=Decimal(30)),
                SharedPartyIn(organisation_id=cqu),
            ],
            fulfils=fulfils("渝东北分院", "分院"),
        ),
    )
    institutions.change_stage(
        session,
        SYSTEM,
        branch.id,
        StageChangeIn(stage=InstitutionStage.OPERATING, changed_on=date(2021, 1, 20)),
        None,
    )
    projects_indicator = institutions.add_indicator(
        session,
        SYSTEM,
        branch.id,
        IndicatorIn(
            name_zh="承接设计项目",
            name_en="Design projects taken on",
            unit=IndicatorUnit.PROJECTS,
            target=Decimal(30),
        ),
    )
    for period, value in (("2021", 12), ("2022", 21)):
        institutions.record_value(
            session, SYSTEM, projects_indicator.id, IndicatorValueIn(period=period, value=Decimal(value))
        )

    ecology = institutions.create_institution(
        session,
        SYSTEM,
        InstitutionIn(
            name_zh="长江流域生态环境保护与可持续发展研究院",
            name_en="Yangtze River Basin Ecological Environment Protection and Sustainable Development Institute",
            kind=InstitutionKind.INSTITUTE,
            stage=InstitutionStage.PROPOSED,
            stage_since=date(2020, 7, 27),
            agreement_id=strategic,
            summary_zh="研究院设在万州，研究三峡库区生态环境保护。",
            summary_en="Based in Wanzhou; studies the protection of the Three Gorges Reservoir Region's environment.",
            parties=[SharedPartyIn(organisation_id=wanzhou), SharedPartyIn(organisation_id=cqu)],
            fulfils=fulfils("研究院"),
        ),
    )
    for stage, on in (
        (InstitutionStage.APPROVED, date(2020, 10, 15)),
        (InstitutionStage.UNDER_CONSTRUCTION, date(2021, 3, 1)),
    ):
        institutions.change_stage(
            session, SYSTEM, ecology.id, StageChangeIn(stage=stage, changed_on=on), None
        )
    institutions.add_indicator(
        session,
        SYSTEM,
        ecology.id,
        IndicatorIn(name_zh="研究人员", name_en="Researchers", unit=IndicatorUnit.PEOPLE, target=Decimal(60)),
    )

    programme = programmes.create_programme(
        session,
        SYSTEM,
        ProgrammeIn(
            title_zh="万州区党政干部和专业技术人才培训班",
            title_en="Training classes for Wanzhou's Party and government cadres and technical professionals",
            kind=ProgrammeKind.CADRE_TRAINING,
            agreement_id=strategic,
            outcomes_zh="重庆大学每年为万州区培训党政干部和专业技术人才不少于200人次。",
            outcomes_en="CQU trains at least 200 of Wanzhou's cadres and professionals a year.",
            parties=[OrganisationRef(organisation_id=cqu), OrganisationRef(organisation_id=wanzhou)],
            fulfils=fulfils("干部"),
        ),
    )
    programmes.add_cohort(
        session,
        SYSTEM,
        programme.id,
        CohortIn(
            name_zh="2020年第一期",
            name_en="2020, first class",
            start_on=date(2020, 11, 9),
            end_on=date(2020, 11, 13),
            outcomes_zh="专题课程覆盖成渝地区双城经济圈建设与城市治理。",
            outcomes_en="Courses on the Chengdu–Chongqing economic circle and urban governance.",
            counts=[
                CohortCountIn(organisation_id=wanzhou, participants=48),
                CohortCountIn(
                    organisation_id=org("Wanzhou District Science and Technology Bureau"), participants=12
                ),
            ],
        ),
    )

    projects.create_project(
        session,
        SYSTEM,
        ProjectIn(
            title_zh="三峡库区消落带生态修复产学研协同攻关",
            title_en="Joint research on restoring the Three Gorges Reservoir's drawdown zone",
            agreement_id=strategic,
            budget=Decimal(3000000),
            currency="CNY",
            funding_zh="万州区产学研合作专项资金",
            funding_en="Wanzhou's special fund for enterprise–university–research cooperation",
            start_on=date(2021, 3, 1),
            end_on=date(2023, 12, 31),
            outputs_zh="修复示范区一处，技术规程一部。",
            outputs_en="One restoration demonstration site and a technical code of practice.",
            parties=[OrganisationRef(organisation_id=cqu), OrganisationRef(organisation_id=wanzhou)],
            leads=[
                PersonRef(
                    person_id=session.scalar(select(Person.id).where(Person.name_en == "Liu Hanlong")) or 0
                )
            ],
            fulfils=fulfils("攻关"),
        ),
    )

    platform = achievements.create_achievement(
        session,
        SYSTEM,
        AchievementIn(
            title_zh="山地城市规划设计数字化协同平台",
            title_en="Digital collaboration platform for mountain-city planning and design",
            ip_type=IPType.SOFTWARE_COPYRIGHT,
            maturity=7,
            field_zh="城乡规划",
            field_en="Urban and rural planning",
            abstract_zh="面向山地城市的规划设计协同平台，支持多方在线会审与成果管理。",
            abstract_en="A planning and design platform for mountain cities with joint online review and document control.",
            public=True,
            agreement_id=strategic,
            owners=[OrganisationRef(organisation_id=cqu), OrganisationRef(organisation_id=cqu_design)],
        ),
    )
    for step in (PipelineStage.MATCHED, PipelineStage.NEGOTIATING, PipelineStage.LICENSED):
        achievements.move(session, SYSTEM, platform.id, MoveIn(to_stage=step), None)
    _dated(platform.moves, date(2020, 9, 1), date(2020, 11, 10), date(2021, 3, 2), date(2021, 6, 18))
    achievements.create_deal(
        session,
        SYSTEM,
        DealIn(
            achievement_id=platform.id,
            deal_type=DealType.LICENCE,
            amount=Decimal(300000),
            currency="CNY",
            signed_on=date(2021, 6, 18),
            agreement_id=strategic,
            note_zh="非独占许可，许可期三年。",
            note_en="Non-exclusive licence for three years.",
            parties=[
                OrganisationRef(organisation_id=cqu_design),
                OrganisationRef(organisation_id=wanzhou_design),
            ],
            fulfils=fulfils("转化"),
        ),
    )
    restoration = achievements.create_achievement(
        session,
        SYSTEM,
        AchievementIn(
            title_zh="三峡库区消落带植被恢复技术",
            title_en="Vegetation restoration technique for the Three Gorges Reservoir's drawdown zone",
            ip_type=IPType.PATENT,
            maturity=5,
            field_zh="生态环境",
            field_en="Ecology and environment",
            abstract_zh="筛选耐淹植物并配置种植结构，恢复水位涨落带的植被与护岸功能。",
            abstract_en="Flood-tolerant species and planting patterns that restore vegetation and bank protection "
            "where the reservoir's water level rises and falls.",
            public=True,
            agreement_id=strategic,
            owners=[OrganisationRef(organisation_id=cqu)],
        ),
    )
    achievements.move(session, SYSTEM, restoration.id, MoveIn(to_stage=PipelineStage.MATCHED), None)
    _dated(restoration.moves, date(2021, 4, 1), date(2021, 9, 15))


# Matchmaking: CQU researchers' works (several in English only) and a Chinese demand from Wanzhou.
DEMO_RESEARCHERS = {
    # key: (name_zh, name_en, title_zh, title_en)
    "chen_ym": (
        "陈玉敏",
        "Chen Yumin",
        "土木工程学院教授（岩土工程）",
        "Professor of geotechnical engineering",
    ),
    "li_xq": ("李晓青", "Li Xiaoqing", "土木工程学院教授（结构工程）", "Professor of structural engineering"),
    "zhou_lf": ("周兰芳", "Zhou Lanfang", "环境与生态学院教授", "Professor of ecology"),
    "huang_md": (
        "黄明德",
        "Huang Mingde",
        "公共管理学院教授（医院管理）",
        "Professor of hospital management",
    ),
    "zhang_zy2": ("张志远", "Zhang Zhiyuan", "资源与安全学院副教授", "Associate professor of mining safety"),
}
DEMO_WORKS: list[tuple[str, str, int, str, str, list[str]]] = [
    # (kind, title, year, venue, abstract, authors as printed)
    (
        "paper",
        "Deformation monitoring of reservoir bank slopes in the water-level fluctuation zone of the Three Gorges Reservoir",
        2021,
        "Engineering Geology",
        "Landslide deformation and slope stability of reservoir banks are monitored with GNSS, inclinometers and InSAR under periodic drawdown of the reservoir water level; early warning thresholds are proposed.",
        ["Yumin Chen", "Hanlong Liu"],
    ),
    (
        "paper",
        "Seepage and stability of bank slopes under rapid reservoir drawdown",
        2020,
        "Computers and Geotechnics",
        "Transient seepage analysis couples pore pressure and limit equilibrium to evaluate slope stability when the reservoir level falls quickly.",
        ["Chen Yumin"],
    ),
    (
        "paper",
        "Real-time landslide early warning with multi-source monitoring data in the Three Gorges area",
        2022,
        "Landslides",
        "A warning system fuses rainfall, water level and displacement monitoring to forecast landslide acceleration.",
        ["Y. Chen", "X. Li"],
    ),
    (
        "paper",
        "Microbially induced calcite precipitation for slope surface protection",
        2020,
        "Journal of Geotechnical and Geoenvironmental Engineering",
        "Biocementation of sandy slopes reduces erosion and improves surface stability; field trials on river banks.",
        ["Liu Hanlong", "Chen Yumin"],
    ),
    (
        "paper",
        "Biogeotechnical stabilisation of riverbank soil against erosion",
        2021,
        "Géotechnique",
        "Microbial treatment and plant roots together stabilise riverbank soil under fluctuating water levels.",
        ["Hanlong Liu", "Lanfang Zhou"],
    ),
    (
        "paper",
        "Cast-in-place concrete large-diameter pipe piles: bearing capacity and field tests",
        2018,
        "Canadian Geotechnical Journal",
        "Field load tests of large-diameter pipe piles in soft ground.",
        ["Liu Hanlong"],
    ),
    (
        "patent",
        "一种库岸边坡变形自动监测预警装置",
        2021,
        "",
        "一种用于水库库岸边坡的变形自动监测与预警装置，包括位移传感器、水位计和无线传输模块。",
        ["陈玉敏", "刘汉龙"],
    ),
    (
        "paper",
        "Structural health monitoring of long-span bridges with fibre Bragg grating sensors",
        2019,
        "Structural Control and Health Monitoring",
        "Strain and vibration monitoring of a cable-stayed bridge over the Yangtze River using FBG sensors and damage identification.",
        ["Xiaoqing Li"],
    ),
    (
        "paper",
        "Seismic performance of reinforced concrete frames in mountainous cities",
        2021,
        "Engineering Structures",
        "Shaking table tests of RC frames on slopes; design recommendations for hillside buildings.",
        ["Li Xiaoqing", "Chen Yumin"],
    ),
    (
        "paper",
        "Vegetation restoration in the riparian drawdown zone of the Three Gorges Reservoir",
        2020,
        "Ecological Engineering",
        "Flood-tolerant plants restore the hydro-fluctuation belt; survival rates and soil erosion control over three flooding seasons.",
        ["Zhou Lanfang"],
    ),
    (
        "paper",
        "Ecological restoration of degraded riparian zones in the Yangtze River basin",
        2022,
        "Science of the Total Environment",
        "Restoration strategies for riparian ecosystems along the upper Yangtze: native species, sediment retention and biodiversity recovery.",
        ["Lanfang Zhou", "Hanlong Liu"],
    ),
    (
        "paper",
        "Soil nutrient and heavy metal dynamics in the water-level fluctuation zone",
        2019,
        "Environmental Pollution",
        "Periodic inundation changes soil nutrients and mercury release in the reservoir fluctuation zone.",
        ["Zhou L."],
    ),
    (
        "paper",
        "长江上游生态屏障建设与流域生态保护",
        2021,
        "生态学报",
        "从流域尺度分析长江上游生态屏障建设、水土保持与生物多样性保护的成效与对策。",
        ["周兰芳"],
    ),
    (
        "paper",
        "Operational efficiency of public hospitals: a data envelopment analysis",
        2021,
        "BMC Health Services Research",
        "Efficiency of county and district public hospitals in western China measured by DEA; drivers of performance.",
        ["Mingde Huang"],
    ),
    (
        "paper",
        "Building a regional medical consortium around a university-affiliated hospital",
        2022,
        "Health Policy and Planning",
        "Case study of a regional medical alliance led by an affiliated hospital: referral, telemedicine and staff training.",
        ["Huang Mingde", "Zongyi Zhang"],
    ),
    (
        "paper",
        "Technological innovation and regional economic growth in China",
        2019,
        "China Economic Review",
        "Panel evidence that R&D investment and university–industry cooperation drive regional growth.",
        ["Zongyi Zhang"],
    ),
    (
        "paper",
        "Energy price shocks and industrial output: evidence from Chinese provinces",
        2017,
        "Energy Economics",
        "Provincial industrial output responds asymmetrically to energy price shocks.",
        ["Zhang Zongyi"],
    ),
    (
        "paper",
        "University–enterprise cooperation and the transfer of scientific achievements",
        2020,
        "Research Policy",
        "How cooperation agreements between universities and local governments affect technology transfer.",
        ["Z. Zhang", "Mingde Huang"],
    ),
    (
        "paper",
        "Gas outburst prediction in deep coal mines",
        2020,
        "International Journal of Mining Science and Technology",
        "Monitoring of gas pressure and stress to predict coal and gas outbursts.",
        ["Zhiyuan Zhang"],
    ),
    (
        "paper",
        "Rock mass stability monitoring with microseismic sensors",
        2021,
        "Rock Mechanics and Rock Engineering",
        "Microseismic monitoring locates fracturing in rock slopes and tunnels.",
        ["Z. Zhang", "Yumin Chen"],
    ),
]
DEMO_DEMAND_ZH = (
    "三峡库区消落带边坡稳定监测与生态修复",
    "我公司承担万州区长江沿岸库岸综合治理工程。库区水位每年在145米至175米之间周期变化，消落带边坡出现变形和"
    "水土流失，需要：（1）边坡变形实时监测与滑坡预警技术；（2）消落带植被恢复与生态修复方案。"
    "希望与高校专家合作开展技术攻关。",
)


def load_matching(session: Session, ids: dict[str, int], files_dir: Path) -> None:
    """CQU researchers with works (several only in English), two CQU labs and a Chinese demand from a
    Wanzhou enterprise that finds them across languages."""
    from decimal import Decimal

    from accord.bibliography import ReadResult as _ReadResult
    from accord.bibliography import Record
    from accord.schemas.matching import DemandIn
    from accord.services import demands, works

    del files_dir  # the demo's works are written here, not read from files
    cqu = ids["cqu"]
    for name_zh, name_en, title_zh, title_en in DEMO_RESEARCHERS.values():
        people.create_person(
            session,
            SYSTEM,
            PersonIn(
                name_zh=name_zh, name_en=name_en, title_zh=title_zh, title_en=title_en, organisation_id=cqu
            ),
        )
    for name_zh, name_en in (
        (
            "山地城镇建设与新技术教育部重点实验室",
            "Key Laboratory of New Technology for Construction of Cities in Mountain Area",
        ),
        (
            "煤矿灾害动力学与控制国家重点实验室",
            "State Key Laboratory of Coal Mine Disaster Dynamics and Control",
        ),
    ):
        organisations.create_organisation(
            session,
            SYSTEM,
            OrganisationIn(name_zh=name_zh, name_en=name_en, kind=OrgKind.INSTITUTE, parent_id=cqu),
        )
    enterprise = organisations.create_organisation(
        session,
        SYSTEM,
        OrganisationIn(
            name_zh="重庆万州三峡库岸生态治理有限公司",
            name_en="Chongqing Wanzhou Three Gorges Reservoir Bank Restoration Co., Ltd.",
            kind=OrgKind.ENTERPRISE,
            region_zh="重庆市万州区",
            region_en="Wanzhou, Chongqing",
        ),
    )
    records = [
        Record(title=title, authors=authors, year=year, venue=venue, abstract=abstract, kind=kind, line=n)
        for n, (kind, title, year, venue, abstract, authors) in enumerate(DEMO_WORKS, start=1)
    ]
    works.import_records(session, SYSTEM, _ReadResult(records, []), "demo", lenient=False)
    demands.create_demand(
        session,
        SYSTEM,
        DemandIn(
            title=DEMO_DEMAND_ZH[0],
            description=DEMO_DEMAND_ZH[1],
            field="岩土工程 / 生态修复",
            budget=Decimal("800000"),
            currency="CNY",
            deadline=date(2021, 12, 31),
            organisation_id=enterprise.id,
        ),
    )
    ids["enterprise"] = enterprise.id


def _dated(moves: list[Any], *days: date) -> None:
    """Give the demo's pipeline moves the dates they would have had (09:00 in Chongqing)."""
    from datetime import datetime, time, timedelta, timezone

    for move, day in zip(moves, days, strict=True):
        move.at = datetime.combine(day, time(9), tzinfo=timezone(timedelta(hours=8)))
