"""Ingest: vendor payloads in, unified rows upserted idempotently (created / updated /
unchanged / rejected). Never imports GraphQL code."""

from app.ingest.companies import upsert_company
from app.ingest.pipeline import import_payload
from app.ingest.summary import ImportSummary, Reject
from app.vendors.base import PayloadError

__all__ = ["ImportSummary", "PayloadError", "Reject", "import_payload", "upsert_company"]
