"""Edits the settings: server profiles (token in the keyring), theme, font size and language."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.credentials import keyring_available
from desktop.protocol.backend_protocols import PROTOCOLS
from desktop.settings import (
    MAX_FONT_SIZE,
    MIN_FONT_SIZE,
    ServerProfile,
    Settings,
)
from desktop.ui.accessibility.naming import describe, name_choice


class SettingsDialog(QDialog):
    """A form over a :class:`Settings` value; ``result_settings()`` gives the edited copy."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(460)
        self._settings = settings
        self._profiles = {p.name: p for p in settings.profiles}
        self._tokens: dict[str, str] = {}
        self._current: str | None = None

        self.profile = QComboBox(self)
        self.add_button = QPushButton(self.tr("New profile"), self)
        self.name = QLineEdit(self)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://assist.example.com")
        self.protocol = QComboBox(self)
        self.protocol.addItems(list(PROTOCOLS))
        self.model = QLineEdit(self)
        self.ca_file = QLineEdit(self)
        self.ca_file.setObjectName("caFile")
        self.ca_file.setPlaceholderText(self.tr("optional: your organisation's CA, a PEM file"))
        self.ca_file.setAccessibleName(self.tr("Certificate authority file"))
        self.token = QLineEdit(self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.keyring_note = QLabel(self)
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setObjectName("keyringNote")
        self.theme = QComboBox(self)
        for value, label in (
            ("system", self.tr("Follow the system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
            ("high_contrast", self.tr("High contrast")),
        ):
            self.theme.addItem(label, value)
        self.font_size = QSpinBox(self)
        self.font_size.setRange(MIN_FONT_SIZE - 1, MAX_FONT_SIZE)
        self.font_size.setSpecialValueText(self.tr("System"))
        self.language = QComboBox(self)
        for value, label in (("system", self.tr("System")), ("en", "English"), ("de", "Deutsch")):
            self.language.addItem(label, value)
        self.notifications = QCheckBox(
            self.tr("Notify me when a conversation in the background finishes"), self
        )
        self.notifications.setObjectName("notificationsCheck")
        self._name_fields()
        self._build_layout()
        self._load(settings)
        self._connect_signals()

    def _build_layout(self) -> None:
        server = QGroupBox(self.tr("Server"), self)
        row = QHBoxLayout()
        row.addWidget(self.profile, 1)
        row.addWidget(self.add_button)
        form = QFormLayout(server)
        form.addRow(self.tr("Profile"), row)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Address"), self.url)
        form.addRow(self.tr("Protocol"), self.protocol)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("CA file"), self.ca_file)
        form.addRow(self.tr("Access token"), self.token)
        form.addRow(self.keyring_note)
        look = QGroupBox(self.tr("Appearance"), self)
        look_form = QFormLayout(look)
        look_form.addRow(self.tr("Theme"), self.theme)
        look_form.addRow(self.tr("Font size"), self.font_size)
        look_form.addRow(self.tr("Language"), self.language)
        look_form.addRow(self.notifications)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(server)
        layout.addWidget(look)
        layout.addWidget(buttons)

    def _name_fields(self) -> None:
        """What a screen reader says on each field (the form's labels are not always linked)."""
        name_choice(self.profile, self.tr("Server profile"))
        name_choice(self.protocol, self.tr("Protocol"), self.tr("How the server streams"))
        name_choice(self.theme, self.tr("Theme"))
        name_choice(self.language, self.tr("Language"))
        describe(self.name, self.tr("Profile name"))
        describe(
            self.url,
            self.tr("Server address"),
            self.tr("For example %1").replace("%1", "https://assist.example.com"),
        )
        describe(self.model, self.tr("Model"))
        describe(self.token, self.tr("Access token"), self.tr("Kept in the system keyring"))
        describe(self.font_size, self.tr("Font size"), self.tr("In points; System keeps it"))

    def _connect_signals(self) -> None:
        self.profile.currentTextChanged.connect(self._on_profile_changed)
        self.add_button.clicked.connect(self._on_add_clicked)

    def _load(self, settings: Settings) -> None:
        self.profile.addItems(list(self._profiles))
        self.profile.setCurrentText(settings.active().name)
        self._show_profile(settings.active().name)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self.font_size.setValue(settings.font_size or MIN_FONT_SIZE - 1)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.notifications.setChecked(settings.notifications)
        if keyring_available():
            self.keyring_note.setText(self.tr("Tokens are kept in the system keyring."))
        else:
            self.keyring_note.setText(
                self.tr(
                    "No system keyring is available: a token entered here is used for this "
                    "session only and is never written to a file."
                )
            )

    def _show_profile(self, name: str) -> None:
        self._store_fields()
        profile = self._profiles.get(name)
        if profile is None:
            return
        self._current = name
        self.name.setText(profile.name)
        self.url.setText(profile.url or "")
        self.protocol.setCurrentText(profile.protocol)
        self.model.setText(profile.model or "")
        self.ca_file.setText(profile.ca_file or "")
        self.token.setText(self._tokens.get(name, ""))
        self.token.setPlaceholderText(self.tr("unchanged"))
        for field in (self.name, self.url, self.protocol, self.model, self.ca_file, self.token):
            field.setEnabled(not profile.embedded)
        if profile.embedded:
            self.url.setPlaceholderText(self.tr("built-in demo server"))

    def _store_fields(self) -> None:
        if self._current is None or self._current not in self._profiles:
            return
        old = self._profiles[self._current]
        if old.embedded:
            return
        protocol = self.protocol.currentText()
        updated = replace(  # fields the form does not show stay as they were
            old,
            name=self.name.text().strip() or old.name,
            url=self.url.text().strip() or None,
            protocol=protocol if protocol in PROTOCOLS else "assist",  # type: ignore[arg-type]
            model=self.model.text().strip() or None,
            ca_file=self.ca_file.text().strip() or None,
        )
        del self._profiles[self._current]
        self._profiles[updated.name] = updated
        if self.token.text():
            self._tokens[updated.name] = self.token.text()
        if updated.name != self._current:
            index = self.profile.findText(self._current)
            self.profile.blockSignals(True)
            self.profile.setItemText(index, updated.name)
            self.profile.blockSignals(False)
            self._current = updated.name

    def _on_profile_changed(self, name: str) -> None:
        self._show_profile(name)

    def _on_add_clicked(self) -> None:
        self._store_fields()
        base = self.tr("Server")
        name, n = base, 2
        while name in self._profiles:
            name, n = f"{base} {n}", n + 1
        self._profiles[name] = ServerProfile(name, url="http://127.0.0.1:8765")
        self._current = None
        self.profile.addItem(name)
        self.profile.setCurrentText(name)

    def result_settings(self) -> Settings:
        """The settings as edited (tokens are not part of them: see ``tokens()``)."""
        self._store_fields()
        size = self.font_size.value()
        return replace(
            self._settings,
            profiles=tuple(self._profiles.values()),
            active_profile=self._current or self._settings.active_profile,
            theme=self.theme.currentData(),
            font_size=0 if size < MIN_FONT_SIZE else size,
            language=self.language.currentData(),
            notifications=self.notifications.isChecked(),
        )

    def tokens(self) -> dict[str, str]:
        """Tokens typed in this dialog, by profile name."""
        self._store_fields()
        return dict(self._tokens)
