"""The 0002 migration creates exactly the schema declared in ``ticketlens.mirror.tables``."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.db.metadata import metadata
from ticketlens.mirror import tables

MIRROR_TABLES = {
    t.name for t in (tables.mirror_issues, *tables.CHILD_TABLES, tables.mirror_priorities)
}


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return compare_metadata(context, metadata)


def _touches_mirror(entry: Any) -> bool:
    if isinstance(entry, list):
        return any(_touches_mirror(e) for e in entry)
    for part in entry[1:]:
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if name in MIRROR_TABLES or getattr(table, "name", None) in MIRROR_TABLES:
            return True
        if isinstance(part, str) and part in MIRROR_TABLES:
            return True
    return False


async def test_migration_matches_the_declared_mirror_tables(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        diff = await conn.run_sync(_diff)
    assert [d for d in diff if _touches_mirror(d)] == []


async def test_every_declared_index_exists_after_migration(engine: AsyncEngine) -> None:
    def indexes(connection: Connection) -> dict[str, set[str]]:
        found = inspect(connection)
        return {t: {i["name"] for i in found.get_indexes(t)} for t in MIRROR_TABLES}

    async with engine.connect() as conn:
        existing = await conn.run_sync(indexes)
    for table in metadata.sorted_tables:
        if table.name in MIRROR_TABLES:
            assert {i.name for i in table.indexes} == existing[table.name]
