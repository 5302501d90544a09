"""The sandbox's Jira domain: statuses, issue types, priorities, users, projects and issues.

Ids follow Jira's conventions where Jira fixes them (status categories 2/4/3, priorities
1–5) and are otherwise stable sandbox choices, so a test can name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class StatusCategory:
    """One of Jira's fixed status categories."""

    id: int
    key: str
    name: str
    color: str


TODO = StatusCategory(2, "new", "To Do", "blue-gray")
IN_PROGRESS = StatusCategory(4, "indeterminate", "In Progress", "yellow")
DONE = StatusCategory(3, "done", "Done", "green")
NO_CATEGORY = StatusCategory(1, "undefined", "No Category", "medium-gray")
STATUS_CATEGORIES = (NO_CATEGORY, TODO, DONE, IN_PROGRESS)


@dataclass(frozen=True, slots=True)
class Status:
    """A workflow status; ``transition_id`` names the transition that leads to it."""

    id: int
    name: str
    category: StatusCategory
    transition_id: int


STATUSES = (
    Status(10000, "To Do", TODO, 11),
    Status(10001, "Backlog", TODO, 21),
    Status(3, "In Progress", IN_PROGRESS, 31),
    Status(10002, "In Review", IN_PROGRESS, 41),
    Status(10003, "Blocked", IN_PROGRESS, 51),
    Status(10004, "Done", DONE, 61),
    Status(6, "Closed", DONE, 71),
)
STATUS_BY_NAME = {s.name.lower(): s for s in STATUSES}
STATUS_BY_ID = {s.id: s for s in STATUSES}
STATUS_BY_TRANSITION = {s.transition_id: s for s in STATUSES}


@dataclass(frozen=True, slots=True)
class IssueType:
    """An issue type; Epics sit one level above the others."""

    id: int
    name: str
    description: str
    hierarchy_level: int = 0


ISSUE_TYPES = (
    IssueType(10000, "Epic", "A big user story that needs to be broken down.", 1),
    IssueType(10001, "Story", "Functionality or a feature expressed as a user goal."),
    IssueType(10002, "Task", "A small, distinct piece of work."),
    IssueType(10003, "Bug", "A problem or error."),
    IssueType(10004, "Incident", "An unplanned interruption or reduction in quality of service."),
    IssueType(10005, "Security Bug", "A security weakness that needs fixing."),
)
ISSUE_TYPE_BY_NAME = {t.name.lower(): t for t in ISSUE_TYPES}
ISSUE_TYPE_BY_ID = {t.id: t for t in ISSUE_TYPES}


@dataclass(frozen=True, slots=True)
class Priority:
    """A priority; a lower ``id`` is more urgent (Jira's default scheme)."""

    id: int
    name: str
    color: str


PRIORITIES = (
    Priority(1, "Highest", "#d04437"),
    Priority(2, "High", "#f15C75"),
    Priority(3, "Medium", "#f79232"),
    Priority(4, "Low", "#707070"),
    Priority(5, "Lowest", "#999999"),
)
PRIORITY_BY_NAME = {p.name.lower(): p for p in PRIORITIES}
PRIORITY_BY_ID = {p.id: p for p in PRIORITIES}


@dataclass(frozen=True, slots=True)
class Resolution:
    """How a finished issue was resolved."""

    id: int
    name: str
    description: str


RESOLUTIONS = (
    Resolution(10000, "Done", "Work has been completed on this issue."),
    Resolution(10001, "Won't Do", "This issue won't be actioned."),
    Resolution(10002, "Duplicate", "The problem is a duplicate of an existing issue."),
)
RESOLUTION_BY_NAME = {r.name.lower(): r for r in RESOLUTIONS}


@dataclass(slots=True)
class User:
    """A sandbox user. ``projects`` is None when the user may browse every project."""

    name: str
    account_id: str
    display_name: str
    email: str
    time_zone: str
    password: str | None = None
    api_token: str | None = None
    pat: str | None = None
    projects: frozenset[str] | None = None
    global_permissions: frozenset[str] = frozenset({"USER_PICKER"})
    admin: bool = False

    def can_browse(self, project_key: str) -> bool:
        """Whether this user has Browse Projects on ``project_key``."""
        return self.projects is None or project_key in self.projects


@dataclass(slots=True)
class Component:
    """A project component."""

    id: int
    name: str
    project_key: str
    description: str = ""


@dataclass(slots=True)
class Project:
    """A project with its components and fix versions."""

    id: int
    key: str
    name: str
    lead: str
    components: list[Component] = field(default_factory=list)
    versions: tuple[str, ...] = ()


@dataclass(slots=True)
class Issue:
    """One sandbox issue: the source of truth that the mirror tables index."""

    id: int
    key: str
    project: str
    issuetype: str
    status: str
    priority: str
    summary: str
    reporter: str
    created: datetime
    updated: datetime
    description: str | None = None
    resolution: str | None = None
    assignee: str | None = None
    resolutiondate: datetime | None = None
    duedate: date | None = None
    labels: tuple[str, ...] = ()
    components: tuple[str, ...] = ()
    fix_versions: tuple[str, ...] = ()
    parent: str | None = None
