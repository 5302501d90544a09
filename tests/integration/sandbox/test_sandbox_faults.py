"""Every fault plan, rate limit and request counter, observed from a plain httpx client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox_harness import SandboxHandle, running_sandbox

SEARCH = "/rest/api/2/search"


@pytest.fixture
def dc() -> Iterator[SandboxHandle]:
    with running_sandbox(flavor="datacenter", issues=120) as handle:
        yield handle


def _search(dc: SandboxHandle, client: httpx.Client | None = None) -> httpx.Response:
    return (client or httpx).get(  # type: ignore[no-any-return]
        f"{dc.base_url}{SEARCH}", params={"jql": "project = PAY"}, auth=dc.basic_auth
    )


def _myself(dc: SandboxHandle) -> httpx.Response:
    return httpx.get(f"{dc.api()}/myself", auth=dc.basic_auth)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_error_plans_answer_the_status_for_the_next_n_requests(
    dc: SandboxHandle, status: int
) -> None:
    dc.add_fault(kind="error", status=status, endpoint=SEARCH, count=2)
    assert [_search(dc).status_code for _ in range(3)] == [status, status, 200]


def test_error_bodies_look_like_jira_and_its_proxies(dc: SandboxHandle) -> None:
    dc.add_fault(kind="error", status=500, endpoint=SEARCH)
    dc.add_fault(kind="error", status=502, endpoint=SEARCH)
    dc.add_fault(kind="error", status=503, endpoint=SEARCH, retry_after=7)
    internal = _search(dc)
    assert internal.json() == {"errorMessages": ["Internal server error"], "errors": {}}
    gateway = _search(dc)
    assert "text/html" in gateway.headers["content-type"]
    assert "502 Bad Gateway" in gateway.text
    unavailable = _search(dc)
    assert unavailable.headers["retry-after"] == "7"


def test_a_plan_only_hits_its_endpoint(dc: SandboxHandle) -> None:
    dc.add_fault(kind="error", status=500, endpoint=SEARCH, count=1)
    assert _myself(dc).status_code == 200
    assert _search(dc).status_code == 500


def test_endpoint_globs_and_methods_narrow_a_plan(dc: SandboxHandle) -> None:
    dc.add_fault(kind="error", status=503, endpoint="/rest/api/2/se*", method="POST", count=1)
    assert _search(dc).status_code == 200
    posted = httpx.post(f"{dc.base_url}{SEARCH}", json={"jql": "project = PAY"}, auth=dc.basic_auth)
    assert posted.status_code == 503


def test_a_429_burst_carries_jira_rate_limit_headers(dc: SandboxHandle) -> None:
    dc.add_fault(kind="rate_limit", endpoint=SEARCH, count=3, retry_after=4)
    responses = [_search(dc) for _ in range(4)]
    assert [r.status_code for r in responses] == [429, 429, 429, 200]
    limited = responses[0]
    assert limited.headers["retry-after"] == "4"
    for header in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"):
        assert header in limited.headers
    assert limited.headers["x-ratelimit-remaining"] == "0"
    assert limited.headers["ratelimit-reason"] == "jira-burst-based"


def test_a_dropped_connection_gives_the_client_no_response(dc: SandboxHandle) -> None:
    dc.add_fault(kind="drop", endpoint=SEARCH, count=1)
    with pytest.raises(httpx.TransportError):
        _search(dc)
    assert _search(dc).status_code == 200


def test_a_truncated_body_breaks_off_mid_response(dc: SandboxHandle) -> None:
    dc.add_fault(kind="truncate", endpoint=SEARCH, count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        _search(dc)
    assert _search(dc).status_code == 200


def test_latency_makes_a_short_client_timeout_fire(dc: SandboxHandle) -> None:
    dc.add_fault(kind="latency", latency_ms=3000, endpoint=SEARCH, count=1)
    with pytest.raises(httpx.ReadTimeout):
        httpx.get(
            f"{dc.base_url}{SEARCH}",
            params={"jql": "project = PAY"},
            auth=dc.basic_auth,
            timeout=0.3,
        )


def test_a_delayed_request_still_answers(dc: SandboxHandle) -> None:
    dc.add_fault(kind="latency", latency_ms=50, endpoint=SEARCH, count=1)
    response = _search(dc)
    assert response.status_code == 200
    assert response.json()["total"] > 0


def test_a_fraction_plan_fails_some_requests_repeatably(dc: SandboxHandle) -> None:
    def run() -> list[int]:
        dc.clear_faults()
        dc.add_fault(kind="error", status=500, endpoint=SEARCH, fraction=0.5, seed=42)
        with httpx.Client() as client:
            return [_search(dc, client).status_code for _ in range(24)]

    first = run()
    assert 500 in first and 200 in first
    assert run() == first


def test_faults_are_listed_and_cleared(dc: SandboxHandle) -> None:
    plan = dc.add_fault(kind="error", status=502, endpoint=SEARCH, fraction=0.2)
    listed = dc.control("GET", "faults")["faults"]
    assert [p["id"] for p in listed] == [plan["id"]]
    dc.clear_faults()
    assert dc.control("GET", "faults")["faults"] == []


def test_an_invalid_plan_is_refused_with_the_bad_key(dc: SandboxHandle) -> None:
    response = httpx.post(f"{dc.base_url}/_sandbox/faults", json={"kind": "explode"})
    assert response.status_code == 400
    assert "kind" in response.json()["errors"]


def test_the_token_bucket_limits_each_credential_separately(dc: SandboxHandle) -> None:
    dc.set_rate(3, 3600)
    assert [_search(dc).status_code for _ in range(4)] == [200, 200, 200, 429]
    pat = httpx.get(f"{dc.api()}/myself", headers={"Authorization": f"Bearer {dc.pat}"})
    assert pat.status_code == 200
    assert pat.headers["x-ratelimit-limit"] == "3"
    limited = _search(dc)
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["errorMessages"] == ["Rate limit exceeded."]
    dc.set_rate(None)
    assert _search(dc).status_code == 200


def test_the_rate_option_applies_from_start() -> None:
    with running_sandbox(flavor="cloud", issues=0, rate="2/3600") as cloud:
        codes = [
            httpx.get(f"{cloud.api()}/myself", auth=cloud.basic_auth).status_code for _ in range(3)
        ]
        assert codes == [200, 200, 429]


def test_requests_are_counted_per_endpoint_and_credential(dc: SandboxHandle) -> None:
    dc.reset_request_counts()
    _search(dc)
    _search(dc)
    httpx.get(f"{dc.api()}/myself", headers={"Authorization": f"Bearer {dc.pat}"})
    httpx.get(f"{dc.api()}/myself", auth=("viewer", "viewer"))
    rows = dc.request_counts()["requests"]
    by_key = {(r["endpoint"], r["credential"]): r["count"] for r in rows}
    assert by_key[(f"GET {SEARCH}", "basic:admin")] == 2
    assert by_key[("GET /rest/api/2/myself", "basic:viewer")] == 1
    assert sum(c for (e, cred), c in by_key.items() if cred.startswith("bearer:")) == 1
    assert dc.count_requests() == 4
    assert not any(dc.pat in cred for _, cred in by_key)


def test_faulted_requests_are_counted_too(dc: SandboxHandle) -> None:
    dc.reset_request_counts()
    dc.add_fault(kind="error", status=503, endpoint=SEARCH, count=1)
    _search(dc)
    _search(dc)
    assert dc.count_requests(f"GET {SEARCH}") == 2


def test_reset_restores_data_and_clears_faults_and_counts(dc: SandboxHandle) -> None:
    before = dc.state()["issues"]
    dc.load_issues(generate=30)
    dc.add_fault(kind="error", status=500, fraction=1.0)
    dc.reset()
    assert dc.state()["issues"] == before
    assert dc.control("GET", "faults")["faults"] == []
    assert _search(dc).status_code == 200
    assert dc.count_requests() == 1
