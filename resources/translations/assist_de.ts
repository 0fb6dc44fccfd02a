<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AnswerController</name>
    <message>
        <location filename="../../desktop/ui/answer_controller.py" line="151" />
        <source>Started a new conversation.</source>
        <translation>Neue Unterhaltung begonnen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/answer_controller.py" line="152" />
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/answer_controller.py" line="217" />
        <source>Stopped. The text so far is kept.</source>
        <translation>Angehalten. Der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/answer_controller.py" line="220" />
        <source>The connection could not be restored (%1). Retry continues where it stopped.</source>
        <translation>Die Verbindung ließ sich nicht wiederherstellen (%1). „Erneut versuchen“ setzt dort fort, wo die Antwort abbrach.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/answer_controller.py" line="223" />
        <source>The server ended the answer: %1</source>
        <translation>Der Server hat die Antwort beendet: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/answer_controller.py" line="225" />
        <source>No answer: %1</source>
        <translation>Keine Antwort: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/answer_controller.py" line="227" />
        <source>The answer ended early; the text so far is kept.</source>
        <translation>Die Antwort endete vorzeitig; der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/answer_controller.py" line="235" />
        <source>The server refused the request (HTTP %1: %2). Please enter the access token.</source>
        <translation>Der Server hat die Anfrage abgelehnt (HTTP %1: %2). Bitte geben Sie das Zugriffstoken ein.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/answer_controller.py" line="245" />
        <source>The server did not answer with an event stream (%1). The address may point to a web page or a login proxy.</source>
        <translation>Der Server hat nicht mit einem Ereignisstrom geantwortet (%1). Die Adresse zeigt vielleicht auf eine Webseite oder einen Anmelde-Proxy.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/answer_controller.py" line="249" />
        <source>Server settings…</source>
        <translation>Servereinstellungen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/answer_controller.py" line="252" />
        <source>Try again</source>
        <translation>Noch einmal</translation>
    </message>
</context>
<context>
    <name>AssistantMessageView</name>
    <message>
        <location filename="../../desktop/ui/message_view.py" line="270" />
        <location filename="../../desktop/ui/message_view.py" line="314" />
        <source>Copy</source>
        <extracomment>Markdown source characters per frozen segment; a new block starts a new segment past this. Frozen segments per chunk widget (see ``_current_chunk``). The live tail is re-rendered as Markdown up to this size, appended as plain text beyond. Characters that can change how the text around them renders as Markdown.</extracomment>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/message_view.py" line="342" />
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/message_view.py" line="343" />
        <source>Answer of the assistant</source>
        <translation>Antwort des Assistenten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/message_view.py" line="347" />
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/message_view.py" line="348" />
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/message_view.py" line="348" />
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../../desktop/ui/banner.py" line="42" />
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="127" />
        <source>attempt %1 of %2, next try in %3 s</source>
        <extracomment>Reconnect reasons (as the streaming core words them) that mean no server could be reached.</extracomment>
        <translation>Versuch %1 von %2, nächster in %3 s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="134" />
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="135" />
        <source>Starting the built-in demo server…</source>
        <translation>Starte den eingebauten Demo-Server…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="136" />
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="137" />
        <source>Connected, streaming</source>
        <translation>Verbunden, Antwort läuft</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="138" />
        <source>Connection lost, reconnecting: %1</source>
        <translation>Verbindung unterbrochen, verbinde neu: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="139" />
        <source>Offline: %1</source>
        <translation>Offline: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="140" />
        <source>Resumed without losing text</source>
        <translation>Fortgesetzt, kein Text verloren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="141" />
        <source>Gave up after %1 attempts: %2</source>
        <translation>Nach %1 Versuchen aufgegeben: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="144" />
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="145" />
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="146" />
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="147" />
        <source>The answer did not finish</source>
        <translation>Die Antwort wurde nicht fertig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="150" />
        <source>Reconnecting…</source>
        <translation>Verbinde neu…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="156" />
        <source>Retry now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/connection_status.py" line="156" />
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <location filename="../../desktop/app.py" line="340" />
        <source>No system keyring is available, so the token is used for this session only and is not saved. Install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Locker) to keep it.</source>
        <extracomment>The backend protocols a profile or ``--protocol`` may name (as in the streaming factory). Give the last frame time to paint before a screenshot is taken (milliseconds).</extracomment>
        <translation>Es ist kein Schlüsselbund verfügbar: Das Token gilt nur für diese Sitzung und wird nicht gespeichert. Installieren und entsperren Sie einen Schlüsselbund (GNOME Keyring, KWallet, macOS-Schlüsselbund, Windows-Anmeldeinformationsverwaltung), um es zu behalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="369" />
        <source>Unexpected error</source>
        <translation>Unerwarteter Fehler</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="370" />
        <source>Something went wrong: %1</source>
        <translation>Etwas ist schiefgegangen: %1</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="90" />
        <source>Find in conversation (Enter: next, Shift+Enter: back)</source>
        <translation>In der Unterhaltung suchen (Enter: weiter, Umschalt+Enter: zurück)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="92" />
        <source>Find in conversation</source>
        <translation>In der Unterhaltung suchen</translation>
    </message>
</context>
<context>
    <name>InputBox</name>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="116" />
        <source>Copied</source>
        <extracomment>How long the copy button says "Copied".</extracomment>
        <translation>Kopiert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="136" />
        <source>Ask a question… (Enter sends, Shift+Enter adds a line)</source>
        <translation>Stellen Sie eine Frage… (Enter sendet, Umschalt+Enter für neue Zeile)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="138" />
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="140" />
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="140" />
        <source>Send the message (Enter)</source>
        <translation>Nachricht senden (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="141" />
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="141" />
        <source>Stop the answer (Esc)</source>
        <translation>Antwort anhalten (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="142" />
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="142" />
        <source>Ask for a new answer</source>
        <translation>Eine neue Antwort anfordern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="143" />
        <source>Copy answer</source>
        <translation>Antwort kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="143" />
        <source>Copy the last answer</source>
        <translation>Die letzte Antwort kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="144" />
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/input_box.py" line="144" />
        <source>Start over (Ctrl+N)</source>
        <translation>Neu beginnen (Strg+N)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="295" />
        <source>Assist Desktop</source>
        <translation>Assist Desktop</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="296" />
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="297" />
        <source>&amp;Conversation</source>
        <translation>&amp;Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="298" />
        <source>&amp;Developer</source>
        <translation>&amp;Entwicklung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="299" />
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="301" />
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="302" />
        <source>Stop answer</source>
        <translation>Antwort anhalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="303" />
        <source>Regenerate answer</source>
        <translation>Antwort neu erzeugen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="304" />
        <source>Copy answer</source>
        <translation>Antwort kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="305" />
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="306" />
        <source>Focus the message box</source>
        <translation>Zum Eingabefeld</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="307" />
        <source>Find…</source>
        <translation>Suchen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="308" />
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="309" />
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="310" />
        <source>Simulate connection drop</source>
        <translation>Verbindungsabbruch simulieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="311" />
        <location filename="../../desktop/ui/main_window.py" line="315" />
        <source>Stream metrics</source>
        <translation>Stream-Messwerte</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="312" />
        <source>About</source>
        <translation>Über</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <location filename="../../desktop/ui/progress_panel.py" line="140" />
        <source>Done</source>
        <extracomment>Labels refresh at most this often while tokens stream (seconds).</extracomment>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/progress_panel.py" line="141" />
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/progress_panel.py" line="142" />
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/progress_panel.py" line="147" />
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n Token</numerusform><numerusform>%n Token</numerusform></translation>
    </message>
    <message>
        <location filename="../../desktop/ui/progress_panel.py" line="149" />
        <source>Waiting for the first token…</source>
        <translation>Warte auf das erste Token…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/progress_panel.py" line="151" />
        <source>Writing…</source>
        <translation>Schreibt…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/progress_panel.py" line="154" />
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/progress_panel.py" line="157" />
        <source>first token after %1 s</source>
        <translation>erstes Token nach %1 s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/progress_panel.py" line="163" />
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="38" />
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="46" />
        <source>Server profile</source>
        <translation>Serverprofil</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="47" />
        <source>New profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="61" />
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="62" />
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="63" />
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="68" />
        <location filename="../../desktop/ui/settings_dialog.py" line="70" />
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="77" />
        <location filename="../../desktop/ui/settings_dialog.py" line="171" />
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="82" />
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="83" />
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="84" />
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="85" />
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="86" />
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="87" />
        <source>Access token</source>
        <translation>Zugriffstoken</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="89" />
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="91" />
        <source>Theme</source>
        <translation>Farbschema</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="92" />
        <source>Font size</source>
        <translation>Schriftgröße</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="93" />
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="116" />
        <source>Tokens are kept in the system keyring.</source>
        <translation>Tokens werden im Schlüsselbund des Systems aufbewahrt.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="120" />
        <source>No system keyring is available: a token entered here is used for this session only and is never written to a file.</source>
        <translation>Es ist kein Schlüsselbund verfügbar: Ein hier eingegebenes Token gilt nur für diese Sitzung und wird nie in eine Datei geschrieben.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="136" />
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings_dialog.py" line="140" />
        <source>built-in demo server</source>
        <translation>eingebauter Demo-Server</translation>
    </message>
</context>
<context>
    <name>ThinkingPanel</name>
    <message>
        <location filename="../../desktop/ui/thinking_panel.py" line="115" />
        <source>Thinking…</source>
        <translation>Denkt nach…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/thinking_panel.py" line="119" />
        <source>Thinking… %1 s</source>
        <translation>Denkt nach… %1 s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/thinking_panel.py" line="121" />
        <source>Thought for %1 s</source>
        <translation>%1 s nachgedacht</translation>
    </message>
</context>
<context>
    <name>TokenPrompt</name>
    <message>
        <location filename="../../desktop/ui/banner.py" line="79" />
        <location filename="../../desktop/ui/banner.py" line="80" />
        <source>Access token</source>
        <translation>Zugriffstoken</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/banner.py" line="84" />
        <source>Save and retry</source>
        <translation>Speichern und erneut versuchen</translation>
    </message>
</context>
<context>
    <name>ToolCard</name>
    <message>
        <location filename="../../desktop/ui/tool_panel.py" line="104" />
        <source>running…</source>
        <extracomment>Search hits shown per card; the rest are counted.</extracomment>
        <translation>läuft…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tool_panel.py" line="105" />
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tool_panel.py" line="106" />
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tool_panel.py" line="110" />
        <source>interrupted</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tool_panel.py" line="114" />
        <source>Tool %1: %2</source>
        <translation>Werkzeug %1: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tool_panel.py" line="122" />
        <source>No matching documents</source>
        <translation>Keine passenden Dokumente</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tool_panel.py" line="126" />
        <source>and %1 more</source>
        <translation>und %1 weitere</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../../desktop/ui/transcript_view.py" line="173" />
        <source>Ask a question below. Answers stream in as they are written; press Esc to stop one.</source>
        <extracomment>Pixels from the bottom that still count as "at the end".</extracomment>
        <translation>Stellen Sie unten eine Frage. Antworten erscheinen, während sie geschrieben werden; Esc hält eine Antwort an.</translation>
    </message>
</context>
</TS>
