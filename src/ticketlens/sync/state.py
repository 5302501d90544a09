"""Sync bookkeeping in the database: status per connection, checkpoints, cached project
and component lists, the match values last synced, pages seen and deletion tombstones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ticketlens.catalog.matching import KnownValues, MatchValue
from ticketlens.mirror.tables import mirror_issues
from ticketlens.sync.tables import (
    sync_checkpoints,
    sync_known_values,
    sync_match_values,
    sync_seen,
    sync_state,
    sync_tombstones,
)

_CHUNK = 500


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for UTC values; make them aware again."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the last syncs of one connection did."""

    connection: str
    status: str
    last_kind: str | None
    last_started_at: datetime | None
    last_success_at: datetime | None
    last_full_at: datetime | None
    last_reconcile_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    issues_mirrored: int
    issues_fetched: int
    requests: int
    duration_ms: int
    watermark: datetime | None
    time_zone: str | None
    known_values_at: datetime | None

    def age_seconds(self, at: datetime | None = None) -> float | None:
        """Seconds since the last successful sync, or None if there never was one."""
        if self.last_success_at is None:
            return None
        return ((at or now()) - self.last_success_at).total_seconds()

    def to_json(self) -> dict[str, Any]:
        """JSON-ready, camelCase keys."""

        def iso(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        age = self.age_seconds()
        return {
            "alias": self.connection,
            "status": self.status,
            "lastKind": self.last_kind,
            "lastStartedAt": iso(self.last_started_at),
            "lastSuccessAt": iso(self.last_success_at),
            "lastFullSyncAt": iso(self.last_full_at),
            "lastReconcileAt": iso(self.last_reconcile_at),
            "lastErrorAt": iso(self.last_error_at),
            "lastError": self.last_error,
            "issuesMirrored": self.issues_mirrored,
            "issuesFetched": self.issues_fetched,
            "requests": self.requests,
            "durationMs": self.duration_ms,
            "ageSeconds": None if age is None else round(age, 1),
            "timeZone": self.time_zone,
        }


_DATES = (
    "last_started_at",
    "last_success_at",
    "last_full_at",
    "last_reconcile_at",
    "last_error_at",
    "watermark",
    "known_values_at",
)


def _status(row: RowMapping) -> SyncStatus:
    data = dict(row)
    for name in _DATES:
        data[name] = aware(data[name])
    data.pop("scope_hash", None)
    return SyncStatus(**data)


async def read_status(engine: AsyncEngine, alias: str) -> SyncStatus | None:
    """The sync status of ``alias``, or None before its first sync."""
    async with engine.connect() as conn:
        row = (
            (await conn.execute(select(sync_state).where(sync_state.c.connection == alias)))
            .mappings()
            .first()
        )
    return None if row is None else _status(row)


async def all_statuses(engine: AsyncEngine) -> list[SyncStatus]:
    """Every connection's sync status, by alias."""
    async with engine.connect() as conn:
        rows = (
            (await conn.execute(select(sync_state).order_by(sync_state.c.connection)))
            .mappings()
            .all()
        )
    return [_status(r) for r in rows]


async def write_status(engine: AsyncEngine, alias: str, **values: Any) -> None:
    """Create or update the status row of ``alias`` with ``values``."""
    async with engine.begin() as conn:
        found = (
            await conn.execute(
                select(sync_state.c.connection).where(sync_state.c.connection == alias)
            )
        ).first()
        if found is None:
            row: dict[str, Any] = {
                "connection": alias,
                "status": "idle",
                "issues_mirrored": 0,
                "issues_fetched": 0,
                "requests": 0,
                "duration_ms": 0,
            }
            row.update(values)
            await conn.execute(insert(sync_state).values(**row))
        else:
            await conn.execute(
                update(sync_state).where(sync_state.c.connection == alias).values(**values)
            )


async def scope_hash(engine: AsyncEngine, alias: str) -> str | None:
    """The digest of the scope the last full sync covered."""
    async with engine.connect() as conn:
        return (
            await conn.execute(
                select(sync_state.c.scope_hash).where(sync_state.c.connection == alias)
            )
        ).scalar_one_or_none()


async def mirrored_count(engine: AsyncEngine, alias: str) -> int:
    """How many issues of ``alias`` the mirror holds."""
    async with engine.connect() as conn:
        return int(
            (
                await conn.execute(
                    select(func.count())
                    .select_from(mirror_issues)
                    .where(mirror_issues.c.connection == alias)
                )
            ).scalar_one()
        )


# ---------------------------------------------------------------- checkpoints


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Where a sync of one connection got to; a new run with the same scope resumes here."""

    connection: str
    run_id: str
    kind: str
    scope_hash: str
    since: datetime | None
    chunk_index: int
    pages_done: int
    max_updated: datetime | None
    issues_fetched: int
    requests: int
    started_at: datetime


async def read_checkpoint(engine: AsyncEngine, alias: str) -> Checkpoint | None:
    """The checkpoint a killed sync of ``alias`` left, if any."""
    async with engine.connect() as conn:
        row = (
            (
                await conn.execute(
                    select(sync_checkpoints).where(sync_checkpoints.c.connection == alias)
                )
            )
            .mappings()
            .first()
        )
    if row is None:
        return None
    data = dict(row)
    for name in ("since", "max_updated", "started_at"):
        data[name] = aware(data[name])
    return Checkpoint(**data)


async def save_checkpoint(conn: AsyncConnection, point: Checkpoint) -> None:
    """Write ``point`` (inside the caller's transaction)."""
    values = {
        "run_id": point.run_id,
        "kind": point.kind,
        "scope_hash": point.scope_hash,
        "since": point.since,
        "chunk_index": point.chunk_index,
        "pages_done": point.pages_done,
        "max_updated": point.max_updated,
        "issues_fetched": point.issues_fetched,
        "requests": point.requests,
        "started_at": point.started_at,
    }
    result = await conn.execute(
        update(sync_checkpoints)
        .where(sync_checkpoints.c.connection == point.connection)
        .values(**values)
    )
    if result.rowcount == 0:
        await conn.execute(insert(sync_checkpoints).values(connection=point.connection, **values))


async def clear_run(engine: AsyncEngine, alias: str) -> None:
    """Forget the checkpoint and the seen ids of ``alias``."""
    async with engine.begin() as conn:
        await conn.execute(delete(sync_checkpoints).where(sync_checkpoints.c.connection == alias))
        await conn.execute(delete(sync_seen).where(sync_seen.c.connection == alias))


async def mark_seen(conn: AsyncConnection, alias: str, ids: Iterable[int]) -> None:
    """Record issue ids a full sync has fetched (inside the caller's transaction)."""
    rows = [{"connection": alias, "issue_id": i} for i in sorted(set(ids))]
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    await conn.execute(dialect.insert(sync_seen).on_conflict_do_nothing(), rows)


async def unseen_ids(engine: AsyncEngine, alias: str, before: datetime) -> list[int]:
    """Mirrored issues of ``alias`` a full sync did not see and nothing touched since ``before``."""
    async with engine.connect() as conn:
        seen = select(sync_seen.c.issue_id).where(sync_seen.c.connection == alias)
        rows = await conn.execute(
            select(mirror_issues.c.issue_id).where(
                and_(
                    mirror_issues.c.connection == alias,
                    mirror_issues.c.issue_id.not_in(seen),
                    mirror_issues.c.updated < before,
                )
            )
        )
        return [int(r[0]) for r in rows]


async def stale_ids(
    engine: AsyncEngine, alias: str, present: set[int], before: datetime
) -> list[int]:
    """Mirrored issues of ``alias`` not in ``present`` and not updated since ``before``."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(mirror_issues.c.issue_id, mirror_issues.c.updated).where(
                mirror_issues.c.connection == alias
            )
        )
        return [
            int(issue_id)
            for issue_id, updated in rows
            if int(issue_id) not in present and (aware(updated) or before) < before
        ]


# ---------------------------------------------------------------- known and match values


async def read_known(engine: AsyncEngine, alias: str) -> KnownValues:
    """The cached project and component lists of ``alias`` (None lists before a fetch)."""
    async with engine.connect() as conn:
        fetched = (
            await conn.execute(
                select(sync_state.c.known_values_at).where(sync_state.c.connection == alias)
            )
        ).scalar_one_or_none()
        if fetched is None:
            return KnownValues()
        rows = (
            await conn.execute(
                select(sync_known_values.c.kind, sync_known_values.c.value).where(
                    sync_known_values.c.connection == alias
                )
            )
        ).all()
    projects = [v for k, v in rows if k == "project"]
    components = [v for k, v in rows if k == "component"]
    return KnownValues.of(projects, components)


async def write_known(
    engine: AsyncEngine, alias: str, projects: Iterable[str], components: Iterable[str]
) -> None:
    """Replace the cached lists of ``alias``."""
    rows = [{"connection": alias, "kind": "project", "value": v} for v in sorted(set(projects))]
    rows += [
        {"connection": alias, "kind": "component", "value": v} for v in sorted(set(components))
    ]
    async with engine.begin() as conn:
        await conn.execute(delete(sync_known_values).where(sync_known_values.c.connection == alias))
        if rows:
            await conn.execute(insert(sync_known_values), rows)
    await write_status(engine, alias, known_values_at=now())


async def synced_values(engine: AsyncEngine, alias: str) -> set[MatchValue]:
    """The match values the last sync of ``alias`` covered."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(sync_match_values.c.field, sync_match_values.c.value)
            .where(sync_match_values.c.connection == alias)
            .distinct()
        )
        return {MatchValue(f, v) for f, v in rows}


async def write_match_values(
    engine: AsyncEngine, alias: str, per_entity: Mapping[str, Iterable[MatchValue]]
) -> None:
    """Replace the (entity, field, value) rows of ``alias``: local attribution reads them."""
    rows = [
        {
            "connection": alias,
            "entity_tag": tag,
            "field": item.field,
            "value": item.value,
            "value_fold": item.value.casefold(),
        }
        for tag, values in per_entity.items()
        for item in set(values)
    ]
    async with engine.begin() as conn:
        await conn.execute(delete(sync_match_values).where(sync_match_values.c.connection == alias))
        for start in range(0, len(rows), 2000):
            await conn.execute(insert(sync_match_values), rows[start : start + 2000])


# ---------------------------------------------------------------- tombstones


async def tombstone(engine: AsyncEngine, alias: str, issue_id: int, at: datetime) -> None:
    """Remember that ``issue_id`` was deleted at ``at`` (a later delete moves it forward)."""
    async with engine.begin() as conn:
        held = (
            await conn.execute(
                select(sync_tombstones.c.deleted_at).where(
                    and_(
                        sync_tombstones.c.connection == alias,
                        sync_tombstones.c.issue_id == issue_id,
                    )
                )
            )
        ).scalar_one_or_none()
        if held is None:
            await conn.execute(
                insert(sync_tombstones).values(connection=alias, issue_id=issue_id, deleted_at=at)
            )
        elif aware(held) is not None and at > (aware(held) or at):
            await conn.execute(
                update(sync_tombstones)
                .where(
                    and_(
                        sync_tombstones.c.connection == alias,
                        sync_tombstones.c.issue_id == issue_id,
                    )
                )
                .values(deleted_at=at)
            )


async def deleted_at(engine: AsyncEngine, alias: str, issue_id: int) -> datetime | None:
    """When ``issue_id`` was deleted, if a webhook said so."""
    async with engine.connect() as conn:
        return aware(
            (
                await conn.execute(
                    select(sync_tombstones.c.deleted_at).where(
                        and_(
                            sync_tombstones.c.connection == alias,
                            sync_tombstones.c.issue_id == issue_id,
                        )
                    )
                )
            ).scalar_one_or_none()
        )


async def mirrored_updated(engine: AsyncEngine, alias: str, issue_id: int) -> datetime | None:
    """The ``updated`` time the mirror holds for ``issue_id``."""
    async with engine.connect() as conn:
        return aware(
            (
                await conn.execute(
                    select(mirror_issues.c.updated).where(
                        and_(
                            mirror_issues.c.connection == alias,
                            mirror_issues.c.issue_id == issue_id,
                        )
                    )
                )
            ).scalar_one_or_none()
        )


def batched(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    """``items`` in slices of ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
