"""Fakes at the transport: ``httpx.MockTransport`` handlers, never patched internals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ticketlens.jira import BasicCredential, ClientConfig, JiraClient, RetryPolicy

FAST = RetryPolicy(initial_delay=0.001, max_delay=0.004, max_retry_after=0.01)

Handler = Callable[[httpx.Request], httpx.Response]


def _make_client(
    handler: Handler,
    *,
    flavor: str = "datacenter",
    retry: RetryPolicy = FAST,
    concurrency: int = 4,
    page_size: int | None = None,
    base_url: str = "https://jira.example.com",
) -> JiraClient:
    """A client whose network is ``handler``."""
    config = ClientConfig(
        base_url=base_url,
        flavor="cloud" if flavor == "cloud" else "datacenter",
        name="test",
        retry=retry,
        concurrency=concurrency,
        page_size=page_size,
    )
    return JiraClient(
        config, BasicCredential("user", "s3cret"), transport=httpx.MockTransport(handler)
    )


@pytest.fixture
def make_client() -> Callable[..., Any]:
    """Build a client over a ``MockTransport`` handler (see ``_make_client``)."""
    return _make_client
