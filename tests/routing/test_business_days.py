from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from routing.models import ClosedDay
from routing.selectors import business_days_after, district_today, earliest_on_time_date

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
closed_sets = st.frozensets(dates, max_size=40)


def business_days_between(start: date, end: date, closed) -> int:
    """Count business days in (start, end], the slow obvious way."""
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if (day := start + timedelta(days=offset)).weekday() < 5 and day not in closed
    )


@given(start=dates, days=st.integers(min_value=1, max_value=30), closed=closed_sets)
def test_result_is_a_business_day_exactly_n_business_days_later(start, days, closed):
    result = business_days_after(start=start, days=days, closed=closed)
    assert result.weekday() < 5 and result not in closed
    assert business_days_between(start, result, closed) == days


@given(start=dates, days=st.integers(min_value=0, max_value=30), closed=closed_sets)
def test_more_lead_time_never_gives_an_earlier_date(start, days, closed):
    assert business_days_after(start=start, days=days + 1, closed=closed) > business_days_after(
        start=start, days=days, closed=closed
    )


@given(start=dates, days=st.integers(min_value=0, max_value=30), extra=dates)
def test_a_closed_day_never_makes_the_date_earlier(start, days, extra):
    assert business_days_after(start=start, days=days, closed={extra}) >= business_days_after(start=start, days=days)


@given(start=dates)
def test_zero_days_is_the_same_day(start):
    assert business_days_after(start=start, days=0) == start


def test_weekends_are_skipped():
    friday = date(2026, 12, 4)
    assert business_days_after(start=friday, days=1) == date(2026, 12, 7)
    assert business_days_after(start=friday, days=7) == date(2026, 12, 15)


@pytest.mark.django_db
def test_closed_days_from_the_calendar_push_the_date():
    ClosedDay.objects.create(date=date(2026, 12, 9), name="Staff development")
    assert earliest_on_time_date(requested_on=date(2026, 12, 7), lead_business_days=5) == date(2026, 12, 15)


@pytest.mark.django_db
def test_a_break_longer_than_the_first_look_ahead_is_skipped_whole():
    """Closed weekdays from May 25 to August 13, 2027: seven business days after May 24 is Tuesday, August 24."""
    summer = [
        date(2027, 5, 25) + timedelta(days=offset) for offset in range((date(2027, 8, 13) - date(2027, 5, 25)).days + 1)
    ]
    ClosedDay.objects.bulk_create(ClosedDay(date=day, name="Summer break") for day in summer if day.weekday() < 5)
    assert earliest_on_time_date(requested_on=date(2027, 5, 24), lead_business_days=7) == date(2027, 8, 24)


def test_today_is_the_district_day_not_utc():
    late_friday_in_mississippi = datetime(2026, 12, 4, 23, 30, tzinfo=ZoneInfo("America/Chicago"))
    with time_machine.travel(late_friday_in_mississippi, tick=False):
        assert district_today() == date(2026, 12, 4)  # already Saturday in UTC
