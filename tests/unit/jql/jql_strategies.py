"""Hypothesis strategies for JQL: query *text* (for parity with Atlassian's parser and for
fuzzing) and query *trees* (for the round-trip property)."""

from __future__ import annotations

import random
from functools import cache

from hypothesis import strategies as st

from ticketlens.jql import (
    Clause,
    CustomField,
    Empty,
    Field,
    FieldRef,
    FunctionCall,
    HistoryPredicate,
    Not,
    Operand,
    Operator,
    OrderItem,
    PropertyField,
    Query,
    Terminal,
    Value,
    ValueList,
    and_,
    or_,
)
from ticketlens.jql.lexicon import RESERVED_WORDS

# ---------------------------------------------------------------- query text

FIELD_NAMES = [
    "project",
    "status",
    "assignee",
    "labels",
    "component",
    "fixVersion",
    "created",
    "updated",
    "priority",
    "statusCategory",
    "summary",
    "text",
    "key",
    "issuetype",
    "duedate",
    "resolution",
    "reporter",
    "parent",
    "sprint",
    "Team",
    "α-field",
    "due.date",
    "Flagged:x",
]
QUOTED_FIELDS = ['"Story Points"', "'Epic Link'", '"cf[10010]"', '"order"', '"a\\"b"']
WORDS = [
    "PAY",
    "ABC-12",
    "-7d",
    "-1w",
    "10",
    "3.14",
    "jsmith",
    "Done",
    "payments-api",
    "x.y",
    "a:b",
    "café",
    "x_y",
    "`tick`",
    "-",
    "--",
    "1e5",
    "..",
    "a\\ b",
    'a\\"b',
    "\\u0041",
    "a\\tb",
]
QUOTED_VALUES = [
    '"To Do"',
    "'In Progress'",
    '""',
    "''",
    '"2024-01-01 10:00"',
    '"2024/01/01"',
    '"-1w 2d"',
    '"select"',
    '"x\\" OR project = \\"y"',
    "'it\\'s'",
    '"tab\\there"',
    '"new\\nline"',
    '"\\u00e9t\\u00E9"',
    '"a\\\\b"',
    '"a\\ b"',
    '"(a, b)"',
    "'\"'",
    '"#$%^&*"',
]
FUNCTIONS = [
    "now",
    "currentUser",
    "startOfDay",
    "endOfWeek",
    "membersOf",
    "issueHistory",
    "openSprints",
    "releasedVersions",
    "linkedIssues",
    "updatedBy",
    '"quoted fn"',
    "12",
]
FUNCTION_ARGS = ["-1d", '"jira users"', "'x'", "ABC-1", "10", '"2024-01-01"', "a.b"]
RESERVED_SAMPLE = sorted(RESERVED_WORDS)


def _case(draw: st.DrawFn, word: str) -> str:
    style = draw(st.integers(0, 3))
    if style == 0:
        return word.upper()
    if style == 1:
        return word.lower()
    if style == 2:
        return word.capitalize()
    return "".join(c.upper() if i % 2 else c for i, c in enumerate(word))


_SPACE = st.sampled_from([" ", " ", " ", "  ", "\t", "\n", " \r\n "])
_TIGHT = st.sampled_from(["", " ", " ", "\n"])


@cache
@st.composite
def field_texts(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 9))
    if kind <= 5:
        return draw(st.sampled_from(FIELD_NAMES))
    if kind == 6:
        return draw(st.sampled_from(QUOTED_FIELDS))
    if kind == 7:
        cf = _case(draw, "cf")
        return f"{cf}[{draw(st.integers(0, 99999))}]"
    key = draw(st.sampled_from(["support", '"my key"', "x1", "'k'"]))
    path = draw(st.sampled_from(["", ".level", ".a.b", '."c d"', ".x.y.z"]))
    return f"issue.{_case(draw, 'property')}[{key}]{path}"


@cache
@st.composite
def value_texts(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 9))
    if kind <= 4:
        return draw(st.sampled_from(WORDS))
    if kind <= 7:
        return draw(st.sampled_from(QUOTED_VALUES))
    if kind == 8:
        return f'"{draw(st.sampled_from(RESERVED_SAMPLE))}"'
    return draw(st.from_regex(r"[A-Za-z][A-Za-z0-9\-_.]{0,8}", fullmatch=True)).replace("..", ".")


@cache
@st.composite
def function_texts(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(FUNCTIONS))
    args = draw(st.lists(st.sampled_from(FUNCTION_ARGS), max_size=3))
    sep = draw(st.sampled_from([", ", ",", " , "]))
    return f"{name}({sep.join(args)})"


def _empty(draw: st.DrawFn) -> str:
    return _case(draw, draw(st.sampled_from(["empty", "null"])))


@cache
@st.composite
def list_texts(draw: st.DrawFn, depth: int = 0) -> str:
    items = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.integers(0, 9))
        if kind <= 5:
            items.append(draw(value_texts()))
        elif kind <= 7:
            items.append(draw(function_texts()))
        elif kind == 8 or depth > 0:
            items.append(_empty(draw))
        else:
            items.append(draw(list_texts(depth=1)))
    return "(" + draw(st.sampled_from([", ", ",", " ,"])).join(items) + ")"


@cache
@st.composite
def operand_texts(draw: st.DrawFn, allowed: str) -> str:
    """An operand of one of the kinds in ``allowed``: v(alue) e(mpty) f(unction) l(ist)."""
    kind = draw(st.sampled_from(list(allowed)))
    if kind == "v":
        return draw(value_texts())
    if kind == "e":
        return _empty(draw)
    if kind == "f":
        return draw(function_texts())
    return draw(list_texts())


def _kw(draw: st.DrawFn, *words: str) -> str:
    space = draw(_SPACE)
    return space.join(_case(draw, word) for word in words)


@cache
@st.composite
def predicate_texts(draw: st.DrawFn, kinds: tuple[str, ...]) -> str:
    parts = []
    for kind in draw(st.lists(st.sampled_from(kinds), max_size=3)):
        operand = draw(operand_texts("vefl" if kind != "during" else "lvf"))
        parts.append(f"{_case(draw, kind)} {operand}")
    return "".join(" " + part for part in parts)


WAS_PREDICATES = ("after", "before", "on", "during", "by")
CHANGED_PREDICATES = (*WAS_PREDICATES, "from", "to")


@cache
@st.composite
def terminal_texts(draw: st.DrawFn) -> str:
    field = draw(field_texts())
    sp = draw(_TIGHT)
    kind = draw(st.integers(0, 12))
    if kind <= 3:
        op = draw(st.sampled_from(["=", "!=", "~", "!~"]))
        return f"{field}{sp}{op}{sp or ' '}{draw(operand_texts('vvvef'))}"
    if kind <= 5:
        op = draw(st.sampled_from([">", ">=", "<", "<="]))
        return f"{field}{sp}{op}{sp}{draw(operand_texts('vvf'))}"
    if kind <= 7:
        op = _kw(draw, "in") if kind == 6 else _kw(draw, "not", "in")
        return f"{field} {op} {draw(operand_texts('lllf'))}"
    if kind == 8:
        words = draw(st.sampled_from([("is",), ("is", "not")]))
        return f"{field} {_kw(draw, *words)} {_empty(draw)}"
    if kind == 9:
        op = _kw(draw, *draw(st.sampled_from([("was",), ("was", "not")])))
        operand = draw(operand_texts("vvef"))
        return f"{field} {op} {operand}{draw(predicate_texts(WAS_PREDICATES))}"
    if kind == 10:
        op = _kw(draw, *draw(st.sampled_from([("was", "in"), ("was", "not", "in")])))
        operand = draw(operand_texts("llf"))
        return f"{field} {op} {operand}{draw(predicate_texts(WAS_PREDICATES))}"
    return f"{field} {_case(draw, 'changed')}{draw(predicate_texts(CHANGED_PREDICATES))}"


@cache
@st.composite
def clause_texts(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 9)) if depth < 3 else 0
    if kind <= 4:
        return draw(terminal_texts())
    if kind <= 6:
        joiner = draw(st.sampled_from(["and", "AND", "&&", "&", "or", "OR", "||", "|"]))
        parts = draw(st.lists(clause_texts(depth=depth + 1), min_size=2, max_size=3))
        return f" {joiner} ".join(parts)
    if kind == 7:
        neg = draw(st.sampled_from(["not ", "NOT ", "!", "! ", "not"]))
        inner = draw(clause_texts(depth=depth + 1))
        if neg == "not" or " " in inner.strip():
            return f"{neg}({inner})"
        return f"{neg}{inner}"
    return f"({draw(_TIGHT)}{draw(clause_texts(depth=depth + 1))}{draw(_TIGHT)})"


@cache
@st.composite
def order_by_texts(draw: st.DrawFn) -> str:
    items = []
    for _ in range(draw(st.integers(1, 3))):
        direction = draw(st.sampled_from(["", "", " asc", " DESC", " Asc"]))
        items.append(draw(field_texts()) + direction)
    return f"{_kw(draw, 'order', 'by')} {', '.join(items)}"


@cache
@st.composite
def query_texts(draw: st.DrawFn) -> str:
    """Mostly valid JQL written every way a person might write it."""
    where = draw(st.one_of(st.just(""), clause_texts(), clause_texts(), clause_texts()))
    order = draw(st.one_of(st.just(""), st.just(""), order_by_texts()))
    pad = draw(_TIGHT)
    return f"{pad}{where}{' ' if where and order else ''}{order}{pad}"


# ---------------------------------------------------------------- mutations

_NOISE = [
    *list("()[],=!<>~&|\"'\\#@*;?%$^+{}/ \t\n"),
    "and",
    "or",
    "not",
    "in",
    "is",
    "empty",
    "order by",
    "was",
    "changed",
    "select",
    "cf[",
    "after",
    "from",
    "\x00",
    "\ufffe",
    "é",
]


def mutate(text: str, rng: random.Random) -> str:
    """``text`` with one random edit: a deletion, an insertion, a swap or a truncation."""
    if not text:
        return rng.choice(_NOISE)
    choice = rng.randrange(6)
    i = rng.randrange(len(text))
    j = rng.randrange(i, min(len(text), i + 6) + 1)
    if choice == 0:
        return text[:i] + text[j:]
    if choice == 1:
        return text[:i] + rng.choice(_NOISE) + text[i:]
    if choice == 2:
        return text[:i] + text[j:] + text[i:j]
    if choice == 3:
        return text[:i]
    if choice == 4:
        return text[:i] + text[i:j].upper() + text[j:]
    return text[:i] + text[i:j] + text[i:j] + text[j:]


# ---------------------------------------------------------------- query trees

_any_text = st.text(max_size=12)
_names = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=10))

VALUES = st.builds(Value, st.one_of(st.sampled_from(["PAY", "-7d", "x y", "EMPTY"]), _any_text))
FUNCTIONS_CALLS = st.builds(
    FunctionCall,
    st.one_of(st.sampled_from(["now", "membersOf"]), st.text(min_size=1, max_size=8)),
    st.lists(_any_text, max_size=3).map(tuple),
)
EMPTIES = st.just(Empty())
VALUE_LISTS = st.lists(st.one_of(VALUES, FUNCTIONS_CALLS, EMPTIES), min_size=1, max_size=4).map(
    lambda items: ValueList(tuple(items))
)
FIELDS: st.SearchStrategy[FieldRef] = st.one_of(
    st.builds(Field, _names),
    st.builds(CustomField, st.integers(0, 10**9)),
    st.builds(
        PropertyField,
        st.one_of(st.just("issue"), st.text(min_size=1, max_size=6)),
        _any_text,
        st.lists(_any_text, max_size=3).map(tuple),
    ),
)

_SINGLE = st.one_of(VALUES, FUNCTIONS_CALLS)
_SINGLE_OR_EMPTY = st.one_of(VALUES, FUNCTIONS_CALLS, EMPTIES)
_LIST_OR_FUNCTION = st.one_of(VALUE_LISTS, FUNCTIONS_CALLS)
_OPERAND_FOR: dict[Operator, st.SearchStrategy[Operand | None]] = {
    Operator.EQ: _SINGLE_OR_EMPTY,
    Operator.NE: _SINGLE_OR_EMPTY,
    Operator.LIKE: _SINGLE_OR_EMPTY,
    Operator.NOT_LIKE: _SINGLE_OR_EMPTY,
    Operator.GT: _SINGLE,
    Operator.GE: _SINGLE,
    Operator.LT: _SINGLE,
    Operator.LE: _SINGLE,
    Operator.IN: _LIST_OR_FUNCTION,
    Operator.NOT_IN: _LIST_OR_FUNCTION,
    Operator.IS: EMPTIES,
    Operator.IS_NOT: EMPTIES,
    Operator.WAS: _SINGLE_OR_EMPTY,
    Operator.WAS_NOT: _SINGLE_OR_EMPTY,
    Operator.WAS_IN: _LIST_OR_FUNCTION,
    Operator.WAS_NOT_IN: _LIST_OR_FUNCTION,
    Operator.CHANGED: st.none(),
}
_PREDICATE_OPERAND = st.one_of(VALUES, FUNCTIONS_CALLS, VALUE_LISTS, EMPTIES)


def _predicate_lists(kinds: list[str]) -> st.SearchStrategy[tuple[HistoryPredicate, ...]]:
    predicate = st.builds(HistoryPredicate, st.sampled_from(kinds), _PREDICATE_OPERAND)
    return st.lists(predicate, max_size=3).map(tuple)


_WAS_PREDICATES = _predicate_lists(["AFTER", "BEFORE", "ON", "DURING", "BY"])
_PREDICATES_FOR: dict[Operator, st.SearchStrategy[tuple[HistoryPredicate, ...]]] = {
    Operator.WAS: _WAS_PREDICATES,
    Operator.WAS_NOT: _WAS_PREDICATES,
    Operator.WAS_IN: _WAS_PREDICATES,
    Operator.WAS_NOT_IN: _WAS_PREDICATES,
    Operator.CHANGED: _predicate_lists(["AFTER", "BEFORE", "ON", "DURING", "BY", "FROM", "TO"]),
}
_NO_PREDICATES: st.SearchStrategy[tuple[HistoryPredicate, ...]] = st.just(())


@cache
@st.composite
def terminals(draw: st.DrawFn) -> Terminal:
    operator = draw(st.sampled_from(list(Operator)))
    return Terminal(
        draw(FIELDS),
        operator,
        draw(_OPERAND_FOR[operator]),
        draw(_PREDICATES_FOR.get(operator, _NO_PREDICATES)),
    )


def _combine(children: st.SearchStrategy[Clause]) -> st.SearchStrategy[Clause]:
    # The builders flatten same-kind children, keeping the tree in parse()'s shape.
    many = st.lists(children, min_size=2, max_size=4)
    return st.one_of(
        many.map(lambda cs: and_(*cs)), many.map(lambda cs: or_(*cs)), st.builds(Not, children)
    )


CLAUSES: st.SearchStrategy[Clause] = st.recursive(terminals(), _combine, max_leaves=8)
QUERIES: st.SearchStrategy[Query] = st.builds(
    Query,
    st.one_of(st.none(), CLAUSES),
    st.lists(st.builds(OrderItem, FIELDS, st.sampled_from(["ASC", "DESC", None])), max_size=3).map(
        tuple
    ),
)
