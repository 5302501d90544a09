"""The OAuth 2.0 provider's endpoints (Data Center flavor only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ticketlens.sandbox.errors import JiraHTTPError
from ticketlens.sandbox.oauth import OAuthError
from ticketlens.sandbox.responses import jira_json, sandbox_of

_AUTHORIZE_KEYS = (
    "client_id",
    "redirect_uri",
    "response_type",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)


def _oauth_error(exc: OAuthError) -> Response:
    return jira_json({"error": exc.error, "error_description": exc.description}, exc.status)


def _require_datacenter(request: Request) -> None:
    if sandbox_of(request).cloud:
        raise JiraHTTPError(404, "OAuth 2.0 application links exist on Data Center only.")


async def authorize(request: Request) -> Response:
    """GET shows the approve page; POST (the page's form) approves or denies."""
    _require_datacenter(request)
    sandbox = sandbox_of(request)
    if request.method == "GET":
        params = {k: request.query_params[k] for k in _AUTHORIZE_KEYS if k in request.query_params}
        try:
            if params.get("response_type", "code") != "code":
                raise OAuthError("unsupported_response_type", "response_type must be code")
            sandbox.oauth.check_request(
                params.get("client_id", ""), params.get("redirect_uri"), params.get("scope", "READ")
            )
        except OAuthError as exc:
            return _oauth_error(exc)
        users = [u.name for u in sandbox.users.values() if u.password is not None]
        return HTMLResponse(sandbox.oauth.approve_page(params, users))
    form = await request.form()
    params = {k: str(form[k]) for k in _AUTHORIZE_KEYS if k in form}
    user = str(form.get("user") or sandbox.options.username)
    if user not in sandbox.users:
        return _oauth_error(OAuthError("access_denied", f"user {user!r} does not exist"))
    try:
        if form.get("decision") == "deny":
            target = sandbox.oauth.deny(params)
        else:
            target = sandbox.oauth.approve(params, user)
    except OAuthError as exc:
        return _oauth_error(exc)
    return RedirectResponse(target, status_code=302)


async def token(request: Request) -> Response:
    """POST token: authorization_code (with PKCE) or refresh_token, form-encoded."""
    _require_datacenter(request)
    form = await request.form()
    try:
        body = sandbox_of(request).oauth.token({k: str(v) for k, v in form.items()})
    except OAuthError as exc:
        return _oauth_error(exc)
    return jira_json(body, headers={"Cache-Control": "no-store"})


def routes() -> list[BaseRoute]:
    """Routes of this module."""
    return [
        Route("/rest/oauth2/latest/authorize", authorize, methods=["GET", "POST"]),
        Route("/rest/oauth2/latest/token", token, methods=["POST"]),
    ]
