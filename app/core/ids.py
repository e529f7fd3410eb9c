"""Opaque global IDs: base64url of "TypeName:pk", as Relay servers conventionally do."""

import base64
import binascii

# The key columns are PostgreSQL `integer`s (SQLite's are wider): a key above this was never
# issued, on either database, so it is not a valid global ID rather than one to look up.
MAX_KEY = 2**31 - 1
MAX_GLOBAL_ID_LENGTH = 200


class InvalidGlobalId(ValueError):
    """The text is not a global ID this server issued."""


def encode_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def decode_global_id(global_id: str) -> tuple[str, int]:
    """Return (type name, primary key); raise InvalidGlobalId for anything malformed."""
    if len(global_id) > MAX_GLOBAL_ID_LENGTH:
        raise InvalidGlobalId(f"{global_id[:20]!r}... is not a valid global ID (too long)")
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
        type_name, _, pk_text = text.partition(":")
        pk = int(pk_text)
    except (binascii.Error, UnicodeError, ValueError):
        raise InvalidGlobalId(f"{global_id!r} is not a valid global ID") from None
    if not type_name.isidentifier() or not 1 <= pk <= MAX_KEY:
        raise InvalidGlobalId(f"{global_id!r} is not a valid global ID")
    return type_name, pk
