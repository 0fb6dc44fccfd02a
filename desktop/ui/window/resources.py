"""The window's view of the shared resource lookup (styles, icons, translations)."""

from desktop.resources import resource, resources_dir

__all__ = ["resource", "resources_dir"]
