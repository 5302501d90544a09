"""Counting the HTTP requests a sync sends to Jira, retries included."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import httpx

from ticketlens.jira import JiraClient


class RequestCounter:
    """Counts HTTP requests a client sends (retries included) through an httpx hook."""

    def __init__(self, clients: Sequence[JiraClient]) -> None:
        self.count = 0
        self._hooks: list[tuple[httpx.AsyncClient, Callable[[httpx.Request], Awaitable[None]]]]
        self._hooks = []
        seen: set[int] = set()
        for client in clients:
            if id(client.http) in seen:
                continue
            seen.add(id(client.http))

            async def hook(_request: httpx.Request) -> None:
                self.count += 1

            client.http.event_hooks.setdefault("request", []).append(hook)
            self._hooks.append((client.http, hook))

    def close(self) -> None:
        for http, hook in self._hooks:
            hooks = http.event_hooks.get("request", [])
            if hook in hooks:
                hooks.remove(hook)
