"""ticketlens settings: one class, built once by an entry point and passed down.

Every field reads from an environment variable with the ``TICKETLENS_`` prefix. Each
one is documented in ``docs/settings.md``; ``tests/unit/test_docs.py`` keeps it so.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MIN_SECRET_KEY_BYTES = 32


class SettingsError(ValueError):
    """A setting has a value ticketlens cannot run with."""


class Settings(BaseSettings):
    """Runtime configuration for every ticketlens process."""

    model_config = SettingsConfigDict(env_prefix="TICKETLENS_", extra="ignore")

    data_dir: Path = Field(
        default=Path(".ticketlens"),
        description="Folder for the embedded database, the generated secret key and logs.",
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "Database URL: `sqlite:///path` or `postgresql://user@host:port/db`. "
            "Defaults to a SQLite file in DATA_DIR."
        ),
    )
    secret_key: str | None = Field(
        default=None,
        description=(
            "Key (at least 32 bytes) for encrypting secrets at rest. If unset, one is "
            "generated once into DATA_DIR/secret.key with mode 0600."
        ),
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public URL of this ticketlens, used for OAuth redirect URLs and links.",
    )
    log_format: Literal["console", "json"] = Field(
        default="console", description="Log output: `console` for people, `json` for machines."
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", description="Lowest log level written."
    )

    # --- Jira connections and client ----------------------------------------------
    jira_timeout_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Default request timeout for a new Jira connection, in seconds.",
    )
    jira_concurrency: int = Field(
        default=4,
        ge=1,
        description="Most requests in flight at once per Jira connection.",
    )
    jira_max_retries: int = Field(
        default=4,
        ge=0,
        description="Retries of a Jira read after a 429, a 503 or a connection error.",
    )
    jira_backoff_initial_seconds: float = Field(
        default=5.0,
        ge=0,
        description="First backoff delay when Jira sends no Retry-After, in seconds.",
    )
    jira_backoff_multiplier: float = Field(
        default=2.0, ge=1, description="Factor the backoff delay grows by on each retry."
    )
    jira_backoff_max_seconds: float = Field(
        default=30.0, ge=0, description="Longest backoff delay, in seconds."
    )
    jira_backoff_jitter_min: float = Field(
        default=0.7, gt=0, description="Lowest random factor applied to a backoff delay."
    )
    jira_backoff_jitter_max: float = Field(
        default=1.3, gt=0, description="Highest random factor applied to a backoff delay."
    )
    jira_max_retry_after_seconds: float = Field(
        default=300.0,
        ge=0,
        description="Longest wait honoured from Jira's Retry-After or X-RateLimit-Reset.",
    )
    jira_cloud_page_size: int = Field(
        default=100,
        ge=1,
        le=5000,
        description="Issues asked for per Jira Cloud search page (maxResults).",
    )
    jira_datacenter_page_size: int = Field(
        default=1000,
        ge=1,
        description=(
            "Issues asked for per Jira Data Center search page; Jira caps it at "
            "jira.search.views.default.max (1000 by default)."
        ),
    )
    jira_oauth_refresh_margin_seconds: float = Field(
        default=300.0,
        ge=0,
        description="Refresh an OAuth access token this many seconds before it expires.",
    )

    # --- sync ---------------------------------------------------------------------
    sync_interval: float = Field(
        default=300.0,
        ge=0,
        description=(
            "Seconds between the syncs `ticketlens serve` runs for every Jira connection; "
            "0 turns the scheduler off."
        ),
    )
    sync_overlap: float = Field(
        default=300.0,
        ge=0,
        description=(
            "Seconds an incremental sync reaches back before the newest `updated` it saw, "
            "so late-indexed changes are not missed."
        ),
    )
    sync_reconcile_interval: float = Field(
        default=21600.0,
        ge=0,
        description=(
            "Seconds between reconciles (ids only) that remove issues deleted in Jira or "
            "gone out of scope."
        ),
    )
    sync_known_values_ttl: float = Field(
        default=3600.0,
        ge=0,
        description="Seconds the cached project and component lists of a connection stay fresh.",
    )
    sync_lease_ttl: float = Field(
        default=120.0,
        ge=3,
        description=(
            "Seconds a sync's hold on its connection lasts unless renewed (every third of "
            "it); another process may sync the connection once it lapses."
        ),
    )
    sync_max_jql_length: int = Field(
        default=12000,
        ge=1000,
        description="Longest JQL a sync sends in one search; longer scopes are split into chunks.",
    )

    @field_validator("base_url")
    @classmethod
    def _strip_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def resolved_database_url(self) -> str:
        """The configured database URL, or the embedded SQLite file in ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ticketlens.db').resolve()}"

    def resolved_secret_key(self) -> bytes:
        """The secret key, generating ``data_dir/secret.key`` (mode 0600) on first use.

        Raises SettingsError when the key is shorter than 32 bytes.
        """
        if self.secret_key is not None:
            key = self.secret_key.encode()
            source = "TICKETLENS_SECRET_KEY"
        else:
            path = self.data_dir / "secret.key"
            if not path.exists():
                self.data_dir.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_urlsafe(48))
            key = path.read_bytes().strip()
            source = str(path)
        if len(key) < MIN_SECRET_KEY_BYTES:
            raise SettingsError(
                f"{source} is {len(key)} bytes long; the secret key needs at least "
                f"{MIN_SECRET_KEY_BYTES}. Generate one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return key
