"""JQL as Jira's search endpoints treat it: parse, check named values, evaluate, filter.

Parsing is ``ticketlens.jql``'s and evaluation is ``ticketlens.mirror``'s; this module adds
what Jira does around them:

- a syntax error is a 400 ``Error in the JQL Query: … (line L, character C)``;
- a project or component the caller cannot see (or that does not exist) named by value is a
  400 ``The value 'X' does not exist for the field 'project'.``, whole query refused;
- JQL outside the mirror's subset is a 400 saying so, never an approximate answer;
- issues in projects the caller may not browse are left out of every answer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from ticketlens.jql.ast import (
    And,
    Clause,
    Field,
    Not,
    Operator,
    Or,
    Query,
    Terminal,
    Value,
    ValueList,
)
from ticketlens.sandbox.errors import JiraHTTPError
from ticketlens.sandbox.model import User
from ticketlens.sandbox.state import Sandbox

_CHECKED_OPERATORS = frozenset({Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN})


@functools.lru_cache(maxsize=512)
def _parse(text: str) -> Query:
    # Paging a result re-sends the same JQL with every page; parse it once.
    from ticketlens.jql import parse

    return parse(text)


def parse_jql(text: str) -> Query:
    """Parse ``text`` or raise Jira's 400."""
    from ticketlens.jql import JQLSyntaxError

    if not text.strip():
        return Query()
    try:
        return _parse(text)
    except JQLSyntaxError as exc:
        raise JiraHTTPError(
            400,
            f"Error in the JQL Query: {exc} (line {exc.line}, character {exc.column})",
        ) from None


def _terminals(clause: Clause | None) -> Iterator[Terminal]:
    if clause is None:
        return
    if isinstance(clause, Terminal):
        yield clause
    elif isinstance(clause, And | Or):
        for child in clause.clauses:
            yield from _terminals(child)
    elif isinstance(clause, Not):
        yield from _terminals(clause.clause)


def _values(terminal: Terminal) -> Iterator[str]:
    operand = terminal.operand
    if isinstance(operand, Value):
        yield operand.text
    elif isinstance(operand, ValueList):
        for item in operand.items:
            if isinstance(item, Value):
                yield item.text


def check_values(sandbox: Sandbox, user: User, query: Query) -> None:
    """Refuse the query, as Jira does, when it names an unknown or hidden project/component."""
    projects = [p for p in sandbox.projects.values() if user.can_browse(p.key)]
    project_names = {p.key.casefold() for p in projects}
    project_names |= {p.name.casefold() for p in projects}
    project_names |= {str(p.id) for p in projects}
    component_names = {c.name.casefold() for p in projects for c in p.components}
    component_names |= {str(c.id) for p in projects for c in p.components}
    problems: list[str] = []
    for terminal in _terminals(query.where):
        if not isinstance(terminal.field, Field) or terminal.operator not in _CHECKED_OPERATORS:
            continue
        name = terminal.field.name.casefold()
        if name == "project":
            known = project_names
        elif name == "component":
            known = component_names
        else:
            continue
        for text in _values(terminal):
            if text.casefold() not in known:
                message = f"The value '{text}' does not exist for the field '{name}'."
                if message not in problems:
                    problems.append(message)
    if problems:
        raise JiraHTTPError(400, *problems)


async def matching_ids(sandbox: Sandbox, user: User, text: str) -> list[int]:
    """Ids of the issues ``text`` selects that ``user`` may see, in the query's order."""
    from ticketlens.mirror import UnsupportedJQL

    query = parse_jql(text)
    check_values(sandbox, user, query)
    try:
        ids = await sandbox.store.matching_ids(query, user.time_zone, sandbox.now_datetime())
    except UnsupportedJQL as exc:
        raise JiraHTTPError(
            400,
            f"The Jira sandbox cannot evaluate this JQL exactly: {exc.reason} "
            f"({exc.clause}). Use fields and operators from docs/jira-semantics.md.",
        ) from None
    if user.projects is None:
        return ids
    issues = sandbox.store.issues
    return [i for i in ids if issues[i].project in user.projects]


async def warm_up(sandbox: Sandbox) -> None:
    """Build the JQL parser and the SQL compiler now, not on the first search."""
    admin = sandbox.users[sandbox.options.username]
    await matching_ids(sandbox, admin, "project = PAY AND labels = billing ORDER BY key")
