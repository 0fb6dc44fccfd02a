"""Shared widgets that know no feature: banners, text blocks, the per-frame token coalescer."""
