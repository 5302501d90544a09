"""Checks on a connection's fields, each failure in plain words with the fix."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from ticketlens.connections.errors import InvalidConnection
from ticketlens.connections.models import ConnectionKind

ALIAS = re.compile(r"^[a-z0-9_-]{1,64}$")
MAX_TIMEOUT_SECONDS = 600.0


def check_alias(alias: str) -> str:
    """``alias`` if it is 1–64 of ``a-z``, ``0-9``, ``-`` and ``_``."""
    if not ALIAS.match(alias):
        raise InvalidConnection(
            f"alias {alias!r} is invalid: use 1-64 lowercase letters, digits, '-' or '_' "
            "(for example 'dc' or 'jira-eu')"
        )
    return alias


def check_url(url: str, *, what: str = "Jira URL") -> str:
    """An http(s) URL with a host and no user name or password, without a trailing slash."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise InvalidConnection(f"the {what} {url!r} is not a URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidConnection(
            f"the {what} {url!r} must start with http:// or https:// and name a host, "
            "for example https://example.atlassian.net"
        )
    if parsed.userinfo:
        raise InvalidConnection(
            f"the {what} must not carry a user name or password; give credentials in "
            "their own fields"
        )
    if parsed.query or parsed.fragment:
        raise InvalidConnection(f"the {what} {url!r} must not have a query or a fragment")
    return str(parsed).rstrip("/")


def check_proxy(proxy: str | None) -> str | None:
    """An http(s) proxy URL (it may carry ``user:password@``), or None."""
    if proxy is None or not proxy.strip():
        return None
    try:
        parsed = httpx.URL(proxy.strip())
    except (httpx.InvalidURL, TypeError):
        raise InvalidConnection("the proxy is not a URL; use http://host:port") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidConnection(
            f"the proxy must be an http:// or https:// URL with a host, not {parsed.scheme!r}"
        )
    return proxy.strip().rstrip("/")


def check_ca_bundle(path: str | None) -> str | None:
    """A readable file path, or None."""
    if path is None or not path.strip():
        return None
    file = Path(path.strip()).expanduser()
    if not file.is_file():
        raise InvalidConnection(
            f"the CA bundle {str(file)!r} does not exist or is not a file; give the path "
            "of a PEM file with your certificate authority"
        )
    return str(file.resolve())


def check_timeout(seconds: float) -> float:
    """A timeout between 0 (exclusive) and 600 seconds."""
    if not 0 < seconds <= MAX_TIMEOUT_SECONDS:
        raise InvalidConnection(
            f"timeoutSeconds {seconds:g} is out of range: use more than 0 and at most "
            f"{MAX_TIMEOUT_SECONDS:g} seconds"
        )
    return seconds


def check_kind_fields(
    kind: ConnectionKind,
    *,
    username: str | None,
    client_id: str | None,
    secret: str | None,
) -> None:
    """Refuse a connection missing what its kind needs."""
    needs = {
        ConnectionKind.CLOUD: ("email", "apiToken"),
        ConnectionKind.DATACENTER_BASIC: ("username", "password"),
        ConnectionKind.DATACENTER_PAT: (None, "personalAccessToken"),
        ConnectionKind.DATACENTER_OAUTH: ("clientId", "clientSecret"),
    }[kind]
    first, secret_name = needs
    have_first = client_id if kind is ConnectionKind.DATACENTER_OAUTH else username
    if first is not None and not have_first:
        raise InvalidConnection(f"a {kind.value} connection needs {first}")
    if kind is ConnectionKind.CLOUD and username and "@" not in username:
        raise InvalidConnection(
            f"email {username!r} is not an email address; Cloud signs in with the email "
            "of the Atlassian account that created the API token"
        )
    if not secret:
        raise InvalidConnection(f"a {kind.value} connection needs {secret_name}")
