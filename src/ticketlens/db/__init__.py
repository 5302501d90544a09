"""Storage: the engine, the shared metadata and the Alembic migrations."""

from ticketlens.db.engine import (
    DatabaseError,
    async_url,
    create_engine,
    is_postgres,
)
from ticketlens.db.metadata import metadata

__all__ = ["DatabaseError", "async_url", "create_engine", "is_postgres", "metadata"]
