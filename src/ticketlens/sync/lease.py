"""One sync of a connection at a time, across every process that shares the database.

Several ``ticketlens serve`` processes (and ``ticketlens sync`` from cron) may sync the
same connection; two syncs at once would interleave their checkpoints. Before it starts,
a sync takes the connection's lease: a ``sync_leases`` row naming its holder
(``host:pid:token``) and an expiry ``ttl`` seconds ahead. It renews the lease every
third of ``ttl`` while it runs and deletes it when it ends.

- A lease is taken when there is none, when it has expired (its holder stopped renewing,
  say a machine went away), or when its holder is a process of this machine that no
  longer exists (killed: no need to wait for the expiry).
- Taking, renewing and releasing are single statements, so two processes can never
  both hold a lease.
- A sync that finds its lease taken by another (it could not renew in time) is
  cancelled and ends with ``SyncRunning``; the other holder goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.sync.errors import SyncRunning
from ticketlens.sync.state import aware, now
from ticketlens.sync.tables import sync_leases

log = structlog.get_logger("ticketlens.sync")

L = sync_leases.c


@dataclass(frozen=True, slots=True)
class Lease:
    """Who holds a connection's lease, since when, and until when."""

    connection: str
    holder: str
    acquired_at: datetime
    expires_at: datetime


def new_holder() -> str:
    """This process's name for a lease: ``host:pid:token``."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def acquire(engine: AsyncEngine, alias: str, holder: str, ttl: float) -> bool:
    """Take the lease of ``alias`` for ``ttl`` seconds; False when another holds it."""
    moment = now()
    row = {
        "connection": alias,
        "holder": holder,
        "acquired_at": moment,
        "expires_at": moment + timedelta(seconds=ttl),
    }
    async with engine.begin() as conn:
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        stmt = insert(sync_leases).values(row)
        upsert = stmt.on_conflict_do_update(
            index_elements=[L.connection],
            set_={k: stmt.excluded[k] for k in ("holder", "acquired_at", "expires_at")},
            where=L.expires_at < moment,
        ).returning(L.holder)
        taken = (await conn.execute(upsert)).scalar_one_or_none() == holder
    if taken:
        return True
    current = await read(engine, alias)
    if current is not None and _gone(current.holder):
        # Its process died on this machine (killed mid-sync): take it over now.
        async with engine.begin() as conn:
            result = await conn.execute(
                update(sync_leases)
                .where(L.connection == alias, L.holder == current.holder)
                .values(holder=holder, acquired_at=moment, expires_at=row["expires_at"])
            )
        if result.rowcount == 1:
            log.info("sync.lease-taken-over", connection=alias, previous=current.holder)
            return True
    return False


async def renew(engine: AsyncEngine, alias: str, holder: str, ttl: float) -> bool:
    """Push the expiry ``ttl`` seconds ahead; False when ``holder`` lost the lease."""
    async with engine.begin() as conn:
        result = await conn.execute(
            update(sync_leases)
            .where(L.connection == alias, L.holder == holder)
            .values(expires_at=now() + timedelta(seconds=ttl))
        )
    return result.rowcount == 1


async def release(engine: AsyncEngine, alias: str, holder: str) -> None:
    """Give the lease up (nothing happens when ``holder`` no longer has it)."""
    async with engine.begin() as conn:
        await conn.execute(delete(sync_leases).where(L.connection == alias, L.holder == holder))


async def read(engine: AsyncEngine, alias: str) -> Lease | None:
    """The lease of ``alias``, expired or not, or None."""
    async with engine.connect() as conn:
        row = (await conn.execute(select(sync_leases).where(L.connection == alias))).first()
    if row is None:
        return None
    acquired, expires = aware(row.acquired_at), aware(row.expires_at)
    assert acquired is not None and expires is not None
    return Lease(row.connection, row.holder, acquired, expires)


def _gone(holder: str) -> bool:
    """True when ``holder`` names a process of this machine that no longer runs."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@contextlib.asynccontextmanager
async def held(engine: AsyncEngine, alias: str, ttl: float) -> AsyncIterator[None]:
    """Hold the lease of ``alias`` for the body; ``SyncRunning`` when another holds it,
    or when another took it over while the body ran (the body is then cancelled)."""
    holder = new_holder()
    if not await acquire(engine, alias, holder, ttl):
        current = await read(engine, alias)
        who = (
            f"{current.holder}, until {current.expires_at:%Y-%m-%d %H:%M:%S} UTC"
            if current
            else "?"
        )
        raise SyncRunning(
            f"connection {alias!r}: another sync of it is running ({who}); this one is "
            "skipped. Wait for it to end, or stop that process: its lease expires "
            f"{ttl:g} s after its last renewal (TICKETLENS_SYNC_LEASE_TTL)"
        )
    body = asyncio.current_task()
    assert body is not None
    lost = False

    async def keep() -> None:
        nonlocal lost
        while True:
            await asyncio.sleep(ttl / 3)
            try:
                if await renew(engine, alias, holder, ttl):
                    continue
            except Exception as exc:  # the database hiccuped: try again next time
                log.warning("sync.lease-renewal-failed", connection=alias, error=str(exc))
                continue
            lost = True
            body.cancel()
            return

    keeper = asyncio.create_task(keep(), name=f"ticketlens-sync-lease-{alias}")
    try:
        yield
    except asyncio.CancelledError:
        if lost and body.uncancel() == 0:
            raise SyncRunning(
                f"connection {alias!r}: this sync lost its lease to another process (it "
                "could not renew it in time) and stopped; the other sync goes on"
            ) from None
        raise
    finally:
        keeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await keeper
        if not lost:
            await release(engine, alias, holder)
