"""Properties: parse() only ever returns a Query or raises JQLSyntaxError, printing
round-trips, and deep or long input ends cleanly.

``make test`` runs 5,000 fuzz cases; ``make fuzz`` sets TICKETLENS_FUZZ_EXAMPLES=200000.
"""

from __future__ import annotations

import os
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jql_strategies import QUERIES, mutate, query_texts

from ticketlens.jql import JQLSyntaxError, Query, parse, to_jql
from ticketlens.jql.tokens import MAX_NESTING

FUZZ_EXAMPLES = int(os.environ.get("TICKETLENS_FUZZ_EXAMPLES", "5000"))

_fuzz = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

_JQL_ALPHABET = st.sampled_from(
    [
        *"ab1-. ()[],=!~<>&|\"'\\\t\n#é",
        "and ",
        "or ",
        "not ",
        "in ",
        "is ",
        "was ",
        "empty",
        "changed ",
        "order by ",
        "cf[",
        "asc",
        "by ",
        "after ",
        "\\u00e9",
        "\\u00",
        "\x00",
    ]
)
_TEXTS = st.one_of(
    st.text(max_size=80),
    st.lists(_JQL_ALPHABET, max_size=30).map("".join),
    query_texts(),
    st.tuples(query_texts(), st.randoms(use_true_random=False)).map(
        lambda pair: mutate(pair[0], pair[1])
    ),
)


def _parse_or_error(text: str) -> Query | JQLSyntaxError:
    try:
        return parse(text)
    except JQLSyntaxError as error:
        return error


@_fuzz
@given(_TEXTS)
def test_fuzz_parse_returns_a_query_or_raises_jql_syntax_error(text: str) -> None:
    result = _parse_or_error(text)
    if isinstance(result, JQLSyntaxError):
        assert 0 <= result.position <= len(text)
        assert result.line >= 1 and result.column >= 1
        assert str(result).endswith(f"at line {result.line}, column {result.column}")
    else:
        assert isinstance(result, Query)
        printed = to_jql(result)
        assert parse(printed) == result


@settings(max_examples=1000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(QUERIES)
def test_round_trip_parse_of_canonical_print_gives_the_same_tree(query: Query) -> None:
    printed = to_jql(query)
    assert parse(printed) == query
    assert to_jql(parse(printed)) == printed


def test_fuzz_budget_is_at_least_5000_cases() -> None:
    assert FUZZ_EXAMPLES >= 5000


def test_parentheses_up_to_the_nesting_limit_parse() -> None:
    depth = MAX_NESTING
    assert parse("(" * depth + "a = b" + ")" * depth) == parse("a = b")


def test_a_thousand_levels_of_parentheses_is_a_clean_syntax_error() -> None:
    text = "(" * 1000 + "a = b" + ")" * 1000
    try:
        parse(text)
    except JQLSyntaxError as error:
        assert "nest more than" in str(error)
        assert error.position == MAX_NESTING
    else:
        raise AssertionError("1,000 levels of nesting should be refused")


def test_deep_not_chains_and_alternating_groups_end_cleanly() -> None:
    for text in (
        "not " * 1000 + "a = b",
        "!" * 1000 + "a = b",
        "a = b" + " and (c = d or (e = f" * 600 + "))" * 600,
    ):
        result = _parse_or_error(text)
        assert isinstance(result, JQLSyntaxError)
    deep_not = parse("not " * (MAX_NESTING - 1) + "a = b")
    assert to_jql(deep_not).count("NOT") == MAX_NESTING - 1


def test_unbalanced_deep_input_is_a_syntax_error_not_a_crash() -> None:
    assert isinstance(_parse_or_error("(" * 100_000), JQLSyntaxError)
    assert isinstance(_parse_or_error(")" * 100_000), JQLSyntaxError)
    assert isinstance(_parse_or_error('"' + "a" * 100_000), JQLSyntaxError)


def test_hundred_kilobyte_queries_parse_and_print() -> None:
    rng = random.Random(7)
    clauses = []
    while sum(len(c) + 4 for c in clauses) < 100_010:
        clauses.append(f'labels = "label-{rng.randrange(10**6)}"')
    text = " OR ".join(clauses)
    assert len(text) >= 100_000
    query = parse(text)
    assert parse(to_jql(query)) == query
    long_list = "key in (" + ", ".join(f"PAY-{i}" for i in range(12_000)) + ")"
    assert len(long_list) >= 100_000
    assert parse(to_jql(parse(long_list))) == parse(long_list)


def test_hundred_kilobyte_garbage_is_a_syntax_error() -> None:
    rng = random.Random(11)
    alphabet = "ab (=),'\"\\"
    text = "".join(rng.choice(alphabet) for _ in range(100_000))
    assert isinstance(_parse_or_error(text), JQLSyntaxError)
