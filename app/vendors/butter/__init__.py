"""Butter AI (voice agents): the organization's phone numbers."""

from app.models.enums import Vendor
from app.vendors.base import ResourceSpec
from app.vendors.butter.mapping import map_phone_number
from app.vendors.butter.payloads import ButterPhoneNumber, phone_number_records

RESOURCES = (
    ResourceSpec(
        vendor=Vendor.BUTTER,
        resource="phone-numbers",
        kind="numbers",
        records=phone_number_records,
        model=ButterPhoneNumber,
        id_field="phone_number_id",
        map_record=map_phone_number,
        names_company=False,
    ),
)
