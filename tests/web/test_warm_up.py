"""What the first views would wait for is done at start, in the background, by every served process."""

from __future__ import annotations

from accord.config import Settings
from accord.services import charts


def test_the_warm_up_builds_the_api_document_and_draws_the_dashboard(
    settings: Settings, world: dict[str, int]
) -> None:
    from accord.web.app import create_app

    charts._bar_svg.cache_clear()
    app = create_app(settings.model_copy(update={"match_warm_up": True}))
    try:
        app.state.warm_up.join(timeout=600)
        assert not app.state.warm_up.is_alive()
        api = next(route.app for route in app.routes if getattr(route, "path", "") == "/api/v1")
        assert api.openapi_schema is not None
        assert charts._bar_svg.cache_info().currsize > 0  # the dashboard's charts, drawn once
    finally:
        app.state.engine.dispose()
