"""Search paging for both flavors, over a fake Jira at the transport."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx

ISSUES = [
    {"id": str(10000 + n), "key": f"PAY-{n}", "fields": {"summary": f"s{n}"}} for n in range(95)
]


def cloud_handler(calls: list[dict[str, Any]]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/rest/api/3/search/jql"
        body = json.loads(request.content)
        calls.append(body)
        start = int(body.get("nextPageToken") or 0)
        size = body["maxResults"]
        chunk = ISSUES[start : start + size]
        last = start + size >= len(ISSUES)
        page: dict[str, Any] = {"issues": chunk, "isLast": last}
        if not last:
            page["nextPageToken"] = str(start + size)
        return httpx.Response(200, json=page)

    return handler


async def test_cloud_search_follows_next_page_token_until_is_last(
    make_client: Callable[..., Any],
) -> None:
    calls: list[dict[str, Any]] = []
    async with make_client(cloud_handler(calls), flavor="cloud", page_size=20) as client:
        pages = [page async for page in client.search("project = PAY", ["summary"])]
    keys = [i.key for p in pages for i in p.issues]
    assert keys == [i["key"] for i in ISSUES]
    assert [p.is_last for p in pages] == [False] * 4 + [True]
    assert calls[0] == {"jql": "project = PAY", "maxResults": 20, "fields": ["summary"]}
    assert [c.get("nextPageToken") for c in calls] == [None, "20", "40", "60", "80"]


async def test_datacenter_search_fetches_pages_concurrently_and_yields_them_in_order(
    make_client: Callable[..., Any],
) -> None:
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        body = json.loads(request.content)
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01 if body["startAt"] % 20 else 0.02)
        in_flight -= 1
        start = body["startAt"]
        # Jira caps maxResults: ask for 50, get 10
        chunk = ISSUES[start : start + 10]
        return httpx.Response(
            200, json={"issues": chunk, "startAt": start, "maxResults": 10, "total": len(ISSUES)}
        )

    async with make_client(handler, page_size=50, concurrency=3) as client:
        pages = [page async for page in client.search("labels = x")]
    assert [i.key for p in pages for i in p.issues] == [i["key"] for i in ISSUES]
    assert [p.start_at for p in pages] == list(range(0, 95, 10))
    assert pages[-1].is_last and not pages[0].is_last
    assert pages[0].total == 95
    assert peak == 3


async def test_datacenter_pages_drop_an_issue_already_seen(
    make_client: Callable[..., Any],
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        start = json.loads(request.content)["startAt"]
        # the result set shifted by one between pages: page 2 repeats the last issue
        chunk = ISSUES[0:10] if start == 0 else ISSUES[9:19]
        return httpx.Response(
            200, json={"issues": chunk, "startAt": start, "maxResults": 10, "total": 20}
        )

    async with make_client(handler) as client:
        ids = [i.id for p in [p async for p in client.search("x = 1")] for i in p.issues]
    assert len(ids) == len(set(ids)) == 19


async def test_count_uses_approximate_count_on_cloud_and_max_results_zero_on_datacenter(
    make_client: Callable[..., Any],
) -> None:
    bodies: list[tuple[str, dict[str, Any]]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        bodies.append((request.url.path, body))
        if request.url.path.endswith("approximate-count"):
            return httpx.Response(200, json={"count": 42})
        return httpx.Response(200, json={"issues": [], "startAt": 0, "maxResults": 0, "total": 7})

    async with make_client(handler, flavor="cloud") as cloud:
        assert await cloud.count("project = PAY") == 42
    async with make_client(handler) as dc:
        assert await dc.count("project = PAY") == 7
    assert bodies[0] == ("/rest/api/3/search/approximate-count", {"jql": "project = PAY"})
    assert bodies[1][0] == "/rest/api/2/search"
    assert bodies[1][1]["maxResults"] == 0


async def test_stopping_a_datacenter_search_early_cancels_pending_pages(
    make_client: Callable[..., Any],
) -> None:
    requested: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        start = json.loads(request.content)["startAt"]
        requested.append(start)
        if start:
            await asyncio.sleep(0.05)
        return httpx.Response(
            200,
            json={
                "issues": ISSUES[start : start + 10],
                "startAt": start,
                "maxResults": 10,
                "total": 95,
            },
        )

    async with make_client(handler, concurrency=2) as client:
        search = client.search("x = 1")
        async for _ in search:
            break
        await search.aclose()  # type: ignore[attr-defined]
    assert len(requested) <= 3


async def test_a_query_tree_is_sent_as_canonical_jql(make_client: Callable[..., Any]) -> None:
    from ticketlens.jql import and_, field_eq, query

    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content)["jql"])
        return httpx.Response(200, json={"count": 1})

    tree = query(and_(field_eq("project", "PAY"), field_eq("labels", 'x" OR project = "y')))
    async with make_client(handler, flavor="cloud") as client:
        assert await client.count(tree) == 1
    assert sent == ['project = PAY AND labels = "x\\" OR project = \\"y"']
