"""The sandbox's ASGI application: Starlette routes inside the fault/rate-limit layer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ticketlens.sandbox import (
    routes_controls,
    routes_issues,
    routes_meta,
    routes_oauth,
    routes_search,
)
from ticketlens.sandbox.errors import JiraHTTPError
from ticketlens.sandbox.middleware import SandboxMiddleware
from ticketlens.sandbox.options import SandboxOptions
from ticketlens.sandbox.queries import warm_up
from ticketlens.sandbox.responses import jira_json
from ticketlens.sandbox.state import Sandbox


async def _jira_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, JiraHTTPError)
    return jira_json(exc.body(), status=exc.status, headers=exc.headers)


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = "null for uri: " + str(_request.url) if exc.status_code == 404 else exc.detail
    return jira_json({"errorMessages": [message], "errors": {}}, status=exc.status_code)


def create_app(options: SandboxOptions, base_url: str) -> SandboxMiddleware:
    """The whole sandbox as one ASGI app; its lifespan loads and unloads the data."""
    sandbox = Sandbox(options, base_url)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await sandbox.start()
        await warm_up(sandbox)
        try:
            yield
        finally:
            await sandbox.stop()

    # Search first: it is the hot path, and Starlette tries routes in order.
    routes: list[BaseRoute] = [
        *routes_search.routes(),
        *routes_meta.routes(),
        *routes_issues.routes(),
        *routes_oauth.routes(),
    ]
    if options.controls:
        routes.extend(routes_controls.routes())
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={JiraHTTPError: _jira_error, HTTPException: _http_error},
    )
    app.state.sandbox = sandbox
    return SandboxMiddleware(app, sandbox)
