//! Rate limits of the endpoints anyone may call: enrolment per IP address, sign-in per IP
//! address and per device; and a flex driver's offers calls per account and per device. A refused request answers `429 too_many_requests` with
//! `Retry-After`. The limiters live in memory (per server instance, keyed GCRA buckets from
//! `governor`); the PIN lockout, which must hold across instances, is in the database.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// Requests per minute (also the burst) of each limit.
#[derive(Debug, Clone)]
pub struct RateLimits {
    pub enrol_per_ip: u32,
    pub sign_in_per_ip: u32,
    pub sign_in_per_device: u32,
    /// Offers calls of one flex driver's account, and of one device (issue 15).
    pub offers_per_account: u32,
    pub offers_per_device: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            enrol_per_ip: 60,
            sign_in_per_ip: 120,
            sign_in_per_device: 20,
            offers_per_account: 30,
            offers_per_device: 30,
        }
    }
}

/// Forget keys not seen for a while once a limiter holds this many.
const MAX_KEYS: usize = 50_000;

pub struct Limiters {
    enrol_per_ip: DefaultKeyedRateLimiter<IpAddr>,
    sign_in_per_ip: DefaultKeyedRateLimiter<IpAddr>,
    sign_in_per_device: DefaultKeyedRateLimiter<String>,
    offers_per_account: DefaultKeyedRateLimiter<String>,
    offers_per_device: DefaultKeyedRateLimiter<String>,
}

impl std::fmt::Debug for Limiters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Limiters")
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
    what: &str,
) -> Result<(), ApiError> {
    if limiter.len() > MAX_KEYS {
        limiter.retain_recent();
    }
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        too_many(what, wait)
    })
}

/// `429 too_many_requests`, retry after `wait` (whole seconds, at least one).
pub fn too_many(what: &str, wait: Duration) -> ApiError {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let secs = secs.max(1);
    ApiError::rate_limited(
        "too_many_requests",
        format!("too many {what}; retry in {secs} s"),
        secs,
    )
}

impl Limiters {
    pub fn new(r: &RateLimits) -> Self {
        Self {
            enrol_per_ip: RateLimiter::keyed(per_minute(r.enrol_per_ip)),
            sign_in_per_ip: RateLimiter::keyed(per_minute(r.sign_in_per_ip)),
            sign_in_per_device: RateLimiter::keyed(per_minute(r.sign_in_per_device)),
            offers_per_account: RateLimiter::keyed(per_minute(r.offers_per_account)),
            offers_per_device: RateLimiter::keyed(per_minute(r.offers_per_device)),
        }
    }

    /// Enrolment from `ip` (None: a caller inside the process, e.g. a test; not limited).
    pub fn enrol(&self, ip: Option<IpAddr>) -> Result<(), ApiError> {
        match ip {
            Some(ip) => check(&self.enrol_per_ip, &ip, "enrolments from this address"),
            None => Ok(()),
        }
    }

    /// Sign-in from `ip` on `device_id`.
    pub fn sign_in(&self, ip: Option<IpAddr>, device_id: &str) -> Result<(), ApiError> {
        if let Some(ip) = ip {
            check(&self.sign_in_per_ip, &ip, "sign-ins from this address")?;
        }
        // Device ids are the server's own (`dev-` + 32 hex digits); a longer one is not
        // stored as a key, it only shares one bucket with the other odd ones.
        let key = if device_id.len() <= 64 {
            device_id.to_owned()
        } else {
            String::new()
        };
        check(&self.sign_in_per_device, &key, "sign-ins on this device")
    }

    /// A flex driver's offers call (list, request, draw, confirm, release, earnings): per
    /// account and per device, so neither more phones nor more accounts poll faster.
    pub fn offers(&self, user_id: &str, device_id: &str) -> Result<(), ApiError> {
        check(
            &self.offers_per_account,
            &user_id.to_owned(),
            "offers calls of this account",
        )?;
        check(
            &self.offers_per_device,
            &device_id.to_owned(),
            "offers calls from this device",
        )
    }
}
