"""``ticketlens jira`` and ``ticketlens secrets`` against a real database and sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from connections_support import SECRET_KEY

from sandbox_harness import SandboxHandle, running_sandbox
from ticketlens.cli.main import main


class Cli:
    def __init__(self, db_url: str, data_dir: Path, secret_key: str | None = SECRET_KEY) -> None:
        self.env = {
            "TICKETLENS_DATABASE_URL": db_url,
            "TICKETLENS_DATA_DIR": str(data_dir),
            "TICKETLENS_SECRET_KEY": secret_key,
            "TICKETLENS_BASE_URL": "http://tl.example",
            "TICKETLENS_JIRA_MAX_RETRIES": "0",
        }

    def __call__(self, *args: str, input: str | None = None, **env: str) -> Result:
        runner = CliRunner()
        return runner.invoke(main, list(args), env={**self.env, **env}, input=input)


@pytest.fixture
def cli(db_url: str, tmp_path: Path) -> Cli:
    return Cli(db_url, tmp_path)


def test_add_list_show_set_default_and_remove(cli: Cli) -> None:
    added = cli(
        "jira",
        "add",
        "main",
        "--cloud",
        "https://acme.atlassian.net",
        "--email",
        "ops@acme.test",
        "--secret-env",
        "TOKEN",
        TOKEN="cloud-token-123",
    )
    assert added.exit_code == 0, added.output
    assert "added cloud connection 'main' (default)" in added.output
    dc = cli(
        "jira",
        "add",
        "dc",
        "--datacenter",
        "https://jira.acme.test",
        "--pat",
        input="pat-value-456\n",
    )
    assert dc.exit_code == 0, dc.output
    listed = cli("jira", "list")
    assert listed.output.splitlines() == [
        "* main\tcloud\thttps://acme.atlassian.net",
        "  dc\tdatacenter-pat\thttps://jira.acme.test",
    ]
    shown = json.loads(cli("jira", "show", "dc", "--json").output)
    assert shown["personalAccessToken"] == "********" and shown["hasPersonalAccessToken"]
    refused = cli("jira", "remove", "main", "--yes")
    assert refused.exit_code == 1
    assert "make another one the default first" in refused.output
    assert cli("jira", "set-default", "dc").exit_code == 0
    assert cli("jira", "remove", "main", "--yes").exit_code == 0
    data = json.loads(cli("jira", "list", "--json").output)
    assert [(c["alias"], c["isDefault"]) for c in data] == [("dc", True)]
    for output in (added.output, dc.output, listed.output, json.dumps(shown)):
        assert "cloud-token-123" not in output and "pat-value-456" not in output


def test_secrets_are_never_taken_from_argv(cli: Cli) -> None:
    for flag in ("--api-token", "--password", "--token", "--secret"):
        result = cli(
            "jira",
            "add",
            "x",
            "--cloud",
            "https://a.atlassian.net",
            "--email",
            "a@b.c",
            flag,
            "leaked",
        )
        assert result.exit_code == 2
        assert "No such option" in result.output


def test_add_refuses_mixed_or_missing_kinds(cli: Cli) -> None:
    both = cli("jira", "add", "x", "--cloud", "https://a", "--datacenter", "https://b")
    assert both.exit_code == 2 and "exactly one of --cloud" in both.output
    two = cli("jira", "add", "x", "--datacenter", "https://b", "--pat", "--username", "u")
    assert two.exit_code == 2 and "exactly one of --username" in two.output
    unset = cli("jira", "add", "x", "--datacenter", "https://b", "--pat", "--secret-env", "NOPE")
    assert unset.exit_code == 2 and "NOPE" in unset.output
    bad = cli("jira", "add", "Bad!", "--datacenter", "https://b", "--pat", input="x\n")
    assert bad.exit_code == 2 and "alias 'Bad!' is invalid" in bad.output


@pytest.mark.parametrize("flavor", ["cloud", "datacenter"])
def test_validate_prints_each_check_and_exits_nonzero_on_failure(cli: Cli, flavor: str) -> None:
    with running_sandbox(flavor=flavor, issues=5) as jira:
        add = _add_args(jira)
        assert cli(*add, "--secret-env", "S", S=_secret(jira)).exit_code == 0
        ok = cli("jira", "validate", "main")
        assert ok.exit_code == 0, ok.output
        assert "ok   credential: signed in as Sandbox Admin" in ok.output
        assert "time zone Europe/Berlin, 10 projects visible" in ok.output
        cli("jira", "remove", "main", "--yes")
        assert cli(*add, "--secret-env", "S", S="wrong").exit_code == 0
        bad = cli("jira", "validate", "main")
    assert bad.exit_code == 1
    assert "FAIL credential" in bad.output


def _add_args(jira: SandboxHandle) -> list[str]:
    if jira.flavor == "cloud":
        return ["jira", "add", "main", "--cloud", jira.base_url, "--email", jira.email]
    return ["jira", "add", "main", "--datacenter", jira.base_url, "--username", jira.username]


def _secret(jira: SandboxHandle) -> str:
    return jira.api_token if jira.flavor == "cloud" else jira.password


def test_oauth_prints_a_url_that_resumes_the_flow(cli: Cli) -> None:
    added = cli(
        "jira",
        "add",
        "dc",
        "--datacenter",
        "https://jira.acme.test",
        "--oauth-client-id",
        "tl",
        input="client-secret\n",
    )
    assert "http://tl.example/oauth/internal/jira" in added.output
    started = cli("jira", "oauth", "dc")
    assert started.exit_code == 0, started.output
    assert started.stdout.strip().startswith("http://tl.example/oauth/internal/resume?state=")
    assert "binding=" in started.stdout


def test_secrets_rotate_reencrypts_and_replaces_the_generated_key(
    db_url: str, tmp_path: Path
) -> None:
    cli = Cli(db_url, tmp_path, secret_key=None)
    env_free = {k: v for k, v in cli.env.items() if v is not None}
    cli.env = env_free  # type: ignore[assignment]
    assert (
        cli("jira", "add", "dc", "--datacenter", "https://j", "--pat", input="pat-1\n").exit_code
        == 0
    )
    old_key = (tmp_path / "secret.key").read_bytes()
    new_key = tmp_path / "new.key"
    new_key.write_text("n" * 40)
    rotated = cli("secrets", "rotate", "--new-key-file", str(new_key))
    assert rotated.exit_code == 0, rotated.output
    assert "re-encrypted 1 stored secret value(s)" in rotated.output
    assert (tmp_path / "secret.key").read_bytes() == b"n" * 40 != old_key
    assert cli("jira", "show", "dc").exit_code == 0
    short = tmp_path / "short.key"
    short.write_text("tiny")
    assert cli("secrets", "rotate", "--new-key-file", str(short)).exit_code == 2


def test_a_changed_key_without_rotation_is_explained(cli: Cli) -> None:
    assert (
        cli("jira", "add", "dc", "--datacenter", "https://j", "--pat", input="p\n").exit_code == 0
    )
    wrong = cli("jira", "list", TICKETLENS_SECRET_KEY="w" * 48)
    assert wrong.exit_code == 1
    assert "cannot decrypt the stored secrets of connection 'dc'" in wrong.output
    assert "ticketlens secrets rotate" in wrong.output
