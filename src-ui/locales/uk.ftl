app-title = Lastmile
lang-label = Мова
nav-tour = Маршрут
nav-stop = Поточна зупинка

## connection card (start screen)
conn-checking = Перевірка з'єднання…
conn-connected = ● З'єднано із сервером синхронізації
conn-server = Сервер { $version } ({ $backend })
conn-offline = ● Офлайн — вашу роботу збережено на цьому пристрої, її буде надіслано пізніше
conn-not_configured = Сервер синхронізації не налаштовано
conn-retry = Перевірити ще раз
device-opening = Відкриття локальної бази даних…
device-label = Пристрій
device-ready = Локальна база даних готова (схема { $schema })
device-app = Застосунок

## sign-in
signin-title = Увійти
signin-driver_id = ID водія
signin-pin = PIN
signin-enrolment_code = Код реєстрації (новий пристрій)
signin-submit = Увійти
signin-busy = Вхід…
signin-mode = Я входжу як
signin-mode-driver = Водій
signin-mode-station = Планшет станції
signin-mode-supervisor = Супровід (керівник)
signin-lead_id = ID керівника станції
signin-supervisor_id = ID керівника
signin-signed_in_as = Ви увійшли як { $user }
station-title = Планшет станції
ride-title = Супровід у рейсі

## tour
tour-title = Ваш маршрут
tour-none = На цьому пристрої ще немає маршруту.
tour-download = Завантажити маршрут
tour-downloading = Завантаження маршруту…
tour-progress = Виконано { $done } з { $total ->
        [one] { $total } зупинки
       *[other] { $total } зупинок
    } · { $open ->
        [one] { $open } посилка до доставки
        [few] { $open } посилки до доставки
       *[many] { $open } посилок до доставки
    }
tour-station = Депо { $name }
tour-start = До поточної зупинки
tour-finished = Усі зупинки виконано. Чудова робота!
state-open = відкрита
state-arrived = на місці
state-done = виконана
state-failed = не доставлено
state-skipped = пропущена
parcel-pending = до доставки
parcel-delivered = доставлено
parcel-failed = не доставлено
parcel-picked_up = забрано
parcel-return = Повернення
parcel-signature = Потрібен підпис
parcel-id_check = Перевірка документа / віку

## stop
stop-title = Зупинка { $n }
stop-notes = Вказівки щодо доступу:
stop-window = Часове вікно: { $window }
stop-parcels = Посилки
stop-deliver = Доставлено
stop-fail = Не доставлено
stop-next = Наступна зупинка
stop-none = Немає відкритої зупинки: маршрут виконано.
stop-loading = Завантаження зупинки…

## deliver dialog
deliver-title = Доставити { $id }
method-recipient = Одержувачу
method-neighbour = Сусідові
method-safe_place = Безпечне місце
method-parcel_shop = Пункт видачі
deliver-name = Ім'я особи
deliver-house_number = Номер будинку сусіда
deliver-confirm = Підтвердити доставку
dialog-cancel = Скасувати

## fail dialog
fail-title = Не доставлено: { $id }
fail-reason = Причина
reason-nobody_home = Нікого немає вдома
reason-refused = Відмова
reason-damaged = Пошкоджено
reason-address_not_found = Адресу не знайдено
reason-no_access = Немає доступу
reason-business_closed = Заклад зачинено
reason-out_of_time = Немає часу
fail-card = Номер повідомлення (з вашої пачки)
fail-no_card = Без повідомлення
fail-says = На повідомленні написано
says-next_attempt = Ми спробуємо ще раз
says-pick_up_at_station = Отримати в депо
fail-confirm = Записати спробу

## undo
undo-delivered = Записано: { $id } доставлено
undo-failed = Записано: { $id } не доставлено
undo-button = Скасувати
undo-done = Скасовано: { $id } знову відкрита
warn-far_from_stop = Записано далеко від зупинки.
warn-out_of_order = За планом ця зупинка не була наступною.
warn-outside_time_window = Поза часовим вікном.

## stop: guidance, scanning, proof, returns (stop screen and its dialogs)
stop-out_of_order = { $n ->
        [one] { $n } зупинка, запланована перед цією, ще відкрита.
        [few] { $n } зупинки, заплановані перед цією, ще відкриті.
       *[many] { $n } зупинок, запланованих перед цією, ще відкриті.
    } Ви все одно можете працювати тут.
stop-arrive = Я на місці
stop-skip = Поки пропустити
stop-pick_up = Забрано
guide-no_position = Позиції ще немає.
guide-here = Ви на зупинці.
guide-distance = { $dir ->
        [n] { $d } на північ
        [ne] { $d } на північний схід
        [e] { $d } на схід
        [se] { $d } на південний схід
        [s] { $d } на південь
        [sw] { $d } на південний захід
        [w] { $d } на захід
       *[nw] { $d } на північний захід
    }
guide-eta = Прибуття о { $t } · кінець маршруту { $end }
guide-source-gps = GPS
guide-source-simulated = змодельована позиція
guide-navigate = Навігація
guide-opened = Передано в застосунок карт:
turn-depart = Рушайте
turn-arrive = Прибуття
turn-turn = Поверніть
turn-left = Поверніть ліворуч
turn-right = Поверніть праворуч
turn-slight_left = Тримайтеся трохи ліворуч
turn-slight_right = Тримайтеся трохи праворуч
turn-sharp_left = Різко поверніть ліворуч
turn-sharp_right = Різко поверніть праворуч
turn-straight = Їдьте прямо
turn-uturn = Розверніться
turn-roundabout = В'їдьте на кільце
turn-continue = Продовжуйте рух
turn-new_name = Продовжуйте рух
turn-merge = Перелаштуйтеся
turn-fork = На розвилці
turn-end_of_road = У кінці дороги
turn-on_ramp = В'їдьте на з'їзд
turn-off_ramp = З'їдьте на виїзд
turn-exit_roundabout = З'їдьте з кільця
turn-exit_rotary = З'їдьте з кільця
turn-roundabout_exit = На кільці виберіть { $n }-й з'їзд
turn-with_way = { $what } ({ $way })
way-left = ліворуч
way-right = праворуч
way-slight_left = трохи ліворуч
way-slight_right = трохи праворуч
way-sharp_left = різко ліворуч
way-sharp_right = різко праворуч
way-straight = прямо
way-uturn = розворот
scan-picture = Сканувати етикетку (камера / зображення)
scan-placeholder = або введіть номер відправлення
scan-check = Перевірити
scan-this_stop = { $id } належить до цієї зупинки.
scan-other_stop = { $id } не для цієї зупинки: він належить до зупинки { $n }, { $address }.
scan-go_stop = До зупинки { $n }
scan-not_on_tour = { $id } ({ $courier }) немає в сьогоднішньому маршруті.
scan-take_return = Забрати як повернення
photo-take = Зробіть або виберіть фото
photo-take_optional = Фото (необов'язково)
photo-remove = Видалити фото
sign-empty = Підпишіть тут пальцем
sign-here = Підписано
sign-clear = Очистити
deliver-safe_place = Де її залишено?
deliver-shop = Пункт видачі
deliver-id_checked = Я перевірив документ / вік
fail-card_photo = Фото повідомлення в поштовій скриньці (необов'язково)
deliver-neighbour_card = Повідомлення для одержувача (вказує сусіда):
says-at_parcel_shop = У пункті видачі
pickup-title = Забрати повернення { $id }
pickup-hint = Прийміть посилку й перевірте етикетку.
pickup-confirm = Записати отримання
undo-picked_up = { $id } забрано.
err-photo-unusable = Це зображення не можна використати як фото.
hint-photo-unusable = Зробіть фото ще раз або виберіть зображення JPEG чи PNG.
err-scan-nothing_found = На зображенні не знайдено штрихкоду.
hint-scan-nothing_found = Піднесіть камеру ближче до етикетки або введіть номер.
err-scan-unreadable = Зображення неможливо прочитати.
err-tracking-empty = Спершу введіть номер відправлення.
err-tracking-check_digit = Цей номер відправлення недійсний: контрольна цифра не збігається.
hint-tracking-check_digit = Порівняйте його з етикеткою цифра за цифрою або відскануйте.
err-tracking-unknown_format = Це невідомий нам номер відправлення.
hint-tracking-unknown_format = Перевірте номер на етикетці або відскануйте його.
err-navigate-failed = Не вдалося відкрити жоден застосунок карт.
hint-navigate-failed = Скористайтеся відстанню й напрямком, показаними тут, або відкрийте застосунок карт самостійно.
err-rule-photo_required = Потрібне фото безпечного місця.
hint-rule-photo_required = Сфотографуйте місце, де ви залишили посилку.
hint-rule-signature_required = Попросіть одержувача підписатися на полі.
err-rule-wrong_stop = Ця посилка належить до іншої зупинки.
err-rule-already_picked_up = Це повернення вже забрано.
err-input-invalid = Введені дані недійсні.

## sync bar
sync-pending = { $n } до надсилання
sync-all_sent = Усе надіслано
sync-bytes = { $kb } КБ фото
sync-last = остання синхронізація { $time }
sync-never = ще не синхронізовано
sync-offline = офлайн: збережено на пристрої, буде надіслано пізніше
sync-not_signed_in = увійдіть, щоб надіслати
sync-others_pending = { $n ->
        [one] { $n } запис водія { $driver } на цьому пристрої ще надсилається
        [few] { $n } записи водія { $driver } на цьому пристрої ще надсилаються
        [many] { $n } записів водія { $driver } на цьому пристрої ще надсилаються
       *[other] { $n } запису водія { $driver } на цьому пристрої ще надсилаються
    }
sync-rejected = { $n ->
        [one] { $n } запис відхилено сервером (збережено на цьому пристрої; станція бачить причину)
        [few] { $n } записи відхилено сервером (збережено на цьому пристрої; станція бачить причину)
        [many] { $n } записів відхилено сервером (збережено на цьому пристрої; станція бачить причину)
       *[other] { $n } запису відхилено сервером (збережено на цьому пристрої; станція бачить причину)
    }
sync-now = Надіслати зараз
sync-oldest = найстаріший { $age }
sync-what_waits = Що чекає
age-hm = { $h } год { $m } хв
age-m = { $m } хв
age-under_minute = < 1 хв
waiting-at_stop = зупинка { $n }
waiting-stop_arrived = Прибуття
waiting-parcel_delivered = Доставлено
waiting-delivery_failed = Не доставлено
waiting-return_picked_up = Повернення забрано
waiting-stop_skipped = Зупинку пропущено
waiting-outcome_undone = Скасовано
waiting-outcome_corrected = Виправлення
waiting-photo = Фото
waiting-signature_image = Підпис
waiting-signature_strokes = Підпис (штрихи)
waiting-card_photo = Фото картки

## errors: what happened
err-unknown = Щось пішло не так.
err-details = Технічні подробиці (для підтримки)
err-ui-not_in_app = Ця сторінка працює поза застосунком Lastmile.
err-server-unreachable = Сервер недоступний.
err-server-not_configured = Сервер синхронізації не налаштовано.
err-server-error = Сервер повідомив про проблему.
err-sync-event_too_large = Запис завеликий для надсилання; він залишається на цьому пристрої, наступні надсилаються.
err-auth-bad_credentials = ID водія або PIN неправильний.
err-auth-bad_enrolment_code = Код реєстрації недійсний.
err-auth-enrolment_code_missing = Цей пристрій новий, і йому потрібен код реєстрації.
err-auth-not_signed_in = Ніхто не увійшов.
err-auth-expired = Термін вашого входу минув.
err-tour-not_found = На сервері немає маршруту для вас.
err-tour-none = На цьому пристрої не завантажено маршрут.
err-tour-invalid = Маршрут із сервера неможливо використати.
err-rule-name_missing = Не вказано ім'я.
err-rule-house_number_missing = Не вказано номер будинку сусіда.
err-rule-method_not_allowed = Цю посилку не можна доставити таким способом.
err-rule-signature_required = Ця посилка потребує підпису.
err-rule-id_check_required = Ця посилка потребує перевірки документа.
err-rule-card_required = З цієї причини залиште повідомлення.
err-rule-card_contradicts = Текст повідомлення не відповідає тому, що сталося.
err-rule-already_delivered = Цю посилку вже доставлено.
err-rule-undo_window_passed = Скасувати вже запізно.
err-rule-not_undoable = Це вже неможливо скасувати.
err-card-malformed = Це не номер повідомлення.
err-card-not_issued = Це повідомлення не з вашої пачки.
err-card-already_used = Це повідомлення вже використано.
err-store-full = Пам'ять пристрою заповнена.
err-store-unavailable = Неможливо відкрити локальну базу даних.
err-store-failed = Пристрій не зміг це зберегти.

## errors: what to do
hint-generic = Спробуйте ще раз. Якщо це повторюється, зателефонуйте в депо.
hint-server-unreachable = Перейдіть туди, де є сигнал, і спробуйте ще раз. Записана робота в безпеці на цьому пристрої.
hint-auth-bad_credentials = Перевірте ID водія та PIN і спробуйте ще раз.
hint-auth-bad_enrolment_code = Попросіть у депо актуальний код реєстрації.
hint-auth-enrolment_code_missing = Введіть код реєстрації від вашого депо.
hint-auth-expired = Увійдіть знову.
hint-auth-not_signed_in = Спершу увійдіть.
hint-tour-not_found = Попросіть депо призначити вам маршрут, потім завантажте знову.
hint-rule-name_missing = Введіть ім'я особи, яка прийняла посилку.
hint-rule-house_number_missing = Введіть номер будинку сусіда.
hint-rule-card_required = Візьміть повідомлення з вашої пачки.
hint-card-not_issued = Використайте повідомлення з пачки, отриманої під час реєстрації на зміну.
hint-card-already_used = Візьміть наступне повідомлення з вашої пачки.
hint-rule-undo_window_passed = Попросіть депо це виправити.
hint-store-full = Звільніть місце на пристрої. Нічого записаного не втрачено.

## --- tour overview, end-of-tour summary, About, display settings (branch overview) ---
nav-about = Інфо
nav-summary = Підсумок
theme-contrast = Високий контраст для сонця
theme-contrast_on = Високий контраст: увімк.
theme-contrast_off = Високий контраст: вимк.
search-label = Знайти зупинку
search-placeholder = Адреса або номер відправлення
search-clear = Очистити пошук
search-clear_short = Очистити
search-none = Жодна зупинка не відповідає «{ $q }».
search-none_hint = Перевірте написання або введіть частину вулиці чи останні цифри номера відправлення.
search-count = { $n } з { $total ->
        [one] { $total } зупинки
       *[other] { $total } зупинок
    }
search-parcel = Посилка
window-soon = Вікно скоро закінчиться
window-missed = Вікно пропущено
tour-summary = Підсумок маршруту
tour-summary_now = Показати підсумок маршруту
summary-title = Кінець маршруту
summary-back = Назад до маршруту
summary-stops = Виконано { $done } з { $total ->
        [one] { $total } зупинки
       *[other] { $total } зупинок
    }
summary-finished = Усі зупинки виконано.
summary-not_finished = Деякі зупинки ще відкриті.
summary-delivered = Доставлено
summary-failed = Не доставлено (спроба)
summary-not_attempted = Без спроби
summary-cards_used = Використані повідомлення
summary-cards_unused = Залишок повідомлень
summary-returns = Повернення в авто
summary-conflicts = Конфлікти з диспетчерською
summary-handback_title = Назад у депо
summary-handback = Здайте { $parcels ->
        [one] { $parcels } посилку
        [few] { $parcels } посилки
       *[many] { $parcels } посилок
    }, { $returns ->
        [one] { $returns } повернення
        [few] { $returns } повернення
       *[many] { $returns } повернень
    } і { $cards ->
        [one] { $cards } невикористане повідомлення
        [few] { $cards } невикористані повідомлення
       *[many] { $cards } невикористаних повідомлень
    }.
summary-conflicts_hint = Поясніть конфлікти керівникові депо під час завершення зміни.
about-title = Про Lastmile
about-display = Відображення
about-version = Версія застосунку
about-install_id = ID встановлення
about-schema = Схема бази даних
about-server = Сервер синхронізації
about-credits = Джерела
about-osm = Адреси та картографічні дані © учасники OpenStreetMap, доступні за ліцензією Open Database Licence (ODbL 1.0)
about-licence = Ліцензія
about-licence_text = Lastmile поширюється за ліцензією { $licence }.
about-back = Назад

## Station tablet (issue 12)
station-board-title = Водії сьогодні
station-board-count = { $n ->
        [one] { $n } водій сьогодні
        [few] { $n } водії сьогодні
       *[many] { $n } водіїв сьогодні
    }
station-board-loaded = { $loaded } з { $expected } завантажено
station-board-back = Дошка
station-back = Назад
station-offline = Немає зв'язку з сервером: показано останній відомий стан. Усе, що ви записуєте, зберігається і буде надіслано пізніше.
station-pending = { $n ->
        [one] { $n } дія чекає надсилання
        [few] { $n } дії чекають надсилання
       *[many] { $n } дій чекають надсилання
    }
station-state-expected = Очікується
station-state-checked_in = Зареєстрований
station-state-inspecting = Огляд авто
station-state-held = Заблоковано
station-state-loading = Завантаження
station-state-on_road = У дорозі
station-state-back = Повернувся
station-state-closed = Закрито
station-check_in-open = Зареєструвати водія
station-check_in-title = Реєстрація
station-check_in-hint = Водій вводить свій ідентифікатор і PIN. Планшет не залишає його в системі.
station-pass-title = Реєстрація за кодом на телефоні водія
station-pass-hint = Водій відкриває «Мій код реєстрації» на телефоні. Працює й без Wi-Fi.
station-pass-camera = Сканувати код камерою
station-pass-typed = Або код з ручного сканера
station-code-show = Мій код реєстрації
station-code-hide = Сховати код реєстрації
station-code-hint = Покажіть цей код камері планшета на складі, щоб зареєструватися. Працює без мережі.
station-code-alt = Код реєстрації (QR)
station-check_in-driver = Ідентифікатор водія
station-check_in-pin = PIN
station-check_in-submit = Зареєструвати
station-check_in-wait = Забагато неправильних PIN на цьому планшеті. Наступний PIN через { $s } с.
station-step-vehicle = Авто
station-step-cards = Картки
station-step-loadout = Завантаження
station-step-return = Повернення
station-step-closeout = Закриття
station-day-vehicle = Авто { $plate }
station-vehicle-plate = Номерний знак
station-vehicle-assign = Видати авто
station-hold-title = Маршрут заблоковано: несправність безпеки на { $plate }.
station-hold-what = Розблокуйте маршрут після ремонту або дайте водієві інше авто (потрібен окремий огляд).
station-hold-repaired = Відремонтовано: розблокувати маршрут
station-hold-other_plate = Інше авто
station-hold-other = Видати інше авто
station-inspection-pre = Огляд перед виїздом { $plate }
station-inspection-post = Огляд після повернення { $plate }
station-inspection-open_defects = Відкриті несправності з попередніх оглядів:
station-inspection-mark_repaired = Позначити відремонтованим
station-inspection-passed = Огляд пройдено.
station-inspection-safety = Безпека
station-inspection-ok = Добре
station-inspection-defect = Несправність
station-inspection-note = Що не так?
station-inspection-photo = Фото несправності
station-inspection-photo_asked = Фото (потрібне для цього пункту)
station-inspection-submit = Зберегти огляд
station-item-tyres = Шини: протектор, тиск, пошкодження
station-item-lights = Світло: фари, стоп, поворотники, аварійка
station-item-brakes = Гальма
station-item-mirrors = Дзеркала
station-item-horn = Сигнал
station-item-wipers = Скло і двірники
station-item-leaks = Витоки рідин
station-item-body_damage = Пошкодження кузова
station-item-load_securing = Кріплення вантажу
station-item-first_aid = Аптечка, знак аварійної зупинки
station-cards-title = Картки-повідомлення
station-cards-count = { $n ->
        [one] { $n } картка
        [few] { $n } картки
       *[many] { $n } карток
    }
station-cards-first = Перша картка
station-cards-last = Остання картка
station-cards-issue = Видати пачку
station-scan-label = Скануйте або введіть номер відправлення
station-scan-submit = Додати
station-loadout-title = Завантаження
station-loadout-missing = Ще не скановано, за зупинками
station-loadout-not_loaded = Не завантажено
station-reason-missing_at_station = Немає на складі
station-reason-damaged = Пошкоджено
station-return-title = Повернення на склад
station-return-expected = Ще очікується назад
station-return-cards = Невикористані картки (одна картка: лише перший номер)
station-return-cards_back = Прийняти картки
station-return-discrepancies = Розбіжності з поясненням
station-return-why = Чому?
station-return-explain = Зберегти
station-discrepancy-parcel_not_back = ні доставлено, ні повернуто
station-discrepancy-return_not_handed_in = повернення забрано, але не здано
station-discrepancy-card_missing = картку ні використано, ні повернуто
station-closeout-title = Закриття дня
station-closeout-driver_signs = Підпис водія
station-closeout-lead_signs = Підпис керівника складу
station-closeout-sign = Обидва підписують: закрити день
station-closeout-failed_cards = Не доставлено, з карткою:
station-closeout-unexplained = { $n ->
        [one] { $n } розбіжність ще потребує пояснення.
        [few] { $n } розбіжності ще потребують пояснення.
       *[many] { $n } розбіжностей ще потребують пояснення.
    }
station-closeout-pending = Підписано. Закриття буде надіслано, щойно з'явиться зв'язок.
station-closeout-signed = Підписане закриття (версія { $version }). Його не можна змінити; виправлення — це нова версія.
station-figure-planned = Заплановані посилки
station-figure-loaded = Завантажено
station-figure-not_loaded = Не завантажено
station-figure-delivered = Доставлено
station-figure-failed = Не доставлено
station-figure-returns = Забрані повернення
station-figure-back = Повернуто на склад
station-figure-cards_issued = Видані картки
station-figure-cards_used = Використані картки
station-figure-cards_returned = Повернуті картки
station-figure-cards_missing = Відсутні картки
station-figure-discrepancies = Розбіжності
station-figure-inspections = Огляди
station-figure-defects = Знайдені несправності
station-phone-held = Ваш маршрут заблоковано
station-phone-what = Не їдьте цим авто. Підійдіть до керівника складу: він розблокує маршрут після ремонту або дасть вам інше авто.
station-mydays-title = Мої дні
station-mydays-none = Ще немає підписаного закриття.
station-mydays-offline = Мої дні з'являться, коли телефон буде на зв'язку.
station-mydays-line = { $delivered } доставлено, { $failed } не доставлено, { $back } повернуто, { $cards } карток використано
station-mydays-signed = Підписано з { $lead }
station-err-unknown_plate = У парку немає авто з таким номером: { $detail }
station-err-photo_not_expected = Фото можна додати лише до пункту цього огляду: { $detail }
station-err-card_range_overlaps = Ці картки перетинаються з пачкою іншого водія: { $detail }
station-err-bad_card_range = Це не діапазон карток: { $detail }
station-err-parcel_scanned_twice = Уже скановано: { $detail }
station-err-parcel_is_a_pickup = Це повернення, яке треба забрати, а не посилка для завантаження: { $detail }
station-err-parcel_of_other_tour = Посилка іншого маршруту – належить { $detail }
station-err-unknown_parcel = Цієї посилки немає на маршруті: { $detail }
station-err-card_not_issued = Цієї картки немає в пачці водія: { $detail }
station-err-card_was_used = Цю картку залишено на зупинці: { $detail }
station-err-cards_returned_twice = Цю картку вже прийнято: { $detail }
station-err-blank_explanation = Напишіть, чому не сходиться: { $detail }
station-err-blank_signature = Поле підпису порожнє: підписати мають обидва ({ $detail }).
station-err-unexplained_discrepancies = Спершу поясніть кожну розбіжність: { $detail }
station-err-no_tour_today = У цього водія сьогодні немає маршруту: { $detail }
station-err-no_hold = Маршрут не заблоковано: { $detail }
station-err-check_in_offline = Реєстрація за PIN потребує сервера; без Wi-Fi скануйте код реєстрації на телефоні водія ({ $detail }).
station-err-no_pass_in_picture = На знімку немає коду реєстрації; тримайте телефон ближче й нерухомо ({ $detail }).
station-err-not_a_pass = Це не код реєстрації: { $detail }
station-err-unknown_pass = Цей код реєстрації не для маршруту цього складу на { $detail }; зареєструйтеся за PIN.
station-err-no_pass_today = Ще немає коду реєстрації на сьогоднішній маршрут; під'єднайтеся раз до мережі ({ $detail }).
station-err-offline_no_copy = Немає зв'язку, а на планшеті ще нічого не збережено ({ $detail }).
station-err-not_a_station_action = Планшет не може це записати: { $detail }
station-err-tour_held = Маршрут заблоковано: { $detail }
station-err-wrong_station = Цей водій належить до іншого складу.
station-err-pin_locked = Забагато неправильних PIN: зачекайте хвилину або розблокуйте водія.
station-err-not_loaded = День ще завантажується.

# Supervisor ride-along (issue #13)
ride-assist-carried_parcels = Ніс посилки
ride-assist-talked_to_customer = Говорив з клієнтом
ride-assist-other = Допоміг інакше
ride-assist_title = Зупинки з допомогою
ride-assist_hint = Зупинки, де ви допомагали, не входять у темп водія.
ride-back = Назад до маршруту
ride-banner_running = { $supervisor } сьогодні їде з вами.
ride-banner_waiting = Протоколи, що чекають на ваш підпис: { $n }
ride-cat-safety = Безпека
ride-cat-customer_contact = Контакт з клієнтом
ride-cat-proof_quality = Якість підтвердження
ride-cat-driving = Водіння
ride-cat-handling = Поводження з посилками
ride-cat-other = Інше
ride-category = Категорія
ride-comment = Ваш коментар (згода чи незгода)
ride-current = Зараз
ride-driver_decline = Відмовитися від підпису
ride-driver_sign = Підписати протокол
ride-export = Експортувати мою копію
ride-exported = Копію збережено: { $path }
ride-grade-trained = Навчений
ride-grade-proficient = Впевнений
ride-grade-needs_practice = Потрібна практика
ride-grade-not_observed = Не спостерігалося
ride-last = Остання поїздка з { $driver }
ride-my_records = Мої протоколи поїздок ({ $n })
ride-nav-checklist = Чек-лист
ride-nav-end = Завершення
ride-nav-follow = Маршрут
ride-nav-observe = Нотатки дня
ride-no_drivers = Жоден водій, з яким ви їздите, не має сьогодні маршруту.
ride-no_template = На цьому телефоні ще немає чек-листа. Підключіться, щоб завантажити його.
ride-notes = Нотатки наставника
ride-observations = Спостереження
ride-observe_at = Спостереження на зупинці { $n }
ride-observe_day = Спостереження за весь день
ride-observe_here = Додати спостереження тут
ride-pace = Темп (зупинки / посилки на годину)
ride-pace_own = Ваш власний темп без зупинок з допомогою: { $figures }
ride-pace_with = Разом із зупинками з допомогою: { $figures }
ride-parcels_done = Посилки: { $done } з { $total } виконано
ride-photo = Додати фото
ride-pick = Виберіть водія, з яким їдете
ride-progress_at = Прогрес водія станом на { $time }
ride-progress_never = Прогрес водія ще не завантажено.
ride-record_by = Протокол від { $supervisor }
ride-records_kept = Як збережено на цьому телефоні (немає зв'язку).
ride-records_title = Мої протоколи поїздок
ride-refresh = Оновити прогрес водія
ride-riding_with = Ви їдете з { $driver }.
ride-save_observation = Зберегти спостереження
ride-saved = Збережено.
ride-sign = Підписати й завершити поїздку
ride-sign_hint = Підпишіть, щоб завершити поїздку. Водій прочитає протокол на своєму телефоні.
ride-sign_missing = Спершу підпишіться в полі.
ride-start = Почати поїздку
ride-status-running = Триває
ride-status-awaiting_driver = Підписано вами; чекає на водія
ride-status-awaiting_you = Чекає на ваш підпис
ride-status-signed = Підписано обома
ride-status-declined = Водій відмовився підписати
ride-stop_title = Зупинка { $n }
ride-stops_done = Зупинки: { $done } з { $total } виконано
ride-summary = Спостереження: { $observations } · Оцінки: { $grades } · Зупинки з допомогою: { $assisted }
ride-supervisor_not_signed = Ще не підписано керівником.
ride-supervisor_signed = Підписано керівником.
ride-text = Що ви побачили
ride-whole_day = весь день
ride-you_declined = Ви відмовилися підписати.
ride-you_signed = Ви підписали цей протокол.
err-ride-blank_text = Спершу щось напишіть.
err-ride-blank_signature = Бракує підпису.
err-ride-signed = Цю поїздку підписано, нові записи не приймаються.
err-ride-supervisor_not_signed = Керівник ще не підписав цей протокол.
err-ride-answered = Ви вже відповіли на цей протокол.
err-ride-unknown = Цієї поїздки немає на цьому телефоні.
err-ride-grade_not_in_template = Цей чек-лист не використовує таку оцінку.
err-ride-unknown_item = У цьому чек-листі немає такого пункту.
err-ride-template_mismatch = Цей протокол оцінюється за іншою версією чек-листа.
err-ride-text_too_long = Текст задовгий.
err-ride-other_tour = Ця поїздка належить до іншого маршруту, ніж на телефоні.

# Corrections (issue 14)
parcel-correct = Виправити
correct-title = Виправити { $id }
correct-recorded = Записано:
correct-to_delivered = Доставлено
correct-to_failed = Не доставлено
correct-note = Чому виправляєте? (обов'язково)
correct-confirm = Зберегти виправлення
correct-done = Виправлення для { $id } збережено. Оригінал лишається в історії.
err-rule-not_correctable = Виправити можна лише останню доставку або останню спробу доставки посилки.
err-rule-correction_reason_missing = Вкажіть, чому результат виправляється.
undo-remaining = Скасувати: залишилось { $s } с. Потім виправте на зупинці.

# Conflicts shown and acknowledged (issue 14)
conflict-title = Зміни диспетчера після твого запису
conflict-parcel_dropped = Диспетчер: у новому плані цієї посилки вже немає.
conflict-parcel_moved = Диспетчер переніс цю посилку на зупинку { $detail }.
conflict-stop_removed = Диспетчер видалив цю зупинку; вона лишається, бо ти записав тут результати.
conflict-address_corrected = Диспетчер виправив адресу на { $detail }: перевір, чи посилки потрапили до правильних дверей.
conflict-not_loaded = Склад позначив цю посилку як незавантажену.
conflict-recorded = Ти записав:
conflict-ack = Переглянуто

# ETA from the road (issue 14)
guide-eta-road = дорогою, залишилось { $d }
guide-eta-straight = оцінено по прямій

# Glove mode (issue 14)
theme-gloves_on = Рукавички: великі кнопки, увімк.
theme-gloves_off = Рукавички: великі кнопки, вимк.

# Parcel-shop card (issue 14)
deliver-shop_card = Картка для отримувача (вказує пункт видачі):
## Privacy (issue 16)
privacy-keys-in-files = Тестовий режим: ключі, що захищають дані цього пристрою, зберігаються у файлах, а не у сховищі ключів пристрою. Не використовуйте його для справжніх доставок.
# Blocks for independent (flex) drivers (issue 15).
offers-nav-offers = Пропозиції
offers-nav-earnings = Заробіток
offers-nav-tour = Маршрут
offers-state-upcoming = скоро відкриється
offers-state-open = відкрито для заявок
offers-state-closed = закрито
offers-title = Запропоновані блоки
offers-reload = Оновити
offers-how = Блоки розподіляються опублікованою жеребкуванням після закриття кожного раунду; час подання заявки не має значення. Як це працює: docs/blocks-lottery.md.
offers-credit = Бали справедливості: { $n }
offers-none = Зараз немає запропонованих блоків.
offers-results = Результати
offers-verified = Перевірено: цей телефон перерахував жеребкування й отримав той самий результат.
offers-mismatch = НЕ ЗБІГАЄТЬСЯ: цей телефон перерахував жеребкування й отримав інший результат. Повідомте станцію.
offers-unchecked = Ще не перевірено (немає зв'язку).
offers-lost = У цьому раунді ви не виграли блок.
offers-won = Ви виграли: { $blocks }
offers-pseudonym = Ваше ім'я в опублікованому жеребкуванні: { $name }
offers-my-blocks = Мої блоки
offers-round = Раунд { $n }
offers-window = Відкрито { $opens }–{ $closes }
offers-commitment = Зобов'язання { $hash }…
offers-places = Місць: { $n }
offers-held = Ваша заявка: { $blocks }
offers-send = Надіслати заявку
offers-fair = Торкніться блоків у бажаному порядку. Заявку можна змінити до закриття раунду.
offers-status-won = Виграно – підтвердіть
offers-status-confirmed = Підтверджено
offers-status-released = Повернено
offers-status-expired = Не підтверджено вчасно
offers-confirm-by = Підтвердіть до { $time }
offers-confirm = Підтвердити
offers-release = Повернути
offers-earnings-title = Заробіток цього тижня
offers-week = Тиждень з { $date }
offers-earnings-none = Цього тижня ще немає відпрацьованих блоків.
offers-earned-line = { $hours } год · { $stops } зупинок · { $parcels } посилок
offers-total = Разом: { $pay } за { $hours } год
offers-export = Експорт (CSV і сторінка для друку)
offers-signin-flex_id = ID водія (flex)
offers-signin-mode-flex = Незалежний водій (flex)

## Lockers and parcel shops as their own methods
method-locker = Поштомат
deliver-shop_name = Назва пункту (необов'язково)
deliver-locker = Номер поштомата
deliver-compartment = Комірка
deliver-pickup_code = Код отримання (необов'язково)
deliver-locker_card = Картка для отримувача (вказує поштомат і комірку):
err-rule-shop_missing = Не вказано номер пункту видачі.
hint-rule-shop_missing = Введіть номер пункту з вивіски або сканера.
err-rule-locker_missing = Не вказано номер поштомата або комірку.
hint-rule-locker_missing = Введіть номер поштомата і комірки.

## The driver's evidence bundle
evidence-title = Мій день як доказ
evidence-hint = Підписаний файл твого дня: зупинки, час, позиції, результати, картки, виправлення, фото й підписи. Збережи його на випадок суперечки про посилку чи робочий час.
evidence-none = На цьому пристрої немає твого дня.
evidence-day = День
evidence-folder = Тека
evidence-key = Ключ пристрою:
evidence-export = Експортувати мій день
evidence-done = Експортовано, файлів: { $files }:
err-evidence-not_yours = Цей день записав інший водій; лише він може його експортувати.
hint-evidence-not_yours = Лише водій, який записав день, може його експортувати.
err-evidence-failed = Не вдалося створити файл.
hint-evidence-failed = Спробуй ще раз; якщо не вийде, повідом складу.
err-evidence-folder = У цю теку не можна записати.
hint-evidence-folder = Вибери теку, у яку можна записувати, і перевір, чи не заповнена пам'ять.
## Security and privacy (issue 16): a server whose TLS certificate this device does not trust
err-server-untrusted = Цей пристрій не довіряє сертифікату сервера.
hint-server-untrusted = З'єднання відхилено, щоб ніхто не міг підслухати. Попросіть станцію перевірити адресу сервера та його сертифікат; записана робота в безпеці на цьому пристрої.

## Station tablet: the audit trail (issue 16)
audit-open = Журнал доступу
audit-title = Хто що переглянув
audit-intro = Кожен перегляд фото, підписів, маршруту чи дня водія кимось іншим, ніж цей водій, найновіші першими.
audit-empty = Ще ніхто не переглядав докази чи день водія.
audit-line = { $who } ({ $role }) переглянув(ла) { $what } водія { $driver }
audit-what-proof = файл доказу
audit-what-tour = маршрут
audit-what-day = день
audit-role-station = керівник станції
audit-role-supervisor = супервайзер
audit-role-driver = водій
audit-role-flex = флекс-водій
## Service visits (issue 14)
service-kind-service = Сервісний візит
service-kind-parcel_shop = Пункт видачі
service-kind-pickup = Забір
service-title = Сервісний візит
service-planned = Заплановано: { $minutes } хв
service-started-at = Розпочато о { $time }
service-finished-at = Завершено о { $time }
service-start = Розпочати візит
service-checklist-hint = Дайте відповідь на кожен пункт: виконано чи не виконано. Примітка необов'язкова.
service-done = Виконано
service-not-done = Не виконано
service-unanswered = Без відповіді
service-note = Примітка (необов'язково)
service-photo = Фото (необов'язково)
service-customer = Ім'я клієнта
service-sign = Підпис клієнта (приймання)
service-finish = Завершити візит
service-signed-by = Прийняв(ла): { $name }
service-finished-notice = Сервісний візит записано.
err-service-not_a_service_stop = Ця зупинка не є сервісним візитом.
err-service-already_started = Візит уже розпочато.
err-service-not_started = Спершу розпочніть візит.
err-service-already_finished = Цей візит уже завершено.
err-service-item_unanswered = Пункт чек-листа ще без відповіді.
err-service-unknown_item = У чек-листі немає такого пункту.
err-service-item_twice = На пункт чек-листа відповіли двічі.
err-service-name_missing = Бракує імені клієнта.
err-service-signature_missing = Бракує підпису клієнта.
err-service-text_too_long = Текст задовгий.
hint-service-item_unanswered = Позначте кожен пункт як виконаний чи ні, потім завершіть знову.
hint-service-signature_missing = Попросіть клієнта підписатися в полі, потім завершіть знову.
## The offline map (issue 17)
map-title = Мапа
map-hide = Сховати мапу
map-show = Показати мапу
map-recenter = Центрувати
map-not-downloaded = Мапу цієї області не завантажено
map-downloading = Завантаження мапи: { $percent } %
map-credit = © Учасники OpenStreetMap
map-stop = Зупинка { $n }
map-parcels = { $n ->
        [one] { $n } посилка
        [few] { $n } посилки
       *[many] { $n } посилок
    }
map-no-webgl = Цей пристрій не може показати мапу.
