"""Connections as the service sees them, and the shapes the API and CLI exchange.

``Connection`` carries decrypted secrets as ``SecretStr`` (their ``repr`` is masked);
``ConnectionPublic`` is what leaves ticketlens, with every secret replaced by
``"********"`` and a ``hasX`` flag.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, SecretStr
from pydantic.alias_generators import to_camel

MASK = "*" * 8


class ConnectionKind(StrEnum):
    """How ticketlens signs in to a Jira."""

    CLOUD = "cloud"
    DATACENTER_BASIC = "datacenter-basic"
    DATACENTER_PAT = "datacenter-pat"
    DATACENTER_OAUTH = "datacenter-oauth"

    @property
    def flavor(self) -> str:
        """``cloud`` or ``datacenter``."""
        return "cloud" if self is ConnectionKind.CLOUD else "datacenter"


#: The one secret each kind needs, by its API field name.
SECRET_OF_KIND = {
    ConnectionKind.CLOUD: "apiToken",
    ConnectionKind.DATACENTER_BASIC: "password",
    ConnectionKind.DATACENTER_PAT: "personalAccessToken",
    ConnectionKind.DATACENTER_OAUTH: "clientSecret",
}


@dataclass(frozen=True)
class Secrets:
    """Decrypted secrets of one connection. Keys are the API field names."""

    values: dict[str, SecretStr] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        """The plain secret called ``name``, or None."""
        value = self.values.get(name)
        return value.get_secret_value() if value is not None else None

    def with_values(self, **changes: str | None) -> Secrets:
        """A copy with ``changes`` applied; None removes a secret."""
        values = dict(self.values)
        for name, value in changes.items():
            if value is None:
                values.pop(name, None)
            else:
                values[name] = SecretStr(value)
        return Secrets(values)

    def plain(self) -> dict[str, str]:
        """Every secret in clear, for sealing only."""
        return {k: v.get_secret_value() for k, v in self.values.items()}

    def __repr__(self) -> str:
        return f"Secrets({sorted(self.values)})"


@dataclass(frozen=True)
class Connection:
    """One configured Jira, with its decrypted secrets."""

    id: int
    alias: str
    kind: ConnectionKind
    url: str
    username: str | None
    client_id: str | None
    ca_bundle: str | None
    timeout_seconds: float
    mirror_scope: str | None
    default_jql: str | None
    is_default: bool
    oauth_expires_at: datetime | None
    created_at: datetime
    updated_at: datetime
    secrets: Secrets

    @property
    def proxy(self) -> str | None:
        """The proxy URL (kept with the secrets: it may carry a password)."""
        return self.secrets.get("proxy")

    def evolve(self, **changes: Any) -> Connection:
        """A copy with ``changes``."""
        return replace(self, **changes)


class _Camel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_strip_whitespace=True
    )


class ConnectionCreate(_Camel):
    """A new connection. The secret fields used depend on ``kind``."""

    alias: str
    kind: ConnectionKind
    url: str = Field(validation_alias=AliasChoices("url", "jiraUrl"))
    email: str | None = None
    username: str | None = None
    api_token: SecretStr | None = None
    password: SecretStr | None = None
    personal_access_token: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    proxy: str | None = None
    ca_bundle: str | None = None
    timeout_seconds: float | None = None
    mirror_scope: str | None = None
    default_jql: str | None = None
    is_default: bool = False


class ConnectionUpdate(_Camel):
    """Changes to a connection. Omitted fields (and secrets sent as ``********``) stay."""

    alias: str | None = None
    kind: ConnectionKind | None = None
    url: str | None = Field(default=None, validation_alias=AliasChoices("url", "jiraUrl"))
    email: str | None = None
    username: str | None = None
    api_token: SecretStr | None = None
    password: SecretStr | None = None
    personal_access_token: SecretStr | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    proxy: str | None = None
    ca_bundle: str | None = None
    timeout_seconds: float | None = None
    mirror_scope: str | None = None
    default_jql: str | None = None
    is_default: bool | None = None


class ConnectionPublic(BaseModel):
    """A connection as the API and the CLI show it: secrets masked, never returned."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    alias: str
    kind: ConnectionKind
    url: str
    email: str | None
    username: str | None
    client_id: str | None
    api_token: str | None
    has_api_token: bool
    password: str | None
    has_password: bool
    personal_access_token: str | None
    has_personal_access_token: bool
    client_secret: str | None
    has_client_secret: bool
    has_oauth_tokens: bool = Field(alias="hasOAuthTokens")
    oauth_expires_at: datetime | None
    oauth_redirect_url: str | None
    proxy: str | None
    ca_bundle: str | None
    timeout_seconds: float
    mirror_scope: str | None
    default_jql: str | None
    is_default: bool
    created_at: datetime
    updated_at: datetime


class Check(BaseModel):
    """One step of a validation and how it went."""

    name: str
    ok: bool
    message: str


class ValidationReport(BaseModel):
    """The result of testing a connection: each check, and what Jira said about the user."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    alias: str
    ok: bool
    checks: list[Check]
    user: str | None = None
    time_zone: str | None = None
    visible_projects: int | None = None
    server_version: str | None = None
    deployment_type: str | None = None

    @property
    def failures(self) -> list[Check]:
        """The checks that failed."""
        return [c for c in self.checks if not c.ok]


def redirect_uri(base_url: str, alias: str, *, is_default: bool) -> str:
    """The OAuth redirect URL to enter in Jira for this connection."""
    base = base_url.rstrip("/")
    return f"{base}/oauth/internal/jira" if is_default else f"{base}/oauth/internal/jira/{alias}"


def _masked_proxy(proxy: str | None) -> str | None:
    if proxy is None:
        return None
    head, sep, tail = proxy.partition("://")
    if not sep or "@" not in tail:
        return proxy
    userinfo, _, host = tail.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return f"{head}://{user}:{MASK}@{host}"


def to_public(connection: Connection, *, base_url: str) -> ConnectionPublic:
    """What may leave ticketlens about ``connection``: no secret, only ``hasX`` flags."""
    s = connection.secrets

    def masked(name: str) -> str | None:
        return MASK if s.get(name) else None

    cloud = connection.kind is ConnectionKind.CLOUD
    oauth = connection.kind is ConnectionKind.DATACENTER_OAUTH
    return ConnectionPublic(
        alias=connection.alias,
        kind=connection.kind,
        url=connection.url,
        email=connection.username if cloud else None,
        username=None if cloud else connection.username,
        client_id=connection.client_id,
        api_token=masked("apiToken"),
        has_api_token=bool(s.get("apiToken")),
        password=masked("password"),
        has_password=bool(s.get("password")),
        personal_access_token=masked("personalAccessToken"),
        has_personal_access_token=bool(s.get("personalAccessToken")),
        client_secret=masked("clientSecret"),
        has_client_secret=bool(s.get("clientSecret")),
        has_oauth_tokens=bool(s.get("accessToken")),
        oauth_expires_at=connection.oauth_expires_at,
        oauth_redirect_url=(
            redirect_uri(base_url, connection.alias, is_default=connection.is_default)
            if oauth
            else None
        ),
        proxy=_masked_proxy(connection.proxy),
        ca_bundle=connection.ca_bundle,
        timeout_seconds=connection.timeout_seconds,
        mirror_scope=connection.mirror_scope,
        default_jql=connection.default_jql,
        is_default=connection.is_default,
        created_at=connection.created_at,
        updated_at=connection.updated_at,
    )
