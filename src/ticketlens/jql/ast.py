"""The JQL abstract syntax tree: immutable, typed, and compared by meaning.

``parse`` builds these nodes, ``to_jql`` prints them, the builders make them from
values, and ``ticketlens.mirror`` compiles them to SQL. Two things are left out of
equality because they do not change what a query means: whether a value was written
in quotes, and where in the source text a node came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field
from enum import StrEnum
from typing import Literal, TypeAlias


@dataclass(frozen=True, slots=True)
class Span:
    """Where a node sits in the source text: 0-based, end exclusive."""

    start: int
    end: int


# ---------------------------------------------------------------- operands


@dataclass(frozen=True, slots=True)
class Value:
    """A literal value such as ``ABC-12``, ``"To Do"`` or ``-7d``."""

    text: str
    quoted: bool = _field(default=False, compare=False)
    span: Span | None = _field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Empty:
    """``EMPTY`` or ``NULL`` (the same thing in JQL)."""

    span: Span | None = _field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class FunctionCall:
    """A function operand such as ``startOfDay(-1d)`` or ``membersOf("jira-users")``."""

    name: str
    args: tuple[str, ...] = ()
    span: Span | None = _field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ValueList:
    """A parenthesised list operand: ``(A, B, startOfDay(), EMPTY)``.

    Nested lists are flattened when parsed: Jira resolves ``(A, (B, C))`` to its values.
    """

    items: tuple[Value | Empty | FunctionCall, ...]
    span: Span | None = _field(default=None, compare=False, repr=False)


Operand: TypeAlias = Value | Empty | FunctionCall | ValueList


# ---------------------------------------------------------------- fields


@dataclass(frozen=True, slots=True)
class Field:
    """A field named by text: ``project``, ``"Story Points"``."""

    name: str
    quoted: bool = _field(default=False, compare=False)
    span: Span | None = _field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class CustomField:
    """A custom field by id: ``cf[10010]``."""

    id: int
    span: Span | None = _field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class PropertyField:
    """An entity property: ``issue.property[support].level``."""

    entity: str
    key: str
    path: tuple[str, ...] = ()
    span: Span | None = _field(default=None, compare=False, repr=False)


FieldRef: TypeAlias = Field | CustomField | PropertyField


# ---------------------------------------------------------------- clauses


class Operator(StrEnum):
    """Every JQL operator; the value is its canonical spelling."""

    EQ = "="
    NE = "!="
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    LIKE = "~"
    NOT_LIKE = "!~"
    IN = "IN"
    NOT_IN = "NOT IN"
    IS = "IS"
    IS_NOT = "IS NOT"
    WAS = "WAS"
    WAS_NOT = "WAS NOT"
    WAS_IN = "WAS IN"
    WAS_NOT_IN = "WAS NOT IN"
    CHANGED = "CHANGED"


HistoryKind: TypeAlias = Literal["AFTER", "BEFORE", "ON", "DURING", "BY", "FROM", "TO"]


@dataclass(frozen=True, slots=True)
class HistoryPredicate:
    """A predicate after WAS or CHANGED, such as ``BEFORE "2024-01-01"``."""

    kind: HistoryKind
    operand: Operand
    span: Span | None = _field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Terminal:
    """``field operator operand [predicates…]``. ``operand`` is None only for CHANGED."""

    field: FieldRef
    operator: Operator
    operand: Operand | None
    predicates: tuple[HistoryPredicate, ...] = ()
    span: Span | None = _field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class And:
    """Two or more clauses joined by AND (flattened: no child is an And)."""

    clauses: tuple[Clause, ...]
    span: Span | None = _field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Or:
    """Two or more clauses joined by OR (flattened: no child is an Or)."""

    clauses: tuple[Clause, ...]
    span: Span | None = _field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Not:
    """NOT clause."""

    clause: Clause
    span: Span | None = _field(default=None, compare=False, repr=False)


Clause: TypeAlias = Terminal | And | Or | Not


# ---------------------------------------------------------------- query


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One ORDER BY key; ``direction`` is None when the query did not say."""

    field: FieldRef
    direction: Literal["ASC", "DESC"] | None = None
    span: Span | None = _field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Query:
    """A whole JQL query: an optional WHERE clause and an optional ORDER BY."""

    where: Clause | None = None
    order_by: tuple[OrderItem, ...] = ()
