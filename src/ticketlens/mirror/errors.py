"""Errors of the mirror.

``MirrorError``
 ├── ``UnsupportedJQL``  a query (or part of one) the mirror cannot answer exactly;
 │                       callers fall back to asking Jira itself
 └── ``InvalidCursor``   a search cursor that this code did not produce
"""

from __future__ import annotations

from ticketlens.jql.ast import Span


class MirrorError(Exception):
    """Base class of every error raised by ``ticketlens.mirror``."""


class UnsupportedJQL(MirrorError):
    """The query is outside the subset the mirror evaluates exactly.

    ``clause`` is the offending JQL text (or a description of it) and ``span`` its
    position in the source, when the AST carries one. The mirror never answers such a
    query approximately: send it to Jira instead.
    """

    def __init__(self, message: str, clause: str, span: Span | None = None) -> None:
        where = f" at position {span.start}" if span is not None else ""
        super().__init__(
            f"{message} ({clause!r}{where}); the local mirror cannot answer it exactly, "
            "so ask Jira instead"
        )
        self.reason = message
        self.clause = clause
        self.span = span


class InvalidCursor(MirrorError):
    """A paging cursor is malformed or belongs to a different ordering."""
