"""When to retry a Jira request, and how long to wait first.

Atlassian's guidance for Jira Cloud rate limits: honour ``Retry-After`` when it is sent;
otherwise back off exponentially from 5 s, doubling, capped at 30 s, with a jitter of
×0.7–1.3, and give up after 4 retries. Every number here is settable per connection.
Only reads are retried, and only on 429, 503 and connection errors: a write may have
happened, and any other status will not change on its own. A 401 is never retried here
(the OAuth hook refreshes a token once, then gives up).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter; the defaults are Atlassian's recommendation."""

    max_retries: int = 4
    initial_delay: float = 5.0
    multiplier: float = 2.0
    max_delay: float = 30.0
    jitter_min: float = 0.7
    jitter_max: float = 1.3
    max_retry_after: float = 300.0

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based) without server advice."""
        base = min(self.max_delay, self.initial_delay * self.multiplier ** max(0, attempt - 1))
        pick = (rng or _RNG).uniform(self.jitter_min, self.jitter_max)
        return float(base * pick)

    def delay(self, attempt: int, response: httpx.Response | None) -> float:
        """Seconds to wait before retry ``attempt``: the server's advice first, else backoff."""
        if response is not None:
            advised = server_advice(response)
            if advised is not None:
                return min(advised, self.max_retry_after)
        return self.backoff(attempt)


# Jitter needs no cryptographic strength; a module-level generator keeps calls cheap.
_RNG = random.Random()  # noqa: S311


def should_retry(*, method_is_read: bool, status: int | None) -> bool:
    """True for a read that met a 429, a 503, or (``status`` None) a connection error."""
    if not method_is_read:
        return False
    return status is None or status in RETRY_STATUSES


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date; None if absent."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def parse_reset(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds until ``X-RateLimit-Reset`` (an ISO 8601 timestamp on Jira Cloud)."""
    if value is None or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def server_advice(response: httpx.Response) -> float | None:
    """How long the server asked us to wait: ``Retry-After``, else ``X-RateLimit-Reset``."""
    advised = parse_retry_after(response.headers.get("retry-after"))
    if advised is not None:
        return advised
    if response.status_code == 429:
        return parse_reset(response.headers.get("x-ratelimit-reset"))
    return None
