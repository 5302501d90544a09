"""Encryption of secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) under a derived key.

The Fernet key is derived from ``Settings.resolved_secret_key()`` with HKDF-SHA256 and a
fixed, purpose-bound ``info``, so the same secret key used elsewhere never yields the
same encryption key.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ticketlens.connections.errors import SecretsUnreadable

_INFO = b"ticketlens/connections/secrets/v1"


class SecretBox:
    """Encrypts and decrypts JSON objects of secrets with a key derived from ``secret_key``."""

    def __init__(self, secret_key: bytes) -> None:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
            secret_key
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, values: dict[str, Any]) -> str:
        """``values`` as JSON, encrypted, as URL-safe text."""
        return self._fernet.encrypt(json.dumps(values, sort_keys=True).encode()).decode("ascii")

    def open(self, token: str, *, alias: str = "") -> dict[str, Any]:
        """The JSON object sealed in ``token``; SecretsUnreadable if the key is wrong."""
        try:
            plain = self._fernet.decrypt(token.encode("ascii"))
        except (InvalidToken, ValueError):
            where = f" of connection {alias!r}" if alias else ""
            raise SecretsUnreadable(
                f"cannot decrypt the stored secrets{where}: the secret key differs from the "
                "one they were encrypted with. Restore the previous TICKETLENS_SECRET_KEY "
                "(or DATA_DIR/secret.key); to change keys use `ticketlens secrets rotate`"
            ) from None
        value = json.loads(plain)
        if not isinstance(value, dict):
            raise SecretsUnreadable(f"the stored secrets{alias and ' of ' + alias} are corrupt")
        return value

    def reseal(self, token: str, target: SecretBox) -> str:
        """``token`` decrypted with this box and encrypted again with ``target``."""
        try:
            plain = self._fernet.decrypt(token.encode("ascii"))
        except (InvalidToken, ValueError):
            raise SecretsUnreadable(
                "a stored secret does not decrypt with the current secret key; nothing was "
                "changed. Run `ticketlens secrets rotate` with the key the secrets were "
                "encrypted with as TICKETLENS_SECRET_KEY"
            ) from None
        return target._fernet.encrypt(plain).decode("ascii")

    def __repr__(self) -> str:
        return "SecretBox(********)"
