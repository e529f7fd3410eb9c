"""Which account a request reads. Until API keys exist, every request reads the default account."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.models import Account

NO_ACCOUNT = 0  # no row has id 0: an unknown account sees empty lists, never another's data


class AccountDirectory:
    """Looks up account ids by name once per process."""

    def __init__(self, engine: AsyncEngine, default_name: str) -> None:
        self.engine, self.default_name = engine, default_name
        self._ids: dict[str, int] = {}

    async def default_account_id(self) -> int:
        return await self.account_id(self.default_name)

    async def account_id(self, name: str) -> int:
        if name in self._ids:
            return self._ids[name]
        table = Account.__table__
        async with self.engine.connect() as conn:
            found = (await conn.execute(select(table.c.id).where(table.c.name == name))).scalar()
        if found is None:
            return NO_ACCOUNT  # not cached: the account may be created (e.g. by the demo) later
        self._ids[name] = found
        return int(found)
