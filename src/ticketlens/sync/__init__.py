"""Sync: Jira issues into the mirror, one batched scope per connection.

Full, incremental (``updated >=`` with an overlap, in the Jira user's time zone) and
reconcile (ids only) syncs, resumable checkpoints, webhooks, the scheduler that
``serve`` runs, and the reads (outstanding issues, explain) built on the mirror.
"""

from ticketlens.sync.engine import (
    ConnectionSync,
    Mode,
    SyncOptions,
    SyncReport,
    SyncTarget,
)
from ticketlens.sync.errors import (
    EntityNotFound,
    ScopeError,
    SyncError,
    SyncRunning,
    UnknownConnection,
    WebhookRejected,
)

__all__ = [
    "ConnectionSync",
    "EntityNotFound",
    "Mode",
    "ScopeError",
    "SyncError",
    "SyncOptions",
    "SyncReport",
    "SyncRunning",
    "SyncTarget",
    "UnknownConnection",
    "WebhookRejected",
]
