//! The app's configuration, read once at start-up from the environment into one value that
//! the state carries; nothing else in the shell reads environment variables.
//!
//! | variable | meaning |
//! |---|---|
//! | `LASTMILE_DATA_DIR` | the data folder (default: the platform's app-data folder) |
//! | `LASTMILE_SERVER_URL` | the sync server (none: the app works offline only) |
//! | `LASTMILE_ENROLMENT_CODE` | the station's enrolment code, preset for the sign-in screen |
//! | `LASTMILE_DEMO_DRIVER`, `LASTMILE_DEMO_PIN` | the demo driver signed in at start-up |
//! | `LASTMILE_POSITION` | `simulated` (desktop default) or `platform` (mobile default) |
//! | `LASTMILE_SIM_SPEED_KMH` | speed of the simulated drive (default 30) |
//! | `LASTMILE_KEY_DIR` | tests and demo only: keep the store key and tokens as files in this folder (apart from the data folder) instead of the platform keystore; the UI warns |

use std::path::PathBuf;

/// Where positions come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PositionMode {
    /// The webview's geolocation while it delivers fixes, else a simulated drive.
    Simulated,
    /// The webview's geolocation only.
    Platform,
}

/// Everything the environment tells the app.
#[derive(Debug, Clone, PartialEq)]
pub struct AppConfig {
    pub data_dir: Option<PathBuf>,
    pub server_url: Option<String>,
    pub enrolment_code: Option<String>,
    pub demo_driver: Option<String>,
    pub demo_pin: Option<String>,
    pub position: PositionMode,
    pub sim_speed_kmh: f64,
    /// File-key mode (tests, demo): the folder that holds the keys instead of the keystore.
    pub key_dir: Option<PathBuf>,
}

impl AppConfig {
    /// Reads the process environment (once, in `build_app`).
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Builds the configuration from a lookup; empty values count as unset.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let default_position = if cfg!(mobile) {
            PositionMode::Platform
        } else {
            PositionMode::Simulated
        };
        Self {
            data_dir: set("LASTMILE_DATA_DIR").map(PathBuf::from),
            server_url: set("LASTMILE_SERVER_URL"),
            enrolment_code: set("LASTMILE_ENROLMENT_CODE"),
            demo_driver: set("LASTMILE_DEMO_DRIVER").map(|d| d.trim().to_owned()),
            demo_pin: set("LASTMILE_DEMO_PIN"),
            position: match set("LASTMILE_POSITION").as_deref() {
                Some("simulated") => PositionMode::Simulated,
                Some("platform") => PositionMode::Platform,
                _ => default_position,
            },
            sim_speed_kmh: set("LASTMILE_SIM_SPEED_KMH")
                .and_then(|s| s.trim().parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s > 0.0)
                .unwrap_or(30.0),
            key_dir: set("LASTMILE_KEY_DIR").map(PathBuf::from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> AppConfig {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        AppConfig::from_vars(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn nothing_set_gives_the_defaults() {
        let c = config(&[]);
        assert_eq!(c.data_dir, None);
        assert_eq!(c.server_url, None);
        assert_eq!(c.enrolment_code, None);
        assert_eq!(c.position, PositionMode::Simulated);
        assert!((c.sim_speed_kmh - 30.0).abs() < f64::EPSILON);
    }

    #[test]
    fn values_are_read_and_blank_or_bad_ones_ignored() {
        let c = config(&[
            ("LASTMILE_DATA_DIR", "/tmp/lm"),
            ("LASTMILE_SERVER_URL", "http://127.0.0.1:9"),
            ("LASTMILE_ENROLMENT_CODE", "  "),
            ("LASTMILE_DEMO_DRIVER", " demo-driver "),
            ("LASTMILE_DEMO_PIN", "2468"),
            ("LASTMILE_POSITION", "platform"),
            ("LASTMILE_SIM_SPEED_KMH", "-5"),
        ]);
        assert_eq!(c.data_dir, Some(PathBuf::from("/tmp/lm")));
        assert_eq!(c.server_url.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(c.enrolment_code, None, "a blank code is no code");
        assert_eq!(c.demo_driver.as_deref(), Some("demo-driver"));
        assert_eq!(c.demo_pin.as_deref(), Some("2468"));
        assert_eq!(c.position, PositionMode::Platform);
        assert!(
            (c.sim_speed_kmh - 30.0).abs() < f64::EPSILON,
            "a negative speed is ignored"
        );
        let fast = config(&[("LASTMILE_SIM_SPEED_KMH", "90")]);
        assert!((fast.sim_speed_kmh - 90.0).abs() < f64::EPSILON);
    }
}
