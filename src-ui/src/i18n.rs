//! Every text on screen comes from the Fluent catalogs in `src-ui/locales/<lang>.ftl`, one
//! file per language, compiled into the UI (`include_str!`) and parsed once per language on
//! first use. Plural forms follow CLDR's rules (`intl_pluralrules` inside `fluent-bundle`);
//! sentences are whole messages with named arguments (`{ $n }`). Error codes from the shell
//! are translated here too (`err-<code>` and `hint-<code>`, dots in the code become dashes).
//!
//! The test at the bottom checks all files at once: every message in every language, none
//! extra, the same arguments everywhere, and every key a screen uses.

use std::cell::OnceCell;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use leptos::prelude::*;

/// The languages the driver can pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
    Pl,
    Ro,
    Tr,
    Uk,
    Ar,
}

impl Lang {
    /// Every language, in the order the picker shows them.
    pub const ALL: [Lang; 7] = [
        Lang::De,
        Lang::En,
        Lang::Pl,
        Lang::Ro,
        Lang::Tr,
        Lang::Uk,
        Lang::Ar,
    ];

    /// The BCP 47 code, as saved in `ui-settings.json` and set on `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Pl => "pl",
            Lang::Ro => "ro",
            Lang::Tr => "tr",
            Lang::Uk => "uk",
            Lang::Ar => "ar",
        }
    }

    /// The language's own name, as the picker shows it (never translated).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
            Lang::Pl => "Polski",
            Lang::Ro => "Română",
            Lang::Tr => "Türkçe",
            Lang::Uk => "Українська",
            Lang::Ar => "العربية",
        }
    }

    /// Whether the language is written right to left (`dir="rtl"` on the document).
    pub fn is_rtl(self) -> bool {
        self == Lang::Ar
    }

    /// `ltr` or `rtl`, for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        if self.is_rtl() { "rtl" } else { "ltr" }
    }

    /// The language named by `code`, if the UI speaks it.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The catalog of this language (the Fluent source).
    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en.ftl"),
            Lang::De => include_str!("../locales/de.ftl"),
            Lang::Pl => include_str!("../locales/pl.ftl"),
            Lang::Ro => include_str!("../locales/ro.ftl"),
            Lang::Tr => include_str!("../locales/tr.ftl"),
            Lang::Uk => include_str!("../locales/uk.ftl"),
            Lang::Ar => include_str!("../locales/ar.ftl"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A message argument: a number (which picks the plural form) or a text.
pub type Arg = FluentValue<'static>;

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

    /// The message `key` in the current language (reactive).
    pub fn t(&self, key: &str) -> String {
        message(self.lang.get(), key, &[])
    }

    /// The message `key` with its named arguments filled in (reactive).
    pub fn tf(&self, key: &str, args: &[(&str, Arg)]) -> String {
        message(self.lang.get(), key, args)
    }

    /// Whether the catalog has `key` (for optional texts such as error hints).
    pub fn has(&self, key: &str) -> bool {
        let lang = self.lang.get();
        with_bundle(lang, |b| b.has_message(key))
    }
}

/// The catalog key for a shell or server error code: `code_key("err", "auth.expired")` is
/// `err-auth-expired`.
pub fn code_key(prefix: &str, code: &str) -> String {
    format!("{prefix}-{}", code.replace('.', "-"))
}

/// The catalog handle from the context.
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(I18n::provide)
}

/// What a key without a message shows (the E2E tests look for it on every screen).
pub const MISSING: char = '⟦';

thread_local! {
    static BUNDLES: [OnceCell<FluentBundle<FluentResource>>; Lang::ALL.len()] =
        const { [const { OnceCell::new() }; Lang::ALL.len()] };
}

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id = lang
        .code()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut b = FluentBundle::new(vec![id]);
    // Unicode isolation marks around arguments only where the text runs right to left (they
    // keep a tracking id or number whole there); left-to-right texts stay plain.
    b.set_use_isolating(lang.is_rtl());
    let res = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(res, errs)| {
        leptos::logging::error!("catalog {}: {errs:?}", lang.code());
        res
    });
    if let Err(errs) = b.add_resource(res) {
        leptos::logging::error!("catalog {}: {errs:?}", lang.code());
    }
    b
}

fn with_bundle<R>(lang: Lang, f: impl FnOnce(&FluentBundle<FluentResource>) -> R) -> R {
    BUNDLES.with(|all| f(all[lang.index()].get_or_init(|| bundle(lang))))
}

/// The message `key` in `lang` (not reactive); a key without a message shows as `⟦key⟧`.
pub fn message(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    with_bundle(lang, |b| {
        let Some(pattern) = b.get_message(key).and_then(|m| m.value()) else {
            leptos::logging::warn!("no message {key} in {}", lang.code());
            return format!("{MISSING}{key}⟧");
        };
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fargs.set(*name, value.clone());
        }
        let mut errors = vec![];
        let text = b.format_pattern(pattern, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            leptos::logging::warn!("message {key} in {}: {errors:?}", lang.code());
        }
        text.into_owned()
    })
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;

    /// The variables a pattern uses (in placeables, selectors and variants alike).
    fn variables<'s>(pattern: &ast::Pattern<&'s str>, out: &mut BTreeSet<&'s str>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, out);
            }
        }
    }

    fn expression_variables<'s>(e: &ast::Expression<&'s str>, out: &mut BTreeSet<&'s str>) {
        match e {
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, out);
                for v in variants {
                    variables(&v.value, out);
                }
            }
            ast::Expression::Inline(i) => inline_variables(i, out),
        }
    }

    fn inline_variables<'s>(e: &ast::InlineExpression<&'s str>, out: &mut BTreeSet<&'s str>) {
        match e {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name);
            }
            ast::InlineExpression::Placeable { expression } => {
                expression_variables(expression, out);
            }
            ast::InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    inline_variables(a, out);
                }
            }
            _ => {}
        }
    }

    /// Every message of one catalog with the variables it uses; the file must parse whole.
    fn catalog(lang: Lang) -> BTreeMap<&'static str, BTreeSet<&'static str>> {
        let res = fluent_syntax::parser::parse(lang.source())
            .unwrap_or_else(|(_, errs)| panic!("{}.ftl does not parse: {errs:?}", lang.code()));
        let mut out = BTreeMap::new();
        for entry in res.body {
            match entry {
                ast::Entry::Message(m) => {
                    let mut vars = BTreeSet::new();
                    let value = m
                        .value
                        .as_ref()
                        .unwrap_or_else(|| panic!("{} has no text in {}", m.id.name, lang.code()));
                    variables(value, &mut vars);
                    let old = out.insert(m.id.name, vars);
                    assert!(old.is_none(), "{} twice in {}.ftl", m.id.name, lang.code());
                }
                ast::Entry::Term(t) => {
                    panic!("term -{} in {}.ftl: use messages", t.id.name, lang.code())
                }
                ast::Entry::Junk { content } => panic!("junk in {}.ftl: {content}", lang.code()),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn every_language_has_every_message_with_the_same_arguments() {
        let en = catalog(Lang::En);
        assert!(en.len() > 200, "only {} messages in en.ftl", en.len());
        for lang in Lang::ALL {
            let other = catalog(lang);
            for (key, vars) in &en {
                let theirs = other
                    .get(key)
                    .unwrap_or_else(|| panic!("{key} is missing in {}.ftl", lang.code()));
                assert_eq!(
                    theirs,
                    vars,
                    "{key}: arguments differ in {}.ftl",
                    lang.code()
                );
            }
            for key in other.keys() {
                assert!(
                    en.contains_key(key),
                    "{key} in {}.ftl is not in en.ftl",
                    lang.code()
                );
            }
            // The bundle takes the file whole, and every message formats without an error
            // (a reference to a message or function that does not exist would be one).
            let res = FluentResource::try_new(lang.source().to_owned())
                .unwrap_or_else(|(_, errs)| panic!("{}.ftl: {errs:?}", lang.code()));
            let mut bundle: FluentBundle<FluentResource> =
                FluentBundle::new(vec![lang.code().parse().unwrap()]);
            bundle
                .add_resource(res)
                .unwrap_or_else(|errs| panic!("{}.ftl: {errs:?}", lang.code()));
            for (key, vars) in &other {
                let mut args = FluentArgs::new();
                for v in vars {
                    args.set(*v, 3);
                }
                let pattern = bundle.get_message(key).and_then(|m| m.value()).unwrap();
                let mut errors = vec![];
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(
                    errors.is_empty(),
                    "{key} in {}.ftl: {errors:?}",
                    lang.code()
                );
                assert!(
                    !text.trim().is_empty(),
                    "{key} in {}.ftl is empty",
                    lang.code()
                );
            }
        }
    }

    /// Every string literal in the screens' sources that looks like a key of a catalog
    /// family (`"stop-title"`), except test ids and classes (`data-testid="stop-title"`).
    fn keys_in_sources(families: &BTreeSet<&str>) -> Vec<String> {
        let sources = [
            include_str!("app.rs"),
            include_str!("overview.rs"),
            include_str!("pages/sign_in.rs"),
            include_str!("pages/tour.rs"),
            include_str!("pages/stop.rs"),
            include_str!("pages/summary.rs"),
            include_str!("pages/about.rs"),
            include_str!("components/status_card.rs"),
            include_str!("components/sync_bar.rs"),
            include_str!("components/error_box.rs"),
            include_str!("components/dialogs.rs"),
            include_str!("components/guidance.rs"),
            include_str!("components/photo.rs"),
            include_str!("components/scan.rs"),
            include_str!("components/signature.rs"),
            // Station tablet (issue 12).
            include_str!("pages/station/mod.rs"),
            include_str!("pages/station/board.rs"),
            include_str!("pages/station/check_in.rs"),
            include_str!("pages/station/day.rs"),
            include_str!("pages/station/scans.rs"),
            include_str!("pages/station/close_out.rs"),
            include_str!("pages/station/phone.rs"),
        ];
        let mut keys = vec![];
        for src in sources {
            let src = src.replace("\\\"", "").replace("'\"'", "");
            let quotes: Vec<usize> = src.match_indices('"').map(|(i, _)| i).collect();
            for pair in quotes.chunks_exact(2) {
                let literal = &src[pair[0] + 1..pair[1]];
                let before = src[..pair[0]].trim_end();
                let attribute = ["testid=", "class=", "id=", "for=", "value=", "type="]
                    .iter()
                    .any(|a| before.ends_with(a));
                let looks_like_key = literal
                    .split_once('-')
                    .is_some_and(|(p, rest)| families.contains(p) && !rest.is_empty())
                    && literal
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_');
                if looks_like_key && !attribute {
                    keys.push(literal.to_owned());
                }
            }
        }
        keys
    }

    #[test]
    fn every_key_the_screens_use_is_in_the_catalog() {
        let en = catalog(Lang::En);
        let families: BTreeSet<&str> = en.keys().filter_map(|k| k.split('-').next()).collect();
        let keys = keys_in_sources(&families);
        assert!(keys.len() > 100, "found only {} keys", keys.len());
        for key in keys {
            assert!(
                en.contains_key(key.as_str()),
                "{key:?} is not in the catalog"
            );
        }
    }

    #[test]
    fn a_missing_key_shows_itself_marked() {
        assert_eq!(message(Lang::De, "no-such-key", &[]), "⟦no-such-key⟧");
        assert_eq!(
            message(Lang::De, "stop-title", &[("n", 4.into())]),
            "Stopp 4"
        );
    }

    /// `tour-progress` for `n` stops, one done, and `n` parcels open.
    fn progress(lang: Lang, n: u32) -> String {
        message(
            lang,
            "tour-progress",
            &[("done", 1.into()), ("total", n.into()), ("open", n.into())],
        )
    }

    #[test]
    fn english_and_german_count_in_singular_and_plural() {
        assert_eq!(progress(Lang::En, 1), "1 of 1 stop done · 1 parcel open");
        assert_eq!(progress(Lang::En, 2), "1 of 2 stops done · 2 parcels open");
        assert_eq!(
            progress(Lang::De, 1),
            "1 von 1 Stopp erledigt · 1 Paket offen"
        );
        assert_eq!(
            progress(Lang::De, 22),
            "1 von 22 Stopps erledigt · 22 Pakete offen"
        );
        assert_eq!(
            message(Lang::En, "stop-out_of_order", &[("n", 1.into())]),
            "1 stop planned before this one is still open. You can still work here."
        );
        assert_eq!(
            message(
                Lang::En,
                "summary-handback",
                &[
                    ("parcels", 1.into()),
                    ("returns", 0.into()),
                    ("cards", 5.into())
                ]
            ),
            "Hand back 1 parcel, 0 returns and 5 unused cards."
        );
    }

    /// Fluent's bidi isolation marks (only the right-to-left catalogs have them).
    fn plain(s: String) -> String {
        s.replace(['\u{2068}', '\u{2069}'], "")
    }

    #[test]
    fn polish_counts_one_few_many() {
        let p = |n| progress(Lang::Pl, n);
        assert_eq!(p(1), "Ukończono 1 z 1 przystanku · 1 paczka do doręczenia");
        assert_eq!(p(2), "Ukończono 1 z 2 przystanków · 2 paczki do doręczenia");
        assert_eq!(p(5), "Ukończono 1 z 5 przystanków · 5 paczek do doręczenia");
        assert_eq!(
            p(22),
            "Ukończono 1 z 22 przystanków · 22 paczki do doręczenia"
        );
        assert_eq!(
            p(12),
            "Ukończono 1 z 12 przystanków · 12 paczek do doręczenia"
        );
    }

    #[test]
    fn ukrainian_counts_one_few_many() {
        let p = |n| progress(Lang::Uk, n);
        assert_eq!(p(1), "Виконано 1 з 1 зупинки · 1 посилка до доставки");
        assert_eq!(p(2), "Виконано 1 з 2 зупинок · 2 посилки до доставки");
        assert_eq!(p(5), "Виконано 1 з 5 зупинок · 5 посилок до доставки");
        assert_eq!(p(22), "Виконано 1 з 22 зупинок · 22 посилки до доставки");
        assert_eq!(p(21), "Виконано 1 з 21 зупинки · 21 посилка до доставки");
    }

    #[test]
    fn arabic_counts_one_two_few_many_other() {
        let p = |n| plain(progress(Lang::Ar, n));
        assert_eq!(p(1), "أُنجز 1 من نقطة واحدة · طرد واحد متبقٍ");
        assert_eq!(p(2), "أُنجز 1 من نقطتين · طردان متبقيان");
        assert_eq!(p(5), "أُنجز 1 من 5 نقاط · 5 طرود متبقية");
        assert_eq!(p(22), "أُنجز 1 من 22 نقطة · 22 طردًا متبقيًا");
        assert_eq!(p(100), "أُنجز 1 من 100 نقطة · 100 طرد متبقٍ");
    }

    #[test]
    fn arabic_keeps_ids_and_numbers_whole_left_to_right() {
        // First-strong isolates: a tracking id or a number inside Arabic text keeps its own
        // direction, and a time window "10:00–12:00" is not turned around.
        assert_eq!(
            message(Lang::Ar, "scan-this_stop", &[("id", "JJD0001".into())]),
            "\u{2068}JJD0001\u{2069} يخص هذه النقطة."
        );
        assert_eq!(
            message(Lang::Ar, "stop-window", &[("window", "10:00–12:00".into())]),
            "النافذة الزمنية: \u{2068}10:00–12:00\u{2069}"
        );
        // Left-to-right catalogs carry no marks (the E2E tests compare their texts as seen).
        assert_eq!(
            message(Lang::Pl, "scan-this_stop", &[("id", "JJD0001".into())]),
            "JJD0001 należy do tego przystanku."
        );
    }

    #[test]
    fn every_language_has_its_own_name_and_direction() {
        let names: Vec<&str> = Lang::ALL.iter().map(|l| l.native_name()).collect();
        assert_eq!(
            names,
            [
                "Deutsch",
                "English",
                "Polski",
                "Română",
                "Türkçe",
                "Українська",
                "العربية"
            ]
        );
        // The shell keeps exactly these codes in ui-settings.json.
        let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
        assert_eq!(codes, lastmile_protocol::ui::UI_LANGS);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_eq!(lang.dir(), if lang == Lang::Ar { "rtl" } else { "ltr" });
        }
    }

    #[test]
    fn directions_are_whole_sentences() {
        let at = |lang, dir: &str| {
            message(
                lang,
                "guide-distance",
                &[("d", "850 m".into()), ("dir", dir.to_owned().into())],
            )
        };
        assert_eq!(at(Lang::En, "ne"), "850 m to the north-east");
        assert_eq!(at(Lang::De, "s"), "850 m Richtung Süden");
    }

    #[test]
    fn codes_become_keys() {
        assert_eq!(
            code_key("err", "auth.bad_credentials"),
            "err-auth-bad_credentials"
        );
        assert_eq!(
            message(Lang::En, &code_key("err", "auth.bad_credentials"), &[]),
            "Driver ID or PIN is wrong."
        );
    }
}
