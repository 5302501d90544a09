"""Atlassian's OpenAPI spec for the Cloud REST API, as a validator for sandbox responses."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator

REPO = Path(__file__).resolve().parents[3]
SPEC = REPO / ".." / "shared" / "jira" / "jira-cloud-platform-openapi-v3.json"


@cache
def load_spec() -> dict[str, Any]:
    """The spec, read once from ``../shared/jira`` next to the repository."""
    return dict(json.loads(SPEC.read_text()))


class OpenAPISpec:
    """Validates JSON bodies against Atlassian's published Cloud REST API spec."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def _validator(self, schema: dict[str, Any]) -> OAS30Validator:
        return OAS30Validator({**schema, "components": self.spec["components"]})

    def response_schema(self, method: str, template: str, status: str = "200") -> dict[str, Any]:
        """The JSON schema of one documented response."""
        operation = self.spec["paths"][template][method.lower()]
        return dict(operation["responses"][status]["content"]["application/json"]["schema"])

    def check_response(self, method: str, template: str, body: Any, status: str = "200") -> None:
        """Raise ValidationError unless ``body`` matches the documented response."""
        self._validator(self.response_schema(method, template, status)).validate(body)

    def check_schema(self, name: str, value: Any) -> None:
        """Raise ValidationError unless ``value`` matches ``#/components/schemas/<name>``."""
        self._validator({"$ref": f"#/components/schemas/{name}"}).validate(value)
