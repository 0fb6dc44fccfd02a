"""The sans-I/O heart shared by client and server: events, SSE parsing and encoding, wire JSON.

``upstream`` holds the same for the OpenAI-compatible and Ollama chat formats both sides speak.
"""
