"""Request dependencies: the engine, the settings and the authenticated principal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.auth import ApiToken, Role, authenticate
from ticketlens.settings import Settings


def get_engine(request: Request) -> AsyncEngine:
    """The app's database engine."""
    engine: AsyncEngine = request.app.state.engine
    return engine


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


EngineDep = Annotated[AsyncEngine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def current_principal(request: Request, engine: EngineDep) -> ApiToken:
    """The token holder making this request; 401 without a valid bearer token."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="missing bearer token: send 'Authorization: Bearer <token>'; "
            "create one with `ticketlens tokens create`",
            headers={"WWW-Authenticate": "Bearer"},
        )
    principal = await authenticate(engine, token.strip())
    if principal is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="invalid or revoked token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return principal


Principal = Annotated[ApiToken, Depends(current_principal)]


def require_role(needed: Role) -> Callable[[ApiToken], Awaitable[ApiToken]]:
    """A dependency that admits principals whose role is at least ``needed``; 403 otherwise."""

    async def check(principal: Principal) -> ApiToken:
        if not principal.role.allows(needed):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                detail=f"this needs the {needed.value} role; token {principal.name!r} "
                f"has {principal.role.value}",
            )
        return principal

    return check


Viewer = Annotated[ApiToken, Depends(require_role(Role.VIEWER))]
Editor = Annotated[ApiToken, Depends(require_role(Role.EDITOR))]
Admin = Annotated[ApiToken, Depends(require_role(Role.ADMIN))]
