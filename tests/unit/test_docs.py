"""The docs keep up with the code: every setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

from ticketlens.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text()
    missing = [
        f"TICKETLENS_{name.upper()}"
        for name in Settings.model_fields
        if f"`TICKETLENS_{name.upper()}`" not in text
    ]
    assert missing == [], f"document these in docs/settings.md: {', '.join(missing)}"


def test_settings_docs_name_no_setting_that_does_not_exist() -> None:
    text = (DOCS / "settings.md").read_text()
    documented = set(re.findall(r"`TICKETLENS_([A-Z0-9_]+)`", text))
    known = {name.upper() for name in Settings.model_fields}
    assert documented - known == set()


def test_every_setting_has_a_description() -> None:
    assert [name for name, f in Settings.model_fields.items() if not f.description] == []
