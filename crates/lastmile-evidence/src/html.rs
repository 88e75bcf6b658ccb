//! `day.html`: the day for a person to read or print, self-contained (images inline).

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use html_escape::encode_text as text;
use lastmile_protocol::events::{
    CardMessageDto, CorrectedOutcomeDto, DeliveryMethodDto, EventBody, NotificationCardDto,
};
use lastmile_protocol::evidence::DayRecord;

const STYLE: &str = "body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em}\
table{border-collapse:collapse;width:100%;margin-bottom:1.5em}td,th{border:1px solid #999;\
padding:4px 6px;text-align:left;vertical-align:top}.undone{color:#777;text-decoration:line-through}\
img{max-width:240px;max-height:180px;border:1px solid #ccc;margin:2px}";

fn time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

fn method(m: &DeliveryMethodDto) -> String {
    match m {
        DeliveryMethodDto::Recipient { name } => format!("to the recipient {name}"),
        DeliveryMethodDto::Neighbour { name, house_number } => {
            format!("to neighbour {name}, no. {house_number}")
        }
        DeliveryMethodDto::SafePlace { description } => format!("at a safe place: {description}"),
        DeliveryMethodDto::ParcelShop { shop_id, name } if name.is_empty() => {
            format!("to parcel shop {shop_id}")
        }
        DeliveryMethodDto::ParcelShop { shop_id, name } => {
            format!("to parcel shop {name} ({shop_id})")
        }
        DeliveryMethodDto::Locker {
            locker_id,
            compartment,
            ..
        } => format!("into locker {locker_id}, compartment {compartment}"),
    }
}

fn card(c: &Option<NotificationCardDto>) -> String {
    let Some(c) = c else {
        return String::new();
    };
    let says = match &c.says {
        CardMessageDto::WithNeighbour { name, house_number } => {
            format!("with neighbour {name}, no. {house_number}")
        }
        CardMessageDto::AtParcelShop { shop } => format!("at parcel shop {shop}"),
        CardMessageDto::InLocker {
            locker,
            compartment,
        } => format!("in locker {locker}, compartment {compartment}"),
        CardMessageDto::NextAttempt => "we will try again".into(),
        CardMessageDto::PickUpAtStation => "pick up at the station".into(),
    };
    format!("; card {} says: {says}", c.card_number)
}

/// What an event says, in one line of English.
pub(crate) fn describe(body: &EventBody) -> String {
    match body {
        EventBody::StopArrived { stop_id } => format!("Arrived at stop {stop_id}"),
        EventBody::StopSkipped { stop_id } => format!("Skipped stop {stop_id}"),
        EventBody::ParcelDelivered {
            tracking_id,
            method: m,
            card: c,
            id_checked,
            ..
        } => format!(
            "Delivered {tracking_id} {}{}{}",
            method(m),
            if *id_checked { "; ID checked" } else { "" },
            card(c)
        ),
        EventBody::DeliveryFailed {
            tracking_id,
            reason,
            card: c,
            ..
        } => format!("Not delivered {tracking_id}: {reason:?}{}", card(c)),
        EventBody::ReturnPickedUp { label, .. } => format!("Picked up return {label}"),
        EventBody::OutcomeUndone {
            undone_event_id,
            tracking_id,
            ..
        } => format!("Undid the outcome {undone_event_id} of {tracking_id}"),
        EventBody::OutcomeCorrected {
            corrected_event_id,
            note,
            outcome,
        } => {
            let to = match outcome {
                Some(CorrectedOutcomeDto::Delivered { method: m }) => {
                    format!(" to: delivered {}", method(m))
                }
                Some(CorrectedOutcomeDto::Failed { reason }) => {
                    format!(" to: not delivered, {reason:?}")
                }
                None => String::new(),
            };
            format!("Corrected {corrected_event_id}{to}; reason: {note}")
        }
        other => other.kind().replace('_', " "),
    }
}

/// The page; `image(sha256)` gives a proof file's `data:` URI. (Writing into a `String`
/// does not fail; the `Result` is `write!`'s.)
pub(crate) fn page(
    record: &DayRecord,
    image: impl Fn(&str) -> Option<String>,
) -> Result<String, std::fmt::Error> {
    let mut out = String::with_capacity(64 * 1024);
    let who = record
        .exported_by
        .as_ref()
        .map_or("—".to_owned(), |p| p.user_id.clone());
    write!(
        out,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Day record {tour} {date}</title><style>{STYLE}</style></head><body>\
         <h1>Day record: tour {tour}, {date}</h1>\
         <p>Driver {who} · station {station} · device {device} · exported {exported}</p>",
        tour = text(&record.tour_id),
        date = record.date,
        who = text(&who),
        station = text(&record.station_name),
        device = text(&record.device_id),
        exported = time(&record.exported_at),
    )?;
    let w = &record.work;
    write!(
        out,
        "<h2>Working time</h2><table><tr><th>First action</th><td>{}</td></tr>\
         <tr><th>Last action</th><td>{}</td></tr><tr><th>Breaks (gaps of 15 min or more)</th><td>{}</td></tr></table>",
        w.first_action_at.as_ref().map_or("—".into(), time),
        w.last_action_at.as_ref().map_or("—".into(), time),
        if w.breaks.is_empty() {
            "none".to_owned()
        } else {
            w.breaks
                .iter()
                .map(|g| format!("{} – {} ({} min)", time(&g.from), time(&g.to), g.minutes))
                .collect::<Vec<_>>()
                .join("<br>")
        }
    )?;
    out.push_str(
        "<h2>Stops</h2><table><tr><th>#</th><th>Address</th><th>Arrived</th><th>Parcels</th></tr>",
    );
    for s in &record.stops {
        let parcels = s
            .parcels
            .iter()
            .map(|p| {
                format!(
                    "{} — {}{}",
                    text(&p.tracking_id),
                    text(&p.state),
                    p.outcome
                        .as_deref()
                        .map(|o| format!(": {}", text(o)))
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("<br>");
        write!(
            out,
            "<tr><td>{}</td><td>{} ({})</td><td>{}{}</td><td>{parcels}</td></tr>",
            s.sequence,
            text(&s.address),
            text(&s.kind),
            s.arrived_at.as_ref().map_or("—".into(), time),
            if s.skipped { " (skipped)" } else { "" },
        )?;
    }
    out.push_str(
        "</table><h2>Events</h2><table><tr><th>#</th><th>Time</th><th>Position</th><th>What</th></tr>",
    );
    for e in &record.events {
        let env = &e.envelope;
        let position = env.position.map_or("—".to_owned(), |p| {
            format!(
                "{:.6}, {:.6}{}",
                p.lat,
                p.lon,
                p.accuracy_m
                    .map(|a| format!(" ±{a:.0} m"))
                    .unwrap_or_default()
            )
        });
        let images: String = e
            .proof
            .iter()
            .filter(|f| f.kind != "signature_strokes")
            .filter_map(|f| {
                image(&f.sha256).map(|uri| {
                    format!(
                        "<br><img alt=\"{} {}\" src=\"{uri}\">",
                        text(&f.kind),
                        text(&f.sha256)
                    )
                })
            })
            .collect();
        write!(
            out,
            "<tr{class}><td>{seq}</td><td>{at}</td><td>{position}</td><td>{what}{undone}{images}</td></tr>",
            class = if e.undone_by.is_some() {
                " class=\"undone\""
            } else {
                ""
            },
            seq = env.seq,
            at = time(&env.recorded_at),
            what = text(&describe(&env.body)),
            undone = e
                .undone_by
                .as_deref()
                .map(|u| format!(" (undone by {})", text(u)))
                .unwrap_or_default(),
        )?;
    }
    out.push_str(
        "</table><p>Each file's SHA-256 is listed in manifest.json, signed by the device's key \
         (manifest.sig). A changed file no longer matches.</p></body></html>",
    );
    Ok(out)
}
