"""How fast the Jira sandbox serves search results, against a bare Starlette floor.

Pages through ``POST /rest/api/3/search/jql`` (100-issue pages, ``*navigable`` fields) over
all issues of a Cloud sandbox, then serves the very same page bytes from a bare Starlette
endpoint that only looks pages up by token. Both servers run as child processes with one
uvicorn worker; the client is this process, reading bodies as bytes and finding the next
token without decoding JSON, so client cost is the same small constant for both.

    .venv/bin/python bench/sandbox_serve.py [--issues 100000] [--rounds 15] [--window 50]

The first sandbox pass evaluates the JQL (issue JSON is pre-encoded at start); later reads
reuse the answer (the steady state of a test suite or a sync benchmark). Then
short windows of the same pages are served alternately by the sandbox and by the bare
endpoint, so that load from other processes hits both alike, and the median of the
paired ratios is reported. Target: sandbox issues/s at least 0.5x the bare floor.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PAGE = 100
JQL = "created <= now() ORDER BY key ASC"
EMAIL, TOKEN = "admin@example.com", "sandbox-token"
_TOKEN = re.compile(rb'"nextPageToken":"([^"]+)"')


def _wait_ready(url: str, child: subprocess.Popen[str], timeout: float = 900.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"server exited with {child.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server at {url} did not start")


def _start_sandbox(issues: int) -> tuple[subprocess.Popen[str], str]:
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ticketlens.sandbox",
            "--flavor",
            "cloud",
            "--port",
            "0",
            "--issues",
            str(issues),
            "--seed",
            "7",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    found = re.search(r"at (http://\S+)", child.stdout.readline())
    if found is None:
        raise SystemExit("sandbox did not print its URL")
    return child, found.group(1)


def _pass(client: httpx.Client, url: str) -> tuple[int, float, list[bytes]]:
    """Page through everything; returns (issues, seconds, page bodies)."""
    bodies: list[bytes] = []
    token: str | None = None
    served = 0
    began = time.perf_counter()
    while True:
        response = client.post(url, json=_body(token))
        response.raise_for_status()
        raw = response.content
        bodies.append(raw)
        served += raw.count(b'{"expand":"renderedFields')
        token = _next_token(raw)
        if token is None:
            break
    return served, time.perf_counter() - began, bodies


def _body(token: str | None) -> dict[str, object]:
    body: dict[str, object] = {"jql": JQL, "maxResults": PAGE, "fields": ["*navigable"]}
    if token:
        body["nextPageToken"] = token
    return body


def _next_token(raw: bytes) -> str | None:
    found = _TOKEN.search(raw, max(0, len(raw) - 400))
    return found.group(1).decode() if found else None


def _sandbox_window(client: httpx.Client, url: str, tokens: list[str | None]) -> float:
    """Serve again the pages that start at ``tokens`` (taken from the first pass)."""
    began = time.perf_counter()
    for token in tokens:
        client.post(url, json=_body(token)).raise_for_status()
    return time.perf_counter() - began


def _bare_window(client: httpx.Client, url: str, pages: range) -> float:
    began = time.perf_counter()
    for page in pages:
        body = {
            "jql": JQL,
            "maxResults": PAGE,
            "fields": ["*navigable"],
            "nextPageToken": str(page),
        }
        client.post(url, json=body).raise_for_status()
    return time.perf_counter() - began


def serve_bare(pages_file: str, port_file: str) -> None:
    """Child process: a bare Starlette app serving pre-serialized pages by token."""
    import socket

    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    pages = json.loads(Path(pages_file).read_text())
    encoded = [p.encode() for p in pages]

    async def search(request: Request) -> Response:
        token = (await request.json()).get("nextPageToken") or "0"
        return Response(encoded[int(token)], media_type="application/json")

    app = Starlette(routes=[Route("/rest/api/3/search/jql", search, methods=["POST"])])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    Path(port_file).write_text(str(sock.getsockname()[1]))
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False)).run(sockets=[sock])


def _bare_pages(bodies: list[bytes]) -> list[str]:
    """The sandbox's pages, with tokens rewritten to page numbers for the bare server."""
    pages = []
    for index, raw in enumerate(bodies):
        text = raw.decode()
        text = re.sub(r'"nextPageToken":"[^"]+"', f'"nextPageToken":"{index + 1}"', text)
        pages.append(text)
    return pages


def _start_bare(bodies: list[bytes], tmp: str) -> tuple[subprocess.Popen[str], str]:
    pages_file, port_file = os.path.join(tmp, "pages.json"), os.path.join(tmp, "port")
    Path(pages_file).write_text(json.dumps(_bare_pages(bodies)))
    bare = subprocess.Popen(
        [sys.executable, __file__, "--bare", pages_file, port_file],
        stderr=subprocess.DEVNULL,
        text=True,
    )
    while not Path(port_file).exists() or not Path(port_file).read_text():
        time.sleep(0.05)
    base = f"http://127.0.0.1:{Path(port_file).read_text()}"
    _wait_ready(f"{base}/", bare)
    return bare, f"{base}/rest/api/3/search/jql"


def _line(label: str, served: int, seconds: float) -> str:
    return (
        f"{label:42s} {served:>8,} issues in {seconds:6.2f} s = {served / seconds:>8,.0f} issues/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--window", type=int, default=50, help="pages per round")
    parser.add_argument("--bare", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        serve_bare(*args.bare)
        return

    began = time.perf_counter()
    child, base = _start_sandbox(args.issues)
    bare: subprocess.Popen[str] | None = None
    ratios: list[float] = []
    sandbox_rates: list[float] = []
    bare_rates: list[float] = []
    try:
        _wait_ready(f"{base}/rest/api/3/serverInfo", child)
        print(f"sandbox with {args.issues:,} issues started in {time.perf_counter() - began:.1f} s")
        url = f"{base}/rest/api/3/search/jql"
        with (
            httpx.Client(auth=(EMAIL, TOKEN), timeout=120) as client,
            httpx.Client(timeout=120) as plain,
            tempfile.TemporaryDirectory() as tmp,
        ):
            served, cold, bodies = _pass(client, url)
            print(_line("sandbox, first pass (evaluates the JQL once)", served, cold))
            tokens: list[str | None] = [None, *(_next_token(b) for b in bodies[:-1])]
            bare, bare_url = _start_bare(bodies, tmp)
            _bare_window(plain, bare_url, range(min(10, len(bodies))))
            window = min(args.window, len(bodies))
            per_page = served / len(bodies)
            for number in range(args.rounds):
                first = (number * window) % max(1, len(bodies) - window + 1)
                sandbox_seconds = _sandbox_window(client, url, tokens[first : first + window])
                bare_seconds = _bare_window(plain, bare_url, range(first, first + window))
                sandbox_rates.append(window * per_page / sandbox_seconds)
                bare_rates.append(window * per_page / bare_seconds)
                ratios.append(bare_seconds / sandbox_seconds)
    finally:
        child.terminate()
        child.wait(30)
        if bare is not None:
            bare.terminate()
            bare.wait(30)
    floor = statistics.median(bare_rates)
    windows = f"median of {args.rounds} windows of {window} pages"
    print(f"bare Starlette, pre-serialized pages ({windows}): {floor:>8,.0f} issues/s")
    print(
        f"sandbox, cached issue JSON           ({windows}): "
        f"{statistics.median(sandbox_rates):>8,.0f} issues/s"
    )
    print(
        f"ratio sandbox / floor, median of paired windows: {statistics.median(ratios):.2f}x "
        f"(range {min(ratios):.2f}-{max(ratios):.2f}; target >= 0.5x)"
    )
    print(f"ratio first pass / floor: {served / cold / floor:.2f}x")


if __name__ == "__main__":
    main()
