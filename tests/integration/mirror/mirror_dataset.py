"""The small hand-built data set behind the JQL case table.

The clock is fixed at NOW (Wednesday 2024-03-13 15:00 UTC); the user's zone is
Europe/Berlin (UTC+1 in March 2024, before daylight saving starts on the 31st).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from ticketlens.mirror import MirrorIssue, MirrorUser, NamedItem

NOW = datetime(2024, 3, 13, 15, 0, tzinfo=UTC)
TZ = "Europe/Berlin"
MAIN = "main"
OTHER = "dc"

ALICE = MirrorUser(account_id="acc-alice", name="alice", display_name="Alice Smith")
BOB = MirrorUser(account_id="acc-bob", name="bob", display_name="Bob Jones")
CAROL = MirrorUser(account_id="acc-carol", name="carol", display_name="Carol Díaz")

PROJECTS = {
    "PAY": ("10000", "Payments"),
    "CHK": ("10001", "Checkout"),
    "OPS": ("10002", "Operations"),
    "LEDG": ("10003", "Ledger"),
}
STATUSES = {
    "To Do": ("1", "new"),
    "Backlog": ("10100", "new"),
    "In Progress": ("3", "indeterminate"),
    "In Review": ("10010", "indeterminate"),
    "Done": ("10001", "done"),
    "Closed": ("6", "done"),
}
PRIORITIES = {"Highest": 1, "High": 2, "Medium": 3, "Low": 4, "Lowest": 5}
TYPES = {"Bug": "1", "Story": "2", "Task": "3", "Epic": "4", "Incident": "5", "Sub-task": "6"}
TYPES["Security Bug"] = "7"
RESOLUTIONS = {"Fixed": "1", "Done": "10000", "Won't Do": "10001"}

PAYMENTS = NamedItem(name="Payments", id="100")
API = NamedItem(name="API", id="101")
WEB = NamedItem(name="Web", id="200")
PAY_API = NamedItem(name="payments-api", id="201")
LEDGER = NamedItem(name="Ledger", id="300")
INFRA = NamedItem(name="Infra", id="400")


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def issue(
    issue_id: int,
    key: str,
    *,
    issuetype: str,
    status: str,
    created: str,
    updated: str,
    summary: str,
    priority: str | None = None,
    resolution: str | None = None,
    resolved: str | None = None,
    due: date | None = None,
    description: str | None = None,
    labels: tuple[str, ...] = (),
    components: tuple[NamedItem, ...] = (),
    fix_versions: tuple[str, ...] = (),
    assignee: MirrorUser | None = None,
    reporter: MirrorUser | None = None,
    parent: tuple[int, str] | None = None,
) -> MirrorIssue:
    """One issue of the data set, filling ids from the vocabularies above."""
    project = key.split("-")[0]
    project_id, project_name = PROJECTS[project]
    status_id, category = STATUSES[status]
    return MirrorIssue(
        id=issue_id,
        key=key,
        project_id=project_id,
        project_key=project,
        project_name=project_name,
        issuetype=issuetype,
        issuetype_id=TYPES[issuetype],
        status=status,
        status_id=status_id,
        status_category=category,
        priority=priority,
        priority_id=str(PRIORITIES[priority]) if priority else None,
        priority_rank=PRIORITIES[priority] if priority else None,
        resolution=resolution,
        resolution_id=RESOLUTIONS[resolution] if resolution else None,
        assignee=assignee,
        reporter=reporter,
        created=_t(created),
        updated=_t(updated),
        resolutiondate=_t(resolved) if resolved else None,
        duedate=due,
        summary=summary,
        description=description,
        labels=labels,
        components=components,
        fix_versions=tuple(NamedItem(name=v, id=str(900 + n)) for n, v in enumerate(fix_versions)),
        parent_id=parent[0] if parent else None,
        parent_key=parent[1] if parent else None,
    )


ISSUES = [
    issue(
        1,
        "PAY-1",
        issuetype="Bug",
        status="To Do",
        priority="High",
        created="2024-01-10 09:00",
        updated="2024-03-12 10:00",
        due=date(2024, 3, 15),
        summary="Login fails for EU customers",
        description="Users cannot log in after the update.",
        labels=("payments-api", "security"),
        components=(PAYMENTS,),
        fix_versions=("1.0",),
        assignee=ALICE,
        reporter=BOB,
    ),
    issue(
        2,
        "PAY-2",
        issuetype="Story",
        status="In Progress",
        priority="Medium",
        created="2024-02-01 12:00",
        updated="2024-03-13 08:00",
        summary="Add refund endpoint",
        labels=("payments-api",),
        assignee=BOB,
        reporter=ALICE,
        parent=(5, "PAY-5"),
    ),
    issue(
        3,
        "PAY-3",
        issuetype="Bug",
        status="Done",
        priority="High",
        resolution="Fixed",
        resolved="2024-03-01 16:30",
        created="2023-12-31 23:30",
        updated="2024-03-01 16:30",
        due=date(2024, 2, 28),
        summary="Refund rounding error",
        description="Amounts are off by one cent.",
        components=(PAYMENTS, API),
        fix_versions=("1.0", "1.1"),
        reporter=ALICE,
    ),
    issue(
        4,
        "CHK-1",
        issuetype="Task",
        status="To Do",
        priority="Low",
        created="2024-03-11 23:30",
        updated="2024-03-13 14:59",
        due=date(2024, 3, 13),
        summary="Checkout button misaligned",
        description="The checkout button overlaps the footer on mobile.",
        labels=("checkout-web", "Customer-Facing"),
        components=(WEB,),
        assignee=ALICE,
        reporter=BOB,
    ),
    issue(
        5,
        "PAY-5",
        issuetype="Epic",
        status="In Review",
        priority="Highest",
        created="2024-03-04 00:00",
        updated="2024-03-10 00:00",
        summary="Payments reliability",
        description="Tracking incident follow-ups",
        labels=("payments-api", "incident"),
        components=(PAYMENTS,),
        reporter=CAROL,
    ),
    issue(
        6,
        "OPS-1",
        issuetype="Incident",
        status="Closed",
        resolution="Won't Do",
        resolved="2024-03-13 14:00",
        created="2024-03-13 06:00",
        updated="2024-03-13 14:00",
        summary="Database failover in eu-west",
        description="Primary database failed over; 5 minutes of errors.",
        labels=("incident", "customer-facing"),
        assignee=BOB,
        reporter=BOB,
    ),
    issue(
        7,
        "LEDG-1",
        issuetype="Security Bug",
        status="To Do",
        priority="Lowest",
        created="2023-06-15 12:00",
        updated="2024-01-20 12:00",
        due=date(2024, 4, 1),
        summary="Ledger export leaks account numbers",
        description="Exports include full numbers.",
        labels=("ledger",),
        components=(LEDGER,),
        fix_versions=("2.0",),
        assignee=CAROL,
        reporter=ALICE,
    ),
    issue(
        8,
        "CHK-2",
        issuetype="Bug",
        status="In Progress",
        priority="High",
        created="2024-03-10 12:00",
        updated="2024-03-11 12:00",
        due=date(2024, 3, 12),
        summary="Payment widget crashes",
        description="Widget crash when paying with card",
        labels=("checkout-web",),
        components=(WEB, PAY_API),
        assignee=ALICE,
        reporter=CAROL,
    ),
    issue(
        9,
        "OPS-2",
        issuetype="Task",
        status="Done",
        priority="Medium",
        resolution="Done",
        resolved="2024-02-15 09:00",
        created="2024-02-10 09:00",
        updated="2024-02-15 09:00",
        summary="Rotate TLS certificates",
        description="Certificates expire soon; rotate them.",
        labels=("ops",),
        components=(INFRA,),
        reporter=BOB,
    ),
    issue(
        10,
        "PAY-10",
        issuetype="Sub-task",
        status="To Do",
        priority="Medium",
        created="2024-03-13 14:30",
        updated="2024-03-13 14:30",
        summary="Write regression test for login",
        labels=("search-indexer",),
        reporter=ALICE,
        parent=(1, "PAY-1"),
    ),
    issue(
        11,
        "CHK-3",
        issuetype="Story",
        status="Backlog",
        priority="Medium",
        created="2024-03-01 10:00",
        updated="2024-03-02 10:00",
        summary="Search results paging",
        description="Paging via search-indexer is broken",
        labels=("Search-Indexer",),
        assignee=BOB,
        reporter=BOB,
    ),
    issue(
        12,
        "OPS-3",
        issuetype="Bug",
        status="To Do",
        priority="Low",
        created="2024-03-12 10:00",
        updated="2024-03-12 10:00",
        due=date(2024, 3, 14),
        summary="The alerts page is slow",
        description="Slow page load on the alerts dashboard",
    ),
]

# Same issue id as PAY-1, on another connection: it must never leak into MAIN's answers.
OTHER_ISSUES = [
    issue(
        1,
        "PAY-1",
        issuetype="Bug",
        status="Done",
        priority="High",
        created="2024-01-10 09:00",
        updated="2024-03-12 10:00",
        summary="Login fails elsewhere",
        labels=("payments-api", "elsewhere"),
    ),
]

ALL_KEYS = frozenset(i.key for i in ISSUES)
