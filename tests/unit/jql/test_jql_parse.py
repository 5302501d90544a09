"""parse(): the AST that JQL text becomes, and the errors for text that isn't JQL."""

from __future__ import annotations

import pytest

from ticketlens.jql import (
    And,
    CustomField,
    Empty,
    Field,
    FunctionCall,
    HistoryPredicate,
    JQLSyntaxError,
    Not,
    Operator,
    Or,
    OrderItem,
    PropertyField,
    Query,
    Terminal,
    Value,
    ValueList,
    parse,
)


def eq(name: str, text: str) -> Terminal:
    return Terminal(Field(name), Operator.EQ, Value(text))


def test_simple_equality_becomes_one_terminal_clause() -> None:
    assert parse("project = PAY") == Query(eq("project", "PAY"))


def test_empty_text_is_the_empty_query() -> None:
    assert parse("") == Query()
    assert parse("  \n\t ") == Query()


def test_and_binds_tighter_than_or_and_not_tighter_than_and() -> None:
    query = parse("a = 1 OR NOT b = 2 AND c = 3")
    assert query.where == Or((eq("a", "1"), And((Not(eq("b", "2")), eq("c", "3")))))


def test_chains_and_parenthesised_groups_of_the_same_kind_are_flattened() -> None:
    query = parse("a = 1 and (b = 2 and c = 3) and d = 4")
    assert query.where == And((eq("a", "1"), eq("b", "2"), eq("c", "3"), eq("d", "4")))


def test_symbol_forms_of_logic_mean_the_same_as_the_words() -> None:
    words = parse("not a = 1 and b = 2 or c = 3")
    assert parse("!a = 1 && b = 2 || c = 3") == words
    assert parse("!a=1&b=2|c=3") == words


def test_keywords_are_case_insensitive() -> None:
    assert parse("a = 1 AnD b iS nOt EmPtY oRdEr By c DeSc") == parse(
        "a = 1 and b is not empty order by c desc"
    )


def test_null_and_empty_are_the_same_operand() -> None:
    assert parse("a is null") == parse("a is EMPTY")
    assert parse("a = null").where == Terminal(Field("a"), Operator.EQ, Empty())


@pytest.mark.parametrize(
    ("text", "operator"),
    [
        ("a = b", Operator.EQ),
        ("a != b", Operator.NE),
        ("a > b", Operator.GT),
        ("a >= b", Operator.GE),
        ("a < b", Operator.LT),
        ("a <= b", Operator.LE),
        ("a ~ b", Operator.LIKE),
        ("a !~ b", Operator.NOT_LIKE),
    ],
)
def test_comparison_operators(text: str, operator: Operator) -> None:
    assert parse(text).where == Terminal(Field("a"), operator, Value("b"))


def test_in_and_not_in_take_lists_with_functions_and_empty() -> None:
    where = parse('a in (x, "y z", membersOf("jira users"), EMPTY)').where
    assert where == Terminal(
        Field("a"),
        Operator.IN,
        ValueList((Value("x"), Value("y z"), FunctionCall("membersOf", ("jira users",)), Empty())),
    )
    assert parse("a not in (x)").where == Terminal(
        Field("a"), Operator.NOT_IN, ValueList((Value("x"),))
    )


def test_nested_lists_are_flattened() -> None:
    assert parse("a in (x, (y, z))") == parse("a in (x, y, z)")


def test_history_operators_carry_their_predicates() -> None:
    where = parse('status was "In Progress" by jsmith during ("2024-01-01", now())').where
    assert where == Terminal(
        Field("status"),
        Operator.WAS,
        Value("In Progress"),
        (
            HistoryPredicate("BY", Value("jsmith")),
            HistoryPredicate("DURING", ValueList((Value("2024-01-01"), FunctionCall("now")))),
        ),
    )
    changed = parse("status changed from Open to Done after -1w").where
    assert changed == Terminal(
        Field("status"),
        Operator.CHANGED,
        None,
        (
            HistoryPredicate("FROM", Value("Open")),
            HistoryPredicate("TO", Value("Done")),
            HistoryPredicate("AFTER", Value("-1w")),
        ),
    )


def test_was_variants() -> None:
    assert parse("a was not b").where == Terminal(Field("a"), Operator.WAS_NOT, Value("b"))
    assert parse("a was in (b)").where == Terminal(
        Field("a"), Operator.WAS_IN, ValueList((Value("b"),))
    )
    assert parse("a was not in (b)").where == Terminal(
        Field("a"), Operator.WAS_NOT_IN, ValueList((Value("b"),))
    )


def test_quoted_and_custom_and_property_fields() -> None:
    assert parse('"Story Points" > 3').where == Terminal(
        Field("Story Points"), Operator.GT, Value("3")
    )
    assert parse("cf[10010] = x").where == Terminal(CustomField(10010), Operator.EQ, Value("x"))
    assert parse("issue.property[support].level = high").where == Terminal(
        PropertyField("issue", "support", ("level",)), Operator.EQ, Value("high")
    )


def test_order_by_keeps_directions_and_unspecified_direction() -> None:
    assert parse("order by created desc, key").order_by == (
        OrderItem(Field("created"), "DESC"),
        OrderItem(Field("key"), None),
    )


def test_unquoted_values_may_hold_dashes() -> None:
    assert parse("key = ABC-12 and created > -7d") == Query(
        And(
            (
                Terminal(Field("key"), Operator.EQ, Value("ABC-12")),
                Terminal(Field("created"), Operator.GT, Value("-7d")),
            )
        )
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r'a = "x\"y"', 'x"y'),
        (r"a = 'x\'y'", "x'y"),
        (r'a = "x\\y"', "x\\y"),
        (r'a = "x\ty"', "x\ty"),
        (r'a = "x\ny"', "x\ny"),
        (r'a = "x\ry"', "x\ry"),
        (r'a = "x\u00e9y"', "xéy"),
        (r'a = "x\ y"', "x y"),
        (r"a = x\ y", "x y"),
        ("a = 'say \"hi\"'", 'say "hi"'),
    ],
)
def test_string_escapes(text: str, expected: str) -> None:
    where = parse(text).where
    assert isinstance(where, Terminal)
    assert where.operand == Value(expected)


def test_quoting_is_remembered_but_not_compared() -> None:
    where = parse('a = "b"').where
    assert isinstance(where, Terminal) and isinstance(where.operand, Value)
    assert where.operand.quoted
    assert parse('a = "b"') == parse("a = b")


def test_spans_point_into_the_source() -> None:
    text = "project = PAY and labels in (a, b)"
    where = parse(text).where
    assert isinstance(where, And)
    first, second = where.clauses
    assert first.span is not None and text[first.span.start : first.span.end] == "project = PAY"
    assert second.span is not None
    assert text[second.span.start : second.span.end] == "labels in (a, b)"


def test_error_says_what_was_expected_and_where() -> None:
    with pytest.raises(JQLSyntaxError) as caught:
        parse("project = ")
    error = caught.value
    assert str(error) == "Expected a value or EMPTY after '=' at line 1, column 11"
    assert (error.position, error.line, error.column, error.text) == (10, 1, 11, "")
    assert "a value" in error.expected


def test_error_positions_count_lines() -> None:
    with pytest.raises(JQLSyntaxError) as caught:
        parse("a = b\nand c = \nd = e")
    assert (caught.value.line, caught.value.column, caught.value.text) == (3, 3, "=")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a = select", "'select' is a reserved word"),
        ("a = and", "'and' is a JQL keyword"),
        ('a = "open', "Unterminated string"),
        (r'a = "x\q"', "Invalid escape '\\q'"),
        ("a = b#c", "Unexpected character '#'"),
        ("a is b", "Expected EMPTY"),
        ("(a = b", "Expected ')'"),
        ("a = b)", "found ')'"),
        ("a in b", "Expected '('"),
        ("cf[abc] = 1", "custom field id is a number"),
        ("a = b order by", "Expected a field name after 'by'"),
    ],
)
def test_errors_read_well(text: str, fragment: str) -> None:
    with pytest.raises(JQLSyntaxError) as caught:
        parse(text)
    assert fragment in str(caught.value)


def test_error_is_a_value_error_for_callers_that_catch_broadly() -> None:
    with pytest.raises(ValueError, match="line 1"):
        parse("=")
