"""``ticketlens jql``: check JQL and print it canonically."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

import click

from ticketlens.jql import JQLSyntaxError, parse, to_jql


@click.group()
def jql() -> None:
    """Work with JQL queries."""


@jql.command("check")
@click.argument("queries", nargs=-1)
def check_command(queries: tuple[str, ...]) -> None:
    """Check JQL syntax: the QUERIES given, or one query per line on stdin.

    Writes one JSON object per query: {"ok": true, "jql": "<canonical>"} or
    {"ok": false, "error": "<message>", "position": N}. Exits 0 when every query is
    valid, 1 otherwise.
    """
    texts: Iterable[str] = queries if queries else _stdin_lines()
    all_ok = True
    for text in texts:
        verdict = check(text)
        all_ok = all_ok and bool(verdict["ok"])
        click.echo(json.dumps(verdict, ensure_ascii=False))
    sys.exit(0 if all_ok else 1)


def check(text: str) -> dict[str, object]:
    """The verdict for one query, as written by ``ticketlens jql check``."""
    try:
        query = parse(text)
    except JQLSyntaxError as error:
        return {"ok": False, "error": str(error), "position": error.position}
    return {"ok": True, "jql": to_jql(query)}


def _stdin_lines() -> Iterable[str]:
    for line in sys.stdin:
        yield line.rstrip("\r\n")
