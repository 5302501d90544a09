"""The connections REST API: role matrix over every route, default rules, immutable aliases."""

from __future__ import annotations

import pytest
from connections_support import Api

from ticketlens.auth import Role

ROUTES = [
    ("GET", "/api/v1/jira/configurations", None),
    ("POST", "/api/v1/jira/configurations", "create"),
    ("GET", "/api/v1/jira/default-configuration", None),
    ("GET", "/api/v1/jira/configurations/one", None),
    ("PUT", "/api/v1/jira/configurations/one", "update"),
    ("POST", "/api/v1/jira/configurations/one/default", None),
    ("POST", "/api/v1/jira/configurations/one/validate", None),
    ("GET", "/api/v1/jira/configurations/one/oauth/start", None),
    ("DELETE", "/api/v1/jira/configurations/two", None),
]


def pat_body(alias: str, **extra: object) -> dict[str, object]:
    return {
        "alias": alias,
        "kind": "datacenter-pat",
        "url": "http://127.0.0.1:9",
        "personalAccessToken": f"pat-of-{alias}",
        **extra,
    }


BODIES = {"create": pat_body("two"), "update": {"timeoutSeconds": 12}}


async def add(api: Api, alias: str, **extra: object) -> dict[str, object]:
    response = await api.request(
        "POST", "/api/v1/jira/configurations", json=pat_body(alias, **extra)
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, None])
async def test_only_admins_reach_any_connection_route(api: Api, role: Role | None) -> None:
    await add(api, "one")
    for method, path, body in ROUTES:
        response = await api.request(method, path, role=role, json=BODIES.get(body or ""))
        expected = 401 if role is None else 403
        assert response.status_code == expected, (method, path)
    listed = await api.request("GET", "/api/v1/jira/configurations")
    assert [c["alias"] for c in listed.json()["configurations"]] == ["one"]


async def test_admins_reach_every_connection_route(api: Api) -> None:
    await add(api, "one")
    statuses = {}
    for method, path, body in ROUTES:
        response = await api.request(method, path, json=BODIES.get(body or ""))
        statuses[(method, path)] = response.status_code
    assert set(statuses.values()) <= {200, 201, 204, 307, 400}
    assert statuses[("GET", "/api/v1/jira/configurations/one/oauth/start")] == 400  # a PAT kind
    assert statuses[("DELETE", "/api/v1/jira/configurations/two")] == 204


async def test_the_first_connection_is_the_default_and_set_default_moves_it(api: Api) -> None:
    assert (await add(api, "one"))["isDefault"] is True
    assert (await add(api, "two"))["isDefault"] is False
    moved = await api.request("POST", "/api/v1/jira/configurations/two/default")
    assert moved.json()["isDefault"] is True
    listed = (await api.request("GET", "/api/v1/jira/configurations")).json()["configurations"]
    assert [(c["alias"], c["isDefault"]) for c in listed] == [("two", True), ("one", False)]
    default = await api.request("GET", "/api/v1/jira/default-configuration")
    assert default.json()["alias"] == "two"


async def test_adding_with_is_default_takes_the_default_over(api: Api) -> None:
    await add(api, "one")
    await add(api, "two", isDefault=True)
    listed = (await api.request("GET", "/api/v1/jira/configurations")).json()["configurations"]
    assert [c["alias"] for c in listed if c["isDefault"]] == ["two"]


async def test_deleting_the_default_while_others_exist_is_refused(api: Api) -> None:
    await add(api, "one")
    await add(api, "two")
    refused = await api.request("DELETE", "/api/v1/jira/configurations/one")
    assert refused.status_code == 409
    assert "make another one the default first" in refused.json()["detail"]
    await api.request("POST", "/api/v1/jira/configurations/two/default")
    assert (await api.request("DELETE", "/api/v1/jira/configurations/one")).status_code == 204
    assert (await api.request("DELETE", "/api/v1/jira/configurations/two")).status_code == 204
    none = await api.request("GET", "/api/v1/jira/default-configuration")
    assert none.status_code == 404
    assert "ticketlens jira add" in none.json()["detail"]


async def test_an_alias_cannot_change(api: Api) -> None:
    await add(api, "one")
    refused = await api.request("PUT", "/api/v1/jira/configurations/one", json={"alias": "uno"})
    assert refused.status_code == 422
    assert "aliases are immutable" in refused.json()["detail"]


async def test_a_duplicate_alias_is_refused(api: Api) -> None:
    await add(api, "one")
    again = await api.request("POST", "/api/v1/jira/configurations", json=pat_body("one"))
    assert again.status_code == 409
    assert "already exists" in again.json()["detail"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"alias": "Bad Alias"}, "alias 'Bad Alias' is invalid"),
        ({"url": "ftp://jira.example.com"}, "must start with http:// or https://"),
        ({"url": "https://bob:pw@jira.example.com"}, "must not carry a user name or password"),
        ({"proxy": "socks5://127.0.0.1:1080"}, "the proxy must be an http:// or https:// URL"),
        ({"caBundle": "/nonexistent/ca.pem"}, "does not exist or is not a file"),
        ({"timeoutSeconds": 0}, "timeoutSeconds 0 is out of range"),
        ({"personalAccessToken": None}, "needs personalAccessToken"),
    ],
)
async def test_invalid_fields_are_refused_in_plain_words(
    api: Api, change: dict[str, object], message: str
) -> None:
    body = {**pat_body("one"), **change}
    refused = await api.request("POST", "/api/v1/jira/configurations", json=body)
    assert refused.status_code == 422
    assert message in refused.json()["detail"]


async def test_each_kind_needs_its_own_fields(api: Api) -> None:
    cloud = {"alias": "c", "kind": "cloud", "url": "https://x.atlassian.net", "apiToken": "t"}
    refused = await api.request("POST", "/api/v1/jira/configurations", json=cloud)
    assert "a cloud connection needs email" in refused.json()["detail"]
    basic = {"alias": "b", "kind": "datacenter-basic", "url": "https://j", "password": "p"}
    refused = await api.request("POST", "/api/v1/jira/configurations", json=basic)
    assert "needs username" in refused.json()["detail"]
    oauth = {"alias": "o", "kind": "datacenter-oauth", "url": "https://j", "clientId": "c"}
    refused = await api.request("POST", "/api/v1/jira/configurations", json=oauth)
    assert "needs clientSecret" in refused.json()["detail"]


async def test_update_keeps_secrets_that_are_left_out_or_masked(api: Api) -> None:
    await add(api, "one")
    for body in ({"timeoutSeconds": 9}, {"personalAccessToken": "********"}):
        updated = await api.request("PUT", "/api/v1/jira/configurations/one", json=body)
        assert updated.status_code == 200
        assert updated.json()["hasPersonalAccessToken"] is True
    shown = (await api.request("GET", "/api/v1/jira/configurations/one")).json()
    assert shown["timeoutSeconds"] == 9
    assert shown["personalAccessToken"] == "********"


async def test_a_proxy_password_is_masked(api: Api) -> None:
    shown = await add(api, "one", proxy="http://corp:hunter2@proxy.internal:3128")
    assert shown["proxy"] == "http://corp:********@proxy.internal:3128"


async def test_an_unknown_alias_is_404_with_a_hint(api: Api) -> None:
    missing = await api.request("GET", "/api/v1/jira/configurations/ghost")
    assert missing.status_code == 404
    assert "ticketlens jira list" in missing.json()["detail"]
