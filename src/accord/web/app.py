"""Assemble the application: settings, database, middleware, pages, API, error pages."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, IntegrityError, StatementError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from accord import __version__, clock
from accord.api.app import create_api
from accord.config import Settings, get_settings
from accord.db.session import make_engine, make_sessionmaker
from accord.i18n import LANGUAGES, set_language
from accord.i18n import gettext as _
from accord.match import translate
from accord.services import dashboards as dashboard_service
from accord.services import jobs
from accord.services import matching as matching_service
from accord.services.errors import ServiceError
from accord.services.permissions import SYSTEM
from accord.web.admission import Admission, pool_capacity
from accord.web.bodies import BodyLimit
from accord.web.deps import LoginRequired, csrf_dependency
from accord.web.language import LanguageMiddleware
from accord.web.render import render
from accord.web.routes import (
    admin,
    admin_sso,
    agreements,
    auth,
    catalogue,
    channels,
    dashboards,
    events,
    home,
    institutions,
    intake,
    matching,
    news,
    organisations,
    outbox,
    people,
    portfolio,
    programmes,
    projects,
    reports,
    sso,
    tasks,
    transfer,
)
from accord.web.routes import jobs as jobs_routes
from accord.web.routes import onboarding as onboarding_routes
from accord.web.security import SecurityHeaders

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """A ready-to-serve application for ``settings`` (the environment's by default)."""
    settings = settings or get_settings()
    clock.use(settings.time_zone)
    translate.use_cache_dir(settings.resolved_cache_dir)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Background jobs: a runner thread on SQLite (it also resumes jobs a restart cut off),
        # the procrastinate queue on PostgreSQL.
        dispatcher = jobs.make_dispatcher(settings, app.state.sessionmaker)
        app.state.jobs = api.state.jobs = dispatcher
        try:
            yield
        finally:
            dispatcher.close()

    app = FastAPI(
        title="Accord",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    engine = make_engine(settings.resolved_database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.warm_up = None

    # Added innermost first. Outside in: proxy headers, language, security headers (also on error pages),
    # the body read in full within its limits, and only then a turn at the database pool.
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.resolved_secret_key(),
        session_cookie="accord_session",
        max_age=settings.session_max_age,
        same_site="lax",
        https_only=settings.https,
    )
    # Before routing, so the API and every page queue here rather than deadlock on the pool.
    app.add_middleware(Admission, limit=pool_capacity(engine))
    app.add_middleware(
        BodyLimit,
        form_max=settings.form_max_bytes,
        upload_max=settings.upload_max_bytes,
        idle_seconds=settings.body_timeout_seconds,
    )
    app.add_middleware(SecurityHeaders, hsts=settings.https)
    app.add_middleware(LanguageMiddleware, default=settings.default_language)
    if settings.trusted_proxies:
        # Only these peers may say who the client is (X-Forwarded-For) and whether it used TLS; from
        # anyone else the headers are ignored, so a client cannot pick the address rate limits count.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    api = create_api()
    api.state.settings = settings
    api.state.sessionmaker = app.state.sessionmaker
    app.mount("/api/v1", api)
    if settings.match_warm_up:
        app.state.warm_up = threading.Thread(
            target=_warm_up, args=(app, api, settings), name="warm-up", daemon=True
        )
        app.state.warm_up.start()
    for module in (
        home,
        auth,
        sso,
        organisations,
        people,
        events,
        agreements,
        intake,
        jobs_routes,
        onboarding_routes,
        admin,
        admin_sso,
        outbox,
        channels,
        tasks,
        news,
        dashboards,
        portfolio,
        institutions,
        projects,
        programmes,
        transfer,
        catalogue,
        reports,
        matching,
    ):
        app.include_router(module.router, dependencies=[csrf_dependency])

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        # Browsers ask for it whatever the page says: the SVG the pages link to, served in place.
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml",
                            headers={"Cache-Control": "public, max-age=86400"})  # fmt: skip

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        return JSONResponse({"status": "ok", "version": __version__})

    _install_error_pages(app)
    return app


def _warm_up(app: FastAPI, api: FastAPI, settings: Settings) -> None:
    """What the first views would otherwise wait seconds for, done in the background at start: the
    OpenAPI document (built once, then cached), the matching index, and the dashboard's charts in both
    languages (drawn once, then cached by their numbers). Never raises: whatever fails here is simply
    done at first use."""
    try:
        api.openapi()
    except Exception:
        log.exception("building the OpenAPI document failed; its first request does it instead")
    matching_service.warm_up(app.state.sessionmaker, matching_service.index_dir(settings.data_dir))
    try:
        for language in LANGUAGES:
            set_language(language)
            with app.state.sessionmaker() as session:
                dashboard_service.overview(session, SYSTEM, clock.today())
    except Exception:
        log.exception("warming up failed; the first views do it instead")


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> Response:
        return render(
            request, "error.html", {"status": exc.status, "message": exc.message}, status=exc.status
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        # A race between two saves of the same unique value: report it, nothing was stored.
        log.info("integrity error: %s", exc)
        message = _(
            "This conflicts with a record saved at the same time. Nothing was saved; please try again."
        )
        return render(request, "error.html", {"status": 409, "message": message}, status=409)

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, _exc: StaleDataError) -> Response:
        message = _(
            "Someone else changed this record at the same time; reload it and apply your change again."
        )
        return render(request, "error.html", {"status": 409, "message": message}, status=409)

    @app.exception_handler(StatementError)
    async def _out_of_range(request: Request, exc: StatementError) -> Response:
        # A number no column can hold in a URL or form: treat it as a record that does not exist.
        if isinstance(exc, DataError) or isinstance(exc.orig, OverflowError):
            message = _("This page does not exist.")
            return render(request, "error.html", {"status": 404, "message": message}, status=404)
        raise exc

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        messages = {404: _("This page does not exist."), 405: _("This action is not allowed here.")}
        message = messages.get(exc.status_code, str(exc.detail))
        return render(
            request, "error.html", {"status": exc.status_code, "message": message}, status=exc.status_code
        )
