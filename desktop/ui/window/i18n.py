"""Loads the window's translations (German, English source strings) and Qt's own.

Switching installs new translators; Qt then sends every widget a ``LanguageChange`` event and
each widget re-reads its texts, so the language changes without a restart.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.ui.window.resources import resource

log = logging.getLogger(__name__)

SUPPORTED = ("en", "de")


def effective_language(language: str) -> str:
    """``de`` or ``en`` for a setting of ``system``, ``de`` or ``en``."""
    if language in SUPPORTED:
        return language
    system = QLocale.system().name().split("_")[0]
    return system if system in SUPPORTED else "en"


class Translations:
    """The translators currently installed in the application."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = "en"

    def set_language(self, language: str) -> str:
        """Switch to ``language`` (``system``, ``de`` or ``en``); returns the one in effect."""
        code = effective_language(language)
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        self.language = code
        if code == "en":
            return code
        own = QTranslator(self._app)
        if own.load(str(resource("translations", f"assist_{code}.qm"))):
            self._install(own)
        else:
            log.warning("no translation file for %s; the window stays in English", code)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt = QTranslator(self._app)
        if qt.load(f"qtbase_{code}", qt_dir):
            self._install(qt)
        return code

    def _install(self, translator: QTranslator) -> None:
        self._app.installTranslator(translator)
        self._installed.append(translator)
