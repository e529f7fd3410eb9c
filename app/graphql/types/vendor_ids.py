"""VendorId: one vendor's own id for a Company or Number, and the `vendorIds` field that lists
them (from company_link / number_link; the compiler reads the same declaration)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from aiodataloader import DataLoader
from sqlalchemy import Table, select

from app.graphql.loaders import Reader
from app.graphql.types.base import Info
from app.models import CompanyLink, NumberLink
from app.models.enums import Vendor


@strawberry.type(description="One vendor's own id for this object.")
class VendorId:
    vendor: Vendor = strawberry.field(description="The vendor whose id this is.")
    external_id: str = strawberry.field(
        description=(
            "The vendor's id: CallRail `company_id`, FD `PropertySid`, Butter organization or "
            "TrackDrive company for a Company; Butter `phone_number_id`, or the E.164 for "
            "CallRail and FD (which key numbers by it), for a Number."
        )
    )
    account_id: str | None = strawberry.field(
        description="The vendor's account holding it, where the vendor has one (FD `AccountSid`)."
    )


# VendorId's fields and the link table's columns they read.
VENDOR_ID_COLUMNS = {
    "vendor": "vendor",
    "external_id": "external_id",
    "account_id": "vendor_account_id",
}


@dataclass(frozen=True)
class VendorIdList:
    """Where an entity's vendor ids live: a link table and its column naming the parent.
    Listed by vendor, then external id (code point order, on both read paths)."""

    table: Table
    parent_column: str
    columns: tuple[tuple[str, str], ...] = tuple(VENDOR_ID_COLUMNS.items())


COMPANY_VENDOR_IDS = VendorIdList(CompanyLink.__table__, "company_id")
NUMBER_VENDOR_IDS = VendorIdList(NumberLink.__table__, "number_id")


class VendorIdsLoader(DataLoader[int, list[VendorId]]):
    """Each parent's vendor ids, for a batch of parents in one statement."""

    def __init__(self, reader: Reader, spec: VendorIdList) -> None:
        super().__init__()
        self.reader, self.spec = reader, spec

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[VendorId]]:
        table = self.spec.table
        parent = table.c[self.spec.parent_column]
        rows = await self.reader.rows(
            select(parent, table.c.vendor, table.c.external_id, table.c.vendor_account_id).where(
                parent.in_(sorted(set(keys))), table.c.account_id == self.reader.account_id
            )
        )
        found: dict[int, list[VendorId]] = defaultdict(list)
        for row in sorted(rows, key=lambda r: (r.vendor, r.external_id)):
            found[row[0]].append(
                VendorId(
                    vendor=Vendor(row.vendor),
                    external_id=row.external_id,
                    account_id=row.vendor_account_id,
                )
            )
        return [found.get(key, []) for key in keys]


def vendor_ids_field(spec: VendorIdList, *, description: str) -> Any:
    """The `vendorIds` field of the entity whose links `spec` names."""

    def vendor_ids(self: Any, info: Info) -> list[VendorId]:
        loaders = info.context.loaders
        loader = loaders.get(
            ("vendor_ids", spec.table.name), lambda: VendorIdsLoader(loaders.reader, spec)
        )
        return loader.load(self.pk)  # type: ignore[no-any-return]

    vendor_ids.vendor_id_list = spec  # type: ignore[attr-defined]
    return strawberry.field(resolver=vendor_ids, description=description)
