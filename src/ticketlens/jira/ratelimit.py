"""A per-connection rate limiter: a concurrency cap plus a shared pause.

Each client owns one limiter, so two connections never throttle each other. Requests
take a slot from a semaphore (the connection's concurrency limit). When Jira says to
wait (``Retry-After`` on a 429/503, or ``X-RateLimit-Remaining: 0`` with
``X-RateLimit-Reset``), every request on the connection pauses until then, not only the
one that was told, so a page burst does not keep hammering a limit already reached.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import structlog

from ticketlens.jira.backoff import parse_reset

log = structlog.get_logger("ticketlens.jira")


class RateLimiter:
    """Caps in-flight requests and holds them all while Jira asks for a pause."""

    def __init__(self, concurrency: int, *, connection: str = "") -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {concurrency}")
        self.concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)
        self._resume_at = 0.0
        self._connection = connection

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one request slot, after any pause in force has ended."""
        async with self._slots:
            await self.wait_for_pause()
            yield

    async def wait_for_pause(self) -> None:
        """Sleep until the connection-wide pause (if any) is over."""
        while True:
            remaining = self._resume_at - time.monotonic()
            if remaining <= 0:
                return
            await asyncio.sleep(remaining)

    def pause(self, seconds: float) -> None:
        """Hold every request on this connection for ``seconds`` from now."""
        if seconds <= 0:
            return
        self._resume_at = max(self._resume_at, time.monotonic() + seconds)
        log.info("jira.rate-limit.paused", connection=self._connection, seconds=round(seconds, 3))

    def observe(self, response: httpx.Response) -> None:
        """Read Jira's ``X-RateLimit-*`` headers; pause when the budget is spent."""
        remaining = response.headers.get("x-ratelimit-remaining")
        # With Retry-After present the retry path pauses by it; Reset is only a fallback
        # (it is an absolute time, so it also depends on both clocks agreeing).
        if (
            remaining is not None
            and remaining.strip() == "0"
            and "retry-after" not in response.headers
        ):
            reset = parse_reset(response.headers.get("x-ratelimit-reset"))
            if reset is not None:
                self.pause(reset)
        if response.headers.get("x-ratelimit-nearlimit", "").lower() == "true":
            log.info("jira.rate-limit.near-limit", connection=self._connection)
