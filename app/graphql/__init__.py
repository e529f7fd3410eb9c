"""The GraphQL layer: reads the tables, never vendor formats."""
