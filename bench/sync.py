"""ticketlens's batched sync against the per-entity approach, on one sandbox.

    .venv/bin/python bench/sync.py [--entities 2000] [--issues 200000]
        [--flavors cloud,datacenter] [--latency-ms 0] [--changes 1000]

For each flavor, one sandbox process holds ``--issues`` issues shaped like a Jira with
a few years of history (most issues Done long ago; open and recent ones carry one of
the ``--entities`` entity tags as a label, a few carry none). Then, in the same run:

* **ticketlens**: a full sync into an empty SQLite mirror (one scope per connection,
  chunked, paged), then the outstanding issues of every entity read from the mirror;
* **baseline**: what Cortex-style integrations do: one paged outstanding-issues query
  per entity (the same JQL ticketlens shows in ``explain``), 4 entities at a time (the
  client's concurrency limit), with the same fields and page size;
* an incremental sync after ``--changes`` issues changed in Jira.

Jira requests are counted by the sandbox itself. ``--latency-ms`` adds that much latency
to every sandbox request (a fault plan), standing in for a real Jira's response time;
the default 0 measures against the sandbox's bare speed. Peak memory is the sync
process's resident high-water mark (``VmHWM``) right after the full sync.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

PROJECTS = ("PAY", "CHK", "LEDG", "SHIP", "INV", "ORD", "PLAT", "IAM", "MOB", "OPS")
OPEN = ("To Do", "Backlog", "In Progress", "In Review")
DONE = ("Done", "Closed")
BATCH = 20_000
SEARCH = "/rest/api/*/search*"


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def tags(count: int) -> list[str]:
    """Entity tags like ``service-0042``."""
    return [f"service-{i:04d}" for i in range(count)]


def issues(count: int, entity_tags: list[str], seed: int, now: datetime) -> list[dict[str, Any]]:
    """A Jira with three years of history: recent issues are often open, old ones Done."""
    rng = random.Random(seed)
    numbers = dict.fromkeys(PROJECTS, 0)
    made: list[dict[str, Any]] = []
    for index in range(count):
        project = rng.choice(PROJECTS)
        numbers[project] += 1
        age = timedelta(days=rng.random() * 1095)
        created = now - age
        recent = age < timedelta(days=90)
        done = rng.random() < (0.35 if recent else 0.9)
        status = rng.choice(DONE) if done else rng.choice(OPEN)
        updated = created + (age * rng.random() * 0.5 if done else age * rng.random())
        labels = [rng.choice(entity_tags)] if rng.random() < 0.85 else []
        item: dict[str, Any] = {
            "id": 100_000 + index,
            "key": f"{project}-{numbers[project]}",
            "project": project,
            "summary": f"issue {index} of {labels[0] if labels else 'nobody'}",
            "status": status,
            "issuetype": rng.choice(("Bug", "Story", "Task")),
            "priority": rng.choice(("High", "Medium", "Low")),
            "assignee": rng.choice(("alice", "bob", "carol", None)),
            "created": _stamp(created),
            "updated": _stamp(updated),
            "labels": labels,
        }
        if done:
            item["resolution"] = "Done"
            item["resolutiondate"] = _stamp(updated)
        made.append(item)
    return made


@dataclass
class Phase:
    """What one approach cost."""

    requests: int
    seconds: float
    issues: int


async def prepare_db(url: str, jira: Any, entity_tags: list[str], settings: Any) -> None:
    from pydantic import SecretStr

    from ticketlens.catalog import Entity, EntitySource
    from ticketlens.connections import ConnectionCreate, ConnectionKind, connection_store
    from ticketlens.db.engine import create_engine
    from ticketlens.entities.store import save_entities

    engine = create_engine(url)
    try:
        source = EntitySource(format="cortex", path="bench", line=1)
        batch = [Entity(tag=t, name=t, type="service", source=source) for t in entity_tags]
        async with engine.begin() as conn:
            await save_entities(conn, batch)
        if jira.flavor == "cloud":
            data = ConnectionCreate(
                alias="bench",
                kind=ConnectionKind.CLOUD,
                url=jira.base_url,
                email=jira.email,
                api_token=SecretStr(jira.api_token),
            )
        else:
            data = ConnectionCreate(
                alias="bench",
                kind=ConnectionKind.DATACENTER_PAT,
                url=jira.base_url,
                personal_access_token=SecretStr(jira.pat),
            )
        await connection_store(engine, settings).create(data, default_timeout=60)
    finally:
        await engine.dispose()


async def full_sync(url: str, settings: Any) -> tuple[Any, float]:
    from ticketlens.db.engine import create_engine
    from ticketlens.sync.runner import sync_connections

    engine = create_engine(url)
    try:
        began = time.perf_counter()
        [report] = await sync_connections(engine, settings, alias="bench", mode="auto")
        return report, time.perf_counter() - began
    finally:
        await engine.dispose()


async def mirror_outstanding(url: str, settings: Any) -> tuple[dict[str, int], float]:
    """Every entity's outstanding-issue count, read from the mirror (one statement)."""
    from ticketlens.db.engine import create_engine
    from ticketlens.sync.reading import outstanding_counts

    engine = create_engine(url)
    try:
        began = time.perf_counter()
        counts = await outstanding_counts(engine, settings)
        return counts, time.perf_counter() - began
    finally:
        await engine.dispose()


async def per_entity(url: str, settings: Any) -> tuple[dict[str, int], float]:
    """The baseline: one paged outstanding-issues query per entity, 4 at a time."""
    from ticketlens.catalog.matching import match_entity, outstanding_query
    from ticketlens.connections.clients import open_client
    from ticketlens.db.engine import create_engine
    from ticketlens.sync.engine import connection_infos
    from ticketlens.sync.scope import ISSUE_FIELDS
    from ticketlens.sync.sources import infos, load_connections, load_entities

    engine = create_engine(url)
    try:
        connections = await load_connections(engine, settings)
        filled = await connection_infos(engine, infos(connections))
        entities = await load_entities(engine)
        client = open_client(settings, connections[0])
        gate = asyncio.Semaphore(settings.jira_concurrency)
        counts: dict[str, int] = {}

        async def one(entity: Any) -> None:
            match = match_entity(entity, filled).connections[0]
            query = outstanding_query(entity, match, filled[0])
            found = 0
            if query is not None:
                async with gate:
                    async for page in client.search(query, ISSUE_FIELDS):
                        found += len(page.issues)
            counts[entity.tag] = found

        began = time.perf_counter()
        async with client:
            await asyncio.gather(*(one(e) for e in entities))
        return counts, time.perf_counter() - began
    finally:
        await engine.dispose()


def requests_of(jira: Any) -> int:
    counts = jira.request_counts()
    return sum(r["count"] for r in counts["requests"] if not r["endpoint"].startswith("/_"))


def run_flavor(flavor: str, args: argparse.Namespace) -> dict[str, Any]:
    from sandbox_harness import running_sandbox
    from ticketlens.db.migrate import upgrade
    from ticketlens.logs import configure_logging
    from ticketlens.settings import Settings

    entity_tags = tags(args.entities)
    now = datetime.now(UTC)
    data = issues(args.issues, entity_tags, args.seed, now)
    with (
        tempfile.TemporaryDirectory() as folder,
        running_sandbox(flavor, issues=0, seed=args.seed, process=True) as jira,
    ):
        began = time.perf_counter()
        for start in range(0, len(data), BATCH):
            jira.load_issues(data[start : start + BATCH])
        loaded = time.perf_counter() - began
        print(f"[{flavor}] sandbox holds {len(data):,} issues (loaded in {loaded:.0f}s)")
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        settings = Settings(data_dir=Path(folder), secret_key="b" * 48, log_level="warning")
        configure_logging(settings)
        asyncio.run(prepare_db(url, jira, entity_tags, settings))
        if args.latency_ms:
            jira.add_fault(kind="latency", latency_ms=args.latency_ms, endpoint="*", count=10**7)

        jira.reset_request_counts()
        child = subprocess.run(  # the sync alone in a process, so its peak memory is its own
            [sys.executable, __file__, "--sync-only", url, folder],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        sync_requests = requests_of(jira)
        report = SimpleNamespace(**result["report"])
        sync_seconds, peak = result["seconds"], result["peak_mb"]
        assert report.error is None, report.error
        mirrored, read_seconds = asyncio.run(mirror_outstanding(url, settings))

        jira.reset_request_counts()
        baseline, base_seconds = asyncio.run(per_entity(url, settings))
        base_requests = requests_of(jira)
        assert baseline == mirrored, "the mirror and the per-entity queries disagree"

        # Incremental: --changes open, labelled issues change in Jira.
        rng = random.Random(args.seed + 1)
        candidates = [d for d in data if d["labels"] and d["status"] in OPEN]
        changed = rng.sample(candidates, min(args.changes, len(candidates)))
        stamp = _stamp(datetime.now(UTC))
        jira.load_issues(
            [{**d, "summary": d["summary"] + " (edited)", "updated": stamp} for d in changed]
        )
        jira.reset_request_counts()
        inc_report, inc_seconds = asyncio.run(full_sync(url, settings))
        inc_requests = requests_of(jira)
        assert inc_report.kind == "incremental", inc_report.kind

    sync = Phase(sync_requests, sync_seconds + read_seconds, report.issues_fetched)
    base = Phase(base_requests, base_seconds, sum(baseline.values()))
    return {
        "flavor": flavor,
        "entities": args.entities,
        "issues": args.issues,
        "latency_ms": args.latency_ms,
        "ticketlens": sync.__dict__ | {"mirrored": report.issues_mirrored, "chunks": report.chunks},
        "baseline": base.__dict__,
        "request_ratio": round(base.requests / max(sync.requests, 1), 1),
        "time_ratio": round(base.seconds / max(sync.seconds, 1e-9), 2),
        "incremental": {
            "changes": len(changed),
            "requests": inc_requests,
            "seconds": round(inc_seconds, 2),
            "fetched": inc_report.issues_fetched,
        },
        "peak_mb": round(peak, 1),
        "sync_seconds": round(sync_seconds, 1),
        "read_seconds": round(read_seconds, 1),
    }


def sync_only(url: str, folder: str) -> None:
    """Child process: one sync of the bench connection; prints report, seconds and peak."""
    from ticketlens.logs import configure_logging
    from ticketlens.settings import Settings

    settings = Settings(data_dir=Path(folder), secret_key="b" * 48, log_level="warning")
    configure_logging(settings)
    report, seconds = asyncio.run(full_sync(url, settings))
    data = {
        "report": {
            "error": report.error,
            "issues_fetched": report.issues_fetched,
            "issues_mirrored": report.issues_mirrored,
            "chunks": report.chunks,
            "kind": report.kind,
        },
        "seconds": seconds,
        "peak_mb": _peak_mb(),
    }
    print(json.dumps(data))


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--sync-only":
        sync_only(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=2000)
    parser.add_argument("--issues", type=int, default=200_000)
    parser.add_argument("--flavors", default="cloud,datacenter")
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", action="store_true", help="Print the results as JSON too.")
    args = parser.parse_args()
    results = [run_flavor(f.strip(), args) for f in args.flavors.split(",") if f.strip()]
    for r in results:
        t, b, inc = r["ticketlens"], r["baseline"], r["incremental"]
        print(
            f"\n== {r['flavor']}: {r['entities']:,} entities, {r['issues']:,} issues, "
            f"added latency {r['latency_ms']} ms/request"
        )
        print(f"{'':24}{'requests':>10}{'seconds':>10}{'issues':>10}")
        row = "{:24}{:>10,}{:>10.1f}{:>10,}"
        print(row.format("ticketlens full sync", t["requests"], t["seconds"], t["issues"]))
        print(
            f"{'per-entity queries':24}{b['requests']:>10,}{b['seconds']:>10.1f}{b['issues']:>10,}"
        )
        print(
            f"ratio (baseline / ticketlens): requests {r['request_ratio']}x "
            f"(target >= 20x), wall time {r['time_ratio']}x (target >= 5x)"
        )
        print(
            f"incremental after {inc['changes']:,} changes: {inc['requests']} requests "
            f"(target <= 15), {inc['seconds']}s, {inc['fetched']:,} fetched"
        )
        page = 100 if r["flavor"] == "cloud" else 1000
        fewest = -(-t["issues"] // page)
        print(
            f"fewest search requests that carry {t['issues']:,} issues at {page:,} per page "
            f"(the flavor's cap with fields): {fewest:,}, so the best request ratio possible "
            f"here is {b['requests'] / fewest:.1f}x"
        )
        day = 288  # a refresh every 5 minutes
        ours_day = t["requests"] + (day - 1) * inc["requests"]
        print(
            f"a day of refreshes every 5 minutes, from the figures above: baseline "
            f"{day * b['requests']:,} requests, ticketlens {ours_day:,} (1 full + "
            f"{day - 1} incremental), {day * b['requests'] / ours_day:.0f}x fewer"
        )
        print(f"peak memory of the full sync: {r['peak_mb']} MB (target < 500 MB)")
        print(
            f"ticketlens = full sync {r['sync_seconds']}s + every entity's outstanding issues "
            f"read from the mirror {r['read_seconds']}s; mirror: {t['mirrored']:,} issues "
            f"in {t['chunks']} chunks"
        )
        print(
            "each further per-entity view (a rule, a lens) costs the baseline another "
            f"{b['requests']:,}+ requests and ticketlens none (answered from the mirror)"
        )
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
