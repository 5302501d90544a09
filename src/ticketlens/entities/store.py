"""Entities in the database: one transaction per import, listing with filters and paging.

Rows keep the entity as JSON (groups, owners, the normalised Jira block) plus a content
hash, so re-importing an unchanged descriptor writes nothing. ``entity_groups`` holds one
row per group for indexed filtering on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, delete, func, insert, select, update
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ticketlens.catalog import Entity, EntitySource, JiraBlock, Owner
from ticketlens.db.tables import entities, entity_groups
from ticketlens.entities.errors import EntityNotFound

# Stay well under SQLite's and PostgreSQL's bound-parameter limits.
_CHUNK = 500


@dataclass(slots=True)
class SaveCounts:
    """Which tags an import created, updated, left unchanged and pruned."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EntityPage:
    """One page of a filtered listing, and how many entities the filter matches."""

    items: list[Entity]
    total: int


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _row_values(entity: Entity, now: datetime) -> dict[str, Any]:
    data = entity.to_json()
    return {
        "tag": entity.tag,
        "name": entity.name,
        "type": entity.type,
        "description": entity.description,
        "groups": data["groups"],
        "owners": data["owners"],
        "jira": data["jira"],
        "source_format": entity.source.format,
        "source_path": entity.source.path,
        "source_line": entity.source.line,
        "content_hash": entity.content_hash(),
        "updated_at": now,
    }


def entity_from_row(row: Row[Any]) -> Entity:
    """Rebuild an Entity from an ``entities`` row."""
    return Entity(
        tag=row.tag,
        name=row.name,
        type=row.type,
        description=row.description,
        groups=tuple(row.groups),
        owners=tuple(Owner.model_validate(owner) for owner in row.owners),
        jira=JiraBlock.model_validate(row.jira),
        source=EntitySource(format=row.source_format, path=row.source_path, line=row.source_line),
    )


async def save_entities(
    conn: AsyncConnection,
    batch: Sequence[Entity],
    *,
    prune: bool = False,
    keep_paths: Iterable[str] = (),
) -> SaveCounts:
    """Upsert ``batch`` inside the caller's transaction.

    With ``prune``, entities not in ``batch`` are deleted, except those read from a path
    in ``keep_paths`` (files that failed to parse keep their last good entities).
    """
    now = datetime.now(UTC)
    counts = SaveCounts()
    wanted = {entity.tag: entity for entity in batch}
    query = select(
        entities.c.tag, entities.c.content_hash, entities.c.source_path, entities.c.source_line
    )
    existing: dict[str, Any] = {}
    if prune:
        existing.update((row.tag, row) for row in await conn.execute(query))
    else:
        for part in _chunks(list(wanted)):
            rows = await conn.execute(query.where(entities.c.tag.in_(part)))
            existing.update((row.tag, row) for row in rows)

    new_rows: list[dict[str, Any]] = []
    group_rows: list[dict[str, str]] = []
    for tag, entity in wanted.items():
        values = _row_values(entity, now)
        old = existing.get(tag)
        if old is None:
            new_rows.append({**values, "created_at": now})
            counts.created.append(tag)
        elif old.content_hash != values["content_hash"]:
            await conn.execute(update(entities).where(entities.c.tag == tag).values(values))
            await conn.execute(delete(entity_groups).where(entity_groups.c.tag == tag))
            counts.updated.append(tag)
        else:
            if (old.source_path, old.source_line) != (entity.source.path, entity.source.line):
                # Moved but not changed: follow the file without counting an update.
                await conn.execute(
                    update(entities)
                    .where(entities.c.tag == tag)
                    .values(source_path=entity.source.path, source_line=entity.source.line)
                )
            counts.unchanged.append(tag)
            continue
        group_rows.extend({"tag": tag, "name": group} for group in entity.groups)
    if new_rows:
        await conn.execute(insert(entities), new_rows)
    if group_rows:
        await conn.execute(insert(entity_groups), group_rows)

    if prune:
        kept = set(keep_paths)
        gone = sorted(
            tag
            for tag, row in existing.items()
            if tag not in wanted and row.source_path not in kept
        )
        for part in _chunks(gone):
            await conn.execute(delete(entity_groups).where(entity_groups.c.tag.in_(part)))
            await conn.execute(delete(entities).where(entities.c.tag.in_(part)))
        counts.pruned = gone
    return counts


def _filtered(query: Select[Any], entity_type: str | None, group: str | None) -> Select[Any]:
    if entity_type is not None:
        query = query.where(entities.c.type == entity_type)
    if group is not None:
        members = select(entity_groups.c.tag).where(entity_groups.c.name == group)
        query = query.where(entities.c.tag.in_(members))
    return query


async def list_entities(
    engine: AsyncEngine,
    *,
    entity_type: str | None = None,
    group: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> EntityPage:
    """Entities by tag, optionally of one type and/or in one group, one page at a time."""
    rows_query = _filtered(select(entities), entity_type, group).order_by(entities.c.tag)
    if limit is not None:
        rows_query = rows_query.limit(limit)
    if offset:
        rows_query = rows_query.offset(offset)
    count_query = _filtered(select(func.count()).select_from(entities), entity_type, group)
    async with engine.connect() as conn:
        items = [entity_from_row(row) for row in await conn.execute(rows_query)]
        total = (await conn.execute(count_query)).scalar_one()
    return EntityPage(items=items, total=int(total))


async def get_entity(engine: AsyncEngine, tag: str) -> Entity:
    """The entity tagged ``tag``; EntityNotFound otherwise."""
    async with engine.connect() as conn:
        row = (await conn.execute(select(entities).where(entities.c.tag == tag))).first()
    if row is None:
        raise EntityNotFound(tag)
    return entity_from_row(row)
