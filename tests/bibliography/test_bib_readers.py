from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.bibliography import (
    BibliographyError,
    read_bibtex,
    read_csv,
    read_file,
    read_jsonl,
    read_ris,
    read_text,
)

CSV = """id,title,authors,year,abstract,kind
p1,Thermal runaway warning,Zhang Zongyi; Li Wei,2021,Lithium batteries,paper
p2,"Quoted, title",张宗益,2020-05-01,摘要,专利
p3,Missing year field,Wang Fang
p4,,Nobody,2019,no title,paper
p5,Bad year,Someone,someday,x,paper
"""


def test_csv_records_and_line_numbered_errors() -> None:
    res = read_csv(CSV)
    assert [r.id for r in res.records] == ["p1", "p2"]
    assert res.records[0].authors == ["Zhang Zongyi", "Li Wei"]
    assert res.records[1].kind == "patent" and res.records[1].year == 2020
    assert [(e.line, e.message.split(" ")[0]) for e in res.errors] == [
        (4, "expected"),
        (5, "missing"),
        (6, "unreadable"),
    ]


def test_csv_multiline_quoted_field_keeps_line_numbers() -> None:
    text = 'title,year\n"two\nlines",2020\nok,2021\n,2022\n'
    res = read_csv(text)
    assert [r.line for r in res.records] == [2, 4]
    assert res.errors[0].line == 5


def test_csv_without_title_column() -> None:
    res = read_csv("name_of_thing,year\nx,2020\n")
    assert not res.records and res.errors[0].line == 1


def test_jsonl() -> None:
    text = '{"title": "A", "authors": ["X Y"], "year": 2020}\n\n{bad json}\n[1,2]\n{"year": 2020}\n'
    res = read_jsonl(text)
    assert len(res.records) == 1 and res.records[0].authors == ["X Y"]
    assert [e.line for e in res.errors] == [3, 4, 5]


BIB = r"""
@string{ieee = "IEEE Transactions"}
@article{zhang2021,
  author = {Zhang, Zongyi and Li, Wei},
  title = {Early {W}arning of Thermal Runaway},
  journal = ieee # " on Energy",
  year = 2021,
  keywords = {battery, safety}
}

@inproceedings{broken2020,
  title = {Unbalanced {braces,
  year = {2020}

@misc{nokey,
  title = "Fine"
}
@article{notitle, year = {2019}}
@comment{ignored}
@patent{cn123,
  author = {张宗益},
  title = {一种电池热失控预警方法},
  year = {2022}
}
"""


def test_bibtex_records_and_errors() -> None:
    res = read_bibtex(BIB)
    ids = [r.id for r in res.records]
    assert ids == ["zhang2021", "nokey", "cn123"]  # parsing resumes after the broken entry
    first = res.records[0]
    assert first.title == "Early Warning of Thermal Runaway"
    assert first.authors == ["Zhang, Zongyi", "Li, Wei"]
    assert first.venue == "IEEE Transactions on Energy" and first.year == 2021
    assert first.keywords == ["battery", "safety"]
    assert res.records[-1].kind == "patent"
    lines = {e.line for e in res.errors}
    assert 11 in lines  # the unbalanced entry starts on line 11
    assert 18 in lines  # entry without a title


def test_bibtex_strict_mode_raises() -> None:
    with pytest.raises(BibliographyError) as exc:
        read_text(BIB, "bibtex", strict=True)
    assert exc.value.errors and "line 11" in str(exc.value)


RIS = """TY  - JOUR
AU  - Zhang, Zongyi
AU  - Li, Wei
TI  - Early warning of thermal runaway
  in lithium batteries
PY  - 2021///
KW  - battery
ER  -
garbage line
TY  - PAT
TI  - 一种预警方法
IN  - 张宗益
PY  - 2022
ER  -
TY  - JOUR
PY  - 2020
ER  -
TY  - JOUR
TI  - Not closed
"""


def test_ris_records_and_errors() -> None:
    res = read_ris(RIS)
    assert [r.title for r in res.records] == [
        "Early warning of thermal runaway in lithium batteries",
        "一种预警方法",
    ]
    assert res.records[0].authors == ["Zhang, Zongyi", "Li, Wei"] and res.records[0].year == 2021
    assert res.records[1].kind == "patent" and res.records[1].authors == ["张宗益"]
    assert [e.line for e in res.errors] == [9, 15, 18]


def test_read_file_by_extension(tmp_path: Path) -> None:
    p = tmp_path / "refs.ris"
    p.write_bytes(RIS.encode("utf-8"))
    assert len(read_file(p).records) == 2
    with pytest.raises(ValueError):
        read_file(tmp_path / "refs.unknown")
    with pytest.raises(BibliographyError):
        read_file(p, strict=True)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_bibtex_never_crashes(text: str) -> None:
    res = read_bibtex(text)
    assert all(e.line >= 1 for e in res.errors)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*'@{}=",#\n ab1的', "title", "@article{k,", "year = 2020"]), max_size=60))
def test_bibtex_never_crashes_on_bibtex_like_input(parts: list[str]) -> None:
    read_bibtex("".join(parts))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_csv_never_crashes(text: str) -> None:
    res = read_csv("title,year,authors\n" + text)
    assert all(e.line >= 1 for e in res.errors)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_ris_and_jsonl_never_crash(text: str) -> None:
    read_ris(text)
    read_jsonl(text)
