"""The reference streaming server of the Assist Streaming Protocol (Starlette on uvicorn).

A map, from the outside in:

- ``embedded.EmbeddedServer``: the server in a background thread on loopback (desktop app, ``ask``).
- ``serving.GracefulServer``: uvicorn that drains on SIGTERM and ends live event streams.
- ``app.create_app``: the HTTP surface: endpoints, statuses, auth, idempotent starts.
- ``cors`` and ``read_tokens``: web pages on other origins as clients.
- ``event_stream``: a response body that replays the log after an id, then follows it.
- ``faults``: fault injection on responses, only with ``allow_faults``.
- ``runner``: one task per answer, writing the backend's events to the log.
- ``ownership`` and ``continuation``: leases across replicas, and taking over a dead owner's
  answers where the backend can continue them.
- ``limits``: per-token concurrency and start rate, in Redis across replicas.
- ``stream_log``: per-stream logs of encoded frames, in memory or in Redis Streams (or Cluster).
- ``backend`` and ``backends``: the generation seam and the demo, ollama, openai and nscale
  (gateway) backends.
- ``passthrough``: the login and session routes a gateway hands to its backend unchanged.
- ``metrics``, ``auth``, ``settings``, ``runtime``, ``http_errors``, ``request_body``,
  ``log_format``.
"""
