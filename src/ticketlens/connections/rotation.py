"""``secrets rotate``: re-encrypt every sealed value under a new key, in one transaction.

Every column holding a ``SecretBox`` token is listed in ``SEALED_COLUMNS`` (by name, so
this package need not import the packages above it). A value that does not decrypt with
the current key aborts the whole rotation: nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog
from sqlalchemy import column, inspect, select, table, update
from sqlalchemy.engine import Connection as SyncConnection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.expression import ColumnClause

from ticketlens.connections.crypto import SecretBox

log = structlog.get_logger("ticketlens.connections")


@dataclass(frozen=True, slots=True)
class SealedColumn:
    """A column of SecretBox tokens, and the primary-key columns that find its rows."""

    table: str
    column: str
    keys: tuple[str, ...]


SEALED_COLUMNS: tuple[SealedColumn, ...] = (
    SealedColumn("jira_connections", "secrets", ("id",)),
    SealedColumn("jira_oauth_states", "verifier", ("state_hash",)),
    SealedColumn("webhook_secrets", "secret_encrypted", ("connection",)),
)


def _tables(connection: SyncConnection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def rotate_secrets(
    engine: AsyncEngine,
    current: SecretBox,
    new: SecretBox,
    columns: tuple[SealedColumn, ...] = SEALED_COLUMNS,
) -> int:
    """Re-encrypt every sealed value from ``current`` to ``new``; return how many."""
    count = 0
    async with engine.begin() as conn:
        present = await conn.run_sync(_tables)
        for sealed in columns:
            if sealed.table not in present:
                continue
            keys: list[ColumnClause[Any]] = [column(k) for k in sealed.keys]
            value: ColumnClause[Any] = column(sealed.column)
            target = table(sealed.table, *keys, value)
            rows = (await conn.execute(select(*keys, value).select_from(target))).all()
            for row in rows:
                token = row[-1]
                if not token:
                    continue
                where = [k == row[i] for i, k in enumerate(keys)]
                await conn.execute(
                    update(target).where(*where).values({sealed.column: current.reseal(token, new)})
                )
                count += 1
    log.info("connections.secrets.rotated", values=count)
    return count
