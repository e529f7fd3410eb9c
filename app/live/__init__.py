"""Live data: the process's hub where subscriptions wait for their account's changes, and what
feeds it (PostgreSQL LISTEN/NOTIFY, or on SQLite the imports of this process plus polling)."""
