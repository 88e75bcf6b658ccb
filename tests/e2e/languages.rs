//! The UI in all seven languages through the real webview: the tour and the stop screen in
//! each (screenshots `tour-<code>` and `stop-<code>` at 360x800), and every screen of the
//! driver's day in Arabic, right to left (`*-ar`), in `target/e2e-artifacts/languages/`. On
//! every screen: no catalog key, no missing-message marker, no unfilled argument; in Arabic
//! the document is `dir="rtl"`, the layout mirrors (the title sits right of the language
//! picker, a stop's number right of its address) and tracking ids stay left to right.

use lastmile_tests::ui::{self, Setup, UiSession};

use crate::common::{
    LANGS, WAIT, assert_translated, catalog, download_if_needed, parcel, seed, set_lang,
    simple_message,
};
use crate::driver_day::small_tour;

/// `[left, right]` edges of the first element matching `css`.
async fn edges(s: &UiSession, css: &str) -> anyhow::Result<[f64; 2]> {
    s.wait_for(css, WAIT).await?;
    let v = ui::timed(
        "element rect",
        s.client().execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             return [r.left, r.right];",
            vec![css.into()],
        ),
    )
    .await??;
    Ok(serde_json::from_value(v)?)
}

/// The computed `direction` of the first element matching `css`.
async fn direction(s: &UiSession, css: &str) -> anyhow::Result<String> {
    s.wait_for(css, WAIT).await?;
    let v = ui::timed(
        "computed direction",
        s.client().execute(
            "return getComputedStyle(document.querySelector(arguments[0])).direction;",
            vec![css.into()],
        ),
    )
    .await??;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Checks the screen in Arabic and saves it as `<name>-ar`.
async fn arabic(s: &UiSession, name: &str) -> anyhow::Result<()> {
    s.wait_for("html[lang=ar][dir=rtl]", WAIT).await?;
    assert_translated(s, "ar").await?;
    s.screenshot(&format!("{name}-ar")).await?;
    Ok(())
}

/// The screen in each language, checked, with the tab `nav` in that language's words, saved
/// as `<name>-<code>`.
async fn each_language(s: &UiSession, name: &str) -> anyhow::Result<()> {
    for code in LANGS {
        set_lang(s, code).await?;
        let ftl = catalog(code)?;
        let tour_tab = simple_message(&ftl, "nav-tour").unwrap_or_default();
        s.wait_for_text("[data-testid=nav-tour]", WAIT, |t| t == tour_tab)
            .await?;
        assert_translated(s, code).await?;
        s.screenshot(&format!("{name}-{code}")).await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_screen_in_seven_languages_and_arabic_right_to_left() -> anyhow::Result<()> {
    let tour = small_tour()?;
    let first = tour.stops[0].parcels[0].tracking_id.clone();
    let setup = Setup {
        seed: Some(seed(&tour)),
        ..Setup::default()
    };
    ui::run_with("languages", setup, async |s| {
        s.set_size(360, 800).await?;
        s.wait_for("[data-testid=enrolment-code]", WAIT).await?;
        s.wait_for("[data-testid=server-status] [data-state=connected]", WAIT)
            .await?;
        for code in LANGS {
            set_lang(s, code).await?;
            assert_translated(s, code).await?;
        }
        let ar = catalog("ar")?;
        arabic(s, "01-sign-in").await?;
        // Mirrored: the title at the right, the picker at the left.
        let [title_left, _] = edges(s, "[data-testid=app-title]").await?;
        let [_, picker_right] = edges(s, "[data-testid=lang-picker]").await?;
        assert!(
            title_left > picker_right,
            "in Arabic the title is right of the picker ({title_left} <= {picker_right})"
        );

        // A wrong PIN, said in Arabic.
        s.fill("[data-testid=driver-id]", "D1").await?;
        s.fill("[data-testid=pin]", "9999").await?;
        s.fill("[data-testid=enrolment-code]", "CODE-E2E").await?;
        s.click("[data-testid=sign-in]").await?;
        let wrong = simple_message(&ar, "err-auth-bad_credentials").unwrap_or_default();
        s.wait_for_text("[data-testid=error]", WAIT, |t| t.contains(wrong))
            .await?;
        arabic(s, "02-sign-in-error").await?;
        s.fill("[data-testid=pin]", "1234").await?;
        s.click("[data-testid=sign-in]").await?;
        download_if_needed(s).await?;
        s.wait_for("[data-testid=tour-progress]", WAIT).await?;
        arabic(s, "03-tour").await?;
        // A stop's number sits right of its address.
        let [seq_left, _] = edges(s, "[data-testid=stop-line] .seq").await?;
        let [_, addr_right] = edges(s, "[data-testid=stop-line] .addr").await?;
        assert!(
            seq_left >= addr_right,
            "in Arabic the stop number is right of the address ({seq_left} < {addr_right})"
        );
        each_language(s, "tour").await?;

        // Search without a match.
        set_lang(s, "ar").await?;
        s.fill("[data-testid=tour-search]", "zzzz").await?;
        s.wait_for("[data-testid=no-match]", WAIT).await?;
        arabic(s, "04-search-no-match").await?;
        s.click("[data-testid=search-clear]").await?;

        // The stop screen in every language.
        s.click("[data-testid=go-current]").await?;
        s.wait_for(&parcel(&first, "pending"), WAIT).await?;
        s.wait_for(
            "[data-testid=guidance] [data-testid=distance][data-metres]",
            WAIT,
        )
        .await?;
        each_language(s, "stop").await?;
        set_lang(s, "ar").await?;
        arabic(s, "05-stop").await?;
        // Tracking ids keep their own direction inside the right-to-left page.
        assert_eq!(direction(s, "[data-testid=stop]").await?, "rtl");
        assert_eq!(
            direction(s, "[data-testid=parcel] code").await?,
            "ltr",
            "a tracking id is shown left to right"
        );

        // A scan that is refused.
        s.fill("[data-testid=scan-entry]", "1Z5R89390357567128")
            .await?;
        s.click("[data-testid=scan-check]").await?;
        s.wait_for("[data-testid=scan] [data-testid=error]", WAIT)
            .await?;
        s.scroll_to("[data-testid=scan]").await?;
        arabic(s, "06-scan-invalid").await?;

        // Delivered: the dialog, and its refusal without a signature.
        s.click(&format!(
            "{} [data-testid=deliver]",
            parcel(&first, "pending")
        ))
        .await?;
        s.wait_for("[data-testid=deliver-dialog]", WAIT).await?;
        arabic(s, "07-deliver").await?;
        s.click("[data-testid=method-recipient]").await?;
        s.fill("[data-testid=recipient-name]", "Max Muster").await?;
        s.click("[data-testid=confirm-deliver]").await?;
        s.wait_for("[data-testid=deliver-dialog] [data-testid=error]", WAIT)
            .await?;
        arabic(s, "08-deliver-refused").await?;
        s.click("[data-testid=deliver-dialog] [data-testid=cancel]")
            .await?;

        // Not delivered: the dialog, then recorded, with the undo banner.
        s.click(&format!("{} [data-testid=fail]", parcel(&first, "pending")))
            .await?;
        s.wait_for("[data-testid=fail-dialog]", WAIT).await?;
        arabic(s, "09-not-delivered").await?;
        s.click("[data-testid=fail-dialog] [data-testid=cancel]")
            .await?;

        // Summary and About.
        s.click("[data-testid=nav-summary]").await?;
        s.wait_for("[data-testid=summary-card]", WAIT).await?;
        arabic(s, "10-summary").await?;
        s.click("[data-testid=nav-about]").await?;
        s.wait_for("[data-testid=about-install-id]", WAIT).await?;
        arabic(s, "11-about").await?;
        // The About screen's picker names every language in its own name.
        let names = ui::timed(
            "picker options",
            s.client().execute(
                "return Array.from(document.querySelectorAll('[data-testid=about-lang] option'))
                   .map(o => o.textContent);",
                vec![],
            ),
        )
        .await??;
        assert_eq!(
            names,
            serde_json::json!([
                "Deutsch",
                "English",
                "Polski",
                "Română",
                "Türkçe",
                "Українська",
                "العربية"
            ])
        );
        Ok(())
    })
    .await
}
