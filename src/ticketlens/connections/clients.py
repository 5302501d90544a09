"""Building a ``JiraClient`` for a stored connection, with settings applied."""

from __future__ import annotations

import httpx

from ticketlens.connections.errors import OAuthFlowError
from ticketlens.connections.models import Connection, ConnectionKind, redirect_uri
from ticketlens.connections.store import ConnectionStore
from ticketlens.jira import (
    BasicCredential,
    BearerCredential,
    ClientConfig,
    Credential,
    JiraClient,
    OAuthApp,
    OAuthCredential,
    OAuthTokens,
    RetryPolicy,
)
from ticketlens.jira.session import build_http
from ticketlens.settings import Settings


def retry_policy(settings: Settings) -> RetryPolicy:
    """The backoff settings as a ``RetryPolicy``."""
    return RetryPolicy(
        max_retries=settings.jira_max_retries,
        initial_delay=settings.jira_backoff_initial_seconds,
        multiplier=settings.jira_backoff_multiplier,
        max_delay=settings.jira_backoff_max_seconds,
        jitter_min=settings.jira_backoff_jitter_min,
        jitter_max=settings.jira_backoff_jitter_max,
        max_retry_after=settings.jira_max_retry_after_seconds,
    )


def client_config(settings: Settings, connection: Connection) -> ClientConfig:
    """The transport settings of ``connection``."""
    cloud = connection.kind is ConnectionKind.CLOUD
    return ClientConfig(
        base_url=connection.url,
        flavor="cloud" if cloud else "datacenter",
        name=connection.alias,
        proxy=connection.proxy,
        ca_bundle=connection.ca_bundle,
        timeout=connection.timeout_seconds,
        retry=retry_policy(settings),
        concurrency=settings.jira_concurrency,
        page_size=settings.jira_cloud_page_size if cloud else settings.jira_datacenter_page_size,
    )


def oauth_app(settings: Settings, connection: Connection) -> OAuthApp:
    """The application-link identity of an OAuth connection."""
    return OAuthApp(
        base_url=connection.url,
        client_id=connection.client_id or "",
        client_secret=connection.secrets.get("clientSecret") or "",
        redirect_uri=redirect_uri(
            settings.base_url, connection.alias, is_default=connection.is_default
        ),
    )


def open_client(
    settings: Settings,
    connection: Connection,
    *,
    store: ConnectionStore | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> JiraClient:
    """A new client for ``connection``. Close it (``async with``) when done.

    An OAuth client saves refreshed tokens through ``store``.
    """
    config = client_config(settings, connection)
    http = build_http(config, transport)
    credential: Credential
    s = connection.secrets
    if connection.kind is ConnectionKind.CLOUD or connection.kind is (
        ConnectionKind.DATACENTER_BASIC
    ):
        secret = s.get("apiToken") if connection.kind is ConnectionKind.CLOUD else s.get("password")
        credential = BasicCredential(connection.username or "", secret or "")
    elif connection.kind is ConnectionKind.DATACENTER_PAT:
        credential = BearerCredential(s.get("personalAccessToken") or "")
    else:
        access = s.get("accessToken")
        if not access:
            raise OAuthFlowError(
                f"connection {connection.alias!r} has no OAuth tokens yet; authorize it "
                f"first with `ticketlens jira oauth {connection.alias}`"
            )
        expires = connection.oauth_expires_at.timestamp() if connection.oauth_expires_at else 0.0
        tokens = OAuthTokens(
            access_token=access, refresh_token=s.get("refreshToken"), expires_at=expires
        )
        alias = connection.alias

        async def save(new: OAuthTokens) -> None:
            if store is not None:
                await store.save_oauth_tokens(alias, new)

        credential = OAuthCredential(
            oauth_app(settings, connection),
            tokens,
            http=http,
            on_tokens=save,
            refresh_margin=settings.jira_oauth_refresh_margin_seconds,
            connection=alias,
        )
    return JiraClient(config, credential, http=http)
