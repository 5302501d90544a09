"""The ``fields`` parameter of Jira's search and issue endpoints.

Jira accepts a comma-separated list that may be repeated: ``*all``, ``*navigable``, field ids,
and ``-field`` to leave one out. Unknown field names are ignored, as Jira does.
"""

from __future__ import annotations

from collections.abc import Iterable

# Fields the sandbox knows, in the order Jira tends to print them.
NAVIGABLE: tuple[str, ...] = (
    "statuscategorychangedate",
    "issuetype",
    "parent",
    "project",
    "fixVersions",
    "resolution",
    "resolutiondate",
    "watches",
    "lastViewed",
    "created",
    "priority",
    "labels",
    "versions",
    "assignee",
    "updated",
    "status",
    "components",
    "description",
    "summary",
    "creator",
    "subtasks",
    "reporter",
    "environment",
    "duedate",
    "votes",
)
NOT_NAVIGABLE: tuple[str, ...] = ("comment", "attachment", "worklog", "issuelinks")
ALL: tuple[str, ...] = NAVIGABLE + NOT_NAVIGABLE
_KNOWN = frozenset(ALL)
_ALIASES = {"type": "issuetype", "fixversion": "fixVersions", "component": "components"}


def select_fields(requested: Iterable[str] | None, default: str) -> tuple[str, ...]:
    """The fields to print for ``requested`` (None means ``default``, e.g. ``*navigable``).

    ``id`` and ``key`` are always part of an issue, so they are not fields here; a result of
    ``()`` therefore means "ids and keys only".
    """
    items: list[str] = []
    for chunk in requested if requested is not None else [default]:
        items.extend(part.strip() for part in chunk.split(",") if part.strip())
    if not items:
        items = [default]
    chosen: list[str] = []
    excluded: set[str] = set()
    for item in items:
        if item.startswith("-"):
            excluded.add(_canonical(item[1:]))
        elif item in ("*all", "*navigable"):
            chosen.extend(ALL if item == "*all" else NAVIGABLE)
        else:
            name = _canonical(item)
            if name in _KNOWN:
                chosen.append(name)
    if excluded and not chosen and all(i.startswith("-") for i in items):
        # "-description" alone means: the default set except description.
        chosen.extend(ALL if default == "*all" else NAVIGABLE)
    seen: set[str] = set()
    result: list[str] = []
    for name in chosen:
        if name not in seen and name not in excluded:
            seen.add(name)
            result.append(name)
    return tuple(result)


def ids_only(requested: Iterable[str] | None, default: str) -> bool:
    """True when a search asks for nothing but ``id`` and/or ``key`` (Cloud's 5000 cap)."""
    names: list[str] = []
    for chunk in requested if requested is not None else [default]:
        names.extend(part.strip() for part in chunk.split(",") if part.strip())
    return all(n in ("id", "key") for n in names)


def only_id(requested: Iterable[str] | None) -> bool:
    """True when nothing but ``id`` is asked for (Cloud's search/jql default)."""
    names: list[str] = []
    for chunk in requested or ["id"]:
        names.extend(part.strip() for part in chunk.split(",") if part.strip())
    return set(names) <= {"id"}


def _canonical(name: str) -> str:
    return _ALIASES.get(name.lower(), name)
