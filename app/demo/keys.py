"""Stable vendor identifiers for the demo, derived from the seed and a row's index alone, so a
rerun on a later day updates the same rows instead of adding new ones."""

import hashlib
import random
import uuid


def stable_hex(*, seed: int, kind: str, index: int, length: int = 32) -> str:
    """Hex digits that depend only on (seed, kind, index)."""
    digest = hashlib.blake2b(f"{seed}:{kind}:{index}".encode(), digest_size=32).hexdigest()
    return digest[:length]


def stable_int(*, seed: int, kind: str, index: int, low: int, high: int) -> int:
    """An integer in [low, high) that depends only on (seed, kind, index)."""
    return low + int(stable_hex(seed=seed, kind=kind, index=index, length=15), 16) % (high - low)


def stable_uuid(*, seed: int, kind: str, index: int) -> str:
    """A version-4-shaped UUID that depends only on (seed, kind, index)."""
    raw = bytes.fromhex(stable_hex(seed=seed, kind=kind, index=index))
    return str(uuid.UUID(bytes=raw, version=4))


def stable_random(*, seed: int, stream: int, index: int) -> random.Random:
    """A generator of its own for one row of one stream (0-63), so a row's draws never depend
    on how many draws the rows before it took."""
    return random.Random(((abs(seed) * 64 + stream) << 40) + index)
