"""A token bucket per credential, answering with Jira Cloud's rate-limit headers.

Atlassian documents ``Retry-After`` (seconds), ``X-RateLimit-Limit``,
``X-RateLimit-Remaining``, ``X-RateLimit-Reset`` (an ISO 8601 timestamp),
``RateLimit-Reason`` and ``X-RateLimit-NearLimit`` (true under 20 % left).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from ticketlens.sandbox.options import RateLimit

REASON = "jira-burst-based"


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome for one request: allowed or not, and the headers to send."""

    allowed: bool
    headers: dict[str, str]


class RateLimiter:
    """Buckets keyed by credential; ``limit`` None means unlimited."""

    def __init__(self, limit: RateLimit | None, clock: Callable[[], float]) -> None:
        self.limit = limit
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def configure(self, limit: RateLimit | None) -> None:
        """Change the limit; every bucket starts full again."""
        self.limit = limit
        self._buckets.clear()

    def take(self, credential: str) -> Decision:
        """Spend one token for ``credential``."""
        limit = self.limit
        if limit is None:
            return Decision(True, {})
        now = self._clock()
        rate = limit.limit / limit.seconds
        bucket = self._buckets.get(credential)
        if bucket is None:
            bucket = self._buckets[credential] = _Bucket(float(limit.limit), now)
        bucket.tokens = min(float(limit.limit), bucket.tokens + (now - bucket.stamp) * rate)
        bucket.stamp = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            remaining = int(bucket.tokens)
            headers = {
                "X-RateLimit-Limit": str(limit.limit),
                "X-RateLimit-Remaining": str(remaining),
            }
            if remaining < limit.limit * 0.2:
                headers["X-RateLimit-NearLimit"] = "true"
            return Decision(True, headers)
        wait = (1.0 - bucket.tokens) / rate
        return Decision(False, rejection_headers(limit.limit, wait, now))


def rejection_headers(limit: int, wait: float, now: float) -> dict[str, str]:
    """The headers of a 429: when to retry and why."""
    reset = datetime.fromtimestamp(now + wait, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return {
        "Retry-After": str(max(1, math.ceil(wait))),
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": reset,
        "RateLimit-Reason": REASON,
    }
