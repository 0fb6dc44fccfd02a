"""The network coming back wakes the offline queue's health probe at once.

Between two probes the queue may wait up to half a minute (the probe's capped backoff); when the
operating system says the machine is on a network again (Qt's reachability backend: on Linux
NetworkManager, else GLib's network monitor or ConnMan) there is no reason to wait that long.
Where no backend loads (a container, a minimal desktop) nothing changes: the probe keeps its
own pace.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtNetwork import QNetworkInformation

log = logging.getLogger(__name__)

Reachability = QNetworkInformation.Reachability

#: What counts as "the network is back": a link that may lead to the server. ``Local`` is in
#: it because the server is often on the local network (or this machine).
REACHABLE: frozenset[QNetworkInformation.Reachability] = frozenset(
    {Reachability.Local, Reachability.Site, Reachability.Online}
)


def network_is_back(reachability: QNetworkInformation.Reachability) -> bool:
    return reachability in REACHABLE


def watch_network(slot: Callable[[QNetworkInformation.Reachability], None]) -> bool:
    """Connect ``slot`` (a bound method of a QObject, so it goes with its object) to the
    system's reachability changes.

    Returns whether a reachability backend loaded (``False``: ``slot`` is never called).
    """
    if not QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability):
        log.info("no network reachability backend: the health probe keeps its own pace")
        return False
    information = QNetworkInformation.instance()
    if information is None:  # loaded, yet no instance: treat it as no backend
        return False
    information.reachabilityChanged.connect(slot)
    return True
