from __future__ import annotations

from accord.intake import diff_clauses, extract

OLD = "甲方：A\n乙方：B\n一、甲方负责提供场地。\n二、乙方负责派遣人员。\n三、本协议一式两份。"


def test_identical_versions_map_every_clause() -> None:
    old, new = extract(OLD), extract(OLD)
    result = diff_clauses(old, new)
    assert result.unchanged == {0: 0, 1: 1, 2: 2}
    assert not result.changed and not result.added and not result.removed


def test_changed_new_and_removed_clauses_are_flagged() -> None:
    text = "甲方：A\n乙方：B\n一、甲方负责提供场地。\n二、乙方负责派遣十名人员。\n四、双方每年召开一次会议。"
    result = diff_clauses(extract(OLD), extract(text))
    assert result.unchanged == {0: 0}
    assert result.changed == {1: 1}
    assert result.removed == [2]
    assert result.added == [2]


def test_whitespace_changes_do_not_count_as_edits() -> None:
    spaced = OLD.replace("一、甲方负责提供场地。", "一、甲方负责 提供场地。")
    assert diff_clauses(extract(OLD), extract(spaced)).unchanged[0] == 0
