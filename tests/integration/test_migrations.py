"""The Alembic migrations create exactly the tables the code declares, on both backends."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

import ticketlens
from ticketlens.db.metadata import metadata
from ticketlens.db.migrate import current_revision, head_revision


def _import_all_tables() -> None:
    for module in pkgutil.walk_packages(ticketlens.__path__, "ticketlens."):
        if module.name.endswith(".tables"):
            importlib.import_module(module.name)


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return [
        diff
        for diff in compare_metadata(context, metadata)
        if not (
            isinstance(diff, tuple)
            and diff[0] == "remove_table"
            and diff[1].name == "alembic_version"
        )
    ]


async def test_migrated_schema_equals_the_declared_tables(engine: AsyncEngine) -> None:
    _import_all_tables()
    async with engine.connect() as conn:
        differences = await conn.run_sync(_differences)
    assert differences == []


async def test_fixture_database_is_at_head(engine: AsyncEngine) -> None:
    assert await current_revision(engine) == head_revision()
