"""Test controls under ``/_sandbox/`` (only with ``--controls``); see docs/sandbox.md.

They need no credential: a sandbox with controls is a test fixture on a loopback port.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ticketlens.sandbox.datafile import load_issue_data
from ticketlens.sandbox.errors import JiraHTTPError
from ticketlens.sandbox.options import RateLimit, WebhookTarget
from ticketlens.sandbox.responses import jira_json, json_body, sandbox_of
from ticketlens.sandbox.routes_issues import fire_event
from ticketlens.sandbox.routes_meta import PERMISSIONS


async def state(request: Request) -> Response:
    """GET /_sandbox/state: flavor, base URL, issue count and data version."""
    sandbox = sandbox_of(request)
    return jira_json(
        {
            "flavor": sandbox.options.flavor,
            "baseUrl": sandbox.base_url,
            "issues": len(sandbox.store.issues),
            "dataVersion": sandbox.store.version,
            "seed": sandbox.options.seed,
            "anchor": sandbox.anchor.isoformat(),
            "clockOffset": sandbox.clock_offset,
        }
    )


async def issues(request: Request) -> Response:
    """POST /_sandbox/issues: ``{"generate": N}`` and/or ``{"issues": [...]}``.

    Each new issue fires ``jira:issue_created`` unless ``"webhooks": false``.
    """
    sandbox = sandbox_of(request)
    body = await json_body(request)
    generate = body.get("generate", 0)
    if not isinstance(generate, int) or generate < 0:
        raise JiraHTTPError(400, errors={"generate": "must be a non-negative integer"})
    items = body.get("issues", [])
    if not isinstance(items, list):
        raise JiraHTTPError(400, errors={"issues": "must be a list of issue objects"})
    before = sandbox.generator.next_id
    generated = list(sandbox.generator.issues(generate))
    if generated:
        await sandbox.save(generated)
    loaded = await load_issue_data(sandbox, items)
    if body.get("webhooks", True):
        # New data is a change like any other: targets hear of each issue.
        admin = sandbox.users[sandbox.options.username]
        for issue in [*generated, *loaded]:
            fire_event(sandbox, "jira:issue_created", issue, admin)
    keys = [sandbox.store.issues[i].key for i in range(before, before + generate)]
    return jira_json(
        {
            "created": generate + len(loaded),
            "keys": keys + [i.key for i in loaded],
            "total": len(sandbox.store.issues),
        },
        status=201,
    )


async def faults(request: Request) -> Response:
    """GET lists, POST adds, DELETE clears fault plans."""
    sandbox = sandbox_of(request)
    if request.method == "POST":
        plan = sandbox.faults.add(await json_body(request))
        return jira_json(plan.to_json(), status=201)
    if request.method == "DELETE":
        sandbox.faults.clear()
        return Response(status_code=204)
    return jira_json({"faults": [p.to_json() for p in sandbox.faults.plans]})


async def requests(request: Request) -> Response:
    """GET request counts per endpoint and credential; DELETE zeroes them."""
    sandbox = sandbox_of(request)
    if request.method == "DELETE":
        sandbox.requests.clear()
        return Response(status_code=204)
    rows = [
        {"endpoint": endpoint, "credential": credential, "count": count}
        for (endpoint, credential), count in sorted(sandbox.requests.items())
    ]
    return jira_json({"total": sum(sandbox.requests.values()), "requests": rows})


async def rate(request: Request) -> Response:
    """POST ``{"limit": N, "seconds": S}`` sets the token bucket; ``{"limit": null}`` removes it."""
    sandbox = sandbox_of(request)
    body = await json_body(request)
    if body.get("limit") is None:
        sandbox.limiter.configure(None)
        return jira_json({"limit": None})
    try:
        limit = RateLimit(int(body["limit"]), float(body.get("seconds", 1)))
    except (KeyError, TypeError, ValueError):
        raise JiraHTTPError(400, errors={"limit": "expected {limit: N, seconds: S}"}) from None
    if limit.limit < 1 or limit.seconds <= 0:
        raise JiraHTTPError(400, errors={"limit": "limit and seconds must be positive"})
    sandbox.limiter.configure(limit)
    return jira_json({"limit": limit.limit, "seconds": limit.seconds})


async def webhooks(request: Request) -> Response:
    """GET targets and deliveries; POST ``{"url", "secret"?}`` adds a target; DELETE clears."""
    sandbox = sandbox_of(request)
    dispatcher = sandbox.webhooks
    if request.method == "POST":
        body = await json_body(request)
        url = str(body.get("url") or "")
        if not url.startswith(("http://", "https://")):
            raise JiraHTTPError(400, errors={"url": "must be an http(s) URL"})
        dispatcher.targets.append(WebhookTarget(url, body.get("secret") or None))
        return jira_json({"url": url, "signed": bool(body.get("secret"))}, status=201)
    if request.method == "DELETE":
        dispatcher.targets.clear()
        dispatcher.deliveries.clear()
        return Response(status_code=204)
    await dispatcher.drain()
    return jira_json(
        {
            "targets": [{"url": t.url, "signed": t.secret is not None} for t in dispatcher.targets],
            "deliveries": [
                {
                    "url": d.url,
                    "event": d.event,
                    "issue": d.issue_key,
                    "status": d.status,
                    "error": d.error,
                }
                for d in dispatcher.deliveries
            ],
        }
    )


async def clock(request: Request) -> Response:
    """POST ``{"advance": seconds}`` moves the sandbox clock forward (token expiry tests)."""
    sandbox = sandbox_of(request)
    body = await json_body(request)
    try:
        advance = float(body.get("advance", 0))
    except (TypeError, ValueError):
        raise JiraHTTPError(400, errors={"advance": "must be a number of seconds"}) from None
    sandbox.clock_offset += advance
    return jira_json(
        {"clockOffset": sandbox.clock_offset, "now": sandbox.now_datetime().isoformat()}
    )


async def expire_tokens(request: Request) -> Response:
    """POST: every OAuth access token expires now."""
    expired = sandbox_of(request).oauth.expire_access_tokens()
    return jira_json({"expired": expired})


async def user(request: Request) -> Response:
    """POST ``{"projects": [...] | null, "globalPermissions": [...]}`` for one user."""
    sandbox = sandbox_of(request)
    name = request.path_params["name"]
    found = sandbox.users.get(name)
    if found is None:
        raise JiraHTTPError(404, f"User '{name}' does not exist.")
    body = await json_body(request)
    if "projects" in body:
        projects = body["projects"]
        found.projects = None if projects is None else frozenset(str(p).upper() for p in projects)
    if "globalPermissions" in body:
        wanted = [str(p) for p in body["globalPermissions"]]
        unknown = [p for p in wanted if PERMISSIONS.get(p, ("", ""))[1] != "GLOBAL"]
        if unknown:
            raise JiraHTTPError(400, errors={"globalPermissions": f"unknown: {unknown}"})
        found.global_permissions = frozenset(wanted)
    return jira_json(
        {
            "name": found.name,
            "projects": None if found.projects is None else sorted(found.projects),
            "globalPermissions": sorted(found.global_permissions),
        }
    )


async def reset(request: Request) -> Response:
    """POST: back to the state right after start."""
    await sandbox_of(request).reset()
    return Response(status_code=204)


def routes() -> list[BaseRoute]:
    """Routes of this module."""
    return [
        Route("/_sandbox/state", state),
        Route("/_sandbox/issues", issues, methods=["POST"]),
        Route("/_sandbox/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route("/_sandbox/requests", requests, methods=["GET", "DELETE"]),
        Route("/_sandbox/rate", rate, methods=["POST"]),
        Route("/_sandbox/webhooks", webhooks, methods=["GET", "POST", "DELETE"]),
        Route("/_sandbox/clock", clock, methods=["POST"]),
        Route("/_sandbox/oauth/expire", expire_tokens, methods=["POST"]),
        Route("/_sandbox/users/{name}", user, methods=["POST"]),
        Route("/_sandbox/reset", reset, methods=["POST"]),
    ]
