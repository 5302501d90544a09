"""Everything the Jira client raises, as one small hierarchy.

::

    JiraError                      any failure talking to one Jira connection
    ├── RequestError               no usable HTTP response arrived
    │   ├── ConnectFailed          refused or dropped connection
    │   │   └── HostNotFound       the host name does not resolve (DNS)
    │   ├── Timeout                connect, read or pool timeout
    │   ├── ProxyFailed            the configured proxy is unreachable or refused
    │   └── TLSFailed              handshake or certificate verification failed
    ├── StatusError                Jira answered with an error status
    │   ├── Unauthorized           401: wrong or expired credential
    │   ├── Forbidden              403: the user lacks a permission
    │   ├── NotFound               404
    │   ├── BadJQL                 400 on a search or count; carries Jira's messages
    │   ├── RateLimited            429 (or 503 with Retry-After); carries retry_after
    │   ├── Gone                   410: an endpoint removed (e.g. /rest/api/2/search on Cloud)
    │   └── ServerError            any 5xx
    └── OAuthError                 the OAuth 2.0 token endpoint refused a code or refresh

Every message names the connection (its alias, or its URL) and says what to do next.
Messages never carry a secret: no header, no token, no request body.
"""

from __future__ import annotations


class JiraError(Exception):
    """A failure talking to one Jira connection."""

    def __init__(self, message: str, *, connection: str = "") -> None:
        self.connection = connection
        prefix = f"Jira connection {connection!r}: " if connection else ""
        super().__init__(prefix + message)


class RequestError(JiraError):
    """No usable HTTP response arrived (connect, timeout, proxy, TLS)."""


class ConnectFailed(RequestError):
    """The host could not be reached: a refused or a dropped connection."""


class HostNotFound(ConnectFailed):
    """The host name does not resolve (DNS). Not retried: it will not cure itself soon."""


class Timeout(RequestError):
    """Jira did not answer within the connection's timeout."""


class ProxyFailed(RequestError):
    """The configured HTTP(S) proxy could not be reached or refused the tunnel."""


class TLSFailed(RequestError):
    """The TLS handshake or the certificate check failed."""


class StatusError(JiraError):
    """Jira answered with an error status; ``status`` and ``messages`` say which."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        messages: tuple[str, ...] = (),
        connection: str = "",
    ) -> None:
        self.status = status
        self.messages = messages
        super().__init__(message, connection=connection)


class Unauthorized(StatusError):
    """401: the credential is wrong, revoked or expired."""


class Forbidden(StatusError):
    """403: the user may not do this."""


class NotFound(StatusError):
    """404: the resource (or the endpoint, on this Jira flavor) does not exist."""


class BadJQL(StatusError):
    """400 on a search or a count: Jira rejected the JQL; ``messages`` holds its reasons."""


class RateLimited(StatusError):
    """429, or 503 with Retry-After, after every retry was spent."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        retry_after: float | None,
        messages: tuple[str, ...] = (),
        connection: str = "",
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, status=status, messages=messages, connection=connection)


class Gone(StatusError):
    """410: the endpoint was removed (Cloud removed ``/rest/api/{2,3}/search``)."""


class ServerError(StatusError):
    """A 5xx answer that retries did not cure."""


class OAuthError(JiraError):
    """The OAuth 2.0 token endpoint refused an authorization code or a refresh token."""
