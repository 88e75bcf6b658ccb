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
//! | `LASTMILE_ALLOW_HTTP` | development only: `1` lets the app talk plain `http://` to a server that is not on this machine (refused otherwise: HTTPS, or loopback) |
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
    /// Development: plain `http://` to a server off this machine is allowed.
    pub allow_http: bool,
    /// Whole days acknowledged data stays after the end of its tour's day
    /// (`LASTMILE_RETENTION_GRACE_DAYS`, default 1: the end of the next day).
    pub retention_grace_days: u32,
    /// Development and tests: a PEM file of CA certificates trusted besides the built-in
    /// roots (`LASTMILE_DEV_CA_FILE`), for a server whose certificate a private or test CA
    /// signed.
    pub dev_ca_file: Option<PathBuf>,
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
            allow_http: set("LASTMILE_ALLOW_HTTP").is_some_and(|v| v.trim() == "1"),
            retention_grace_days: set("LASTMILE_RETENTION_GRACE_DAYS")
                .and_then(|s| s.trim().parse::<u32>().ok())
                .unwrap_or(lastmile_store::Retention::default().grace_days),
            dev_ca_file: set("LASTMILE_DEV_CA_FILE").map(PathBuf::from),
        }
    }

    /// The sync server's address is one the app may talk to: HTTPS, or plain HTTP to this
    /// machine (loopback), or plain HTTP anywhere with [`AppConfig::allow_http`].
    pub fn check_server_url(&self) -> Result<(), String> {
        let Some(url) = &self.server_url else {
            return Ok(());
        };
        let url = url.trim();
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("https://") {
            return Ok(());
        }
        let Some(rest) = lower.strip_prefix("http://") else {
            return Err(format!(
                "the sync server {url} is neither https:// nor http://"
            ));
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let host = match host_port.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => host_port.split(':').next().unwrap_or_default(),
        };
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if loopback || self.allow_http {
            return Ok(());
        }
        Err(format!(
            "the sync server {url} is plain http:// on another machine: the app talks to it \
             only over https:// (LASTMILE_ALLOW_HTTP=1 allows it for development)"
        ))
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
    fn plain_http_is_refused_off_this_machine_unless_allowed_for_development() {
        let check = |url: &str, allow: bool| {
            let mut c = config(&[("LASTMILE_SERVER_URL", url)]);
            c.allow_http = allow;
            c.check_server_url()
        };
        for ok in [
            "https://sync.example.org",
            "HTTPS://sync.example.org:8443/base",
            "http://127.0.0.1:8080",
            "http://127.3.4.5",
            "http://localhost:9/v1",
            "http://[::1]:8080",
        ] {
            assert_eq!(check(ok, false), Ok(()), "{ok}");
        }
        for refused in [
            "http://sync.example.org",
            "http://192.168.1.20:8080",
            "http://127.0.0.1.evil.example",
            "http://localhost.example.org",
            "http://127.0.0.1@evil.example",
            "http://[2001:db8::1]:8080",
            "ftp://127.0.0.1",
        ] {
            assert!(check(refused, false).is_err(), "{refused}");
        }
        assert_eq!(check("http://sync.example.org", true), Ok(()));
        assert!(check("ftp://sync.example.org", true).is_err());
        assert_eq!(
            config(&[]).check_server_url(),
            Ok(()),
            "no server, nothing to check"
        );
        assert!(config(&[("LASTMILE_ALLOW_HTTP", "1")]).allow_http);
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
