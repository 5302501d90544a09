"""Near-misses: case, surrounding whitespace and one edit, with a remedy for each."""

from __future__ import annotations

import pytest

from ticketlens.catalog.matching import MatchValue
from ticketlens.catalog.nearmiss import difference, find_near_misses


@pytest.mark.parametrize(
    ("wanted", "found", "expected"),
    [
        ("search-indexer", "Search-Indexer", "case"),
        ("search-indexer", "search-indexer ", "whitespace"),
        ("search-indexer", " Search-Indexer", "case and whitespace"),
        ("search-indexer", "search-indexr", "one edit"),
        ("search-indexer", "search-indexers", "one edit"),
        ("search-indexer", "search_indexer", "one edit"),
        ("search-indexer", "search-indexer", None),
        ("search-indexer", "search-idx", None),
        ("search-indexer", "indexer-search", None),
        ("api", "apx", None),
        ("ledger", "ledgers", "one edit"),
    ],
)
def test_difference_names_how_a_value_differs(
    wanted: str, found: str, expected: str | None
) -> None:
    assert difference(wanted, found) == expected


def test_case_is_a_match_not_a_miss_for_fields_jira_compares_without_case() -> None:
    assert difference("Orders", "orders", case_sensitive=False) is None
    assert difference("Orders", "Order", case_sensitive=False) == "one edit"


def test_find_near_misses_reports_each_close_value_once_and_skips_exact_matches() -> None:
    wanted = [MatchValue("labels", "search-indexer"), MatchValue("component", "search-indexer")]
    found = {
        "labels": ["search-indexer", "Search-Indexer", "search-indexr", "billing"],
        "component": ["Search-Indexer", "search-indexr"],
    }
    misses = find_near_misses(
        wanted,
        found,  # type: ignore[arg-type]
        case_insensitive=frozenset({"component"}),
    )
    labels = {(m.found, m.difference, m.matches) for m in misses if m.field == "labels"}
    components = {(m.found, m.difference, m.matches) for m in misses if m.field == "component"}
    assert labels == {("Search-Indexer", "case", False), ("search-indexr", "one edit", False)}
    # Components compare without case: the case variant matches, only the typo misses.
    assert components == {("Search-Indexer", "case", True), ("search-indexr", "one edit", False)}


def test_by_default_a_case_difference_is_reported_but_matches_as_in_the_mirror() -> None:
    wanted = [MatchValue("labels", "search-indexer")]
    found = {"labels": ["Search-Indexer", "search-indexer ", "search-indexr"]}
    misses = {(m.found, m.difference, m.matches) for m in find_near_misses(wanted, found)}  # type: ignore[arg-type]
    assert misses == {
        ("Search-Indexer", "case", True),
        ("search-indexer ", "whitespace", False),
        ("search-indexr", "one edit", False),
    }


def test_remedy_of_a_case_variant_says_it_already_matches() -> None:
    [miss] = find_near_misses(
        [MatchValue("labels", "search-indexer")], {"labels": ["Search-Indexer"]}
    )
    assert miss.matches
    assert miss.remedy().startswith("nothing: these issues match")
    assert "rename the label 'Search-Indexer' to 'search-indexer'" in miss.remedy()


def test_a_value_matching_another_wanted_value_exactly_is_not_a_miss() -> None:
    wanted = [MatchValue("labels", "billing"), MatchValue("labels", "billings")]
    assert find_near_misses(wanted, {"labels": ["billing", "billings"]}) == []


def test_remedy_says_rename_or_override() -> None:
    [miss] = find_near_misses(
        [MatchValue("labels", "search-indexer")], {"labels": ["search-indexr"]}
    )
    remedy = miss.remedy()
    assert "rename the label 'search-indexr' to 'search-indexer'" in remedy
    assert "labels override" in remedy
