"""Personal data at rest (MB-7.3): AES-256-GCM ciphertext, and a keyed hash to look it up.

The plaintext exists only in memory for the duration of a request; it never reaches a log,
an event or a trace.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12


class PersonalDataVault:
    def __init__(self, encryption_key_b64: str, lookup_key_b64: str) -> None:
        self._aead = AESGCM(base64.b64decode(encryption_key_b64))
        self._lookup_key = base64.b64decode(lookup_key_b64)

    def seal(self, plaintext: str, *, purpose: str) -> bytes:
        """Encrypt; ``purpose`` is bound as associated data so a phone number can't pose as an ID."""
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext.encode(), purpose.encode())

    def open(self, sealed: bytes, *, purpose: str) -> str:
        return self._aead.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], purpose.encode()).decode()

    def lookup_hash(self, value: str, *, purpose: str) -> bytes:
        return hmac.new(self._lookup_key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()
