"""Roles, ordered: an admin can do what an editor can, an editor what a viewer can."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A principal's role."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, needed: Role) -> bool:
        """True when this role may do what ``needed`` may."""
        return self.rank >= needed.rank


_RANK = {Role.VIEWER: 0, Role.EDITOR: 1, Role.ADMIN: 2}
