"""The upstream chat APIs the project also speaks: OpenAI-compatible, Ollama and nscale-assist
(:mod:`.nscale`), sans I/O.

The desktop client talks to such servers directly and the reference server proxies to them;
both read the same request bodies, URLs and stream chunks, so both use these modules (request
builders, URL rules, and incremental decoders: bytes in, the protocol's events out) and keep
only the I/O and their own policy (numbering, retries, error types) to themselves.
"""
