"""``ticketlens mirror``: evaluate JQL against the local mirror."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from ticketlens.cli.context import EXIT_INVALID_INPUT, CLIError, run, settings
from ticketlens.cli.database import open_engine


@click.group()
def mirror() -> None:
    """Query the local mirror of Jira issues."""


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise CLIError(
            f"--tz {name!r} is not an IANA time zone; use e.g. UTC or Europe/Berlin",
            exit_code=EXIT_INVALID_INPUT,
        ) from exc


@mirror.command("query")
@click.argument("jql")
@click.option(
    "--connection",
    "alias",
    default=None,
    help="Connection alias whose issues to query (default: the default connection).",
)
@click.option(
    "--tz",
    default="UTC",
    show_default=True,
    help="Time zone for dates and date functions: the Jira user's zone.",
)
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per issue.")
def query_command(jql: str, alias: str | None, tz: str, limit: int, as_json: bool) -> None:
    """Evaluate JQL locally and print the matching issues."""
    from ticketlens.jql import JQLSyntaxError, parse
    from ticketlens.mirror import UnsupportedJQL, count, search

    zone = _zone(tz)
    try:
        parsed = parse(jql)
    except JQLSyntaxError as exc:
        raise CLIError(str(exc), exit_code=EXIT_INVALID_INPUT) from exc

    async def go() -> tuple[str, int, list[Any]]:
        async with open_engine() as engine:
            connection = alias or await _default_alias(engine)
            total = await count(engine, connection, parsed, tz=zone)
            page = await search(engine, connection, parsed, limit=limit, tz=zone)
            return connection, total, page.issues

    try:
        connection, total, issues = run(go())
    except UnsupportedJQL as exc:
        raise CLIError(str(exc), exit_code=EXIT_INVALID_INPUT) from exc
    if as_json:
        for issue in issues:
            click.echo(json.dumps(issue.model_dump(mode="json"), ensure_ascii=False))
        return
    for issue in issues:
        assignee = issue.assignee.display_name if issue.assignee else "Unassigned"
        click.echo(
            f"{issue.key}\t{issue.status}\t{issue.priority or '-'}\t{assignee}\t{issue.summary}"
        )
    shown = f"showing {len(issues)}" if len(issues) < total else "all shown"
    click.echo(f"{total} issue(s) on connection {connection!r} ({shown})", err=True)


async def _default_alias(engine: Any) -> str:
    from ticketlens.connections.errors import ConnectionNotFound
    from ticketlens.connections.service import connection_store

    try:
        return (await connection_store(engine, settings()).default()).alias
    except ConnectionNotFound as exc:
        raise CLIError(f"{exc}; or pass --connection ALIAS") from exc
