"""The reference streaming server (Starlette + sse-starlette on uvicorn)."""
