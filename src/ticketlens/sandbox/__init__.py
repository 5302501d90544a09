"""A Jira-compatible HTTP server (Cloud and Data Center flavors) over a mirror database.

Used by the demo, the tests and the benchmarks. The product never imports this package;
``ticketlens sandbox`` and ``python -m ticketlens.sandbox`` start it.
"""

from ticketlens.sandbox.app import create_app
from ticketlens.sandbox.errors import JiraHTTPError, SandboxConfigError, SandboxError
from ticketlens.sandbox.options import (
    OAuthClient,
    RateLimit,
    SandboxOptions,
    WebhookTarget,
)
from ticketlens.sandbox.server import base_url_of, bind, build_server
from ticketlens.sandbox.webhooks import sign

__all__ = [
    "JiraHTTPError",
    "OAuthClient",
    "RateLimit",
    "SandboxConfigError",
    "SandboxError",
    "SandboxOptions",
    "WebhookTarget",
    "base_url_of",
    "bind",
    "build_server",
    "create_app",
    "sign",
]
