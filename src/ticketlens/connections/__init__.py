"""Jira connections: stored, encrypted, validated, authorized; and clients built from them."""

from ticketlens.connections.clients import client_config, open_client, retry_policy
from ticketlens.connections.crypto import SecretBox
from ticketlens.connections.errors import (
    ConnectionExists,
    ConnectionNotFound,
    ConnectionsError,
    DefaultRequired,
    InvalidConnection,
    OAuthFlowError,
    SecretsUnreadable,
)
from ticketlens.connections.models import (
    MASK,
    Check,
    Connection,
    ConnectionCreate,
    ConnectionKind,
    ConnectionPublic,
    ConnectionUpdate,
    ValidationReport,
    redirect_uri,
    to_public,
)
from ticketlens.connections.oauth_flow import (
    BINDING_COOKIE,
    OAuthStart,
    finish_oauth,
    resume_url,
    start_oauth,
)
from ticketlens.connections.rotation import SEALED_COLUMNS, SealedColumn, rotate_secrets
from ticketlens.connections.service import connection_store, validate_connection
from ticketlens.connections.store import ConnectionStore

__all__ = [
    "BINDING_COOKIE",
    "MASK",
    "SEALED_COLUMNS",
    "Check",
    "Connection",
    "ConnectionCreate",
    "ConnectionExists",
    "ConnectionKind",
    "ConnectionNotFound",
    "ConnectionPublic",
    "ConnectionStore",
    "ConnectionUpdate",
    "ConnectionsError",
    "DefaultRequired",
    "InvalidConnection",
    "OAuthFlowError",
    "OAuthStart",
    "SealedColumn",
    "SecretBox",
    "SecretsUnreadable",
    "ValidationReport",
    "client_config",
    "connection_store",
    "finish_oauth",
    "open_client",
    "redirect_uri",
    "resume_url",
    "retry_policy",
    "rotate_secrets",
    "start_oauth",
    "to_public",
    "validate_connection",
]
