//! Hand-written conversions between wire DTOs (`lastmile_protocol`) and domain types
//! (`lastmile_domain`), and the text codes enums are stored under. Domain types never derive
//! serde, so the wire format only changes when this file does.

use lastmile_domain::{
    Address, CardMessage, CardNumber, DeliveryMethod, Dimensions, FailureReason, Fix,
    NotificationCard, Parcel, ParcelFlags, Position, Station, Stop, StopKind, TimeWindow, Tour,
};
use lastmile_protocol::events::{
    CardMessageDto, DeliveryMethodDto, FailureReasonDto, NotificationCardDto, PositionDto,
};
use lastmile_protocol::tour::{
    LatLon, ParcelDto, StopDto, StopKindDto, TimeWindowDto, TourSnapshot,
};

use crate::StoreError;

pub fn stop_kind_from_dto(kind: StopKindDto) -> StopKind {
    match kind {
        StopKindDto::Delivery => StopKind::Delivery,
        StopKindDto::Pickup => StopKind::Pickup,
        StopKindDto::ParcelShop => StopKind::ParcelShop,
        StopKindDto::Service => StopKind::Service,
        StopKindDto::Unknown => StopKind::Other,
    }
}

/// The code a stop kind is stored under.
pub fn stop_kind_code(kind: StopKind) -> &'static str {
    match kind {
        StopKind::Delivery => "delivery",
        StopKind::Pickup => "pickup",
        StopKind::ParcelShop => "parcel_shop",
        StopKind::Service => "service",
        StopKind::Other => "other",
    }
}

pub fn stop_kind_from_code(code: &str) -> StopKind {
    match code {
        "delivery" => StopKind::Delivery,
        "pickup" => StopKind::Pickup,
        "parcel_shop" => StopKind::ParcelShop,
        "service" => StopKind::Service,
        _ => StopKind::Other,
    }
}

pub fn position(p: LatLon) -> Position {
    Position {
        lat: p.lat,
        lon: p.lon,
    }
}

pub fn window(w: TimeWindowDto) -> TimeWindow {
    TimeWindow {
        start: w.start,
        end: w.end,
    }
}

pub fn fix_to_dto(fix: Fix) -> PositionDto {
    PositionDto {
        lat: fix.position.lat,
        lon: fix.position.lon,
        accuracy_m: fix.accuracy_m,
    }
}

pub fn parcel_from_dto(p: &ParcelDto) -> Parcel {
    Parcel {
        tracking_id: p.tracking_id.clone(),
        time_window: p.time_window.map(window),
        dimensions: p.dimensions.map(|d| Dimensions {
            depth_cm: d.depth_cm,
            height_cm: d.height_cm,
            width_cm: d.width_cm,
        }),
        flags: ParcelFlags {
            no_neighbour: p.flags.no_neighbour,
            signature_required: p.flags.signature_required,
            id_check: p.flags.id_check,
        },
        is_return: p.is_return,
    }
}

pub fn stop_from_dto(s: &StopDto) -> Stop {
    Stop {
        stop_id: s.stop_id.clone(),
        sequence: s.sequence,
        kind: stop_kind_from_dto(s.kind),
        address: Address {
            street: s.address.street.clone(),
            house_number: s.address.house_number.clone(),
            postcode: s.address.postcode.clone(),
            city: s.address.city.clone(),
            name: s.address.name.clone(),
        },
        position: position(s.position),
        access_notes: s.access_notes.clone(),
        time_window: s.time_window.map(window),
        service_seconds: s.service_seconds,
        parcels: s.parcels.iter().map(parcel_from_dto).collect(),
    }
}

pub fn tour_from_dto(t: &TourSnapshot) -> Tour {
    Tour {
        tour_id: t.tour_id.clone(),
        station: Station {
            station_id: t.station.station_id.clone(),
            name: t.station.name.clone(),
            position: position(t.station.position),
        },
        driver_id: t.driver_id.clone(),
        date: t.date,
        departure: t.departure,
        stops: t.stops.iter().map(stop_from_dto).collect(),
    }
}

pub fn method_to_dto(m: &DeliveryMethod) -> DeliveryMethodDto {
    match m.clone() {
        DeliveryMethod::Recipient { name } => DeliveryMethodDto::Recipient { name },
        DeliveryMethod::Neighbour { name, house_number } => {
            DeliveryMethodDto::Neighbour { name, house_number }
        }
        DeliveryMethod::SafePlace { description } => DeliveryMethodDto::SafePlace { description },
        DeliveryMethod::ParcelShop { shop_id, name } => {
            DeliveryMethodDto::ParcelShop { shop_id, name }
        }
        DeliveryMethod::Locker {
            locker_id,
            compartment,
            pickup_code,
        } => DeliveryMethodDto::Locker {
            locker_id,
            compartment,
            pickup_code,
        },
    }
}

pub fn method_from_dto(m: &DeliveryMethodDto) -> DeliveryMethod {
    match m.clone() {
        DeliveryMethodDto::Recipient { name } => DeliveryMethod::Recipient { name },
        DeliveryMethodDto::Neighbour { name, house_number } => {
            DeliveryMethod::Neighbour { name, house_number }
        }
        DeliveryMethodDto::SafePlace { description } => DeliveryMethod::SafePlace { description },
        DeliveryMethodDto::ParcelShop { shop_id, name } => {
            DeliveryMethod::ParcelShop { shop_id, name }
        }
        DeliveryMethodDto::Locker {
            locker_id,
            compartment,
            pickup_code,
        } => DeliveryMethod::Locker {
            locker_id,
            compartment,
            pickup_code,
        },
    }
}

pub fn reason_to_dto(r: FailureReason) -> FailureReasonDto {
    match r {
        FailureReason::NobodyHome => FailureReasonDto::NobodyHome,
        FailureReason::Refused => FailureReasonDto::Refused,
        FailureReason::Damaged => FailureReasonDto::Damaged,
        FailureReason::AddressNotFound => FailureReasonDto::AddressNotFound,
        FailureReason::NoAccess => FailureReasonDto::NoAccess,
        FailureReason::BusinessClosed => FailureReasonDto::BusinessClosed,
        FailureReason::OutOfTime => FailureReasonDto::OutOfTime,
    }
}

pub fn reason_from_dto(r: FailureReasonDto) -> FailureReason {
    match r {
        FailureReasonDto::NobodyHome => FailureReason::NobodyHome,
        FailureReasonDto::Refused => FailureReason::Refused,
        FailureReasonDto::Damaged => FailureReason::Damaged,
        FailureReasonDto::AddressNotFound => FailureReason::AddressNotFound,
        FailureReasonDto::NoAccess => FailureReason::NoAccess,
        FailureReasonDto::BusinessClosed => FailureReason::BusinessClosed,
        FailureReasonDto::OutOfTime => FailureReason::OutOfTime,
    }
}

pub fn card_to_dto(c: &NotificationCard) -> NotificationCardDto {
    let says = match c.says.clone() {
        CardMessage::WithNeighbour { name, house_number } => {
            CardMessageDto::WithNeighbour { name, house_number }
        }
        CardMessage::AtParcelShop { shop } => CardMessageDto::AtParcelShop { shop },
        CardMessage::InLocker {
            locker,
            compartment,
        } => CardMessageDto::InLocker {
            locker,
            compartment,
        },
        CardMessage::NextAttempt => CardMessageDto::NextAttempt,
        CardMessage::PickUpAtStation => CardMessageDto::PickUpAtStation,
    };
    NotificationCardDto {
        card_number: c.number.to_string(),
        says,
    }
}

pub fn card_from_dto(c: &NotificationCardDto) -> Result<NotificationCard, StoreError> {
    let says = match c.says.clone() {
        CardMessageDto::WithNeighbour { name, house_number } => {
            CardMessage::WithNeighbour { name, house_number }
        }
        CardMessageDto::AtParcelShop { shop } => CardMessage::AtParcelShop { shop },
        CardMessageDto::InLocker {
            locker,
            compartment,
        } => CardMessage::InLocker {
            locker,
            compartment,
        },
        CardMessageDto::NextAttempt => CardMessage::NextAttempt,
        CardMessageDto::PickUpAtStation => CardMessage::PickUpAtStation,
    };
    Ok(NotificationCard {
        number: CardNumber::parse(&c.card_number)?,
        says,
    })
}

/// The one-line outcome shown in lists ("Neighbour Bo, no. 7").
pub fn method_summary(m: &DeliveryMethod) -> String {
    match m {
        DeliveryMethod::Recipient { name } if name.is_empty() => "Recipient".into(),
        DeliveryMethod::Recipient { name } => format!("Recipient {name}"),
        DeliveryMethod::Neighbour { name, house_number } => {
            format!("Neighbour {name}, no. {house_number}")
        }
        DeliveryMethod::SafePlace { description } => format!("Safe place: {description}"),
        DeliveryMethod::ParcelShop { shop_id, name } if name.is_empty() => {
            format!("Parcel shop {shop_id}")
        }
        DeliveryMethod::ParcelShop { shop_id, name } => format!("Parcel shop {name} ({shop_id})"),
        DeliveryMethod::Locker {
            locker_id,
            compartment,
            ..
        } => format!("Locker {locker_id}, compartment {compartment}"),
    }
}

pub fn reason_summary(r: FailureReason) -> &'static str {
    match r {
        FailureReason::NobodyHome => "Nobody home",
        FailureReason::Refused => "Refused",
        FailureReason::Damaged => "Damaged",
        FailureReason::AddressNotFound => "Address not found",
        FailureReason::NoAccess => "No access",
        FailureReason::BusinessClosed => "Business closed",
        FailureReason::OutOfTime => "Out of time",
    }
}

pub fn window_to_dto(w: TimeWindow) -> TimeWindowDto {
    TimeWindowDto {
        start: w.start,
        end: w.end,
    }
}
