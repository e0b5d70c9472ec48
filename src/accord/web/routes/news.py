"""News and notices: public pages with read counts, the Atom feed, and the pages that write them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import FileResponse, RedirectResponse, Response

from accord import clock
from accord.i18n import N_, current_language, format_datetime, gettext, localized
from accord.labels import NEWS_KIND_LABELS, NEWS_STATUS_LABELS, choice_label, options
from accord.models import NewsItem, NewsKind, NewsStatus
from accord.schemas.news import NewsIn
from accord.schemas.numbers import parse_id
from accord.services import agreements, audit, events, files, news
from accord.services.errors import ValidationFailed
from accord.services.permissions import can_manage_news
from accord.services.validation import parse
from accord.web.deps import OptionalPrincipalDep, PrincipalDep, SessionDep, SettingsDep
from accord.web.forms import FormDep, errors_by_field, list_query, read_form
from accord.web.listing import FilterField, ListView, list_routes
from accord.web.render import render
from accord.web.saving import Flash, archive_route, save_or_rerender, save_upload_or_flash
from accord.web.security import client_address
from accord.web.tables import Column

router = APIRouter(prefix="/news")
FILTERS: dict[str, type] = {"kind": NewsKind, "status": NewsStatus, "year": int, "agreement_id": int}
PUBLIC_FILTERS: dict[str, type] = {"kind": NewsKind, "year": int}


def _manage_view(can_create: bool) -> ListView:
    return ListView(
        title=N_("Manage news and notices"),
        columns=[
            Column(N_("Title"), lambda n: localized(n, "title"), sort="title_zh", link=True),
            Column(N_("Kind"), lambda n: choice_label(NEWS_KIND_LABELS, n.kind)),
            Column(N_("Status"), lambda n: choice_label(NEWS_STATUS_LABELS, n.status)),
            Column(N_("Published"), lambda n: format_datetime(n.published_at), sort="published_at"),
            Column(N_("Publisher"), lambda n: localized(n.publisher, "name")),
            Column(N_("Reads"), lambda n: n.read_count),
        ],
        row_url=lambda n: f"/news/{n.id}",
        filters=[
            FilterField("kind", N_("Kind"), options(NEWS_KIND_LABELS)),
            FilterField("status", N_("Status"), options(NEWS_STATUS_LABELS)),
        ],
        new_url="/news/new" if can_create else None,
        export_name="news",
    )


@router.get("")
def public_list(
    request: Request, session: SessionDep, principal: OptionalPrincipalDep, settings: SettingsDep
) -> Response:
    query = list_query(request, settings, PUBLIC_FILTERS)
    page = news.list_public(session, query)
    return render(
        request,
        "news/index.html",
        {
            "page": page,
            "kinds": options(NEWS_KIND_LABELS),
            "kind_label": lambda k: choice_label(NEWS_KIND_LABELS, k),
            "can_manage": principal.authenticated,
            "render_markdown": news.render_markdown,
        },
    )


@router.get("/feed.atom")
def feed(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    body = news.atom_feed(
        news.feed_items(session),
        base_url=settings.base_url,  # configured, never the request's Host header
        language=current_language(),
        updated=datetime.now(UTC),
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


list_routes(
    router, "/manage", FILTERS, lambda s, p: _manage_view(bool(news.publishers(s, p))), news.list_news
)


@router.get("/images/{image_id}")
def image(
    image_id: int, session: SessionDep, principal: OptionalPrincipalDep, settings: SettingsDep
) -> Response:
    found = news.get_image(session, principal, image_id)
    # The type comes from Pillow's check at upload, never from the uploader.
    return FileResponse(
        files.path_for(settings.files_dir, found.sha256),
        media_type=found.content_type,
        headers={"Cache-Control": "public, max-age=86400", "Content-Disposition": "inline"},
    )


def _form(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    values: dict[str, Any],
    errors: dict[str, str],
    item: NewsItem | None,
    status: int = 200,
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "item": item,
        "publishers": news.publishers(session, principal),
        "events": events.choices(session),
        "agreements": agreements.choices(session, principal),
        "kinds": options(NEWS_KIND_LABELS),
        "statuses": options(NEWS_STATUS_LABELS),
        "institutions": news.institution_choices(session, principal),
        "linked": {parse_id(v) for v in values.get("agreement_ids") or []} - {None},
        "linked_institutions": {parse_id(v) for v in values.get("institution_ids") or []} - {None},
    }
    return render(request, "news/form.html", context, status=status)


def _read(form: FormData) -> tuple[dict[str, Any], int | None]:
    flat, version = read_form(form)
    values: dict[str, Any] = dict(flat)
    for name in ("agreement_ids", "institution_ids"):
        values[name] = [v for v in form.getlist(name) if isinstance(v, str) and v]
    return values, version


@router.get("/new")
def new_item(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    mine = news.publishers(session, principal)
    values: dict[str, Any] = {"kind": "news", "status": "draft", "publisher_id": mine[0].id if mine else None}
    return _form(request, session, principal, values, {}, None)


@router.post("/new")
def create_item(request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep) -> Response:
    values, _version = _read(form)
    return save_or_rerender(
        request,
        session,
        lambda: news.create_news(session, principal, parse(NewsIn, values)),
        lambda e: _form(request, session, principal, values, errors_by_field(e), None, status=e.status),
        _saved,
        lambda item: f"/news/{item.id}",
    )


def _saved(item: NewsItem) -> Flash:
    if news.removed_content(item.body_zh) or news.removed_content(item.body_en):
        return Flash(
            gettext(
                "Saved. Scripts, event handlers, styles and images from other sites were removed from "
                "the article as shown; upload images to Accord instead."
            ),
            "error",
        )
    return Flash(gettext("Article saved."))


@router.get("/{news_id}")
def show_item(
    news_id: int,
    request: Request,
    session: SessionDep,
    principal: OptionalPrincipalDep,
    settings: SettingsDep,
) -> Response:
    item = news.get_news(session, principal, news_id)
    if news.is_public(item):
        visitor = news.visitor_hash(settings.resolved_secret_key(), clock.today(), client_address(request))
        news.count_visit(session, item, visitor, clock.today())
        session.commit()
    can_edit = can_manage_news(principal, item.publisher_id)
    return render(
        request,
        "news/detail.html",
        {
            "item": item,
            "body_html": news.render_markdown(localized(item, "body")),
            "body_fallback": not (item.body_zh if current_language() == "zh_Hans" else item.body_en),
            "linked": news.visible_agreements(principal, item),
            "linked_institutions": news.visible_institutions(principal, item),
            "kind_label": choice_label(NEWS_KIND_LABELS, item.kind),
            "status_label": choice_label(NEWS_STATUS_LABELS, item.status),
            "public": news.is_public(item),
            "can_edit": can_edit,
            "history": audit.history(session, "news_item", item.id) if can_edit else [],
        },
    )


@router.get("/{news_id}/edit")
def edit_item(news_id: int, request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    item = news.get_news(session, principal, news_id)
    if not can_manage_news(principal, item.publisher_id):
        return RedirectResponse(f"/news/{news_id}", status_code=303)
    values = NewsIn.model_validate(
        {
            **{
                k: getattr(item, k)
                for k in NewsIn.model_fields
                if k not in {"agreement_ids", "institution_ids"}
            },
            "agreement_ids": [a.id for a in item.agreements],
            "institution_ids": [i.id for i in item.institutions],
        }
    ).model_dump(mode="json")
    if item.published_at:
        values["published_at"] = item.published_at.strftime("%Y-%m-%dT%H:%M")
    values["version"] = item.version
    return _form(request, session, principal, values, {}, item)


@router.post("/{news_id}/edit")
def update_item(
    news_id: int, request: Request, form: FormDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    values, version = _read(form)

    def rerender(error: ValidationFailed) -> Response:
        values["version"] = version
        current = news.get_news(session, principal, news_id)
        return _form(
            request, session, principal, values, errors_by_field(error), current, status=error.status
        )

    return save_or_rerender(
        request,
        session,
        lambda: news.update_news(session, principal, news_id, parse(NewsIn, values), version),
        rerender,
        _saved,
        f"/news/{news_id}",
    )


archive_route(
    router,
    "/{news_id}",
    news.archive_news,
    archived=N_("Article archived."),
    restored=N_("Article restored."),
)


@router.post("/{news_id}/images")
def upload_image(
    news_id: int,
    request: Request,
    form: FormDep,
    session: SessionDep,
    principal: PrincipalDep,
    settings: SettingsDep,
) -> Response:
    return save_upload_or_flash(
        request,
        session,
        form,
        news.IMAGE_MAX_BYTES,
        lambda upload, data: news.add_image(
            session, principal, news_id, files_dir=settings.files_dir, filename=upload.filename, data=data
        ),
        message=lambda image: gettext(
            "Image uploaded. Put it in the article with: {markdown}", markdown=f"![](/news/images/{image.id})"
        ),
        target=f"/news/{news_id}/edit",
    )
