"""Importing descriptors into the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketlens.catalog import DuplicateTag, MalformedYAML
from ticketlens.db.tables import entities, entity_groups
from ticketlens.entities import (
    EntityNotFound,
    InvalidCatalog,
    find_descriptor_files,
    get_entity,
    import_paths,
    import_sources,
    list_entities,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "catalog"


def cortex(tag: str, title: str = "", groups: str = "[]") -> str:
    return (
        f"openapi: 3.0.1\ninfo:\n  x-cortex-tag: {tag}\n  title: {title or tag}\n"
        f"  x-cortex-groups: {groups}\n"
    )


async def count_rows(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(entities))).scalar_one())


async def test_example_catalog_imports_then_reimports_unchanged(engine: AsyncEngine) -> None:
    first = await import_paths(engine, [EXAMPLES])
    assert first.summary() == {"created": 14, "updated": 0, "unchanged": 0, "pruned": 0}
    assert first.files == 13
    again = await import_paths(engine, [EXAMPLES])
    assert again.summary() == {"created": 0, "updated": 0, "unchanged": 14, "pruned": 0}
    stored = await get_entity(engine, "identity-service")
    assert [(p.name, p.alias) for p in stored.jira.projects] == [("IAM", "dc")]
    assert stored.source.path.endswith("cortex/identity-service/cortex.yaml")


async def test_changed_descriptor_counts_as_updated(engine: AsyncEngine) -> None:
    await import_sources(engine, [("a.yaml", cortex("a")), ("b.yaml", cortex("b"))])
    report = await import_sources(
        engine, [("a.yaml", cortex("a", "Alpha")), ("b.yaml", cortex("b"))]
    )
    assert (report.counts.updated, report.counts.unchanged) == (["a"], ["b"])
    assert (await get_entity(engine, "a")).name == "Alpha"


async def test_moved_descriptor_is_unchanged_but_follows_the_file(engine: AsyncEngine) -> None:
    await import_sources(engine, [("old/a.yaml", cortex("a"))])
    report = await import_sources(engine, [("new/a.yaml", "\n" + cortex("a"))])
    assert report.counts.unchanged == ["a"]
    entity = await get_entity(engine, "a")
    assert (entity.source.path, entity.source.line) == ("new/a.yaml", 4)


async def test_invalid_descriptor_aborts_the_whole_import(engine: AsyncEngine) -> None:
    await import_sources(engine, [("a.yaml", cortex("a"))])
    with pytest.raises(InvalidCatalog) as caught:
        await import_sources(
            engine,
            [("a.yaml", cortex("a", "Changed")), ("b.yaml", cortex("b")), ("c.yaml", "x: [")],
        )
    assert [type(e) for e in caught.value.errors] == [MalformedYAML]
    assert await count_rows(engine) == 1
    assert (await get_entity(engine, "a")).name == "a"


async def test_skip_invalid_imports_good_files_and_lists_bad_ones(engine: AsyncEngine) -> None:
    report = await import_sources(
        engine,
        [("a.yaml", cortex("a")), ("b.yaml", "x: ["), ("c.yaml", cortex("a"))],
        skip_invalid=True,
    )
    assert report.counts.created == ["a"]
    assert report.skipped_files == ["b.yaml", "c.yaml"]
    assert {type(e) for e in report.errors} == {MalformedYAML, DuplicateTag}
    assert await count_rows(engine) == 1


async def test_prune_removes_entities_whose_descriptors_are_gone(engine: AsyncEngine) -> None:
    await import_sources(engine, [("a.yaml", cortex("a", groups="[g]")), ("b.yaml", cortex("b"))])
    kept = await import_sources(engine, [("a.yaml", cortex("a"))])
    assert kept.counts.pruned == []
    assert await count_rows(engine) == 2
    pruned = await import_sources(engine, [("b.yaml", cortex("b"))], prune=True)
    assert pruned.counts.pruned == ["a"]
    with pytest.raises(EntityNotFound, match="no entity is tagged 'a'"):
        await get_entity(engine, "a")
    async with engine.connect() as conn:
        groups = (await conn.execute(select(entity_groups))).all()
    assert groups == []


async def test_prune_with_skip_invalid_keeps_entities_of_broken_files(engine: AsyncEngine) -> None:
    await import_sources(engine, [("a.yaml", cortex("a")), ("b.yaml", cortex("b"))])
    report = await import_sources(
        engine, [("a.yaml", "oops: ["), ("c.yaml", cortex("c"))], skip_invalid=True, prune=True
    )
    assert report.counts.pruned == ["b"]
    assert {e.tag for e in (await list_entities(engine)).items} == {"a", "c"}


async def test_listing_filters_by_type_and_group_and_pages(engine: AsyncEngine) -> None:
    await import_paths(engine, [EXAMPLES])
    everything = await list_entities(engine)
    assert everything.total == 14
    assert [e.tag for e in everything.items] == sorted(e.tag for e in everything.items)
    payments = await list_entities(engine, group="payments")
    assert {e.tag for e in payments.items} == {
        "payments-api",
        "checkout-web",
        "ledger-service",
        "billing-worker",
        "fraud-detection",
    }
    assert [e.tag for e in (await list_entities(engine, entity_type="system")).items] == [
        "platform"
    ]
    both = await list_entities(engine, entity_type="service", group="tier-1")
    assert {e.tag for e in both.items} == {
        "payments-api",
        "ledger-service",
        "identity-service",
        "inventory-api",
    }
    page = await list_entities(engine, limit=5, offset=10)
    assert page.total == 14
    assert [e.tag for e in page.items] == [e.tag for e in everything.items[10:14]]


async def test_updated_groups_replace_the_old_ones(engine: AsyncEngine) -> None:
    await import_sources(engine, [("a.yaml", cortex("a", groups="[old, both]"))])
    await import_sources(engine, [("a.yaml", cortex("a", groups="[both, new]"))])
    assert (await list_entities(engine, group="old")).total == 0
    assert (await list_entities(engine, group="new")).total == 1
    assert (await get_entity(engine, "a")).groups == ("both", "new")


def test_folders_are_searched_recursively_skipping_hidden_ones(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "catalog")
    (tmp_path / "catalog" / ".git").mkdir()
    (tmp_path / "catalog" / ".git" / "x.yaml").write_text("x: 1\n")
    (tmp_path / "catalog" / "README.md").write_text("not yaml\n")
    (tmp_path / "catalog" / "extra.yml").write_text(cortex("extra"))
    files = find_descriptor_files([tmp_path / "catalog", tmp_path / "catalog" / "extra.yml"])
    assert len(files) == 14
    assert all(".git" not in f.parts for f in files)
