"""Issues given as data: the ``--data FILE`` option and ``POST /_sandbox/issues``.

Each issue is a flat JSON object (see docs/sandbox.md): ``project`` (key) and ``summary``
are required; ``key`` and ``id`` are assigned when missing; the rest default to a fresh
To Do task. A file holds a JSON array or one object per line (JSON Lines).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ticketlens.sandbox.errors import JiraHTTPError, SandboxConfigError
from ticketlens.sandbox.model import (
    ISSUE_TYPE_BY_NAME,
    PRIORITY_BY_NAME,
    RESOLUTION_BY_NAME,
    STATUS_BY_NAME,
    Issue,
)
from ticketlens.sandbox.render import date_or_none, parse_jira_datetime
from ticketlens.sandbox.state import Sandbox


def _when(value: Any, default: datetime) -> datetime:
    if value in (None, ""):
        return default
    parsed = parse_jira_datetime(str(value))
    # A time without an offset is taken as UTC, as the mirror does.
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _choice(value: Any, known: dict[str, Any], name: str, default: str) -> str:
    text = default if value in (None, "") else str(value)
    found = known.get(text.lower())
    if found is None:
        raise ValueError(f"{name} {text!r} is not one of {sorted(known)}")
    return str(found.name)


def issue_from_data(sandbox: Sandbox, data: dict[str, Any]) -> Issue:
    """One issue from a flat JSON object; ValueError names the bad field."""
    project_key = str(data.get("project") or "").upper()
    if project_key not in sandbox.projects:
        raise ValueError(f"project {project_key!r} is not one of {sorted(sandbox.projects)}")
    summary = str(data.get("summary") or "").strip()
    if not summary:
        raise ValueError("summary is required")
    now = sandbox.now_datetime()
    created = _when(data.get("created"), now)
    status = _choice(data.get("status"), STATUS_BY_NAME, "status", "To Do")
    resolution = data.get("resolution")
    if resolution is not None:
        resolution = _choice(resolution, RESOLUTION_BY_NAME, "resolution", "Done")
    components = {c.name for c in sandbox.projects[project_key].components}
    unknown = [c for c in data.get("components", []) if c not in components]
    if unknown:
        raise ValueError(f"component {unknown[0]!r} is not in project {project_key}")
    key = str(data.get("key") or "").upper()
    if not key:
        key = f"{project_key}-{sandbox.next_issue_number(project_key)}"
    issue_id = int(data["id"]) if data.get("id") is not None else sandbox.next_issue_id()
    resolved = data.get("resolutiondate")
    return Issue(
        id=issue_id,
        key=key,
        project=project_key,
        issuetype=_choice(data.get("issuetype"), ISSUE_TYPE_BY_NAME, "issuetype", "Task"),
        status=status,
        priority=_choice(data.get("priority"), PRIORITY_BY_NAME, "priority", "Medium"),
        summary=summary,
        description=data.get("description"),
        reporter=str(data.get("reporter") or "alice"),
        assignee=data.get("assignee"),
        created=created,
        updated=_when(data.get("updated"), created),
        resolution=resolution,
        resolutiondate=None if resolved in (None, "") else _when(resolved, now),
        duedate=date_or_none(data.get("duedate")),
        labels=tuple(sorted({str(label) for label in data.get("labels", [])})),
        components=tuple(sorted(set(data.get("components", [])))),
        fix_versions=tuple(sorted(set(data.get("fixVersions", [])))),
        parent=data.get("parent"),
    )


async def load_issue_data(sandbox: Sandbox, items: list[Any]) -> list[Issue]:
    """Store issues given as data; JiraHTTPError(400) names the first bad item."""
    issues: list[Issue] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise JiraHTTPError(400, f"issues[{index}] is not a JSON object.")
        try:
            issues.append(issue_from_data(sandbox, item))
        except (ValueError, TypeError) as exc:
            raise JiraHTTPError(400, f"issues[{index}]: {exc}.") from None
    await sandbox.save(issues)
    return issues


async def load_data_file(sandbox: Sandbox, path: Path) -> int:
    """Load ``--data FILE``; SandboxConfigError says which line or item is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SandboxConfigError(f"--data {path}: cannot read it ({exc.strerror})") from None
    stripped = text.lstrip()
    try:
        if stripped.startswith("["):
            items = json.loads(stripped)
        else:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError as exc:
        raise SandboxConfigError(f"--data {path}: not JSON or JSON Lines ({exc})") from None
    try:
        issues = await load_issue_data(sandbox, items)
    except JiraHTTPError as exc:
        raise SandboxConfigError(f"--data {path}: {'; '.join(exc.messages)}") from None
    return len(issues)
