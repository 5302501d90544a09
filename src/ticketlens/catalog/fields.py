"""Reading the fields both descriptor formats share: the tag and Jira match items."""

from __future__ import annotations

import re
from typing import Any

from ticketlens.catalog.errors import InvalidTag
from ticketlens.catalog.model import MAX_TAG_LENGTH, MatchItem, is_valid_tag
from ticketlens.catalog.yamldoc import DocumentReader, KeyPath, describe, render_path

TAG_RULE = "tags are 1-200 lowercase letters, digits, '-', '_' and '.'"


def suggest_tag(text: str) -> str:
    """A valid tag close to ``text``: lowercased, other characters turned into ``-``."""
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.strip().lower()).strip("-")
    return slug[:MAX_TAG_LENGTH] or "my-entity"


def read_tag(reader: DocumentReader, path: KeyPath, how_to_add: str) -> str:
    """The tag at ``path``; InvalidTag when it is missing, not a string or malformed."""
    document = reader.document
    where = render_path(path)
    value = reader.get(path)
    if value is None:
        raise InvalidTag(
            document.file, document.line_of(path), where, "the tag is missing", how_to_add
        )
    if not isinstance(value, str):
        raise InvalidTag(
            document.file,
            document.line_of(path),
            where,
            f"the tag must be a string, got {describe(value)}",
            f"{TAG_RULE}; quote it if it looks like a number",
        )
    if not is_valid_tag(value):
        raise InvalidTag(
            document.file,
            document.line_of(path),
            where,
            f"tag {value!r} is invalid",
            f"{TAG_RULE}, e.g. {suggest_tag(value)!r}",
        )
    return value


def add_item(items: list[MatchItem], item: MatchItem) -> None:
    """Append ``item`` unless an equal one is already there (descriptor order is kept)."""
    if item not in items:
        items.append(item)


_ITEM_KEYS = frozenset({"name", "alias"})


def read_match_items(reader: DocumentReader, path: KeyPath) -> tuple[MatchItem, ...]:
    """A Cortex-style list whose items are ``{name, alias?}`` or plain strings."""
    raw = reader.sequence(
        path, hint="write a list, e.g. `- name: my-label` or `- my-label` for each item"
    )
    items: list[MatchItem] = []
    for position, entry in enumerate(raw):
        item_path = (*path, position)
        if isinstance(entry, str):
            name = reader.string(item_path)
            assert name is not None
            add_item(items, MatchItem(name=name))
        elif isinstance(entry, dict):
            add_item(items, _mapping_item(reader, item_path, entry))
        else:
            raise reader.wrong_type(
                item_path,
                "a string or a mapping with `name` (and optionally `alias`)",
                entry,
                "write `- name: VALUE` or `- VALUE`",
            )
    return tuple(items)


def _mapping_item(reader: DocumentReader, path: KeyPath, entry: dict[str, Any]) -> MatchItem:
    unknown = sorted(str(key) for key in entry if key not in _ITEM_KEYS)
    if unknown:
        raise reader.invalid(
            (*path, unknown[0]),
            f"unknown key {unknown[0]!r}",
            "an item takes only `name` and `alias`",
        )
    name = reader.string((*path, "name"))
    if name is None:
        raise reader.invalid(
            (*path, "name"), "the item has no `name`", "add `name: VALUE` to the item"
        )
    alias = reader.string(
        (*path, "alias"), hint="`alias` names a Jira connection; leave it out for the default"
    )
    return MatchItem(name=name, alias=alias)
