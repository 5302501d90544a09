"""``ticketlens jql check``: one JSON verdict per query, exit code 1 if any is invalid."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ticketlens.cli.main import main


def _run(args: list[str], stdin: str | None = None) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(main, ["jql", "check", *args], input=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, lines


def test_single_valid_query_prints_its_canonical_form() -> None:
    code, lines = _run(["project = pay and labels in (a, 'b c') order by created desc"])
    assert code == 0
    assert lines == [
        {"ok": True, "jql": 'project = pay AND labels IN (a, "b c") ORDER BY created DESC'}
    ]


def test_single_invalid_query_reports_message_and_position_and_exits_1() -> None:
    code, lines = _run(["project = "])
    assert code == 1
    assert lines == [
        {
            "ok": False,
            "error": "Expected a value or EMPTY after '=' at line 1, column 11",
            "position": 10,
        }
    ]


def test_stdin_gives_one_verdict_per_line_in_order() -> None:
    code, lines = _run([], stdin="a = b\nc = select\r\nstatus was Done before -1d\n")
    assert code == 1
    assert [line["ok"] for line in lines] == [True, False, True]
    assert lines[1]["position"] == 4
    assert lines[2]["jql"] == "status WAS Done BEFORE -1d"


def test_all_valid_stdin_exits_0() -> None:
    code, lines = _run([], stdin="a = b\nc != d\n")
    assert code == 0
    assert len(lines) == 2
