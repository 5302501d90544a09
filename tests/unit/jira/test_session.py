"""Retries, 401 handling, redirects and error mapping, at the transport."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ticketlens.jira import (
    BadJQL,
    ConnectFailed,
    Forbidden,
    Gone,
    HostNotFound,
    JiraError,
    NotFound,
    RateLimited,
    RetryPolicy,
    ServerError,
    Timeout,
    TLSFailed,
    Unauthorized,
)

SERVER_INFO = {"version": "9.12.0", "versionNumbers": [9, 12, 0], "deploymentType": "Server"}


def scripted(*responses: httpx.Response | Exception) -> tuple[list[httpx.Request], object]:
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item

    return seen, handler


async def test_a_429_with_retry_after_is_retried_then_succeeds(
    make_client: Callable[..., Any],
) -> None:
    seen, handler = scripted(
        httpx.Response(429, headers={"Retry-After": "1"}, json={"errorMessages": ["slow"]}),
        httpx.Response(200, json=SERVER_INFO),
    )
    async with make_client(handler) as client:
        info = await client.server_info()
    assert info.version == "9.12.0"
    assert len(seen) == 2


async def test_a_503_is_retried(make_client: Callable[..., Any]) -> None:
    seen, handler = scripted(httpx.Response(503), httpx.Response(200, json=SERVER_INFO))
    async with make_client(handler) as client:
        await client.server_info()
    assert len(seen) == 2


async def test_retries_stop_after_the_policy_and_report_retry_after(
    make_client: Callable[..., Any],
) -> None:
    seen, handler = scripted(httpx.Response(429, headers={"Retry-After": "2"}))
    async with make_client(handler) as client:
        with pytest.raises(RateLimited) as raised:
            await client.server_info()
    assert len(seen) == 5  # the first try and 4 retries
    assert raised.value.retry_after == 2.0
    assert "rate limiting" in str(raised.value)
    assert "'test'" in str(raised.value)


async def test_a_500_is_not_retried(make_client: Callable[..., Any]) -> None:
    seen, handler = scripted(httpx.Response(500, json={"errorMessages": ["boom"]}))
    async with make_client(handler) as client:
        with pytest.raises(ServerError, match="boom"):
            await client.server_info()
    assert len(seen) == 1


async def test_a_401_is_never_retried_in_a_loop(make_client: Callable[..., Any]) -> None:
    seen, handler = scripted(httpx.Response(401, json={"errorMessages": ["nope"]}))
    async with make_client(handler) as client:
        with pytest.raises(Unauthorized, match="rejected the credential"):
            await client.myself()
    assert len(seen) == 1


async def test_connection_errors_on_reads_are_retried(make_client: Callable[..., Any]) -> None:
    seen, handler = scripted(
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadTimeout("timed out"),
        httpx.Response(200, json=SERVER_INFO),
    )
    async with make_client(handler) as client:
        await client.server_info()
    assert len(seen) == 4


async def test_an_unresolvable_host_is_named_and_not_retried(
    make_client: Callable[..., Any],
) -> None:
    seen, handler = scripted(httpx.ConnectError("[Errno -2] Name or service not known"))
    async with make_client(handler) as client:
        with pytest.raises(HostNotFound, match="DNS"):
            await client.server_info()
    assert len(seen) == 1


async def test_a_timeout_that_persists_is_a_timeout_error(make_client: Callable[..., Any]) -> None:
    seen, handler = scripted(httpx.ReadTimeout("timed out"))
    async with make_client(handler, retry=RetryPolicy(max_retries=1, initial_delay=0)) as client:
        with pytest.raises(Timeout, match="did not answer in time"):
            await client.server_info()
    assert len(seen) == 2


async def test_a_tls_failure_is_named(make_client: Callable[..., Any]) -> None:
    seen, handler = scripted(httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] bad cert"))
    async with make_client(handler) as client:
        with pytest.raises(TLSFailed, match="CA bundle"):
            await client.server_info()
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [(403, Forbidden), (404, NotFound), (410, Gone), (502, ServerError)],
)
async def test_statuses_map_to_the_hierarchy(
    status: int, error: type[JiraError], make_client: Callable[..., Any]
) -> None:
    _, handler = scripted(httpx.Response(status, text="<html><h1>Nope</h1></html>"))
    async with make_client(handler) as client:
        with pytest.raises(error) as raised:
            await client.statuses()
    assert "<h1>" not in str(raised.value)


async def test_bad_jql_carries_jiras_messages(make_client: Callable[..., Any]) -> None:
    body = {"errorMessages": ["The value 'NOPE' does not exist for the field 'project'."]}
    _, handler = scripted(httpx.Response(400, json=body))
    async with make_client(handler) as client:
        with pytest.raises(BadJQL) as raised:
            await client.count("project = NOPE")
    assert raised.value.messages == (body["errorMessages"][0],)
    assert "does not exist" in str(raised.value)


async def test_credentials_follow_a_redirect_on_the_same_host_only(
    make_client: Callable[..., Any],
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/rest/api/2/serverInfo":
            return httpx.Response(302, headers={"Location": "/moved/serverInfo"})
        if request.url.path == "/moved/serverInfo":
            return httpx.Response(302, headers={"Location": "https://evil.example.net/steal"})
        return httpx.Response(200, json=SERVER_INFO)

    async with make_client(handler) as client:
        await client.server_info()
    hosts = [(r.url.host, "authorization" in r.headers) for r in seen]
    assert hosts == [
        ("jira.example.com", True),
        ("jira.example.com", True),
        ("evil.example.net", False),
    ]


async def test_a_write_is_not_retried(make_client: Callable[..., Any]) -> None:
    seen, handler = scripted(httpx.Response(503))
    async with make_client(handler) as client:
        session = client._session
        with pytest.raises(ServerError):
            await session.request("POST", "/rest/api/2/issue", json={}, read=False)
    assert len(seen) == 1


async def test_a_refused_connection_that_persists_says_how_to_fix_it(
    make_client: Callable[..., Any],
) -> None:
    _, handler = scripted(httpx.ConnectError("[Errno 111] Connection refused"))
    async with make_client(handler, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(ConnectFailed, match="reachable from ticketlens"):
            await client.server_info()
