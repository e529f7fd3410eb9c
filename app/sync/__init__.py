"""Vendor API sync: page through a vendor's API, import each page, record where to resume.

Each vendor's client (app/vendors/<vendor>/client.py) knows only its URL, auth and paging style
and exposes a `SPEC` (app.sync.spec); this package owns the loop (run), the retry policy
(fetcher) and the resume state (state)."""
