"""The sync scope: chunks under the JQL length limit, stable, and dates in the user's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ticketlens.catalog.matching import MatchValue
from ticketlens.jql import parse, to_jql
from ticketlens.sync.errors import ScopeError
from ticketlens.sync.scope import (
    DEFAULT_MIRROR_SCOPE,
    build_scope,
    jira_minute,
    updated_since,
    zone,
)


def values(count: int) -> list[MatchValue]:
    return [MatchValue("labels", f"service-{i:04d}") for i in range(count)] + [
        MatchValue("project", "PAY"),
        MatchValue("component", "Orders"),
    ]


def test_every_chunk_query_stays_under_the_length_limit_and_covers_every_value() -> None:
    scope = build_scope("main", values(2000), None, max_length=5000)
    texts = [to_jql(q) for q in scope.queries()]
    assert len(texts) > 1
    assert all(len(t) <= 5000 for t in texts)
    assert scope.values == frozenset(values(2000))
    assert all(t.endswith(f"AND ({DEFAULT_MIRROR_SCOPE}) ORDER BY created ASC") for t in texts)


def test_a_small_scope_is_one_query_with_each_field_once() -> None:
    scope = build_scope("main", values(3), None, max_length=12000)
    [text] = [to_jql(q) for q in scope.queries()]
    assert text.startswith(
        "(labels IN (service-0000, service-0001, service-0002) OR component IN (Orders) "
        "OR project IN (PAY)) AND "
    )
    assert parse(text) == scope.chunk_query(0)


def test_chunks_cap_the_number_of_values() -> None:
    scope = build_scope("main", values(2500), None, max_length=10**6, max_values=1000)
    assert [len(c) for c in scope.chunks] == [1000, 1000, 502]


def test_the_same_values_give_the_same_chunks_and_digest_in_any_order() -> None:
    first = build_scope("main", values(500), None, max_length=3000)
    second = build_scope("main", list(reversed(values(500))), None, max_length=3000)
    assert first.chunks == second.chunks and first.digest() == second.digest()
    other = build_scope("main", values(500), "statusCategory != Done", max_length=3000)
    assert other.digest() != first.digest()


def test_a_broken_mirror_scope_names_the_connection() -> None:
    with pytest.raises(ScopeError, match="connection 'dc'"):
        build_scope("dc", values(1), "status = ", max_length=12000)


def test_dates_are_written_in_the_users_zone_rounded_down_to_the_minute() -> None:
    moment = datetime(2026, 3, 1, 8, 30, 59, tzinfo=UTC)
    assert jira_minute(moment, zone("America/Los_Angeles")) == "2026-03-01 00:30"
    assert jira_minute(moment, zone("Asia/Kolkata")) == "2026-03-01 14:00"
    assert jira_minute(moment, zone(None)) == "2026-03-01 08:30"
    assert jira_minute(moment, zone("Not/AZone")) == "2026-03-01 08:30"
    clause = updated_since(moment, timedelta(minutes=5), zone("Europe/Berlin"))
    assert to_jql(clause) == 'updated >= "2026-03-01 09:25"'


def test_a_scope_is_cut_into_at_least_min_chunks_when_values_allow() -> None:
    # values(n) is n labels, one project and one component.
    scope = build_scope("main", values(12), None, max_length=10**6, min_chunks=4)
    assert [len(c) for c in scope.chunks] == [4, 4, 4, 2]
    few = build_scope("main", values(0), None, max_length=10**6, min_chunks=4)
    assert [len(c) for c in few.chunks] == [1, 1]
    capped = build_scope("main", values(2500), None, max_length=10**6, min_chunks=2)
    assert [len(c) for c in capped.chunks] == [1000, 1000, 502]


def test_the_same_values_cut_differently_have_different_digests() -> None:
    # A checkpoint names its chunk by position: resuming it against other chunk
    # boundaries would skip values, so the digest tells the two apart.
    one = build_scope("main", values(10), None, max_length=10**6)
    four = build_scope("main", values(10), None, max_length=10**6, min_chunks=4)
    assert one.values == four.values
    assert one.digest() != four.digest()
