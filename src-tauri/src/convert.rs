//! Store views and recorded actions, mapped by hand to the UI's protocol types (and back).

use lastmile_domain::{DeliveryMethod, MethodKind, NotificationCard, ParcelState, TimeWindow};
use lastmile_protocol::events::NotificationCardDto;
use lastmile_protocol::ui::{
    CardMessageDto, DeliverArgs, MethodUi, ParcelLine, ParcelStateUi, RecordedUi, StopLine,
    StopState, StopView, TourView,
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
    }
}

fn any_failed(d: &StopDetail) -> bool {
    d.parcels.iter().any(|p| p.state == ParcelState::Failed)
}

/// The current stop card.
pub fn stop_view(d: &StopDetail) -> StopView {
    StopView {
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
    }
}

/// The tour list; done stops with a failed parcel show as failed.
pub fn tour_view(store: &Store, t: &TourOverview) -> Result<TourView, StoreError> {
    let mut stops = Vec::with_capacity(t.stops.len());
    for s in &t.stops {
        let failed = if s.status == StopStatus::Done {
            store
                .stop_detail(&s.stop_id)?
                .is_some_and(|d| any_failed(&d))
        } else {
            false
        };
        stops.push(StopLine {
            stop_id: s.stop_id.clone(),
            sequence: s.sequence,
            address: s.address_line.clone(),
            name: s.name.clone(),
            state: stop_state(s.status, failed),
            parcels: s.parcels,
            open_parcels: s.open_parcels,
            time_window: window(s.time_window),
        });
    }
    Ok(TourView {
        tour_id: t.tour_id.clone(),
        station_name: t.station_name.clone(),
        date: t.date.to_string(),
        stops,
        stops_total: t.progress.stops_total,
        stops_done: t.progress.stops_done,
        parcels_total: t.progress.parcels_total,
        parcels_open: t.progress.parcels_open,
        current_stop_id: t.current_stop_id.clone(),
    })
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

pub fn delivery_method(a: &DeliverArgs) -> Result<DeliveryMethod, CommandError> {
    let name = a.name.trim().to_owned();
    Ok(match a.method {
        MethodUi::Recipient => DeliveryMethod::Recipient { name },
        MethodUi::Neighbour => DeliveryMethod::Neighbour {
            name,
            house_number: a.house_number.clone().unwrap_or_default().trim().to_owned(),
        },
        MethodUi::SafePlace | MethodUi::ParcelShop => {
            return Err(CommandError::Input(
                "safe place and parcel shop need a photo or shop scan, not available yet".into(),
            ));
        }
    })
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
