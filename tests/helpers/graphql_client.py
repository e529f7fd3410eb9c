"""Types shared by GraphQL tests."""

from collections.abc import Callable
from typing import Any

Gql = Callable[..., dict[str, Any]]
