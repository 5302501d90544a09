"""Validation against the sandbox over real HTTP: each kind passes, each failure is named."""

from __future__ import annotations

import socket

import pytest
from connections_support import cloud_body, kind_bodies

from sandbox_harness import SandboxHandle, running_sandbox
from ticketlens.connections import (
    ConnectionCreate,
    ConnectionStore,
    ValidationReport,
    validate_connection,
)
from ticketlens.settings import Settings


async def add_and_validate(
    store: ConnectionStore, settings: Settings, body: dict[str, object]
) -> ValidationReport:
    data = ConnectionCreate.model_validate(body)
    await store.create(data, default_timeout=settings.jira_timeout_seconds)
    return await validate_connection(store, settings, data.alias)


def failed(report: ValidationReport) -> tuple[str, str]:
    assert not report.ok
    assert len(report.failures) == 1, report.checks
    return report.failures[0].name, report.failures[0].message


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_each_kind_validates_and_reports_user_time_zone_and_projects(
    sandbox: SandboxHandle, store: ConnectionStore, settings: Settings
) -> None:
    for kind, body in kind_bodies(sandbox).items():
        report = await add_and_validate(store, settings, body)
        assert report.ok, (kind, report.checks)
        assert report.user == "Sandbox Admin"
        assert report.time_zone == "Europe/Berlin"
        assert report.visible_projects == 10
        assert [c.name for c in report.checks] == [
            "reach",
            "flavor",
            "credential",
            "permissions",
            "projects",
        ]


async def test_a_wrong_credential_is_named(
    sandbox: SandboxHandle, store: ConnectionStore, settings: Settings
) -> None:
    if sandbox.flavor == "cloud":
        body = cloud_body(sandbox, apiToken="not-the-token")
        expected = "rejected the email"
    else:
        body = {**kind_bodies(sandbox)["datacenter-basic"], "password": "wrong"}
        expected = "rejected user 'admin' with this password"
    name, message = failed(await add_and_validate(store, settings, body))
    assert name == "credential"
    assert expected in message


async def test_a_wrong_personal_access_token_is_named(
    datacenter: SandboxHandle, store: ConnectionStore, settings: Settings
) -> None:
    body = {**kind_bodies(datacenter)["datacenter-pat"], "personalAccessToken": "nope"}
    name, message = failed(await add_and_validate(store, settings, body))
    assert name == "credential"
    assert "personal access token" in message
    assert "Personal Access Tokens" in message


async def test_a_cloud_email_that_does_not_own_the_token_is_named(
    store: ConnectionStore, settings: Settings
) -> None:
    with running_sandbox(flavor="cloud", issues=5) as jira:
        body = cloud_body(jira, email=jira.options.viewer_email)  # the admin's token
        name, message = failed(await add_and_validate(store, settings, body))
    assert name == "credential"
    assert "viewer@example.com" in message
    assert "works only with the email of the account that created it" in message


async def test_a_missing_permission_is_named(
    sandbox: SandboxHandle, store: ConnectionStore, settings: Settings
) -> None:
    sandbox.set_user("viewer", globalPermissions=[])
    email, secret = sandbox.viewer_auth
    if sandbox.flavor == "cloud":
        body = cloud_body(sandbox, email=email, apiToken=secret)
    else:
        body = {
            "alias": "viewer",
            "kind": "datacenter-basic",
            "url": sandbox.base_url,
            "username": email,
            "password": secret,
        }
    name, message = failed(await add_and_validate(store, settings, body))
    assert name == "permissions"
    assert "'Browse users and groups' (USER_PICKER)" in message
    assert "BROWSE_PROJECTS" not in message


async def test_the_wrong_flavor_is_named(
    sandbox: SandboxHandle, store: ConnectionStore, settings: Settings
) -> None:
    if sandbox.flavor == "cloud":
        body = {
            "alias": "dc",
            "kind": "datacenter-basic",
            "url": sandbox.base_url,
            "username": sandbox.email,
            "password": sandbox.api_token,
        }
        expected = "this URL is Jira Cloud, not Data Center"
    else:
        body = cloud_body(sandbox, email="admin@example.com", apiToken=sandbox.password)
        expected = "not Jira Cloud; use the kind datacenter-basic"
    report = await add_and_validate(store, settings, body)
    name, message = failed(report)
    assert name == "flavor"
    assert expected in message


async def test_a_jira_older_than_8_22_is_named_for_oauth(
    store: ConnectionStore, settings: Settings
) -> None:
    with running_sandbox(flavor="datacenter", issues=5, server_version="8.20.11") as jira:
        body = {
            "alias": "old",
            "kind": "datacenter-basic",
            "url": jira.base_url,
            "username": jira.username,
            "password": jira.password,
        }
        assert (await add_and_validate(store, settings, body)).ok
        # an OAuth connection needs 8.22; with tokens in place, validation checks the version
        await store.create(
            ConnectionCreate.model_validate(
                {
                    "alias": "old-oauth",
                    "kind": "datacenter-oauth",
                    "url": jira.base_url,
                    "clientId": "x",
                    "clientSecret": "y",
                }
            ),
            default_timeout=5,
        )
        from ticketlens.jira import OAuthTokens

        await store.save_oauth_tokens(
            "old-oauth", OAuthTokens(access_token="t", refresh_token="r", expires_at=4e9)
        )
        name, message = failed(await validate_connection(store, settings, "old-oauth"))
    assert name == "version"
    assert "Jira 8.20.11 is older than 8.22" in message
    assert "OAuth 2.0" in message


async def test_an_unresolvable_host_is_named(store: ConnectionStore, settings: Settings) -> None:
    body = {
        "alias": "nowhere",
        "kind": "datacenter-pat",
        "url": "http://jira.does-not-exist.invalid",
        "personalAccessToken": "x",
    }
    name, message = failed(await add_and_validate(store, settings, body))
    assert name == "reach"
    assert "cannot resolve the host name 'jira.does-not-exist.invalid' (DNS)" in message


async def test_a_refused_connection_is_named(store: ConnectionStore, settings: Settings) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    body = {"alias": "down", "kind": "datacenter-pat", "url": url, "personalAccessToken": "x"}
    name, message = failed(await add_and_validate(store, settings, body))
    assert name == "reach"
    assert "cannot connect to 127.0.0.1" in message


async def test_a_tls_failure_is_named(
    datacenter: SandboxHandle, store: ConnectionStore, settings: Settings
) -> None:
    # the sandbox speaks plain HTTP: an https:// URL to it fails in the TLS handshake
    url = datacenter.base_url.replace("http://", "https://")
    body = {**kind_bodies(datacenter)["datacenter-pat"], "url": url}
    name, message = failed(await add_and_validate(store, settings, body))
    assert name == "reach"
    assert "TLS handshake" in message
    assert "CA bundle" in message


async def test_a_timeout_is_named(
    datacenter: SandboxHandle, store: ConnectionStore, settings: Settings
) -> None:
    datacenter.add_fault(kind="latency", latency_ms=1500, endpoint="*serverInfo", count=1)
    body = {**kind_bodies(datacenter)["datacenter-pat"], "timeoutSeconds": 0.3}
    name, message = failed(await add_and_validate(store, settings, body))
    assert name == "reach"
    assert "did not answer in time" in message
    assert "timeout" in message


async def test_an_oauth_connection_without_tokens_says_to_authorize(
    datacenter: SandboxHandle, store: ConnectionStore, settings: Settings
) -> None:
    body = {
        "alias": "dc-oauth",
        "kind": "datacenter-oauth",
        "url": datacenter.base_url,
        "clientId": "tl-client",
        "clientSecret": "whatever",
    }
    name, message = failed(await add_and_validate(store, settings, body))
    assert name == "credential"
    assert "ticketlens jira oauth dc-oauth" in message


@pytest.mark.parametrize("flavor", ["cloud", "datacenter"])
async def test_a_url_that_is_not_jira_is_named(
    flavor: str, store: ConnectionStore, settings: Settings
) -> None:
    with running_sandbox(flavor=flavor, issues=1) as jira:
        body = cloud_body(jira, url=jira.base_url + "/not-jira")
        name, message = failed(await add_and_validate(store, settings, body))
    assert name == "reach"
    assert "answers, but not as Jira" in message
