"""Fault plans: what goes wrong, for which endpoint, and how often.

A plan applies either to the next ``count`` matching requests or to a ``fraction`` of them
(drawn from a seeded generator, so a run repeats). ``endpoint`` is a glob over the request
path (``/rest/api/3/search*``) or ``*`` for every Jira endpoint; ``/_sandbox/`` controls
are never faulted.
"""

from __future__ import annotations

import fnmatch
import random
from dataclasses import dataclass, field
from typing import Any, Literal

from ticketlens.sandbox.errors import JiraHTTPError

FaultKind = Literal["latency", "error", "rate_limit", "drop", "truncate"]
KINDS: tuple[str, ...] = ("latency", "error", "rate_limit", "drop", "truncate")


@dataclass(slots=True)
class FaultPlan:
    """One fault plan, as set through ``POST /_sandbox/faults``."""

    kind: FaultKind
    endpoint: str = "*"
    method: str | None = None
    count: int | None = None
    fraction: float | None = None
    status: int = 503
    latency_ms: int = 0
    retry_after: int = 1
    id: int = 0
    applied: int = 0
    seed: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    @classmethod
    def from_json(cls, body: dict[str, Any], plan_id: int) -> FaultPlan:
        """Validate a control request; raise JiraHTTPError(400) naming the bad key."""
        kind = body.get("kind")
        if kind not in KINDS:
            raise JiraHTTPError(400, errors={"kind": f"must be one of {', '.join(KINDS)}"})
        count, fraction = body.get("count"), body.get("fraction")
        if count is None and fraction is None:
            count = 1  # a plan with neither applies once
        if count is not None and (not isinstance(count, int) or count < 1):
            raise JiraHTTPError(400, errors={"count": "must be a positive integer"})
        if fraction is not None and (
            not isinstance(fraction, int | float) or not 0 < fraction <= 1
        ):
            raise JiraHTTPError(400, errors={"fraction": "must be in (0, 1]"})
        status = int(body.get("status", 429 if kind == "rate_limit" else 503))
        if kind == "error" and status not in (500, 502, 503, 504):
            raise JiraHTTPError(400, errors={"status": "must be 500, 502, 503 or 504"})
        plan = cls(
            kind=kind,
            endpoint=str(body.get("endpoint", "*")),
            method=str(body["method"]).upper() if body.get("method") else None,
            count=count,
            fraction=None if fraction is None else float(fraction),
            status=status,
            latency_ms=int(body.get("latency_ms", 0)),
            retry_after=int(body.get("retry_after", 1)),
            id=plan_id,
            seed=int(body.get("seed", plan_id)),
        )
        plan._rng = random.Random(plan.seed)  # noqa: S311 - repeatable, not secret
        if kind == "latency" and plan.latency_ms <= 0:
            raise JiraHTTPError(400, errors={"latency_ms": "must be positive for latency"})
        return plan

    def to_json(self) -> dict[str, Any]:
        """What ``GET /_sandbox/faults`` shows."""
        return {
            "id": self.id,
            "kind": self.kind,
            "endpoint": self.endpoint,
            "method": self.method,
            "count": self.count,
            "fraction": self.fraction,
            "status": self.status,
            "latency_ms": self.latency_ms,
            "retry_after": self.retry_after,
            "applied": self.applied,
        }

    def matches(self, method: str, path: str) -> bool:
        """Whether this plan covers the request (ignoring count and fraction)."""
        if self.method is not None and self.method != method:
            return False
        return self.endpoint == "*" or fnmatch.fnmatchcase(path, self.endpoint)


class FaultBook:
    """The active plans; the first plan that fires wins."""

    def __init__(self) -> None:
        self.plans: list[FaultPlan] = []
        self._next_id = 1

    def add(self, body: dict[str, Any]) -> FaultPlan:
        """Add a plan from a control request."""
        plan = FaultPlan.from_json(body, self._next_id)
        self._next_id += 1
        self.plans.append(plan)
        return plan

    def clear(self) -> None:
        """Remove every plan."""
        self.plans.clear()

    def pick(self, method: str, path: str) -> FaultPlan | None:
        """The plan to apply to this request, if any; spends one of a counted plan's uses."""
        for plan in list(self.plans):
            if not plan.matches(method, path):
                continue
            if plan.fraction is not None and plan._rng.random() >= plan.fraction:
                continue
            plan.applied += 1
            if plan.count is not None:
                plan.count -= 1
                if plan.count <= 0:
                    self.plans.remove(plan)
            return plan
        return None
