"""``JiraClient``: one per connection, a flat list of endpoint methods.

Cloud speaks ``/rest/api/3``; Data Center speaks ``/rest/api/2``. Search and count pick
the right endpoint for the flavor (see ``ticketlens.jira.search``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from types import TracebackType
from typing import Any

import httpx
from pydantic import TypeAdapter

from ticketlens.jira.auth import Credential
from ticketlens.jira.models import (
    ApproximateCount,
    Component,
    DataCenterSearchResponse,
    Permissions,
    Project,
    ProjectPage,
    SearchPage,
    ServerInfo,
    Status,
    User,
)
from ticketlens.jira.search import cloud_pages, datacenter_pages
from ticketlens.jira.session import ClientConfig, JiraSession, build_http
from ticketlens.jql import Query, to_jql

DEFAULT_FIELDS: tuple[str, ...] = ("*navigable",)

_PROJECTS = TypeAdapter(list[Project])
_COMPONENTS = TypeAdapter(list[Component])
_STATUSES = TypeAdapter(list[Status])


def jql_text(jql: str | Query) -> str:
    """JQL as Jira reads it: a string as given, a ``Query`` printed canonically."""
    if isinstance(jql, str):
        return jql
    return to_jql(jql)


class JiraClient:
    """An async client for one Jira connection. Use as ``async with JiraClient(...)``.

    ``transport`` replaces the network (tests pass ``httpx.MockTransport``); ``http``
    replaces the whole httpx client.
    """

    def __init__(
        self,
        config: ClientConfig,
        credential: Credential,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.config = config
        self._session = JiraSession(config, credential, http=http or build_http(config, transport))

    @property
    def flavor(self) -> str:
        """``cloud`` or ``datacenter``."""
        return self.config.flavor

    @property
    def http(self) -> httpx.AsyncClient:
        """The underlying httpx client (shared with an OAuth credential's refreshes)."""
        return self._session.http

    @property
    def _api(self) -> str:
        return "/rest/api/3" if self.config.flavor == "cloud" else "/rest/api/2"

    async def __aenter__(self) -> JiraClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._session.aclose()

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> bytes:
        response = await self._session.request("GET", self._api + path, params=params)
        return response.content

    # --- search -------------------------------------------------------------------

    def search(
        self,
        jql: str | Query,
        fields: Sequence[str] = DEFAULT_FIELDS,
        *,
        expand: str | None = None,
    ) -> AsyncIterator[SearchPage]:
        """Every page of issues matching ``jql``, in order, each issue once."""
        text = jql_text(jql)
        if self.config.flavor == "cloud":
            return cloud_pages(self._session, text, fields, expand)
        return datacenter_pages(self._session, text, fields, expand)

    async def count(self, jql: str | Query) -> int:
        """How many issues match: ``approximate-count`` on Cloud, ``maxResults=0`` on DC."""
        text = jql_text(jql)
        if self.config.flavor == "cloud":
            response = await self._session.request(
                "POST", "/rest/api/3/search/approximate-count", json={"jql": text}, jql=True
            )
            return ApproximateCount.model_validate_json(response.content).count
        response = await self._session.request(
            "POST",
            "/rest/api/2/search",
            json={"jql": text, "maxResults": 0, "fields": ["id"]},
            jql=True,
        )
        return DataCenterSearchResponse.model_validate_json(response.content).total

    # --- metadata -----------------------------------------------------------------

    async def server_info(self) -> ServerInfo:
        """``serverInfo``: version and deployment type."""
        return ServerInfo.model_validate_json(await self._get("/serverInfo"))

    async def myself(self) -> User:
        """The user the credential belongs to."""
        return User.model_validate_json(await self._get("/myself"))

    async def my_permissions(self, *keys: str) -> Permissions:
        """Which of the global/project permissions ``keys`` the user holds."""
        raw = await self._get("/mypermissions", {"permissions": ",".join(keys)})
        return Permissions.model_validate_json(raw)

    async def projects(self) -> list[Project]:
        """Every project the user can browse."""
        if self.config.flavor != "cloud":
            return _PROJECTS.validate_json(await self._get("/project"))
        found: list[Project] = []
        start = 0
        while True:
            raw = await self._get("/project/search", {"startAt": start, "maxResults": 50})
            page = ProjectPage.model_validate_json(raw)
            found.extend(page.values)
            start += len(page.values)
            if page.is_last or not page.values:
                return found

    async def components(self, project: str) -> list[Component]:
        """The components of ``project`` (key or id)."""
        return _COMPONENTS.validate_json(await self._get(f"/project/{project}/components"))

    async def statuses(self) -> list[Status]:
        """Every workflow status, with its category."""
        return _STATUSES.validate_json(await self._get("/status"))
