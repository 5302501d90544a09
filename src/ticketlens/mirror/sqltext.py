"""A text expression compared byte-wise on both databases.

SQLite compares text with BINARY by default; PostgreSQL uses the database's collation,
which may sort ``a`` and ``B`` differently. ORDER BY and keyset comparisons on text
go through ``binary_text`` so both backends order rows identically.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.expression import FunctionElement


class binary_text(FunctionElement[str]):
    """``expr COLLATE "C"`` on PostgreSQL, ``expr`` on SQLite."""

    type = String()
    inherit_cache = True
    name = "binary_text"

    def __init__(self, expr: ColumnElement[Any]) -> None:
        super().__init__(expr)


@compiles(binary_text)
def _default(element: binary_text, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(binary_text, "postgresql")
def _postgresql(element: binary_text, compiler: Any, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)} COLLATE "C")'
