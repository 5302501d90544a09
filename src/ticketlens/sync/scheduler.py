"""The in-process sync scheduler that ``ticketlens serve`` runs every SYNC_INTERVAL.

Each tick syncs every connection (incrementally once a full sync exists; a reconcile
follows when it is due). One tick at a time: a slow sync delays the next tick rather
than overlapping it. Failures are logged and recorded in the sync status; the
scheduler keeps going.
"""

from __future__ import annotations

import asyncio
import contextlib

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.connections.errors import ConnectionsError
from ticketlens.settings import Settings
from ticketlens.sync.errors import SyncError
from ticketlens.sync.runner import sync_connections

log = structlog.get_logger("ticketlens.sync")


class SyncScheduler:
    """Runs ``sync_connections`` every ``settings.sync_interval`` in the background."""

    def __init__(self, engine: AsyncEngine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self._task: asyncio.Task[None] | None = None
        self.ticks = 0
        # Held by every sync this process runs (ticks and POST /api/v1/jira/sync), so two
        # syncs of one connection never interleave their checkpoints.
        self.lock = asyncio.Lock()

    def start(self) -> None:
        """Start ticking (no-op when the interval is 0 or it already runs)."""
        if self.settings.sync_interval <= 0 or self._task is not None:
            return
        self._task = asyncio.create_task(self._loop(), name="ticketlens-sync-scheduler")

    async def stop(self) -> None:
        """Stop ticking and wait for the current tick to be cancelled."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def tick(self) -> None:
        """Sync every connection once."""
        self.ticks += 1
        try:
            async with self.lock:
                reports = await sync_connections(self.engine, self.settings)
        except (SyncError, ConnectionsError) as exc:
            log.warning("sync.scheduler-tick-failed", error=str(exc))
            return
        for report in reports:
            log.info(
                "sync.scheduler-tick",
                connection=report.alias,
                kind=report.kind,
                error=report.error,
                requests=report.requests,
            )

    async def _loop(self) -> None:
        # The first tick waits one interval: `ticketlens sync` (and the demo) sync at once.
        while True:
            await asyncio.sleep(self.settings.sync_interval)
            await self.tick()
