"""Every bad descriptor yields an error naming the file, the line and the key path."""

from __future__ import annotations

from textwrap import dedent

import pytest

from ticketlens.catalog import (
    DescriptorError,
    DuplicateTag,
    InvalidTag,
    InvalidValue,
    MalformedYAML,
    UnknownFormat,
    WrongType,
    parse_catalog,
    parse_descriptor,
)


def only_error(text: str, path: str = "svc/cortex.yaml") -> DescriptorError:
    result = parse_descriptor(dedent(text).lstrip("\n"), path)
    assert result.entities == []
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_malformed_yaml_names_file_and_line() -> None:
    error = only_error(
        """
        openapi: 3.0.1
        info:
          x-cortex-tag: payments-api
          title: [unclosed
        x: 1
        """
    )
    assert isinstance(error, MalformedYAML)
    assert error.file == "svc/cortex.yaml"
    assert error.line == 5
    assert str(error).startswith("svc/cortex.yaml:5: malformed YAML")


def test_duplicate_yaml_key_is_malformed_with_both_lines() -> None:
    error = only_error("openapi: 3.0.1\ninfo:\n  x-cortex-tag: a\n  x-cortex-tag: b\n")
    assert isinstance(error, MalformedYAML)
    assert (error.line, error.key_path) == (4, "info.x-cortex-tag")
    assert "first on line 3" in error.problem


def test_missing_cortex_tag_points_at_info() -> None:
    error = only_error("openapi: 3.0.1\ninfo:\n  title: No Tag\n")
    assert isinstance(error, InvalidTag)
    assert (error.line, error.key_path) == (2, "info.x-cortex-tag")
    assert "missing" in error.problem
    assert "x-cortex-tag" in error.hint


@pytest.mark.parametrize(
    ("tag", "suggestion"),
    [("Payments API", "payments-api"), ("pay/ments", "pay-ments"), ("Ünï", "n")],
)
def test_invalid_cortex_tag_is_refused_with_a_suggestion(tag: str, suggestion: str) -> None:
    error = only_error(f"openapi: 3.0.1\ninfo:\n  title: T\n  x-cortex-tag: '{tag}'\n")
    assert isinstance(error, InvalidTag)
    assert (error.file, error.line, error.key_path) == ("svc/cortex.yaml", 4, "info.x-cortex-tag")
    assert repr(suggestion) in error.hint


def test_numeric_tag_is_a_tag_error_not_a_crash() -> None:
    error = only_error("openapi: 3.0.1\ninfo:\n  x-cortex-tag: 42\n")
    assert isinstance(error, InvalidTag)
    assert "an integer (42)" in error.problem


def test_missing_backstage_name_points_at_metadata() -> None:
    error = only_error(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  title: X\n",
        "catalog-info.yaml",
    )
    assert isinstance(error, InvalidTag)
    assert (error.line, error.key_path) == (3, "metadata.name")


def test_uppercase_backstage_name_is_an_invalid_tag() -> None:
    error = only_error(
        "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: OrdersAPI\n",
        "catalog-info.yaml",
    )
    assert isinstance(error, InvalidTag)
    assert (error.line, error.key_path) == (4, "metadata.name")
    assert "'ordersapi'" in error.hint


def test_labels_as_a_number_is_a_wrong_type_at_its_key_path() -> None:
    error = only_error(
        """
        openapi: 3.0.1
        info:
          x-cortex-tag: payments-api
          x-cortex-issues:
            jira:
              labels: 5
        """
    )
    assert isinstance(error, WrongType)
    assert (error.line, error.key_path) == (6, "info.x-cortex-issues.jira.labels")
    assert error.problem == "expected a list, got an integer (5)"
    assert str(error).startswith("svc/cortex.yaml:6: info.x-cortex-issues.jira.labels: expected")


@pytest.mark.parametrize(
    ("body", "line", "key_path"),
    [
        ("  x-cortex-groups: payments\n", 3, "info.x-cortex-groups"),
        ("  x-cortex-groups: [payments, 7]\n", 3, "info.x-cortex-groups[1]"),
        ("  x-cortex-owners: [team]\n", 3, "info.x-cortex-owners[0]"),
        ("  x-cortex-issues:\n    jira: [a]\n", 4, "info.x-cortex-issues.jira"),
        (
            "  x-cortex-issues:\n    jira:\n      projects:\n        - name: LEDG\n        - 12\n",
            7,
            "info.x-cortex-issues.jira.projects[1]",
        ),
        (
            "  x-cortex-issues:\n    jira:\n      projects:\n        - name: LEDG\n"
            "          alias: 3\n",
            7,
            "info.x-cortex-issues.jira.projects[0].alias",
        ),
        ("  x-cortex-issues:\n    jira:\n      defaultJql: 5\n", 5, None),
        ("  title: [a]\n", 3, "info.title"),
    ],
)
def test_wrong_types_name_the_exact_key_path(body: str, line: int, key_path: str | None) -> None:
    error = only_error("openapi: 3.0.1\ninfo:\n" + body + "  x-cortex-tag: t\n")
    assert isinstance(error, WrongType)
    assert error.line == line
    assert error.key_path == (key_path or "info.x-cortex-issues.jira.defaultJql")


def test_backstage_annotation_of_wrong_type_is_quoted_in_the_key_path() -> None:
    error = only_error(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ship\n"
        "  annotations:\n    jira/project-key: 123\n",
        "catalog-info.yaml",
    )
    assert isinstance(error, WrongType)
    assert (error.line, error.key_path) == (6, 'metadata.annotations["jira/project-key"]')


@pytest.mark.parametrize(
    ("jira", "key_path", "fragment"),
    [
        ("      label: [x]\n", "info.x-cortex-issues.jira.label", "unknown key 'label'"),
        (
            "      labels:\n        - {name: x, aliass: dc}\n",
            "info.x-cortex-issues.jira.labels[0].aliass",
            "unknown key",
        ),
        (
            "      labels:\n        - {alias: dc}\n",
            "info.x-cortex-issues.jira.labels[0].name",
            "no",
        ),
        ("      labels: ['']\n", "info.x-cortex-issues.jira.labels[0]", "empty"),
    ],
)
def test_unusable_jira_values_are_invalid(jira: str, key_path: str, fragment: str) -> None:
    error = only_error(
        "openapi: 3.0.1\ninfo:\n  x-cortex-tag: t\n  x-cortex-issues:\n    jira:\n" + jira
    )
    assert isinstance(error, InvalidValue)
    assert error.key_path == key_path
    assert fragment in error.problem


def test_components_over_several_backstage_instances_are_ambiguous() -> None:
    error = only_error(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: m\n"
        "  annotations:\n    jira.com/project-key: dc/MOB,cloud/APP\n"
        "    jira.com/components: Mobile\n",
        "catalog-info.yaml",
    )
    assert isinstance(error, InvalidValue)
    assert (error.line, error.key_path) == (7, 'metadata.annotations["jira.com/components"]')


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: just-some-config\nreplicas: 3\n", 1),
        ("# comment\n- a\n- b\n", 2),
        ("apiVersion: v1\nkind: ConfigMap\n", 1),
        ("plain text\n", 1),
    ],
)
def test_unknown_format_is_named(text: str, line: int) -> None:
    error = only_error(text, "deploy/values.yaml")
    assert isinstance(error, UnknownFormat)
    assert (error.file, error.line) == ("deploy/values.yaml", line)
    assert "unknown descriptor format" in str(error)
    assert "x-cortex-tag" in error.hint


def test_empty_file_is_an_unknown_format() -> None:
    error = only_error("# nothing here\n")
    assert isinstance(error, UnknownFormat)


def test_each_bad_document_of_a_file_is_reported_and_the_file_yields_nothing() -> None:
    result = parse_descriptor(
        "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: ok}\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: Bad}\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {}\n",
        "catalog-info.yaml",
    )
    assert [(type(e), e.line) for e in result.errors] == [(InvalidTag, 7), (InvalidTag, 11)]
    assert not result.ok
    parsed = parse_catalog([("catalog-info.yaml", "")])
    assert parsed.entities == []


def test_same_tag_in_two_files_names_both_places() -> None:
    first = "openapi: 3.0.1\ninfo:\n  x-cortex-tag: payments-api\n"
    second = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: payments-api\n"
    parsed = parse_catalog([("a/cortex.yaml", first), ("b/catalog-info.yaml", second)])
    assert [e.tag for e in parsed.entities] == ["payments-api"]
    assert parsed.bad_files == ["b/catalog-info.yaml"]
    [error] = parsed.errors
    assert isinstance(error, DuplicateTag)
    assert (error.file, error.line, error.key_path) == ("b/catalog-info.yaml", 4, "metadata.name")
    assert "already defined in a/cortex.yaml:3" in str(error)


def test_same_tag_twice_in_one_file_is_a_duplicate() -> None:
    text = (
        "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: x}\n---\n"
        "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: x}\n"
    )
    parsed = parse_catalog([("c.yaml", text)])
    assert parsed.entities == []
    assert [type(e) for e in parsed.errors] == [DuplicateTag]
    assert parsed.errors[0].line == 7


def test_error_json_carries_file_line_and_key_path() -> None:
    error = only_error("openapi: 3.0.1\ninfo:\n  x-cortex-tag: OK?\n")
    data = error.to_json()
    assert data["kind"] == "invalid-tag"
    assert (data["file"], data["line"], data["keyPath"]) == (
        "svc/cortex.yaml",
        3,
        "info.x-cortex-tag",
    )
    assert data["message"] == str(error)
