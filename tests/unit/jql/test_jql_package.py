"""The package's public surface and its test oracle's installation guard."""

from __future__ import annotations

from pathlib import Path

import jql_oracle
import pytest

import ticketlens.jql

CONTRACT = {
    "parse",
    "to_jql",
    "JQLSyntaxError",
    "value",
    "field_eq",
    "field_in",
    "and_",
    "or_",
    "not_",
    "order_by",
    "query",
    "Query",
    "Terminal",
    "And",
    "Or",
    "Not",
    "Field",
    "CustomField",
    "PropertyField",
    "Value",
    "Empty",
    "FunctionCall",
    "ValueList",
    "Operator",
    "HistoryPredicate",
    "OrderItem",
    "Span",
}


def test_every_agreed_name_is_exported() -> None:
    assert set(ticketlens.jql.__all__) >= CONTRACT
    for name in ticketlens.jql.__all__:
        assert hasattr(ticketlens.jql, name), name


def test_missing_oracle_fails_loudly_and_says_to_run_make_oracle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(jql_oracle, "_INSTALLED", tmp_path / "not-installed")
    with pytest.raises(pytest.fail.Exception, match="make oracle"):
        jql_oracle.require_oracle()
