"""The package's public surface is complete and importable."""

from __future__ import annotations

import ticketlens.mirror as mirror

CONTRACT = {
    "MirrorIssue",
    "issue_from_jira",
    "upsert_issues",
    "delete_issues",
    "compile",
    "search",
    "count",
    "count_by",
    "UnsupportedJQL",
}


def test_every_exported_name_exists() -> None:
    missing = [name for name in mirror.__all__ if not hasattr(mirror, name)]
    assert missing == []


def test_the_agreed_contract_is_exported() -> None:
    assert set(mirror.__all__) >= CONTRACT


def test_unsupported_jql_carries_message_clause_and_span() -> None:
    from ticketlens.jql.ast import Span

    error = mirror.UnsupportedJQL("history needs Jira", "status WAS Done", Span(4, 19))
    assert (error.reason, error.clause, error.span) == (
        "history needs Jira",
        "status WAS Done",
        Span(4, 19),
    )
    assert "position 4" in str(error)
