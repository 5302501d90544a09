"""Backoff delays, Retry-After parsing and which failures are retried."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from ticketlens.jira.backoff import (
    RetryPolicy,
    parse_reset,
    parse_retry_after,
    server_advice,
    should_retry,
)


def test_default_policy_is_atlassians_recommendation() -> None:
    policy = RetryPolicy()
    assert (policy.max_retries, policy.initial_delay, policy.multiplier, policy.max_delay) == (
        4,
        5.0,
        2.0,
        30.0,
    )
    assert (policy.jitter_min, policy.jitter_max) == (0.7, 1.3)


@pytest.mark.parametrize(
    ("attempt", "base"), [(1, 5.0), (2, 10.0), (3, 20.0), (4, 30.0), (9, 30.0)]
)
def test_backoff_doubles_from_five_seconds_up_to_thirty_with_jitter(
    attempt: int, base: float
) -> None:
    policy = RetryPolicy()
    rng = random.Random(7)
    delays = [policy.backoff(attempt, rng) for _ in range(200)]
    assert min(delays) >= base * 0.7
    assert max(delays) <= base * 1.3
    assert len(set(delays)) > 1


def test_retry_after_seconds_and_http_date_are_understood() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert (
        parse_retry_after(format_datetime(now + timedelta(seconds=12), usegmt=True), now=now)
        == 12.0
    )
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None


def test_ratelimit_reset_is_an_iso_timestamp() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_reset("2026-01-01T00:00:03.500Z", now=now) == 3.5
    assert parse_reset("2025-12-31T23:00:00Z", now=now) == 0.0


def test_server_advice_prefers_retry_after_then_reset_on_429() -> None:
    both = httpx.Response(
        429, headers={"Retry-After": "2", "X-RateLimit-Reset": "2999-01-01T00:00Z"}
    )
    assert server_advice(both) == 2.0
    reset_only = httpx.Response(429, headers={"X-RateLimit-Reset": "2000-01-01T00:00:00Z"})
    assert server_advice(reset_only) == 0.0
    assert server_advice(httpx.Response(503)) is None


def test_policy_caps_what_the_server_asks_for() -> None:
    policy = RetryPolicy(max_retry_after=10)
    assert policy.delay(1, httpx.Response(429, headers={"Retry-After": "3600"})) == 10


@pytest.mark.parametrize(
    ("read", "status", "expected"),
    [
        (True, 429, True),
        (True, 503, True),
        (True, None, True),
        (True, 500, False),
        (True, 502, False),
        (True, 401, False),
        (True, 400, False),
        (False, 429, False),
        (False, None, False),
    ],
)
def test_only_reads_are_retried_and_only_on_429_503_and_connection_errors(
    read: bool, status: int | None, expected: bool
) -> None:
    assert should_retry(method_is_read=read, status=status) is expected
