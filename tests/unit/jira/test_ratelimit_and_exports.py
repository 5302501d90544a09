"""The per-connection limiter, and the package's public surface."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import ticketlens.jira as jira_pkg
from ticketlens.jira import RateLimiter


async def test_the_limiter_caps_requests_in_flight(make_client: Callable[..., Any]) -> None:
    in_flight = peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.005)
        in_flight -= 1
        return httpx.Response(200, json=[])

    async with make_client(handler, concurrency=2) as client:
        await asyncio.gather(*(client.statuses() for _ in range(10)))
    assert peak == 2


async def test_a_spent_budget_pauses_every_request_on_the_connection() -> None:
    limiter = RateLimiter(4)
    limiter.observe(
        httpx.Response(
            200,
            headers={
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": time.strftime(
                    "%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600)
                ),
            },
        )
    )
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05), limiter.slot():
            pass


async def test_without_a_pause_slots_are_free() -> None:
    limiter = RateLimiter(1)
    limiter.observe(httpx.Response(200, headers={"X-RateLimit-Remaining": "5"}))
    async with asyncio.timeout(1), limiter.slot():
        pass


def test_a_limiter_needs_at_least_one_slot() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RateLimiter(0)


def test_every_public_name_is_exported_and_exists() -> None:
    for name in jira_pkg.__all__:
        assert hasattr(jira_pkg, name), name
    public_errors = {
        n for n in dir(jira_pkg.errors) if isinstance(getattr(jira_pkg.errors, n), type)
    }
    assert public_errors <= set(jira_pkg.__all__)


def test_the_error_hierarchy_in_the_docstring_matches_the_classes() -> None:
    doc = jira_pkg.errors.__doc__ or ""
    for name in dir(jira_pkg.errors):
        value = getattr(jira_pkg.errors, name)
        if (
            isinstance(value, type)
            and issubclass(value, Exception)
            and value.__module__.endswith("errors")
        ):
            assert name in doc, name
