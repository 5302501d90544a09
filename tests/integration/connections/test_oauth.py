"""OAuth 2.0 for Data Center through the API and the sandbox's provider, over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from connections_support import BASE_URL, OAUTH_CLIENT, Api, fast_settings
from sqlalchemy import update

from sandbox_harness import SandboxHandle
from ticketlens.auth import Role, create_token
from ticketlens.connections import (
    ConnectionStore,
    OAuthFlowError,
    connection_store,
    open_client,
    resume_url,
    start_oauth,
)
from ticketlens.connections.tables import jira_oauth_states
from ticketlens.settings import Settings


def oauth_body(jira: SandboxHandle, alias: str = "dc", client: tuple[str, str] = OAUTH_CLIENT):
    return {
        "alias": alias,
        "kind": "datacenter-oauth",
        "url": jira.base_url,
        "clientId": client[0],
        "clientSecret": client[1],
    }


async def consent(authorize_url: str, decision: str = "allow") -> httpx.URL:
    """Play the Jira user: open the authorize page, then allow or deny."""
    async with httpx.AsyncClient() as browser:
        page = await browser.get(authorize_url)
        assert page.status_code == 200, page.text
        assert "WRITE" in page.text
        form = {**dict(httpx.URL(authorize_url).params), "user": "admin", "decision": decision}
        answer = await browser.post(authorize_url.split("?")[0], data=form)
    assert answer.status_code == 302, answer.text
    return httpx.URL(answer.headers["location"])


async def start(api: Api, alias: str = "dc") -> str:
    response = await api.request("GET", f"/api/v1/jira/configurations/{alias}/oauth/start")
    assert response.status_code == 307, response.text
    return response.headers["location"]


async def callback(api: Api, target: httpx.URL, role: Role | None = None) -> httpx.Response:
    assert str(target).startswith(BASE_URL)
    path = target.raw_path.decode()
    return await api.request("GET", path, role=role)


async def authorized(api: Api, alias: str = "dc") -> bool:
    response = await api.request("GET", f"/api/v1/jira/configurations/{alias}")
    return bool(response.json()["hasOAuthTokens"])


async def test_the_whole_flow_stores_tokens_and_the_connection_validates(
    api: Api, datacenter: SandboxHandle
) -> None:
    created = await api.request("POST", "/api/v1/jira/configurations", json=oauth_body(datacenter))
    assert created.status_code == 201, created.text
    assert created.json()["oauthRedirectUrl"] == f"{BASE_URL}/oauth/internal/jira"
    url = httpx.URL(await start(api))
    params = dict(url.params)
    assert url.path == "/rest/oauth2/latest/authorize"
    assert params["scope"] == "WRITE"
    assert params["code_challenge_method"] == "S256"
    assert params["redirect_uri"] == f"{BASE_URL}/oauth/internal/jira"
    back = await callback(api, await consent(str(url)))
    assert back.status_code == 200, back.text
    assert back.json()["authorized"] is True
    shown = (await api.request("GET", "/api/v1/jira/configurations/dc")).json()
    assert shown["hasOAuthTokens"] and shown["clientSecret"] == "********"
    report = await api.request("POST", "/api/v1/jira/configurations/dc/validate")
    assert report.json()["ok"], report.json()
    assert report.json()["user"] == "Sandbox Admin"


async def test_a_replayed_state_is_refused_and_changes_nothing(
    api: Api, datacenter: SandboxHandle, store_for_api: ConnectionStore
) -> None:
    await api.request("POST", "/api/v1/jira/configurations", json=oauth_body(datacenter))
    target = await consent(await start(api))
    assert (await callback(api, target)).status_code == 200
    before = (await store_for_api.get("dc")).secrets.plain()
    again = await callback(api, target)
    assert again.status_code == 400
    assert "already used" in again.json()["detail"]
    assert (await store_for_api.get("dc")).secrets.plain() == before


async def test_an_expired_state_is_refused_and_stores_nothing(
    api: Api, datacenter: SandboxHandle
) -> None:
    await api.request("POST", "/api/v1/jira/configurations", json=oauth_body(datacenter))
    target = await consent(await start(api))
    async with api.app.state.engine.begin() as conn:
        await conn.execute(
            update(jira_oauth_states).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    refused = await callback(api, target)
    assert refused.status_code == 400
    assert "expired" in refused.json()["detail"] and "10 minutes" in refused.json()["detail"]
    assert not await authorized(api)


async def test_a_denied_consent_is_reported_and_stores_nothing(
    api: Api, datacenter: SandboxHandle
) -> None:
    await api.request("POST", "/api/v1/jira/configurations", json=oauth_body(datacenter))
    target = await consent(await start(api), decision="deny")
    assert target.params["error"] == "access_denied"
    refused = await callback(api, target)
    assert refused.status_code == 400
    assert "the user denied access" in refused.json()["detail"]
    assert "Nothing was stored" in refused.json()["detail"]
    assert not await authorized(api)


async def test_a_state_started_by_someone_else_is_refused(
    api: Api, datacenter: SandboxHandle
) -> None:
    await api.request("POST", "/api/v1/jira/configurations", json=oauth_body(datacenter))
    target = await consent(await start(api))
    api.client.cookies.clear()  # another browser, and another admin's token
    other = await create_token(api.app.state.engine, "other-admin", Role.ADMIN)
    refused = await api.client.get(
        target.raw_path.decode(), headers={"Authorization": f"Bearer {other}"}
    )
    assert refused.status_code == 400
    assert "started by another user" in refused.json()["detail"]
    assert not await authorized(api)


async def test_the_principal_who_started_may_finish_without_the_browser_cookie(
    api: Api, datacenter: SandboxHandle
) -> None:
    await api.request("POST", "/api/v1/jira/configurations", json=oauth_body(datacenter))
    target = await consent(await start(api))
    api.client.cookies.clear()
    assert (await callback(api, target, role=Role.ADMIN)).status_code == 200
    assert await authorized(api)


async def test_a_wrong_state_is_refused(api: Api, datacenter: SandboxHandle) -> None:
    await api.request("POST", "/api/v1/jira/configurations", json=oauth_body(datacenter))
    await start(api)
    refused = await api.request("GET", "/oauth/internal/jira?state=forged&code=x", role=None)
    assert refused.status_code == 400
    assert "unknown" in refused.json()["detail"]
    assert not await authorized(api)


async def test_a_non_default_connection_uses_its_alias_redirect(
    api: Api, datacenter: SandboxHandle
) -> None:
    first = {"alias": "main", "kind": "datacenter-pat", "url": datacenter.base_url}
    await api.request(
        "POST", "/api/v1/jira/configurations", json={**first, "personalAccessToken": "p"}
    )
    body = oauth_body(datacenter, "second", ("tl-second", "second-secret-77"))
    created = await api.request("POST", "/api/v1/jira/configurations", json=body)
    assert created.json()["oauthRedirectUrl"] == f"{BASE_URL}/oauth/internal/jira/second"
    target = await consent(await start(api, "second"))
    assert target.path == "/oauth/internal/jira/second"
    wrong = target.copy_with(path="/oauth/internal/jira/main")
    assert (await callback(api, wrong)).status_code == 400
    # the state was spent by the wrong callback: start again
    target = await consent(await start(api, "second"))
    assert (await callback(api, target)).status_code == 200
    assert await authorized(api, "second")


async def test_the_cli_flow_binds_the_browser_through_resume(
    api: Api, datacenter: SandboxHandle, store_for_api: ConnectionStore, settings: Settings
) -> None:
    await api.request("POST", "/api/v1/jira/configurations", json=oauth_body(datacenter))
    started = await start_oauth(store_for_api, settings, "dc", "cli:operator")
    resumed = await api.client.get(
        "/oauth/internal/resume", params={"state": started.state, "binding": started.binding}
    )
    assert resumed.status_code == 307
    assert resumed.headers["location"] == started.authorize_url
    back = await callback(api, await consent(started.authorize_url))
    assert back.status_code == 200, back.text
    with pytest.raises(OAuthFlowError):
        await resume_url(store_for_api, settings, started.state, started.binding)


async def test_the_client_refreshes_once_after_a_401_and_keeps_the_new_tokens(
    api: Api, datacenter: SandboxHandle, store_for_api: ConnectionStore, settings: Settings
) -> None:
    await api.request("POST", "/api/v1/jira/configurations", json=oauth_body(datacenter))
    await callback(api, await consent(await start(api)))
    before = (await store_for_api.get("dc")).secrets.plain()
    assert datacenter.expire_access_tokens() == 1
    connection = await store_for_api.get("dc")
    async with open_client(settings, connection, store=store_for_api) as client:
        me = await client.myself()
    assert me.name == "admin"
    after = (await store_for_api.get("dc")).secrets.plain()
    assert after["accessToken"] != before["accessToken"]
    assert after["refreshToken"] != before["refreshToken"]  # Jira rotates refresh tokens
    assert datacenter.count_requests("POST /rest/oauth2/latest/token") == 2  # code + refresh


async def test_the_client_refreshes_before_expiry_without_a_401(
    api: Api, datacenter: SandboxHandle, store_for_api: ConnectionStore, db_url: str, tmp_path
) -> None:
    await api.request("POST", "/api/v1/jira/configurations", json=oauth_body(datacenter))
    await callback(api, await consent(await start(api)))
    datacenter.reset_request_counts()
    # an access token lives 3600 s; a margin longer than that makes it due now
    eager = fast_settings(db_url, tmp_path, jira_oauth_refresh_margin_seconds=4000)
    connection = await store_for_api.get("dc")
    async with open_client(eager, connection, store=store_for_api) as client:
        await client.server_info()
    assert datacenter.count_requests("POST /rest/oauth2/latest/token") == 1
    assert datacenter.count_requests("GET /rest/api/2/serverInfo") == 1


async def test_an_expired_refresh_token_asks_to_authorize_again(
    api: Api, datacenter: SandboxHandle, store_for_api: ConnectionStore, settings: Settings
) -> None:
    await api.request("POST", "/api/v1/jira/configurations", json=oauth_body(datacenter))
    await callback(api, await consent(await start(api)))
    datacenter.advance_clock(91 * 24 * 3600)  # past the 90-day refresh token
    report = await api.request("POST", "/api/v1/jira/configurations/dc/validate")
    assert not report.json()["ok"]
    assert "start the OAuth flow again" in report.json()["checks"][-1]["message"]


async def test_starting_oauth_for_another_kind_is_refused(
    api: Api, datacenter: SandboxHandle
) -> None:
    body = {"alias": "pat", "kind": "datacenter-pat", "url": datacenter.base_url}
    await api.request(
        "POST", "/api/v1/jira/configurations", json={**body, "personalAccessToken": "p"}
    )
    refused = await api.request("GET", "/api/v1/jira/configurations/pat/oauth/start")
    assert refused.status_code == 400
    assert "only datacenter-oauth" in refused.json()["detail"]


@pytest.fixture
def store_for_api(api: Api, settings: Settings) -> ConnectionStore:
    return connection_store(api.app.state.engine, settings)
