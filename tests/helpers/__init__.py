"""Test helpers, imported by name; fixtures are re-exported by the conftest files that use them."""
