"""``ticketlens demo``: the embedded default, ready to try in one command.

Steps, each safe to repeat: migrate the database, import the example catalog, replace the
``demo-admin`` token and print it, then serve.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

import click

from ticketlens.auth import Role, TokenError, create_token, revoke_token
from ticketlens.cli.context import CLIError, run, settings
from ticketlens.cli.demo_jira import DemoError, connect_and_sync, running_sandboxes, tour
from ticketlens.cli.serve import serve
from ticketlens.db.engine import DatabaseError, create_engine
from ticketlens.db.migrate import upgrade
from ticketlens.entities import ImportReport, InvalidCatalog, import_paths
from ticketlens.logs import configure_logging

DEMO_ADMIN = "demo-admin"


async def _prepare(url: str, catalog_path: Path) -> tuple[ImportReport, str]:
    engine = create_engine(url)
    try:
        report = await import_paths(engine, [catalog_path])
        with suppress(TokenError):  # on the first run there is no token to replace
            await revoke_token(engine, DEMO_ADMIN)
        token = await create_token(engine, DEMO_ADMIN, Role.ADMIN)
    finally:
        await engine.dispose()
    return report, token


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--catalog",
    "catalog_path",
    default=Path("examples/catalog"),
    show_default=True,
    type=click.Path(path_type=Path),
    help="Descriptor folder to import.",
)
@click.option(
    "--jira/--no-jira",
    default=True,
    show_default=True,
    help="Start a Cloud and a Data Center Jira sandbox, connect and sync them.",
)
@click.pass_context
def demo(ctx: click.Context, host: str, port: int, catalog_path: Path, jira: bool) -> None:
    """Migrate the embedded database, import the example catalog, start two Jira
    sandboxes and sync them, print an admin token and serve the API."""
    if not catalog_path.is_dir():
        raise CLIError(
            f"{catalog_path} is not a folder; run the demo from a ticketlens checkout "
            "or pass --catalog PATH"
        )
    config = settings()
    configure_logging(config)
    url = config.resolved_database_url()
    try:
        upgrade(url)
        report, token = run(_prepare(url, catalog_path))
    except (DatabaseError, OSError) as exc:
        raise CLIError(f"cannot prepare the demo database: {exc}") from exc
    except InvalidCatalog as exc:
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
        raise CLIError(str(exc), exit_code=2) from exc

    counts = report.summary()
    base = f"http://{host}:{port}"
    click.echo(
        f"catalog: {sum(counts.values())} entities from {catalog_path} "
        f"({counts['created']} created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged)"
    )
    click.echo(f"serving on {base} (Ctrl-C stops it); OpenAPI at {base}/docs")
    click.echo(f'try: curl -H "Authorization: Bearer <token>" {base}/api/v1/entities')
    if not jira:
        click.echo(f"admin API token {DEMO_ADMIN!r} (replaced on every run):")
        click.echo(token)
        ctx.invoke(serve, host=host, port=port)
        return
    try:
        with running_sandboxes() as jiras:
            for synced in run(connect_and_sync(url, config, jiras)):
                where = next(j for j in jiras if j.alias == synced.alias)
                click.echo(
                    f"jira {synced.alias!r} ({where.flavor} sandbox at {where.base_url}): "
                    f"{synced.issues_mirrored} issues mirrored in {synced.requests} requests"
                    + (f"; sync failed: {synced.error}" if synced.error else "")
                )
            for line in tour(base):
                click.echo(line)
            click.echo(f"admin API token {DEMO_ADMIN!r} (replaced on every run):")
            click.echo(token)
            ctx.invoke(serve, host=host, port=port)
    except DemoError as exc:
        raise CLIError(f"{exc}; run `ticketlens demo --no-jira` to serve without Jira") from exc
