"""Settings: defaults, the generated secret key, and database URL normalisation."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from ticketlens.db.engine import DatabaseError, async_url
from ticketlens.settings import Settings, SettingsError


def test_defaults_put_everything_under_the_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATA_DIR", "DATABASE_URL", "SECRET_KEY", "BASE_URL", "LOG_FORMAT"):
        monkeypatch.delenv(f"TICKETLENS_{name}", raising=False)
    settings = Settings()
    assert settings.data_dir == Path(".ticketlens")
    assert settings.resolved_database_url() == (
        f"sqlite:///{(Path('.ticketlens') / 'ticketlens.db').resolve()}"
    )
    assert settings.log_format == "console"


def test_settings_read_prefixed_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TICKETLENS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TICKETLENS_BASE_URL", "https://lens.example.com/")
    monkeypatch.setenv("TICKETLENS_LOG_FORMAT", "json")
    settings = Settings()
    assert settings.data_dir == tmp_path
    assert settings.base_url == "https://lens.example.com"
    assert settings.log_format == "json"


def test_unknown_log_format_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKETLENS_LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="log_format"):
        Settings()


def test_secret_key_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", secret_key=None)
    key = settings.resolved_secret_key()
    path = tmp_path / "data" / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 32
    assert Settings(data_dir=tmp_path / "data", secret_key=None).resolved_secret_key() == key


def test_short_secret_key_is_refused_with_how_to_make_one(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key="too-short")
    with pytest.raises(SettingsError, match="9 bytes long; the secret key needs at least 32"):
        settings.resolved_secret_key()


def test_short_generated_key_file_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("abc\n")
    with pytest.raises(SettingsError, match=r"secret\.key is 3 bytes long"):
        Settings(data_dir=tmp_path, secret_key=None).resolved_secret_key()


def test_long_enough_secret_key_is_used_as_given(tmp_path: Path) -> None:
    key = "k" * 32
    assert Settings(data_dir=tmp_path, secret_key=key).resolved_secret_key() == key.encode()
    assert not (tmp_path / "secret.key").exists()


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("sqlite:///data/ticketlens.db", "sqlite+aiosqlite"),
        ("postgresql://postgres@127.0.0.1:5432/ticketlens", "postgresql+asyncpg"),
        ("postgres://postgres@127.0.0.1:5432/ticketlens", "postgresql+asyncpg"),
        ("postgresql+asyncpg://postgres@db/ticketlens", "postgresql+asyncpg"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite"),
    ],
)
def test_plain_urls_get_our_async_driver(url: str, driver: str) -> None:
    parsed = async_url(url)
    assert parsed.drivername == driver
    assert parsed.database is not None


def test_url_keeps_host_port_user_and_database() -> None:
    parsed = async_url("postgresql://lens@db.internal:6543/catalog")
    assert (parsed.username, parsed.host, parsed.port, parsed.database) == (
        "lens",
        "db.internal",
        6543,
        "catalog",
    )


@pytest.mark.parametrize("url", ["mysql://root@localhost/x", "not a url"])
def test_unsupported_urls_are_refused_clearly(url: str) -> None:
    with pytest.raises(DatabaseError, match="TICKETLENS_DATABASE_URL"):
        async_url(url)
