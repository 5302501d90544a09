"""``ticketlens jira``: add, list, show, validate and remove Jira connections.

Secrets are never taken from argv: ``--secret-env VAR`` names an environment variable,
otherwise a hidden prompt asks for it.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

import click
from pydantic import SecretStr

from ticketlens.cli.context import EXIT_INVALID_INPUT, CLIError, run, settings
from ticketlens.cli.database import open_engine
from ticketlens.connections import (
    Connection,
    ConnectionCreate,
    ConnectionKind,
    ConnectionsError,
    ConnectionStore,
    InvalidConnection,
    connection_store,
    start_oauth,
    to_public,
    validate_connection,
)
from ticketlens.logs import configure_logging

T = TypeVar("T")


def _with_store(action: Callable[[ConnectionStore], Awaitable[T]]) -> T:
    async def go() -> T:
        async with open_engine() as engine:
            return await action(connection_store(engine, settings()))

    try:
        return run(go())
    except InvalidConnection as exc:
        raise CLIError(str(exc), exit_code=EXIT_INVALID_INPUT) from None
    except ConnectionsError as exc:
        raise CLIError(str(exc)) from None


def _public(connection: Connection) -> dict[str, Any]:
    view = to_public(connection, base_url=settings().base_url)
    return view.model_dump(mode="json", by_alias=True)


@click.group()
def jira() -> None:
    """Manage Jira connections (Cloud and Data Center)."""
    configure_logging(settings())  # logs go to stderr; stdout stays for output


def _secret(env: str | None, what: str) -> str:
    if env:
        value = os.environ.get(env)
        if not value:
            raise CLIError(
                f"--secret-env {env}: that environment variable is unset or empty",
                exit_code=EXIT_INVALID_INPUT,
            )
        return value
    value = click.prompt(what, hide_input=True, err=True)
    if not isinstance(value, str) or not value.strip():
        raise CLIError(f"{what} is empty", exit_code=EXIT_INVALID_INPUT)
    return value


@jira.command("add")
@click.argument("alias")
@click.option("--cloud", "cloud_url", metavar="URL", help="Jira Cloud site URL.")
@click.option("--email", help="Cloud: the email of the account that owns the API token.")
@click.option("--datacenter", "dc_url", metavar="URL", help="Jira Data Center base URL.")
@click.option("--username", help="Data Center: sign in with this user and a password.")
@click.option("--pat", is_flag=True, help="Data Center: sign in with a personal access token.")
@click.option("--oauth-client-id", metavar="ID", help="Data Center: OAuth 2.0 client id.")
@click.option("--proxy", metavar="URL", help="HTTP(S) proxy to reach Jira through.")
@click.option("--ca-bundle", type=click.Path(dir_okay=False), help="PEM file of trusted CAs.")
@click.option("--timeout", type=float, help="Request timeout in seconds.")
@click.option("--default", "make_default", is_flag=True, help="Make it the default connection.")
@click.option(
    "--secret-env",
    metavar="VAR",
    help="Read the token, password or client secret from this environment variable "
    "(otherwise a hidden prompt asks).",
)
def add_command(
    alias: str,
    cloud_url: str | None,
    email: str | None,
    dc_url: str | None,
    username: str | None,
    pat: bool,
    oauth_client_id: str | None,
    proxy: str | None,
    ca_bundle: str | None,
    timeout: float | None,
    make_default: bool,
    secret_env: str | None,
) -> None:
    """Add the connection ALIAS (lowercase letters, digits, '-', '_')."""
    if bool(cloud_url) == bool(dc_url):
        raise CLIError("give exactly one of --cloud URL or --datacenter URL", EXIT_INVALID_INPUT)
    fields: dict[str, Any] = {"alias": alias, "proxy": proxy, "ca_bundle": ca_bundle}
    fields.update(timeout_seconds=timeout, is_default=make_default)
    if cloud_url:
        if not email or username or pat or oauth_client_id:
            raise CLIError("--cloud needs --email (and nothing else)", EXIT_INVALID_INPUT)
        fields.update(kind=ConnectionKind.CLOUD, url=cloud_url, email=email)
        fields["api_token"] = SecretStr(_secret(secret_env, "API token"))
    else:
        chosen = [o for o in (username, pat, oauth_client_id) if o]
        if len(chosen) != 1 or email:
            raise CLIError(
                "--datacenter needs exactly one of --username U, --pat or --oauth-client-id ID",
                EXIT_INVALID_INPUT,
            )
        if username:
            fields.update(kind=ConnectionKind.DATACENTER_BASIC, username=username)
            fields["password"] = SecretStr(_secret(secret_env, "Password"))
        elif pat:
            fields.update(kind=ConnectionKind.DATACENTER_PAT)
            fields["personal_access_token"] = SecretStr(
                _secret(secret_env, "Personal access token")
            )
        else:
            fields.update(kind=ConnectionKind.DATACENTER_OAUTH, client_id=oauth_client_id)
            fields["client_secret"] = SecretStr(_secret(secret_env, "OAuth client secret"))
        fields["url"] = dc_url
    try:
        data = ConnectionCreate.model_validate(fields)
    except ValueError as exc:
        raise CLIError(str(exc), EXIT_INVALID_INPUT) from None
    timeout_default = settings().jira_timeout_seconds

    async def add(store: ConnectionStore) -> Connection:
        return await store.create(data, default_timeout=timeout_default)

    created = _with_store(add)
    default = " (default)" if created.is_default else ""
    click.echo(f"added {created.kind.value} connection {created.alias!r}{default}")
    if created.kind is ConnectionKind.DATACENTER_OAUTH:
        redirect = _public(created)["oauthRedirectUrl"]
        click.echo(f"enter this redirect URL in Jira's application link: {redirect}")
        click.echo(f"then authorize with: ticketlens jira oauth {created.alias}")
    else:
        click.echo(f"test it with: ticketlens jira validate {created.alias}")


@jira.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_command(as_json: bool) -> None:
    """List connections (never their secrets)."""

    async def load(store: ConnectionStore) -> list[Connection]:
        return await store.list()

    found = _with_store(load)
    if as_json:
        click.echo(json.dumps([_public(c) for c in found], indent=2))
        return
    if not found:
        click.echo("no Jira connections; add one with `ticketlens jira add`")
    for c in found:
        mark = "*" if c.is_default else " "
        click.echo(f"{mark} {c.alias}\t{c.kind.value}\t{c.url}")


@jira.command("show")
@click.argument("alias")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show_command(alias: str, as_json: bool) -> None:
    """Show one connection (secrets masked)."""

    async def load(store: ConnectionStore) -> Connection:
        return await store.get(alias)

    view = _public(_with_store(load))
    if as_json:
        click.echo(json.dumps(view, indent=2))
        return
    for key, value in view.items():
        if value is not None:
            click.echo(f"{key}: {value}")


@jira.command("set-default")
@click.argument("alias")
def set_default_command(alias: str) -> None:
    """Make ALIAS the default connection."""

    async def move(store: ConnectionStore) -> Connection:
        return await store.set_default(alias)

    _with_store(move)
    click.echo(f"{alias!r} is now the default connection")


@jira.command("validate")
@click.argument("alias")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def validate_command(alias: str, as_json: bool) -> None:
    """Test ALIAS against Jira; exit 1 if any check fails."""
    config = settings()

    async def check(store: ConnectionStore) -> Any:
        return await validate_connection(store, config, alias)

    report = _with_store(check)
    if as_json:
        click.echo(json.dumps(report.model_dump(mode="json", by_alias=True), indent=2))
    else:
        for item in report.checks:
            click.echo(f"{'ok  ' if item.ok else 'FAIL'} {item.name}: {item.message}")
        if report.ok:
            click.echo(
                f"user {report.user}, time zone {report.time_zone}, "
                f"{report.visible_projects} projects visible"
            )
    if not report.ok:
        raise SystemExit(1)


@jira.command("remove")
@click.argument("alias")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def remove_command(alias: str, yes: bool) -> None:
    """Remove the connection ALIAS."""
    if not yes:
        click.confirm(f"remove Jira connection {alias!r}?", abort=True, err=True)

    async def remove(store: ConnectionStore) -> None:
        await store.delete(alias)

    _with_store(remove)
    click.echo(f"removed {alias!r}")


@jira.command("oauth")
@click.argument("alias")
def oauth_command(alias: str) -> None:
    """Print the URL to open in a browser to authorize the OAuth connection ALIAS.

    ticketlens must be serving at TICKETLENS_BASE_URL to receive Jira's redirect.
    """
    config = settings()

    async def begin(store: ConnectionStore) -> str:
        started = await start_oauth(store, config, alias, f"cli:{getpass.getuser()}")
        query = urlencode({"state": started.state, "binding": started.binding})
        return f"{config.base_url}/oauth/internal/resume?{query}"

    url = _with_store(begin)
    click.echo("open this URL in a browser within 10 minutes and approve access:", err=True)
    click.echo(url)
