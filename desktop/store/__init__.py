"""The local SQLite cache of conversations, partial answers and their events.

Write side (one writer thread per process and file; callers only enqueue)::

    CacheWriter(path)                      writer.py    the thread that owns the connection
    AnswerRecorder.start(writer, ...)      recorder.py  a session sink: records one answer
    AnswerRecorder.attach(writer, id)                   continue one (a resume)
    open_answer_recording(path, ...)                    a recorder with its own writer (``ask``)

Read side and small edits (any thread, one at a time)::

    CacheRepository.open(path)             repository.py  list, load, search, rename, pin,
                                                          delete/undo, crash detection
    to_markdown / to_json / to_html        export.py
    CachedAnswerSource(events, speed)      replay.py      a cached answer streamed again

Underneath: ``paths`` (where, which modes), ``database`` (open, bad files), ``schema`` and
``migrations`` (``PRAGMA user_version``), ``answer_rows`` (the checkpoint SQL), ``records``
(frozen results), ``event_codec`` (events as rows), ``stream_state`` (terminal event to
state), ``process_liveness`` (crash or live?), ``errors``.
"""
