"""From descriptor texts to entities: format detection, per-file results, unique tags.

Pure: callers read the files and pass ``(path, text)`` pairs. A file is good when every
document in it parses; a bad file contributes no entities (``--skip-invalid`` relies on
this). Two good descriptors defining one tag make the later file (in the order given)
bad with a DuplicateTag error naming both places.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ticketlens.catalog.backstage import looks_like_backstage, parse_backstage
from ticketlens.catalog.cortex import looks_like_cortex, parse_cortex
from ticketlens.catalog.errors import DescriptorError, DuplicateTag, UnknownFormat
from ticketlens.catalog.model import Entity
from ticketlens.catalog.yamldoc import YamlDocument, describe, load_documents

DESCRIPTOR_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class DescriptorFile:
    """What one file yielded: entities, errors, and documents of kinds we don't read."""

    path: str
    entities: list[Entity] = field(default_factory=list)
    errors: list[DescriptorError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file has no errors."""
        return not self.errors


@dataclass(slots=True)
class ParsedCatalog:
    """The result of parsing a set of descriptor files."""

    files: list[DescriptorFile]

    @property
    def entities(self) -> list[Entity]:
        """The entities of every good file, in file order."""
        return [entity for f in self.files if f.ok for entity in f.entities]

    @property
    def errors(self) -> list[DescriptorError]:
        """Every error, in file order."""
        return [error for f in self.files for error in f.errors]

    @property
    def bad_files(self) -> list[str]:
        """The paths of files with errors."""
        return [f.path for f in self.files if not f.ok]


def parse_document(document: YamlDocument) -> Entity | None:
    """The entity in one YAML document; None for a Backstage kind we don't read."""
    data = document.data
    if looks_like_backstage(data):
        return parse_backstage(document)
    if looks_like_cortex(data):
        return parse_cortex(document)
    shape = (
        "a mapping without `apiVersion` or `openapi`"
        if isinstance(data, dict)
        else (describe(data))
    )
    raise UnknownFormat(
        document.file,
        document.start_line,
        "",
        f"unknown descriptor format: the document is {shape}",
        "a Cortex descriptor has `openapi: 3.0.1` and `info.x-cortex-tag`; a Backstage one "
        "has `apiVersion: backstage.io/v1alpha1` and a `kind`",
    )


def parse_descriptor(text: str, path: str) -> DescriptorFile:
    """Parse one file's text. Errors are collected per document, not raised."""
    result = DescriptorFile(path)
    try:
        documents = load_documents(text, path)
    except DescriptorError as exc:
        result.errors.append(exc)
        return result
    if not documents:
        result.errors.append(
            UnknownFormat(path, 1, "", "the file holds no YAML document", "remove it or fill it in")
        )
    for document in documents:
        try:
            entity = parse_document(document)
        except DescriptorError as exc:
            result.errors.append(exc)
            continue
        if entity is None:
            kind = document.data.get("kind") if isinstance(document.data, dict) else None
            result.ignored.append(f"{path}:{document.start_line}: kind {kind} is not read")
        else:
            result.entities.append(entity)
    return result


def parse_catalog(sources: Iterable[tuple[str, str]]) -> ParsedCatalog:
    """Parse ``(path, text)`` pairs and check that tags are unique across good files."""
    files = [parse_descriptor(text, path) for path, text in sources]
    first: dict[str, Entity] = {}
    for descriptor in files:
        if not descriptor.ok:
            continue
        here: dict[str, Entity] = {}
        duplicates: list[DescriptorError] = []
        for entity in descriptor.entities:
            earlier = first.get(entity.tag) or here.get(entity.tag)
            if earlier is None:
                here[entity.tag] = entity
                continue
            key_path = "info.x-cortex-tag" if entity.source.format == "cortex" else "metadata.name"
            duplicates.append(
                DuplicateTag(
                    descriptor.path,
                    entity.source.line,
                    key_path,
                    f"tag {entity.tag!r} is already defined in "
                    f"{earlier.source.path}:{earlier.source.line}",
                    "tags are unique: rename one of them or remove one descriptor",
                )
            )
        if duplicates:
            descriptor.errors.extend(duplicates)
        else:
            first.update(here)
    return ParsedCatalog(files)
