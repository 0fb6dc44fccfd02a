"""The Qt widgets and the bridge from the asyncio core to Qt signals."""
