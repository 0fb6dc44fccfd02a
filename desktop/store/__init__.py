"""The local SQLite cache of conversations, partial answers and their events."""
