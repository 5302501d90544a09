"""Backstage descriptors (``catalog-info.yaml``): one entity per document.

Kinds read: Component, System, API and Resource. Other kinds (Group, User, Domain,
Location, Template, …) carry no Jira match and are ignored.

- ``metadata.name`` → ``tag``; ``metadata.title`` → ``name`` (default: the tag);
  ``metadata.description``; ``metadata.tags`` → ``groups``; ``spec.owner`` → ``owners``;
- ``type``: ``spec.type`` for a Component or Resource (default ``component`` /
  ``resource``), ``api`` for an API, ``system`` for a System.
- Jira annotations (``metadata.annotations``), all comma-separated lists:
  ``jira/project-key``, ``jira/component`` (one name, commas allowed), ``jira/label``,
  ``jira.com/project-key`` (an ``instance/KEY`` item names the connection alias) and
  ``jira.com/components`` (on the instance named by ``jira.com/project-key``).
"""

from __future__ import annotations

from ticketlens.catalog.fields import add_item, read_tag
from ticketlens.catalog.model import Entity, EntitySource, JiraBlock, MatchItem, Owner
from ticketlens.catalog.yamldoc import DocumentReader, KeyPath, YamlDocument

API_VERSION_PREFIX = "backstage.io/"
KINDS = {"component": "Component", "system": "System", "api": "API", "resource": "Resource"}

ROADIE_PROJECT = "jira/project-key"
ROADIE_COMPONENT = "jira/component"
ROADIE_LABEL = "jira/label"
AXIS_PROJECT = "jira.com/project-key"
AXIS_COMPONENTS = "jira.com/components"


def looks_like_backstage(data: object) -> bool:
    """True for a document with ``apiVersion: backstage.io/…``."""
    if not isinstance(data, dict):
        return False
    api_version = data.get("apiVersion")
    return isinstance(api_version, str) and api_version.startswith(API_VERSION_PREFIX)


def parse_backstage(document: YamlDocument) -> Entity | None:
    """The entity a Backstage document describes, or None for a kind we don't read."""
    reader = DocumentReader(document)
    kind_text = reader.string(("kind",))
    if kind_text is None:
        raise reader.invalid(
            ("kind",), "the Backstage document has no `kind`", "add e.g. `kind: Component`"
        )
    kind = KINDS.get(kind_text.lower())
    if kind is None:
        return None
    reader.mapping(("metadata",))
    reader.mapping(("spec",))
    tag_path: KeyPath = ("metadata", "name")
    tag = read_tag(reader, tag_path, "add `name: my-service` under `metadata`")
    return Entity(
        tag=tag,
        name=reader.string(("metadata", "title")) or tag,
        type=_entity_type(reader, kind),
        description=reader.string(("metadata", "description")),
        groups=reader.strings(("metadata", "tags")),
        owners=_owners(reader),
        jira=_jira(reader),
        source=EntitySource(
            format="backstage", path=document.file, line=document.line_of(tag_path)
        ),
    )


def _entity_type(reader: DocumentReader, kind: str) -> str:
    if kind in ("Component", "Resource"):
        return reader.string(("spec", "type")) or kind.lower()
    return kind.lower()


def _owners(reader: DocumentReader) -> tuple[Owner, ...]:
    """``spec.owner`` is an entity reference: ``team-a``, ``group:team-a`` or
    ``user:default/jdoe``; a reference without a kind names a group."""
    ref = reader.string(("spec", "owner"))
    if ref is None:
        return ()
    kind, _, rest = ref.rpartition(":") if ":" in ref else ("group", ":", ref)
    name = rest.rsplit("/", 1)[-1].strip()
    if not name:
        raise reader.invalid(
            ("spec", "owner"), f"owner {ref!r} names no one", "write e.g. `owner: group:my-team`"
        )
    return (Owner(type=kind.strip().lower() or "group", name=name),)


def _csv(reader: DocumentReader, key: str) -> list[str]:
    path: KeyPath = ("metadata", "annotations", key)
    text = reader.string(path, hint="annotation values are strings; quote the value")
    if text is None:
        return []
    return [part.strip() for part in text.split(",") if part.strip()]


def _jira(reader: DocumentReader) -> JiraBlock:
    reader.mapping(("metadata", "annotations"))
    labels: list[MatchItem] = []
    components: list[MatchItem] = []
    projects: list[MatchItem] = []
    for label in _csv(reader, ROADIE_LABEL):
        add_item(labels, MatchItem(name=label))
    component = reader.string(("metadata", "annotations", ROADIE_COMPONENT))
    if component is not None:
        add_item(components, MatchItem(name=component.strip()))
    for key in _csv(reader, ROADIE_PROJECT):
        add_item(projects, MatchItem(name=key))

    aliases: set[str | None] = set()
    for entry in _csv(reader, AXIS_PROJECT):
        item = _instance_item(reader, entry)
        aliases.add(item.alias)
        add_item(projects, item)
    axis_components = _csv(reader, AXIS_COMPONENTS)
    if axis_components and len(aliases) > 1:
        raise reader.invalid(
            ("metadata", "annotations", AXIS_COMPONENTS),
            f"components apply to the instance of {AXIS_PROJECT}, but its keys name "
            "several instances",
            f"use one instance in {AXIS_PROJECT}, or split the entity",
        )
    alias = next(iter(aliases)) if aliases else None
    for name in axis_components:
        add_item(components, MatchItem(name=name, alias=alias))
    return JiraBlock(labels=tuple(labels), components=tuple(components), projects=tuple(projects))


def _instance_item(reader: DocumentReader, entry: str) -> MatchItem:
    """``KEY`` on the default connection, or ``instance/KEY`` on connection ``instance``."""
    if "/" not in entry:
        return MatchItem(name=entry)
    instance, _, key = entry.partition("/")
    if not instance.strip() or not key.strip() or "/" in key:
        raise reader.invalid(
            ("metadata", "annotations", AXIS_PROJECT),
            f"{entry!r} is not KEY or instance/KEY",
            "write e.g. `PROJ` or `my-jira/PROJ`",
        )
    return MatchItem(name=key.strip(), alias=instance.strip())
