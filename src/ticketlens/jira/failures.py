"""Turn httpx exceptions and Jira's error answers into ``ticketlens.jira.errors``.

Jira's error bodies come in several shapes: ``{"errorMessages": [...], "errors": {...}}``
from the REST API, HTML pages from proxies and load balancers, and plain text. Each
becomes a short, readable message; request headers and bodies never appear in it.
"""

from __future__ import annotations

import re
import socket
import ssl
from typing import Any

import httpx

from ticketlens.jira import errors

_MASK = "*" * 8
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_DNS_HINTS = (
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "no address associated",
    "getaddrinfo failed",
)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def from_transport(
    exc: httpx.TransportError, *, connection: str, url: httpx.URL, proxy: str | None
) -> errors.RequestError:
    """Name a transport failure: DNS, TLS, timeout, proxy, refused or dropped connection."""
    host = url.host
    chain = _chain(exc)
    text = " ".join(str(e) for e in chain).lower()
    if isinstance(exc, httpx.ProxyError) or (proxy and isinstance(exc, httpx.ConnectError)):
        return errors.ProxyFailed(
            f"cannot get through the proxy {_redact(proxy)} to {host}: {_short(exc)}. "
            "Check that the proxy is running, reachable from ticketlens, and allows "
            f"CONNECT to {host}",
            connection=connection,
        )
    if isinstance(exc, httpx.TimeoutException):
        return errors.Timeout(
            f"{host} did not answer in time ({type(exc).__name__}). Check the host is up "
            "and reachable from ticketlens, or raise the connection's timeout",
            connection=connection,
        )
    if any(isinstance(e, ssl.SSLError) for e in chain) or "certificate" in text or "ssl" in text:
        return errors.TLSFailed(
            f"the TLS handshake with {host} failed: {_short(exc)}. If Jira uses a private "
            "certificate authority, set the connection's CA bundle to its PEM file",
            connection=connection,
        )
    if any(isinstance(e, socket.gaierror) for e in chain) or any(h in text for h in _DNS_HINTS):
        return errors.HostNotFound(
            f"cannot resolve the host name {host!r} (DNS). Check the URL's spelling, or "
            "set a proxy if Jira is only reachable through one",
            connection=connection,
        )
    if isinstance(exc, httpx.ConnectError):
        return errors.ConnectFailed(
            f"cannot connect to {host}:{url.port or _default_port(url)}: {_short(exc)}. "
            "Check the URL and that Jira is running and reachable from ticketlens",
            connection=connection,
        )
    return errors.ConnectFailed(
        f"the connection to {host} dropped before Jira answered ({type(exc).__name__})",
        connection=connection,
    )


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _redact(url: str | None) -> str:
    """A proxy URL without its password."""
    if not url:
        return "(none)"
    parsed = httpx.URL(url)
    if parsed.password:
        return str(parsed.copy_with(password=_MASK))
    return url


def jira_messages(response: httpx.Response) -> tuple[str, ...]:
    """Jira's own error messages from a response body, whatever its shape."""
    try:
        body: Any = response.json()
    except ValueError:
        text = _SPACE.sub(" ", _TAGS.sub(" ", response.text)).strip()
        return (text[:300],) if text else ()
    found: list[str] = []
    if isinstance(body, dict):
        for message in body.get("errorMessages") or []:
            found.append(str(message))
        for field, message in (body.get("errors") or {}).items():
            found.append(f"{field}: {message}")
        if not found and body.get("message"):
            found.append(str(body["message"]))
    return tuple(found)


def from_response(
    response: httpx.Response, *, connection: str, jql: bool, retry_after: float | None
) -> errors.StatusError:
    """The error for a Jira answer with status 400 or more."""
    status = response.status_code
    where = f"{response.request.method} {response.request.url.path}"
    messages = jira_messages(response)
    said = f": {'; '.join(messages)}" if messages else ""
    common: dict[str, Any] = {"status": status, "messages": messages, "connection": connection}
    if status == 401:
        return errors.Unauthorized(
            f"Jira rejected the credential (401 on {where}){said}. Check the user name or "
            "email and the token or password; an OAuth connection may need a new grant",
            **common,
        )
    if status == 403:
        return errors.Forbidden(
            f"Jira refused access (403 on {where}){said}. The user lacks a permission",
            **common,
        )
    if status == 404:
        return errors.NotFound(f"not found (404 on {where}){said}", **common)
    if status == 410:
        return errors.Gone(
            f"Jira removed this endpoint (410 on {where}){said}. Is the connection's kind "
            "right for this Jira (Cloud vs Data Center)?",
            **common,
        )
    if status == 429 or (status == 503 and retry_after is not None):
        wait = f"; Jira asked to wait {retry_after:g} s" if retry_after is not None else ""
        return errors.RateLimited(
            f"Jira is rate limiting this connection ({status} on {where}){wait}; retries "
            "were used up. Lower the connection's concurrency or try again later",
            retry_after=retry_after,
            **common,
        )
    if status == 400 and jql:
        return errors.BadJQL(f"Jira rejected the JQL{said}", **common)
    if status >= 500:
        return errors.ServerError(
            f"Jira failed with {status} on {where}{said}; retry later or check Jira's logs",
            **common,
        )
    return errors.StatusError(f"Jira answered {status} on {where}{said}", **common)
