"""Local attribution: which mirrored issue belongs to which entity, and through which value.

Computed by the database from the mirrored labels, components and project and the
match values the last sync recorded (``sync_match_values``), so the number of Jira
requests never depends on the number of entities. Comparison is case-insensitive, as
the mirror compares these fields (see docs/jira-semantics.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, Table, and_, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.mirror.tables import mirror_components, mirror_issues, mirror_labels
from ticketlens.sync.tables import sync_match_values as mv


@dataclass(frozen=True, slots=True)
class Attribution:
    """Issue ``key`` belongs to entity ``tag`` because its ``field`` has ``value``."""

    connection: str
    issue_id: int
    key: str
    tag: str
    field: str
    value: str


def _by_values(
    table: Table, field: str, value: ColumnElement[str], fold: ColumnElement[str]
) -> Select[tuple[str, int, str, str, str]]:
    """Issues whose multi-valued ``field`` (labels, components) holds an entity's value."""
    return select(
        table.c.connection,
        table.c.issue_id,
        mv.c.entity_tag,
        literal(field).label("field"),
        value.label("value"),
    ).join(
        mv,
        and_(
            mv.c.connection == table.c.connection,
            mv.c.field == field,
            mv.c.value_fold == fold,
        ),
    )


def _by_labels() -> Select[tuple[str, int, str, str, str]]:
    return _by_values(mirror_labels, "labels", mirror_labels.c.label, mirror_labels.c.label_fold)


def _by_components() -> Select[tuple[str, int, str, str, str]]:
    return _by_values(
        mirror_components, "component", mirror_components.c.name, mirror_components.c.name_fold
    )


def _by_project() -> Select[tuple[str, int, str, str, str]]:
    return select(
        mirror_issues.c.connection,
        mirror_issues.c.issue_id,
        mv.c.entity_tag,
        literal("project").label("field"),
        mirror_issues.c.project_key.label("value"),
    ).join(
        mv,
        and_(
            mv.c.connection == mirror_issues.c.connection,
            mv.c.field == "project",
            (mv.c.value_fold == func.lower(mirror_issues.c.project_key))
            | (mv.c.value_fold == mirror_issues.c.project_name_fold),
        ),
    )


async def attributions(
    engine: AsyncEngine,
    connection: str,
    *,
    tag: str | None = None,
    issue_ids: Sequence[int] | None = None,
) -> list[Attribution]:
    """Every (issue, entity, value) link on ``connection``, optionally narrowed."""
    parts = union_all(_by_labels(), _by_components(), _by_project()).subquery()
    stmt = (
        select(
            parts.c.connection,
            parts.c.issue_id,
            mirror_issues.c.key,
            parts.c.entity_tag,
            parts.c.field,
            parts.c.value,
        )
        .join(
            mirror_issues,
            and_(
                mirror_issues.c.connection == parts.c.connection,
                mirror_issues.c.issue_id == parts.c.issue_id,
            ),
        )
        .where(parts.c.connection == connection)
    )
    if tag is not None:
        stmt = stmt.where(parts.c.entity_tag == tag)
    if issue_ids is not None:
        stmt = stmt.where(parts.c.issue_id.in_(list(issue_ids)))
    stmt = stmt.order_by(parts.c.entity_tag, mirror_issues.c.key, parts.c.field)
    async with engine.connect() as conn:
        rows = await conn.execute(stmt)
        return [Attribution(r[0], int(r[1]), r[2], r[3], r[4], r[5]) for r in rows]


async def in_scope(engine: AsyncEngine, connection: str, issue_id: int) -> bool:
    """True when some entity's match values reach the mirrored issue ``issue_id``."""
    return bool(await attributions(engine, connection, issue_ids=[issue_id]))
