"""The "test connection" step: can ticketlens reach this Jira, sign in, and see enough?

It calls ``serverInfo``, ``myself`` and ``mypermissions`` (BROWSE_PROJECTS and
USER_PICKER, "Browse users and groups"), then counts the visible projects. Each failure
is named in plain words: unreachable (DNS, TLS, timeout, proxy), wrong credential, a
Cloud email that does not own the token, a missing permission, the wrong flavor, or a
Jira too old for the connection's kind.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog

from ticketlens.connections.models import Check, Connection, ConnectionKind, ValidationReport
from ticketlens.jira import (
    JiraClient,
    JiraError,
    NotFound,
    OAuthError,
    RequestError,
    ServerInfo,
    Unauthorized,
)

log = structlog.get_logger("ticketlens.connections")

PERMISSIONS = {
    "BROWSE_PROJECTS": "Browse projects",
    "USER_PICKER": "Browse users and groups",
}
WHERE_GRANTED = {
    "BROWSE_PROJECTS": "(granted in each project's permission scheme)",
    "USER_PICKER": "(a global permission)",
}
OAUTH_MIN_VERSION = (8, 22)
PAT_MIN_VERSION = (8, 14)

ClientFactory = Callable[[Connection, str], JiraClient]
"""Builds a client for a connection, as flavor ``cloud`` or ``datacenter``."""


async def validate(connection: Connection, make_client: ClientFactory) -> ValidationReport:
    """Run every check against Jira and report each one; never raises a JiraError."""
    report = ValidationReport(alias=connection.alias, ok=False, checks=[])
    checks = report.checks
    flavor = connection.kind.flavor
    async with make_client(connection, flavor) as client:
        info = await _server_info(connection, client, make_client, checks)
        if info is None:
            return _done(report)
        report.server_version = info.version or None
        report.deployment_type = info.deployment_type or None
        if not _flavor_and_version(connection, info, checks):
            return _done(report)
        try:
            me = await client.myself()
        except Unauthorized as exc:
            checks.append(Check(name="credential", ok=False, message=_credential(connection, exc)))
            return _done(report)
        except (JiraError, OAuthError) as exc:
            checks.append(Check(name="credential", ok=False, message=str(exc)))
            return _done(report)
        report.user = me.display_name or me.login
        report.time_zone = me.time_zone
        who = f"{report.user} ({me.email_address or me.name or me.account_id})"
        checks.append(Check(name="credential", ok=True, message=f"signed in as {who}"))
        try:
            granted = await client.my_permissions(*PERMISSIONS)
        except JiraError as exc:
            checks.append(Check(name="permissions", ok=False, message=str(exc)))
            return _done(report)
        missing = granted.missing(*PERMISSIONS)
        if missing:
            named = " and ".join(f"'{PERMISSIONS[k]}' ({k}) {WHERE_GRANTED[k]}" for k in missing)
            checks.append(
                Check(
                    name="permissions",
                    ok=False,
                    message=f"{report.user} lacks {named}; ask a Jira admin to grant it",
                )
            )
        else:
            checks.append(Check(name="permissions", ok=True, message="all permissions held"))
        try:
            report.visible_projects = len(await client.projects())
            checks.append(
                Check(
                    name="projects",
                    ok=True,
                    message=f"{report.visible_projects} projects visible",
                )
            )
        except JiraError as exc:
            checks.append(Check(name="projects", ok=False, message=str(exc)))
    return _done(report)


def _done(report: ValidationReport) -> ValidationReport:
    report.ok = bool(report.checks) and all(c.ok for c in report.checks)
    log.info(
        "connections.validated",
        connection=report.alias,
        ok=report.ok,
        failed=[c.name for c in report.failures],
    )
    return report


async def _server_info(
    connection: Connection,
    client: JiraClient,
    make_client: ClientFactory,
    checks: list[Check],
) -> ServerInfo | None:
    try:
        info = await client.server_info()
    except RequestError as exc:
        checks.append(Check(name="reach", ok=False, message=f"cannot reach Jira: {exc}"))
        return None
    except NotFound:
        if connection.kind is ConnectionKind.CLOUD:
            # Data Center has no /rest/api/3: ask in its dialect to name the mix-up.
            async with make_client(connection, "datacenter") as probe:
                try:
                    other = await probe.server_info()
                except JiraError:
                    other = None
            if other is not None and not other.is_cloud:
                checks.append(Check(name="reach", ok=True, message=f"reached {connection.url}"))
                checks.append(Check(name="flavor", ok=False, message=_not_cloud(other)))
                return None
        checks.append(
            Check(
                name="reach",
                ok=False,
                message=f"{connection.url} answers, but not as Jira: serverInfo is missing. "
                "Check the URL (it is the address you open Jira at, without a path)",
            )
        )
        return None
    except Unauthorized as exc:
        checks.append(Check(name="reach", ok=True, message=f"reached {connection.url}"))
        checks.append(Check(name="credential", ok=False, message=_credential(connection, exc)))
        return None
    except OAuthError as exc:
        checks.append(Check(name="credential", ok=False, message=str(exc)))
        return None
    except JiraError as exc:
        checks.append(Check(name="reach", ok=False, message=str(exc)))
        return None
    title = info.server_title or "Jira"
    checks.append(
        Check(
            name="reach",
            ok=True,
            message=f"reached {title} {info.version} ({info.deployment_type or 'unknown'})",
        )
    )
    return info


def _not_cloud(info: ServerInfo) -> str:
    kind = info.deployment_type or "Server"
    return (
        f"this URL is a Jira {kind} {info.version}, not Jira Cloud; use the kind "
        "datacenter-basic, datacenter-pat or datacenter-oauth"
    )


def _flavor_and_version(connection: Connection, info: ServerInfo, checks: list[Check]) -> bool:
    kind = connection.kind
    if kind is ConnectionKind.CLOUD and not info.is_cloud:
        checks.append(Check(name="flavor", ok=False, message=_not_cloud(info)))
        return False
    if kind is not ConnectionKind.CLOUD and info.is_cloud:
        checks.append(
            Check(
                name="flavor",
                ok=False,
                message="this URL is Jira Cloud, not Data Center; use the kind cloud with an "
                "email and an API token",
            )
        )
        return False
    checks.append(Check(name="flavor", ok=True, message=f"{kind.value} matches the server"))
    needed = {
        ConnectionKind.DATACENTER_OAUTH: (OAUTH_MIN_VERSION, "OAuth 2.0 application links"),
        ConnectionKind.DATACENTER_PAT: (PAT_MIN_VERSION, "personal access tokens"),
    }.get(kind)
    if needed is not None and not info.at_least(*needed[0]):
        minimum = ".".join(str(n) for n in needed[0])
        checks.append(
            Check(
                name="version",
                ok=False,
                message=f"Jira {info.version} is older than {minimum}, the first version "
                f"with {needed[1]}; upgrade Jira, or use "
                + (
                    "a personal access token (8.14+) or basic auth"
                    if kind is ConnectionKind.DATACENTER_OAUTH
                    else "basic auth"
                ),
            )
        )
        return False
    return True


def _credential(connection: Connection, exc: Unauthorized) -> str:
    said = "; ".join(exc.messages)
    jira_said = f" (Jira said: {said})" if said else ""
    if connection.kind is ConnectionKind.CLOUD:
        return (
            f"Jira Cloud rejected the email {connection.username!r} with this API token"
            f"{jira_said}. Either the token is wrong or revoked, or it belongs to another "
            "account: an API token works only with the email of the account that created "
            "it (id.atlassian.com → Security → API tokens)"
        )
    if connection.kind is ConnectionKind.DATACENTER_BASIC:
        return (
            f"Jira rejected user {connection.username!r} with this password{jira_said}; "
            "check both, and that the account is not locked by CAPTCHA after failed logins"
        )
    if connection.kind is ConnectionKind.DATACENTER_PAT:
        return (
            f"Jira rejected the personal access token{jira_said}; it may be wrong, expired "
            "or revoked. Create a new one in Jira: Profile → Personal Access Tokens"
        )
    return (
        f"Jira rejected the OAuth access token even after a refresh{jira_said}; authorize "
        f"again with `ticketlens jira oauth {connection.alias}`"
    )
