"""Dashboards: callStats and leadStats, grouped and bucketed in local time, one statement each."""
