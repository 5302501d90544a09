"""Full, incremental and reconcile syncs of one Jira connection into the mirror.

- **Full:** every chunk of the scope, page by page, into the mirror; afterwards every
  mirrored issue the run did not see (and nothing touched since it started) is removed.
- **Incremental:** the same chunks with ``updated >= <watermark - overlap>``, the date
  written in the Jira user's time zone. Match values new since the last sync are fetched
  in full first; if values went away, a reconcile follows.
- **Reconcile:** ids only, over the whole scope; removes issues deleted in Jira and
  issues that left the scope (a label removed, Done for more than 180 days).

When a chunk completes, a checkpoint is written in the same transaction as the ids it
brought, so a killed sync resumes at its first unfinished chunk and ends with the mirror
equal to Jira. Pages are upserted idempotently, so a page fetched twice is harmless.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import AsyncAdaptedQueuePool, NullPool

from ticketlens.catalog.matching import (
    ConnectionInfo,
    EntityLike,
    MatchingError,
    MatchValue,
    match_entity,
)
from ticketlens.db.engine import create_engine
from ticketlens.jira import JiraClient, JiraError, RateLimited, RequestError, ServerError
from ticketlens.jql import Clause, Query
from ticketlens.mirror import MirrorIssue, delete_issues, issue_from_jira, upsert_issues
from ticketlens.sync import lease, state
from ticketlens.sync.errors import SyncError, SyncRunning
from ticketlens.sync.requests import RequestCounter
from ticketlens.sync.scope import (
    ID_FIELDS,
    ISSUE_FIELDS,
    Scope,
    build_scope,
    updated_since,
    zone,
)

log = structlog.get_logger("ticketlens.sync")

WRITE_BATCH = 5000
WRITE_EVERY = 1.0
"""Fetched issues go to the mirror in one transaction per ``WRITE_BATCH`` issues, or
sooner once ``WRITE_EVERY`` seconds passed since the last write (slow Jiras still fill
the mirror steadily), and always when a chunk completes."""

Mode = Literal["auto", "full", "incremental", "reconcile"]
ProgressHook = Callable[[str, int, int, int], None]
"""``(phase, chunks_done, chunks_total, issues_fetched)``."""


@dataclass(frozen=True, slots=True)
class SyncOptions:
    """Tunables of a sync, from ``Settings``."""

    max_jql_length: int = 12000
    max_values_per_chunk: int = 1000
    overlap: timedelta = timedelta(minutes=5)
    known_values_ttl: timedelta = timedelta(hours=1)
    reconcile_interval: timedelta = timedelta(hours=6)
    attempts: int = 3
    retry_delay: float = 1.0
    lease_ttl: float = 120.0


@dataclass(slots=True)
class SyncTarget:
    """One connection to sync: its settings and open clients.

    ``id_client`` serves ids-only searches with bigger pages (Cloud grants up to 5,000
    per page for ``id`` alone); it defaults to ``client``.
    """

    alias: str
    client: JiraClient
    mirror_scope: str | None = None
    id_client: JiraClient | None = None


@dataclass(slots=True)
class SyncReport:
    """What one sync run did."""

    alias: str
    kind: str
    issues_fetched: int = 0
    issues_deleted: int = 0
    issues_mirrored: int = 0
    requests: int = 0
    chunks: int = 0
    duration_ms: int = 0
    resumed: bool = False
    error: str | None = None
    problems: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready, camelCase keys."""
        return {
            "alias": self.alias,
            "kind": self.kind,
            "issuesFetched": self.issues_fetched,
            "issuesDeleted": self.issues_deleted,
            "issuesMirrored": self.issues_mirrored,
            "requests": self.requests,
            "chunks": self.chunks,
            "durationMs": self.duration_ms,
            "resumed": self.resumed,
            "error": self.error,
            "problems": self.problems,
            "leftOut": self.left_out,
        }


async def refresh_known_values(engine: AsyncEngine, target: SyncTarget) -> None:
    """Fetch the connection's projects and components into the cache."""
    projects = await target.client.projects()
    names: list[str] = []
    components: list[str] = []
    for project in projects:
        names.extend(n for n in (project.key, project.name, project.id) if n)
        components.extend(c.name for c in await target.client.components(project.key))
    await state.write_known(engine, target.alias, names, components)


async def connection_infos(
    engine: AsyncEngine, connections: Sequence[ConnectionInfo]
) -> list[ConnectionInfo]:
    """``connections`` with their cached project and component lists filled in."""
    return [replace(c, known=await state.read_known(engine, c.alias)) for c in connections]


def values_per_entity(
    alias: str,
    entities: Sequence[EntityLike],
    infos: Sequence[ConnectionInfo],
    report: SyncReport | None = None,
) -> dict[str, set[MatchValue]]:
    """Each entity's match values on connection ``alias``."""
    per_entity: dict[str, set[MatchValue]] = {}
    for entity in entities:
        match = match_entity(entity, infos)
        if report is not None:
            report.problems.extend(f"{p.tag}: {p.message}" for p in match.problems)
        on = match.on(alias)
        if on is None:
            continue
        if report is not None:
            report.left_out.extend(
                f"{entity.tag}: {lo.field} {lo.value!r}: {lo.reason}" for lo in on.left_out
            )
        if on.values:
            per_entity[entity.tag] = set(on.values)
    return per_entity


def _pooled(engine: AsyncEngine) -> tuple[AsyncEngine, bool]:
    """For an embedded SQLite engine without a pool, one that keeps its connection.

    Opening an aiosqlite connection costs tens of milliseconds (a thread and the WAL
    pragmas); a sync writes a page at a time, so it holds one for the whole run.
    """
    if engine.dialect.name != "sqlite" or not isinstance(engine.pool, NullPool):
        return engine, False
    url = engine.url.render_as_string(hide_password=False)
    return create_engine(url, poolclass=AsyncAdaptedQueuePool, pool_size=1, max_overflow=2), True


class ConnectionSync:
    """One sync run of one connection."""

    def __init__(
        self,
        engine: AsyncEngine,
        target: SyncTarget,
        entities: Sequence[EntityLike],
        connections: Sequence[ConnectionInfo],
        options: SyncOptions,
        progress: ProgressHook | None = None,
    ) -> None:
        self.engine = engine
        self.target = target
        self.entities = entities
        self.connections = connections
        self.options = options
        self.progress = progress or (lambda *_: None)
        self.alias = target.alias
        self.report = SyncReport(alias=target.alias, kind="full")
        self.counter = RequestCounter(
            [target.client] + ([target.id_client] if target.id_client else [])
        )
        self.max_updated: datetime | None = None

    async def run(self, mode: Mode = "auto") -> SyncReport:
        """Run the sync; failures are recorded in the status and re-raised as SyncError.

        Holds the connection's lease throughout (``ticketlens.sync.lease``): when another
        process is syncing the connection, this raises ``SyncRunning`` and does nothing.
        """
        given = self.engine
        self.engine, own = _pooled(given)
        try:
            async with lease.held(self.engine, self.alias, self.options.lease_ttl):
                return await self._run_and_record(mode)
        except SyncRunning as exc:
            self.report.error = str(exc)
            log.warning("sync.skipped", connection=self.alias, reason=str(exc))
            raise
        finally:
            if own:
                await self.engine.dispose()
            self.engine = given

    async def _run_and_record(self, mode: Mode) -> SyncReport:
        started = time.perf_counter()
        begun = state.now()
        await state.write_status(self.engine, self.alias, status="running", last_started_at=begun)
        log.info("sync.started", connection=self.alias, mode=mode)
        try:
            await self._run(mode, begun)
        except (JiraError, SyncError, MatchingError) as exc:
            self.report.error = str(exc)
            self.report.requests += self.counter.count
            await state.write_status(
                self.engine,
                self.alias,
                status="failed",
                last_error=str(exc),
                last_error_at=state.now(),
                requests=self.report.requests,
                duration_ms=int((time.perf_counter() - started) * 1000),
            )
            log.warning("sync.failed", connection=self.alias, error=str(exc))
            raise SyncError(f"sync of connection {self.alias!r} failed: {exc}") from exc
        finally:
            self.counter.close()
        self.report.requests += self.counter.count
        self.report.duration_ms = int((time.perf_counter() - started) * 1000)
        self.report.issues_mirrored = await state.mirrored_count(self.engine, self.alias)
        await state.write_status(
            self.engine,
            self.alias,
            status="ok",
            last_kind=self.report.kind,
            last_success_at=state.now(),
            last_error=None,
            issues_mirrored=self.report.issues_mirrored,
            issues_fetched=self.report.issues_fetched,
            requests=self.report.requests,
            duration_ms=self.report.duration_ms,
        )
        log.info(
            "sync.finished",
            connection=self.alias,
            kind=self.report.kind,
            fetched=self.report.issues_fetched,
            deleted=self.report.issues_deleted,
            mirrored=self.report.issues_mirrored,
            requests=self.report.requests,
            duration_ms=self.report.duration_ms,
            resumed=self.report.resumed,
            left_out=len(self.report.left_out),
            problems=len(self.report.problems),
        )
        return self.report

    # ------------------------------------------------------------------ planning

    async def _run(self, mode: Mode, begun: datetime) -> None:
        status = await state.read_status(self.engine, self.alias)
        tz_name = status.time_zone if status else None
        if tz_name is None or mode == "full":
            tz_name = (await self.target.client.myself()).time_zone or "UTC"
            await state.write_status(self.engine, self.alias, time_zone=tz_name)
        known_at = status.known_values_at if status else None
        if mode == "full" or known_at is None or begun - known_at > self.options.known_values_ttl:
            await self._again("known values", self._refresh_known)
        infos = await connection_infos(self.engine, self.connections)
        per_entity = values_per_entity(self.alias, self.entities, infos, self.report)
        union = {v for values in per_entity.values() for v in values}
        scope = self._scope(union)  # as few queries as the limits allow
        wide = self._scope(union, self._streams())  # a full sync's: one per stream
        digest = scope.digest()
        digests = {"incremental": digest, "full": wide.digest()}
        point = await state.read_checkpoint(self.engine, self.alias)
        if point is not None and (point.scope_hash != digests[point.kind] or mode == "reconcile"):
            await state.clear_run(self.engine, self.alias)
            point = None
        if mode == "reconcile":
            self.report.kind = "reconcile"
            await self._reconcile(scope, begun)
            return
        if point is not None:
            self.report.resumed = True
            log.info(
                "sync.resumed", connection=self.alias, kind=point.kind, chunk=point.chunk_index
            )
        watermark = status.watermark if status else None
        full = mode == "full" or watermark is None or status is None or not status.last_full_at
        if point is not None:
            full = point.kind == "full"
        if full:
            self.report.kind = "full"
            started = point.started_at if point is not None else begun
            await self._full(wide, digests["full"], point, begun)
            if point is not None:
                # Resumed: pages fetched before the kill may have changed or gone since.
                catch_up = updated_since(started, self.options.overlap, zone(tz_name))
                await self._fetch(scope, digest, "catch-up", catch_up, None, begun)
                await self._reconcile(scope, begun)
            await state.write_match_values(self.engine, self.alias, per_entity)
            await state.write_status(
                self.engine,
                self.alias,
                scope_hash=digest,
                watermark=self._watermark(watermark, started),
                last_full_at=state.now(),
                last_reconcile_at=state.now(),
            )
            return
        assert watermark is not None and status is not None
        self.report.kind = "incremental"
        previous = await state.synced_values(self.engine, self.alias)
        added = union - previous
        if added and point is None:
            await self._fetch(self._scope(added), digest, "backfill", None, None, begun)
        since = point.since if point is not None and point.since else watermark
        since_clause = updated_since(since, self.options.overlap, zone(tz_name))
        await self._fetch(scope, digest, "incremental", since_clause, point, begun, since=since)
        await state.write_match_values(self.engine, self.alias, per_entity)
        await state.clear_run(self.engine, self.alias)
        await state.write_status(
            self.engine,
            self.alias,
            scope_hash=digest,
            watermark=self._watermark(watermark, point.started_at if point else begun),
        )
        due = status.last_reconcile_at is None or (
            begun - status.last_reconcile_at > self.options.reconcile_interval
        )
        if previous - union or due:
            await self._reconcile(scope, begun)

    async def _refresh_known(self) -> None:
        await refresh_known_values(self.engine, self.target)

    def _watermark(self, previous: datetime | None, started: datetime) -> datetime | None:
        """The newest ``updated`` seen, but never past the run's start: an issue edited
        after its page was fetched must still be caught by the next incremental sync."""
        seen = self.max_updated if self.max_updated is not None else previous
        if seen is None:
            return previous
        bounded = min(seen, started)
        return bounded if previous is None else max(previous, bounded)

    def _scope(self, values: set[MatchValue], min_chunks: int = 1) -> Scope:
        return build_scope(
            self.alias,
            values,
            self.target.mirror_scope,
            max_length=self.options.max_jql_length,
            max_values=self.options.max_values_per_chunk,
            min_chunks=min_chunks,
        )

    def _streams(self) -> int:
        """Chunks fetched at once. Cloud pages a search by token, one page after the
        other, so a chunk is one stream and a full sync cuts its scope into
        ``concurrency`` chunks at least; Data Center pages one search concurrently by
        offset. Incremental syncs bring few issues and keep to the fewest chunks."""
        config = self.target.client.config
        return max(1, config.concurrency) if config.flavor == "cloud" else 1

    # ------------------------------------------------------------------ phases

    async def _full(
        self, scope: Scope, digest: str, point: state.Checkpoint | None, begun: datetime
    ) -> None:
        if point is None:
            await state.clear_run(self.engine, self.alias)
        started_at = point.started_at if point is not None else begun
        await self._fetch(scope, digest, "full", None, point, started_at, mark=True)
        stale = await state.unseen_ids(self.engine, self.alias, started_at)
        if stale:
            self.report.issues_deleted += await delete_issues(self.engine, self.alias, stale)
        await state.clear_run(self.engine, self.alias)

    async def _again(self, what: str, action: Callable[[], Awaitable[None]]) -> None:
        """Run ``action``, again after transient failures the client gave up on.

        Pages are upserted idempotently, so repeating a chunk from its start is safe.
        """
        for attempt in range(1, self.options.attempts + 1):
            try:
                await action()
                return
            except (RequestError, ServerError, RateLimited) as exc:
                if attempt == self.options.attempts:
                    raise
                log.warning(
                    "sync.retrying",
                    connection=self.alias,
                    step=what,
                    attempt=attempt,
                    error=str(exc),
                )
                await asyncio.sleep(self.options.retry_delay * attempt)

    def _checkpoint(self, plan: _Plan, chunk: int, pages: int) -> state.Checkpoint:
        return state.Checkpoint(
            connection=self.alias,
            run_id=plan.run_id,
            kind=plan.kind,
            scope_hash=plan.digest,
            since=plan.since,
            chunk_index=chunk,
            pages_done=pages,
            max_updated=self.max_updated,
            issues_fetched=self.report.issues_fetched,
            requests=self.report.requests + self.counter.count,
            started_at=plan.started_at,
        )

    async def _fetch(
        self,
        scope: Scope,
        digest: str,
        kind: str,
        since_clause: Clause | None,
        point: state.Checkpoint | None,
        started_at: datetime,
        *,
        mark: bool = False,
        since: datetime | None = None,
    ) -> None:
        """Fetch every chunk of ``scope`` from the checkpoint on, page by page.

        Only ``full`` and ``incremental`` runs write checkpoints; ``backfill`` and
        ``catch-up`` passes are short and simply run again after a kill.
        """
        plan = _Plan(
            run_id=point.run_id if point is not None else uuid.uuid4().hex,
            kind="full" if kind == "full" else "incremental",
            digest=digest,
            since=since,
            started_at=started_at,
            checkpoints=kind in ("full", "incremental"),
            mark=mark,
        )
        first = point.chunk_index if point is not None else 0
        if point is not None:
            self.report.issues_fetched += point.issues_fetched
            self.report.requests += point.requests
            self.max_updated = point.max_updated
        total = len(scope.chunks)
        self.report.chunks += total
        todo = list(range(first, total))
        done: set[int] = set(range(first))
        # Chunks are fetched concurrently (see _streams); one writer stores every page,
        # so SQLite sees a single writer. The queue bounds memory to a few pages.
        pages: asyncio.Queue[tuple[int, list[MirrorIssue] | None]] = asyncio.Queue(2)
        gate = asyncio.Semaphore(self._streams())

        def lowest_undone() -> int:
            return next((i for i in range(total) if i not in done), total)

        async def fetch(index: int) -> None:
            jql = scope.chunk_query(index, since_clause)

            async def attempt() -> None:
                async for page in self.target.client.search(jql, ISSUE_FIELDS):
                    await pages.put((index, [issue_from_jira(i.as_raw()) for i in page.issues]))

            async with gate:
                await self._again(f"{kind} chunk {index}", attempt)
            await pages.put((index, None))

        seen: dict[int, set[int]] = {}

        async def store(issues: list[MirrorIssue]) -> None:
            await upsert_issues(self.engine, self.alias, issues)
            newest = max(i.updated for i in issues)
            if self.max_updated is None or newest > self.max_updated:
                self.max_updated = newest

        async def write() -> None:
            # Pages are gathered into batches (a commit per 100-issue page costs SQLite
            # most of the sync's time). A chunk's seen ids and checkpoint are written
            # once the chunk is complete; a resumed run restarts unfinished chunks.
            finished = 0
            pending: list[MirrorIssue] = []
            written_at = time.monotonic()
            self.progress(kind, len(done), total, self.report.issues_fetched)
            while finished < len(todo):
                index, issues = await pages.get()
                if issues:
                    pending.extend(issues)
                    self.report.issues_fetched += len(issues)
                    if plan.mark:
                        seen.setdefault(index, set()).update(i.id for i in issues)
                    log.debug("sync.page-fetched", connection=self.alias, kind=kind, chunk=index)
                due = issues is None or len(pending) >= WRITE_BATCH
                if pending and (due or time.monotonic() - written_at >= WRITE_EVERY):
                    await store(pending)
                    pending = []
                    written_at = time.monotonic()
                if issues is not None:
                    self.progress(kind, len(done), total, self.report.issues_fetched)
                    continue
                finished += 1
                done.add(index)
                self.progress(kind, len(done), total, self.report.issues_fetched)
                if plan.checkpoints:
                    async with self.engine.begin() as conn:
                        await state.mark_seen(conn, self.alias, seen.pop(index, set()))
                        await state.save_checkpoint(
                            conn, self._checkpoint(plan, lowest_undone(), 0)
                        )

        if plan.checkpoints:
            async with self.engine.begin() as conn:
                await state.save_checkpoint(conn, self._checkpoint(plan, first, 0))
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(write())
                for index in todo:
                    group.create_task(fetch(index))
        except BaseExceptionGroup as failed:
            raise failed.exceptions[0] from None

    async def _reconcile(self, scope: Scope, begun: datetime) -> None:
        client = self.target.id_client or self.target.client
        present: set[int] = set()
        total = len(scope.chunks)
        for index, jql in enumerate(scope.queries()):
            self.progress("reconcile", index, total, len(present))
            found: set[int] = set()

            async def ids(jql: Query = jql, found: set[int] = found) -> None:
                found.clear()
                async for page in client.search(jql, ID_FIELDS):
                    found.update(int(issue.id) for issue in page.issues)

            await self._again(f"reconcile chunk {index}", ids)
            present |= found
        self.progress("reconcile", total, total, len(present))
        stale = await state.stale_ids(self.engine, self.alias, present, begun)
        if stale:
            self.report.issues_deleted += await delete_issues(self.engine, self.alias, stale)
        await state.write_status(self.engine, self.alias, last_reconcile_at=state.now())
        log.info("sync.reconciled", connection=self.alias, present=len(present), removed=len(stale))


@dataclass(frozen=True, slots=True)
class _Plan:
    """What one fetch pass writes into its checkpoints."""

    run_id: str
    kind: str
    digest: str
    since: datetime | None
    started_at: datetime
    checkpoints: bool
    mark: bool
