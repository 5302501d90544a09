"""Fetch every issue from the sandbox with ticketlens's client and with the ``jira`` client.

    .venv/bin/python bench/client_search.py [--issues 100000] [--flavors cloud,datacenter]

For each flavor one sandbox process serves both clients. Each client runs in its own
child process (so neither inherits the other's memory) and reports issues/s and its peak
peak resident memory (``VmHWM``), also shown as growth over the
process's size after start-up. Both ask for the same
fields and the same page size (Cloud 100, Data Center 1000); ticketlens streams pages and
fetches Data Center pages concurrently, the ``jira`` client builds its result list.
A warm-up pass first fills the sandbox's caches, then the two clients alternate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIELDS = [
    "summary",
    "status",
    "labels",
    "components",
    "project",
    "issuetype",
    "priority",
    "assignee",
    "created",
    "updated",
    "resolutiondate",
]
JQL = "ORDER BY key ASC"
PAGE_SIZE = {"cloud": 100, "datacenter": 1000}


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM; ``ru_maxrss`` would include the parent's
    peak, which Linux carries across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _ticketlens(url: str, flavor: str, user: str, secret: str) -> int:
    from ticketlens.jira import BasicCredential, ClientConfig, JiraClient

    config = ClientConfig(
        url,
        "cloud" if flavor == "cloud" else "datacenter",
        name="bench",
        page_size=PAGE_SIZE[flavor],
        concurrency=4,
        timeout=120,
    )
    count = 0
    async with JiraClient(config, BasicCredential(user, secret)) as client:
        async for page in client.search(JQL, FIELDS):
            for issue in page.issues:
                count += bool(issue.fields.get("summary") is not None)
    return count


def _jira(url: str, flavor: str, user: str, secret: str) -> int:
    from jira import JIRA
    from jira.resources import Issue

    client = JIRA(
        server=url,
        basic_auth=(user, secret),
        options={"default_batch_size": {Issue: PAGE_SIZE[flavor]}},
        get_server_info=True,
    )
    if flavor == "cloud":
        issues: Any = client.enhanced_search_issues(JQL, maxResults=0, fields=FIELDS)
    else:
        issues = client.search_issues(JQL, maxResults=False, fields=FIELDS)
    return sum(1 for issue in issues if issue.fields.summary is not None)


def worker(which: str, url: str, flavor: str, user: str, secret: str) -> None:
    """Child process: fetch everything once, print one JSON line of figures."""
    if which == "ticketlens":
        import ticketlens.jira  # noqa: F401  (import cost is not part of the figure)
    else:
        import jira  # noqa: F401
    baseline = _peak_mb()
    started = time.perf_counter()
    if which == "ticketlens":
        count = asyncio.run(_ticketlens(url, flavor, user, secret))
    else:
        count = _jira(url, flavor, user, secret)
    seconds = time.perf_counter() - started
    peak = _peak_mb()
    print(
        json.dumps(
            {"issues": count, "seconds": seconds, "peak_mb": peak, "growth_mb": peak - baseline}
        )
    )


def run_worker(which: str, url: str, flavor: str, user: str, secret: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", which, url, flavor, user, secret],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def bench_flavor(flavor: str, issues: int, rounds: int) -> dict[str, dict[str, float]]:
    sys.path.insert(0, str(ROOT / "tests"))
    from sandbox_harness import running_sandbox

    print(f"== {flavor}: starting a sandbox with {issues:,} issues ...", flush=True)
    with running_sandbox(flavor=flavor, issues=issues, seed=1, process=True) as jira:
        user, secret = jira.basic_auth
        run_worker("ticketlens", jira.base_url, flavor, user, secret)  # warm-up
        best: dict[str, dict[str, float]] = {}
        for _ in range(rounds):
            for which in ("jira", "ticketlens"):
                result = run_worker(which, jira.base_url, flavor, user, secret)
                assert result["issues"] == issues, (which, result)
                if which not in best or result["seconds"] < best[which]["seconds"]:
                    best[which] = result
    return best


def report(flavor: str, best: dict[str, dict[str, float]]) -> None:
    ours, theirs = best["ticketlens"], best["jira"]
    rate = {k: v["issues"] / v["seconds"] for k, v in best.items()}
    print(
        f"{flavor:<11} {'client':<11} {'issues/s':>10} {'seconds':>9} {'peak RSS MB':>12} "
        f"{'growth MB':>10}"
    )
    for name in ("ticketlens", "jira"):
        figures = best[name]
        print(
            f"{'':<11} {name:<11} {rate[name]:>10,.0f} {figures['seconds']:>9.2f} "
            f"{figures['peak_mb']:>12.1f} {figures['growth_mb']:>10.1f}"
        )
    print(
        f"{'':<11} ticketlens / jira: {rate['ticketlens'] / rate['jira']:.2f}x throughput, "
        f"{ours['peak_mb'] / theirs['peak_mb']:.2f}x peak memory "
        f"(page size {PAGE_SIZE[flavor]})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--flavors", default="cloud,datacenter")
    parser.add_argument("--rounds", type=int, default=1, help="runs per client; best is kept")
    parser.add_argument("--worker", nargs=5, metavar=("CLIENT", "URL", "FLAVOR", "USER", "SECRET"))
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    for flavor in args.flavors.split(","):
        report(flavor, bench_flavor(flavor, args.issues, args.rounds))


if __name__ == "__main__":
    main()
