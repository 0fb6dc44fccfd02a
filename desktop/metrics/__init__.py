"""Stream metrics computed from events: pure Python, charted elsewhere."""
