"""``ticketlens secrets``: rotate the key that encrypts stored secrets."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ticketlens.cli.context import EXIT_INVALID_INPUT, CLIError, run, settings
from ticketlens.cli.database import open_engine
from ticketlens.connections import ConnectionsError, SecretBox, rotate_secrets
from ticketlens.logs import configure_logging
from ticketlens.settings import MIN_SECRET_KEY_BYTES, SettingsError


@click.group("secrets")
def secrets_group() -> None:
    """Manage the encryption of stored secrets."""
    configure_logging(settings())  # logs go to stderr; stdout stays for output


@secrets_group.command("rotate")
@click.option(
    "--new-key-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File holding the new key (at least 32 bytes).",
)
def rotate_command(new_key_file: Path) -> None:
    """Re-encrypt every stored secret with the key in --new-key-file, in one transaction."""
    config = settings()
    new_key = new_key_file.read_bytes().strip()
    if len(new_key) < MIN_SECRET_KEY_BYTES:
        raise CLIError(
            f"{new_key_file} holds {len(new_key)} bytes; the key needs at least "
            f"{MIN_SECRET_KEY_BYTES}",
            EXIT_INVALID_INPUT,
        )
    try:
        current = config.resolved_secret_key()
    except SettingsError as exc:
        raise CLIError(str(exc)) from None
    if new_key == current:
        raise CLIError("the new key is the current key; nothing to do", EXIT_INVALID_INPUT)
    key_file = config.data_dir / "secret.key"
    staged = key_file.with_suffix(".key.new")
    if config.secret_key is None:
        # stage the new key first: once the database commits, only a rename remains
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(new_key)

    async def go() -> int:
        async with open_engine() as engine:
            return await rotate_secrets(engine, SecretBox(current), SecretBox(new_key))

    try:
        count = run(go())
    except ConnectionsError as exc:
        staged.unlink(missing_ok=True)
        raise CLIError(str(exc)) from None
    click.echo(f"re-encrypted {count} stored secret value(s) with the new key")
    if config.secret_key is None:
        staged.replace(key_file)
        click.echo(f"{key_file} now holds the new key")
    else:
        click.echo(
            "now set TICKETLENS_SECRET_KEY to the new key (from "
            f"{new_key_file}) for every ticketlens process, and restart them"
        )
