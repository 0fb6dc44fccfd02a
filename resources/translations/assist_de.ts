<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="56"/>
        <source>About {name}</source>
        <translation>Über {name}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="86"/>
        <source>Python {python} · Qt {qt} · PySide6 {pyside} · {system}</source>
        <translation>Python {python} · Qt {qt} · PySide6 {pyside} · {system}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="96"/>
        <source>The licence texts are in the folder {folder}.</source>
        <translation>Die Lizenztexte liegen im Ordner {folder}.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="100"/>
        <source>The licence texts are installed with each package.</source>
        <translation>Die Lizenztexte sind mit jedem Paket installiert.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="104"/>
        <source>Qt and PySide6 are used under the GNU LGPL v3 and ship as separate shared libraries, which you may replace with your own build of the same version.</source>
        <translation>Qt und PySide6 werden unter der GNU LGPL v3 verwendet und als eigene gemeinsam genutzte Bibliotheken mitgeliefert, die Sie durch einen eigenen Build derselben Version ersetzen dürfen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="108"/>
        <source>Bundled components:</source>
        <translation>Mitgelieferte Komponenten:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="113"/>
        <source>Component</source>
        <translation>Komponente</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="113"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="113"/>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
</context>
<context>
    <name>AnswerController</name>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="159"/>
        <source>Started a new conversation.</source>
        <translation>Neue Unterhaltung begonnen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="160"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="266"/>
        <source>Stopped. The text so far is kept.</source>
        <translation>Angehalten. Der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="269"/>
        <source>The connection could not be restored (%1). Retry continues where it stopped.</source>
        <translation>Die Verbindung ließ sich nicht wiederherstellen (%1). „Erneut versuchen“ setzt dort fort, wo die Antwort abbrach.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="274"/>
        <source>The connection was lost and this server cannot continue an answer. The text so far is kept; Ask again starts a new one.</source>
        <translation>Die Verbindung ist abgebrochen, und dieser Server kann keine Antwort fortsetzen. Der bisherige Text bleibt erhalten; „Erneut fragen“ beginnt eine neue Antwort.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="278"/>
        <source>The server no longer holds the rest of this answer (%1). The text so far is kept.</source>
        <translation>Der Server hat den Rest dieser Antwort nicht mehr (%1). Der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="281"/>
        <source>The server ended the answer: %1</source>
        <translation>Der Server hat die Antwort beendet: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="283"/>
        <source>No answer: %1</source>
        <translation>Keine Antwort: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="285"/>
        <source>The answer ended early; the text so far is kept.</source>
        <translation>Die Antwort endete vorzeitig; der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="293"/>
        <source>The server refused the request (HTTP %1: %2). Please enter the access token.</source>
        <translation>Der Server hat die Anfrage abgelehnt (HTTP %1: %2). Bitte geben Sie das Zugriffstoken ein.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="303"/>
        <source>The server did not answer with an event stream (%1). The address may point to a web page or a login proxy.</source>
        <translation>Der Server hat nicht mit einem Ereignisstrom geantwortet (%1). Die Adresse zeigt vielleicht auf eine Webseite oder einen Anmelde-Proxy.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="307"/>
        <source>Server settings…</source>
        <translation>Servereinstellungen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="311"/>
        <source>Ask again</source>
        <translation>Erneut fragen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="314"/>
        <source>Try again</source>
        <translation>Noch einmal</translation>
    </message>
</context>
<context>
    <name>AssistantMessageView</name>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="163"/>
        <source>The server started the answer over.</source>
        <translation>Der Server hat die Antwort neu begonnen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="292"/>
        <location filename="../../desktop/ui/conversation/message_view.py" line="339"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="369"/>
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="370"/>
        <source>Answer of the assistant</source>
        <translation>Antwort des Assistenten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="374"/>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="375"/>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="375"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../../desktop/ui/widgets/banner.py" line="42"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>CachedConversation</name>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="111"/>
        <source>Show %1 earlier messages</source>
        <extracomment>The protocol recorded for answers of the embedded demo server. Its stream log lives in the window&apos;s process only, so after a restart such an answer cannot be resumed; the name says so to the window and to ``assist-desktop resume`` (which resumes only ``assist``). The window&apos;s view state for each cached stream state. A cached conversation opens with this many of its newest messages (building a message view costs about 3 ms, so 1,000 would block the window for seconds); &quot;Show earlier messages&quot; adds :data:`EARLIER_STEP` more at a time.</extracomment>
        <translation>%1 frühere Nachrichten anzeigen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="153"/>
        <source>Stopped. The text so far is kept.</source>
        <translation>Angehalten. Der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="155"/>
        <source>This answer was interrupted. It came from the built-in demo server, which keeps no answers once the window has closed, so it cannot be resumed; the text so far is kept.</source>
        <translation>Diese Antwort wurde unterbrochen. Sie stammt vom eingebauten Demo-Server, der nach dem Schließen des Fensters keine Antworten mehr vorhält; sie lässt sich daher nicht fortsetzen. Der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="162"/>
        <source>This answer was interrupted; the text so far is kept.</source>
        <translation>Diese Antwort wurde unterbrochen; der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="166"/>
        <source>Another window or command is still recording this answer.</source>
        <translation>Ein anderes Fenster oder ein anderer Befehl zeichnet diese Antwort noch auf.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="170"/>
        <source>The answer failed: %1</source>
        <translation>Die Antwort ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="172"/>
        <source>The answer failed.</source>
        <translation>Die Antwort ist fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="37"/>
        <source>Save chart…</source>
        <translation>Diagramm speichern…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="39"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="40"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="84"/>
        <source>Save chart</source>
        <translation>Diagramm speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="84"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="127"/>
        <source>attempt %1 of %2, next try in %3 s</source>
        <extracomment>Reconnect reasons (as the streaming core words them) that mean no server could be reached.</extracomment>
        <translation>Versuch %1 von %2, nächster in %3 s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="134"/>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="135"/>
        <source>Starting the built-in demo server…</source>
        <translation>Starte den eingebauten Demo-Server…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="136"/>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="137"/>
        <source>Connected, streaming</source>
        <translation>Verbunden, Antwort läuft</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="138"/>
        <source>Connection lost, reconnecting: %1</source>
        <translation>Verbindung unterbrochen, verbinde neu: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="139"/>
        <source>Offline: %1</source>
        <translation>Offline: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="140"/>
        <source>Resumed without losing text</source>
        <translation>Fortgesetzt, kein Text verloren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="141"/>
        <source>Gave up after %1 attempts: %2</source>
        <translation>Nach %1 Versuchen aufgegeben: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="144"/>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="145"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="146"/>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="147"/>
        <source>The answer did not finish</source>
        <translation>Die Antwort wurde nicht fertig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="150"/>
        <source>Reconnecting…</source>
        <translation>Verbinde neu…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="156"/>
        <source>Retry now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="156"/>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
</context>
<context>
    <name>CrashResume</name>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="75"/>
        <source>An answer was interrupted when the app last closed.</source>
        <extracomment>``stream -&gt; source`` continuing it on its server, or ``None`` if no client can reach it.</extracomment>
        <translation>Beim letzten Beenden wurde eine Antwort unterbrochen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="77"/>
        <source>%1 answers were interrupted when the app last closed.</source>
        <translation>Beim letzten Beenden wurden %1 Antworten unterbrochen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="81"/>
        <source>Resume all</source>
        <translation>Alle fortsetzen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="82"/>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="116"/>
        <source>no connection to its server (%1) is configured.</source>
        <translation>Für ihren Server (%1) ist keine Verbindung eingerichtet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="122"/>
        <source>This answer cannot be resumed: %1 The text so far is kept.</source>
        <translation>Diese Antwort lässt sich nicht fortsetzen: %1 Der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="138"/>
        <source>it came from the built-in demo server, which keeps no answers once the window has closed.</source>
        <translation>Sie stammt vom eingebauten Demo-Server, der nach dem Schließen des Fensters keine Antworten mehr vorhält.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="142"/>
        <source>its server (%1) cannot continue an answer.</source>
        <translation>Ihr Server (%1) kann keine Antwort fortsetzen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="146"/>
        <source>it was cut off before the server started it.</source>
        <translation>Sie brach ab, bevor der Server sie begonnen hatte.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="172"/>
        <source>This answer was interrupted before it was complete.</source>
        <translation>Diese Antwort wurde unterbrochen, bevor sie vollständig war.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="174"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <location filename="../../desktop/app.py" line="417"/>
        <source>No system keyring is available, so the token is used for this session only and is not saved. Install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Locker) to keep it.</source>
        <extracomment>The backend protocols a profile or ``--protocol`` may name (as in the streaming factory). Give the last frame time to paint before a screenshot is taken (milliseconds). A problem found while opening the server, shown as a banner once the window is up.</extracomment>
        <translation>Es ist kein Schlüsselbund verfügbar: Das Token gilt nur für diese Sitzung und wird nicht gespeichert. Installieren und entsperren Sie einen Schlüsselbund (GNOME Keyring, KWallet, macOS-Schlüsselbund, Windows-Anmeldeinformationsverwaltung), um es zu behalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="446"/>
        <source>Unexpected error</source>
        <translation>Unerwarteter Fehler</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="447"/>
        <source>Something went wrong: %1</source>
        <translation>Etwas ist schiefgegangen: %1</translation>
    </message>
</context>
<context>
    <name>EventInspector</name>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="94"/>
        <source>All types</source>
        <translation>Alle Typen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="97"/>
        <source>Filter by text…</source>
        <translation>Nach Text filtern…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="99"/>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="102"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="100"/>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="215"/>
        <source>Save events</source>
        <translation>Ereignisse speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="215"/>
        <source>JSON Lines (*.jsonl)</source>
        <translation>JSON Lines (*.jsonl)</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="90"/>
        <source>Find in conversation (Enter: next, Shift+Enter: back)</source>
        <translation>In der Unterhaltung suchen (Enter: weiter, Umschalt+Enter: zurück)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="92"/>
        <source>Find in conversation</source>
        <translation>In der Unterhaltung suchen</translation>
    </message>
</context>
<context>
    <name>HistoryController</name>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="54"/>
        <source>Export conversation</source>
        <extracomment>The list shows at most this many conversations (pinned first, then the newest): rebuilding 300 rows takes about 15 ms on the GUI thread, 10,000 would take 400 ms after every answer. Search reaches all of them. How long the &quot;deleted&quot; banner offers Undo (milliseconds). File name suffix and dialog filter per export format. ``(parent, suggested path, format) -&gt; chosen path or None``; tests replace the dialog.</extracomment>
        <translation>Unterhaltung exportieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="129"/>
        <source>Stop the answer before deleting its conversation.</source>
        <extracomment>Views of the conversation on screen by message id (from the cache).</extracomment>
        <translation>Halten Sie die Antwort an, bevor Sie ihre Unterhaltung löschen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="136"/>
        <source>Deleted “%1”.</source>
        <translation>„%1“ gelöscht.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="139"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="166"/>
        <source>Stop the running answer before opening another conversation.</source>
        <translation>Halten Sie die laufende Antwort an, bevor Sie eine andere Unterhaltung öffnen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="220"/>
        <source>Exported to %1.</source>
        <translation>Nach %1 exportiert.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="226"/>
        <source>Stop the running answer before replaying another one.</source>
        <translation>Halten Sie die laufende Antwort an, bevor Sie eine andere abspielen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="239"/>
        <source>This conversation has no recorded answer to replay.</source>
        <translation>Diese Unterhaltung hat keine aufgezeichnete Antwort zum Abspielen.</translation>
    </message>
</context>
<context>
    <name>HistorySidebar</name>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="166"/>
        <source>Untitled</source>
        <extracomment>Typing pauses this long before a search runs (milliseconds).</extracomment>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="343"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="344"/>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="346"/>
        <source>Unpin</source>
        <translation>Nicht mehr anheften</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="346"/>
        <source>Pin to top</source>
        <translation>Oben anheften</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="349"/>
        <source>Replay answer</source>
        <translation>Antwort abspielen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="351"/>
        <source>At original speed (1×)</source>
        <translation>In Originalgeschwindigkeit (1×)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="354"/>
        <source>Four times faster (4×)</source>
        <translation>Viermal schneller (4×)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="356"/>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="357"/>
        <source>Markdown…</source>
        <translation>Markdown…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="358"/>
        <source>JSON…</source>
        <translation>JSON…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="359"/>
        <source>HTML…</source>
        <translation>HTML…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="361"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="367"/>
        <source>No message matches.</source>
        <translation>Keine Nachricht passt.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="370"/>
        <source>Answers you receive are kept here.</source>
        <translation>Ihre Antworten werden hier aufbewahrt.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="374"/>
        <source>Older conversations are found by the search.</source>
        <translation>Ältere Unterhaltungen findet die Suche.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="378"/>
        <source>Pinned</source>
        <translation>Angeheftet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="379"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="380"/>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="381"/>
        <source>Previous 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="382"/>
        <source>Older</source>
        <translation>Älter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="386"/>
        <source>Search all conversations (Ctrl+K)</source>
        <translation>Verlauf durchsuchen (Strg+K)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="387"/>
        <source>Search all conversations</source>
        <translation>Alle Unterhaltungen durchsuchen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="388"/>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="389"/>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
</context>
<context>
    <name>InputBox</name>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="116"/>
        <source>Copied</source>
        <extracomment>How long the copy button says &quot;Copied&quot;.</extracomment>
        <translation>Kopiert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="136"/>
        <source>Ask a question… (Enter sends, Shift+Enter adds a line)</source>
        <translation>Stellen Sie eine Frage… (Enter sendet, Umschalt+Enter für neue Zeile)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="138"/>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="140"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="140"/>
        <source>Send the message (Enter)</source>
        <translation>Nachricht senden (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="141"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="141"/>
        <source>Stop the answer (Esc)</source>
        <translation>Antwort anhalten (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="142"/>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="142"/>
        <source>Ask for a new answer</source>
        <translation>Eine neue Antwort anfordern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="143"/>
        <source>Copy answer</source>
        <translation>Antwort kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="143"/>
        <source>Copy the last answer</source>
        <translation>Die letzte Antwort kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="144"/>
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="144"/>
        <source>Start over (Ctrl+N)</source>
        <translation>Neu beginnen (Strg+N)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="341"/>
        <source>Assist Desktop</source>
        <translation>Assist Desktop</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="342"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="343"/>
        <source>&amp;Conversation</source>
        <translation>&amp;Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="344"/>
        <source>&amp;Developer</source>
        <translation>&amp;Entwicklung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="345"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="347"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="348"/>
        <source>Stop answer</source>
        <translation>Antwort anhalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="349"/>
        <source>Regenerate answer</source>
        <translation>Antwort neu erzeugen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="350"/>
        <source>Copy answer</source>
        <translation>Antwort kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="351"/>
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="352"/>
        <source>Focus the message box</source>
        <translation>Zum Eingabefeld</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="353"/>
        <source>Find…</source>
        <translation>Suchen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="354"/>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="355"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="356"/>
        <source>Simulate connection drop</source>
        <translation>Verbindungsabbruch simulieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="357"/>
        <location filename="../../desktop/ui/window/main_window.py" line="365"/>
        <source>Stream metrics</source>
        <translation>Stream-Messwerte</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="358"/>
        <source>About</source>
        <translation>Über</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="359"/>
        <source>Conversation history</source>
        <translation>Verlauf der Unterhaltungen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="360"/>
        <source>Search conversations…</source>
        <translation>Unterhaltungen durchsuchen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="361"/>
        <source>Replay answer</source>
        <translation>Antwort abspielen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="362"/>
        <source>Replay answer at 4× speed</source>
        <translation>Antwort mit 4-facher Geschwindigkeit abspielen</translation>
    </message>
</context>
<context>
    <name>MetricsDock</name>
    <message>
        <location filename="../../desktop/ui/metrics/dock.py" line="65"/>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/dock.py" line="66"/>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/dock.py" line="67"/>
        <source>Compare</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/dock.py" line="68"/>
        <source>Cache report</source>
        <translation>Cache-Bericht</translation>
    </message>
</context>
<context>
    <name>MetricsPanel</name>
    <message>
        <location filename="../../desktop/ui/metrics/panel.py" line="90"/>
        <source>Save chart…</source>
        <extracomment>Ticks per cycle: the rate chart, the progress chart, then one of :data:`THIRD_TICK`. What the third tick of each cycle redraws, cycle after cycle (2 Hz and 4 Hz).</extracomment>
        <translation>Diagramm speichern…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/panel.py" line="91"/>
        <source>Export samples…</source>
        <translation>Messwerte exportieren…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/panel.py" line="200"/>
        <source>Save chart</source>
        <translation>Diagramm speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/panel.py" line="200"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/panel.py" line="208"/>
        <source>Export samples</source>
        <translation>Messwerte exportieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/panel.py" line="210"/>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
</context>
<context>
    <name>MetricsReportView</name>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="78"/>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="79"/>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="81"/>
        <source>No streams loaded.</source>
        <translation>Keine Streams geladen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="94"/>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="94"/>
        <source>Goal</source>
        <translation>Zielwert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="94"/>
        <source>Measured</source>
        <translation>Gemessen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="94"/>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="132"/>
        <source>Reading the cache…</source>
        <translation>Cache wird gelesen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="153"/>
        <source>The cache could not be read.</source>
        <translation>Der Cache konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="185"/>
        <source>Export the report</source>
        <translation>Bericht exportieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="187"/>
        <source>JSON (*.json);;CSV (*.csv);;TTFT histogram, PNG (*.png)</source>
        <translation>JSON (*.json);;CSV (*.csv);;TTFT-Histogramm, PNG (*.png)</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="140"/>
        <source>Done</source>
        <extracomment>Labels refresh at most this often while tokens stream (seconds).</extracomment>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="141"/>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="142"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="147"/>
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n Token</numerusform>
            <numerusform>%n Token</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="149"/>
        <source>Waiting for the first token…</source>
        <translation>Warte auf das erste Token…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="151"/>
        <source>Writing…</source>
        <translation>Schreibt…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="154"/>
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="157"/>
        <source>first token after %1 s</source>
        <translation>erstes Token nach %1 s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="163"/>
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="38"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="46"/>
        <source>Server profile</source>
        <translation>Serverprofil</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="47"/>
        <source>New profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="61"/>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="62"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="63"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="68"/>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="70"/>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="77"/>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="171"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="82"/>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="83"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="84"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="85"/>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="86"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="87"/>
        <source>Access token</source>
        <translation>Zugriffstoken</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="89"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="91"/>
        <source>Theme</source>
        <translation>Farbschema</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="92"/>
        <source>Font size</source>
        <translation>Schriftgröße</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="93"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="116"/>
        <source>Tokens are kept in the system keyring.</source>
        <translation>Tokens werden im Schlüsselbund des Systems aufbewahrt.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="120"/>
        <source>No system keyring is available: a token entered here is used for this session only and is never written to a file.</source>
        <translation>Es ist kein Schlüsselbund verfügbar: Ein hier eingegebenes Token gilt nur für diese Sitzung und wird nie in eine Datei geschrieben.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="136"/>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="140"/>
        <source>built-in demo server</source>
        <translation>eingebauter Demo-Server</translation>
    </message>
</context>
<context>
    <name>ThinkingPanel</name>
    <message>
        <location filename="../../desktop/ui/conversation/thinking_panel.py" line="122"/>
        <source>Thinking…</source>
        <translation>Denkt nach…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/thinking_panel.py" line="126"/>
        <source>Thinking… %1 s</source>
        <translation>Denkt nach… %1 s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/thinking_panel.py" line="128"/>
        <source>Thought for %1 s</source>
        <translation>%1 s nachgedacht</translation>
    </message>
</context>
<context>
    <name>TokenPrompt</name>
    <message>
        <location filename="../../desktop/ui/widgets/banner.py" line="79"/>
        <location filename="../../desktop/ui/widgets/banner.py" line="80"/>
        <source>Access token</source>
        <translation>Zugriffstoken</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/banner.py" line="84"/>
        <source>Save and retry</source>
        <translation>Speichern und erneut versuchen</translation>
    </message>
</context>
<context>
    <name>ToolCard</name>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="104"/>
        <source>running…</source>
        <extracomment>Search hits shown per card; the rest are counted.</extracomment>
        <translation>läuft…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="105"/>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="106"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="110"/>
        <source>interrupted</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="114"/>
        <source>Tool %1: %2</source>
        <translation>Werkzeug %1: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="122"/>
        <source>No matching documents</source>
        <translation>Keine passenden Dokumente</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="126"/>
        <source>and %1 more</source>
        <translation>und %1 weitere</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../../desktop/ui/conversation/transcript_view.py" line="216"/>
        <source>Ask a question below. Answers stream in as they are written; press Esc to stop one.</source>
        <extracomment>Pixels from the bottom that still count as &quot;at the end&quot;. &quot;Show earlier messages&quot;: a long cached conversation opens with its newest part. What the button does (set by whoever filled the transcript from the cache).</extracomment>
        <translation>Stellen Sie unten eine Frage. Antworten erscheinen, während sie geschrieben werden; Esc hält eine Antwort an.</translation>
    </message>
</context>
<context>
    <name>WindowHistory</name>
    <message>
        <location filename="../../desktop/ui/history/setup.py" line="138"/>
        <source>Conversation history is off: %1</source>
        <translation>Der Verlauf der Unterhaltungen ist aus: %1</translation>
    </message>
</context>
</TS>
