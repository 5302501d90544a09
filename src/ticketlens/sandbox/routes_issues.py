"""Issue reads and writes through Jira's endpoints; every write fires a webhook.

Transitions are global, one per status, each named after its target status (as in Jira's
default workflow). Entering a Done-category status sets a resolution (``Done`` unless the
request names one) and the resolution date; leaving it clears both.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ticketlens.sandbox.auth import Principal
from ticketlens.sandbox.edits import apply_edits
from ticketlens.sandbox.errors import JiraHTTPError, not_found
from ticketlens.sandbox.fields import select_fields
from ticketlens.sandbox.model import STATUS_BY_NAME, STATUS_BY_TRANSITION, STATUSES, Issue, User
from ticketlens.sandbox.responses import api_version, caller, jira_json, json_body, sandbox_of
from ticketlens.sandbox.routes_meta import find_project, require
from ticketlens.sandbox.state import Sandbox

_WEBHOOK_VERSION = "2"


def _issue(request: Request, principal: Principal) -> Issue:
    sandbox = sandbox_of(request)
    found = sandbox.store.find(request.path_params["id_or_key"])
    if found is None or not principal.user.can_browse(found.project):
        raise not_found("Issue")
    return found


def fire_event(
    sandbox: Sandbox,
    event: str,
    issue: Issue,
    user: User,
    items: list[dict[str, Any]] | None = None,
) -> None:
    """Send a webhook event about ``issue``, caused by ``user``, to every target."""
    renderer = sandbox.renderer
    body = sandbox.encoder.as_dict(issue, select_fields(None, "*navigable"), _WEBHOOK_VERSION)
    changelog = None
    if items is not None:
        changelog = {"id": str(int(sandbox.now() * 1000)), "items": items}
    sandbox.webhooks.fire(
        event,
        body,
        renderer.user(user, _WEBHOOK_VERSION),
        int(sandbox.now() * 1000),
        changelog,
    )


def _touch(sandbox: Sandbox, issue: Issue) -> Issue:
    """``issue`` with ``updated`` set to now (never earlier than before)."""
    now = max(sandbox.now_datetime(), issue.updated + timedelta(milliseconds=1))
    return dataclasses.replace(issue, updated=now)


async def get_issue(request: Request) -> Response:
    """GET issue/{idOrKey}: all fields unless ``fields`` says otherwise."""
    sandbox = sandbox_of(request)
    version = api_version(request)
    issue = _issue(request, caller(request))
    requested = request.query_params.getlist("fields") or None
    fields = select_fields(requested, "*all")
    body = sandbox.encoder.as_dict(issue, fields, version)
    if "transitions" in request.query_params.get("expand", ""):
        body["transitions"] = _transitions(sandbox, issue, version)
    return jira_json(body)


async def create_issue(request: Request) -> Response:
    """POST issue: ``{"fields": {project, summary, issuetype, …}}`` → 201 with id and key."""
    sandbox = sandbox_of(request)
    version = api_version(request)
    principal = caller(request)
    principal.require_write()
    body = await json_body(request)
    fields = dict(body.get("fields") or {})
    problems: dict[str, str] = {}
    if not fields.get("project"):
        problems["project"] = "Specify a valid project ID or key"
    if not fields.get("summary"):
        problems["summary"] = "You must specify a summary of the issue."
    if not fields.get("issuetype"):
        problems["issuetype"] = "Specify an issue type"
    if problems:
        raise JiraHTTPError(400, errors=problems)
    project_ref = fields["project"]
    key_or_id = (
        str(project_ref.get("key") or project_ref.get("id") or "")
        if isinstance(project_ref, dict)
        else str(project_ref)
    )
    try:
        project = find_project(request, key_or_id)
    except JiraHTTPError:
        raise JiraHTTPError(400, errors={"project": "Specify a valid project ID or key"}) from None
    require(principal.user, "CREATE_ISSUES", project.key)
    now = sandbox.now_datetime()
    blank = Issue(
        id=sandbox.next_issue_id(),
        key="",
        project=project.key,
        issuetype="Task",
        status=STATUSES[0].name,
        priority="Medium",
        summary="-",
        reporter=principal.user.name,
        created=now,
        updated=now,
    )
    issue, _ = apply_edits(
        blank, project, sandbox.users, fields, dict(body.get("update") or {}), version
    )
    issue = dataclasses.replace(
        issue, key=f"{project.key}-{sandbox.next_issue_number(project.key)}"
    )
    await sandbox.save([issue])
    fire_event(sandbox, "jira:issue_created", issue, principal.user)
    return jira_json(
        {
            "id": str(issue.id),
            "key": issue.key,
            "self": f"{sandbox.renderer.api(version)}/issue/{issue.id}",
        },
        status=201,
    )


async def edit_issue(request: Request) -> Response:
    """PUT issue/{idOrKey}: ``fields`` and ``update`` → 204."""
    sandbox = sandbox_of(request)
    version = api_version(request)
    principal = caller(request)
    principal.require_write()
    issue = _issue(request, principal)
    require(principal.user, "EDIT_ISSUES", issue.project)
    body = await json_body(request)
    project = sandbox.projects[issue.project]
    edited, items = apply_edits(
        issue,
        project,
        sandbox.users,
        dict(body.get("fields") or {}),
        dict(body.get("update") or {}),
        version,
    )
    if items:
        edited = _touch(sandbox, edited)
        await sandbox.save([edited])
        fire_event(sandbox, "jira:issue_updated", edited, principal.user, items)
    return Response(status_code=204)


async def delete_issue(request: Request) -> Response:
    """DELETE issue/{idOrKey} → 204."""
    sandbox = sandbox_of(request)
    api_version(request)
    principal = caller(request)
    principal.require_write()
    issue = _issue(request, principal)
    require(principal.user, "DELETE_ISSUES", issue.project)
    await sandbox.delete(issue)
    fire_event(sandbox, "jira:issue_deleted", issue, principal.user)
    return Response(status_code=204)


def _transitions(sandbox: Sandbox, issue: Issue, version: str) -> list[dict[str, Any]]:
    return [
        {
            "id": str(status.transition_id),
            "name": status.name,
            "to": sandbox.renderer.status(status, version),
            "hasScreen": False,
            "isGlobal": True,
            "isInitial": False,
            "isAvailable": True,
            "isConditional": False,
            "looped": False,
        }
        for status in STATUSES
        if status.name != issue.status
    ]


async def get_transitions(request: Request) -> Response:
    """GET issue/{idOrKey}/transitions: one per other status."""
    sandbox = sandbox_of(request)
    version = api_version(request)
    issue = _issue(request, caller(request))
    return jira_json(
        {"expand": "transitions", "transitions": _transitions(sandbox, issue, version)}
    )


async def do_transition(request: Request) -> Response:
    """POST issue/{idOrKey}/transitions: ``{"transition": {"id"}, "fields"?}`` → 204."""
    sandbox = sandbox_of(request)
    version = api_version(request)
    principal = caller(request)
    principal.require_write()
    issue = _issue(request, principal)
    require(principal.user, "TRANSITION_ISSUES", issue.project)
    body = await json_body(request)
    transition = body.get("transition") or {}
    wanted = str(transition.get("id", "")) if isinstance(transition, dict) else ""
    target = STATUS_BY_TRANSITION.get(int(wanted)) if wanted.isdigit() else None
    if target is None or target.name == issue.status:
        raise JiraHTTPError(
            400,
            errors={"transition": f"Transition id '{wanted}' is not valid for this issue."},
        )
    fields = dict(body.get("fields") or {})
    edited, items = apply_edits(
        issue, sandbox.projects[issue.project], sandbox.users, fields, {}, version
    )
    old = STATUS_BY_NAME[issue.status.lower()]
    now = max(sandbox.now_datetime(), issue.updated + timedelta(milliseconds=1))
    if target.category.key == "done":
        resolution = edited.resolution or "Done"
        edited = dataclasses.replace(edited, resolution=resolution, resolutiondate=now)
    else:
        edited = dataclasses.replace(edited, resolution=None, resolutiondate=None)
    edited = dataclasses.replace(edited, status=target.name, updated=now)
    items.append(
        {
            "field": "status",
            "fieldtype": "jira",
            "from": str(old.id),
            "fromString": old.name,
            "to": str(target.id),
            "toString": target.name,
        }
    )
    if edited.resolution != issue.resolution:
        items.append(
            {
                "field": "resolution",
                "fieldtype": "jira",
                "from": None,
                "fromString": issue.resolution,
                "to": None,
                "toString": edited.resolution,
            }
        )
    await sandbox.save([edited])
    fire_event(sandbox, "jira:issue_updated", edited, principal.user, items)
    return Response(status_code=204)


def routes() -> list[BaseRoute]:
    """Routes of this module."""
    api = "/rest/api/{version}"
    return [
        Route(f"{api}/issue", create_issue, methods=["POST"]),
        Route(f"{api}/issue/{{id_or_key}}", get_issue, methods=["GET"]),
        Route(f"{api}/issue/{{id_or_key}}", edit_issue, methods=["PUT"]),
        Route(f"{api}/issue/{{id_or_key}}", delete_issue, methods=["DELETE"]),
        Route(f"{api}/issue/{{id_or_key}}/transitions", get_transitions, methods=["GET"]),
        Route(f"{api}/issue/{{id_or_key}}/transitions", do_transition, methods=["POST"]),
    ]
