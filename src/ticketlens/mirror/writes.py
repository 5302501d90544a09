"""Writing to the mirror: idempotent upserts and deletes, in large batches.

An upsert is keyed on ``(connection, issue id)``. A row is replaced only when the
incoming ``updated`` is at least the stored one, so webhooks and pages that arrive
late or twice never roll an issue back. The issue's labels, components and fix versions
are replaced as whole sets, and only for the issues whose row was written: the upsert's
``RETURNING`` says which, and its row lock keeps concurrent writers of one issue in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import structlog
from sqlalchemy import and_, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ticketlens.mirror.model import CATEGORY_BY_KEY, MirrorIssue, MirrorUser
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

BATCH = 2000
_IN_CHUNK = 500


def _user_row(prefix: str, user: MirrorUser | None) -> dict[str, Any]:
    if user is None:
        return {
            f"{prefix}_account_id": None,
            f"{prefix}_name": None,
            f"{prefix}_display_name": None,
            f"{prefix}_name_fold": None,
            f"{prefix}_display_fold": None,
        }
    return {
        f"{prefix}_account_id": user.account_id,
        f"{prefix}_name": user.name,
        f"{prefix}_display_name": user.display_name,
        f"{prefix}_name_fold": fold(user.name) if user.name is not None else None,
        f"{prefix}_display_fold": (
            fold(user.display_name) if user.display_name is not None else None
        ),
    }


def issue_row(connection: str, issue: MirrorIssue) -> dict[str, Any]:
    """The ``mirror_issues`` row of ``issue``."""
    category = CATEGORY_BY_KEY[issue.status_category]
    row = {
        "connection": connection,
        "issue_id": issue.id,
        "key": issue.key,
        "key_num": issue.key_number,
        "project_id": issue.project_id,
        "project_key": issue.project_key.upper(),
        "project_name": issue.project_name,
        "project_name_fold": fold(issue.project_name),
        "issuetype_id": issue.issuetype_id,
        "issuetype_name": issue.issuetype,
        "issuetype_fold": fold(issue.issuetype),
        "status_id": issue.status_id,
        "status_name": issue.status,
        "status_fold": fold(issue.status),
        "status_category_id": category.id,
        "status_category_key": category.key,
        "status_category_name": category.name,
        "priority_id": issue.priority_id,
        "priority_name": issue.priority,
        "priority_fold": fold(issue.priority) if issue.priority is not None else None,
        "priority_rank": issue.priority_rank,
        "resolution_id": issue.resolution_id,
        "resolution_name": issue.resolution,
        "resolution_fold": fold(issue.resolution) if issue.resolution is not None else None,
        "created": issue.created,
        "updated": issue.updated,
        "resolutiondate": issue.resolutiondate,
        "duedate": issue.duedate,
        "summary": issue.summary,
        "description": issue.description,
        "summary_words": word_string(issue.summary),
        "description_words": word_string(issue.description),
        "parent_id": issue.parent_id,
        "parent_key": issue.parent_key.upper() if issue.parent_key else None,
    }
    row.update(_user_row("assignee", issue.assignee))
    row.update(_user_row("reporter", issue.reporter))
    return row


def child_rows(
    connection: str, issue: MirrorIssue
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The label, component and fix-version rows of ``issue``."""
    labels = [
        {"connection": connection, "issue_id": issue.id, "label": label, "label_fold": fold(label)}
        for label in dict.fromkeys(issue.labels)
    ]
    components = [
        {
            "connection": connection,
            "issue_id": issue.id,
            "name": item.name,
            "name_fold": fold(item.name),
            "component_id": item.id,
        }
        for item in {c.name: c for c in issue.components}.values()
    ]
    versions = [
        {
            "connection": connection,
            "issue_id": issue.id,
            "name": item.name,
            "name_fold": fold(item.name),
            "version_id": item.id,
        }
        for item in {v.name: v for v in issue.fix_versions}.values()
    ]
    return labels, components, versions


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


async def upsert_issues(engine: AsyncEngine, connection: str, issues: Iterable[MirrorIssue]) -> int:
    """Insert or update ``issues`` of ``connection``; returns how many rows were written.

    Idempotent. An issue whose stored ``updated`` is newer than the incoming one is left
    alone. Large inputs are written in batches of 2,000, each in its own transaction.
    """
    batch: list[MirrorIssue] = []
    written = 0
    for issue in issues:
        batch.append(issue)
        if len(batch) >= BATCH:
            written += await _upsert_batch(engine, connection, batch)
            batch = []
    if batch:
        written += await _upsert_batch(engine, connection, batch)
    return written


async def _upsert_batch(engine: AsyncEngine, connection: str, issues: list[MirrorIssue]) -> int:
    issues = _newest(issues)
    rows = [issue_row(connection, issue) for issue in issues]
    async with engine.begin() as conn:
        insert = _insert(conn)
        stmt = insert(mirror_issues)
        changed = {c.name: stmt.excluded[c.name] for c in mirror_issues.c if not c.primary_key}
        stmt = stmt.on_conflict_do_update(
            index_elements=[mirror_issues.c.connection, mirror_issues.c.issue_id],
            set_=changed,
            where=stmt.excluded.updated >= mirror_issues.c.updated,
        ).returning(mirror_issues.c.issue_id)
        result = await conn.execute(stmt, rows)
        ids = {row[0] for row in result.all()}
        if not ids:
            return 0
        await _delete_children(conn, connection, sorted(ids))
        labels: list[dict[str, Any]] = []
        components: list[dict[str, Any]] = []
        versions: list[dict[str, Any]] = []
        priorities: dict[str, dict[str, Any]] = {}
        for issue in issues:
            if issue.id not in ids:
                continue
            more_labels, more_components, more_versions = child_rows(connection, issue)
            labels.extend(more_labels)
            components.extend(more_components)
            versions.extend(more_versions)
            if issue.priority is not None and issue.priority_rank is not None:
                priorities[fold(issue.priority)] = {
                    "connection": connection,
                    "name_fold": fold(issue.priority),
                    "name": issue.priority,
                    "priority_id": issue.priority_id,
                    "rank": issue.priority_rank,
                }
        for table, child in (
            (mirror_labels, labels),
            (mirror_components, components),
            (mirror_fix_versions, versions),
        ):
            if child:
                await conn.execute(table.insert(), child)
        if priorities:
            await _upsert_priorities(conn, list(priorities.values()))
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
