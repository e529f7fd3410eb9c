"""The per-request context every resolver reads through `strawberry.Info[Context, ...]`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.settings import Settings
from app.graphql.loaders import Loaders, Reader


@dataclass
class Context:
    settings: Settings
    reader: Reader
    loaders: Loaders
    now: Callable[[], datetime]
    request_id: str
    # What the request's API key may read (app/keys.py); empty means nothing.
    scopes: frozenset[str] = frozenset()
    # Whether the transport streams subscription events (the WebSocket view); over HTTP a
    # subscription is refused with a message saying where it runs.
    streams: bool = False
    # Per-request memo of work that depends only on the document (e.g. columns per field node).
    memo: dict[Any, Any] = field(default_factory=dict)

    @property
    def account_id(self) -> int:
        return self.reader.account_id
