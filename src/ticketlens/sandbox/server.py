"""Run the sandbox over HTTP with uvicorn, on a socket bound before the app is built.

Binding first lets port 0 pick a free port and still give the app its real base URL.
"""

from __future__ import annotations

import socket

import uvicorn

from ticketlens.sandbox.app import create_app
from ticketlens.sandbox.options import SandboxOptions


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto must say TCP: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose proto
    # is IPPROTO_TCP, and accepted sockets inherit it. With proto 0, every small response
    # waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(512)
    sock.set_inheritable(True)
    return sock


def base_url_of(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def build_server(options: SandboxOptions, sock: socket.socket) -> uvicorn.Server:
    """A uvicorn server for the sandbox on ``sock``; call ``server.run(sockets=[sock])``."""
    app = create_app(options, base_url_of(sock))
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)
