"""A database per backend, migrated and loaded with ``mirror_dataset`` once per module."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ticketlens.db.engine import create_engine
from ticketlens.db.migrate import upgrade
from ticketlens.mirror import upsert_issues

PG_ADMIN_DSN = os.environ.get("TICKETLENS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


async def _load(url: str) -> None:
    from mirror_dataset import ISSUES, MAIN, OTHER, OTHER_ISSUES

    engine = create_engine(url)
    try:
        await upsert_issues(engine, MAIN, ISSUES)
        await upsert_issues(engine, OTHER, OTHER_ISSUES)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded_url(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
) -> Iterator[str]:
    """A database holding the hand-built data set: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("mirror-cases") / "cases.db"
        shutil.copyfile(sqlite_template, path)
        url = f"sqlite:///{path}"
        asyncio.run(_load(url))
        yield url
        return
    name = f"ticketlens_mirror_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{PG_ADMIN_DSN.rsplit('/', 1)[0]}/{name}"
    try:
        upgrade(url)
        asyncio.run(_load(url))
        yield url
    finally:
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
