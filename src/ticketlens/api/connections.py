"""``/api/v1/jira/...``: Jira connections ("configurations"), admin only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Response, status
from fastapi.responses import RedirectResponse

from ticketlens.api.deps import Admin, EngineDep, SettingsDep
from ticketlens.connections import (
    BINDING_COOKIE,
    ConnectionCreate,
    ConnectionExists,
    ConnectionNotFound,
    ConnectionPublic,
    ConnectionsError,
    ConnectionStore,
    ConnectionUpdate,
    DefaultRequired,
    InvalidConnection,
    OAuthFlowError,
    SecretsUnreadable,
    ValidationReport,
    connection_store,
    start_oauth,
    to_public,
    validate_connection,
)
from ticketlens.connections.oauth_flow import STATE_TTL

router = APIRouter(prefix="/api/v1/jira", tags=["jira connections"])


def get_store(engine: EngineDep, settings: SettingsDep) -> ConnectionStore:
    """The connection store for this request."""
    return connection_store(engine, settings)


StoreDep = Annotated[ConnectionStore, Depends(get_store)]


def http_error(exc: ConnectionsError) -> HTTPException:
    """The HTTP status for a refusal from the connections service."""
    code = {
        ConnectionNotFound: status.HTTP_404_NOT_FOUND,
        ConnectionExists: status.HTTP_409_CONFLICT,
        DefaultRequired: status.HTTP_409_CONFLICT,
        InvalidConnection: status.HTTP_422_UNPROCESSABLE_CONTENT,
        OAuthFlowError: status.HTTP_400_BAD_REQUEST,
        SecretsUnreadable: status.HTTP_500_INTERNAL_SERVER_ERROR,
    }.get(type(exc), status.HTTP_409_CONFLICT)
    return HTTPException(code, detail=str(exc))


def _public(settings: SettingsDep, connection: Any) -> dict[str, Any]:
    return to_public(connection, base_url=settings.base_url).model_dump(mode="json", by_alias=True)


@router.get("/configurations")
async def list_configurations(
    _: Admin, store: StoreDep, settings: SettingsDep
) -> dict[str, list[dict[str, Any]]]:
    """Every Jira connection, secrets masked."""
    try:
        found = await store.list()
    except ConnectionsError as exc:
        raise http_error(exc) from None
    return {"configurations": [_public(settings, c) for c in found]}


@router.post(
    "/configurations",
    status_code=status.HTTP_201_CREATED,
    response_model=ConnectionPublic,
    response_model_by_alias=True,
)
async def create_configuration(
    body: ConnectionCreate, _: Admin, store: StoreDep, settings: SettingsDep
) -> dict[str, Any]:
    """Add a Jira connection; the first becomes the default."""
    try:
        created = await store.create(body, default_timeout=settings.jira_timeout_seconds)
    except ConnectionsError as exc:
        raise http_error(exc) from None
    return _public(settings, created)


@router.get("/default-configuration", response_model=ConnectionPublic, response_model_by_alias=True)
async def default_configuration(_: Admin, store: StoreDep, settings: SettingsDep) -> dict[str, Any]:
    """The default Jira connection."""
    try:
        return _public(settings, await store.default())
    except ConnectionsError as exc:
        raise http_error(exc) from None


@router.get(
    "/configurations/{alias}", response_model=ConnectionPublic, response_model_by_alias=True
)
async def get_configuration(
    alias: str, _: Admin, store: StoreDep, settings: SettingsDep
) -> dict[str, Any]:
    """One Jira connection."""
    try:
        return _public(settings, await store.get(alias))
    except ConnectionsError as exc:
        raise http_error(exc) from None


@router.put(
    "/configurations/{alias}", response_model=ConnectionPublic, response_model_by_alias=True
)
async def update_configuration(
    alias: str, body: ConnectionUpdate, _: Admin, store: StoreDep, settings: SettingsDep
) -> dict[str, Any]:
    """Change a connection; its alias cannot change, omitted secrets stay."""
    try:
        return _public(settings, await store.update(alias, body))
    except ConnectionsError as exc:
        raise http_error(exc) from None


@router.delete("/configurations/{alias}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_configuration(alias: str, _: Admin, store: StoreDep) -> Response:
    """Remove a connection (the default only when it is the last)."""
    try:
        await store.delete(alias)
    except ConnectionsError as exc:
        raise http_error(exc) from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/configurations/{alias}/default",
    response_model=ConnectionPublic,
    response_model_by_alias=True,
)
async def set_default_configuration(
    alias: str, _: Admin, store: StoreDep, settings: SettingsDep
) -> dict[str, Any]:
    """Make this connection the default."""
    try:
        return _public(settings, await store.set_default(alias))
    except ConnectionsError as exc:
        raise http_error(exc) from None


@router.post(
    "/configurations/{alias}/validate",
    response_model=ValidationReport,
    response_model_by_alias=True,
)
async def validate_configuration(
    alias: str, _: Admin, store: StoreDep, settings: SettingsDep
) -> ValidationReport:
    """Test the connection against Jira: reach, flavor, credential, permissions."""
    try:
        return await validate_connection(store, settings, alias)
    except ConnectionsError as exc:
        raise http_error(exc) from None


@router.get("/configurations/{alias}/oauth/start", status_code=status.HTTP_307_TEMPORARY_REDIRECT)
async def oauth_start(
    alias: str, principal: Admin, store: StoreDep, settings: SettingsDep
) -> RedirectResponse:
    """Redirect to Jira to authorize a datacenter-oauth connection (PKCE, scope WRITE)."""
    try:
        started = await start_oauth(store, settings, alias, principal.name)
    except ConnectionsError as exc:
        raise http_error(exc) from None
    response = RedirectResponse(started.authorize_url, status_code=307)
    response.set_cookie(
        BINDING_COOKIE,
        started.binding,
        max_age=int(STATE_TTL.total_seconds()),
        path="/oauth/internal",
        httponly=True,
        samesite="lax",
        secure=settings.base_url.startswith("https://"),
    )
    return response
