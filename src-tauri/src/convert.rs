//! Store views and recorded actions, mapped by hand to the UI's protocol types (and back).

use lastmile_domain::progress::{DEFAULT_SPEED_KMH, ROAD_FACTOR};
use lastmile_domain::route::{LegStep, remaining_on_leg};
use lastmile_domain::{
    DeliveryMethod, Fix, Geofence, MethodKind, NotificationCard, Outcome, ParcelState, TimeWindow,
};
use lastmile_protocol::events::NotificationCardDto;
use lastmile_protocol::ui::{
    CardMessageDto, CorrectionUi, DeliverArgs, FixUi, GuidanceUi, MethodUi, ParcelLine,
    ParcelStateUi, RecordedUi, StopLine, StopState, StopView, TourView,
};
use lastmile_store::queries::{ParcelView, StopDetail, StopStatus, TourOverview};
use lastmile_store::{Recorded, Store, StoreError, Warning};

use crate::error::CommandError;

fn window(
    w: Option<TimeWindow>,
) -> Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> {
    w.map(|w| (w.start, w.end))
}

fn stop_state(status: StopStatus, any_failed: bool) -> StopState {
    match status {
        StopStatus::Open => StopState::Open,
        StopStatus::Arrived => StopState::Arrived,
        StopStatus::Done if any_failed => StopState::Failed,
        StopStatus::Done => StopState::Done,
        StopStatus::Skipped => StopState::Skipped,
    }
}

fn method(m: MethodKind) -> MethodUi {
    match m {
        MethodKind::Recipient => MethodUi::Recipient,
        MethodKind::Neighbour => MethodUi::Neighbour,
        MethodKind::SafePlace => MethodUi::SafePlace,
        MethodKind::ParcelShop => MethodUi::ParcelShop,
        MethodKind::Locker => MethodUi::Locker,
    }
}

fn parcel(p: &ParcelView) -> ParcelLine {
    ParcelLine {
        tracking_id: p.parcel.tracking_id.clone(),
        state: match p.state {
            ParcelState::Pending => ParcelStateUi::Pending,
            ParcelState::Delivered => ParcelStateUi::Delivered,
            ParcelState::Failed => ParcelStateUi::Failed,
            ParcelState::PickedUp => ParcelStateUi::PickedUp,
        },
        is_return: p.parcel.is_return,
        signature_required: p.parcel.flags.signature_required,
        id_check: p.parcel.flags.id_check,
        allowed_methods: p.allowed_methods.iter().copied().map(method).collect(),
        outcome_summary: p.outcome_summary.clone(),
        outcome_event_id: p.outcome_event_id.clone(),
    }
}

fn any_failed(d: &StopDetail) -> bool {
    d.parcels.iter().any(|p| p.state == ParcelState::Failed)
}

/// A stop card, with how many stops planned before it are still open.
pub fn stop_view(store: &Store, d: &StopDetail) -> Result<StopView, StoreError> {
    let open_before = store.open_stops_before(&d.stop.stop_id)?;
    Ok(StopView {
        stop_id: d.stop.stop_id.clone(),
        sequence: d.stop.sequence,
        address: d.stop.address.one_line(),
        name: d.stop.address.name.clone(),
        access_notes: d.stop.access_notes.clone(),
        time_window: window(d.stop.time_window),
        lat: d.stop.position.lat,
        lon: d.stop.position.lon,
        state: stop_state(d.status, any_failed(d)),
        parcels: d.parcels.iter().map(parcel).collect(),
        route: route_of(d),
        open_before,
        kind: lastmile_store::convert::stop_kind_code(d.stop.kind).to_owned(),
        service_seconds: d.stop.service_seconds,
    })
}

/// The stop's route leg, when the server supplied one.
fn route_of(d: &StopDetail) -> Option<lastmile_protocol::ui::RouteLegDto> {
    d.route.clone()
}

/// The maneuver points of the stop's route leg, in order.
pub fn route_points(d: &StopDetail) -> Option<Vec<lastmile_domain::Position>> {
    route_of(d).map(|r| {
        r.maneuvers
            .iter()
            .map(|m| lastmile_domain::Position {
                lat: m.location.lat,
                lon: m.location.lon,
            })
            .collect()
    })
}

/// Distance, bearing and ETA from `fix` to `stop_id`; the tour end from the store's ETA.
pub fn guidance(
    store: &Store,
    stop_id: &str,
    fix: Fix,
    source: &str,
) -> Result<Option<GuidanceUi>, StoreError> {
    let Some(detail) = store.stop_detail(stop_id)? else {
        return Ok(None);
    };
    let fence = Geofence::check(fix, detail.stop.position);
    // By road when dispatch sent the leg: the router's figures for what is left of it.
    let road = detail.route.as_ref().and_then(|r| {
        let steps: Vec<LegStep> = r
            .maneuvers
            .iter()
            .map(|m| LegStep {
                at: lastmile_domain::Position {
                    lat: m.location.lat,
                    lon: m.location.lon,
                },
                distance_m: m.distance_m,
                duration_s: m.duration_s,
            })
            .collect();
        remaining_on_leg(fix.position, &steps)
    });
    let drive_s = match road {
        Some(left) => left.seconds,
        None => fence.distance_m * ROAD_FACTOR / (DEFAULT_SPEED_KMH / 3.6),
    };
    let now = chrono::Utc::now();
    let eta_stop = now + chrono::Duration::milliseconds((drive_s * 1000.0) as i64);
    let eta_tour_end = store.guidance(fix)?.map_or(eta_stop, |g| g.eta.tour_end);
    Ok(Some(GuidanceUi {
        stop_id: stop_id.to_owned(),
        position: FixUi {
            lat: fix.position.lat,
            lon: fix.position.lon,
            accuracy_m: fix.accuracy_m.map(f64::from),
        },
        source: source.to_owned(),
        distance_m: fence.distance_m,
        bearing_deg: fence.bearing_deg,
        inside_geofence: fence.inside,
        eta_stop,
        eta_tour_end,
        eta_source: if road.is_some() { "road" } else { "straight" }.to_owned(),
        road_m: road.map(|left| left.metres),
        next_maneuver: road.map(|left| left.next),
    }))
}

/// The `geo:` URI a maps app opens at the stop, labelled with its address.
pub fn geo_uri(d: &StopDetail) -> String {
    let (lat, lon) = (d.stop.position.lat, d.stop.position.lon);
    let label: String = d
        .stop
        .address
        .one_line()
        .chars()
        .map(|c| match c {
            ' ' => "+".to_owned(),
            c if c.is_alphanumeric() || ",.-".contains(c) => c.to_string(),
            c => {
                let mut buf = [0; 4];
                c.encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect()
            }
        })
        .collect();
    format!("geo:{lat:.6},{lon:.6}?q={lat:.6},{lon:.6}({label})")
}

/// The tour list; done stops with a failed parcel show as failed.
pub fn tour_view(t: &TourOverview) -> TourView {
    let stops = t
        .stops
        .iter()
        .map(|s| StopLine {
            stop_id: s.stop_id.clone(),
            sequence: s.sequence,
            address: s.address_line.clone(),
            name: s.name.clone(),
            state: stop_state(s.status, s.failed_parcels > 0),
            parcels: s.parcels,
            open_parcels: s.open_parcels,
            time_window: window(s.time_window),
        })
        .collect();
    TourView {
        tour_id: t.tour_id.clone(),
        station_name: t.station_name.clone(),
        date: t.date.to_string(),
        stops,
        stops_total: t.progress.stops_total,
        stops_done: t.progress.stops_done,
        parcels_total: t.progress.parcels_total,
        parcels_open: t.progress.parcels_open,
        current_stop_id: t.current_stop_id.clone(),
    }
}

pub fn recorded(r: &Recorded) -> RecordedUi {
    RecordedUi {
        event_id: r.event_id.to_string(),
        recorded_at: r.recorded_at,
        warnings: r
            .warnings
            .iter()
            .map(|w| match w {
                Warning::FarFromStop { .. } => "far_from_stop",
                Warning::OutOfOrder { .. } => "out_of_order",
                Warning::OutsideTimeWindow => "outside_time_window",
            })
            .map(str::to_owned)
            .collect(),
    }
}

pub fn delivery_method(a: &DeliverArgs) -> DeliveryMethod {
    Typed {
        name: &a.name,
        house_number: a.house_number.as_deref(),
        place: a.place.as_deref(),
        shop_name: a.shop_name.as_deref(),
        compartment: a.compartment.as_deref(),
        pickup_code: a.pickup_code.as_deref(),
    }
    .method(a.method)
}

/// The outcome a correction chooses, in the store's terms.
pub fn corrected_outcome(to: &CorrectionUi) -> Outcome {
    match to {
        CorrectionUi::Delivered {
            method,
            name,
            house_number,
            place,
            compartment,
        } => Outcome::Delivered {
            method: Typed {
                name,
                house_number: house_number.as_deref(),
                place: place.as_deref(),
                compartment: compartment.as_deref(),
                ..Typed::default()
            }
            .method(*method),
            card: None,
        },
        CorrectionUi::Failed { reason } => Outcome::Failed {
            reason: lastmile_store::convert::reason_from_dto(*reason),
            card: None,
        },
    }
}

/// What the driver typed about who or what took a parcel.
#[derive(Default)]
struct Typed<'a> {
    name: &'a str,
    house_number: Option<&'a str>,
    /// The safe place, the shop's id or the locker's id.
    place: Option<&'a str>,
    shop_name: Option<&'a str>,
    compartment: Option<&'a str>,
    pickup_code: Option<&'a str>,
}

impl Typed<'_> {
    fn method(&self, method: MethodUi) -> DeliveryMethod {
        let trimmed = |v: Option<&str>| v.unwrap_or_default().trim().to_owned();
        let name = self.name.trim().to_owned();
        let place = trimmed(self.place);
        match method {
            MethodUi::Recipient => DeliveryMethod::Recipient { name },
            MethodUi::Neighbour => DeliveryMethod::Neighbour {
                name,
                house_number: trimmed(self.house_number),
            },
            MethodUi::SafePlace => DeliveryMethod::SafePlace { description: place },
            MethodUi::ParcelShop => DeliveryMethod::ParcelShop {
                shop_id: place,
                name: trimmed(self.shop_name),
            },
            MethodUi::Locker => DeliveryMethod::Locker {
                locker_id: place,
                compartment: trimmed(self.compartment),
                pickup_code: Some(trimmed(self.pickup_code)).filter(|c| !c.is_empty()),
            },
        }
    }
}

/// What the card left with a delivery says: where the parcel is.
pub fn card_for_delivery(method: &DeliveryMethod) -> CardMessageDto {
    match method {
        DeliveryMethod::Neighbour { name, house_number } => CardMessageDto::WithNeighbour {
            name: name.clone(),
            house_number: house_number.clone(),
        },
        DeliveryMethod::ParcelShop { shop_id, name } => CardMessageDto::AtParcelShop {
            shop: if name.is_empty() {
                shop_id.clone()
            } else {
                format!("{name} ({shop_id})")
            },
        },
        DeliveryMethod::Locker {
            locker_id,
            compartment,
            ..
        } => CardMessageDto::InLocker {
            locker: locker_id.clone(),
            compartment: compartment.clone(),
        },
        DeliveryMethod::Recipient { .. } | DeliveryMethod::SafePlace { .. } => {
            CardMessageDto::NextAttempt
        }
    }
}

/// The card as the driver entered it; `None` when no number was given.
pub fn card(
    number: Option<&str>,
    says: Option<&CardMessageDto>,
) -> Result<Option<NotificationCard>, CommandError> {
    let Some(number) = number.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    let dto = NotificationCardDto {
        card_number: number.to_owned(),
        says: says.cloned().unwrap_or(CardMessageDto::NextAttempt),
    };
    Ok(Some(lastmile_store::convert::card_from_dto(&dto)?))
}
