app-title = Lastmile
lang-label = Limbă
nav-tour = Tură
nav-stop = Oprirea curentă

## connection card (start screen)
conn-checking = Se verifică conexiunea…
conn-connected = ● Conectat la serverul de sincronizare
conn-server = Server { $version } ({ $backend })
conn-offline = ● Offline — munca ta este salvată pe acest dispozitiv și va fi trimisă mai târziu
conn-not_configured = Niciun server de sincronizare configurat
conn-retry = Verifică din nou
device-opening = Se deschide baza de date locală…
device-label = Dispozitiv
device-ready = Baza de date locală este gata (schema { $schema })
device-app = Aplicație

## sign-in
signin-title = Autentificare
signin-driver_id = ID șofer
signin-pin = PIN
signin-enrolment_code = Cod de înregistrare (dispozitiv nou)
signin-submit = Autentificare
signin-busy = Se autentifică…
signin-mode = Mă conectez ca
signin-mode-driver = Șofer
signin-mode-station = Tabletă stație
signin-mode-supervisor = Însoțire pe traseu (supervizor)
signin-lead_id = ID șef de stație
signin-supervisor_id = ID supervizor
signin-signed_in_as = Conectat ca { $user }
station-title = Tabletă stație
ride-title = Însoțire pe traseu

## tour
tour-title = Tura ta
tour-none = Încă nu există nicio tură pe acest dispozitiv.
tour-download = Descarcă tura
tour-downloading = Se descarcă tura…
tour-progress = { $done } din { $total ->
        [one] { $total } oprire finalizată
        [few] { $total } opriri finalizate
       *[other] { $total } de opriri finalizate
    } · { $open ->
        [one] { $open } colet deschis
        [few] { $open } colete deschise
       *[other] { $open } de colete deschise
    }
tour-station = Depou { $name }
tour-start = La oprirea curentă
tour-finished = Toate opririle sunt finalizate. Bravo!
state-open = deschisă
state-arrived = sosit
state-done = finalizată
state-failed = nelivrată
state-skipped = sărită
parcel-pending = de livrat
parcel-delivered = livrat
parcel-failed = nelivrat
parcel-picked_up = ridicat
parcel-return = Retur
parcel-signature = Semnătură necesară
parcel-id_check = Verificare act / vârstă

## stop
stop-title = Oprirea { $n }
stop-notes = Indicații de acces:
stop-window = Interval orar: { $window }
stop-parcels = Colete
stop-deliver = Livrat
stop-fail = Nelivrat
stop-next = Oprirea următoare
stop-none = Nicio oprire deschisă: tura este finalizată.
stop-loading = Se încarcă oprirea…

## deliver dialog
deliver-title = Livrează { $id }
method-recipient = Destinatarului
method-neighbour = Unui vecin
method-safe_place = Loc sigur
method-parcel_shop = Punct de ridicare
deliver-name = Numele persoanei
deliver-house_number = Numărul casei vecinului
deliver-confirm = Confirmă livrarea
dialog-cancel = Anulează

## fail dialog
fail-title = Nelivrat: { $id }
fail-reason = Motiv
reason-nobody_home = Nimeni acasă
reason-refused = Refuzat
reason-damaged = Deteriorat
reason-address_not_found = Adresă negăsită
reason-no_access = Fără acces
reason-business_closed = Firmă închisă
reason-out_of_time = Fără timp
fail-card = Numărul avizului (din teancul tău)
fail-no_card = Fără aviz
fail-says = Pe aviz scrie
says-next_attempt = Vom încerca din nou
says-pick_up_at_station = Ridicare de la depou
fail-confirm = Înregistrează încercarea

## undo
undo-delivered = Înregistrat: { $id } livrat
undo-failed = Înregistrat: { $id } nelivrat
undo-button = Anulează
undo-done = Anulat: { $id } este din nou deschis
warn-far_from_stop = Înregistrat departe de oprire.
warn-out_of_order = Această oprire nu era următoarea în plan.
warn-outside_time_window = În afara intervalului orar.

## stop: guidance, scanning, proof, returns (stop screen and its dialogs)
stop-out_of_order = { $n ->
        [one] { $n } oprire planificată înaintea acesteia este încă deschisă.
        [few] { $n } opriri planificate înaintea acesteia sunt încă deschise.
       *[other] { $n } de opriri planificate înaintea acesteia sunt încă deschise.
    } Poți totuși lucra aici.
stop-arrive = Am ajuns
stop-skip = Sari deocamdată
stop-pick_up = Ridicat
guide-no_position = Încă nicio poziție.
guide-here = Ești la oprire.
guide-distance = { $dir ->
        [n] { $d } spre nord
        [ne] { $d } spre nord-est
        [e] { $d } spre est
        [se] { $d } spre sud-est
        [s] { $d } spre sud
        [sw] { $d } spre sud-vest
        [w] { $d } spre vest
       *[nw] { $d } spre nord-vest
    }
guide-eta = Sosire la { $t } · tura se termină la { $end }
guide-source-gps = GPS
guide-source-simulated = poziție simulată
guide-navigate = Navighează
guide-opened = Predat aplicației de hărți:
turn-depart = Pornește
turn-arrive = Sosire
turn-turn = Virează
turn-left = Virează la stânga
turn-right = Virează la dreapta
turn-slight_left = Ține ușor stânga
turn-slight_right = Ține ușor dreapta
turn-sharp_left = Virează strâns la stânga
turn-sharp_right = Virează strâns la dreapta
turn-straight = Mergi înainte
turn-uturn = Întoarce
turn-roundabout = Intră în sensul giratoriu
turn-continue = Continuă
turn-new_name = Continuă
turn-merge = Încadrează-te
turn-fork = La bifurcație
turn-end_of_road = La capătul drumului
turn-on_ramp = Intră pe rampă
turn-off_ramp = Ieși pe ieșire
turn-exit_roundabout = Ieși din sensul giratoriu
turn-exit_rotary = Ieși din sensul giratoriu
turn-roundabout_exit = În sensul giratoriu ia ieșirea { $n }
turn-with_way = { $what } ({ $way })
way-left = la stânga
way-right = la dreapta
way-slight_left = ușor la stânga
way-slight_right = ușor la dreapta
way-sharp_left = strâns la stânga
way-sharp_right = strâns la dreapta
way-straight = înainte
way-uturn = întoarcere
scan-picture = Scanează eticheta (cameră / imagine)
scan-placeholder = sau tastează numărul de urmărire
scan-check = Verifică
scan-this_stop = { $id } aparține acestei opriri.
scan-other_stop = { $id } nu este pentru această oprire: aparține opririi { $n }, { $address }.
scan-go_stop = La oprirea { $n }
scan-not_on_tour = { $id } ({ $courier }) nu este în tura de azi.
scan-take_return = Ia-l ca retur
photo-take = Fă sau alege o fotografie
photo-take_optional = Fotografie (opțional)
photo-remove = Elimină fotografia
sign-empty = Semnează aici cu degetul
sign-here = Semnat
sign-clear = Șterge
deliver-safe_place = Unde a fost lăsat?
deliver-shop = Punct de ridicare
deliver-id_checked = Am verificat actul / vârsta
fail-card_photo = Fotografia avizului din cutia poștală (opțional)
deliver-neighbour_card = Aviz pentru destinatar (numește vecinul):
says-at_parcel_shop = La un punct de ridicare
pickup-title = Ridică returul { $id }
pickup-hint = Preia coletul și verifică eticheta.
pickup-confirm = Înregistrează ridicarea
undo-picked_up = { $id } ridicat.
err-photo-unusable = Această imagine nu poate fi folosită ca fotografie.
hint-photo-unusable = Fă din nou fotografia sau alege o imagine JPEG sau PNG.
err-scan-nothing_found = Niciun cod de bare găsit în imagine.
hint-scan-nothing_found = Ține camera mai aproape de etichetă sau tastează numărul.
err-scan-unreadable = Imaginea nu poate fi citită.
err-tracking-empty = Tastează mai întâi un număr de urmărire.
err-tracking-check_digit = Acest număr de urmărire nu este valid: cifra de control nu se potrivește.
hint-tracking-check_digit = Compară-l cu eticheta cifră cu cifră sau scanează-l.
err-tracking-unknown_format = Acesta nu este un număr de urmărire cunoscut.
hint-tracking-unknown_format = Verifică numărul de pe etichetă sau scanează-l.
err-navigate-failed = Nu s-a putut deschide nicio aplicație de hărți.
hint-navigate-failed = Folosește distanța și direcția afișate aici sau deschide singur aplicația de hărți.
err-rule-photo_required = Este necesară o fotografie a locului sigur.
hint-rule-photo_required = Fotografiază locul unde ai lăsat coletul.
hint-rule-signature_required = Roagă destinatarul să semneze pe câmp.
err-rule-wrong_stop = Acest colet aparține altei opriri.
err-rule-already_picked_up = Acest retur a fost deja ridicat.
err-input-invalid = Datele introduse nu sunt valide.

## sync bar
sync-pending = { $n } de trimis
sync-all_sent = Totul trimis
sync-bytes = { $kb } KB fotografii
sync-last = ultima sincronizare { $time }
sync-never = încă nesincronizat
sync-offline = offline: păstrat pe dispozitiv, trimis la revenire
sync-not_signed_in = autentifică-te pentru a trimite
sync-others_pending = { $n ->
        [one] { $n } înregistrare a lui { $driver } de pe acest dispozitiv se trimite încă
        [few] { $n } înregistrări ale lui { $driver } de pe acest dispozitiv se trimit încă
       *[other] { $n } de înregistrări ale lui { $driver } de pe acest dispozitiv se trimit încă
    }
sync-rejected = { $n ->
        [one] { $n } înregistrare refuzată de server (păstrată pe acest dispozitiv; stația vede motivul)
        [few] { $n } înregistrări refuzate de server (păstrate pe acest dispozitiv; stația vede motivul)
       *[other] { $n } de înregistrări refuzate de server (păstrate pe acest dispozitiv; stația vede motivul)
    }
sync-now = Trimite acum
sync-oldest = cel mai vechi { $age }
sync-what_waits = Ce așteaptă
age-hm = { $h } h { $m } min
age-m = { $m } min
age-under_minute = < 1 min
waiting-at_stop = oprirea { $n }
waiting-stop_arrived = Sosit
waiting-parcel_delivered = Livrat
waiting-delivery_failed = Nelivrat
waiting-return_picked_up = Retur preluat
waiting-stop_skipped = Oprire sărită
waiting-outcome_undone = Anulat
waiting-outcome_corrected = Corectare
waiting-photo = Fotografie
waiting-signature_image = Semnătură
waiting-signature_strokes = Semnătură (trasee)
waiting-card_photo = Fotografia cardului

## errors: what happened
err-unknown = Ceva nu a mers bine.
err-details = Detalii tehnice (pentru asistență)
err-ui-not_in_app = Această pagină rulează în afara aplicației Lastmile.
err-server-unreachable = Serverul nu poate fi contactat.
err-server-not_configured = Niciun server de sincronizare nu este configurat.
err-server-error = Serverul a raportat o problemă.
err-sync-event_too_large = O înregistrare este prea mare pentru a fi trimisă; rămâne pe acest dispozitiv, iar următoarele sunt trimise.
err-auth-bad_credentials = ID-ul de șofer sau PIN-ul este greșit.
err-auth-bad_enrolment_code = Codul de înregistrare nu este valid.
err-auth-enrolment_code_missing = Acest dispozitiv este nou și are nevoie de un cod de înregistrare.
err-auth-not_signed_in = Nimeni nu este autentificat.
err-auth-expired = Autentificarea ta a expirat.
err-tour-not_found = Pe server nu există nicio tură pentru tine.
err-tour-none = Nicio tură nu este încărcată pe acest dispozitiv.
err-tour-invalid = Tura de pe server nu poate fi folosită.
err-rule-name_missing = Lipsește numele.
err-rule-house_number_missing = Lipsește numărul casei vecinului.
err-rule-method_not_allowed = Acest colet nu poate fi livrat astfel.
err-rule-signature_required = Acest colet necesită o semnătură.
err-rule-id_check_required = Acest colet necesită verificarea actului.
err-rule-card_required = Pentru acest motiv lasă un aviz.
err-rule-card_contradicts = Textul avizului nu se potrivește cu ce s-a întâmplat.
err-rule-already_delivered = Acest colet este deja livrat.
err-rule-undo_window_passed = Prea târziu pentru anulare.
err-rule-not_undoable = Acest lucru nu mai poate fi anulat.
err-card-malformed = Acesta nu este un număr de aviz.
err-card-not_issued = Acest aviz nu este din teancul tău.
err-card-already_used = Acest aviz a fost deja folosit.
err-store-full = Memoria dispozitivului este plină.
err-store-unavailable = Baza de date locală nu poate fi deschisă.
err-store-failed = Dispozitivul nu a putut salva acest lucru.

## errors: what to do
hint-generic = Încearcă din nou. Dacă se repetă, sună la depou.
hint-server-unreachable = Mergi într-un loc cu semnal și încearcă din nou. Munca înregistrată rămâne în siguranță pe acest dispozitiv.
hint-auth-bad_credentials = Verifică ID-ul de șofer și PIN-ul și încearcă din nou.
hint-auth-bad_enrolment_code = Cere depoului un cod de înregistrare actual.
hint-auth-enrolment_code_missing = Introdu codul de înregistrare de la depou.
hint-auth-expired = Autentifică-te din nou.
hint-auth-not_signed_in = Autentifică-te mai întâi.
hint-tour-not_found = Cere depoului să-ți atribuie o tură, apoi descarc-o din nou.
hint-rule-name_missing = Tastează numele persoanei care a primit coletul.
hint-rule-house_number_missing = Tastează numărul casei vecinului.
hint-rule-card_required = Alege un aviz din teancul tău.
hint-card-not_issued = Folosește un aviz din teancul primit la check-in.
hint-card-already_used = Ia următorul aviz din teancul tău.
hint-rule-undo_window_passed = Cere depoului să corecteze.
hint-store-full = Eliberează spațiu pe dispozitiv. Nimic din ce s-a înregistrat nu s-a pierdut.

## --- tour overview, end-of-tour summary, About, display settings (branch overview) ---
nav-about = Info
nav-summary = Rezumat
theme-contrast = Contrast ridicat pentru soare
theme-contrast_on = Contrast ridicat: pornit
theme-contrast_off = Contrast ridicat: oprit
search-label = Caută o oprire
search-placeholder = Adresă sau număr de urmărire
search-clear = Șterge căutarea
search-clear_short = Șterge
search-none = Nicio oprire nu corespunde cu „{ $q }”.
search-none_hint = Verifică ortografia sau tastează o parte din stradă ori ultimele cifre ale numărului de urmărire.
search-count = { $n } din { $total ->
        [one] { $total } oprire
        [few] { $total } opriri
       *[other] { $total } de opriri
    }
search-parcel = Colet
window-soon = Intervalul se termină curând
window-missed = Interval ratat
tour-summary = Rezumatul turei
tour-summary_now = Arată rezumatul turei
summary-title = Sfârșitul turei
summary-back = Înapoi la tură
summary-stops = { $done } din { $total ->
        [one] { $total } oprire finalizată
        [few] { $total } opriri finalizate
       *[other] { $total } de opriri finalizate
    }
summary-finished = Toate opririle sunt finalizate.
summary-not_finished = Unele opriri sunt încă deschise.
summary-delivered = Livrate
summary-failed = Nelivrate (încercate)
summary-not_attempted = Neîncercate
summary-cards_used = Avize folosite
summary-cards_unused = Avize rămase
summary-returns = Retururi la bord
summary-conflicts = Conflicte cu dispeceratul
summary-handback_title = Înapoi la depou
summary-handback = Predă { $parcels ->
        [one] { $parcels } colet
        [few] { $parcels } colete
       *[other] { $parcels } de colete
    }, { $returns ->
        [one] { $returns } retur
        [few] { $returns } retururi
       *[other] { $returns } de retururi
    } și { $cards ->
        [one] { $cards } aviz nefolosit
        [few] { $cards } avize nefolosite
       *[other] { $cards } de avize nefolosite
    }.
summary-conflicts_hint = Explică conflictele șefului de depou la check-out.
about-title = Despre Lastmile
about-display = Afișare
about-version = Versiunea aplicației
about-install_id = ID instalare
about-schema = Schema bazei de date
about-server = Server de sincronizare
about-credits = Surse
about-osm = Adrese și date de hartă © contribuitorii OpenStreetMap, disponibile sub Open Database Licence (ODbL 1.0)
about-licence = Licență
about-licence_text = Lastmile este licențiat sub { $licence }.
about-back = Înapoi

## Station tablet (issue 12)
station-board-title = Șoferii de azi
station-board-count = { $n ->
        [one] { $n } șofer azi
        [few] { $n } șoferi azi
       *[other] { $n } de șoferi azi
    }
station-board-loaded = { $loaded } din { $expected } încărcate
station-board-back = Panou
station-back = Înapoi
station-offline = Nicio conexiune la server: se vede ultima stare cunoscută. Tot ce înregistrați se păstrează și se trimite mai târziu.
station-pending = { $n ->
        [one] { $n } acțiune așteaptă trimiterea
        [few] { $n } acțiuni așteaptă trimiterea
       *[other] { $n } de acțiuni așteaptă trimiterea
    }
station-state-expected = Așteptat
station-state-checked_in = Înregistrat
station-state-inspecting = Inspecție
station-state-held = Blocat
station-state-loading = Încărcare
station-state-on_road = Pe traseu
station-state-back = Înapoi
station-state-closed = Închis
station-check_in-open = Înregistrează un șofer
station-check_in-title = Înregistrare
station-check_in-hint = Șoferul introduce ID-ul și PIN-ul. Tableta nu îl păstrează conectat.
station-pass-title = Înregistrare cu codul de pe telefonul șoferului
station-pass-hint = Șoferul deschide „Codul meu de înregistrare” pe telefon. Funcționează și fără Wi-Fi.
station-pass-camera = Scanați codul cu camera
station-pass-typed = Sau codul de la scanerul manual
station-code-show = Codul meu de înregistrare
station-code-hide = Ascunde codul de înregistrare
station-code-hint = Arătați acest cod camerei tabletei din depozit pentru înregistrare. Funcționează fără rețea.
station-code-alt = Cod de înregistrare (QR)
station-check_in-driver = ID șofer
station-check_in-pin = PIN
station-check_in-submit = Înregistrează
station-check_in-wait = Prea multe PIN-uri greșite pe această tabletă. Următorul PIN în { $s } s.
station-step-vehicle = Vehicul
station-step-cards = Avize
station-step-loadout = Încărcare
station-step-return = Întoarcere
station-step-closeout = Închidere
station-day-vehicle = Vehicul { $plate }
station-vehicle-plate = Număr de înmatriculare
station-vehicle-assign = Atribuie vehiculul
station-hold-title = Turul este blocat: defect de siguranță la { $plate }.
station-hold-what = Eliberați turul după reparație sau dați șoferului alt vehicul (necesită propria inspecție).
station-hold-repaired = Reparat: eliberează turul
station-hold-other_plate = Alt vehicul
station-hold-other = Atribuie celălalt vehicul
station-inspection-pre = Inspecție înainte de plecare { $plate }
station-inspection-post = Inspecție la întoarcere { $plate }
station-inspection-open_defects = Defecte deschise din inspecții anterioare:
station-inspection-mark_repaired = Marchează reparat
station-inspection-passed = Inspecție trecută.
station-inspection-safety = Siguranță
station-inspection-ok = În regulă
station-inspection-defect = Defect
station-inspection-note = Ce nu este în regulă?
station-inspection-photo = Fotografia defectului
station-inspection-photo_asked = Fotografie (cerută pentru acest punct)
station-inspection-submit = Salvează inspecția
station-item-tyres = Anvelope: profil, presiune, deteriorări
station-item-lights = Lumini: faruri, stop, semnalizare, avarie
station-item-brakes = Frâne
station-item-mirrors = Oglinzi
station-item-horn = Claxon
station-item-wipers = Parbriz și ștergătoare
station-item-leaks = Scurgeri de lichide
station-item-body_damage = Deteriorări caroserie
station-item-load_securing = Asigurarea încărcăturii
station-item-first_aid = Trusă de prim ajutor, triunghi
station-cards-title = Avize de notificare
station-cards-count = { $n ->
        [one] { $n } aviz
        [few] { $n } avize
       *[other] { $n } de avize
    }
station-cards-first = Primul aviz
station-cards-last = Ultimul aviz
station-cards-issue = Emite teancul
station-scan-label = Scanați sau tastați numărul de urmărire
station-scan-submit = Adaugă
station-loadout-title = Încărcare
station-loadout-missing = Încă nescanate, pe opriri
station-loadout-not_loaded = Neîncărcate
station-reason-missing_at_station = Lipsește din depozit
station-reason-damaged = Deteriorat
station-return-title = Întoarcere la depozit
station-return-expected = Încă așteptate înapoi
station-return-cards = Avize nefolosite (un aviz: doar primul număr)
station-return-cards_back = Primește avizele
station-return-discrepancies = Diferențe de explicat
station-return-why = De ce?
station-return-explain = Salvează
station-discrepancy-parcel_not_back = nici livrat, nici returnat
station-discrepancy-return_not_handed_in = retur ridicat, dar nepredat
station-discrepancy-card_missing = aviz nici folosit, nici returnat
station-closeout-title = Închiderea zilei
station-closeout-driver_signs = Semnătura șoferului
station-closeout-lead_signs = Semnătura șefului de depozit
station-closeout-sign = Semnează amândoi: închide ziua
station-closeout-failed_cards = Nelivrate cu aviz:
station-closeout-unexplained = { $n ->
        [one] { $n } diferență are nevoie de explicație.
        [few] { $n } diferențe au nevoie de explicație.
       *[other] { $n } de diferențe au nevoie de explicație.
    }
station-closeout-pending = Semnat. Închiderea se trimite de îndată ce există conexiune.
station-closeout-signed = Închidere semnată (versiunea { $version }). Nu se mai schimbă; o corectură este o versiune nouă.
station-figure-planned = Colete planificate
station-figure-loaded = Încărcate
station-figure-not_loaded = Neîncărcate
station-figure-delivered = Livrate
station-figure-failed = Nelivrate
station-figure-returns = Retururi ridicate
station-figure-back = Înapoi la depozit
station-figure-cards_issued = Avize emise
station-figure-cards_used = Avize folosite
station-figure-cards_returned = Avize returnate
station-figure-cards_missing = Avize lipsă
station-figure-discrepancies = Diferențe
station-figure-inspections = Inspecții
station-figure-defects = Defecte găsite
station-phone-held = Turul dumneavoastră este blocat
station-phone-what = Nu conduceți acest vehicul. Mergeți la șeful de depozit: eliberează turul după reparație sau vă dă alt vehicul.
station-mydays-title = Zilele mele
station-mydays-none = Încă nicio închidere semnată.
station-mydays-offline = Zilele mele apar când telefonul este conectat.
station-mydays-line = { $delivered } livrate, { $failed } nelivrate, { $back } înapoi la depozit, { $cards } avize folosite
station-mydays-signed = Semnat cu { $lead }
station-err-unknown_plate = Niciun vehicul cu acest număr în flotă: { $detail }
station-err-photo_not_expected = O fotografie poate însoți doar un punct al acestei inspecții: { $detail }
station-err-card_range_overlaps = Aceste avize se suprapun cu teancul altui șofer: { $detail }
station-err-bad_card_range = Acesta nu este un interval de avize: { $detail }
station-err-parcel_scanned_twice = Deja scanat: { $detail }
station-err-parcel_is_a_pickup = Este un retur de ridicat, nu un colet de încărcat: { $detail }
station-err-parcel_of_other_tour = Colet al altui tur – aparține de { $detail }
station-err-unknown_parcel = Acest colet nu este pe acest tur: { $detail }
station-err-card_not_issued = Acest aviz nu este în teancul șoferului: { $detail }
station-err-card_was_used = Acest aviz a fost lăsat la o oprire: { $detail }
station-err-cards_returned_twice = Acest aviz a fost deja primit înapoi: { $detail }
station-err-blank_explanation = Scrieți de ce nu se potrivește: { $detail }
station-err-blank_signature = Câmpul de semnătură este gol: semnează amândoi ({ $detail }).
station-err-unexplained_discrepancies = Explicați mai întâi fiecare diferență: { $detail }
station-err-no_tour_today = Acest șofer nu are tur azi: { $detail }
station-err-no_hold = Turul nu este blocat: { $detail }
station-err-check_in_offline = Înregistrarea cu PIN are nevoie de server; fără Wi-Fi, scanați codul de pe telefonul șoferului ({ $detail }).
station-err-no_pass_in_picture = Niciun cod de înregistrare în imagine; țineți telefonul mai aproape și nemișcat ({ $detail }).
station-err-not_a_pass = Acesta nu este un cod de înregistrare: { $detail }
station-err-unknown_pass = Acest cod nu este pentru o tură a acestui depozit pe { $detail }; înregistrați-vă cu PIN-ul.
station-err-no_pass_today = Încă niciun cod de înregistrare pentru tura de azi; conectați-vă o dată la rețea ({ $detail }).
station-err-offline_no_copy = Nicio conexiune și nimic păstrat încă pe tabletă ({ $detail }).
station-err-not_a_station_action = Tableta nu poate înregistra asta: { $detail }
station-err-tour_held = Turul este blocat: { $detail }
station-err-wrong_station = Acest șofer aparține altui depozit.
station-err-pin_locked = Prea multe PIN-uri greșite: așteptați un minut sau deblocați șoferul.
station-err-not_loaded = Ziua încă se încarcă.

# Supervisor ride-along (issue #13)
ride-assist-carried_parcels = Am cărat colete
ride-assist-talked_to_customer = Am vorbit cu clientul
ride-assist-other = Am ajutat altfel
ride-assist_title = Opriri cu ajutor
ride-assist_hint = Opririle la care ai ajutat nu intră în ritmul șoferului.
ride-back = Înapoi la tur
ride-banner_running = { $supervisor } te însoțește astăzi.
ride-banner_waiting = Fișe care așteaptă semnătura ta: { $n }
ride-cat-safety = Siguranță
ride-cat-customer_contact = Contact cu clientul
ride-cat-proof_quality = Calitatea dovezii
ride-cat-driving = Condus
ride-cat-handling = Manipularea coletelor
ride-cat-other = Altele
ride-category = Categorie
ride-comment = Comentariul tău (de acord sau nu)
ride-current = Acum
ride-driver_decline = Refuz să semnez
ride-driver_sign = Semnează fișa
ride-export = Exportă copia mea
ride-exported = Copie salvată: { $path }
ride-grade-trained = Instruit
ride-grade-proficient = Competent
ride-grade-needs_practice = Are nevoie de exercițiu
ride-grade-not_observed = Neobservat
ride-last = Ultima însoțire cu { $driver }
ride-my_records = Fișele mele de însoțire ({ $n })
ride-nav-checklist = Listă de verificare
ride-nav-end = Final
ride-nav-follow = Tur
ride-nav-observe = Notițele zilei
ride-no_drivers = Niciun șofer pe care îl însoțești nu are tur astăzi.
ride-no_template = Încă nu există listă de verificare pe acest telefon. Conectează-te o dată pentru a o descărca.
ride-notes = Note de coaching
ride-observations = Observații
ride-observe_at = Observație la oprirea { $n }
ride-observe_day = Observație pentru toată ziua
ride-observe_here = Adaugă o observație aici
ride-pace = Ritm (opriri / colete pe oră)
ride-pace_own = Ritmul tău, fără opririle cu ajutor: { $figures }
ride-pace_with = Inclusiv opririle cu ajutor: { $figures }
ride-parcels_done = Colete: { $done } din { $total } gata
ride-photo = Adaugă o fotografie
ride-pick = Alege șoferul pe care îl însoțești
ride-progress_at = Progresul șoferului la { $time }
ride-progress_never = Progresul șoferului nu a fost încă descărcat.
ride-record_by = Fișă de la { $supervisor }
ride-records_kept = Așa cum sunt păstrate pe acest telefon (fără conexiune).
ride-records_title = Fișele mele de însoțire
ride-refresh = Actualizează progresul șoferului
ride-riding_with = Îl însoțești pe { $driver }.
ride-save_observation = Salvează observația
ride-saved = Salvat.
ride-sign = Semnează și încheie însoțirea
ride-sign_hint = Semnează pentru a încheia însoțirea. Șoferul citește apoi fișa pe propriul telefon.
ride-sign_missing = Semnează mai întâi în câmp.
ride-start = Începe însoțirea
ride-status-running = În desfășurare
ride-status-awaiting_driver = Semnat de tine; așteaptă șoferul
ride-status-awaiting_you = Așteaptă semnătura ta
ride-status-signed = Semnat de amândoi
ride-status-declined = Șoferul a refuzat să semneze
ride-stop_title = Oprirea { $n }
ride-stops_done = Opriri: { $done } din { $total } gata
ride-summary = Observații: { $observations } · Note: { $grades } · Opriri cu ajutor: { $assisted }
ride-supervisor_not_signed = Încă nesemnat de supervizor.
ride-supervisor_signed = Semnat de supervizor.
ride-text = Ce ai observat
ride-whole_day = toată ziua
ride-you_declined = Ai refuzat să semnezi.
ride-you_signed = Ai semnat această fișă.
err-ride-blank_text = Scrie mai întâi ceva.
err-ride-blank_signature = Lipsește semnătura.
err-ride-signed = Această însoțire este semnată și nu mai primește înregistrări.
err-ride-supervisor_not_signed = Supervizorul nu a semnat încă această fișă.
err-ride-answered = Ai răspuns deja la această fișă.
err-ride-unknown = Această însoțire nu este pe acest telefon.
err-ride-grade_not_in_template = Această listă nu folosește această notă.
err-ride-unknown_item = Această listă nu are un astfel de punct.
err-ride-template_mismatch = Această fișă este notată după altă versiune a listei.
err-ride-text_too_long = Textul este prea lung.
err-ride-other_tour = Această însoțire aparține altui tur decât cel de pe telefon.

# Corrections (issue 14)
parcel-correct = Corectează
correct-title = Corectează { $id }
correct-recorded = Înregistrat:
correct-to_delivered = Livrat
correct-to_failed = Nelivrat
correct-note = De ce se corectează? (obligatoriu)
correct-confirm = Salvează corectura
correct-done = Corectura pentru { $id } a fost salvată. Originalul rămâne în istoric.
err-rule-not_correctable = Se poate corecta doar ultima livrare sau ultima încercare de livrare a unui colet.
err-rule-correction_reason_missing = Spune de ce se corectează rezultatul.
undo-remaining = Anulare: mai sunt { $s } s. După aceea, corectează la oprire.

# Conflicts shown and acknowledged (issue 14)
conflict-title = Modificări ale dispeceratului după înregistrarea ta
conflict-parcel_dropped = Dispecerat: noul plan nu mai conține acest colet.
conflict-parcel_moved = Dispeceratul a mutat acest colet la oprirea { $detail }.
conflict-stop_removed = Dispeceratul a eliminat această oprire; rămâne, pentru că ai înregistrat rezultate aici.
conflict-address_corrected = Dispeceratul a corectat adresa la { $detail }: verifică dacă coletele au ajuns la ușa potrivită.
conflict-not_loaded = Depozitul a marcat acest colet ca neîncărcat.
conflict-recorded = Ai înregistrat:
conflict-ack = Văzut

# ETA from the road (issue 14)
guide-eta-road = pe drum, mai sunt { $d }
guide-eta-straight = estimat în linie dreaptă

# Glove mode (issue 14)
theme-gloves_on = Mănuși: butoane mari, pornit
theme-gloves_off = Mănuși: butoane mari, oprit

# Parcel-shop card (issue 14)
deliver-shop_card = Aviz pentru destinatar (numește magazinul):
## Privacy (issue 16)
privacy-keys-in-files = Mod de test: cheile care protejează datele acestui dispozitiv sunt păstrate în fișiere, nu în depozitul de chei al dispozitivului. Nu îl folosiți pentru livrări reale.
# Blocks for independent (flex) drivers (issue 15).
offers-nav-offers = Oferte
offers-nav-earnings = Câștiguri
offers-nav-tour = Tură
offers-state-upcoming = se deschide curând
offers-state-open = deschisă pentru cereri
offers-state-closed = închisă
offers-title = Blocuri oferite
offers-reload = Actualizează
offers-how = Blocurile sunt împărțite printr-o tragere la sorți publicată după închiderea fiecărei runde; momentul cererii nu contează. Cum funcționează: docs/blocks-lottery.md.
offers-credit = Credit de echitate: { $n }
offers-none = Momentan nu sunt blocuri oferite.
offers-results = Rezultate
offers-verified = Verificat: acest telefon a recalculat tragerea și a obținut același rezultat.
offers-mismatch = NU CORESPUNDE: acest telefon a recalculat tragerea și a obținut alt rezultat. Anunțați stația.
offers-unchecked = Încă neverificat (fără conexiune).
offers-lost = Nu ați câștigat niciun bloc în această rundă.
offers-won = Ați câștigat: { $blocks }
offers-pseudonym = Numele dvs. în tragerea publicată: { $name }
offers-my-blocks = Blocurile mele
offers-round = Runda { $n }
offers-window = Deschisă { $opens }–{ $closes }
offers-commitment = Angajament { $hash }…
offers-places = Locuri: { $n }
offers-held = Cererea dvs.: { $blocks }
offers-send = Trimite cererea
offers-fair = Atingeți blocurile în ordinea dorită. Puteți schimba cererea până la închiderea rundei.
offers-status-won = Câștigat – vă rugăm confirmați
offers-status-confirmed = Confirmat
offers-status-released = Eliberat
offers-status-expired = Neconfirmat la timp
offers-confirm-by = Confirmați până la { $time }
offers-confirm = Confirmă
offers-release = Eliberează
offers-earnings-title = Câștiguri săptămâna aceasta
offers-week = Săptămâna din { $date }
offers-earnings-none = Încă niciun bloc lucrat săptămâna aceasta.
offers-earned-line = { $hours } h · { $stops } opriri · { $parcels } colete
offers-total = Total: { $pay } pentru { $hours } h
offers-export = Exportă (CSV și pagină de tipărit)
offers-signin-flex_id = ID șofer (flex)
offers-signin-mode-flex = Șofer independent (flex)

## Lockers and parcel shops as their own methods
method-locker = Locker
deliver-shop_name = Numele magazinului (opțional)
deliver-locker = ID-ul lockerului
deliver-compartment = Compartiment
deliver-pickup_code = Cod de ridicare (opțional)
deliver-locker_card = Aviz pentru destinatar (numește lockerul și compartimentul):
err-rule-shop_missing = Lipsește ID-ul punctului de ridicare.
hint-rule-shop_missing = Tastează ID-ul de pe firma magazinului sau din scaner.
err-rule-locker_missing = Lipsește ID-ul lockerului sau compartimentul.
hint-rule-locker_missing = Tastează ID-ul lockerului și numărul compartimentului.

## The driver's evidence bundle
evidence-title = Ziua mea ca dovadă
evidence-hint = Un fișier semnat al zilei tale: opriri, ore, poziții, rezultate, avize, corecturi, fotografii și semnături. Păstrează-l pentru o dispută despre un colet sau timpul de lucru.
evidence-none = Nu există nicio zi a ta pe acest dispozitiv.
evidence-day = Ziua
evidence-folder = Dosar
evidence-key = Cheia dispozitivului:
evidence-export = Exportă ziua mea
evidence-done = Exportat, { $files } fișiere:
err-evidence-not_yours = Această zi a fost înregistrată de alt șofer; doar el o poate exporta.
hint-evidence-not_yours = Doar șoferul care a înregistrat o zi o poate exporta.
err-evidence-failed = Fișierul nu a putut fi creat.
hint-evidence-failed = Încearcă din nou; dacă tot nu merge, anunță depozitul.
err-evidence-folder = Nu se poate scrie în dosar.
hint-evidence-folder = Alege un dosar în care poți scrie și verifică dacă memoria nu e plină.
## Security and privacy (issue 16): a server whose TLS certificate this device does not trust
err-server-untrusted = Acest dispozitiv nu are încredere în certificatul serverului.
hint-server-untrusted = Conexiunea a fost refuzată ca nimeni să nu poată asculta. Roagă stația să verifice adresa serverului și certificatul; munca înregistrată rămâne în siguranță pe acest dispozitiv.

## Station tablet: the audit trail (issue 16)
audit-open = Jurnal de acces
audit-title = Cine a citit ce
audit-intro = Fiecare citire a fotografiilor, semnăturilor, turei sau zilei unui șofer de către altcineva decât acel șofer, cele mai noi primele.
audit-empty = Nimeni nu a citit încă dovezile sau ziua unui șofer.
audit-line = { $who } ({ $role }) a citit { $what } lui { $driver }
audit-what-proof = un fișier de dovadă
audit-what-tour = tura
audit-what-day = ziua
audit-role-station = șef de stație
audit-role-supervisor = supervizor
audit-role-driver = șofer
audit-role-flex = șofer flex
## Service visits (issue 14)
service-kind-service = Vizită de service
service-kind-parcel_shop = Punct de colete
service-kind-pickup = Ridicare
service-title = Vizită de service
service-planned = Planificat: { $minutes } min
service-started-at = Început la { $time }
service-finished-at = Încheiat la { $time }
service-start = Începe vizita
service-checklist-hint = Răspundeți la fiecare punct: făcut sau nefăcut. O notă este opțională.
service-done = Făcut
service-not-done = Nefăcut
service-unanswered = Fără răspuns
service-note = Notă (opțional)
service-photo = Fotografie (opțional)
service-customer = Numele clientului
service-sign = Semnătura clientului (recepție)
service-finish = Încheie vizita
service-signed-by = Recepționat de { $name }
service-finished-notice = Vizita de service a fost înregistrată.
err-service-not_a_service_stop = Această oprire nu este o vizită de service.
err-service-already_started = Vizita a început deja.
err-service-not_started = Începeți mai întâi vizita.
err-service-already_finished = Această vizită este deja încheiată.
err-service-item_unanswered = Un punct din listă nu are încă răspuns.
err-service-unknown_item = Lista nu are acest punct.
err-service-item_twice = Un punct din listă are două răspunsuri.
err-service-name_missing = Lipsește numele clientului.
err-service-signature_missing = Lipsește semnătura clientului.
err-service-text_too_long = Textul este prea lung.
hint-service-item_unanswered = Marcați fiecare punct ca făcut sau nefăcut, apoi încheiați din nou.
hint-service-signature_missing = Rugați clientul să semneze pe câmp, apoi încheiați din nou.
## The offline map (issue 17)
map-title = Hartă
map-hide = Ascunde harta
map-show = Arată harta
map-recenter = Recentrează
map-not-downloaded = Harta nu este descărcată pentru această zonă
map-downloading = Se descarcă harta: { $percent } %
map-credit = © Contribuitorii OpenStreetMap
map-stop = Oprirea { $n }
map-parcels = { $n ->
        [one] { $n } colet
        [few] { $n } colete
       *[other] { $n } de colete
    }
map-no-webgl = Acest dispozitiv nu poate desena harta.
