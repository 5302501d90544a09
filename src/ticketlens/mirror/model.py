"""``MirrorIssue``: one Jira issue as the mirror stores it, plus the fixed Jira vocabularies."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator


def _utc(value: datetime) -> datetime:
    """Aware UTC; a naive datetime is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UTCDateTime = Annotated[datetime, AfterValidator(_utc)]


class StatusCategory(BaseModel):
    """One of Jira's fixed status categories."""

    model_config = ConfigDict(frozen=True)

    id: int
    key: str
    name: str


# Jira's status categories are fixed: GET /rest/api/3/statuscategory lists these four.
STATUS_CATEGORIES: tuple[StatusCategory, ...] = (
    StatusCategory(id=1, key="undefined", name="No Category"),
    StatusCategory(id=2, key="new", name="To Do"),
    StatusCategory(id=4, key="indeterminate", name="In Progress"),
    StatusCategory(id=3, key="done", name="Done"),
)
CATEGORY_BY_KEY = {c.key: c for c in STATUS_CATEGORIES}

# Jira's default priority scheme, most important first. Used for the rank of an issue's
# priority when the caller does not pass the instance's own order (GET /rest/api/2/priority).
DEFAULT_PRIORITY_RANKS: dict[str, int] = {
    "highest": 1,
    "high": 2,
    "medium": 3,
    "low": 4,
    "lowest": 5,
    "blocker": 1,
    "critical": 2,
    "major": 3,
    "minor": 4,
    "trivial": 5,
}


class MirrorUser(BaseModel):
    """An assignee or reporter: Cloud account id, Data Center user name, display name."""

    model_config = ConfigDict(frozen=True)

    account_id: str | None = None
    name: str | None = None
    display_name: str | None = None


class NamedItem(BaseModel):
    """A component or fix version: its name and, when known, its Jira id."""

    model_config = ConfigDict(frozen=True)

    name: str
    id: str | None = None


class MirrorIssue(BaseModel):
    """One Jira issue as mirrored. ``id`` is Jira's numeric issue id.

    Datetimes are stored in UTC (a naive value is taken as UTC). ``labels``,
    ``components`` and ``fix_versions`` are sets: an upsert replaces them whole.
    """

    model_config = ConfigDict(frozen=True)

    id: int
    key: str
    project_id: str
    project_key: str
    project_name: str
    issuetype: str
    issuetype_id: str | None = None
    status: str
    status_id: str | None = None
    status_category: str = Field(
        default="new", description="Status category key: new, indeterminate, done, undefined."
    )
    priority: str | None = None
    priority_id: str | None = None
    priority_rank: int | None = Field(
        default=None, description="1 is the most important; None when unknown."
    )
    resolution: str | None = None
    resolution_id: str | None = None
    assignee: MirrorUser | None = None
    reporter: MirrorUser | None = None
    created: UTCDateTime
    updated: UTCDateTime
    resolutiondate: UTCDateTime | None = None
    duedate: date | None = None
    summary: str = ""
    description: str | None = None
    labels: tuple[str, ...] = ()
    components: tuple[NamedItem, ...] = ()
    fix_versions: tuple[NamedItem, ...] = ()
    parent_id: int | None = None
    parent_key: str | None = None

    @field_validator("status_category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in CATEGORY_BY_KEY:
            raise ValueError(f"status_category {value!r} is not one of {sorted(CATEGORY_BY_KEY)}")
        return value

    @field_validator("key")
    @classmethod
    def _issue_key(cls, value: str) -> str:
        project, sep, number = value.rpartition("-")
        if not sep or not project or not number.isdigit():
            raise ValueError(f"issue key {value!r} is not PROJECT-NUMBER")
        return value.upper()

    @property
    def key_number(self) -> int:
        """The number after the dash in the key."""
        return int(self.key.rpartition("-")[2])
