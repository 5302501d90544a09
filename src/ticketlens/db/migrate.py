"""Run and check Alembic migrations programmatically (no alembic.ini on disk)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.db.engine import DatabaseError, create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our migrations and ``url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = url
    return config


def head_revision() -> str:
    """The newest migration this code ships."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` up to ``revision``. Blocking: call from sync code."""
    command.upgrade(alembic_config(url), revision)


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    async with engine.connect() as connection:
        return await connection.run_sync(_current)


async def ensure_current(engine: AsyncEngine) -> None:
    """Raise DatabaseError unless the database is migrated to the head revision."""
    try:
        current = await current_revision(engine)
    except (OSError, DBAPIError) as exc:
        raise DatabaseError(f"cannot reach the database: {exc}") from exc
    head = head_revision()
    if current != head:
        state = "has never been migrated" if current is None else f"is at revision {current}"
        raise DatabaseError(
            f"the database {state}, but this ticketlens needs revision {head}. "
            "Run: ticketlens db upgrade"
        )


async def check_database(url: str) -> None:
    """Open ``url`` and ensure it is migrated; used by ``serve`` before it starts."""
    engine = create_engine(url)
    try:
        await ensure_current(engine)
    finally:
        await engine.dispose()
