"""Server, user, permission, project and vocabulary endpoints, for both flavors."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ticketlens.sandbox.errors import JiraHTTPError, not_found
from ticketlens.sandbox.model import (
    ISSUE_TYPES,
    PRIORITIES,
    RESOLUTIONS,
    STATUS_CATEGORIES,
    STATUSES,
    Component,
    Project,
    User,
)
from ticketlens.sandbox.render import jira_datetime
from ticketlens.sandbox.responses import api_version, caller, jira_json, json_body, sandbox_of

# key: (id, type, name)
PERMISSIONS: dict[str, tuple[str, str, str]] = {
    "ADMINISTER": ("0", "GLOBAL", "Administer Jira"),
    "USER_PICKER": ("27", "GLOBAL", "Browse users and groups"),
    "BROWSE_PROJECTS": ("10", "PROJECT", "Browse Projects"),
    "CREATE_ISSUES": ("11", "PROJECT", "Create Issues"),
    "EDIT_ISSUES": ("12", "PROJECT", "Edit Issues"),
    "TRANSITION_ISSUES": ("46", "PROJECT", "Transition Issues"),
    "DELETE_ISSUES": ("16", "PROJECT", "Delete Issues"),
    "ADMINISTER_PROJECTS": ("23", "PROJECT", "Administer Projects"),
}
WRITE_PERMISSIONS = frozenset(
    {"CREATE_ISSUES", "EDIT_ISSUES", "TRANSITION_ISSUES", "DELETE_ISSUES"}
)


def has_permission(user: User, key: str, project: str | None = None) -> bool:
    """Whether ``user`` holds ``key`` (on ``project`` when given, else on any project)."""
    kind = PERMISSIONS[key][1]
    if kind == "GLOBAL":
        return key in user.global_permissions or user.admin
    browsable = (
        user.can_browse(project) if project else user.projects is None or bool(user.projects)
    )
    if key == "BROWSE_PROJECTS":
        return browsable
    if key == "ADMINISTER_PROJECTS":
        return user.admin
    return browsable and (user.admin or user.projects is None)


def require(user: User, key: str, project: str) -> None:
    """Jira's 403 when ``user`` lacks ``key`` on ``project``."""
    if not has_permission(user, key, project):
        raise JiraHTTPError(
            403, f"You do not have the permission '{PERMISSIONS[key][2]}' in project {project}."
        )


async def server_info(request: Request) -> Response:
    """GET serverInfo: Cloud says deploymentType Cloud; Data Center says Server."""
    sandbox = sandbox_of(request)
    api_version(request)
    now = jira_datetime(sandbox.now_datetime())
    if sandbox.cloud:
        body: dict[str, Any] = {
            "baseUrl": sandbox.base_url,
            "displayUrl": sandbox.base_url,
            "version": "1001.0.0-SNAPSHOT",
            "versionNumbers": [1001, 0, 0],
            "deploymentType": "Cloud",
            "buildNumber": 100285,
            "buildDate": "2026-11-20T00:00:00.000+0000",
            "serverTime": now,
            "scmInfo": "5f2f4b3e0ac1c7c8d4b5a2f3e9d1c0b7a6e5d4c3",
            "serverTitle": "Jira sandbox",
            "serverTimeZone": "Etc/UTC",
        }
    else:
        version = sandbox.options.server_version
        numbers = [int(part) for part in version.split(".")[:3]]
        body = {
            "baseUrl": sandbox.base_url,
            "version": version,
            "versionNumbers": numbers,
            "deploymentType": "Server",
            "buildNumber": numbers[0] * 100000 + numbers[1] * 1000 + numbers[2],
            "buildDate": "2026-10-01T00:00:00.000+0000",
            "databaseBuildNumber": numbers[0] * 100000 + numbers[1] * 1000 + numbers[2],
            "serverTime": now,
            "scmInfo": "8a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b",
            "serverTitle": "Jira sandbox",
        }
    return jira_json(body)


async def myself(request: Request) -> Response:
    """GET myself: the caller, with timeZone and emailAddress."""
    version = api_version(request)
    principal = caller(request)
    return jira_json(sandbox_of(request).renderer.user(principal.user, version, full=True))


async def my_permissions(request: Request) -> Response:
    """GET mypermissions?permissions=A,B[&projectKey=K]."""
    sandbox = sandbox_of(request)
    api_version(request)
    user = caller(request).user
    wanted = [p.strip() for p in request.query_params.get("permissions", "").split(",")]
    wanted = [p for p in wanted if p]
    if not wanted and sandbox.cloud:
        raise JiraHTTPError(400, "The 'permissions' query parameter is required.")
    unknown = [p for p in wanted if p not in PERMISSIONS]
    if unknown:
        raise JiraHTTPError(400, f"Unrecognized permission keys: {', '.join(unknown)}.")
    project = request.query_params.get("projectKey")
    if project is not None and project.upper() not in sandbox.projects:
        raise not_found(f"Project '{project}'")
    body = {
        key: {
            "id": PERMISSIONS[key][0],
            "key": key,
            "name": PERMISSIONS[key][2],
            "type": PERMISSIONS[key][1],
            "description": "",
            "havePermission": has_permission(user, key, project.upper() if project else None),
        }
        for key in (wanted or list(PERMISSIONS))
    }
    return jira_json({"permissions": body})


def _visible_projects(request: Request) -> list[Project]:
    user = caller(request).user
    return [p for p in sandbox_of(request).projects.values() if user.can_browse(p.key)]


def _expand(request: Request) -> frozenset[str]:
    return frozenset(e.strip() for e in request.query_params.get("expand", "").split(",") if e)


def find_project(request: Request, id_or_key: str) -> Project:
    """A project the caller may browse, by key or id, or Jira's 404."""
    for project in _visible_projects(request):
        if id_or_key.upper() == project.key or id_or_key == str(project.id):
            return project
    raise not_found(f"No project could be found with key '{id_or_key}'. Project")


async def projects(request: Request) -> Response:
    """GET project: every project the caller may browse, unpaged."""
    version = api_version(request)
    renderer = sandbox_of(request).renderer
    expand = _expand(request)
    return jira_json(
        [renderer.project(p, version, expand=expand) for p in _visible_projects(request)]
    )


async def project_search(request: Request) -> Response:
    """GET project/search (Cloud): a page of projects with startAt, maxResults and isLast."""
    sandbox = sandbox_of(request)
    version = api_version(request)
    if not sandbox.cloud:
        raise JiraHTTPError(404, "null for uri: project/search")
    try:
        start = max(0, int(request.query_params.get("startAt", "0")))
        size = min(100, max(1, int(request.query_params.get("maxResults", "50"))))
    except ValueError:
        raise JiraHTTPError(400, "startAt and maxResults must be integers.") from None
    query = request.query_params.get("query", "").casefold()
    found = [
        p
        for p in _visible_projects(request)
        if not query or query in p.key.casefold() or query in p.name.casefold()
    ]
    page = found[start : start + size]
    is_last = start + size >= len(found)
    url = f"{sandbox.renderer.api(version)}/project/search"
    body: dict[str, Any] = {
        "self": f"{url}?startAt={start}&maxResults={size}",
        "maxResults": size,
        "startAt": start,
        "total": len(found),
        "isLast": is_last,
        "values": [sandbox.renderer.project(p, version, expand=_expand(request)) for p in page],
    }
    if not is_last:
        body["nextPage"] = f"{url}?startAt={start + size}&maxResults={size}"
    return jira_json(body)


async def project(request: Request) -> Response:
    """GET project/{key}."""
    version = api_version(request)
    found = find_project(request, request.path_params["key"])
    body = sandbox_of(request).renderer.project(
        found, version, expand=_expand(request) | {"issueTypes", "description", "lead"}
    )
    body["components"] = [
        sandbox_of(request).renderer.component(c, version) for c in found.components
    ]
    return jira_json(body)


async def components(request: Request) -> Response:
    """GET project/{key}/components."""
    version = api_version(request)
    found = find_project(request, request.path_params["key"])
    renderer = sandbox_of(request).renderer
    return jira_json([renderer.component(c, version) for c in found.components])


async def create_component(request: Request) -> Response:
    """POST component: ``{"name", "project" (key) | "projectId", "description"?}``."""
    sandbox = sandbox_of(request)
    version = api_version(request)
    principal = caller(request)
    principal.require_write()
    body = await json_body(request)
    name = str(body.get("name") or "").strip()
    if not name:
        raise JiraHTTPError(400, errors={"name": "The component name must not be empty."})
    key = body.get("project") or body.get("projectId")
    if key is None:
        raise JiraHTTPError(400, errors={"project": "A project key or projectId is required."})
    found = find_project(request, str(key))
    if not principal.user.admin:
        require(principal.user, "ADMINISTER_PROJECTS", found.key)
    if any(c.name.casefold() == name.casefold() for c in found.components):
        raise JiraHTTPError(
            400,
            errors={"name": f"A component with the name {name} already exists in this project."},
        )
    next_id = 1 + max((c.id for p in sandbox.projects.values() for c in p.components), default=9999)
    component = Component(next_id, name, found.key, str(body.get("description") or ""))
    found.components.append(component)
    return jira_json(sandbox.renderer.component(component, version), status=201)


async def status_categories(request: Request) -> Response:
    """GET statuscategory."""
    version = api_version(request)
    caller(request)
    renderer = sandbox_of(request).renderer
    return jira_json([renderer.status_category(c, version) for c in STATUS_CATEGORIES])


async def statuses(request: Request) -> Response:
    """GET status."""
    version = api_version(request)
    caller(request)
    renderer = sandbox_of(request).renderer
    return jira_json([renderer.status(s, version) for s in STATUSES])


async def issue_types(request: Request) -> Response:
    """GET issuetype."""
    version = api_version(request)
    caller(request)
    renderer = sandbox_of(request).renderer
    return jira_json([renderer.issuetype(t, version) for t in ISSUE_TYPES])


async def priorities(request: Request) -> Response:
    """GET priority, most important first."""
    version = api_version(request)
    caller(request)
    base = sandbox_of(request).renderer.api(version)
    return jira_json(
        [
            {
                "self": f"{base}/priority/{p.id}",
                "statusColor": p.color,
                "name": p.name,
                "id": str(p.id),
                "description": p.name,
            }
            for p in PRIORITIES
        ]
    )


async def resolutions(request: Request) -> Response:
    """GET resolution."""
    version = api_version(request)
    caller(request)
    base = sandbox_of(request).renderer.api(version)
    return jira_json(
        [
            {
                "self": f"{base}/resolution/{r.id}",
                "id": str(r.id),
                "name": r.name,
                "description": r.description,
            }
            for r in RESOLUTIONS
        ]
    )


_FIELDS: tuple[tuple[str, str, list[str]], ...] = (
    ("summary", "Summary", ["summary"]),
    ("description", "Description", ["description"]),
    ("status", "Status", ["status"]),
    ("issuetype", "Issue Type", ["issuetype", "type"]),
    ("project", "Project", ["project"]),
    ("priority", "Priority", ["priority"]),
    ("resolution", "Resolution", ["resolution"]),
    ("assignee", "Assignee", ["assignee"]),
    ("reporter", "Reporter", ["reporter"]),
    ("created", "Created", ["created", "createdDate"]),
    ("updated", "Updated", ["updated", "updatedDate"]),
    ("resolutiondate", "Resolved", ["resolutiondate", "resolved"]),
    ("duedate", "Due date", ["due", "duedate"]),
    ("labels", "Labels", ["labels"]),
    ("components", "Components", ["component"]),
    ("fixVersions", "Fix versions", ["fixVersion"]),
    ("parent", "Parent", ["parent"]),
)


async def fields(request: Request) -> Response:
    """GET field: the system fields the sandbox knows."""
    api_version(request)
    caller(request)
    return jira_json(
        [
            {
                "id": fid,
                "key": fid,
                "name": name,
                "custom": False,
                "orderable": True,
                "navigable": True,
                "searchable": True,
                "clauseNames": clauses,
            }
            for fid, name, clauses in _FIELDS
        ]
    )


async def removed_search(request: Request) -> Response:
    """The old /search on Cloud: gone, as Atlassian removed it."""
    return jira_json(
        {
            "errorMessages": [
                "The requested API has been removed. Please migrate to the "
                "/rest/api/3/search/jql API. A full migration guideline is available at "
                "https://developer.atlassian.com/changelog/#CHANGE-2046"
            ],
            "errors": {},
        },
        status=410,
    )


def routes() -> list[BaseRoute]:
    """Routes of this module; ``{version}`` is 2 or 3 (3 only on Cloud)."""
    api = "/rest/api/{version}"
    return [
        Route(f"{api}/serverInfo", server_info),
        Route(f"{api}/myself", myself),
        Route(f"{api}/mypermissions", my_permissions),
        Route(f"{api}/project", projects),
        Route(f"{api}/project/search", project_search),
        Route(f"{api}/project/{{key}}", project),
        Route(f"{api}/project/{{key}}/components", components),
        Route(f"{api}/component", create_component, methods=["POST"]),
        Route(f"{api}/statuscategory", status_categories),
        Route(f"{api}/status", statuses),
        Route(f"{api}/issuetype", issue_types),
        Route(f"{api}/priority", priorities),
        Route(f"{api}/resolution", resolutions),
        Route(f"{api}/field", fields),
    ]
