"""One rule for achievements (permissions.achievement_access): readers of an owner open its page; anyone
else reads only its public catalogue entry, when it is in the catalogue. A coordinator of another
organisation sees, on a demand's suggestions, links that open and Send buttons only where sending is
allowed, in both languages."""

from __future__ import annotations

import re

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord import clock
from accord.config import Settings
from accord.i18n import gettext, reset_language, set_language
from accord.models import Achievement, Demand, MatchTarget, User
from accord.services import matching
from accord.services.permissions import (
    AchievementAccess,
    achievement_access,
    can_read,
    in_catalogue,
    principal_for,
)
from tests.conftest import WANZHOU, csrf_of, login

_SEND = re.compile(
    r'name="target" value="achievement">\s*<input type="hidden" name="target_id" value="(\d+)"'
)


def _suggested(factory: sessionmaker[Session], settings: Settings, demand_id: int) -> dict[int, object]:
    """The achievements suggested to WANZHOU's coordinator → (access, may send)."""
    with factory() as session:
        user = session.scalar(select(User).where(User.email == WANZHOU))
        demand = session.get(Demand, demand_id)
        assert user is not None and demand is not None
        principal = principal_for(session, user)
        ranking = matching.rank(session, principal, matching.index_dir(settings.data_dir), demand)
        found: dict[int, object] = {}
        for s in ranking.achievements:
            achievement = session.get(Achievement, s.target_id)
            assert achievement is not None and can_read(principal, achievement)
            found[s.target_id] = (
                achievement_access(principal, achievement),
                matching.can_handle(session, principal, MatchTarget.ACHIEVEMENT, s.target_id),
            )
        return found


def test_a_coordinator_of_another_organisation_follows_only_what_opens(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session], settings: Settings
) -> None:
    with factory() as session:
        session.execute(update(Achievement).values(public=True))
        session.commit()
        demand_id = session.scalar(select(Demand.id).order_by(Demand.id))
    assert demand_id is not None
    suggested = _suggested(factory, settings, demand_id)
    foreign = [n for n, (access, _send) in suggested.items() if access is AchievementAccess.CATALOGUE]  # type: ignore[misc]
    assert foreign, "the demo demand suggests achievements of organisations WANZHOU holds no role in"
    login(client, WANZHOU)
    for language in ("en", "zh_Hans"):
        client.cookies.set("accord_lang", language)
        page = client.get(f"/demands/{demand_id}").text
        buttons = {int(n) for n in _SEND.findall(page)}
        for achievement_id, (access, may_send) in suggested.items():  # type: ignore[misc]
            assert (achievement_id in buttons) == may_send, achievement_id
            own = client.get(f"/achievements/{achievement_id}")
            entry = client.get(f"/catalogue/{achievement_id}")
            if access is AchievementAccess.PAGE:
                assert own.status_code == 200 and f'href="/achievements/{achievement_id}"' in page
            else:
                assert own.status_code == 404 and entry.status_code == 200
                assert f'href="/catalogue/{achievement_id}"' in page
                assert f'href="/achievements/{achievement_id}"' not in page
        token = set_language(language)
        try:
            assert gettext("Coordinators of its organisation send it.") in page
        finally:
            reset_language(token)
    # The server refuses what the page offers no button for.
    csrf = csrf_of(client, f"/demands/{demand_id}")
    refused = client.post(
        f"/demands/{demand_id}/send",
        data={"csrf_token": csrf, "target": "achievement", "target_id": str(foreign[0])},
    )
    assert refused.status_code == 403
    # An archived achievement leaves the catalogue: no longer readable by outsiders, nor suggested.
    with factory() as session:
        achievement = session.get(Achievement, foreign[0])
        assert achievement is not None
        achievement.archived_at = clock.now()
        session.commit()
        assert not in_catalogue(achievement)
    assert client.get(f"/catalogue/{foreign[0]}").status_code == 404
    assert client.get(f"/achievements/{foreign[0]}").status_code == 404
    assert foreign[0] not in _suggested(factory, settings, demand_id)
    assert f'href="/catalogue/{foreign[0]}"' not in client.get(f"/demands/{demand_id}").text
