"""Deterministic generated data: the same seed and anchor give the same projects and issues.

Dates are spread over the two years before ``anchor`` (midnight UTC of the day the sandbox
starts, unless pinned with ``--now``), so relative JQL such as ``updated >= -7d`` finds
recent issues whenever the sandbox runs. Recent issues are denser than old ones, as in a
real tracker.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta

from ticketlens.sandbox.model import (
    ISSUE_TYPES,
    PRIORITIES,
    STATUSES,
    Component,
    Issue,
    Project,
)
from ticketlens.sandbox.vocabulary import (
    COMMON_LABELS,
    NEAR_MISS_LABELS,
    PEOPLE,
    PROBLEMS,
    PROJECT_LABELS,
    PROJECT_WEIGHTS,
    PROJECTS,
    SUBJECTS,
    VERBS,
)

FIRST_ISSUE_ID = 10000
FIRST_PROJECT_ID = 10000
FIRST_COMPONENT_ID = 10000
_SPAN_MINUTES = 2 * 365 * 24 * 60

_TYPE_WEIGHTS = (3, 30, 30, 25, 7, 5)  # Epic, Story, Task, Bug, Incident, Security Bug
_STATUS_WEIGHTS = (18, 10, 14, 6, 3, 40, 9)  # per STATUSES
_PRIORITY_WEIGHTS = (5, 15, 50, 20, 10)
_NEAR_MISS_AT = (3, 13, 23)


def generate_projects() -> list[Project]:
    """The fixed project list, with ids and components numbered in order."""
    projects: list[Project] = []
    component_id = FIRST_COMPONENT_ID
    for index, (key, name, components, versions) in enumerate(PROJECTS):
        project = Project(
            id=FIRST_PROJECT_ID + index, key=key, name=name, lead="alice", versions=versions
        )
        for component in components:
            project.components.append(Component(component_id, component, key))
            component_id += 1
        projects.append(project)
    return projects


class IssueGenerator:
    """Yields issues in id order; ``next_numbers`` continues each project's key sequence."""

    def __init__(self, seed: int, anchor: datetime, projects: list[Project]) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - deterministic test data
        self._anchor = anchor
        self._projects = projects
        self._epics: dict[str, list[str]] = {p.key: [] for p in projects}
        self.next_numbers: dict[str, int] = {p.key: 1 for p in projects}
        self.next_id = FIRST_ISSUE_ID

    def issues(self, count: int) -> Iterator[Issue]:
        """The next ``count`` issues."""
        for _ in range(count):
            yield self._one()

    def _one(self) -> Issue:
        rng = self._rng
        project = rng.choices(self._projects, weights=PROJECT_WEIGHTS)[0]
        number = self.next_numbers[project.key]
        self.next_numbers[project.key] = number + 1
        issue_id = self.next_id
        self.next_id += 1
        issuetype = rng.choices(ISSUE_TYPES, weights=_TYPE_WEIGHTS)[0].name
        status = rng.choices(STATUSES, weights=_STATUS_WEIGHTS)[0]
        # Squaring a uniform draw puts more issues near the anchor than long ago.
        age = int(_SPAN_MINUTES * rng.random() ** 2)
        created = self._anchor - timedelta(minutes=age + rng.randint(1, 600))
        updated = created + timedelta(minutes=int(age * rng.random() * 0.8))
        resolution: str | None = None
        resolved: datetime | None = None
        if status.category.key == "done":
            resolution = rng.choices(("Done", "Won't Do", "Duplicate"), weights=(85, 10, 5))[0]
            resolved = updated
        labels = self._labels(project.key, issuetype)
        ordinal = issue_id - FIRST_ISSUE_ID
        if ordinal in _NEAR_MISS_AT:
            # Always present, even in a 100-issue sandbox, so explain has a near-miss to show.
            labels = tuple(sorted({*labels, NEAR_MISS_LABELS[_NEAR_MISS_AT.index(ordinal)]}))
        components = tuple(
            sorted({c.name for c in rng.sample(project.components, rng.randint(0, 2))})
        )
        parent: str | None = None
        epics = self._epics[project.key]
        key = f"{project.key}-{number}"
        if issuetype == "Epic":
            epics.append(key)
        elif epics and rng.random() < 0.3:
            parent = rng.choice(epics[-20:])
        due: date | None = None
        if rng.random() < 0.3:
            due = (created + timedelta(days=rng.randint(3, 90))).date()
        fix_versions: tuple[str, ...] = ()
        if project.versions and rng.random() < 0.3:
            fix_versions = (rng.choice(project.versions),)
        subject = rng.choice(SUBJECTS)
        return Issue(
            id=issue_id,
            key=key,
            project=project.key,
            issuetype=issuetype,
            status=status.name,
            priority=rng.choices(PRIORITIES, weights=_PRIORITY_WEIGHTS)[0].name,
            summary=f"{rng.choice(VERBS)} {subject}: {rng.choice(PROBLEMS)}",
            description=(
                None
                if rng.random() < 0.15
                else f"The {subject} {rng.choice(PROBLEMS)}. Seen by {rng.randint(1, 40)} "
                f"customers since {created.date().isoformat()}."
            ),
            reporter=rng.choice(PEOPLE)[0],
            assignee=None if rng.random() < 0.2 else rng.choice(PEOPLE)[0],
            created=created,
            updated=updated,
            resolution=resolution,
            resolutiondate=resolved,
            duedate=due,
            labels=labels,
            components=components,
            fix_versions=fix_versions,
            parent=parent,
        )

    def _labels(self, project: str, issuetype: str) -> tuple[str, ...]:
        rng = self._rng
        chosen: set[str] = set()
        own = PROJECT_LABELS[project]
        for _ in range(rng.choices((0, 1, 2), weights=(25, 50, 25))[0]):
            chosen.add(rng.choice(own))
        if rng.random() < 0.15:
            chosen.add(rng.choice(COMMON_LABELS))
        if issuetype == "Incident":
            chosen.add("incident")
            if rng.random() < 0.5:
                chosen.add("customer-facing")
        elif issuetype == "Security Bug":
            chosen.add("security")
        if project == "PLAT" and rng.random() < 0.02:
            chosen.add(rng.choice(NEAR_MISS_LABELS))
        return tuple(sorted(chosen))
