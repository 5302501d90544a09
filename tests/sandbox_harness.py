"""Start a Jira sandbox for a test: real HTTP on an ephemeral 127.0.0.1 port.

    from sandbox_harness import running_sandbox

    with running_sandbox(flavor="datacenter", issues=200, seed=3) as jira:
        httpx.get(f"{jira.base_url}/rest/api/2/myself", auth=jira.basic_auth)
        jira.add_fault(kind="error", status=503, endpoint="/rest/api/2/search", count=2)

By default the server runs in a thread of the test process (starts in well under a
second). ``process=True`` runs it as a child process instead, so a test can ``kill()`` it
mid-request. Either way it is stopped, and its temporary database deleted, on exit.
Extra keyword arguments are ``SandboxOptions`` fields (``rate="5/1"``,
``oauth_clients=["id:secret:http://…"]``, ``webhooks=["http://…,secret"]``,
``access_token_ttl=60``, ``time_zone="UTC"``, …).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from ticketlens.sandbox import (
    OAuthClient,
    RateLimit,
    SandboxOptions,
    WebhookTarget,
    base_url_of,
    bind,
    build_server,
)

STARTUP_TIMEOUT = 120.0


@dataclass
class SandboxHandle:
    """A running sandbox: where it is, how to log in, and its ``/_sandbox/`` controls."""

    base_url: str
    flavor: str
    options: SandboxOptions
    process: subprocess.Popen[str] | None = field(default=None, repr=False)
    _client: httpx.Client | None = field(default=None, repr=False)

    # ------------------------------------------------------------ credentials

    @property
    def email(self) -> str:
        """Cloud admin email."""
        return self.options.email

    @property
    def api_token(self) -> str:
        """Cloud admin API token."""
        return self.options.api_token

    @property
    def username(self) -> str:
        """Data Center admin user name."""
        return self.options.username

    @property
    def password(self) -> str:
        """Data Center admin password."""
        return self.options.password

    @property
    def pat(self) -> str:
        """Data Center admin personal access token."""
        return self.options.pat

    @property
    def basic_auth(self) -> tuple[str, str]:
        """The admin's Basic credentials for this flavor."""
        if self.flavor == "cloud":
            return (self.options.email, self.options.api_token)
        return (self.options.username, self.options.password)

    @property
    def viewer_auth(self) -> tuple[str, str]:
        """The viewer's Basic credentials (browses PAY, CHK, INV and OPS only)."""
        if self.flavor == "cloud":
            return (self.options.viewer_email, self.options.viewer_api_token)
        return ("viewer", self.options.viewer_password)

    def api(self, version: str | None = None) -> str:
        """The REST root: v3 on Cloud, v2 on Data Center, unless ``version`` is given."""
        return f"{self.base_url}/rest/api/{version or ('3' if self.flavor == 'cloud' else '2')}"

    # ------------------------------------------------------------ controls

    def control(self, method: str, path: str, body: Any = None) -> Any:
        """Call ``/_sandbox/<path>``; returns the decoded JSON (None for 204)."""
        if self._client is None:
            # One client for every control call: building one per call costs an SSL context.
            self._client = httpx.Client(timeout=60.0)
        response = self._client.request(
            method, f"{self.base_url}/_sandbox/{path.lstrip('/')}", json=body
        )
        response.raise_for_status()
        return None if response.status_code == 204 else response.json()

    def state(self) -> dict[str, Any]:
        """Flavor, issue count, data version, seed, anchor, clock offset."""
        return dict(self.control("GET", "state"))

    def add_fault(self, **plan: Any) -> dict[str, Any]:
        """Add a fault plan (kind=latency|error|rate_limit|drop|truncate, endpoint, count,
        fraction, status, latency_ms, retry_after, method)."""
        return dict(self.control("POST", "faults", plan))

    def clear_faults(self) -> None:
        """Remove every fault plan."""
        self.control("DELETE", "faults")

    def request_counts(self) -> dict[str, Any]:
        """``{"total": n, "requests": [{endpoint, credential, count}, …]}``."""
        return dict(self.control("GET", "requests"))

    def count_requests(self, endpoint: str | None = None) -> int:
        """How many requests hit ``endpoint`` (``"POST /rest/api/3/search/jql"``), or all."""
        counts = self.request_counts()
        if endpoint is None:
            return int(counts["total"])
        return sum(r["count"] for r in counts["requests"] if r["endpoint"] == endpoint)

    def reset_request_counts(self) -> None:
        """Zero the request counters."""
        self.control("DELETE", "requests")

    def set_rate(self, limit: int | None, seconds: float = 1.0) -> None:
        """Set (or, with None, remove) the token bucket per credential."""
        self.control("POST", "rate", {"limit": limit, "seconds": seconds})

    def add_webhook(self, url: str, secret: str | None = None) -> None:
        """Register a webhook target."""
        self.control("POST", "webhooks", {"url": url, "secret": secret})

    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """Deliveries made so far (waits for in-flight ones)."""
        return list(self.control("GET", "webhooks")["deliveries"])

    def load_issues(
        self, issues: list[dict[str, Any]] | None = None, generate: int = 0
    ) -> dict[str, Any]:
        """Bulk-load issues (flat objects, see docs/sandbox.md) and/or generate more."""
        return dict(self.control("POST", "issues", {"issues": issues or [], "generate": generate}))

    def advance_clock(self, seconds: float) -> None:
        """Move the sandbox clock forward (OAuth expiry without sleeping)."""
        self.control("POST", "clock", {"advance": seconds})

    def expire_access_tokens(self) -> int:
        """Expire every OAuth access token now."""
        return int(self.control("POST", "oauth/expire")["expired"])

    def set_user(self, name: str, **changes: Any) -> dict[str, Any]:
        """Change a user's browsable ``projects`` (None = all) or ``globalPermissions``."""
        return dict(self.control("POST", f"users/{name}", changes))

    def reset(self) -> None:
        """Back to the state right after start."""
        self.control("POST", "reset")

    # ------------------------------------------------------------ process mode

    def close(self) -> None:
        """Close the controls' HTTP client (``running_sandbox`` does it on exit)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def kill(self) -> None:
        """SIGKILL the sandbox process (``process=True`` only)."""
        if self.process is None:
            raise RuntimeError("kill() needs running_sandbox(..., process=True)")
        self.process.kill()
        self.process.wait(10)


def _options(
    flavor: str, issues: int, seed: int, controls: bool, extra: dict[str, Any]
) -> SandboxOptions:
    converted = dict(extra)
    if isinstance(converted.get("rate"), str):
        converted["rate"] = RateLimit.parse(converted["rate"])
    if "oauth_clients" in converted:
        converted["oauth_clients"] = tuple(
            OAuthClient.parse(c) if isinstance(c, str) else c for c in converted["oauth_clients"]
        )
    if "webhooks" in converted:
        converted["webhooks"] = tuple(
            WebhookTarget.parse(w) if isinstance(w, str) else w for w in converted["webhooks"]
        )
    return SandboxOptions(
        flavor="cloud" if flavor == "cloud" else "datacenter",
        host="127.0.0.1",
        port=0,
        issues=issues,
        seed=seed,
        controls=controls,
        **converted,
    )


@contextmanager
def running_sandbox(
    flavor: str = "cloud",
    issues: int = 100,
    seed: int = 1,
    controls: bool = True,
    *,
    process: bool = False,
    **options: Any,
) -> Iterator[SandboxHandle]:
    """A started sandbox, stopped on exit. See the module docstring."""
    resolved = _options(flavor, issues, seed, controls, options)
    if process:
        with _in_process(resolved) as handle:
            yield handle
        return
    sock = bind("127.0.0.1", 0)
    server = build_server(resolved, sock)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="jira-sandbox", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the Jira sandbox failed to start; see the log above")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Jira sandbox did not start in {STARTUP_TIMEOUT} s")
            time.sleep(0.01)
        handle = SandboxHandle(base_url_of(sock), resolved.flavor, resolved)
        try:
            yield handle
        finally:
            handle.close()
    finally:
        server.should_exit = True
        thread.join(15)
        if thread.is_alive():
            server.force_exit = True
            thread.join(5)
        sock.close()


def _cli_args(options: SandboxOptions) -> list[str]:
    args = [
        "--flavor",
        options.flavor,
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--issues",
        str(options.issues),
        "--seed",
        str(options.seed),
        "--time-zone",
        options.time_zone,
        "--access-token-ttl",
        str(options.access_token_ttl),
    ]
    if options.controls:
        args.append("--controls")
    if options.rate is not None:
        args += ["--rate", f"{options.rate.limit}/{options.rate.seconds}"]
    for client in options.oauth_clients:
        args += ["--oauth-client", f"{client.client_id}:{client.secret}:{client.redirect_uri}"]
    for target in options.webhooks:
        args += ["--webhook", target.url + (f",{target.secret}" if target.secret else "")]
    if options.now is not None:
        args += ["--now", options.now.isoformat()]
    return args


@contextmanager
def _in_process(options: SandboxOptions) -> Iterator[SandboxHandle]:
    env = {
        **os.environ,
        "TICKETLENS_SANDBOX_EMAIL": options.email,
        "TICKETLENS_SANDBOX_API_TOKEN": options.api_token,
        "TICKETLENS_SANDBOX_USERNAME": options.username,
        "TICKETLENS_SANDBOX_PASSWORD": options.password,
        "TICKETLENS_SANDBOX_PAT": options.pat,
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "ticketlens.sandbox", *_cli_args(options)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        assert child.stdout is not None
        first = child.stdout.readline()
        found = re.search(r"at (http://\S+)", first)
        if found is None:
            raise RuntimeError(f"the Jira sandbox process did not start: {first!r}")
        handle = SandboxHandle(found.group(1), options.flavor, options, child)
        # Drain stdout in the background so the child never blocks on a full pipe.
        threading.Thread(target=child.stdout.read, daemon=True).start()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if child.poll() is not None:
                raise RuntimeError(f"the Jira sandbox process exited with {child.returncode}")
            try:
                if httpx.get(f"{handle.base_url}/rest/api/2/serverInfo", timeout=2).is_success:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the Jira sandbox did not start in {STARTUP_TIMEOUT} s")
            time.sleep(0.05)
        try:
            yield handle
        finally:
            handle.close()
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(5)


# ---------------------------------------------------------------- webhook receiver


@dataclass
class ReceivedWebhook:
    """One webhook POST as received: headers (lower-case names), raw body, decoded JSON."""

    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> dict[str, Any]:
        """The decoded JSON body."""
        return dict(json.loads(self.body))


@dataclass
class WebhookReceiver:
    """Collects webhook POSTs sent to ``url``."""

    url: str
    received: list[ReceivedWebhook] = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition, repr=False)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedWebhook]:
        """Block until ``count`` webhooks arrived (or fail after ``timeout`` seconds)."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(
                    f"expected {count} webhooks, got {len(self.received)} in {timeout} s"
                )
            return list(self.received)


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """An HTTP server on an ephemeral port that records every POST it gets."""
    receiver: WebhookReceiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            with receiver._arrived:
                receiver.received.append(ReceivedWebhook(headers, body))
                receiver._arrived.notify_all()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver = WebhookReceiver(f"http://127.0.0.1:{server.server_address[1]}/webhook")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
