"""Due times count school hours only: weekends, closed days and the daylight-saving change."""

import datetime
from datetime import timedelta

import pytest

from alerts.school_time import (
    SchoolCalendar,
    add_school_time,
    is_school_time,
    next_school_start,
    school_time_between,
)
from tests.alerts.helpers import chicago

UTC = datetime.UTC
CALENDAR = SchoolCalendar()
THANKSGIVING = SchoolCalendar(closed=frozenset({datetime.date(2026, 11, d) for d in (25, 26, 27)}))


def test_an_hour_in_the_morning_is_an_hour_later():
    assert add_school_time(chicago(2026, 11, 11, 9, 0), timedelta(hours=1), CALENDAR) == chicago(2026, 11, 11, 10, 0)


def test_time_before_school_starts_counting_at_seven():
    assert add_school_time(chicago(2026, 11, 11, 5, 30), timedelta(hours=1), CALENDAR) == chicago(2026, 11, 11, 8, 0)


def test_friday_afternoon_plus_two_hours_is_monday_morning():
    assert add_school_time(chicago(2026, 11, 13, 15, 0), timedelta(hours=2), CALENDAR) == chicago(2026, 11, 16, 8, 0)


def test_a_saturday_ticket_starts_its_clock_on_monday():
    assert add_school_time(chicago(2026, 11, 14, 11, 0), timedelta(hours=9), CALENDAR) == chicago(2026, 11, 16, 16, 0)


def test_closed_days_do_not_count():
    """Tuesday 15:00 plus 3 school hours over the Thanksgiving break is the next Monday at 9:00."""
    assert add_school_time(chicago(2026, 11, 24, 15, 0), timedelta(hours=3), THANKSGIVING) == chicago(
        2026, 11, 30, 9, 0
    )


def test_the_autumn_daylight_saving_change_keeps_school_hours_on_the_wall_clock():
    """Friday Oct 30 (CDT, UTC-5) 15:00 plus 2 hours is Monday Nov 2 8:00 CST (UTC-6): 14:00 UTC, not 13:00."""
    due = add_school_time(chicago(2026, 10, 30, 15, 0), timedelta(hours=2), CALENDAR)
    assert due.astimezone(UTC) == datetime.datetime(2026, 11, 2, 14, 0, tzinfo=UTC)


def test_the_spring_daylight_saving_change_keeps_school_hours_on_the_wall_clock():
    """Friday Mar 6 (CST) 15:30 plus 1 hour is Monday Mar 9 7:30 CDT: 12:30 UTC."""
    due = add_school_time(chicago(2026, 3, 6, 15, 30), timedelta(hours=1), CALENDAR)
    assert due.astimezone(UTC) == datetime.datetime(2026, 3, 9, 12, 30, tzinfo=UTC)


def test_a_nine_hour_school_day_target_ends_the_next_day_at_the_same_time():
    assert add_school_time(chicago(2026, 11, 11, 10, 0), timedelta(hours=9), CALENDAR) == chicago(2026, 11, 12, 10, 0)


def test_school_time_between_skips_nights_weekends_and_closed_days():
    assert school_time_between(chicago(2026, 11, 13, 15, 0), chicago(2026, 11, 16, 8, 0), CALENDAR) == timedelta(
        hours=2
    )
    assert school_time_between(chicago(2026, 11, 24, 15, 0), chicago(2026, 11, 30, 7, 0), THANKSGIVING) == timedelta(
        hours=1
    )
    assert school_time_between(chicago(2026, 11, 16, 8, 0), chicago(2026, 11, 13, 15, 0), CALENDAR) == timedelta()


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (chicago(2026, 11, 13, 17, 0), chicago(2026, 11, 16, 7, 0)),  # Friday evening: Monday
        (chicago(2026, 11, 16, 6, 0), chicago(2026, 11, 16, 7, 0)),  # Monday before school
        (chicago(2026, 11, 24, 16, 30), chicago(2026, 11, 30, 7, 0)),  # before the break
    ],
)
def test_the_next_school_day_start(at, expected):
    assert next_school_start(at, THANKSGIVING) == expected


def test_school_time_is_school_hours_on_school_days():
    assert is_school_time(chicago(2026, 11, 11, 7, 0), CALENDAR)
    assert not is_school_time(chicago(2026, 11, 11, 16, 0), CALENDAR)
    assert not is_school_time(chicago(2026, 11, 14, 10, 0), CALENDAR)  # Saturday
    assert not is_school_time(chicago(2026, 11, 25, 10, 0), THANKSGIVING)
