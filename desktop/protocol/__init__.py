"""The sans-I/O heart shared by client and server: events, SSE parsing and encoding, wire JSON."""
