"""Matching: automatic and override match clauses, aliases, unknown values, queries."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from ticketlens.catalog.matching import (
    ConnectionInfo,
    KnownValues,
    MatchingError,
    QueryProblem,
    match_entity,
    outstanding_base,
    outstanding_query,
    restrict,
)
from ticketlens.jql import parse, to_jql


@dataclass(frozen=True)
class Item:
    name: str
    alias: str | None = None


@dataclass(frozen=True)
class Block:
    labels: list[Item] = field(default_factory=list)
    components: list[Item] = field(default_factory=list)
    projects: list[Item] = field(default_factory=list)
    default_jql: str | None = None


@dataclass(frozen=True)
class Ent:
    tag: str
    jira: Block = field(default_factory=Block)


CLOUD = ConnectionInfo("cloud", is_default=True)
DC = ConnectionInfo("dc")


def jql_of(
    entity: Ent, alias: str = "cloud", connections: tuple[ConnectionInfo, ...] = (CLOUD, DC)
) -> str:
    match = match_entity(entity, connections).on(alias)
    assert match is not None and match.clause is not None
    return to_jql(match.clause)


def test_automatic_match_is_component_label_or_project_on_the_default_connection() -> None:
    result = match_entity(Ent("payments-api"), (CLOUD, DC))
    assert [m.alias for m in result.connections] == ["cloud"]
    assert jql_of(Ent("payments-api")) == (
        "component = payments-api OR labels = payments-api OR project = payments-api"
    )
    assert result.connections[0].automatic


def test_override_lists_only_the_listed_values_grouped_by_field() -> None:
    entity = Ent("ledger-service", Block(labels=[Item("ledger")], projects=[Item("LEDG")]))
    assert jql_of(entity) == "labels IN (ledger) OR project IN (LEDG)"


def test_override_items_go_to_their_alias_connection_and_unaliased_to_the_default() -> None:
    entity = Ent(
        "mixed",
        Block(
            labels=[Item("mixed")],
            components=[Item("Identity", "dc")],
            projects=[Item("IAM", "dc")],
        ),
    )
    result = match_entity(entity, (CLOUD, DC))
    assert [m.alias for m in result.connections] == ["cloud", "dc"]
    assert jql_of(entity, "cloud") == "labels IN (mixed)"
    assert jql_of(entity, "dc") == "component IN (Identity) OR project IN (IAM)"


def test_an_alias_naming_the_default_connection_joins_unaliased_items() -> None:
    entity = Ent("b", Block(labels=[Item("billing"), Item("billing-worker", "cloud")]))
    assert jql_of(entity) == "labels IN (billing, billing-worker)"


def test_duplicate_override_values_appear_once() -> None:
    entity = Ent("b", Block(labels=[Item("billing"), Item("billing")]))
    assert jql_of(entity) == "labels IN (billing)"


def test_unknown_alias_is_a_problem_on_the_entity_not_a_crash() -> None:
    entity = Ent("mobile-app", Block(projects=[Item("MOB", "nowhere")], labels=[Item("mobile")]))
    result = match_entity(entity, (CLOUD, DC))
    assert len(result.problems) == 1
    message = result.problems[0].message
    assert (
        "'nowhere'" in message and "not configured" in message and "ticketlens jira add" in message
    )
    assert jql_of(entity) == "labels IN (mobile)"


def test_no_connection_at_all_is_a_clear_error() -> None:
    with pytest.raises(MatchingError, match="ticketlens jira add"):
        match_entity(Ent("x"), ())


def test_unknown_projects_and_components_are_left_out_and_reported() -> None:
    known = KnownValues.of(projects=["PAY", "Payments"], components=["Orders"])
    cloud = ConnectionInfo("cloud", is_default=True, known=known)
    result = match_entity(Ent("payments-api"), (cloud,))
    match = result.connections[0]
    assert match.clause is not None
    assert to_jql(match.clause) == "labels = payments-api"
    assert {(lo.field, lo.value) for lo in match.left_out} == {
        ("component", "payments-api"),
        ("project", "payments-api"),
    }
    assert all("does" not in lo.reason or "exist" in lo.reason for lo in match.left_out)
    assert "no project 'payments-api' exists on connection 'cloud'" in next(
        lo.reason for lo in match.left_out if lo.field == "project"
    )


def test_known_values_compare_without_case() -> None:
    known = KnownValues.of(projects=["LEDG"], components=["Orders"])
    cloud = ConnectionInfo("cloud", is_default=True, known=known)
    entity = Ent("o", Block(projects=[Item("ledg")], components=[Item("orders")]))
    assert jql_of(entity, connections=(cloud,)) == "component IN (orders) OR project IN (ledg)"


def test_a_match_with_every_value_left_out_has_no_clause_and_no_query() -> None:
    known = KnownValues.of(projects=[], components=[])
    cloud = ConnectionInfo("cloud", is_default=True, known=known)
    entity = Ent("ghost", Block(projects=[Item("NOPE")]))
    match = match_entity(entity, (cloud,)).connections[0]
    assert match.clause is None
    assert outstanding_query(entity, match, cloud) is None


@pytest.mark.parametrize(
    "label",
    ["or", "empty", 'x" OR project = "y', "AND", "a b", "it's", "back\\slash", "ORDER BY"],
)
def test_values_with_quotes_and_keywords_stay_one_value(label: str) -> None:
    entity = Ent("t", Block(labels=[Item(label)]))
    text = jql_of(entity)
    reparsed = parse(text)
    where = reparsed.where
    # One terminal clause, one value, exactly the label: nothing escaped its clause.
    assert type(where).__name__ == "Terminal"
    assert [v.text for v in where.operand.items] == [label]  # type: ignore[union-attr]


def test_outstanding_uses_the_standard_query_when_nothing_overrides_it() -> None:
    entity = Ent("payments-api")
    match = match_entity(entity, (CLOUD,)).connections[0]
    result = outstanding_query(entity, match, CLOUD)
    assert result is not None
    assert to_jql(result) == (
        'statusCategory IN ("To Do", "In Progress") AND '
        "(component = payments-api OR labels = payments-api OR project = payments-api)"
    )


def test_connection_default_jql_replaces_the_standard_query() -> None:
    cloud = ConnectionInfo("cloud", is_default=True, default_jql="resolution IS EMPTY")
    entity = Ent("x", Block(labels=[Item("x")]))
    match = match_entity(entity, (cloud,)).connections[0]
    result = outstanding_query(entity, match, cloud)
    assert result is not None
    assert to_jql(result) == "resolution IS EMPTY AND labels IN (x)"
    assert outstanding_base(entity, cloud)[1] == "connection"


def test_entity_default_jql_wins_over_the_connection_default_and_keeps_its_order() -> None:
    cloud = ConnectionInfo("cloud", is_default=True, default_jql="resolution IS EMPTY")
    entity = Ent(
        "notifications",
        Block(default_jql='statusCategory = "To Do" OR priority in (Highest, High) ORDER BY key'),
    )
    match = match_entity(entity, (cloud,)).connections[0]
    result = outstanding_query(entity, match, cloud)
    assert result is not None
    text = to_jql(result)
    assert text.startswith('(statusCategory = "To Do" OR priority IN (Highest, High)) AND (')
    assert text.endswith("ORDER BY key")
    assert outstanding_base(entity, cloud)[1] == "entity"


def test_a_broken_default_jql_is_a_problem_naming_the_entity() -> None:
    entity = Ent("broken", Block(default_jql="status = "))
    with pytest.raises(QueryProblem, match="entity 'broken' defaultJql"):
        outstanding_base(entity, CLOUD)


def test_a_rule_is_anded_with_the_match() -> None:
    entity = Ent("ledger-service", Block(labels=[Item("ledger")]))
    match = match_entity(entity, (CLOUD,)).connections[0]
    result = restrict(parse("labels = security OR type = Bug"), match)
    assert result is not None
    assert to_jql(result) == "(labels = security OR type = Bug) AND labels IN (ledger)"
