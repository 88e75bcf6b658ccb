app-title = Lastmile
lang-label = Język
nav-tour = Trasa
nav-stop = Bieżący przystanek

## connection card (start screen)
conn-checking = Sprawdzanie połączenia…
conn-connected = ● Połączono z serwerem synchronizacji
conn-server = Serwer { $version } ({ $backend })
conn-offline = ● Offline — twoja praca jest zapisana na tym urządzeniu i zostanie wysłana później
conn-not_configured = Brak skonfigurowanego serwera synchronizacji
conn-retry = Sprawdź ponownie
device-opening = Otwieranie lokalnej bazy danych…
device-label = Urządzenie
device-ready = Lokalna baza danych gotowa (schemat { $schema })
device-app = Aplikacja

## sign-in
signin-title = Zaloguj się
signin-driver_id = ID kierowcy
signin-pin = PIN
signin-enrolment_code = Kod rejestracji (nowe urządzenie)
signin-submit = Zaloguj się
signin-busy = Logowanie…
signin-mode = Loguję się jako
signin-mode-driver = Kierowca
signin-mode-station = Tablet stacji
signin-mode-supervisor = Jazda z kierowcą (przełożony)
signin-lead_id = ID kierownika stacji
signin-supervisor_id = ID przełożonego
signin-signed_in_as = Zalogowano jako { $user }
station-title = Tablet stacji
ride-title = Jazda z kierowcą

## tour
tour-title = Twoja trasa
tour-none = Na tym urządzeniu nie ma jeszcze trasy.
tour-download = Pobierz trasę
tour-downloading = Pobieranie trasy…
tour-progress = Ukończono { $done } z { $total ->
        [one] { $total } przystanku
       *[other] { $total } przystanków
    } · { $open ->
        [one] { $open } paczka do doręczenia
        [few] { $open } paczki do doręczenia
       *[many] { $open } paczek do doręczenia
    }
tour-station = Baza { $name }
tour-start = Do bieżącego przystanku
tour-finished = Wszystkie przystanki ukończone. Dobra robota!
state-open = otwarty
state-arrived = na miejscu
state-done = ukończony
state-failed = niedoręczony
state-skipped = pominięty
parcel-pending = do doręczenia
parcel-delivered = doręczona
parcel-failed = niedoręczona
parcel-picked_up = odebrana
parcel-return = Zwrot
parcel-signature = Wymagany podpis
parcel-id_check = Kontrola dowodu / wieku

## stop
stop-title = Przystanek { $n }
stop-notes = Wskazówki dojazdu:
stop-window = Okno czasowe: { $window }
stop-parcels = Paczki
stop-deliver = Doręczona
stop-fail = Niedoręczona
stop-next = Następny przystanek
stop-none = Brak otwartego przystanku: trasa jest ukończona.
stop-loading = Ładowanie przystanku…

## deliver dialog
deliver-title = Doręcz { $id }
method-recipient = Do odbiorcy
method-neighbour = Do sąsiada
method-safe_place = Bezpieczne miejsce
method-parcel_shop = Punkt odbioru
deliver-name = Imię i nazwisko osoby
deliver-house_number = Numer domu sąsiada
deliver-confirm = Potwierdź doręczenie
dialog-cancel = Anuluj

## fail dialog
fail-title = Niedoręczona: { $id }
fail-reason = Powód
reason-nobody_home = Nikogo nie ma w domu
reason-refused = Odmowa przyjęcia
reason-damaged = Uszkodzona
reason-address_not_found = Nie znaleziono adresu
reason-no_access = Brak dostępu
reason-business_closed = Firma zamknięta
reason-out_of_time = Brak czasu
fail-card = Numer awizo (z twojego pliku)
fail-no_card = Bez awizo
fail-says = Na awizo jest napisane
says-next_attempt = Spróbujemy ponownie
says-pick_up_at_station = Odbiór w bazie
fail-confirm = Zapisz próbę

## undo
undo-delivered = Zapisano: { $id } doręczona
undo-failed = Zapisano: { $id } niedoręczona
undo-button = Cofnij
undo-done = Cofnięto: { $id } jest znowu otwarta
warn-far_from_stop = Zapisano daleko od przystanku.
warn-out_of_order = Według planu ten przystanek nie był następny.
warn-outside_time_window = Poza oknem czasowym.

## stop: guidance, scanning, proof, returns (stop screen and its dialogs)
stop-out_of_order = { $n ->
        [one] { $n } przystanek zaplanowany przed tym jest wciąż otwarty.
        [few] { $n } przystanki zaplanowane przed tym są wciąż otwarte.
       *[many] { $n } przystanków zaplanowanych przed tym jest wciąż otwartych.
    } Możesz mimo to pracować tutaj.
stop-arrive = Jestem na miejscu
stop-skip = Na razie pomiń
stop-pick_up = Odebrano
guide-no_position = Brak pozycji.
guide-here = Jesteś na przystanku.
guide-distance = { $dir ->
        [n] { $d } na północ
        [ne] { $d } na północny wschód
        [e] { $d } na wschód
        [se] { $d } na południowy wschód
        [s] { $d } na południe
        [sw] { $d } na południowy zachód
        [w] { $d } na zachód
       *[nw] { $d } na północny zachód
    }
guide-eta = Na miejscu o { $t } · koniec trasy { $end }
guide-source-gps = GPS
guide-source-simulated = pozycja symulowana
guide-navigate = Nawiguj
guide-opened = Przekazano do aplikacji map:
turn-depart = Ruszaj
turn-arrive = Cel
turn-turn = Skręć
turn-left = Skręć w lewo
turn-right = Skręć w prawo
turn-slight_left = Trzymaj się lekko w lewo
turn-slight_right = Trzymaj się lekko w prawo
turn-sharp_left = Skręć ostro w lewo
turn-sharp_right = Skręć ostro w prawo
turn-straight = Jedź prosto
turn-uturn = Zawróć
turn-roundabout = Wjedź na rondo
turn-continue = Jedź dalej
turn-new_name = Jedź dalej
turn-merge = Włącz się do ruchu
turn-fork = Na rozwidleniu
turn-end_of_road = Na końcu drogi
turn-on_ramp = Wjedź na wjazd
turn-off_ramp = Zjedź zjazdem
turn-exit_roundabout = Zjedź z ronda
turn-exit_rotary = Zjedź z ronda
turn-roundabout_exit = Na rondzie zjedź { $n }. zjazdem
turn-with_way = { $what } ({ $way })
way-left = w lewo
way-right = w prawo
way-slight_left = lekko w lewo
way-slight_right = lekko w prawo
way-sharp_left = ostro w lewo
way-sharp_right = ostro w prawo
way-straight = prosto
way-uturn = zawróć
scan-picture = Skanuj etykietę (aparat / zdjęcie)
scan-placeholder = lub wpisz numer przesyłki
scan-check = Sprawdź
scan-this_stop = { $id } należy do tego przystanku.
scan-other_stop = { $id } nie jest dla tego przystanku: należy do przystanku { $n }, { $address }.
scan-go_stop = Do przystanku { $n }
scan-not_on_tour = { $id } ({ $courier }) nie ma na dzisiejszej trasie.
scan-take_return = Zabierz jako zwrot
photo-take = Zrób lub wybierz zdjęcie
photo-take_optional = Zdjęcie (opcjonalnie)
photo-remove = Usuń zdjęcie
sign-empty = Podpisz tutaj palcem
sign-here = Podpisano
sign-clear = Wyczyść
deliver-safe_place = Gdzie ją zostawiono?
deliver-shop = Punkt odbioru
deliver-id_checked = Sprawdziłem dowód / wiek
fail-card_photo = Zdjęcie awizo w skrzynce (opcjonalnie)
deliver-neighbour_card = Awizo dla odbiorcy (wskazuje sąsiada):
says-at_parcel_shop = W punkcie odbioru
pickup-title = Odbierz zwrot { $id }
pickup-hint = Przyjmij paczkę i sprawdź etykietę.
pickup-confirm = Zapisz odbiór
undo-picked_up = Odebrano { $id }.
err-photo-unusable = Tego obrazu nie można użyć jako zdjęcia.
hint-photo-unusable = Zrób zdjęcie ponownie albo wybierz obraz JPEG lub PNG.
err-scan-nothing_found = Na zdjęciu nie znaleziono kodu kreskowego.
hint-scan-nothing_found = Zbliż aparat do etykiety albo wpisz numer.
err-scan-unreadable = Nie można odczytać zdjęcia.
err-tracking-empty = Najpierw wpisz numer przesyłki.
err-tracking-check_digit = Ten numer przesyłki jest nieprawidłowy: cyfra kontrolna się nie zgadza.
hint-tracking-check_digit = Porównaj go z etykietą cyfra po cyfrze albo zeskanuj.
err-tracking-unknown_format = To nie jest znany nam numer przesyłki.
hint-tracking-unknown_format = Sprawdź numer na etykiecie albo go zeskanuj.
err-navigate-failed = Nie udało się otworzyć aplikacji map.
hint-navigate-failed = Użyj odległości i kierunku pokazanych tutaj albo otwórz aplikację map samodzielnie.
err-rule-photo_required = Wymagane jest zdjęcie bezpiecznego miejsca.
hint-rule-photo_required = Zrób zdjęcie miejsca, w którym zostawiłeś paczkę.
hint-rule-signature_required = Poproś odbiorcę o podpis na polu.
err-rule-wrong_stop = Ta paczka należy do innego przystanku.
err-rule-already_picked_up = Ten zwrot został już odebrany.
err-input-invalid = Wpis jest nieprawidłowy.

## sync bar
sync-pending = { $n } do wysłania
sync-all_sent = Wszystko wysłane
sync-bytes = { $kb } KB zdjęć
sync-last = ostatnia synchronizacja { $time }
sync-never = jeszcze nie zsynchronizowano
sync-offline = offline: zapisane na urządzeniu, zostanie wysłane później
sync-not_signed_in = zaloguj się, aby wysłać
sync-others_pending = { $n ->
        [one] { $n } wpis kierowcy { $driver } na tym urządzeniu jest jeszcze wysyłany
        [few] { $n } wpisy kierowcy { $driver } na tym urządzeniu są jeszcze wysyłane
        [many] { $n } wpisów kierowcy { $driver } na tym urządzeniu jest jeszcze wysyłanych
       *[other] { $n } wpisu kierowcy { $driver } na tym urządzeniu jest jeszcze wysyłane
    }
sync-rejected = { $n ->
        [one] { $n } wpis odrzucony przez serwer (zachowany na tym urządzeniu; stacja widzi powód)
        [few] { $n } wpisy odrzucone przez serwer (zachowane na tym urządzeniu; stacja widzi powód)
        [many] { $n } wpisów odrzuconych przez serwer (zachowanych na tym urządzeniu; stacja widzi powód)
       *[other] { $n } wpisu odrzuconego przez serwer (zachowane na tym urządzeniu; stacja widzi powód)
    }
sync-now = Wyślij teraz
sync-oldest = najstarszy { $age }
sync-what_waits = Co czeka
age-hm = { $h } godz. { $m } min
age-m = { $m } min
age-under_minute = < 1 min
waiting-at_stop = przystanek { $n }
waiting-stop_arrived = Przyjazd
waiting-parcel_delivered = Doręczono
waiting-delivery_failed = Nie doręczono
waiting-return_picked_up = Odebrano zwrot
waiting-stop_skipped = Pominięto przystanek
waiting-outcome_undone = Cofnięto
waiting-outcome_corrected = Korekta
waiting-photo = Zdjęcie
waiting-signature_image = Podpis
waiting-signature_strokes = Podpis (pociągnięcia)
waiting-card_photo = Zdjęcie karty

## errors: what happened
err-unknown = Coś poszło nie tak.
err-details = Szczegóły techniczne (dla wsparcia)
err-ui-not_in_app = Ta strona działa poza aplikacją Lastmile.
err-server-unreachable = Serwer jest nieosiągalny.
err-server-not_configured = Nie skonfigurowano serwera synchronizacji.
err-server-error = Serwer zgłosił problem.
err-sync-event_too_large = Wpis jest zbyt duży, aby go wysłać; pozostaje na tym urządzeniu, a kolejne są wysyłane.
err-auth-bad_credentials = ID kierowcy lub PIN jest błędny.
err-auth-bad_enrolment_code = Kod rejestracji jest nieprawidłowy.
err-auth-enrolment_code_missing = To urządzenie jest nowe i potrzebuje kodu rejestracji.
err-auth-not_signed_in = Nikt nie jest zalogowany.
err-auth-expired = Twoje logowanie wygasło.
err-tour-not_found = Na serwerze nie ma dla ciebie trasy.
err-tour-none = Na tym urządzeniu nie załadowano trasy.
err-tour-invalid = Trasy z serwera nie można użyć.
err-rule-name_missing = Brak imienia i nazwiska.
err-rule-house_number_missing = Brak numeru domu sąsiada.
err-rule-method_not_allowed = Tej paczki nie można doręczyć w ten sposób.
err-rule-signature_required = Ta paczka wymaga podpisu.
err-rule-id_check_required = Ta paczka wymaga kontroli dowodu.
err-rule-card_required = Przy tym powodzie zostaw awizo.
err-rule-card_contradicts = Tekst awizo nie pasuje do tego, co się stało.
err-rule-already_delivered = Ta paczka jest już doręczona.
err-rule-undo_window_passed = Za późno, aby cofnąć.
err-rule-not_undoable = Tego nie można już cofnąć.
err-card-malformed = To nie jest numer awizo.
err-card-not_issued = To awizo nie pochodzi z twojego pliku.
err-card-already_used = To awizo zostało już użyte.
err-store-full = Pamięć urządzenia jest pełna.
err-store-unavailable = Nie można otworzyć lokalnej bazy danych.
err-store-failed = Urządzenie nie mogło tego zapisać.

## errors: what to do
hint-generic = Spróbuj ponownie. Jeśli to się powtarza, zadzwoń do bazy.
hint-server-unreachable = Przejdź w miejsce z zasięgiem i spróbuj ponownie. Zapisana praca jest bezpieczna na tym urządzeniu.
hint-auth-bad_credentials = Sprawdź ID kierowcy i PIN i spróbuj ponownie.
hint-auth-bad_enrolment_code = Poproś bazę o aktualny kod rejestracji.
hint-auth-enrolment_code_missing = Wpisz kod rejestracji z twojej bazy.
hint-auth-expired = Zaloguj się ponownie.
hint-auth-not_signed_in = Najpierw się zaloguj.
hint-tour-not_found = Poproś bazę o przydzielenie trasy, a potem pobierz ponownie.
hint-rule-name_missing = Wpisz imię i nazwisko osoby, która przyjęła paczkę.
hint-rule-house_number_missing = Wpisz numer domu sąsiada.
hint-rule-card_required = Weź awizo ze swojego pliku.
hint-card-not_issued = Użyj awizo z pliku, który dostałeś przy odprawie.
hint-card-already_used = Weź następne awizo ze swojego pliku.
hint-rule-undo_window_passed = Poproś bazę o korektę.
hint-store-full = Zwolnij miejsce na urządzeniu. Nic z zapisanych danych nie zginęło.

## --- tour overview, end-of-tour summary, About, display settings (branch overview) ---
nav-about = Info
nav-summary = Podsumowanie
theme-contrast = Wysoki kontrast na słońce
theme-contrast_on = Wysoki kontrast: wł.
theme-contrast_off = Wysoki kontrast: wył.
search-label = Znajdź przystanek
search-placeholder = Adres lub numer przesyłki
search-clear = Wyczyść wyszukiwanie
search-clear_short = Wyczyść
search-none = Żaden przystanek nie pasuje do „{ $q }”.
search-none_hint = Sprawdź pisownię albo wpisz część ulicy lub ostatnie cyfry numeru przesyłki.
search-count = { $n } z { $total ->
        [one] { $total } przystanku
       *[other] { $total } przystanków
    }
search-parcel = Paczka
window-soon = Okno wkrótce się kończy
window-missed = Okno minęło
tour-summary = Podsumowanie trasy
tour-summary_now = Pokaż podsumowanie trasy
summary-title = Koniec trasy
summary-back = Wróć do trasy
summary-stops = Ukończono { $done } z { $total ->
        [one] { $total } przystanku
       *[other] { $total } przystanków
    }
summary-finished = Wszystkie przystanki ukończone.
summary-not_finished = Niektóre przystanki są wciąż otwarte.
summary-delivered = Doręczone
summary-failed = Niedoręczone (próba)
summary-not_attempted = Bez próby
summary-cards_used = Użyte awizo
summary-cards_unused = Pozostałe awizo
summary-returns = Zwroty na pokładzie
summary-conflicts = Konflikty z dyspozycją
summary-handback_title = Powrót do bazy
summary-handback = Oddaj { $parcels ->
        [one] { $parcels } paczkę
        [few] { $parcels } paczki
       *[many] { $parcels } paczek
    }, { $returns ->
        [one] { $returns } zwrot
        [few] { $returns } zwroty
       *[many] { $returns } zwrotów
    } i { $cards ->
        [one] { $cards } nieużyte awizo
        [few] { $cards } nieużyte awizo
       *[many] { $cards } nieużytych awizo
    }.
summary-conflicts_hint = Wyjaśnij konflikty kierownikowi bazy przy rozliczeniu.
about-title = O aplikacji Lastmile
about-display = Wyświetlanie
about-version = Wersja aplikacji
about-install_id = ID instalacji
about-schema = Schemat bazy danych
about-server = Serwer synchronizacji
about-credits = Źródła
about-osm = Adresy i dane map © współtwórcy OpenStreetMap, dostępne na licencji Open Database Licence (ODbL 1.0)
about-licence = Licencja
about-licence_text = Lastmile jest udostępniany na licencji { $licence }.
about-back = Wstecz

## Station tablet (issue 12)
station-board-title = Kierowcy dzisiaj
station-board-count = { $n ->
        [one] { $n } kierowca dzisiaj
        [few] { $n } kierowców dzisiaj
       *[many] { $n } kierowców dzisiaj
    }
station-board-loaded = { $loaded } z { $expected } załadowano
station-board-back = Tablica
station-back = Wstecz
station-offline = Brak połączenia z serwerem: widać ostatni znany stan. Wszystko, co zapiszesz, zostanie wysłane później.
station-pending = { $n ->
        [one] { $n } wpis czeka na wysłanie
        [few] { $n } wpisy czekają na wysłanie
       *[many] { $n } wpisów czeka na wysłanie
    }
station-state-expected = Oczekiwany
station-state-checked_in = Zameldowany
station-state-inspecting = Kontrola pojazdu
station-state-held = Wstrzymany
station-state-loading = Załadunek
station-state-on_road = W trasie
station-state-back = Z powrotem
station-state-closed = Zamknięty
station-check_in-open = Zamelduj kierowcę
station-check_in-title = Meldowanie
station-check_in-hint = Kierowca wpisuje swój identyfikator i PIN. Tablet nie pozostaje na niego zalogowany.
station-pass-title = Meldowanie kodem z telefonu kierowcy
station-pass-hint = Kierowca otwiera „Mój kod meldowania” w telefonie. Działa także bez Wi-Fi.
station-pass-camera = Zeskanuj kod kamerą
station-pass-typed = Lub kod z ręcznego skanera
station-code-show = Mój kod meldowania
station-code-hide = Ukryj kod meldowania
station-code-hint = Pokaż ten kod kamerze tabletu w bazie, aby się zameldować. Działa bez sieci.
station-code-alt = Kod meldowania (QR)
station-check_in-driver = Identyfikator kierowcy
station-check_in-pin = PIN
station-check_in-submit = Zamelduj
station-check_in-wait = Za dużo błędnych PIN-ów na tym tablecie. Następny PIN za { $s } s.
station-step-vehicle = Pojazd
station-step-cards = Awizo
station-step-loadout = Załadunek
station-step-return = Powrót
station-step-closeout = Zamknięcie
station-day-vehicle = Pojazd { $plate }
station-vehicle-plate = Numer rejestracyjny
station-vehicle-assign = Przydziel pojazd
station-hold-title = Trasa wstrzymana: usterka bezpieczeństwa w { $plate }.
station-hold-what = Zwolnij trasę po naprawie usterki albo przydziel inny pojazd (wymaga własnej kontroli).
station-hold-repaired = Naprawione: zwolnij trasę
station-hold-other_plate = Inny pojazd
station-hold-other = Przydziel inny pojazd
station-inspection-pre = Kontrola przed wyjazdem { $plate }
station-inspection-post = Kontrola po powrocie { $plate }
station-inspection-open_defects = Otwarte usterki z wcześniejszych kontroli:
station-inspection-mark_repaired = Oznacz jako naprawione
station-inspection-passed = Kontrola zaliczona.
station-inspection-safety = Bezpieczeństwo
station-inspection-ok = OK
station-inspection-defect = Usterka
station-inspection-note = Co jest nie tak?
station-inspection-photo = Zdjęcie usterki
station-inspection-photo_asked = Zdjęcie (wymagane dla tego punktu)
station-inspection-submit = Zapisz kontrolę
station-item-tyres = Opony: bieżnik, ciśnienie, uszkodzenia
station-item-lights = Światła: mijania, stop, kierunkowskazy, awaryjne
station-item-brakes = Hamulce
station-item-mirrors = Lusterka
station-item-horn = Klakson
station-item-wipers = Szyba i wycieraczki
station-item-leaks = Wycieki płynów
station-item-body_damage = Uszkodzenia nadwozia
station-item-load_securing = Zabezpieczenie ładunku
station-item-first_aid = Apteczka, trójkąt ostrzegawczy
station-cards-title = Karty awizo
station-cards-count = { $n ->
        [one] { $n } karta
        [few] { $n } karty
       *[many] { $n } kart
    }
station-cards-first = Pierwsza karta
station-cards-last = Ostatnia karta
station-cards-issue = Wydaj plik kart
station-scan-label = Zeskanuj lub wpisz numer przesyłki
station-scan-submit = Dodaj
station-loadout-title = Załadunek
station-loadout-missing = Jeszcze nie zeskanowane, według przystanku
station-loadout-not_loaded = Niezaładowane
station-reason-missing_at_station = Brak w oddziale
station-reason-damaged = Uszkodzona
station-return-title = Powrót do oddziału
station-return-expected = Nadal oczekiwane z powrotem
station-return-cards = Niewykorzystane karty (jedna karta: tylko pierwszy numer)
station-return-cards_back = Przyjmij karty
station-return-discrepancies = Rozbieżności do wyjaśnienia
station-return-why = Dlaczego?
station-return-explain = Zapisz
station-discrepancy-parcel_not_back = ani doręczona, ani zwrócona
station-discrepancy-return_not_handed_in = zwrot odebrany, ale nie oddany
station-discrepancy-card_missing = karta ani użyta, ani zwrócona
station-closeout-title = Zamknięcie dnia
station-closeout-driver_signs = Podpis kierowcy
station-closeout-lead_signs = Podpis kierownika oddziału
station-closeout-sign = Oboje podpisują: zamknij dzień
station-closeout-failed_cards = Niedoręczone z kartą:
station-closeout-unexplained = { $n ->
        [one] { $n } rozbieżność wymaga wyjaśnienia.
        [few] { $n } rozbieżności wymagają wyjaśnienia.
       *[many] { $n } rozbieżności wymaga wyjaśnienia.
    }
station-closeout-pending = Podpisane. Zamknięcie zostanie wysłane po połączeniu.
station-closeout-signed = Podpisane zamknięcie (wersja { $version }). Nie można go zmienić; korekta to nowa wersja.
station-figure-planned = Zaplanowane paczki
station-figure-loaded = Załadowane
station-figure-not_loaded = Niezaładowane
station-figure-delivered = Doręczone
station-figure-failed = Niedoręczone
station-figure-returns = Odebrane zwroty
station-figure-back = Z powrotem w oddziale
station-figure-cards_issued = Wydane karty
station-figure-cards_used = Użyte karty
station-figure-cards_returned = Zwrócone karty
station-figure-cards_missing = Brakujące karty
station-figure-discrepancies = Rozbieżności
station-figure-inspections = Kontrole
station-figure-defects = Znalezione usterki
station-phone-held = Twoja trasa jest wstrzymana
station-phone-what = Nie jedź tym pojazdem. Idź do kierownika oddziału: zwolni trasę po naprawie albo da ci inny pojazd.
station-mydays-title = Moje dni
station-mydays-none = Brak podpisanego zamknięcia.
station-mydays-offline = Moje dni pojawią się po połączeniu telefonu.
station-mydays-line = { $delivered } doręczone, { $failed } niedoręczone, { $back } z powrotem, { $cards } użytych kart
station-mydays-signed = Podpisane z { $lead }
station-err-unknown_plate = Brak pojazdu o tym numerze we flocie: { $detail }
station-err-photo_not_expected = Zdjęcie może dotyczyć tylko punktu tej kontroli: { $detail }
station-err-card_range_overlaps = Te karty nakładają się na plik innego kierowcy: { $detail }
station-err-bad_card_range = To nie jest zakres kart: { $detail }
station-err-parcel_scanned_twice = Już zeskanowane: { $detail }
station-err-parcel_is_a_pickup = To zwrot do odebrania, nie paczka do załadunku: { $detail }
station-err-parcel_of_other_tour = Paczka innej trasy – należy do { $detail }
station-err-unknown_parcel = Tej paczki nie ma na tej trasie: { $detail }
station-err-card_not_issued = Tej karty nie ma w pliku kierowcy: { $detail }
station-err-card_was_used = Ta karta została zostawiona na przystanku: { $detail }
station-err-cards_returned_twice = Ta karta została już przyjęta: { $detail }
station-err-blank_explanation = Napisz, dlaczego się nie zgadza: { $detail }
station-err-blank_signature = Pole podpisu jest puste: oboje muszą podpisać ({ $detail }).
station-err-unexplained_discrepancies = Najpierw wyjaśnij każdą rozbieżność: { $detail }
station-err-no_tour_today = Ten kierowca nie ma dziś trasy: { $detail }
station-err-no_hold = Trasa nie jest wstrzymana: { $detail }
station-err-check_in_offline = Meldowanie PIN-em wymaga serwera; bez Wi-Fi zeskanuj kod meldowania z telefonu kierowcy ({ $detail }).
station-err-no_pass_in_picture = Na zdjęciu nie ma kodu meldowania; trzymaj telefon bliżej i nieruchomo ({ $detail }).
station-err-not_a_pass = To nie jest kod meldowania: { $detail }
station-err-unknown_pass = Ten kod meldowania nie dotyczy trasy tej bazy w dniu { $detail }; zamelduj się PIN-em.
station-err-no_pass_today = Brak jeszcze kodu meldowania na dzisiejszą trasę; połącz się raz z siecią ({ $detail }).
station-err-offline_no_copy = Brak połączenia i nic nie zapisano jeszcze na tablecie ({ $detail }).
station-err-not_a_station_action = Tablet nie może tego zapisać: { $detail }
station-err-tour_held = Trasa jest wstrzymana: { $detail }
station-err-wrong_station = Ten kierowca należy do innego oddziału.
station-err-pin_locked = Za dużo błędnych PIN-ów: poczekaj minutę lub odblokuj kierowcę.
station-err-not_loaded = Dzień jeszcze się wczytuje.

# Supervisor ride-along (issue #13)
ride-assist-carried_parcels = Nosiłem paczki
ride-assist-talked_to_customer = Rozmawiałem z klientem
ride-assist-other = Pomogłem inaczej
ride-assist_title = Przystanki z pomocą
ride-assist_hint = Przystanki, przy których pomogłeś, nie wliczają się do tempa kierowcy.
ride-back = Powrót do trasy
ride-banner_running = { $supervisor } jedzie dziś z tobą.
ride-banner_waiting = Protokoły czekające na twój podpis: { $n }
ride-cat-safety = Bezpieczeństwo
ride-cat-customer_contact = Kontakt z klientem
ride-cat-proof_quality = Jakość potwierdzenia
ride-cat-driving = Jazda
ride-cat-handling = Obchodzenie się z paczkami
ride-cat-other = Inne
ride-category = Kategoria
ride-comment = Twój komentarz (zgoda lub sprzeciw)
ride-current = Teraz
ride-driver_decline = Odmów podpisu
ride-driver_sign = Podpisz protokół
ride-export = Eksportuj moją kopię
ride-exported = Kopia zapisana: { $path }
ride-grade-trained = Przeszkolony
ride-grade-proficient = Biegły
ride-grade-needs_practice = Wymaga ćwiczeń
ride-grade-not_observed = Nie zaobserwowano
ride-last = Ostatni przejazd z { $driver }
ride-my_records = Moje protokoły przejazdów ({ $n })
ride-nav-checklist = Lista kontrolna
ride-nav-end = Koniec
ride-nav-follow = Trasa
ride-nav-observe = Notatki dnia
ride-no_drivers = Żaden kierowca, z którym jeździsz, nie ma dziś trasy.
ride-no_template = Brak listy kontrolnej na tym telefonie. Połącz się raz, aby ją pobrać.
ride-notes = Notatki szkoleniowe
ride-observations = Obserwacje
ride-observe_at = Obserwacja na przystanku { $n }
ride-observe_day = Obserwacja z całego dnia
ride-observe_here = Dodaj obserwację tutaj
ride-pace = Tempo (przystanki / paczki na godzinę)
ride-pace_own = Twoje własne tempo, bez przystanków z pomocą: { $figures }
ride-pace_with = Łącznie z przystankami z pomocą: { $figures }
ride-parcels_done = Paczki: { $done } z { $total } zrobione
ride-photo = Dodaj zdjęcie
ride-pick = Wybierz kierowcę, z którym jedziesz
ride-progress_at = Postęp kierowcy na { $time }
ride-progress_never = Postęp kierowcy nie został jeszcze pobrany.
ride-record_by = Protokół od { $supervisor }
ride-records_kept = Stan zapisany na tym telefonie (brak połączenia).
ride-records_title = Moje protokoły przejazdów
ride-refresh = Odśwież postęp kierowcy
ride-riding_with = Jedziesz z { $driver }.
ride-save_observation = Zapisz obserwację
ride-saved = Zapisano.
ride-sign = Podpisz i zakończ przejazd
ride-sign_hint = Podpisz, aby zakończyć przejazd. Kierowca przeczyta protokół na swoim telefonie.
ride-sign_missing = Najpierw podpisz się w polu.
ride-start = Rozpocznij przejazd
ride-status-running = W toku
ride-status-awaiting_driver = Podpisane przez ciebie; czeka na kierowcę
ride-status-awaiting_you = Czeka na twój podpis
ride-status-signed = Podpisane przez obie strony
ride-status-declined = Kierowca odmówił podpisu
ride-stop_title = Przystanek { $n }
ride-stops_done = Przystanki: { $done } z { $total } zrobione
ride-summary = Obserwacje: { $observations } · Oceny: { $grades } · Przystanki z pomocą: { $assisted }
ride-supervisor_not_signed = Jeszcze niepodpisane przez przełożonego.
ride-supervisor_signed = Podpisane przez przełożonego.
ride-text = Co zaobserwowałeś
ride-whole_day = cały dzień
ride-you_declined = Odmówiłeś podpisu.
ride-you_signed = Podpisałeś ten protokół.
err-ride-blank_text = Najpierw coś napisz.
err-ride-blank_signature = Brak podpisu.
err-ride-signed = Ten przejazd jest podpisany i nie przyjmuje już wpisów.
err-ride-supervisor_not_signed = Przełożony jeszcze nie podpisał tego protokołu.
err-ride-answered = Już odpowiedziałeś na ten protokół.
err-ride-unknown = Tego przejazdu nie ma na tym telefonie.
err-ride-grade_not_in_template = Ta lista kontrolna nie używa tej oceny.
err-ride-unknown_item = Ta lista kontrolna nie ma takiego punktu.
err-ride-template_mismatch = Ten protokół jest oceniany według innej wersji listy.
err-ride-text_too_long = Tekst jest za długi.
err-ride-other_tour = Ten przejazd dotyczy innej trasy niż ta na telefonie.

# Corrections (issue 14)
parcel-correct = Popraw
correct-title = Popraw { $id }
correct-recorded = Zapisano:
correct-to_delivered = Doręczono
correct-to_failed = Nie doręczono
correct-note = Dlaczego poprawiasz? (wymagane)
correct-confirm = Zapisz poprawkę
correct-done = Poprawka dla { $id } zapisana. Oryginał pozostaje w historii.
err-rule-not_correctable = Można poprawić tylko ostatnie doręczenie lub ostatnią próbę doręczenia paczki.
err-rule-correction_reason_missing = Podaj, dlaczego wynik jest poprawiany.
undo-remaining = Cofnij: zostało { $s } s. Potem popraw na przystanku.

# Conflicts shown and acknowledged (issue 14)
conflict-title = Zmiany dyspozytora po twoim zapisie
conflict-parcel_dropped = Dyspozytor: nowy plan nie zawiera już tej paczki.
conflict-parcel_moved = Dyspozytor przeniósł tę paczkę na przystanek { $detail }.
conflict-stop_removed = Dyspozytor usunął ten przystanek; zostaje, bo zapisano tu wyniki.
conflict-address_corrected = Dyspozytor poprawił adres na { $detail }: sprawdź, czy paczki trafiły pod właściwe drzwi.
conflict-not_loaded = Magazyn oznaczył tę paczkę jako niezaładowaną.
conflict-recorded = Zapisano:
conflict-ack = Widziano

# ETA from the road (issue 14)
guide-eta-road = drogą, zostało { $d }
guide-eta-straight = szacowane w linii prostej

# Glove mode (issue 14)
theme-gloves_on = Rękawice: duże przyciski, wł.
theme-gloves_off = Rękawice: duże przyciski, wył.

# Parcel-shop card (issue 14)
deliver-shop_card = Awizo dla odbiorcy (podaje punkt odbioru):
## Privacy (issue 16)
privacy-keys-in-files = Tryb testowy: klucze chroniące dane tego urządzenia są przechowywane w plikach, a nie w magazynie kluczy urządzenia. Nie używaj go do prawdziwych doręczeń.
# Blocks for independent (flex) drivers (issue 15).
offers-nav-offers = Oferty
offers-nav-earnings = Zarobki
offers-nav-tour = Trasa
offers-state-upcoming = wkrótce otwarta
offers-state-open = otwarta na zgłoszenia
offers-state-closed = zamknięta
offers-title = Oferowane bloki
offers-reload = Odśwież
offers-how = Bloki są przydzielane w opublikowanym losowaniu po zamknięciu każdej rundy; moment zgłoszenia nie ma znaczenia. Jak to działa: docs/blocks-lottery.md.
offers-credit = Punkty sprawiedliwości: { $n }
offers-none = Obecnie brak oferowanych bloków.
offers-results = Wyniki
offers-verified = Zweryfikowano: ten telefon przeliczył losowanie i uzyskał ten sam wynik.
offers-mismatch = NIE ZGADZA SIĘ: ten telefon przeliczył losowanie i uzyskał inny wynik. Zgłoś to w stacji.
offers-unchecked = Jeszcze nie sprawdzono (brak połączenia).
offers-lost = W tej rundzie nie wygrałeś bloku.
offers-won = Wygrane: { $blocks }
offers-pseudonym = Twoja nazwa w opublikowanym losowaniu: { $name }
offers-my-blocks = Moje bloki
offers-round = Runda { $n }
offers-window = Otwarta { $opens }–{ $closes }
offers-commitment = Zobowiązanie { $hash }…
offers-places = Miejsca: { $n }
offers-held = Twoje zgłoszenie: { $blocks }
offers-send = Wyślij zgłoszenie
offers-fair = Dotknij bloki w kolejności, w jakiej ich chcesz. Możesz zmienić zgłoszenie do zamknięcia rundy.
offers-status-won = Wygrany – potwierdź
offers-status-confirmed = Potwierdzony
offers-status-released = Zwolniony
offers-status-expired = Nie potwierdzono na czas
offers-confirm-by = Potwierdź do { $time }
offers-confirm = Potwierdź
offers-release = Zwolnij
offers-earnings-title = Zarobki w tym tygodniu
offers-week = Tydzień od { $date }
offers-earnings-none = W tym tygodniu brak przepracowanych bloków.
offers-earned-line = { $hours } h · { $stops } przystanków · { $parcels } paczek
offers-total = Razem: { $pay } za { $hours } h
offers-export = Eksportuj (CSV i strona do druku)
offers-signin-flex_id = ID kierowcy (flex)
offers-signin-mode-flex = Kierowca niezależny (flex)

## Lockers and parcel shops as their own methods
method-locker = Paczkomat
deliver-shop_name = Nazwa punktu (opcjonalnie)
deliver-locker = Numer paczkomatu
deliver-compartment = Skrytka
deliver-pickup_code = Kod odbioru (opcjonalnie)
deliver-locker_card = Awizo dla odbiorcy (podaje paczkomat i skrytkę):
err-rule-shop_missing = Brak numeru punktu odbioru.
hint-rule-shop_missing = Wpisz numer punktu z tabliczki lub skanera.
err-rule-locker_missing = Brak numeru paczkomatu lub skrytki.
hint-rule-locker_missing = Wpisz numer paczkomatu i skrytki.

## The driver's evidence bundle
evidence-title = Mój dzień jako dowód
evidence-hint = Podpisany plik twojego dnia: przystanki, godziny, pozycje, wyniki, awiza, korekty, zdjęcia i podpisy. Zachowaj go na wypadek sporu o paczkę lub czas pracy.
evidence-none = Na tym urządzeniu nie ma twojego dnia.
evidence-day = Dzień
evidence-folder = Folder
evidence-key = Klucz urządzenia:
evidence-export = Eksportuj mój dzień
evidence-done = Wyeksportowano, plików: { $files }:
err-evidence-not_yours = Ten dzień zapisał inny kierowca; tylko on może go wyeksportować.
hint-evidence-not_yours = Tylko kierowca, który zapisał dzień, może go wyeksportować.
err-evidence-failed = Nie udało się utworzyć pliku.
hint-evidence-failed = Spróbuj ponownie; jeśli nadal się nie udaje, powiedz w magazynie.
err-evidence-folder = Nie można zapisać w tym folderze.
hint-evidence-folder = Wybierz folder z prawem zapisu i sprawdź, czy pamięć nie jest pełna.
## Security and privacy (issue 16): a server whose TLS certificate this device does not trust
err-server-untrusted = To urządzenie nie ufa certyfikatowi serwera.
hint-server-untrusted = Połączenie odrzucono, aby nikt nie mógł podsłuchiwać. Poproś stację o sprawdzenie adresu serwera i jego certyfikatu; zapisana praca jest bezpieczna na tym urządzeniu.

## Station tablet: the audit trail (issue 16)
audit-open = Dziennik dostępu
audit-title = Kto co przeczytał
audit-intro = Każdy odczyt zdjęć, podpisów, trasy lub dnia kierowcy przez kogoś innego niż ten kierowca, od najnowszych.
audit-empty = Nikt jeszcze nie odczytał dowodów ani dnia kierowcy.
audit-line = { $who } ({ $role }) odczytał(a) { $what } kierowcy { $driver }
audit-what-proof = plik dowodu
audit-what-tour = trasę
audit-what-day = dzień
audit-role-station = kierownik stacji
audit-role-supervisor = opiekun
audit-role-driver = kierowca
audit-role-flex = kierowca flex
## Service visits (issue 14)
service-kind-service = Wizyta serwisowa
service-kind-parcel_shop = Punkt odbioru
service-kind-pickup = Odbiór
service-title = Wizyta serwisowa
service-planned = Planowo: { $minutes } min
service-started-at = Rozpoczęto o { $time }
service-finished-at = Zakończono o { $time }
service-start = Rozpocznij wizytę
service-checklist-hint = Odpowiedz na każdy punkt: wykonano lub nie wykonano. Notatka jest opcjonalna.
service-done = Wykonano
service-not-done = Nie wykonano
service-unanswered = Bez odpowiedzi
service-note = Notatka (opcjonalnie)
service-photo = Zdjęcie (opcjonalnie)
service-customer = Imię i nazwisko klienta
service-sign = Podpis klienta (odbiór)
service-finish = Zakończ wizytę
service-signed-by = Odebrał(a): { $name }
service-finished-notice = Wizyta serwisowa zapisana.
err-service-not_a_service_stop = Ten przystanek nie jest wizytą serwisową.
err-service-already_started = Wizyta już się rozpoczęła.
err-service-not_started = Najpierw rozpocznij wizytę.
err-service-already_finished = Ta wizyta jest już zakończona.
err-service-item_unanswered = Punkt listy kontrolnej nie ma jeszcze odpowiedzi.
err-service-unknown_item = Lista kontrolna nie ma takiego punktu.
err-service-item_twice = Punkt listy kontrolnej ma dwie odpowiedzi.
err-service-name_missing = Brak imienia i nazwiska klienta.
err-service-signature_missing = Brak podpisu klienta.
err-service-text_too_long = Tekst jest za długi.
hint-service-item_unanswered = Oznacz każdy punkt jako wykonany lub nie, potem zakończ ponownie.
hint-service-signature_missing = Poproś klienta o podpis na polu, potem zakończ ponownie.
## The offline map (issue 17)
map-title = Mapa
map-hide = Ukryj mapę
map-show = Pokaż mapę
map-recenter = Wyśrodkuj
map-not-downloaded = Mapa tego obszaru nie została pobrana
map-downloading = Pobieranie mapy: { $percent } %
map-credit = © Współtwórcy OpenStreetMap
map-stop = Przystanek { $n }
map-parcels = { $n ->
        [one] { $n } paczka
        [few] { $n } paczki
       *[many] { $n } paczek
    }
map-no-webgl = To urządzenie nie może wyświetlić mapy.
