"""Where a sync's inputs come from: stored entities and stored connections.

Entities are read from the catalog's ``entities`` table (their Jira block only);
connections and their clients come from ``ticketlens.connections``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.catalog.matching import ConnectionInfo
from ticketlens.catalog.model import JiraBlock
from ticketlens.connections import connection_store
from ticketlens.connections.clients import open_client
from ticketlens.connections.models import Connection, ConnectionKind
from ticketlens.connections.tables import jira_connections
from ticketlens.db.tables import entities
from ticketlens.settings import Settings
from ticketlens.sync.engine import SyncTarget
from ticketlens.sync.errors import UnknownConnection

# Jira Cloud grants up to 5,000 issues per page when only ids are asked for.
CLOUD_ID_PAGE_SIZE = 5000


@dataclass(frozen=True, slots=True)
class StoredEntity:
    """An entity as matching needs it: its tag, name, type and Jira block."""

    tag: str
    name: str
    type: str
    jira: JiraBlock


async def load_entities(engine: AsyncEngine, tag: str | None = None) -> list[StoredEntity]:
    """Every stored entity (or the one with ``tag``), by tag."""
    stmt = select(entities.c.tag, entities.c.name, entities.c.type, entities.c.jira)
    if tag is not None:
        stmt = stmt.where(entities.c.tag == tag)
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt.order_by(entities.c.tag))).all()
    return [
        StoredEntity(r.tag, r.name, r.type, JiraBlock.model_validate(r.jira or {})) for r in rows
    ]


async def has_connections(engine: AsyncEngine) -> bool:
    """True when at least one Jira connection is stored (no secret key needed)."""
    async with engine.connect() as conn:
        count = await conn.execute(select(func.count()).select_from(jira_connections))
        return bool(count.scalar())


async def load_connections(engine: AsyncEngine, settings: Settings) -> list[Connection]:
    """Every stored connection, the default first."""
    return await connection_store(engine, settings).list()


def infos(connections: Sequence[Connection]) -> list[ConnectionInfo]:
    """What matching needs of each connection (known values are filled in later)."""
    return [
        ConnectionInfo(alias=c.alias, is_default=c.is_default, default_jql=c.default_jql)
        for c in connections
    ]


def pick(connections: Sequence[Connection], alias: str) -> Connection:
    """The connection called ``alias``; UnknownConnection otherwise."""
    for connection in connections:
        if connection.alias == alias:
            return connection
    known = ", ".join(c.alias for c in connections) or "none"
    raise UnknownConnection(
        f"no Jira connection is called {alias!r} (configured: {known}); list them with "
        "`ticketlens jira list`"
    )


def open_target(engine: AsyncEngine, settings: Settings, connection: Connection) -> SyncTarget:
    """Clients for syncing ``connection``: one for issue pages, one for ids-only pages."""
    store = connection_store(engine, settings)
    client = open_client(settings, connection, store=store)
    id_client = None
    if connection.kind is ConnectionKind.CLOUD:
        bigger = settings.model_copy(update={"jira_cloud_page_size": CLOUD_ID_PAGE_SIZE})
        id_client = open_client(bigger, connection, store=store)
    return SyncTarget(
        alias=connection.alias,
        client=client,
        mirror_scope=connection.mirror_scope,
        id_client=id_client,
    )


async def close_target(target: SyncTarget) -> None:
    """Close the target's clients."""
    await target.client.aclose()
    if target.id_client is not None:
        await target.id_client.aclose()
