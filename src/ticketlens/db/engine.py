"""Async engines for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool


class DatabaseError(RuntimeError):
    """The database is unreachable, unsupported or not migrated."""


_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}


def async_url(url: str) -> URL:
    """Turn a plain ``sqlite:///…`` or ``postgresql://…`` URL into one with our async driver.

    A URL that already names a driver keeps it. Anything else is refused with a message
    that lists what is accepted.
    """
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy raises ArgumentError with an unhelpful text
        raise DatabaseError(
            f"TICKETLENS_DATABASE_URL {url!r} is not a URL; use sqlite:///path/to/file.db "
            "or postgresql://user@host:port/dbname"
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend not in _DRIVERS:
        raise DatabaseError(
            f"TICKETLENS_DATABASE_URL uses {backend!r}; ticketlens supports sqlite and postgresql"
        )
    if "+" in parsed.drivername and parsed.drivername != "postgres":
        return parsed
    return parsed.set(drivername=_DRIVERS[backend])


def is_postgres(engine: AsyncEngine) -> bool:
    """True when the engine talks to PostgreSQL."""
    return engine.dialect.name == "postgresql"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine for ``url``; SQLite gets WAL mode, foreign keys and a busy timeout."""
    target = async_url(url)
    if target.get_backend_name() == "sqlite":
        database = target.database
        if database and database != ":memory:":
            from pathlib import Path

            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("poolclass", NullPool)
        engine = create_async_engine(target, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(target, **kwargs)
