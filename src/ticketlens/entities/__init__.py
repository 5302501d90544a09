"""The stored catalog: descriptor files imported into the database, and read back."""

from ticketlens.entities.errors import EntityNotFound, EntityStoreError, InvalidCatalog
from ticketlens.entities.importer import (
    ImportReport,
    find_descriptor_files,
    import_paths,
    import_sources,
)
from ticketlens.entities.store import (
    EntityPage,
    SaveCounts,
    get_entity,
    list_entities,
    save_entities,
)

__all__ = [
    "EntityNotFound",
    "EntityPage",
    "EntityStoreError",
    "ImportReport",
    "InvalidCatalog",
    "SaveCounts",
    "find_descriptor_files",
    "get_entity",
    "import_paths",
    "import_sources",
    "list_entities",
    "save_entities",
]
