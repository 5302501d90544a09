"""The proxy path goes through a real HTTP proxy (tinyproxy) started by the test."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from connections_support import kind_bodies

from sandbox_harness import SandboxHandle
from ticketlens.connections import (
    ConnectionCreate,
    ConnectionStore,
    open_client,
    validate_connection,
)
from ticketlens.settings import Settings


@dataclass
class Proxy:
    url: str
    log: Path

    def requests_seen(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def proxy(tmp_path: Path) -> Iterator[Proxy]:
    """tinyproxy on an ephemeral port, in the foreground, logging every request."""
    binary = shutil.which("tinyproxy")
    assert binary, "tinyproxy is not installed: run `make tools` (apt-get install tinyproxy)"
    port = free_port()
    log = tmp_path / "tinyproxy.log"
    config = tmp_path / "tinyproxy.conf"
    config.write_text(
        f"Port {port}\nListen 127.0.0.1\nTimeout 30\nMaxClients 20\n"
        f'LogFile "{log}"\nLogLevel Info\nAllow 127.0.0.1\nDisableViaHeader Yes\n'
    )
    process = subprocess.Popen([binary, "-d", "-c", str(config)])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("tinyproxy did not start") from None
                time.sleep(0.05)
        yield Proxy(f"http://127.0.0.1:{port}", log)
    finally:
        process.terminate()
        process.wait(10)


async def test_validation_and_search_go_through_the_proxy(
    sandbox: SandboxHandle, proxy: Proxy, store: ConnectionStore, settings: Settings
) -> None:
    body = next(iter(kind_bodies(sandbox).values()))
    data = ConnectionCreate.model_validate({**body, "proxy": proxy.url})
    await store.create(data, default_timeout=5)
    before = sandbox.count_requests()
    report = await validate_connection(store, settings, data.alias)
    assert report.ok, report.checks
    connection = await store.get(data.alias)
    async with open_client(settings, connection, store=store) as client:
        found = sum([len(p.issues) async for p in client.search("order by key")])
    assert found == 60
    seen = proxy.requests_seen()
    assert "/rest/api/" in seen and "serverInfo" in seen and "search" in seen
    assert sandbox.count_requests() > before


async def test_a_proxy_that_is_down_is_named(
    sandbox: SandboxHandle, store: ConnectionStore, settings: Settings
) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    body = next(iter(kind_bodies(sandbox).values()))
    data = ConnectionCreate.model_validate({**body, "proxy": down})
    await store.create(data, default_timeout=5)
    report = await validate_connection(store, settings, data.alias)
    assert not report.ok
    (failure,) = report.failures
    assert failure.name == "reach"
    assert f"cannot get through the proxy {down}" in failure.message
    assert "Check that the proxy is running" in failure.message
