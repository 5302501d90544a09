"""Per-entity Jira reads (outstanding issues, explain), sync status, and sync controls."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from ticketlens.api import webhooks
from ticketlens.api.deps import Admin, EngineDep, SettingsDep, Viewer
from ticketlens.catalog.matching import MatchingError, QueryProblem
from ticketlens.connections import ConnectionsError
from ticketlens.sync import reading, state
from ticketlens.sync.errors import EntityNotFound, SyncError, UnknownConnection
from ticketlens.sync.runner import sync_connections
from ticketlens.sync.scheduler import SyncScheduler
from ticketlens.sync.sources import load_connections, pick
from ticketlens.sync.webhook_secrets import WebhookSecretError, set_webhook_secret


@asynccontextmanager
async def _scheduler(app: FastAPI) -> AsyncIterator[None]:
    """Run the sync scheduler for as long as the app serves (SYNC_INTERVAL > 0)."""
    scheduler = SyncScheduler(app.state.engine, app.state.settings)
    app.state.sync_scheduler = scheduler
    scheduler.start()
    try:
        yield
    finally:
        await scheduler.stop()


api = APIRouter(prefix="/api/v1", tags=["jira issues"])


def _http_error(exc: Exception) -> HTTPException:
    if isinstance(exc, EntityNotFound | UnknownConnection):
        return HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc))
    if isinstance(exc, QueryProblem):
        return HTTPException(status.HTTP_400_BAD_REQUEST, detail=str(exc))
    return HTTPException(status.HTTP_409_CONFLICT, detail=str(exc))


@api.get("/entities/{tag}/jira/issues")
async def entity_issues(
    tag: str,
    _: Viewer,
    engine: EngineDep,
    settings: SettingsDep,
    jql: Annotated[str | None, Query(description="A custom JQL, restricted to the match.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = reading.DEFAULT_LIMIT,
) -> dict[str, Any]:
    """The entity's outstanding issues (or those matching jql), from the mirror or Jira."""
    try:
        return await reading.entity_issues(engine, settings, tag, jql, limit=limit)
    except (EntityNotFound, QueryProblem, MatchingError, ConnectionsError) as exc:
        raise _http_error(exc) from exc


@api.get("/entities/{tag}/jira/explain")
async def explain_entity(
    tag: str,
    _: Viewer,
    engine: EngineDep,
    settings: SettingsDep,
    rule: Annotated[str | None, Query(description="A rule's JQL to show with the match.")] = None,
) -> dict[str, Any]:
    """The exact JQL per connection, the values left out, and near-misses."""
    try:
        return await reading.explain(engine, settings, tag, rule)
    except (EntityNotFound, QueryProblem, MatchingError, ConnectionsError) as exc:
        raise _http_error(exc) from exc


@api.get("/jira/sync-status")
async def sync_status(_: Viewer, engine: EngineDep) -> dict[str, Any]:
    """Per connection: last success, last error, issues mirrored, requests and duration."""
    return {"connections": [s.to_json() for s in await state.all_statuses(engine)]}


@api.get("/jira/outstanding")
async def outstanding_counts(_: Viewer, engine: EngineDep, settings: SettingsDep) -> dict[str, Any]:
    """Every entity's number of outstanding issues, from the mirror in one pass."""
    try:
        return {"counts": await reading.outstanding_counts(engine, settings)}
    except (QueryProblem, MatchingError, ConnectionsError) as exc:
        raise _http_error(exc) from exc


@api.post("/jira/sync")
async def start_sync(
    request: Request,
    _: Admin,
    engine: EngineDep,
    settings: SettingsDep,
    alias: Annotated[str | None, Query(description="Only this connection.")] = None,
    full: Annotated[bool, Query(description="A full sync instead of an incremental one.")] = False,
) -> dict[str, Any]:
    """Sync now (admin) and return what each connection's sync did."""
    scheduler: SyncScheduler | None = getattr(request.app.state, "sync_scheduler", None)
    lock = scheduler.lock if scheduler is not None else asyncio.Lock()
    try:
        async with lock:
            reports = await sync_connections(
                engine, settings, alias=alias, mode="full" if full else "auto"
            )
    except (SyncError, ConnectionsError) as exc:
        raise _http_error(exc) from exc
    return {"reports": [r.to_json() for r in reports]}


class WebhookSecretUpdate(BaseModel):
    """A connection's webhook secret (write-only: it is never returned)."""

    secret: str = Field(min_length=1, repr=False)


@api.put("/jira/configurations/{alias}/webhook-secret", status_code=204)
async def put_webhook_secret(
    alias: str, body: WebhookSecretUpdate, _: Admin, engine: EngineDep, settings: SettingsDep
) -> None:
    """Set the HMAC secret Jira signs this connection's webhooks with (admin)."""
    try:
        pick(await load_connections(engine, settings), alias)
        await set_webhook_secret(engine, settings, alias, body.secret)
    except UnknownConnection as exc:
        raise _http_error(exc) from exc
    except WebhookSecretError as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=str(exc)) from exc


# What the app includes: these routes, the webhook receiver, and the scheduler's lifespan.
router = APIRouter(lifespan=_scheduler)
router.include_router(api)
router.include_router(webhooks.router)

__all__ = ["router"]
