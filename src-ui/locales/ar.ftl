app-title = Lastmile
lang-label = اللغة
nav-tour = الجولة
nav-stop = النقطة الحالية

## connection card (start screen)
conn-checking = جارٍ التحقق من الاتصال…
conn-connected = ● متصل بخادم المزامنة
conn-server = الخادم { $version } ({ $backend })
conn-offline = ● غير متصل — عملك محفوظ على هذا الجهاز وسيُرسل لاحقًا
conn-not_configured = لم يُضبط خادم مزامنة
conn-retry = تحقّق مرة أخرى
device-opening = جارٍ فتح قاعدة البيانات المحلية…
device-label = الجهاز
device-ready = قاعدة البيانات المحلية جاهزة (المخطط { $schema })
device-app = التطبيق

## sign-in
signin-title = تسجيل الدخول
signin-driver_id = رقم السائق
signin-pin = الرمز السري
signin-enrolment_code = رمز التسجيل (جهاز جديد)
signin-submit = تسجيل الدخول
signin-busy = جارٍ تسجيل الدخول…
signin-mode = أسجّل الدخول بصفة
signin-mode-driver = سائق
signin-mode-station = جهاز المحطة اللوحي
signin-mode-supervisor = مرافقة (مشرف)
signin-lead_id = رقم مسؤول المحطة
signin-supervisor_id = رقم المشرف
signin-signed_in_as = تم تسجيل الدخول باسم { $user }
station-title = جهاز المحطة اللوحي
ride-title = مرافقة

## tour
tour-title = جولتك
tour-none = لا توجد جولة على هذا الجهاز بعد.
tour-download = تنزيل الجولة
tour-downloading = جارٍ تنزيل الجولة…
tour-progress = أُنجز { $done } من { $total ->
        [zero] { $total } نقطة
        [one] نقطة واحدة
        [two] نقطتين
        [few] { $total } نقاط
        [many] { $total } نقطة
       *[other] { $total } نقطة
    } · { $open ->
        [zero] لا طرود متبقية
        [one] طرد واحد متبقٍ
        [two] طردان متبقيان
        [few] { $open } طرود متبقية
        [many] { $open } طردًا متبقيًا
       *[other] { $open } طرد متبقٍ
    }
tour-station = المستودع { $name }
tour-start = إلى نقطة التسليم الحالية
tour-finished = أُنجزت كل النقاط. أحسنت!
state-open = مفتوحة
state-arrived = تم الوصول
state-done = منجزة
state-failed = لم يتم التسليم
state-skipped = متخطاة
parcel-pending = للتسليم
parcel-delivered = تم التسليم
parcel-failed = لم يتم التسليم
parcel-picked_up = تم الاستلام
parcel-return = مرتجع
parcel-signature = التوقيع مطلوب
parcel-id_check = التحقق من الهوية / العمر

## stop
stop-title = النقطة { $n }
stop-notes = إرشادات الوصول:
stop-window = النافذة الزمنية: { $window }
stop-parcels = الطرود
stop-deliver = تم التسليم
stop-fail = لم يتم التسليم
stop-next = النقطة التالية
stop-none = لا توجد نقطة مفتوحة: الجولة منجزة.
stop-loading = جارٍ تحميل النقطة…

## deliver dialog
deliver-title = تسليم { $id }
method-recipient = إلى المستلم
method-neighbour = إلى أحد الجيران
method-safe_place = مكان آمن
method-parcel_shop = نقطة استلام
deliver-name = اسم الشخص
deliver-house_number = رقم منزل الجار
deliver-confirm = تأكيد التسليم
dialog-cancel = إلغاء

## fail dialog
fail-title = لم يتم التسليم: { $id }
fail-reason = السبب
reason-nobody_home = لا أحد في المنزل
reason-refused = رُفض الاستلام
reason-damaged = تالف
reason-address_not_found = العنوان غير موجود
reason-no_access = لا يمكن الوصول
reason-business_closed = المحل مغلق
reason-out_of_time = لا وقت كافٍ
fail-card = رقم بطاقة الإشعار (من رزمتك)
fail-no_card = بدون بطاقة
fail-says = مكتوب على البطاقة
says-next_attempt = سنحاول مرة أخرى
says-pick_up_at_station = الاستلام من المستودع
fail-confirm = تسجيل المحاولة

## undo
undo-delivered = سُجّل: { $id } تم تسليمه
undo-failed = سُجّل: { $id } لم يتم تسليمه
undo-button = تراجع
undo-done = تم التراجع: { $id } مفتوح من جديد
warn-far_from_stop = سُجّل بعيدًا عن النقطة.
warn-out_of_order = لم تكن هذه النقطة التالية في الخطة.
warn-outside_time_window = خارج النافذة الزمنية.

## stop: guidance, scanning, proof, returns (stop screen and its dialogs)
stop-out_of_order = { $n ->
        [zero] لا توجد نقاط مخطط لها قبل هذه ما زالت مفتوحة.
        [one] نقطة واحدة مخطط لها قبل هذه ما زالت مفتوحة.
        [two] نقطتان مخطط لهما قبل هذه ما زالتا مفتوحتين.
        [few] { $n } نقاط مخطط لها قبل هذه ما زالت مفتوحة.
        [many] { $n } نقطة مخطط لها قبل هذه ما زالت مفتوحة.
       *[other] { $n } نقطة مخطط لها قبل هذه ما زالت مفتوحة.
    } يمكنك مع ذلك العمل هنا.
stop-arrive = أنا هنا
stop-skip = تخطَّ الآن
stop-pick_up = تم الاستلام
guide-no_position = لا يوجد موقع بعد.
guide-here = أنت عند النقطة.
guide-distance = { $dir ->
        [n] { $d } باتجاه الشمال
        [ne] { $d } باتجاه الشمال الشرقي
        [e] { $d } باتجاه الشرق
        [se] { $d } باتجاه الجنوب الشرقي
        [s] { $d } باتجاه الجنوب
        [sw] { $d } باتجاه الجنوب الغربي
        [w] { $d } باتجاه الغرب
       *[nw] { $d } باتجاه الشمال الغربي
    }
guide-eta = الوصول { $t } · نهاية الجولة { $end }
guide-source-gps = GPS
guide-source-simulated = موقع محاكى
guide-navigate = ابدأ الملاحة
guide-opened = سُلّم إلى تطبيق الخرائط:
turn-depart = انطلق
turn-arrive = الوصول
turn-turn = انعطف
turn-left = انعطف يسارًا
turn-right = انعطف يمينًا
turn-slight_left = ابقَ قليلًا إلى اليسار
turn-slight_right = ابقَ قليلًا إلى اليمين
turn-sharp_left = انعطف بحدة يسارًا
turn-sharp_right = انعطف بحدة يمينًا
turn-straight = استمر مباشرة
turn-uturn = استدر للخلف
turn-roundabout = ادخل الدوّار
turn-continue = تابع
turn-new_name = تابع
turn-merge = اندمج في المسار
turn-fork = عند التفرع
turn-end_of_road = في نهاية الطريق
turn-on_ramp = ادخل المنحدر
turn-off_ramp = اسلك المخرج
turn-exit_roundabout = اخرج من الدوّار
turn-exit_rotary = اخرج من الدوّار
turn-roundabout_exit = في الدوّار اسلك المخرج { $n }
turn-with_way = { $what } ({ $way })
way-left = يسارًا
way-right = يمينًا
way-slight_left = قليلًا إلى اليسار
way-slight_right = قليلًا إلى اليمين
way-sharp_left = بحدة يسارًا
way-sharp_right = بحدة يمينًا
way-straight = مباشرة
way-uturn = استدارة للخلف
scan-picture = امسح الملصق (كاميرا / صورة)
scan-placeholder = أو اكتب رقم التتبع
scan-check = تحقّق
scan-this_stop = { $id } يخص هذه النقطة.
scan-other_stop = { $id } ليس لهذه النقطة: إنه يخص النقطة { $n }، { $address }.
scan-go_stop = إلى النقطة { $n }
scan-not_on_tour = { $id } ({ $courier }) ليس في جولة اليوم.
scan-take_return = خذه كمرتجع
photo-take = التقط صورة أو اخترها
photo-take_optional = صورة (اختياري)
photo-remove = إزالة الصورة
sign-empty = وقّع هنا بإصبعك
sign-here = تم التوقيع
sign-clear = مسح
deliver-safe_place = أين تُرك؟
deliver-shop = نقطة استلام
deliver-id_checked = تحققت من الهوية / العمر
fail-card_photo = صورة البطاقة في صندوق البريد (اختياري)
deliver-neighbour_card = بطاقة للمستلم (تذكر الجار):
says-at_parcel_shop = في نقطة استلام
pickup-title = استلام المرتجع { $id }
pickup-hint = استلم الطرد وتحقق من الملصق.
pickup-confirm = تسجيل الاستلام
undo-picked_up = تم استلام { $id }.
err-photo-unusable = لا يمكن استخدام هذه الصورة.
hint-photo-unusable = التقط الصورة مرة أخرى أو اختر صورة JPEG أو PNG.
err-scan-nothing_found = لم يُعثر على رمز شريطي في الصورة.
hint-scan-nothing_found = قرّب الكاميرا من الملصق أو اكتب الرقم.
err-scan-unreadable = تتعذر قراءة الصورة.
err-tracking-empty = اكتب رقم تتبع أولًا.
err-tracking-check_digit = رقم التتبع هذا غير صالح: رقم التحقق لا يتطابق.
hint-tracking-check_digit = قارنه بالملصق رقمًا رقمًا أو امسحه.
err-tracking-unknown_format = هذا ليس رقم تتبع نعرفه.
hint-tracking-unknown_format = تحقق من الرقم على الملصق أو امسحه.
err-navigate-failed = تعذر فتح أي تطبيق خرائط.
hint-navigate-failed = استخدم المسافة والاتجاه الظاهرين هنا أو افتح تطبيق الخرائط بنفسك.
err-rule-photo_required = صورة المكان الآمن مطلوبة.
hint-rule-photo_required = التقط صورة للمكان الذي تركت فيه الطرد.
hint-rule-signature_required = اطلب من المستلم التوقيع في الحقل.
err-rule-wrong_stop = هذا الطرد يخص نقطة أخرى.
err-rule-already_picked_up = تم استلام هذا المرتجع من قبل.
err-input-invalid = الإدخال غير صالح.

## sync bar
sync-pending = { $n } للإرسال
sync-all_sent = أُرسل كل شيء
sync-bytes = صور بحجم { $kb } ك.ب
sync-last = آخر مزامنة { $time }
sync-never = لم تتم المزامنة بعد
sync-offline = غير متصل: محفوظ على الجهاز ويُرسل عند عودة الاتصال
sync-not_signed_in = سجّل الدخول للإرسال
sync-others_pending = { $n ->
        [zero] لا توجد سجلات لـ { $driver } قيد الإرسال على هذا الجهاز
        [one] لا يزال سجل واحد لـ { $driver } على هذا الجهاز قيد الإرسال
        [two] لا يزال سجلان لـ { $driver } على هذا الجهاز قيد الإرسال
        [few] لا تزال { $n } سجلات لـ { $driver } على هذا الجهاز قيد الإرسال
        [many] لا يزال { $n } سجلًا لـ { $driver } على هذا الجهاز قيد الإرسال
       *[other] لا يزال { $n } سجل لـ { $driver } على هذا الجهاز قيد الإرسال
    }
sync-rejected = { $n ->
        [zero] لم يرفض الخادم أي سجل
        [one] رفض الخادم سجلاً واحداً (محفوظ على هذا الجهاز؛ ترى المحطة السبب)
        [two] رفض الخادم سجلين (محفوظان على هذا الجهاز؛ ترى المحطة السبب)
        [few] رفض الخادم { $n } سجلات (محفوظة على هذا الجهاز؛ ترى المحطة السبب)
        [many] رفض الخادم { $n } سجلاً (محفوظة على هذا الجهاز؛ ترى المحطة السبب)
       *[other] رفض الخادم { $n } سجل (محفوظة على هذا الجهاز؛ ترى المحطة السبب)
    }
sync-now = أرسل الآن
sync-oldest = الأقدم { $age }
sync-what_waits = ما ينتظر
age-hm = { $h } س { $m } د
age-m = { $m } د
age-under_minute = < 1 د
waiting-at_stop = المحطة { $n }
waiting-stop_arrived = الوصول
waiting-parcel_delivered = تم التسليم
waiting-delivery_failed = لم يتم التسليم
waiting-return_picked_up = تم استلام المرتجع
waiting-stop_skipped = تم تخطي المحطة
waiting-outcome_undone = تم التراجع
waiting-outcome_corrected = تصحيح
waiting-photo = صورة
waiting-signature_image = توقيع
waiting-signature_strokes = توقيع (خطوط)
waiting-card_photo = صورة البطاقة

## errors: what happened
err-unknown = حدث خطأ ما.
err-details = تفاصيل تقنية (للدعم)
err-ui-not_in_app = هذه الصفحة تعمل خارج تطبيق Lastmile.
err-server-unreachable = تعذر الوصول إلى الخادم.
err-server-not_configured = لم يُضبط خادم مزامنة.
err-server-error = أبلغ الخادم عن مشكلة.
err-sync-event_too_large = سجل كبير جداً للإرسال؛ يبقى على هذا الجهاز ويتم إرسال السجلات التالية.
err-auth-bad_credentials = رقم السائق أو الرمز السري خاطئ.
err-auth-bad_enrolment_code = رمز التسجيل غير صالح.
err-auth-enrolment_code_missing = هذا الجهاز جديد ويحتاج إلى رمز تسجيل.
err-auth-not_signed_in = لم يسجّل أحد الدخول.
err-auth-expired = انتهت صلاحية تسجيل دخولك.
err-tour-not_found = لا توجد جولة لك على الخادم.
err-tour-none = لا توجد جولة محمّلة على هذا الجهاز.
err-tour-invalid = لا يمكن استخدام الجولة القادمة من الخادم.
err-rule-name_missing = الاسم مفقود.
err-rule-house_number_missing = رقم منزل الجار مفقود.
err-rule-method_not_allowed = لا يجوز تسليم هذا الطرد بهذه الطريقة.
err-rule-signature_required = هذا الطرد يحتاج إلى توقيع.
err-rule-id_check_required = هذا الطرد يحتاج إلى التحقق من الهوية.
err-rule-card_required = اترك بطاقة إشعار لهذا السبب.
err-rule-card_contradicts = نص البطاقة لا يطابق ما حدث.
err-rule-already_delivered = تم تسليم هذا الطرد من قبل.
err-rule-undo_window_passed = فات أوان التراجع.
err-rule-not_undoable = لم يعد بالإمكان التراجع عن هذا.
err-card-malformed = هذا ليس رقم بطاقة.
err-card-not_issued = هذه البطاقة ليست من رزمتك.
err-card-already_used = هذه البطاقة استُخدمت من قبل.
err-store-full = ذاكرة الجهاز ممتلئة.
err-store-unavailable = تعذر فتح قاعدة البيانات المحلية.
err-store-failed = تعذر على الجهاز حفظ هذا.

## errors: what to do
hint-generic = حاول مرة أخرى. إذا تكرر الأمر، اتصل بالمستودع.
hint-server-unreachable = انتقل إلى مكان فيه إشارة وحاول مرة أخرى. العمل المسجّل يبقى آمنًا على هذا الجهاز.
hint-auth-bad_credentials = تحقق من رقم السائق والرمز السري وحاول مرة أخرى.
hint-auth-bad_enrolment_code = اطلب من المستودع رمز تسجيل حاليًا.
hint-auth-enrolment_code_missing = أدخل رمز التسجيل من المستودع.
hint-auth-expired = سجّل الدخول مرة أخرى.
hint-auth-not_signed_in = سجّل الدخول أولًا.
hint-tour-not_found = اطلب من المستودع أن يخصص لك جولة، ثم نزّلها مرة أخرى.
hint-rule-name_missing = اكتب اسم الشخص الذي استلم الطرد.
hint-rule-house_number_missing = اكتب رقم منزل الجار.
hint-rule-card_required = اختر بطاقة من رزمتك.
hint-card-not_issued = استخدم بطاقة من الرزمة التي استلمتها عند بدء الوردية.
hint-card-already_used = خذ البطاقة التالية من رزمتك.
hint-rule-undo_window_passed = اطلب من المستودع تصحيحه.
hint-store-full = أفرغ مساحة على الجهاز. لم يُفقد أي شيء مسجّل.

## --- tour overview, end-of-tour summary, About, display settings (branch overview) ---
nav-about = معلومات
nav-summary = الملخص
theme-contrast = تباين عالٍ لضوء الشمس
theme-contrast_on = التباين العالي: مفعّل
theme-contrast_off = التباين العالي: متوقف
search-label = ابحث عن نقطة
search-placeholder = العنوان أو رقم التتبع
search-clear = مسح البحث
search-clear_short = مسح
search-none = لا توجد نقطة تطابق «{ $q }».
search-none_hint = تحقق من الإملاء، أو اكتب جزءًا من الشارع أو آخر أرقام رقم التتبع.
search-count = { $n } من { $total ->
        [zero] { $total } نقطة
        [one] نقطة واحدة
        [two] نقطتين
        [few] { $total } نقاط
        [many] { $total } نقطة
       *[other] { $total } نقطة
    }
search-parcel = طرد
window-soon = النافذة تنتهي قريبًا
window-missed = فاتت النافذة
tour-summary = ملخص نهاية الجولة
tour-summary_now = عرض ملخص نهاية الجولة
summary-title = نهاية الجولة
summary-back = العودة إلى الجولة
summary-stops = أُنجز { $done } من { $total ->
        [zero] { $total } نقطة
        [one] نقطة واحدة
        [two] نقطتين
        [few] { $total } نقاط
        [many] { $total } نقطة
       *[other] { $total } نقطة
    }
summary-finished = أُنجزت كل النقاط.
summary-not_finished = بعض النقاط ما زالت مفتوحة.
summary-delivered = تم التسليم
summary-failed = لم يتم التسليم (مع محاولة)
summary-not_attempted = بلا محاولة
summary-cards_used = البطاقات المستخدمة
summary-cards_unused = البطاقات المتبقية
summary-returns = المرتجعات في المركبة
summary-conflicts = تعارضات مع الإرسال
summary-handback_title = العودة إلى المستودع
summary-handback = سلّم { $parcels ->
        [zero] لا طرود
        [one] طردًا واحدًا
        [two] طردين
        [few] { $parcels } طرود
        [many] { $parcels } طردًا
       *[other] { $parcels } طرد
    } و{ $returns ->
        [zero] لا مرتجعات
        [one] مرتجعًا واحدًا
        [two] مرتجعين
        [few] { $returns } مرتجعات
        [many] { $returns } مرتجعًا
       *[other] { $returns } مرتجع
    } و{ $cards ->
        [zero] لا بطاقات غير مستخدمة
        [one] بطاقة واحدة غير مستخدمة
        [two] بطاقتين غير مستخدمتين
        [few] { $cards } بطاقات غير مستخدمة
        [many] { $cards } بطاقة غير مستخدمة
       *[other] { $cards } بطاقة غير مستخدمة
    }.
summary-conflicts_hint = اشرح التعارضات لمسؤول المستودع عند تسجيل الخروج.
about-title = حول Lastmile
about-display = العرض
about-version = إصدار التطبيق
about-install_id = معرّف التثبيت
about-schema = مخطط قاعدة البيانات
about-server = خادم المزامنة
about-credits = المصادر
about-osm = العناوين وبيانات الخرائط © المساهمون في OpenStreetMap، متاحة بموجب Open Database Licence (ODbL 1.0)
about-licence = الترخيص
about-licence_text = Lastmile مرخّص بموجب { $licence }.
about-back = رجوع

## Station tablet (issue 12)
station-board-title = سائقو اليوم
station-board-count = { $n ->
        [zero] لا سائقين اليوم
        [one] سائق واحد اليوم
        [two] سائقان اليوم
        [few] { $n } سائقين اليوم
        [many] { $n } سائقًا اليوم
       *[other] { $n } سائق اليوم
    }
station-board-loaded = تم تحميل { $loaded } من { $expected }
station-board-back = اللوحة
station-back = رجوع
station-offline = لا اتصال بالخادم: تظهر آخر حالة معروفة. كل ما تسجله يُحفظ ويُرسل لاحقًا.
station-pending = { $n ->
        [zero] لا إجراءات بانتظار الإرسال
        [one] إجراء واحد بانتظار الإرسال
        [two] إجراءان بانتظار الإرسال
        [few] { $n } إجراءات بانتظار الإرسال
        [many] { $n } إجراءً بانتظار الإرسال
       *[other] { $n } إجراء بانتظار الإرسال
    }
station-state-expected = متوقع
station-state-checked_in = مسجّل الحضور
station-state-inspecting = فحص المركبة
station-state-held = موقوف
station-state-loading = تحميل
station-state-on_road = في الطريق
station-state-back = عاد
station-state-closed = مغلق
station-check_in-open = تسجيل حضور سائق
station-check_in-title = تسجيل الحضور
station-check_in-hint = يدخل السائق معرّفه ورمزه السري. لا يبقي الجهاز اللوحي السائق مسجّلًا.
station-pass-title = تسجيل الحضور بالرمز على هاتف السائق
station-pass-hint = يفتح السائق «رمز تسجيل الحضور» على هاتفه. يعمل أثناء انقطاع الشبكة.
station-pass-camera = امسح الرمز بالكاميرا
station-pass-typed = أو الرمز من الماسح اليدوي
station-code-show = رمز تسجيل الحضور
station-code-hide = إخفاء رمز تسجيل الحضور
station-code-hint = اعرض هذا الرمز على كاميرا جهاز المحطة اللوحي لتسجيل الحضور. يعمل دون شبكة.
station-code-alt = رمز تسجيل الحضور (QR)
station-check_in-driver = معرّف السائق
station-check_in-pin = الرمز السري
station-check_in-submit = تسجيل الحضور
station-check_in-wait = رموز PIN خاطئة كثيرة على هذا الجهاز اللوحي. الرمز التالي بعد { $s } ث.
station-step-vehicle = المركبة
station-step-cards = البطاقات
station-step-loadout = التحميل
station-step-return = العودة
station-step-closeout = الإغلاق
station-day-vehicle = المركبة { $plate }
station-vehicle-plate = رقم اللوحة
station-vehicle-assign = تسليم المركبة
station-hold-title = الجولة موقوفة: عيب أمان في { $plate }.
station-hold-what = أطلق الجولة بعد إصلاح العيب، أو أعطِ السائق مركبة أخرى (تحتاج فحصًا خاصًا بها).
station-hold-repaired = تم الإصلاح: أطلق الجولة
station-hold-other_plate = مركبة أخرى
station-hold-other = تسليم المركبة الأخرى
station-inspection-pre = فحص ما قبل الانطلاق لـ { $plate }
station-inspection-post = فحص ما بعد العودة لـ { $plate }
station-inspection-open_defects = عيوب مفتوحة من فحوص سابقة:
station-inspection-mark_repaired = تعليم كمُصلَح
station-inspection-passed = نجح الفحص.
station-inspection-safety = أمان
station-inspection-ok = سليم
station-inspection-defect = عيب
station-inspection-note = ما المشكلة؟
station-inspection-photo = صورة العيب
station-inspection-photo_asked = صورة (مطلوبة لهذا البند)
station-inspection-submit = حفظ الفحص
station-item-tyres = الإطارات: النقشة والضغط والأضرار
station-item-lights = الأضواء: الأمامية والفرامل والإشارات والتحذير
station-item-brakes = الفرامل
station-item-mirrors = المرايا
station-item-horn = البوق
station-item-wipers = الزجاج الأمامي والمساحات
station-item-leaks = تسرب السوائل
station-item-body_damage = أضرار الهيكل
station-item-load_securing = تثبيت الحمولة
station-item-first_aid = حقيبة الإسعاف ومثلث التحذير
station-cards-title = بطاقات الإشعار
station-cards-count = { $n ->
        [zero] لا بطاقات
        [one] بطاقة واحدة
        [two] بطاقتان
        [few] { $n } بطاقات
        [many] { $n } بطاقة
       *[other] { $n } بطاقة
    }
station-cards-first = أول بطاقة
station-cards-last = آخر بطاقة
station-cards-issue = تسليم الرزمة
station-scan-label = امسح رقم التتبع أو اكتبه
station-scan-submit = إضافة
station-loadout-title = التحميل
station-loadout-missing = لم تُمسح بعد، حسب المحطة
station-loadout-not_loaded = لم يُحمَّل
station-reason-missing_at_station = مفقود في المستودع
station-reason-damaged = تالف
station-return-title = العودة إلى المستودع
station-return-expected = ما زال متوقعًا عودته
station-return-cards = البطاقات غير المستخدمة (بطاقة واحدة: الرقم الأول فقط)
station-return-cards_back = استلام البطاقات
station-return-discrepancies = فروقات تحتاج تفسيرًا
station-return-why = لماذا؟
station-return-explain = حفظ
station-discrepancy-parcel_not_back = لم يُسلَّم ولم يعد
station-discrepancy-return_not_handed_in = أُخذ المرتجع ولم يُسلَّم
station-discrepancy-card_missing = بطاقة لم تُستخدم ولم تُعد
station-closeout-title = إغلاق اليوم
station-closeout-driver_signs = توقيع السائق
station-closeout-lead_signs = توقيع مسؤول المستودع
station-closeout-sign = يوقّع الاثنان: إغلاق اليوم
station-closeout-failed_cards = لم يُسلَّم مع بطاقة:
station-closeout-unexplained = { $n ->
        [zero] لا فروقات بلا تفسير.
        [one] فرق واحد ما زال يحتاج تفسيرًا.
        [two] فرقان ما زالا يحتاجان تفسيرًا.
        [few] { $n } فروقات ما زالت تحتاج تفسيرًا.
        [many] { $n } فرقًا ما زال يحتاج تفسيرًا.
       *[other] { $n } فرق ما زال يحتاج تفسيرًا.
    }
station-closeout-pending = تم التوقيع. يُرسل الإغلاق عند توفر الاتصال.
station-closeout-signed = إغلاق موقَّع (الإصدار { $version }). لا يمكن تغييره؛ التصحيح إصدار جديد.
station-figure-planned = الطرود المخطط لها
station-figure-loaded = المحمَّلة
station-figure-not_loaded = غير المحمَّلة
station-figure-delivered = المسلَّمة
station-figure-failed = غير المسلَّمة
station-figure-returns = المرتجعات المأخوذة
station-figure-back = العائدة إلى المستودع
station-figure-cards_issued = البطاقات المسلَّمة
station-figure-cards_used = البطاقات المستخدمة
station-figure-cards_returned = البطاقات المعادة
station-figure-cards_missing = البطاقات المفقودة
station-figure-discrepancies = الفروقات
station-figure-inspections = الفحوص
station-figure-defects = العيوب المكتشفة
station-phone-held = جولتك موقوفة
station-phone-what = لا تقد هذه المركبة. اذهب إلى مسؤول المستودع: يطلق جولتك بعد الإصلاح أو يعطيك مركبة أخرى.
station-mydays-title = أيامي
station-mydays-none = لا يوجد إغلاق موقَّع بعد.
station-mydays-offline = تظهر أيامي عند اتصال الهاتف.
station-mydays-line = { $delivered } مسلَّم، { $failed } غير مسلَّم، { $back } عاد إلى المستودع، { $cards } بطاقة مستخدمة
station-mydays-signed = موقَّع مع { $lead }
station-err-unknown_plate = لا مركبة بهذا الرقم في الأسطول: { $detail }
station-err-photo_not_expected = لا يمكن إرفاق صورة إلا ببند من هذا الفحص: { $detail }
station-err-card_range_overlaps = هذه البطاقات تتداخل مع رزمة سائق آخر: { $detail }
station-err-bad_card_range = هذا ليس نطاق بطاقات: { $detail }
station-err-parcel_scanned_twice = مُسح من قبل: { $detail }
station-err-parcel_is_a_pickup = هذا مرتجع للاستلام وليس طردًا للتحميل: { $detail }
station-err-parcel_of_other_tour = طرد من جولة أخرى – يخص { $detail }
station-err-unknown_parcel = هذا الطرد ليس في هذه الجولة: { $detail }
station-err-card_not_issued = هذه البطاقة ليست في رزمة السائق: { $detail }
station-err-card_was_used = تُركت هذه البطاقة عند محطة: { $detail }
station-err-cards_returned_twice = استُلمت هذه البطاقة من قبل: { $detail }
station-err-blank_explanation = اكتب لماذا لا يتطابق: { $detail }
station-err-blank_signature = حقل التوقيع فارغ: يجب أن يوقّع الاثنان ({ $detail }).
station-err-unexplained_discrepancies = فسّر كل فرق أولًا: { $detail }
station-err-no_tour_today = لا جولة لهذا السائق اليوم: { $detail }
station-err-no_hold = الجولة ليست موقوفة: { $detail }
station-err-check_in_offline = يحتاج تسجيل الحضور بالرمز السري إلى الخادم؛ أثناء انقطاع الشبكة امسح رمز تسجيل الحضور على هاتف السائق ({ $detail }).
station-err-no_pass_in_picture = لم يُعثر على رمز تسجيل حضور في الصورة؛ قرّب الهاتف وثبّته ({ $detail }).
station-err-not_a_pass = هذا ليس رمز تسجيل حضور: { $detail }
station-err-unknown_pass = رمز تسجيل الحضور هذا لا يخص جولة في هذه المحطة في { $detail }؛ سجّل الحضور بالرمز السري.
station-err-no_pass_today = لا يوجد رمز تسجيل حضور لجولة اليوم بعد؛ اتصل بالشبكة مرة ({ $detail }).
station-err-offline_no_copy = لا اتصال ولا شيء محفوظ على الجهاز اللوحي بعد ({ $detail }).
station-err-not_a_station_action = لا يستطيع الجهاز اللوحي تسجيل هذا: { $detail }
station-err-tour_held = الجولة موقوفة: { $detail }
station-err-wrong_station = هذا السائق يتبع مستودعًا آخر.
station-err-pin_locked = رموز خاطئة كثيرة: انتظر دقيقة أو ألغِ قفل السائق.
station-err-not_loaded = ما زال اليوم قيد التحميل.

# Supervisor ride-along (issue #13)
ride-assist-carried_parcels = حملت الطرود
ride-assist-talked_to_customer = تحدثت مع العميل
ride-assist-other = ساعدت بطريقة أخرى
ride-assist_title = محطات بمساعدة
ride-assist_hint = المحطات التي ساعدت فيها لا تدخل في وتيرة السائق.
ride-back = العودة إلى الجولة
ride-banner_running = { $supervisor } يرافقك اليوم.
ride-banner_waiting = سجلات تنتظر توقيعك: { $n }
ride-cat-safety = السلامة
ride-cat-customer_contact = التواصل مع العميل
ride-cat-proof_quality = جودة الإثبات
ride-cat-driving = القيادة
ride-cat-handling = التعامل مع الطرود
ride-cat-other = أخرى
ride-category = الفئة
ride-comment = تعليقك (موافقة أو اعتراض)
ride-current = الآن
ride-driver_decline = رفض التوقيع
ride-driver_sign = وقّع السجل
ride-export = تصدير نسختي
ride-exported = تم حفظ النسخة: { $path }
ride-grade-trained = تم التدريب
ride-grade-proficient = متمكن
ride-grade-needs_practice = يحتاج إلى تدريب
ride-grade-not_observed = لم تتم ملاحظته
ride-last = آخر مرافقة مع { $driver }
ride-my_records = سجلات المرافقة الخاصة بي ({ $n })
ride-nav-checklist = قائمة التحقق
ride-nav-end = الإنهاء
ride-nav-follow = الجولة
ride-nav-observe = ملاحظات اليوم
ride-no_drivers = لا يوجد سائق ترافقه لديه جولة اليوم.
ride-no_template = لا توجد قائمة تحقق على هذا الهاتف بعد. اتصل مرة لتنزيلها.
ride-notes = ملاحظات التدريب
ride-observations = الملاحظات
ride-observe_at = ملاحظة عند المحطة { $n }
ride-observe_day = ملاحظة عن اليوم كله
ride-observe_here = أضف ملاحظة هنا
ride-pace = الوتيرة (محطات / طرود في الساعة)
ride-pace_own = وتيرتك الخاصة دون المحطات بمساعدة: { $figures }
ride-pace_with = مع المحطات بمساعدة: { $figures }
ride-parcels_done = الطرود: { $done } من { $total } منجزة
ride-photo = أضف صورة
ride-pick = اختر السائق الذي ترافقه
ride-progress_at = تقدم السائق حتى { $time }
ride-progress_never = لم يتم تنزيل تقدم السائق بعد.
ride-record_by = سجل من { $supervisor }
ride-records_kept = كما هو محفوظ على هذا الهاتف (لا يوجد اتصال).
ride-records_title = سجلات المرافقة الخاصة بي
ride-refresh = حدّث تقدم السائق
ride-riding_with = أنت ترافق { $driver }.
ride-save_observation = احفظ الملاحظة
ride-saved = تم الحفظ.
ride-sign = وقّع وأنهِ المرافقة
ride-sign_hint = وقّع لإنهاء المرافقة. سيقرأ السائق السجل على هاتفه.
ride-sign_missing = وقّع في الحقل أولاً.
ride-start = ابدأ المرافقة
ride-status-running = جارية
ride-status-awaiting_driver = وقّعته؛ بانتظار السائق
ride-status-awaiting_you = بانتظار توقيعك
ride-status-signed = وقّعه الطرفان
ride-status-declined = رفض السائق التوقيع
ride-stop_title = المحطة { $n }
ride-stops_done = المحطات: { $done } من { $total } منجزة
ride-summary = الملاحظات: { $observations } · التقييمات: { $grades } · محطات بمساعدة: { $assisted }
ride-supervisor_not_signed = لم يوقّعه المشرف بعد.
ride-supervisor_signed = وقّعه المشرف.
ride-text = ما الذي لاحظته
ride-whole_day = اليوم كله
ride-you_declined = لقد رفضت التوقيع.
ride-you_signed = لقد وقّعت هذا السجل.
err-ride-blank_text = اكتب شيئًا أولاً.
err-ride-blank_signature = التوقيع مفقود.
err-ride-signed = هذه المرافقة موقّعة ولا تقبل إدخالات أخرى.
err-ride-supervisor_not_signed = لم يوقّع المشرف هذا السجل بعد.
err-ride-answered = لقد رددت على هذا السجل بالفعل.
err-ride-unknown = هذه المرافقة ليست على هذا الهاتف.
err-ride-grade_not_in_template = قائمة التحقق هذه لا تستخدم هذا التقييم.
err-ride-unknown_item = لا يوجد مثل هذا البند في قائمة التحقق.
err-ride-template_mismatch = هذا السجل مُقيَّم وفق إصدار آخر من قائمة التحقق.
err-ride-text_too_long = النص طويل جدًا.
err-ride-other_tour = هذه المرافقة تخص جولة غير الموجودة على هذا الهاتف.

# Corrections (issue 14)
parcel-correct = تصحيح
correct-title = تصحيح { $id }
correct-recorded = المسجَّل:
correct-to_delivered = تم التسليم
correct-to_failed = لم يتم التسليم
correct-note = لماذا التصحيح؟ (مطلوب)
correct-confirm = حفظ التصحيح
correct-done = تم حفظ تصحيح { $id }. يبقى الأصل في السجل.
err-rule-not_correctable = يمكن تصحيح آخر تسليم أو آخر محاولة تسليم للطرد فقط.
err-rule-correction_reason_missing = اذكر سبب تصحيح النتيجة.
undo-remaining = التراجع: بقيت { $s } ثانية. بعد ذلك صحّح عند المحطة.

# Conflicts shown and acknowledged (issue 14)
conflict-title = تغييرات الإرسال بعد تسجيلك
conflict-parcel_dropped = الإرسال: الخطة الجديدة لم تعد تتضمن هذا الطرد.
conflict-parcel_moved = نقل الإرسال هذا الطرد إلى المحطة { $detail }.
conflict-stop_removed = أزال الإرسال هذه المحطة؛ تبقى لأنك سجلت نتائج هنا.
conflict-address_corrected = صحّح الإرسال العنوان إلى { $detail }: تحقق من أن الطرود وصلت إلى الباب الصحيح.
conflict-not_loaded = وضع المستودع علامة على هذا الطرد بأنه لم يُحمَّل.
conflict-recorded = سجّلت:
conflict-ack = تمت المشاهدة

# ETA from the road (issue 14)
guide-eta-road = عبر الطريق، متبقٍ { $d }
guide-eta-straight = مقدّر من الخط المستقيم

# Glove mode (issue 14)
theme-gloves_on = القفازات: أزرار كبيرة، مفعّل
theme-gloves_off = القفازات: أزرار كبيرة، متوقف

# Parcel-shop card (issue 14)
deliver-shop_card = بطاقة للمستلم (تذكر المتجر):
## Privacy (issue 16)
privacy-keys-in-files = وضع الاختبار: المفاتيح التي تحمي بيانات هذا الجهاز محفوظة في ملفات وليس في مخزن مفاتيح الجهاز. لا تستخدمه لعمليات تسليم حقيقية.
# Blocks for independent (flex) drivers (issue 15).
offers-nav-offers = العروض
offers-nav-earnings = الأرباح
offers-nav-tour = الجولة
offers-state-upcoming = يفتح قريبًا
offers-state-open = مفتوح للطلبات
offers-state-closed = مغلق
offers-title = الكتل المعروضة
offers-reload = تحديث
offers-how = تُوزَّع الكتل بسحب منشور بعد إغلاق كل جولة؛ وقت طلبك لا يُحدث فرقًا. كيف يعمل: docs/blocks-lottery.md.
offers-credit = رصيد الإنصاف: { $n }
offers-none = لا توجد كتل معروضة الآن.
offers-results = النتائج
offers-verified = تم التحقق: أعاد هذا الهاتف حساب السحب وحصل على النتيجة نفسها.
offers-mismatch = غير مطابق: أعاد هذا الهاتف حساب السحب وحصل على نتيجة مختلفة. أبلغ المحطة بذلك.
offers-unchecked = لم يتم التحقق بعد (لا يوجد اتصال).
offers-lost = لم تفز بأي كتلة في هذه الجولة.
offers-won = فزت بـ: { $blocks }
offers-pseudonym = اسمك في السحب المنشور: { $name }
offers-my-blocks = كتلي
offers-round = الجولة { $n }
offers-window = مفتوح { $opens }–{ $closes }
offers-commitment = الالتزام { $hash }…
offers-places = الأماكن: { $n }
offers-held = طلبك: { $blocks }
offers-send = أرسل طلبي
offers-fair = اضغط على الكتل بالترتيب الذي تريده. يمكنك تغيير طلبك حتى تُغلق الجولة.
offers-status-won = فزت – يرجى التأكيد
offers-status-confirmed = مؤكد
offers-status-released = متروك
offers-status-expired = لم يُؤكَّد في الوقت
offers-confirm-by = أكّد قبل { $time }
offers-confirm = تأكيد
offers-release = ترك
offers-earnings-title = أرباح هذا الأسبوع
offers-week = الأسبوع من { $date }
offers-earnings-none = لا توجد كتل عمل هذا الأسبوع بعد.
offers-earned-line = { $hours } س · { $stops } محطات · { $parcels } طرود
offers-total = المجموع: { $pay } مقابل { $hours } س
offers-export = تصدير (CSV وصفحة للطباعة)
offers-signin-flex_id = معرّف السائق (flex)
offers-signin-mode-flex = سائق مستقل (flex)

## Lockers and parcel shops as their own methods
method-locker = خزانة طرود
deliver-shop_name = اسم المتجر (اختياري)
deliver-locker = رقم خزانة الطرود
deliver-compartment = الحجيرة
deliver-pickup_code = رمز الاستلام (اختياري)
deliver-locker_card = بطاقة للمستلم (تذكر الخزانة والحجيرة):
err-rule-shop_missing = رقم نقطة الاستلام مفقود.
hint-rule-shop_missing = اكتب رقم المتجر من لافتته أو من الماسح.
err-rule-locker_missing = رقم الخزانة أو الحجيرة مفقود.
hint-rule-locker_missing = اكتب رقم الخزانة ورقم الحجيرة.

## The driver's evidence bundle
evidence-title = يومي كدليل
evidence-hint = ملف موقّع ليومك: المحطات والأوقات والمواقع والنتائج والبطاقات والتصحيحات والصور والتواقيع. احتفظ به لأي نزاع حول طرد أو وقت عملك.
evidence-none = لا يوجد يوم لك على هذا الجهاز.
evidence-day = اليوم
evidence-folder = المجلد
evidence-key = مفتاح الجهاز:
evidence-export = تصدير يومي
evidence-done = تم التصدير، { $files } ملفات:
err-evidence-not_yours = سجّل هذا اليوم سائق آخر؛ هو وحده يستطيع تصديره.
hint-evidence-not_yours = يستطيع تصدير اليوم السائق الذي سجّله فقط.
err-evidence-failed = تعذّر إنشاء الملف.
hint-evidence-failed = حاول مرة أخرى؛ وإن استمر الفشل فأخبر المحطة.
err-evidence-folder = لا يمكن الكتابة في المجلد.
hint-evidence-folder = اختر مجلدًا يمكنك الكتابة فيه وتأكد من أن التخزين غير ممتلئ.
## Security and privacy (issue 16): a server whose TLS certificate this device does not trust
err-server-untrusted = هذا الجهاز لا يثق بشهادة الخادم.
hint-server-untrusted = رُفض الاتصال حتى لا يتمكن أحد من التنصت. اطلب من المحطة التحقق من عنوان الخادم وشهادته؛ العمل المسجّل يبقى آمنًا على هذا الجهاز.

## Station tablet: the audit trail (issue 16)
audit-open = سجل الاطلاع
audit-title = من اطلع على ماذا
audit-intro = كل اطلاع على صور سائق أو توقيعاته أو جولته أو يومه من قبل شخص غير ذلك السائق، الأحدث أولًا.
audit-empty = لم يطلع أحد بعد على إثباتات سائق أو يومه.
audit-line = { $who } ({ $role }) اطلع على { $what } للسائق { $driver }
audit-what-proof = ملف إثبات
audit-what-tour = الجولة
audit-what-day = اليوم
audit-role-station = مسؤول المحطة
audit-role-supervisor = مشرف
audit-role-driver = سائق
audit-role-flex = سائق مستقل
## Service visits (issue 14)
service-kind-service = زيارة خدمة
service-kind-parcel_shop = متجر طرود
service-kind-pickup = استلام
service-title = زيارة خدمة
service-planned = المدة المخططة: { $minutes } دقيقة
service-started-at = بدأت في { $time }
service-finished-at = انتهت في { $time }
service-start = ابدأ الزيارة
service-checklist-hint = أجب عن كل بند: تم أو لم يتم. الملاحظة اختيارية.
service-done = تم
service-not-done = لم يتم
service-unanswered = بلا إجابة
service-note = ملاحظة (اختيارية)
service-photo = صورة (اختيارية)
service-customer = اسم العميل
service-sign = توقيع العميل (الاستلام)
service-finish = أنهِ الزيارة
service-signed-by = وقّع بالاستلام: { $name }
service-finished-notice = تم تسجيل زيارة الخدمة.
err-service-not_a_service_stop = هذه المحطة ليست زيارة خدمة.
err-service-already_started = بدأت الزيارة بالفعل.
err-service-not_started = ابدأ الزيارة أولاً.
err-service-already_finished = هذه الزيارة انتهت بالفعل.
err-service-item_unanswered = بند في قائمة التحقق بلا إجابة بعد.
err-service-unknown_item = لا يوجد هذا البند في قائمة التحقق.
err-service-item_twice = تمت الإجابة عن بند مرتين.
err-service-name_missing = اسم العميل مفقود.
err-service-signature_missing = توقيع العميل مفقود.
err-service-text_too_long = النص طويل جداً.
hint-service-item_unanswered = علّم كل بند بتم أو لم يتم، ثم أنهِ مرة أخرى.
hint-service-signature_missing = اطلب من العميل التوقيع على اللوحة، ثم أنهِ مرة أخرى.
## The offline map (issue 17)
map-title = الخريطة
map-hide = إخفاء الخريطة
map-show = إظهار الخريطة
map-recenter = توسيط
map-not-downloaded = خريطة هذه المنطقة غير محمّلة
map-downloading = جارٍ تحميل الخريطة: { $percent } %
map-credit = © المساهمون في OpenStreetMap
map-stop = النقطة { $n }
map-parcels = { $n ->
        [zero] لا طرود
        [one] طرد واحد
        [two] طردان
        [few] { $n } طرود
        [many] { $n } طردًا
       *[other] { $n } طرد
    }
map-no-webgl = لا يستطيع هذا الجهاز رسم الخريطة.
