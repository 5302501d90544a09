"""What every command shares: settings, running coroutines, and clean failures."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import click

from ticketlens.settings import Settings

T = TypeVar("T")

EXIT_INVALID_INPUT = 2


class CLIError(click.ClickException):
    """A failure reported to the user as ``error: …`` with a chosen exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        # click declares exit_code a ClassVar; a per-instance code is what we need here.
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def settings(ctx: click.Context | None = None) -> Settings:
    """The Settings built once for this invocation."""
    ctx = ctx or click.get_current_context()
    root = ctx.find_root()
    if root.obj is None:
        root.obj = Settings()
    assert isinstance(root.obj, Settings)
    return root.obj


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from a synchronous command."""
    return asyncio.run(coro)
