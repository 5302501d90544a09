"""Auth, permissions, Jira-shaped errors, paging limits and fields of both flavors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sandbox_harness import SandboxHandle
from ticketlens.sandbox.vocabulary import VIEWER_PROJECTS


def _search_cloud(
    cloud: SandboxHandle, auth: tuple[str, str] | None = None, **body: Any
) -> httpx.Response:
    return httpx.post(f"{cloud.api('3')}/search/jql", json=body, auth=auth or cloud.basic_auth)


def _search_dc(dc: SandboxHandle, auth: Any = None, **params: Any) -> httpx.Response:
    return httpx.get(f"{dc.api()}/search", params=params, auth=auth or dc.basic_auth)


# ---------------------------------------------------------------- authentication


def test_cloud_accepts_email_and_api_token(cloud: SandboxHandle) -> None:
    assert httpx.get(f"{cloud.api()}/myself", auth=cloud.basic_auth).status_code == 200


@pytest.mark.parametrize(
    "auth",
    [("admin@example.com", "wrong"), ("viewer@example.com", "sandbox-token"), ("admin", "sandbox")],
)
def test_cloud_refuses_a_wrong_token_or_an_email_that_does_not_own_it(
    cloud: SandboxHandle, auth: tuple[str, str]
) -> None:
    response = httpx.get(f"{cloud.api()}/myself", auth=auth)
    assert response.status_code == 401
    assert response.json()["errorMessages"][0].startswith("You are not authenticated")


def test_cloud_refuses_a_missing_credential(cloud: SandboxHandle) -> None:
    assert httpx.get(f"{cloud.api()}/myself").status_code == 401


def test_datacenter_accepts_basic_and_a_personal_access_token(datacenter: SandboxHandle) -> None:
    basic = httpx.get(f"{datacenter.api()}/myself", auth=datacenter.basic_auth)
    bearer = httpx.get(
        f"{datacenter.api()}/myself", headers={"Authorization": f"Bearer {datacenter.pat}"}
    )
    assert basic.status_code == bearer.status_code == 200
    assert basic.json()["name"] == bearer.json()["name"] == "admin"


@pytest.mark.parametrize(
    "headers", [{"Authorization": "Bearer nope"}, {"Authorization": "Basic YWRtaW46d3Jvbmc="}]
)
def test_datacenter_refuses_wrong_credentials_with_seraph_reason(
    datacenter: SandboxHandle, headers: dict[str, str]
) -> None:
    response = httpx.get(f"{datacenter.api()}/myself", headers=headers)
    assert response.status_code == 401
    assert response.headers["x-seraph-loginreason"] == "AUTHENTICATED_FAILED"


def test_server_info_reports_each_flavor(cloud: SandboxHandle, datacenter: SandboxHandle) -> None:
    assert httpx.get(f"{cloud.api('2')}/serverInfo").json()["deploymentType"] == "Cloud"
    info = httpx.get(f"{datacenter.api()}/serverInfo").json()
    assert info["deploymentType"] == "Server"
    assert tuple(info["versionNumbers"]) >= (8, 22, 0)


def test_datacenter_has_no_v3_api(datacenter: SandboxHandle) -> None:
    response = httpx.get(f"{datacenter.api('3')}/myself", auth=datacenter.basic_auth)
    assert response.status_code == 404


# ---------------------------------------------------------------- permissions


def test_mypermissions_names_what_the_user_holds(cloud: SandboxHandle) -> None:
    response = httpx.get(
        f"{cloud.api()}/mypermissions",
        params={"permissions": "BROWSE_PROJECTS,USER_PICKER"},
        auth=cloud.basic_auth,
    )
    permissions = response.json()["permissions"]
    assert permissions["BROWSE_PROJECTS"]["havePermission"] is True
    assert permissions["USER_PICKER"]["name"] == "Browse users and groups"


def test_revoking_user_picker_shows_in_mypermissions(datacenter: SandboxHandle) -> None:
    datacenter.set_user("viewer", globalPermissions=[])
    try:
        response = httpx.get(
            f"{datacenter.api()}/mypermissions",
            params={"permissions": "USER_PICKER"},
            auth=datacenter.viewer_auth,
        )
        assert response.json()["permissions"]["USER_PICKER"]["havePermission"] is False
    finally:
        datacenter.set_user("viewer", globalPermissions=["USER_PICKER"])


def test_the_viewer_sees_only_issues_of_projects_it_may_browse(cloud: SandboxHandle) -> None:
    body = {"jql": "created <= now()", "fields": ["project"], "maxResults": 100}
    seen: set[str] = set()
    token = None
    while True:
        page = _search_cloud(
            cloud, cloud.viewer_auth, **body, **({"nextPageToken": token} if token else {})
        ).json()
        seen |= {i["fields"]["project"]["key"] for i in page["issues"]}
        token = page.get("nextPageToken")
        if not token:
            break
    assert seen and seen <= VIEWER_PROJECTS
    projects = httpx.get(f"{cloud.api()}/project", auth=cloud.viewer_auth).json()
    assert {p["key"] for p in projects} == VIEWER_PROJECTS


def test_naming_a_hidden_project_is_the_does_not_exist_error(cloud: SandboxHandle) -> None:
    response = _search_cloud(cloud, cloud.viewer_auth, jql="project = LEDG")
    assert response.status_code == 400
    assert response.json()["errorMessages"] == [
        "The value 'LEDG' does not exist for the field 'project'."
    ]
    assert _search_cloud(cloud, jql="project = LEDG").status_code == 200


def test_the_viewer_cannot_write(datacenter: SandboxHandle) -> None:
    response = httpx.post(
        f"{datacenter.api()}/issue",
        auth=datacenter.viewer_auth,
        json={"fields": {"project": {"key": "PAY"}, "summary": "x", "issuetype": {"name": "Bug"}}},
    )
    assert response.status_code == 403


# ---------------------------------------------------------------- JQL errors


@pytest.mark.parametrize(
    ("jql", "message"),
    [
        ("project = NOPE", "The value 'NOPE' does not exist for the field 'project'."),
        (
            "component in (Nope, Mobile)",
            "The value 'Nope' does not exist for the field 'component'.",
        ),
    ],
)
def test_unknown_projects_and_components_reject_the_whole_query(
    cloud: SandboxHandle, datacenter: SandboxHandle, jql: str, message: str
) -> None:
    for response in (_search_cloud(cloud, jql=jql), _search_dc(datacenter, jql=jql)):
        assert response.status_code == 400
        assert response.json() == {"errorMessages": [message], "errors": {}}


def test_a_syntax_error_gives_its_position(cloud: SandboxHandle) -> None:
    response = _search_cloud(cloud, jql="project = PAY AND")
    assert response.status_code == 400
    message = response.json()["errorMessages"][0]
    assert message.startswith("Error in the JQL Query:")
    assert "(line 1, character" in message


def test_jql_outside_the_subset_is_refused_not_answered(datacenter: SandboxHandle) -> None:
    response = _search_dc(datacenter, jql="status WAS Done")
    assert response.status_code == 400
    assert "cannot evaluate this JQL exactly" in response.json()["errorMessages"][0]


# ---------------------------------------------------------------- search shapes and limits


def test_cloud_search_returns_ids_by_default(cloud: SandboxHandle) -> None:
    page = _search_cloud(cloud, jql="project = PAY", maxResults=3).json()
    assert [set(i) for i in page["issues"]] == [{"id"}] * 3
    assert "total" not in page


def test_cloud_caps_page_size_by_the_fields_asked_for(cloud: SandboxHandle) -> None:
    everything = "created <= now()"
    ids = _search_cloud(cloud, jql=everything, maxResults=10000, fields=["key"]).json()
    assert len(ids["issues"]) == 600  # under the 5000 cap for ids and keys
    rich = _search_cloud(cloud, jql=everything, maxResults=10000, fields=["*navigable"]).json()
    assert len(rich["issues"]) == 100
    assert rich["isLast"] is False


@pytest.mark.parametrize(
    ("fields", "present", "absent"),
    [
        (["*all"], {"comment", "summary", "labels"}, set()),
        (["*navigable"], {"summary", "status"}, {"comment"}),
        (["summary,labels"], {"summary", "labels"}, {"status"}),
        (["*all", "-description"], {"summary"}, {"description"}),
    ],
)
def test_the_fields_parameter_selects_fields(
    cloud: SandboxHandle, fields: list[str], present: set[str], absent: set[str]
) -> None:
    issue = _search_cloud(cloud, jql="project = PAY", maxResults=1, fields=fields).json()
    names = set(issue["issues"][0]["fields"])
    assert present <= names
    assert not absent & names


def test_v3_descriptions_are_documents_and_v2_descriptions_are_text(cloud: SandboxHandle) -> None:
    jql = "project = PAY AND description is not EMPTY"
    v3 = httpx.post(
        f"{cloud.api('3')}/search/jql",
        json={"jql": jql, "fields": ["description"], "maxResults": 1},
        auth=cloud.basic_auth,
    ).json()
    v2 = httpx.post(
        f"{cloud.api('2')}/search/jql",
        json={"jql": jql, "fields": ["description"], "maxResults": 1},
        auth=cloud.basic_auth,
    ).json()
    assert v3["issues"][0]["fields"]["description"]["type"] == "doc"
    assert isinstance(v2["issues"][0]["fields"]["description"], str)


def test_a_token_from_another_query_is_refused(cloud: SandboxHandle) -> None:
    page = _search_cloud(cloud, jql="project = PAY", maxResults=2).json()
    other = _search_cloud(cloud, jql="project = CHK", nextPageToken=page["nextPageToken"])
    assert other.status_code == 400


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_cloud_answers_410_for_the_removed_search(cloud: SandboxHandle, method: str) -> None:
    for version in ("2", "3"):
        response = httpx.request(method, f"{cloud.api(version)}/search", auth=cloud.basic_auth)
        assert response.status_code == 410
        assert "search/jql" in response.json()["errorMessages"][0]


def test_datacenter_search_pages_by_offset_with_total(datacenter: SandboxHandle) -> None:
    first = _search_dc(datacenter, jql="project = PAY ORDER BY key", maxResults=5).json()
    second = _search_dc(datacenter, jql="project = PAY ORDER BY key", maxResults=5, startAt=5)
    assert first["total"] == second.json()["total"] > 10
    assert first["startAt"] == 0 and len(first["issues"]) == 5
    keys = [i["key"] for i in first["issues"] + second.json()["issues"]]
    assert len(set(keys)) == 10


def test_datacenter_caps_max_results_at_1000_and_zero_counts(datacenter: SandboxHandle) -> None:
    capped = _search_dc(datacenter, jql="", maxResults=5000, fields="key").json()
    assert capped["maxResults"] == 1000
    assert len(capped["issues"]) == 600
    counted = httpx.post(
        f"{datacenter.api()}/search",
        json={"jql": "project = PAY", "maxResults": 0},
        auth=datacenter.basic_auth,
    ).json()
    assert counted["issues"] == [] and counted["total"] > 0


def test_approximate_count_agrees_with_paging(cloud: SandboxHandle) -> None:
    jql = "labels = security OR component = Identity"
    count = httpx.post(
        f"{cloud.api()}/search/approximate-count", json={"jql": jql}, auth=cloud.basic_auth
    ).json()["count"]
    page = _search_cloud(cloud, jql=jql, fields=["key"], maxResults=5000).json()
    assert count == len(page["issues"]) > 0


def test_components_and_statuses_are_listed(cloud: SandboxHandle) -> None:
    components = httpx.get(f"{cloud.api()}/project/IAM/components", auth=cloud.basic_auth).json()
    assert "Identity" in {c["name"] for c in components}
    categories = httpx.get(f"{cloud.api()}/statuscategory", auth=cloud.basic_auth).json()
    assert {c["key"] for c in categories} == {"undefined", "new", "indeterminate", "done"}
    statuses = httpx.get(f"{cloud.api()}/status", auth=cloud.basic_auth).json()
    assert {s["statusCategory"]["key"] for s in statuses} == {"new", "indeterminate", "done"}


def test_every_status_is_reachable_by_a_transition_named_after_it(cloud: SandboxHandle) -> None:
    issue = _search_cloud(cloud, jql="project = OPS", maxResults=1, fields=["status"]).json()
    current = issue["issues"][0]["fields"]["status"]["name"]
    transitions = httpx.get(
        f"{cloud.api()}/issue/{issue['issues'][0]['key']}/transitions", auth=cloud.basic_auth
    ).json()["transitions"]
    statuses = httpx.get(f"{cloud.api()}/status", auth=cloud.basic_auth).json()
    assert {t["name"] for t in transitions} == {s["name"] for s in statuses} - {current}
    assert all(t["name"] == t["to"]["name"] for t in transitions)


def test_v3_refuses_a_plain_text_description(cloud: SandboxHandle) -> None:
    response = httpx.post(
        f"{cloud.api('3')}/issue",
        auth=cloud.basic_auth,
        json={
            "fields": {
                "project": {"key": "OPS"},
                "summary": "x",
                "issuetype": {"name": "Task"},
                "description": "plain",
            }
        },
    )
    assert response.status_code == 400
    assert "description" in response.json()["errors"]
