"""One running sandbox: its options, users, projects, issues and test machinery."""

from __future__ import annotations

import hashlib
import itertools
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import structlog

from ticketlens.sandbox.faults import FaultBook
from ticketlens.sandbox.fields import select_fields
from ticketlens.sandbox.generator import IssueGenerator, generate_projects
from ticketlens.sandbox.issue_json import IssueEncoder, IssueJSONCache
from ticketlens.sandbox.model import Issue, Project, User
from ticketlens.sandbox.oauth import OAuthProvider
from ticketlens.sandbox.options import SandboxOptions
from ticketlens.sandbox.ratelimit import RateLimiter
from ticketlens.sandbox.render import Renderer
from ticketlens.sandbox.store import IssueStore
from ticketlens.sandbox.vocabulary import PEOPLE, VIEWER_PROJECTS
from ticketlens.sandbox.webhooks import WebhookDispatcher

log = structlog.get_logger("ticketlens.sandbox")

# Pre-encoded issue JSON costs about 3 KB per issue; beyond this many, encode on demand.
PRERENDER_LIMIT = 200_000


def _account_id(name: str) -> str:
    """A stable, Cloud-looking account id for a user name."""
    return "712020:" + hashlib.sha256(name.encode()).hexdigest()[:32]


def build_users(options: SandboxOptions) -> dict[str, User]:
    """The admin, the viewer, and the people issues are assigned to."""
    users = {
        options.username: User(
            name=options.username,
            account_id=_account_id(options.username),
            display_name="Sandbox Admin",
            email=options.email,
            time_zone=options.time_zone,
            password=options.password,
            api_token=options.api_token,
            pat=options.pat,
            global_permissions=frozenset({"USER_PICKER", "ADMINISTER"}),
            admin=True,
        ),
        "viewer": User(
            name="viewer",
            account_id=_account_id("viewer"),
            display_name="Sandbox Viewer",
            email=options.viewer_email,
            time_zone=options.time_zone,
            password=options.viewer_password,
            api_token=options.viewer_api_token,
            pat=options.viewer_pat,
            projects=VIEWER_PROJECTS,
        ),
    }
    for name, display in PEOPLE:
        users[name] = User(
            name=name,
            account_id=_account_id(name),
            display_name=display,
            email=f"{name}@example.com",
            time_zone=options.time_zone,
        )
    return users


class Sandbox:
    """Everything a request handler needs; built by the app's lifespan."""

    def __init__(self, options: SandboxOptions, base_url: str) -> None:
        self.options = options
        self.cloud = options.flavor == "cloud"
        self.base_url = base_url.rstrip("/")
        self.started = datetime.now(UTC)
        self.clock_offset = 0.0
        self.users = build_users(options)
        self.projects: dict[str, Project] = {p.key: p for p in generate_projects()}
        self._tempdir: tempfile.TemporaryDirectory[str] | None = None
        database = options.database
        if database is None:
            self._tempdir = tempfile.TemporaryDirectory(prefix="ticketlens-sandbox-")
            database = Path(self._tempdir.name) / "sandbox.db"
        self.store = IssueStore(database, self.projects, self.users)
        self.renderer = Renderer(self.base_url, self.cloud, self.users, self.projects)
        self.encoder = IssueEncoder(self.renderer)
        self.issue_json = IssueJSONCache(self.encoder)
        self.oauth = OAuthProvider(
            options.oauth_clients, options.access_token_ttl, options.refresh_token_ttl, self.now
        )
        self.limiter = RateLimiter(options.rate, self.now)
        self.faults = FaultBook()
        self.webhooks = WebhookDispatcher(options.webhooks)
        self.requests: Counter[tuple[str, str]] = Counter()
        self.anchor = options.now or datetime.now(UTC).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        self.generator = IssueGenerator(options.seed, self.anchor, list(self.projects.values()))

    def now(self) -> float:
        """The sandbox clock in epoch seconds; tests may advance it (``/_sandbox/clock``)."""
        return time.time() + self.clock_offset

    def now_datetime(self) -> datetime:
        """The sandbox clock as an aware UTC datetime."""
        return datetime.fromtimestamp(self.now(), UTC)

    async def start(self) -> None:
        """Open storage and load the generated (and ``--data``) issues."""
        began = time.perf_counter()
        await self.store.open()
        await self.start_data()
        if self.options.prerender:
            self.prerender()
        log.info(
            "sandbox.started",
            flavor=self.options.flavor,
            issues=len(self.store.issues),
            seconds=round(time.perf_counter() - began, 2),
        )

    async def save(self, issues: list[Issue]) -> None:
        """Store new or changed issues and forget their cached JSON."""
        await self.store.put(issues)
        for issue in issues:
            self.issue_json.forget(issue.id)

    async def delete(self, issue: Issue) -> None:
        """Delete one issue."""
        await self.store.remove(issue)
        self.issue_json.forget(issue.id)

    def prerender(self, limit: int = PRERENDER_LIMIT) -> None:
        """Encode the JSON that ticketlens's client asks for (``*navigable``, API v3 on
        Cloud, v2 on Data Center) for up to ``limit`` issues now, so a first read of every
        issue costs what a second read does."""
        version = "3" if self.cloud else "2"
        fields = select_fields(None, "*navigable")
        for issue in itertools.islice(self.store.issues.values(), limit):
            self.issue_json.get(issue, version, fields)

    async def load_generated(self, count: int) -> int:
        """Generate and store ``count`` more issues; returns how many."""
        await self.store.put(self.generator.issues(count))
        return count

    async def reset(self) -> None:
        """Back to the state right after start: data, faults, counters, limits and clock."""
        await self.webhooks.drain()
        await self.store.clear()
        self.issue_json.clear()
        self.faults.clear()
        self.requests.clear()
        self.clock_offset = 0.0
        self.limiter.configure(self.options.rate)
        self.generator = IssueGenerator(
            self.options.seed, self.anchor, list(self.projects.values())
        )
        self.projects.clear()
        self.projects.update({p.key: p for p in generate_projects()})
        self.users.clear()
        self.users.update(build_users(self.options))
        await self.start_data()

    async def start_data(self) -> None:
        """Load the configured data set (used by ``reset``)."""
        await self.load_generated(self.options.issues)
        if self.options.data is not None:
            from ticketlens.sandbox.datafile import load_data_file

            await load_data_file(self, self.options.data)

    async def stop(self) -> None:
        """Finish webhooks, close storage and delete the temporary database."""
        await self.webhooks.close()
        await self.store.close()
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None

    def next_issue_number(self, project: str) -> int:
        """The next free number in ``project``'s key sequence."""
        number = self.generator.next_numbers.get(project, 1)
        self.generator.next_numbers[project] = number + 1
        return number

    def next_issue_id(self) -> int:
        """The next free issue id."""
        issue_id = self.generator.next_id
        self.generator.next_id += 1
        return issue_id

    def visible(self, user: User, issue: Issue) -> bool:
        """Whether ``user`` may see ``issue``."""
        return user.can_browse(issue.project)
