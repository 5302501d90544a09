"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ticketlens import __version__
from ticketlens.api import connections, entities, entity_jira, health, oauth
from ticketlens.db.engine import create_engine
from ticketlens.settings import Settings


def create_app(settings: Settings) -> FastAPI:
    """Build the API for ``settings``. The database engine lives as long as the app."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.resolved_database_url())
        app.state.engine = engine
        try:
            yield
        finally:
            await engine.dispose()

    app = FastAPI(
        title="ticketlens",
        version=__version__,
        description="Your software catalog's Jira issues, insights and scorecards.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.include_router(health.router)
    # --- routers: one line each ---------------------------------------------------
    app.include_router(entities.router)
    app.include_router(connections.router)
    app.include_router(oauth.router)
    app.include_router(entity_jira.router)
    # --- end of routers -----------------------------------------------------------
    return app
