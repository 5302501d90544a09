"""Fault plans from the sandbox: a search still returns every issue exactly once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox_harness import SandboxHandle, running_sandbox
from ticketlens.jira import (
    BasicCredential,
    ClientConfig,
    JiraClient,
    RateLimited,
    RetryPolicy,
    ServerError,
)

ISSUES = 230
QUICK = RetryPolicy(max_retries=6, initial_delay=0.01, max_delay=0.05, max_retry_after=0.2)


@pytest.fixture(params=["cloud", "datacenter"])
def jira(request: pytest.FixtureRequest) -> Iterator[SandboxHandle]:
    with running_sandbox(flavor=request.param, issues=ISSUES, seed=21) as handle:
        yield handle


def client(jira: SandboxHandle, *, retry: RetryPolicy = QUICK, timeout: float = 5.0) -> JiraClient:
    config = ClientConfig(
        jira.base_url,
        "cloud" if jira.flavor == "cloud" else "datacenter",
        name="faulty",
        retry=retry,
        timeout=timeout,
        concurrency=4,
        page_size=25,
    )
    return JiraClient(config, BasicCredential(*jira.basic_auth))


def search_path(jira: SandboxHandle) -> str:
    return "/rest/api/3/search/jql" if jira.flavor == "cloud" else "/rest/api/2/search"


async def all_ids(jira: SandboxHandle, **kwargs: object) -> list[str]:
    async with client(jira, **kwargs) as c:  # type: ignore[arg-type]
        return [i.id async for page in c.search("order by key", ["summary"]) for i in page.issues]


async def assert_every_issue_once(jira: SandboxHandle, **kwargs: object) -> None:
    ids = await all_ids(jira, **kwargs)
    assert len(ids) == ISSUES
    assert len(set(ids)) == ISSUES


async def test_without_faults_every_issue_comes_once(jira: SandboxHandle) -> None:
    await assert_every_issue_once(jira)


async def test_a_429_burst_with_retry_after_is_ridden_out(jira: SandboxHandle) -> None:
    jira.add_fault(kind="rate_limit", endpoint=search_path(jira), count=4, retry_after=1)
    await assert_every_issue_once(jira)
    assert jira.count_requests(f"POST {search_path(jira)}") >= ISSUES // 25 + 4


async def test_503s_are_ridden_out(jira: SandboxHandle) -> None:
    jira.add_fault(kind="error", status=503, endpoint=search_path(jira), fraction=0.3, seed=4)
    await assert_every_issue_once(jira)


async def test_timeouts_are_ridden_out(jira: SandboxHandle) -> None:
    jira.add_fault(kind="latency", latency_ms=800, endpoint=search_path(jira), count=2)
    await assert_every_issue_once(jira, timeout=0.3)


async def test_dropped_connections_are_ridden_out(jira: SandboxHandle) -> None:
    jira.add_fault(kind="drop", endpoint=search_path(jira), fraction=0.25, seed=9)
    await assert_every_issue_once(jira)


async def test_truncated_bodies_are_ridden_out(jira: SandboxHandle) -> None:
    jira.add_fault(kind="truncate", endpoint=search_path(jira), count=3)
    await assert_every_issue_once(jira)


async def test_a_mix_of_faults_is_ridden_out(jira: SandboxHandle) -> None:
    path = search_path(jira)
    jira.add_fault(kind="rate_limit", endpoint=path, fraction=0.15, seed=1, retry_after=1)
    jira.add_fault(kind="error", status=503, endpoint=path, fraction=0.15, seed=2)
    jira.add_fault(kind="drop", endpoint=path, fraction=0.1, seed=3)
    await assert_every_issue_once(jira)


async def test_the_sandbox_rate_limit_is_honoured(jira: SandboxHandle) -> None:
    jira.set_rate(8, 0.5)
    retry = RetryPolicy(max_retries=8, initial_delay=0.01, max_delay=0.05, max_retry_after=2)
    await assert_every_issue_once(jira, retry=retry)


async def test_a_500_is_not_retried_and_is_reported(jira: SandboxHandle) -> None:
    jira.add_fault(kind="error", status=500, endpoint=search_path(jira), count=1)
    with pytest.raises(ServerError, match="Jira failed with 500"):
        await all_ids(jira)
    assert jira.count_requests(f"POST {search_path(jira)}") == 1


async def test_a_rate_limit_that_outlasts_the_retries_is_reported(jira: SandboxHandle) -> None:
    jira.add_fault(kind="rate_limit", endpoint=search_path(jira), count=50, retry_after=1)
    retry = RetryPolicy(max_retries=2, initial_delay=0.01, max_retry_after=0.05)
    with pytest.raises(RateLimited) as raised:
        await all_ids(jira, retry=retry)
    assert raised.value.retry_after == 1.0
    assert jira.count_requests(f"POST {search_path(jira)}") == 3
