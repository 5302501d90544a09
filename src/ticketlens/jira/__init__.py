"""The Jira client: auth per connection kind, paging, rate limits, retries, OAuth 2.0.

Imports nothing of ticketlens except ``ticketlens.jql``.
"""

from ticketlens.jira.auth import BasicCredential, BearerCredential, Credential, OAuthCredential
from ticketlens.jira.backoff import RetryPolicy
from ticketlens.jira.client import DEFAULT_FIELDS, JiraClient, jql_text
from ticketlens.jira.errors import (
    BadJQL,
    ConnectFailed,
    Forbidden,
    Gone,
    HostNotFound,
    JiraError,
    NotFound,
    OAuthError,
    ProxyFailed,
    RateLimited,
    RequestError,
    ServerError,
    StatusError,
    Timeout,
    TLSFailed,
    Unauthorized,
)
from ticketlens.jira.models import (
    Component,
    JiraIssue,
    OAuthTokens,
    Permissions,
    Project,
    SearchPage,
    ServerInfo,
    Status,
    StatusCategory,
    User,
)
from ticketlens.jira.oauth import OAuthApp, authorize_url, exchange_code, refresh_tokens
from ticketlens.jira.ratelimit import RateLimiter
from ticketlens.jira.session import ClientConfig, Flavor

__all__ = [
    "DEFAULT_FIELDS",
    "BadJQL",
    "BasicCredential",
    "BearerCredential",
    "ClientConfig",
    "Component",
    "ConnectFailed",
    "Credential",
    "Flavor",
    "Forbidden",
    "Gone",
    "HostNotFound",
    "JiraClient",
    "JiraError",
    "JiraIssue",
    "NotFound",
    "OAuthApp",
    "OAuthCredential",
    "OAuthError",
    "OAuthTokens",
    "Permissions",
    "Project",
    "ProxyFailed",
    "RateLimited",
    "RateLimiter",
    "RequestError",
    "RetryPolicy",
    "SearchPage",
    "ServerError",
    "ServerInfo",
    "Status",
    "StatusCategory",
    "StatusError",
    "TLSFailed",
    "Timeout",
    "Unauthorized",
    "User",
    "authorize_url",
    "exchange_code",
    "jql_text",
    "refresh_tokens",
]
