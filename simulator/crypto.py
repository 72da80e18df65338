"""SJCL decryption of the VALIDATE_PASSWORD payload, so the real clients' encryption is verified."""

from __future__ import annotations

import base64
import binascii
import json

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESCCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

PASSPHRASE = "d9ab2352a935be4ade182ce4921044f8"  # noqa: S105 - public pre-shared key
# Hostile input must not make us run PBKDF2 for minutes.
MAX_ITERATIONS = 100_000


class SjclError(ValueError):
    """The payload is not an SJCL blob we can decrypt."""


def _b64(value: object) -> bytes:
    if not isinstance(value, str):
        raise SjclError("expected base64 text")
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError) as err:
        raise SjclError("bad base64") from err


def _nonce(iv: bytes, plaintext_len: int) -> bytes:
    """SJCL's CCM nonce: the iv cut to 15 - L bytes, L being the length-field size."""
    length_size = 2
    while length_size < 4 and plaintext_len >> (8 * length_size):
        length_size += 1
    length_size = max(length_size, 15 - len(iv))
    return iv[: 15 - length_size]


def looks_like_sjcl(text: str) -> bool:
    """Whether a password field holds an SJCL JSON object rather than a plain password."""
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and "ct" in data


def decrypt(blob: str, passphrase: str = PASSPHRASE) -> str:
    """Decrypt an SJCL AES-CCM JSON string to text; raises SjclError on anything off."""
    try:
        data = json.loads(blob)
    except ValueError as err:
        raise SjclError("not JSON") from err
    if not isinstance(data, dict):
        raise SjclError("not an object")
    if data.get("cipher", "aes") != "aes" or data.get("mode", "ccm") != "ccm":
        raise SjclError("only aes-ccm is supported")
    iterations = data.get("iter", 10000)
    key_bits = data.get("ks", 128)
    tag_bits = data.get("ts", 64)
    if not isinstance(iterations, int) or not 1 <= iterations <= MAX_ITERATIONS:
        raise SjclError("bad iteration count")
    if key_bits not in (128, 192, 256) or tag_bits not in (32, 48, 64, 80, 96, 112, 128):
        raise SjclError("bad key or tag size")
    salt, iv, sealed = _b64(data.get("salt")), _b64(data.get("iv")), _b64(data.get("ct"))
    tag_len = tag_bits // 8
    if len(iv) < 7 or len(sealed) < tag_len:
        raise SjclError("iv or ciphertext too short")
    key = PBKDF2HMAC(
        algorithm=hashes.SHA256(), length=key_bits // 8, salt=salt, iterations=iterations
    ).derive(passphrase.encode())
    nonce = _nonce(iv, len(sealed) - tag_len)
    try:
        plain = AESCCM(key, tag_length=tag_len).decrypt(nonce, sealed, None)
        return plain.decode("utf-8")
    except (InvalidTag, ValueError) as err:
        raise SjclError("decryption failed") from err
