"""What the connections service refuses, as one small hierarchy.

::

    ConnectionsError            any refusal; the message says what, which alias, and the fix
    ├── ConnectionNotFound      no connection has that alias
    ├── ConnectionExists        the alias is taken
    ├── InvalidConnection       a field is missing or malformed
    ├── DefaultRequired         the default cannot be deleted while others exist
    ├── SecretsUnreadable       the stored secrets do not decrypt with the secret key
    └── OAuthFlowError          an OAuth start or callback failed; nothing was stored
"""

from __future__ import annotations


class ConnectionsError(Exception):
    """A connection operation was refused."""


class ConnectionNotFound(ConnectionsError):
    """No connection has that alias."""


class ConnectionExists(ConnectionsError):
    """A connection with that alias already exists."""


class InvalidConnection(ConnectionsError):
    """A field is missing or malformed."""


class DefaultRequired(ConnectionsError):
    """Deleting the default connection while others exist."""


class SecretsUnreadable(ConnectionsError):
    """Stored secrets do not decrypt: the secret key changed without ``secrets rotate``."""


class OAuthFlowError(ConnectionsError):
    """An OAuth 2.0 start or callback failed: bad state, denied consent, refused code."""
