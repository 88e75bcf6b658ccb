//! What the E2E tests share: the seed of a station with driver D1 and lead L1, signing in on
//! a new device through the UI, the station lead's view of the server, screenshots in both
//! languages, selectors, and plain HTTP through curl.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use lastmile_protocol::auth::{EnrolResponse, Session};
use lastmile_protocol::dispatch::OutcomeView;
use lastmile_protocol::tour::TourSnapshot;
use lastmile_tests::ui::App;

pub(crate) const WAIT: Duration = Duration::from_secs(20);

/// A file of the shared real data (`../shared/data/…`).
pub(crate) fn shared(path: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(path)
}

/// Station, driver D1 (PIN 1234), station lead L1 (PIN 4321), supervisor V1 (PIN 8765, rides
/// with D1), enrolment code CODE-E2E, `tour`.
pub(crate) fn seed(tour: &TourSnapshot) -> serde_json::Value {
    let mut seed = lastmile_tests::station_seed(
        tour,
        "CODE-E2E",
        &[
            ("D1", "driver", "1234"),
            ("L1", "station", "4321"),
            ("V1", "supervisor", "8765"),
        ],
    );
    if let Some(users) = seed["users"].as_array_mut() {
        for user in users.iter_mut().filter(|u| u["user_id"] == "V1") {
            user["rides_with"] = serde_json::json!(["D1"]);
        }
    }
    seed
}

/// Signs `user` in as `mode` (the sign-in screen's picker: `driver`, `station`,
/// `supervisor`) on a new device (enrolment code CODE-E2E).
pub(crate) async fn sign_in_as(s: &App, mode: &str, user: &str, pin: &str) -> anyhow::Result<()> {
    s.wait_for("[data-testid=enrolment-code]", WAIT).await?;
    s.click(&format!("[data-testid=mode-{mode}]")).await?;
    s.wait_for(
        &format!("[data-testid=mode-{mode}][aria-pressed=true]"),
        WAIT,
    )
    .await?;
    s.fill("[data-testid=driver-id]", user).await?;
    s.fill("[data-testid=pin]", pin).await?;
    s.fill("[data-testid=enrolment-code]", "CODE-E2E").await?;
    s.click("[data-testid=sign-in]").await
}

/// Every language the UI speaks: the catalogs in `src-ui/locales/<code>.ftl`.
pub(crate) const LANGS: [&str; 7] = ["de", "en", "pl", "ro", "tr", "uk", "ar"];

/// The catalog of `code` as text.
pub(crate) fn catalog(code: &str) -> anyhow::Result<String> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../src-ui/locales/{code}.ftl"));
    std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))
}

/// The one-line text of message `key` in the catalog text `ftl` (`key = text`).
pub(crate) fn simple_message<'a>(ftl: &'a str, key: &str) -> Option<&'a str> {
    ftl.lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(" = "))
}

/// Switches the UI to `code` with the top bar's picker and waits until the document speaks
/// it, in its direction (`dir="rtl"` for Arabic), and the tabs or the title show its words.
pub(crate) async fn set_lang(s: &App, code: &str) -> anyhow::Result<()> {
    s.select("[data-testid=lang-picker]", code).await?;
    let dir = if code == "ar" { "rtl" } else { "ltr" };
    s.wait_for(&format!("html[lang={code}][dir={dir}]"), WAIT)
        .await
        .with_context(|| format!("the document in {code}, {dir}"))?;
    let ftl = catalog(code)?;
    let title = simple_message(&ftl, "app-title").context("app-title")?;
    s.wait_for_text("[data-testid=app-title]", WAIT, |t| t == title)
        .await?;
    Ok(())
}

/// Everything the screen says: its rendered text and the placeholders, labels and titles.
async fn shown_texts(s: &App) -> anyhow::Result<String> {
    let text = lastmile_tests::ui::timed(
        "shown texts",
        s.client().execute(
            "const out = [document.body.innerText];
             for (const e of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
               for (const a of ['placeholder', 'aria-label', 'title']) out.push(e.getAttribute(a) || '');
             }
             return out.join('\\n');",
            vec![],
        ),
    )
    .await??;
    text.as_str()
        .map(str::to_owned)
        .context("the shown texts are not a string")
}

/// Fails if the screen shows a catalog key instead of its text, the missing-message marker
/// (`⟦key⟧`) or an argument Fluent could not fill in (`{$n}`).
pub(crate) async fn assert_translated(s: &App, code: &str) -> anyhow::Result<()> {
    let text = shown_texts(s).await?;
    anyhow::ensure!(!text.contains('⟦'), "a missing message in {code}: {text}");
    anyhow::ensure!(
        !text.contains("{$"),
        "an unfilled argument in {code}: {text}"
    );
    let en = catalog("en")?;
    for key in en
        .lines()
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k))
    {
        anyhow::ensure!(
            !text.contains(key),
            "the raw key {key} is shown in {code}: {text}"
        );
    }
    Ok(())
}

/// Every visible control of the screen smaller than a finger (48x48 CSS px, 56x56 in glove
/// mode): "what [test id] "text" WxH", one per control. A file input under its label
/// counts as the label.
const SMALL_TARGETS: &str = r#"
const min = document.querySelector('.frame.gloves') ? 56 : 48;
const out = [];
for (const el of document.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea, [role=button], summary')) {
  let box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
  if (el.type === 'file' && el.closest('label')) box = el.closest('label').getBoundingClientRect();
  if (box.width + 0.5 < min || box.height + 0.5 < min) {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30);
    out.push(`${el.tagName.toLowerCase()}[${el.dataset.testid || ''}] "${text}" ${Math.round(box.width)}x${Math.round(box.height)} (min ${min})`);
  }
}
return out;
"#;

/// Fails when a visible control of the screen is smaller than a finger (see
/// [`SMALL_TARGETS`]); `every_language` runs it on every screen the tests reach.
pub(crate) async fn assert_targets_large_enough(s: &App, name: &str) -> anyhow::Result<()> {
    let small: Vec<String> = serde_json::from_value(s.script(SMALL_TARGETS).await?)?;
    anyhow::ensure!(
        small.is_empty(),
        "{name}: controls too small to tap with a glove: {small:#?}"
    );
    Ok(())
}

/// The screen in every language: checked in all seven for raw keys and missing messages and
/// for targets too small to tap ([`assert_targets_large_enough`], in English), screenshots
/// `name-en`, `name-de` and `name-ar` (right to left); back in English after.
pub(crate) async fn every_language(s: &App, name: &str) -> anyhow::Result<()> {
    assert_translated(s, "en").await?;
    assert_targets_large_enough(s, name).await?;
    s.screenshot(&format!("{name}-en")).await?;
    for code in LANGS.into_iter().filter(|c| *c != "en") {
        set_lang(s, code).await?;
        assert_translated(s, code).await?;
        if code == "de" || code == "ar" {
            s.screenshot(&format!("{name}-{code}")).await?;
        }
    }
    set_lang(s, "en").await
}

/// Whether the first elements matching `left` and `right` sit in columns side by side
/// (`right` wholly to the right of `left`), as the wide layout puts them.
pub(crate) async fn side_by_side(s: &App, left: &str, right: &str) -> anyhow::Result<bool> {
    s.wait_for(left, WAIT).await?;
    s.wait_for(right, WAIT).await?;
    let edges = lastmile_tests::ui::timed(
        "element rects",
        s.client().execute(
            "const [a, b] = Array.from(arguments).map(c => document.querySelector(c).getBoundingClientRect());
             return [a.right, b.left];",
            vec![left.into(), right.into()],
        ),
    )
    .await??;
    let [a_right, b_left]: [f64; 2] = serde_json::from_value(edges)?;
    Ok(b_left >= a_right)
}

/// The screen as a tablet in portrait (800×1280, still one column) and as a desktop window
/// (1280×800, the wide layout), in both languages; `wide` (two selectors) must sit side by
/// side on the desktop and not on the phone. Back to the phone (360×800) after.
pub(crate) async fn tablet_and_desktop(
    s: &App,
    name: &str,
    wide: (&str, &str),
) -> anyhow::Result<()> {
    anyhow::ensure!(
        !side_by_side(s, wide.0, wide.1).await?,
        "{name}: {} and {} side by side on a phone",
        wide.0,
        wide.1
    );
    s.set_size(800, 1280).await?;
    every_language(s, &format!("{name}-tablet")).await?;
    s.set_size(1280, 800).await?;
    anyhow::ensure!(
        side_by_side(s, wide.0, wide.1).await?,
        "{name}: {} and {} not side by side on a desktop window",
        wide.0,
        wide.1
    );
    every_language(s, &format!("{name}-desktop")).await?;
    s.set_size(360, 800).await
}

/// The parcel card of `tracking_id` in `state`.
pub(crate) fn parcel(tracking_id: &str, state: &str) -> String {
    format!("[data-testid=parcel][data-tracking-id='{tracking_id}'][data-state='{state}']")
}

/// One HTTP call with curl (the tests keep a single TLS stack: fantoccini's).
pub(crate) fn http<T: serde::de::DeserializeOwned>(
    url: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> anyhow::Result<T> {
    let mut cmd = std::process::Command::new("curl");
    cmd.args(["-sS", "--fail-with-body", "--max-time", "10", url]);
    if let Some(token) = token {
        cmd.args(["-H", &format!("Authorization: Bearer {token}")]);
    }
    if let Some(body) = body {
        cmd.args([
            "-H",
            "Content-Type: application/json",
            "-d",
            &body.to_string(),
        ]);
    }
    let out = cmd.output().context("running curl")?;
    anyhow::ensure!(
        out.status.success(),
        "{url}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).with_context(|| format!("reading the answer of {url}"))
}

/// Signs D1 in on a new device (enrolment code CODE-E2E) and waits until the tour is on the
/// device, downloading it when the background sync has not fetched it yet.
pub(crate) async fn sign_in_new_device(s: &App) -> anyhow::Result<()> {
    s.wait_for("[data-testid=enrolment-code]", WAIT).await?;
    s.fill("[data-testid=driver-id]", "D1").await?;
    s.fill("[data-testid=pin]", "1234").await?;
    s.fill("[data-testid=enrolment-code]", "CODE-E2E").await?;
    s.click("[data-testid=sign-in]").await?;
    download_if_needed(s).await
}

/// The phone of a driver starting the day: 360x800, D1 signed in on a new device, on the
/// tour's first stop.
pub(crate) async fn phone_at_first_stop(s: &App) -> anyhow::Result<()> {
    s.set_size(360, 800).await?;
    sign_in_new_device(s).await?;
    s.click("[data-testid=go-current]").await
}

/// Where the app lands after a sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Landing {
    /// The tour list, offering the download: the background sync has not fetched it yet.
    DownloadOffered,
    /// The tour list with the tour.
    TourList,
    /// The current stop: the tour arrived through the background sync before the sign-in
    /// answered, and the app opens on the stop as at any start with a tour.
    CurrentStop,
}

/// Waits until the app shows one of the screens a sign-in leads to, and says which.
pub(crate) async fn landing_after_sign_in(s: &App) -> anyhow::Result<Landing> {
    s.wait_for(
        "[data-testid=tour] [data-testid=no-tour], [data-testid=tour-progress], [data-testid=stop]",
        WAIT,
    )
    .await?;
    Ok(if s.count("[data-testid=stop]").await? > 0 {
        Landing::CurrentStop
    } else if s.count("[data-testid=download-tour]").await? > 0 {
        Landing::DownloadOffered
    } else {
        Landing::TourList
    })
}

/// After sign-in: brings the driver to the tour list with the tour on it, pressing the
/// download button if it is offered (the background sync may fetch the tour meanwhile and the
/// button go away: that is as good).
pub(crate) async fn download_if_needed(s: &App) -> anyhow::Result<()> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        match landing_after_sign_in(s).await? {
            Landing::TourList => return Ok(()),
            Landing::CurrentStop => s.click("[data-testid=nav-tour]").await?,
            Landing::DownloadOffered => {
                if let Err(e) = s.click("[data-testid=download-tour]").await
                    && s.count("[data-testid=tour-progress]").await? == 0
                {
                    return Err(e);
                }
            }
        }
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "no tour list with the tour after {WAIT:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Delivers the plain parcel `id` (shown on the current screen) to a recipient named `name`
/// and waits until the screen shows it delivered.
pub(crate) async fn deliver_to_recipient(s: &App, id: &str, name: &str) -> anyhow::Result<()> {
    s.wait_for(&parcel(id, "pending"), WAIT).await?;
    s.click(&format!("{} [data-testid=deliver]", parcel(id, "pending")))
        .await?;
    s.wait_for("[data-testid=deliver-dialog]", WAIT).await?;
    s.click("[data-testid=method-recipient]").await?;
    s.fill("[data-testid=recipient-name]", name).await?;
    s.click("[data-testid=confirm-deliver]").await?;
    s.wait_for(&parcel(id, "delivered"), WAIT).await?;
    Ok(())
}

/// Records "nobody home" for the pending parcel `id` on screen, leaving the first card of
/// the driver's stack (which the dialog offers), and waits until the parcel shows failed.
pub(crate) async fn fail_nobody_home(s: &App, id: &str) -> anyhow::Result<()> {
    s.wait_for(&parcel(id, "pending"), WAIT).await?;
    s.click(&format!("{} [data-testid=fail]", parcel(id, "pending")))
        .await?;
    s.wait_for("[data-testid=fail-dialog]", WAIT).await?;
    s.select("[data-testid=fail-reason]", "nobody_home").await?;
    // The first card of the stack is filled in; wait until it is there.
    s.wait_for("datalist#card-stack option", WAIT).await?;
    let card = s
        .attr("datalist#card-stack option", "value")
        .await?
        .unwrap_or_default();
    anyhow::ensure!(!card.is_empty(), "the driver's card stack is offered");
    s.fill("[data-testid=card-number]", &card).await?;
    s.click("[data-testid=confirm-fail]").await?;
    s.wait_for(&parcel(id, "failed"), WAIT).await?;
    Ok(())
}

/// Station lead L1 signed in on a station tablet enrolled with CODE-E2E.
pub(crate) fn station_lead(base: &str) -> anyhow::Result<Session> {
    let device: EnrolResponse = http(
        &format!("{base}/v1/devices/enrol"),
        None,
        Some(serde_json::json!({"enrolment_code": "CODE-E2E", "device_name": "station-tablet"})),
    )?;
    http(
        &format!("{base}/v1/session"),
        None,
        Some(serde_json::json!({
            "device_id": device.device_id, "device_token": device.device_token,
            "role": "station", "user_id": "L1", "pin": "4321",
        })),
    )
}

/// The outcomes of `tour_id` as the station lead's dispatch view shows them.
pub(crate) fn outcomes(
    base: &str,
    lead: &Session,
    tour_id: &str,
) -> anyhow::Result<Vec<OutcomeView>> {
    http(
        &format!("{base}/v1/dispatch/tours/{tour_id}/outcomes"),
        Some(&lead.access_token),
        None,
    )
}

/// A connection to the app's encrypted SQLite file, keyed with the store key it keeps in its
/// file-mode key folder (issue 16).
pub fn device_connection(app: &App) -> anyhow::Result<rusqlite::Connection> {
    let key = std::fs::read_to_string(app.key_dir().join("store-key"))
        .context("reading the app's store key")?;
    let conn = rusqlite::Connection::open(app.device_db())?;
    conn.pragma_update(None, "key", format!("x'{}'", key.trim()))?;
    Ok(conn)
}
