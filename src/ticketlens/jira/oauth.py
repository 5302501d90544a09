"""OAuth 2.0 for Jira Data Center incoming application links (Jira 8.22+).

Authorization code grant with PKCE (S256). Jira's endpoints are
``/rest/oauth2/latest/authorize`` and ``/rest/oauth2/latest/token``; access tokens live
3600 s, refresh tokens 90 days, and a refresh returns a new refresh token.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import ValidationError

from ticketlens.jira.errors import OAuthError
from ticketlens.jira.models import OAuthTokens

AUTHORIZE_PATH = "/rest/oauth2/latest/authorize"
TOKEN_PATH = "/rest/oauth2/latest/token"  # noqa: S105 - an endpoint, not a secret


@dataclass(frozen=True, slots=True)
class OAuthApp:
    """One incoming application link: where it lives and how the client identifies."""

    base_url: str
    client_id: str
    client_secret: str
    redirect_uri: str

    def __repr__(self) -> str:
        return f"OAuthApp(base_url={self.base_url!r}, client_id={self.client_id!r}, ********)"


def new_verifier() -> str:
    """A PKCE code verifier: 64 URL-safe characters (RFC 7636 allows 43–128)."""
    return secrets.token_urlsafe(48)


def challenge(verifier: str) -> str:
    """The S256 code challenge for ``verifier``."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_url(app: OAuthApp, *, state: str, verifier: str, scope: str = "WRITE") -> str:
    """The URL that asks a Jira user to grant ``scope`` to this application link."""
    query = urlencode(
        {
            "client_id": app.client_id,
            "redirect_uri": app.redirect_uri,
            "response_type": "code",
            "scope": scope,
            "state": state,
            "code_challenge": challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    return f"{app.base_url.rstrip('/')}{AUTHORIZE_PATH}?{query}"


async def exchange_code(
    http: httpx.AsyncClient, app: OAuthApp, code: str, verifier: str, *, connection: str = ""
) -> OAuthTokens:
    """Trade an authorization code (and its PKCE verifier) for tokens."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "redirect_uri": app.redirect_uri,
        "code_verifier": verifier,
    }
    return await _token_request(http, app, form, connection=connection, what="authorization code")


async def refresh_tokens(
    http: httpx.AsyncClient, app: OAuthApp, refresh_token: str, *, connection: str = ""
) -> OAuthTokens:
    """Trade a refresh token for a new access token (and a new refresh token)."""
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "redirect_uri": app.redirect_uri,
    }
    return await _token_request(http, app, form, connection=connection, what="refresh token")


async def _token_request(
    http: httpx.AsyncClient,
    app: OAuthApp,
    form: dict[str, str],
    *,
    connection: str,
    what: str,
) -> OAuthTokens:
    url = f"{app.base_url.rstrip('/')}{TOKEN_PATH}"
    try:
        response = await http.post(url, data=form, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise OAuthError(
            f"cannot reach Jira's OAuth token endpoint {url}: {type(exc).__name__}",
            connection=connection,
        ) from None
    body = _json(response)
    if response.status_code != 200:
        reason = str(body.get("error_description") or body.get("error") or response.status_code)
        hint = (
            "start the OAuth flow again (`ticketlens jira oauth ALIAS`)"
            if what == "refresh token"
            else "start the OAuth flow again; check the client id and secret"
        )
        raise OAuthError(f"Jira refused the {what}: {reason}; {hint}", connection=connection)
    try:
        expires_in = float(body.get("expires_in", 3600))
        return OAuthTokens(
            access_token=body["access_token"],
            refresh_token=body.get("refresh_token") or form.get("refresh_token"),
            expires_at=time.time() + expires_in,
            scope=body.get("scope"),
        )
    except (KeyError, TypeError, ValueError, ValidationError):
        raise OAuthError(
            f"Jira's token endpoint answered without an access token for the {what}",
            connection=connection,
        ) from None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
