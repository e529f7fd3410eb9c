"""Alembic migrations, shipped inside the package so `switchboard migrate` works anywhere."""
