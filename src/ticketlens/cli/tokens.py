"""``ticketlens tokens``: API tokens for the REST API."""

from __future__ import annotations

import click

from ticketlens.auth import Role, TokenError, create_token, list_tokens, revoke_token
from ticketlens.cli.context import CLIError, run
from ticketlens.cli.database import open_engine


@click.group()
def tokens() -> None:
    """Create, list and revoke API tokens."""


@tokens.command("create")
@click.option("--name", required=True, help="A unique name for the token.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help="What the token may do.",
)
def create_command(name: str, role: str) -> None:
    """Create a token. The token is printed once, alone on the last line."""

    async def go() -> str:
        async with open_engine() as engine:
            return await create_token(engine, name, Role(role))

    try:
        token = run(go())
    except TokenError as exc:
        raise CLIError(str(exc), exit_code=2) from exc
    click.echo(f"created {role} token {name!r}; it is shown only once:", err=True)
    click.echo(token)


@tokens.command("list")
def list_command() -> None:
    """List tokens (never their secrets)."""

    async def go() -> None:
        async with open_engine() as engine:
            for token in await list_tokens(engine):
                used = token.last_used_at.isoformat() if token.last_used_at else "never"
                click.echo(f"{token.name}\t{token.role.value}\t{token.prefix}…\tlast used {used}")

    run(go())


@tokens.command("revoke")
@click.argument("name")
def revoke_command(name: str) -> None:
    """Revoke the token called NAME."""

    async def go() -> None:
        async with open_engine() as engine:
            await revoke_token(engine, name)

    try:
        run(go())
    except TokenError as exc:
        raise CLIError(str(exc)) from exc
    click.echo(f"revoked {name!r}")
