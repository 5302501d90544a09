"""Overrides over HTTP: values with quotes and JQL keywords stay values, unknown projects
and components are left out (Jira would reject the whole query), unknown aliases are
reported on the entity, and the sync carries on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine
from sync_world import Jiras, keys_from_sandbox

from ticketlens.entities import import_paths
from ticketlens.settings import Settings
from ticketlens.sync import reading
from ticketlens.sync.runner import sync_connections

TRICKY = ["or", "empty", 'x" OR project = "y']

DESCRIPTOR = """\
openapi: 3.0.1
info:
  title: Tricky
  x-cortex-tag: tricky
  x-cortex-issues:
    jira:
      labels:
        - "or"
        - "empty"
        - 'x" OR project = "y'
        - name: mobile
          alias: nowhere
      components: [Ghost]
      projects: [NOPE]
"""


async def test_tricky_override_values_match_exactly_their_own_issues(
    engine: AsyncEngine, settings: Settings, world: Jiras, tmp_path: Path
) -> None:
    jira = world.default
    loaded = jira.load_issues(
        [{"project": "OPS", "summary": f"tricky {label}", "labels": [label]} for label in TRICKY]
        # Decoys: what the values would match if they escaped their clause.
        + [
            {"project": "OPS", "summary": "decoy x", "labels": ["x"]},
            {"project": "OPS", "summary": "decoy y", "labels": ["y"]},
            {"project": "OPS", "summary": "decoy without labels"},
        ]
    )
    tricky_keys = set(loaded["keys"][:3])
    (tmp_path / "cortex.yaml").write_text(DESCRIPTOR)
    await import_paths(engine, [tmp_path / "cortex.yaml"])

    reports = await sync_connections(engine, settings)
    assert [r.error for r in reports] == [None, None]
    main = reports[0]
    assert any("'Ghost'" in lo and "tricky" in lo for lo in main.left_out)
    assert any("'NOPE'" in lo for lo in main.left_out)

    answer = await reading.entity_issues(engine, settings, "tricky", limit=1000)
    assert {i["key"] for i in answer["issues"]} == tricky_keys
    assert answer["source"] == "mirror"
    assert any("'nowhere'" in p for p in answer["problems"])

    explained = await reading.explain(engine, settings, "tricky")
    [part] = explained["connections"]
    assert part["match"] == 'labels IN ("or", "empty", "x\\" OR project = \\"y")'
    assert {(lo["field"], lo["value"]) for lo in part["leftOut"]} == {
        ("component", "Ghost"),
        ("project", "NOPE"),
    }
    # The exact JQL we show is what Jira accepts and answers with the same issues.
    assert keys_from_sandbox(jira, part["outstanding"]) == tricky_keys


async def test_near_misses_name_the_issue_and_the_fix(
    engine: AsyncEngine, settings: Settings, world: Jiras
) -> None:
    jira = world.default
    loaded = jira.load_issues(
        [
            # In scope through `platform`, so mirrored; its other label is a typo.
            {"project": "PLAT", "summary": "typo", "labels": ["platform", "search-indexr"]},
            {"project": "PLAT", "summary": "space", "labels": ["platform", "search-indexer "]},
        ]
    )
    await sync_connections(engine, settings)
    explained = await reading.explain(engine, settings, "search-indexer")
    misses = {(m["found"], m["difference"]): m for m in explained["connections"][0]["nearMisses"]}
    typo = misses[("search-indexr", "one edit")]
    assert loaded["keys"][0] in typo["issues"]
    assert "rename the label 'search-indexr' to 'search-indexer'" in typo["remedy"]
    assert loaded["keys"][1] in misses[("search-indexer ", "whitespace")]["issues"]
    assert not typo["matches"]
    # The generated data carries `Search-Indexer`: it matches (labels ignore case) and is
    # still shown, so the two spellings are visible.
    case = misses[("Search-Indexer", "case")]
    assert case["matches"]
    assert case["issues"]
