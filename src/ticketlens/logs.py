"""Structured logging set-up (structlog).

Event names are stable slugs, e.g. ``sync.page-fetched``.
"""

from __future__ import annotations

import logging
import sys

import structlog

from ticketlens.settings import Settings


def configure_logging(settings: Settings) -> None:
    """Route structlog and stdlib logging to stderr in the configured format."""
    level = getattr(logging, settings.log_level.upper())
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if settings.log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(name)s %(message)s")
    # Alembic announces its context on every revision check; keep that out of command output.
    logging.getLogger("alembic.runtime.migration").setLevel(max(level, logging.WARNING))
    # httpx logs every request at INFO; the Jira client logs what matters (retries,
    # failures) as its own events, so keep per-request lines for --log-level debug.
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))
