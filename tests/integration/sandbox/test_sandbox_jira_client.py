"""The PyPI ``jira`` client (written by nobody here) works against both sandbox flavors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from jira import JIRA

from sandbox_harness import SandboxHandle, WebhookReceiver, running_sandbox, webhook_receiver
from ticketlens.sandbox.generator import IssueGenerator, generate_projects
from ticketlens.sandbox.model import Issue
from ticketlens.sandbox.webhooks import sign

ANCHOR = datetime(2026, 6, 1, tzinfo=UTC)
SEED = 5
ISSUES = 1500
SECRET = "hook-secret"


def _generated() -> list[Issue]:
    """The sandbox's data, regenerated here so the expected answers are independent of it."""
    return list(IssueGenerator(SEED, ANCHOR, generate_projects()).issues(ISSUES))


def _ordered_keys(issues: list[Issue]) -> list[str]:
    return [i.key for i in sorted(issues, key=lambda i: (i.project, int(i.key.split("-")[1])))]


@pytest.fixture(scope="module", params=["cloud", "datacenter"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[SandboxHandle, WebhookReceiver]]:
    with (
        webhook_receiver() as receiver,
        running_sandbox(
            flavor=request.param,
            issues=ISSUES,
            seed=SEED,
            now=ANCHOR,
            webhooks=[f"{receiver.url},{SECRET}"],
        ) as handle,
    ):
        yield handle, receiver


@pytest.fixture(scope="module")
def client(served: tuple[SandboxHandle, WebhookReceiver]) -> JIRA:
    handle, _ = served
    return JIRA(handle.base_url, basic_auth=handle.basic_auth, max_retries=0)


def test_client_connects_and_sees_the_flavor(
    served: tuple[SandboxHandle, WebhookReceiver], client: JIRA
) -> None:
    handle, _ = served
    expected = "Cloud" if handle.flavor == "cloud" else "Server"
    assert client.deploymentType == expected
    assert client.myself()["displayName"] == "Sandbox Admin"
    assert {p.key for p in client.projects()} == {p.key for p in generate_projects()}


def test_paged_search_returns_exactly_the_matching_issues(
    served: tuple[SandboxHandle, WebhookReceiver], client: JIRA
) -> None:
    handle, _ = served
    jql = "project in (PAY, PLAT) AND statusCategory != Done ORDER BY key ASC"
    expected = _ordered_keys(
        [
            i
            for i in _generated()
            if i.project in ("PAY", "PLAT") and i.status not in ("Done", "Closed")
        ]
    )
    assert len(expected) > 150, "the query must span many pages"
    keys: list[str] = []
    pages = 0
    if handle.flavor == "cloud":
        token: str | None = None
        while True:
            page = client.enhanced_search_issues(
                jql, nextPageToken=token, maxResults=37, fields=["summary"]
            )
            keys += [issue.key for issue in page]
            pages += 1
            token = page.nextPageToken
            if not token:
                break
    else:
        start = 0
        while True:
            page = client.search_issues(jql, startAt=start, maxResults=37, fields="summary")
            keys += [issue.key for issue in page]
            pages += 1
            assert page.total == len(expected)
            start += 37
            if start >= page.total:
                break
    assert pages > 4
    assert keys == expected


def test_client_fetch_all_agrees_with_the_data(
    served: tuple[SandboxHandle, WebhookReceiver], client: JIRA
) -> None:
    handle, _ = served
    jql = "labels = billing ORDER BY key ASC"
    expected = _ordered_keys([i for i in _generated() if "billing" in i.labels])
    if handle.flavor == "cloud":
        found = client.enhanced_search_issues(jql, maxResults=0, fields=["key"])
        assert client.approximate_issue_count(jql) == len(expected)
    else:
        found = client.search_issues(jql, maxResults=False, fields="key")
    assert [i.key for i in found] == expected


def test_create_update_transition_delete_round_trip_and_fire_webhooks(
    served: tuple[SandboxHandle, WebhookReceiver], client: JIRA
) -> None:
    handle, receiver = served
    before = len(receiver.received)
    issue = client.create_issue(
        project="PAY",
        summary="Card declined twice",
        issuetype={"name": "Bug"},
        description="Seen on checkout",
        labels=["payments-api", "customer-facing"],
        components=[{"name": "Refunds"}],
    )
    fetched = client.issue(issue.key)
    assert fetched.fields.summary == "Card declined twice"
    assert fetched.fields.status.name == "To Do"
    assert sorted(fetched.fields.labels) == ["customer-facing", "payments-api"]
    assert [c.name for c in fetched.fields.components] == ["Refunds"]

    fetched.update(fields={"summary": "Card declined three times", "labels": ["payments-api"]})
    assert client.issue(issue.key).fields.summary == "Card declined three times"
    found = client.search_issues(f"key = {issue.key} AND labels = payments-api", fields="key")
    assert [i.key for i in found] == [issue.key]

    client.transition_issue(issue, "In Progress")
    assert client.issue(issue.key).fields.status.name == "In Progress"
    client.transition_issue(issue, "Done")
    done = client.issue(issue.key)
    assert done.fields.status.name == "Done"
    assert done.fields.resolution.name == "Done"
    found = client.search_issues(f"key = {issue.key} AND statusCategory = Done", fields="key")
    assert [i.key for i in found] == [issue.key]

    component = client.create_component(f"Payouts-{handle.flavor}", "PAY")
    assert component.name == f"Payouts-{handle.flavor}"
    assert component.name in [c.name for c in client.project_components("PAY")]

    client.issue(issue.key).delete()
    assert client.search_issues('project = PAY AND summary ~ "three"', fields="key") == []

    hooks = receiver.wait_for(before + 5)[before:]
    events = [h.payload["webhookEvent"] for h in hooks]
    assert events == [
        "jira:issue_created",
        "jira:issue_updated",
        "jira:issue_updated",
        "jira:issue_updated",
        "jira:issue_deleted",
    ]
    for hook in hooks:
        assert hook.headers["x-hub-signature"] == sign(SECRET, hook.body)
        assert hook.payload["issue"]["key"] == issue.key
    edit = hooks[1].payload["changelog"]["items"]
    assert {"summary", "labels"} == {item["field"] for item in edit}
    done_items = hooks[3].payload["changelog"]["items"]
    assert {"field": "status", "toString": "Done"}.items() <= done_items[0].items()
