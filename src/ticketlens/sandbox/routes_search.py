"""Search: Cloud's token-paged ``search/jql`` and ``approximate-count``; Data Center's
offset-paged ``search`` with ``total``. The old Cloud ``search`` answers 410.

Cloud caps ``maxResults`` at 5000 when only ids/keys are asked for and at 100 otherwise;
Data Center caps it at 1000 (``jira.search.views.default.max``). Issue JSON comes from the
sandbox's cache (``render.IssueJSONCache``), so paging costs little more than sending bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ticketlens.sandbox.errors import JiraHTTPError
from ticketlens.sandbox.fields import ids_only, only_id, select_fields
from ticketlens.sandbox.queries import matching_ids
from ticketlens.sandbox.responses import (
    api_version,
    caller,
    jira_json,
    json_body,
    raw_json,
    sandbox_of,
)
from ticketlens.sandbox.routes_meta import removed_search
from ticketlens.sandbox.state import Sandbox

CLOUD_MAX_IDS = 5000
CLOUD_MAX_FIELDS = 100
DC_MAX = 1000
DEFAULT_MAX = 50


def _int(value: Any, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise JiraHTTPError(400, f"The value '{value}' is not valid for {name}.") from None


def _fields_param(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    raise JiraHTTPError(400, "fields must be a list of field names.")


async def _params(request: Request) -> dict[str, Any]:
    if request.method == "POST":
        return await json_body(request)
    query = request.query_params
    params: dict[str, Any] = {k: query.get(k) for k in query}
    if "fields" in query:
        params["fields"] = query.getlist("fields")
    return params


def _token(jql: str, offset: int) -> str:
    digest = hashlib.sha256(jql.encode()).hexdigest()[:16]
    raw = json.dumps({"o": offset, "q": digest}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _offset(token: str | None, jql: str) -> int:
    if not token:
        return 0
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded))
        offset = int(data["o"])
        same_query = data["q"] == hashlib.sha256(jql.encode()).hexdigest()[:16]
    except (ValueError, KeyError, TypeError):
        raise JiraHTTPError(400, "The nextPageToken is invalid.") from None
    if not same_query or offset < 0:
        raise JiraHTTPError(400, "The nextPageToken does not belong to this JQL query.")
    return offset


def _page_bytes(sandbox: Sandbox, ids: list[int], version: str, fields: tuple[str, ...]) -> bytes:
    cache, issues = sandbox.issue_json, sandbox.store.issues
    return b",".join(cache.get(issues[i], version, fields) for i in ids)


async def search_jql(request: Request) -> Response:
    """GET|POST search/jql (Cloud): token paging, no total."""
    sandbox = sandbox_of(request)
    version = api_version(request)
    if not sandbox.cloud:
        raise JiraHTTPError(404, "null for uri: search/jql")
    user = caller(request).user
    params = await _params(request)
    jql = str(params.get("jql") or "")
    requested = _fields_param(params.get("fields"))
    cap = CLOUD_MAX_IDS if ids_only(requested, "id") else CLOUD_MAX_FIELDS
    size = min(cap, max(1, _int(params.get("maxResults"), "maxResults", DEFAULT_MAX)))
    offset = _offset(params.get("nextPageToken"), jql)
    ids = await matching_ids(sandbox, user, jql)
    page = ids[offset : offset + size]
    if only_id(requested):
        # search/jql's default is the id alone: {"id": "10001"} per issue.
        payload = b",".join(b'{"id":"%d"}' % i for i in page)
    else:
        payload = _page_bytes(sandbox, page, version, select_fields(requested, "id"))
    is_last = offset + size >= len(ids)
    tail = (
        b'],"isLast":true}'
        if is_last
        else (b'],"nextPageToken":"' + _token(jql, offset + size).encode() + b'","isLast":false}')
    )
    return raw_json(b'{"issues":[' + payload + tail)


async def approximate_count(request: Request) -> Response:
    """POST search/approximate-count (Cloud): ``{"count": n}`` (exact in the sandbox)."""
    sandbox = sandbox_of(request)
    api_version(request)
    if not sandbox.cloud:
        raise JiraHTTPError(404, "null for uri: search/approximate-count")
    user = caller(request).user
    body = await json_body(request)
    ids = await matching_ids(sandbox, user, str(body.get("jql") or ""))
    return jira_json({"count": len(ids)})


async def search(request: Request) -> Response:
    """GET|POST search: Data Center's offset paging; removed (410) on Cloud."""
    sandbox = sandbox_of(request)
    if sandbox.cloud:
        return await removed_search(request)
    version = api_version(request)
    user = caller(request).user
    params = await _params(request)
    jql = str(params.get("jql") or "")
    start = max(0, _int(params.get("startAt"), "startAt", 0))
    size = min(DC_MAX, max(0, _int(params.get("maxResults"), "maxResults", DEFAULT_MAX)))
    requested = _fields_param(params.get("fields"))
    ids = await matching_ids(sandbox, user, jql)
    page = ids[start : start + size]
    fields = select_fields(requested, "*navigable")
    head = json.dumps(
        {"expand": "schema,names", "startAt": start, "maxResults": size, "total": len(ids)},
        separators=(",", ":"),
    ).encode()
    payload = _page_bytes(sandbox, page, version, fields)
    return raw_json(head[:-1] + b',"issues":[' + payload + b"]}")


def routes() -> list[BaseRoute]:
    """Routes of this module."""
    api = "/rest/api/{version}"
    return [
        Route(f"{api}/search/jql", search_jql, methods=["GET", "POST"]),
        Route(f"{api}/search/approximate-count", approximate_count, methods=["POST"]),
        Route(f"{api}/search", search, methods=["GET", "POST"]),
    ]
