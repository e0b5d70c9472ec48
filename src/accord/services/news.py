"""News and notices: write, publish, render Markdown safely, count reads anonymously, and the Atom feed."""

from __future__ import annotations

import hashlib
import hmac
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import nh3
from markdown_it import MarkdownIt
from PIL import Image, UnidentifiedImageError
from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from accord.i18n import gettext as _
from accord.i18n import localized
from accord.models import (
    Agreement,
    Institution,
    NewsImage,
    NewsItem,
    NewsStatus,
    NewsVisit,
    Organisation,
    Role,
    SigningEvent,
)
from accord.models.base import utcnow
from accord.schemas.news import NewsIn
from accord.services import audit, files, records
from accord.services.errors import FieldError, NotFound, TooLarge, ValidationFailed
from accord.services.listing import ListQuery, Page, paginate, sort_clause, text_filter
from accord.services.permissions import (
    Principal,
    can_manage_news,
    can_read_agreement,
    can_read_portfolio,
    require,
    require_signed_in,
)

# --- safe Markdown ------------------------------------------------------------------------------

IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
LOCAL_IMAGE = re.compile(r"^/news/images/\d+$")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "sup", "sub",
    "blockquote", "code", "pre", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"scope"},
    "ol": {"start"},
}
_md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable("table")
_EMPTY_IMG = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Images only from Accord's own store: a remote src (a tracker) is dropped, and the tag with it.
    if tag == "img" and attribute == "src":
        return value if LOCAL_IMAGE.match(value) else None
    return value


def render_markdown(text: str | None) -> str:
    """Markdown to HTML, then an allow-list sanitiser: no scripts, handlers, styles or remote images."""
    if not text:
        return ""
    html = _md.render(text)
    # Headings inside an article start below the page's own h1.
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={
            "script",
            "style",
            "iframe",
            "object",
            "embed",
            "template",
            "noscript",
            "svg",
            "math",
        },
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return _EMPTY_IMG.sub("", cleaned)


def removed_content(text: str | None) -> bool:
    """Whether sanitising dropped something the author wrote (so the editor can say so)."""
    if not text:
        return False
    lowered = text.lower()
    suspicious = (
        "<script",
        "javascript:",
        " on",
        " style=",
        "<iframe",
        "<style",
        "<img",
        "](http",
        "<object",
        "<svg",
    )
    if not any(marker in lowered for marker in suspicious):
        return False
    if "javascript:" in lowered or "vbscript:" in lowered:
        return True  # Markdown itself refuses such links, leaving them as text
    raw = _md.render(text)
    return _signature(raw) != _signature(render_markdown(text))


_MARKERS = (
    "<script",
    "<img",
    "javascript:",
    " on",
    " style=",
    "<iframe",
    "<style",
    "<object",
    "<svg",
    "<embed",
)


def _signature(html: str) -> tuple[int, ...]:
    lowered = html.lower()
    return tuple(lowered.count(marker) for marker in _MARKERS)


# --- reading ------------------------------------------------------------------------------------

SORTS = {"published_at": NewsItem.published_at, "title_zh": NewsItem.title_zh, "title_en": NewsItem.title_en}
SEARCHED = (NewsItem.title_zh, NewsItem.title_en, NewsItem.summary_zh, NewsItem.summary_en)


def _public(now: datetime) -> ColumnElement[bool]:
    """Published means both: the status says so and the publication time has come (every query that
    shows news to people who do not manage it uses this, or ``is_public`` for one item)."""
    return (
        (NewsItem.status == NewsStatus.PUBLISHED)
        & NewsItem.archived_at.is_(None)
        & NewsItem.published_at.is_not(None)
        & (NewsItem.published_at <= now)
    )


def is_public(item: NewsItem, now: datetime | None = None) -> bool:
    """Whether anyone, signed in or not, may read the item."""
    moment = now or utcnow()
    published = item.published_at
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return (
        item.status == NewsStatus.PUBLISHED
        and item.archived_at is None
        and published is not None
        and published <= moment
    )


def _filtered(stmt: Any, query: ListQuery) -> Any:
    condition = text_filter(query.q, SEARCHED)
    if condition is not None:
        stmt = stmt.where(condition)
    if kind := query.filters.get("kind"):
        stmt = stmt.where(NewsItem.kind == kind)
    if status := query.filters.get("status"):
        stmt = stmt.where(NewsItem.status == status)
    if year := query.filters.get("year"):
        stmt = stmt.where(
            NewsItem.published_at >= datetime(year, 1, 1, tzinfo=UTC),
            NewsItem.published_at < datetime(year + 1, 1, 1, tzinfo=UTC),
        )
    if publisher := query.filters.get("publisher_id"):
        stmt = stmt.where(NewsItem.publisher_id == publisher)
    if event := query.filters.get("signing_event_id"):
        stmt = stmt.where(NewsItem.signing_event_id == event)
    if agreement := query.filters.get("agreement_id"):
        stmt = stmt.where(NewsItem.agreements.any(Agreement.id == agreement))
    return stmt


def list_public(session: Session, query: ListQuery, now: datetime | None = None) -> Page[NewsItem]:
    """Published items for everyone, newest first."""
    stmt = select(NewsItem).where(_public(now or utcnow())).options(selectinload(NewsItem.agreements))
    stmt = _filtered(stmt, query).order_by(
        *sort_clause(query.sort, SORTS, "-published_at"), NewsItem.id.desc()
    )
    return paginate(session, stmt, query)


def list_news(session: Session, principal: Principal, query: ListQuery) -> Page[NewsItem]:
    """Every item a signed-in user may see: the public ones (published, and their time has come) and
    every item of the organisations they coordinate (drafts, scheduled and archived ones)."""
    require_signed_in(principal)
    stmt = select(NewsItem).options(selectinload(NewsItem.publisher))
    if not principal.is_admin:
        mine = principal.orgs_with(Role.COORDINATOR)
        stmt = stmt.where(_public(utcnow()) | NewsItem.publisher_id.in_(mine))
    if not query.include_archived:
        stmt = stmt.where(NewsItem.archived_at.is_(None))
    stmt = _filtered(stmt, query).order_by(
        *sort_clause(query.sort, SORTS, "-published_at"), NewsItem.id.desc()
    )
    return paginate(session, stmt, query)


def get_news(session: Session, principal: Principal, news_id: int) -> NewsItem:
    """A public item for anyone; a draft or archived item only for those who manage it."""
    item = records.find(
        session,
        NewsItem,
        news_id,
        options=[
            selectinload(NewsItem.publisher),
            selectinload(NewsItem.signing_event),
            selectinload(NewsItem.images),
        ],
    )
    if item is None or not (is_public(item) or can_manage_news(principal, item.publisher_id)):
        raise NotFound(_("No such record."))
    return item


def visible_agreements(principal: Principal, item: NewsItem) -> list[Agreement]:
    """Linked agreements the reader may open (others are named, not linked)."""
    return [a for a in item.agreements if can_read_agreement(principal, a)]


def news_about(
    session: Session,
    *,
    agreement_ids: list[int],
    event_ids: list[int],
    institution_ids: list[int] | None = None,
) -> list[NewsItem]:
    """Published items linked to any of the agreements, signing events or institutions, newest first."""
    conditions: list[ColumnElement[bool]] = []
    if agreement_ids:
        conditions.append(NewsItem.agreements.any(Agreement.id.in_(agreement_ids)))
    if event_ids:
        conditions.append(NewsItem.signing_event_id.in_(event_ids))
    if institution_ids:
        conditions.append(NewsItem.institutions.any(Institution.id.in_(institution_ids)))
    if not conditions:
        return []
    condition = or_(*conditions)
    stmt = select(NewsItem).where(_public(utcnow()), condition).order_by(NewsItem.published_at.desc())
    return list(session.scalars(stmt))


# --- writing ------------------------------------------------------------------------------------


def _as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _validate(
    session: Session, principal: Principal, data: NewsIn
) -> tuple[list[Agreement], list[Institution]]:
    errors: list[FieldError] = []
    if not data.title_zh and not data.title_en:
        message = _("Give the Chinese or the English text (or both).")
        errors += [FieldError("title_zh", message), FieldError("title_en", message)]
    if not data.body_zh and not data.body_en:
        message = _("Write the article in Chinese or in English (or both).")
        errors += [FieldError("body_zh", message), FieldError("body_en", message)]
    records.require_exists(session, Organisation, data.publisher_id, "publisher_id", errors)
    records.require_exists(session, SigningEvent, data.signing_event_id, "signing_event_id", errors)
    linked: list[Agreement] = []
    for agreement_id in dict.fromkeys(data.agreement_ids):
        agreement = records.reference(session, principal, Agreement, agreement_id, "agreement_ids", errors)
        if agreement is not None:
            linked.append(agreement)
    institutions: list[Institution] = []
    for institution_id in dict.fromkeys(data.institution_ids):
        institution = records.reference(
            session, principal, Institution, institution_id, "institution_ids", errors
        )
        if institution is not None:
            institutions.append(institution)
    records.raise_if(errors)
    return linked, institutions


def can_read_institution(principal: Principal, institution: Institution) -> bool:
    """Whether the principal may read a co-built institution (through its parties)."""
    return can_read_portfolio(principal, [p.organisation_id for p in institution.parties])


def visible_institutions(principal: Principal, item: NewsItem) -> list[Institution]:
    """Linked institutions the reader may open (others are named, not linked)."""
    return [i for i in item.institutions if can_read_institution(principal, i)]


def _apply(item: NewsItem, data: NewsIn, linked: tuple[list[Agreement], list[Institution]]) -> None:
    values = data.model_dump(exclude={"agreement_ids", "institution_ids", "published_at"})
    records.apply(item, values)
    published_at = _as_utc(data.published_at)
    if data.status == NewsStatus.PUBLISHED and published_at is None:
        published_at = item.published_at or utcnow()
    item.published_at = published_at
    item.agreements, item.institutions = linked


def _snapshot(item: NewsItem) -> dict[str, object]:
    state = audit.snapshot(item)
    state["agreements"] = [a.id for a in item.agreements]
    state["institutions"] = [i.id for i in item.institutions]
    return state


def create_news(session: Session, principal: Principal, data: NewsIn) -> NewsItem:
    """Write a draft (or publish straight away) for an organisation the user coordinates."""
    require(can_manage_news(principal, data.publisher_id))
    linked = _validate(session, principal, data)
    item = NewsItem(read_count=0)
    _apply(item, data, linked)
    session.add(item)
    session.flush()
    audit.record(session, principal, "create", item, after=_snapshot(item))
    return item


def update_news(
    session: Session, principal: Principal, news_id: int, data: NewsIn, version: int | None
) -> NewsItem:
    """Change an item; moving it to another publisher needs rights in both."""
    item = get_news(session, principal, news_id)  # a draft others may not see looks absent
    require(can_manage_news(principal, item.publisher_id))
    require(can_manage_news(principal, data.publisher_id))
    records.check_version(item, version)
    linked = _validate(session, principal, data)
    before = _snapshot(item)
    _apply(item, data, linked)
    session.flush()
    audit.record(session, principal, "update", item, before, after=_snapshot(item))
    return item


def archive_news(
    session: Session, principal: Principal, news_id: int, version: int | None, *, restore: bool = False
) -> NewsItem:
    """Take an item off the public pages (or bring it back)."""
    item = get_news(session, principal, news_id)  # a draft others may not see looks absent
    require(can_manage_news(principal, item.publisher_id))
    return records.set_archived(session, principal, item, version, restore=restore)


# --- images -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedImage:
    """What Pillow found in an upload."""

    content_type: str
    width: int
    height: int


def check_image(data: bytes, limit: int = IMAGE_MAX_BYTES, field: str = "file") -> CheckedImage:
    """Refuse anything that is not a PNG, JPEG, GIF or WebP image within the size limits."""
    if not data:
        raise ValidationFailed(_("The file is empty."), [FieldError(field, _("The file is empty."))])
    if len(data) > limit:
        message = _("The image is larger than the limit of {mb} MB.", mb=round(limit / 1024 / 1024, 1))
        raise TooLarge(message, [FieldError(field, message)])
    not_image = _("This file is not an image Accord accepts (PNG, JPEG, GIF or WebP).")
    # Pillow only warns of an image past its own pixel limit; ours (below) is lower and refuses it. The
    # warning is not made an error here: warnings.catch_warnings swaps the warning filters of the whole
    # process, and requests run in threads beside each other.
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):  # fmt: skip
        raise ValidationFailed(not_image, [FieldError(field, not_image)]) from None
    if kind not in IMAGE_FORMATS:
        raise ValidationFailed(not_image, [FieldError(field, not_image)])
    if width * height > IMAGE_MAX_PIXELS:
        message = _("The image has too many pixels ({w} × {h}).", w=width, h=height)
        raise ValidationFailed(message, [FieldError(field, message)])
    return CheckedImage(IMAGE_FORMATS[kind], width, height)


def add_image(
    session: Session,
    principal: Principal,
    news_id: int,
    *,
    files_dir: Path,
    filename: str | None,
    data: bytes,
    limit: int = IMAGE_MAX_BYTES,
) -> NewsImage:
    """Store an image for an article after checking it really is one."""
    item = get_news(session, principal, news_id)  # a draft others may not see looks absent
    require(can_manage_news(principal, item.publisher_id))
    checked = check_image(data, limit)
    digest = files.store(files_dir, data)
    image = NewsImage(
        news_id=item.id,
        filename=files.safe_filename(filename),
        content_type=checked.content_type,
        width=checked.width,
        height=checked.height,
        size=len(data),
        sha256=digest,
        uploaded_by_id=principal.user_id,
    )
    session.add(image)
    audit.record(session, principal, "attach", image)
    return image


def get_image(session: Session, principal: Principal, image_id: int) -> NewsImage:
    """An image of an item the reader may see."""
    image = records.find(session, NewsImage, image_id)
    if image is None:
        raise NotFound(_("No such record."))
    get_news(session, principal, image.news_id)
    return image


# --- read counts --------------------------------------------------------------------------------


def visitor_hash(secret: str, day: date, address: str) -> str:
    """An anonymous visitor key that changes every day: HMAC of the client address under a daily key
    (salted with the site's secret).

    Only the address counts: anything the browser sends about itself (the User-Agent, cookies) is the
    visitor's to change, and would let one visitor count many reads. The address is not stored;
    yesterday's keys are deleted, and a key cannot be linked to the same visitor on another day.
    """
    daily = hmac.new(secret.encode(), f"news-visit:{day.isoformat()}".encode(), hashlib.sha256).digest()
    return hmac.new(daily, address.encode(), hashlib.sha256).hexdigest()[:32]


def count_visit(session: Session, item: NewsItem, visitor: str, today: date) -> bool:
    """Count one read unless this visitor already read the item today; returns whether it counted."""
    session.execute(delete(NewsVisit).where(NewsVisit.day < today))
    values = {"news_id": item.id, "day": today, "visitor": visitor}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = pg_insert(NewsVisit).values(values).on_conflict_do_nothing()
    else:
        stmt = sqlite_insert(NewsVisit).values(values).on_conflict_do_nothing()
    # RETURNING yields a row only when the insert happened (both databases support it).
    counted = session.execute(stmt.returning(NewsVisit.news_id)).first() is not None
    if counted:
        session.execute(
            update(NewsItem)
            .where(NewsItem.id == item.id)
            .values(read_count=NewsItem.read_count + 1)
            .execution_options(synchronize_session=False)
        )
        # The row's version is unchanged on purpose: a read is not an edit.
        session.refresh(item, ["read_count"])
    return counted


# --- the Atom feed ------------------------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(items: list[NewsItem], *, base_url: str, language: str, updated: datetime) -> bytes:
    """An Atom 1.0 document of the items, in ``language`` (falling back to the other one per field)."""
    ET.register_namespace("", ATOM)
    base = base_url.rstrip("/")
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-Hans" if language == "zh_Hans" else "en"})
    ET.SubElement(feed, f"{{{ATOM}}}id").text = f"{base}/news"
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _("Accord news and notices")
    stamps = [_as_utc(i.updated_at) or updated for i in items]
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = (max(stamps) if stamps else updated).isoformat()
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": f"{base}/news/feed.atom"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": f"{base}/news"})
    for item in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{base}/news/{item.id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = localized(item, "title", language)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": f"{base}/news/{item.id}"})
        published = _as_utc(item.published_at) or updated
        ET.SubElement(entry, f"{{{ATOM}}}published").text = published.isoformat()
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = (_as_utc(item.updated_at) or published).isoformat()
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = localized(item.publisher, "name", language)
        summary = localized(item, "summary", language)
        if summary:
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = summary
        body = render_markdown(localized(item, "body", language))
        # Image paths become absolute so feed readers can fetch them.
        body = body.replace('src="/news/images/', f'src="{base}/news/images/')
        ET.SubElement(entry, f"{{{ATOM}}}content", {"type": "html"}).text = body
    document: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def feed_items(session: Session, limit: int = 30) -> list[NewsItem]:
    """The newest published items for the feed."""
    stmt = (
        select(NewsItem)
        .where(_public(utcnow()))
        .options(selectinload(NewsItem.publisher))
        .order_by(NewsItem.published_at.desc(), NewsItem.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def institution_choices(session: Session, principal: Principal) -> list[Institution]:
    """Co-built institutions the user may read, for linking an article to them."""
    stmt = select(Institution).where(Institution.archived_at.is_(None)).order_by(Institution.id)
    return [i for i in session.scalars(stmt) if can_read_institution(principal, i)]


def publishers(session: Session, principal: Principal) -> list[Organisation]:
    """Organisations the user may publish for."""
    stmt = select(Organisation).where(Organisation.archived_at.is_(None)).order_by(Organisation.name_zh)
    return [o for o in session.scalars(stmt) if can_manage_news(principal, o.id)]
