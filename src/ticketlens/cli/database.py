"""Opening the configured database from a command, refusing an un-migrated one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.cli.context import CLIError, settings
from ticketlens.db.engine import DatabaseError, create_engine
from ticketlens.db.migrate import ensure_current


@asynccontextmanager
async def open_engine() -> AsyncIterator[AsyncEngine]:
    """The configured database, migrated to head, disposed of on exit."""
    try:
        engine = create_engine(settings().resolved_database_url())
    except DatabaseError as exc:
        raise CLIError(str(exc)) from exc
    try:
        try:
            await ensure_current(engine)
        except DatabaseError as exc:
            raise CLIError(str(exc)) from exc
        yield engine
    finally:
        await engine.dispose()
