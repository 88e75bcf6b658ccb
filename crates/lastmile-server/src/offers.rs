//! Blocks for independent (flex) drivers (issue 15): a station lead publishes blocks with a
//! round; flex drivers put ranked requests while the round is open; at the close the
//! server runs the lottery of `lastmile-offers` on the requests and publishes seed, input
//! and allocation; winners confirm or release; released and unconfirmed places go to a
//! further round, drawn the same way (never first come, first served).
//!
//! There is no timer: every offers call of a station first settles it ([`settle`]): rounds
//! whose window ended are drawn, awards not confirmed in time expire and are offered again.
//! Drawing and expiring claim their row with a conditional `UPDATE`, so two instances (or
//! two requests) settling at once draw each round once. A lead may close a round early.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use lastmile_offers::{Allocation, Block, Caps, DrawInput, Entrant, Interval};
use lastmile_protocol::auth::Role;
use lastmile_protocol::offers::{
    AwardStatus, AwardView, BlockView, DrawView, EarnedBlock, Earnings, MyOffers, OfferRequest,
    OffersView, PublishRequest, RequestReceipt, RoundResult, RoundState, RoundView,
};
use rand::RngCore;

use crate::auth::Principal;
use crate::db::{Tx, V, row_struct};
use crate::error::{ApiError, ApiResult};
use crate::{ServerState, ms_to_time};

/// Most blocks in one request.
pub const MAX_RANKING: usize = 50;

fn lead_only(p: &Principal) -> ApiResult<()> {
    if p.role == Role::Station {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "lead_only",
            "only a station lead publishes blocks and closes rounds",
        ))
    }
}

fn flex_only(p: &Principal) -> ApiResult<()> {
    if p.role == Role::Flex {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "flex_only",
            "only independent (flex) drivers request blocks",
        ))
    }
}

/// A flex driver's call counts against their account's and their device's rate limits.
fn limit(state: &ServerState, p: &Principal) -> ApiResult<()> {
    if p.role == Role::Flex {
        state.limiters.offers(&p.user_id, &p.device_id)?;
    }
    Ok(())
}

fn ms(t: DateTime<Utc>) -> V {
    V::I(t.timestamp_millis())
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(e.to_string())
}

row_struct! {
    struct RoundRow {
        round_id: String,
        station_id: String,
        number: i64,
        opens_at: i64,
        closes_at: i64,
        confirm_ms: i64,
        seed: String,
        commitment: String,
        closed: bool,
        draw_json: Option<String>,
        allocation_json: Option<String>,
    }
}

row_struct! {
    struct BlockRow {
        block_id: String,
        station_id: String,
        starts_at: i64,
        ends_at: i64,
        pay_cents: i64,
        qualification: Option<String>,
        places: i64,
    }
}

const ROUND_COLS: &str = "round_id, station_id, number, opens_at, closes_at, confirm_ms, seed, commitment, closed, draw_json, allocation_json";
const BLOCK_COLS: &str =
    "b.block_id, b.station_id, b.starts_at, b.ends_at, b.pay_cents, b.qualification";

impl BlockRow {
    fn view(&self) -> BlockView {
        BlockView {
            block_id: self.block_id.clone(),
            station_id: self.station_id.clone(),
            start: ms_to_time(self.starts_at),
            end: ms_to_time(self.ends_at),
            pay_cents: self.pay_cents,
            places: u32::try_from(self.places).unwrap_or(0),
            qualification: self.qualification.clone(),
        }
    }
    fn span(&self) -> Interval {
        Interval {
            start: ms_to_time(self.starts_at),
            end: ms_to_time(self.ends_at),
        }
    }
}

async fn round_blocks(tx: &mut Tx, round_id: &str) -> ApiResult<Vec<BlockRow>> {
    Ok(tx
        .query_as(
            &format!(
                "SELECT {BLOCK_COLS}, rb.places FROM offer_round_blocks rb JOIN offer_blocks b ON b.block_id = rb.block_id
                 WHERE rb.round_id = $1 ORDER BY b.starts_at, b.block_id"
            ),
            &[V::from(round_id)],
        )
        .await?)
}

async fn round(tx: &mut Tx, p: &Principal, round_id: &str) -> ApiResult<RoundRow> {
    tx.one_as::<RoundRow>(
        &format!("SELECT {ROUND_COLS} FROM offer_rounds WHERE round_id = $1 AND station_id = $2"),
        &[V::from(round_id), V::from(&p.station_id)],
    )
    .await?
    .ok_or_else(|| {
        ApiError::not_found(
            "unknown_round",
            format!("no round {round_id} at your station"),
        )
    })
}

fn seed_bytes(r: &RoundRow) -> ApiResult<[u8; 32]> {
    let mut seed = [0u8; 32];
    hex::decode_to_slice(&r.seed, &mut seed).map_err(internal)?;
    Ok(seed)
}

/// A new round of `station` offering `blocks` (id, places).
async fn new_round(
    tx: &mut Tx,
    station: &str,
    number: i64,
    opens_at: i64,
    closes_at: i64,
    confirm_ms: i64,
) -> ApiResult<String> {
    let mut seed = [0u8; 32];
    rand::rng().fill_bytes(&mut seed);
    let round_id = format!("round-{}", &crate::auth::new_token("")[..16]);
    tx.exec(
        "INSERT INTO offer_rounds (round_id, station_id, number, opens_at, closes_at, confirm_ms, seed, commitment, closed)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)",
        &[
            V::from(&round_id),
            V::from(station),
            V::I(number),
            V::I(opens_at),
            V::I(closes_at),
            V::I(confirm_ms),
            V::from(hex::encode(seed)),
            V::from(lastmile_offers::commitment(&seed)),
        ],
    )
    .await?;
    Ok(round_id)
}

/// `POST /v1/offers/blocks`: the lead publishes blocks and the round that offers them.
pub async fn publish(
    state: &ServerState,
    p: &Principal,
    req: PublishRequest,
) -> ApiResult<RoundView> {
    lead_only(p)?;
    let now = state.now();
    if req.blocks.is_empty() {
        return Err(ApiError::bad_request(
            "no_blocks",
            "publish at least one block",
        ));
    }
    if !(1..=1440).contains(&req.window_minutes) {
        return Err(ApiError::bad_request(
            "bad_window",
            "a round is open for 1 to 1440 minutes",
        ));
    }
    if !(1..=72).contains(&req.confirm_hours) {
        return Err(ApiError::bad_request(
            "bad_confirm_time",
            "winners get 1 to 72 hours to confirm",
        ));
    }
    for b in &req.blocks {
        if b.block_id.trim().is_empty() || b.block_id.len() > 64 {
            return Err(ApiError::bad_request(
                "bad_block",
                "a block id is 1 to 64 characters",
            ));
        }
        if b.start >= b.end || b.end - b.start > Duration::hours(24) {
            return Err(ApiError::bad_request(
                "bad_block",
                format!("block {} must end after it starts, within 24 h", b.block_id),
            ));
        }
        if b.end <= now {
            return Err(ApiError::bad_request(
                "block_in_past",
                format!("block {} is over already", b.block_id),
            ));
        }
        if !(1..=100).contains(&b.drivers) || b.pay_cents < 0 {
            return Err(ApiError::bad_request(
                "bad_block",
                format!(
                    "block {} needs 1 to 100 drivers and a pay of 0 or more",
                    b.block_id
                ),
            ));
        }
    }
    let mut tx = state.db.begin().await?;
    for b in &req.blocks {
        if tx
            .one(
                "SELECT 1 FROM offer_blocks WHERE block_id = $1",
                &[V::from(&b.block_id)],
            )
            .await?
            .is_some()
        {
            return Err(ApiError::conflict(
                "block_exists",
                format!("block {} was published already", b.block_id),
            ));
        }
        tx.exec(
            "INSERT INTO offer_blocks (block_id, station_id, starts_at, ends_at, pay_cents, drivers, qualification, published_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                V::from(&b.block_id),
                V::from(&p.station_id),
                ms(b.start),
                ms(b.end),
                V::I(b.pay_cents),
                V::I(i64::from(b.drivers)),
                V::from(b.qualification.clone()),
                ms(now),
            ],
        )
        .await?;
    }
    let opens = req.opens_at.timestamp_millis();
    let closes = opens + i64::from(req.window_minutes) * 60_000;
    let round_id = new_round(
        &mut tx,
        &p.station_id,
        1,
        opens,
        closes,
        i64::from(req.confirm_hours) * 3_600_000,
    )
    .await?;
    for b in &req.blocks {
        tx.exec(
            "INSERT INTO offer_round_blocks (round_id, block_id, places) VALUES ($1, $2, $3)",
            &[
                V::from(&round_id),
                V::from(&b.block_id),
                V::I(i64::from(b.drivers)),
            ],
        )
        .await?;
    }
    let r = round(&mut tx, p, &round_id).await?;
    let view = round_view(&mut tx, &r, now).await?;
    tx.commit().await?;
    Ok(view)
}

async fn round_view(tx: &mut Tx, r: &RoundRow, now: DateTime<Utc>) -> ApiResult<RoundView> {
    let now = now.timestamp_millis();
    let state = if r.closed || now >= r.closes_at {
        RoundState::Closed
    } else if now >= r.opens_at {
        RoundState::Open
    } else {
        RoundState::Upcoming
    };
    Ok(RoundView {
        round_id: r.round_id.clone(),
        station_id: r.station_id.clone(),
        number: u32::try_from(r.number).unwrap_or(1),
        opens_at: ms_to_time(r.opens_at),
        closes_at: ms_to_time(r.closes_at),
        state,
        commitment: r.commitment.clone(),
        blocks: round_blocks(tx, &r.round_id)
            .await?
            .iter()
            .map(BlockRow::view)
            .collect(),
    })
}

/// Draws every round of `station` whose window ended, and expires awards not confirmed in
/// time (offering their places again).
async fn settle(state: &ServerState, tx: &mut Tx, station: &str) -> ApiResult<()> {
    let now = state.now_ms();
    let due = tx
        .query_as::<RoundRow>(
            &format!("SELECT {ROUND_COLS} FROM offer_rounds WHERE station_id = $1 AND closed = 0 AND closes_at <= $2 ORDER BY closes_at, round_id"),
            &[V::from(station), V::I(now)],
        )
        .await?;
    for r in due {
        draw(state, tx, &r).await?;
    }
    row_struct! {
        struct Due { round_id: String, block_id: String, user_id: String }
    }
    let expired = tx
        .query_as::<Due>(
            "SELECT a.round_id, a.block_id, a.user_id FROM offer_awards a JOIN offer_blocks b ON b.block_id = a.block_id
             WHERE b.station_id = $1 AND a.status = 'won' AND a.confirm_by <= $2 ORDER BY a.round_id, a.block_id, a.user_id",
            &[V::from(station), V::I(now)],
        )
        .await?;
    for d in expired {
        let claimed = tx
            .exec(
                "UPDATE offer_awards SET status = 'expired', decided_at = $4
                 WHERE round_id = $1 AND block_id = $2 AND user_id = $3 AND status = 'won'",
                &[
                    V::from(&d.round_id),
                    V::from(&d.block_id),
                    V::from(&d.user_id),
                    V::I(now),
                ],
            )
            .await?;
        if claimed == 1 {
            reoffer(tx, &d.round_id, &d.block_id, now).await?;
        }
    }
    Ok(())
}

/// One place of `block_id` (won in `from_round`) goes to the station's next round: an open
/// or upcoming further round if there is one, else a new one opening now with the window and
/// confirmation time of `from_round`. Nothing if the block has started.
async fn reoffer(tx: &mut Tx, from_round: &str, block_id: &str, now: i64) -> ApiResult<()> {
    row_struct! {
        struct Origin { station_id: String, number: i64, opens_at: i64, closes_at: i64, confirm_ms: i64, starts_at: i64 }
    }
    let Some(o) = tx
        .one_as::<Origin>(
            "SELECT r.station_id, r.number, r.opens_at, r.closes_at, r.confirm_ms, b.starts_at
             FROM offer_rounds r, offer_blocks b WHERE r.round_id = $1 AND b.block_id = $2",
            &[V::from(from_round), V::from(block_id)],
        )
        .await?
    else {
        return Ok(());
    };
    if o.starts_at <= now {
        return Ok(());
    }
    let next = tx
        .one(
            "SELECT round_id FROM offer_rounds WHERE station_id = $1 AND number > 1 AND closed = 0 AND closes_at > $2
             ORDER BY closes_at DESC, round_id LIMIT 1",
            &[V::from(&o.station_id), V::I(now)],
        )
        .await?;
    let round_id = match next {
        Some(row) => row.get::<String>("round_id")?,
        None => {
            let window = (o.closes_at - o.opens_at).max(60_000);
            new_round(
                tx,
                &o.station_id,
                o.number + 1,
                now,
                now + window,
                o.confirm_ms,
            )
            .await?
        }
    };
    tx.exec(
        "INSERT INTO offer_round_blocks (round_id, block_id, places) VALUES ($1, $2, 1)
         ON CONFLICT (round_id, block_id) DO UPDATE SET places = offer_round_blocks.places + 1",
        &[V::from(&round_id), V::from(block_id)],
    )
    .await?;
    Ok(())
}

async fn held(tx: &mut Tx, user_id: &str) -> ApiResult<Vec<Interval>> {
    row_struct! {
        struct Span { starts_at: i64, ends_at: i64 }
    }
    Ok(tx
        .query_as::<Span>(
            "SELECT b.starts_at, b.ends_at FROM offer_awards a JOIN offer_blocks b ON b.block_id = a.block_id
             WHERE a.user_id = $1 AND a.status IN ('won', 'confirmed') ORDER BY b.starts_at",
            &[V::from(user_id)],
        )
        .await?
        .into_iter()
        .map(|s| Interval {
            start: ms_to_time(s.starts_at),
            end: ms_to_time(s.ends_at),
        })
        .collect())
}

async fn qualifications(tx: &mut Tx, user_id: &str) -> ApiResult<Vec<String>> {
    Ok(tx
        .query(
            "SELECT qualification FROM flex_qualifications WHERE user_id = $1 ORDER BY qualification",
            &[V::from(user_id)],
        )
        .await?
        .iter()
        .map(|r| r.get::<String>("qualification"))
        .collect::<Result<_, _>>()?)
}

async fn credit(tx: &mut Tx, user_id: &str) -> ApiResult<u32> {
    Ok(tx
        .one(
            "SELECT credit FROM flex_credit WHERE user_id = $1",
            &[V::from(user_id)],
        )
        .await?
        .map(|r| r.get::<i64>("credit"))
        .transpose()?
        .map_or(0, |c| u32::try_from(c).unwrap_or(0)))
}

/// The draw of one round: claims it, builds the anonymised input, allocates, records the
/// awards and the credits, stores what it publishes.
async fn draw(state: &ServerState, tx: &mut Tx, r: &RoundRow) -> ApiResult<()> {
    let now = state.now_ms();
    let claimed = tx
        .exec(
            "UPDATE offer_rounds SET closed = 1 WHERE round_id = $1 AND closed = 0",
            &[V::from(&r.round_id)],
        )
        .await?;
    if claimed != 1 {
        return Ok(());
    }
    let caps = state.config.offer_caps.clone();
    let blocks = round_blocks(tx, &r.round_id).await?;
    row_struct! {
        struct Req { user_id: String, ranking_json: String, availability_json: String }
    }
    let requests = tx
        .query_as::<Req>(
            "SELECT user_id, ranking_json, availability_json FROM offer_requests WHERE round_id = $1 ORDER BY user_id",
            &[V::from(&r.round_id)],
        )
        .await?;
    let mut entrants = Vec::with_capacity(requests.len());
    let mut who = BTreeMap::new();
    for q in &requests {
        let pseudonym = format!("p-{}", &crate::auth::new_token("")[..12]);
        tx.exec(
            "UPDATE offer_requests SET pseudonym = $3 WHERE round_id = $1 AND user_id = $2",
            &[
                V::from(&r.round_id),
                V::from(&q.user_id),
                V::from(&pseudonym),
            ],
        )
        .await?;
        entrants.push(Entrant {
            driver: pseudonym.clone(),
            ranking: serde_json::from_str(&q.ranking_json)?,
            qualifications: qualifications(tx, &q.user_id).await?,
            availability: serde_json::from_str(&q.availability_json)?,
            held: held(tx, &q.user_id).await?,
            credit: credit(tx, &q.user_id).await?,
        });
        who.insert(pseudonym, q.user_id.clone());
    }
    entrants.sort_by(|a, b| a.driver.cmp(&b.driver));
    let input = DrawInput {
        round_id: r.round_id.clone(),
        seed: seed_bytes(r)?,
        caps: caps.clone(),
        blocks: blocks
            .iter()
            .map(|b| Block {
                block_id: b.block_id.clone(),
                start: ms_to_time(b.starts_at),
                end: ms_to_time(b.ends_at),
                drivers: u32::try_from(b.places).unwrap_or(0),
                qualification: b.qualification.clone(),
            })
            .collect(),
        entrants,
    };
    let allocation = lastmile_offers::allocate(&input);
    for a in &allocation.awards {
        let user = who
            .get(&a.driver)
            .ok_or_else(|| internal("award to nobody"))?;
        tx.exec(
            "INSERT INTO offer_awards (round_id, block_id, user_id, status, confirm_by) VALUES ($1, $2, $3, 'won', $4)",
            &[V::from(&r.round_id), V::from(&a.block_id), V::from(user), V::I(now + r.confirm_ms)],
        )
        .await?;
    }
    for (pseudonym, user) in &who {
        let won = allocation.awards.iter().any(|a| &a.driver == pseudonym);
        let lost = allocation.losers.contains(pseudonym);
        let next = if won {
            0
        } else if lost {
            (credit(tx, user).await? + 1).min(caps.max_credit)
        } else {
            continue;
        };
        tx.exec(
            "INSERT INTO flex_credit (user_id, credit) VALUES ($1, $2)
             ON CONFLICT (user_id) DO UPDATE SET credit = excluded.credit",
            &[V::from(user), V::I(i64::from(next))],
        )
        .await?;
    }
    tx.exec(
        "UPDATE offer_rounds SET draw_json = $2, allocation_json = $3 WHERE round_id = $1",
        &[
            V::from(&r.round_id),
            V::from(serde_json::to_string(&input)?),
            V::from(serde_json::to_string(&allocation)?),
        ],
    )
    .await?;
    Ok(())
}

/// `GET /v1/offers`: the station's rounds not closed, and those closed in the last day.
pub async fn list(state: &ServerState, p: &Principal) -> ApiResult<OffersView> {
    if p.role != Role::Flex && p.role != Role::Station {
        return Err(flex_only(p).unwrap_err());
    }
    limit(state, p)?;
    let now = state.now();
    let mut tx = state.db.begin().await?;
    settle(state, &mut tx, &p.station_id).await?;
    let rows = tx
        .query_as::<RoundRow>(
            &format!("SELECT {ROUND_COLS} FROM offer_rounds WHERE station_id = $1 AND (closed = 0 OR closes_at > $2)
                      ORDER BY opens_at, round_id"),
            &[V::from(&p.station_id), V::I(now.timestamp_millis() - 24 * 3_600_000)],
        )
        .await?;
    let mut rounds = Vec::with_capacity(rows.len());
    for r in &rows {
        rounds.push(round_view(&mut tx, r, now).await?);
    }
    tx.commit().await?;
    Ok(OffersView { now, rounds })
}

/// `POST /v1/offers/rounds/{round_id}/request`: the caller's ranked request (replacing theirs).
pub async fn request(
    state: &ServerState,
    p: &Principal,
    round_id: &str,
    req: OfferRequest,
) -> ApiResult<RequestReceipt> {
    flex_only(p)?;
    limit(state, p)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    settle(state, &mut tx, &p.station_id).await?;
    let r = round(&mut tx, p, round_id).await?;
    if r.closed || now >= r.closes_at {
        return Err(ApiError::conflict(
            "round_closed",
            format!(
                "round {round_id} closed at {}; requests are no longer taken",
                ms_to_time(r.closes_at)
            ),
        ));
    }
    if now < r.opens_at {
        return Err(ApiError::conflict(
            "round_not_open",
            format!("round {round_id} opens at {}", ms_to_time(r.opens_at)),
        ));
    }
    if req.ranking.is_empty() {
        return Err(ApiError::bad_request(
            "empty_request",
            "name at least one block",
        ));
    }
    if req.ranking.len() > MAX_RANKING {
        return Err(ApiError::bad_request(
            "request_too_long",
            format!("name at most {MAX_RANKING} blocks"),
        ));
    }
    for (i, id) in req.ranking.iter().enumerate() {
        if req.ranking[..i].contains(id) {
            return Err(ApiError::bad_request(
                "duplicate_block",
                format!("block {id} is named twice"),
            ));
        }
    }
    if req.availability.iter().any(|a| a.start >= a.end) {
        return Err(ApiError::bad_request(
            "bad_availability",
            "every available time must end after it starts",
        ));
    }
    let blocks = round_blocks(&mut tx, round_id).await?;
    let quals = qualifications(&mut tx, &p.user_id).await?;
    let holding = held(&mut tx, &p.user_id).await?;
    let caps = &state.config.offer_caps;
    for id in &req.ranking {
        let Some(b) = blocks.iter().find(|b| &b.block_id == id) else {
            return Err(ApiError::not_found(
                "unknown_block",
                format!("block {id} is not offered in round {round_id}"),
            ));
        };
        if let Some(q) = &b.qualification
            && !quals.contains(q)
        {
            return Err(ApiError::unprocessable(
                "missing_qualification",
                format!("block {id} needs the qualification {q}"),
            ));
        }
        if !lastmile_offers::fits(&holding, &b.span(), caps) {
            return Err(ApiError::unprocessable(
                "over_caps",
                format!(
                    "block {id} overlaps a block you hold, or takes you over {} h that day or {} h that week",
                    caps.max_minutes_per_day / 60,
                    caps.max_minutes_per_week / 60
                ),
            ));
        }
    }
    tx.exec(
        "INSERT INTO offer_requests (round_id, user_id, ranking_json, availability_json, received_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (round_id, user_id) DO UPDATE SET ranking_json = excluded.ranking_json,
           availability_json = excluded.availability_json, received_at = excluded.received_at",
        &[
            V::from(round_id),
            V::from(&p.user_id),
            V::from(serde_json::to_string(&req.ranking)?),
            V::from(serde_json::to_string(&req.availability)?),
            V::I(now),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(RequestReceipt {
        round_id: round_id.to_owned(),
        ranking: req.ranking,
        availability: req.availability,
        closes_at: ms_to_time(r.closes_at),
    })
}

/// `POST /v1/offers/rounds/{round_id}/close`: the lead draws a round now.
pub async fn close(state: &ServerState, p: &Principal, round_id: &str) -> ApiResult<DrawView> {
    lead_only(p)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let r = round(&mut tx, p, round_id).await?;
    if !r.closed {
        tx.exec(
            "UPDATE offer_rounds SET closes_at = $2 WHERE round_id = $1 AND closes_at > $2",
            &[V::from(round_id), V::I(now)],
        )
        .await?;
        let r = round(&mut tx, p, round_id).await?;
        draw(state, &mut tx, &r).await?;
    }
    let r = round(&mut tx, p, round_id).await?;
    let view = draw_view(&mut tx, p, &r).await?;
    tx.commit().await?;
    Ok(view)
}

async fn draw_view(tx: &mut Tx, p: &Principal, r: &RoundRow) -> ApiResult<DrawView> {
    let (Some(input), Some(allocation)) = (&r.draw_json, &r.allocation_json) else {
        return Err(ApiError::conflict(
            "round_not_closed",
            format!(
                "round {} is drawn when it closes at {}",
                r.round_id,
                ms_to_time(r.closes_at)
            ),
        ));
    };
    let input: DrawInput = serde_json::from_str(input)?;
    let allocation: Allocation = serde_json::from_str(allocation)?;
    let your_pseudonym = tx
        .one(
            "SELECT pseudonym FROM offer_requests WHERE round_id = $1 AND user_id = $2",
            &[V::from(&r.round_id), V::from(&p.user_id)],
        )
        .await?
        .map(|row| row.get::<Option<String>>("pseudonym"))
        .transpose()?
        .flatten();
    Ok(DrawView {
        round_id: r.round_id.clone(),
        commitment: r.commitment.clone(),
        input,
        allocation,
        your_pseudonym,
    })
}

/// `GET /v1/offers/rounds/{round_id}/draw`.
pub async fn draw_of(state: &ServerState, p: &Principal, round_id: &str) -> ApiResult<DrawView> {
    limit(state, p)?;
    let mut tx = state.db.begin().await?;
    settle(state, &mut tx, &p.station_id).await?;
    let r = round(&mut tx, p, round_id).await?;
    let view = draw_view(&mut tx, p, &r).await?;
    tx.commit().await?;
    Ok(view)
}

fn award_status(s: &str) -> ApiResult<AwardStatus> {
    Ok(match s {
        "won" => AwardStatus::Won,
        "confirmed" => AwardStatus::Confirmed,
        "released" => AwardStatus::Released,
        "expired" => AwardStatus::Expired,
        other => return Err(internal(format!("stored award status {other}"))),
    })
}

row_struct! {
    struct AwardRow {
        round_id: String,
        block_id: String,
        station_id: String,
        starts_at: i64,
        ends_at: i64,
        pay_cents: i64,
        qualification: Option<String>,
        places: i64,
        status: String,
        confirm_by: i64,
    }
}

impl AwardRow {
    fn view(self) -> ApiResult<AwardView> {
        Ok(AwardView {
            block: BlockView {
                block_id: self.block_id,
                station_id: self.station_id,
                start: ms_to_time(self.starts_at),
                end: ms_to_time(self.ends_at),
                pay_cents: self.pay_cents,
                places: u32::try_from(self.places).unwrap_or(1),
                qualification: self.qualification,
            },
            round_id: self.round_id,
            status: award_status(&self.status)?,
            confirm_by: ms_to_time(self.confirm_by),
        })
    }
}

async fn awards(tx: &mut Tx, user_id: &str) -> ApiResult<Vec<AwardRow>> {
    Ok(tx
        .query_as(
            &format!(
                "SELECT a.round_id, {BLOCK_COLS}, 1 AS places, a.status, a.confirm_by FROM offer_awards a
                 JOIN offer_blocks b ON b.block_id = a.block_id WHERE a.user_id = $1 ORDER BY b.starts_at, a.round_id"
            ),
            &[V::from(user_id)],
        )
        .await?)
}

/// `GET /v1/offers/mine`.
pub async fn mine(state: &ServerState, p: &Principal) -> ApiResult<MyOffers> {
    flex_only(p)?;
    limit(state, p)?;
    let mut tx = state.db.begin().await?;
    settle(state, &mut tx, &p.station_id).await?;
    row_struct! {
        struct Mine { round_id: String, ranking_json: String, availability_json: String, pseudonym: Option<String>, closes_at: i64, closed: bool }
    }
    let rows = tx
        .query_as::<Mine>(
            "SELECT q.round_id, q.ranking_json, q.availability_json, q.pseudonym, r.closes_at, r.closed
             FROM offer_requests q JOIN offer_rounds r ON r.round_id = q.round_id
             WHERE q.user_id = $1 ORDER BY r.closes_at DESC, q.round_id",
            &[V::from(&p.user_id)],
        )
        .await?;
    let all = awards(&mut tx, &p.user_id).await?;
    let mut out = MyOffers {
        requests: Vec::new(),
        results: Vec::new(),
        awards: Vec::new(),
        credit: credit(&mut tx, &p.user_id).await?,
    };
    for m in rows {
        match (m.closed, m.pseudonym) {
            (true, Some(pseudonym)) => out.results.push(RoundResult {
                won: all
                    .iter()
                    .filter(|a| a.round_id == m.round_id)
                    .map(|a| a.block_id.clone())
                    .collect(),
                round_id: m.round_id,
                pseudonym,
            }),
            (false, _) => out.requests.push(RequestReceipt {
                round_id: m.round_id,
                ranking: serde_json::from_str(&m.ranking_json)?,
                availability: serde_json::from_str(&m.availability_json)?,
                closes_at: ms_to_time(m.closes_at),
            }),
            _ => {}
        }
    }
    for a in all {
        out.awards.push(a.view()?);
    }
    tx.commit().await?;
    Ok(out)
}

/// `POST /v1/offers/awards/{block_id}/confirm` or `/release`.
pub async fn decide(
    state: &ServerState,
    p: &Principal,
    block_id: &str,
    confirm: bool,
) -> ApiResult<AwardView> {
    flex_only(p)?;
    limit(state, p)?;
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    settle(state, &mut tx, &p.station_id).await?;
    let current = awards(&mut tx, &p.user_id)
        .await?
        .into_iter()
        .filter(|a| a.block_id == block_id)
        .find(|a| a.status == "won" || a.status == "confirmed");
    let Some(a) = current else {
        return Err(ApiError::not_found(
            "unknown_award",
            format!("you hold no place on block {block_id} (never won, released or expired)"),
        ));
    };
    if confirm && a.status == "confirmed" {
        tx.commit().await?;
        return mine_award(state, p, block_id).await;
    }
    let status = if confirm { "confirmed" } else { "released" };
    tx.exec(
        "UPDATE offer_awards SET status = $4, decided_at = $5 WHERE round_id = $1 AND block_id = $2 AND user_id = $3",
        &[V::from(&a.round_id), V::from(block_id), V::from(&p.user_id), V::from(status), V::I(now)],
    )
    .await?;
    if !confirm {
        reoffer(&mut tx, &a.round_id, block_id, now).await?;
    }
    tx.commit().await?;
    mine_award(state, p, block_id).await
}

async fn mine_award(state: &ServerState, p: &Principal, block_id: &str) -> ApiResult<AwardView> {
    let mut tx = state.db.begin().await?;
    let a = awards(&mut tx, &p.user_id)
        .await?
        .into_iter()
        .rev()
        .find(|a| a.block_id == block_id)
        .ok_or_else(|| internal("award vanished"))?;
    a.view()
}

/// The Monday of the local week `day` is in.
fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// `GET /v1/offers/earnings?week=`: confirmed blocks of the week that have started, with
/// the stops and parcels of the driver's tours recorded in their time.
pub async fn earnings(
    state: &ServerState,
    p: &Principal,
    week: Option<NaiveDate>,
) -> ApiResult<Earnings> {
    flex_only(p)?;
    limit(state, p)?;
    let caps: &Caps = &state.config.offer_caps;
    let offset = Duration::minutes(i64::from(caps.utc_offset_minutes));
    let now = state.now();
    let monday = week_start(week.unwrap_or_else(|| (now + offset).date_naive()));
    let from = monday.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - offset;
    let to = from + Duration::days(7);
    let mut tx = state.db.begin().await?;
    let mut out = Earnings {
        week_start: monday,
        blocks: Vec::new(),
        total_pay_cents: 0,
        total_hours: 0.0,
    };
    for a in awards(&mut tx, &p.user_id).await? {
        if a.status != "confirmed"
            || a.starts_at > now.timestamp_millis()
            || a.starts_at < from.timestamp_millis()
            || a.starts_at >= to.timestamp_millis()
        {
            continue;
        }
        row_struct! {
            struct Work { stops: i64, parcels: i64 }
        }
        let work = tx
            .one_as::<Work>(
                "SELECT COUNT(DISTINCT e.tour_id || '/' || e.stop_id) AS stops, COUNT(DISTINCT e.tracking_id) AS parcels
                 FROM events e JOIN tours t ON t.tour_id = e.tour_id
                 WHERE t.driver_id = $1 AND t.station_id = $2 AND e.status = 'applied'
                   AND e.kind IN ('parcel_delivered', 'delivery_failed') AND e.recorded_at >= $3 AND e.recorded_at < $4",
                &[V::from(&p.user_id), V::from(&p.station_id), V::I(a.starts_at), V::I(a.ends_at)],
            )
            .await?
            .unwrap_or(Work { stops: 0, parcels: 0 });
        let hours = (a.ends_at - a.starts_at) as f64 / 3_600_000.0;
        out.total_pay_cents += a.pay_cents;
        out.total_hours += hours;
        out.blocks.push(EarnedBlock {
            block_id: a.block_id,
            start: ms_to_time(a.starts_at),
            end: ms_to_time(a.ends_at),
            hours,
            pay_cents: a.pay_cents,
            stops: u32::try_from(work.stops).unwrap_or(0),
            parcels: u32::try_from(work.parcels).unwrap_or(0),
        });
    }
    Ok(out)
}

/// `PUT /v1/offers/drivers/{user_id}/qualifications`: the lead sets a flex driver's
/// qualifications (what blocks with a `qualification` need).
pub async fn set_qualifications(
    state: &ServerState,
    p: &Principal,
    user_id: &str,
    quals: Vec<String>,
) -> ApiResult<Vec<String>> {
    lead_only(p)?;
    let mut tx = state.db.begin().await?;
    if tx
        .one(
            "SELECT 1 FROM users WHERE user_id = $1 AND role = 'flex' AND station_id = $2",
            &[V::from(user_id), V::from(&p.station_id)],
        )
        .await?
        .is_none()
    {
        return Err(ApiError::not_found(
            "unknown_person",
            format!("{user_id} is no flex driver of your station"),
        ));
    }
    tx.exec(
        "DELETE FROM flex_qualifications WHERE user_id = $1",
        &[V::from(user_id)],
    )
    .await?;
    for q in &quals {
        tx.exec(
            "INSERT INTO flex_qualifications (user_id, qualification) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[V::from(user_id), V::from(q)],
        )
        .await?;
    }
    let out = qualifications(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(out)
}
