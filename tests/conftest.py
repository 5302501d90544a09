"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL gets one database per test run (``ticketlens_test_<pid>_<hex>``), migrated once
and emptied between tests, so concurrent runs on one server never collide.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.db.engine import create_engine
from ticketlens.db.metadata import metadata
from ticketlens.db.migrate import upgrade

PG_ADMIN_DSN = os.environ.get("TICKETLENS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _import_all_tables() -> None:
    """Import every module that registers tables, so ``metadata`` knows them all."""
    import importlib
    import pkgutil

    import ticketlens

    for module in pkgutil.walk_packages(ticketlens.__path__, "ticketlens."):
        if module.name.endswith(".tables"):
            importlib.import_module(module.name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for this test run, dropped at the end."""
    name = f"ticketlens_test_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    upgrade(url)
    yield url
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A migrated, empty database URL: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "ticketlens.db"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    yield url


def _truncate_postgres(url: str) -> None:
    _import_all_tables()
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    if not names:
        return
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE").text)


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """An async engine on ``db_url``, disposed of after the test."""
    eng = create_engine(db_url)
    yield eng
    await eng.dispose()
