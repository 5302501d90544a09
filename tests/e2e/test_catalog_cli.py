"""``ticketlens catalog`` on SQLite and PostgreSQL: imports, listings and every bad input."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ticketlens.cli.main import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "catalog"
Invoke = Callable[..., Result]
GOOD = "openapi: 3.0.1\ninfo:\n  x-cortex-tag: good-one\n"


@pytest.fixture
def cli(runner: CliRunner, db_url: str, tmp_path: Path) -> Invoke:
    env = {"TICKETLENS_DATABASE_URL": db_url, "TICKETLENS_DATA_DIR": str(tmp_path / "data")}

    def invoke(*args: str) -> Result:
        return runner.invoke(main, list(args), env=env)

    return invoke


def tags(cli) -> list[str]:
    result = cli("catalog", "list", "--json")
    assert result.exit_code == 0, result.output
    return [entity["tag"] for entity in json.loads(result.stdout)]


def test_import_reports_counts_and_is_idempotent(cli: Invoke) -> None:
    first = cli("catalog", "import", str(EXAMPLES))
    assert first.exit_code == 0, first.output
    assert "14 created, 0 updated, 0 unchanged" in first.stdout
    again = cli("catalog", "import", str(EXAMPLES), "--json")
    assert again.exit_code == 0
    report = json.loads(again.stdout)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 14)
    assert len(tags(cli)) == 14


def test_list_json_is_an_array_of_entities_with_jira_blocks(cli: Invoke) -> None:
    assert cli("catalog", "import", str(EXAMPLES)).exit_code == 0
    data = json.loads(cli("catalog", "list", "--json").stdout)
    assert isinstance(data, list)
    by_tag = {entity["tag"]: entity for entity in data}
    assert by_tag["identity-service"]["jira"]["components"] == [{"name": "Identity", "alias": "dc"}]
    assert by_tag["billing-worker"]["jira"]["labels"] == [
        {"name": "billing", "alias": None},
        {"name": "billing-worker", "alias": None},
    ]
    services = json.loads(cli("catalog", "list", "--type", "api", "--json").stdout)
    assert [e["tag"] for e in services] == ["orders-api"]
    text = cli("catalog", "list", "--group", "security").stdout
    assert text.split()[0] == "fraud-detection"
    assert "identity-service" in text


def test_show_prints_the_match_for_people_and_json(cli: Invoke) -> None:
    assert cli("catalog", "import", str(EXAMPLES)).exit_code == 0
    shown = cli("catalog", "show", "mobile-app")
    assert shown.exit_code == 0
    assert "MOB (connection 'dc')" in shown.stdout
    assert "Mobile (connection 'dc')" in shown.stdout
    automatic = cli("catalog", "show", "payments-api").stdout
    assert "automatic" in automatic
    data = json.loads(cli("catalog", "show", "notifications", "--json").stdout)
    assert data["jira"]["defaultJql"] == 'statusCategory = "To Do" AND priority in (Highest, High)'
    missing = cli("catalog", "show", "ghost")
    assert missing.exit_code == 1
    assert "no entity is tagged 'ghost'" in missing.stderr


BAD_INPUTS = {
    "malformed-yaml": (
        "openapi: 3.0.1\ninfo:\n  x-cortex-tag: [oops\n",
        "bad.yaml:4: malformed YAML",
    ),
    "missing-tag": (
        "openapi: 3.0.1\ninfo:\n  title: Untagged\n",
        "bad.yaml:2: info.x-cortex-tag: the tag is missing",
    ),
    "invalid-tag": (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Not_OK!\n",
        "bad.yaml:4: metadata.name: tag 'Not_OK!' is invalid",
    ),
    "wrong-type": (
        "openapi: 3.0.1\ninfo:\n  x-cortex-tag: t\n  x-cortex-issues:\n"
        "    jira:\n      labels: 5\n",
        "bad.yaml:6: info.x-cortex-issues.jira.labels: expected a list, got an integer (5)",
    ),
    "unknown-format": (
        "replicas: 3\nimage: nginx\n",
        "bad.yaml:1: unknown descriptor format",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_naming_file_line_and_key_path(
    cli: Invoke, tmp_path: Path, case: str
) -> None:
    text, expected = BAD_INPUTS[case]
    folder = tmp_path / "descriptors"
    folder.mkdir()
    (folder / "good.yaml").write_text(GOOD)
    (folder / "bad.yaml").write_text(text)
    result = cli("catalog", "import", str(folder))
    assert result.exit_code == 2
    assert f"error: {folder / expected}" in result.stderr
    assert "nothing was imported" in result.stderr
    assert tags(cli) == []


def test_json_import_errors_are_machine_readable(cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD_INPUTS["wrong-type"][0])
    result = cli("catalog", "import", "--json", str(tmp_path))
    assert result.exit_code == 2
    [error] = json.loads(result.stdout)["errors"]
    assert (error["kind"], error["line"], error["keyPath"]) == (
        "wrong-type",
        6,
        "info.x-cortex-issues.jira.labels",
    )


def test_same_tag_in_two_files_exits_2_naming_both(cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "cortex.yaml").write_text(GOOD)
    (tmp_path / "b" / "catalog-info.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: good-one\n"
    )
    result = cli("catalog", "import", str(tmp_path / "a"), str(tmp_path / "b"))
    assert result.exit_code == 2
    assert (
        f"{tmp_path / 'b' / 'catalog-info.yaml'}:4: metadata.name: tag 'good-one' is already "
        f"defined in {tmp_path / 'a' / 'cortex.yaml'}:3"
    ) in result.stderr
    assert tags(cli) == []


def test_skip_invalid_imports_the_good_files_and_lists_the_bad(cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "bad.yaml").write_text("openapi: 3.0.1\ninfo:\n  x-cortex-tag: BAD\n")
    result = cli("catalog", "import", "--skip-invalid", str(tmp_path))
    assert result.exit_code == 2
    assert "1 created" in result.stdout
    assert f"skipped: {tmp_path / 'bad.yaml'}:3: info.x-cortex-tag" in result.stderr
    assert tags(cli) == ["good-one"]


def test_prune_removes_entities_whose_files_are_gone(cli: Invoke, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(EXAMPLES, catalog)
    assert cli("catalog", "import", str(catalog)).exit_code == 0
    shutil.rmtree(catalog / "backstage" / "platform")
    kept = cli("catalog", "import", str(catalog))
    assert "pruned" not in kept.stdout
    assert len(tags(cli)) == 14
    pruned = cli("catalog", "import", "--prune", str(catalog))
    assert pruned.exit_code == 0
    assert "2 pruned (events-bus, platform)" in pruned.stdout
    assert "platform" not in tags(cli)


def test_missing_path_exits_2(cli: Invoke, tmp_path: Path) -> None:
    result = cli("catalog", "import", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
