//! The demo driver: when `LASTMILE_DEMO_DRIVER` and `LASTMILE_DEMO_PIN` are set (as
//! `cargo xtask demo` does) and no other driver is signed in on this device, the shell enrols
//! the device (with `LASTMILE_ENROLMENT_CODE`), signs the driver in and downloads the tour
//! (unless the device has one) at start-up, through the same code paths the sign-in screen and
//! the tour download use, so the app opens on the tour.
//!
//! It runs inside Tauri's set-up, before the state is handed to the commands: the UI's first
//! `session_state` is answered only after it, so the first screen is already the right one.
//! A failure is printed and logged, and the app opens on the sign-in screen as usual.

use lastmile_protocol::auth::Role;

use crate::AppState;
use crate::commands;
use crate::device;
use crate::error::CommandError;

/// The driver id the demo signs in.
pub const DRIVER_VAR: &str = "LASTMILE_DEMO_DRIVER";
/// That driver's PIN.
pub const PIN_VAR: &str = "LASTMILE_DEMO_PIN";

/// Signs the demo driver in when the environment asks for it; never fails the start.
pub fn sign_in_from_env(state: &AppState) {
    let (driver, pin) = match (&state.config.demo_driver, &state.config.demo_pin) {
        (Some(driver), Some(pin)) => (driver.clone(), pin.clone()),
        (None, None) => return,
        _ => {
            eprintln!("demo sign-in skipped: set both {DRIVER_VAR} and {PIN_VAR}");
            return;
        }
    };
    match tauri::async_runtime::block_on(sign_in(state, &driver, &pin)) {
        Ok(Done::AlreadySignedIn(who)) => {
            tracing::info!("demo sign-in skipped: {who} is signed in already");
            eprintln!("demo sign-in skipped: {who} is signed in on this device");
        }
        Ok(Done::SignedIn { stops: Some(stops) }) => {
            tracing::info!(driver, stops, "demo driver signed in, tour downloaded");
            eprintln!("demo driver {driver} signed in; tour with {stops} stops on the device");
        }
        Ok(Done::SignedIn { stops: None }) => {
            eprintln!("demo driver {driver} signed in; the tour was on the device already");
        }
        Err(e) => {
            tracing::error!(driver, "demo sign-in failed: {e}");
            eprintln!(
                "demo sign-in of {driver} failed: {e}\n\
                 The app opens on the sign-in screen; check that the server at \
                 LASTMILE_SERVER_URL runs and was seeded with this driver, PIN and enrolment code."
            );
        }
    }
}

#[derive(Debug)]
enum Done {
    AlreadySignedIn(String),
    /// `stops`: of the tour just downloaded (`None`: the device had its tour already).
    SignedIn {
        stops: Option<usize>,
    },
}

async fn sign_in(state: &AppState, driver: &str, pin: &str) -> Result<Done, CommandError> {
    let store = state
        .store
        .as_ref()
        .map_err(|e| CommandError::StoreUnavailable(e.clone()))?;
    let has_tour = device::lock(store).active_tour_id()?.is_some();
    {
        let saved = state.saved.lock().await;
        if let (Some(_), Some(who)) = (&saved.session, &saved.user_id)
            && who != driver
        {
            return Ok(Done::AlreadySignedIn(who.clone()));
        }
    }
    // Nobody, or the demo driver from an earlier run: sign in afresh with the PIN. The saved
    // session of an earlier run may have expired overnight (the refresh token lives 14
    // hours), and a fresh session also gives the download a valid access token.
    let session = commands::sign_in_and_sync(
        state,
        Role::Driver,
        driver,
        pin,
        commands::preset_code(state),
    )
    .await?;
    let token = session.access_token;
    if has_tour {
        // The store has the day already (an earlier run): keep it and what was recorded.
        return Ok(Done::SignedIn { stops: None });
    }
    let tour = commands::fetch_and_store_tour(state, &token).await?;
    Ok(Done::SignedIn {
        stops: Some(tour.stops.len()),
    })
}
