"""Vendor packages: each vendor's payload models, mapping to unified rows and API client;
app.vendors.registry lists them for ingest, sync and the CLI."""
