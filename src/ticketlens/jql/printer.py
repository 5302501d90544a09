"""``to_jql``: the canonical text of a query or clause.

Canonical means: keywords in upper case, single spaces, values quoted only where Jira
requires it (reserved words and characters, spaces, the empty string) with the escapes
Jira reads back, and parentheses only where precedence needs them. ``parse(to_jql(q))
== q`` for every query ``q``. The printer walks the tree with an explicit stack, so a
deep tree cannot exhaust Python's recursion limit.
"""

from __future__ import annotations

from typing import Final

from ticketlens.jql.ast import (
    And,
    Clause,
    CustomField,
    Empty,
    Field,
    FieldRef,
    FunctionCall,
    HistoryPredicate,
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
from ticketlens.jql.lexicon import is_reserved, needs_quotes, quote, word

Printable = Query | Clause | Operand | FieldRef | OrderItem | HistoryPredicate

_PRECEDENCE: Final[dict[type, int]] = {Or: 1, And: 2, Not: 3, Terminal: 4}


def to_jql(node: Printable) -> str:
    """Canonical JQL for a Query, a clause, an operand, a field or an ORDER BY item."""
    if isinstance(node, Query):
        return _query(node)
    if isinstance(node, Terminal | And | Or | Not):
        return _clause(node)
    if isinstance(node, Field | CustomField | PropertyField):
        return field_text(node)
    if isinstance(node, OrderItem):
        return _order_item(node)
    if isinstance(node, HistoryPredicate):
        return f"{node.kind} {operand_text(node.operand)}"
    if isinstance(node, Value | Empty | FunctionCall | ValueList):
        return operand_text(node)
    raise TypeError(f"to_jql() cannot print a {type(node).__name__}")


def _query(query: Query) -> str:
    parts: list[str] = []
    if query.where is not None:
        parts.append(_clause(query.where))
    if query.order_by:
        parts.append("ORDER BY " + ", ".join(_order_item(item) for item in query.order_by))
    return " ".join(parts)


def _order_item(item: OrderItem) -> str:
    text = field_text(item.field)
    return f"{text} {item.direction}" if item.direction else text


def _clause(root: Clause) -> str:
    out: list[str] = []
    # Work items: a clause to print, or literal text to emit.
    stack: list[Clause | str] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Terminal):
            out.append(_terminal(item))
        elif isinstance(item, Not):
            out.append("NOT ")
            _push(stack, item.clause, _PRECEDENCE[Not])
        else:
            joiner = " AND " if isinstance(item, And) else " OR "
            level = _PRECEDENCE[type(item)]
            for index in range(len(item.clauses) - 1, -1, -1):
                # Same-kind children (never produced by parse) keep their brackets.
                _push(stack, item.clauses[index], level + 1)
                if index:
                    stack.append(joiner)
    return "".join(out)


def _push(stack: list[Clause | str], clause: Clause, parent_level: int) -> None:
    """Push ``clause``, in parentheses when it binds more loosely than its parent needs."""
    if _PRECEDENCE[type(clause)] < parent_level:
        stack.append(")")
        stack.append(clause)
        stack.append("(")
    else:
        stack.append(clause)


_SINGLE: Final = (Value, FunctionCall)
_OPERANDS: Final[dict[Operator, tuple[type, ...]]] = {
    Operator.EQ: (*_SINGLE, Empty),
    Operator.NE: (*_SINGLE, Empty),
    Operator.LIKE: (*_SINGLE, Empty),
    Operator.NOT_LIKE: (*_SINGLE, Empty),
    Operator.GT: _SINGLE,
    Operator.GE: _SINGLE,
    Operator.LT: _SINGLE,
    Operator.LE: _SINGLE,
    Operator.IN: (ValueList, FunctionCall),
    Operator.NOT_IN: (ValueList, FunctionCall),
    Operator.IS: (Empty,),
    Operator.IS_NOT: (Empty,),
    Operator.WAS: (*_SINGLE, Empty),
    Operator.WAS_NOT: (*_SINGLE, Empty),
    Operator.WAS_IN: (ValueList, FunctionCall),
    Operator.WAS_NOT_IN: (ValueList, FunctionCall),
    Operator.CHANGED: (type(None),),
}
_WAS_PREDICATES: Final = frozenset({"AFTER", "BEFORE", "ON", "DURING", "BY"})
_PREDICATES: Final[dict[Operator, frozenset[str]]] = {
    Operator.WAS: _WAS_PREDICATES,
    Operator.WAS_NOT: _WAS_PREDICATES,
    Operator.WAS_IN: _WAS_PREDICATES,
    Operator.WAS_NOT_IN: _WAS_PREDICATES,
    Operator.CHANGED: _WAS_PREDICATES | {"FROM", "TO"},
}


def _check(clause: Terminal) -> None:
    """Refuse trees that JQL cannot express, rather than print text Jira would reject."""
    operator = clause.operator
    if not isinstance(clause.operand, _OPERANDS[operator]):
        kinds = " or ".join(
            "no operand" if kind is type(None) else kind.__name__ for kind in _OPERANDS[operator]
        )
        raise JQLBuildError(
            f"{operator.value} takes {kinds}, not {type(clause.operand).__name__} "
            f"(field {field_text(clause.field)})"
        )
    allowed = _PREDICATES.get(operator, frozenset())
    for predicate in clause.predicates:
        if predicate.kind not in allowed:
            raise JQLBuildError(
                f"{operator.value} does not take a {predicate.kind} predicate "
                f"(allowed: {', '.join(sorted(allowed)) or 'none'})"
            )


def _terminal(clause: Terminal) -> str:
    _check(clause)
    text = f"{field_text(clause.field)} {clause.operator.value}"
    if clause.operand is not None:
        text += " " + operand_text(clause.operand)
    for predicate in clause.predicates:
        text += f" {predicate.kind} {operand_text(predicate.operand)}"
    return text


def operand_text(operand: Operand) -> str:
    """Canonical text of one operand."""
    if isinstance(operand, Value):
        return word(operand.text)
    if isinstance(operand, Empty):
        return "EMPTY"
    if isinstance(operand, FunctionCall):
        return f"{word(operand.name)}({', '.join(word(arg) for arg in operand.args)})"
    if not operand.items:
        raise JQLBuildError("An empty list cannot be written in JQL: leave the clause out")
    return "(" + ", ".join(operand_text(item) for item in operand.items) + ")"


def field_text(field: FieldRef) -> str:
    """Canonical text of a field reference."""
    if isinstance(field, Field):
        return word(field.name)
    if isinstance(field, CustomField):
        if field.id < 0:
            raise JQLBuildError(f"A custom field id is a non-negative number, not {field.id}")
        return f"cf[{field.id}]"
    if not field.entity:
        raise JQLBuildError("An entity property needs an entity, as in issue.property[key]")
    entity = field.entity + ".property"
    # The entity is printed bare when only the ".property" dot would ask for quotes.
    bare = not needs_quotes(field.entity) and not is_reserved(entity)
    text = (entity if bare else quote(entity)) + "[" + word(field.key) + "]"
    for segment in field.path:
        text += "." + word(segment)
    return text
