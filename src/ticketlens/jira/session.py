"""The HTTP engine under one ``JiraClient``: proxy, CA bundle, redirects, retries, limits.

``JiraSession.request`` is the only place a request leaves the client:

* the credential supplies ``Authorization`` for every attempt;
* redirects are followed by hand, and the credential is sent again only to the same
  origin (scheme, host, port) as the connection: credentials never follow a redirect
  to another host;
* reads are retried on 429, 503 and connection errors, per ``RetryPolicy``; a 401 goes
  to the credential once (an OAuth refresh), never round a loop;
* every attempt holds a slot of the connection's ``RateLimiter``.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx
import structlog

from ticketlens.jira import errors, failures
from ticketlens.jira.auth import Credential
from ticketlens.jira.backoff import RetryPolicy, server_advice, should_retry
from ticketlens.jira.ratelimit import RateLimiter

log = structlog.get_logger("ticketlens.jira")

Flavor = Literal["cloud", "datacenter"]
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class ClientConfig:
    """Everything about one connection's transport, except its credential."""

    base_url: str
    flavor: Flavor
    name: str = ""
    proxy: str | None = None
    ca_bundle: str | None = None
    timeout: float = 30.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    concurrency: int = 4
    page_size: int | None = None

    @property
    def label(self) -> str:
        """How messages name the connection: its alias, else its URL."""
        return self.name or self.base_url


def build_http(
    config: ClientConfig, transport: httpx.AsyncBaseTransport | None
) -> httpx.AsyncClient:
    """An httpx client honouring the connection's proxy, CA bundle and timeout."""
    verify: ssl.SSLContext | bool = True
    if config.ca_bundle:
        try:
            verify = ssl.create_default_context(cafile=config.ca_bundle)
        except (OSError, ssl.SSLError) as exc:
            raise errors.TLSFailed(
                f"cannot load the CA bundle {config.ca_bundle}: {exc}. Point it at a PEM file "
                "readable by ticketlens",
                connection=config.label,
            ) from None
    limits = httpx.Limits(max_connections=max(config.concurrency, 1) + 2)
    return httpx.AsyncClient(
        proxy=config.proxy if transport is None else None,
        verify=verify,
        timeout=httpx.Timeout(config.timeout),
        follow_redirects=False,
        trust_env=False,
        limits=limits,
        transport=transport,
        headers={"Accept": "application/json", "User-Agent": "ticketlens"},
    )


class JiraSession:
    """Sends requests for one connection; owns its httpx client and rate limiter."""

    def __init__(
        self,
        config: ClientConfig,
        credential: Credential,
        *,
        http: httpx.AsyncClient,
    ) -> None:
        self.config = config
        self.credential = credential
        self.http = http
        self.limiter = RateLimiter(config.concurrency, connection=config.label)
        self._origin = httpx.URL(config.base_url.rstrip("/") + "/")

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        read: bool = True,
        jql: bool = False,
    ) -> httpx.Response:
        """Send ``method path`` with retries; return a 2xx response or raise JiraError."""
        url = self._origin.join(path.lstrip("/"))
        attempt = 0
        recovered = False
        policy = self.config.retry
        while True:
            try:
                async with self.limiter.slot():
                    response = await self._send(method, url, json=json, params=params)
            except httpx.TransportError as exc:
                error = failures.from_transport(
                    exc, connection=self.config.label, url=url, proxy=self.config.proxy
                )
                retryable = isinstance(error, errors.ConnectFailed | errors.Timeout) and not (
                    isinstance(error, errors.HostNotFound)
                )
                if (
                    retryable
                    and should_retry(method_is_read=read, status=None)
                    and attempt < policy.max_retries
                ):
                    attempt += 1
                    delay = policy.backoff(attempt)
                    self._log_retry(method, url, None, attempt, delay, type(exc).__name__)
                    await asyncio.sleep(delay)
                    continue
                raise error from None
            self.limiter.observe(response)
            status = response.status_code
            if status == 401 and not recovered:
                recovered = True
                if await self.credential.recover():
                    continue
            if should_retry(method_is_read=read, status=status) and attempt < policy.max_retries:
                attempt += 1
                delay = policy.delay(attempt, response)
                self._log_retry(method, url, status, attempt, delay, None)
                if server_advice(response) is not None:
                    self.limiter.pause(delay)
                else:
                    await asyncio.sleep(delay)
                continue
            if status >= 400:
                advice = server_advice(response) if status in (429, 503) else None
                raise failures.from_response(
                    response, connection=self.config.label, jql=jql, retry_after=advice
                )
            return response

    async def _send(
        self, method: str, url: httpx.URL, *, json: Any, params: dict[str, Any] | None
    ) -> httpx.Response:
        authorization: str | None = await self.credential.authorization()
        for _ in range(MAX_REDIRECTS + 1):
            headers = {"Authorization": authorization} if authorization else {}
            response = await self.http.request(
                method, url, json=json, params=params, headers=headers
            )
            location = response.headers.get("location")
            if response.status_code not in _REDIRECTS or not location:
                return response
            await response.aclose()
            target = url.join(location)
            if not self._same_origin(target):
                if authorization is not None:
                    log.warning(
                        "jira.redirect.credentials-dropped",
                        connection=self.config.label,
                        from_host=url.host,
                        to_host=target.host,
                    )
                authorization = None
            if response.status_code == 303 or (
                response.status_code in (301, 302) and method == "POST"
            ):
                method, json = "GET", None
            url, params = target, None
        raise errors.ConnectFailed(
            f"more than {MAX_REDIRECTS} redirects from {self._origin}; check the connection URL",
            connection=self.config.label,
        )

    def _same_origin(self, target: httpx.URL) -> bool:
        here = self._origin
        return (target.scheme, target.host, target.port) == (here.scheme, here.host, here.port)

    def _log_retry(
        self,
        method: str,
        url: httpx.URL,
        status: int | None,
        attempt: int,
        delay: float,
        failure: str | None,
    ) -> None:
        log.info(
            "jira.request.retrying",
            connection=self.config.label,
            method=method,
            path=url.path,
            status=status,
            failure=failure,
            attempt=attempt,
            delay=round(delay, 3),
        )

    async def aclose(self) -> None:
        """Close the underlying HTTP client."""
        await self.http.aclose()
