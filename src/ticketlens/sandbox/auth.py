"""Who is calling: Cloud Basic (email + API token); Data Center Basic, PAT or OAuth bearer.

On Cloud the email must own the token, as Atlassian requires. A wrong or missing
credential is a 401 with Jira's body; Data Center also sets ``X-Seraph-LoginReason``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass

from starlette.requests import Request

from ticketlens.sandbox.errors import JiraHTTPError, unauthenticated
from ticketlens.sandbox.model import User
from ticketlens.sandbox.oauth import WRITE_SCOPES
from ticketlens.sandbox.state import Sandbox


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller; ``scope`` is None for non-OAuth credentials (full access)."""

    user: User
    scope: str | None = None

    def require_write(self) -> None:
        """Refuse a write made with a READ-only OAuth token."""
        if self.scope is not None and self.scope not in WRITE_SCOPES:
            raise JiraHTTPError(
                403,
                f"The access token's scope {self.scope} does not allow this operation; "
                "ask for the WRITE scope.",
            )


def credential_label(header: str | None) -> str:
    """A short, secret-free label for a credential (for rate limits and request counts)."""
    if not header:
        return "anonymous"
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        try:
            who = base64.b64decode(value.strip(), validate=True).decode().partition(":")[0]
        except (binascii.Error, UnicodeDecodeError):
            return "basic:?"
        return f"basic:{who}"
    digest = hashlib.sha256(value.strip().encode()).hexdigest()[:10]
    return f"{scheme.lower()}:{digest}"


def _equal(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


def authenticate(sandbox: Sandbox, request: Request) -> Principal:
    """The caller of ``request``, or JiraHTTPError(401)."""
    header = request.headers.get("authorization")
    if not header:
        raise _refused(sandbox)
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() == "basic":
        try:
            login, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise _refused(sandbox) from None
        for user in sandbox.users.values():
            if sandbox.cloud:
                if user.email.lower() == login.lower() and _equal(user.api_token, secret):
                    return Principal(user)
            elif user.name == login and _equal(user.password, secret):
                return Principal(user)
        raise _refused(sandbox)
    if scheme.lower() == "bearer" and not sandbox.cloud:
        for user in sandbox.users.values():
            if _equal(user.pat, value):
                return Principal(user)
        grant = sandbox.oauth.access(value)
        if grant is not None and grant.user in sandbox.users:
            return Principal(sandbox.users[grant.user], grant.scope)
    raise _refused(sandbox)


def _refused(sandbox: Sandbox) -> JiraHTTPError:
    error = unauthenticated()
    if not sandbox.cloud:
        error.headers["X-Seraph-LoginReason"] = "AUTHENTICATED_FAILED"
    else:
        error.headers["WWW-Authenticate"] = 'Basic realm="protected-area"'
    return error
