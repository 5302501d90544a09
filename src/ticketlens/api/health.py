"""Liveness and readiness probes; neither needs a token."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ticketlens.api.deps import EngineDep
from ticketlens.db.engine import DatabaseError
from ticketlens.db.migrate import ensure_current

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(engine: EngineDep) -> JSONResponse:
    """The database is reachable and migrated to the current revision."""
    try:
        await ensure_current(engine)
    except DatabaseError as exc:
        return JSONResponse({"status": "unavailable", "reason": str(exc)}, status_code=503)
    return JSONResponse({"status": "ok"})
