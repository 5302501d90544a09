"""Everything ``ticketlens.sync`` raises.

::

    SyncError                 a sync, a webhook or a read could not be done
    ├── ScopeError            the connection's mirror scope or default JQL does not parse
    ├── UnknownConnection     no connection has the alias asked for
    ├── WebhookRejected       a webhook failed verification or is malformed (HTTP 401/400)
    ├── SyncRunning           another sync of the same connection holds the lock
    └── EntityNotFound        no entity has the tag asked for
"""

from __future__ import annotations


class SyncError(Exception):
    """A sync, a webhook or a read could not be done; the message says how to fix it."""


class ScopeError(SyncError):
    """A connection's mirror scope or default JQL does not parse."""


class UnknownConnection(SyncError):
    """No Jira connection has the alias asked for."""


class WebhookRejected(SyncError):
    """A webhook failed verification (``status`` 401) or is malformed (400)."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


class SyncRunning(SyncError):
    """Another sync of the same connection is in progress."""


class EntityNotFound(SyncError):
    """No entity has the tag asked for."""
