"""Everything a sandbox can be started with; the CLI and the test harness both build these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from ticketlens.sandbox.errors import SandboxConfigError

Flavor = Literal["cloud", "datacenter"]


@dataclass(frozen=True, slots=True)
class OAuthClient:
    """An OAuth 2.0 client registered as an incoming application link."""

    client_id: str
    secret: str
    redirect_uri: str

    @classmethod
    def parse(cls, text: str) -> OAuthClient:
        """Parse ``ID:SECRET:REDIRECT_URI`` (the URI may itself contain colons)."""
        parts = text.split(":", 2)
        if len(parts) != 3 or not all(parts):
            raise SandboxConfigError(
                f"--oauth-client {text.split(':', 1)[0]}:…: expected ID:SECRET:REDIRECT_URI, "
                "for example ticketlens:s3cret:http://127.0.0.1:8000/oauth/internal/jira"
            )
        return cls(parts[0], parts[1], parts[2])


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A token bucket: ``limit`` requests per ``seconds``, refilled continuously."""

    limit: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """Parse ``LIMIT/SECONDS``, e.g. ``100/10``."""
        try:
            limit_text, seconds_text = text.split("/", 1)
            limit, seconds = int(limit_text), float(seconds_text)
        except ValueError:
            raise SandboxConfigError(
                f"--rate {text!r}: expected LIMIT/SECONDS, for example 100/10"
            ) from None
        if limit < 1 or seconds <= 0:
            raise SandboxConfigError(f"--rate {text!r}: LIMIT and SECONDS must be positive")
        return cls(limit, seconds)


@dataclass(frozen=True, slots=True)
class WebhookTarget:
    """A URL that receives issue events, signed when ``secret`` is set."""

    url: str
    secret: str | None = None

    @classmethod
    def parse(cls, text: str) -> WebhookTarget:
        """Parse ``URL[,SECRET]``."""
        url, _, secret = text.partition(",")
        if not url.startswith(("http://", "https://")):
            raise SandboxConfigError(f"--webhook {url!r}: the target must be an http(s) URL")
        return cls(url, secret or None)


@dataclass(frozen=True, slots=True)
class SandboxOptions:
    """How one sandbox runs: flavor, data, credentials, limits and test controls."""

    flavor: Flavor = "cloud"
    host: str = "127.0.0.1"
    port: int = 8080
    issues: int = 1000
    seed: int = 1
    data: Path | None = None
    controls: bool = False
    email: str = "admin@example.com"
    api_token: str = "sandbox-token"  # noqa: S105 - a documented sandbox default
    username: str = "admin"
    password: str = "sandbox"  # noqa: S105 - a documented sandbox default
    pat: str = "sandbox-pat"
    viewer_email: str = "viewer@example.com"
    viewer_api_token: str = "viewer-token"  # noqa: S105 - a documented sandbox default
    viewer_password: str = "viewer"  # noqa: S105 - a documented sandbox default
    viewer_pat: str = "viewer-pat"
    time_zone: str = "Europe/Berlin"
    oauth_clients: tuple[OAuthClient, ...] = ()
    access_token_ttl: float = 3600.0
    refresh_token_ttl: float = 90 * 24 * 3600.0
    rate: RateLimit | None = None
    webhooks: tuple[WebhookTarget, ...] = ()
    now: datetime | None = None
    database: Path | None = None
    server_version: str = "9.12.15"
    prerender: bool = True

    def __post_init__(self) -> None:
        if self.flavor not in ("cloud", "datacenter"):
            raise SandboxConfigError(
                f"flavor {self.flavor!r} is not known; use cloud or datacenter"
            )
        if self.issues < 0:
            raise SandboxConfigError("--issues must be 0 or more")
