"""JQL outside the mirror's subset raises UnsupportedJQL naming the clause and its position."""

from __future__ import annotations

import pytest

from ticketlens.jql import parse
from ticketlens.mirror import UnsupportedJQL, compile

UNSUPPORTED = [
    ("assignee = currentUser()", "currentUser"),
    ("assignee in membersOf(jira-users)", "membersOf"),
    ("status WAS Done", "WAS"),
    ("status CHANGED", "CHANGED"),
    ('status CHANGED FROM "To Do"', "CHANGED"),
    ("cf[10010] = 5", "cf[10010]"),
    ('"Story Points" > 3', "Story Points"),
    ("issue.property[support].level = 1", "property"),
    ("sprint = 5", "sprint"),
    ('summary = "login"', "summary"),
    ("labels > x", "labels"),
    ("project > PAY", "project"),
    ("created = 2024-01-01", "created"),
    ('created > "yesterday"', "yesterday"),
    ("created > startOfDay(soon)", "startOfDay"),
    ("created > startOfQuarter()", "startOfQuarter"),
    ("created > lastLogin()", "lastLogin"),
    ("fixVersion in releasedVersions()", "releasedVersions"),
    ("issuetype in standardIssueTypes()", "standardIssueTypes"),
    ('summary ~ "login OR logout"', "OR"),
    ('summary ~ "log?n"', "special"),
    ('summary ~ "*login"', "leading"),
    ('summary ~ "lo*gin"', "wildcard"),
    ('summary ~ "login~"', "special"),
    ('summary ~ "the"', "stop word"),
    ("text !~ login", "text"),
    ("statusCategory = Unknown", "does not exist"),
    ("issuekey > 10", "ABC-12"),
    ("due > -1y", "relative"),
]


@pytest.mark.parametrize(("jql", "mentions"), UNSUPPORTED, ids=[c[0] for c in UNSUPPORTED])
def test_query_outside_the_subset_is_refused_with_a_reason(jql: str, mentions: str) -> None:
    with pytest.raises(UnsupportedJQL) as caught:
        compile(parse(jql), "main", tz="UTC")
    message = str(caught.value)
    assert mentions.lower() in message.lower() or mentions.lower() in caught.value.clause.lower()
    assert "ask Jira" in message


def test_unsupported_clause_reports_its_position_in_the_query() -> None:
    jql = 'project = PAY AND status WAS "To Do"'
    with pytest.raises(UnsupportedJQL) as caught:
        compile(parse(jql), "main", tz="UTC")
    assert caught.value.span is not None
    assert caught.value.span.start == jql.index("status")
    assert "position 18" in str(caught.value)


def test_unsupported_field_is_named_in_the_error() -> None:
    with pytest.raises(UnsupportedJQL) as caught:
        compile(parse("project = PAY OR sprint in openSprints()"), "main", tz="UTC")
    assert "sprint" in caught.value.clause
    assert caught.value.span is not None
    assert caught.value.span.start == len("project = PAY OR ")


def test_ordering_by_an_unmirrored_field_is_refused() -> None:
    with pytest.raises(UnsupportedJQL) as caught:
        compile(parse("project = PAY ORDER BY labels"), "main", tz="UTC")
    assert "ORDER BY labels" in caught.value.clause


def test_history_inside_not_is_still_refused() -> None:
    with pytest.raises(UnsupportedJQL):
        compile(parse("NOT (project = PAY OR assignee WAS bob)"), "main", tz="UTC")


def test_supported_query_compiles_to_one_select() -> None:
    stmt = compile(
        parse('statusCategory in ("To Do", "In Progress") AND (labels = x OR project = X)'),
        "main",
        tz="Europe/Berlin",
    )
    sql = str(stmt)
    assert sql.startswith("SELECT")
    assert "mirror_issues" in sql
