from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from accord.delivery.escalation import Level, Notice, NoticeKind, Recipient, normalise_language, notice_key
from accord.delivery.messages import TEMPLATES, TaskInfo, format_date, render_notice

DUE = date(2026, 6, 30)
INFO = TaskInfo(
    title="举办年度联合研讨会",
    agreement_title="中英高校合作备忘录",
    url="https://accord.example.org/tasks/t42",
    progress_percent=40,
    owner_name="王芳",
)


def make(kind: NoticeKind, level: Level, days: int, language: str = "zh", name: str = "王芳") -> Notice:
    person = Recipient(id="u1", name=name, language=language)
    return Notice(
        key=notice_key("t42", kind, level, "u1", DUE, DUE),
        task_id="t42",
        level=level,
        kind=kind,
        recipient=person,
        language=normalise_language(language),
        due=DUE,
        scheduled=DUE,
        days=days,
    )


def test_every_kind_has_a_chinese_and_an_english_template() -> None:
    for language in ("zh", "en"):
        assert set(TEMPLATES[language]) == set(NoticeKind)


def test_a_chinese_reminder_reads_naturally() -> None:
    r = render_notice(make(NoticeKind.REMINDER, Level.OWNER, 7), INFO)
    assert r.language == "zh"
    assert r.subject == "任务即将到期提醒：举办年度联合研讨会"
    assert r.body.startswith("王芳，您好：")
    assert "将于2026年6月30日到期（还有 7 天），当前进度为 40%。" in r.body
    assert "https://accord.example.org/tasks/t42" in r.body


def test_an_english_reminder_reads_naturally() -> None:
    r = render_notice(make(NoticeKind.REMINDER, Level.OWNER, 7, "en", "Ann"), INFO)
    assert r.subject == "Reminder: “举办年度联合研讨会” is due on 30 June 2026"
    assert r.body.startswith("Dear Ann,")
    assert "is due on 30 June 2026 (in 7 days). It is currently 40% complete." in r.body


@pytest.mark.parametrize(
    ("days", "zh", "en"),
    [(0, "（今天）", "(today)"), (1, "（明天）", "(tomorrow)"), (3, "（还有 3 天）", "(in 3 days)")],
)
def test_reminders_word_the_time_left(days: int, zh: str, en: str) -> None:
    assert zh in render_notice(make(NoticeKind.REMINDER, Level.OWNER, days), INFO).body
    assert en in render_notice(make(NoticeKind.REMINDER, Level.OWNER, days), INFO, "en").body


def test_overdue_notices_count_days_in_both_languages() -> None:
    notice = make(NoticeKind.OVERDUE, Level.OWNER, 1)
    assert "目前已逾期 1 天" in render_notice(notice, INFO).body
    assert render_notice(notice, INFO).subject == "任务逾期提醒：举办年度联合研讨会"
    assert "is now 1 day overdue" in render_notice(notice, INFO, "en").body
    assert "is now 9 days overdue" in render_notice(make(NoticeKind.OVERDUE, Level.OWNER, 9), INFO, "en").body


def test_a_coordinator_escalation_is_a_supervision_notice_naming_the_owner() -> None:
    r = render_notice(make(NoticeKind.ESCALATION, Level.COORDINATOR, 3, name="李雷"), INFO)
    assert r.subject == "督办通知：举办年度联合研讨会（已逾期 3 天）"
    assert "负责人：王芳" in r.body
    assert "提请您跟进" in r.body


def test_a_leadership_escalation_is_worded_for_leadership() -> None:
    zh = render_notice(make(NoticeKind.ESCALATION, Level.LEADERSHIP, 14, name="张伟"), INFO)
    en = render_notice(make(NoticeKind.ESCALATION, Level.LEADERSHIP, 14, "en", "Ann"), INFO)
    assert "报请您关注并督办" in zh.body
    assert en.subject == "Escalation: “举办年度联合研讨会” is 14 days overdue"
    assert "referred to you" in en.body


def test_the_language_argument_overrides_the_recipients_language() -> None:
    notice = make(NoticeKind.REMINDER, Level.OWNER, 7, "zh")
    assert render_notice(notice, INFO, "en").language == "en"
    assert render_notice(notice, INFO, "en-GB").language == "en"
    assert render_notice(notice, INFO, "zh-CN").language == "zh"
    assert render_notice(notice, INFO, "fr").language == "zh"


def test_braces_in_titles_are_not_treated_as_placeholders() -> None:
    info = TaskInfo(
        title="Report {due}", agreement_title="{x}", url="u", progress_percent=12.5, owner_name="o"
    )
    r = render_notice(make(NoticeKind.REMINDER, Level.OWNER, 2, "en"), info)
    assert "“Report {due}”" in r.subject
    assert "“{x}”" in r.body
    assert "12.5% complete" in r.body


def test_dates_are_worded_without_depending_on_the_system_locale() -> None:
    assert format_date(date(2027, 1, 5), "zh") == "2027年1月5日"
    assert format_date(date(2027, 1, 5), "en") == "5 January 2027"


def test_the_invitation_to_a_matched_expert_reads_well_in_both_languages() -> None:
    from accord.delivery import MatchInfo, render_match_invitation

    info = MatchInfo(
        expert_name="Chen Yumin",
        demand_title="Slope monitoring in the drawdown zone",
        enterprise="",
        summary="Monitor reservoir bank slopes {and} warn early.",
        reasons=("边坡 → slope", "monitoring"),
        sender="cqu@accord.example",
        deadline=date(2027, 3, 31),
    )
    en = render_match_invitation(info, "en-GB")
    assert en.language == "en" and en.subject.endswith("Slope monitoring in the drawdown zone")
    assert "An organisation has posted" in en.body and "by 31 March 2027" in en.body
    assert "边坡 → slope, monitoring" in en.body and "{and}" in en.body and "cqu@accord.example" in en.body
    zh = render_match_invitation(dataclasses.replace(info, deadline=None), "zh")
    assert zh.language == "zh" and zh.subject.startswith("技术需求对接邀请")
    assert "一家单位提出了技术需求「Slope monitoring in the drawdown zone」。" in zh.body
    assert "边坡 → slope、monitoring" in zh.body
