"""Fixtures for connection tests: settings, the store, the API as admin/editor/viewer, and
sandboxes of both flavors over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from connections_support import BASE_URL, OAUTH_CLIENT, Api, fast_settings
from sqlalchemy.ext.asyncio import AsyncEngine

from sandbox_harness import SandboxHandle, running_sandbox
from ticketlens.api.app import create_app
from ticketlens.auth import Role, create_token
from ticketlens.connections import ConnectionStore, connection_store
from ticketlens.settings import Settings


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return fast_settings(db_url, tmp_path)


@pytest.fixture
def store(engine: AsyncEngine, settings: Settings) -> ConnectionStore:
    return connection_store(engine, settings)


@pytest.fixture(params=["cloud", "datacenter"])
def sandbox(request: pytest.FixtureRequest) -> Iterator[SandboxHandle]:
    """A sandbox of each flavor, with an OAuth client registered for the default redirect."""
    with running_sandbox(
        flavor=request.param,
        issues=60,
        seed=11,
        oauth_clients=[f"{OAUTH_CLIENT[0]}:{OAUTH_CLIENT[1]}:{BASE_URL}/oauth/internal/jira"],
    ) as handle:
        yield handle


@pytest.fixture
def datacenter() -> Iterator[SandboxHandle]:
    """A Data Center sandbox with an OAuth client for the default connection's redirect."""
    with running_sandbox(
        flavor="datacenter",
        issues=30,
        seed=5,
        oauth_clients=[
            f"{OAUTH_CLIENT[0]}:{OAUTH_CLIENT[1]}:{BASE_URL}/oauth/internal/jira",
            f"tl-second:second-secret-77:{BASE_URL}/oauth/internal/jira/second",
        ],
    ) as handle:
        yield handle


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[Api]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        engine = app.state.engine
        tokens = {role: await create_token(engine, f"t-{role.value}", role) for role in Role}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as client:
            yield Api(app, client, tokens)
