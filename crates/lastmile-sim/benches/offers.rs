//! Fairness benchmark of the blocks lottery (issue 15), against the real server binary: a
//! seeded simulation of `LASTMILE_BENCH_DRIVERS` flex drivers (default 1,000) over
//! `LASTMILE_BENCH_ROUNDS` rounds (default 100). 10 % are bots: they put their request at the
//! first millisecond of the window and then put it again as fast as the rate limit allows
//! (honouring `Retry-After`); the others put theirs once, at a random moment of the window.
//! Each round offers 10 blocks with 15 places each (150 places for 1,000 drivers); every
//! driver ranks 3 of them. The lead closes each round once the window is over and every
//! request was answered; each draw is recomputed and checked against its commitment.
//!
//! The anchor: a first-come-first-served allocation of the same requests in the same run
//! (each driver, in the order their first request was answered, gets the first block of
//! their ranking that has a place left).
//!
//! Prints one JSON line: per group, blocks won per request made (a request is one driver's
//! ranked request in one round), their ratio bots/humans (goal 0.9 to 1.1), the requests
//! the rate limit refused, and the same figures for first come, first served.
//!
//! `cargo xtask bench offers` (= `cargo bench -p lastmile-sim --bench offers`).

#[path = "../tests/support/server.rs"]
mod server;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use lastmile_protocol::admin::{Seed, SeedEnrolmentCode, SeedStation, SeedUser};
use lastmile_protocol::auth::{EnrolResponse, Role, Session};
use lastmile_protocol::offers::{self, DrawView, MyOffers, RoundView};
use lastmile_protocol::tour::LatLon;
use rand::rngs::StdRng;
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use serde_json::json;

const BLOCKS: usize = 10;
const PLACES: u32 = 15;
const RANKED: usize = 3;
/// The window as the drivers live it (the round itself is published for a minute and closed
/// early by the lead, once every request was answered).
const WINDOW: Duration = Duration::from_millis(1500);

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Driver {
    bot: bool,
    token: String,
}

#[derive(Default)]
struct Tally {
    requests: u64,
    lottery_won: u64,
    fcfs_won: u64,
}

fn main() {
    let drivers_n = env_or("LASTMILE_BENCH_DRIVERS", 1000);
    let rounds = env_or("LASTMILE_BENCH_ROUNDS", 100);
    let server = server::Server::start_with(&[
        "--enrol-per-min-per-ip",
        "1000000",
        "--sign-in-per-min-per-ip",
        "1000000",
        "--max-connections-per-ip",
        "700",
        "--max-connections",
        "750",
        "--max-in-flight",
        "1024",
        "--access-ttl-secs",
        "86400",
    ]);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(&server.url, drivers_n, rounds));
}

async fn run(url: &str, drivers_n: usize, rounds: usize) {
    let started = Instant::now();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(200)
        .build()
        .expect("client");
    let mut rng = StdRng::seed_from_u64(15);
    let users: Vec<SeedUser> = (0..drivers_n)
        .map(|i| SeedUser {
            user_id: format!("F{i:04}"),
            role: Role::Flex,
            station_id: "S1".into(),
            pin: "1234".into(),
            name: None,
            rides_with: Vec::new(),
        })
        .chain([SeedUser {
            user_id: "L1".into(),
            role: Role::Station,
            station_id: "S1".into(),
            pin: "1234".into(),
            name: None,
            rides_with: Vec::new(),
        }])
        .collect();
    let seed = Seed {
        stations: vec![SeedStation {
            station_id: "S1".into(),
            name: "Bench".into(),
            position: LatLon {
                lat: 49.95,
                lon: 11.57,
            },
            enrolment_codes: vec![SeedEnrolmentCode {
                code: "BENCH".into(),
                max_uses: 100_000,
                expires_at: None,
            }],
        }],
        users,
        ..Seed::default()
    };
    let r = http
        .post(format!("{url}/v1/admin/seed"))
        .bearer_auth(server::ADMIN_TOKEN)
        .json(&seed)
        .send()
        .await
        .expect("seed");
    assert!(r.status().is_success(), "seed: {}", r.status());

    // Every driver on their own enrolled phone; the first tenth are the bots.
    let bots_n = drivers_n / 10;
    let mut drivers = Vec::with_capacity(drivers_n);
    let sem = Arc::new(tokio::sync::Semaphore::new(16));
    let mut joins = Vec::new();
    for i in 0..=drivers_n {
        let (http, url, sem) = (http.clone(), url.to_owned(), sem.clone());
        joins.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.expect("semaphore");
            let dev: EnrolResponse = http
                .post(format!("{url}/v1/devices/enrol"))
                .json(&json!({"enrolment_code": "BENCH", "device_name": "bench"}))
                .send()
                .await
                .expect("enrol")
                .json()
                .await
                .expect("enrolment");
            let (role, user) = if i == drivers_n {
                (Role::Station, "L1".to_owned())
            } else {
                (Role::Flex, format!("F{i:04}"))
            };
            let s: Session = http
                .post(format!("{url}/v1/session"))
                .json(
                    &json!({"device_id": dev.device_id, "device_token": dev.device_token,
                              "role": role, "user_id": user, "pin": "1234"}),
                )
                .send()
                .await
                .expect("sign in")
                .json()
                .await
                .expect("session");
            (user, s.access_token)
        }));
    }
    let mut lead = String::new();
    for (i, j) in joins.into_iter().enumerate() {
        let (_user, token) = j.await.expect("sign-in task");
        if i == drivers_n {
            lead = token;
        } else {
            drivers.push(Driver {
                bot: i < bots_n,
                token,
            });
        }
    }
    let drivers = Arc::new(drivers);
    // Requests in flight at once (each holds a connection; the server caps them per address).
    let in_flight = Arc::new(tokio::sync::Semaphore::new(200));
    let refused = Arc::new(AtomicU64::new(0));
    let calls = Arc::new(AtomicU64::new(0));
    let mut tally: BTreeMap<bool, Tally> = BTreeMap::new();
    let mut verified = 0usize;

    for round_no in 0..rounds {
        // Blocks on day `round_no + 1`, 4 hours each, one after the other.
        let day = Utc::now() + chrono::Duration::days(round_no as i64 + 1);
        let blocks: Vec<serde_json::Value> = (0..BLOCKS)
            .map(|b| {
                let start = day + chrono::Duration::minutes(b as i64 * 5);
                json!({"block_id": format!("R{round_no}-B{b}"), "start": start,
                       "end": start + chrono::Duration::hours(4), "pay_cents": 6400, "drivers": PLACES})
            })
            .collect();
        let round: RoundView = http
            .post(format!("{url}{}", offers::PUBLISH))
            .bearer_auth(&lead)
            .json(&json!({"blocks": blocks, "opens_at": Utc::now(), "window_minutes": 1, "confirm_hours": 4}))
            .send()
            .await
            .expect("publish")
            .json()
            .await
            .expect("round");
        let opened = Instant::now();
        let rankings: Vec<Vec<String>> = (0..drivers.len())
            .map(|_| {
                sample(&mut rng, BLOCKS, RANKED)
                    .into_iter()
                    .map(|b| format!("R{round_no}-B{b}"))
                    .collect()
            })
            .collect();
        let delays: Vec<Duration> = drivers
            .iter()
            .map(|d| {
                if d.bot {
                    Duration::ZERO
                } else {
                    WINDOW.mul_f64(rng.random::<f64>())
                }
            })
            .collect();
        let mut tasks = Vec::with_capacity(drivers.len());
        for (i, ranking) in rankings.iter().enumerate() {
            let (http, drivers, refused, calls, in_flight) = (
                http.clone(),
                drivers.clone(),
                refused.clone(),
                calls.clone(),
                in_flight.clone(),
            );
            let path = format!("{url}{}", offers::request_path(&round.round_id));
            let ranking = ranking.clone();
            let delay = delays[i];
            tasks.push(tokio::spawn(async move {
                let d = &drivers[i];
                tokio::time::sleep(delay).await;
                let mut first_answer: Option<Duration> = None;
                loop {
                    calls.fetch_add(1, Ordering::Relaxed);
                    let permit = in_flight.acquire().await.expect("semaphore");
                    let r = http
                        .post(&path)
                        .bearer_auth(&d.token)
                        .json(&json!({ "ranking": ranking }))
                        .send()
                        .await
                        .expect("request");
                    drop(permit);
                    let status = r.status();
                    if status == reqwest::StatusCode::SERVICE_UNAVAILABLE {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                    if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
                        refused.fetch_add(1, Ordering::Relaxed);
                        let wait: u64 = r
                            .headers()
                            .get("retry-after")
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1);
                        if opened.elapsed() + Duration::from_secs(wait) >= WINDOW {
                            break;
                        }
                        tokio::time::sleep(Duration::from_secs(wait)).await;
                        continue;
                    }
                    assert!(
                        status.is_success(),
                        "request: {status} {}",
                        r.text().await.unwrap_or_default()
                    );
                    first_answer.get_or_insert(opened.elapsed());
                    // A human asks once; a bot asks again at once, until the window ends.
                    if !d.bot || opened.elapsed() >= WINDOW {
                        break;
                    }
                }
                first_answer
            }));
        }
        let mut arrivals = Vec::new();
        for (i, t) in tasks.into_iter().enumerate() {
            if let Some(at) = t.await.expect("driver task") {
                arrivals.push((at, i));
            }
        }
        if let Some(rest) = WINDOW.checked_sub(opened.elapsed()) {
            tokio::time::sleep(rest).await;
        }
        let draw: DrawView = http
            .post(format!("{url}{}", offers::close_path(&round.round_id)))
            .bearer_auth(&lead)
            .send()
            .await
            .expect("close")
            .json()
            .await
            .expect("draw");
        assert!(
            lastmile_offers::verify(&draw.input, &round.commitment, &draw.allocation),
            "round {round_no}: the published draw does not recompute"
        );
        verified += 1;
        // First come, first served on the same requests.
        arrivals.sort();
        let mut left: BTreeMap<String, u32> = (0..BLOCKS)
            .map(|b| (format!("R{round_no}-B{b}"), PLACES))
            .collect();
        for &(_, i) in &arrivals {
            let t = tally.entry(drivers[i].bot).or_default();
            t.requests += 1;
            if let Some(b) = rankings[i].iter().find(|b| left[*b] > 0) {
                *left.get_mut(b).expect("block") -= 1;
                t.fcfs_won += 1;
            }
        }
    }

    // What each driver won in the lottery, from their own results.
    let mut won: Vec<u64> = vec![0; drivers.len()];
    let sem = Arc::new(tokio::sync::Semaphore::new(16));
    let mut joins = Vec::new();
    for (i, d) in drivers.iter().enumerate() {
        let (http, url, token, sem) = (http.clone(), url.to_owned(), d.token.clone(), sem.clone());
        joins.push(tokio::spawn(async move {
            let _permit = sem.acquire().await.expect("semaphore");
            loop {
                let r = http
                    .get(format!("{url}{}", offers::MINE))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .expect("mine");
                if r.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    continue;
                }
                let mine: MyOffers = r.json().await.expect("my offers");
                return (
                    i,
                    mine.results.iter().map(|r| r.won.len() as u64).sum::<u64>(),
                );
            }
        }));
    }
    for j in joins {
        let (i, n) = j.await.expect("results task");
        won[i] = n;
    }
    for (i, d) in drivers.iter().enumerate() {
        tally.entry(d.bot).or_default().lottery_won += won[i];
    }
    let per = |t: &Tally, won: u64| won as f64 / t.requests.max(1) as f64;
    let (bots, humans) = (&tally[&true], &tally[&false]);
    let lottery = (per(bots, bots.lottery_won), per(humans, humans.lottery_won));
    let fcfs = (per(bots, bots.fcfs_won), per(humans, humans.fcfs_won));
    let ratio = |(b, h): (f64, f64)| if h > 0.0 { b / h } else { f64::INFINITY };
    let line = json!({
        "bench": "offers",
        "drivers": drivers.len(),
        "bots": bots_n,
        "rounds": rounds,
        "places_per_round": BLOCKS as u32 * PLACES,
        "requests": {"bots": bots.requests, "humans": humans.requests},
        "lottery": {
            "bots_won_per_request": lottery.0,
            "humans_won_per_request": lottery.1,
            "ratio": ratio(lottery),
            "bots_share_of_blocks": bots.lottery_won as f64 / (bots.lottery_won + humans.lottery_won).max(1) as f64,
        },
        "fcfs": {
            "bots_won_per_request": fcfs.0,
            "humans_won_per_request": fcfs.1,
            "ratio": ratio(fcfs),
            "bots_share_of_blocks": bots.fcfs_won as f64 / (bots.fcfs_won + humans.fcfs_won).max(1) as f64,
        },
        "refused_by_rate_limit": refused.load(Ordering::Relaxed),
        "request_calls": calls.load(Ordering::Relaxed),
        "draws_verified": verified,
        "wall_s": started.elapsed().as_secs_f64(),
    });
    println!("{line}");
}
