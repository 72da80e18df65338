"""SJCL-compatible password encryption, as the app does before VALIDATE_PASSWORD.

SJCL ("Stanford Javascript Crypto Library") defaults: PBKDF2-HMAC-SHA256 with 10000 iterations to a
128-bit key, AES-CCM with a 64-bit tag, an 8-byte salt and a 16-byte iv of which CCM uses only the
first ``15 - L`` bytes, where ``L`` is the size of the message-length field.
"""

from __future__ import annotations

import base64
import json
import os

from cryptography.hazmat.primitives.ciphers.aead import AESCCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

ITERATIONS = 10000
KEY_BITS = 128
TAG_BITS = 64
SALT_BYTES = 8
IV_BYTES = 16


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def ccm_nonce(iv: bytes, message_length: int) -> bytes:
    """Shorten the iv the way sjcl.mode.ccm does: the length field grows with the message."""
    length_bytes = 2
    while length_bytes < 4 and message_length >> (8 * length_bytes):
        length_bytes += 1
    length_bytes = max(length_bytes, 15 - len(iv))
    return iv[: 15 - length_bytes]


def sjcl_encrypt(
    plaintext: str,
    passphrase: str,
    *,
    salt: bytes | None = None,
    iv: bytes | None = None,
) -> str:
    """Return the JSON text ``sjcl.encrypt(passphrase, plaintext)`` would produce."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    iv = os.urandom(IV_BYTES) if iv is None else iv
    key = PBKDF2HMAC(
        algorithm=SHA256(), length=KEY_BITS // 8, salt=salt, iterations=ITERATIONS
    ).derive(passphrase.encode("utf-8"))
    data = plaintext.encode("utf-8")
    # cryptography returns ciphertext || tag, exactly SJCL's "ct".
    sealed = AESCCM(key, tag_length=TAG_BITS // 8).encrypt(ccm_nonce(iv, len(data)), data, None)
    return json.dumps(
        {
            "iv": _b64(iv),
            "v": 1,
            "iter": ITERATIONS,
            "ks": KEY_BITS,
            "ts": TAG_BITS,
            "mode": "ccm",
            "adata": "",
            "cipher": "aes",
            "salt": _b64(salt),
            "ct": _b64(sealed),
        },
        separators=(",", ":"),
    )
