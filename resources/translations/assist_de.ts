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
        <location filename="../../desktop/ui/window/about_dialog.py" line="69"/>
        <source>Bundled components and their licences</source>
        <translation>Mitgelieferte Komponenten und ihre Lizenzen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="87"/>
        <source>Python {python} · Qt {qt} · PySide6 {pyside} · {system}</source>
        <translation>Python {python} · Qt {qt} · PySide6 {pyside} · {system}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="97"/>
        <source>The licence texts are in the folder {folder}.</source>
        <translation>Die Lizenztexte liegen im Ordner {folder}.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="101"/>
        <source>The licence texts are installed with each package.</source>
        <translation>Die Lizenztexte sind mit jedem Paket installiert.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="105"/>
        <source>Qt and PySide6 are used under the GNU LGPL v3 and ship as separate shared libraries, which you may replace with your own build of the same version.</source>
        <translation>Qt und PySide6 werden unter der GNU LGPL v3 verwendet und als eigene gemeinsam genutzte Bibliotheken mitgeliefert, die Sie durch einen eigenen Build derselben Version ersetzen dürfen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="109"/>
        <source>Bundled components:</source>
        <translation>Mitgelieferte Komponenten:</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="114"/>
        <source>Component</source>
        <translation>Komponente</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="114"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/about_dialog.py" line="114"/>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
</context>
<context>
    <name>Accessibility</name>
    <message>
        <location filename="../../desktop/ui/accessibility/naming.py" line="24"/>
        <source>Clear %1</source>
        <translation>%1 leeren</translation>
    </message>
</context>
<context>
    <name>Announcer</name>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="68"/>
        <source>No answer yet.</source>
        <extracomment>The least time between two announcements: a screen reader finishes a short sentence in it. Milestones waiting their turn at most; past that the oldest non-final one is dropped.</extracomment>
        <translation>Noch keine Antwort.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="75"/>
        <source>Answer started.</source>
        <translation>Antwort begonnen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="75"/>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="97"/>
        <source>The answer is being written.</source>
        <translation>Die Antwort wird geschrieben.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="78"/>
        <source>Searching documents.</source>
        <translation>Dokumente werden durchsucht.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="80"/>
        <source>Using the tool %1.</source>
        <translation>Das Werkzeug %1 wird verwendet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="85"/>
        <source>Connection lost, reconnecting.</source>
        <translation>Verbindung verloren, verbinde neu.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="86"/>
        <source>The connection was lost; reconnecting.</source>
        <translation>Die Verbindung ist unterbrochen; es wird neu verbunden.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="90"/>
        <source>The server started the answer over.</source>
        <translation>Der Server hat die Antwort neu begonnen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="91"/>
        <source>The answer is being written again from the start.</source>
        <translation>Die Antwort wird von vorn neu geschrieben.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="96"/>
        <source>Connection restored, the answer continues.</source>
        <translation>Verbindung wiederhergestellt, die Antwort geht weiter.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="104"/>
        <source>1 word</source>
        <translation>1 Wort</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="104"/>
        <source>%1 words</source>
        <translation>%1 Wörter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="106"/>
        <source>Answer finished, %1.</source>
        <translation>Antwort fertig, %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="108"/>
        <source>Answer stopped after %1.</source>
        <translation>Antwort nach %1 angehalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="110"/>
        <source>the answer ended early</source>
        <translation>die Antwort endete vorzeitig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="112"/>
        <source>Answer interrupted after %1: %2</source>
        <translation>Antwort nach %1 unterbrochen: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="122"/>
        <source>Answer finished in %1.</source>
        <translation>Antwort fertig in %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="124"/>
        <source>Answer stopped in %1.</source>
        <translation>Antwort angehalten in %1.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/announcer.py" line="126"/>
        <source>Answer interrupted in %1.</source>
        <translation>Antwort unterbrochen in %1.</translation>
    </message>
</context>
<context>
    <name>AnswerController</name>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="167"/>
        <source>Queued: the server cannot be reached; it will be sent when it is back.</source>
        <extracomment>The model answer each shown answer view follows (a cached one may be resumed). The answer starting now is another alternative of the last question (a regenerate); the cache records it as such. The question starting now replaces the last one (an edit); the cache replaces it too. Where questions wait while the server cannot be reached (``None``: they fail). The question of the running answer while its tries have not reached a server yet: text asked now, or a queued question sent; it goes (back) to the queue if the first try finds no server. ``None`` once the server answered.</extracomment>
        <translation>In der Warteschlange: Der Server ist nicht erreichbar; die Frage wird gesendet, sobald er wieder da ist.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="297"/>
        <source>Started a new conversation.</source>
        <translation>Neue Unterhaltung begonnen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="298"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="476"/>
        <source>Stopped. The text so far is kept.</source>
        <translation>Angehalten. Der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="479"/>
        <source>The connection could not be restored (%1). Retry continues where it stopped.</source>
        <translation>Die Verbindung ließ sich nicht wiederherstellen (%1). „Erneut versuchen“ setzt dort fort, wo die Antwort abbrach.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="484"/>
        <source>The connection was lost and this server cannot continue an answer. The text so far is kept; Ask again starts a new one.</source>
        <translation>Die Verbindung ist abgebrochen, und dieser Server kann keine Antwort fortsetzen. Der bisherige Text bleibt erhalten; „Erneut fragen“ beginnt eine neue Antwort.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="488"/>
        <source>The server no longer holds the rest of this answer (%1). The text so far is kept.</source>
        <translation>Der Server hat den Rest dieser Antwort nicht mehr (%1). Der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="491"/>
        <source>The server ended the answer: %1</source>
        <translation>Der Server hat die Antwort beendet: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="493"/>
        <source>No answer: %1</source>
        <translation>Keine Antwort: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="495"/>
        <source>The answer ended early; the text so far is kept.</source>
        <translation>Die Antwort endete vorzeitig; der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="506"/>
        <source>The server refused the request (HTTP %1: %2). Please enter the access token.</source>
        <translation>Der Server hat die Anfrage abgelehnt (HTTP %1: %2). Bitte geben Sie das Zugriffstoken ein.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="513"/>
        <source>Log in…</source>
        <translation>Anmelden…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="518"/>
        <source>The server did not answer with an event stream (%1). The address may point to a web page or a login proxy.</source>
        <translation>Der Server hat nicht mit einem Ereignisstrom geantwortet (%1). Die Adresse zeigt vielleicht auf eine Webseite oder einen Anmelde-Proxy.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="522"/>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="529"/>
        <source>Server settings…</source>
        <translation>Servereinstellungen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="526"/>
        <source>Ask again</source>
        <translation>Erneut fragen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/answer_controller.py" line="532"/>
        <source>Try again</source>
        <translation>Noch einmal</translation>
    </message>
</context>
<context>
    <name>AssistantMessageView</name>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="117"/>
        <source>The server started the answer over.</source>
        <translation>Der Server hat die Antwort neu begonnen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="250"/>
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="274"/>
        <source>Answer %1 of %2</source>
        <translation>Antwort %1 von %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="278"/>
        <location filename="../../desktop/ui/conversation/message_view.py" line="279"/>
        <source>Previous answer</source>
        <translation>Vorherige Antwort</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="280"/>
        <location filename="../../desktop/ui/conversation/message_view.py" line="281"/>
        <source>Next answer</source>
        <translation>Nächste Antwort</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="282"/>
        <source>Answer of the assistant</source>
        <translation>Antwort des Assistenten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="254"/>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="255"/>
        <location filename="../../desktop/ui/conversation/message_view.py" line="257"/>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/message_view.py" line="257"/>
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
        <location filename="../../desktop/ui/conversation/cached_views.py" line="102"/>
        <source>Show %1 earlier messages</source>
        <extracomment>The window&apos;s view state for each cached stream state. A cached conversation opens with this many of its newest messages (building a message view costs about 3 ms, so 1,000 would block the window for seconds); &quot;Show earlier messages&quot; adds :data:`EARLIER_STEP` more at a time.</extracomment>
        <translation>%1 frühere Nachrichten anzeigen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="143"/>
        <source>Stopped. The text so far is kept.</source>
        <translation>Angehalten. Der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="145"/>
        <source>This answer was interrupted. It came from the built-in demo server, which keeps no answers once the window has closed, so it cannot be resumed; the text so far is kept.</source>
        <translation>Diese Antwort wurde unterbrochen. Sie stammt vom eingebauten Demo-Server, der nach dem Schließen des Fensters keine Antworten mehr vorhält; sie lässt sich daher nicht fortsetzen. Der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="152"/>
        <source>This answer was interrupted; the text so far is kept.</source>
        <translation>Diese Antwort wurde unterbrochen; der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="156"/>
        <source>Another window or command is still recording this answer.</source>
        <translation>Ein anderes Fenster oder ein anderer Befehl zeichnet diese Antwort noch auf.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="160"/>
        <source>The answer failed: %1</source>
        <translation>Die Antwort ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/cached_views.py" line="162"/>
        <source>The answer failed.</source>
        <translation>Die Antwort ist fehlgeschlagen.</translation>
    </message>
</context>
<context>
    <name>Charts</name>
    <message>
        <location filename="../../desktop/ui/metrics/charts/compare_chart.py" line="40"/>
        <source>Rolling tokens per second of %1 and %2, from each answer&apos;s start</source>
        <translation>Gleitende Tokens pro Sekunde von %1 und %2, ab dem Beginn jeder Antwort</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/charts/gap_histogram.py" line="46"/>
        <source>Gaps between tokens: %1 gaps, median %2 ms, 99th percentile %3 ms</source>
        <translation>Abstände zwischen Tokens: %1 Abstände, Median %2 ms, 99. Perzentil %3 ms</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/charts/progress_chart.py" line="45"/>
        <source>Tokens received over time: %1 tokens in %2 s, %3 reconnect(s)</source>
        <extracomment>One shaded region per reconnect, reused from stream to stream.</extracomment>
        <translation>Empfangene Tokens im Zeitverlauf: %1 Tokens in %2 s, %3 Neuverbindung(en)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/charts/rate_chart.py" line="33"/>
        <source>Tokens per second over time; now %1 (rolling average %2)</source>
        <translation>Tokens pro Sekunde im Zeitverlauf; jetzt %1 (gleitender Mittelwert %2)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/charts/ttft_histogram.py" line="46"/>
        <source>Time to first token of %1 cached streams; %2 within the %3 ms target</source>
        <translation>Zeit bis zum ersten Token von %1 gespeicherten Streams; %2 innerhalb des Ziels von %3 ms</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="38"/>
        <source>Save chart…</source>
        <translation>Diagramm speichern…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="39"/>
        <source>First stream (A)</source>
        <translation>Erster Stream (A)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="40"/>
        <source>Second stream (B)</source>
        <translation>Zweiter Stream (B)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="42"/>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="43"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="87"/>
        <source>Save chart</source>
        <translation>Diagramm speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/compare_view.py" line="87"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
</context>
<context>
    <name>ConnectionStatus</name>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="140"/>
        <source>attempt %1 of %2, next try in %3 s</source>
        <extracomment>The shape of the mark beside the sentence, so the state shows without its colour too.</extracomment>
        <translation>Versuch %1 von %2, nächster in %3 s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="147"/>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="148"/>
        <source>Starting the built-in demo server…</source>
        <translation>Starte den eingebauten Demo-Server…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="149"/>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="150"/>
        <source>Connected, streaming</source>
        <translation>Verbunden, Antwort läuft</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="151"/>
        <source>Connection lost, reconnecting: %1</source>
        <translation>Verbindung unterbrochen, verbinde neu: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="152"/>
        <source>Offline: %1</source>
        <translation>Offline: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="153"/>
        <source>Offline: questions waiting for the server: %1</source>
        <translation>Offline: Fragen warten auf den Server: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="156"/>
        <source>Resumed without losing text</source>
        <translation>Fortgesetzt, kein Text verloren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="157"/>
        <source>Gave up after %1 attempts: %2</source>
        <translation>Nach %1 Versuchen aufgegeben: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="160"/>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="161"/>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="162"/>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="163"/>
        <source>The answer did not finish</source>
        <translation>Die Antwort wurde nicht fertig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="166"/>
        <source>Reconnecting…</source>
        <translation>Verbinde neu…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="173"/>
        <source>Retry now</source>
        <translation>Jetzt erneut versuchen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/connection_status.py" line="173"/>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
</context>
<context>
    <name>ConversationPane</name>
    <message>
        <location filename="../../desktop/ui/conversation/pane.py" line="96"/>
        <source>New conversation</source>
        <extracomment>Characters of the first question a pane&apos;s title keeps (the cache&apos;s title may be longer).</extracomment>
        <translation>Neue Unterhaltung</translation>
    </message>
</context>
<context>
    <name>CrashResume</name>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="71"/>
        <source>An answer was interrupted when the app last closed.</source>
        <extracomment>``stream -&gt; source`` continuing it on its server, or ``None`` if no client can reach it.</extracomment>
        <translation>Beim letzten Beenden wurde eine Antwort unterbrochen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="73"/>
        <source>%1 answers were interrupted when the app last closed.</source>
        <translation>Beim letzten Beenden wurden %1 Antworten unterbrochen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="77"/>
        <source>Resume all</source>
        <translation>Alle fortsetzen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="78"/>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="112"/>
        <source>no connection to its server (%1) is configured.</source>
        <translation>Für ihren Server (%1) ist keine Verbindung eingerichtet.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="118"/>
        <source>This answer cannot be resumed: %1 The text so far is kept.</source>
        <translation>Diese Antwort lässt sich nicht fortsetzen: %1 Der bisherige Text bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="133"/>
        <source>it came from the built-in demo server, which keeps no answers once the window has closed.</source>
        <translation>Sie stammt vom eingebauten Demo-Server, der nach dem Schließen des Fensters keine Antworten mehr vorhält.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="137"/>
        <source>its server (%1) cannot continue an answer.</source>
        <translation>Ihr Server (%1) kann keine Antwort fortsetzen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="141"/>
        <source>it was cut off before the server started it.</source>
        <translation>Sie brach ab, bevor der Server sie begonnen hatte.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="170"/>
        <source>This answer was interrupted before it was complete.</source>
        <translation>Diese Antwort wurde unterbrochen, bevor sie vollständig war.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/crash_resume.py" line="172"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
</context>
<context>
    <name>DesktopApp</name>
    <message>
        <location filename="../../desktop/app.py" line="521"/>
        <source>No system keyring is available, so the token is used for this session only and is not saved. Install and unlock a keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential Locker) to keep it.</source>
        <extracomment>Backends whose tokens come from their own login (e-mail and password), not from a setting. Give the last frame time to paint before a screenshot is taken (milliseconds). A problem found while opening the server, shown as a banner once the window is up. The panes still answering an ``--ask`` (``--quit-when-done`` waits for them all). Every asked answer has ended but queued questions went out after them.</extracomment>
        <translation>Es ist kein Schlüsselbund verfügbar: Das Token gilt nur für diese Sitzung und wird nicht gespeichert. Installieren und entsperren Sie einen Schlüsselbund (GNOME Keyring, KWallet, macOS-Schlüsselbund, Windows-Anmeldeinformationsverwaltung), um es zu behalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="550"/>
        <source>Unexpected error</source>
        <translation>Unerwarteter Fehler</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="551"/>
        <source>Something went wrong: %1</source>
        <translation>Etwas ist schiefgegangen: %1</translation>
    </message>
</context>
<context>
    <name>DesktopNotifier</name>
    <message>
        <location filename="../../desktop/ui/window/notifier.py" line="92"/>
        <source>Answer finished</source>
        <extracomment>The ``Notify`` call&apos;s signature (freedesktop Desktop Notifications Specification 1.2). How long a look-up on the bus may take before notifications are taken to be unavailable. How long the tray&apos;s balloon stays (milliseconds). Notify calls waiting for their reply (serial -&gt; conversation id). Notification ids the service gave, to their conversation ids.</extracomment>
        <translation>Antwort fertig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/notifier.py" line="94"/>
        <source>Answer stopped</source>
        <translation>Antwort angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/notifier.py" line="96"/>
        <source>The answer ended early</source>
        <translation>Die Antwort endete vorzeitig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/notifier.py" line="182"/>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
</context>
<context>
    <name>EventInspector</name>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="95"/>
        <source>All types</source>
        <translation>Alle Typen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="98"/>
        <source>Filter by text…</source>
        <translation>Nach Text filtern…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="100"/>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="103"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="101"/>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="104"/>
        <source>Event type</source>
        <translation>Ereignistyp</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="105"/>
        <source>Filter events by text</source>
        <translation>Ereignisse nach Text filtern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="108"/>
        <source>Received events</source>
        <translation>Empfangene Ereignisse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="109"/>
        <source>Every event of the stream: id, type, time, size and data</source>
        <translation>Jedes Ereignis des Streams: ID, Typ, Zeit, Größe und Daten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="223"/>
        <source>Save events</source>
        <translation>Ereignisse speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/event_inspector.py" line="223"/>
        <source>JSON Lines (*.jsonl)</source>
        <translation>JSON Lines (*.jsonl)</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="115"/>
        <source>Find in conversation (Enter: next, Shift+Enter: back)</source>
        <extracomment>Finished conversations kept open in the background (the newest); older ones are dropped: they are in the cache, and opening one again rebuilds it. ``(pane, conversation_id)``: put the cached conversation into the (idle) pane, now. The transcript searched: the conversation in view&apos;s (the window sets it on a switch).</extracomment>
        <translation>In der Unterhaltung suchen (Enter: weiter, Umschalt+Enter: zurück)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="117"/>
        <source>Find in conversation</source>
        <translation>In der Unterhaltung suchen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="118"/>
        <source>Close the find bar</source>
        <translation>Suchleiste schließen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="119"/>
        <source>Close the find bar (Esc)</source>
        <translation>Suchleiste schließen (Esc)</translation>
    </message>
</context>
<context>
    <name>HistoryController</name>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="59"/>
        <source>Export conversation</source>
        <extracomment>The list shows at most this many conversations (pinned first, then the newest): rebuilding 300 rows takes about 15 ms on the GUI thread, 10,000 would take 400 ms after every answer. Search reaches all of them. How long the &quot;deleted&quot; banner offers Undo (milliseconds). File name suffix and dialog filter per export format. ``(parent, suggested path, format) -&gt; chosen path or None``; tests replace the dialog.</extracomment>
        <translation>Unterhaltung exportieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="134"/>
        <source>Stop the answer before deleting its conversation.</source>
        <extracomment>Views of the conversation on screen by message id (from the cache).</extracomment>
        <translation>Halten Sie die Antwort an, bevor Sie ihre Unterhaltung löschen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="144"/>
        <source>Deleted “%1”.</source>
        <translation>„%1“ gelöscht.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="147"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="258"/>
        <source>Exported to %1.</source>
        <translation>Nach %1 exportiert.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="264"/>
        <source>Stop the running answer before replaying another one.</source>
        <translation>Halten Sie die laufende Antwort an, bevor Sie eine andere abspielen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/controller.py" line="282"/>
        <source>This conversation has no recorded answer to replay.</source>
        <translation>Diese Unterhaltung hat keine aufgezeichnete Antwort zum Abspielen.</translation>
    </message>
</context>
<context>
    <name>HistorySidebar</name>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="172"/>
        <location filename="../../desktop/ui/history/sidebar.py" line="393"/>
        <source>Untitled</source>
        <extracomment>Typing pauses this long before a search runs (milliseconds).</extracomment>
        <translation>Ohne Titel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="357"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="358"/>
        <source>Rename…</source>
        <translation>Umbenennen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="360"/>
        <source>Unpin</source>
        <translation>Nicht mehr anheften</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="360"/>
        <source>Pin to top</source>
        <translation>Oben anheften</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="363"/>
        <source>Replay answer</source>
        <translation>Antwort abspielen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="365"/>
        <source>At original speed (1×)</source>
        <translation>In Originalgeschwindigkeit (1×)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="368"/>
        <source>Four times faster (4×)</source>
        <translation>Viermal schneller (4×)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="370"/>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="371"/>
        <source>Markdown…</source>
        <translation>Markdown…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="372"/>
        <source>JSON…</source>
        <translation>JSON…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="373"/>
        <source>HTML…</source>
        <translation>HTML…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="375"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="381"/>
        <source>No message matches.</source>
        <translation>Keine Nachricht passt.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="384"/>
        <source>Answers you receive are kept here.</source>
        <translation>Ihre Antworten werden hier aufbewahrt.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="395"/>
        <source>pinned</source>
        <translation>angeheftet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="396"/>
        <source>%1 messages</source>
        <translation>%1 Nachrichten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="397"/>
        <source>changed %1</source>
        <translation>geändert %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="405"/>
        <source>queued</source>
        <translation>wartet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="412"/>
        <source>answering</source>
        <translation>antwortet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="413"/>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="414"/>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="415"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="422"/>
        <source>Older conversations are found by the search.</source>
        <translation>Ältere Unterhaltungen findet die Suche.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="426"/>
        <source>Pinned</source>
        <translation>Angeheftet</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="427"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="428"/>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="429"/>
        <source>Previous 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="430"/>
        <source>Older</source>
        <translation>Älter</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="434"/>
        <source>Search all conversations (Ctrl+K)</source>
        <translation>Verlauf durchsuchen (Strg+K)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="435"/>
        <source>Search all conversations</source>
        <translation>Alle Unterhaltungen durchsuchen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="436"/>
        <source>Conversations</source>
        <translation>Unterhaltungen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/history/sidebar.py" line="437"/>
        <source>Search results</source>
        <translation>Suchergebnisse</translation>
    </message>
</context>
<context>
    <name>InputBox</name>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="162"/>
        <source>Copied</source>
        <extracomment>How long the copy button says &quot;Copied&quot;.</extracomment>
        <translation>Kopiert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="182"/>
        <source>Ask a question… (Enter sends, Shift+Enter adds a line)</source>
        <translation>Stellen Sie eine Frage… (Enter sendet, Umschalt+Enter für neue Zeile)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="184"/>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="186"/>
        <source>Editing your last question: Enter asks it again, Esc keeps it as it was.</source>
        <translation>Sie bearbeiten Ihre letzte Frage: Eingabe stellt sie neu, Esc lässt sie, wie sie war.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="189"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="189"/>
        <source>Send the message (Enter)</source>
        <translation>Nachricht senden (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="190"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="190"/>
        <source>Stop the answer (Esc)</source>
        <translation>Antwort anhalten (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="191"/>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="191"/>
        <source>Ask for a new answer</source>
        <translation>Eine neue Antwort anfordern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="192"/>
        <source>Copy answer</source>
        <translation>Antwort kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="192"/>
        <source>Copy the last answer</source>
        <translation>Die letzte Antwort kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="193"/>
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/input_box.py" line="193"/>
        <source>Start over (Ctrl+N)</source>
        <translation>Neu beginnen (Strg+N)</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../desktop/ui/window/login_dialog.py" line="38"/>
        <location filename="../../desktop/ui/window/login_dialog.py" line="69"/>
        <source>Log in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/login_dialog.py" line="44"/>
        <source>Log in to %1</source>
        <translation>Bei %1 anmelden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/login_dialog.py" line="50"/>
        <source>Your question is kept and sent as soon as you are logged in.</source>
        <translation>Ihre Frage bleibt erhalten und wird gesendet, sobald Sie angemeldet sind.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/login_dialog.py" line="54"/>
        <source>E-mail address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/login_dialog.py" line="59"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/login_dialog.py" line="60"/>
        <source>Not stored; only the login is kept.</source>
        <translation>Wird nicht gespeichert; nur die Anmeldung bleibt erhalten.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/login_dialog.py" line="64"/>
        <source>Login problem</source>
        <translation>Problem bei der Anmeldung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/login_dialog.py" line="72"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/login_dialog.py" line="82"/>
        <source>&amp;E-mail</source>
        <translation>&amp;E-Mail</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/login_dialog.py" line="84"/>
        <source>&amp;Password</source>
        <translation>&amp;Passwort</translation>
    </message>
</context>
<context>
    <name>LoginPrompt</name>
    <message>
        <location filename="../../desktop/ui/window/login_prompt.py" line="149"/>
        <source>Not sent: you are not logged in to %1. Your question is kept; log in to send it.</source>
        <extracomment>The controllers whose question was refused, in the order they were.</extracomment>
        <translation>Nicht gesendet: Sie sind bei %1 nicht angemeldet. Ihre Frage bleibt erhalten; melden Sie sich an, um sie zu senden.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/login_prompt.py" line="152"/>
        <source>You are not logged in to %1. Log in before you ask a question.</source>
        <translation>Sie sind bei %1 nicht angemeldet. Melden Sie sich an, bevor Sie eine Frage stellen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/login_prompt.py" line="156"/>
        <source>Log in…</source>
        <translation>Anmelden…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="639"/>
        <source>Assist Desktop</source>
        <translation>Assist Desktop</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="640"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="641"/>
        <source>&amp;Conversation</source>
        <translation>&amp;Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="642"/>
        <source>&amp;Developer</source>
        <translation>&amp;Entwicklung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="643"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="645"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="646"/>
        <source>Stop answer</source>
        <translation>Antwort anhalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="647"/>
        <source>Regenerate answer</source>
        <translation>Antwort neu erzeugen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="648"/>
        <source>Copy answer</source>
        <translation>Antwort kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="649"/>
        <source>New conversation</source>
        <translation>Neue Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="650"/>
        <source>Focus the message box</source>
        <translation>Zum Eingabefeld</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="651"/>
        <source>Go to the latest answer</source>
        <translation>Zur neuesten Antwort</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="652"/>
        <source>Go to the newest notice (Undo, Retry)</source>
        <translation>Zur neuesten Meldung (Rückgängig, Wiederholen)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="653"/>
        <source>Read the answer&apos;s status</source>
        <translation>Stand der Antwort vorlesen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="654"/>
        <source>Find…</source>
        <translation>Suchen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="655"/>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="656"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="657"/>
        <source>Simulate connection drop</source>
        <translation>Verbindungsabbruch simulieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="665"/>
        <source>Plain language (Einfache Sprache)</source>
        <translation>Einfache Sprache</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="537"/>
        <location filename="../../desktop/ui/window/main_window.py" line="658"/>
        <location filename="../../desktop/ui/window/main_window.py" line="668"/>
        <source>Stream metrics</source>
        <translation>Stream-Messwerte</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="659"/>
        <source>About</source>
        <translation>Über</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="660"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="661"/>
        <source>Conversation history</source>
        <translation>Verlauf der Unterhaltungen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="662"/>
        <source>Search conversations…</source>
        <translation>Unterhaltungen durchsuchen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="663"/>
        <source>Replay answer</source>
        <translation>Antwort abspielen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="664"/>
        <source>Replay answer at 4× speed</source>
        <translation>Antwort mit 4-facher Geschwindigkeit abspielen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/main_window.py" line="419"/>
        <source>The answer in “%1” goes on in the background.</source>
        <extracomment>How a cached conversation gets into a pane (the history sets it); None: it cannot. A conversation&apos;s title as the history knows it (renamed, say); None: unknown. Questions waiting for the server, of every conversation (each pane shows its own). nscale-assist&apos;s plain-language switch; the app enables it for such a server.</extracomment>
        <translation>Die Antwort in „%1“ läuft im Hintergrund weiter.</translation>
    </message>
</context>
<context>
    <name>MetricsDock</name>
    <message>
        <location filename="../../desktop/ui/metrics/dock.py" line="57"/>
        <source>Stream metrics</source>
        <translation>Stream-Messwerte</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/dock.py" line="64"/>
        <source>Stream</source>
        <translation>Stream</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/dock.py" line="65"/>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/dock.py" line="66"/>
        <source>Compare</source>
        <translation>Vergleich</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/dock.py" line="67"/>
        <source>Cache report</source>
        <translation>Cache-Bericht</translation>
    </message>
</context>
<context>
    <name>MetricsFigures</name>
    <message>
        <location filename="../../desktop/ui/metrics/figures.py" line="84"/>
        <source>not measured yet</source>
        <extracomment>``(key, label, format)`` in display order; the key names the figure for tests and exports.</extracomment>
        <translation>noch nicht gemessen</translation>
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
        <location filename="../../desktop/ui/metrics/panel.py" line="102"/>
        <source>Figures of the stream</source>
        <translation>Kennzahlen des Streams</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/panel.py" line="201"/>
        <source>Save chart</source>
        <translation>Diagramm speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/panel.py" line="201"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/panel.py" line="209"/>
        <source>Export samples</source>
        <translation>Messwerte exportieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/panel.py" line="211"/>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
</context>
<context>
    <name>MetricsReportView</name>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="79"/>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="80"/>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="82"/>
        <source>No streams loaded.</source>
        <translation>Keine Streams geladen.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="90"/>
        <source>Success checks</source>
        <translation>Erfolgsprüfungen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="90"/>
        <source>Target, goal, measured</source>
        <translation>Ziel, Vorgabe, gemessen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="91"/>
        <source>Cached streams</source>
        <translation>Gespeicherte Streams</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="91"/>
        <source>Enter opens a stream</source>
        <translation>Eingabe öffnet einen Stream</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="97"/>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="97"/>
        <source>Goal</source>
        <translation>Zielwert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="97"/>
        <source>Measured</source>
        <translation>Gemessen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="97"/>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="135"/>
        <source>Reading the cache…</source>
        <translation>Cache wird gelesen…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="156"/>
        <source>The cache could not be read.</source>
        <translation>Der Cache konnte nicht gelesen werden.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="188"/>
        <source>Export the report</source>
        <translation>Bericht exportieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/metrics/report_view.py" line="190"/>
        <source>JSON (*.json);;CSV (*.csv);;TTFT histogram, PNG (*.png)</source>
        <translation>JSON (*.json);;CSV (*.csv);;TTFT-Histogramm, PNG (*.png)</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="33"/>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="156"/>
        <source>Progress of the answer</source>
        <extracomment>Labels refresh at most this often while tokens stream (seconds).</extracomment>
        <translation>Fortschritt der Antwort</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="142"/>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="143"/>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="144"/>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="145"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="150"/>
        <source>%n token(s)</source>
        <translation>
            <numerusform>%n Token</numerusform>
            <numerusform>%n Token</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="152"/>
        <source>Waiting for the first token…</source>
        <translation>Warte auf das erste Token…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="154"/>
        <source>Writing…</source>
        <translation>Schreibt…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="159"/>
        <source>%1 tokens/s</source>
        <translation>%1 Token/s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="162"/>
        <source>first token after %1 s</source>
        <translation>erstes Token nach %1 s</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/progress_panel.py" line="168"/>
        <source>about %1 s left</source>
        <translation>noch etwa %1 s</translation>
    </message>
</context>
<context>
    <name>QueuedQuestionView</name>
    <message>
        <location filename="../../desktop/ui/conversation/queued_view.py" line="112"/>
        <source>Waiting for the server…</source>
        <translation>Wartet auf den Server …</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/queued_view.py" line="113"/>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/queued_view.py" line="114"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/queued_view.py" line="115"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/queued_view.py" line="116"/>
        <source>Edit the queued question</source>
        <translation>Wartende Frage bearbeiten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/queued_view.py" line="117"/>
        <source>Cancel the queued question</source>
        <translation>Wartende Frage verwerfen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/queued_view.py" line="118"/>
        <source>Queued question</source>
        <translation>Wartende Frage</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/queued_view.py" line="120"/>
        <source>Queued question: %1, waiting for the server</source>
        <translation>Wartende Frage: %1, wartet auf den Server</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="40"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="119"/>
        <source>Server profile</source>
        <translation>Serverprofil</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="48"/>
        <source>New profile</source>
        <translation>Neues Profil</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="57"/>
        <source>optional: your organisation&apos;s CA, a PEM file</source>
        <translation>optional: die Zertifizierungsstelle Ihrer Organisation, eine PEM-Datei</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="58"/>
        <source>Certificate authority file</source>
        <translation>Datei der Zertifizierungsstelle</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="66"/>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="67"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="68"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="69"/>
        <source>High contrast</source>
        <translation>Hoher Kontrast</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="74"/>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="76"/>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="88"/>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="204"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="93"/>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="94"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="95"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="96"/>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="120"/>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="97"/>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="129"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="98"/>
        <source>CA file</source>
        <translation>CA-Datei</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="99"/>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="130"/>
        <source>Access token</source>
        <translation>Zugriffstoken</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="101"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="103"/>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="121"/>
        <source>Theme</source>
        <translation>Farbschema</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="104"/>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="131"/>
        <source>Font size</source>
        <translation>Schriftgröße</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="105"/>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="122"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="120"/>
        <source>How the server streams</source>
        <translation>Wie der Server streamt</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="123"/>
        <source>Profile name</source>
        <translation>Name des Profils</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="126"/>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="127"/>
        <source>For example %1</source>
        <translation>Zum Beispiel %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="130"/>
        <source>Kept in the system keyring</source>
        <translation>Im Schlüsselbund des Systems gespeichert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="131"/>
        <source>In points; System keeps it</source>
        <translation>In Punkt; System behält sie bei</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="146"/>
        <source>Tokens are kept in the system keyring.</source>
        <translation>Tokens werden im Schlüsselbund des Systems aufbewahrt.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="150"/>
        <source>No system keyring is available: a token entered here is used for this session only and is never written to a file.</source>
        <translation>Es ist kein Schlüsselbund verfügbar: Ein hier eingegebenes Token gilt nur für diese Sitzung und wird nie in eine Datei geschrieben.</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="167"/>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="171"/>
        <source>built-in demo server</source>
        <translation>eingebauter Demo-Server</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/window/settings_dialog.py" line="79"/>
        <source>Notify me when a conversation in the background finishes</source>
        <translation>Benachrichtigen, wenn eine Unterhaltung im Hintergrund fertig ist</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="28"/>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="33"/>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="38"/>
        <source>Message box</source>
        <extracomment>(where, keys, what they do) for keys handled inside one widget, not by a window action.</extracomment>
        <translation>Nachrichtenfeld</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="29"/>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="44"/>
        <source>Enter</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="30"/>
        <source>Send the message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="34"/>
        <source>Shift+Enter</source>
        <translation>Umschalt+Eingabe</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="35"/>
        <source>Start a new line</source>
        <translation>Neue Zeile beginnen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="39"/>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="54"/>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="79"/>
        <source>Esc</source>
        <translation>Esc</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="40"/>
        <source>Stop the answer</source>
        <translation>Antwort anhalten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="43"/>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="48"/>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="53"/>
        <source>History search</source>
        <translation>Verlaufssuche</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="45"/>
        <source>Open the first result</source>
        <translation>Erstes Ergebnis öffnen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="49"/>
        <source>Down</source>
        <translation>Pfeil nach unten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="50"/>
        <source>Go to the results or the list</source>
        <translation>Zu den Ergebnissen oder zur Liste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="55"/>
        <source>Clear the search</source>
        <translation>Suche leeren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="58"/>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="63"/>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="68"/>
        <source>Conversation list</source>
        <translation>Liste der Unterhaltungen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="59"/>
        <source>F2</source>
        <translation>F2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="60"/>
        <source>Rename the conversation</source>
        <translation>Unterhaltung umbenennen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="64"/>
        <source>Delete</source>
        <translation>Entf</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="65"/>
        <source>Delete the conversation (Undo brings it back)</source>
        <translation>Unterhaltung löschen (Rückgängig holt sie zurück)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="69"/>
        <source>Menu, Shift+F10</source>
        <translation>Menütaste, Umschalt+F10</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="70"/>
        <source>Open, pin, replay, export or delete</source>
        <translation>Öffnen, anheften, wiedergeben, exportieren oder löschen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="73"/>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="78"/>
        <source>Find bar</source>
        <translation>Suchleiste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="74"/>
        <source>Enter, Shift+Enter</source>
        <translation>Eingabe, Umschalt+Eingabe</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="75"/>
        <source>Next match, previous match</source>
        <translation>Nächster Treffer, voriger Treffer</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="80"/>
        <source>Close the find bar</source>
        <translation>Suchleiste schließen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="83"/>
        <source>Any button</source>
        <translation>Jede Schaltfläche</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="84"/>
        <source>Space</source>
        <translation>Leertaste</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="85"/>
        <source>Press the focused button</source>
        <translation>Die Schaltfläche mit dem Fokus drücken</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="88"/>
        <source>Any text</source>
        <translation>Jedes Textfeld</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="89"/>
        <source>Tab, Shift+Tab</source>
        <translation>Tab, Umschalt+Tab</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="90"/>
        <source>Move to the next or previous control</source>
        <translation>Zum nächsten oder vorigen Element</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="115"/>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="129"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="116"/>
        <source>Window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="120"/>
        <source>Where</source>
        <translation>Wo</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="120"/>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/accessibility/shortcuts_dialog.py" line="120"/>
        <source>Does</source>
        <translation>Wirkung</translation>
    </message>
</context>
<context>
    <name>StreamingMarkdownView</name>
    <message>
        <location filename="../../desktop/ui/conversation/markdown_view.py" line="216"/>
        <location filename="../../desktop/ui/conversation/markdown_view.py" line="263"/>
        <source>Copy</source>
        <extracomment>Markdown source characters per frozen segment; a new block starts a new segment past this. Frozen segments per chunk widget (see ``_current_chunk``). The live tail is re-rendered as Markdown up to this size, appended as plain text beyond. Characters that can change how the text around them renders as Markdown.</extracomment>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/markdown_view.py" line="278"/>
        <source>Answer text</source>
        <translation>Antworttext</translation>
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
    <message>
        <location filename="../../desktop/ui/conversation/thinking_panel.py" line="130"/>
        <source>Reasoning of the assistant</source>
        <translation>Überlegungen des Assistenten</translation>
    </message>
</context>
<context>
    <name>TokenPrompt</name>
    <message>
        <location filename="../../desktop/ui/widgets/banner.py" line="86"/>
        <location filename="../../desktop/ui/widgets/banner.py" line="87"/>
        <source>Access token</source>
        <extracomment>The action buttons, in order (what the keyboard reaches first).</extracomment>
        <translation>Zugriffstoken</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/banner.py" line="91"/>
        <source>Save and retry</source>
        <translation>Speichern und erneut versuchen</translation>
    </message>
</context>
<context>
    <name>ToolCard</name>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="105"/>
        <source>running…</source>
        <extracomment>Search hits shown per card; the rest are counted.</extracomment>
        <translation>läuft…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="106"/>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="107"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="111"/>
        <source>interrupted</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="115"/>
        <source>Tool %1: %2</source>
        <translation>Werkzeug %1: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="123"/>
        <source>No matching documents</source>
        <translation>Keine passenden Dokumente</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/tool_panel.py" line="127"/>
        <source>and %1 more</source>
        <translation>und %1 weitere</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../../desktop/ui/conversation/transcript_view.py" line="271"/>
        <source>Conversation</source>
        <extracomment>Pixels from the bottom that still count as &quot;at the end&quot;. &quot;Show earlier messages&quot;: a long cached conversation opens with its newest part. What the button does (set by whoever filled the transcript from the cache). Questions waiting for the server, below the messages (they go out in this order).</extracomment>
        <translation>Unterhaltung</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/transcript_view.py" line="272"/>
        <source>Show earlier messages</source>
        <translation>Frühere Nachrichten zeigen</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/conversation/transcript_view.py" line="275"/>
        <source>Ask a question below. Answers stream in as they are written; press Esc to stop one.</source>
        <translation>Stellen Sie unten eine Frage. Antworten erscheinen, während sie geschrieben werden; Esc hält eine Antwort an.</translation>
    </message>
</context>
<context>
    <name>WindowHistory</name>
    <message>
        <location filename="../../desktop/ui/history/setup.py" line="221"/>
        <source>Conversation history is off: %1</source>
        <translation>Der Verlauf der Unterhaltungen ist aus: %1</translation>
    </message>
</context>
</TS>
