"""An OAuth 2.0 provider shaped like Jira Data Center's incoming application links (8.22+).

``GET /rest/oauth2/latest/authorize`` shows an approve page; approving redirects to the
client's registered redirect URI with ``code`` and ``state``. ``POST
/rest/oauth2/latest/token`` exchanges a code (with PKCE S256) or a refresh token. Codes are
single-use and live 10 minutes; refresh tokens rotate on use.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from ticketlens.sandbox.options import OAuthClient

SCOPES = ("READ", "WRITE", "ADMIN", "SYSTEM_ADMIN")
WRITE_SCOPES = frozenset({"WRITE", "ADMIN", "SYSTEM_ADMIN"})
CODE_TTL = 600.0


class OAuthError(Exception):
    """An RFC 6749 error: ``error`` code, description and HTTP status."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status


@dataclass(slots=True)
class _Grant:
    client_id: str
    user: str
    scope: str
    expires_at: float
    redirect_uri: str = ""
    challenge: str | None = None


@dataclass(frozen=True, slots=True)
class AccessGrant:
    """Who an access token acts for, and with which scope."""

    client_id: str
    user: str
    scope: str


class OAuthProvider:
    """Clients, codes and tokens; ``clock`` is the sandbox's (advanceable) clock."""

    def __init__(
        self,
        clients: tuple[OAuthClient, ...],
        access_ttl: float,
        refresh_ttl: float,
        clock: Callable[[], float],
    ) -> None:
        self.clients = {c.client_id: c for c in clients}
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        self._clock = clock
        self._codes: dict[str, _Grant] = {}
        self._access: dict[str, _Grant] = {}
        self._refresh: dict[str, _Grant] = {}

    # ------------------------------------------------------------ authorize

    def check_request(self, client_id: str, redirect_uri: str | None, scope: str) -> OAuthClient:
        """Validate an authorize request: known client, its redirect URI, a known scope."""
        client = self.clients.get(client_id)
        if client is None:
            raise OAuthError("invalid_client", f"client_id {client_id!r} is not registered")
        if redirect_uri and redirect_uri != client.redirect_uri:
            raise OAuthError(
                "invalid_request",
                f"redirect_uri {redirect_uri!r} does not match the registered one",
            )
        if scope.upper() not in SCOPES:
            raise OAuthError("invalid_scope", f"scope {scope!r} is not one of {', '.join(SCOPES)}")
        return client

    def approve_page(self, params: dict[str, str], users: list[str]) -> str:
        """The HTML consent page; its form posts back to the authorize URL."""
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
        )
        options = "".join(
            f'<option value="{html.escape(u)}">{html.escape(u)}</option>' for u in users
        )
        client = html.escape(params.get("client_id", ""))
        scope = html.escape(params.get("scope", "READ").upper())
        return (
            "<!doctype html><html><head><title>Allow access</title></head><body>"
            f"<h1>{client} wants to access your Jira sandbox account</h1>"
            f"<p>Requested scope: <strong>{scope}</strong></p>"
            f'<form id="approve" method="post" action="/rest/oauth2/latest/authorize">{hidden}'
            f'<label>Act as <select name="user">{options}</select></label>'
            '<button type="submit" name="decision" value="allow">Allow</button>'
            '<button type="submit" name="decision" value="deny">Deny</button>'
            "</form></body></html>"
        )

    def approve(self, params: dict[str, str], user: str) -> str:
        """Issue a code and return the redirect URL with ``code`` and ``state``."""
        client = self.check_request(
            params.get("client_id", ""), params.get("redirect_uri"), params.get("scope", "READ")
        )
        challenge = params.get("code_challenge") or None
        method = params.get("code_challenge_method", "S256" if challenge else "")
        if challenge and method != "S256":
            raise OAuthError("invalid_request", "code_challenge_method must be S256")
        code = secrets.token_urlsafe(24)
        self._codes[code] = _Grant(
            client.client_id,
            user,
            params.get("scope", "READ").upper(),
            self._clock() + CODE_TTL,
            client.redirect_uri,
            challenge,
        )
        return _redirect(client.redirect_uri, {"code": code, "state": params.get("state", "")})

    def deny(self, params: dict[str, str]) -> str:
        """The redirect URL telling the client the user said no."""
        client = self.check_request(
            params.get("client_id", ""), params.get("redirect_uri"), params.get("scope", "READ")
        )
        return _redirect(
            client.redirect_uri, {"error": "access_denied", "state": params.get("state", "")}
        )

    # ------------------------------------------------------------ token

    def token(self, form: dict[str, str]) -> dict[str, object]:
        """Answer ``POST /rest/oauth2/latest/token``."""
        client = self.clients.get(form.get("client_id", ""))
        if client is None or not hmac.compare_digest(
            client.secret.encode(), form.get("client_secret", "").encode()
        ):
            raise OAuthError("invalid_client", "unknown client or wrong client_secret", 401)
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            grant = self._codes.pop(form.get("code", ""), None)
            if grant is None or grant.client_id != client.client_id:
                raise OAuthError("invalid_grant", "the code is unknown or was already used")
            if grant.expires_at < self._clock():
                raise OAuthError("invalid_grant", "the code has expired")
            if form.get("redirect_uri", grant.redirect_uri) != grant.redirect_uri:
                raise OAuthError("invalid_grant", "redirect_uri differs from the authorize one")
            if grant.challenge is not None:
                verifier = form.get("code_verifier", "")
                if not verifier or not hmac.compare_digest(s256(verifier), grant.challenge):
                    raise OAuthError("invalid_grant", "code_verifier does not match the challenge")
            return self._issue(grant.client_id, grant.user, grant.scope)
        if grant_type == "refresh_token":
            grant = self._refresh.pop(form.get("refresh_token", ""), None)
            if grant is None or grant.client_id != client.client_id:
                raise OAuthError("invalid_grant", "the refresh token is unknown or was rotated")
            if grant.expires_at < self._clock():
                raise OAuthError("invalid_grant", "the refresh token has expired")
            return self._issue(grant.client_id, grant.user, grant.scope)
        raise OAuthError("unsupported_grant_type", "use authorization_code or refresh_token")

    def _issue(self, client_id: str, user: str, scope: str) -> dict[str, object]:
        now = self._clock()
        access, refresh = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self._access[access] = _Grant(client_id, user, scope, now + self.access_ttl)
        self._refresh[refresh] = _Grant(client_id, user, scope, now + self.refresh_ttl)
        return {
            "access_token": access,
            "token_type": "bearer",
            "expires_in": int(self.access_ttl),
            "refresh_token": refresh,
            "refresh_token_expires_in": int(self.refresh_ttl),
            "scope": scope,
        }

    def access(self, token: str) -> AccessGrant | None:
        """The grant behind a live access token, or None (unknown or expired)."""
        grant = self._access.get(token)
        if grant is None:
            return None
        if grant.expires_at < self._clock():
            del self._access[token]
            return None
        return AccessGrant(grant.client_id, grant.user, grant.scope)

    def expire_access_tokens(self) -> int:
        """Expire every access token now (a test control); returns how many."""
        count = len(self._access)
        self._access.clear()
        return count


def s256(verifier: str) -> str:
    """PKCE S256: base64url(sha256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _redirect(uri: str, params: dict[str, str]) -> str:
    separator = "&" if "?" in uri else "?"
    return f"{uri}{separator}{urlencode(params)}"
