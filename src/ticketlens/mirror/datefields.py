"""Date fields: ``created``, ``updated``, ``resolved`` (instants) and ``due`` (a calendar day)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Date, and_, false, literal, or_, true

from ticketlens.jql.ast import Empty, FunctionCall, Operand, Operator, Value, ValueList
from ticketlens.mirror.dates import date_value
from ticketlens.mirror.fields import (
    POSITIVE,
    RANGE,
    Col,
    Cond,
    FieldRule,
    I,
    Site,
    value_in,
)


class DateTimeField(FieldRule):
    """``created``, ``updated``, ``resolved``: instants compared with ``< <= > >=``.

    ``=`` against a minute-precision date is not answered locally: Jira's handling of
    the seconds inside that minute is not documented.
    """

    operators = frozenset({Operator.IS, Operator.IS_NOT}) | RANGE | {Operator.EQ, Operator.NE}

    def __init__(self, name: str, column: Col, nullable: bool) -> None:
        self.name = name
        self.column = column
        self.nullable = nullable

    def present(self, site: Site) -> Cond:
        return self.column.is_not(None) if self.nullable else true()

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        raise site.unsupported(f"{self.name} = <date> is not answered locally; use >= and <")

    def compare(self, op: Operator, operand: Value | FunctionCall, site: Site) -> Cond:
        bound = date_value(operand, site.dates)
        column = self.column
        return {
            Operator.LT: column < bound,
            Operator.LE: column <= bound,
            Operator.GT: column > bound,
            Operator.GE: column >= bound,
        }[op]


class DueDateField(FieldRule):
    """``due``/``duedate``: a calendar date, taken as midnight in the user's zone."""

    name = "duedate"
    operators = FieldRule.operators | RANGE

    def present(self, site: Site) -> Cond:
        return I.duedate.is_not(None)

    def _local(self, operand: Value | FunctionCall, site: Site) -> tuple[Any, bool]:
        wall = site.dates.local(date_value(operand, site.dates))
        midnight = wall.hour == wall.minute == wall.second == wall.microsecond == 0
        return wall.date(), midnight

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        return self.match_dates(values, site)

    def match_dates(self, values: Sequence[Value | FunctionCall], site: Site) -> Cond:
        days = set()
        for value in values:
            day, midnight = self._local(value, site)
            if midnight:
                days.add(day)
        # A moment that is not midnight is never a due date (due dates have no time).
        return value_in(I.duedate, sorted(days)) if days else false()

    def condition(self, op: Operator, operand: Operand | None, site: Site) -> Cond:
        if op in (Operator.EQ, Operator.NE) and isinstance(operand, FunctionCall):
            matched = self.match_dates([operand], site)
        elif op in (Operator.IN, Operator.NOT_IN) and isinstance(operand, ValueList):
            dates = [i for i in operand.items if not isinstance(i, Empty)]
            matched = self.match_dates(dates, site)
            if len(dates) < len(operand.items) and op in POSITIVE:
                return or_(matched, ~self.present(site))
        else:
            return super().condition(op, operand, site)
        if op in POSITIVE:
            return matched
        return and_(self.present(site), ~matched)

    def compare(self, op: Operator, operand: Value | FunctionCall, site: Site) -> Cond:
        day, midnight = self._local(operand, site)
        due = I.duedate
        bound = _date_literal(day)
        if op is Operator.LT:
            return due < bound if midnight else due <= bound
        if op is Operator.LE:
            return due <= bound
        if op is Operator.GT:
            return due > bound
        return due >= bound if midnight else due > bound


def _date_literal(day: Any) -> Col:
    return literal(day, Date())
