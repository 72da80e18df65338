"""The password encryption must be readable by an independent SJCL implementation."""

from __future__ import annotations

import base64
import json

import pytest
from sjcl import SJCL

from custom_components.bluecurrent.api.const import PASSPHRASE
from custom_components.bluecurrent.api.crypto import ccm_nonce, sjcl_encrypt


@pytest.mark.parametrize("password", ["demo", "pä$$wörd ✓", "x" * 300, ""])
def test_sjcl_decrypts_our_output(password: str) -> None:
    encrypted = json.loads(sjcl_encrypt(password, PASSPHRASE))
    assert SJCL().decrypt(dict(encrypted), PASSPHRASE).decode() == password


def test_format_matches_sjcl_defaults() -> None:
    encrypted = json.loads(sjcl_encrypt("demo", PASSPHRASE))
    assert set(encrypted) == {
        "iv", "v", "iter", "ks", "ts", "mode", "adata", "cipher", "salt", "ct"
    }  # fmt: skip
    assert encrypted["iter"] == 10000
    assert encrypted["ks"] == 128
    assert encrypted["ts"] == 64
    assert (encrypted["mode"], encrypted["cipher"], encrypted["adata"], encrypted["v"]) == (
        "ccm", "aes", "", 1
    )  # fmt: skip
    assert len(base64.b64decode(encrypted["salt"])) == 8
    assert len(base64.b64decode(encrypted["iv"])) == 16
    # ciphertext plus the 8-byte tag
    assert len(base64.b64decode(encrypted["ct"])) == len(b"demo") + 8


def test_random_salt_and_iv_each_time() -> None:
    first, second = (json.loads(sjcl_encrypt("demo", PASSPHRASE)) for _ in range(2))
    assert first["salt"] != second["salt"]
    assert first["iv"] != second["iv"]


def test_fixed_salt_and_iv_are_deterministic() -> None:
    args = {"salt": b"s" * 8, "iv": b"i" * 16}
    assert sjcl_encrypt("demo", PASSPHRASE, **args) == sjcl_encrypt("demo", PASSPHRASE, **args)


def test_wrong_passphrase_fails_to_decrypt() -> None:
    encrypted = json.loads(sjcl_encrypt("demo", PASSPHRASE))
    with pytest.raises(ValueError, match="MAC"):
        SJCL().decrypt(encrypted, "another passphrase")


def test_nonce_shrinks_for_long_messages() -> None:
    iv = bytes(range(16))
    assert ccm_nonce(iv, 10) == iv[:13]
    assert ccm_nonce(iv, 70_000) == iv[:12]
    assert ccm_nonce(iv, 1 << 25) == iv[:11]
    assert ccm_nonce(iv[:8], 10) == iv[:8]
