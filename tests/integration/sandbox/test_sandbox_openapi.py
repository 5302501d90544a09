"""The Cloud sandbox's responses match Atlassian's published OpenAPI spec."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sandbox_spec import OpenAPISpec

from sandbox_harness import SandboxHandle

# Issue fields are free-form in IssueBean; check each one against its own schema too.
FIELD_SCHEMAS = {
    "status": "StatusDetails",
    "issuetype": "IssueTypeDetails",
    "priority": "Priority",
    "resolution": "Resolution",
    "assignee": "UserDetails",
    "reporter": "UserDetails",
    "creator": "UserDetails",
}


def _get(handle: SandboxHandle, path: str, **params: Any) -> Any:
    response = httpx.get(f"{handle.api('3')}{path}", params=params, auth=handle.basic_auth)
    assert response.status_code == 200, response.text
    return response.json()


def _post(handle: SandboxHandle, path: str, body: dict[str, Any]) -> Any:
    response = httpx.post(f"{handle.api('3')}{path}", json=body, auth=handle.basic_auth)
    assert response.status_code == 200, response.text
    return response.json()


def _check_fields(openapi: OpenAPISpec, issue: dict[str, Any]) -> None:
    for name, schema in FIELD_SCHEMAS.items():
        value = issue["fields"].get(name)
        if value is not None:
            openapi.check_schema(schema, value)
    for component in issue["fields"].get("components", []):
        openapi.check_schema("ProjectComponent", component)
    for version in issue["fields"].get("fixVersions", []):
        openapi.check_schema("Version", version)


@pytest.mark.parametrize(
    "fields",
    [
        None,
        ["*navigable"],
        ["*all"],
        ["summary", "status", "labels"],
        ["key"],
        ["*all", "-comment"],
    ],
)
def test_search_jql_pages_match_the_spec(
    cloud: SandboxHandle, openapi: OpenAPISpec, fields: list[str] | None
) -> None:
    body: dict[str, Any] = {"jql": "project in (PAY, PLAT) ORDER BY key", "maxResults": 40}
    if fields is not None:
        body["fields"] = fields
    first = _post(cloud, "/search/jql", body)
    openapi.check_response("post", "/rest/api/3/search/jql", first)
    assert first["isLast"] is False and first["nextPageToken"]
    second = _post(cloud, "/search/jql", {**body, "nextPageToken": first["nextPageToken"]})
    openapi.check_response("post", "/rest/api/3/search/jql", second)
    for issue in first["issues"] + second["issues"]:
        openapi.check_schema("IssueBean", issue)
        if "fields" in issue:
            _check_fields(openapi, issue)


def test_search_jql_by_get_matches_the_spec(cloud: SandboxHandle, openapi: OpenAPISpec) -> None:
    page = _get(cloud, "/search/jql", jql="labels = security", fields="summary,assignee")
    openapi.check_response("get", "/rest/api/3/search/jql", page)
    assert page["issues"], "the generated data has security issues"


def test_approximate_count_matches_the_spec(cloud: SandboxHandle, openapi: OpenAPISpec) -> None:
    body = _post(cloud, "/search/approximate-count", {"jql": "project = PAY"})
    openapi.check_response("post", "/rest/api/3/search/approximate-count", body)
    assert body["count"] > 0


def test_myself_matches_the_spec_and_has_time_zone_and_email(
    cloud: SandboxHandle, openapi: OpenAPISpec
) -> None:
    body = _get(cloud, "/myself")
    openapi.check_response("get", "/rest/api/3/myself", body)
    assert body["emailAddress"] == cloud.email
    assert body["timeZone"] == "Europe/Berlin"


def test_server_info_matches_the_spec_and_says_cloud(
    cloud: SandboxHandle, openapi: OpenAPISpec
) -> None:
    body = _get(cloud, "/serverInfo")
    openapi.check_response("get", "/rest/api/3/serverInfo", body)
    assert body["deploymentType"] == "Cloud"


def test_project_search_pages_match_the_spec(cloud: SandboxHandle, openapi: OpenAPISpec) -> None:
    first = _get(cloud, "/project/search", maxResults=4)
    openapi.check_response("get", "/rest/api/3/project/search", first)
    assert first["isLast"] is False and first["total"] == 10
    keys = [p["key"] for p in first["values"]]
    start = 4
    while not first["isLast"]:
        first = _get(cloud, "/project/search", maxResults=4, startAt=start)
        openapi.check_response("get", "/rest/api/3/project/search", first)
        keys += [p["key"] for p in first["values"]]
        start += 4
    assert sorted(keys) == sorted(
        ["PAY", "CHK", "LEDG", "SHIP", "INV", "ORD", "PLAT", "IAM", "MOB", "OPS"]
    )


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("/project", "/rest/api/3/project"),
        ("/project/PAY", "/rest/api/3/project/{projectIdOrKey}"),
        ("/project/PAY/components", "/rest/api/3/project/{projectIdOrKey}/components"),
        ("/statuscategory", "/rest/api/3/statuscategory"),
        ("/status", "/rest/api/3/status"),
        ("/field", "/rest/api/3/field"),
        ("/mypermissions?permissions=BROWSE_PROJECTS,USER_PICKER", "/rest/api/3/mypermissions"),
        ("/issue/PAY-1", "/rest/api/3/issue/{issueIdOrKey}"),
        ("/issue/PAY-1/transitions", "/rest/api/3/issue/{issueIdOrKey}/transitions"),
    ],
)
def test_reference_endpoints_match_the_spec(
    cloud: SandboxHandle, openapi: OpenAPISpec, path: str, template: str
) -> None:
    response = httpx.get(f"{cloud.api('3')}{path}", auth=cloud.basic_auth)
    assert response.status_code == 200, response.text
    openapi.check_response("get", template, response.json())


def test_errors_have_the_spec_error_collection_shape(
    cloud: SandboxHandle, openapi: OpenAPISpec
) -> None:
    response = httpx.post(
        f"{cloud.api('3')}/search/jql", json={"jql": "project = "}, auth=cloud.basic_auth
    )
    assert response.status_code == 400
    openapi.check_schema("ErrorCollection", response.json())
