"""``ticketlens demo`` end to end: a real process serving the example catalog to its token."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
TICKETLENS = Path(sys.executable).parent / "ticketlens"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Demo:
    """A running ``ticketlens demo`` and what it printed before serving."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "TICKETLENS_DATA_DIR": str(data_dir),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("TICKETLENS_DATABASE_URL", None)
        self.process = subprocess.Popen(
            [str(TICKETLENS), "demo", "--port", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            self.lines = self._wait_until_serving()
        except BaseException:
            self.stop()
            raise

    def _wait_until_serving(self) -> list[str]:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"demo exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise AssertionError("demo did not start serving within 60 s")
        assert self.process.stdout is not None
        lines: list[str] = []
        while not lines or not lines[-1].startswith("tl_"):
            lines.append(self.process.stdout.readline().rstrip("\n"))
        return lines

    @property
    def token(self) -> str:
        return self.lines[-1]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "demo-data"


@pytest.fixture
def demo(data_dir: Path) -> Iterator[Demo]:
    running = Demo(data_dir)
    yield running
    running.stop()


def test_demo_serves_the_example_catalog_to_the_printed_token(demo: Demo) -> None:
    assert "14 created" in demo.lines[0]
    auth = {"Authorization": f"Bearer {demo.token}"}
    listing = httpx.get(f"{demo.base}/api/v1/entities", headers=auth)
    assert listing.status_code == 200
    assert listing.json()["total"] == 14
    assert httpx.get(f"{demo.base}/api/v1/entities").status_code == 401
    demo.stop()
    assert demo.process.stdout is not None
    assert demo.process.stdout.read() == "", "server logs belong on stderr, not after the token"


def test_demo_runs_again_on_the_same_data_and_replaces_its_token(
    demo: Demo, data_dir: Path
) -> None:
    old_token = demo.token
    demo.stop()
    second = Demo(data_dir)
    try:
        assert "0 created, 0 updated, 14 unchanged" in second.lines[0]
        assert second.token != old_token
        url = f"{second.base}/api/v1/entities/payments-api"
        assert httpx.get(url, headers={"Authorization": f"Bearer {old_token}"}).status_code == 401
        fresh = httpx.get(url, headers={"Authorization": f"Bearer {second.token}"})
        assert fresh.json()["tag"] == "payments-api"
    finally:
        second.stop()
