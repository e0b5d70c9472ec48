"""The parsed bilingual dictionary is kept between processes (ACCORD_CACHE_DIR): read back exactly as
parsed, parsed anew when an input changed or the file is damaged, and never needed to be writable."""

from __future__ import annotations

import fcntl
import gzip
import threading
from pathlib import Path

import pytest

from accord.match import translate

CEDICT = gzip.compress(
    "# CC-CEDICT sample\n"
    "監測 监测 [jian1 ce4] /to monitor/monitoring/\n"
    "邊坡 边坡 [bian1 po1] /slope (side of a road, dam etc)/\n"
    "華沙 华沙 [Hua2 sha1] /Warsaw, capital of Poland/\n".encode()
)
JIEBA = "监测 120 vn\n边坡 15 n\n".encode()


def _parse_refused(*_arguments: object) -> translate.Tables:
    raise AssertionError("parsed although the folder holds the tables")


def test_tables_are_read_back_as_parsed_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = translate._cedict_tables(None, CEDICT, JIEBA)
    assert parsed[0] == {"监测": ["monitor", "monitoring"], "边坡": ["slope"]}
    assert translate._cedict_tables(tmp_path, CEDICT, JIEBA) == parsed
    assert len(list(tmp_path.glob("cedict-*.marshal"))) == 1
    monkeypatch.setattr(translate, "_parse_cedict", _parse_refused)
    assert translate._cedict_tables(tmp_path, CEDICT, JIEBA) == parsed


def test_changed_inputs_are_parsed_anew(tmp_path: Path) -> None:
    translate._cedict_tables(tmp_path, CEDICT, JIEBA)
    other = gzip.compress("監測 监测 [jian1 ce4] /to supervise/\n".encode())
    assert translate._cedict_tables(tmp_path, other, JIEBA)[0] == {"监测": ["supervise"]}
    translate._cedict_tables(tmp_path, CEDICT, "监测 1 vn\n".encode())
    assert len(list(tmp_path.glob("cedict-*.marshal"))) == 3  # one per set of inputs


def test_a_damaged_file_is_parsed_again_and_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = translate._cedict_tables(tmp_path, CEDICT, JIEBA)
    (kept,) = tmp_path.glob("cedict-*.marshal")
    kept.write_bytes(kept.read_bytes()[:40])
    assert translate._cedict_tables(tmp_path, CEDICT, JIEBA) == parsed
    monkeypatch.setattr(translate, "_parse_cedict", _parse_refused)
    assert translate._cedict_tables(tmp_path, CEDICT, JIEBA) == parsed


def test_a_folder_that_cannot_be_written_only_means_parsing(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert translate._cedict_tables(blocked / "cache", CEDICT, JIEBA) == translate._cedict_tables(
        None, CEDICT, JIEBA
    )


def test_a_process_starting_meanwhile_waits_for_the_first_ones_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = translate._cedict_tables(None, CEDICT, JIEBA)
    with (tmp_path / "cedict.lock").open("a") as parsing:
        fcntl.flock(parsing, fcntl.LOCK_EX)  # another process is parsing
        monkeypatch.setattr(translate, "_parse_cedict", _parse_refused)
        found: list[translate.Tables] = []
        waiting = threading.Thread(
            target=lambda: found.append(translate._cedict_tables(tmp_path, CEDICT, JIEBA))
        )
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive() and found == []
        monkeypatch.undo()
        translate._cedict_tables(tmp_path / "elsewhere", CEDICT, JIEBA)  # the other process's file
        for kept in (tmp_path / "elsewhere").glob("cedict-*.marshal"):
            kept.rename(tmp_path / kept.name)
        monkeypatch.setattr(translate, "_parse_cedict", _parse_refused)
    waiting.join(30)
    assert found == [parsed]


def test_the_application_keeps_the_dictionary_in_its_cache_folder(tmp_path: Path) -> None:
    from accord.config import Settings
    from accord.web.app import create_app

    before = translate._cache_dir
    try:
        settings = Settings(data_dir=tmp_path, cache_dir=None, secret_key="k")
        app = create_app(settings)
        app.state.engine.dispose()
        assert translate._cache_dir == tmp_path / "cache"
    finally:
        translate.use_cache_dir(before)
