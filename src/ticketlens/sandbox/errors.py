"""The sandbox's errors.

::

    SandboxError                 anything the sandbox refuses
    ├── SandboxConfigError       bad options: raised before the server starts
    └── JiraHTTPError            a request Jira would refuse; rendered as Jira's error body
"""

from __future__ import annotations

from typing import Any


class SandboxError(Exception):
    """Base class of every sandbox error."""


class SandboxConfigError(SandboxError):
    """An option is invalid; the message names the option and an accepted form."""


class JiraHTTPError(SandboxError):
    """A refusal with Jira's body shape: ``{"errorMessages": [...], "errors": {...}}``."""

    def __init__(
        self,
        status: int,
        *messages: str,
        errors: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status}: {'; '.join(messages) or errors}")
        self.status = status
        self.messages = list(messages)
        self.errors = dict(errors or {})
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The JSON body Jira sends with this status."""
        return {"errorMessages": self.messages, "errors": self.errors}


def not_found(what: str) -> JiraHTTPError:
    """Jira's 404 for an issue, project or component that does not exist or is hidden."""
    return JiraHTTPError(404, f"{what} does not exist or you do not have permission to see it.")


def unauthenticated() -> JiraHTTPError:
    """Jira's 401 when no credential, or a wrong one, was sent."""
    return JiraHTTPError(
        401, "You are not authenticated. Authentication required to perform this operation."
    )
