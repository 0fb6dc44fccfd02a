"""The window shell: main window, dialogs, theme, translations and the GUI-thread gc guard."""
