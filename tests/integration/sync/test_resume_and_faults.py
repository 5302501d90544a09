"""A sync killed mid-way resumes and ends equal to Jira; fault plans don't change the
result; when Jira is down the last good data stays readable, marked with its age."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sync_world import Jiras, assert_mirror_equals_jira, delete_issue, mirrored

from ticketlens.mirror.tables import mirror_issues
from ticketlens.settings import Settings
from ticketlens.sync import reading, state
from ticketlens.sync.runner import sync_connections

TICKETLENS = str(Path(sys.executable).parent / "ticketlens")


def sync_process(db_url: str, settings: Settings) -> subprocess.Popen[bytes]:
    """``ticketlens sync --alias main`` in its own process, with small pages and chunks."""
    env = {
        **os.environ,
        "TICKETLENS_DATABASE_URL": db_url,
        "TICKETLENS_DATA_DIR": str(settings.data_dir),
        "TICKETLENS_SECRET_KEY": str(settings.secret_key),
        "TICKETLENS_JIRA_CLOUD_PAGE_SIZE": "10",
        "TICKETLENS_JIRA_DATACENTER_PAGE_SIZE": "10",
        "TICKETLENS_JIRA_CONCURRENCY": "1",
        "TICKETLENS_SYNC_MAX_JQL_LENGTH": "1000",
        "TICKETLENS_LOG_LEVEL": "warning",
    }
    return subprocess.Popen(
        [TICKETLENS, "sync", "--alias", "main", "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def test_a_sync_killed_mid_way_resumes_and_ends_equal_to_jira(
    engine: AsyncEngine, settings: Settings, world: Jiras, db_url: str
) -> None:
    jira = world.default
    # A few quick pages, then slow ones: the sync makes progress but cannot finish in the
    # moment between the test seeing a checkpoint and killing it, however loaded the machine.
    search = "/rest/api/*/search*"
    jira.add_fault(kind="latency", latency_ms=60, endpoint=search, count=6)
    jira.add_fault(kind="latency", latency_ms=1_500, endpoint=search, count=10_000)
    child = sync_process(db_url, settings)
    try:
        deadline = time.monotonic() + 60
        while True:
            point = await state.read_checkpoint(engine, "main")
            if point is not None and await state.mirrored_count(engine, "main") >= 40:
                break
            assert child.poll() is None, "the sync finished before it could be killed"
            assert time.monotonic() < deadline, "the sync made no progress"
            await asyncio.sleep(0.05)
        child.kill()
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    jira.clear_faults()
    killed_at = await state.read_checkpoint(engine, "main")
    assert killed_at is not None and killed_at.kind == "full"
    halfway = await mirrored(engine, "main")
    assert halfway
    # Jira changes while the sync is down: an issue already mirrored is deleted.
    delete_issue(jira, sorted(halfway)[0])

    # Resumed with the killed process's settings: the same chunks (another concurrency
    # would cut a Cloud scope differently, and the checkpoint would be discarded).
    same = settings.model_copy(update={"sync_max_jql_length": 1000, "jira_concurrency": 1})
    [report] = await sync_connections(engine, same, alias="main")
    assert report.error is None
    assert report.resumed and report.kind == "full"
    assert await state.read_checkpoint(engine, "main") is None
    await assert_mirror_equals_jira(engine, same, jira, "main")
    async with engine.connect() as conn:
        keys = select(func.count(), func.count(mirror_issues.c.key.distinct())).where(
            mirror_issues.c.connection == "main"
        )
        total, distinct = (await conn.execute(keys)).one()
    assert total == distinct


async def test_a_fault_plan_during_sync_changes_nothing_in_the_result(
    engine: AsyncEngine, settings: Settings, world: Jiras
) -> None:
    jira = world.default
    search = "/rest/api/*/search*"
    jira.add_fault(kind="error", status=503, endpoint=search, count=2)
    jira.add_fault(kind="rate_limit", endpoint=search, count=2, retry_after=1)
    jira.add_fault(kind="drop", endpoint=search, count=1)
    jira.add_fault(kind="error", status=502, endpoint="/rest/api/*/project*", count=1)
    reports = await sync_connections(engine, settings)
    assert [r.error for r in reports] == [None, None]
    assert reports[0].requests > 15  # the retries were counted
    await assert_mirror_equals_jira(engine, settings, jira, "main")


async def test_when_jira_is_down_the_last_good_data_stays_readable_with_its_age(
    engine: AsyncEngine, settings: Settings, world: Jiras
) -> None:
    await sync_connections(engine, settings)
    before = await reading.entity_issues(engine, settings, "payments-api", limit=1000)
    assert before["issues"]
    world.default.add_fault(kind="error", status=500, endpoint="*", count=10_000)
    [report] = await sync_connections(engine, settings, alias="main")
    assert report.error is not None and "500" in report.error
    status = await state.read_status(engine, "main")
    assert status is not None and status.status == "failed" and status.last_error
    after = await reading.entity_issues(engine, settings, "payments-api", limit=1000)
    assert after["issues"] == before["issues"]
    [part] = after["connections"]
    assert part["stale"] is True
    assert part["lastError"] and part["ageSeconds"] is not None and part["syncedAt"]
