"""Filter inputs, one module per entity; common.py holds the shared builder."""
