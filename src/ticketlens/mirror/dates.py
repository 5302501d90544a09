"""JQL date operands → instants, evaluated in the Jira user's time zone.

Forms (see docs/jira-semantics.md for sources):
- literals ``yyyy-MM-dd``, ``yyyy/MM/dd``, each optionally followed by `` HH:mm``: local
  wall-clock time in the user's zone (midnight when no time is given);
- an unquoted integer: epoch milliseconds;
- relative durations ``-7d``, ``4h``, ``"-1w 2d"``: now plus or minus weeks, days, hours
  and minutes; a leading sign applies to the whole duration;
- ``now()``, ``startOfDay/Week/Month/Year([inc])`` and ``endOf…([inc])``, where ``inc``
  is ``[+-]n[yMwdhm]``; without a unit it counts the function's own period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ticketlens.jql.ast import FunctionCall, Span, Value
from ticketlens.mirror.errors import UnsupportedJQL

_LITERAL = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$")
_RELATIVE_PART = re.compile(r"(\d+)\s*([wdhm])")
_RELATIVE = re.compile(r"^([+-])?\s*(\d+\s*[wdhm])(\s*\d+\s*[wdhm])*$")
_INCREMENT = re.compile(r"^([+-]?)(\d+)([yMwdhm]?)$")
_UNIT_MINUTES = {"w": 7 * 24 * 60, "d": 24 * 60, "h": 60, "m": 1}
_PERIODS = {"day": "d", "week": "w", "month": "M", "year": "y"}
_MILLISECOND = timedelta(milliseconds=1)


@dataclass(frozen=True, slots=True)
class DateContext:
    """What a date operand is evaluated against: the zone, the clock, the week's start."""

    tz: ZoneInfo
    now: datetime
    first_day_of_week: int = 6  # Python weekday: Monday is 0, Sunday 6 (Jira's default locale)

    def local(self, instant: datetime) -> datetime:
        """``instant`` as a naive wall-clock time in the user's zone."""
        return instant.astimezone(self.tz).replace(tzinfo=None)

    def instant(self, wall: datetime) -> datetime:
        """A naive wall-clock time in the user's zone as an aware UTC instant."""
        return wall.replace(tzinfo=self.tz).astimezone(UTC)


def _unsupported(message: str, text: str, span: Span | None) -> UnsupportedJQL:
    return UnsupportedJQL(message, text, span)


def date_value(operand: Value | FunctionCall, ctx: DateContext) -> datetime:
    """The instant (aware, UTC) a date operand stands for."""
    if isinstance(operand, FunctionCall):
        return _function(operand, ctx)
    text = operand.text.strip()
    match = _LITERAL.match(text)
    if match:
        year, month, day, hour, minute = match.groups()
        try:
            wall = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
        except ValueError as exc:
            raise _unsupported(f"not a valid date: {exc}", text, operand.span) from exc
        return ctx.instant(wall)
    if text.isdigit() and not operand.quoted:
        return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
    if _RELATIVE.match(text):
        sign = -1 if text.startswith("-") else 1
        minutes = sum(int(n) * _UNIT_MINUTES[u] for n, u in _RELATIVE_PART.findall(text))
        return ctx.now + sign * timedelta(minutes=minutes)
    raise _unsupported(
        "not a date the mirror understands (use yyyy-MM-dd [HH:mm], yyyy/MM/dd [HH:mm], "
        "a relative date like -7d, or a date function)",
        text,
        operand.span,
    )


def _add(wall: datetime, amount: int, unit: str) -> datetime:
    if unit in ("y", "M"):
        months = wall.month - 1 + amount * (12 if unit == "y" else 1)
        year, month = wall.year + months // 12, months % 12 + 1
        day = min(wall.day, _days_in_month(year, month))
        return wall.replace(year=year, month=month, day=day)
    return wall + timedelta(minutes=amount * _UNIT_MINUTES[unit])


def _days_in_month(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _period_start(wall: datetime, period: str, first_day_of_week: int) -> datetime:
    day = wall.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "d":
        return day
    if period == "w":
        return day - timedelta(days=(day.weekday() - first_day_of_week) % 7)
    if period == "M":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _function(call: FunctionCall, ctx: DateContext) -> datetime:
    name = call.name.lower()
    text = f"{call.name}({', '.join(call.args)})"
    if name == "now":
        if call.args:
            raise _unsupported("now() takes no argument", text, call.span)
        return ctx.now
    kind, _, period_name = (
        ("start", "", name[len("startof") :])
        if name.startswith("startof")
        else ("end", "", name[len("endof") :])
        if name.startswith("endof")
        else ("", "", "")
    )
    period = _PERIODS.get(period_name)
    if not kind or period is None:
        raise _unsupported(f"function {call.name}() is not evaluated locally", text, call.span)
    amount, unit = 0, period
    if len(call.args) > 1:
        raise _unsupported(f"{call.name}() takes at most one increment", text, call.span)
    if call.args:
        match = _INCREMENT.match(call.args[0].strip())
        if not match:
            raise _unsupported(
                f"{call.name}() increment must look like -1, +2d or -1M", text, call.span
            )
        sign, number, given = match.groups()
        amount = int(number) * (-1 if sign == "-" else 1)
        unit = given or period
    wall = ctx.local(ctx.now)
    if unit == period:
        # Shift by whole periods first, so endOfMonth(+1) is the last moment of next month.
        start = _period_start(
            _add(_period_start(wall, period, ctx.first_day_of_week), amount, period),
            period,
            ctx.first_day_of_week,
        )
        if kind == "start":
            return ctx.instant(start)
        return ctx.instant(_add(start, 1, period)) - _MILLISECOND
    start = _period_start(wall, period, ctx.first_day_of_week)
    boundary = start if kind == "start" else _add(start, 1, period) - _MILLISECOND
    if unit in ("h", "m"):
        return ctx.instant(boundary) + timedelta(minutes=amount * _UNIT_MINUTES[unit])
    return ctx.instant(_add(boundary, amount, unit))
