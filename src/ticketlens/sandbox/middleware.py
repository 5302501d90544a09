"""The outermost ASGI layer: count requests, apply fault plans, enforce rate limits.

It sits outside Starlette so that it sees the server's own ``send``: a dropped connection
must close the socket without a response, which no Starlette response can express.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ticketlens.sandbox.auth import credential_label
from ticketlens.sandbox.faults import FaultPlan
from ticketlens.sandbox.ratelimit import rejection_headers
from ticketlens.sandbox.state import Sandbox

log = structlog.get_logger("ticketlens.sandbox.faults")

CONTROLS = "/_sandbox/"


class SandboxMiddleware:
    """Wraps the Starlette app; ``sandbox`` is the running sandbox's state."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROLS):
            await self.app(scope, receive, send)
            return
        sandbox = self.sandbox
        method, path = scope["method"], scope["path"]
        label = credential_label(_header(scope, b"authorization"))
        sandbox.requests[(f"{method} {path}", label)] += 1
        plan = sandbox.faults.pick(method, path) if sandbox.faults.plans else None
        if plan is not None:
            log.info("sandbox.fault.applied", kind=plan.kind, path=path, plan=plan.id)
            if plan.kind == "latency":
                await asyncio.sleep(plan.latency_ms / 1000)
            else:
                await _apply(plan, self.app, scope, receive, send, sandbox)
                return
        decision = sandbox.limiter.take(label)
        if not decision.allowed:
            await _send_json(send, 429, _rate_body(), decision.headers)
            return
        if decision.headers:
            send = _with_headers(send, decision.headers)
        await self.app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value).decode("latin-1")
    return None


def _rate_body() -> dict[str, Any]:
    return {"errorMessages": ["Rate limit exceeded."], "errors": {}}


def _with_headers(send: Send, headers: dict[str, str]) -> Send:
    extra = [(k.lower().encode(), v.encode()) for k, v in headers.items()]

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped


async def _send_json(send: Send, status: int, body: Any, headers: dict[str, str]) -> None:
    await _send_bytes(send, status, json.dumps(body).encode(), "application/json", headers)


async def _send_bytes(
    send: Send, status: int, body: bytes, content_type: str, headers: dict[str, str]
) -> None:
    raw = [
        (b"content-type", f"{content_type};charset=UTF-8".encode()),
        (b"content-length", str(len(body)).encode()),
        *((k.lower().encode(), v.encode()) for k, v in headers.items()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _abort(send: Send) -> bool:
    """Close the client's socket at once, if the server lets us reach it (uvicorn does)."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        return False
    transport.abort()
    return True


async def _apply(
    plan: FaultPlan, app: ASGIApp, scope: Scope, receive: Receive, send: Send, sandbox: Sandbox
) -> None:
    if plan.kind == "rate_limit":
        headers = rejection_headers(
            sandbox.limiter.limit.limit if sandbox.limiter.limit else 100,
            float(plan.retry_after),
            sandbox.now(),
        )
        await _send_json(send, 429, _rate_body(), headers)
    elif plan.kind == "error":
        await _send_error(send, plan)
    elif plan.kind == "drop":
        if not _abort(send):
            raise ConnectionAbortedError("sandbox fault: dropped connection")
    elif plan.kind == "truncate":
        await _truncated(app, scope, receive, send)


async def _send_error(send: Send, plan: FaultPlan) -> None:
    if plan.status == 500:
        body = {"errorMessages": ["Internal server error"], "errors": {}}
        await _send_json(send, 500, body, {})
        return
    headers = {"Retry-After": str(plan.retry_after)} if plan.status == 503 else {}
    reason = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
    page = (
        f"<html><head><title>{plan.status} {reason[plan.status]}</title></head>"
        f"<body><h1>{plan.status} {reason[plan.status]}</h1></body></html>"
    ).encode()
    await _send_bytes(send, plan.status, page, "text/html", headers)


async def _truncated(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Run the request, then send its headers and only the first half of its body."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(bytes(message.get("body", b"")))

    await app(scope, receive, capture)
    assert start is not None
    body = b"".join(chunks)
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True})
    if not _abort(send):
        raise ConnectionAbortedError("sandbox fault: truncated body")
