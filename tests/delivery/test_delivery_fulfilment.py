"""The one definition of a commitment's fulfilment, rule by rule."""

from __future__ import annotations

from datetime import date

from accord.delivery import Fulfilment, FulfilmentTask, Period, fulfilment, fulfilment_rate

AS_OF = date(2021, 12, 31)


def task(
    due: date = date(2021, 11, 19),
    *,
    done_on: date | None = None,
    cancelled: bool = False,
    report: date | None = None,
    occurrence: bool = False,
) -> FulfilmentTask:
    return FulfilmentTask(
        due=due,
        done=done_on is not None,
        done_on=done_on,
        cancelled=cancelled,
        first_report=report,
        occurrence=occurrence,
    )


def test_a_commitment_whose_only_task_is_done_is_fulfilled_without_evidence() -> None:
    assert fulfilment([task(done_on=date(2021, 6, 1))], as_of=AS_OF) is Fulfilment.FULFILLED


def test_work_finished_after_the_date_judged_does_not_count() -> None:
    late_work = [task(due=date(2022, 3, 1), done_on=date(2022, 2, 1), report=date(2021, 5, 1))]
    assert fulfilment(late_work, as_of=AS_OF) is Fulfilment.IN_PROGRESS
    assert fulfilment(late_work, as_of=date(2022, 2, 1)) is Fulfilment.FULFILLED


def test_a_missed_task_makes_it_overdue_or_partly_fulfilled() -> None:
    missed = task(due=date(2021, 3, 1))
    assert fulfilment([missed], as_of=AS_OF) is Fulfilment.OVERDUE
    assert fulfilment([missed, task(done_on=date(2021, 2, 1))], as_of=AS_OF) is Fulfilment.PARTLY_FULFILLED
    # the due date itself is still on time
    assert fulfilment([task(due=AS_OF)], as_of=AS_OF) is Fulfilment.NOT_STARTED


def test_cancelled_tasks_do_not_count() -> None:
    tasks = [task(done_on=date(2021, 1, 1)), task(due=date(2021, 1, 1), cancelled=True)]
    assert fulfilment(tasks, as_of=AS_OF) is Fulfilment.FULFILLED


def test_without_tasks_the_commitment_date_decides() -> None:
    assert fulfilment([], as_of=AS_OF) is Fulfilment.NOT_STARTED
    assert fulfilment([], as_of=AS_OF, due=date(2021, 6, 30)) is Fulfilment.OVERDUE
    assert fulfilment([], as_of=AS_OF, due=date(2022, 6, 30)) is Fulfilment.NOT_STARTED


def test_progress_reported_means_in_progress() -> None:
    assert (
        fulfilment([task(due=date(2022, 5, 1), report=date(2021, 9, 1))], as_of=AS_OF)
        is Fulfilment.IN_PROGRESS
    )
    assert (
        fulfilment([task(due=date(2022, 5, 1), report=date(2022, 1, 9))], as_of=AS_OF)
        is Fulfilment.NOT_STARTED
    )


def test_an_annual_commitment_is_fulfilled_for_a_year_when_that_years_occurrence_is_done() -> None:
    years = [
        task(date(2021, 11, 19), done_on=date(2021, 11, 19), occurrence=True),
        task(date(2022, 11, 19), occurrence=True),
        task(date(2023, 11, 19), occurrence=True),
    ]
    in_2021 = Period(date(2021, 1, 1), date(2021, 12, 31))
    assert fulfilment(years, as_of=AS_OF, period=in_2021) is Fulfilment.FULFILLED
    assert fulfilment(years, as_of=AS_OF) is Fulfilment.IN_PROGRESS
    in_2023 = Period(date(2023, 1, 1), date(2023, 12, 31))
    assert fulfilment(years, as_of=date(2023, 12, 31), period=in_2023) is Fulfilment.OVERDUE
    assert fulfilment(years, as_of=date(2023, 12, 31)) is Fulfilment.PARTLY_FULFILLED
    assert fulfilment(years, as_of=AS_OF, period=Period(date(2030, 1, 1), date(2030, 12, 31))) is (
        Fulfilment.NOT_STARTED
    )


def test_an_override_wins() -> None:
    assert (
        fulfilment([task(due=date(2021, 1, 1))], as_of=AS_OF, override=Fulfilment.WAIVED) is Fulfilment.WAIVED
    )


def test_the_rate_leaves_waived_commitments_out() -> None:
    assert fulfilment_rate([Fulfilment.FULFILLED, Fulfilment.OVERDUE, Fulfilment.WAIVED]) == 0.5
    assert fulfilment_rate({Fulfilment.WAIVED: 2}) is None
    assert fulfilment_rate([]) is None
