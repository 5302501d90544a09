"""The OAuth 2.0 dance for ``datacenter-oauth`` connections: start, then callback.

``state`` is 32 random bytes, stored only as its SHA-256, single-use, valid for 10
minutes, and bound to the principal who started the flow: the callback must come from
the same principal (its bearer token) or from the browser that started it (a cookie
holding a second random value, the *binding*). The PKCE verifier is stored encrypted.
A wrong, replayed or expired ``state``, a state from someone else, or a denied consent
stores nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import structlog
from sqlalchemy import delete, insert, select, update

from ticketlens.connections.clients import client_config, oauth_app
from ticketlens.connections.errors import OAuthFlowError
from ticketlens.connections.models import Connection, ConnectionKind, redirect_uri
from ticketlens.connections.store import ConnectionStore
from ticketlens.connections.tables import jira_connections, jira_oauth_states
from ticketlens.jira import OAuthApp, OAuthError, authorize_url, exchange_code
from ticketlens.jira.oauth import new_verifier
from ticketlens.jira.session import build_http
from ticketlens.settings import Settings

log = structlog.get_logger("ticketlens.connections")

STATE_TTL = timedelta(minutes=10)
SCOPE = "WRITE"
BINDING_COOKIE = "ticketlens_oauth"


@dataclass(frozen=True)
class OAuthStart:
    """A started flow: where to send the browser, and the browser's binding value."""

    authorize_url: str
    state: str
    binding: str
    alias: str
    redirect_uri: str


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _app(settings: Settings, connection: Connection, redirect: str) -> OAuthApp:
    app = oauth_app(settings, connection)
    return OAuthApp(app.base_url, app.client_id, app.client_secret, redirect)


async def start_oauth(
    store: ConnectionStore, settings: Settings, alias: str, principal: str
) -> OAuthStart:
    """Begin authorizing ``alias``: record a fresh state and build Jira's authorize URL."""
    connection = await store.get(alias)
    if connection.kind is not ConnectionKind.DATACENTER_OAUTH:
        raise OAuthFlowError(
            f"connection {alias!r} is {connection.kind.value}; only datacenter-oauth "
            "connections use the OAuth flow"
        )
    state, binding, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), new_verifier()
    redirect = redirect_uri(settings.base_url, alias, is_default=connection.is_default)
    now = _now()
    async with store.engine.begin() as conn:
        await conn.execute(delete(jira_oauth_states).where(jira_oauth_states.c.expires_at < now))
        await conn.execute(
            insert(jira_oauth_states).values(
                state_hash=_digest(state),
                connection_id=connection.id,
                principal=principal,
                binding_hash=_digest(binding),
                redirect_uri=redirect,
                verifier=store.box.seal({"verifier": verifier}),
                created_at=now,
                expires_at=now + STATE_TTL,
            )
        )
    url = authorize_url(
        _app(settings, connection, redirect), state=state, verifier=verifier, scope=SCOPE
    )
    log.info("connections.oauth.started", connection=alias, principal=principal)
    return OAuthStart(url, state, binding, alias, redirect)


async def resume_url(store: ConnectionStore, settings: Settings, state: str, binding: str) -> str:
    """Jira's authorize URL again for a started, unused state whose binding matches.

    This is how a flow started from the CLI reaches a browser: the CLI prints a ticketlens
    URL carrying state and binding; opening it sets the binding cookie and redirects here.
    """
    async with store.engine.connect() as conn:
        row = (
            await conn.execute(
                select(jira_oauth_states).where(jira_oauth_states.c.state_hash == _digest(state))
            )
        ).first()
    if row is None or row.used_at is not None or _aware(row.expires_at) < _now():
        raise OAuthFlowError(_STATE_HELP)
    if not hmac.compare_digest(row.binding_hash, _digest(binding)):
        raise OAuthFlowError(_STATE_HELP)
    connection = await _connection_by_id(store, row.connection_id)
    verifier = str(store.box.open(row.verifier)["verifier"])
    app = _app(settings, connection, row.redirect_uri)
    return authorize_url(app, state=state, verifier=verifier, scope=SCOPE)


_STATE_HELP = (
    "the OAuth state is unknown, was already used, or has expired (it lasts 10 minutes "
    "and works once). Nothing was stored; start again with `ticketlens jira oauth ALIAS` "
    "or GET /api/v1/jira/configurations/ALIAS/oauth/start"
)


async def finish_oauth(
    store: ConnectionStore,
    settings: Settings,
    *,
    route_alias: str | None,
    state: str | None,
    code: str | None,
    error: str | None,
    error_description: str | None,
    principal: str | None,
    binding: str | None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Connection:
    """Handle Jira's redirect back: check ``state``, exchange ``code``, store the tokens."""
    if not state:
        raise OAuthFlowError("the OAuth callback has no state parameter; " + _STATE_HELP)
    now = _now()
    digest = _digest(state)
    async with store.engine.begin() as conn:
        row = (
            await conn.execute(
                select(jira_oauth_states).where(jira_oauth_states.c.state_hash == digest)
            )
        ).first()
        consumed = await conn.execute(
            update(jira_oauth_states)
            .where(jira_oauth_states.c.state_hash == digest, jira_oauth_states.c.used_at.is_(None))
            .values(used_at=now)
        )
    if row is None or consumed.rowcount != 1:
        log.warning("connections.oauth.state-refused", reason="unknown-or-used")
        raise OAuthFlowError(_STATE_HELP)
    if _aware(row.expires_at) < now:
        log.warning("connections.oauth.state-refused", reason="expired")
        raise OAuthFlowError(_STATE_HELP)
    same_principal = principal is not None and hmac.compare_digest(row.principal, principal)
    same_browser = binding is not None and hmac.compare_digest(row.binding_hash, _digest(binding))
    if not (same_principal or same_browser):
        log.warning("connections.oauth.state-refused", reason="other-principal")
        raise OAuthFlowError(
            "this OAuth flow was started by another user or browser; nothing was stored. "
            "Start it yourself from the same browser"
        )
    connection = await _connection_by_id(store, row.connection_id)
    if route_alias is not None and route_alias != connection.alias:
        raise OAuthFlowError(
            f"this callback is for connection {route_alias!r} but the flow was started for "
            f"{connection.alias!r}; nothing was stored. Check the redirect URL in Jira: it "
            f"should be {row.redirect_uri}"
        )
    if error:
        reason = "the user denied access" if error == "access_denied" else error
        detail = f" ({error_description})" if error_description else ""
        log.info("connections.oauth.denied", connection=connection.alias, error=error)
        raise OAuthFlowError(
            f"Jira did not authorize connection {connection.alias!r}: {reason}{detail}. "
            "Nothing was stored; start the flow again and choose Allow"
        )
    if not code:
        raise OAuthFlowError("the OAuth callback has no code; nothing was stored")
    verifier = str(store.box.open(row.verifier)["verifier"])
    config = client_config(settings, connection)
    async with build_http(config, transport) as http:
        try:
            tokens = await exchange_code(
                http,
                _app(settings, connection, row.redirect_uri),
                code,
                verifier,
                connection=connection.alias,
            )
        except OAuthError as exc:
            raise OAuthFlowError(f"{exc}. Nothing was stored") from None
    await store.save_oauth_tokens(connection.alias, tokens)
    log.info("connections.oauth.authorized", connection=connection.alias)
    return await store.get(connection.alias)


async def _connection_by_id(store: ConnectionStore, connection_id: int) -> Connection:
    async with store.engine.connect() as conn:
        alias = await conn.scalar(
            select(jira_connections.c.alias).where(jira_connections.c.id == connection_id)
        )
    if alias is None:
        raise OAuthFlowError("the connection this OAuth flow was for no longer exists")
    return await store.get(alias)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
