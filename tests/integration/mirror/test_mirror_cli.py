"""``ticketlens mirror query`` evaluates JQL locally and prints keys and fields."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from mirror_dataset import ISSUES, MAIN

from ticketlens.cli.main import main
from ticketlens.db.engine import create_engine
from ticketlens.mirror import upsert_issues


async def _load(url: str) -> None:
    engine = create_engine(url)
    try:
        await upsert_issues(engine, MAIN, ISSUES)
    finally:
        await engine.dispose()


@pytest.fixture
def cli_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TICKETLENS_DATABASE_URL", db_url)
    monkeypatch.setenv("TICKETLENS_DATA_DIR", str(tmp_path / "data"))
    asyncio.run(_load(db_url))
    return db_url


def test_query_prints_matching_keys_and_fields(cli_env: str) -> None:
    result = CliRunner().invoke(
        main, ["mirror", "query", "labels = payments-api ORDER BY key", "--connection", MAIN]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["PAY-1", "PAY-2", "PAY-5"]
    assert lines[0].split("\t")[1:] == [
        "To Do",
        "High",
        "Alice Smith",
        "Login fails for EU customers",
    ]


def test_query_as_json_prints_one_issue_per_line(cli_env: str) -> None:
    result = CliRunner().invoke(
        main, ["mirror", "query", "project = OPS", "--connection", MAIN, "--json", "--tz", "UTC"]
    )
    assert result.exit_code == 0, result.output
    issues = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert sorted(i["key"] for i in issues) == ["OPS-1", "OPS-2", "OPS-3"]
    assert {"labels", "components", "status_category", "created"} <= set(issues[0])


def test_query_outside_the_subset_fails_with_the_reason(cli_env: str) -> None:
    result = CliRunner().invoke(
        main, ["mirror", "query", "assignee = currentUser()", "--connection", MAIN]
    )
    assert result.exit_code == 2
    assert "currentUser" in result.output and "ask Jira" in result.output


def test_query_with_a_syntax_error_says_where(cli_env: str) -> None:
    result = CliRunner().invoke(main, ["mirror", "query", "project = ", "--connection", MAIN])
    assert result.exit_code == 2
    assert "column" in result.output


def test_query_without_a_connection_explains_what_to_do(cli_env: str) -> None:
    result = CliRunner().invoke(main, ["mirror", "query", "project = PAY"])
    assert result.exit_code == 1
    assert "--connection" in result.output
