"""``ticketlens sync``, ``issues`` and ``explain``, and ``jira webhook-secret``.

``sync`` shows a Rich progress bar per connection; ``issues`` and ``explain`` print a
table (or ``--json``) from the same services the REST API uses.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from ticketlens.catalog.matching import MatchingError, QueryProblem
from ticketlens.cli.context import EXIT_INVALID_INPUT, CLIError, run, settings
from ticketlens.cli.database import open_engine
from ticketlens.connections import ConnectionsError
from ticketlens.logs import configure_logging
from ticketlens.sync import reading
from ticketlens.sync.engine import Mode, ProgressHook, SyncReport
from ticketlens.sync.errors import EntityNotFound, SyncError
from ticketlens.sync.runner import sync_connections
from ticketlens.sync.sources import load_connections, pick
from ticketlens.sync.webhook_secrets import WebhookSecretError, set_webhook_secret

T = TypeVar("T")


def _call(action: Callable[[], Coroutine[Any, Any, T]]) -> T:
    configure_logging(settings())  # logs to stderr, so --json output stays clean
    try:
        return run(action())
    except (QueryProblem, WebhookSecretError) as exc:
        raise CLIError(str(exc), exit_code=EXIT_INVALID_INPUT) from None
    except EntityNotFound as exc:
        raise CLIError(str(exc), exit_code=EXIT_INVALID_INPUT) from None
    except (SyncError, MatchingError, ConnectionsError) as exc:
        raise CLIError(str(exc)) from None


class _Bars:
    """One Rich progress bar per connection, fed by the sync engine's progress hook."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def hook(self, alias: str) -> ProgressHook:
        task = self.progress.add_task(f"{alias}: starting", total=None)
        self.tasks[alias] = task

        def update(phase: str, done: int, total: int, issues: int) -> None:
            self.progress.update(
                task,
                description=f"{alias}: {phase} ({issues} issues)",
                completed=done,
                total=max(total, 1),
            )

        return update


def _summary(report: SyncReport) -> str:
    if report.error:
        return f"{report.alias}: FAILED ({report.error}); the last good data stays in the mirror"
    extra = " (resumed)" if report.resumed else ""
    return (
        f"{report.alias}: {report.kind} sync{extra}: {report.issues_fetched} fetched, "
        f"{report.issues_deleted} removed, {report.issues_mirrored} mirrored, "
        f"{report.requests} Jira requests, {report.duration_ms / 1000:.1f}s"
    )


@click.command("sync")
@click.option("--alias", default=None, help="Only this connection (default: all).")
@click.option("--full", is_flag=True, help="A full sync instead of an incremental one.")
@click.option("--reconcile", is_flag=True, help="Only reconcile: remove deleted issues.")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
def sync(alias: str | None, full: bool, reconcile: bool, as_json: bool) -> None:
    """Sync Jira issues into the mirror, one batched scope per connection."""
    mode: Mode = "reconcile" if reconcile else ("full" if full else "auto")
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} chunks"),
        TimeElapsedColumn(),
        console=console,
        disable=as_json,
    ) as progress:
        bars = _Bars(progress)

        async def go() -> list[SyncReport]:
            async with open_engine() as engine:
                return await sync_connections(
                    engine, settings(), alias=alias, mode=mode, progress=bars.hook
                )

        reports = _call(go)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in reports], indent=2))
    else:
        for report in reports:
            click.echo(_summary(report))
        if not reports:
            click.echo("no Jira connection is configured; add one with `ticketlens jira add`")
    for report in reports:
        for problem in report.problems:
            click.echo(f"warning: {problem}", err=True)
    if any(r.error for r in reports):
        raise SystemExit(1)


@click.command("issues")
@click.argument("tag")
@click.option("--jql", default=None, help="A custom JQL, restricted to the entity's match.")
@click.option("--limit", default=reading.DEFAULT_LIMIT, show_default=True, type=int)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def issues(tag: str, jql: str | None, limit: int, as_json: bool) -> None:
    """An entity's outstanding Jira issues (or those matching --jql)."""

    async def go() -> dict[str, Any]:
        async with open_engine() as engine:
            return await reading.entity_issues(engine, settings(), tag, jql, limit=limit)

    answer = _call(go)
    if as_json:
        click.echo(json.dumps(answer, indent=2))
        return
    console = Console()
    for part in answer["connections"]:
        age = part["ageSeconds"]
        fresh = "never synced" if age is None else f"synced {age:.0f}s ago"
        if part.get("lastError"):
            fresh += f"; Jira is failing: {part['lastError']}"
        console.print(f"[bold]{part['alias']}[/bold] from {part['source']} ({fresh})")
        console.print(f"  jql: {part['jql']}", highlight=False, markup=False)
        if part.get("error"):
            console.print(f"  error: {part['error']}", markup=False)
    table = Table(
        "key",
        "summary",
        "status",
        "category",
        "type",
        "priority",
        "assignee",
        "updated",
        "alias",
        "url",
    )
    for issue in answer["issues"]:
        table.add_row(
            *(
                str(issue[k] or "")
                for k in (
                    "key",
                    "summary",
                    "status",
                    "statusCategory",
                    "type",
                    "priority",
                    "assignee",
                    "updated",
                    "alias",
                    "url",
                )
            )
        )
    console.print(table)
    console.print(f"{len(answer['issues'])} issues")
    for problem in answer["problems"]:
        click.echo(f"warning: {problem}", err=True)


@click.command("explain")
@click.argument("tag")
@click.option("--rule", default=None, help="A rule's JQL to combine with the match.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def explain(tag: str, rule: str | None, as_json: bool) -> None:
    """Show the JQL ticketlens sends for an entity, values left out, and near-misses."""

    async def go() -> dict[str, Any]:
        async with open_engine() as engine:
            return await reading.explain(engine, settings(), tag, rule)

    answer = _call(go)
    if as_json:
        click.echo(json.dumps(answer, indent=2))
        return
    how = "automatic (label, component or project = tag)" if answer["automatic"] else "override"
    click.echo(f"{answer['tag']}: {how}")
    if answer["defaultJql"]:
        click.echo(f"  defaultJql: {answer['defaultJql']}")
    for part in answer["connections"]:
        default = " (default)" if part["isDefault"] else ""
        click.echo(f"\nconnection {part['alias']}{default}")
        click.echo(f"  match:        {part['match'] or '(nothing left to match)'}")
        click.echo(
            f"  outstanding:  {part['outstanding'] or '-'}  [from {part['outstandingFrom']}]"
        )
        if part["rule"]:
            click.echo(f"  rule:         {part['rule']}")
        for left in part["leftOut"]:
            click.echo(f"  left out:     {left['field']} {left['value']!r}: {left['reason']}")
        for miss in part["nearMisses"]:
            keys = ", ".join(miss["issues"]) or "no mirrored issue"
            label = "case variant" if miss["matches"] else "near-miss"
            click.echo(
                f"  {label + ':':<14}{miss['field']} {miss['found']!r} ({miss['difference']} "
                f"from {miss['wanted']!r}) on {keys}"
            )
            click.echo(f"{'':16}fix: {miss['remedy']}")
    for problem in answer["problems"]:
        click.echo(f"problem: {problem}", err=True)


@click.command("webhook-secret")
@click.argument("alias")
@click.option(
    "--secret-env",
    default=None,
    metavar="VAR",
    help="Read the secret from this environment variable (otherwise a hidden prompt asks).",
)
def webhook_secret(alias: str, secret_env: str | None) -> None:
    """Set the HMAC secret Jira signs ALIAS's webhooks with."""
    if secret_env:
        secret = os.environ.get(secret_env, "")
        if not secret:
            raise CLIError(
                f"--secret-env {secret_env}: that environment variable is unset or empty",
                exit_code=EXIT_INVALID_INPUT,
            )
    else:
        secret = str(click.prompt("webhook secret", hide_input=True, err=True))

    async def go() -> None:
        async with open_engine() as engine:
            config = settings()
            pick(await load_connections(engine, config), alias)
            await set_webhook_secret(engine, config, alias, secret)

    _call(go)
    base = settings().base_url
    click.echo(f"webhook secret of {alias!r} set; point Jira at {base}/webhooks/jira/{alias}")


def register(main: click.Group) -> None:
    """Add ``sync``, ``issues`` and ``explain`` to ``main``, and ``webhook-secret`` to its
    ``jira`` group."""
    for command in (sync, issues, explain):
        main.add_command(command)
    group = main.commands.get("jira")
    if isinstance(group, click.Group):
        group.add_command(webhook_secret)
