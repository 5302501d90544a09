"""``ticketlens serve``: the HTTP API."""

from __future__ import annotations

import click
import uvicorn

from ticketlens.api.app import create_app
from ticketlens.cli.context import CLIError, run, settings
from ticketlens.db.engine import DatabaseError
from ticketlens.db.migrate import check_database
from ticketlens.logs import configure_logging


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Serve the REST API (and, later, the web UI and the schedulers)."""
    config = settings()
    configure_logging(config)
    try:
        run(check_database(config.resolved_database_url()))
    except DatabaseError as exc:
        raise CLIError(str(exc)) from exc
    # log_config=None: uvicorn's own loggers (access log included) go through the logging
    # set up above, to stderr, so stdout carries only what commands print.
    uvicorn.run(
        create_app(config), host=host, port=port, log_level=config.log_level, log_config=None
    )
