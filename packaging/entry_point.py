"""The frozen program's entry: ``assist-desktop`` with the same arguments as the installed script.

PyInstaller needs a script rather than a ``module:function`` entry point; this is that script,
and it stays this small so the frozen and the pip-installed program cannot behave differently.
"""

from __future__ import annotations

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    # A frozen program re-executes itself for multiprocessing children; this handles that case.
    multiprocessing.freeze_support()
    sys.exit(main())
