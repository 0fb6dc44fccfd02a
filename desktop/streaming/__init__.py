"""The asyncio streaming client: reconnecting event sources for every backend. Never imports Qt."""
