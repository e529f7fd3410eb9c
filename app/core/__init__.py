"""Core services every entry point uses: settings, database engine, migrations, statement
timeouts, global ids, phone numbers and API keys."""
