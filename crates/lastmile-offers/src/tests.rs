use std::collections::BTreeMap;

use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

fn at(hour: i64) -> DateTime<Utc> {
    // Monday 2026-11-30 00:00 UTC plus `hour` hours.
    Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap() + Duration::hours(hour)
}

fn block(id: &str, start: i64, hours: i64, drivers: u32, q: Option<&str>) -> Block {
    Block {
        block_id: id.into(),
        start: at(start),
        end: at(start + hours),
        drivers,
        qualification: q.map(Into::into),
    }
}

fn entrant(id: &str, ranking: &[&str]) -> Entrant {
    Entrant {
        driver: id.into(),
        ranking: ranking.iter().map(|s| (*s).into()).collect(),
        qualifications: Vec::new(),
        availability: Vec::new(),
        held: Vec::new(),
        credit: 0,
    }
}

fn input(seed: u8, blocks: Vec<Block>, entrants: Vec<Entrant>) -> DrawInput {
    DrawInput {
        round_id: "R1".into(),
        seed: [seed; 32],
        caps: Caps::default(),
        blocks,
        entrants,
    }
}

/// Pins the algorithm: a change to the draw (or to the random stream) changes this result,
/// and every published draw before it would no longer verify.
#[test]
fn a_fixed_draw_stays_the_same() {
    let inp = input(
        7,
        vec![
            block("B1", 8, 4, 1, None),
            block("B2", 8, 4, 1, Some("van")),
            block("B3", 13, 4, 2, None),
        ],
        vec![
            entrant("a", &["B1", "B3"]),
            Entrant {
                qualifications: vec!["van".into()],
                ..entrant("b", &["B2", "B1", "B3"])
            },
            entrant("c", &["B2", "B1"]),
            Entrant {
                credit: 3,
                ..entrant("d", &["B1", "B3"])
            },
        ],
    );
    let got = allocate(&inp);
    let text = serde_json::to_string(&got).unwrap();
    expect_test::expect![[r#"{"order":["c","d","a","b"],"awards":[{"block_id":"B1","driver":"c"},{"block_id":"B2","driver":"b"},{"block_id":"B3","driver":"a"},{"block_id":"B3","driver":"d"}],"losers":[]}"#]]
    .assert_eq(&text);
    assert_eq!(commitment(&[7; 32]), hex::encode(Sha256::digest([7u8; 32])));
    assert!(verify(&inp, &commitment(&[7; 32]), &got));
    assert!(!verify(&inp, &commitment(&[8; 32]), &got));
}

#[test]
fn a_driver_without_the_qualification_or_the_time_gets_nothing() {
    let mut e = entrant("a", &["B1", "B2"]);
    e.availability = vec![Interval {
        start: at(12),
        end: at(20),
    }];
    let inp = input(
        1,
        vec![
            block("B1", 8, 4, 1, None),
            block("B2", 13, 4, 1, Some("van")),
        ],
        vec![e],
    );
    let got = allocate(&inp);
    assert!(got.awards.is_empty());
    assert_eq!(got.losers, vec!["a".to_string()]);
}

#[test]
fn the_daily_cap_stops_a_third_block() {
    // 4 h + 4 h fit in 10 h; a third 4 h block the same day does not.
    let inp = input(
        2,
        vec![
            block("B1", 6, 4, 1, None),
            block("B2", 10, 4, 1, None),
            block("B3", 14, 4, 1, None),
        ],
        vec![entrant("a", &["B1", "B2", "B3"])],
    );
    let got = allocate(&inp);
    assert_eq!(got.won_by("a"), vec!["B1", "B2"]);
}

#[test]
fn credit_makes_recent_losers_win_more_often() {
    let mut wins = [0u32; 2];
    for s in 0..400u32 {
        let mut seed = [0u8; 32];
        seed[..4].copy_from_slice(&s.to_le_bytes());
        let inp = DrawInput {
            seed,
            ..input(
                0,
                vec![block("B1", 8, 4, 1, None)],
                vec![
                    entrant("a", &["B1"]),
                    Entrant {
                        credit: 4,
                        ..entrant("b", &["B1"])
                    },
                ],
            )
        };
        match allocate(&inp).won_by("a").len() {
            1 => wins[0] += 1,
            _ => wins[1] += 1,
        }
    }
    // Weights 1 and 5: b should win about 5 in 6.
    assert!(wins[1] > 280 && wins[1] < 385, "{wins:?}");
}

fn arb_input() -> impl Strategy<Value = DrawInput> {
    let blocks = prop::collection::vec(
        (0i64..7 * 24, 1i64..9, 1u32..4, prop::option::of(0u8..2)),
        1..12,
    );
    let entrants = prop::collection::vec(
        (
            prop::collection::vec(0usize..14, 0..6),
            prop::collection::vec(0u8..2, 0..2),
            prop::option::of((0i64..7 * 24, 4i64..60)),
            prop::collection::vec((0i64..7 * 24, 1i64..6), 0..3),
            0u32..8,
        ),
        0..25,
    );
    (
        any::<[u8; 32]>(),
        blocks,
        entrants,
        300u32..700,
        1200u32..3000,
    )
        .prop_map(|(seed, blocks, entrants, day, week)| DrawInput {
            round_id: "R".into(),
            seed,
            caps: Caps {
                max_minutes_per_day: day,
                max_minutes_per_week: week,
                ..Caps::default()
            },
            blocks: blocks
                .into_iter()
                .enumerate()
                .map(|(i, (s, h, n, q))| Block {
                    block_id: format!("B{i}"),
                    start: at(s),
                    end: at(s + h),
                    drivers: n,
                    qualification: q.map(|q| format!("q{q}")),
                })
                .collect(),
            entrants: entrants
                .into_iter()
                .enumerate()
                .map(|(i, (rank, quals, avail, held, credit))| Entrant {
                    driver: format!("d{i}"),
                    ranking: rank.into_iter().map(|b| format!("B{b}")).collect(),
                    qualifications: quals.into_iter().map(|q| format!("q{q}")).collect(),
                    availability: avail
                        .map(|(s, h)| {
                            vec![Interval {
                                start: at(s),
                                end: at(s + h),
                            }]
                        })
                        .unwrap_or_default(),
                    held: held
                        .into_iter()
                        .map(|(s, h)| Interval {
                            start: at(s),
                            end: at(s + h),
                        })
                        .collect(),
                    credit,
                })
                .collect(),
        })
}

/// Minutes per local day and week of a set of spans.
fn totals(spans: &[Interval], caps: &Caps) -> (BTreeMap<i64, i64>, BTreeMap<i64, i64>) {
    let load = Load::new(spans, caps);
    (load.per_day, load.per_week)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn allocations_keep_every_rule(inp in arb_input()) {
        let got = allocate(&inp);
        let blocks: BTreeMap<&str, &Block> =
            inp.blocks.iter().map(|b| (b.block_id.as_str(), b)).collect();
        let entrants: BTreeMap<&str, &Entrant> =
            inp.entrants.iter().map(|e| (e.driver.as_str(), e)).collect();
        // Places are not exceeded.
        for b in &inp.blocks {
            let n = got.awards.iter().filter(|a| a.block_id == b.block_id).count();
            prop_assert!(n <= b.drivers as usize);
        }
        for e in &inp.entrants {
            let won: Vec<&Block> = got.won_by(&e.driver).iter().map(|id| blocks[id]).collect();
            for b in &won {
                // Only what they asked for, with the qualification and the time.
                prop_assert!(e.ranking.contains(&b.block_id));
                // (Checked here directly, not through `eligible`.)
                prop_assert!(b.qualification.as_ref().is_none_or(|q| e.qualifications.contains(q)));
                prop_assert!(
                    e.availability.is_empty()
                        || e.availability.iter().any(|a| a.start <= b.start && b.end <= a.end)
                );
            }
            // Never two blocks at once, nor one over a block they hold.
            let spans: Vec<Interval> =
                won.iter().map(|b| Interval { start: b.start, end: b.end }).collect();
            for (i, s) in spans.iter().enumerate() {
                prop_assert!(!e.held.iter().any(|h| h.overlaps(s)));
                for t in &spans[i + 1..] {
                    prop_assert!(!s.overlaps(t));
                }
            }
            // The caps hold on every day and week where they won something, held ones counted.
            if !won.is_empty() {
                let mut all = e.held.clone();
                all.extend(spans.iter().copied());
                let (days, weeks) = totals(&all, &inp.caps);
                for s in &spans {
                    let day = local_day(s.start, inp.caps.utc_offset_minutes);
                    prop_assert!(days[&day] <= i64::from(inp.caps.max_minutes_per_day));
                    prop_assert!(weeks[&local_week(day)] <= i64::from(inp.caps.max_minutes_per_week));
                }
            }
        }
        // No place is wasted: a block left with a place was not possible for anyone who
        // ranked it and lost it.
        for b in &inp.blocks {
            let n = got.awards.iter().filter(|a| a.block_id == b.block_id).count();
            if n < b.drivers as usize {
                for e in entrants.values() {
                    if e.ranking.contains(&b.block_id) && !got.won_by(&e.driver).contains(&b.block_id.as_str()) {
                        let mut load = Load::new(&e.held, &inp.caps);
                        for id in got.won_by(&e.driver) {
                            let w = blocks[id];
                            load.add(Interval { start: w.start, end: w.end }, &inp.caps);
                        }
                        let span = Interval { start: b.start, end: b.end };
                        prop_assert!(!(eligible(e, b) && load.fits(&span, &inp.caps)));
                    }
                }
            }
        }
    }

    #[test]
    fn the_same_seed_and_input_give_the_same_allocation(inp in arb_input(), rot in 0usize..25) {
        let first = allocate(&inp);
        prop_assert_eq!(&first, &allocate(&inp));
        // Order of the published lists does not matter.
        let mut shuffled = inp.clone();
        shuffled.blocks.reverse();
        let n = shuffled.entrants.len().max(1);
        shuffled.entrants.rotate_left(rot % n);
        prop_assert_eq!(&first, &allocate(&shuffled));
        // What the app recomputes from the published JSON is the server's allocation.
        let published = serde_json::to_string(&inp).unwrap();
        let recomputed: DrawInput = serde_json::from_str(&published).unwrap();
        prop_assert!(verify(&recomputed, &commitment(&inp.seed), &first));
    }
}
