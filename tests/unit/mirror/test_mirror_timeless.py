"""Which queries compile to SQL that cannot depend on the clock (and may be reused)."""

from __future__ import annotations

import pytest

from ticketlens.jql import parse
from ticketlens.mirror.compiler import timeless


@pytest.mark.parametrize(
    "jql",
    [
        "labels in (a, b)",
        "project = PAY AND NOT (component = Web OR labels != x)",
        'statusCategory in ("To Do", "In Progress") AND assignee is EMPTY',
        "summary ~ timeout ORDER BY created DESC",  # ordering by a date is fine
    ],
)
def test_queries_without_dates_or_functions_are_timeless(jql: str) -> None:
    assert timeless(parse(jql))


@pytest.mark.parametrize(
    "jql",
    [
        "created >= -30d",
        "labels = a AND (project = PAY OR updated > 2024-01-01)",
        "NOT due < now()",
        "resolved is EMPTY",  # a date field, even without a date
        "assignee = currentUser()",
        "labels in (a, startOfDay())",
        "cf[10010] = x",  # not mirrored: never cached, so its error is raised each time
    ],
)
def test_queries_with_dates_functions_or_unknown_fields_are_not(jql: str) -> None:
    assert not timeless(parse(jql))
