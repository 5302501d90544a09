"""Who may do what: API tokens and roles."""

from ticketlens.auth.roles import Role
from ticketlens.auth.tokens import (
    ApiToken,
    TokenError,
    authenticate,
    create_token,
    list_tokens,
    revoke_token,
)

__all__ = [
    "ApiToken",
    "Role",
    "TokenError",
    "authenticate",
    "create_token",
    "list_tokens",
    "revoke_token",
]
