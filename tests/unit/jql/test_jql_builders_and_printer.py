"""Builders make trees, never strings; to_jql prints them canonically."""

from __future__ import annotations

import pytest

from ticketlens.jql import (
    And,
    CustomField,
    Empty,
    Field,
    FunctionCall,
    HistoryPredicate,
    JQLBuildError,
    Not,
    Operator,
    Or,
    OrderItem,
    PropertyField,
    Query,
    Terminal,
    Value,
    ValueList,
    and_,
    field_eq,
    field_in,
    not_,
    or_,
    order_by,
    parse,
    query,
    to_jql,
    value,
)


def test_a_hostile_label_stays_one_value() -> None:
    clause = field_eq("labels", 'x" OR project = "y')
    printed = to_jql(clause)
    assert printed == 'labels = "x\\" OR project = \\"y"'
    assert parse(printed).where == clause


@pytest.mark.parametrize(
    "text",
    [
        "x' OR project = 'y",
        "a) OR (b = c",
        "payments-api\\",
        "EMPTY",
        "order",
        "",
        " ",
        "tab\there",
        "line\nbreak",
        "\x00\x1f\x7f\x85\ufffe",
        "日本語",
        "\\u0041",
    ],
)
def test_any_string_value_round_trips_as_one_value(text: str) -> None:
    clause = field_in("labels", [text, "plain"])
    assert parse(to_jql(clause)).where == clause


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("payments-api", "payments-api"),
        ("ABC-12", "ABC-12"),
        ("-7d", "-7d"),
        ("3.14", '"3.14"'),
        ("a:b", "a:b"),
        ("To Do", '"To Do"'),
        ("", '""'),
        ("select", '"select"'),
        ("Null", '"Null"'),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("tab\t", '"tab\\t"'),
        ("\x01", '"\\u0001"'),
    ],
)
def test_values_are_quoted_only_where_jira_requires(text: str, printed: str) -> None:
    assert to_jql(value(text)) == printed


def test_builders_flatten_and_simplify() -> None:
    a, b, c = (field_eq(name, "1") for name in "abc")
    assert and_(a) == a
    assert and_(a, and_(b, c)) == And((a, b, c))
    assert or_(or_(a, b), c) == Or((a, b, c))
    assert not_(a) == Not(a)


def test_builders_refuse_what_jql_cannot_express() -> None:
    with pytest.raises(JQLBuildError, match="no values"):
        field_in("labels", [])
    with pytest.raises(JQLBuildError, match="at least one clause"):
        and_()
    with pytest.raises(JQLBuildError, match="not one str"):
        field_in("labels", "abc")
    with pytest.raises(JQLBuildError):
        field_eq("", "x")


def test_query_with_order_by_prints_canonically() -> None:
    built = query(
        and_(
            field_eq("project", "PAY"),
            or_(field_in("component", ["Orders", "payments-api"]), not_(field_eq("x", Empty()))),
        ),
        order_by("created", ("priority", "DESC"), CustomField(10010)),
    )
    assert to_jql(built) == (
        "project = PAY AND (component IN (Orders, payments-api) OR NOT x = EMPTY) "
        "ORDER BY created, priority DESC, cf[10010]"
    )
    assert parse(to_jql(built)) == built


def test_printer_uses_upper_case_keywords_single_spaces_and_minimal_parentheses() -> None:
    text = "not  (a=1 or b = 2)and c   in(x,y)  order  by  d asc"
    assert to_jql(parse(text)) == "NOT (a = 1 OR b = 2) AND c IN (x, y) ORDER BY d ASC"
    assert to_jql(parse("(a = 1 and b = 2) or c = 3")) == "a = 1 AND b = 2 OR c = 3"
    assert to_jql(parse("a = 1 and (b = 2 or c = 3)")) == "a = 1 AND (b = 2 OR c = 3)"


def test_printer_handles_every_operand_and_field_kind() -> None:
    clause = Terminal(
        PropertyField("issue", "support key", ("level", "a.b")),
        Operator.WAS_NOT_IN,
        ValueList((Value("x"), FunctionCall("membersOf", ("jira users",)), Empty())),
        (HistoryPredicate("DURING", ValueList((Value("2024-01-01"), FunctionCall("now")))),),
    )
    printed = to_jql(clause)
    assert printed == (
        'issue.property["support key"].level."a.b" WAS NOT IN (x, membersOf("jira users"), EMPTY)'
        " DURING (2024-01-01, now())"
    )
    assert parse(printed).where == clause
    assert to_jql(Field("Story Points")) == '"Story Points"'
    assert to_jql(OrderItem(Field("key"), "ASC")) == "key ASC"
    assert to_jql(Query()) == ""


def test_printer_refuses_trees_jira_would_reject() -> None:
    with pytest.raises(JQLBuildError, match="IS takes Empty"):
        to_jql(Terminal(Field("a"), Operator.IS, Value("x")))
    with pytest.raises(JQLBuildError, match="does not take a FROM predicate"):
        to_jql(
            Terminal(Field("a"), Operator.WAS, Value("x"), (HistoryPredicate("FROM", Value("y")),))
        )
    with pytest.raises(JQLBuildError, match="empty list"):
        to_jql(Terminal(Field("a"), Operator.IN, ValueList(())))
    with pytest.raises(JQLBuildError, match="non-negative"):
        to_jql(Terminal(CustomField(-1), Operator.EQ, Value("x")))


def test_deep_built_trees_print_without_recursion() -> None:
    clause = field_eq("a", "b")
    for index in range(5000):
        clause = Not(clause) if index % 2 else Or((clause, field_eq("c", "d")))
    assert to_jql(clause).count("NOT") == 2500
