"""Safe builders: make queries as trees, so no value can change a query's structure.

A label such as ``x" OR project = "y`` given to ``field_eq`` stays one Value; ``to_jql``
quotes and escapes it. Nothing here formats strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from ticketlens.jql.ast import (
    And,
    Clause,
    CustomField,
    Empty,
    Field,
    FieldRef,
    FunctionCall,
    Not,
    Operand,
    Operator,
    Or,
    OrderItem,
    PropertyField,
    Query,
    Terminal,
    Value,
    ValueList,
)
from ticketlens.jql.errors import JQLBuildError

FieldLike = str | FieldRef
ValueLike = str | Value | FunctionCall
OrderLike = str | FieldRef | OrderItem | tuple[FieldLike, Literal["ASC", "DESC"] | None]


def value(text: str) -> Value:
    """A literal value; ``to_jql`` adds quotes and escapes when Jira needs them."""
    if not isinstance(text, str):
        raise JQLBuildError(f"value() takes a str, not {type(text).__name__}")
    return Value(text)


def field(name: FieldLike) -> FieldRef:
    """A field reference from a name (``"Story Points"`` is one name) or a field node."""
    if isinstance(name, Field | CustomField | PropertyField):
        return name
    if not isinstance(name, str) or not name:
        raise JQLBuildError(f"A field name must be a non-empty str, not {name!r}")
    return Field(name)


def _operand(item: ValueLike | Operand) -> Operand:
    if isinstance(item, str):
        return value(item)
    if isinstance(item, Value | Empty | FunctionCall | ValueList):
        return item
    raise JQLBuildError(f"Expected a str, Value, EMPTY, function or list, not {item!r}")


def field_eq(name: FieldLike, item: ValueLike | Empty) -> Terminal:
    """``name = item``; a str becomes one Value whatever characters it holds."""
    operand = _operand(item)
    if isinstance(operand, ValueList):
        raise JQLBuildError("'=' takes one value: use field_in() for a list")
    return Terminal(field(name), Operator.EQ, operand)


def field_in(name: FieldLike, items: Iterable[ValueLike | Empty]) -> Terminal:
    """``name IN (items…)``. JQL has no empty list, so ``items`` must not be empty."""
    if isinstance(items, str):
        raise JQLBuildError("field_in() takes an iterable of values, not one str")
    operands: list[Value | Empty | FunctionCall] = []
    for item in items:
        operand = _operand(item)
        if isinstance(operand, ValueList):
            operands.extend(operand.items)
        else:
            operands.append(operand)
    if not operands:
        raise JQLBuildError(
            f"field_in({field_name(field(name))!r}, ...) got no values: JQL cannot express "
            "an empty list; leave the clause out instead"
        )
    return Terminal(field(name), Operator.IN, ValueList(tuple(operands)))


def field_name(ref: FieldRef) -> str:
    """A short human name for a field, for messages."""
    if isinstance(ref, Field):
        return ref.name
    if isinstance(ref, CustomField):
        return f"cf[{ref.id}]"
    return f"{ref.entity}.property[{ref.key}]"


def _join(kind: type[And] | type[Or], clauses: tuple[Clause, ...]) -> Clause:
    flat: list[Clause] = []
    for clause in clauses:
        if not isinstance(clause, Terminal | And | Or | Not):
            raise JQLBuildError(f"Expected a clause, not {clause!r}")
        if isinstance(clause, kind):
            flat.extend(clause.clauses)
        else:
            flat.append(clause)
    if not flat:
        raise JQLBuildError(f"{kind.__name__.lower()}_() needs at least one clause")
    if len(flat) == 1:
        return flat[0]
    return kind(tuple(flat))


def and_(*clauses: Clause) -> Clause:
    """All of ``clauses``; one clause is returned as it is, nested ANDs are flattened."""
    return _join(And, clauses)


def or_(*clauses: Clause) -> Clause:
    """Any of ``clauses``; one clause is returned as it is, nested ORs are flattened."""
    return _join(Or, clauses)


def not_(clause: Clause) -> Not:
    """``NOT clause``."""
    if not isinstance(clause, Terminal | And | Or | Not):
        raise JQLBuildError(f"not_() takes a clause, not {clause!r}")
    return Not(clause)


def order_by(*items: OrderLike) -> tuple[OrderItem, ...]:
    """ORDER BY keys: field names, field nodes, OrderItems or ``(field, "ASC"|"DESC")``."""
    result: list[OrderItem] = []
    for item in items:
        if isinstance(item, OrderItem):
            result.append(item)
        elif isinstance(item, tuple):
            name, direction = item
            if direction not in ("ASC", "DESC", None):
                raise JQLBuildError(f"ORDER BY direction must be ASC or DESC, not {direction!r}")
            result.append(OrderItem(field(name), direction))
        else:
            result.append(OrderItem(field(item)))
    return tuple(result)


def query(where: Clause | None, order_by: Iterable[OrderItem] = ()) -> Query:
    """A whole query from a clause (or None) and ORDER BY items."""
    if where is not None and not isinstance(where, Terminal | And | Or | Not):
        raise JQLBuildError(f"query() takes a clause or None, not {where!r}")
    return Query(where, tuple(order_by))
