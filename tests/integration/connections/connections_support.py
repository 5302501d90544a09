"""Shared pieces of the connection tests: settings, request bodies, the API wrapper."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI

from sandbox_harness import SandboxHandle
from ticketlens.auth import Role
from ticketlens.settings import Settings

BASE_URL = "http://ticketlens.test"
OAUTH_CLIENT = ("tl-client", "tl-client-secret-0042")
SECRET_KEY = "k" * 48


def fast_settings(db_url: str, data_dir: Path, **extra: object) -> Settings:
    """Settings with quick retries, so fault tests do not wait Atlassian's 5-30 s."""
    values: dict[str, object] = {
        "database_url": db_url,
        "data_dir": data_dir,
        "secret_key": SECRET_KEY,
        "base_url": BASE_URL,
        "jira_backoff_initial_seconds": 0.01,
        "jira_backoff_max_seconds": 0.05,
        "jira_max_retries": 6,
        "jira_max_retry_after_seconds": 0.2,
        "jira_timeout_seconds": 5.0,
    }
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


class Api:
    """The ticketlens API in-process, with one bearer token per role."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient, tokens: dict[Role, str]) -> None:
        self.app = app
        self.client = client
        self.tokens = tokens

    def auth(self, role: Role = Role.ADMIN) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    async def request(
        self, method: str, path: str, role: Role | None = Role.ADMIN, **kwargs: object
    ) -> httpx.Response:
        headers = self.auth(role) if role is not None else {}
        return await self.client.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]


def cloud_body(jira: SandboxHandle, alias: str = "main", **extra: object) -> dict[str, object]:
    return {
        "alias": alias,
        "kind": "cloud",
        "url": jira.base_url,
        "email": jira.email,
        "apiToken": jira.api_token,
        **extra,
    }


def kind_bodies(jira: SandboxHandle) -> dict[str, dict[str, object]]:
    """One create body per kind that suits this sandbox's flavor."""
    if jira.flavor == "cloud":
        return {"cloud": cloud_body(jira)}
    base = {"url": jira.base_url}
    return {
        "datacenter-basic": {
            **base,
            "alias": "basic",
            "kind": "datacenter-basic",
            "username": jira.username,
            "password": jira.password,
        },
        "datacenter-pat": {
            **base,
            "alias": "pat",
            "kind": "datacenter-pat",
            "personalAccessToken": jira.pat,
        },
    }
