"""The half of an import that needs no database: records validated against the vendor's model
and mapped to unified rows, duplicates of a payload's own keys refused.

import_payload does it in its own process, chunk by chunk between writes. `switchboard import`
with more than one large file hands whole files to a worker process instead (`prepare_file`):
the worker reads, parses and validates the next file while this process writes the current one,
and parses the callers written in international form whose verdict needs no company region.
Rows cross between processes as pickles, cheaper to load than the JSON and validation they
replace."""

import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError

from app.ingest.phones import international_callers
from app.ingest.summary import ImportSummary, Reject
from app.models.enums import Vendor
from app.vendors.base import PayloadError, ResourceSpec, error_reason
from app.vendors.registry import resource_spec

Item = tuple[int, str | None, Any]  # (position, vendor id, unified row) of a good record


class Validator:
    """Validates and maps the records of one payload, in any number of steps."""

    def __init__(self, spec: ResourceSpec) -> None:
        self.spec = spec
        self.seen: dict[Any, int] = {}  # record key -> position of its first record

    def check(self, position: int, record: Any, summary: ImportSummary) -> Item | None:
        """The record's item, or None when it is rejected (the reason goes to `summary`)."""
        spec = self.spec
        external_id = record_id(record, spec.id_field)
        if not isinstance(record, dict):
            reason = f"record: expected an object, got {type(record).__name__}"
            summary.reject(position=position, external_id=None, reason=reason)
            return None
        try:
            row = spec.map_record(spec.model.model_validate(record))
        except ValidationError as exc:
            summary.reject(position=position, external_id=external_id, reason=error_reason(exc))
            return None
        key = getattr(row, "external_id", None)
        if key is not None:
            if key in self.seen:
                reason = f"{spec.id_field}: duplicate of record {self.seen[key]} of this payload"
                summary.reject(position=position, external_id=external_id, reason=reason)
                return None
            self.seen[key] = position
        return position, external_id, row


def record_id(record: Any, id_field: str) -> str | None:
    """The vendor's id of a raw record, when it has a usable one."""
    if isinstance(record, dict):
        value = record.get(id_field)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return None


@dataclass
class Prepared:
    """A whole payload validated: its record count, the good records' items in position order
    and the rejected records."""

    count: int
    items: list[Item] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    callers: dict[str, tuple[str, bool] | None] = field(
        default_factory=dict
    )  # international_callers


def read_payload(path: Path) -> Any:
    """A file's JSON; PayloadError (one line) when it cannot be read or is not JSON."""
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise PayloadError(f"not JSON: {exc}") from None
    except OSError as exc:
        raise PayloadError(f"cannot read: {exc.strerror or exc}") from None


def prepare_file(vendor: Vendor, resource: str, path: Path) -> Prepared:
    """Read, parse and validate one file (a worker process's task); raises PayloadError when the
    file as a whole cannot be imported."""
    spec = resource_spec(vendor=vendor, resource=resource)
    records = spec.records(read_payload(path))
    validator = Validator(spec)
    summary = ImportSummary(resource=resource)
    items = [item for i, r in enumerate(records) if (item := validator.check(i, r, summary))]
    callers = international_callers(
        caller for _, _, row in items if isinstance(caller := getattr(row, "caller", None), str)
    )
    return Prepared(count=len(records), items=items, rejects=summary.rejects, callers=callers)


def start_worker() -> None:
    """Worker process set-up: no cyclic garbage collection (see app.ingest.process_settings)."""
    gc.disable()
