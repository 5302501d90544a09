"""The Jira half of ``ticketlens demo``: two sandboxes, two connections, a sync, a tour.

A Cloud sandbox becomes the default connection (``cloud``) and a Data Center sandbox the
``dc`` connection the example overrides name. Both run as child processes of the demo
(``ticketlens sandbox …``) and stop with it. The product never imports the sandbox.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import SecretStr

from ticketlens.connections import ConnectionCreate, ConnectionKind, connection_store
from ticketlens.db.engine import create_engine
from ticketlens.settings import Settings
from ticketlens.sync.engine import SyncReport
from ticketlens.sync.runner import sync_connections

DEMO_ISSUES = 2000
PR_SET_PDEATHSIG = 1
STARTUP_SECONDS = 60.0
# The sandboxes' own demo credentials (they guard nothing but generated data).
CLOUD_EMAIL = "admin@example.com"
CLOUD_TOKEN = "sandbox-token"  # noqa: S105
DC_PAT = "sandbox-pat"


class DemoError(RuntimeError):
    """A sandbox of the demo could not start."""


@dataclass(frozen=True, slots=True)
class DemoJira:
    """One running sandbox and the connection alias it serves."""

    alias: str
    flavor: str
    base_url: str


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGTERM it when the demo dies.

    ``ticketlens serve`` (uvicorn) ends the process by re-raising SIGTERM after its
    shutdown, so no ``finally`` of ours runs then; without this the sandboxes outlive it.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _command() -> list[str]:
    script = Path(sys.executable).with_name("ticketlens")
    if script.exists():
        return [str(script), "sandbox"]
    found = shutil.which("ticketlens")
    return [found, "sandbox"] if found else [sys.executable, "-m", "ticketlens.sandbox"]


@contextmanager
def _sandbox(alias: str, flavor: str, seed: int) -> Iterator[DemoJira]:
    env = {
        **os.environ,
        "TICKETLENS_SANDBOX_EMAIL": CLOUD_EMAIL,
        "TICKETLENS_SANDBOX_API_TOKEN": CLOUD_TOKEN,
        "TICKETLENS_SANDBOX_PAT": DC_PAT,
    }
    args = ["--flavor", flavor, "--port", "0", "--issues", str(DEMO_ISSUES), "--seed", str(seed)]
    child = subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
        [*_command(), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,  # same process group: Ctrl-C in the terminal stops the sandboxes too
        preexec_fn=_die_with_parent,
    )
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        found = re.search(r"at (http://\S+)", first)
        if found is None:
            raise DemoError(f"the {flavor} Jira sandbox did not start: {first.strip()!r}")
        threading.Thread(target=child.stdout.read, daemon=True).start()
        jira = DemoJira(alias, flavor, found.group(1))
        _wait_until_serving(jira, child)
        yield jira
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()


def _wait_until_serving(jira: DemoJira, child: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise DemoError(f"the {jira.flavor} Jira sandbox exited with {child.returncode}")
        try:
            if httpx.get(f"{jira.base_url}/rest/api/2/serverInfo", timeout=2).is_success:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise DemoError(f"the {jira.flavor} Jira sandbox did not answer in {STARTUP_SECONDS:.0f} s")


@contextmanager
def running_sandboxes() -> Iterator[list[DemoJira]]:
    """A Cloud sandbox for the default connection and a Data Center one for ``dc``."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(_sandbox("cloud", "cloud", seed=1)),
            stack.enter_context(_sandbox("dc", "datacenter", seed=2)),
        ]


def _create(jira: DemoJira) -> ConnectionCreate:
    if jira.flavor == "cloud":
        return ConnectionCreate(
            alias=jira.alias,
            kind=ConnectionKind.CLOUD,
            url=jira.base_url,
            email=CLOUD_EMAIL,
            api_token=SecretStr(CLOUD_TOKEN),
            is_default=True,
        )
    return ConnectionCreate(
        alias=jira.alias,
        kind=ConnectionKind.DATACENTER_PAT,
        url=jira.base_url,
        personal_access_token=SecretStr(DC_PAT),
    )


async def connect_and_sync(url: str, settings: Settings, jiras: list[DemoJira]) -> list[SyncReport]:
    """(Re)create the demo connections for ``jiras`` and run a full sync of each."""
    engine = create_engine(url)
    try:
        store = connection_store(engine, settings)
        ours = {j.alias for j in jiras}
        # Sandbox ports change on every run: replace the demo's connections (default last).
        for connection in sorted(await store.list(), key=lambda c: c.is_default):
            if connection.alias in ours:
                await store.delete(connection.alias)
        for jira in jiras:
            await store.create(_create(jira), default_timeout=settings.jira_timeout_seconds)
        return await sync_connections(engine, settings, mode="full")
    finally:
        await engine.dispose()


def tour(base: str) -> list[str]:
    """Commands worth trying once the demo serves."""
    return [
        "explain search-indexer's match, with the values left out and a near-miss label:",
        "  .venv/bin/ticketlens explain search-indexer",
        "outstanding issues of an entity whose override points at the 'dc' Jira:",
        "  .venv/bin/ticketlens issues identity-service",
        "the same over HTTP (use the token printed below):",
        f'  curl -H "Authorization: Bearer $TOKEN" {base}/api/v1/entities/payments-api/jira/issues',
        f'  curl -H "Authorization: Bearer $TOKEN" {base}/api/v1/jira/sync-status',
    ]
