"""Fone Dynamics (REST API v2): numbers and calls of properties."""

from app.models.enums import Vendor
from app.vendors.base import ResourceSpec
from app.vendors.fonedynamics.mapping import map_call, map_number
from app.vendors.fonedynamics.payloads import (
    FoneDynamicsCall,
    FoneDynamicsNumber,
    call_records,
    number_records,
)

RESOURCES = (
    ResourceSpec(
        vendor=Vendor.FONE_DYNAMICS,
        resource="numbers",
        kind="numbers",
        records=number_records,
        model=FoneDynamicsNumber,
        id_field="Number",
        map_record=map_number,
        names_company=True,
    ),
    ResourceSpec(
        vendor=Vendor.FONE_DYNAMICS,
        resource="calls",
        kind="calls",
        records=call_records,
        model=FoneDynamicsCall,
        id_field="CallSid",
        map_record=map_call,
        names_company=True,
    ),
)
