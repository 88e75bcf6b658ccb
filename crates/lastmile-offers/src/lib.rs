//! The blocks lottery: how the blocks of a round go to the independent (flex) drivers who
//! requested them. Pure and deterministic: [`allocate`] is a function of its [`DrawInput`]
//! alone (the seed included), so the server, the app and anyone holding the published input
//! compute the same [`Allocation`]. The algorithm, for drivers, is in `docs/blocks-lottery.md`.
//!
//! In short: a ChaCha20 stream from the round's 32-byte seed draws an order of the entrants
//! (a weighted draw without replacement, weight `1 + credit`, credit = rounds lost lately);
//! then, in that order and snaking back and forth, each entrant in turn gets the first block
//! of their ranking that still has a place and that they may take (qualification,
//! availability, no overlap with a block they hold or won, daily and weekly hours caps),
//! until a whole pass awards nothing. No floating point, no hash maps: the same on every
//! platform.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The caps and weights of a draw (station configuration, published with the input).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Caps {
    /// Most minutes of blocks one driver may hold on one local day (default 600: 10 h,
    /// the German Arbeitszeitgesetz's upper limit).
    pub max_minutes_per_day: u32,
    /// Most minutes of blocks one driver may hold in one local ISO week, Monday to Sunday
    /// (default 2880: 48 h).
    pub max_minutes_per_week: u32,
    /// The station's offset from UTC in minutes; a block counts to the local day (and week)
    /// its start falls on.
    pub utc_offset_minutes: i32,
    /// The fairness credit counts at most this many lost rounds (default 4: weight 1 to 5).
    pub max_credit: u32,
}

impl Default for Caps {
    fn default() -> Self {
        Self {
            max_minutes_per_day: 600,
            max_minutes_per_week: 48 * 60,
            utc_offset_minutes: 60,
            max_credit: 4,
        }
    }
}

/// A block of work on offer in the round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Block {
    pub block_id: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// How many drivers the block needs (its places).
    pub drivers: u32,
    /// A qualification the driver must have (e.g. `"van-3.5t"`), if any.
    #[serde(default)]
    pub qualification: Option<String>,
}

/// A span of time, start inclusive, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Interval {
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
    fn contains(&self, other: &Interval) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes().max(0)
    }
}

/// One driver's request in the round, anonymised (`driver` is a pseudonym for the round).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entrant {
    pub driver: String,
    /// Block ids, most wanted first. Unknown ids and repeats are ignored.
    pub ranking: Vec<String>,
    #[serde(default)]
    pub qualifications: Vec<String>,
    /// When the driver can work; empty: any time.
    #[serde(default)]
    pub availability: Vec<Interval>,
    /// Blocks the driver already holds (won in earlier rounds, not released): no overlap,
    /// and they count towards the caps.
    #[serde(default)]
    pub held: Vec<Interval>,
    /// Rounds lost lately (the server adds one for a round lost, resets it on a win).
    #[serde(default)]
    pub credit: u32,
}

/// Everything the draw depends on; published at the round's close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrawInput {
    pub round_id: String,
    /// 32 bytes as 64 hex digits; its SHA-256 was published when the round opened.
    #[serde(with = "hex::serde")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub seed: [u8; 32],
    pub caps: Caps,
    pub blocks: Vec<Block>,
    pub entrants: Vec<Entrant>,
}

/// One place of a block given to one driver.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Award {
    pub block_id: String,
    pub driver: String,
}

/// The outcome of a draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Allocation {
    /// The drawn order of the entrants (pseudonyms).
    pub order: Vec<String>,
    /// Every place given, sorted by block id, then driver.
    pub awards: Vec<Award>,
    /// Entrants who asked for at least one block on offer and got none, sorted.
    pub losers: Vec<String>,
}

impl Allocation {
    /// The blocks `driver` won, in block id order.
    pub fn won_by(&self, driver: &str) -> Vec<&str> {
        self.awards
            .iter()
            .filter(|a| a.driver == driver)
            .map(|a| a.block_id.as_str())
            .collect()
    }
}

/// The commitment published when a round opens: the SHA-256 of the seed, 64 hex digits.
pub fn commitment(seed: &[u8; 32]) -> String {
    hex::encode(Sha256::digest(seed))
}

/// Whether `seed` is the one committed to by `commitment` (hex, any case).
pub fn seed_matches(seed: &[u8; 32], commitment_hex: &str) -> bool {
    self::commitment(seed).eq_ignore_ascii_case(commitment_hex.trim())
}

/// Recomputes the draw and compares: what the app shows as "verified".
pub fn verify(input: &DrawInput, commitment_hex: &str, published: &Allocation) -> bool {
    seed_matches(&input.seed, commitment_hex) && allocate(input) == *published
}

/// A uniform integer in `0..n` (`n > 0`): the next 64-bit word of the stream, redrawn while
/// it is at or above the largest multiple of `n` (so every value is equally likely).
fn below(rng: &mut ChaCha20Rng, n: u64) -> u64 {
    let limit = (u64::MAX / n) * n;
    loop {
        let x = rng.next_u64();
        if x < limit {
            return x % n;
        }
    }
}

/// The local day number (days since 1970-01-01 in the station's time) a time falls on.
fn local_day(t: DateTime<Utc>, offset_minutes: i32) -> i64 {
    (t + Duration::minutes(i64::from(offset_minutes)))
        .date_naive()
        .num_days_from_ce()
        .into()
}

/// The local ISO week (Monday first) a day number falls in: weeks counted from a Monday.
fn local_week(day_from_ce: i64) -> i64 {
    // 0001-01-01 (day 1 from CE) was a Monday.
    (day_from_ce - 1).div_euclid(7)
}

/// What a driver holds while the draw runs.
struct Load {
    spans: Vec<Interval>,
    per_day: BTreeMap<i64, i64>,
    per_week: BTreeMap<i64, i64>,
}

impl Load {
    fn new(held: &[Interval], caps: &Caps) -> Self {
        let mut load = Load {
            spans: Vec::new(),
            per_day: BTreeMap::new(),
            per_week: BTreeMap::new(),
        };
        for h in held {
            load.add(*h, caps);
        }
        load
    }

    fn add(&mut self, span: Interval, caps: &Caps) {
        let day = local_day(span.start, caps.utc_offset_minutes);
        *self.per_day.entry(day).or_default() += span.minutes();
        *self.per_week.entry(local_week(day)).or_default() += span.minutes();
        self.spans.push(span);
    }

    fn fits(&self, span: &Interval, caps: &Caps) -> bool {
        if self.spans.iter().any(|s| s.overlaps(span)) {
            return false;
        }
        let day = local_day(span.start, caps.utc_offset_minutes);
        let m = span.minutes();
        let d = self.per_day.get(&day).copied().unwrap_or(0) + m;
        let w = self.per_week.get(&local_week(day)).copied().unwrap_or(0) + m;
        d <= i64::from(caps.max_minutes_per_day) && w <= i64::from(caps.max_minutes_per_week)
    }
}

/// Whether a driver holding `held` may also take `span`: no overlap, and the day's and the
/// week's minutes stay within the caps (what the server checks when a request arrives).
pub fn fits(held: &[Interval], span: &Interval, caps: &Caps) -> bool {
    span.start < span.end && Load::new(held, caps).fits(span, caps)
}

/// Whether `e` may take block `b` at all (before looking at what they hold).
pub fn eligible(e: &Entrant, b: &Block) -> bool {
    let span = Interval {
        start: b.start,
        end: b.end,
    };
    b.start < b.end
        && b.qualification
            .as_ref()
            .is_none_or(|q| e.qualifications.iter().any(|have| have == q))
        && (e.availability.is_empty() || e.availability.iter().any(|a| a.contains(&span)))
}

/// The draw. Deterministic: the same input gives the same allocation, whatever the order of
/// its blocks and entrants (both are sorted by id first; an entrant or block id that repeats
/// counts once, the first in sorted order).
pub fn allocate(input: &DrawInput) -> Allocation {
    let caps = &input.caps;
    let mut blocks: Vec<&Block> = input.blocks.iter().collect();
    blocks.sort_by(|a, b| a.block_id.cmp(&b.block_id));
    blocks.dedup_by(|a, b| a.block_id == b.block_id);
    let index: BTreeMap<&str, usize> = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| (b.block_id.as_str(), i))
        .collect();

    let mut entrants: Vec<&Entrant> = input.entrants.iter().collect();
    entrants.sort_by(|a, b| a.driver.cmp(&b.driver));
    entrants.dedup_by(|a, b| a.driver == b.driver);
    // Each entrant's ranking as block indexes: known blocks only, first mention only.
    let rankings: Vec<Vec<usize>> = entrants
        .iter()
        .map(|e| {
            let mut seen = Vec::new();
            for id in &e.ranking {
                if let Some(&i) = index.get(id.as_str())
                    && !seen.contains(&i)
                {
                    seen.push(i);
                }
            }
            seen
        })
        .collect();

    // 1. The order: repeatedly draw one of the remaining entrants with probability
    //    weight / total weight, walking them in id order.
    let mut rng = ChaCha20Rng::from_seed(input.seed);
    let mut remaining: Vec<usize> = (0..entrants.len()).collect();
    let weight = |i: usize| 1 + u64::from(entrants[i].credit.min(caps.max_credit));
    let mut order = Vec::with_capacity(entrants.len());
    while !remaining.is_empty() {
        let total: u64 = remaining.iter().map(|&i| weight(i)).sum();
        let mut r = below(&mut rng, total);
        let mut pick = remaining.len() - 1;
        for (k, &i) in remaining.iter().enumerate() {
            let w = weight(i);
            if r < w {
                pick = k;
                break;
            }
            r -= w;
        }
        order.push(remaining.remove(pick));
    }

    // 2. Snake passes over the order until one awards nothing.
    let mut places: Vec<u32> = blocks.iter().map(|b| b.drivers).collect();
    let mut loads: Vec<Load> = entrants.iter().map(|e| Load::new(&e.held, caps)).collect();
    let mut won: Vec<Vec<usize>> = vec![Vec::new(); entrants.len()];
    let mut pass = 0usize;
    loop {
        let mut awarded = false;
        let seq: Vec<usize> = if pass.is_multiple_of(2) {
            order.clone()
        } else {
            order.iter().rev().copied().collect()
        };
        for i in seq {
            let e = entrants[i];
            let choice = rankings[i].iter().copied().find(|&b| {
                let block = blocks[b];
                let span = Interval {
                    start: block.start,
                    end: block.end,
                };
                places[b] > 0
                    && !won[i].contains(&b)
                    && eligible(e, block)
                    && loads[i].fits(&span, caps)
            });
            if let Some(b) = choice {
                places[b] -= 1;
                won[i].push(b);
                loads[i].add(
                    Interval {
                        start: blocks[b].start,
                        end: blocks[b].end,
                    },
                    caps,
                );
                awarded = true;
            }
        }
        if !awarded {
            break;
        }
        pass += 1;
    }

    let mut awards: Vec<Award> = Vec::new();
    for (i, bs) in won.iter().enumerate() {
        for &b in bs {
            awards.push(Award {
                block_id: blocks[b].block_id.clone(),
                driver: entrants[i].driver.clone(),
            });
        }
    }
    awards.sort();
    let losers = (0..entrants.len())
        .filter(|&i| !rankings[i].is_empty() && won[i].is_empty())
        .map(|i| entrants[i].driver.clone())
        .collect();
    Allocation {
        order: order.iter().map(|&i| entrants[i].driver.clone()).collect(),
        awards,
        losers,
    }
}

#[cfg(test)]
mod tests;
