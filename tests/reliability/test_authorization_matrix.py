"""The authorisation matrix: every route and API operation × every role, generated from the route table.

RULES names, for each route, the least role that may use it on organisation A's records (the ids
in the path are always A's, and a creating request names A in its body). A route missing from RULES,
or a rule for a route that is gone, fails ``test_every_route_has_a_rule``.

- GET: the roles the rule allows get 200; the others are sent to sign in (anonymous pages), get 401
  (anonymous API calls), or 403/404.
- POST/PUT: every role below the rule sends a request that would work (proven by
  ``test_the_requests_work_for_the_least_role_allowed``, which sends the same requests as the least
  role the rule allows and sees each one recorded); the audit trail, written in the same transaction
  as every change, does not grow.
"""

from __future__ import annotations

import html.parser
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient

from accord import clock
from accord.config import Settings
from accord.models import AuditEntry, User
from accord.services import matching
from accord.services.supervision import calendar_token
from tests.conftest import csrf_of, login
from tests.reliability import authz_world
from tests.reliability.authz_world import EMAILS, ROLES, AuthzWorld, Side
from tests.reliability.test_authorization import _routes

# Who may do it, on organisation A's records.
ALLOWED: dict[str, frozenset[str]] = {
    "public": frozenset(ROLES),
    "signed_in": frozenset(ROLES) - {"anonymous"},
    "read": frozenset({"viewer", "member", "coordinator", "admin"}),  # viewers of A and above
    "report": frozenset({"member", "coordinator", "admin"}),  # members of A and above
    "owner": frozenset({"member", "admin"}),  # the member's own API token
    "manage": frozenset({"coordinator", "admin"}),  # coordinators of A
    "matchmaker": frozenset({"coordinator", "outsider", "admin"}),  # coordinators of any organisation
    "any_coordinator": frozenset({"coordinator", "outsider", "admin"}),  # forms for new records
    "admin": frozenset({"admin"}),
    "nobody": frozenset(),  # A's records that are never public (a private achievement in the catalogue)
}

# method path [?query] rule
RULES_TABLE = """
GET  /                                                  signed_in
GET  /account                                           signed_in
GET  /account/channels                                  signed_in
GET  /achievements                                      signed_in
GET  /achievements/board                                signed_in
GET  /achievements/export.{fmt}                         signed_in
GET  /achievements/new                                  any_coordinator
GET  /achievements/{achievement_id}                     read
GET  /achievements/{achievement_id}/edit                manage
GET  /admin/sso                                         admin
GET  /admin/sso/{provider_id}                           admin
GET  /admin/outbox                                      admin
GET  /admin/outbox/export.{fmt}                         admin
GET  /admin/outbox/{notice_id}                          admin
GET  /admin/users                                       admin
GET  /api/v1/outbox                                     admin
GET  /api/v1/outbox/{notice_id}                         admin
GET  /api/v1/imports/{batch_id}                         manage
GET  /api/v1/jobs/{job_id}                              report
GET  /imports                                           signed_in
GET  /imports/new                                       signed_in
GET  /imports/{batch_id}                                manage
GET  /jobs                                              signed_in
GET  /jobs/{job_id}                                     report
GET  /jobs/{job_id}/status                              report
GET  /sso/{slug}                                        public
GET  /sso/{slug}/callback                               nobody
GET  /sso/{slug}/cas                                    nobody
GET  /agreements                                        signed_in
GET  /agreements/documents/{document_id}                read
GET  /agreements/export.{fmt}                           signed_in
GET  /agreements/new                                    any_coordinator
GET  /agreements/{agreement_id}                         read
GET  /agreements/{agreement_id}/edit                    manage
GET  /agreements/{agreement_id}/review                  read
GET  /agreements/{agreement_id}/tasks/all               manage
GET  /agreements/{agreement_id}/timeline                read
GET  /api/v1/achievements                               signed_in
GET  /api/v1/achievements/{item_id}                     read
GET  /api/v1/agreements                                 signed_in
GET  /api/v1/agreements/{agreement_id}/commitments      read
GET  /api/v1/agreements/{agreement_id}/scorecard        read
GET  /api/v1/agreements/{agreement_id}/text             read
GET  /api/v1/agreements/{item_id}                       read
GET  /api/v1/catalogue                                  public
GET  /api/v1/catalogue/{item_id}                        nobody
GET  /api/v1/commitments/{commitment_id}                read
GET  /api/v1/commitments/{commitment_id}/fulfilment     read
GET  /api/v1/deals                                      signed_in
GET  /api/v1/deals/{item_id}                            read
GET  /api/v1/demands                                    signed_in
GET  /api/v1/demands/{demand_id}                        signed_in
GET  /api/v1/demands/{demand_id}/matches                signed_in
GET  /api/v1/demands/{demand_id}/suggestions            signed_in
GET  /api/v1/docs                                       public
GET  /api/v1/events                                     signed_in
GET  /api/v1/events/{item_id}                           signed_in
GET  /api/v1/institutions                               signed_in
GET  /api/v1/institutions/{item_id}                     read
GET  /api/v1/news                                       public
GET  /api/v1/news/{news_id}                             manage
GET  /api/v1/openapi.json                               public
GET  /api/v1/organisations                              signed_in
GET  /api/v1/organisations/{item_id}                    signed_in
GET  /api/v1/people                                     signed_in
GET  /api/v1/people/{item_id}                           signed_in
GET  /api/v1/programmes                                 signed_in
GET  /api/v1/programmes/{item_id}                       read
GET  /api/v1/projects                                   signed_in
GET  /api/v1/projects/{item_id}                         read
GET  /api/v1/reports/annual?year=2024&partner_id={organisation_id}&format=xlsx signed_in
GET  /api/v1/tasks                                      signed_in
GET  /api/v1/tasks/{task_id}                            read
GET  /api/v1/tasks/{task_id}/updates                    read
GET  /api/v1/works                                      signed_in
GET  /api/v1/works/{work_id}                            signed_in
GET  /board                                             signed_in
GET  /board/export.{fmt}                                signed_in
GET  /calendar/{user_id}/{token}.ics                    public
GET  /catalogue                                         public
GET  /catalogue/{achievement_id}                        nobody
GET  /commitments/{commitment_id}                       read
GET  /commitments/{commitment_id}/edit                  manage
GET  /dashboard                                         signed_in
GET  /dashboard/agreements/{agreement_id}               read
GET  /dashboard/organisations/{organisation_id}         signed_in
GET  /deals                                             signed_in
GET  /deals/export.{fmt}                                signed_in
GET  /deals/{deal_id}                                   read
GET  /demands                                           signed_in
GET  /demands/export.{fmt}                              signed_in
GET  /demands/new                                       public
GET  /demands/{demand_id}                               signed_in
GET  /events                                            signed_in
GET  /events/export.{fmt}                               signed_in
GET  /events/new                                        any_coordinator
GET  /events/{event_id}                                 signed_in
GET  /events/{event_id}/edit                            manage
GET  /favicon.ico                                       public
GET  /healthz                                           public
GET  /institutions                                      signed_in
GET  /institutions/export.{fmt}                         signed_in
GET  /institutions/new                                  any_coordinator
GET  /institutions/{institution_id}                     read
GET  /institutions/{institution_id}/edit                manage
GET  /login                                             public
GET  /matching                                          signed_in
GET  /news                                              public
GET  /news/feed.atom                                    public
GET  /news/images/{image_id}                            manage
GET  /news/manage                                       signed_in
GET  /news/manage/export.{fmt}                          signed_in
GET  /news/new                                          signed_in
GET  /news/{news_id}                                    manage
GET  /news/{news_id}/edit                               manage
GET  /organisations                                     signed_in
GET  /organisations/export.{fmt}                        signed_in
GET  /organisations/new                                 any_coordinator
GET  /organisations/{organisation_id}                   signed_in
GET  /organisations/{organisation_id}/edit              manage
GET  /organisations/{organisation_id}/channels          manage
GET  /channels/{channel_id}/edit                         manage
GET  /api/v1/organisations/{organisation_id}/channels   manage
GET  /api/v1/me/channels                                signed_in
POST /account/channels                                  signed_in
POST /organisations/{organisation_id}/channels          manage
POST /channels/{channel_id}/test                        manage
POST /channels/{channel_id}/edit                        manage
POST /channels/{channel_id}/enabled                     manage
POST /channels/{channel_id}/delete                      manage
POST /api/v1/organisations/{organisation_id}/channels   manage
POST /api/v1/me/channels                                signed_in
POST /api/v1/channels/{channel_id}/test                 manage
PUT  /api/v1/channels/{channel_id}                      manage
DELETE /api/v1/channels/{channel_id}                    manage
GET  /people                                            signed_in
GET  /people/export.{fmt}                               signed_in
GET  /people/new                                        any_coordinator
GET  /people/{person_id}                                signed_in
GET  /people/{person_id}/edit                           manage
GET  /portfolio                                         signed_in
GET  /programmes                                        signed_in
GET  /programmes/export.{fmt}                           signed_in
GET  /programmes/new                                    any_coordinator
GET  /programmes/{programme_id}                         read
GET  /programmes/{programme_id}/edit                    manage
GET  /projects                                          signed_in
GET  /projects/export.{fmt}                             signed_in
GET  /projects/new                                      any_coordinator
GET  /projects/{project_id}                             read
GET  /projects/{project_id}/edit                        manage
GET  /reports                                           signed_in
GET  /reports/annual?year=2024&partner_id={organisation_id}&format=xlsx signed_in
GET  /tasks/evidence/{evidence_id}                      read
GET  /tasks/new?agreement_id={agreement_id}             manage
GET  /tasks/{task_id}                                   read
GET  /tasks/{task_id}/edit                              manage
GET  /works                                             signed_in
GET  /works/export.{fmt}                                signed_in
GET  /works/import                                      matchmaker
GET  /works/review                                      matchmaker
GET  /works/{work_id}                                   signed_in
POST /account/password                                  signed_in
POST /account/sessions/end                              signed_in
POST /account/tokens                                    signed_in
POST /account/tokens/{token_id}/revoke                  owner
POST /api/v1/jobs/{job_id}/cancel                       report
POST /jobs/{job_id}/cancel                              report
POST /api/v1/imports                                    manage
POST /api/v1/imports/{batch_id}/cancel                  manage
POST /api/v1/imports/{batch_id}/confirm                 manage
POST /imports                                           manage
POST /imports/{batch_id}/cancel                         manage
POST /imports/{batch_id}/ledger                         manage
POST /imports/{batch_id}/review                         manage
PATCH /api/v1/imports/{batch_id}/items/{item_id}        manage
PUT  /api/v1/imports/{batch_id}/ledger-mapping          manage
POST /achievements/new                                  manage
POST /achievements/{achievement_id}/archive             manage
POST /achievements/{achievement_id}/deals               manage
POST /achievements/{achievement_id}/edit                manage
POST /achievements/{achievement_id}/move                manage
POST /admin/sso                                         admin
POST /admin/sso/policy                                  admin
POST /admin/sso/{provider_id}                           admin
POST /admin/sso/{provider_id}/check                     admin
POST /admin/sso/{provider_id}/delete                    admin
POST /admin/sso/{provider_id}/groups                    admin
POST /admin/sso/{provider_id}/groups/{mapping_id}/remove admin
POST /sso/{slug}                                        public
POST /admin/users                                       admin
POST /admin/users/{user_id}/roles                       admin
POST /admin/users/{user_id}/sessions/end                admin
POST /agreements/new                                    manage
POST /agreements/{agreement_id}/archive                 manage
POST /agreements/{agreement_id}/commitments/bulk        manage
POST /agreements/{agreement_id}/commitments/new         manage
POST /agreements/{agreement_id}/documents               manage
POST /agreements/{agreement_id}/edit                    manage
POST /agreements/{agreement_id}/text                    manage
POST /api/v1/achievements                               manage
POST /api/v1/achievements/{item_id}/archive             manage
POST /api/v1/achievements/{item_id}/move                manage
POST /api/v1/achievements/{item_id}/restore             manage
POST /api/v1/agreements                                 manage
POST /api/v1/agreements/{agreement_id}/commitments      manage
POST /api/v1/agreements/{agreement_id}/text             manage
POST /api/v1/agreements/{item_id}/archive               manage
POST /api/v1/agreements/{item_id}/restore               manage
POST /api/v1/commitments/merge                          manage
POST /api/v1/commitments/review                         manage
POST /api/v1/commitments/{commitment_id}/split          manage
POST /api/v1/deals                                      manage
POST /api/v1/deals/{item_id}/archive                    manage
POST /api/v1/deals/{item_id}/restore                    manage
POST /api/v1/demands                                    report
POST /api/v1/demands/{demand_id}/matches                manage
POST /api/v1/events                                     manage
POST /api/v1/events/{item_id}/archive                   manage
POST /api/v1/events/{item_id}/restore                   manage
POST /api/v1/institutions                               manage
POST /api/v1/institutions/{item_id}/archive             manage
POST /api/v1/institutions/{item_id}/indicators          manage
POST /api/v1/institutions/{item_id}/restore             manage
POST /api/v1/institutions/{item_id}/stage               manage
POST /api/v1/matches/{match_id}/project                 manage
POST /api/v1/matches/{match_id}/response                manage
POST /api/v1/news                                       manage
POST /api/v1/news/{news_id}/archive                     manage
POST /api/v1/organisations                              manage
POST /api/v1/organisations/{item_id}/archive            manage
POST /api/v1/organisations/{item_id}/restore            manage
POST /api/v1/people                                     manage
POST /api/v1/people/{item_id}/archive                   manage
POST /api/v1/people/{item_id}/restore                   manage
POST /api/v1/programmes                                 manage
POST /api/v1/programmes/{item_id}/archive               manage
POST /api/v1/programmes/{item_id}/cohorts               manage
POST /api/v1/programmes/{item_id}/restore               manage
POST /api/v1/projects                                   manage
POST /api/v1/projects/{item_id}/archive                 manage
POST /api/v1/projects/{item_id}/restore                 manage
POST /api/v1/tasks                                      manage
POST /api/v1/tasks/bulk                                 manage
POST /api/v1/tasks/{task_id}/archive                    manage
POST /api/v1/tasks/{task_id}/updates                    report
POST /api/v1/works/import                               matchmaker
POST /board/bulk                                        manage
POST /agreements/{agreement_id}/tasks/all               manage
POST /commitments/{commitment_id}/edit                  manage
POST /commitments/{commitment_id}/fulfilment            manage
POST /commitments/{commitment_id}/split                 manage
POST /deals/{deal_id}/archive                           manage
POST /demands/new                                       public
POST /demands/{demand_id}/send                          manage
POST /demands/{demand_id}/status                        matchmaker
POST /events/new                                        manage
POST /events/{event_id}/archive                         manage
POST /events/{event_id}/edit                            manage
POST /institutions/new                                  manage
POST /institutions/{institution_id}/archive             manage
POST /institutions/{institution_id}/edit                manage
POST /institutions/{institution_id}/indicators          manage
POST /institutions/{institution_id}/indicators/{indicator_id}/values manage
POST /institutions/{institution_id}/stage               manage
POST /language                                          public
POST /login                                             public
POST /logout                                            public
POST /matches/{match_id}/project                        manage
POST /matches/{match_id}/respond                        manage
POST /matching/glossary                                 admin
POST /matching/rebuild                                  admin
POST /news/new                                          manage
POST /news/{news_id}/archive                            manage
POST /news/{news_id}/edit                               manage
POST /news/{news_id}/images                             manage
POST /organisations/new                                 manage
POST /organisations/{organisation_id}/archive           manage
POST /organisations/{organisation_id}/edit              manage
POST /people/new                                        manage
POST /people/{person_id}/archive                        manage
POST /people/{person_id}/edit                           manage
POST /programmes/new                                    manage
POST /programmes/{programme_id}/archive                 manage
POST /programmes/{programme_id}/cohorts                 manage
POST /programmes/{programme_id}/edit                    manage
POST /projects/new                                      manage
POST /projects/{project_id}/archive                     manage
POST /projects/{project_id}/edit                        manage
POST /tasks/evidence/{evidence_id}/delete               manage
POST /tasks/new                                         manage
POST /tasks/{task_id}/archive                           manage
POST /tasks/{task_id}/edit                              manage
POST /tasks/{task_id}/state                             manage
POST /tasks/{task_id}/updates                           report
POST /works/import                                      matchmaker
POST /works/review/{authorship_id}                      manage
POST /works/{work_id}/archive                           matchmaker
PUT  /api/v1/achievements/{item_id}                     manage
PUT  /api/v1/agreements/{item_id}                       manage
POST /api/v1/tasks/from-commitments                    manage
PUT  /api/v1/commitments/{commitment_id}                manage
PUT  /api/v1/commitments/{commitment_id}/fulfilment     manage
PUT  /api/v1/deals/{item_id}                            manage
PUT  /api/v1/events/{item_id}                           manage
PUT  /api/v1/indicators/{item_id}/values                manage
PUT  /api/v1/institutions/{item_id}                     manage
PUT  /api/v1/news/{news_id}                             manage
PUT  /api/v1/organisations/{item_id}                    manage
PUT  /api/v1/people/{item_id}                           manage
PUT  /api/v1/programmes/{item_id}                       manage
PUT  /api/v1/projects/{item_id}                         manage
PUT  /api/v1/tasks/{task_id}                            manage
"""


@dataclass(frozen=True)
class Rule:
    method: str
    path: str
    query: str
    level: str


def _rules() -> dict[tuple[str, str], Rule]:
    rules: dict[tuple[str, str], Rule] = {}
    for line in RULES_TABLE.strip().splitlines():
        method, target, level = line.split()
        path, _sep, query = target.partition("?")
        assert level in ALLOWED, line
        assert (method, path) not in rules, f"two rules for {method} {path}"
        rules[(method, path)] = Rule(method, path, query, level)
    return rules


RULES = _rules()
CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
PARAM = re.compile(r"\{([a-z_]+)(?::path)?\}")
# The record an ``{item_id}`` stands for, by the collection it follows.
COLLECTIONS = {
    "achievements": "achievement",
    "agreements": "agreement",
    "catalogue": "achievement",
    "deals": "deal",
    "events": "event",
    "indicators": "indicator",
    "institutions": "institution",
    "organisations": "organisation",
    "people": "person",
    "programmes": "programme",
    "projects": "project",
}


@dataclass
class Matrix:
    """The world, and what fills the parts of a URL that are not ids of A's records."""

    world: AuthzWorld
    calendar: str
    audit: Any  # () -> int
    forms: dict[str, dict[str, str]] = field(default_factory=dict)

    def fill(self, template: str, side: Side | None = None) -> str:
        side = side or self.world.a

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name == "fmt":
                return "csv"
            if name == "token":
                return self.calendar
            if name == "user_id":  # the calendar feed's owner; the account an admin grants a role to
                role = "coordinator" if template.startswith("/calendar") else "viewer"
                return str(self.world.users[role])
            if name == "match_id" and not template.startswith("/api/"):
                return str(side.lab_match)  # the API answers and turns the expert match, the pages the lab's
            if name == "channel_id":  # pages and API each remove a channel of their own
                return str(side.channel if template.startswith("/api/") else side.page_channel)
            if name == "token_id":
                return str(self.world.token_ids["member"])
            if name == "job_id":  # a background job the member started
                return str(self.world.job_ids["member"])
            if name == "batch_id":  # A's batches in review; confirming and cancelling end their own
                use = next((u for u in ("confirm", "cancel") if template.endswith(u)), "review")
                place = "api" if template.startswith("/api/") else "web"
                return str(self.world.batches[use if use == "review" else f"{place}-{use}"])
            if name == "item_id" and "/imports/" in template:
                return str(self.world.batch_item)
            if name == "item_id":
                return str(getattr(side, COLLECTIONS[template.split("/")[3]]))
            return str(getattr(side, name.removesuffix("_id")))

        return PARAM.sub(one, template)


def act_as(client: TestClient, matrix: Matrix, role: str) -> str:
    """Sign the client in as ``role`` (cookie for pages, bearer token for the API); returns a CSRF token."""
    client.cookies.clear()
    client.headers.pop("Authorization", None)
    if role == "anonymous":
        return csrf_of(client, "/login")
    login(client, EMAILS[role])
    client.headers["Authorization"] = f"Bearer {matrix.world.tokens[role]}"
    return csrf_of(client, "/account")


@pytest.fixture
def matrix(world: dict[str, int], factory: sessionmaker[Session], settings: Settings) -> Iterator[Matrix]:
    with factory() as session:
        built = authz_world.build(session, settings.files_dir)
        session.commit()
        user = session.get(User, built.users["coordinator"])
        assert user is not None
        secret = calendar_token(settings.resolved_secret_key(), user)

    def audit() -> int:
        with factory() as session:
            return session.scalar(select(func.count()).select_from(AuditEntry)) or 0

    yield Matrix(built, secret, audit)


def test_every_route_has_a_rule(client: TestClient) -> None:
    routes = set(_routes(client.app))
    assert sorted(routes - set(RULES)) == [], "add a rule for each new route to RULES_TABLE"
    assert sorted(set(RULES) - routes) == [], "remove the rules of routes that are gone"
    assert len(routes) * len(ROLES) >= 1400  # the size of the matrix


def _refused(role: str, path: str, status: int, location: str) -> bool:
    if role == "anonymous":
        return (status == 303 and location.startswith("/login")) or status in {401, 404}
    return status in {403, 404}


def test_reads_follow_the_rules(client: TestClient, matrix: Matrix) -> None:
    wrong: list[str] = []
    for role in ROLES:
        act_as(client, matrix, role)
        for rule in RULES.values():
            if rule.method != "GET":
                continue
            url = matrix.fill(rule.path) + (f"?{matrix.fill(rule.query)}" if rule.query else "")
            response = client.get(url, follow_redirects=False)
            location = response.headers.get("location", "")
            if role in ALLOWED[rule.level]:
                ok = response.status_code == 200
            else:
                ok = _refused(role, rule.path, response.status_code, location)
            if not ok:
                wrong.append(f"{role:11} GET {url} ({rule.level}) -> {response.status_code} {location}")
    assert wrong == [], "\n".join(wrong)


# --- requests that change something ---------------------------------------------------------------


class _Forms(html.parser.HTMLParser):
    """The POST forms of a page: action → field values as a browser would submit them untouched."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: dict[str, dict[str, str]] = {}
        self._current: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._submitted = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            action = a.get("action") or self.page
            self._current = None if action in self.forms else self.forms.setdefault(action, {})
            self._submitted = False
            return
        form = self._current
        if form is None:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    form[name] = a.get("value", "on")
            elif kind == "submit":
                if not self._submitted:
                    form[name], self._submitted = a.get("value", ""), True
            elif kind != "file":
                form.setdefault(name, a.get("value", ""))
        elif tag == "button" and name and not self._submitted and a.get("type", "submit") == "submit":
            form[name], self._submitted = a.get("value", ""), True
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            # An untouched optional row stays blank: only a selected option counts.
            if "selected" in a:
                form[self._select] = a.get("value", "")
            else:
                form.setdefault(self._select, "")
        elif tag == "textarea" and name:
            self._textarea = name
            form.setdefault(name, "")

    def handle_data(self, data: str) -> None:
        if self._current is not None and self._textarea:
            self._current[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def harvest_forms(client: TestClient, matrix: Matrix) -> dict[str, dict[str, str]]:
    """Every POST form of every page (as the admin sees them), by its action."""
    act_as(client, matrix, "admin")
    forms: dict[str, dict[str, str]] = {}
    for rule in RULES.values():
        if rule.method != "GET" or rule.path.startswith("/api/") or "export" in rule.path:
            continue
        url = matrix.fill(rule.path) + (f"?{matrix.fill(rule.query)}" if rule.query else "")
        response = client.get(url)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        parser = _Forms(url.split("?")[0])
        parser.feed(response.text)
        for action, values in parser.forms.items():
            forms.setdefault(action.split("?")[0], values)
    return forms


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@dataclass
class Request:
    """One request that changes something: a form for pages, JSON for the API."""

    data: dict[str, Any] | None = None
    json: Any = None
    files: dict[str, tuple[str, bytes]] | None = None


def requests_for(matrix: Matrix) -> dict[tuple[str, str], Request]:
    """A request for every state-changing route that the rule's least role would see succeed."""
    w, a = matrix.world, matrix.world.a
    today = clock.today()
    soon = (today + timedelta(days=60)).isoformat()
    parties = [{"organisation_id": a.organisation}, {"organisation_id": w.counterpart}]
    agreement = {"title_en": "aurora addendum", "kind": "other", "parties": parties}
    achievement = {"title_en": "aurora method", "ip_type": "patent", "maturity": 5, "owners": parties[:1]}
    deal = {
        "achievement_id": a.achievement,
        "deal_type": "licence",
        "parties": parties[:1],
        "note_en": "aurora",
    }
    event = {"title_en": "aurora meeting", "held_on": "2024-06-01", "organiser_id": a.organisation}
    institution = {"name_en": "aurora centre", "kind": "institute", "parties": parties}
    news = {"title_en": "aurora update", "body_en": "aurora text", "publisher_id": a.organisation}
    person = {"name_en": "Aurora Fellow", "organisation_id": a.organisation}
    programme = {"title_en": "aurora school", "kind": "cadre_training", "parties": parties}
    project = {"title_en": "aurora study", "parties": parties}
    task = {"title": "aurora follow-up", "agreement_id": a.agreement, "owner_organisation_id": a.organisation}
    text = authz_world.AGREEMENT_TEXT.format(marker="aurora", title="Aurora") + "（三）双方每年会商一次。\n"
    works_csv = b"title,authors,year\naurora imported paper,Aurora Researcher,2024\n"
    api: dict[tuple[str, str], Request] = {
        ("POST", "/api/v1/achievements"): Request(json=achievement),
        ("POST", "/api/v1/achievements/{item_id}/move"): Request(json={"to_stage": "negotiating"}),
        ("POST", "/api/v1/agreements"): Request(json=agreement),
        ("POST", "/api/v1/agreements/{agreement_id}/commitments"): Request(
            json={"action": "aurora reports yearly", "organisation_id": a.organisation}
        ),
        ("POST", "/api/v1/agreements/{agreement_id}/text"): Request(
            files={"file": ("aurora-2.txt", text.encode())}
        ),
        ("POST", "/api/v1/commitments/review"): Request(json={"ids": [a.spares[2]], "review": "rejected"}),
        ("POST", "/api/v1/commitments/merge"): Request(json={"ids": a.spares[:2]}),
        ("POST", "/api/v1/deals"): Request(json=deal),
        ("POST", "/api/v1/imports"): Request(
            data={"organisation_id": str(a.organisation)},
            files={"files": ("aurora-import.txt", text.encode())},
        ),
        ("PATCH", "/api/v1/imports/{batch_id}/items/{item_id}"): Request(json={"title": "aurora corrected"}),
        ("PUT", "/api/v1/imports/{batch_id}/ledger-mapping"): Request(
            json={"mapping": {"title": 0, "partner": 1}}
        ),
        ("POST", "/api/v1/organisations/{organisation_id}/channels"): Request(
            json={
                "platform": "slack",
                "label": "aurora channel",
                "address": "https://hooks.slack.example/aurora",
            }
        ),
        ("POST", "/api/v1/me/channels"): Request(
            json={
                "platform": "slack",
                "label": "aurora channel",
                "address": "https://hooks.slack.example/aurora",
            }
        ),
        ("PUT", "/api/v1/channels/{channel_id}"): Request(
            json={
                "platform": "slack",
                "label": "aurora channel",
                "address": "https://hooks.slack.example/aurora",
            }
        ),
        ("POST", "/api/v1/demands"): Request(
            json={"title": "aurora wants", "description": "aurora needs", "organisation_id": a.organisation}
        ),
        ("POST", "/api/v1/demands/{demand_id}/matches"): Request(
            json={"target": "achievement", "target_id": a.achievement}
        ),
        ("POST", "/api/v1/events"): Request(json=event),
        ("POST", "/api/v1/institutions"): Request(json=institution),
        ("POST", "/api/v1/institutions/{item_id}/indicators"): Request(
            json={"name_en": "aurora patents", "unit": "patents"}
        ),
        ("POST", "/api/v1/institutions/{item_id}/stage"): Request(
            json={"stage": "approved", "changed_on": today.isoformat()}
        ),
        ("POST", "/api/v1/matches/{match_id}/project"): Request(json={"agreement_id": a.agreement}),
        ("POST", "/api/v1/matches/{match_id}/response"): Request(json={"status": "accepted"}),
        ("POST", "/api/v1/news"): Request(json=news),
        ("POST", "/api/v1/organisations"): Request(
            json={"name_en": "aurora unit", "kind": "institute", "parent_id": a.organisation}
        ),
        ("POST", "/api/v1/people"): Request(json=person),
        ("POST", "/api/v1/programmes"): Request(json=programme),
        ("POST", "/api/v1/programmes/{item_id}/cohorts"): Request(
            json={"name_en": "aurora class", "start_on": today.isoformat()}
        ),
        ("POST", "/api/v1/projects"): Request(json=project),
        ("POST", "/api/v1/tasks"): Request(json=task | {"due_on": soon}),
        ("POST", "/api/v1/tasks/from-commitments"): Request(json={"agreement_id": a.agreement}),
        ("POST", "/api/v1/tasks/bulk"): Request(json={"action": "due", "task_ids": [a.task], "due_on": soon}),
        ("POST", "/api/v1/tasks/{task_id}/updates"): Request(json={"percent": "40", "note": "aurora"}),
        ("POST", "/api/v1/works/import"): Request(files={"file": ("aurora.csv", works_csv)}),
        ("PUT", "/api/v1/achievements/{item_id}"): Request(json=achievement | {"title_en": "aurora v2"}),
        ("PUT", "/api/v1/agreements/{item_id}"): Request(json=agreement | {"title_en": "aurora v2"}),
        ("PUT", "/api/v1/commitments/{commitment_id}"): Request(
            json={"action": "aurora builds two laboratories", "organisation_id": a.organisation}
        ),
        ("PUT", "/api/v1/commitments/{commitment_id}/fulfilment"): Request(
            json={"state": "waived", "reason": "aurora waived by both parties"}
        ),
        ("PUT", "/api/v1/deals/{item_id}"): Request(json=deal | {"note_en": "aurora v2"}),
        ("PUT", "/api/v1/events/{item_id}"): Request(json=event | {"title_en": "aurora v2"}),
        ("PUT", "/api/v1/indicators/{item_id}/values"): Request(json={"period": "2024", "value": "4"}),
        ("PUT", "/api/v1/institutions/{item_id}"): Request(json=institution | {"name_en": "aurora v2"}),
        ("PUT", "/api/v1/news/{news_id}"): Request(json=news | {"title_en": "aurora v2"}),
        ("PUT", "/api/v1/organisations/{item_id}"): Request(
            json={"name_en": "Aurora organisation v2", "kind": "enterprise"}
        ),
        ("PUT", "/api/v1/people/{item_id}"): Request(json=person | {"name_en": "Aurora Researcher"}),
        ("PUT", "/api/v1/programmes/{item_id}"): Request(json=programme | {"title_en": "aurora v2"}),
        ("PUT", "/api/v1/projects/{item_id}"): Request(json=project | {"title_en": "aurora v2"}),
        ("PUT", "/api/v1/tasks/{task_id}"): Request(json=task | {"due_on": soon, "title": "aurora v2"}),
    }

    def flat(body: dict[str, Any]) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in body.items():
            if isinstance(value, list):
                for i, row in enumerate(value):
                    out |= {f"{key}.{i}.{k}": str(v) for k, v in row.items()}
            else:
                out[key] = str(value)
        return out

    # Web forms: the form as the page shows it, with these fields filled in (the API's fields, flattened).
    pages: dict[tuple[str, str], tuple[dict[str, str], dict[str, tuple[str, bytes]] | None]] = {
        ("POST", "/account/password"): (
            {"current_password": "accord-demo-2020", "new_password": "aurora-password-2", "confirm": ""},
            None,
        ),
        ("POST", "/account/tokens"): ({"name": "aurora"}, None),
        ("POST", "/account/channels"): (
            {"platform": "slack", "label": "aurora own", "address": "https://hooks.slack.example/own"},
            None,
        ),
        ("POST", "/organisations/{organisation_id}/channels"): (
            {"platform": "slack", "label": "aurora group", "address": "https://hooks.slack.example/group"},
            None,
        ),
        ("POST", "/account/sessions/end"): ({"session_id": ""}, None),  # every other session
        ("POST", "/achievements/new"): (flat(achievement), None),
        ("POST", "/achievements/{achievement_id}/deals"): (
            flat(deal) | {"agreement_id": str(a.agreement)},
            None,
        ),
        ("POST", "/achievements/{achievement_id}/move"): ({"to_stage": "matched"}, None),
        ("POST", "/admin/sso"): (
            {
                "slug": "aurora-sso",
                "kind": "ldap",
                "name_en": "aurora directory",
                "url": "ldaps://127.0.0.1:9",
                "base_dn": "dc=aurora",
                "user_filter": "(uid={username})",
            },
            None,
        ),
        ("POST", "/admin/sso/policy"): ({"local_passwords": "1"}, None),
        ("POST", "/admin/sso/{provider_id}"): ({"name_en": "aurora directory v2"}, None),
        ("POST", "/admin/sso/{provider_id}/groups"): (
            {"group_name": "aurora-group", "organisation_id": str(a.organisation), "role": "viewer"},
            None,
        ),
        ("POST", "/admin/users"): (
            {"email": "aurora.new@accord.example", "display_name": "new", "password": "aurora-password-1"},
            None,
        ),
        ("POST", "/admin/users/{user_id}/roles"): (
            {"organisation_id": str(w.counterpart), "role": "viewer"},
            None,
        ),
        ("POST", "/agreements/new"): (flat(agreement), None),
        ("POST", "/agreements/{agreement_id}/commitments/bulk"): (
            {"ids": str(a.proposed_last), "action": "rejected"},
            None,
        ),
        ("POST", "/agreements/{agreement_id}/commitments/new"): (
            {"action": "aurora trains staff", "organisation_id": str(a.organisation)},
            None,
        ),
        ("POST", "/agreements/{agreement_id}/documents"): (
            {},
            {"file": ("aurora-annex.txt", b"aurora annex")},
        ),
        ("POST", "/agreements/{agreement_id}/text"): ({}, {"file": ("aurora-3.txt", text.encode())}),
        ("POST", "/board/bulk"): ({"task_ids": str(a.task), "action": "due", "due_on": soon}, None),
        ("POST", "/demands/new"): (
            {
                "title": "aurora public demand for a river bank sensor",
                "description": "aurora needs a corrosion sensor for river banks, tested over two winters",
                "contact_name": "Aurora Visitor",
                "contact_email": "visitor@example.org",
            },
            None,
        ),
        ("POST", "/demands/{demand_id}/send"): ({"target": "expert", "target_id": str(a.person)}, None),
        ("POST", "/events/new"): (flat(event), None),
        ("POST", "/institutions/new"): (flat(institution), None),
        ("POST", "/institutions/{institution_id}/edit"): ({"stage": "approved"}, None),  # as the API left it
        ("POST", "/institutions/{institution_id}/indicators"): (
            {"name_en": "aurora staff", "unit": "people"},
            None,
        ),
        ("POST", "/institutions/{institution_id}/indicators/{indicator_id}/values"): (
            {"period": "2023", "value": "2"},
            None,
        ),
        ("POST", "/institutions/{institution_id}/stage"): (
            {"stage": "under_construction", "changed_on": today.isoformat()},
            None,
        ),
        ("POST", "/matches/{match_id}/respond"): ({"status": "accepted"}, None),
        ("POST", "/matching/glossary"): ({"glossary": "极光 = aurora"}, None),
        ("POST", "/news/new"): (flat(news), None),
        ("POST", "/imports"): (
            {"organisation_id": str(a.organisation)},
            {"files": ("aurora-import.txt", text.encode())},
        ),
        ("POST", "/imports/{batch_id}/ledger"): ({"map.title": "0", "map.partner": "1"}, None),
        ("POST", "/imports/{batch_id}/review"): ({f"items.{w.batch_item}.title": "aurora reviewed"}, None),
        ("POST", "/news/{news_id}/images"): ({}, {"file": ("aurora.png", _png())}),
        ("POST", "/organisations/new"): (
            {"name_en": "aurora lab", "kind": "institute", "parent_id": str(a.organisation)},
            None,
        ),
        ("POST", "/people/new"): (flat(person), None),
        ("POST", "/programmes/new"): (flat(programme), None),
        ("POST", "/programmes/{programme_id}/cohorts"): (
            {"name_en": "aurora cohort", "start_on": today.isoformat()},
            None,
        ),
        ("POST", "/projects/new"): (flat(project) | {"currency": ""}, None),
        ("POST", "/tasks/new"): (flat(task) | {"due_on": soon}, None),
        ("POST", "/tasks/{task_id}/updates"): (
            {"percent": "60", "note": "aurora"},
            {"files": ("aurora.txt", b"aurora")},
        ),
        ("POST", "/commitments/{commitment_id}/fulfilment"): ({"state": "waived", "reason": "aurora"}, None),
        ("POST", "/works/import"): ({"action": "import"}, {"file": ("aurora.csv", works_csv)}),
        ("POST", "/works/review/{authorship_id}"): ({"person_id": str(a.person), "action": "confirm"}, None),
    }
    requests: dict[tuple[str, str], Request] = {}
    for key, rule in RULES.items():
        if rule.method not in CHANGES:
            continue
        if key in api:
            requests[key] = api[key]
        elif rule.path.startswith("/api/"):
            requests[key] = Request(json={})
        else:
            fields, files = pages.get(key, ({}, None))
            harvested = dict(matrix.forms.get(matrix.fill(rule.path), {}))
            harvested.pop("csrf_token", None)
            harvested.pop("version", None)  # edits made in any order; the version check has its own tests
            if key == ("POST", "/agreements/{agreement_id}/tasks/all"):
                # The spare commitments are merged and rejected by earlier requests: leave them out.
                spares = {str(n) for n in a.spares}
                for name in [k for k, v in harvested.items() if k.endswith(".commitment_id") and v in spares]:
                    harvested.pop(name.removesuffix("commitment_id") + "include", None)
            requests[key] = Request(data=harvested | fields, files=files)
    return requests


def send(client: TestClient, matrix: Matrix, rule: Rule, request: Request, csrf: str) -> str:
    """Send the request; returns its status and what the page or problem said was wrong."""
    url = matrix.fill(rule.path)
    if request.data is None:
        response = client.request(rule.method, url, json=request.json, files=request.files)
    else:
        response = client.request(
            rule.method,
            url,
            data=request.data | {"csrf_token": csrf},
            files=request.files,
            follow_redirects=False,
        )
    said = re.findall(r'id="e-([^"]+)">([^<]*)<', response.text) or re.findall(
        r'class="[^"]*error[^"]*"[^>]*>([^<]{0,120})', response.text
    )
    if response.headers.get("content-type", "").startswith("application/problem"):
        said = [("", response.text[:200])]
    return f"{response.status_code} {said[:3]}"


def test_roles_below_the_rule_change_nothing(client: TestClient, matrix: Matrix, settings: Settings) -> None:
    matrix.forms = harvest_forms(client, matrix)
    requests = requests_for(matrix)
    changed: list[str] = []
    for role in ROLES:
        csrf = act_as(client, matrix, role)
        for key, request in requests.items():
            rule = RULES[key]
            if role in ALLOWED[rule.level]:
                continue
            before = matrix.audit()
            status = send(client, matrix, rule, request, csrf)
            if matrix.audit() != before or status.startswith("5"):
                changed.append(f"{role:11} {rule.method} {rule.path} ({rule.level}) -> {status}")
    assert changed == [], "\n".join(changed)
    glossary = matching.glossary_entries(matching.index_dir(settings.data_dir))
    assert not any("aurora" in english for _zh, english in glossary)


# Requests the check above sends that change nothing even for the roles allowed, and why.
NOT_RECORDED = {
    ("POST", "/login"): "signing in is not a change of records",
    ("POST", "/logout"): "signing out is not a change of records",
    ("POST", "/language"): "the language choice lives in the session",
    ("POST", "/admin/sso/{provider_id}/check"): "asks the provider whether it answers",
    ("POST", "/account/password"): "would end the session the remaining requests use",
    ("POST", "/matching/glossary"): "writes the matching index's glossary file, not records (checked below)",
    ("POST", "/matching/rebuild"): "rebuilds the matching index files from the records",
}
# Run after the others: they archive or remove the records the others use.
LAST = ("/project", "/archive", "/delete", "/revoke", "/restore")
LEAST = ("anonymous", "member", "viewer", "coordinator", "outsider", "admin")


def test_the_requests_work_for_the_least_role_allowed(client: TestClient, matrix: Matrix) -> None:
    matrix.forms = harvest_forms(client, matrix)
    requests = requests_for(matrix)

    def order(key: tuple[str, str]) -> tuple[int, str, str]:
        path = key[1]
        late = next((i + 1 for i, end in enumerate(LAST) if path.endswith(end)), 0)
        if key[0] == "DELETE":
            late = len(LAST) + 1
        return late, path, key[0]

    unrecorded: list[str] = []
    current = ""
    csrf = ""
    for key in sorted(requests, key=order):
        rule = RULES[key]
        if key in NOT_RECORDED or rule.level == "public":
            continue
        role = next(r for r in LEAST if r in ALLOWED[rule.level])
        if role != current:
            csrf, current = act_as(client, matrix, role), role
        before = matrix.audit()
        status = send(client, matrix, rule, requests[key], csrf)
        if matrix.audit() == before:
            unrecorded.append(f"{role:11} {rule.method} {rule.path} -> {status}")
    assert unrecorded == [], "\n".join(unrecorded)
