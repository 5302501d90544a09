"""Cortex descriptors (``cortex.yaml``): an OpenAPI 3 file with ``x-cortex-*`` keys.

Read keys (all under ``info``; a key found only at the top level is accepted too):

- ``info.x-cortex-tag`` (required) → ``tag``; ``info.title`` → ``name`` (default: the tag);
  ``info.description``;
- ``info.x-cortex-type`` → ``type`` (default ``service``);
- ``info.x-cortex-groups`` (list of strings); ``info.x-cortex-owners`` (list of
  ``{type: group, name, provider?}``, ``{type: email, email}``, ``{type: slack, channel}``);
- ``info.x-cortex-issues.jira`` with ``labels``, ``components`` and ``projects`` (lists of
  ``{name, alias?}`` or plain strings) and ``defaultJql``.
"""

from __future__ import annotations

from ticketlens.catalog.fields import read_match_items, read_tag
from ticketlens.catalog.model import Entity, EntitySource, JiraBlock, Owner
from ticketlens.catalog.yamldoc import DocumentReader, KeyPath, YamlDocument

JIRA_KEYS = ("labels", "components", "projects", "defaultJql")

# The key that names an owner, per owner type.
_OWNER_NAME_KEYS = {"group": "name", "email": "email", "slack": "channel", "user": "name"}


def looks_like_cortex(data: object) -> bool:
    """True for an OpenAPI document or one carrying ``x-cortex-*`` keys."""
    if not isinstance(data, dict):
        return False
    if "openapi" in data or any(str(key).startswith("x-cortex-") for key in data):
        return True
    info = data.get("info")
    return isinstance(info, dict) and any(str(key).startswith("x-cortex-") for key in info)


def parse_cortex(document: YamlDocument) -> Entity:
    """The entity a Cortex document describes. Raises a DescriptorError subclass."""
    reader = DocumentReader(document)
    reader.mapping(("info",))

    def key(name: str) -> KeyPath:
        if not reader.has(("info", name)) and reader.has((name,)):
            return (name,)
        return ("info", name)

    tag_path = key("x-cortex-tag")
    tag = read_tag(reader, tag_path, "add `x-cortex-tag: my-service` under `info`")
    return Entity(
        tag=tag,
        name=reader.string(("info", "title")) or tag,
        type=reader.string(key("x-cortex-type")) or "service",
        description=reader.string(("info", "description")),
        groups=reader.strings(key("x-cortex-groups")),
        owners=_owners(reader, key("x-cortex-owners")),
        jira=_jira(reader, (*key("x-cortex-issues"), "jira")),
        source=EntitySource(format="cortex", path=document.file, line=document.line_of(tag_path)),
    )


def _owners(reader: DocumentReader, path: KeyPath) -> tuple[Owner, ...]:
    owners: list[Owner] = []
    for position, entry in enumerate(reader.sequence(path)):
        item = (*path, position)
        if not isinstance(entry, dict):
            raise reader.wrong_type(item, "a mapping such as `{type: group, name: my-team}`", entry)
        kind = (reader.string((*item, "type")) or "group").lower()
        name_key = _OWNER_NAME_KEYS.get(kind, "name")
        name = reader.string((*item, name_key))
        if name is None:
            raise reader.invalid(
                (*item, name_key),
                f"a {kind} owner needs `{name_key}`",
                f"add `{name_key}: …` to the owner",
            )
        provider = reader.string((*item, "provider"))
        owner = Owner(type=kind, name=name, provider=provider.upper() if provider else None)
        if owner not in owners:
            owners.append(owner)
    return tuple(owners)


def _jira(reader: DocumentReader, path: KeyPath) -> JiraBlock:
    block = reader.mapping(path[:-1])
    if not block:
        return JiraBlock()
    body = reader.mapping(path)
    unknown = sorted(str(name) for name in body if name not in JIRA_KEYS)
    if unknown:
        raise reader.invalid(
            (*path, unknown[0]),
            f"unknown key {unknown[0]!r}",
            "the Jira block takes labels, components, projects and defaultJql",
        )
    return JiraBlock(
        labels=read_match_items(reader, (*path, "labels")),
        components=read_match_items(reader, (*path, "components")),
        projects=read_match_items(reader, (*path, "projects")),
        default_jql=reader.string(
            (*path, "defaultJql"), hint="write the JQL as a string, e.g. 'priority = High'"
        ),
    )
