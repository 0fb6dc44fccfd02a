"""The history feature: the sidebar of cached conversations, recording and crash resume."""
