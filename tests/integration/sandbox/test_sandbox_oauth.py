"""The OAuth 2.0 provider, driven headlessly: authorize, approve, token, refresh, expiry."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from sandbox_harness import SandboxHandle, running_sandbox

CLIENT_ID, CLIENT_SECRET = "ticketlens", "client-secret"
REDIRECT = "http://127.0.0.1:8000/oauth/internal/jira/dc"


@pytest.fixture
def dc() -> Iterator[SandboxHandle]:
    with running_sandbox(
        flavor="datacenter",
        issues=50,
        oauth_clients=[f"{CLIENT_ID}:{CLIENT_SECRET}:{REDIRECT}"],
        access_token_ttl=600,
    ) as handle:
        yield handle


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _authorize(
    dc: SandboxHandle, challenge: str, state: str, scope: str = "WRITE", decision: str = "allow"
) -> dict[str, list[str]]:
    """Open the approve page, submit its form as a browser would, return the redirect query."""
    page = httpx.get(
        f"{dc.base_url}/rest/oauth2/latest/authorize",
        params={
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "scope": scope,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
    )
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page.text))
    action = re.search(r'<form id="approve" method="post" action="([^"]+)"', page.text)
    assert action is not None
    submitted = httpx.post(
        f"{dc.base_url}{action.group(1)}", data={**form, "user": "admin", "decision": decision}
    )
    assert submitted.status_code == 302
    location = submitted.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return parse_qs(urlsplit(location).query)


def _token(dc: SandboxHandle, **form: str) -> httpx.Response:
    return httpx.post(
        f"{dc.base_url}/rest/oauth2/latest/token",
        data={"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **form},
    )


def _myself(dc: SandboxHandle, token: str) -> httpx.Response:
    return httpx.get(f"{dc.api()}/myself", headers={"Authorization": f"Bearer {token}"})


def _exchange(dc: SandboxHandle, scope: str = "WRITE") -> dict[str, object]:
    verifier, challenge = _pkce()
    query = _authorize(dc, challenge, "st-1", scope)
    response = _token(
        dc,
        grant_type="authorization_code",
        code=query["code"][0],
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_full_dance_gives_a_working_bearer_token(dc: SandboxHandle) -> None:
    verifier, challenge = _pkce()
    query = _authorize(dc, challenge, "state-123")
    assert query["state"] == ["state-123"]
    tokens = _token(
        dc,
        grant_type="authorization_code",
        code=query["code"][0],
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    ).json()
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 600
    assert tokens["scope"] == "WRITE"
    me = _myself(dc, str(tokens["access_token"]))
    assert me.status_code == 200
    assert me.json()["name"] == "admin"


def test_a_code_is_single_use(dc: SandboxHandle) -> None:
    verifier, challenge = _pkce()
    code = _authorize(dc, challenge, "s")["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier}
    assert _token(dc, **form).status_code == 200
    again = _token(dc, **form)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_a_wrong_code_verifier_is_refused(dc: SandboxHandle) -> None:
    _, challenge = _pkce()
    code = _authorize(dc, challenge, "s")["code"][0]
    wrong = _token(dc, grant_type="authorization_code", code=code, code_verifier="not-it")
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"


def test_a_wrong_client_secret_is_refused(dc: SandboxHandle) -> None:
    response = httpx.post(
        f"{dc.base_url}/rest/oauth2/latest/token",
        data={"client_id": CLIENT_ID, "client_secret": "nope", "grant_type": "refresh_token"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_denying_redirects_with_access_denied(dc: SandboxHandle) -> None:
    _, challenge = _pkce()
    query = _authorize(dc, challenge, "s-9", decision="deny")
    assert query == {"error": ["access_denied"], "state": ["s-9"]}


def test_an_unregistered_redirect_uri_is_refused(dc: SandboxHandle) -> None:
    response = httpx.get(
        f"{dc.base_url}/rest/oauth2/latest/authorize",
        params={"client_id": CLIENT_ID, "redirect_uri": "http://evil.example/cb", "scope": "READ"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_an_expired_access_token_is_refused_and_refresh_renews_it(dc: SandboxHandle) -> None:
    tokens = _exchange(dc)
    dc.advance_clock(601)
    expired = _myself(dc, str(tokens["access_token"]))
    assert expired.status_code == 401
    renewed = _token(dc, grant_type="refresh_token", refresh_token=str(tokens["refresh_token"]))
    assert renewed.status_code == 200
    fresh = renewed.json()
    assert fresh["access_token"] != tokens["access_token"]
    assert _myself(dc, fresh["access_token"]).status_code == 200


def test_refresh_tokens_rotate(dc: SandboxHandle) -> None:
    tokens = _exchange(dc)
    old = str(tokens["refresh_token"])
    assert _token(dc, grant_type="refresh_token", refresh_token=old).status_code == 200
    reused = _token(dc, grant_type="refresh_token", refresh_token=old)
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"


def test_refresh_tokens_expire_after_ninety_days(dc: SandboxHandle) -> None:
    tokens = _exchange(dc)
    dc.advance_clock(90 * 86400 + 1)
    late = _token(dc, grant_type="refresh_token", refresh_token=str(tokens["refresh_token"]))
    assert late.status_code == 400
    assert "expired" in late.json()["error_description"]


def test_the_expire_control_ends_every_access_token(dc: SandboxHandle) -> None:
    tokens = _exchange(dc)
    assert dc.expire_access_tokens() >= 1
    assert _myself(dc, str(tokens["access_token"])).status_code == 401


def test_a_read_scope_token_cannot_write(dc: SandboxHandle) -> None:
    tokens = _exchange(dc, scope="READ")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert httpx.get(f"{dc.api()}/issue/PAY-1", headers=headers).status_code in (200, 404)
    write = httpx.post(
        f"{dc.api()}/issue",
        headers=headers,
        json={"fields": {"project": {"key": "PAY"}, "summary": "x", "issuetype": {"name": "Bug"}}},
    )
    assert write.status_code == 403
    assert "WRITE" in write.json()["errorMessages"][0]


def test_cloud_has_no_oauth_provider() -> None:
    with running_sandbox(flavor="cloud", issues=0) as cloud:
        response = httpx.post(f"{cloud.base_url}/rest/oauth2/latest/token", data={})
        assert response.status_code == 404
