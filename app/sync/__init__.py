"""Vendor API sync: page through a vendor's API, import each page, record where to resume; and
the schedules the worker runs.

Each vendor's client (app/vendors/<vendor>/client.py) knows only its URL, auth and paging style
and exposes a `SPEC` (app.sync.spec); this package owns the loop (run), the retry policy
(fetcher), the resume state (state, kept in the database by store under a lease), the
schedules and the worker loop."""
