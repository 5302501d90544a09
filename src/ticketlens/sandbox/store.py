"""The sandbox's issues: held in memory for rendering, indexed in mirror tables for JQL.

Every write goes to both. JQL is answered by ``ticketlens.mirror`` over the sandbox's own
SQLite file, under the fixed connection string ``sandbox``, so the sandbox and the product
evaluate a query the same way. Answers are cached per query until the next write.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.db.engine import create_engine
from ticketlens.jql.ast import Query
from ticketlens.sandbox.model import (
    ISSUE_TYPE_BY_NAME,
    PRIORITY_BY_NAME,
    RESOLUTION_BY_NAME,
    STATUS_BY_NAME,
    Issue,
    Project,
    User,
)

CONNECTION = "sandbox"
_BATCH = 20_000
_CACHE_SIZE = 64


class IssueStore:
    """Issues by id and key, mirrored into SQLite for JQL evaluation."""

    def __init__(self, database: Path, projects: dict[str, Project], users: dict[str, User]):
        self.database = database
        self.projects = projects
        self.users = users
        self.issues: dict[int, Issue] = {}
        self.by_key: dict[str, int] = {}
        self.version = 0
        self._engine: AsyncEngine | None = None
        self._answers: OrderedDict[tuple[Any, ...], list[int]] = OrderedDict()
        self._values: dict[tuple[str, str], Any] = {}

    @property
    def engine(self) -> AsyncEngine:
        """The engine over the sandbox's SQLite file (after ``open``)."""
        assert self._engine is not None, "IssueStore.open() was not awaited"
        return self._engine

    async def open(self) -> None:
        """Create the mirror's tables (and only those) in a fresh SQLite file."""
        from ticketlens.db.metadata import metadata
        from ticketlens.mirror import tables

        mirror_tables = [tables.mirror_issues, *tables.CHILD_TABLES, tables.mirror_priorities]
        self.database.parent.mkdir(parents=True, exist_ok=True)
        self._engine = create_engine(f"sqlite:///{self.database}")
        async with self._engine.begin() as connection:
            await connection.run_sync(metadata.create_all, tables=mirror_tables)

    async def close(self) -> None:
        """Dispose of the engine."""
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    # ------------------------------------------------------------ writes

    async def put(self, issues: Iterable[Issue]) -> None:
        """Add or replace issues, in batches; statistics are refreshed once at the end."""
        from ticketlens.mirror import refresh_statistics, upsert_issues
        from ticketlens.mirror.writes import ANALYZE_AFTER

        batch: list[Issue] = []
        written = 0

        async def flush() -> None:
            nonlocal batch, written
            mirrored = [self._mirror(i) for i in batch]
            written += await upsert_issues(self.engine, CONNECTION, mirrored, analyze=False)
            self._remember(batch)
            batch = []

        for issue in issues:
            batch.append(issue)
            if len(batch) >= _BATCH:
                await flush()
        if batch:
            await flush()
        if written >= ANALYZE_AFTER:
            await refresh_statistics(self.engine)
        self._changed()

    async def remove(self, issue: Issue) -> None:
        """Delete one issue."""
        from ticketlens.mirror import delete_issues

        await delete_issues(self.engine, CONNECTION, [issue.id])
        self.issues.pop(issue.id, None)
        self.by_key.pop(issue.key, None)
        self._changed()

    async def clear(self) -> None:
        """Delete every issue."""
        from ticketlens.mirror import delete_issues

        ids = list(self.issues)
        for start in range(0, len(ids), _BATCH):
            await delete_issues(self.engine, CONNECTION, ids[start : start + _BATCH])
        self.issues.clear()
        self.by_key.clear()
        self._changed()

    def _remember(self, batch: list[Issue]) -> None:
        for issue in batch:
            old = self.issues.get(issue.id)
            if old is not None and old.key != issue.key:
                self.by_key.pop(old.key, None)
            self.issues[issue.id] = issue
            self.by_key[issue.key] = issue.id

    def _changed(self) -> None:
        self.version += 1
        self._answers.clear()

    # ------------------------------------------------------------ reads

    def find(self, id_or_key: str) -> Issue | None:
        """An issue by numeric id or key (keys are case-insensitive in Jira)."""
        if id_or_key.isdigit():
            return self.issues.get(int(id_or_key))
        issue_id = self.by_key.get(id_or_key.upper())
        return None if issue_id is None else self.issues.get(issue_id)

    async def matching_ids(self, query: Query, time_zone: str, now: datetime) -> list[int]:
        """Ids of the issues ``query`` selects, in its order.

        Answers are cached until the next write, and per minute of ``now`` because JQL dates
        are minute-precision. Raises ``ticketlens.mirror.UnsupportedJQL`` for JQL outside
        the mirror's subset.
        """
        from ticketlens.mirror import search_ids

        minute = now.replace(second=0, microsecond=0)
        cache_key = (query, time_zone, minute)
        cached = self._answers.get(cache_key)
        if cached is not None:
            self._answers.move_to_end(cache_key)
            return cached
        ids = await search_ids(self.engine, CONNECTION, query, tz=time_zone, now=now)
        self._answers[cache_key] = ids
        if len(self._answers) > _CACHE_SIZE:
            self._answers.popitem(last=False)
        return ids

    # ------------------------------------------------------------ mirror rows

    def _mirror(self, issue: Issue) -> Any:
        from ticketlens.mirror import MirrorIssue

        project = self.projects[issue.project]
        status = STATUS_BY_NAME[issue.status.lower()]
        priority = PRIORITY_BY_NAME[issue.priority.lower()]
        resolution = (
            None if issue.resolution is None else RESOLUTION_BY_NAME[issue.resolution.lower()]
        )
        return MirrorIssue(
            id=issue.id,
            key=issue.key,
            project_id=str(project.id),
            project_key=project.key,
            project_name=project.name,
            issuetype=issue.issuetype,
            issuetype_id=str(ISSUE_TYPE_BY_NAME[issue.issuetype.lower()].id),
            status=status.name,
            status_id=str(status.id),
            status_category=status.category.key,
            priority=priority.name,
            priority_id=str(priority.id),
            priority_rank=priority.id,
            resolution=None if resolution is None else resolution.name,
            resolution_id=None if resolution is None else str(resolution.id),
            assignee=self._person(issue.assignee),
            reporter=self._person(issue.reporter),
            created=issue.created,
            updated=issue.updated,
            resolutiondate=issue.resolutiondate,
            duedate=issue.duedate,
            summary=issue.summary,
            description=issue.description,
            labels=issue.labels,
            components=tuple(self._item(project, c, True) for c in issue.components),
            fix_versions=tuple(self._item(project, v, False) for v in issue.fix_versions),
            parent_key=issue.parent,
            parent_id=self.by_key.get(issue.parent) if issue.parent else None,
        )

    def _person(self, name: str | None) -> Any:
        """The mirror's (immutable) user value, built once per user."""
        from ticketlens.mirror import MirrorUser

        user = None if name is None else self.users.get(name)
        if user is None:
            return None
        cached = self._values.get(("user", user.name))
        if cached is None:
            cached = self._values[("user", user.name)] = MirrorUser(
                account_id=user.account_id, name=user.name, display_name=user.display_name
            )
        return cached

    def _item(self, project: Project, name: str, component: bool) -> Any:
        """The mirror's (immutable) component or version value, built once per name."""
        from ticketlens.mirror import NamedItem

        key = ("component" if component else "version", f"{project.key}\n{name}")
        cached = self._values.get(key)
        if cached is None:
            ident = next((str(c.id) for c in project.components if c.name == name), None)
            cached = self._values[key] = NamedItem(name=name, id=ident if component else None)
        return cached
