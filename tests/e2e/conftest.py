"""Fixtures for command-line tests.

Commands configure logging onto the streams ``CliRunner`` swaps in; each test restores
the logging set-up afterwards so later tests never write to a closed stream.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog
from click.testing import CliRunner


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    handlers = logging.root.handlers[:]
    level = logging.root.level
    yield
    structlog.reset_defaults()
    logging.root.handlers[:] = handlers
    logging.root.setLevel(level)


@pytest.fixture
def runner() -> CliRunner:
    """A runner whose results keep stdout and stderr apart."""
    return CliRunner()
