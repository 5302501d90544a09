"""Typed views of what Jira returns. Raw JSON stays at the edge (``JiraIssue.fields``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class JiraModel(BaseModel):
    """Base for Jira payloads: camelCase on the wire, unknown keys ignored."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class ServerInfo(JiraModel):
    """``GET /rest/api/{2,3}/serverInfo``."""

    base_url: str = ""
    version: str = ""
    version_numbers: list[int] = Field(default_factory=list)
    deployment_type: str = ""
    build_number: int | None = None
    server_title: str = ""

    @property
    def is_cloud(self) -> bool:
        """True for Jira Cloud (``deploymentType: Cloud``)."""
        return self.deployment_type.lower() == "cloud"

    def at_least(self, *version: int) -> bool:
        """True when the server's version is ``version`` or newer (Cloud always is)."""
        if self.is_cloud:
            return True
        numbers = self.version_numbers or [int(p) for p in _digits(self.version)]
        return tuple(numbers[: len(version)]) >= version


def _digits(version: str) -> list[str]:
    parts = []
    for part in version.split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        if not digits:
            break
        parts.append(digits)
    return parts


class User(JiraModel):
    """``GET /rest/api/{2,3}/myself``: Cloud has ``accountId``; Data Center has ``name``."""

    account_id: str | None = None
    name: str | None = None
    key: str | None = None
    email_address: str | None = None
    display_name: str = ""
    time_zone: str | None = None
    active: bool = True

    @property
    def login(self) -> str:
        """The best stable handle for the user: account id, else user name."""
        return self.account_id or self.name or self.key or self.display_name


class Permission(JiraModel):
    """One entry of ``GET /rest/api/{2,3}/mypermissions``."""

    key: str = ""
    name: str = ""
    have_permission: bool = False


class Permissions(JiraModel):
    """``GET /rest/api/{2,3}/mypermissions?permissions=…``."""

    permissions: dict[str, Permission] = Field(default_factory=dict)

    def missing(self, *keys: str) -> list[str]:
        """The permission keys among ``keys`` the user does not hold."""
        held = {k for k, p in self.permissions.items() if p.have_permission}
        return [k for k in keys if k not in held]


class Project(JiraModel):
    """A project as listed by ``/project`` (DC) or ``/project/search`` (Cloud)."""

    id: str
    key: str
    name: str = ""
    project_type_key: str | None = None


class ProjectPage(JiraModel):
    """``GET /rest/api/3/project/search``: one page of projects (Cloud)."""

    values: list[Project] = Field(default_factory=list)
    is_last: bool = True


class Component(JiraModel):
    """``GET /rest/api/{2,3}/project/{key}/components``."""

    id: str
    name: str
    description: str | None = None
    project: str | None = None


class StatusCategory(JiraModel):
    """To Do (2, ``new``), In Progress (4, ``indeterminate``) or Done (3, ``done``)."""

    id: int
    key: str
    name: str = ""


class Status(JiraModel):
    """``GET /rest/api/{2,3}/status``."""

    id: str
    name: str
    status_category: StatusCategory | None = None


class JiraIssue(BaseModel):
    """One issue from a search. ``fields`` stays raw JSON: the mirror parses it."""

    model_config = ConfigDict(extra="allow")

    id: str
    key: str
    fields: dict[str, Any] = Field(default_factory=dict)

    def as_raw(self) -> dict[str, Any]:
        """The issue as Jira's REST JSON, for ``ticketlens.mirror.issue_from_jira``."""
        raw: dict[str, Any] = {"id": self.id, "key": self.key, "fields": self.fields}
        if self.model_extra:
            raw.update(self.model_extra)
        return raw


class CloudSearchResponse(JiraModel):
    """``POST /rest/api/3/search/jql``: token paging, no total."""

    issues: list[JiraIssue] = Field(default_factory=list)
    next_page_token: str | None = None
    is_last: bool | None = None


class DataCenterSearchResponse(JiraModel):
    """``POST /rest/api/2/search``: offset paging with a total."""

    issues: list[JiraIssue] = Field(default_factory=list)
    start_at: int = 0
    max_results: int = 0
    total: int = 0


class SearchPage(BaseModel):
    """One page of a search: its issues, where it starts, and the total when Jira knows it."""

    issues: list[JiraIssue]
    number: int
    start_at: int
    total: int | None = None
    is_last: bool = False


class ApproximateCount(JiraModel):
    """``POST /rest/api/3/search/approximate-count``."""

    count: int


class OAuthTokens(BaseModel):
    """An OAuth 2.0 access token with its refresh token and absolute expiry (epoch s)."""

    access_token: str
    refresh_token: str | None = None
    expires_at: float
    scope: str | None = None
