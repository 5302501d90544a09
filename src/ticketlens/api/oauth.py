"""OAuth 2.0 redirect URLs for Data Center connections: ``/oauth/internal/jira[/{alias}]``.

Jira's browser redirect carries no bearer token, so these routes accept either the
principal who started the flow (a bearer token) or the browser that started it (the
binding cookie set by ``/oauth/start``). ``state`` does the rest.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Query, Request
from fastapi.responses import RedirectResponse

from ticketlens.api.connections import StoreDep, http_error
from ticketlens.api.deps import EngineDep, SettingsDep
from ticketlens.auth import authenticate
from ticketlens.connections import (
    BINDING_COOKIE,
    ConnectionsError,
    ConnectionStore,
    finish_oauth,
    resume_url,
)
from ticketlens.connections.oauth_flow import STATE_TTL
from ticketlens.settings import Settings

router = APIRouter(prefix="/oauth/internal", tags=["oauth"])

OptionalText = Annotated[str | None, Query()]
BindingCookie = Annotated[str | None, Cookie(alias=BINDING_COOKIE)]


async def _principal(request: Request, engine: EngineDep) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    found = await authenticate(engine, token.strip())
    return found.name if found is not None else None


async def _finish(
    store: ConnectionStore,
    settings: Settings,
    principal: str | None,
    alias: str | None,
    state: str | None,
    code: str | None,
    error: str | None,
    error_description: str | None,
    binding: str | None,
) -> dict[str, object]:
    try:
        connection = await finish_oauth(
            store,
            settings,
            route_alias=alias,
            state=state,
            code=code,
            error=error,
            error_description=error_description,
            principal=principal,
            binding=binding,
        )
    except ConnectionsError as exc:
        raise http_error(exc) from None
    return {
        "alias": connection.alias,
        "authorized": True,
        "expiresAt": connection.oauth_expires_at.isoformat()
        if connection.oauth_expires_at
        else None,
    }


@router.get("/jira")
async def callback_default(
    request: Request,
    engine: EngineDep,
    store: StoreDep,
    settings: SettingsDep,
    binding: BindingCookie = None,
    state: OptionalText = None,
    code: OptionalText = None,
    error: OptionalText = None,
    error_description: OptionalText = None,
) -> dict[str, object]:
    """Jira's redirect back for the default connection."""
    principal = await _principal(request, engine)
    return await _finish(
        store, settings, principal, None, state, code, error, error_description, binding
    )


@router.get("/jira/{alias}")
async def callback_alias(
    alias: str,
    request: Request,
    engine: EngineDep,
    store: StoreDep,
    settings: SettingsDep,
    binding: BindingCookie = None,
    state: OptionalText = None,
    code: OptionalText = None,
    error: OptionalText = None,
    error_description: OptionalText = None,
) -> dict[str, object]:
    """Jira's redirect back for the connection called ``alias``."""
    principal = await _principal(request, engine)
    return await _finish(
        store, settings, principal, alias, state, code, error, error_description, binding
    )


@router.get("/resume", status_code=307)
async def resume(
    store: StoreDep, settings: SettingsDep, state: str = "", binding: str = ""
) -> RedirectResponse:
    """Continue a flow started by ``ticketlens jira oauth``: bind this browser, go to Jira."""
    try:
        url = await resume_url(store, settings, state, binding)
    except ConnectionsError as exc:
        raise http_error(exc) from None
    response = RedirectResponse(url, status_code=307)
    response.set_cookie(
        BINDING_COOKIE,
        binding,
        max_age=int(STATE_TTL.total_seconds()),
        path="/oauth/internal",
        httponly=True,
        samesite="lax",
        secure=settings.base_url.startswith("https://"),
    )
    return response
