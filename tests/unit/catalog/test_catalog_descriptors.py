"""Cortex and Backstage descriptors become entities with a normalised Jira block."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from ticketlens.catalog import Entity, MatchItem, Owner, parse_catalog, parse_descriptor

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "catalog"


def one(text: str, path: str = "cortex.yaml") -> Entity:
    result = parse_descriptor(dedent(text), path)
    assert result.errors == []
    assert len(result.entities) == 1
    return result.entities[0]


def test_cortex_reads_every_documented_key() -> None:
    entity = one(
        """
        openapi: 3.0.1
        info:
          title: Ledger Service
          description: Double-entry ledger.
          x-cortex-tag: ledger-service
          x-cortex-type: service
          x-cortex-groups: [payments, tier-1]
          x-cortex-owners:
            - type: GROUP
              name: ledger-team
              provider: cortex
            - type: email
              email: ledger@example.com
          x-cortex-issues:
            jira:
              labels: [ledger, {name: money, alias: dc}]
              components:
                - name: Ledger
              projects:
                - name: LEDG
                  alias: dc
              defaultJql: priority = High
        """
    )
    assert entity.tag == "ledger-service"
    assert entity.name == "Ledger Service"
    assert entity.description == "Double-entry ledger."
    assert entity.type == "service"
    assert entity.groups == ("payments", "tier-1")
    assert entity.owners == (
        Owner(type="group", name="ledger-team", provider="CORTEX"),
        Owner(type="email", name="ledger@example.com"),
    )
    assert entity.jira.labels == (MatchItem(name="ledger"), MatchItem(name="money", alias="dc"))
    assert entity.jira.components == (MatchItem(name="Ledger"),)
    assert entity.jira.projects == (MatchItem(name="LEDG", alias="dc"),)
    assert entity.jira.default_jql == "priority = High"
    assert entity.has_override
    assert entity.source.format == "cortex"
    assert entity.source.line == 6


def test_cortex_defaults_name_to_tag_and_type_to_service() -> None:
    entity = one("openapi: 3.0.1\ninfo:\n  x-cortex-tag: tiny\n")
    assert (entity.name, entity.type, entity.groups, entity.owners) == ("tiny", "service", (), ())
    assert not entity.has_override
    assert entity.jira.default_jql is None


def test_cortex_default_jql_alone_is_not_an_override() -> None:
    entity = one(
        """
        openapi: 3.0.1
        info:
          x-cortex-tag: notifications
          x-cortex-issues:
            jira:
              defaultJql: 'statusCategory = "To Do"'
        """
    )
    assert not entity.has_override
    assert entity.jira.default_jql == 'statusCategory = "To Do"'


def test_cortex_repeated_items_are_kept_once_in_order() -> None:
    entity = one(
        """
        openapi: 3.0.1
        info:
          x-cortex-tag: billing-worker
          x-cortex-issues:
            jira:
              labels: [billing, {name: billing-worker}, {name: billing}]
        """
    )
    assert [item.name for item in entity.jira.labels] == ["billing", "billing-worker"]


def test_cortex_keys_at_top_level_are_accepted() -> None:
    entity = one("openapi: 3.0.1\nx-cortex-tag: top\nx-cortex-type: domain\ninfo:\n  title: T\n")
    assert (entity.tag, entity.type, entity.name) == ("top", "domain", "T")


def test_backstage_reads_every_documented_annotation() -> None:
    entity = one(
        """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: mobile-app
          title: Mobile App
          tags: [frontend]
          annotations:
            jira/project-key: APP
            jira/component: Checkout, Cart
            jira/label: mobile , ios,,android
            jira.com/project-key: dc/MOB,dc/MOB2
            jira.com/components: Mobile,Tablet
        spec:
          type: website
          owner: user:default/jdoe
        """,
        "catalog-info.yaml",
    )
    assert entity.tag == "mobile-app"
    assert entity.type == "website"
    assert entity.groups == ("frontend",)
    assert entity.owners == (Owner(type="user", name="jdoe"),)
    assert entity.jira.labels == tuple(MatchItem(name=n) for n in ("mobile", "ios", "android"))
    assert entity.jira.components == (
        MatchItem(name="Checkout, Cart"),
        MatchItem(name="Mobile", alias="dc"),
        MatchItem(name="Tablet", alias="dc"),
    )
    assert entity.jira.projects == (
        MatchItem(name="APP"),
        MatchItem(name="MOB", alias="dc"),
        MatchItem(name="MOB2", alias="dc"),
    )
    assert entity.source.format == "backstage"


@pytest.mark.parametrize(
    ("kind", "spec_type", "expected"),
    [
        ("Component", "library", "library"),
        ("Component", None, "component"),
        ("Resource", "database", "database"),
        ("API", "openapi", "api"),
        ("System", None, "system"),
    ],
)
def test_backstage_type_follows_kind(kind: str, spec_type: str | None, expected: str) -> None:
    spec = f"spec:\n  type: {spec_type}\n" if spec_type else ""
    text = f"apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: x\n{spec}"
    assert one(text, "catalog-info.yaml").type == expected


def test_backstage_multi_document_file_yields_each_entity_and_ignores_other_kinds() -> None:
    result = parse_descriptor(
        dedent(
            """
            apiVersion: backstage.io/v1alpha1
            kind: System
            metadata: {name: platform}
            ---
            apiVersion: backstage.io/v1alpha1
            kind: Group
            metadata: {name: platform-team}
            ---
            apiVersion: backstage.io/v1alpha1
            kind: Resource
            metadata: {name: events-bus}
            spec: {type: message-bus, owner: platform-team}
            """
        ),
        "catalog-info.yaml",
    )
    assert result.errors == []
    assert [e.tag for e in result.entities] == ["platform", "events-bus"]
    assert result.entities[1].owners == (Owner(type="group", name="platform-team"),)
    assert len(result.ignored) == 1
    assert "Group" in result.ignored[0]


def test_json_carries_normalised_jira_block_with_aliases_and_default_jql() -> None:
    entity = one(
        """
        openapi: 3.0.1
        info:
          x-cortex-tag: identity-service
          x-cortex-issues:
            jira:
              components: [{name: Identity, alias: dc}]
              labels: [iam]
        """
    )
    jira = entity.to_json()["jira"]
    assert jira == {
        "labels": [{"name": "iam", "alias": None}],
        "components": [{"name": "Identity", "alias": "dc"}],
        "projects": [],
        "defaultJql": None,
        "hasOverride": True,
    }


def test_content_hash_ignores_the_source_but_not_the_data() -> None:
    a = one("openapi: 3.0.1\ninfo:\n  x-cortex-tag: a\n", "one.yaml")
    moved = one("# moved\nopenapi: 3.0.1\ninfo:\n  x-cortex-tag: a\n", "two.yaml")
    renamed = one("openapi: 3.0.1\ninfo:\n  x-cortex-tag: a\n  title: A\n", "one.yaml")
    assert a.content_hash() == moved.content_hash()
    assert a.content_hash() != renamed.content_hash()


EXPECTED_EXAMPLES = {
    "payments-api": ("cortex", False, None),
    "checkout-web": ("cortex", False, None),
    "search-indexer": ("cortex", False, None),
    "ledger-service": ("cortex", True, None),
    "identity-service": ("cortex", True, None),
    "notifications": (
        "cortex",
        False,
        'statusCategory = "To Do" AND priority in (Highest, High)',
    ),
    "billing-worker": ("cortex", True, None),
    "inventory-api": ("backstage", False, None),
    "shipping-service": ("backstage", True, None),
    "fraud-detection": ("backstage", True, None),
    "mobile-app": ("backstage", True, None),
    "orders-api": ("backstage", True, None),
    "platform": ("backstage", False, None),
    "events-bus": ("backstage", False, None),
}


def example_catalog() -> dict[str, Entity]:
    files = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".yaml", ".yml"))
    parsed = parse_catalog((str(p), p.read_text()) for p in files)
    assert parsed.errors == []
    return {entity.tag: entity for entity in parsed.entities}


def test_example_catalog_has_the_agreed_fourteen_entities() -> None:
    catalog = example_catalog()
    assert set(catalog) == set(EXPECTED_EXAMPLES)
    for tag, (fmt, override, default_jql) in EXPECTED_EXAMPLES.items():
        entity = catalog[tag]
        assert entity.source.format == fmt, tag
        assert entity.has_override is override, tag
        assert entity.jira.default_jql == default_jql, tag


def test_example_catalog_overrides_are_the_agreed_values() -> None:
    catalog = example_catalog()

    def items(tag: str) -> dict[str, list[tuple[str, str | None]]]:
        jira = catalog[tag].jira
        return {
            name: [(i.name, i.alias) for i in values]
            for name, values in (
                ("labels", jira.labels),
                ("components", jira.components),
                ("projects", jira.projects),
            )
            if values
        }

    assert items("ledger-service") == {"labels": [("ledger", None)], "projects": [("LEDG", None)]}
    assert items("identity-service") == {
        "components": [("Identity", "dc")],
        "projects": [("IAM", "dc")],
    }
    assert items("billing-worker") == {"labels": [("billing", None), ("billing-worker", None)]}
    assert items("shipping-service") == {"projects": [("SHIP", None)]}
    assert items("fraud-detection") == {"labels": [("fraud", None), ("risk", None)]}
    assert items("mobile-app") == {"components": [("Mobile", "dc")], "projects": [("MOB", "dc")]}
    assert items("orders-api") == {"components": [("Orders", None)]}
    assert catalog["orders-api"].type == "api"
    assert catalog["platform"].type == "system"
