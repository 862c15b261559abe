"""Personal data at rest (MB-7.3, PA-9.1): envelope encryption, and a keyed hash to look it up.

Each value is sealed with a fresh 256-bit data key (AES-256-GCM, its purpose bound as associated
data so a phone number can't pose as an ID number); the data key is wrapped with the current key-
encryption key (AES-256-GCM) and stored beside it with that key's id. Rotating means a new current
key: new values are wrapped with it, values sealed before stay readable with the retired keys, and
`rewrap` moves an old value to the current key without touching its data. The plaintext exists only
in memory for the duration of a request; it never reaches a log, an event or a trace.

Format: b"E1" | key id (8 bytes) | wrapped data key (12-byte nonce + 48) | nonce (12) | ciphertext.
Values written before envelopes (nonce | ciphertext under the key directly) still open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# What each sealed value is (bound as associated data; the lookup hash's domain separation).
PHONE = "phone"
LEGAL_NAME = "legal-name"
ID_NUMBER = "id-number"
OTP = "otp"
SUBJECT_DETAILS = "subject-details"
PROOF_FILE = "proof-file"
PROOF_NAME = "proof-name"
COHORT_ADDRESS = "cohort-address"  # a registration's network, hashed (CM, BJ-9.2)
LICENCE_EVIDENCE = "licence-evidence"  # a news licence's evidence (MB-4, PA-8)

_NONCE = 12
_MAGIC = b"E1"
_KEY_ID = 8
_WRAPPED = _NONCE + 32 + 16


def key_id(key: bytes) -> bytes:
    """A key's public id: the first bytes of its SHA-256 (reveals nothing usable about the key)."""
    return hashlib.sha256(b"qinglang-kek\x00" + key).digest()[:_KEY_ID]


class PersonalDataVault:
    def __init__(self, encryption_key_b64: str, lookup_key_b64: str, retired_keys_b64: tuple[str, ...] = ()) -> None:
        current = base64.b64decode(encryption_key_b64)
        self._current_id = key_id(current)
        self._keys = {key_id(k): AESGCM(k) for k in (current, *(base64.b64decode(r) for r in retired_keys_b64))}
        self._legacy = [AESGCM(base64.b64decode(k)) for k in (encryption_key_b64, *retired_keys_b64)]
        self._lookup_key = base64.b64decode(lookup_key_b64)

    @property
    def current_key_id(self) -> str:
        return self._current_id.hex()

    def seal(self, plaintext: str, *, purpose: str) -> bytes:
        data_key = AESGCM.generate_key(bit_length=256)
        wrap_nonce, nonce = os.urandom(_NONCE), os.urandom(_NONCE)
        wrapped = wrap_nonce + self._keys[self._current_id].encrypt(wrap_nonce, data_key, self._current_id)
        body = AESGCM(data_key).encrypt(nonce, plaintext.encode(), purpose.encode())
        return _MAGIC + self._current_id + wrapped + nonce + body

    def open(self, sealed: bytes, *, purpose: str) -> str:
        sealed = bytes(sealed)
        if not sealed.startswith(_MAGIC):
            return self._open_legacy(sealed, purpose)
        kid, wrapped, nonce, body = self._parts(sealed)
        data_key = self._unwrap(kid, wrapped)
        return AESGCM(data_key).decrypt(nonce, body, purpose.encode()).decode()

    def rewrap(self, sealed: bytes, *, purpose: str) -> bytes:
        """The same value under the current key: the data key is re-wrapped, the data untouched
        (a value from before envelopes is sealed anew)."""
        sealed = bytes(sealed)
        if not sealed.startswith(_MAGIC):
            return self.seal(self._open_legacy(sealed, purpose), purpose=purpose)
        kid, wrapped, nonce, body = self._parts(sealed)
        if kid == self._current_id:
            return sealed
        data_key = self._unwrap(kid, wrapped)
        wrap_nonce = os.urandom(_NONCE)
        rewrapped = wrap_nonce + self._keys[self._current_id].encrypt(wrap_nonce, data_key, self._current_id)
        return _MAGIC + self._current_id + rewrapped + nonce + body

    def sealed_with_current_key(self, sealed: bytes) -> bool:
        sealed = bytes(sealed)
        return sealed.startswith(_MAGIC) and sealed[2 : 2 + _KEY_ID] == self._current_id

    def lookup_hash(self, value: str, *, purpose: str) -> bytes:
        return hmac.new(self._lookup_key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()

    @staticmethod
    def _parts(sealed: bytes) -> tuple[bytes, bytes, bytes, bytes]:
        at = len(_MAGIC)
        kid = sealed[at : at + _KEY_ID]
        wrapped = sealed[at + _KEY_ID : at + _KEY_ID + _WRAPPED]
        rest = sealed[at + _KEY_ID + _WRAPPED :]
        return kid, wrapped, rest[:_NONCE], rest[_NONCE:]

    def _unwrap(self, kid: bytes, wrapped: bytes) -> bytes:
        kek = self._keys.get(kid)
        if kek is None:
            raise KeyError(f"personal data sealed with an unknown key {kid.hex()}: add it to PII_RETIRED_KEYS")
        return kek.decrypt(wrapped[:_NONCE], wrapped[_NONCE:], kid)

    def _open_legacy(self, sealed: bytes, purpose: str) -> str:
        for key in self._legacy:
            try:
                return key.decrypt(sealed[:_NONCE], sealed[_NONCE:], purpose.encode()).decode()
            except InvalidTag:
                continue  # sealed with another of the configured keys
        raise KeyError("personal data sealed before envelopes with a key not configured")
