"""``ticketlens sandbox``: run the Jira-compatible sandbox server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from ticketlens.cli.context import CLIError


def _log_to_stderr() -> None:
    """Keep stdout for the URL and credentials; log (info and up) to stderr."""
    import logging
    import sys

    import structlog

    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.dev.ConsoleRenderer(colors=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
    )


def _when(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CLIError(f"--now {text!r}: use an ISO date such as 2026-01-31", 2) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@click.command()
@click.option(
    "--flavor", type=click.Choice(["cloud", "datacenter"]), default="cloud", show_default=True
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port; 0 picks one.")
@click.option("--issues", default=1000, show_default=True, type=int, help="Issues to generate.")
@click.option("--seed", default=1, show_default=True, type=int, help="Generator seed.")
@click.option(
    "--data",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Also load issues from this JSON / JSON Lines file.",
)
@click.option("--controls", is_flag=True, help="Enable the /_sandbox/ test controls.")
@click.option(
    "--email",
    envvar="TICKETLENS_SANDBOX_EMAIL",
    default="admin@example.com",
    show_default=True,
    help="Cloud admin email.",
)
@click.option(
    "--api-token",
    envvar="TICKETLENS_SANDBOX_API_TOKEN",
    default="sandbox-token",
    show_default=True,
    help="Cloud admin API token.",
)
@click.option(
    "--username",
    envvar="TICKETLENS_SANDBOX_USERNAME",
    default="admin",
    show_default=True,
    help="Data Center admin user.",
)
@click.option(
    "--password",
    envvar="TICKETLENS_SANDBOX_PASSWORD",
    default="sandbox",
    show_default=True,
    help="Data Center admin password.",
)
@click.option(
    "--pat",
    envvar="TICKETLENS_SANDBOX_PAT",
    default="sandbox-pat",
    show_default=True,
    help="Data Center admin personal access token.",
)
@click.option(
    "--time-zone",
    default="Europe/Berlin",
    show_default=True,
    help="The users' time zone (JQL dates are evaluated in it).",
)
@click.option(
    "--oauth-client",
    "oauth_clients",
    multiple=True,
    metavar="ID:SECRET:REDIRECT_URI",
    help="Register an OAuth 2.0 client (Data Center); repeatable.",
)
@click.option(
    "--access-token-ttl",
    default=3600.0,
    show_default=True,
    type=float,
    help="OAuth access token lifetime, seconds.",
)
@click.option(
    "--refresh-token-ttl",
    default=90 * 86400.0,
    show_default=True,
    type=float,
    help="OAuth refresh token lifetime, seconds.",
)
@click.option("--rate", metavar="LIMIT/SECONDS", help="Token bucket per credential, e.g. 100/10.")
@click.option(
    "--webhook",
    "webhooks",
    multiple=True,
    metavar="URL[,SECRET]",
    help="Send issue events to URL (signed when SECRET is given); repeatable.",
)
@click.option(
    "--now", "now_text", metavar="DATE", help="Pin the generator's 'today' (default: today, UTC)."
)
@click.option(
    "--database",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite file for the sandbox's index (default: a temporary file).",
)
@click.option(
    "--server-version",
    default="9.12.15",
    show_default=True,
    help="Version a Data Center sandbox reports.",
)
@click.option(
    "--prerender/--no-prerender",
    default=True,
    show_default=True,
    help="Encode every issue's default JSON at start (up to 200,000 issues).",
)
def sandbox(
    flavor: str,
    host: str,
    port: int,
    issues: int,
    seed: int,
    data: Path | None,
    controls: bool,
    email: str,
    api_token: str,
    username: str,
    password: str,
    pat: str,
    time_zone: str,
    oauth_clients: tuple[str, ...],
    access_token_ttl: float,
    refresh_token_ttl: float,
    rate: str | None,
    webhooks: tuple[str, ...],
    now_text: str | None,
    database: Path | None,
    server_version: str,
    prerender: bool,
) -> None:
    """Run a Jira-compatible sandbox (Cloud or Data Center) with generated issues."""
    # Imported here: the product never imports the sandbox unless this command runs.
    from ticketlens.sandbox import (
        OAuthClient,
        RateLimit,
        SandboxConfigError,
        SandboxOptions,
        WebhookTarget,
        base_url_of,
        bind,
        build_server,
    )

    try:
        options = SandboxOptions(
            flavor="cloud" if flavor == "cloud" else "datacenter",
            host=host,
            port=port,
            issues=issues,
            seed=seed,
            data=data,
            controls=controls,
            email=email,
            api_token=api_token,
            username=username,
            password=password,
            pat=pat,
            time_zone=time_zone,
            oauth_clients=tuple(OAuthClient.parse(c) for c in oauth_clients),
            access_token_ttl=access_token_ttl,
            refresh_token_ttl=refresh_token_ttl,
            rate=RateLimit.parse(rate) if rate else None,
            webhooks=tuple(WebhookTarget.parse(w) for w in webhooks),
            now=_when(now_text),
            database=database,
            server_version=server_version,
            prerender=prerender,
        )
        sock = bind(host, port)
    except SandboxConfigError as exc:
        raise CLIError(str(exc), 2) from exc
    except OSError as exc:
        raise CLIError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    _log_to_stderr()
    base_url = base_url_of(sock)
    click.echo(f"Jira sandbox ({flavor}) at {base_url} with {issues} issues (seed {seed})")
    if options.flavor == "cloud":
        click.echo(f"  admin:  email {options.email}  API token {options.api_token}")
        click.echo(f"  viewer: email {options.viewer_email}  API token {options.viewer_api_token}")
    else:
        click.echo(
            f"  admin:  user {options.username}  password {options.password}  PAT {options.pat}"
        )
        click.echo(
            f"  viewer: user viewer  password {options.viewer_password}  PAT {options.viewer_pat}"
        )
        for client in options.oauth_clients:
            click.echo(f"  OAuth client {client.client_id} -> {client.redirect_uri}")
    if controls:
        click.echo(f"  controls: {base_url}/_sandbox/")
    try:
        build_server(options, sock).run(sockets=[sock])
    except SandboxConfigError as exc:
        raise CLIError(str(exc), 2) from exc
