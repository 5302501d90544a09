"""JQL AST → one SQLAlchemy ``Select`` over the mirror.

``NOT`` is pushed down to the terminal clauses by De Morgan's laws, flipping each
operator (``=``↔``!=``, ``IN``↔``NOT IN``, ``IS``↔``IS NOT``, ``~``↔``!~``, ``<``↔``>=``,
``>``↔``<=``), which is how Jira itself evaluates NOT: ``NOT assignee = bob`` is
``assignee != bob`` and, like it, leaves out unassigned issues.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, or_, select, true, union_all
from sqlalchemy.sql.elements import ColumnElement

from ticketlens.jql import to_jql
from ticketlens.jql.ast import (
    And,
    Clause,
    CustomField,
    Field,
    FieldRef,
    FunctionCall,
    Not,
    Operator,
    Or,
    OrderItem,
    PropertyField,
    Query,
    Terminal,
    ValueList,
)
from ticketlens.mirror.datefields import DateTimeField, DueDateField
from ticketlens.mirror.dates import DateContext
from ticketlens.mirror.errors import UnsupportedJQL
from ticketlens.mirror.fields import (
    FieldRule,
    I,
    IssueKeyField,
    MultiField,
    NamedField,
    ParentField,
    PriorityField,
    ProjectField,
    ResolutionField,
    Site,
    StatusCategoryField,
    UserField,
)
from ticketlens.mirror.sqltext import binary_text
from ticketlens.mirror.tables import (
    mirror_components,
    mirror_fix_versions,
    mirror_issues,
    mirror_labels,
)
from ticketlens.mirror.text import TextField

Cond = ColumnElement[bool]

_NEGATE = {
    Operator.EQ: Operator.NE,
    Operator.NE: Operator.EQ,
    Operator.IN: Operator.NOT_IN,
    Operator.NOT_IN: Operator.IN,
    Operator.IS: Operator.IS_NOT,
    Operator.IS_NOT: Operator.IS,
    Operator.LIKE: Operator.NOT_LIKE,
    Operator.NOT_LIKE: Operator.LIKE,
    Operator.LT: Operator.GE,
    Operator.GE: Operator.LT,
    Operator.GT: Operator.LE,
    Operator.LE: Operator.GT,
}


def _rules() -> dict[str, FieldRule]:
    issuekey = IssueKeyField()
    issuetype = NamedField("issuetype", I.issuetype_fold, I.issuetype_id, nullable=False)
    created = DateTimeField("created", I.created, nullable=False)
    updated = DateTimeField("updated", I.updated, nullable=False)
    resolved = DateTimeField("resolved", I.resolutiondate, nullable=True)
    due = DueDateField()
    component = MultiField("component", mirror_components, "name_fold", "component_id")
    return {
        "project": ProjectField(),
        "key": issuekey,
        "issuekey": issuekey,
        "issue": issuekey,
        "id": issuekey,
        "labels": MultiField("labels", mirror_labels, "label_fold", None),
        "component": component,
        "status": NamedField("status", I.status_fold, I.status_id, nullable=False),
        "statuscategory": StatusCategoryField(),
        "issuetype": issuetype,
        "type": issuetype,
        "priority": PriorityField(),
        "resolution": ResolutionField(),
        "assignee": UserField("assignee", "assignee"),
        "reporter": UserField("reporter", "reporter"),
        "created": created,
        "createddate": created,
        "updated": updated,
        "updateddate": updated,
        "resolved": resolved,
        "resolutiondate": resolved,
        "due": due,
        "duedate": due,
        "summary": TextField("summary", [I.summary_words], nullable=False, negatable=True),
        "description": TextField(
            "description", [I.description_words], nullable=True, negatable=True
        ),
        "text": TextField(
            "text", [I.summary_words, I.description_words], nullable=True, negatable=False
        ),
        "fixversion": MultiField("fixVersion", mirror_fix_versions, "name_fold", "version_id"),
        "parent": ParentField(),
    }


RULES = _rules()


def _field_text(ref: FieldRef) -> str:
    if isinstance(ref, Field):
        return ref.name
    if isinstance(ref, CustomField):
        return f"cf[{ref.id}]"
    return f"{ref.entity}.property[{ref.key}]" + "".join(f".{p}" for p in ref.path)


def _clause_text(clause: Terminal) -> str:
    return to_jql(clause)


def _rule(ref: FieldRef, clause: Terminal) -> FieldRule:
    if isinstance(ref, CustomField | PropertyField):
        raise UnsupportedJQL(
            "custom fields and entity properties are not mirrored",
            _field_text(ref),
            ref.span or clause.span,
        )
    rule = RULES.get(ref.name.lower())
    if rule is None:
        raise UnsupportedJQL(
            f"the field {ref.name!r} is not mirrored", _clause_text(clause), clause.span
        )
    return rule


class _Compiler:
    def __init__(self, connection: str, dates: DateContext) -> None:
        self.connection = connection
        self.dates = dates

    def clause(self, clause: Clause, negated: bool) -> Cond:
        if isinstance(clause, Not):
            return self.clause(clause.clause, not negated)
        if isinstance(clause, And | Or):
            conjunction = isinstance(clause, And) != negated
            if conjunction:
                return and_(*(self.clause(child, negated) for child in clause.clauses))
            return self.disjunction(clause.clauses, negated)
        return self.terminal(clause, negated)

    def disjunction(self, clauses: Sequence[Clause], negated: bool) -> Cond:
        """OR of ``clauses``; the index-friendly ones become one ``issue_id IN (…)``."""
        parts: list[Cond] = []
        sets: list[Select[Any]] = []
        for child in clauses:
            inner, flipped = child, negated
            while isinstance(inner, Not):
                inner, flipped = inner.clause, not flipped
            found = self.id_sets(inner, flipped) if isinstance(inner, Terminal) else []
            if found:
                sets.extend(found)
            else:
                parts.append(self.clause(child, negated))
        if sets:
            parts.append(
                I.issue_id.in_(union_all(*sets)) if len(sets) > 1 else I.issue_id.in_(sets[0])
            )
        return or_(*parts)

    def child_sets(self, clause: Clause, negated: bool) -> list[Select[Any]] | None:
        """``clause`` as id sets over the label, component and fix-version tables whose
        union is its matches, or None when some part of it has no such form."""
        inner, flipped = clause, negated
        while isinstance(inner, Not):
            inner, flipped = inner.clause, not flipped
        if isinstance(inner, Terminal):
            multi = isinstance(inner.field, Field) and isinstance(
                RULES.get(inner.field.name.lower()), MultiField
            )
            return (self.id_sets(inner, flipped) or None) if multi else None
        if isinstance(inner, And | Or) and isinstance(inner, Or) != flipped:
            sets: list[Select[Any]] = []
            for child in inner.clauses:
                found = self.child_sets(child, flipped)
                if found is None:
                    return None
                sets.extend(found)
            return sets
        return None

    def id_sets(self, clause: Terminal, negated: bool) -> list[Select[Any]]:
        if clause.predicates or clause.operator not in _NEGATE:
            return []
        rule = _rule(clause.field, clause)
        op = _NEGATE[clause.operator] if negated else clause.operator
        site = Site(_clause_text(clause), clause.span, self.connection, self.dates)
        return rule.id_sets(op, clause.operand, site)

    def terminal(self, clause: Terminal, negated: bool) -> Cond:
        if clause.predicates or clause.operator in (
            Operator.WAS,
            Operator.WAS_NOT,
            Operator.WAS_IN,
            Operator.WAS_NOT_IN,
            Operator.CHANGED,
        ):
            raise UnsupportedJQL(
                "history searches (WAS, CHANGED) need Jira's change history",
                _clause_text(clause),
                clause.span,
            )
        rule = _rule(clause.field, clause)
        op = _NEGATE[clause.operator] if negated else clause.operator
        site = Site(_clause_text(clause), clause.span, self.connection, self.dates)
        return rule.condition(op, clause.operand, site)


def make_dates(
    tz: ZoneInfo | str, now: datetime | None = None, first_day_of_week: int = 6
) -> DateContext:
    """The date context for ``tz`` (a zone or its IANA name) at ``now`` (default: now)."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return DateContext(tz=zone, now=moment, first_day_of_week=first_day_of_week)


def compile_condition(
    query: Query | Clause | None,
    connection: str,
    *,
    tz: ZoneInfo | str,
    now: datetime | None = None,
    first_day_of_week: int = 6,
) -> Cond:
    """The WHERE condition of ``query`` over ``mirror_issues`` (connection included)."""
    where = query.where if isinstance(query, Query) else query
    own = I.connection == connection
    if where is None:
        return own
    compiler = _Compiler(connection, make_dates(tz, now, first_day_of_week))
    return and_(own, compiler.clause(where, negated=False))


def timeless(query: Query | Clause | None) -> bool:
    """True when the SQL of ``query`` cannot depend on the clock: it compares no date
    field and calls no function. Its compiled form can then be reused."""
    where = query.where if isinstance(query, Query) else query
    stack: list[Clause] = [] if where is None else [where]
    while stack:
        node = stack.pop()
        if isinstance(node, Not):
            stack.append(node.clause)
        elif isinstance(node, And | Or):
            stack.extend(node.clauses)
        else:
            rule = RULES.get(node.field.name.lower()) if isinstance(node.field, Field) else None
            if rule is None or isinstance(rule, DateTimeField | DueDateField):
                return False
            operand = node.operand
            items = operand.items if isinstance(operand, ValueList) else (operand,)
            if any(isinstance(item, FunctionCall) for item in items):
                return False
    return True


def compile_id_sets(
    query: Query | Clause | None,
    connection: str,
    *,
    tz: ZoneInfo | str,
    now: datetime | None = None,
    first_day_of_week: int = 6,
) -> list[Select[Any]] | None:
    """SELECTs over the label, component and fix-version tables alone whose union is
    exactly the issue ids matching ``query``, or None when the query is anything but an
    OR of such clauses. Ids may repeat.

    Counting such a query needs no issue rows: a label, component or fix version row
    exists only while its issue does, which ``upsert_issues`` and ``delete_issues``
    keep true in one transaction.
    """
    where = query.where if isinstance(query, Query) else query
    if where is None:
        return None
    compiler = _Compiler(connection, make_dates(tz, now, first_day_of_week))
    return compiler.child_sets(where, negated=False)


# ---------------------------------------------------------------- ordering


def _null_last(expr: ColumnElement[Any]) -> ColumnElement[int]:
    return case((expr.is_(None), 1), else_=0)


_CATEGORY_ORDER = case(
    (I.status_category_id == 2, 1),
    (I.status_category_id == 4, 2),
    (I.status_category_id == 3, 3),
    else_=0,
)

# Each ORDER BY field → its sort expressions in ascending order (nulls last).
# Expressions over columns that may be NULL get a null flag first (see order_terms).
NULLABLE_ORDER = frozenset(
    {"resolved", "duedate", "resolution", "assignee", "reporter", "priority"}
)


def _order_keys() -> dict[str, list[ColumnElement[Any]]]:
    keys: dict[str, list[ColumnElement[Any]]] = {
        "key": [binary_text(I.project_key), I.key_num],
        "created": [I.created],
        "updated": [I.updated],
        "resolved": [I.resolutiondate],
        "duedate": [I.duedate],
        "summary": [binary_text(I.summary)],
        "project": [binary_text(I.project_name_fold), binary_text(I.project_key)],
        "status": [binary_text(I.status_fold)],
        "statuscategory": [_CATEGORY_ORDER],
        "issuetype": [binary_text(I.issuetype_fold)],
        "resolution": [binary_text(I.resolution_fold)],
        "assignee": [binary_text(I.assignee_display_fold)],
        "reporter": [binary_text(I.reporter_display_fold)],
        # Rank 1 is the most important; Jira's "priority DESC" lists it first.
        "priority": [-I.priority_rank],
    }
    aliases = {
        "issuekey": "key",
        "issue": "key",
        "id": "key",
        "createddate": "created",
        "updateddate": "updated",
        "resolutiondate": "resolved",
        "due": "duedate",
        "type": "issuetype",
    }
    for alias, target in aliases.items():
        keys[alias] = keys[target]
    return keys


ORDER_KEYS = _order_keys()


def _canonical(name: str) -> str:
    """The ORDER BY field an alias stands for."""
    target = ORDER_KEYS[name]
    return next(k for k, v in ORDER_KEYS.items() if v is target)


DEFAULT_ORDER = (OrderItem(Field("key"), "DESC"),)


def order_terms(items: Sequence[OrderItem]) -> list[tuple[ColumnElement[Any], bool]]:
    """``(expression, descending)`` pairs for ``items``, ending in the issue id.

    EMPTY values sort after all others in ascending order and first in descending
    order, as in Jira. The issue id breaks ties, so every ordering is total and
    keyset paging is exact.
    """
    terms: list[tuple[ColumnElement[Any], bool]] = []
    for item in items or DEFAULT_ORDER:
        if not isinstance(item.field, Field) or item.field.name.lower() not in ORDER_KEYS:
            raise UnsupportedJQL(
                "ordering by this field is not evaluated locally",
                f"ORDER BY {_field_text(item.field)}",
                item.span,
            )
        descending = item.direction == "DESC"
        name = item.field.name.lower()
        for expr in ORDER_KEYS[name]:
            if _canonical(name) in NULLABLE_ORDER:
                terms.append((_null_last(expr), descending))
            terms.append((expr, descending))
    terms.append((I.issue_id, False))
    return terms


def compile(
    query: Query | Clause | None,
    connection: str,
    *,
    tz: ZoneInfo | str,
    now: datetime | None = None,
    first_day_of_week: int = 6,
) -> Select[Any]:
    """One SELECT of the matching ``mirror_issues`` rows of ``connection``, ordered.

    ``tz`` is the Jira user's time zone: dates and date functions are evaluated in it.
    ``now`` fixes the clock (tests, reproducible reports). Raises ``UnsupportedJQL``
    for anything outside the mirror's subset, naming the clause and its position.
    """
    condition = compile_condition(
        query, connection, tz=tz, now=now, first_day_of_week=first_day_of_week
    )
    items = query.order_by if isinstance(query, Query) else ()
    order = [expr.desc() if desc else expr.asc() for expr, desc in order_terms(items)]
    return select(mirror_issues).where(condition).order_by(*order)


def always() -> Cond:
    """A condition that holds for every row."""
    return true()
