"""Turn a parser that got stuck into a JQLSyntaxError a person can act on.

The message names what was expected in JQL's words ("a value", "an operator", "')'"),
the token it followed, and what was found, e.g. "Expected a value or EMPTY after '='".
"""

from __future__ import annotations

from typing import Final

from ticketlens.jql.errors import JQLSyntaxError, line_and_column
from ticketlens.jql.lalr import END, Stuck
from ticketlens.jql.tokens import Tok

_DESCRIBE: Final[dict[str, str]] = {
    "WORD": "a value",
    "STRING": "a value",
    "EMPTY": "EMPTY",
    "LPAR": "'('",
    "RPAR": "')'",
    "_COMMA": "','",
    "_LBRACK": "'['",
    "_RBRACK": "']'",
    "_AND": "AND",
    "_OR": "OR",
    "_ORDER": "ORDER BY",
    "IN": "IN",
    "NOT": "NOT",
    "BANG": "NOT",
    "ASC": "ASC",
    "DESC": "DESC",
    END: "the end of the query",
}
_OPERATORS: Final = "an operator (=, !=, >, >=, <, <=, ~, !~, IN, NOT IN, IS, WAS, CHANGED)"
_PREDICATE_ORDER: Final = ("AFTER", "BEFORE", "ON", "DURING", "BY", "FROM", "TO")
_PREDICATES: Final = frozenset(_PREDICATE_ORDER)
_KEYWORDS: Final = frozenset(
    {"EMPTY", "IN", "IS", "WAS", "CHANGED", "ASC", "DESC", "CF", "NOT", "_AND", "_OR"} | _PREDICATES
)


def describe(expected: set[str], previous: Tok | None) -> tuple[str, ...]:
    """What ``expected`` terminals mean to a person, most useful first."""
    if "EQOP" in expected:
        return (_OPERATORS,)
    phrases: list[str] = []
    handled: set[str] = set()
    if {"NOT", "WORD", "LPAR"} <= expected and "EMPTY" not in expected:
        phrases += ["a field name", "NOT", "'('"]
        handled |= {"NOT", "BANG", "WORD", "STRING", "LPAR", "CF"}
    elif "CF" in expected:
        phrases.append("a field name")
        handled |= {"WORD", "STRING", "CF"}
    elif "WORD" in expected:
        if previous is not None and previous.type == "IN" and "EMPTY" not in expected:
            phrases.append("a list in parentheses or a function")
            handled |= {"WORD", "STRING", "LPAR"}
        else:
            phrases.append("a value")
            handled |= {"WORD", "STRING"}
        if "EMPTY" in expected:
            phrases.append("EMPTY")
            handled.add("EMPTY")
        if "LPAR" in expected and previous is not None and previous.type != "WORD":
            phrases.append("a list in parentheses")
            handled.add("LPAR")
    predicates = sorted(expected & _PREDICATES, key=_PREDICATE_ORDER.index)
    if predicates:
        phrases.append(f"a history predicate ({', '.join(predicates)})")
        handled |= _PREDICATES
    for name in sorted(expected - handled):
        phrase = _DESCRIBE.get(name, name)
        if phrase not in phrases:
            phrases.append(phrase)
    return tuple(phrases)


def syntax_error(text: str, tokens: list[Tok], stuck: Stuck) -> JQLSyntaxError:
    """The JQLSyntaxError for a parser stuck at ``stuck.token``."""
    token = stuck.token
    position = len(text) if token is None else token.start_pos
    previous = tokens[stuck.index - 1] if stuck.index > 0 else None
    accepted = stuck.expected()
    expected = describe(accepted, previous)
    found = "" if token is None else token.value
    line, column = line_and_column(text, position)
    if token is not None and (
        token.type == "RESERVED"
        or (token.type in _KEYWORDS and token.value.isalpha() and "WORD" in accepted)
    ):
        kind = "a reserved word" if token.type == "RESERVED" else "a JQL keyword"
        message = f"'{found}' is {kind}: put it in quotes (\"{found}\") to use it as a value"
        return JQLSyntaxError(position, line, column, found, expected, message)
    what = expected[0] if len(expected) == 1 else ", ".join(expected[:-1]) + " or " + expected[-1]
    message = f"Expected {what}"
    if previous is not None:
        message += f" after '{previous.value}'"
    if token is not None:
        message += f" but found '{found}'"
    return JQLSyntaxError(position, line, column, found, expected, message)
