"""Request authentication: the API key in `Authorization: Bearer` or `X-API-Key`, checked
against the database and remembered briefly so a key costs no SQL on most requests."""

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping

from sqlalchemy.ext.asyncio import AsyncEngine

from app.core.api_keys import Principal, find_principal, hash_token

CACHE_SIZE = 1024
NO_ACCOUNT = 0  # no row has id 0: a request without an account sees empty lists, never another's data


def token_from_headers(headers: Mapping[str, str]) -> str | None:
    """The key a request presents; Authorization wins when both headers are sent."""
    authorization = headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    api_key = headers.get("x-api-key", "").strip()
    return api_key or None


class Authenticator:
    """Maps tokens to principals; verified tokens are cached for `ttl` seconds (revocation
    therefore takes effect within `ttl`; failures are never cached)."""

    def __init__(
        self, engine: AsyncEngine, *, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.engine, self.ttl, self.clock = engine, ttl, clock
        self._cache: OrderedDict[str, tuple[float, Principal]] = OrderedDict()

    async def principal(self, token: str | None) -> Principal | None:
        if not token:
            return None
        digest = hash_token(token)  # the cache never holds the secret itself
        cached = self._cache.get(digest)
        if cached is not None and cached[0] > self.clock():
            return cached[1]
        async with self.engine.connect() as conn:
            found = await find_principal(conn, token=token)
        if found is not None and self.ttl > 0:
            self._remember(digest, found)
        return found

    def _remember(self, digest: str, principal: Principal) -> None:
        self._cache[digest] = (self.clock() + self.ttl, principal)
        self._cache.move_to_end(digest)
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
