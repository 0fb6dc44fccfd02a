"""What screen readers and keyboard users need from the window: names, announcements, contrast."""
