"""The catalog's data model: an entity, its owners and its Jira block.

Parsing (``ticketlens.catalog.cortex`` and ``.backstage``) builds these; storage and the
API serialise them with ``Entity.to_json()``, whose Jira block is normalised: every label,
component and project carries its connection alias (``null`` means the default
connection), plus ``defaultJql``.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

SourceFormat = Literal["cortex", "backstage"]

TAG_PATTERN = re.compile(r"^[a-z0-9._-]+$")
MAX_TAG_LENGTH = 200


def is_valid_tag(tag: str) -> bool:
    """True for 1-200 lowercase letters, digits, ``-``, ``_`` and ``.``."""
    return len(tag) <= MAX_TAG_LENGTH and TAG_PATTERN.match(tag) is not None


class MatchItem(BaseModel):
    """One override value (a label, component or project) on a Jira connection.

    ``alias`` names the connection; ``None`` means the default connection.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    alias: str | None = None


class JiraBlock(BaseModel):
    """How an entity's Jira issues are found.

    Empty lists mean the automatic match by tag; any non-empty list is an override, and
    then only the listed values count. ``default_jql`` replaces the outstanding-issues
    query; it is not an override of the match.
    """

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    labels: tuple[MatchItem, ...] = ()
    components: tuple[MatchItem, ...] = ()
    projects: tuple[MatchItem, ...] = ()
    default_jql: str | None = Field(default=None, alias="defaultJql")

    @computed_field(alias="hasOverride")  # type: ignore[prop-decorator]
    @property
    def has_override(self) -> bool:
        """True when the descriptor lists any label, component or project."""
        return bool(self.labels or self.components or self.projects)


class Owner(BaseModel):
    """Who owns an entity: a group (team), a person's email, a user or a chat channel."""

    model_config = ConfigDict(frozen=True)

    type: str
    name: str
    provider: str | None = None


class EntitySource(BaseModel):
    """Where an entity was read from."""

    model_config = ConfigDict(frozen=True)

    format: SourceFormat
    path: str
    line: int = 1


class Entity(BaseModel):
    """One catalog item, keyed by its unique tag."""

    model_config = ConfigDict(frozen=True)

    tag: str
    name: str
    type: str
    description: str | None = None
    groups: tuple[str, ...] = ()
    owners: tuple[Owner, ...] = ()
    jira: JiraBlock = JiraBlock()
    source: EntitySource

    @property
    def has_override(self) -> bool:
        """True when the Jira block lists any label, component or project."""
        return self.jira.has_override

    def to_json(self) -> dict[str, Any]:
        """The entity as JSON-ready data, with the normalised Jira block."""
        return self.model_dump(mode="json", by_alias=True)

    def content_hash(self) -> str:
        """SHA-256 of everything but the source: equal hashes mean nothing to update."""
        data = self.model_dump(mode="json", by_alias=True, exclude={"source"})
        text = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()
