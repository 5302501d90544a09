"""Search paging for both flavors, as async iterators of ``SearchPage``.

* Cloud: ``POST /rest/api/3/search/jql`` pages by ``nextPageToken`` until ``isLast``.
  Tokens chain, so Cloud pages come one after another.
* Data Center: ``POST /rest/api/2/search`` pages by ``startAt`` with a ``total``. The
  first page tells the total and the page size Jira granted (``maxResults`` is capped
  by ``jira.search.views.default.max``); the other pages are then fetched concurrently,
  a window of ``concurrency`` at a time, and yielded in order.

An issue is yielded at most once per search: offset paging over a changing result set
can show an issue on two pages, so Data Center pages drop ids already seen.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import structlog

from ticketlens.jira.models import (
    CloudSearchResponse,
    DataCenterSearchResponse,
    JiraIssue,
    SearchPage,
)
from ticketlens.jira.session import JiraSession

log = structlog.get_logger("ticketlens.jira")

CLOUD_PAGE_SIZE = 100
DATACENTER_PAGE_SIZE = 1000


def _body(jql: str, fields: Sequence[str], expand: str | None, size: int) -> dict[str, Any]:
    body: dict[str, Any] = {"jql": jql, "maxResults": size, "fields": list(fields)}
    if expand:
        body["expand"] = expand
    return body


async def cloud_pages(
    session: JiraSession, jql: str, fields: Sequence[str], expand: str | None
) -> AsyncIterator[SearchPage]:
    """Every page of a Cloud search, following ``nextPageToken``."""
    size = session.config.page_size or CLOUD_PAGE_SIZE
    token: str | None = None
    number = start = 0
    while True:
        body = _body(jql, fields, expand, size)
        if token:
            body["nextPageToken"] = token
        response = await session.request("POST", "/rest/api/3/search/jql", json=body, jql=True)
        data = CloudSearchResponse.model_validate_json(response.content)
        last = data.is_last if data.is_last is not None else not data.next_page_token
        last = last or not data.next_page_token
        log.debug(
            "jira.search.page-fetched",
            connection=session.config.label,
            page=number,
            issues=len(data.issues),
        )
        yield SearchPage(issues=data.issues, number=number, start_at=start, is_last=last)
        if last:
            return
        token = data.next_page_token
        number += 1
        start += len(data.issues)


async def datacenter_pages(
    session: JiraSession, jql: str, fields: Sequence[str], expand: str | None
) -> AsyncIterator[SearchPage]:
    """Every page of a Data Center search; pages after the first are fetched concurrently."""
    requested = session.config.page_size or DATACENTER_PAGE_SIZE

    async def fetch(start_at: int) -> DataCenterSearchResponse:
        body = _body(jql, fields, expand, requested)
        body["startAt"] = start_at
        response = await session.request("POST", "/rest/api/2/search", json=body, jql=True)
        return DataCenterSearchResponse.model_validate_json(response.content)

    first = await fetch(0)
    total = first.total
    size = first.max_results or len(first.issues) or requested
    seen: set[str] = set()
    offsets = list(range(size, total, size)) if size > 0 else []
    last_number = len(offsets)
    label = session.config.label
    yield _page(first, 0, 0, total, last_number == 0, seen, label)
    window = max(1, session.limiter.concurrency)
    pending: list[asyncio.Task[DataCenterSearchResponse]] = []
    queue = iter(offsets)
    try:
        for offset in queue:
            pending.append(asyncio.ensure_future(fetch(offset)))
            if len(pending) >= window:
                break
        number = 1
        while pending:
            data = await pending.pop(0)
            nxt = next(queue, None)
            if nxt is not None:
                pending.append(asyncio.ensure_future(fetch(nxt)))
            yield _page(data, number, data.start_at, total, number == last_number, seen, label)
            number += 1
    finally:
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)


def _page(
    data: DataCenterSearchResponse,
    number: int,
    start_at: int,
    total: int,
    last: bool,
    seen: set[str],
    label: str,
) -> SearchPage:
    fresh: list[JiraIssue] = []
    for issue in data.issues:
        if issue.id not in seen:
            seen.add(issue.id)
            fresh.append(issue)
    log.debug(
        "jira.search.page-fetched", connection=label, page=number, issues=len(fresh), total=total
    )
    return SearchPage(issues=fresh, number=number, start_at=start_at, total=total, is_last=last)
