"""Test helpers shared by the test folders (importable as `helpers.*`; not conftests)."""
