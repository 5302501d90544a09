"""Catalog routes: list and read entities, and import descriptors posted as YAML."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from ticketlens.api.deps import Editor, EngineDep, Viewer
from ticketlens.catalog import Entity
from ticketlens.entities import EntityNotFound, InvalidCatalog, get_entity, import_sources
from ticketlens.entities import list_entities as list_stored

router = APIRouter(prefix="/api/v1", tags=["catalog"])

MAX_DESCRIPTOR_BYTES = 1_000_000


class EntityPagePublic(BaseModel):
    """A page of entities ordered by tag, and how many match the filters in all."""

    items: list[Entity]
    total: int
    limit: int
    offset: int


class ImportResultPublic(BaseModel):
    """What posting descriptors did, by tag."""

    created: list[str]
    updated: list[str]
    unchanged: list[str]
    ignored: list[str] = Field(description="Documents of Backstage kinds that are not read.")


@router.get("/entities", response_model=EntityPagePublic)
async def list_entities(
    _: Viewer,
    engine: EngineDep,
    entity_type: Annotated[str | None, Query(alias="type", description="e.g. service")] = None,
    group: Annotated[str | None, Query(description="Only entities in this group.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> EntityPagePublic:
    """List entities by tag, filtered by type and group, one page at a time."""
    page = await list_stored(
        engine, entity_type=entity_type, group=group, limit=limit, offset=offset
    )
    return EntityPagePublic(items=page.items, total=page.total, limit=limit, offset=offset)


@router.get("/entities/{tag}", response_model=Entity)
async def read_entity(tag: str, _: Viewer, engine: EngineDep) -> Entity:
    """One entity, with its normalised Jira block."""
    try:
        return await get_entity(engine, tag)
    except EntityNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from exc


_YAML_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A cortex.yaml or catalog-info.yaml (several documents allowed).",
        "content": {"application/yaml": {"schema": {"type": "string"}}},
    }
}


@router.post(
    "/catalog/descriptors",
    response_model=ImportResultPublic,
    openapi_extra=_YAML_BODY,
    responses={422: {"description": "The descriptor is invalid; nothing was imported."}},
)
async def post_descriptors(
    request: Request,
    _: Editor,
    engine: EngineDep,
    source: Annotated[
        str, Query(description="A name for the descriptor, used in errors and as its source.")
    ] = "request.yaml",
) -> ImportResultPublic:
    """Import the descriptor in the YAML body (editor or admin); all or nothing."""
    body = await request.body()
    if len(body) > MAX_DESCRIPTOR_BYTES:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"the descriptor is over {MAX_DESCRIPTOR_BYTES} bytes; split it",
        )
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail={"message": "the body is not UTF-8 text", "errors": []},
        ) from exc
    try:
        report = await import_sources(engine, [(source, text)])
    except InvalidCatalog as exc:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail={
                "message": "the descriptor is invalid; nothing was imported",
                "errors": [error.to_json() for error in exc.errors],
            },
        ) from exc
    return ImportResultPublic(
        created=report.counts.created,
        updated=report.counts.updated,
        unchanged=report.counts.unchanged,
        ignored=report.ignored,
    )
