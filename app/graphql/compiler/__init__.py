"""The read-path compiler: a validated operation becomes a cached plan, and the plan one SQL
statement whose single text value is the response's `data`, built by the database.

Phases (as grafast separates them): `plan.py` turns a document, operation and the directive
variables into a tree of field plans (what each field reads, declared in `fields.py`);
`arguments.py` binds a request's variables to each list's filter, order and page; `sql.py`
renders the tree for the dialect; `reads.py` caches plans, runs the statement and writes
the bytes. Strawberry's executor stays the reference and the fallback: whatever a plan cannot
express raises `NotCompilable`, and the request runs through the general path instead."""
