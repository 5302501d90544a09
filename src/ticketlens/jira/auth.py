"""How a client proves who it is: one small credential object per connection kind.

The client asks its credential for the ``Authorization`` header before every request,
and tells it when Jira answered 401. Only the OAuth credential can do anything about a
401 (refresh once); the others report it as a wrong credential straight away.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

import httpx
import structlog

from ticketlens.jira.models import OAuthTokens
from ticketlens.jira.oauth import OAuthApp, refresh_tokens

log = structlog.get_logger("ticketlens.jira")

TokenSink = Callable[[OAuthTokens], Awaitable[None]]


class Credential(Protocol):
    """Supplies the ``Authorization`` header, and may recover from one 401."""

    async def authorization(self) -> str:
        """The value of the ``Authorization`` header for the next request."""
        ...

    async def recover(self) -> bool:
        """Called after a 401; True when a retry with a new header is worth it."""
        ...


class BasicCredential:
    """HTTP Basic: Cloud's email + API token, or Data Center's user name + password."""

    def __init__(self, username: str, secret: str) -> None:
        raw = f"{username}:{secret}".encode()
        self._header = "Basic " + base64.b64encode(raw).decode("ascii")

    async def authorization(self) -> str:
        return self._header

    async def recover(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "BasicCredential(********)"


class BearerCredential:
    """A Data Center personal access token, sent as ``Authorization: Bearer`` (8.14+)."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    async def authorization(self) -> str:
        return self._header

    async def recover(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "BearerCredential(********)"


class OAuthCredential:
    """OAuth 2.0 tokens for a Data Center incoming application link.

    The access token is refreshed ``refresh_margin`` seconds before it expires, and once
    more if Jira still answers 401 (the token may have been revoked early). Every new
    token pair goes to ``on_tokens`` so the connection store can persist it encrypted:
    Jira rotates refresh tokens, so losing one would end the grant.
    """

    def __init__(
        self,
        app: OAuthApp,
        tokens: OAuthTokens,
        *,
        http: httpx.AsyncClient,
        on_tokens: TokenSink | None = None,
        refresh_margin: float = 300.0,
        connection: str = "",
    ) -> None:
        self._app = app
        self._tokens = tokens
        self._http = http
        self._on_tokens = on_tokens
        self._margin = refresh_margin
        self._lock = asyncio.Lock()
        self._connection = connection

    @property
    def tokens(self) -> OAuthTokens:
        """The current token pair."""
        return self._tokens

    async def authorization(self) -> str:
        if self._tokens.expires_at - time.time() <= self._margin:
            await self._refresh(stale=self._tokens.access_token, reason="expiring")
        return f"Bearer {self._tokens.access_token}"

    async def recover(self) -> bool:
        return await self._refresh(stale=self._tokens.access_token, reason="unauthorized")

    async def _refresh(self, *, stale: str, reason: str) -> bool:
        async with self._lock:
            if self._tokens.access_token != stale:
                return True  # another request refreshed while we waited
            if not self._tokens.refresh_token:
                return False
            tokens = await refresh_tokens(
                self._http, self._app, self._tokens.refresh_token, connection=self._connection
            )
            self._tokens = tokens
            log.info("jira.oauth.token-refreshed", connection=self._connection, reason=reason)
            if self._on_tokens is not None:
                await self._on_tokens(tokens)
            return True

    def __repr__(self) -> str:
        return "OAuthCredential(********)"
