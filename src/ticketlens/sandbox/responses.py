"""What every route shares: the sandbox, the caller, the API version and JSON responses."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ticketlens.sandbox.auth import Principal, authenticate
from ticketlens.sandbox.errors import JiraHTTPError
from ticketlens.sandbox.state import Sandbox

JSON = "application/json;charset=UTF-8"


def sandbox_of(request: Request) -> Sandbox:
    """The running sandbox."""
    sandbox = request.app.state.sandbox
    assert isinstance(sandbox, Sandbox)
    return sandbox


def caller(request: Request) -> Principal:
    """The authenticated caller, or a 401."""
    return authenticate(sandbox_of(request), request)


def api_version(request: Request) -> str:
    """``2`` or ``3`` from the path; Data Center has no v3, so it answers 404 there."""
    version = str(request.path_params.get("version", "2"))
    if version == "latest":
        version = "2"
    if version not in ("2", "3") or (version == "3" and not sandbox_of(request).cloud):
        raise JiraHTTPError(404, f"REST API version {version} does not exist on this Jira.")
    return version


def jira_json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON response with Jira's content type."""
    payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(payload, status_code=status, media_type=JSON, headers=headers)


def raw_json(payload: bytes, status: int = 200) -> Response:
    """A JSON response from bytes already encoded."""
    return Response(payload, status_code=status, media_type=JSON)


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object body, or Jira's 400 for anything else."""
    raw = await request.body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise JiraHTTPError(400, "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise JiraHTTPError(400, "The request body must be a JSON object.")
    return body
