"""Importing descriptor files into the stored catalog, as one transaction.

``find_descriptor_files`` and ``read_sources`` do the file I/O; parsing stays in the pure
``ticketlens.catalog``. Without ``skip_invalid`` any bad descriptor aborts the import
before anything is written; with it, the good files are imported and the bad ones are
listed in the report (and their entities are never pruned).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.catalog import (
    DESCRIPTOR_SUFFIXES,
    DescriptorError,
    MalformedYAML,
    parse_catalog,
)
from ticketlens.entities.errors import InvalidCatalog
from ticketlens.entities.store import SaveCounts, save_entities

log = structlog.get_logger(__name__)


@dataclass(slots=True)
class ImportReport:
    """What an import did: counts by tag, the files read, and what was left out."""

    files: int
    counts: SaveCounts
    errors: list[DescriptorError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def skipped_files(self) -> list[str]:
        """Files left out because they are invalid (only with ``skip_invalid``)."""
        return sorted({error.file for error in self.errors})

    def summary(self) -> dict[str, int]:
        """The counts as numbers."""
        return {
            "created": len(self.counts.created),
            "updated": len(self.counts.updated),
            "unchanged": len(self.counts.unchanged),
            "pruned": len(self.counts.pruned),
        }


def find_descriptor_files(paths: Iterable[Path]) -> list[Path]:
    """Files given directly, plus every ``*.yaml``/``*.yml`` under folders (recursively,
    skipping hidden folders), each once, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            matches = (
                candidate
                for candidate in sorted(path.rglob("*"))
                if candidate.suffix in DESCRIPTOR_SUFFIXES
                and candidate.is_file()
                and not any(part.startswith(".") for part in candidate.relative_to(path).parts)
            )
            found.extend(matches)
        else:
            found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def read_sources(files: Sequence[Path]) -> tuple[list[tuple[str, str]], list[DescriptorError]]:
    """``(path, text)`` for each file, and an error for each one that is not UTF-8 text."""
    sources: list[tuple[str, str]] = []
    errors: list[DescriptorError] = []
    for path in files:
        try:
            sources.append((str(path), path.read_text(encoding="utf-8")))
        except UnicodeDecodeError as exc:
            errors.append(
                MalformedYAML(
                    str(path), 1, "", f"not UTF-8 text ({exc.reason})", "save it as UTF-8"
                )
            )
    return sources, errors


async def import_sources(
    engine: AsyncEngine,
    sources: Sequence[tuple[str, str]],
    *,
    skip_invalid: bool = False,
    prune: bool = False,
    read_errors: Sequence[DescriptorError] = (),
) -> ImportReport:
    """Parse ``(path, text)`` pairs and upsert their entities in one transaction.

    Raises InvalidCatalog (writing nothing) when a descriptor is bad and ``skip_invalid``
    is off.
    """
    parsed = parse_catalog(sources)
    errors = [*read_errors, *parsed.errors]
    if errors and not skip_invalid:
        raise InvalidCatalog(errors)
    async with engine.begin() as conn:
        counts = await save_entities(
            conn,
            parsed.entities,
            prune=prune,
            keep_paths={error.file for error in errors},
        )
    report = ImportReport(
        files=len(sources) + len(read_errors),
        counts=counts,
        errors=errors,
        ignored=[note for descriptor in parsed.files for note in descriptor.ignored],
    )
    log.info("catalog.imported", files=report.files, skipped=len(errors), **report.summary())
    return report


async def import_paths(
    engine: AsyncEngine,
    paths: Iterable[Path],
    *,
    skip_invalid: bool = False,
    prune: bool = False,
) -> ImportReport:
    """Import every descriptor file in ``paths`` (files or folders)."""
    files = find_descriptor_files(paths)
    sources, read_errors = read_sources(files)
    return await import_sources(
        engine, sources, skip_invalid=skip_invalid, prune=prune, read_errors=read_errors
    )
