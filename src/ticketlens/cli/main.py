"""Entry point of the ``ticketlens`` command."""

from __future__ import annotations

import click

from ticketlens import __version__
from ticketlens.cli.catalog import catalog
from ticketlens.cli.db import db
from ticketlens.cli.demo import demo
from ticketlens.cli.jira import jira
from ticketlens.cli.jql import jql
from ticketlens.cli.mirror import mirror
from ticketlens.cli.sandbox import sandbox
from ticketlens.cli.secrets import secrets_group
from ticketlens.cli.serve import serve
from ticketlens.cli.sync import register as register_sync
from ticketlens.cli.tokens import tokens


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ticketlens")
def main() -> None:
    """ticketlens: your software catalog's Jira issues, insights and scorecards."""


main.add_command(db)
main.add_command(serve)
main.add_command(tokens)
# --- command groups: one line each --------------------------------------------
main.add_command(catalog)
main.add_command(demo)
main.add_command(jira)
main.add_command(jql)
main.add_command(secrets_group)
main.add_command(sandbox)
register_sync(main)  # sync, issues, explain, jira webhook-secret
main.add_command(mirror)
# --- end of command groups ----------------------------------------------------
