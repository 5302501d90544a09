"""Jira's JSON shapes for users, projects, statuses and components, per flavor and version.

Issues are encoded by ``issue_json``; descriptions there are ADF on v3 and text on v2.
Cloud identifies users by ``accountId``; Data Center by ``name`` and ``key``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ticketlens.sandbox.model import (
    ISSUE_TYPE_BY_NAME,
    Component,
    IssueType,
    Project,
    Status,
    StatusCategory,
    User,
)


def jira_datetime(value: datetime) -> str:
    """Jira's timestamp form: ``2024-01-15T10:23:45.123+0000``."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}+0000"


def parse_jira_datetime(text: str) -> datetime:
    """Read a timestamp in Jira's form or ISO 8601."""
    cleaned = text.strip()
    if len(cleaned) > 5 and cleaned[-5] in "+-" and cleaned[-3] != ":":
        cleaned = cleaned[:-2] + ":" + cleaned[-2:]
    return datetime.fromisoformat(cleaned.replace("Z", "+00:00"))


def adf_text(document: Any) -> str | None:
    """Plain text of an ADF document (or a plain string, which v2 sends)."""
    if document is None or isinstance(document, str):
        return document
    if not isinstance(document, dict):
        return str(document)
    lines: list[str] = []
    for block in document.get("content", []):
        parts = [str(n.get("text", "")) for n in block.get("content", []) if isinstance(n, dict)]
        lines.append("".join(parts))
    return "\n".join(lines)


class Renderer:
    """Builds JSON bodies; one per sandbox, holding the base URL and the lookup tables."""

    def __init__(
        self,
        base_url: str,
        cloud: bool,
        users: dict[str, User],
        projects: dict[str, Project],
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.cloud = cloud
        self.users = users
        self.projects = projects

    def api(self, version: str) -> str:
        """The REST root for ``version``."""
        return f"{self.base_url}/rest/api/{version}"

    # ------------------------------------------------------------ reference data

    def avatar_urls(self, kind: str, ident: str) -> dict[str, str]:
        """The four avatar sizes Jira always includes."""
        base = f"{self.base_url}/secure/{kind}avatar?id={ident}"
        return {f"{s}x{s}": f"{base}&size={s}" for s in (48, 24, 16, 32)}

    def user(self, user: User, version: str, *, full: bool = False) -> dict[str, Any]:
        """A user reference (``full`` adds what ``/myself`` shows)."""
        body: dict[str, Any]
        if self.cloud:
            body = {
                "self": f"{self.api(version)}/user?accountId={user.account_id}",
                "accountId": user.account_id,
                "accountType": "atlassian",
                "emailAddress": user.email,
                "avatarUrls": self.avatar_urls("user", user.account_id),
                "displayName": user.display_name,
                "active": True,
                "timeZone": user.time_zone,
            }
        else:
            body = {
                "self": f"{self.api(version)}/user?username={user.name}",
                "key": user.name,
                "name": user.name,
                "emailAddress": user.email,
                "avatarUrls": self.avatar_urls("user", user.name),
                "displayName": user.display_name,
                "active": True,
                "timeZone": user.time_zone,
            }
        if full:
            body["locale"] = "en_US"
            body["groups"] = {"size": 1, "items": []}
            body["applicationRoles"] = {"size": 1, "items": []}
            if self.cloud:
                body["expand"] = "groups,applicationRoles"
        return body

    def status_category(self, category: StatusCategory, version: str) -> dict[str, Any]:
        """A status category."""
        return {
            "self": f"{self.api(version)}/statuscategory/{category.id}",
            "id": category.id,
            "key": category.key,
            "colorName": category.color,
            "name": category.name,
        }

    def status(self, status: Status, version: str) -> dict[str, Any]:
        """A status with its category."""
        return {
            "self": f"{self.api(version)}/status/{status.id}",
            "description": "",
            "iconUrl": f"{self.base_url}/images/icons/statuses/generic.png",
            "name": status.name,
            "id": str(status.id),
            "statusCategory": self.status_category(status.category, version),
        }

    def issuetype(self, issuetype: IssueType, version: str) -> dict[str, Any]:
        """An issue type."""
        return {
            "self": f"{self.api(version)}/issuetype/{issuetype.id}",
            "id": str(issuetype.id),
            "description": issuetype.description,
            "iconUrl": f"{self.base_url}/images/icons/issuetypes/{issuetype.id}.svg",
            "name": issuetype.name,
            "subtask": False,
            "hierarchyLevel": issuetype.hierarchy_level,
        }

    def component(self, component: Component, version: str) -> dict[str, Any]:
        """A component as ``/project/{key}/components`` lists it."""
        project = self.projects[component.project_key]
        return {
            "self": f"{self.api(version)}/component/{component.id}",
            "id": str(component.id),
            "name": component.name,
            "description": component.description,
            "assigneeType": "PROJECT_DEFAULT",
            "realAssigneeType": "PROJECT_DEFAULT",
            "isAssigneeTypeValid": False,
            "project": project.key,
            "projectId": project.id,
        }

    def project(
        self, project: Project, version: str, *, expand: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """A project; ``expand`` may ask for ``issueTypes`` and ``description``."""
        body: dict[str, Any] = {
            "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
            "self": f"{self.api(version)}/project/{project.id}",
            "id": str(project.id),
            "key": project.key,
            "name": project.name,
            "avatarUrls": self.avatar_urls("project", str(project.id)),
            "projectTypeKey": "software",
            "simplified": False,
            "style": "classic",
            "isPrivate": False,
            "properties": {},
        }
        if not self.cloud:
            body.pop("simplified")
            body.pop("style")
            body.pop("isPrivate")
            body.pop("properties")
        if "issueTypes" in expand:
            body["issueTypes"] = [self.issuetype(t, version) for t in ISSUE_TYPE_BY_NAME.values()]
        if "description" in expand:
            body["description"] = f"The {project.name} project."
        if "lead" in expand and project.lead in self.users:
            body["lead"] = self.user(self.users[project.lead], version)
        return body


def date_or_none(text: str | None) -> date | None:
    """A ``yyyy-MM-dd`` due date, or None."""
    return None if not text else date.fromisoformat(text[:10])
