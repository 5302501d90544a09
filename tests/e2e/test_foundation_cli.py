"""``db upgrade``, ``serve`` and ``tokens`` from the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from ticketlens.auth import authenticate
from ticketlens.cli.main import main
from ticketlens.db.engine import create_engine

PG_ADMIN_DSN = os.environ.get("TICKETLENS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(params=["sqlite", "postgresql"])
def unmigrated_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database that was never migrated."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"ticketlens_empty_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"{PG_ADMIN_DSN.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def env_for(url: str, tmp_path: Path) -> dict[str, str]:
    return {"TICKETLENS_DATABASE_URL": url, "TICKETLENS_DATA_DIR": str(tmp_path / "data")}


def test_serve_refuses_an_unmigrated_database_and_names_the_command(
    runner: CliRunner, unmigrated_url: str, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["serve", "--port", "1"], env=env_for(unmigrated_url, tmp_path))
    assert result.exit_code == 1
    assert "has never been migrated" in result.stderr
    assert "Run: ticketlens db upgrade" in result.stderr


def test_commands_refuse_an_unmigrated_database_too(
    runner: CliRunner, unmigrated_url: str, tmp_path: Path
) -> None:
    result = runner.invoke(main, ["catalog", "list"], env=env_for(unmigrated_url, tmp_path))
    assert result.exit_code == 1
    assert "ticketlens db upgrade" in result.stderr


def test_db_upgrade_migrates_so_commands_work(
    runner: CliRunner, unmigrated_url: str, tmp_path: Path
) -> None:
    env = env_for(unmigrated_url, tmp_path)
    upgraded = runner.invoke(main, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    listed = runner.invoke(main, ["catalog", "list", "--json"], env=env)
    assert listed.exit_code == 0
    assert listed.stdout.strip() == "[]"


def test_tokens_create_prints_the_token_alone_on_the_last_line(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    env = env_for(db_url, tmp_path)
    result = runner.invoke(main, ["tokens", "create", "--name", "ci", "--role", "editor"], env=env)
    assert result.exit_code == 0, result.output
    last = result.stdout.splitlines()[-1]
    assert last.startswith("tl_")
    assert last == last.strip()
    assert " " not in last

    async def check() -> str | None:
        engine = create_engine(db_url)
        try:
            principal = await authenticate(engine, last)
        finally:
            await engine.dispose()
        return None if principal is None else principal.role.value

    assert asyncio.run(check()) == "editor"
    listed = runner.invoke(main, ["tokens", "list"], env=env)
    assert "ci\teditor" in listed.stdout
    assert last not in listed.stdout


def test_tokens_revoke_and_bad_input(runner: CliRunner, db_url: str, tmp_path: Path) -> None:
    env = env_for(db_url, tmp_path)
    assert (
        runner.invoke(
            main, ["tokens", "create", "--name", "x", "--role", "admin"], env=env
        ).exit_code
        == 0
    )
    duplicate = runner.invoke(main, ["tokens", "create", "--name", "x", "--role", "admin"], env=env)
    assert duplicate.exit_code == 2
    assert "already exists" in duplicate.stderr
    bad_role = runner.invoke(main, ["tokens", "create", "--name", "y", "--role", "root"], env=env)
    assert bad_role.exit_code == 2
    assert runner.invoke(main, ["tokens", "revoke", "x"], env=env).exit_code == 0
    gone = runner.invoke(main, ["tokens", "revoke", "x"], env=env)
    assert gone.exit_code == 1
    assert "no token named 'x'" in gone.stderr
