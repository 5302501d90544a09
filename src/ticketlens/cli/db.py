"""``ticketlens db``: database migrations."""

from __future__ import annotations

import click

from ticketlens.cli.context import CLIError, settings
from ticketlens.db.engine import DatabaseError
from ticketlens.db.migrate import upgrade


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def upgrade_command(revision: str) -> None:
    """Apply every pending migration."""
    url = settings().resolved_database_url()
    try:
        upgrade(url, revision)
    except DatabaseError as exc:
        raise CLIError(str(exc)) from exc
    except OSError as exc:
        raise CLIError(f"cannot reach the database: {exc}") from exc
    click.echo(f"database is at revision {revision}")
