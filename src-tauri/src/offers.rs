//! The flex driver's commands (issue 15): the rounds on offer and the driver's own state,
//! each closed round's draw fetched and **recomputed on this phone** with the documented
//! algorithm (`lastmile_offers::verify`: the seed hashes to the commitment published at the
//! opening, and the allocation comes out the same), the ranked request, confirm / release,
//! and the week's earnings with an export (CSV and a printable HTML page in
//! `<data folder>/exports/`). These calls need the server; nothing here is queued offline
//! (a request taken while offline could not be fair to the others anyway).
// `#[tauri::command]` expands to a `let _ = …` on the command's result, which this lint flags.
#![allow(clippy::let_underscore_must_use)]

use std::fmt::Write as _;

use lastmile_protocol::offers::ui::{
    DrawCheck, EarningsExportUi, EarningsUi, OfferRequestArgs, OffersUi, RoundCheckUi,
};
use lastmile_protocol::offers::{
    self, AwardView, DrawView, Earnings, MyOffers, OfferRequest, OffersView, RequestReceipt,
};
use tauri::State;

use crate::AppState;
use crate::error::CommandError;
use crate::ride::write_file;
use crate::station::token;

fn server(state: &AppState) -> Result<&lastmile_sync::transport::ServerClient, CommandError> {
    state.server.as_ref().ok_or(CommandError::NoServer)
}

/// What the phone's recomputation says of a published draw.
pub fn check(draw: &DrawView) -> DrawCheck {
    if lastmile_offers::verify(&draw.input, &draw.commitment, &draw.allocation) {
        DrawCheck::Verified
    } else {
        DrawCheck::Mismatch
    }
}

/// The rounds on offer, the driver's requests, results and blocks, and each result's draw
/// checked on this phone (against the commitment the round showed when it was published).
#[tauri::command]
pub async fn offers_load(state: State<'_, AppState>) -> Result<OffersUi, CommandError> {
    let token = token(&state).await?;
    let server = server(&state)?;
    let offers: OffersView = server.get(&token, offers::OFFERS).await?;
    let mine: MyOffers = server.get(&token, offers::MINE).await?;
    let mut checks = Vec::new();
    for r in &mine.results {
        let check = match server
            .get::<DrawView>(&token, &offers::draw_path(&r.round_id))
            .await
        {
            Ok(draw) => {
                // The commitment must be the one published with the round, not only the
                // one the draw carries.
                let published = offers
                    .rounds
                    .iter()
                    .find(|o| o.round_id == r.round_id)
                    .map(|o| o.commitment.as_str());
                match (check(&draw), published) {
                    (DrawCheck::Verified, Some(c)) if c != draw.commitment => DrawCheck::Mismatch,
                    (DrawCheck::Verified, _)
                        if draw.your_pseudonym.as_deref() != Some(r.pseudonym.as_str())
                            || draw.allocation.won_by(&r.pseudonym) != r.won =>
                    {
                        DrawCheck::Mismatch
                    }
                    (c, _) => c,
                }
            }
            Err(e) => {
                tracing::info!("draw of {} not fetched: {e}", r.round_id);
                DrawCheck::Unchecked
            }
        };
        checks.push(RoundCheckUi {
            round_id: r.round_id.clone(),
            check,
        });
    }
    Ok(OffersUi {
        offers,
        mine,
        checks,
    })
}

#[tauri::command]
pub async fn offers_request(
    state: State<'_, AppState>,
    args: OfferRequestArgs,
) -> Result<RequestReceipt, CommandError> {
    if args.ranking.is_empty() {
        return Err(CommandError::Input("choose at least one block".into()));
    }
    let token = token(&state).await?;
    let body = OfferRequest {
        ranking: args.ranking,
        availability: Vec::new(),
    };
    Ok(server(&state)?
        .post(&token, &offers::request_path(&args.round_id), &body)
        .await?)
}

async fn decide(state: &AppState, path: String) -> Result<AwardView, CommandError> {
    let token = token(state).await?;
    Ok(server(state)?
        .post(&token, &path, &serde_json::json!({}))
        .await?)
}

#[tauri::command]
pub async fn offers_confirm(
    state: State<'_, AppState>,
    block_id: String,
) -> Result<AwardView, CommandError> {
    decide(&state, offers::confirm_path(&block_id)).await
}

#[tauri::command]
pub async fn offers_release(
    state: State<'_, AppState>,
    block_id: String,
) -> Result<AwardView, CommandError> {
    decide(&state, offers::release_path(&block_id)).await
}

async fn earnings(state: &AppState, week: Option<String>) -> Result<Earnings, CommandError> {
    let token = token(state).await?;
    let path = match week {
        Some(w) => format!("{}?week={w}", offers::EARNINGS),
        None => offers::EARNINGS.to_owned(),
    };
    Ok(server(state)?.get(&token, &path).await?)
}

/// The week's worked blocks (`week`: any day of it, `YYYY-MM-DD`; default this week).
#[tauri::command]
pub async fn offers_earnings(
    state: State<'_, AppState>,
    week: Option<String>,
) -> Result<EarningsUi, CommandError> {
    Ok(EarningsUi {
        earnings: earnings(&state, week).await?,
    })
}

/// Writes the week's earnings as CSV and as a printable HTML page into `exports/`.
#[tauri::command]
pub async fn offers_export(
    state: State<'_, AppState>,
    week: Option<String>,
) -> Result<EarningsExportUi, CommandError> {
    let e = earnings(&state, week).await?;
    let dir = state.data_dir.join("exports");
    let csv_path = dir.join(format!("earnings-{}.csv", e.week_start));
    let html_path = dir.join(format!("earnings-{}.html", e.week_start));
    write_file(&csv_path, earnings_csv(&e).as_bytes())?;
    write_file(&html_path, earnings_html(&e).as_bytes())?;
    Ok(EarningsExportUi {
        csv_path: csv_path.display().to_string(),
        html_path: html_path.display().to_string(),
    })
}

fn euros(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

/// One line per worked block; times in UTC (RFC 3339), pay in EUR with a point.
pub fn earnings_csv(e: &Earnings) -> String {
    let mut out = String::from("block_id,start,end,hours,pay_eur,stops,parcels\n");
    for b in &e.blocks {
        let _ = writeln!(
            out,
            "{},{},{},{:.2},{},{},{}",
            b.block_id.replace([',', '\n', '"'], " "),
            b.start.to_rfc3339(),
            b.end.to_rfc3339(),
            b.hours,
            euros(b.pay_cents),
            b.stops,
            b.parcels
        );
    }
    let _ = writeln!(
        out,
        "total,,,{:.2},{},,",
        e.total_hours,
        euros(e.total_pay_cents)
    );
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A page the driver can print: the week's blocks and totals.
pub fn earnings_html(e: &Earnings) -> String {
    let mut rows = String::new();
    for b in &e.blocks {
        let _ = write!(
            rows,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.2}</td><td>{} €</td><td>{}</td><td>{}</td></tr>",
            esc(&b.block_id),
            b.start.format("%Y-%m-%d %H:%M UTC"),
            b.end.format("%H:%M UTC"),
            b.hours,
            euros(b.pay_cents),
            b.stops,
            b.parcels
        );
    }
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Earnings, week of {week}</title>\
         <style>body{{font-family:sans-serif}}table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:4px 8px}}</style>\
         </head><body><h1>Earnings, week of {week}</h1><table><tr><th>Block</th><th>Start</th><th>End</th><th>Hours</th><th>Pay</th><th>Stops</th><th>Parcels</th></tr>\
         {rows}<tr><th>Total</th><td></td><td></td><th>{hours:.2}</th><th>{pay} €</th><td></td><td></td></tr></table></body></html>",
        week = e.week_start,
        hours = e.total_hours,
        pay = euros(e.total_pay_cents),
    )
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};
    use lastmile_protocol::offers::{EarnedBlock, Earnings};

    use super::*;

    #[test]
    fn the_csv_has_one_line_per_block_and_the_total() {
        let start = Utc.with_ymd_and_hms(2026, 12, 1, 6, 0, 0).unwrap();
        let e = Earnings {
            week_start: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            blocks: vec![EarnedBlock {
                block_id: "B1".into(),
                start,
                end: start + chrono::Duration::hours(4),
                hours: 4.0,
                pay_cents: 6405,
                stops: 31,
                parcels: 48,
            }],
            total_pay_cents: 6405,
            total_hours: 4.0,
        };
        assert_eq!(
            earnings_csv(&e),
            "block_id,start,end,hours,pay_eur,stops,parcels\n\
             B1,2026-12-01T06:00:00+00:00,2026-12-01T10:00:00+00:00,4.00,64.05,31,48\n\
             total,,,4.00,64.05,,\n"
        );
        assert!(earnings_html(&e).contains("<td>64.05 €</td><td>31</td><td>48</td>"));
    }
}
