"""``~`` and ``!~`` on summary, description and text, as word matching.

Jira evaluates these with Lucene. The mirror reproduces the parts that can be
reproduced exactly and refuses the rest (see docs/jira-semantics.md):
- words are folded and split as in ``ticketlens.mirror.words``; every word of the
  query must occur (in any order), English stop words are ignored;
- ``"\\"two words\\""`` is a phrase: the words adjacent, in order; a hyphenated or
  dotted term such as ``search-indexer`` is a phrase too;
- a trailing ``*`` is a prefix search (``index*``);
- Lucene's operators, fuzzy and proximity searches, boosts, ranges, ``?`` and leading
  wildcards are outside the subset.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import and_, false, or_
from sqlalchemy.sql.elements import ColumnElement

from ticketlens.jql.ast import Empty, Operand, Operator, Value
from ticketlens.mirror.fields import Col, Cond, FieldRule, Site
from ticketlens.mirror.words import words

# Lucene's English stop words, which Jira's analyzer drops from both text and queries.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
    ]
)
_SPECIAL = re.compile(r"[+!(){}\[\]^~:\\/|&?]")
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_OPERATORS = frozenset({"AND", "OR", "NOT"})


def _pattern(text: str) -> str:
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return escaped


def text_patterns(query: str, site: Site) -> list[str]:
    """LIKE patterns over ``*_words`` columns; every one must match."""
    if _SPECIAL.search(query):
        raise site.unsupported("Lucene operators and special characters are not evaluated locally")
    patterns: list[str] = []
    for phrase, term in _TERM.findall(query):
        if term in _OPERATORS:
            raise site.unsupported(f"the text operator {term} is not evaluated locally")
        if term.startswith("-") or term.startswith("*"):
            raise site.unsupported("leading '-' or '*' in a text search is not evaluated locally")
        prefix = bool(term) and term.endswith("*")
        if prefix:
            term = term[:-1]
        if "*" in term or (phrase and "*" in phrase):
            raise site.unsupported("a wildcard inside a word is not evaluated locally")
        found = [w for w in words(phrase or term) if w not in STOP_WORDS]
        if not found:
            continue
        body = " ".join(found)
        if prefix:
            patterns.append(f"% {_pattern(body)}%")
        else:
            patterns.append(f"% {_pattern(body)} %")
    if not patterns:
        raise site.unsupported("a text search needs at least one word that is not a stop word")
    return patterns


class TextField(FieldRule):
    """``summary``, ``description`` (one column each) and ``text`` (both)."""

    def __init__(self, name: str, columns: Sequence[Col], nullable: bool, negatable: bool) -> None:
        self.name = name
        self.columns = list(columns)
        self.nullable = nullable
        self.negatable = negatable
        allowed = {Operator.LIKE}
        if negatable:
            allowed |= {Operator.NOT_LIKE, Operator.IS, Operator.IS_NOT}
        self.operators = frozenset(allowed)

    def present(self, site: Site) -> Cond:
        if not self.nullable:
            from sqlalchemy import true

            return true()
        return or_(*(c.is_not(None) for c in self.columns))

    def match(self, values: Sequence[Value], site: Site) -> Cond:
        raise site.unsupported(f"{self.name} takes ~ or !~")

    def condition(self, op: Operator, operand: Operand | None, site: Site) -> Cond:
        if op not in self.operators:
            raise site.unsupported(f"{self.name} does not support {op.value}")
        if op in (Operator.IS, Operator.IS_NOT) or isinstance(operand, Empty):
            return super().condition(op, operand, site)
        if not isinstance(operand, Value):
            raise site.unsupported(f"{self.name} {op.value} takes a quoted text")
        conditions: list[ColumnElement[bool]] = []
        for pattern in text_patterns(operand.text, site):
            conditions.append(
                or_(*(and_(c.is_not(None), c.like(pattern, escape="/")) for c in self.columns))
            )
        matched = and_(*conditions) if conditions else false()
        if op is Operator.LIKE:
            return matched
        return and_(self.present(site), ~matched)
