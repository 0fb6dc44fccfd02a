"""The reference streaming server of the Assist Streaming Protocol (Starlette on uvicorn).

A map, from the outside in:

- ``embedded.EmbeddedServer``: the server in a background thread on loopback (desktop app, ``ask``).
- ``serving.GracefulServer``: uvicorn with a shutdown that ends live event streams first.
- ``app.create_app``: the HTTP surface: endpoints, statuses, auth, idempotent starts.
- ``event_stream``: a response body that replays the log after an id, then follows it.
- ``faults``: fault injection on responses, only with ``allow_faults``.
- ``runner``: one task per answer, writing the backend's events to the log.
- ``stream_log``: per-stream logs of encoded frames, in memory or in Redis Streams.
- ``backend`` and ``backends``: the generation seam and the demo, ollama, openai and nscale
  (gateway) backends.
- ``passthrough``: the login and session routes a gateway hands to its backend unchanged.
- ``metrics``, ``auth``, ``settings``, ``runtime``, ``http_errors``, ``request_body``,
  ``log_format``.
"""
