"""Switchboard: one Relay GraphQL API over call-tracking vendors' data."""
