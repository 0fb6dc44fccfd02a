"""The conversation view: transcript, answer cards, input box and the per-answer panels."""
