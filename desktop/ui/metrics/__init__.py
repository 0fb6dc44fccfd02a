"""The metrics feature: the dock, live charts, the event inspector and the cache report."""
