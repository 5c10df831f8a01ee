"""The case index's keyed hash is HMAC-SHA256, truncated: the index files on disk depend on it."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from disclosureguard.cases.compiled import DIGEST_BYTES, Mac


@pytest.mark.parametrize("key", [b"", b"short key", bytes(range(64)), bytes(range(256)) * 2])
@pytest.mark.parametrize("value", ["", "sarahsmith", "07700900456", "zoë", "a" * 64])
def test_keyed_hash_is_truncated_hmac_sha256(key: bytes, value: str) -> None:
    expected = hmac.new(key, value.encode("utf-8"), hashlib.sha256).digest()[:DIGEST_BYTES]
    mac = Mac(key)
    assert mac(value) == expected
    assert mac(value) == expected  # the precomputed states are copied, never consumed
