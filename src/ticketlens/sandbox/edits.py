"""Apply Jira's create/edit request bodies to a sandbox issue, collecting changelog items.

``fields`` sets values; ``update`` takes Jira's verbs (``set``, ``add``, ``remove``) for
labels, components and fixVersions and ``set`` for the rest. API v3 requires descriptions
in Atlassian Document Format and refuses plain strings, as Jira Cloud does; v2 takes text.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ticketlens.sandbox.errors import JiraHTTPError
from ticketlens.sandbox.model import (
    ISSUE_TYPE_BY_ID,
    ISSUE_TYPE_BY_NAME,
    PRIORITY_BY_ID,
    PRIORITY_BY_NAME,
    RESOLUTION_BY_NAME,
    Issue,
    Project,
    User,
)
from ticketlens.sandbox.render import adf_text, date_or_none

EDITABLE = frozenset(
    {
        "summary",
        "description",
        "issuetype",
        "priority",
        "labels",
        "components",
        "fixVersions",
        "assignee",
        "reporter",
        "duedate",
        "parent",
        "resolution",
        "project",
    }
)


def _named(value: Any, field: str) -> str:
    if isinstance(value, dict):
        for key in ("name", "id", "key", "value"):
            if value.get(key) not in (None, ""):
                return str(value[key])
    elif isinstance(value, str | int):
        return str(value)
    raise JiraHTTPError(400, errors={field: f"Could not read a value for {field}."})


def _user_name(users: dict[str, User], value: Any, field: str) -> str | None:
    if value is None:
        return None
    wanted = (
        _named(value, field)
        if not isinstance(value, dict)
        else str(value.get("accountId") or value.get("name") or value.get("key") or "")
    )
    for user in users.values():
        if wanted in (user.name, user.account_id, user.email):
            return user.name
    raise JiraHTTPError(400, errors={field: f"User '{wanted}' does not exist."})


def _text(value: Any, version: str, field: str) -> str | None:
    if value is None:
        return None
    if version == "3" and not isinstance(value, dict):
        raise JiraHTTPError(
            400,
            errors={
                field: "Operation value must be an Atlassian Document "
                "(see the Atlassian Document Format)."
            },
        )
    if version == "2" and not isinstance(value, str):
        raise JiraHTTPError(400, errors={field: "Operation value must be a string"})
    return adf_text(value)


def _convert(
    name: str, value: Any, issue: Issue, project: Project, users: dict[str, User], version: str
) -> Any:
    if name == "summary":
        text = str(value or "").strip()
        if not text:
            raise JiraHTTPError(400, errors={"summary": "You must specify a summary of the issue."})
        return text
    if name == "description":
        return _text(value, version, name)
    if name == "issuetype":
        wanted = _named(value, name)
        found = ISSUE_TYPE_BY_NAME.get(wanted.lower()) or (
            ISSUE_TYPE_BY_ID.get(int(wanted)) if wanted.isdigit() else None
        )
        if found is None:
            raise JiraHTTPError(400, errors={"issuetype": "The issue type selected is invalid."})
        return found.name
    if name == "priority":
        wanted = _named(value, name)
        priority = PRIORITY_BY_NAME.get(wanted.lower()) or (
            PRIORITY_BY_ID.get(int(wanted)) if wanted.isdigit() else None
        )
        if priority is None:
            raise JiraHTTPError(400, errors={"priority": f"Priority '{wanted}' is not valid."})
        return priority.name
    if name == "resolution":
        if value is None:
            return None
        wanted = _named(value, name)
        resolution = RESOLUTION_BY_NAME.get(wanted.lower())
        if resolution is None:
            raise JiraHTTPError(400, errors={"resolution": f"Resolution '{wanted}' is not valid."})
        return resolution.name
    if name == "labels":
        labels = [str(v) for v in value or []]
        if any(" " in label for label in labels):
            raise JiraHTTPError(400, errors={"labels": "The label must not contain spaces."})
        return tuple(sorted(set(labels)))
    if name == "components":
        by_name = {c.name.casefold(): c.name for c in project.components}
        by_id = {str(c.id): c.name for c in project.components}
        names: list[str] = []
        for item in value or []:
            wanted = _named(item, name)
            component = by_name.get(wanted.casefold()) or by_id.get(wanted)
            if component is None:
                raise JiraHTTPError(
                    400, errors={"components": f"Component name '{wanted}' is not valid"}
                )
            names.append(component)
        return tuple(sorted(set(names)))
    if name == "fixVersions":
        versions = [_named(v, name) for v in value or []]
        unknown = [v for v in versions if v not in project.versions]
        if unknown:
            raise JiraHTTPError(
                400, errors={"fixVersions": f"Version name '{unknown[0]}' is not valid"}
            )
        return tuple(sorted(set(versions)))
    if name in ("assignee", "reporter"):
        return _user_name(users, value, name)
    if name == "duedate":
        try:
            return date_or_none(value)
        except ValueError:
            raise JiraHTTPError(400, errors={"duedate": "Use the format yyyy-MM-dd."}) from None
    if name == "parent":
        return None if value is None else _named(value, name).upper()
    return value


_ATTRIBUTE = {"fixVersions": "fix_versions"}


def apply_edits(
    issue: Issue,
    project: Project,
    users: dict[str, User],
    fields: dict[str, Any],
    update: dict[str, Any],
    version: str,
) -> tuple[Issue, list[dict[str, Any]]]:
    """The edited issue (a copy) and Jira changelog items for what changed."""
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in EDITABLE:
            raise JiraHTTPError(
                400,
                errors={
                    name: f"Field '{name}' cannot be set. It is not on the appropriate "
                    "screen, or unknown."
                },
            )
        if name != "project":
            changes[name] = _convert(name, value, issue, project, users, version)
    for name, operations in update.items():
        if name not in EDITABLE or not isinstance(operations, list):
            raise JiraHTTPError(400, errors={name: f"Field '{name}' cannot be updated."})
        attr = _ATTRIBUTE.get(name, name)
        current = changes.get(name, getattr(issue, attr))
        for operation in operations:
            if not isinstance(operation, dict) or len(operation) != 1:
                raise JiraHTTPError(400, errors={name: "Each operation is one of set/add/remove."})
            verb, value = next(iter(operation.items()))
            if verb == "set":
                current = _convert(name, value, issue, project, users, version)
            elif verb in ("add", "remove") and isinstance(current, tuple):
                item = _convert(name, [value], issue, project, users, version)[0]
                values = set(current)
                if verb == "add":
                    values.add(item)
                else:
                    values.discard(item)
                current = tuple(sorted(values))
            else:
                raise JiraHTTPError(400, errors={name: f"Operation '{verb}' is not supported."})
        changes[name] = current
    items: list[dict[str, Any]] = []
    for name, value in changes.items():
        attr = _ATTRIBUTE.get(name, name)
        old = getattr(issue, attr)
        if old != value:
            items.append(_change_item(name, old, value))
    edited = dataclasses.replace(issue, **{_ATTRIBUTE.get(k, k): v for k, v in changes.items()})
    return edited, items


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def _change_item(name: str, old: Any, new: Any) -> dict[str, Any]:
    return {
        "field": name,
        "fieldtype": "jira",
        "from": None,
        "fromString": _as_text(old),
        "to": None,
        "toString": _as_text(new),
    }
