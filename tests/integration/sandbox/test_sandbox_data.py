"""Generated data, data files, bulk loading, the CLI and the process-mode harness."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from sandbox_harness import running_sandbox, webhook_receiver
from ticketlens.sandbox.generator import IssueGenerator, generate_projects
from ticketlens.sandbox.model import ISSUE_TYPES
from ticketlens.sandbox.vocabulary import NEAR_MISS_LABELS

ANCHOR = datetime(2026, 3, 1, tzinfo=UTC)
CATALOG_LABELS = {
    "payments-api", "checkout-web", "search-indexer", "notifications", "inventory-api",
    "platform", "events-bus", "ledger", "billing", "billing-worker", "fraud", "risk",
    "security", "incident", "customer-facing",
}  # fmt: skip


def _issues(seed: int, count: int) -> list[object]:
    return list(IssueGenerator(seed, ANCHOR, generate_projects()).issues(count))


def test_the_same_seed_gives_the_same_issues() -> None:
    assert _issues(3, 300) == _issues(3, 300)
    assert _issues(3, 300) != _issues(4, 300)


def test_generated_data_covers_the_catalog_vocabulary_and_near_misses() -> None:
    issues = list(IssueGenerator(1, ANCHOR, generate_projects()).issues(2000))
    labels = Counter(label for i in issues for label in i.labels)
    assert set(labels) >= CATALOG_LABELS
    assert set(NEAR_MISS_LABELS) <= set(labels)
    assert {"Search-Indexer", "search-indexr", "search-indexer "} == set(NEAR_MISS_LABELS)
    components = {c for i in issues for c in i.components}
    assert {"Identity", "Mobile", "Orders", "payments-api", "search-indexer", "inventory-api"} <= (
        components
    )
    assert {i.project for i in issues} == {
        "PAY", "CHK", "LEDG", "SHIP", "INV", "ORD", "PLAT", "IAM", "MOB", "OPS",
    }  # fmt: skip
    assert {i.issuetype for i in issues} == {t.name for t in ISSUE_TYPES}
    assert {"To Do", "In Progress", "Done"} <= {i.status for i in issues}


def test_even_a_small_data_set_has_the_near_misses() -> None:
    labels = {label for i in IssueGenerator(9, ANCHOR, generate_projects()).issues(100)
              for label in i.labels}  # fmt: skip
    assert set(NEAR_MISS_LABELS) <= labels


def test_dates_are_consistent_and_before_the_anchor() -> None:
    for issue in IssueGenerator(2, ANCHOR, generate_projects()).issues(500):
        assert issue.created <= issue.updated <= ANCHOR
        if issue.resolutiondate is not None:
            assert issue.resolution is not None
            assert issue.created <= issue.resolutiondate
        else:
            assert issue.resolution is None


def test_near_misses_are_searchable_exactly() -> None:
    with running_sandbox(flavor="datacenter", issues=100, seed=9) as dc:
        exact = httpx.get(
            f"{dc.api()}/search",
            params={"jql": 'labels = "search-indexr"', "fields": "labels"},
            auth=dc.basic_auth,
        ).json()
        assert exact["total"] >= 1
        assert all("search-indexr" in i["fields"]["labels"] for i in exact["issues"])


def test_bulk_loading_adds_issues_that_search_finds() -> None:
    with running_sandbox(flavor="cloud", issues=10) as cloud:
        loaded = cloud.load_issues(
            issues=[
                {
                    "project": "SHIP",
                    "summary": "Label printer jams",
                    "labels": ["printing"],
                    "status": "In Progress",
                    "priority": "High",
                },
                {
                    "project": "ORD",
                    "key": "ORD-900",
                    "summary": "Orders stuck",
                    "components": ["Orders"],
                    "issuetype": "Incident",
                },
            ],
            generate=5,
        )
        assert loaded["created"] == 7 and loaded["total"] == 17
        assert "ORD-900" in loaded["keys"]
        found = httpx.post(
            f"{cloud.api()}/search/jql",
            json={"jql": "labels = printing OR component = Orders", "fields": ["key"]},
            auth=cloud.basic_auth,
        ).json()
        keys = {i["key"] for i in found["issues"]}
        assert "ORD-900" in keys
        assert any(k.startswith("SHIP-") for k in keys)


def test_bulk_loading_names_a_bad_item() -> None:
    with running_sandbox(flavor="cloud", issues=0) as cloud:
        response = httpx.post(
            f"{cloud.base_url}/_sandbox/issues",
            json={"issues": [{"project": "PAY", "summary": "ok"}, {"project": "NOPE"}]},
        )
        assert response.status_code == 400
        assert "issues[1]" in response.json()["errorMessages"][0]


def test_controls_are_off_unless_asked_for() -> None:
    with running_sandbox(flavor="cloud", issues=0, controls=False) as cloud:
        assert httpx.get(f"{cloud.base_url}/_sandbox/state").status_code == 404


def _cli(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ticketlens.sandbox", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def test_the_command_prints_its_url_and_credentials_and_loads_a_data_file(
    tmp_path: Path,
) -> None:
    data = tmp_path / "issues.jsonl"
    data.write_text(
        json.dumps({"project": "MOB", "key": "MOB-500", "summary": "Crash on start"}) + "\n"
    )
    child = _cli("--flavor", "datacenter", "--issues", "20", "--data", str(data))
    try:
        assert child.stdout is not None
        lines = [child.stdout.readline() for _ in range(3)]
        assert "Jira sandbox (datacenter) at http://127.0.0.1:" in lines[0]
        assert "user admin  password sandbox  PAT sandbox-pat" in lines[1]
        assert "viewer" in lines[2]
        base = lines[0].split(" at ")[1].split()[0]
        # The socket listens before the data is loaded; the request waits in its backlog.
        response = httpx.get(
            f"{base}/rest/api/2/issue/MOB-500",
            headers={"Authorization": "Bearer sandbox-pat"},
            timeout=60,
        )
        assert response.status_code == 200
        assert response.json()["fields"]["summary"] == "Crash on start"
    finally:
        child.terminate()
        child.wait(15)


def test_the_command_refuses_a_bad_option() -> None:
    child = subprocess.run(
        [sys.executable, "-m", "ticketlens.sandbox", "--rate", "lots"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 2
    assert "--rate 'lots': expected LIMIT/SECONDS" in child.stderr


@pytest.mark.parametrize("flavor", ["cloud", "datacenter"])
def test_a_process_mode_sandbox_can_be_killed_mid_run(flavor: str) -> None:
    with running_sandbox(flavor=flavor, issues=30, process=True) as jira:
        assert httpx.get(f"{jira.api()}/myself", auth=jira.basic_auth).status_code == 200
        jira.kill()
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{jira.api()}/myself", auth=jira.basic_auth, timeout=2)


def test_bulk_loads_fire_issue_created_unless_told_not_to() -> None:
    with webhook_receiver() as hooks, running_sandbox(flavor="cloud", issues=5) as cloud:
        cloud.add_webhook(hooks.url, "s3cret")
        loaded = cloud.load_issues(
            issues=[{"project": "OPS", "summary": "Pager storm"}], generate=2
        )
        received = hooks.wait_for(3)
        assert {h.payload["issue"]["key"] for h in received} == set(loaded["keys"])
        assert {h.payload["webhookEvent"] for h in received} == {"jira:issue_created"}
        cloud.control("POST", "issues", {"generate": 4, "webhooks": False})
        assert len(cloud.webhook_deliveries()) == 3
