"""Fixtures for sync tests: two sandboxes (the default connection and ``dc``), the
example catalog imported, and both connections configured, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from sync_world import Jiras, connection_for

from sandbox_harness import running_sandbox
from ticketlens.api.app import create_app
from ticketlens.connections import connection_store
from ticketlens.entities import import_paths
from ticketlens.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "catalog"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fixed secret key and fast retries."""
    return Settings(
        data_dir=tmp_path,
        secret_key="k" * 48,
        jira_backoff_initial_seconds=0.05,
        jira_backoff_max_seconds=0.2,
        sync_interval=0,
    )


@pytest.fixture(params=["cloud", "datacenter"])
def jiras(request: pytest.FixtureRequest) -> Iterator[Jiras]:
    """The default connection's sandbox in the given flavor; ``dc`` in the other one."""
    other = "datacenter" if request.param == "cloud" else "cloud"
    with (
        # A zone behind UTC: a JQL date written in UTC instead would miss changes.
        running_sandbox(request.param, issues=400, seed=7, time_zone="America/Los_Angeles") as main,
        running_sandbox(other, issues=400, seed=8) as dc,
    ):
        yield Jiras(main, dc)


async def configure(engine: AsyncEngine, settings: Settings, jiras: Jiras) -> None:
    """Import the example catalog and add both connections."""
    await import_paths(engine, [EXAMPLES])
    store = connection_store(engine, settings)
    await store.create(connection_for("main", jiras.default, default=True), default_timeout=30)
    await store.create(connection_for("dc", jiras.dc, default=False), default_timeout=30)


@pytest.fixture
async def world(engine: AsyncEngine, settings: Settings, jiras: Jiras) -> Jiras:
    """A migrated database with the example catalog and both connections configured."""
    await configure(engine, settings, jiras)
    return jiras


@pytest.fixture
async def api(db_url: str, settings: Settings, world: Jiras) -> AsyncIterator[httpx.AsyncClient]:
    """The ticketlens API over ``world``'s database, in process."""
    app = create_app(settings.model_copy(update={"database_url": db_url}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://tl") as client:
            yield client
