"""``parse(text) -> Query``: JQL text to the immutable AST.

The grammar (``grammar.lark``) is LALR(1): lark builds the tables, ``lalr.Tables`` runs
them with an explicit stack, and the callbacks below build the tree bottom-up while
parsing, so deep nesting never recurses in Python. Tokens come from ``tokens.tokenize``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Final

from ticketlens.jql.ast import (
    And,
    Clause,
    CustomField,
    Empty,
    Field,
    FieldRef,
    FunctionCall,
    HistoryKind,
    HistoryPredicate,
    Not,
    Operand,
    Operator,
    Or,
    OrderItem,
    PropertyField,
    Query,
    Span,
    Terminal,
    Value,
    ValueList,
)
from ticketlens.jql.errors import JQLSyntaxError, line_and_column
from ticketlens.jql.lalr import Stuck, Tables
from ticketlens.jql.lexicon import unescape
from ticketlens.jql.messages import syntax_error
from ticketlens.jql.tokens import Tok, tokenize

_PROPERTY_SUFFIX: Final = ".property"
_OPERATORS: Final[dict[str, Operator]] = {op.value: op for op in Operator}


def parse(text: str) -> Query:
    """Parse JQL ``text`` into a Query, or raise JQLSyntaxError saying where and why."""
    if not isinstance(text, str):
        raise TypeError(f"parse() takes a str, not {type(text).__name__}")
    tokens = tokenize(text)
    try:
        result: Query = _tables().run(tokens)
    except Stuck as stuck:
        raise syntax_error(text, tokens, stuck) from None
    except _ShapeError as error:
        line, column = line_and_column(text, error.position)
        raise JQLSyntaxError(error.position, line, column, error.text, (), error.message) from None
    return result


@cache
def _tables() -> Tables:
    """Build the LALR tables on first use (lark is imported only then, keeping imports fast)."""
    from lark import Lark, Transformer
    from lark.lexer import Lexer

    class NoLexer(Lexer):
        """Tokens come from ``tokenize``; lark only builds the tables."""

        def __init__(self, lexer_conf: Any) -> None:
            pass

        def lex(self, *_: Any) -> Any:  # pragma: no cover - never called
            raise NotImplementedError

    callbacks = type("Callbacks", (_Build, Transformer), {})
    grammar = Path(__file__).with_name("grammar.lark").read_text(encoding="utf-8")
    lark = Lark(
        grammar,
        parser="lalr",
        lexer=NoLexer,
        transformer=callbacks(),
        start="start",
        maybe_placeholders=False,
    )
    return Tables(lark)


class _ShapeError(Exception):
    """A token sequence the grammar allows but JQL does not mean (raised from callbacks)."""

    def __init__(self, position: int, text: str, message: str) -> None:
        super().__init__(message)
        self.position = position
        self.text = text
        self.message = message


def _pos(token: Tok) -> int:
    return token.start_pos


def _endpos(token: Tok) -> int:
    return token.end_pos


def _span(first: Tok, last: Tok) -> Span:
    return Span(_pos(first), _endpos(last))


def _text(token: Tok) -> str:
    raw: str = token.value
    if token.type == "STRING":
        return unescape(raw[1:-1])
    return unescape(raw)


def _start(node: Any) -> int:
    span: Span | None = node.span
    return span.start if span else 0


def _end(node: Any) -> int:
    span: Span | None = node.span
    return span.end if span else 0


class _Build:
    """Parser callbacks: each turns one grammar rule's children into an AST node."""

    # ------------------------------------------------------------ query and clauses

    def query(self, children: list[Any]) -> Query:
        where: Clause | None = None
        order: tuple[OrderItem, ...] = ()
        for child in children:
            if isinstance(child, tuple):
                order = child
            else:
                where = child
        return Query(where, order)

    def or_expr(self, children: list[Clause]) -> Or:
        clauses: list[Clause] = []
        for child in children:
            if isinstance(child, Or):
                clauses.extend(child.clauses)
            else:
                clauses.append(child)
        return Or(tuple(clauses), Span(_start(children[0]), _end(children[-1])))

    def and_expr(self, children: list[Clause]) -> And:
        clauses: list[Clause] = []
        for child in children:
            if isinstance(child, And):
                clauses.extend(child.clauses)
            else:
                clauses.append(child)
        return And(tuple(clauses), Span(_start(children[0]), _end(children[-1])))

    def group(self, children: list[Any]) -> Clause:
        clause: Clause = children[1]
        return clause

    def negation(self, children: list[Any]) -> Not:
        keyword, clause = children
        return Not(clause, Span(_pos(keyword), _end(clause)))

    # ------------------------------------------------------------ terminal clauses

    def t_compare(self, children: list[Any]) -> Terminal:
        field, op, operand = children
        return Terminal(field, _OPERATORS[op.value], operand, (), _clause_span(field, operand))

    def t_in(self, children: list[Any]) -> Terminal:
        field, _, operand = children
        return Terminal(field, Operator.IN, operand, (), _clause_span(field, operand))

    def t_not_in(self, children: list[Any]) -> Terminal:
        field, _, _, operand = children
        return Terminal(field, Operator.NOT_IN, operand, (), _clause_span(field, operand))

    def t_is(self, children: list[Any]) -> Terminal:
        field, _, empty = children
        operand = Empty(Span(_pos(empty), _endpos(empty)))
        return Terminal(field, Operator.IS, operand, (), _clause_span(field, operand))

    def t_is_not(self, children: list[Any]) -> Terminal:
        field, _, _, empty = children
        operand = Empty(Span(_pos(empty), _endpos(empty)))
        return Terminal(field, Operator.IS_NOT, operand, (), _clause_span(field, operand))

    def t_was(self, children: list[Any]) -> Terminal:
        return _history(Operator.WAS, children[0], children[2], children[3:])

    def t_was_not(self, children: list[Any]) -> Terminal:
        return _history(Operator.WAS_NOT, children[0], children[3], children[4:])

    def t_was_in(self, children: list[Any]) -> Terminal:
        return _history(Operator.WAS_IN, children[0], children[3], children[4:])

    def t_was_not_in(self, children: list[Any]) -> Terminal:
        return _history(Operator.WAS_NOT_IN, children[0], children[4], children[5:])

    def t_changed(self, children: list[Any]) -> Terminal:
        field, keyword, *predicates = children
        end = _end(predicates[-1]) if predicates else _endpos(keyword)
        span = Span(_start(field), end)
        return Terminal(field, Operator.CHANGED, None, tuple(predicates), span)

    def was_pred(self, children: list[Any]) -> HistoryPredicate:
        keyword, operand = children
        kind: HistoryKind = keyword.type
        return HistoryPredicate(kind, operand, Span(_pos(keyword), _end(operand)))

    changed_pred = was_pred

    # ------------------------------------------------------------ operands

    def value(self, children: list[Tok]) -> Value:
        (token,) = children
        return Value(_text(token), token.type == "STRING", _span(token, token))

    def empty(self, children: list[Tok]) -> Empty:
        (token,) = children
        return Empty(_span(token, token))

    def function(self, children: list[Tok]) -> FunctionCall:
        name, _, *args, close = children
        end = _endpos(close)
        return FunctionCall(_text(name), tuple(_text(arg) for arg in args), Span(_pos(name), end))

    def value_list(self, children: list[Any]) -> ValueList:
        items: list[Value | Empty | FunctionCall] = []
        for child in children[1:-1]:
            if isinstance(child, ValueList):
                # Jira resolves a nested list to its values; keep one flat list.
                items.extend(child.items)
            else:
                items.append(child)
        return ValueList(tuple(items), _span(children[0], children[-1]))

    # ------------------------------------------------------------ fields and ORDER BY

    def plain_field(self, children: list[Tok]) -> Field:
        (token,) = children
        return Field(_text(token), token.type == "STRING", _span(token, token))

    def custom_field(self, children: list[Tok]) -> CustomField:
        keyword, number = children
        if not number.value.isascii() or not number.value.isdigit():
            raise _ShapeError(
                _pos(number),
                number.value,
                f"A custom field id is a number, as in cf[10010]; found '{number.value}'",
            )
        return CustomField(int(number.value), _span(keyword, number))

    def property_field(self, children: list[Tok]) -> PropertyField:
        entity_token, key_token, *path_tokens = children
        entity = _text(entity_token)
        if not entity.lower().endswith(_PROPERTY_SUFFIX) or len(entity) == len(_PROPERTY_SUFFIX):
            raise _ShapeError(
                _pos(entity_token),
                entity_token.value,
                "Only entity properties take [...]: write ENTITY.property[KEY].path, "
                f"as in issue.property[support].level; found '{entity_token.value}['",
            )
        path = _property_path(key_token, path_tokens)
        last = path_tokens[-1] if path_tokens else key_token
        return PropertyField(
            entity[: -len(_PROPERTY_SUFFIX)],
            _text(key_token),
            path,
            Span(_pos(entity_token), _endpos(last)),
        )

    def chained_property(self, children: list[Any]) -> FieldRef:
        first: Tok = children[0]
        raise _ShapeError(
            _pos(first),
            str(first.value),
            "A field takes one [...] accessor, as in issue.property[support].level; "
            "Jira has no field with several",
        )

    def order_by(self, children: list[Any]) -> tuple[OrderItem, ...]:
        return tuple(children[1:])

    def order_item(self, children: list[Any]) -> OrderItem:
        field = children[0]
        if len(children) == 1:
            return OrderItem(field, None, field.span)
        direction = children[1]
        return OrderItem(field, direction.type, Span(_start(field), _endpos(direction)))


def _clause_span(field: FieldRef, operand: Operand) -> Span:
    return Span(_start(field), _end(operand))


def _history(
    operator: Operator, field: FieldRef, operand: Operand, predicates: list[HistoryPredicate]
) -> Terminal:
    end = _end(predicates[-1]) if predicates else _end(operand)
    return Terminal(field, operator, operand, tuple(predicates), Span(_start(field), end))


def _property_path(key: Tok, tokens: list[Tok]) -> tuple[str, ...]:
    """``.a.b`` after ``[key]``: bare words split on dots, quoted words are one segment."""
    segments: list[str] = []
    pending_dot = False
    for token in tokens:
        if token.type == "STRING":
            if not pending_dot:
                raise _path_error(token)
            segments.append(_text(token))
            pending_dot = False
            continue
        pieces = _text(token).split(".")
        if pieces[0]:
            if not pending_dot:
                raise _path_error(token)
            segments.append(pieces[0])
            pending_dot = False
        for piece in pieces[1:]:
            if piece:
                segments.append(piece)
                pending_dot = False
            elif pending_dot:
                raise _path_error(token)
            else:
                pending_dot = True
    if pending_dot:
        last = tokens[-1]
        raise _ShapeError(
            _endpos(last) - 1, ".", "A property path cannot end with '.': add the next segment"
        )
    return tuple(segments)


def _path_error(token: Tok) -> _ShapeError:
    return _ShapeError(
        _pos(token),
        token.value,
        "A property path is a series of '.segment' after ']', "
        f"as in issue.property[support].level; found '{token.value}'",
    )
