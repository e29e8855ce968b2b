"""School time: which moments are in school hours, and due times counted in school hours only.

Plain functions of plain values (no database), so every rule is tested directly. A school day is a weekday that is
not a closed day, from `starts` to `ends` in the district's time zone; daylight saving is the zone's business
(each day's hours are local wall-clock hours, turned into absolute times through zoneinfo).
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

DISTRICT_ZONE = ZoneInfo("America/Chicago")


@dataclass(frozen=True)
class SchoolCalendar:
    starts: datetime.time = datetime.time(7, 0)
    ends: datetime.time = datetime.time(16, 0)
    closed: frozenset[datetime.date] = field(default_factory=frozenset)
    zone: ZoneInfo = DISTRICT_ZONE

    def is_school_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self.closed

    def hours_of(self, day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """The day's school hours as absolute (aware) times."""
        return (
            datetime.datetime.combine(day, self.starts, tzinfo=self.zone),
            datetime.datetime.combine(day, self.ends, tzinfo=self.zone),
        )


def _local_day(at: datetime.datetime, calendar: SchoolCalendar) -> datetime.date:
    return at.astimezone(calendar.zone).date()


def is_school_time(at: datetime.datetime, calendar: SchoolCalendar) -> bool:
    """Whether `at` falls in school hours on a school day."""
    day = _local_day(at, calendar)
    if not calendar.is_school_day(day):
        return False
    start, end = calendar.hours_of(day)
    return start <= at < end


def next_school_start(at: datetime.datetime, calendar: SchoolCalendar) -> datetime.datetime:
    """The first school-day start at or after `at` (a Friday evening gives Monday 7:00, Tuesday after a closed
    Monday)."""
    day = _local_day(at, calendar)
    for _ in range(400):
        if calendar.is_school_day(day):
            start, _end = calendar.hours_of(day)
            if start >= at:
                return start
        day += datetime.timedelta(days=1)
    raise ValueError("No school day within 400 days: check the closed days")


def add_school_time(start: datetime.datetime, amount: datetime.timedelta, calendar: SchoolCalendar):
    """The moment `amount` of school time after `start`; time outside school hours does not count."""
    left = amount
    day = _local_day(start, calendar)
    for _ in range(4000):
        if calendar.is_school_day(day):
            opens, closes = calendar.hours_of(day)
            begin = max(opens, start)
            if begin < closes:
                if begin + left <= closes:
                    return begin + left
                left -= closes - begin
        day += datetime.timedelta(days=1)
    raise ValueError("The target is too long for the calendar (over 4000 days)")


def school_time_between(start: datetime.datetime, end: datetime.datetime, calendar: SchoolCalendar):
    """How much school time passes from `start` to `end` (zero if end is not after start)."""
    total = datetime.timedelta()
    if end <= start:
        return total
    day, last = _local_day(start, calendar), _local_day(end, calendar)
    while day <= last:
        if calendar.is_school_day(day):
            opens, closes = calendar.hours_of(day)
            begin, finish = max(opens, start), min(closes, end)
            if finish > begin:
                total += finish - begin
        day += datetime.timedelta(days=1)
    return total
