"""Errors of the stored catalog.

EntityStoreError
 ├── EntityNotFound     no entity has that tag
 └── InvalidCatalog     descriptors failed to parse; nothing was written
"""

from __future__ import annotations

from collections.abc import Sequence

from ticketlens.catalog import DescriptorError


class EntityStoreError(RuntimeError):
    """Base class of the stored catalog's errors."""


class EntityNotFound(EntityStoreError):
    """No entity has the tag asked for."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        super().__init__(
            f"no entity is tagged {tag!r}; list the tags with `ticketlens catalog list`"
        )


class InvalidCatalog(EntityStoreError):
    """Some descriptors are invalid, so the import (one transaction) wrote nothing."""

    def __init__(self, errors: Sequence[DescriptorError]) -> None:
        self.errors = list(errors)
        files = sorted({error.file for error in self.errors})
        super().__init__(
            f"nothing was imported: {len(files)} descriptor file(s) are invalid; fix them, "
            "or pass --skip-invalid to import the valid ones"
        )
