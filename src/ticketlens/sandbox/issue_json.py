"""Issue JSON, encoded straight to bytes from cached fragments.

An issue's JSON is mostly shared pieces: the same status, issue type, project, priority
and user objects appear in thousands of issues. Each piece is encoded once per API
version and reused, so encoding an issue is string joining plus its few own values
(summary, dates, labels). ``IssueJSONCache`` then keeps whole encoded issues until they
change, so a second read costs a dictionary lookup.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ticketlens.sandbox.model import (
    ISSUE_TYPE_BY_NAME,
    PRIORITY_BY_NAME,
    RESOLUTION_BY_NAME,
    STATUS_BY_NAME,
    Issue,
)
from ticketlens.sandbox.render import Renderer

_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"
_CACHE_LIMIT = 400_000


# json's C string encoder: quotes and escapes one string, without json.dumps's overhead.
_string: Callable[[str], str] = json.encoder.encode_basestring


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _strings(values: tuple[str, ...]) -> str:
    return "[" + ",".join(map(_string, values)) + "]"


class IssueEncoder:
    """Encodes issues for one sandbox; shared fragments are cached per API version."""

    def __init__(self, renderer: Renderer) -> None:
        self.renderer = renderer
        self._fragments: dict[tuple[str, str, str], str] = {}
        self._plans: dict[
            tuple[str, ...], list[tuple[str, Callable[[Issue, str], str | None]]]
        ] = {}
        self._fields: dict[str, Callable[[Issue, str], str | None]] = {
            "summary": lambda i, v: _string(i.summary),
            "status": lambda i, v: self._shared("status", i.status, v),
            "statuscategorychangedate": lambda i, v: _date_time(i.updated),
            "issuetype": lambda i, v: self._shared("issuetype", i.issuetype, v),
            "project": lambda i, v: self._shared("project", i.project, v),
            "priority": lambda i, v: self._shared("priority", i.priority, v),
            "resolution": lambda i, v: (
                "null" if i.resolution is None else self._shared("resolution", i.resolution, v)
            ),
            "created": lambda i, v: _date_time(i.created),
            "updated": lambda i, v: _date_time(i.updated),
            "resolutiondate": lambda i, v: (
                "null" if i.resolutiondate is None else _date_time(i.resolutiondate)
            ),
            "duedate": lambda i, v: "null" if i.duedate is None else f'"{i.duedate.isoformat()}"',
            "labels": lambda i, v: _strings(i.labels),
            "components": self._components,
            "fixVersions": self._fix_versions,
            "assignee": lambda i, v: self._person(i.assignee, v),
            "reporter": lambda i, v: self._person(i.reporter, v),
            "creator": lambda i, v: self._person(i.reporter, v),
            "description": lambda i, v: _description(i.description, v),
            "parent": lambda i, v: None if i.parent is None else f'{{"key":{_string(i.parent)}}}',
            "watches": lambda i, v: self._counter(
                i, v, "watchers", '"watchCount":1,"isWatching":false'
            ),
            "votes": lambda i, v: self._counter(i, v, "votes", '"votes":0,"hasVoted":false'),
            "versions": lambda i, v: "[]",
            "subtasks": lambda i, v: "[]",
            "issuelinks": lambda i, v: "[]",
            "attachment": lambda i, v: "[]",
            "lastViewed": lambda i, v: "null",
            "environment": lambda i, v: "null",
            "comment": lambda i, v: '{"comments":[],"maxResults":0,"total":0,"startAt":0}',
            "worklog": lambda i, v: '{"startAt":0,"maxResults":20,"total":0,"worklogs":[]}',
        }

    def encode(self, issue: Issue, fields: tuple[str, ...], version: str) -> bytes:
        """The issue's JSON with ``fields`` (ids and keys are always there)."""
        api = self.renderer.api(version)
        plan = self._plans.get(fields)
        if plan is None:
            plan = self._plans[fields] = [
                (f'"{name}":', self._fields[name]) for name in fields if name in self._fields
            ]
        parts = []
        for prefix, render in plan:
            value = render(issue, version)
            if value is not None:
                parts.append(prefix + value)
        text = (
            f'{{"expand":"{_EXPAND}","id":"{issue.id}","self":"{api}/issue/{issue.id}",'
            f'"key":{_string(issue.key)},"fields":{{{",".join(parts)}}}}}'
        )
        return text.encode()

    def as_dict(self, issue: Issue, fields: tuple[str, ...], version: str) -> dict[str, Any]:
        """The same issue JSON as a dictionary (single-issue endpoints, webhooks)."""
        decoded: dict[str, Any] = json.loads(self.encode(issue, fields, version))
        return decoded

    # ------------------------------------------------------------ fragments

    def _shared(self, kind: str, name: str, version: str) -> str:
        key = (kind, name, version)
        fragment = self._fragments.get(key)
        if fragment is None:
            fragment = self._fragments[key] = _dumps(self._build(kind, name, version))
        return fragment

    def _build(self, kind: str, name: str, version: str) -> Any:
        renderer = self.renderer
        api = renderer.api(version)
        if kind == "status":
            return renderer.status(STATUS_BY_NAME[name.lower()], version)
        if kind == "issuetype":
            return renderer.issuetype(ISSUE_TYPE_BY_NAME[name.lower()], version)
        if kind == "user":
            return renderer.user(renderer.users[name], version)
        if kind == "project":
            project = renderer.projects[name]
            reference: dict[str, Any] = {
                "self": f"{api}/project/{project.id}",
                "id": str(project.id),
                "key": project.key,
                "name": project.name,
                "projectTypeKey": "software",
                "avatarUrls": renderer.avatar_urls("project", str(project.id)),
            }
            if renderer.cloud:
                reference["simplified"] = False
            return reference
        if kind == "priority":
            priority = PRIORITY_BY_NAME[name.lower()]
            return {
                "self": f"{api}/priority/{priority.id}",
                "iconUrl": f"{renderer.base_url}/images/icons/priorities/"
                f"{priority.name.lower()}.svg",
                "name": priority.name,
                "id": str(priority.id),
            }
        if kind == "resolution":
            resolution = RESOLUTION_BY_NAME[name.lower()]
            return {
                "self": f"{api}/resolution/{resolution.id}",
                "id": str(resolution.id),
                "description": resolution.description,
                "name": resolution.name,
            }
        project_key, _, item = name.partition("\n")
        project = renderer.projects[project_key]
        if kind == "component":
            found = next(c for c in project.components if c.name == item)
            return {"self": f"{api}/component/{found.id}", "id": str(found.id), "name": item}
        index = project.versions.index(item) if item in project.versions else 99
        version_id = f"{project.id}{index}"
        return {
            "self": f"{api}/version/{version_id}",
            "id": version_id,
            "name": item,
            "archived": False,
            "released": False,
        }

    def _person(self, name: str | None, version: str) -> str:
        if name is None or name not in self.renderer.users:
            return "null"
        return self._shared("user", name, version)

    def _components(self, issue: Issue, version: str) -> str:
        known = {c.name for c in self.renderer.projects[issue.project].components}
        parts = [
            self._shared("component", f"{issue.project}\n{c}", version)
            for c in issue.components
            if c in known
        ]
        return f"[{','.join(parts)}]"

    def _fix_versions(self, issue: Issue, version: str) -> str:
        parts = [
            self._shared("version", f"{issue.project}\n{v}", version) for v in issue.fix_versions
        ]
        return f"[{','.join(parts)}]"

    def _counter(self, issue: Issue, version: str, path: str, rest: str) -> str:
        return f'{{"self":"{self.renderer.api(version)}/issue/{issue.key}/{path}",{rest}}}'


def _date_time(value: datetime) -> str:
    # isoformat is C code; strftime costs several times more, and this runs for every issue.
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return '"' + value.isoformat(timespec="milliseconds")[:-6] + '+0000"'


def _description(text: str | None, version: str) -> str:
    if text is None:
        return "null"
    if version != "3":
        return _string(text)
    paragraphs = ",".join(
        '{"type":"paragraph","content":[{"type":"text","text":' + _string(line) + "}]}"
        if line
        else '{"type":"paragraph","content":[]}'
        for line in text.split("\n")
    )
    return '{"type":"doc","version":1,"content":[' + paragraphs + "]}"


class IssueJSONCache:
    """Whole encoded issues per issue id, then per (API version, fields); bounded."""

    def __init__(self, encoder: IssueEncoder) -> None:
        self.encoder = encoder
        self._by_issue: dict[int, dict[tuple[str, tuple[str, ...]], bytes]] = {}
        self._size = 0

    def get(self, issue: Issue, version: str, fields: tuple[str, ...]) -> bytes:
        """The encoded JSON of one issue, encoded on first use."""
        per_issue = self._by_issue.get(issue.id)
        if per_issue is None:
            if self._size >= _CACHE_LIMIT:
                self.clear()
            per_issue = self._by_issue[issue.id] = {}
        key = (version, fields)
        encoded = per_issue.get(key)
        if encoded is None:
            encoded = per_issue[key] = self.encoder.encode(issue, fields, version)
            self._size += 1
        return encoded

    def forget(self, issue_id: int) -> None:
        """Drop an issue's entries after it changed."""
        removed = self._by_issue.pop(issue_id, None)
        if removed:
            self._size -= len(removed)

    def clear(self) -> None:
        """Drop everything."""
        self._by_issue.clear()
        self._size = 0
