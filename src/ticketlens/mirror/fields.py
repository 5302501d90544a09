"""How each supported JQL field becomes SQL over the mirror tables.

Every field knows two things: when it *matches* a value, and when it is *present*
(not EMPTY). The operators are built from those in ``FieldRule.condition``, so the
EMPTY rules hold for every field alike: ``!=`` and ``NOT IN`` are "present and not
matching", which leaves out EMPTY fields, as Jira documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, false, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from ticketlens.jql.ast import Empty, FunctionCall, Operand, Operator, Span, Value, ValueList
from ticketlens.mirror.dates import DateContext
from ticketlens.mirror.errors import UnsupportedJQL
from ticketlens.mirror.model import DEFAULT_PRIORITY_RANKS, STATUS_CATEGORIES
from ticketlens.mirror.tables import (
    mirror_issues,
    mirror_priorities,
)
from ticketlens.mirror.words import fold

Cond = ColumnElement[bool]
Col = ColumnElement[Any]
I = mirror_issues.c  # noqa: E741 - the issues table's columns, used everywhere below

POSITIVE = {Operator.EQ, Operator.IN}
NEGATIVE = {Operator.NE, Operator.NOT_IN}
RANGE = {Operator.LT, Operator.LE, Operator.GT, Operator.GE}


@dataclass(frozen=True, slots=True)
class Site:
    """Where a clause sits, for error messages, and what it is evaluated against."""

    text: str
    span: Span | None
    connection: str
    dates: DateContext

    def unsupported(self, message: str) -> UnsupportedJQL:
        return UnsupportedJQL(message, self.text, self.span)


def _is(col: Col, value: Any) -> Cond:
    """``col = value`` that is false, never NULL, when ``col`` is NULL."""
    equal: Cond = col == value
    if not _nullable(col):
        return equal
    return and_(col.is_not(None), equal)


def _nullable(col: Col) -> bool:
    # Guards against NULL only where NULL can occur: a guard on a NOT NULL column would
    # keep the planner from using an index for OR-ed terms.
    return bool(getattr(col, "nullable", True))


def _plain(operand: Operand | None) -> bool:
    """A value, or a list of values only (no EMPTY, no function)."""
    if isinstance(operand, Value):
        return True
    return isinstance(operand, ValueList) and all(isinstance(i, Value) for i in operand.items)


def _digits(text: str) -> bool:
    return text.isdigit() and len(text) < 19


class FieldRule:
    """A supported field: override ``match`` and ``present`` (and ``compare``)."""

    name = "field"
    operators: frozenset[Operator] = frozenset(
        {Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN, Operator.IS, Operator.IS_NOT}
    )

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        """True when the field holds any of ``values``; false (never NULL) otherwise."""
        raise NotImplementedError

    def present(self, site: Site) -> Cond:
        """True when the field is not EMPTY."""
        raise NotImplementedError

    def compare(self, op: Operator, operand: Value | FunctionCall, site: Site) -> Cond:
        raise site.unsupported(f"{self.name} does not support {op.value}")

    def id_sets(self, op: Operator, operand: Operand | None, site: Site) -> list[Select[Any]]:
        """Index-friendly SELECTs of issue ids whose union is exactly this clause's
        matches, or ``[]`` when the clause has no such form. ``OR`` of such clauses is
        compiled to one ``issue_id IN (… UNION ALL …)``, which both databases answer
        from indexes instead of scanning every issue."""
        return []

    def condition(self, op: Operator, operand: Operand | None, site: Site) -> Cond:
        """The SQL condition of ``<field> <op> <operand>``."""
        if op not in self.operators:
            raise site.unsupported(f"{self.name} does not support {op.value}")
        if isinstance(operand, Empty):
            if op in (Operator.IS, Operator.EQ):
                return ~self.present(site) if self.nullable else false()
            if op in (Operator.IS_NOT, Operator.NE):
                return self.present(site) if self.nullable else true()
            raise site.unsupported(f"{op.value} EMPTY is not valid JQL")
        if op in (Operator.IS, Operator.IS_NOT):
            raise site.unsupported(f"{op.value} takes only EMPTY or NULL")
        if op in RANGE:
            if not isinstance(operand, (Value, FunctionCall)):
                raise site.unsupported(f"{op.value} takes a single value")
            return self.compare(op, operand, site)
        with_empty = isinstance(operand, ValueList) and any(
            isinstance(item, Empty) for item in operand.items
        )
        values = self.values(op, operand, site)
        if op not in POSITIVE:
            # ``!=`` and ``NOT IN`` (with or without EMPTY in the list) leave EMPTY out.
            excluded = self.excludes(values, site) if values else true()
            return and_(self.present(site), excluded)
        matched = self.match(values, site) if values else false()
        if with_empty and self.nullable:
            # ``IN (EMPTY, a)`` also takes EMPTY fields.
            return or_(matched, ~self.present(site))
        return matched

    def excludes(self, values: Sequence[Value], site: Site) -> Cond:
        """True when the field holds none of ``values`` (the field is known present)."""
        return ~self.match(values, site)

    nullable = True

    def values(self, op: Operator, operand: Operand | None, site: Site) -> list[Value]:
        if op in (Operator.EQ, Operator.NE):
            if not isinstance(operand, Value):
                raise self._operand_error(op, operand, site)
            return [operand]
        if not isinstance(operand, ValueList):
            raise site.unsupported(f"{op.value} takes a list such as (A, B)")
        found: list[Value] = []
        for item in operand.items:
            if isinstance(item, Empty):
                continue
            if not isinstance(item, Value):
                raise self._operand_error(op, item, site)
            found.append(item)
        return found

    def _operand_error(self, op: Operator, operand: object, site: Site) -> UnsupportedJQL:
        if isinstance(operand, FunctionCall):
            return site.unsupported(f"function {operand.name}() is not evaluated locally")
        return site.unsupported(f"{self.name} {op.value} takes a single value")


# ---------------------------------------------------------------- single-valued fields


class NamedField(FieldRule):
    """A single-valued field compared by name (any case) or by id."""

    def __init__(self, name: str, fold_col: Col, id_col: Col | None, nullable: bool) -> None:
        self.name = name
        self.fold_col = fold_col
        self.id_col = id_col
        self.nullable = nullable

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        names = sorted({fold(v.text) for v in values})
        ids = sorted({v.text for v in values if _digits(v.text)})
        parts: list[Cond] = [value_in(self.fold_col, names)]
        if self.id_col is not None and ids:
            parts.append(value_in(self.id_col, ids))
        return or_(*parts)

    def present(self, site: Site) -> Cond:
        return self.fold_col.is_not(None) if self.nullable else true()


def value_in(col: Col, values: Sequence[Any]) -> Cond:
    """``col IN values`` that is false, never NULL, when ``col`` is NULL."""
    if len(values) == 1:
        return _is(col, values[0])
    if not _nullable(col):
        return col.in_(values)
    return and_(col.is_not(None), col.in_(values))


class ProjectField(FieldRule):
    """``project``: the key (any case), the name (any case) or the id."""

    name = "project"
    nullable = False

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        keys = sorted({v.text.upper() for v in values})
        names = sorted({fold(v.text) for v in values})
        ids = sorted({v.text for v in values if _digits(v.text)})
        parts = [value_in(I.project_key, keys), value_in(I.project_name_fold, names)]
        if ids:
            parts.append(value_in(I.project_id, ids))
        return or_(*parts)

    def present(self, site: Site) -> Cond:
        return true()

    def id_sets(self, op: Operator, operand: Operand | None, site: Site) -> list[Select[Any]]:
        if op not in POSITIVE or not _plain(operand):
            return []
        values = self.values(op, operand, site)
        keys = sorted({v.text.upper() for v in values})
        names = sorted({fold(v.text) for v in values})
        ids = sorted({v.text for v in values if _digits(v.text)})
        arms = [
            _arm(site, value_in(_P.project_key, keys)),
            _arm(site, value_in(_P.project_name_fold, names)),
        ]
        if ids:
            arms.append(_arm(site, value_in(_P.project_id, ids)))
        return arms


_P = mirror_issues.alias("by_project").c


def _arm(site: Site, wanted: Cond) -> Select[Any]:
    return select(_P.issue_id).where(_P.connection == site.connection, wanted)


class IssueKeyField(FieldRule):
    """``key``/``issuekey``/``id``: an issue key (any case) or a numeric issue id."""

    name = "issuekey"
    nullable = False
    operators = FieldRule.operators | RANGE

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        keys = sorted({v.text.upper() for v in values if not _digits(v.text)})
        ids = sorted({int(v.text) for v in values if _digits(v.text)})
        parts: list[Cond] = []
        if keys:
            parts.append(value_in(I.key, keys))
        if ids:
            parts.append(value_in(I.issue_id, ids))
        return or_(*parts) if parts else false()

    def present(self, site: Site) -> Cond:
        return true()

    def compare(self, op: Operator, operand: Value | FunctionCall, site: Site) -> Cond:
        if not isinstance(operand, Value):
            raise site.unsupported("issue keys compare only with a key such as ABC-12")
        project, sep, number = operand.text.upper().rpartition("-")
        if not sep or not project or not number.isdigit():
            raise site.unsupported("issue keys compare only with a key such as ABC-12")
        # Jira compares keys within the key's project, by issue number.
        column = I.key_num
        bound = int(number)
        ordered = {
            Operator.LT: column < bound,
            Operator.LE: column <= bound,
            Operator.GT: column > bound,
            Operator.GE: column >= bound,
        }[op]
        return and_(I.project_key == project, ordered)


class StatusCategoryField(FieldRule):
    """``statusCategory``: name, key or id of Jira's fixed categories."""

    name = "statusCategory"
    nullable = False

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        ids: set[int] = set()
        for value in values:
            wanted = fold(value.text)
            for category in STATUS_CATEGORIES:
                if wanted in (fold(category.name), category.key, str(category.id)):
                    ids.add(category.id)
                    break
            else:
                raise site.unsupported(
                    f"the value {value.text!r} does not exist for the field 'statusCategory'"
                )
        return value_in(I.status_category_id, sorted(ids))

    def present(self, site: Site) -> Cond:
        return true()


class ResolutionField(NamedField):
    """``resolution``; the value ``Unresolved`` means EMPTY, as in Jira."""

    def __init__(self) -> None:
        super().__init__("resolution", I.resolution_fold, I.resolution_id, nullable=True)

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        base = super().match(values, site)
        if any(fold(v.text) == "unresolved" for v in values):
            return or_(base, I.resolution_fold.is_(None))
        return base


class PriorityField(NamedField):
    """``priority``; ``<`` and ``>`` compare by rank (``>`` means more important)."""

    operators = FieldRule.operators | RANGE

    def __init__(self) -> None:
        super().__init__("priority", I.priority_fold, I.priority_id, nullable=True)

    def compare(self, op: Operator, operand: Value | FunctionCall, site: Site) -> Cond:
        if not isinstance(operand, Value):
            raise site.unsupported(f"function {operand.name}() is not evaluated locally")
        wanted = fold(operand.text)
        recorded = (
            select(mirror_priorities.c.rank)
            .where(
                mirror_priorities.c.connection == site.connection,
                or_(
                    mirror_priorities.c.name_fold == wanted,
                    _is(mirror_priorities.c.priority_id, operand.text),
                ),
            )
            .order_by(mirror_priorities.c.rank)
            .limit(1)
            .scalar_subquery()
        )
        default = DEFAULT_PRIORITY_RANKS.get(wanted)
        bound: Col = recorded if default is None else _coalesce(recorded, default)
        rank = I.priority_rank
        # Rank 1 is the most important, so "greater" priority means a smaller rank.
        ordered = {
            Operator.GT: rank < bound,
            Operator.GE: rank <= bound,
            Operator.LT: rank > bound,
            Operator.LE: rank >= bound,
        }[op]
        return and_(rank.is_not(None), bound.is_not(None), ordered)


def _coalesce(expr: Col, default: int) -> Col:
    from sqlalchemy import func

    return func.coalesce(expr, default)


class UserField(FieldRule):
    """``assignee``/``reporter``: account id, user name or display name (any case)."""

    def __init__(self, name: str, prefix: str) -> None:
        self.name = name
        self.account = mirror_issues.c[f"{prefix}_account_id"]
        self.user = mirror_issues.c[f"{prefix}_name_fold"]
        self.display = mirror_issues.c[f"{prefix}_display_fold"]

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        raw = sorted({v.text for v in values})
        folded = sorted({fold(v.text) for v in values})
        return or_(
            value_in(self.account, raw), value_in(self.user, folded), value_in(self.display, folded)
        )

    def present(self, site: Site) -> Cond:
        return or_(self.account.is_not(None), self.user.is_not(None), self.display.is_not(None))


class ParentField(FieldRule):
    """``parent``: the parent's key (any case) or id."""

    name = "parent"

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        keys = sorted({v.text.upper() for v in values if not _digits(v.text)})
        ids = sorted({int(v.text) for v in values if _digits(v.text)})
        parts: list[Cond] = []
        if keys:
            parts.append(value_in(I.parent_key, keys))
        if ids:
            parts.append(value_in(I.parent_id, ids))
        return or_(*parts) if parts else false()

    def present(self, site: Site) -> Cond:
        return or_(I.parent_key.is_not(None), I.parent_id.is_not(None))


# ---------------------------------------------------------------- multi-valued fields


class MultiField(FieldRule):
    """A multi-valued field in its own table: ``labels``, ``component``, ``fixVersion``.

    ``= x`` means "has x"; ``!= x`` means "has values, and x is not one of them", so an
    issue labelled both x and y is left out of ``labels != x``.
    """

    def __init__(self, name: str, table: Any, fold_col: str, id_col: str | None) -> None:
        self.name = name
        self.table = table
        self.fold_col = table.c[fold_col]
        self.id_col = table.c[id_col] if id_col else None

    def _ids(self, site: Site, wanted: Cond | None = None) -> Select[Any]:
        query = select(self.table.c.issue_id).where(self.table.c.connection == site.connection)
        return query if wanted is None else query.where(wanted)

    def _wanted(self, values: Sequence[Value]) -> Cond:
        names = sorted({fold(v.text) for v in values})
        ids = sorted({v.text for v in values if _digits(v.text)})
        wanted: Cond = value_in(self.fold_col, names)
        if self.id_col is not None and ids:
            wanted = or_(wanted, value_in(self.id_col, ids))
        return wanted

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        # IN (subquery) rather than EXISTS: both databases turn it into an index lookup
        # on the value, then a primary-key lookup per issue.
        return I.issue_id.in_(self._ids(site, self._wanted(values)))

    def present(self, site: Site) -> Cond:
        # Correlated EXISTS, not IN: for negations both databases then probe the primary
        # key per issue instead of materialising every labelled issue first.
        # Selecting the key column (not *) lets both answer from the index alone.
        return select(self.table.c.issue_id).where(self._owned(site)).exists()

    def excludes(self, values: Sequence[Value], site: Site) -> Cond:
        return (
            ~select(self.table.c.issue_id).where(self._owned(site), self._wanted(values)).exists()
        )

    def _owned(self, site: Site) -> Cond:
        return and_(
            self.table.c.connection == site.connection,
            self.table.c.issue_id == I.issue_id,
        )

    def id_sets(self, op: Operator, operand: Operand | None, site: Site) -> list[Select[Any]]:
        if not _plain(operand):
            return []
        values = self.values(op, operand, site)
        if op in POSITIVE:
            return [self._ids(site, self._wanted(values))]
        if op in NEGATIVE and values:
            # "Has values, none of them wanted" (an id may repeat, once per value).
            unwanted = self._ids(site, self._wanted(values))
            return [self._ids(site, self.table.c.issue_id.not_in(unwanted))]
        return []
