"""Atlassian's JQL parser as a referee: one Node.js process judges a whole batch."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ORACLE_DIR = Path(__file__).resolve().parents[2] / "oracle" / "jql"
_INSTALLED = ORACLE_DIR / "node_modules" / "@atlaskit" / "jql-ast"


def require_oracle() -> str:
    """The node executable, or a loud failure saying how to install the oracle."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is not installed: the JQL oracle needs `node` on PATH", pytrace=False)
    if not _INSTALLED.is_dir():
        pytest.fail(
            f"Atlassian's JQL parser is not installed in {ORACLE_DIR}: run `make oracle`",
            pytrace=False,
        )
    return node


def oracle_verdicts(queries: list[str]) -> list[bool]:
    """True for each query Atlassian's parser accepts, in order."""
    node = require_oracle()
    stdin = "".join(json.dumps(query) + "\n" for query in queries)
    done = subprocess.run(
        [node, "oracle.js"],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ORACLE_DIR,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"The JQL oracle failed (exit {done.returncode}): {done.stderr[-2000:]}")
    lines = done.stdout.splitlines()
    assert len(lines) == len(queries), "the oracle answered a different number of queries"
    return [bool(json.loads(line)["ok"]) for line in lines]
