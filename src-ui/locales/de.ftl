app-title = Lastmile
lang-label = Sprache
nav-tour = Tour
nav-stop = Aktueller Stopp

## connection card (start screen)
conn-checking = Verbindung wird geprüft…
conn-connected = ● Mit dem Sync-Server verbunden
conn-server = Server { $version } ({ $backend })
conn-offline = ● Offline — deine Arbeit ist auf diesem Gerät gespeichert und wird später gesendet
conn-not_configured = Kein Sync-Server eingerichtet
conn-retry = Erneut prüfen
device-opening = Lokale Datenbank wird geöffnet…
device-label = Gerät
device-ready = Lokale Datenbank bereit (Schema { $schema })
device-app = App

## sign-in
signin-title = Anmelden
signin-driver_id = Fahrer-ID
signin-pin = PIN
signin-enrolment_code = Registrierungscode (neues Gerät)
signin-submit = Anmelden
signin-busy = Anmeldung läuft…
signin-mode = Ich melde mich an als
signin-mode-driver = Fahrer
signin-mode-station = Stations-Tablet
signin-mode-supervisor = Mitfahrt (Supervisor)
signin-lead_id = ID der Stationsleitung
signin-supervisor_id = Supervisor-ID
signin-signed_in_as = Angemeldet als { $user }
station-title = Stations-Tablet
ride-title = Mitfahrt

## tour
tour-title = Deine Tour
tour-none = Noch keine Tour auf diesem Gerät.
tour-download = Tour herunterladen
tour-downloading = Tour wird heruntergeladen…
tour-progress = { $done } von { $total ->
        [one] { $total } Stopp erledigt
       *[other] { $total } Stopps erledigt
    } · { $open ->
        [one] { $open } Paket offen
       *[other] { $open } Pakete offen
    }
tour-station = Depot { $name }
tour-start = Zum aktuellen Stopp
tour-finished = Alle Stopps erledigt. Gut gemacht!
state-open = offen
state-arrived = angekommen
state-done = erledigt
state-failed = nicht zugestellt
state-skipped = übersprungen
parcel-pending = zuzustellen
parcel-delivered = zugestellt
parcel-failed = nicht zugestellt
parcel-picked_up = abgeholt
parcel-return = Retoure
parcel-signature = Unterschrift nötig
parcel-id_check = Ausweis- / Altersprüfung

## stop
stop-title = Stopp { $n }
stop-notes = Zugangshinweise:
stop-window = Zeitfenster: { $window }
stop-parcels = Pakete
stop-deliver = Zugestellt
stop-fail = Nicht zugestellt
stop-next = Nächster Stopp
stop-none = Kein offener Stopp: die Tour ist erledigt.
stop-loading = Stopp wird geladen…

## deliver dialog
deliver-title = Zustellen { $id }
method-recipient = An Empfänger
method-neighbour = An Nachbarn
method-safe_place = Ablageort
method-parcel_shop = Paketshop / Packstation
deliver-name = Name der Person
deliver-house_number = Hausnummer des Nachbarn
deliver-confirm = Zustellung bestätigen
dialog-cancel = Abbrechen

## fail dialog
fail-title = Nicht zugestellt: { $id }
fail-reason = Grund
reason-nobody_home = Niemand angetroffen
reason-refused = Annahme verweigert
reason-damaged = Beschädigt
reason-address_not_found = Adresse nicht gefunden
reason-no_access = Kein Zugang
reason-business_closed = Geschäft geschlossen
reason-out_of_time = Keine Zeit mehr
fail-card = Nummer der Benachrichtigungskarte (aus deinem Stapel)
fail-no_card = Keine Karte
fail-says = Auf der Karte steht
says-next_attempt = Neuer Zustellversuch
says-pick_up_at_station = Abholung im Depot
fail-confirm = Versuch erfassen

## undo
undo-delivered = Erfasst: { $id } zugestellt
undo-failed = Erfasst: { $id } nicht zugestellt
undo-button = Rückgängig
undo-done = Rückgängig: { $id } ist wieder offen
warn-far_from_stop = Weit vom Stopp entfernt erfasst.
warn-out_of_order = Dieser Stopp war laut Plan nicht der nächste.
warn-outside_time_window = Außerhalb des Zeitfensters.

## stop: guidance, scanning, proof, returns (stop screen and its dialogs)
stop-out_of_order = { $n ->
        [one] { $n } Stopp davor ist laut Plan noch offen.
       *[other] { $n } Stopps davor sind laut Plan noch offen.
    } Sie können trotzdem hier arbeiten.
stop-arrive = Ich bin da
stop-skip = Vorerst überspringen
stop-pick_up = Abgeholt
guide-no_position = Noch keine Position.
guide-here = Sie sind am Stopp.
guide-distance = { $dir ->
        [n] { $d } Richtung Norden
        [ne] { $d } Richtung Nordosten
        [e] { $d } Richtung Osten
        [se] { $d } Richtung Südosten
        [s] { $d } Richtung Süden
        [sw] { $d } Richtung Südwesten
        [w] { $d } Richtung Westen
       *[nw] { $d } Richtung Nordwesten
    }
guide-eta = Ankunft { $t } · Tourende { $end }
guide-source-gps = GPS
guide-source-simulated = simulierte Position
guide-navigate = Navigation starten
guide-opened = An die Karten-App übergeben:
turn-depart = Losfahren
turn-arrive = Ankunft
turn-turn = Abbiegen
turn-left = Links abbiegen
turn-right = Rechts abbiegen
turn-slight_left = Leicht links halten
turn-slight_right = Leicht rechts halten
turn-sharp_left = Scharf links abbiegen
turn-sharp_right = Scharf rechts abbiegen
turn-straight = Geradeaus
turn-uturn = Wenden
turn-roundabout = In den Kreisverkehr
turn-continue = Weiterfahren
turn-new_name = Weiterfahren
turn-merge = Einfädeln
turn-fork = An der Gabelung
turn-end_of_road = Am Ende der Straße
turn-on_ramp = Auffahrt nehmen
turn-off_ramp = Ausfahrt nehmen
turn-exit_roundabout = Kreisverkehr verlassen
turn-exit_rotary = Kreisverkehr verlassen
turn-roundabout_exit = Im Kreisverkehr die { $n }. Ausfahrt nehmen
turn-with_way = { $what } ({ $way })
way-left = links
way-right = rechts
way-slight_left = leicht links
way-slight_right = leicht rechts
way-sharp_left = scharf links
way-sharp_right = scharf rechts
way-straight = geradeaus
way-uturn = wenden
scan-picture = Etikett scannen (Kamera / Bild)
scan-placeholder = oder Sendungsnummer eingeben
scan-check = Prüfen
scan-this_stop = { $id } gehört zu diesem Stopp.
scan-other_stop = { $id } ist nicht für diesen Stopp: Es gehört zu Stopp { $n }, { $address }.
scan-go_stop = Zu Stopp { $n }
scan-not_on_tour = { $id } ({ $courier }) ist nicht auf der heutigen Tour.
scan-take_return = Als Retoure mitnehmen
photo-take = Foto aufnehmen oder wählen
photo-take_optional = Foto (optional)
photo-remove = Foto entfernen
sign-empty = Hier mit dem Finger unterschreiben
sign-here = Unterschrieben
sign-clear = Löschen
deliver-safe_place = Wo wurde es abgelegt?
deliver-shop = Paketshop
deliver-id_checked = Ausweis / Alter geprüft
fail-card_photo = Foto der Karte im Briefkasten (optional)
deliver-neighbour_card = Karte für den Empfänger (nennt den Nachbarn):
says-at_parcel_shop = Im Paketshop
pickup-title = Retoure { $id } abholen
pickup-hint = Paket annehmen und Etikett prüfen.
pickup-confirm = Abholung erfassen
undo-picked_up = { $id } abgeholt.
err-photo-unusable = Dieses Bild kann nicht als Foto verwendet werden.
hint-photo-unusable = Foto neu aufnehmen oder ein JPEG- bzw. PNG-Bild wählen.
err-scan-nothing_found = Kein Barcode im Bild gefunden.
hint-scan-nothing_found = Kamera näher ans Etikett halten oder die Nummer eingeben.
err-scan-unreadable = Das Bild kann nicht gelesen werden.
err-tracking-empty = Bitte zuerst eine Sendungsnummer eingeben.
err-tracking-check_digit = Diese Sendungsnummer ist ungültig: Die Prüfziffer passt nicht.
hint-tracking-check_digit = Ziffer für Ziffer mit dem Etikett vergleichen oder scannen.
err-tracking-unknown_format = Das ist keine bekannte Sendungsnummer.
hint-tracking-unknown_format = Nummer auf dem Etikett prüfen oder scannen.
err-navigate-failed = Es konnte keine Karten-App geöffnet werden.
hint-navigate-failed = Entfernung und Richtung hier nutzen oder die Karten-App selbst öffnen.
err-rule-photo_required = Ein Foto des Ablageorts ist nötig.
hint-rule-photo_required = Fotografieren Sie, wo Sie das Paket abgelegt haben.
hint-rule-signature_required = Lassen Sie den Empfänger auf dem Feld unterschreiben.
err-rule-wrong_stop = Dieses Paket gehört zu einem anderen Stopp.
err-rule-already_picked_up = Diese Retoure wurde bereits abgeholt.
err-input-invalid = Die Eingabe ist ungültig.

## sync bar
sync-pending = { $n } zu senden
sync-all_sent = Alles gesendet
sync-bytes = { $kb } KB Fotos
sync-last = letzter Sync { $time }
sync-never = noch nicht synchronisiert
sync-offline = offline: auf dem Gerät gespeichert, wird später gesendet
sync-not_signed_in = zum Senden anmelden
sync-others_pending = { $n ->
        [one] { $n } Eintrag von { $driver } auf diesem Gerät wird noch gesendet
       *[other] { $n } Einträge von { $driver } auf diesem Gerät werden noch gesendet
    }
sync-now = Jetzt senden

## errors: what happened
err-unknown = Etwas ist schiefgelaufen.
err-details = Technische Details (für den Support)
err-ui-not_in_app = Diese Seite läuft außerhalb der Lastmile-App.
err-server-unreachable = Der Server ist nicht erreichbar.
err-server-not_configured = Kein Sync-Server eingerichtet.
err-server-error = Der Server meldet ein Problem.
err-auth-bad_credentials = Fahrer-ID oder PIN ist falsch.
err-auth-bad_enrolment_code = Der Registrierungscode ist ungültig.
err-auth-enrolment_code_missing = Dieses Gerät ist neu und braucht einen Registrierungscode.
err-auth-not_signed_in = Niemand ist angemeldet.
err-auth-expired = Deine Anmeldung ist abgelaufen.
err-tour-not_found = Auf dem Server gibt es keine Tour für dich.
err-tour-none = Auf diesem Gerät ist keine Tour geladen.
err-tour-invalid = Die Tour vom Server ist nicht verwendbar.
err-rule-name_missing = Der Name fehlt.
err-rule-house_number_missing = Die Hausnummer des Nachbarn fehlt.
err-rule-method_not_allowed = Dieses Paket darf so nicht zugestellt werden.
err-rule-signature_required = Dieses Paket braucht eine Unterschrift.
err-rule-id_check_required = Dieses Paket braucht eine Ausweisprüfung.
err-rule-card_required = Bei diesem Grund muss eine Benachrichtigungskarte eingeworfen werden.
err-rule-card_contradicts = Der Kartentext passt nicht zum Geschehen.
err-rule-already_delivered = Dieses Paket ist schon zugestellt.
err-rule-undo_window_passed = Zu spät zum Rückgängigmachen.
err-rule-not_undoable = Das kann nicht mehr rückgängig gemacht werden.
err-card-malformed = Das ist keine Kartennummer.
err-card-not_issued = Diese Karte ist nicht aus deinem Stapel.
err-card-already_used = Diese Karte wurde schon benutzt.
err-store-full = Der Gerätespeicher ist voll.
err-store-unavailable = Die lokale Datenbank lässt sich nicht öffnen.
err-store-failed = Das Gerät konnte das nicht speichern.

## errors: what to do
hint-generic = Versuche es erneut. Wenn es wieder passiert, ruf dein Depot an.
hint-server-unreachable = Geh an einen Ort mit Empfang und versuche es erneut. Erfasste Arbeit bleibt auf dem Gerät sicher.
hint-auth-bad_credentials = Prüfe Fahrer-ID und PIN und versuche es erneut.
hint-auth-bad_enrolment_code = Frag dein Depot nach einem aktuellen Registrierungscode.
hint-auth-enrolment_code_missing = Gib den Registrierungscode von deinem Depot ein.
hint-auth-expired = Melde dich erneut an.
hint-auth-not_signed_in = Melde dich zuerst an.
hint-tour-not_found = Bitte dein Depot, dir eine Tour zuzuweisen, und lade erneut.
hint-rule-name_missing = Gib den Namen der Person ein, die das Paket angenommen hat.
hint-rule-house_number_missing = Gib die Hausnummer des Nachbarn ein.
hint-rule-card_required = Wähle eine Karte aus deinem Stapel.
hint-card-not_issued = Nimm eine Karte aus dem Stapel vom Check-in.
hint-card-already_used = Nimm die nächste Karte aus deinem Stapel.
hint-rule-undo_window_passed = Bitte dein Depot um eine Korrektur.
hint-store-full = Schaffe Platz auf dem Gerät. Nichts Erfasste ging verloren.

## --- tour overview, end-of-tour summary, About, display settings (branch overview) ---
nav-about = Info
nav-summary = Bilanz
theme-contrast = Hoher Kontrast für Sonnenlicht
theme-contrast_on = Hoher Kontrast: an
theme-contrast_off = Hoher Kontrast: aus
search-label = Stopp suchen
search-placeholder = Adresse oder Sendungsnummer
search-clear = Suche löschen
search-clear_short = Löschen
search-none = Kein Stopp passt zu „{ $q }“.
search-none_hint = Prüfe die Schreibweise oder gib einen Teil der Straße oder die letzten Ziffern der Sendungsnummer ein.
search-count = { $n } von { $total ->
        [one] { $total } Stopp
       *[other] { $total } Stopps
    }
search-parcel = Paket
window-soon = Zeitfenster endet bald
window-missed = Zeitfenster verpasst
tour-summary = Tourabschluss
tour-summary_now = Tourabschluss anzeigen
summary-title = Tourabschluss
summary-back = Zurück zur Tour
summary-stops = { $done } von { $total ->
        [one] { $total } Stopp erledigt
       *[other] { $total } Stopps erledigt
    }
summary-finished = Alle Stopps erledigt.
summary-not_finished = Es sind noch Stopps offen.
summary-delivered = Zugestellt
summary-failed = Nicht zugestellt (Versuch)
summary-not_attempted = Nicht versucht
summary-cards_used = Karten benutzt
summary-cards_unused = Karten übrig
summary-returns = Retouren an Bord
summary-conflicts = Konflikte mit der Disposition
summary-handback_title = Zurück ins Depot
summary-handback = Gib { $parcels ->
        [one] { $parcels } Paket
       *[other] { $parcels } Pakete
    }, { $returns ->
        [one] { $returns } Retoure
       *[other] { $returns } Retouren
    } und { $cards ->
        [one] { $cards } unbenutzte Karte
       *[other] { $cards } unbenutzte Karten
    } ab.
summary-conflicts_hint = Erkläre die Konflikte beim Check-out deiner Depotleitung.
about-title = Über Lastmile
about-display = Anzeige
about-version = App-Version
about-install_id = Installations-ID
about-schema = Datenbankschema
about-server = Sync-Server
about-credits = Quellen
about-osm = Adressen und Kartendaten © OpenStreetMap-Mitwirkende, verfügbar unter der Open Database Licence (ODbL 1.0)
about-licence = Lizenz
about-licence_text = Lastmile steht unter der Lizenz { $licence }.
about-back = Zurück

# Mitfahrt der Begleitung (Issue #13)
ride-assist-carried_parcels = Pakete getragen
ride-assist-talked_to_customer = Mit dem Kunden gesprochen
ride-assist-other = Anders geholfen
ride-assist_title = Stopps mit Hilfe
ride-assist_hint = Stopps, bei denen du geholfen hast, zählen nicht zum Tempo des Fahrers.
ride-back = Zurück zur Tour
ride-banner_running = { $supervisor } fährt heute bei dir mit.
ride-banner_waiting = { $n ->
        [one] Ein Protokoll wartet auf deine Unterschrift.
       *[other] { $n } Protokolle warten auf deine Unterschrift.
    }
ride-cat-safety = Sicherheit
ride-cat-customer_contact = Kundenkontakt
ride-cat-proof_quality = Qualität des Nachweises
ride-cat-driving = Fahren
ride-cat-handling = Umgang mit Paketen
ride-cat-other = Sonstiges
ride-category = Kategorie
ride-comment = Dein Kommentar (Zustimmung oder Widerspruch)
ride-current = Jetzt
ride-driver_decline = Unterschrift verweigern
ride-driver_sign = Protokoll unterschreiben
ride-export = Meine Kopie exportieren
ride-exported = Kopie gespeichert: { $path }
ride-grade-trained = Eingewiesen
ride-grade-proficient = Sicher
ride-grade-needs_practice = Braucht Übung
ride-grade-not_observed = Nicht beobachtet
ride-last = Letzte Mitfahrt bei { $driver }
ride-my_records = { $n ->
        [one] Mein Mitfahrt-Protokoll
       *[other] Meine Mitfahrt-Protokolle ({ $n })
    }
ride-nav-checklist = Checkliste
ride-nav-end = Abschluss
ride-nav-follow = Tour
ride-nav-observe = Tagesnotizen
ride-no_drivers = Keiner der Fahrer, die du begleitest, hat heute eine Tour.
ride-no_template = Noch keine Checkliste auf diesem Handy. Einmal verbinden, um sie zu laden.
ride-notes = Coaching-Notizen
ride-observations = Beobachtungen
ride-observe_at = Beobachtung bei Stopp { $n }
ride-observe_day = Beobachtung für den ganzen Tag
ride-observe_here = Beobachtung hier festhalten
ride-pace = Tempo (Stopps / Pakete pro Stunde)
ride-pace_own = Dein eigenes Tempo, ohne Stopps mit Hilfe: { $figures }
ride-pace_with = Mit den Stopps mit Hilfe: { $figures }
ride-parcels_done = Pakete: { $done } von { $total } erledigt
ride-photo = Foto hinzufügen
ride-pick = Wähle den Fahrer, den du begleitest
ride-progress_at = Fortschritt des Fahrers, Stand { $time }
ride-progress_never = Der Fortschritt des Fahrers wurde noch nicht geladen.
ride-record_by = Protokoll von { $supervisor }
ride-records_kept = Stand auf diesem Handy (keine Verbindung).
ride-records_title = Meine Mitfahrt-Protokolle
ride-refresh = Fortschritt des Fahrers aktualisieren
ride-riding_with = Du begleitest { $driver }.
ride-save_observation = Beobachtung speichern
ride-saved = Gespeichert.
ride-sign = Unterschreiben und Mitfahrt beenden
ride-sign_hint = Unterschreibe, um die Mitfahrt zu beenden. Der Fahrer liest das Protokoll dann auf seinem eigenen Handy.
ride-sign_missing = Bitte zuerst auf dem Feld unterschreiben.
ride-start = Mitfahrt beginnen
ride-status-running = Läuft
ride-status-awaiting_driver = Von dir unterschrieben; wartet auf den Fahrer
ride-status-awaiting_you = Wartet auf deine Unterschrift
ride-status-signed = Von beiden unterschrieben
ride-status-declined = Der Fahrer hat die Unterschrift verweigert
ride-stop_title = Stopp { $n }
ride-stops_done = Stopps: { $done } von { $total } erledigt
ride-summary = Beobachtungen: { $observations } · Bewertungen: { $grades } · Stopps mit Hilfe: { $assisted }
ride-supervisor_not_signed = Von der Begleitung noch nicht unterschrieben.
ride-supervisor_signed = Von der Begleitung unterschrieben.
ride-text = Was du beobachtet hast
ride-whole_day = ganzer Tag
ride-you_declined = Du hast die Unterschrift verweigert.
ride-you_signed = Du hast dieses Protokoll unterschrieben.
err-ride-blank_text = Bitte zuerst etwas schreiben.
err-ride-blank_signature = Die Unterschrift fehlt.
err-ride-signed = Diese Mitfahrt ist unterschrieben und nimmt keine Einträge mehr an.
err-ride-supervisor_not_signed = Die Begleitung hat dieses Protokoll noch nicht unterschrieben.
err-ride-answered = Du hast dieses Protokoll schon beantwortet.
err-ride-unknown = Diese Mitfahrt ist nicht auf diesem Handy.
err-ride-grade_not_in_template = Diese Checkliste kennt diese Bewertung nicht.
err-ride-unknown_item = Diese Checkliste hat keinen solchen Punkt.
err-ride-template_mismatch = Dieses Protokoll wird nach einer anderen Checklisten-Version bewertet.
err-ride-text_too_long = Der Text ist zu lang.
err-ride-other_tour = Diese Mitfahrt gehört zu einer anderen Tour als der auf diesem Handy.
