"""``python -m desktop``: the same as the ``assist-desktop`` command."""

import sys

from desktop.cli import main

sys.exit(main())
