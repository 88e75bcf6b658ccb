//! A WebDriver session on the real app: Xvfb + tauri-driver + WebKitWebDriver + the app,
//! with a real sync server behind it. Every WebDriver call goes through [`UiSession::call`]
//! with a timeout.

use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

use crate::process::{Proc, ServerProc, Xvfb, tauri_driver};

/// Upper bound for any single WebDriver call.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(20);
/// Upper bound for a whole UI test, set-up and teardown included.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(300);

/// Everything one UI test runs against: the app (see [`App`], which this derefs to) and the
/// server behind it. Fields drop in order: the app (WebDriver first), then the server.
pub struct UiSession {
    app: App,
    pub server: ServerProc,
    temp: tempfile::TempDir,
    /// With [`Setup::tls`]: the test CA that signed the server's certificate (PEM file).
    pub test_ca: Option<PathBuf>,
}

/// One running app: its X display, tauri-driver (which started the app) and the WebDriver
/// session on it. A test with two people (a station tablet and a driver's phone) has two,
/// against the same server: the session's own and a [`UiSession::peer`].
pub struct App {
    client: Client,
    _driver: Proc,
    xvfb: Xvfb,
    /// The app's data folder (its `device.db` lives here).
    pub app_data: PathBuf,
    pub artifacts: PathBuf,
    /// tauri-driver's port and the app binary, for [`App::restart_app`].
    driver_port: u16,
    app_binary: PathBuf,
}

impl std::fmt::Debug for UiSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UiSession")
            .field("server", &self.server.url)
            .field("app_data", &self.app.app_data)
            .finish()
    }
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("app_data", &self.app_data)
            .finish()
    }
}

impl std::ops::Deref for UiSession {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl std::ops::DerefMut for UiSession {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

/// Runs `body` against a fresh [`UiSession`] named `test`, under [`TEST_TIMEOUT`]. On failure
/// a screenshot `failure.png` is saved before the error is returned.
pub async fn run(
    test: &str,
    body: impl AsyncFnOnce(&mut UiSession) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    run_with(test, Setup::default(), body).await
}

/// What a test puts in place before the app starts.
#[derive(Debug, Default)]
pub struct Setup {
    /// A seed (`lastmile-server seed` JSON) loaded into the server before it starts.
    pub seed: Option<serde_json::Value>,
    /// Extra environment for the app.
    pub env: Vec<(String, String)>,
    /// Extra environment for the server.
    pub server_env: Vec<(String, String)>,
    /// Serve HTTPS with a certificate of a throwaway test CA, and say which CA the app trusts
    /// besides the built-in roots (`LASTMILE_DEV_CA_FILE`).
    pub tls: Option<Trust>,
}

/// Which CA an app of an HTTPS session trusts ([`Setup::tls`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// The test CA that signed the server's certificate.
    TestCa,
    /// Another CA: the handshake must fail.
    OtherCa,
}

/// [`run`] with a seeded server and extra app environment.
pub async fn run_with(
    test: &str,
    setup: Setup,
    body: impl AsyncFnOnce(&mut UiSession) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut session = UiSession::start_with(test, setup).await?;
    let outcome = match tokio::time::timeout(TEST_TIMEOUT, body(&mut session)).await {
        Ok(result) => result,
        Err(_) => Err(anyhow::anyhow!(
            "test {test} timed out after {TEST_TIMEOUT:?}"
        )),
    };
    if let Err(e) = &outcome {
        match session.screenshot("failure").await {
            Ok(path) => eprintln!("{test} failed: {e:#}\nscreenshot: {}", path.display()),
            Err(shot) => eprintln!("{test} failed: {e:#}\n(no screenshot: {shot:#})"),
        }
        eprintln!("{}", session.diagnosis());
    }
    session.close().await;
    outcome
}

impl UiSession {
    pub async fn start(test: &str) -> anyhow::Result<Self> {
        Self::start_with(test, Setup::default()).await
    }

    /// [`start`](Self::start) with a seeded server and extra app environment.
    pub async fn start_with(test: &str, setup: Setup) -> anyhow::Result<Self> {
        let artifacts = crate::artifacts_dir(test);
        let temp = tempfile::tempdir()?;
        if let Some(seed) = &setup.seed {
            let file = temp.path().join("seed.json");
            std::fs::write(&file, serde_json::to_vec(seed)?)?;
            ServerProc::seed(&temp.path().join("server"), &file)?;
        }
        let mut server_env = setup.server_env.clone();
        let mut env = setup.env.clone();
        let mut test_ca = None;
        if let Some(trust) = setup.tls {
            let pki = crate::tls::TestPki::write(temp.path())?;
            server_env.extend(pki.server_env());
            let trusted = match trust {
                Trust::TestCa => &pki.ca,
                Trust::OtherCa => &pki.other_ca,
            };
            env.push((
                "LASTMILE_DEV_CA_FILE".into(),
                trusted.to_string_lossy().into_owned(),
            ));
            test_ca = Some(pki.ca.clone());
        }
        let server = ServerProc::start_with(
            &temp.path().join("server"),
            &artifacts.join("server.log"),
            "127.0.0.1:0",
            &server_env,
        )?;
        let app_data = temp.path().join("device");
        let app = App::launch(&server.url, app_data, artifacts, &env).await?;
        Ok(Self {
            app,
            server,
            temp,
            test_ca,
        })
    }

    /// A second app against the same server, as a second person's device (its own data
    /// folder, display and WebDriver session; artifacts in `<artifacts>/<name>/`).
    pub async fn peer(&self, name: &str, env: &[(String, String)]) -> anyhow::Result<App> {
        let app_data = self.temp.path().join(format!("device-{name}"));
        let artifacts = self.app.artifacts.join(name);
        std::fs::create_dir_all(&artifacts)?;
        App::launch(&self.server.url, app_data, artifacts, env).await
    }

    async fn close(self) {
        self.app.close().await;
        // Dropping the rest kills the server.
    }
}

impl App {
    /// Starts Xvfb, tauri-driver and the app on `app_data` against `server_url`.
    async fn launch(
        server_url: &str,
        app_data: PathBuf,
        artifacts: PathBuf,
        extra_env: &[(String, String)],
    ) -> anyhow::Result<Self> {
        let app_binary = crate::binary("lastmile-app")?;
        let xvfb = Xvfb::start()?;
        std::fs::create_dir_all(&app_data)?;
        let keys = key_dir_of(&app_data);
        let mut env = vec![
            ("LASTMILE_DATA_DIR", app_data.as_os_str()),
            // File-key mode: no Secret Service runs under the E2E chain (issue 16).
            ("LASTMILE_KEY_DIR", keys.as_os_str()),
            ("LASTMILE_SERVER_URL", std::ffi::OsStr::new(server_url)),
            ("LASTMILE_LOG", std::ffi::OsStr::new("info")),
            // The E2E tours are real routes of 2018 (LMRRC): with the default grace (the end
            // of the next day) the device would purge the tour being driven once it is sent.
            // A test's `extra_env` may set it otherwise.
            (
                "LASTMILE_RETENTION_GRACE_DAYS",
                std::ffi::OsStr::new("36500"),
            ),
        ];
        env.extend(
            extra_env
                .iter()
                .map(|(k, v)| (k.as_str(), std::ffi::OsStr::new(v))),
        );
        let (driver, port) = tauri_driver(xvfb.display(), &env, &artifacts.join("app.log"))?;

        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": app_binary.to_string_lossy() }),
        );
        // Two rustls crypto providers are compiled into the workspace; choose one explicitly.
        let _already_installed = rustls::crypto::ring::default_provider()
            .install_default()
            .is_err();
        let client = timed(
            "new WebDriver session",
            ClientBuilder::rustls()?
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{port}")),
        )
        .await?
        .context("creating the WebDriver session")?;
        Ok(Self {
            client,
            _driver: driver,
            xvfb,
            app_data,
            artifacts,
            driver_port: port,
            app_binary,
        })
    }

    /// Quits the app and starts it again on the same data folder and server, as a driver
    /// does who closes and reopens it: the WebDriver session ends (which ends the app) and a
    /// new one starts the app afresh.
    pub async fn restart_app(&mut self) -> anyhow::Result<()> {
        timed("close session", self.client.clone().close())
            .await?
            .context("closing the WebDriver session")?;
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": self.app_binary.to_string_lossy() }),
        );
        self.client = timed(
            "new WebDriver session",
            ClientBuilder::rustls()?
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{}", self.driver_port)),
        )
        .await?
        .context("creating the WebDriver session after the restart")?;
        Ok(())
    }

    /// The WebDriver client, for calls the helpers below do not cover (wrap them in [`timed`]).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Waits until an element matching `css` exists and returns it.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> anyhow::Result<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Ok(found)) =
                tokio::time::timeout(CALL_TIMEOUT, self.client.find(Locator::Css(css))).await
            {
                return Ok(found);
            }
            if Instant::now() >= deadline {
                bail!("no element `{css}` after {timeout:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until no element matches `css`.
    pub async fn wait_for_gone(&self, css: &str, timeout: Duration) -> anyhow::Result<()> {
        let deadline = Instant::now() + timeout;
        while self.count(css).await? > 0 {
            if Instant::now() >= deadline {
                bail!("`{css}` still there after {timeout:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Waits until the text of `css` satisfies `pred`; returns the text.
    pub async fn wait_for_text(
        &self,
        css: &str,
        timeout: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> anyhow::Result<String> {
        let deadline = Instant::now() + timeout;
        let mut last = String::new();
        loop {
            if let Ok(el) = self.wait_for(css, Duration::from_millis(1)).await
                && let Ok(Ok(text)) = tokio::time::timeout(CALL_TIMEOUT, el.text()).await
            {
                if pred(&text) {
                    return Ok(text);
                }
                last = text;
            }
            if Instant::now() >= deadline {
                bail!(
                    "`{css}` never showed the expected text within {timeout:?}; last seen: {last:?}"
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Attribute `name` of the first element matching `css`.
    /// A node replaced by a re-render between finding and reading it is found again.
    pub async fn attr(&self, css: &str, name: &str) -> anyhow::Result<Option<String>> {
        let mut tries = 0;
        loop {
            let el = self.wait_for(css, CALL_TIMEOUT).await?;
            match timed(&format!("attr {name} of {css}"), el.attr(name)).await? {
                Ok(value) => return Ok(value),
                Err(_) if tries < 5 => tries += 1,
                Err(e) => return Err(e.into()),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the first element matching `css`.
    pub async fn click(&self, css: &str) -> anyhow::Result<()> {
        // A screen redrawn between finding the element and clicking it replaces the node
        // with its twin: find it again and tap again, as a person would (only then).
        let mut tries = 0;
        loop {
            let el = self.wait_for(css, CALL_TIMEOUT).await?;
            let clicked = async {
                self.settle(&el).await?;
                timed(&format!("click {css}"), el.click()).await??;
                anyhow::Ok(())
            }
            .await;
            match clicked {
                Err(e) if tries < 3 && is_stale(&e) => tries += 1,
                other => return other,
            }
        }
    }

    /// Waits (up to two seconds) until `el` stands still in the viewport: WebDriver finds the
    /// point to click and then clicks it, so content that grows above in between (a picture
    /// decoding, a list arriving) sends the click to whatever moved under that point. A person
    /// waits for the screen to stop moving too.
    async fn settle(&self, el: &Element) -> anyhow::Result<()> {
        let arg = serde_json::to_value(el)?;
        let js = "arguments[0].scrollIntoView({block: 'nearest'}); \
                  const r = arguments[0].getBoundingClientRect(); \
                  return [r.x, r.y, r.width, r.height].join(',');";
        let mut last = String::new();
        for _ in 0..20 {
            let now = timed("rect", self.client.execute(js, vec![arg.clone()]))
                .await??
                .to_string();
            if now == last {
                return Ok(());
            }
            last = now;
            tokio::time::sleep(Duration::from_millis(60)).await;
        }
        Ok(())
    }

    /// Saves a PNG screenshot as `<artifacts>/<name>.png` and returns its path. Waits a moment
    /// first: WebKit can return a blank frame right after content changes.
    pub async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let png = timed("screenshot", self.client.screenshot()).await??;
        let path = self.artifacts.join(format!("{name}.png"));
        std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }

    /// Replaces the text of the input matched by `css` with `text`, as typed.
    pub async fn fill(&self, css: &str, text: &str) -> anyhow::Result<()> {
        let el = self.wait_for(css, CALL_TIMEOUT).await?;
        timed("clear", el.clear())
            .await?
            .with_context(|| format!("clearing {css}"))?;
        timed("send keys", el.send_keys(text))
            .await?
            .with_context(|| format!("typing into {css}"))
    }

    /// Scrolls the first element matching `css` into the middle of the viewport (for a
    /// screenshot that shows it).
    pub async fn scroll_to(&self, css: &str) -> anyhow::Result<()> {
        let el = self.wait_for(css, CALL_TIMEOUT).await?;
        let arg = serde_json::to_value(&el)?;
        timed(
            "scroll",
            self.client
                .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg]),
        )
        .await??;
        Ok(())
    }

    /// Runs `js` (a function body; `return` gives the answer) in the page.
    pub async fn script(&self, js: &str) -> anyhow::Result<serde_json::Value> {
        Ok(timed("execute", self.client.execute(js, vec![])).await??)
    }

    /// The text of the first element matching `css` as rendered (`innerText`): without what
    /// is folded away in a closed `<details>`, which WebDriver's element text includes.
    pub async fn rendered_text(&self, css: &str) -> anyhow::Result<String> {
        let el = self.wait_for(css, CALL_TIMEOUT).await?;
        let arg = serde_json::to_value(&el)?;
        let text = timed(
            "innerText",
            self.client
                .execute("return arguments[0].innerText;", vec![arg]),
        )
        .await??;
        text.as_str()
            .map(str::to_owned)
            .with_context(|| format!("innerText of {css} is not a string: {text}"))
    }

    /// Chooses the file at `path` in the `<input type=file>` matched by `css`, as the file
    /// chooser would (WebDriver's file upload: the path sent as keys).
    pub async fn choose_file(&self, css: &str, path: &std::path::Path) -> anyhow::Result<()> {
        let el = self.wait_for(css, CALL_TIMEOUT).await?;
        let path = path
            .canonicalize()
            .with_context(|| format!("{}", path.display()))?;
        timed("choose file", el.send_keys(&path.to_string_lossy()))
            .await?
            .with_context(|| format!("choosing {} in {css}", path.display()))
    }

    /// Draws `strokes` (points relative to the element's centre) on the element matched by
    /// `css` with the mouse: press, move through the points, release, per stroke.
    pub async fn draw(&self, css: &str, strokes: &[Vec<(f64, f64)>]) -> anyhow::Result<()> {
        use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
        let el = self.wait_for(css, CALL_TIMEOUT).await?;
        // The pointer can only reach what is on screen: bring the pad into view first (a
        // banner above it can push it below the fold on a phone-sized window).
        timed(
            "scroll",
            self.client.execute(
                "arguments[0].scrollIntoView({block: 'center'});",
                vec![serde_json::to_value(&el)?],
            ),
        )
        .await??;
        let mut mouse = MouseActions::new("mouse".into());
        for stroke in strokes {
            let Some(((x0, y0), rest)) = stroke.split_first() else {
                continue;
            };
            mouse = mouse
                .then(PointerAction::MoveToElement {
                    element: el.clone(),
                    duration: None,
                    x: *x0,
                    y: *y0,
                })
                .then(PointerAction::Down {
                    button: MOUSE_BUTTON_LEFT,
                });
            for (x, y) in rest {
                mouse = mouse.then(PointerAction::MoveToElement {
                    element: el.clone(),
                    duration: Some(Duration::from_millis(10)),
                    x: *x,
                    y: *y,
                });
            }
            mouse = mouse.then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            });
        }
        timed("draw", self.client.perform_actions(mouse))
            .await?
            .with_context(|| format!("drawing on {css}"))?;
        Ok(())
    }

    /// Picks the option with `value` in the `<select>` matched by `css`.
    pub async fn select(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let el = self.wait_for(css, CALL_TIMEOUT).await?;
        timed("select", el.select_by_value(value))
            .await?
            .with_context(|| format!("selecting {value} in {css}"))
    }

    /// The current `value` property of the form field matched by `css`.
    pub async fn value(&self, css: &str) -> anyhow::Result<String> {
        let el = self.wait_for(css, CALL_TIMEOUT).await?;
        Ok(timed("prop value", el.prop("value"))
            .await??
            .unwrap_or_default())
    }

    /// Resizes the app window (e.g. 360x800, a phone).
    pub async fn set_size(&self, width: u32, height: u32) -> anyhow::Result<()> {
        timed(
            "set window rect",
            self.client.set_window_rect(0, 0, width, height),
        )
        .await?
        .context("resizing the window")
    }

    /// How many elements match `css` right now.
    pub async fn count(&self, css: &str) -> anyhow::Result<usize> {
        Ok(timed("find all", self.client.find_all(Locator::Css(css)))
            .await??
            .len())
    }

    /// The app's SQLite file.
    pub fn device_db(&self) -> PathBuf {
        self.app_data.join("device.db")
    }

    /// The folder of the app's file-mode keys (the store key, the tokens), apart from its data.
    pub fn key_dir(&self) -> PathBuf {
        key_dir_of(&self.app_data)
    }

    /// Whether the app process still runs, and the end of its log: what a failed test prints,
    /// so that CI's output says whether the app died (WebKitWebDriver then reports "session
    /// deleted because of page crash or hang") and what it logged last.
    pub fn diagnosis(&self) -> String {
        let data_dir = format!("LASTMILE_DATA_DIR={}", self.app_data.display());
        let binary = std::fs::canonicalize(&self.app_binary).unwrap_or(self.app_binary.clone());
        let running: Vec<String> = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter(|entry| {
                std::fs::read(entry.path().join("environ")).is_ok_and(|environ| {
                    environ
                        .split(|b| *b == 0)
                        .any(|var| var == data_dir.as_bytes())
                })
            })
            .filter_map(|entry| {
                let exe = std::fs::read_link(entry.path().join("exe")).ok()?;
                (exe == binary).then(|| entry.file_name().to_string_lossy().into_owned())
            })
            .collect();
        let display = self.xvfb.display();
        let process = if running.is_empty() {
            format!("the app process (on display {display}) is gone: it exited or crashed")
        } else {
            format!(
                "the app process is running on display {display} (pid {})",
                running.join(", ")
            )
        };
        let log_path = self.artifacts.join("app.log");
        let log = std::fs::read_to_string(&log_path).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(40)..].join("\n");
        format!(
            "{process}\n--- last lines of {} ---\n{}",
            log_path.display(),
            strip_ansi(&tail)
        )
    }

    /// Ends the WebDriver session (which ends the app); dropping `self` then stops
    /// tauri-driver and Xvfb.
    pub async fn close(self) {
        if let Err(e) = timed("close session", self.client.clone().close()).await {
            eprintln!("closing the WebDriver session: {e:#}");
        }
    }
}

/// Runs a WebDriver call under [`CALL_TIMEOUT`], naming it in the error.
pub async fn timed<T>(what: &str, call: impl Future<Output = T>) -> anyhow::Result<T> {
    tokio::time::timeout(CALL_TIMEOUT, call)
        .await
        .map_err(|_| anyhow::anyhow!("WebDriver call `{what}` timed out after {CALL_TIMEOUT:?}"))
}

/// `text` without terminal colour codes (the app's log is coloured).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters, ending with a letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Where the app on `app_data` keeps its keys in file-key mode: `<app_data>-keys` beside it.
pub fn key_dir_of(app_data: &std::path::Path) -> PathBuf {
    let mut name = app_data.as_os_str().to_owned();
    name.push("-keys");
    PathBuf::from(name)
}

/// Is `e` WebDriver's answer for an element no longer in the page (the screen redrew)?
fn is_stale(e: &anyhow::Error) -> bool {
    let text = format!("{e:#}");
    text.contains("was not found") || text.contains("stale element")
}
