"""Writing to the mirror: idempotent upserts and deletes, in large batches.

An upsert is keyed on ``(connection, issue id)``. A row is replaced only when the
incoming ``updated`` is at least the stored one, so webhooks and pages that arrive
late or twice never roll an issue back. The issue's labels, components and fix versions
are replaced as whole sets, and only for the issues whose row was written: the upsert's
``RETURNING`` says which, and its row lock keeps concurrent writers of one issue in step.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import and_, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ticketlens.mirror.bulk import replace_children, sqlite_row, upsert_values
from ticketlens.mirror.model import CATEGORY_BY_KEY, MirrorIssue, MirrorUser, NamedItem
from ticketlens.mirror.tables import (
    CHILD_TABLES,
    mirror_components,
    mirror_fix_versions,
    mirror_issues,
    mirror_labels,
    mirror_priorities,
)
from ticketlens.mirror.words import fold, word_string

log = structlog.get_logger(__name__)

BATCH = 20000
_IN_CHUNK = 500


def _user_values(user: MirrorUser | None) -> tuple[Any, ...]:
    if user is None:
        return (None, None, None, None, None)
    name, display = user.name, user.display_name
    return (
        user.account_id,
        name,
        display,
        None if name is None else name.casefold(),
        None if display is None else display.casefold(),
    )


def issue_values(connection: str, issue: MirrorIssue) -> list[Any]:
    """The ``mirror_issues`` row of ``issue``, in the table's column order."""
    category = CATEGORY_BY_KEY[issue.status_category]
    priority, resolution, parent = issue.priority, issue.resolution, issue.parent_key
    return [
        connection,
        issue.id,
        issue.key,
        issue.key_number,
        issue.project_id,
        issue.project_key.upper(),
        issue.project_name,
        issue.project_name.casefold(),
        issue.issuetype_id,
        issue.issuetype,
        issue.issuetype.casefold(),
        issue.status_id,
        issue.status,
        issue.status.casefold(),
        category.id,
        category.key,
        category.name,
        issue.priority_id,
        priority,
        None if priority is None else priority.casefold(),
        issue.priority_rank,
        issue.resolution_id,
        resolution,
        None if resolution is None else resolution.casefold(),
        *_user_values(issue.assignee),
        *_user_values(issue.reporter),
        issue.created,
        issue.updated,
        issue.resolutiondate,
        issue.duedate,
        issue.summary,
        issue.description,
        word_string(issue.summary),
        word_string(issue.description),
        issue.parent_id,
        parent.upper() if parent else None,
    ]


ISSUE_COLUMNS = [c.name for c in mirror_issues.c]


def issue_row(connection: str, issue: MirrorIssue) -> dict[str, Any]:
    """The ``mirror_issues`` row of ``issue`` as a mapping of column names."""
    return dict(zip(ISSUE_COLUMNS, issue_values(connection, issue), strict=True))


def _distinct(items: tuple[NamedItem, ...]) -> Iterable[NamedItem]:
    """One item per name (the last one wins)."""
    return {i.name: i for i in items}.values() if len(items) > 1 else items


def child_values(connection: str, issue: MirrorIssue) -> tuple[list[tuple[Any, ...]], ...]:
    """The label, component and fix-version rows of ``issue``, in column order."""
    key = issue.id
    found = issue.labels
    labels = [
        (connection, key, label, label.casefold())
        for label in (dict.fromkeys(found) if len(found) > 1 else found)
    ]
    components = [
        (connection, key, item.name, item.name.casefold(), item.id)
        for item in _distinct(issue.components)
    ]
    versions = [
        (connection, key, item.name, item.name.casefold(), item.id)
        for item in _distinct(issue.fix_versions)
    ]
    return labels, components, versions


def child_rows(
    connection: str, issue: MirrorIssue
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The label, component and fix-version rows of ``issue`` as column mappings."""
    labels, components, versions = child_values(connection, issue)
    return (
        [dict(zip(_LABEL_COLUMNS, row, strict=True)) for row in labels],
        [dict(zip(_COMPONENT_COLUMNS, row, strict=True)) for row in components],
        [dict(zip(_VERSION_COLUMNS, row, strict=True)) for row in versions],
    )


_LABEL_COLUMNS = [c.name for c in mirror_labels.c]
_COMPONENT_COLUMNS = [c.name for c in mirror_components.c]
_VERSION_COLUMNS = [c.name for c in mirror_fix_versions.c]


def _insert(conn: AsyncConnection) -> Any:
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def _newest(issues: Iterable[MirrorIssue]) -> list[MirrorIssue]:
    """One issue per id: the one with the newest ``updated`` (the last one on a tie)."""
    chosen: dict[int, MirrorIssue] = {}
    for issue in issues:
        held = chosen.get(issue.id)
        if held is None or issue.updated >= held.updated:
            chosen[issue.id] = issue
    return list(chosen.values())


async def upsert_issues(
    engine: AsyncEngine,
    connection: str,
    issues: Iterable[MirrorIssue],
    *,
    analyze: bool = True,
) -> int:
    """Insert or update ``issues`` of ``connection``; returns how many rows were written.

    Idempotent. An issue whose stored ``updated`` is newer than the incoming one is left
    alone. Large inputs are written in batches of 20,000, each in its own transaction
    (docs/mirror.md says why so large). After 10,000 or more writes the planner's
    statistics are refreshed, unless ``analyze`` is false (a caller loading in several
    calls refreshes once at the end with ``refresh_statistics``).
    """
    written = 0
    # One database connection for every batch: opening one per batch costs SQLite a
    # schema read, and closing the last one checkpoints its write-ahead log.
    async with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        for batch in _batches(issues):
            written += await _write_batch(conn, connection, _prepare(connection, batch, sqlite))
    if analyze and written >= ANALYZE_AFTER:
        await refresh_statistics(engine)
    return written


def _batches(issues: Iterable[MirrorIssue]) -> Iterator[list[MirrorIssue]]:
    batch: list[MirrorIssue] = []
    for issue in issues:
        batch.append(issue)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(slots=True)
class _Prepared:
    """One batch as rows, built before its transaction opens."""

    values: list[list[Any]]  # mirror_issues rows, one per distinct issue id
    children: dict[int, tuple[list[tuple[Any, ...]], ...]]  # issue id -> child rows
    priorities: dict[str, dict[str, Any]]


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while rows are built.

    Building a batch allocates a few dozen tuples, lists and strings per issue and
    creates no reference cycles, yet each allocation burst sets off collections that
    walk every object the process holds: with 100,000 issues in memory they took a third
    of the time. Reference counting still frees everything as usual.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _prepare(connection: str, issues: list[MirrorIssue], sqlite_rows: bool) -> _Prepared:
    with _without_cycle_collection():
        issues = _newest(issues)
        values = [issue_values(connection, issue) for issue in issues]
        if sqlite_rows:
            values = [sqlite_row(row) for row in values]
        priorities: dict[str, dict[str, Any]] = {}
        for issue in issues:
            if issue.priority is not None and issue.priority_rank is not None:
                name_fold = fold(issue.priority)
                priorities[name_fold] = {
                    "connection": connection,
                    "name_fold": name_fold,
                    "name": issue.priority,
                    "priority_id": issue.priority_id,
                    "rank": issue.priority_rank,
                }
        children = {issue.id: child_values(connection, issue) for issue in issues}
        return _Prepared(values, children, priorities)


ANALYZE_AFTER = 10_000


async def refresh_statistics(engine: AsyncEngine) -> None:
    """Refresh the planner's statistics of the mirror tables (after large loads).

    Without them both databases may scan every issue where an index answers: SQLite has
    no statistics until ANALYZE runs, and PostgreSQL's autovacuum lags behind bulk loads.
    """
    names = [t.name for t in (mirror_issues, *CHILD_TABLES)]
    async with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            # A full ANALYZE: a sampled one (analysis_limit) sees only the first
            # connection's rows and misleads the planner into scanning.
            for name in names:
                await conn.exec_driver_sql(f"ANALYZE {name}")
        else:
            await conn.exec_driver_sql(f"ANALYZE {', '.join(names)}")
    log.info("mirror.statistics-refreshed", tables=names)


async def _write_batch(conn: AsyncConnection, connection: str, batch: _Prepared) -> int:
    async with conn.begin():
        written = await upsert_values(conn, connection, batch.values)
        ids = written.ids
        if not ids:
            return 0
        children: dict[str, list[tuple[Any, ...]]] = {t.name: [] for t in CHILD_TABLES}
        for issue_id in sorted(ids):
            for table, rows in zip(CHILD_TABLES, batch.children[issue_id], strict=True):
                children[table.name].extend(rows)
        await replace_children(conn, connection, sorted(written.replaced), children)
        if batch.priorities:
            await _upsert_priorities(conn, list(batch.priorities.values()))
    log.debug("mirror.issues-upserted", connection=connection, written=len(ids))
    return len(ids)


async def _delete_children(conn: AsyncConnection, connection: str, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        for table in CHILD_TABLES:
            await conn.execute(
                delete(table).where(
                    and_(table.c.connection == connection, table.c.issue_id.in_(chunk))
                )
            )


async def _upsert_priorities(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    stmt = _insert(conn)(mirror_priorities)
    stmt = stmt.on_conflict_do_update(
        index_elements=[mirror_priorities.c.connection, mirror_priorities.c.name_fold],
        set_={
            "name": stmt.excluded.name,
            "priority_id": stmt.excluded.priority_id,
            "rank": stmt.excluded.rank,
        },
    )
    await conn.execute(stmt, rows)


async def record_priorities(
    engine: AsyncEngine, connection: str, priorities: Sequence[tuple[str, str | None]]
) -> None:
    """Record a connection's priorities in Jira's order (most important first).

    ``priorities`` is ``(name, id)`` pairs as ``GET /rest/api/2/priority`` lists them.
    ``priority < X`` and ``priority > X`` compare by this rank.
    """
    rows = [
        {
            "connection": connection,
            "name_fold": fold(name),
            "name": name,
            "priority_id": priority_id,
            "rank": rank,
        }
        for rank, (name, priority_id) in enumerate(priorities, start=1)
    ]
    if not rows:
        return
    async with engine.begin() as conn:
        await _upsert_priorities(conn, rows)


async def delete_issues(engine: AsyncEngine, connection: str, ids: Iterable[int | str]) -> int:
    """Delete issues of ``connection`` by Jira id; returns how many existed."""
    wanted = sorted({int(i) for i in ids})
    deleted = 0
    async with engine.begin() as conn:
        await _delete_children(conn, connection, wanted)
        for start in range(0, len(wanted), _IN_CHUNK):
            chunk = wanted[start : start + _IN_CHUNK]
            result = await conn.execute(
                delete(mirror_issues).where(
                    and_(
                        mirror_issues.c.connection == connection,
                        mirror_issues.c.issue_id.in_(chunk),
                    )
                )
            )
            deleted += result.rowcount
    log.debug("mirror.issues-deleted", connection=connection, deleted=deleted)
    return deleted
