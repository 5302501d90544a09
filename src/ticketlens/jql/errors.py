"""Errors raised by ``ticketlens.jql``.

::

    JQLError                 anything this package refuses
    ├── JQLSyntaxError       text that is not valid JQL (where, what was found, what was expected)
    └── JQLBuildError        a builder asked to make a query JQL cannot express
"""

from __future__ import annotations


class JQLError(ValueError):
    """Base class of every error raised by ``ticketlens.jql``."""


class JQLSyntaxError(JQLError):
    """Text that is not valid JQL.

    ``position`` is the 0-based character offset, ``line`` and ``column`` are 1-based,
    ``text`` is the offending text (empty at the end of the query) and ``expected``
    names what would have been accepted there.
    """

    def __init__(
        self,
        position: int,
        line: int,
        column: int,
        text: str,
        expected: tuple[str, ...] = (),
        message: str | None = None,
    ) -> None:
        self.position = position
        self.line = line
        self.column = column
        self.text = text
        self.expected = tuple(expected)
        self.message = message or _default_message(text, self.expected)
        super().__init__(f"{self.message} at line {line}, column {column}")

    def __reduce__(self) -> tuple[object, ...]:
        args = (self.position, self.line, self.column, self.text, self.expected, self.message)
        return (type(self), args)


class JQLBuildError(JQLError):
    """A builder was asked for something JQL cannot express, e.g. ``IN`` with no values."""


def _default_message(text: str, expected: tuple[str, ...]) -> str:
    found = f"'{text}'" if text else "the end of the query"
    if not expected:
        return f"Unexpected {found}"
    return f"Expected {_one_of(expected)}, found {found}"


def _one_of(expected: tuple[str, ...]) -> str:
    if len(expected) == 1:
        return expected[0]
    return ", ".join(expected[:-1]) + " or " + expected[-1]


def line_and_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a 0-based ``position`` in ``text``."""
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return line, column
