"""Turn Jira's REST issue JSON (API v2 or v3) into a ``MirrorIssue``.

v2 returns the description as plain text (wiki markup, kept as is); v3 returns an
Atlassian Document Format tree, which is flattened to plain text here: text nodes in
order, a line break between blocks and at ``hardBreak``, mentions and emoji as their
visible text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from ticketlens.mirror.model import (
    CATEGORY_BY_KEY,
    DEFAULT_PRIORITY_RANKS,
    MirrorIssue,
    MirrorUser,
    NamedItem,
)
from ticketlens.mirror.words import fold

_BLOCK_NODES = frozenset(
    {
        "paragraph",
        "heading",
        "blockquote",
        "codeBlock",
        "listItem",
        "bulletList",
        "orderedList",
        "panel",
        "rule",
        "table",
        "tableRow",
        "tableCell",
        "tableHeader",
        "mediaSingle",
        "mediaGroup",
        "expand",
        "nestedExpand",
        "taskList",
        "taskItem",
        "decisionList",
        "decisionItem",
    }
)


class JiraIssueFormatError(ValueError):
    """The issue JSON lacks a field the mirror needs (named in the message)."""


def adf_to_text(node: Any) -> str:
    """Plain text of an Atlassian Document Format node (or a plain string)."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    parts: list[str] = []
    _walk(node, parts)
    text = "".join(parts)
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def _walk(node: Any, parts: list[str]) -> None:
    if isinstance(node, list):
        for child in node:
            _walk(child, parts)
        return
    if not isinstance(node, Mapping):
        return
    kind = node.get("type")
    attrs = node.get("attrs") or {}
    if kind == "text":
        parts.append(str(node.get("text", "")))
    elif kind == "hardBreak":
        parts.append("\n")
    elif kind in ("mention", "emoji", "status"):
        parts.append(str(attrs.get("text") or attrs.get("shortName") or ""))
    elif kind in ("inlineCard", "blockCard"):
        parts.append(str(attrs.get("url") or ""))
    elif kind == "date":
        parts.append(str(attrs.get("timestamp") or ""))
    _walk(node.get("content"), parts)
    if kind in _BLOCK_NODES:
        parts.append("\n")


def _datetime(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    return datetime.fromisoformat(str(value))


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return date.fromisoformat(str(value)[:10])


def _user(value: Any) -> MirrorUser | None:
    if not isinstance(value, Mapping):
        return None
    return MirrorUser(
        account_id=value.get("accountId"),
        name=value.get("name") or value.get("key"),
        display_name=value.get("displayName"),
    )


def _items(value: Any) -> tuple[NamedItem, ...]:
    if not isinstance(value, list):
        return ()
    found: dict[str, NamedItem] = {}
    for item in value:
        if isinstance(item, Mapping) and item.get("name"):
            found.setdefault(str(item["name"]), NamedItem(name=str(item["name"]), id=_id(item)))
    return tuple(found.values())


def _id(item: Mapping[str, Any] | None) -> str | None:
    if not item or item.get("id") is None:
        return None
    return str(item["id"])


def _required(fields: Mapping[str, Any], name: str, issue: str) -> Mapping[str, Any]:
    value = fields.get(name)
    if not isinstance(value, Mapping):
        raise JiraIssueFormatError(
            f"issue {issue}: field {name!r} is missing; request it in the search's 'fields'"
        )
    return value


def _folded(ranks: Mapping[str, int]) -> dict[str, int]:
    return {fold(name): rank for name, rank in ranks.items()}


_DEFAULT_RANKS = _folded(DEFAULT_PRIORITY_RANKS)


def issue_from_jira(
    raw: Mapping[str, Any], *, priority_ranks: Mapping[str, int] | None = None
) -> MirrorIssue:
    """Parse one issue of a Jira search or issue response (v2 or v3).

    ``priority_ranks`` maps priority names to their rank (1 = most important), as Jira's
    ``GET /rest/api/2/priority`` lists them in order; without it, Jira's default scheme
    (Highest…Lowest, Blocker…Trivial) is used and other names get no rank.
    """
    key = str(raw.get("key") or "?")
    fields = raw.get("fields")
    if not isinstance(fields, Mapping) or "id" not in raw:
        raise JiraIssueFormatError(f"issue {key}: 'id' and 'fields' are required")
    project = _required(fields, "project", key)
    issuetype = _required(fields, "issuetype", key)
    status = _required(fields, "status", key)
    category = status.get("statusCategory") or {}
    category_key = str(category.get("key") or "undefined")
    if category_key not in CATEGORY_BY_KEY:
        category_key = "undefined"
    priority = fields.get("priority") if isinstance(fields.get("priority"), Mapping) else None
    resolution = fields.get("resolution")
    resolution = resolution if isinstance(resolution, Mapping) else None
    parent = fields.get("parent") if isinstance(fields.get("parent"), Mapping) else None
    created = _datetime(fields.get("created"))
    updated = _datetime(fields.get("updated")) or created
    if created is None or updated is None:
        raise JiraIssueFormatError(f"issue {key}: 'created' and 'updated' are required")
    description = fields.get("description")
    priority_name = str(priority["name"]) if priority and priority.get("name") else None
    ranks = _folded(priority_ranks) if priority_ranks else _DEFAULT_RANKS
    labels = fields.get("labels") or []
    return MirrorIssue(
        id=int(raw["id"]),
        key=key,
        project_id=str(project.get("id", "")),
        project_key=str(project.get("key", "")),
        project_name=str(project.get("name") or project.get("key", "")),
        issuetype=str(issuetype.get("name", "")),
        issuetype_id=_id(issuetype),
        status=str(status.get("name", "")),
        status_id=_id(status),
        status_category=category_key,
        priority=priority_name,
        priority_id=_id(priority),
        priority_rank=ranks.get(fold(priority_name)) if priority_name else None,
        resolution=str(resolution["name"]) if resolution and resolution.get("name") else None,
        resolution_id=_id(resolution),
        assignee=_user(fields.get("assignee")),
        reporter=_user(fields.get("reporter")),
        created=created,
        updated=updated,
        resolutiondate=_datetime(fields.get("resolutiondate")),
        duedate=_date(fields.get("duedate")),
        summary=str(fields.get("summary") or ""),
        description=None if description is None else adf_to_text(description) or None,
        labels=tuple(dict.fromkeys(str(label) for label in labels)),
        components=_items(fields.get("components")),
        fix_versions=_items(fields.get("fixVersions")),
        parent_id=int(parent["id"]) if parent and parent.get("id") else None,
        parent_key=str(parent["key"]) if parent and parent.get("key") else None,
    )
