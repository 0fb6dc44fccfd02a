"""Subcommands of ``assist-desktop``; each module exposes ``register(subparsers)``."""
