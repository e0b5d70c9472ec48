from __future__ import annotations

from datetime import date

import pytest

from accord.intake.dates import find_dates, resolve_due
from accord.intake.grammar import find_amount, find_due, find_recurrence, is_conditional
from accord.intake.meta import find_signed_on


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("签订日期：2020年7月27日", date(2020, 7, 27)),
        ("二〇二〇年七月二十七日于万州签订", date(2020, 7, 27)),
        ("THIS AGREEMENT is made on this 1st day of December, 2015 by and between", date(2015, 12, 1)),
        (
            "is made and entered into effective as of October 30, 2019 (the Effective Date)",
            date(2019, 10, 30),
        ),
    ],
)
def test_signing_dates_are_read_in_both_languages(text: str, expected: date) -> None:
    lang = "zh" if "年" in text else "en"
    assert find_signed_on(text, lang) == expected


@pytest.mark.parametrize(
    "text",
    [
        "签订时间：20XX年XX月XX日",
        "2016年 月 日",
        "Cooperation Agreement July 2013",
        "will terminate on June 30, 2021",
    ],
)
def test_partial_or_unrelated_dates_are_not_signing_dates(text: str) -> None:
    lang = "zh" if "年" in text else "en"
    assert find_signed_on(text, lang) is None


def test_impossible_dates_are_kept_as_text_not_iso() -> None:
    assert find_dates("2012年9月31日前")[0][2] is None
    assert find_due("并于2012年9月31日前完成测试工作", "zh", None)[0] == "2012年9月31日前"


def test_absolute_due_dates_become_iso() -> None:
    assert find_due("甲方应于2021年3月1日前支付", "zh", None) == ("2021-03-01", date(2021, 3, 1))
    assert find_due("Party B shall deliver the report by March 1, 2021.", "en", None)[0] == "2021-03-01"


@pytest.mark.parametrize(
    ("text", "lang", "due", "resolved"),
    [
        ("双方应在本协议签订后3个月内共同制定方案", "zh", "在本协议签订后3个月内", date(2020, 10, 27)),
        ("于签约后30日内拨付首期经费", "zh", "于签约后30日内", date(2020, 8, 26)),
        ("一方应在 15 日内通知另一方", "zh", "15 日内", None),
        (
            "Parties shall sign the appendix within 90 days after the agreement is signed.",
            "en",
            "within 90 days after the agreement is signed",
            date(2020, 10, 25),
        ),
        ("the party shall notify the other party immediately", "en", "immediately", None),
    ],
)
def test_relative_dues_are_kept_as_written_and_resolved_from_signing(
    text: str, lang: str, due: str, resolved: date | None
) -> None:
    assert find_due(text, lang, date(2020, 7, 27)) == (due, resolved)


def test_resolution_needs_a_signing_date() -> None:
    assert resolve_due("签约后3个月内", None) is None
    assert resolve_due("签约后3个月内", date(2020, 11, 30)) == date(2021, 2, 28)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("每年召开一次联席会议", "zh", "annual"),
        ("每半年向甲方提交报告", "zh", "semiannual"),
        ("每学期选派教员", "zh", "semiannual"),
        ("每季度报送进展", "zh", "quarterly"),
        ("每月支付服务费", "zh", "monthly"),
        ("负责监督检查项目年度执行情况", "zh", None),
        ("Party A makes monthly payment.", "en", "monthly"),
        ("shall annually contribute", "en", "annual"),
        ("a report each quarter", "en", "quarterly"),
        ("working hours no less than 8,000 hours/year", "en", None),
    ],
)
def test_recurrence_is_read_only_when_the_action_repeats(text: str, lang: str, expected: str | None) -> None:
    assert find_recurrence(text, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang", "written", "value", "currency"),
    [
        ("每年安排专项经费不少于2000万元", "zh", "2000万元", 2000.0, "CNY"),
        ("提供启动经费1.5亿元", "zh", "1.5亿元", 1.5, "CNY"),
        ("付人民币贰拾万元整(￥200,000.00)", "zh", "人民币贰拾万元整(￥200,000.00)", None, "CNY"),
        ("10%的项目收益", "zh", "10%", 10.0, None),
        ("pay RMB 500,000 to Party B", "en", "RMB 500,000", 500000.0, "CNY"),
        ("a fee of USD 2 million", "en", "USD 2 million", 2_000_000.0, "USD"),
        ("shares 50% of the rebate", "en", "50%", 50.0, None),
    ],
)
def test_amounts_are_kept_as_written_with_value_and_currency(
    text: str, lang: str, written: str, value: float | None, currency: str | None
) -> None:
    amount = find_amount(text, lang)
    assert amount is not None
    assert amount.text == written
    if value is not None:
        assert amount.value == pytest.approx(value)
    assert amount.currency == currency


def test_capital_chinese_amounts_have_a_value_in_their_unit() -> None:
    amount = find_amount("付人民币贰拾万元整", "zh")
    assert amount is not None
    assert (amount.value, amount.unit) == (pytest.approx(20.0), "万元")


def test_conditions_are_flagged() -> None:
    assert is_conditional("如乙方逾期交付，乙方应赔偿损失", "zh")
    assert is_conditional("If Party A affects the production, Party A shall compensate", "en")
    assert not is_conditional("乙方负责组建研究团队", "zh")


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("本协议有效期为三年，期满可续签。", "zh", "三年"),
        ("合作期限自2020年7月27日至2025年7月26日。", "zh", "自2020年7月27日至2025年7月26日"),
        ("This MOU shall remain in effect for a term of three (3) years.", "en", "three (3) years"),
        ("This Agreement shall remain in force for five years.", "en", "five years"),
        ("甲方负责提供场地。", "zh", None),
    ],
)
def test_term_is_kept_as_written(text: str, lang: str, expected: str | None) -> None:
    from accord.intake.meta import find_term

    assert find_term(text, lang) == expected
