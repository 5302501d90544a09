"""OAuth 2.0: refresh before expiry, once after a 401, and PKCE S256."""

from __future__ import annotations

import base64
import hashlib
import time
import urllib.parse

import httpx
import pytest

from ticketlens.jira import (
    ClientConfig,
    JiraClient,
    OAuthApp,
    OAuthCredential,
    OAuthError,
    OAuthTokens,
    Unauthorized,
    authorize_url,
)
from ticketlens.jira.oauth import challenge, new_verifier

APP = OAuthApp("https://jira.example.com", "cid", "csecret", "http://tl/oauth/internal/jira")
INFO = {"version": "9.12.0", "deploymentType": "Server"}


class FakeJira:
    """Accepts one live access token; the token endpoint rotates both tokens."""

    def __init__(self, live: str = "a0", refresh: str = "r0") -> None:
        self.live = live
        self.refresh = refresh
        self.issued = 0
        self.api_calls: list[str] = []
        self.reject_next = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/rest/oauth2/latest/token":
            form = dict(urllib.parse.parse_qsl(request.content.decode()))
            if form.get("refresh_token") != self.refresh:
                return httpx.Response(400, json={"error": "invalid_grant"})
            self.issued += 1
            self.live, self.refresh = f"a{self.issued}", f"r{self.issued}"
            return httpx.Response(
                200,
                json={"access_token": self.live, "refresh_token": self.refresh, "expires_in": 3600},
            )
        self.api_calls.append(request.headers["authorization"])
        if self.reject_next:
            self.reject_next -= 1
            return httpx.Response(401)
        if request.headers["authorization"] != f"Bearer {self.live}":
            return httpx.Response(401)
        return httpx.Response(200, json=INFO)


def client_for(jira: FakeJira, tokens: OAuthTokens, saved: list[OAuthTokens]) -> JiraClient:
    transport = httpx.MockTransport(jira)
    http = httpx.AsyncClient(transport=transport)

    async def save(new: OAuthTokens) -> None:
        saved.append(new)

    credential = OAuthCredential(APP, tokens, http=http, on_tokens=save, refresh_margin=60)
    return JiraClient(ClientConfig(APP.base_url, "datacenter", name="dc"), credential, http=http)


async def test_an_expiring_access_token_is_refreshed_before_the_request() -> None:
    jira = FakeJira()
    saved: list[OAuthTokens] = []
    tokens = OAuthTokens(access_token="a0", refresh_token="r0", expires_at=time.time() + 30)
    async with client_for(jira, tokens, saved) as client:
        await client.server_info()
    assert jira.api_calls == ["Bearer a1"]
    assert [t.refresh_token for t in saved] == ["r1"]


async def test_a_401_triggers_exactly_one_refresh_and_retry() -> None:
    jira = FakeJira()
    saved: list[OAuthTokens] = []
    tokens = OAuthTokens(access_token="revoked", refresh_token="r0", expires_at=time.time() + 3000)
    async with client_for(jira, tokens, saved) as client:
        await client.server_info()
    assert jira.api_calls == ["Bearer revoked", "Bearer a1"]
    assert len(saved) == 1


async def test_a_second_401_after_refresh_is_reported_not_looped() -> None:
    jira = FakeJira()
    jira.reject_next = 5
    tokens = OAuthTokens(access_token="a0", refresh_token="r0", expires_at=time.time() + 3000)
    async with client_for(jira, tokens, []) as client:
        with pytest.raises(Unauthorized):
            await client.server_info()
    assert len(jira.api_calls) == 2
    assert jira.issued == 1


async def test_a_refused_refresh_token_says_to_authorize_again() -> None:
    jira = FakeJira(refresh="other")
    tokens = OAuthTokens(access_token="a0", refresh_token="r0", expires_at=time.time() - 1)
    async with client_for(jira, tokens, []) as client:
        with pytest.raises(OAuthError, match="start the OAuth flow again"):
            await client.server_info()


def test_authorize_url_asks_for_write_with_pkce_s256() -> None:
    verifier = new_verifier()
    url = httpx.URL(authorize_url(APP, state="st", verifier=verifier))
    params = dict(url.params)
    assert url.path == "/rest/oauth2/latest/authorize"
    assert params["scope"] == "WRITE"
    assert params["code_challenge_method"] == "S256"
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert params["code_challenge"] == expected.decode() == challenge(verifier)
    assert params["state"] == "st"
    assert params["redirect_uri"] == APP.redirect_uri
    assert 43 <= len(verifier) <= 128


def test_credentials_never_show_their_secrets_in_repr() -> None:
    tokens = OAuthTokens(access_token="tok-SECRET", refresh_token="ref-SECRET", expires_at=0)
    credential = OAuthCredential(APP, tokens, http=httpx.AsyncClient())
    assert "SECRET" not in repr(credential)
    assert "csecret" not in repr(APP)
