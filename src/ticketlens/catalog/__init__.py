"""The catalog: descriptor files (Cortex, Backstage) turned into entities.

Pure: parsing takes text and returns entities or errors that name the file, the line and
the key path. Reading files and storing entities happen in ``ticketlens.entities``.
"""

from ticketlens.catalog.descriptors import (
    DESCRIPTOR_SUFFIXES,
    DescriptorFile,
    ParsedCatalog,
    parse_catalog,
    parse_descriptor,
)
from ticketlens.catalog.errors import (
    CatalogError,
    DescriptorError,
    DuplicateTag,
    InvalidTag,
    InvalidValue,
    MalformedYAML,
    UnknownFormat,
    WrongType,
)
from ticketlens.catalog.model import (
    Entity,
    EntitySource,
    JiraBlock,
    MatchItem,
    Owner,
    SourceFormat,
    is_valid_tag,
)

__all__ = [
    "DESCRIPTOR_SUFFIXES",
    "CatalogError",
    "DescriptorError",
    "DescriptorFile",
    "DuplicateTag",
    "Entity",
    "EntitySource",
    "InvalidTag",
    "InvalidValue",
    "JiraBlock",
    "MalformedYAML",
    "MatchItem",
    "Owner",
    "ParsedCatalog",
    "SourceFormat",
    "UnknownFormat",
    "WrongType",
    "is_valid_tag",
    "parse_catalog",
    "parse_descriptor",
]
