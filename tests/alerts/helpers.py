import datetime

from alerts.school_time import DISTRICT_ZONE

# A Wednesday in school hours (district time), away from any daylight-saving change.
SCHOOL_HOURS = datetime.datetime(2026, 11, 11, 10, 0, tzinfo=DISTRICT_ZONE)


def chicago(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=DISTRICT_ZONE)


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message["To"].split(", "))
