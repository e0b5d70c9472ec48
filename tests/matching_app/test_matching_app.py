"""Matchmaking in the application: works import (each format, errors by line, never half-imported),
author review, demands (signed-in and public, bad input), ranking across languages, explanations,
sent matches, responses and joint projects, the index (corruption → rebuild), API and CLI."""

from __future__ import annotations

import email
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.testclient import TestClient
from typer.testing import CliRunner

from accord import clock
from accord.config import Settings
from accord.models import (
    Authorship,
    AuthorState,
    Demand,
    Match,
    NoticeRecord,
    NoticeState,
    Person,
    Project,
    Work,
)
from accord.services import matching, notices
from accord.services.permissions import SYSTEM
from accord.web.routes import matching as matching_routes
from tests.conftest import ADMIN, CQU, WANZHOU, csrf_of, login
from tests.support.accounts import token_for
from tests.support.mail import Inbox

CSV_OK = (
    "title,authors,year,abstract\nSlope monitoring with InSAR,Chen Yumin,2021,Reservoir bank deformation\n"
)
CSV_BAD = CSV_OK + 'Broken row,"Li Xiaoqing",notayear,x\n,Nobody,2020,no title\n'
BIB = """@article{a1, title={Riparian vegetation of the drawdown zone}, author={Zhou, Lanfang}, year={2020}}
@article{broken, title={Missing brace, year=2020
@article{a2, title={Bridge health monitoring}, author={Li, Xiaoqing}, year={2019}, doi={10.1/xyz}}
"""
RIS = "TY  - JOUR\nTI  - Hospital efficiency in Wanzhou\nAU  - Huang, Mingde\nPY  - 2021\nER  - \n"
JSONL = '{"title": "Landslide warning", "authors": ["Y. Chen"], "year": 2022}\n{"title": \n'


def _count(factory: sessionmaker[Session], model: type[Work] | type[Match] | type[Project]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count(model.id))) or 0)


def _demand_id(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        found = session.scalar(select(Demand.id).order_by(Demand.id))
    assert found is not None
    return found


def _upload(client: TestClient, name: str, text: str, **extra: str) -> object:
    token = csrf_of(client, "/works/import")
    return client.post(
        "/works/import",
        data={"csrf_token": token, **extra},
        files={"file": (name, text.encode(), "text/plain")},
        follow_redirects=False,
    )


def test_import_preview_errors_by_line_and_explicit_lenient(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, CQU)
    before = _count(factory, Work)
    preview = _upload(client, "works.csv", CSV_BAD, action="preview")
    assert preview.status_code == 200  # type: ignore[attr-defined]
    text = preview.text  # type: ignore[attr-defined]
    assert "<td>3</td>" in text and "<td>4</td>" in text and "1 valid records" in text
    stored = re.search(r'name="stored" value="([0-9a-f]{64})"', text)
    assert stored
    token = csrf_of(client, "/works/import")
    form = {"csrf_token": token, "stored": stored.group(1), "filename": "works.csv", "action": "import"}
    refused = client.post("/works/import", data=form)
    assert refused.status_code == 422 and "Nothing was imported" in refused.text
    assert _count(factory, Work) == before
    done = client.post("/works/import", data={**form, "lenient": "1"}, follow_redirects=False)
    assert done.status_code == 303
    assert _count(factory, Work) == before + 1


@pytest.mark.parametrize(
    ("name", "text", "good", "bad"), [("w.bib", BIB, 2, 1), ("w.ris", RIS, 1, 0), ("w.jsonl", JSONL, 1, 1)]
)
def test_each_format(
    client: TestClient,
    world: dict[str, int],
    factory: sessionmaker[Session],
    name: str,
    text: str,
    good: int,
    bad: int,
) -> None:
    login(client, CQU)
    before = _count(factory, Work)
    extra = {"action": "import", "lenient": "1"}
    response = _upload(client, name, text, **extra)
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert _count(factory, Work) == before + good


def test_unknown_format_and_viewer_refused(client: TestClient, world: dict[str, int]) -> None:
    login(client, CQU)
    response = _upload(client, "works.docx", "x", action="preview")
    assert response.status_code == 422 and ".bib" in response.text  # type: ignore[attr-defined]


def test_review_queue_confirms_author(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, ADMIN)
    page = client.get("/works/review")
    assert page.status_code == 200 and "Z. Zhang" in page.text
    with factory() as session:
        pending = session.scalars(select(Authorship).where(Authorship.state == AuthorState.PENDING)).first()
        assert pending is not None and pending.candidates
        authorship_id, person_id = pending.id, pending.candidates[0]["person_id"]
    token = csrf_of(client, "/works/review")
    response = client.post(
        f"/works/review/{authorship_id}",
        data={"csrf_token": token, "person_id": str(person_id)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with factory() as session:
        done = session.get(Authorship, authorship_id)
        assert done is not None and done.state == AuthorState.CONFIRMED and done.person_id == person_id


def test_chinese_demand_finds_english_profiles_explained(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, CQU)
    demand_id = _demand_id(factory)
    page = client.get(f"/demands/{demand_id}")
    assert page.status_code == 200
    assert "陈玉敏" in page.text or "Chen Yumin" in page.text
    assert "<mark>" in page.text and "Matched" in page.text and "demand terms" in page.text
    assert "→" in page.text and "monitor" in page.text
    # filters: an organisation without experts empties the expert list
    filtered = client.get(f"/demands/{demand_id}?organisation_id={world['enterprise']}&recent=3&field=zzz")
    assert filtered.status_code == 200 and "No expert found." in filtered.text


_HAN = re.compile(r"[\u3400-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def test_explanations_of_the_demo_demand_show_whole_words_in_both_languages(
    world: dict[str, int], factory: sessionmaker[Session], settings: Settings
) -> None:
    from accord.i18n import reset_language, set_language
    from accord.match.query import display_units
    from accord.match.translate import get_dictionary

    with factory() as session:
        demand = session.get(Demand, _demand_id(factory))
        assert demand is not None and demand.language == "zh"
        query = matching.demand_query(demand)
        single = {u.text for u in display_units(query) if len(u.text) == 1}
        corpus = " ".join(f"{d.title} {d.text}" for d in matching.documents(session)[0])
        written = {w.lower() for w in _LATIN.findall(f"{corpus} {query}")}
        summaries = {}
        for language in ("en", "zh_Hans"):
            token = set_language(language)
            try:
                ranking = matching.rank(session, SYSTEM, matching.index_dir(settings.data_dir), demand)
                suggestions = [*ranking.experts, *ranking.achievements, *ranking.labs]
                summaries[language] = [s.summary() for s in suggestions]
            finally:
                reset_language(token)
            assert ranking.experts and ranking.experts[0].relative == 1.0
            for s in suggestions:
                assert 0.01 <= s.relative <= 1.0  # no "0 %" beside "100 %"
                for label, source in s.chips():
                    origin, _, gloss = label.partition(" → ")
                    for part in (origin, gloss):
                        for run in _HAN.findall(part):
                            # never a lone character or a fragment, unless the demand's own term
                            assert len(run) >= 2 or run in single, (s.label, label)
                            if source == "feedback":
                                assert get_dictionary().is_word(run), (s.label, label)
                    if source == "translation":
                        senses = get_dictionary().zh_to_en(origin, 10)
                        assert any(gloss in sl for _t, sl in senses) or _HAN.search(gloss), label
                    else:
                        # English words as written in the documents or the demand, never a stem
                        for word in _LATIN.findall(label):
                            assert word.lower() in written, (s.label, label)
                    assert len(s.translations()) == len({o for o, _g in s.translations()})  # one gloss
    assert all(text.startswith("Matched ") for text in summaries["en"])
    assert all("匹配" in text for text in summaries["zh_Hans"])


def test_send_respond_and_project(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, CQU)
    demand_id = _demand_id(factory)
    page = client.get(f"/demands/{demand_id}").text
    person_id = re.search(
        r'name="target" value="expert">\s*<input type="hidden" name="target_id" value="(\d+)"', page
    )
    assert person_id
    token = csrf_of(client, f"/demands/{demand_id}")
    sent = client.post(
        f"/demands/{demand_id}/send",
        data={"csrf_token": token, "target": "expert", "target_id": person_id.group(1)},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    again = client.post(
        f"/demands/{demand_id}/send",
        data={"csrf_token": token, "target": "expert", "target_id": person_id.group(1)},
    )
    assert again.status_code == 409
    with factory() as session:
        match = session.scalars(select(Match)).one()
        assert match.explanation and match.explanation["matched_terms"]
        match_id, version = match.id, match.version
    response = client.post(
        f"/matches/{match_id}/respond",
        data={"csrf_token": token, "status": "accepted", "version": str(version)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    with factory() as session:
        version = session.get(Match, match_id).version  # type: ignore[union-attr]
    project = client.post(
        f"/matches/{match_id}/project",
        data={
            "csrf_token": token,
            "version": str(version),
            "agreement_id": str(world["strategic_agreement"]),
        },
        follow_redirects=False,
    )
    assert project.status_code == 303 and project.headers["location"].startswith("/projects/")
    with factory() as session:
        match = session.get(Match, match_id)
        assert match is not None and match.project is not None
        assert match.project.agreement_id == world["strategic_agreement"]
        assert {p.organisation_id for p in match.project.parties} == {world["cqu"], world["enterprise"]}


@pytest.mark.parametrize(
    ("title", "description", "message"),
    [
        ("", "", "at least 1"),
        ("Slopes", "x" * 20001, "at most 20000"),
        ("the and of", "the and of", "not only common words"),
        ("😀😀", "!!! ???", "emoji cannot be matched"),
    ],
)
def test_bad_demands(
    client: TestClient, world: dict[str, int], title: str, description: str, message: str
) -> None:
    login(client, WANZHOU)
    token = csrf_of(client, "/demands/new")
    response = client.post(
        "/demands/new", data={"csrf_token": token, "title": title, "description": description}
    )
    assert response.status_code == 422 and message in response.text


def test_public_form_honeypot_and_rate_limit(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    form = {
        "title": "Bridge vibration monitoring",
        "description": "We need structural health monitoring for a river bridge.",
        "contact_name": "Wang",
        "contact_email": "wang@example.com",
    }
    token = csrf_of(client, "/demands/new")
    assert 'name="website"' in client.get("/demands/new").text
    before = int(_count(factory, Work))
    bot = client.post("/demands/new", data={"csrf_token": token, **form, "website": "http://spam"})
    assert bot.status_code == 200
    with factory() as session:
        assert session.scalar(select(func.count(Demand.id))) == 1
    for _ in range(matching_routes.PUBLIC_LIMIT.attempts):
        assert client.post("/demands/new", data={"csrf_token": token, **form}).status_code == 200
    limited = client.post("/demands/new", data={"csrf_token": token, **form})
    assert limited.status_code == 429
    with factory() as session:
        assert session.scalar(select(func.count(Demand.id))) == 1 + matching_routes.PUBLIC_LIMIT.attempts
    assert before == _count(factory, Work)


def test_corrupted_index_is_rebuilt_and_reported(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session], settings: Settings
) -> None:
    directory = matching.index_dir(settings.data_dir)
    with factory() as session:
        state = matching.get_index(session, directory)
        count = len(state.hashes)
    assert count > 20 and (directory / "engine" / "manifest.json").exists()
    matching.forget(directory)
    victim = next(p for p in (directory / "engine").iterdir() if p.name != "manifest.json" and p.is_file())
    victim.write_bytes(b"garbage")
    login(client, ADMIN)
    page = client.get("/matching")
    assert page.status_code == 200 and "damaged" in page.text
    with factory() as session:
        assert len(matching.get_index(session, directory).hashes) == count
    matching.forget(directory)


def test_index_of_an_older_format_is_rebuilt_without_alarm(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session], settings: Settings
) -> None:
    # After an upgrade that changed the index format the saved index is simply rebuilt: not "damaged".
    directory = matching.index_dir(settings.data_dir)
    with factory() as session:
        count = len(matching.get_index(session, directory).hashes)
    matching.forget(directory)
    manifest = directory / "engine" / "manifest.json"
    data = json.loads(manifest.read_text("utf-8"))
    manifest.write_text(json.dumps({**data, "version": data["version"] - 1}), "utf-8")
    login(client, ADMIN)
    page = client.get("/matching")
    assert page.status_code == 200 and "damaged" not in page.text
    with factory() as session:
        assert len(matching.get_index(session, directory).hashes) == count
    assert json.loads(manifest.read_text("utf-8"))["version"] == data["version"]
    matching.forget(directory)


def test_index_follows_archived_works(
    world: dict[str, int], factory: sessionmaker[Session], settings: Settings
) -> None:
    from accord.services import works

    directory = matching.index_dir(settings.data_dir)
    with factory() as session:
        state = matching.get_index(session, directory)
        work_id = session.scalar(select(Work.id).order_by(Work.id))
        assert work_id is not None and f"work:{work_id}" in state.matcher
        works.archive_work(session, SYSTEM, work_id, None)
        session.commit()
        state = matching.get_index(session, directory)
        assert f"work:{work_id}" not in state.matcher
    matching.forget(directory)


def test_highlight_escapes() -> None:
    html = str(matching.highlight("<b>slope</b> & x", [{"start": 3, "end": 8, "term": "slope"}]))
    assert html == "&lt;b&gt;<mark>slope</mark>&lt;/b&gt; &amp; x"


def test_api_demand_suggestions_and_import(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    headers = token_for(factory, CQU)
    demand_id = _demand_id(factory)
    ranking = client.get(f"/api/v1/demands/{demand_id}/suggestions", headers=headers)
    assert ranking.status_code == 200 and ranking.json()["experts"]
    first = ranking.json()["experts"][0]
    assert first["matched_terms"] and first["documents"]
    bad = client.post("/api/v1/works/import", headers=headers, files={"file": ("w.csv", CSV_BAD.encode())})
    assert (
        bad.status_code == 200
        and bad.json()["imported"] == 0
        and [e["line"] for e in bad.json()["errors"]] == [3, 4]
    )
    ok = client.post(
        "/api/v1/works/import?lenient=true", headers=headers, files={"file": ("w.csv", CSV_BAD.encode())}
    )
    assert ok.json()["imported"] == 1
    created = client.post(
        "/api/v1/demands",
        headers=headers,
        json={"title": "桥梁健康监测", "description": "长江大桥结构健康监测与损伤识别"},
    )
    assert created.status_code == 201 and created.json()["language"] == "zh"


def test_cli_import(
    tmp_path: Path,
    world: dict[str, int],
    factory: sessionmaker[Session],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from accord.cli import app
    from accord.config import get_settings

    monkeypatch.setenv("ACCORD_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("ACCORD_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    path = tmp_path / "w.csv"
    path.write_text(CSV_BAD, "utf-8")
    before = _count(factory, Work)
    runner = CliRunner()
    refused = runner.invoke(app, ["import", "works", str(path)])
    assert refused.exit_code == 1 and _count(factory, Work) == before
    done = runner.invoke(app, ["import", "works", str(path), "--lenient"])
    assert done.exit_code == 0, done.output
    assert _count(factory, Work) == before + 1
    get_settings.cache_clear()


def test_author_linking_per_person() -> None:
    from accord.services.works import NameIndex

    index = NameIndex(
        by_name={
            "张宗益": [1],
            "Zhang Zongyi": [1],
            "张志远": [2],
            "Zhang Zhiyuan": [2],
            "刘汉龙": [3],
            "Liu Hanlong": [3],
        }
    )
    assert index.link("Hanlong Liu")[:2] == (AuthorState.MATCHED, 3)  # two spellings of one person
    assert index.link("张宗益")[:2] == (AuthorState.MATCHED, 1)
    state, person, _confidence, candidates = index.link("Z. Zhang")
    assert state == AuthorState.PENDING and person is None
    assert {c["person_id"] for c in candidates} == {1, 2}
    assert index.link("Wang Wu")[0] == AuthorState.UNMATCHED


def test_admin_extends_the_glossary(client: TestClient, world: dict[str, int], settings: Settings) -> None:
    login(client, ADMIN)
    token = csrf_of(client, "/matching")
    bad = client.post(
        "/matching/glossary",
        data={"csrf_token": token, "glossary": "消落带 = fluctuation zone\nno separator"},
    )
    assert bad.status_code == 422 and "Line 2" in bad.text
    assert matching.glossary_entries(matching.index_dir(settings.data_dir)) == []
    good = client.post(
        "/matching/glossary",
        data={"csrf_token": token, "glossary": "# demo\n消落带 = water-level fluctuation zone\n边坡\tslope"},
        follow_redirects=False,
    )
    assert good.status_code == 303
    assert matching.glossary_entries(matching.index_dir(settings.data_dir)) == [
        ("消落带", "water-level fluctuation zone"),
        ("边坡", "slope"),
    ]
    assert "water-level fluctuation zone" in client.get("/matching").text
    login(client, CQU)
    assert (
        client.post(
            "/matching/glossary", data={"csrf_token": csrf_of(client, "/matching"), "glossary": "a=b"}
        ).status_code
        == 403
    )
    matching.forget(matching.index_dir(settings.data_dir))


def test_archiving_a_work_from_its_page(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    with factory() as session:
        work = session.scalars(select(Work).order_by(Work.id)).first()
        assert work is not None
        work_id, version = work.id, work.version
    login(client, CQU)
    page = client.get(f"/works/{work_id}")
    assert page.status_code == 200 and "Archive" in page.text
    token = csrf_of(client, f"/works/{work_id}")
    done = client.post(
        f"/works/{work_id}/archive",
        data={"csrf_token": token, "version": str(version)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    with factory() as session:
        assert session.get(Work, work_id).archived_at is not None  # type: ignore[union-attr]


def _send_first_expert(client: TestClient, factory: sessionmaker[Session], email: str | None) -> int:
    demand_id = _demand_id(factory)
    page = client.get(f"/demands/{demand_id}").text
    found = re.search(
        r'name="target" value="expert">\s*<input type="hidden" name="target_id" value="(\d+)"', page
    )
    assert found
    with factory() as session:
        person = session.get(Person, int(found.group(1)))
        assert person is not None
        person.email = email
        session.commit()
    token = csrf_of(client, f"/demands/{demand_id}")
    sent = client.post(
        f"/demands/{demand_id}/send",
        data={"csrf_token": token, "target": "expert", "target_id": found.group(1)},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    return demand_id


def test_a_matched_expert_is_invited_by_email_through_the_worker(
    client: TestClient,
    world: dict[str, int],
    factory: sessionmaker[Session],
    settings: Settings,
    smtp: tuple[Inbox, int],
) -> None:
    login(client, CQU)
    demand_id = _send_first_expert(client, factory, "chen.yumin@cqu.example")
    assert "waiting to be sent" in client.get(f"/demands/{demand_id}").text
    inbox, port = smtp
    config = settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_starttls": False,
            "smtp_sender": "a@x.example",
        }
    )
    with factory() as session:
        summary = notices.plan_and_send(session, clock.today(), config)
        notice = session.scalars(select(NoticeRecord).where(NoticeRecord.match_id.is_not(None))).one()
        assert notice.status is NoticeState.SENT and notice.recipient == "chen.yumin@cqu.example"
        assert notice.kind == "invitation" and notice.language == "zh"  # the registry has a Chinese name
    assert summary.sent >= 1
    invitations = [m for m in inbox.messages if m["X-Accord-Notice"] == notice.key]
    assert len(invitations) == 1
    subject = str(email.header.make_header(email.header.decode_header(invitations[0]["Subject"])))
    body = invitations[0].get_payload(decode=True).decode()
    assert subject.startswith("技术需求对接邀请") and "匹配依据：" in body and "边坡" in body
    assert "匹配依据：库、" not in body  # single characters are left out when words matched
    assert "Invitation e-mailed to chen.yumin@cqu.example" in client.get(f"/demands/{demand_id}").text
    # Another round sends nothing again.
    with factory() as session:
        notices.plan_and_send(session, clock.today(), config)
    assert len([m for m in inbox.messages if m["X-Accord-Notice"] == notice.key]) == 1


def test_an_expert_without_an_address_gets_no_email_and_the_page_says_so(
    client: TestClient, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    login(client, CQU)
    demand_id = _send_first_expert(client, factory, None)
    with factory() as session:
        assert (
            session.scalar(select(func.count(NoticeRecord.id)).where(NoticeRecord.match_id.is_not(None))) == 0
        )
    assert "No e-mail address on file" in client.get(f"/demands/{demand_id}").text


def test_a_process_can_load_the_index_ahead_of_the_first_demand_page(
    world: dict[str, int], settings: Settings
) -> None:
    from accord.match import translate
    from accord.web.app import create_app

    app = create_app(settings.model_copy(update={"match_warm_up": True}))
    app.state.warm_up.join(120)
    assert not app.state.warm_up.is_alive()
    state = matching.index._states[str(matching.index_dir(settings.data_dir).resolve())]
    assert len(state.matcher) > 0  # the demo's works, achievements and labs are indexed
    assert translate._dictionary is not None
    app.state.engine.dispose()
    other = create_app(settings)
    assert other.state.warm_up is None  # off unless asked (accord serve asks)
    other.state.engine.dispose()
