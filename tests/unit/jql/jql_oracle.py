"""Atlassian's JQL parser as a referee: one Node.js process judges a whole batch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
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


def oracle_verdicts(queries: list[str], processes: int = 0) -> list[bool]:
    """True for each query Atlassian's parser accepts, in order.

    The batch is split over a few Node.js processes running side by side (one per CPU,
    at most four); each judges thousands of queries.
    """
    node = require_oracle()
    count = processes or max(1, min(4, os.cpu_count() or 1, len(queries) // 500))
    size = -(-len(queries) // count) if queries else 0
    chunks = [queries[i : i + size] for i in range(0, len(queries), size)] if size else []
    with ThreadPoolExecutor(max_workers=max(1, len(chunks))) as pool:
        answers = list(pool.map(lambda chunk: _judge(node, chunk), chunks))
    return [verdict for chunk in answers for verdict in chunk]


def _judge(node: str, queries: list[str]) -> list[bool]:
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
    # Not splitlines(): messages may hold U+2028 or U+0085, which JSON leaves raw.
    lines = done.stdout.split("\n")[:-1]
    assert len(lines) == len(queries), "the oracle answered a different number of queries"
    return [bool(json.loads(line)["ok"]) for line in lines]
