"""Adapters for upstreams without the Assist protocol: OpenAI-compatible and Ollama chat APIs."""
