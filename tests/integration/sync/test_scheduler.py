"""The scheduler ``serve`` runs: a tick syncs every connection; interval 0 turns it off."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine
from sync_world import Jiras

from ticketlens.settings import Settings
from ticketlens.sync import state
from ticketlens.sync.scheduler import SyncScheduler


async def test_a_tick_syncs_every_connection_and_the_next_one_is_incremental(
    engine: AsyncEngine, settings: Settings, world: Jiras
) -> None:
    scheduler = SyncScheduler(engine, settings)
    await scheduler.tick()
    first = {s.connection: s.last_kind for s in await state.all_statuses(engine)}
    assert first == {"main": "full", "dc": "full"}
    await scheduler.tick()
    second = {s.connection: s.last_kind for s in await state.all_statuses(engine)}
    assert second == {"main": "incremental", "dc": "incremental"}
    assert scheduler.ticks == 2


async def test_interval_zero_starts_nothing_and_an_empty_database_ticks_quietly(
    engine: AsyncEngine, settings: Settings
) -> None:
    scheduler = SyncScheduler(engine, settings.model_copy(update={"sync_interval": 0}))
    scheduler.start()
    assert scheduler._task is None
    await scheduler.stop()
    await scheduler.tick()  # no connection configured: nothing to do, nothing recorded
    assert await state.all_statuses(engine) == []


async def test_a_started_scheduler_stops_cleanly(engine: AsyncEngine, settings: Settings) -> None:
    scheduler = SyncScheduler(engine, settings.model_copy(update={"sync_interval": 3600}))
    scheduler.start()
    assert scheduler._task is not None and not scheduler._task.done()
    await scheduler.stop()
    assert scheduler._task is None
