app-title = Lastmile
lang-label = Dil
nav-tour = Tur
nav-stop = Geçerli durak

## connection card (start screen)
conn-checking = Bağlantı kontrol ediliyor…
conn-connected = ● Senkronizasyon sunucusuna bağlı
conn-server = Sunucu { $version } ({ $backend })
conn-offline = ● Çevrimdışı — işin bu cihazda kayıtlı ve daha sonra gönderilecek
conn-not_configured = Senkronizasyon sunucusu ayarlanmamış
conn-retry = Tekrar kontrol et
device-opening = Yerel veritabanı açılıyor…
device-label = Cihaz
device-ready = Yerel veritabanı hazır (şema { $schema })
device-app = Uygulama

## sign-in
signin-title = Giriş yap
signin-driver_id = Sürücü kimliği
signin-pin = PIN
signin-enrolment_code = Kayıt kodu (yeni cihaz)
signin-submit = Giriş yap
signin-busy = Giriş yapılıyor…
signin-mode = Şu rolle giriş yapıyorum
signin-mode-driver = Sürücü
signin-mode-station = İstasyon tableti
signin-mode-supervisor = Eşlik (süpervizör)
signin-lead_id = İstasyon sorumlusu kimliği
signin-supervisor_id = Süpervizör kimliği
signin-signed_in_as = { $user } olarak giriş yapıldı
station-title = İstasyon tableti
ride-title = Eşlik

## tour
tour-title = Turun
tour-none = Bu cihazda henüz tur yok.
tour-download = Turu indir
tour-downloading = Tur indiriliyor…
tour-progress = { $done }/{ $total } durak tamamlandı · { $open } paket açık
tour-station = Depo { $name }
tour-start = Geçerli durağa git
tour-finished = Tüm duraklar tamamlandı. Tebrikler!
state-open = açık
state-arrived = varıldı
state-done = tamamlandı
state-failed = teslim edilemedi
state-skipped = atlandı
parcel-pending = teslim edilecek
parcel-delivered = teslim edildi
parcel-failed = teslim edilemedi
parcel-picked_up = alındı
parcel-return = İade
parcel-signature = İmza gerekli
parcel-id_check = Kimlik / yaş kontrolü

## stop
stop-title = Durak { $n }
stop-notes = Erişim notları:
stop-window = Zaman aralığı: { $window }
stop-parcels = Paketler
stop-deliver = Teslim edildi
stop-fail = Teslim edilemedi
stop-next = Sonraki durak
stop-none = Açık durak yok: tur tamamlandı.
stop-loading = Durak yükleniyor…

## deliver dialog
deliver-title = { $id } teslim et
method-recipient = Alıcıya
method-neighbour = Komşuya
method-safe_place = Güvenli yer
method-parcel_shop = Paket noktası / dolap
deliver-name = Kişinin adı
deliver-house_number = Komşunun kapı numarası
deliver-confirm = Teslimatı onayla
dialog-cancel = İptal

## fail dialog
fail-title = Teslim edilemedi: { $id }
fail-reason = Sebep
reason-nobody_home = Evde kimse yok
reason-refused = Reddedildi
reason-damaged = Hasarlı
reason-address_not_found = Adres bulunamadı
reason-no_access = Erişim yok
reason-business_closed = İşyeri kapalı
reason-out_of_time = Zaman kalmadı
fail-card = Bildirim kartı numarası (destenden)
fail-no_card = Kart yok
fail-says = Kartta yazan
says-next_attempt = Tekrar deneyeceğiz
says-pick_up_at_station = Depodan teslim alın
fail-confirm = Denemeyi kaydet

## undo
undo-delivered = Kaydedildi: { $id } teslim edildi
undo-failed = Kaydedildi: { $id } teslim edilemedi
undo-button = Geri al
undo-done = Geri alındı: { $id } yeniden açık
warn-far_from_stop = Duraktan uzakta kaydedildi.
warn-out_of_order = Plana göre sıradaki durak bu değildi.
warn-outside_time_window = Zaman aralığının dışında.

## stop: guidance, scanning, proof, returns (stop screen and its dialogs)
stop-out_of_order = Bundan önce planlanan { $n } durak hâlâ açık. Yine de burada çalışabilirsin.
stop-arrive = Buradayım
stop-skip = Şimdilik atla
stop-pick_up = Alındı
guide-no_position = Henüz konum yok.
guide-here = Duraktasın.
guide-distance = { $dir ->
        [n] Kuzeye { $d }
        [ne] Kuzeydoğuya { $d }
        [e] Doğuya { $d }
        [se] Güneydoğuya { $d }
        [s] Güneye { $d }
        [sw] Güneybatıya { $d }
        [w] Batıya { $d }
       *[nw] Kuzeybatıya { $d }
    }
guide-eta = Varış { $t } · tur bitişi { $end }
guide-source-gps = GPS
guide-source-simulated = simüle konum
guide-navigate = Yol tarifi
guide-opened = Harita uygulamasına aktarıldı:
turn-depart = Başla
turn-arrive = Varış
turn-turn = Dön
turn-left = Sola dön
turn-right = Sağa dön
turn-slight_left = Hafif sola devam et
turn-slight_right = Hafif sağa devam et
turn-sharp_left = Keskin sola dön
turn-sharp_right = Keskin sağa dön
turn-straight = Düz devam et
turn-uturn = U dönüşü yap
turn-roundabout = Döner kavşağa gir
turn-continue = Devam et
turn-new_name = Devam et
turn-merge = Trafiğe katıl
turn-fork = Yol ayrımında
turn-end_of_road = Yolun sonunda
turn-on_ramp = Bağlantı yoluna gir
turn-off_ramp = Çıkışı kullan
turn-exit_roundabout = Döner kavşaktan çık
turn-exit_rotary = Döner kavşaktan çık
turn-roundabout_exit = Döner kavşakta { $n }. çıkışı kullan
turn-with_way = { $what } ({ $way })
way-left = sola
way-right = sağa
way-slight_left = hafif sola
way-slight_right = hafif sağa
way-sharp_left = keskin sola
way-sharp_right = keskin sağa
way-straight = düz
way-uturn = U dönüşü
scan-picture = Etiketi tara (kamera / resim)
scan-placeholder = veya takip numarasını yaz
scan-check = Kontrol et
scan-this_stop = { $id } bu durağa ait.
scan-other_stop = { $id } bu durak için değil: { $n } numaralı durağa ait, { $address }.
scan-go_stop = { $n } numaralı durağa git
scan-not_on_tour = { $id } ({ $courier }) bugünkü turda yok.
scan-take_return = İade olarak al
photo-take = Fotoğraf çek veya seç
photo-take_optional = Fotoğraf (isteğe bağlı)
photo-remove = Fotoğrafı kaldır
sign-empty = Buraya parmağınla imzala
sign-here = İmzalandı
sign-clear = Temizle
deliver-safe_place = Nereye bırakıldı?
deliver-shop = Paket noktası
deliver-id_checked = Kimliği / yaşı kontrol ettim
fail-card_photo = Posta kutusundaki kartın fotoğrafı (isteğe bağlı)
deliver-neighbour_card = Alıcı için kart (komşuyu belirtir):
says-at_parcel_shop = Bir paket noktasında
pickup-title = { $id } iadesini al
pickup-hint = Paketi al ve etiketi kontrol et.
pickup-confirm = Alımı kaydet
undo-picked_up = { $id } alındı.
err-photo-unusable = Bu resim fotoğraf olarak kullanılamaz.
hint-photo-unusable = Fotoğrafı yeniden çek veya bir JPEG ya da PNG resmi seç.
err-scan-nothing_found = Resimde barkod bulunamadı.
hint-scan-nothing_found = Kamerayı etikete yaklaştır veya numarayı yaz.
err-scan-unreadable = Resim okunamıyor.
err-tracking-empty = Önce bir takip numarası yaz.
err-tracking-check_digit = Bu takip numarası geçersiz: kontrol hanesi uyuşmuyor.
hint-tracking-check_digit = Etiketle hane hane karşılaştır veya tara.
err-tracking-unknown_format = Bu bildiğimiz bir takip numarası değil.
hint-tracking-unknown_format = Etiketteki numarayı kontrol et veya tara.
err-navigate-failed = Hiçbir harita uygulaması açılamadı.
hint-navigate-failed = Burada gösterilen mesafeyi ve yönü kullan veya harita uygulamanı kendin aç.
err-rule-photo_required = Güvenli yerin fotoğrafı gerekli.
hint-rule-photo_required = Paketi bıraktığın yerin fotoğrafını çek.
hint-rule-signature_required = Alıcının alana imza atmasını sağla.
err-rule-wrong_stop = Bu paket başka bir durağa ait.
err-rule-already_picked_up = Bu iade zaten alındı.
err-input-invalid = Giriş geçerli değil.

## sync bar
sync-pending = { $n } gönderilecek
sync-all_sent = Hepsi gönderildi
sync-bytes = { $kb } KB fotoğraf
sync-last = son senkronizasyon { $time }
sync-never = henüz senkronize edilmedi
sync-offline = çevrimdışı: cihazda saklanıyor, bağlantı gelince gönderilecek
sync-not_signed_in = göndermek için giriş yap
sync-others_pending = { $n ->
        [one] { $driver } sürücüsünün bu cihazdaki { $n } kaydı hâlâ gönderiliyor
       *[other] { $driver } sürücüsünün bu cihazdaki { $n } kaydı hâlâ gönderiliyor
    }
sync-now = Şimdi gönder

## errors: what happened
err-unknown = Bir şeyler ters gitti.
err-details = Teknik ayrıntılar (destek için)
err-ui-not_in_app = Bu sayfa Lastmile uygulamasının dışında çalışıyor.
err-server-unreachable = Sunucuya ulaşılamıyor.
err-server-not_configured = Senkronizasyon sunucusu ayarlanmamış.
err-server-error = Sunucu bir sorun bildirdi.
err-auth-bad_credentials = Sürücü kimliği veya PIN yanlış.
err-auth-bad_enrolment_code = Kayıt kodu geçerli değil.
err-auth-enrolment_code_missing = Bu cihaz yeni ve bir kayıt kodu gerekiyor.
err-auth-not_signed_in = Kimse giriş yapmamış.
err-auth-expired = Oturumunun süresi doldu.
err-tour-not_found = Sunucuda senin için tur yok.
err-tour-none = Bu cihaza yüklenmiş tur yok.
err-tour-invalid = Sunucudan gelen tur kullanılamıyor.
err-rule-name_missing = İsim eksik.
err-rule-house_number_missing = Komşunun kapı numarası eksik.
err-rule-method_not_allowed = Bu paket bu şekilde teslim edilemez.
err-rule-signature_required = Bu paket imza gerektiriyor.
err-rule-id_check_required = Bu paket kimlik kontrolü gerektiriyor.
err-rule-card_required = Bu sebep için bir bildirim kartı bırak.
err-rule-card_contradicts = Kart metni olanla uyuşmuyor.
err-rule-already_delivered = Bu paket zaten teslim edildi.
err-rule-undo_window_passed = Geri almak için çok geç.
err-rule-not_undoable = Bu artık geri alınamaz.
err-card-malformed = Bu bir kart numarası değil.
err-card-not_issued = Bu kart senin destenden değil.
err-card-already_used = Bu kart zaten kullanıldı.
err-store-full = Cihaz belleği dolu.
err-store-unavailable = Yerel veritabanı açılamıyor.
err-store-failed = Cihaz bunu kaydedemedi.

## errors: what to do
hint-generic = Tekrar dene. Tekrarlanırsa deponu ara.
hint-server-unreachable = Sinyal olan bir yere geç ve tekrar dene. Kaydedilen iş bu cihazda güvende.
hint-auth-bad_credentials = Sürücü kimliğini ve PIN'i kontrol edip tekrar dene.
hint-auth-bad_enrolment_code = Deponden güncel bir kayıt kodu iste.
hint-auth-enrolment_code_missing = Deponun verdiği kayıt kodunu gir.
hint-auth-expired = Yeniden giriş yap.
hint-auth-not_signed_in = Önce giriş yap.
hint-tour-not_found = Deponden sana bir tur atamasını iste, sonra yeniden indir.
hint-rule-name_missing = Paketi teslim alan kişinin adını yaz.
hint-rule-house_number_missing = Komşunun kapı numarasını yaz.
hint-rule-card_required = Destenden bir kart seç.
hint-card-not_issued = Girişte aldığın desteden bir kart kullan.
hint-card-already_used = Destendeki sonraki kartı al.
hint-rule-undo_window_passed = Deponden düzeltmesini iste.
hint-store-full = Cihazda yer aç. Kaydedilen hiçbir şey kaybolmadı.

## --- tour overview, end-of-tour summary, About, display settings (branch overview) ---
nav-about = Bilgi
nav-summary = Özet
theme-contrast = Güneş ışığı için yüksek kontrast
theme-contrast_on = Yüksek kontrast: açık
theme-contrast_off = Yüksek kontrast: kapalı
search-label = Durak bul
search-placeholder = Adres veya takip numarası
search-clear = Aramayı temizle
search-clear_short = Temizle
search-none = “{ $q }” ile eşleşen durak yok.
search-none_hint = Yazımı kontrol et veya sokağın bir kısmını ya da takip numarasının son hanelerini yaz.
search-count = { $n }/{ $total } durak
search-parcel = Paket
window-soon = Zaman aralığı yakında bitiyor
window-missed = Zaman aralığı kaçırıldı
tour-summary = Tur sonu özeti
tour-summary_now = Tur sonu özetini göster
summary-title = Tur sonu
summary-back = Tura dön
summary-stops = { $done }/{ $total } durak tamamlandı
summary-finished = Tüm duraklar tamamlandı.
summary-not_finished = Bazı duraklar hâlâ açık.
summary-delivered = Teslim edildi
summary-failed = Teslim edilemedi (denendi)
summary-not_attempted = Denenmedi
summary-cards_used = Kullanılan kartlar
summary-cards_unused = Kalan kartlar
summary-returns = Araçtaki iadeler
summary-conflicts = Sevkiyatla çakışmalar
summary-handback_title = Depoya dönüş
summary-handback = { $parcels } paket, { $returns } iade ve { $cards } kullanılmamış kartı teslim et.
summary-conflicts_hint = Çakışmaları çıkışta depo sorumlusuna açıkla.
about-title = Lastmile hakkında
about-display = Görünüm
about-version = Uygulama sürümü
about-install_id = Kurulum kimliği
about-schema = Veritabanı şeması
about-server = Senkronizasyon sunucusu
about-credits = Kaynaklar
about-osm = Adresler ve harita verileri © OpenStreetMap katkıda bulunanlar, Open Database Licence (ODbL 1.0) altında
about-licence = Lisans
about-licence_text = Lastmile { $licence } lisansı altındadır.
about-back = Geri
