"""``ticketlens catalog``: import descriptor files, list and show entities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ticketlens.catalog import Entity, MatchItem
from ticketlens.cli.context import EXIT_INVALID_INPUT, CLIError, run, settings
from ticketlens.cli.database import open_engine
from ticketlens.entities import (
    EntityNotFound,
    ImportReport,
    InvalidCatalog,
    get_entity,
    import_paths,
    list_entities,
)
from ticketlens.logs import configure_logging


@click.group()
def catalog() -> None:
    """Import descriptor files and browse the entity catalog."""


@catalog.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--prune", is_flag=True, help="Remove entities whose descriptors are gone.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid files and list the invalid ones (exit code stays 2 if any).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_command(paths: tuple[Path, ...], prune: bool, skip_invalid: bool, as_json: bool) -> None:
    """Import Cortex and Backstage descriptors from PATHS (files, or folders searched
    recursively for *.yaml and *.yml). One transaction: all or nothing."""
    configure_logging(settings())

    async def go() -> ImportReport:
        async with open_engine() as engine:
            return await import_paths(engine, paths, skip_invalid=skip_invalid, prune=prune)

    try:
        report = run(go())
    except InvalidCatalog as exc:
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
        if as_json:
            click.echo(json.dumps({"errors": [error.to_json() for error in exc.errors]}, indent=2))
        raise CLIError(str(exc), exit_code=EXIT_INVALID_INPUT) from exc

    if as_json:
        click.echo(json.dumps(_report_json(report), indent=2))
    else:
        _print_report(report)
    if report.errors:
        raise CLIError(
            f"{len(report.skipped_files)} invalid descriptor file(s) were skipped",
            exit_code=EXIT_INVALID_INPUT,
        )


def _report_json(report: ImportReport) -> dict[str, Any]:
    return {
        "files": report.files,
        **report.summary(),
        "tags": {
            "created": report.counts.created,
            "updated": report.counts.updated,
            "unchanged": report.counts.unchanged,
            "pruned": report.counts.pruned,
        },
        "skipped": report.skipped_files,
        "errors": [error.to_json() for error in report.errors],
        "ignored": report.ignored,
    }


def _print_report(report: ImportReport) -> None:
    for note in report.ignored:
        click.echo(f"note: {note}", err=True)
    for error in report.errors:
        click.echo(f"skipped: {error}", err=True)
    counts = report.summary()
    line = (
        f"imported {report.files} file(s): {counts['created']} created, "
        f"{counts['updated']} updated, {counts['unchanged']} unchanged"
    )
    if counts["pruned"]:
        line += f", {counts['pruned']} pruned ({', '.join(report.counts.pruned)})"
    click.echo(line)


@catalog.command("list")
@click.option("--type", "entity_type", help="Only entities of this type, e.g. service.")
@click.option("--group", help="Only entities in this group.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of entities.")
def list_command(entity_type: str | None, group: str | None, as_json: bool) -> None:
    """List entities by tag."""

    async def go() -> list[Entity]:
        async with open_engine() as engine:
            page = await list_entities(engine, entity_type=entity_type, group=group)
            return page.items

    items = run(go())
    if as_json:
        click.echo(json.dumps([entity.to_json() for entity in items], indent=2))
        return
    if not items:
        click.echo(
            "no entities; import descriptors with `ticketlens catalog import PATH`", err=True
        )
        return
    width = max(len(entity.tag) for entity in items)
    type_width = max(len(entity.type) for entity in items)
    for entity in items:
        match = "override" if entity.has_override else "by tag"
        click.echo(f"{entity.tag:<{width}}  {entity.type:<{type_width}}  {match:<8}  {entity.name}")


@catalog.command("show")
@click.argument("tag")
@click.option("--json", "as_json", is_flag=True, help="Print the entity as JSON.")
def show_command(tag: str, as_json: bool) -> None:
    """Show one entity and how its Jira issues are matched."""

    async def go() -> Entity:
        async with open_engine() as engine:
            return await get_entity(engine, tag)

    try:
        entity = run(go())
    except EntityNotFound as exc:
        raise CLIError(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(entity.to_json(), indent=2))
        return
    for line in describe_entity(entity):
        click.echo(line)


def _item(item: MatchItem) -> str:
    where = "default connection" if item.alias is None else f"connection {item.alias!r}"
    return f"{item.name} ({where})"


def describe_entity(entity: Entity) -> list[str]:
    """The entity as lines for people."""
    owners = ", ".join(
        f"{owner.type} {owner.name}" + (f" ({owner.provider})" if owner.provider else "")
        for owner in entity.owners
    )
    lines = [
        f"{entity.tag}: {entity.name}",
        f"  type:    {entity.type}",
        f"  groups:  {', '.join(entity.groups) or '-'}",
        f"  owners:  {owners or '-'}",
        f"  source:  {entity.source.format} {entity.source.path}:{entity.source.line}",
    ]
    if entity.description:
        lines.insert(1, f"  {entity.description}")
    jira = entity.jira
    if jira.has_override:
        lines.append("  jira match: override, only these values")
        for label, items in (
            ("labels", jira.labels),
            ("components", jira.components),
            ("projects", jira.projects),
        ):
            if items:
                lines.append(f"    {label}: {', '.join(_item(item) for item in items)}")
    else:
        lines.append(
            f"  jira match: automatic, label, component or project = {entity.tag} "
            "(default connection)"
        )
    if jira.default_jql:
        lines.append(f"  default JQL: {jira.default_jql}")
    return lines
