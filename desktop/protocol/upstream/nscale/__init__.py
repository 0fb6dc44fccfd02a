"""nscale-assist, the support staff's RAG backend, sans I/O: requests, bodies, refusals.

nscale-assist streams in two dialects of its own and also answers whole (see the project's
reference description of it, and ``tests/servers/nscale``, a fake built from its captures):

* ``GET /api/question/stream``: SSE wrapped twice, CRLF (:class:`LegacyStreamDecoder`);
* ``GET``/``POST /api/v1/question/stream``: bare JSON objects back to back
  (:class:`V1StreamDecoder`);
* ``POST /api/question``: one JSON answer with its sources (:class:`WholeAnswerDecoder`).

All three report the protocol's own events: the model's failures, which the backend sends as
ordinary tokens (``[STREAM_RETRY]``, ``[CONN_ERROR] …``), become a ``reset`` when a new attempt
starts the answer over and an ``error`` when it gives up (:mod:`.markers`). The client adapter
and the gateway both build on these, so they read the backend alike.
"""

from desktop.protocol.upstream.nscale.decoders import (
    LegacyStreamDecoder,
    NscaleDecoder,
    V1StreamDecoder,
    WholeAnswerDecoder,
)
from desktop.protocol.upstream.nscale.json_objects import JSONObjectSplitter
from desktop.protocol.upstream.nscale.markers import EMPTY_ANSWER, AnswerMarkers
from desktop.protocol.upstream.nscale.refusals import Refusal, read_refusal
from desktop.protocol.upstream.nscale.requests import (
    TRANSPORTS,
    Transport,
    legacy_stream_url,
    question_body,
)

__all__ = [
    "EMPTY_ANSWER",
    "TRANSPORTS",
    "AnswerMarkers",
    "JSONObjectSplitter",
    "LegacyStreamDecoder",
    "NscaleDecoder",
    "Refusal",
    "Transport",
    "V1StreamDecoder",
    "WholeAnswerDecoder",
    "legacy_stream_url",
    "question_body",
    "read_refusal",
]
