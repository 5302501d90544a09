"""Date operands are evaluated in the user's zone, including across daylight saving."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ticketlens.jql.ast import FunctionCall, Value
from ticketlens.mirror import UnsupportedJQL
from ticketlens.mirror.compiler import make_dates
from ticketlens.mirror.dates import date_value

# Wednesday 2024-03-13 15:00 UTC.
NOW = datetime(2024, 3, 13, 15, 0, tzinfo=UTC)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("operand", "tz", "expected"),
    [
        (Value("2024-03-13"), "UTC", "2024-03-13 00:00"),
        (Value("2024-03-13"), "Europe/Berlin", "2024-03-12 23:00"),
        (Value("2024/3/1 09:05", quoted=True), "America/New_York", "2024-03-01 14:05"),
        (Value("1710288000000"), "Asia/Tokyo", "2024-03-13 00:00"),
        (Value("-7d"), "UTC", "2024-03-06 15:00"),
        (Value("-1w 2d", quoted=True), "UTC", "2024-03-04 15:00"),
        (Value("4h"), "UTC", "2024-03-13 19:00"),
        (Value("-90m"), "UTC", "2024-03-13 13:30"),
        (FunctionCall("now"), "Asia/Tokyo", "2024-03-13 15:00"),
        (FunctionCall("startOfDay"), "Asia/Tokyo", "2024-03-13 15:00"),
        (FunctionCall("startOfDay"), "America/Los_Angeles", "2024-03-13 07:00"),
        (FunctionCall("startOfDay", ("+1",)), "UTC", "2024-03-14 00:00"),
        (FunctionCall("startOfWeek"), "UTC", "2024-03-10 00:00"),
        (FunctionCall("startOfWeek", ("1d",)), "UTC", "2024-03-11 00:00"),
        (FunctionCall("startOfMonth"), "UTC", "2024-03-01 00:00"),
        (FunctionCall("startOfMonth", ("-1",)), "UTC", "2024-02-01 00:00"),
        (FunctionCall("startOfYear"), "UTC", "2024-01-01 00:00"),
        (FunctionCall("startOfYear", ("+1y",)), "UTC", "2025-01-01 00:00"),
    ],
)
def test_date_operand_becomes_the_documented_instant(
    operand: Value | FunctionCall, tz: str, expected: str
) -> None:
    assert date_value(operand, make_dates(tz, NOW)) == _at(expected)


def test_end_of_month_is_the_last_millisecond_of_the_month() -> None:
    end = date_value(FunctionCall("endOfMonth"), make_dates("UTC", NOW))
    assert end == datetime(2024, 3, 31, 23, 59, 59, 999000, tzinfo=UTC)


def test_end_of_next_month_counts_whole_months() -> None:
    # April has 30 days: endOfMonth(+1) from March must end on April 30, not 31 or 29.
    end = date_value(FunctionCall("endOfMonth", ("+1",)), make_dates("UTC", NOW))
    assert end == datetime(2024, 4, 30, 23, 59, 59, 999000, tzinfo=UTC)


def test_start_of_day_after_daylight_saving_uses_the_new_offset() -> None:
    # Berlin moves to UTC+2 on 2024-03-31: midnight on April 1st is 22:00 UTC.
    later = datetime(2024, 4, 1, 12, 0, tzinfo=UTC)
    start = date_value(FunctionCall("startOfDay"), make_dates("Europe/Berlin", later))
    assert start == _at("2024-03-31 22:00")
    before = date_value(FunctionCall("startOfDay", ("-1",)), make_dates("Europe/Berlin", later))
    assert before == _at("2024-03-30 23:00")


def test_week_may_start_on_monday() -> None:
    start = date_value(FunctionCall("startOfWeek"), make_dates("UTC", NOW, first_day_of_week=0))
    assert start == _at("2024-03-11 00:00")


def test_impossible_calendar_date_is_refused() -> None:
    with pytest.raises(UnsupportedJQL, match="valid date"):
        date_value(Value("2024-02-30"), make_dates("UTC", NOW))
