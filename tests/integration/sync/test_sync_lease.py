"""One sync of a connection at a time, across processes: the connection's lease."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine
from sync_world import Jiras, assert_mirror_equals_jira

from ticketlens.settings import Settings
from ticketlens.sync import SyncRunning, lease, state
from ticketlens.sync.runner import sync_connections
from ticketlens.sync.tables import sync_leases


async def test_a_lease_has_one_holder_until_it_is_released(engine: AsyncEngine) -> None:
    assert await lease.acquire(engine, "main", "a:1:x", ttl=60)
    assert not await lease.acquire(engine, "main", "b:2:y", ttl=60)
    assert await lease.acquire(engine, "dc", "b:2:y", ttl=60)  # leases are per connection
    assert not await lease.renew(engine, "main", "b:2:y", ttl=60)
    assert await lease.renew(engine, "main", "a:1:x", ttl=60)
    await lease.release(engine, "main", "b:2:y")  # not the holder: nothing happens
    held = await lease.read(engine, "main")
    assert held is not None and held.holder == "a:1:x"
    await lease.release(engine, "main", "a:1:x")
    assert await lease.read(engine, "main") is None
    assert await lease.acquire(engine, "main", "b:2:y", ttl=60)


async def test_an_expired_lease_is_taken_over(engine: AsyncEngine) -> None:
    assert await lease.acquire(engine, "main", "elsewhere:1:x", ttl=60)
    async with engine.begin() as conn:
        await conn.execute(
            update(sync_leases).values(expires_at=state.now() - timedelta(seconds=1))
        )
    assert await lease.acquire(engine, "main", "here:2:y", ttl=60)
    assert not await lease.renew(engine, "main", "elsewhere:1:x", ttl=60)


async def test_the_lease_of_a_dead_process_on_this_machine_is_taken_over_at_once(
    engine: AsyncEngine,
) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host, me = socket.gethostname(), f"{socket.gethostname()}:{os.getpid()}:z"
    assert await lease.acquire(engine, "main", f"{host}:{dead.pid}:x", ttl=3600)
    assert await lease.acquire(engine, "main", me, ttl=60)
    held = await lease.read(engine, "main")
    assert held is not None and held.holder == me
    # A live process of this machine keeps its lease (pid 1 always runs) ...
    assert await lease.acquire(engine, "dc", f"{host}:1:y", ttl=3600)
    assert not await lease.acquire(engine, "dc", me, ttl=60)
    # ... and so does another machine's: nothing here can tell whether it still runs.
    assert await lease.acquire(engine, "ops", f"other-host:{dead.pid}:x", ttl=3600)
    assert not await lease.acquire(engine, "ops", me, ttl=60)


async def test_a_sync_of_a_connection_another_process_syncs_is_skipped(
    engine: AsyncEngine, settings: Settings, world: Jiras
) -> None:
    assert await lease.acquire(engine, "main", "other-host:42:x", ttl=600)
    [report] = await sync_connections(engine, settings, alias="main")
    assert report.error is not None
    assert "another sync of it is running (other-host:42:x" in report.error
    assert "TICKETLENS_SYNC_LEASE_TTL" in report.error
    status = await state.read_status(engine, "main")
    assert status is None or status.status != "failed"  # the other sync's status stands
    assert await state.mirrored_count(engine, "main") == 0
    # The other connection is not held: it syncs.
    [dc] = await sync_connections(engine, settings, alias="dc")
    assert dc.error is None and dc.issues_fetched > 0

    await lease.release(engine, "main", "other-host:42:x")
    [report] = await sync_connections(engine, settings, alias="main")
    assert report.error is None
    assert await lease.read(engine, "main") is None  # released at the end
    await assert_mirror_equals_jira(engine, settings, world.default, "main")


async def test_two_syncs_of_one_connection_at_once_run_one_after_the_other_never_together(
    engine: AsyncEngine, settings: Settings, world: Jiras
) -> None:
    world.default.add_fault(kind="latency", latency_ms=300, endpoint="*", count=5)
    first, second = await asyncio.gather(
        sync_connections(engine, settings, alias="main"),
        sync_connections(engine, settings, alias="main"),
    )
    errors = sorted(str(r.error) for r in (*first, *second))
    assert errors[0] == "None"
    assert "another sync of it is running" in errors[1]
    await assert_mirror_equals_jira(engine, settings, world.default, "main")


async def test_a_sync_that_loses_its_lease_stops(engine: AsyncEngine) -> None:
    async def body() -> None:
        async with lease.held(engine, "main", ttl=3):
            held = await lease.read(engine, "main")
            assert held is not None
            # Another process takes the lease over (as if this one had stalled).
            async with engine.begin() as conn:
                await conn.execute(update(sync_leases).values(holder="thief:1:x"))
            await asyncio.sleep(5)  # the renewal, after 1 s, finds the lease gone

    with pytest.raises(SyncRunning, match="lost its lease"):
        await asyncio.wait_for(body(), timeout=30)
    held = await lease.read(engine, "main")
    assert held is not None and held.holder == "thief:1:x"  # the thief's lease stands
