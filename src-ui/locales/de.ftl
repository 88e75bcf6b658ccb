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
method-parcel_shop = Paketshop
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
sync-rejected = { $n ->
        [one] { $n } Eintrag vom Server abgelehnt (bleibt auf diesem Gerät; die Station sieht den Grund)
       *[other] { $n } Einträge vom Server abgelehnt (bleiben auf diesem Gerät; die Station sieht den Grund)
    }
sync-now = Jetzt senden
sync-oldest = ältester { $age }
sync-what_waits = Was wartet
age-hm = { $h } Std. { $m } Min.
age-m = { $m } Min.
age-under_minute = < 1 Min.
waiting-at_stop = Stopp { $n }
waiting-stop_arrived = Angekommen
waiting-parcel_delivered = Zugestellt
waiting-delivery_failed = Nicht zugestellt
waiting-return_picked_up = Retoure abgeholt
waiting-stop_skipped = Stopp übersprungen
waiting-outcome_undone = Rückgängig
waiting-outcome_corrected = Korrektur
waiting-photo = Foto
waiting-signature_image = Unterschrift
waiting-signature_strokes = Unterschrift (Striche)
waiting-card_photo = Kartenfoto

## errors: what happened
err-unknown = Etwas ist schiefgelaufen.
err-details = Technische Details (für den Support)
err-ui-not_in_app = Diese Seite läuft außerhalb der Lastmile-App.
err-server-unreachable = Der Server ist nicht erreichbar.
err-server-not_configured = Kein Sync-Server eingerichtet.
err-server-error = Der Server meldet ein Problem.
err-sync-event_too_large = Ein Eintrag ist zu groß zum Senden; er bleibt auf diesem Gerät, die folgenden werden gesendet.
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

## Station tablet (issue 12)
station-board-title = Fahrer heute
station-board-count = { $n ->
        [one] { $n } Fahrer heute
       *[other] { $n } Fahrer heute
    }
station-board-loaded = { $loaded } von { $expected } geladen
station-board-back = Übersicht
station-back = Zurück
station-offline = Keine Verbindung zum Server: Angezeigt wird der letzte bekannte Stand. Alles, was Sie erfassen, bleibt gespeichert und wird später gesendet.
station-pending = { $n ->
        [one] { $n } Eintrag wartet auf das Senden
       *[other] { $n } Einträge warten auf das Senden
    }
station-state-expected = Erwartet
station-state-checked_in = Angemeldet
station-state-inspecting = Fahrzeugcheck
station-state-held = Gesperrt
station-state-loading = Beladung
station-state-on_road = Unterwegs
station-state-back = Zurück im Depot
station-state-closed = Abgeschlossen
station-check_in-open = Fahrer anmelden
station-check_in-title = Anmeldung
station-check_in-hint = Der Fahrer gibt seine Kennung und PIN ein. Das Tablet bleibt danach nicht auf ihn angemeldet.
station-pass-title = Anmeldung mit dem Code auf dem Handy des Fahrers
station-pass-hint = Der Fahrer öffnet „Mein Anmeldecode“ auf dem Handy. Geht auch ohne WLAN.
station-pass-camera = Code mit der Kamera scannen
station-pass-typed = Oder der Code vom Handscanner
station-code-show = Mein Anmeldecode
station-code-hide = Anmeldecode ausblenden
station-code-hint = Zeigen Sie diesen Code der Kamera des Depot-Tablets, um sich anzumelden. Geht auch ohne Netz.
station-code-alt = Anmeldecode (QR)
station-check_in-driver = Fahrerkennung
station-check_in-pin = PIN
station-check_in-submit = Anmelden
station-check_in-wait = Zu viele falsche PINs an diesem Tablet. Nächste PIN in { $s } s.
station-step-vehicle = Fahrzeug
station-step-cards = Karten
station-step-loadout = Beladung
station-step-return = Rückkehr
station-step-closeout = Abschluss
station-day-vehicle = Fahrzeug { $plate }
station-vehicle-plate = Kennzeichen
station-vehicle-assign = Fahrzeug zuweisen
station-hold-title = Die Tour ist gesperrt: Sicherheitsmangel an { $plate }.
station-hold-what = Geben Sie die Tour frei, sobald der Mangel behoben ist, oder weisen Sie ein anderes Fahrzeug zu (es braucht einen eigenen Fahrzeugcheck).
station-hold-repaired = Behoben: Tour freigeben
station-hold-other_plate = Anderes Fahrzeug
station-hold-other = Anderes Fahrzeug zuweisen
station-inspection-pre = Abfahrtskontrolle von { $plate }
station-inspection-post = Rückkehrkontrolle von { $plate }
station-inspection-open_defects = Offene Mängel aus früheren Kontrollen:
station-inspection-mark_repaired = Als behoben markieren
station-inspection-passed = Kontrolle bestanden.
station-inspection-safety = Sicherheit
station-inspection-ok = In Ordnung
station-inspection-defect = Mangel
station-inspection-note = Was ist defekt?
station-inspection-photo = Foto des Mangels
station-inspection-photo_asked = Foto (für diesen Punkt verlangt)
station-inspection-submit = Kontrolle speichern
station-item-tyres = Reifen: Profil, Druck, Schäden
station-item-lights = Beleuchtung: Scheinwerfer, Bremslicht, Blinker, Warnblinker
station-item-brakes = Bremsen
station-item-mirrors = Spiegel
station-item-horn = Hupe
station-item-wipers = Frontscheibe und Wischer
station-item-leaks = Flüssigkeitsverlust
station-item-body_damage = Karosserieschäden
station-item-load_securing = Ladungssicherung
station-item-first_aid = Verbandkasten, Warndreieck
station-cards-title = Benachrichtigungskarten
station-cards-count = { $n ->
        [one] { $n } Karte
       *[other] { $n } Karten
    }
station-cards-first = Erste Karte
station-cards-last = Letzte Karte
station-cards-issue = Stapel ausgeben
station-scan-label = Sendungsnummer scannen oder eingeben
station-scan-submit = Erfassen
station-loadout-title = Beladung
station-loadout-missing = Noch nicht gescannt, nach Stopp
station-loadout-not_loaded = Nicht geladen
station-reason-missing_at_station = Fehlt im Depot
station-reason-damaged = Beschädigt
station-return-title = Rückkehr ins Depot
station-return-expected = Wird noch zurück erwartet
station-return-cards = Unbenutzte Karten zurück (eine Karte: nur die erste Nummer)
station-return-cards_back = Karten zurücknehmen
station-return-discrepancies = Abweichungen mit Begründung
station-return-why = Warum?
station-return-explain = Speichern
station-discrepancy-parcel_not_back = weder zugestellt noch zurück
station-discrepancy-return_not_handed_in = Retoure abgeholt, aber nicht abgegeben
station-discrepancy-card_missing = Karte weder benutzt noch zurückgegeben
station-closeout-title = Tagesabschluss
station-closeout-driver_signs = Unterschrift Fahrer
station-closeout-lead_signs = Unterschrift Depotleitung
station-closeout-sign = Beide unterschreiben: Tag abschließen
station-closeout-failed_cards = Nicht zugestellt, mit Karte:
station-closeout-unexplained = { $n ->
        [one] { $n } Abweichung braucht noch eine Begründung.
       *[other] { $n } Abweichungen brauchen noch eine Begründung.
    }
station-closeout-pending = Unterschrieben. Der Abschluss wird gesendet, sobald eine Verbindung besteht.
station-closeout-signed = Unterschriebener Abschluss (Version { $version }). Er ist unveränderlich; eine Korrektur ist eine neue Version.
station-figure-planned = Geplante Pakete
station-figure-loaded = Geladen
station-figure-not_loaded = Nicht geladen
station-figure-delivered = Zugestellt
station-figure-failed = Nicht zugestellt
station-figure-returns = Abgeholte Retouren
station-figure-back = Zurück im Depot
station-figure-cards_issued = Ausgegebene Karten
station-figure-cards_used = Benutzte Karten
station-figure-cards_returned = Zurückgegebene Karten
station-figure-cards_missing = Fehlende Karten
station-figure-discrepancies = Abweichungen
station-figure-inspections = Fahrzeugchecks
station-figure-defects = Gefundene Mängel
station-phone-held = Ihre Tour ist gesperrt
station-phone-what = Fahren Sie mit diesem Fahrzeug nicht los. Gehen Sie zur Depotleitung: Sie gibt Ihre Tour frei, sobald der Mangel behoben ist, oder gibt Ihnen ein anderes Fahrzeug.
station-mydays-title = Meine Tage
station-mydays-none = Noch kein unterschriebener Tagesabschluss.
station-mydays-offline = Meine Tage erscheinen, sobald das Telefon verbunden ist.
station-mydays-line = { $delivered } zugestellt, { $failed } nicht zugestellt, { $back } zurück im Depot, { $cards } Karten benutzt
station-mydays-signed = Unterschrieben mit { $lead }
station-err-unknown_plate = Kein Fahrzeug mit diesem Kennzeichen im Fuhrpark: { $detail }
station-err-photo_not_expected = Ein Foto gehört zu einem Punkt dieser Prüfung: { $detail }
station-err-card_range_overlaps = Diese Karten überschneiden sich mit dem Stapel eines anderen Fahrers: { $detail }
station-err-bad_card_range = Das ist kein Kartenbereich: { $detail }
station-err-parcel_scanned_twice = Schon gescannt: { $detail }
station-err-parcel_is_a_pickup = Das ist eine Retoure zum Abholen, kein Paket zum Laden: { $detail }
station-err-parcel_of_other_tour = Paket einer anderen Tour – es gehört zu { $detail }
station-err-unknown_parcel = Dieses Paket gehört nicht zu dieser Tour: { $detail }
station-err-card_not_issued = Diese Karte ist nicht im Stapel des Fahrers: { $detail }
station-err-card_was_used = Diese Karte wurde an einem Stopp hinterlassen: { $detail }
station-err-cards_returned_twice = Diese Karte wurde schon zurückgenommen: { $detail }
station-err-blank_explanation = Schreiben Sie, warum es nicht aufgeht: { $detail }
station-err-blank_signature = Das Unterschriftenfeld ist leer: beide müssen unterschreiben ({ $detail }).
station-err-unexplained_discrepancies = Begründen Sie zuerst jede Abweichung: { $detail }
station-err-no_tour_today = Dieser Fahrer hat heute keine Tour: { $detail }
station-err-no_hold = Die Tour ist nicht gesperrt: { $detail }
station-err-check_in_offline = Die Anmeldung mit PIN braucht den Server; ohne WLAN den Anmeldecode auf dem Handy des Fahrers scannen ({ $detail }).
station-err-no_pass_in_picture = Kein Anmeldecode im Bild; halten Sie das Handy näher und ruhig ({ $detail }).
station-err-not_a_pass = Das ist kein Anmeldecode: { $detail }
station-err-unknown_pass = Dieser Anmeldecode gehört zu keiner Tour dieses Depots am { $detail }; melden Sie sich mit der PIN an.
station-err-no_pass_today = Noch kein Anmeldecode für die heutige Tour; einmal mit dem Netz verbinden ({ $detail }).
station-err-offline_no_copy = Keine Verbindung, und auf dem Tablet ist noch nichts gespeichert ({ $detail }).
station-err-not_a_station_action = Das kann das Tablet nicht erfassen: { $detail }
station-err-tour_held = Die Tour ist gesperrt: { $detail }
station-err-wrong_station = Dieser Fahrer gehört zu einem anderen Depot.
station-err-pin_locked = Zu viele falsche PINs: Warten Sie eine Minute oder entsperren Sie den Fahrer.
station-err-not_loaded = Der Tag wird noch geladen.

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

# Corrections (issue 14)
parcel-correct = Korrigieren
correct-title = { $id } korrigieren
correct-recorded = Erfasst:
correct-to_delivered = Zugestellt
correct-to_failed = Nicht zugestellt
correct-note = Warum wird korrigiert? (Pflicht)
correct-confirm = Korrektur speichern
correct-done = Korrektur für { $id } gespeichert. Das Original bleibt im Verlauf.
err-rule-not_correctable = Nur die letzte Zustellung oder der letzte Zustellversuch eines Pakets kann korrigiert werden.
err-rule-correction_reason_missing = Bitte angeben, warum korrigiert wird.
undo-remaining = Rückgängig: noch { $s } s. Danach an der Haltestelle korrigieren.

# Conflicts shown and acknowledged (issue 14)
conflict-title = Änderungen der Disposition nach deiner Erfassung
conflict-parcel_dropped = Disposition: Der neue Plan enthält dieses Paket nicht mehr.
conflict-parcel_moved = Die Disposition hat dieses Paket zu Stopp { $detail } verschoben.
conflict-stop_removed = Die Disposition hat diesen Stopp entfernt; er bleibt, weil du hier Ergebnisse erfasst hast.
conflict-address_corrected = Die Disposition hat die Adresse auf { $detail } korrigiert: Prüfe, ob die Pakete an der richtigen Tür sind.
conflict-not_loaded = Das Depot hat dieses Paket als nicht verladen markiert.
conflict-recorded = Du hast erfasst:
conflict-ack = Gesehen

# ETA from the road (issue 14)
guide-eta-road = über die Straße, noch { $d }
guide-eta-straight = geschätzt aus der Luftlinie

# Glove mode (issue 14)
theme-gloves_on = Handschuhe: große Schaltflächen, an
theme-gloves_off = Handschuhe: große Schaltflächen, aus

# Parcel-shop card (issue 14)
deliver-shop_card = Karte für den Empfänger (nennt den Paketshop):
## Privacy (issue 16)
privacy-keys-in-files = Testmodus: Die Schlüssel, die die Daten dieses Geräts schützen, liegen in Dateien statt im Schlüsselspeicher des Geräts. Nicht für echte Zustellungen verwenden.
# Blocks for independent (flex) drivers (issue 15).
offers-nav-offers = Angebote
offers-nav-earnings = Verdienst
offers-nav-tour = Tour
offers-state-upcoming = öffnet bald
offers-state-open = offen für Anfragen
offers-state-closed = geschlossen
offers-title = Angebotene Blöcke
offers-reload = Aktualisieren
offers-how = Blöcke werden nach dem Ende jeder Runde durch eine veröffentlichte Verlosung verteilt; wann du anfragst, spielt keine Rolle. So funktioniert es: docs/blocks-lottery.md.
offers-credit = Fairness-Guthaben: { $n }
offers-none = Gerade werden keine Blöcke angeboten.
offers-results = Ergebnisse
offers-verified = Bestätigt: Dieses Telefon hat die Verlosung nachgerechnet und dasselbe Ergebnis erhalten.
offers-mismatch = STIMMT NICHT ÜBEREIN: Dieses Telefon hat die Verlosung nachgerechnet und ein anderes Ergebnis erhalten. Bitte der Station melden.
offers-unchecked = Noch nicht geprüft (keine Verbindung).
offers-lost = Du hast in dieser Runde keinen Block gewonnen.
offers-won = Gewonnen: { $blocks }
offers-pseudonym = Dein Name in der veröffentlichten Verlosung: { $name }
offers-my-blocks = Meine Blöcke
offers-round = Runde { $n }
offers-window = Offen { $opens }–{ $closes }
offers-commitment = Festlegung { $hash }…
offers-places = Plätze: { $n }
offers-held = Deine Anfrage: { $blocks }
offers-send = Anfrage senden
offers-fair = Tippe die Blöcke in der Reihenfolge an, in der du sie möchtest. Du kannst deine Anfrage ändern, bis die Runde schließt.
offers-status-won = Gewonnen – bitte bestätigen
offers-status-confirmed = Bestätigt
offers-status-released = Zurückgegeben
offers-status-expired = Nicht rechtzeitig bestätigt
offers-confirm-by = Bestätigen bis { $time }
offers-confirm = Bestätigen
offers-release = Zurückgeben
offers-earnings-title = Verdienst diese Woche
offers-week = Woche ab { $date }
offers-earnings-none = Diese Woche noch keine gearbeiteten Blöcke.
offers-earned-line = { $hours } h · { $stops } Stopps · { $parcels } Pakete
offers-total = Gesamt: { $pay } für { $hours } h
offers-export = Exportieren (CSV und Druckseite)
offers-signin-flex_id = Fahrer-ID (Flex)
offers-signin-mode-flex = Selbstständiger Fahrer (Flex)

## Lockers and parcel shops as their own methods
method-locker = Packstation
deliver-shop_name = Name des Shops (optional)
deliver-locker = Nummer der Packstation
deliver-compartment = Fach
deliver-pickup_code = Abholcode (optional)
deliver-locker_card = Karte für den Empfänger (nennt Packstation und Fach):
err-rule-shop_missing = Die Nummer des Paketshops fehlt.
hint-rule-shop_missing = Gib die Nummer vom Schild des Shops oder vom Scanner ein.
err-rule-locker_missing = Die Nummer der Packstation oder das Fach fehlt.
hint-rule-locker_missing = Gib die Nummer der Packstation und das Fach ein.

## The driver's evidence bundle
evidence-title = Mein Tag als Nachweis
evidence-hint = Eine signierte Datei deines Tages: Stopps, Zeiten, Positionen, Ergebnisse, Karten, Korrekturen, Fotos und Unterschriften. Bewahre sie für einen Streit um ein Paket oder deine Arbeitszeit auf.
evidence-none = Auf diesem Gerät ist kein Tag von dir.
evidence-day = Tag
evidence-folder = Ordner
evidence-key = Geräteschlüssel:
evidence-export = Meinen Tag exportieren
evidence-done = Exportiert, { $files } Dateien:
err-evidence-not_yours = Diesen Tag hat ein anderer Fahrer erfasst; nur er kann ihn exportieren.
hint-evidence-not_yours = Nur wer einen Tag erfasst hat, kann ihn exportieren.
err-evidence-failed = Die Datei konnte nicht erstellt werden.
hint-evidence-failed = Versuche es noch einmal; wenn es weiter scheitert, sag dem Depot Bescheid.
err-evidence-folder = In den Ordner kann nicht geschrieben werden.
hint-evidence-folder = Wähle einen Ordner, in den du schreiben darfst, und prüfe, ob der Speicher voll ist.
## Security and privacy (issue 16): a server whose TLS certificate this device does not trust
err-server-untrusted = Dieses Gerät vertraut dem Zertifikat des Servers nicht.
hint-server-untrusted = Die Verbindung wurde abgelehnt, damit niemand mithören kann. Bitte die Station, die Serveradresse und das Zertifikat zu prüfen; erfasste Arbeit bleibt auf dem Gerät sicher.

## Station tablet: the audit trail (issue 16)
audit-open = Zugriffsprotokoll
audit-title = Wer hat was gelesen
audit-intro = Jeder Zugriff auf Fotos, Unterschriften, Tour oder Tag eines Fahrers durch jemand anderen als diesen Fahrer, die neuesten zuerst.
audit-empty = Noch niemand hat Nachweise oder den Tag eines Fahrers gelesen.
audit-line = { $who } ({ $role }) hat { $what } von { $driver } gelesen
audit-what-proof = einen Nachweis
audit-what-tour = die Tour
audit-what-day = den Tag
audit-role-station = Stationsleitung
audit-role-supervisor = Supervisor
audit-role-driver = Fahrer
audit-role-flex = Flex-Fahrer
## Service visits (issue 14)
service-kind-service = Serviceeinsatz
service-kind-parcel_shop = Paketshop
service-kind-pickup = Abholung
service-title = Serviceeinsatz
service-planned = Geplant: { $minutes } Min.
service-started-at = Begonnen um { $time }
service-finished-at = Abgeschlossen um { $time }
service-start = Einsatz beginnen
service-checklist-hint = Jeden Punkt beantworten: erledigt oder nicht erledigt. Eine Notiz ist freiwillig.
service-done = Erledigt
service-not-done = Nicht erledigt
service-unanswered = Nicht beantwortet
service-note = Notiz (freiwillig)
service-photo = Foto (freiwillig)
service-customer = Name des Kunden
service-sign = Unterschrift des Kunden (Abnahme)
service-finish = Einsatz abschließen
service-signed-by = Abgenommen von { $name }
service-finished-notice = Serviceeinsatz erfasst.
err-service-not_a_service_stop = Dieser Stopp ist kein Serviceeinsatz.
err-service-already_started = Der Einsatz hat schon begonnen.
err-service-not_started = Bitte zuerst den Einsatz beginnen.
err-service-already_finished = Dieser Einsatz ist schon abgeschlossen.
err-service-item_unanswered = Ein Punkt der Checkliste ist noch nicht beantwortet.
err-service-unknown_item = Diesen Punkt gibt es in der Checkliste nicht.
err-service-item_twice = Ein Punkt der Checkliste wurde doppelt beantwortet.
err-service-name_missing = Der Name des Kunden fehlt.
err-service-signature_missing = Die Unterschrift des Kunden fehlt.
err-service-text_too_long = Der Text ist zu lang.
hint-service-item_unanswered = Jeden Punkt als erledigt oder nicht erledigt markieren, dann erneut abschließen.
hint-service-signature_missing = Den Kunden auf dem Feld unterschreiben lassen, dann erneut abschließen.
## The offline map (issue 17)
map-title = Karte
map-hide = Karte ausblenden
map-show = Karte einblenden
map-recenter = Zentrieren
map-not-downloaded = Karte für dieses Gebiet nicht heruntergeladen
map-downloading = Karte wird geladen: { $percent } %
map-credit = © OpenStreetMap-Mitwirkende
map-stop = Stopp { $n }
map-parcels = { $n ->
        [one] { $n } Paket
       *[other] { $n } Pakete
    }
map-no-webgl = Dieses Gerät kann die Karte nicht zeichnen.
