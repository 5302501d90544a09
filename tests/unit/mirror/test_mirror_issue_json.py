"""issue_from_jira reads Jira's REST issue JSON, v2 (plain text) and v3 (ADF)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from ticketlens.mirror import JiraIssueFormatError, adf_to_text, issue_from_jira


def _raw(description: Any, **extra: Any) -> dict[str, Any]:
    fields = {
        "summary": "Login fails",
        "description": description,
        "project": {"id": "10000", "key": "PAY", "name": "Payments"},
        "issuetype": {"id": "1", "name": "Bug"},
        "status": {
            "id": "3",
            "name": "In Progress",
            "statusCategory": {"id": 4, "key": "indeterminate", "name": "In Progress"},
        },
        "priority": {"id": "2", "name": "High"},
        "resolution": None,
        "assignee": {"accountId": "acc-1", "displayName": "Alice Smith"},
        "reporter": {"name": "bob", "key": "JIRAUSER10100", "displayName": "Bob Jones"},
        "created": "2024-01-05T10:30:00.000+0100",
        "updated": "2024-01-06T08:00:00.000+0000",
        "resolutiondate": None,
        "duedate": "2024-02-01",
        "labels": ["payments-api", "security", "payments-api"],
        "components": [{"id": "100", "name": "Payments"}, {"id": "101", "name": "API"}],
        "fixVersions": [{"id": "900", "name": "1.0"}],
        "parent": {"id": "5", "key": "PAY-5"},
    }
    fields.update(extra)
    return {"id": "10001", "key": "PAY-1", "fields": fields}


ADF = {
    "type": "doc",
    "version": 1,
    "content": [
        {
            "type": "paragraph",
            "content": [
                {"type": "text", "text": "Users cannot "},
                {"type": "text", "text": "log in", "marks": [{"type": "strong"}]},
                {"type": "hardBreak"},
                {"type": "text", "text": "since "},
                {"type": "mention", "attrs": {"id": "x", "text": "@Alice"}},
            ],
        },
        {
            "type": "bulletList",
            "content": [
                {
                    "type": "listItem",
                    "content": [
                        {"type": "paragraph", "content": [{"type": "text", "text": "step one"}]}
                    ],
                }
            ],
        },
    ],
}


def test_v2_issue_keeps_plain_description_and_all_fields() -> None:
    issue = issue_from_jira(_raw("Plain *wiki* text"))
    assert issue.id == 10001 and issue.key == "PAY-1"
    assert (issue.project_id, issue.project_key, issue.project_name) == ("10000", "PAY", "Payments")
    assert (issue.status, issue.status_id, issue.status_category) == (
        "In Progress",
        "3",
        "indeterminate",
    )
    assert (issue.priority, issue.priority_id, issue.priority_rank) == ("High", "2", 2)
    assert issue.description == "Plain *wiki* text"
    assert issue.created == datetime(2024, 1, 5, 9, 30, tzinfo=UTC)
    assert issue.duedate == date(2024, 2, 1)
    assert issue.labels == ("payments-api", "security")
    assert [c.name for c in issue.components] == ["Payments", "API"]
    assert issue.fix_versions[0].id == "900"
    assert (issue.parent_id, issue.parent_key) == (5, "PAY-5")
    assert issue.assignee is not None and issue.assignee.account_id == "acc-1"
    assert issue.reporter is not None and issue.reporter.name == "bob"
    assert issue.resolution is None


def test_v3_issue_flattens_the_adf_description_to_text() -> None:
    issue = issue_from_jira(_raw(ADF))
    assert issue.description == "Users cannot log in\nsince @Alice\nstep one"


def test_adf_of_nothing_is_empty_text() -> None:
    assert adf_to_text(None) == ""
    assert adf_to_text({"type": "doc", "content": []}) == ""


def test_priority_rank_follows_the_given_order() -> None:
    issue = issue_from_jira(
        _raw(None, priority={"id": "7", "name": "P1"}), priority_ranks={"P0": 1, "P1": 2}
    )
    assert issue.priority_rank == 2
    unknown = issue_from_jira(_raw(None, priority={"id": "7", "name": "Urgent"}))
    assert unknown.priority_rank is None


def test_missing_status_is_reported_with_the_issue_key() -> None:
    raw = _raw(None)
    del raw["fields"]["status"]
    with pytest.raises(JiraIssueFormatError, match=r"PAY-1.*status"):
        issue_from_jira(raw)


def test_unknown_status_category_becomes_no_category() -> None:
    raw = _raw(None)
    raw["fields"]["status"]["statusCategory"] = {"key": "weird"}
    assert issue_from_jira(raw).status_category == "undefined"
