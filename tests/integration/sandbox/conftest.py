"""Fixtures for the sandbox's own tests: running sandboxes and Atlassian's OpenAPI spec."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sandbox_spec import OpenAPISpec, load_spec

from sandbox_harness import SandboxHandle, running_sandbox


@pytest.fixture(scope="session")
def openapi() -> OpenAPISpec:
    """Atlassian's OpenAPI spec, read from the shared folder next to the repository."""
    return OpenAPISpec(load_spec())


@pytest.fixture(scope="module")
def cloud() -> Iterator[SandboxHandle]:
    """A Cloud sandbox shared by a module's read-only tests."""
    with running_sandbox(flavor="cloud", issues=600, seed=11) as handle:
        yield handle


@pytest.fixture(scope="module")
def datacenter() -> Iterator[SandboxHandle]:
    """A Data Center sandbox shared by a module's read-only tests."""
    with running_sandbox(flavor="datacenter", issues=600, seed=11) as handle:
        yield handle
