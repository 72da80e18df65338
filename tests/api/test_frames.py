"""Decoding what the cloud sends: JSON that is too deep is refused before anything walks it."""

from __future__ import annotations

import pytest

from custom_components.bluecurrent.api.const import MAX_JSON_DEPTH
from custom_components.bluecurrent.api.frames import decode_json


def _nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def test_decode_json_accepts_what_the_cloud_sends() -> None:
    assert decode_json('{"object": "HELLO"}') == {"object": "HELLO"}
    many_siblings = "[" + ",".join(["[1]"] * (MAX_JSON_DEPTH * 2)) + "]"
    assert len(decode_json(many_siblings)) == MAX_JSON_DEPTH * 2  # many brackets, shallow


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_decode_json_refuses_deep_nesting(depth: int) -> None:
    """Deeper than the limit, and deeper than json.loads can recurse: both a ValueError."""
    with pytest.raises(ValueError, match="nested too deep"):
        decode_json(_nested(depth))


def test_decode_json_allows_the_limit() -> None:
    assert decode_json(_nested(MAX_JSON_DEPTH)) is not None
    with pytest.raises(ValueError, match="nested too deep"):
        decode_json("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
