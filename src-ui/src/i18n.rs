//! The one string catalog: every text on screen, in English and German, switchable at run
//! time. Error codes from the shell are translated here too (`err.<code>` and `hint.<code>`).

use leptos::prelude::*;

/// The languages the driver can pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }
}

/// The current language, shared through the Leptos context.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    /// Puts a new catalog handle (English first) into the context.
    pub fn provide() -> Self {
        let i = Self {
            lang: RwSignal::new(Lang::En),
        };
        provide_context(i);
        i
    }

    /// The translation of `key` in the current language (reactive). Unknown keys show
    /// themselves, which a unit test keeps from happening for the keys the screens use.
    pub fn t(&self, key: &str) -> &'static str {
        let lang = self.lang.get();
        lookup(key).map_or("?", |(en, de)| if lang == Lang::De { de } else { en })
    }

    /// Like [`t`](Self::t), with `{name}` placeholders filled in.
    pub fn tf(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut s = self.t(key).to_owned();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// Whether the catalog has `key` (for optional texts such as error hints).
    pub fn has(&self, key: &str) -> bool {
        lookup(key).is_some()
    }
}

/// The catalog handle from the context.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(I18n::provide)
}

/// (key, English, German)
const CATALOG: &[(&str, &str, &str)] = &[
    ("app.title", "Lastmile", "Lastmile"),
    ("lang.toggle", "Deutsch", "English"),
    ("nav.tour", "Tour", "Tour"),
    ("nav.stop", "Current stop", "Aktueller Stopp"),
    // connection card (start screen)
    (
        "conn.checking",
        "Checking the connection…",
        "Verbindung wird geprüft…",
    ),
    (
        "conn.connected",
        "● Connected to the sync server",
        "● Mit dem Sync-Server verbunden",
    ),
    ("conn.server", "Server", "Server"),
    (
        "conn.offline",
        "● Offline — your work is saved on this device and will be sent later",
        "● Offline — deine Arbeit ist auf diesem Gerät gespeichert und wird später gesendet",
    ),
    (
        "conn.not_configured",
        "No sync server configured",
        "Kein Sync-Server eingerichtet",
    ),
    ("conn.retry", "Check again", "Erneut prüfen"),
    (
        "device.opening",
        "Opening the local database…",
        "Lokale Datenbank wird geöffnet…",
    ),
    ("device.label", "Device", "Gerät"),
    (
        "device.ready",
        "Local database ready (schema",
        "Lokale Datenbank bereit (Schema",
    ),
    ("device.app", "App", "App"),
    // sign-in
    ("signin.title", "Sign in", "Anmelden"),
    ("signin.driver_id", "Driver ID", "Fahrer-ID"),
    ("signin.pin", "PIN", "PIN"),
    (
        "signin.enrolment_code",
        "Enrolment code (new device)",
        "Registrierungscode (neues Gerät)",
    ),
    ("signin.submit", "Sign in", "Anmelden"),
    ("signin.busy", "Signing in…", "Anmeldung läuft…"),
    // tour
    ("tour.title", "Your tour", "Deine Tour"),
    (
        "tour.none",
        "No tour on this device yet.",
        "Noch keine Tour auf diesem Gerät.",
    ),
    ("tour.download", "Download tour", "Tour herunterladen"),
    (
        "tour.downloading",
        "Downloading the tour…",
        "Tour wird heruntergeladen…",
    ),
    (
        "tour.progress",
        "{done} of {total} stops done · {open} parcels open",
        "{done} von {total} Stopps erledigt · {open} Pakete offen",
    ),
    ("tour.station", "Station", "Depot"),
    ("tour.start", "Go to current stop", "Zum aktuellen Stopp"),
    (
        "tour.finished",
        "All stops done. Well done!",
        "Alle Stopps erledigt. Gut gemacht!",
    ),
    ("state.open", "open", "offen"),
    ("state.arrived", "arrived", "angekommen"),
    ("state.done", "done", "erledigt"),
    ("state.failed", "failed", "nicht zugestellt"),
    ("state.skipped", "skipped", "übersprungen"),
    ("parcel.pending", "to deliver", "zuzustellen"),
    ("parcel.delivered", "delivered", "zugestellt"),
    ("parcel.failed", "not delivered", "nicht zugestellt"),
    ("parcel.picked_up", "picked up", "abgeholt"),
    ("parcel.return", "Return", "Retoure"),
    (
        "parcel.signature",
        "Signature required",
        "Unterschrift nötig",
    ),
    (
        "parcel.id_check",
        "ID / age check",
        "Ausweis- / Altersprüfung",
    ),
    // stop
    ("stop.title", "Stop {n}", "Stopp {n}"),
    ("stop.notes", "Access notes", "Zugangshinweise"),
    ("stop.window", "Time window", "Zeitfenster"),
    ("stop.parcels", "Parcels", "Pakete"),
    ("stop.deliver", "Delivered", "Zugestellt"),
    ("stop.fail", "Not delivered", "Nicht zugestellt"),
    ("stop.next", "Next stop", "Nächster Stopp"),
    (
        "stop.none",
        "No open stop: the tour is done.",
        "Kein offener Stopp: die Tour ist erledigt.",
    ),
    ("stop.loading", "Loading the stop…", "Stopp wird geladen…"),
    // deliver dialog
    ("deliver.title", "Deliver {id}", "Zustellen {id}"),
    ("method.recipient", "To the recipient", "An Empfänger"),
    ("method.neighbour", "To a neighbour", "An Nachbarn"),
    ("method.safe_place", "Safe place", "Ablageort"),
    (
        "method.parcel_shop",
        "Parcel shop / locker",
        "Paketshop / Packstation",
    ),
    ("deliver.name", "Name of the person", "Name der Person"),
    (
        "deliver.house_number",
        "Neighbour's house number",
        "Hausnummer des Nachbarn",
    ),
    (
        "deliver.confirm",
        "Confirm delivery",
        "Zustellung bestätigen",
    ),
    ("dialog.cancel", "Cancel", "Abbrechen"),
    // fail dialog
    (
        "fail.title",
        "Not delivered: {id}",
        "Nicht zugestellt: {id}",
    ),
    ("fail.reason", "Reason", "Grund"),
    ("reason.nobody_home", "Nobody home", "Niemand angetroffen"),
    ("reason.refused", "Refused", "Annahme verweigert"),
    ("reason.damaged", "Damaged", "Beschädigt"),
    (
        "reason.address_not_found",
        "Address not found",
        "Adresse nicht gefunden",
    ),
    ("reason.no_access", "No access", "Kein Zugang"),
    (
        "reason.business_closed",
        "Business closed",
        "Geschäft geschlossen",
    ),
    ("reason.out_of_time", "Out of time", "Keine Zeit mehr"),
    (
        "fail.card",
        "Notification card number (from your stack)",
        "Nummer der Benachrichtigungskarte (aus deinem Stapel)",
    ),
    ("fail.no_card", "No card", "Keine Karte"),
    ("fail.says", "The card says", "Auf der Karte steht"),
    (
        "says.next_attempt",
        "We will try again",
        "Neuer Zustellversuch",
    ),
    (
        "says.pick_up_at_station",
        "Pick up at the station",
        "Abholung im Depot",
    ),
    ("fail.confirm", "Record attempt", "Versuch erfassen"),
    // undo
    (
        "undo.delivered",
        "Recorded: {id} delivered",
        "Erfasst: {id} zugestellt",
    ),
    (
        "undo.failed",
        "Recorded: {id} not delivered",
        "Erfasst: {id} nicht zugestellt",
    ),
    ("undo.button", "Undo", "Rückgängig"),
    (
        "undo.done",
        "Undone: {id} is open again",
        "Rückgängig: {id} ist wieder offen",
    ),
    (
        "warn.far_from_stop",
        "Recorded far from the stop.",
        "Weit vom Stopp entfernt erfasst.",
    ),
    (
        "warn.out_of_order",
        "This stop was not next in the plan.",
        "Dieser Stopp war laut Plan nicht der nächste.",
    ),
    (
        "warn.outside_time_window",
        "Outside the time window.",
        "Außerhalb des Zeitfensters.",
    ),
    // stop: guidance, scanning, proof, returns (stop screen and its dialogs)
    (
        "stop.out_of_order",
        "{n} stop(s) planned before this one are still open. You can still work here.",
        "{n} Stopp(s) davor sind laut Plan noch offen. Sie können trotzdem hier arbeiten.",
    ),
    ("stop.arrive", "I am here", "Ich bin da"),
    ("stop.skip", "Skip for now", "Vorerst überspringen"),
    ("stop.pick_up", "Picked up", "Abgeholt"),
    (
        "guide.no_position",
        "No position yet.",
        "Noch keine Position.",
    ),
    ("guide.here", "You are at the stop.", "Sie sind am Stopp."),
    ("guide.distance", "{d} to the {dir}", "{d} Richtung {dir}"),
    (
        "guide.eta",
        "There at {t} · tour ends {end}",
        "Ankunft {t} · Tourende {end}",
    ),
    ("guide.source.gps", "GPS", "GPS"),
    (
        "guide.source.simulated",
        "simulated position",
        "simulierte Position",
    ),
    ("guide.navigate", "Navigate", "Navigation starten"),
    (
        "guide.opened",
        "Handed to the maps app:",
        "An die Karten-App übergeben:",
    ),
    ("dir.n", "north", "Norden"),
    ("dir.ne", "north-east", "Nordosten"),
    ("dir.e", "east", "Osten"),
    ("dir.se", "south-east", "Südosten"),
    ("dir.s", "south", "Süden"),
    ("dir.sw", "south-west", "Südwesten"),
    ("dir.w", "west", "Westen"),
    ("dir.nw", "north-west", "Nordwesten"),
    ("turn.depart", "Start", "Losfahren"),
    ("turn.arrive", "Arrive", "Ankunft"),
    ("turn.turn", "Turn", "Abbiegen"),
    ("turn.left", "Turn left", "Links abbiegen"),
    ("turn.right", "Turn right", "Rechts abbiegen"),
    (
        "turn.slight_left",
        "Keep slightly left",
        "Leicht links halten",
    ),
    (
        "turn.slight_right",
        "Keep slightly right",
        "Leicht rechts halten",
    ),
    (
        "turn.sharp_left",
        "Turn sharp left",
        "Scharf links abbiegen",
    ),
    (
        "turn.sharp_right",
        "Turn sharp right",
        "Scharf rechts abbiegen",
    ),
    ("turn.straight", "Go straight on", "Geradeaus"),
    ("turn.uturn", "Make a U-turn", "Wenden"),
    (
        "turn.roundabout",
        "Take the roundabout",
        "In den Kreisverkehr",
    ),
    ("turn.continue", "Continue", "Weiterfahren"),
    ("turn.new_name", "Continue", "Weiterfahren"),
    ("turn.merge", "Merge", "Einfädeln"),
    ("turn.fork", "Take the fork", "An der Gabelung"),
    (
        "turn.end_of_road",
        "At the end of the road",
        "Am Ende der Straße",
    ),
    ("turn.on_ramp", "Take the ramp", "Auffahrt nehmen"),
    ("turn.off_ramp", "Take the exit", "Ausfahrt nehmen"),
    (
        "turn.exit_roundabout",
        "Leave the roundabout",
        "Kreisverkehr verlassen",
    ),
    (
        "turn.exit_rotary",
        "Leave the roundabout",
        "Kreisverkehr verlassen",
    ),
    (
        "turn.roundabout_exit",
        "At the roundabout take exit {n}",
        "Im Kreisverkehr die {n}. Ausfahrt nehmen",
    ),
    ("turn.with_way", "{what} ({way})", "{what} ({way})"),
    ("way.left", "left", "links"),
    ("way.right", "right", "rechts"),
    ("way.slight_left", "slightly left", "leicht links"),
    ("way.slight_right", "slightly right", "leicht rechts"),
    ("way.sharp_left", "sharp left", "scharf links"),
    ("way.sharp_right", "sharp right", "scharf rechts"),
    ("way.straight", "straight on", "geradeaus"),
    ("way.uturn", "U-turn", "wenden"),
    (
        "scan.picture",
        "Scan label (camera / picture)",
        "Etikett scannen (Kamera / Bild)",
    ),
    (
        "scan.placeholder",
        "or type the tracking number",
        "oder Sendungsnummer eingeben",
    ),
    ("scan.check", "Check", "Prüfen"),
    (
        "scan.this_stop",
        "{id} belongs to this stop.",
        "{id} gehört zu diesem Stopp.",
    ),
    (
        "scan.other_stop",
        "{id} is not for this stop: it belongs to stop {n}, {address}.",
        "{id} ist nicht für diesen Stopp: Es gehört zu Stopp {n}, {address}.",
    ),
    ("scan.go_stop", "Go to stop {n}", "Zu Stopp {n}"),
    (
        "scan.not_on_tour",
        "{id} ({courier}) is not on today's tour.",
        "{id} ({courier}) ist nicht auf der heutigen Tour.",
    ),
    (
        "scan.take_return",
        "Take it as a return",
        "Als Retoure mitnehmen",
    ),
    (
        "photo.take",
        "Take or choose a photo",
        "Foto aufnehmen oder wählen",
    ),
    ("photo.take_optional", "Photo (optional)", "Foto (optional)"),
    ("photo.remove", "Remove photo", "Foto entfernen"),
    (
        "sign.empty",
        "Sign here with a finger",
        "Hier mit dem Finger unterschreiben",
    ),
    ("sign.here", "Signed", "Unterschrieben"),
    ("sign.clear", "Clear", "Löschen"),
    (
        "deliver.safe_place",
        "Where was it left?",
        "Wo wurde es abgelegt?",
    ),
    ("deliver.shop", "Parcel shop", "Paketshop"),
    (
        "deliver.id_checked",
        "I checked the ID / age",
        "Ausweis / Alter geprüft",
    ),
    (
        "fail.card_photo",
        "Photo of the card in the mailbox (optional)",
        "Foto der Karte im Briefkasten (optional)",
    ),
    (
        "deliver.neighbour_card",
        "Card for the recipient (it names the neighbour):",
        "Karte für den Empfänger (nennt den Nachbarn):",
    ),
    ("says.at_parcel_shop", "At a parcel shop", "Im Paketshop"),
    (
        "pickup.title",
        "Pick up return {id}",
        "Retoure {id} abholen",
    ),
    (
        "pickup.hint",
        "Take the parcel and check the label.",
        "Paket annehmen und Etikett prüfen.",
    ),
    ("pickup.confirm", "Record pick-up", "Abholung erfassen"),
    ("undo.picked_up", "Picked up {id}.", "{id} abgeholt."),
    (
        "err.photo.unusable",
        "This picture cannot be used as a photo.",
        "Dieses Bild kann nicht als Foto verwendet werden.",
    ),
    (
        "hint.photo.unusable",
        "Take the photo again, or choose a JPEG or PNG picture.",
        "Foto neu aufnehmen oder ein JPEG- bzw. PNG-Bild wählen.",
    ),
    (
        "err.scan.nothing_found",
        "No barcode found in the picture.",
        "Kein Barcode im Bild gefunden.",
    ),
    (
        "hint.scan.nothing_found",
        "Hold the camera closer to the label, or type the number.",
        "Kamera näher ans Etikett halten oder die Nummer eingeben.",
    ),
    (
        "err.scan.unreadable",
        "The picture cannot be read.",
        "Das Bild kann nicht gelesen werden.",
    ),
    (
        "err.tracking.empty",
        "Type a tracking number first.",
        "Bitte zuerst eine Sendungsnummer eingeben.",
    ),
    (
        "err.tracking.check_digit",
        "This tracking number is not valid: its check digit does not match.",
        "Diese Sendungsnummer ist ungültig: Die Prüfziffer passt nicht.",
    ),
    (
        "hint.tracking.check_digit",
        "Compare it with the label digit by digit, or scan it.",
        "Ziffer für Ziffer mit dem Etikett vergleichen oder scannen.",
    ),
    (
        "err.tracking.unknown_format",
        "This is not a tracking number we know.",
        "Das ist keine bekannte Sendungsnummer.",
    ),
    (
        "hint.tracking.unknown_format",
        "Check the number on the label, or scan it.",
        "Nummer auf dem Etikett prüfen oder scannen.",
    ),
    (
        "err.navigate.failed",
        "No maps app could be opened.",
        "Es konnte keine Karten-App geöffnet werden.",
    ),
    (
        "hint.navigate.failed",
        "Use the distance and direction shown here, or open your maps app by hand.",
        "Entfernung und Richtung hier nutzen oder die Karten-App selbst öffnen.",
    ),
    (
        "err.rule.photo_required",
        "A photo of the safe place is required.",
        "Ein Foto des Ablageorts ist nötig.",
    ),
    (
        "hint.rule.photo_required",
        "Take a photo of where you left the parcel.",
        "Fotografieren Sie, wo Sie das Paket abgelegt haben.",
    ),
    (
        "hint.rule.signature_required",
        "Let the recipient sign on the pad.",
        "Lassen Sie den Empfänger auf dem Feld unterschreiben.",
    ),
    (
        "err.rule.wrong_stop",
        "This parcel belongs to another stop.",
        "Dieses Paket gehört zu einem anderen Stopp.",
    ),
    (
        "err.rule.already_picked_up",
        "This return was already picked up.",
        "Diese Retoure wurde bereits abgeholt.",
    ),
    (
        "err.input.invalid",
        "The entry is not valid.",
        "Die Eingabe ist ungültig.",
    ),
    // sync bar
    ("sync.pending", "{n} to send", "{n} zu senden"),
    ("sync.all_sent", "All sent", "Alles gesendet"),
    ("sync.bytes", "{kb} KB photos", "{kb} KB Fotos"),
    ("sync.last", "last sync {time}", "letzter Sync {time}"),
    ("sync.never", "not synced yet", "noch nicht synchronisiert"),
    (
        "sync.offline",
        "offline: kept on this device, sent when back",
        "offline: auf dem Gerät gespeichert, wird später gesendet",
    ),
    (
        "sync.not_signed_in",
        "sign in to send",
        "zum Senden anmelden",
    ),
    (
        "sync.others_pending",
        "{n} records of {driver} on this device are still being sent",
        "{n} Einträge von {driver} auf diesem Gerät werden noch gesendet",
    ),
    ("sync.now", "Sync now", "Jetzt senden"),
    // errors: what happened
    (
        "err.unknown",
        "Something went wrong.",
        "Etwas ist schiefgelaufen.",
    ),
    (
        "err.details",
        "Technical details (for support)",
        "Technische Details (für den Support)",
    ),
    (
        "err.ui.not_in_app",
        "This page runs outside the Lastmile app.",
        "Diese Seite läuft außerhalb der Lastmile-App.",
    ),
    (
        "err.server.unreachable",
        "The server cannot be reached.",
        "Der Server ist nicht erreichbar.",
    ),
    (
        "err.server.not_configured",
        "No sync server is configured.",
        "Kein Sync-Server eingerichtet.",
    ),
    (
        "err.server.error",
        "The server reported a problem.",
        "Der Server meldet ein Problem.",
    ),
    (
        "err.auth.bad_credentials",
        "Driver ID or PIN is wrong.",
        "Fahrer-ID oder PIN ist falsch.",
    ),
    (
        "err.auth.bad_enrolment_code",
        "The enrolment code is not valid.",
        "Der Registrierungscode ist ungültig.",
    ),
    (
        "err.auth.enrolment_code_missing",
        "This device is new and needs an enrolment code.",
        "Dieses Gerät ist neu und braucht einen Registrierungscode.",
    ),
    (
        "err.auth.not_signed_in",
        "Nobody is signed in.",
        "Niemand ist angemeldet.",
    ),
    (
        "err.auth.expired",
        "Your sign-in has expired.",
        "Deine Anmeldung ist abgelaufen.",
    ),
    (
        "err.tour.not_found",
        "There is no tour for you on the server.",
        "Auf dem Server gibt es keine Tour für dich.",
    ),
    (
        "err.tour.none",
        "No tour is loaded on this device.",
        "Auf diesem Gerät ist keine Tour geladen.",
    ),
    (
        "err.tour.invalid",
        "The tour from the server cannot be used.",
        "Die Tour vom Server ist nicht verwendbar.",
    ),
    (
        "err.rule.name_missing",
        "The name is missing.",
        "Der Name fehlt.",
    ),
    (
        "err.rule.house_number_missing",
        "The neighbour's house number is missing.",
        "Die Hausnummer des Nachbarn fehlt.",
    ),
    (
        "err.rule.method_not_allowed",
        "This parcel may not be delivered this way.",
        "Dieses Paket darf so nicht zugestellt werden.",
    ),
    (
        "err.rule.signature_required",
        "This parcel needs a signature.",
        "Dieses Paket braucht eine Unterschrift.",
    ),
    (
        "err.rule.id_check_required",
        "This parcel needs an ID check.",
        "Dieses Paket braucht eine Ausweisprüfung.",
    ),
    (
        "err.rule.card_required",
        "Leave a notification card for this reason.",
        "Bei diesem Grund muss eine Benachrichtigungskarte eingeworfen werden.",
    ),
    (
        "err.rule.card_contradicts",
        "The card text does not fit what happened.",
        "Der Kartentext passt nicht zum Geschehen.",
    ),
    (
        "err.rule.already_delivered",
        "This parcel is already delivered.",
        "Dieses Paket ist schon zugestellt.",
    ),
    (
        "err.rule.undo_window_passed",
        "Too late to undo.",
        "Zu spät zum Rückgängigmachen.",
    ),
    (
        "err.rule.not_undoable",
        "This can no longer be undone.",
        "Das kann nicht mehr rückgängig gemacht werden.",
    ),
    (
        "err.card.malformed",
        "That is not a card number.",
        "Das ist keine Kartennummer.",
    ),
    (
        "err.card.not_issued",
        "This card is not from your stack.",
        "Diese Karte ist nicht aus deinem Stapel.",
    ),
    (
        "err.card.already_used",
        "This card was already used.",
        "Diese Karte wurde schon benutzt.",
    ),
    (
        "err.store.full",
        "The device storage is full.",
        "Der Gerätespeicher ist voll.",
    ),
    (
        "err.store.unavailable",
        "The local database cannot be opened.",
        "Die lokale Datenbank lässt sich nicht öffnen.",
    ),
    (
        "err.store.failed",
        "The device could not save this.",
        "Das Gerät konnte das nicht speichern.",
    ),
    // errors: what to do
    (
        "hint.generic",
        "Try again. If it keeps happening, call your station.",
        "Versuche es erneut. Wenn es wieder passiert, ruf dein Depot an.",
    ),
    (
        "hint.server.unreachable",
        "Move to a place with signal and try again. Recorded work stays safe on this device.",
        "Geh an einen Ort mit Empfang und versuche es erneut. Erfasste Arbeit bleibt auf dem Gerät sicher.",
    ),
    (
        "hint.auth.bad_credentials",
        "Check your driver ID and PIN and try again.",
        "Prüfe Fahrer-ID und PIN und versuche es erneut.",
    ),
    (
        "hint.auth.bad_enrolment_code",
        "Ask your station for a current enrolment code.",
        "Frag dein Depot nach einem aktuellen Registrierungscode.",
    ),
    (
        "hint.auth.enrolment_code_missing",
        "Enter the enrolment code from your station.",
        "Gib den Registrierungscode von deinem Depot ein.",
    ),
    (
        "hint.auth.expired",
        "Sign in again.",
        "Melde dich erneut an.",
    ),
    (
        "hint.auth.not_signed_in",
        "Sign in first.",
        "Melde dich zuerst an.",
    ),
    (
        "hint.tour.not_found",
        "Ask your station to assign you a tour, then download again.",
        "Bitte dein Depot, dir eine Tour zuzuweisen, und lade erneut.",
    ),
    (
        "hint.rule.name_missing",
        "Type the name of the person who took the parcel.",
        "Gib den Namen der Person ein, die das Paket angenommen hat.",
    ),
    (
        "hint.rule.house_number_missing",
        "Type the neighbour's house number.",
        "Gib die Hausnummer des Nachbarn ein.",
    ),
    (
        "hint.rule.card_required",
        "Pick a card from your stack.",
        "Wähle eine Karte aus deinem Stapel.",
    ),
    (
        "hint.card.not_issued",
        "Use a card from the stack you got at check-in.",
        "Nimm eine Karte aus dem Stapel vom Check-in.",
    ),
    (
        "hint.card.already_used",
        "Take the next card from your stack.",
        "Nimm die nächste Karte aus deinem Stapel.",
    ),
    (
        "hint.rule.undo_window_passed",
        "Ask your station to correct it.",
        "Bitte dein Depot um eine Korrektur.",
    ),
    (
        "hint.store.full",
        "Free space on the device. Nothing recorded was lost.",
        "Schaffe Platz auf dem Gerät. Nichts Erfasste ging verloren.",
    ),
    // --- tour overview, end-of-tour summary, About, display settings (branch overview) ---
    ("nav.about", "Info", "Info"),
    ("nav.summary", "Summary", "Bilanz"),
    (
        "theme.contrast",
        "High contrast for sunlight",
        "Hoher Kontrast für Sonnenlicht",
    ),
    (
        "theme.contrast_on",
        "High contrast: on",
        "Hoher Kontrast: an",
    ),
    (
        "theme.contrast_off",
        "High contrast: off",
        "Hoher Kontrast: aus",
    ),
    ("search.label", "Find a stop", "Stopp suchen"),
    (
        "search.placeholder",
        "Address or tracking number",
        "Adresse oder Sendungsnummer",
    ),
    ("search.clear", "Clear search", "Suche löschen"),
    ("search.clear_short", "Clear", "Löschen"),
    (
        "search.none",
        "No stop matches “{q}”.",
        "Kein Stopp passt zu „{q}“.",
    ),
    (
        "search.none_hint",
        "Check the spelling, or type part of the street or the last digits of the tracking number.",
        "Prüfe die Schreibweise oder gib einen Teil der Straße oder die letzten Ziffern der Sendungsnummer ein.",
    ),
    (
        "search.count",
        "{n} of {total} stops",
        "{n} von {total} Stopps",
    ),
    ("search.parcel", "Parcel", "Paket"),
    ("window.soon", "Window ends soon", "Zeitfenster endet bald"),
    ("window.missed", "Window missed", "Zeitfenster verpasst"),
    ("tour.summary", "End-of-tour summary", "Tourabschluss"),
    (
        "tour.summary_now",
        "Show the end-of-tour summary",
        "Tourabschluss anzeigen",
    ),
    ("summary.title", "End of tour", "Tourabschluss"),
    ("summary.back", "Back to the tour", "Zurück zur Tour"),
    (
        "summary.stops",
        "{done} of {total} stops done",
        "{done} von {total} Stopps erledigt",
    ),
    (
        "summary.finished",
        "All stops done.",
        "Alle Stopps erledigt.",
    ),
    (
        "summary.not_finished",
        "Some stops are still open.",
        "Es sind noch Stopps offen.",
    ),
    ("summary.delivered", "Delivered", "Zugestellt"),
    (
        "summary.failed",
        "Not delivered (attempted)",
        "Nicht zugestellt (Versuch)",
    ),
    ("summary.not_attempted", "Not attempted", "Nicht versucht"),
    ("summary.cards_used", "Cards used", "Karten benutzt"),
    ("summary.cards_unused", "Cards left", "Karten übrig"),
    ("summary.returns", "Returns on board", "Retouren an Bord"),
    (
        "summary.conflicts",
        "Conflicts with dispatch",
        "Konflikte mit der Disposition",
    ),
    (
        "summary.handback_title",
        "Back to the station",
        "Zurück ins Depot",
    ),
    (
        "summary.handback",
        "Hand back {parcels} parcels, {returns} returns and {cards} unused cards.",
        "Gib {parcels} Pakete, {returns} Retouren und {cards} unbenutzte Karten ab.",
    ),
    (
        "summary.conflicts_hint",
        "Explain the conflicts to your station lead at check-out.",
        "Erkläre die Konflikte beim Check-out deiner Depotleitung.",
    ),
    ("about.title", "About Lastmile", "Über Lastmile"),
    ("about.display", "Display", "Anzeige"),
    ("about.version", "App version", "App-Version"),
    ("about.install_id", "Installation ID", "Installations-ID"),
    ("about.schema", "Database schema", "Datenbankschema"),
    ("about.server", "Sync server", "Sync-Server"),
    ("about.credits", "Credits", "Quellen"),
    (
        "about.osm",
        "Addresses and map data © OpenStreetMap contributors, available under the Open Database Licence (ODbL 1.0)",
        "Adressen und Kartendaten © OpenStreetMap-Mitwirkende, verfügbar unter der Open Database Licence (ODbL 1.0)",
    ),
    ("about.licence", "Licence", "Lizenz"),
    (
        "about.licence_text",
        "Lastmile is licensed under {licence}.",
        "Lastmile steht unter der Lizenz {licence}.",
    ),
    ("about.back", "Back", "Zurück"),
];

fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    CATALOG
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, de)| (*en, *de))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_unique_and_has_both_languages() {
        for (i, (key, en, de)) in CATALOG.iter().enumerate() {
            assert!(
                !en.is_empty() && !de.is_empty(),
                "{key} is missing a language"
            );
            assert!(
                CATALOG[..i].iter().all(|(k, _, _)| k != key),
                "{key} appears twice"
            );
        }
    }

    #[test]
    fn every_key_the_screens_use_is_in_the_catalog() {
        let sources = [
            include_str!("app.rs"),
            include_str!("pages/sign_in.rs"),
            include_str!("pages/tour.rs"),
            include_str!("pages/stop.rs"),
            include_str!("components/status_card.rs"),
            include_str!("components/sync_bar.rs"),
            include_str!("components/error_box.rs"),
            include_str!("components/dialogs.rs"),
            include_str!("components/guidance.rs"),
            include_str!("components/photo.rs"),
            include_str!("components/scan.rs"),
            include_str!("components/signature.rs"),
        ];
        for src in sources {
            for part in src
                .split(".t(\"")
                .skip(1)
                .chain(src.split(".tf(\"").skip(1))
            {
                let key = &part[..part.find('"').unwrap_or(0)];
                assert!(lookup(key).is_some(), "{key:?} is not in the catalog");
            }
        }
    }
}
