"""`switchboard demo`: a deterministic demo dataset as vendor payloads in the vendors' own
formats, imported through the same ingest path as real data."""
