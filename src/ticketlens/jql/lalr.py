"""A lean driver for the LALR(1) tables lark builds from ``grammar.lark``.

Lark analyses the grammar and wraps our callbacks (dropping punctuation, inlining ``?``
rules); this loop then runs those tables over ``tokens.Tok`` objects with plain dicts
and ints. It does what lark's own loop does, minus the per-token bookkeeping we don't
use, which roughly doubles throughput. The stack is a list: no recursion, any depth.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

from ticketlens.jql.tokens import Tok

if TYPE_CHECKING:
    from lark import Lark

Reduce = tuple[int, str, Callable[[list[Any]], Any]]
Action = int | Reduce

END: Final = "$END"


class Stuck(Exception):
    """The parser cannot take ``token``; ``stack`` is the state stack at that point."""

    def __init__(self, token: Tok | None, index: int, stack: list[int], tables: Tables) -> None:
        super().__init__("syntax error")
        self.token = token
        self.index = index
        self.stack = stack
        self.tables = tables

    def expected(self) -> set[str]:
        """The terminals that could really come next.

        LALR merges look-aheads, so the failing state's table may list terminals that a
        pending reduction would then refuse; each is tried on a copy of the stack.
        """
        actions = self.tables.actions
        accepted: set[str] = set()
        for terminal in self.tables.terminals_of(self.stack[-1]):
            stack = list(self.stack)
            while True:
                action = actions[stack[-1]].get(terminal)
                if action is None:
                    break
                if isinstance(action, int):
                    accepted.add(terminal)
                    break
                size, origin, _ = action
                if size:
                    del stack[-size:]
                goto = actions[stack[-1]][origin]
                assert isinstance(goto, int)
                if terminal == END and goto == self.tables.end_state:
                    accepted.add(terminal)
                    break
                stack.append(goto)
        return accepted


class Tables:
    """Lark's parse table re-encoded: a shift (or goto) is an int, a reduce a tuple."""

    def __init__(self, lark: Lark, start: str = "start") -> None:
        inner = lark.parser.parser.parser
        table = inner.parse_table
        callbacks = inner.callbacks
        self.start_state: int = table.start_states[start]
        self.end_state: int = table.end_states[start]
        self.actions: dict[int, dict[str, Action]] = {}
        for state, row in table.states.items():
            encoded: dict[str, Action] = {}
            for name, (kind, arg) in row.items():
                if kind.name == "Shift":
                    encoded[name] = arg
                else:
                    encoded[name] = (len(arg.expansion), arg.origin.name, callbacks[arg])
            self.actions[state] = encoded

    def terminals_of(self, state: int) -> list[str]:
        return [name for name in self.actions[state] if name.isupper()]

    def run(self, tokens: Sequence[Tok]) -> Any:
        """The value the start rule's callback returns, or Stuck."""
        actions = self.actions
        end_state = self.end_state
        stack = [self.start_state]
        values: list[Any] = []
        push_state = stack.append
        push_value = values.append
        count = len(tokens)
        index = 0
        while True:
            if index < count:
                token: Tok | None = tokens[index]
                kind = token.type  # type: ignore[union-attr]
            else:
                token = None
                kind = END
            while True:
                action = actions[stack[-1]].get(kind)
                if action is None:
                    raise Stuck(token, index, stack, self)
                if action.__class__ is int:
                    push_state(action)
                    push_value(token)
                    break
                size, origin, callback = action  # type: ignore[misc]
                if size:
                    children = values[-size:]
                    del stack[-size:]
                    del values[-size:]
                else:
                    children = []
                goto: int = actions[stack[-1]][origin]  # type: ignore[assignment]
                if goto == end_state and kind == END:
                    return callback(children)
                push_state(goto)
                push_value(callback(children))
            index += 1
