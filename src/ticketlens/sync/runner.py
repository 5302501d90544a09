"""Sync every connection (or one): open clients, run, close, record status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.connections.errors import ConnectionsError
from ticketlens.settings import Settings
from ticketlens.sync import state
from ticketlens.sync.engine import ConnectionSync, Mode, ProgressHook, SyncOptions, SyncReport
from ticketlens.sync.errors import SyncError
from ticketlens.sync.sources import (
    close_target,
    has_connections,
    infos,
    load_connections,
    load_entities,
    open_target,
    pick,
)

log = structlog.get_logger("ticketlens.sync")

ProgressFactory = Callable[[str], ProgressHook]


def options_from(settings: Settings) -> SyncOptions:
    """The sync tunables of ``settings``."""
    return SyncOptions(
        max_jql_length=settings.sync_max_jql_length,
        overlap=timedelta(seconds=settings.sync_overlap),
        known_values_ttl=timedelta(seconds=settings.sync_known_values_ttl),
        reconcile_interval=timedelta(seconds=settings.sync_reconcile_interval),
        lease_ttl=settings.sync_lease_ttl,
    )


async def sync_connections(
    engine: AsyncEngine,
    settings: Settings,
    *,
    alias: str | None = None,
    mode: Mode = "auto",
    progress: ProgressFactory | None = None,
) -> list[SyncReport]:
    """Sync ``alias`` (or every connection, one after another); one report each.

    A failing connection does not stop the others: its report carries the error and
    its status says so, and its last good data stays in the mirror.
    """
    if alias is None and not await has_connections(engine):
        return []
    connections = await load_connections(engine, settings)
    chosen = [pick(connections, alias)] if alias is not None else connections
    entities = await load_entities(engine)
    reports: list[SyncReport] = []
    for connection in chosen:
        try:
            target = open_target(engine, settings, connection)
        except ConnectionsError as exc:
            await state.write_status(
                engine,
                connection.alias,
                status="failed",
                last_error=str(exc),
                last_error_at=state.now(),
            )
            reports.append(SyncReport(alias=connection.alias, kind=mode, error=str(exc)))
            continue
        hook = progress(connection.alias) if progress else None
        runner = ConnectionSync(
            engine, target, entities, infos(connections), options_from(settings), hook
        )
        try:
            reports.append(await runner.run(mode))
        except SyncError:
            reports.append(runner.report)
        finally:
            await close_target(target)
    return reports
