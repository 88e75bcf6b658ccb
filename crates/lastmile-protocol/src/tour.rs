//! A planned tour as it travels from the server to a device: the first download is a
//! snapshot ([`TourSnapshot`]); later edits by dispatch arrive as [`ChangeSet`]s by cursor.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The whole tour for one driver and one day, as of change-feed cursor `cursor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TourSnapshot {
    pub tour_id: String,
    pub station: StationDto,
    pub driver_id: String,
    pub date: NaiveDate,
    /// Planned departure from the station.
    pub departure: Option<DateTime<Utc>>,
    /// Stops in planned order (`sequence` ascending).
    pub stops: Vec<StopDto>,
    /// Server-assigned change-feed position this snapshot reflects; pull changes after it.
    pub cursor: u64,
    /// The notification-card stacks the station issued to the driver for this tour.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub card_stacks: Vec<crate::station::CardRange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StationDto {
    pub station_id: String,
    pub name: String,
    pub position: LatLon,
}

/// WGS 84 coordinates in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StopKindDto {
    Delivery,
    Pickup,
    /// Locker or parcel shop.
    ParcelShop,
    /// A visit with a planned duration and no parcels necessarily (e.g. installation).
    Service,
    /// A kind added by a newer server; older apps show it as a plain stop.
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddressDto {
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    /// Recipient or business name shown on the stop card.
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimeWindowDto {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StopDto {
    pub stop_id: String,
    /// Planned position in the tour, 1-based.
    pub sequence: u32,
    pub kind: StopKindDto,
    pub address: AddressDto,
    pub position: LatLon,
    /// Free text for the driver: gate codes, dog, back door, ...
    pub access_notes: Option<String>,
    pub time_window: Option<TimeWindowDto>,
    /// Planned service time at the stop in seconds (sum over its parcels, or the visit length).
    pub service_seconds: u32,
    pub parcels: Vec<ParcelDto>,
    /// The driving route from the previous stop (or the station) to this one, when the
    /// server's router supplied it (OSRM or Valhalla, converted by the server or importer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteLegDto>,
    /// A service stop's checklist (the visit's planned duration is `service_seconds`).
    /// Absent in tours of older servers and for other kinds of stop.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<crate::service::ServiceItemDto>,
}

/// A route leg as the driver follows it: the maneuvers in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RouteLegDto {
    pub distance_m: f64,
    pub duration_s: f64,
    pub maneuvers: Vec<ManeuverDto>,
    /// The leg's path along the roads, as the router drew it (empty when it gave none: then
    /// the map joins the maneuvers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shape: Vec<LatLon>,
}

/// One maneuver of a route leg: what to do at `location`, then how far to drive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManeuverDto {
    /// Where the maneuver happens.
    pub location: LatLon,
    /// What kind of maneuver, in the router's words normalised to snake_case
    /// (`depart`, `turn`, `roundabout`, `arrive`, ...).
    pub kind: String,
    /// Direction detail (`left`, `slight_right`, `straight`, ...), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    /// The street the maneuver leads onto, when named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// The router's own instruction text (in the router's language), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instruction: Option<String>,
    /// At a roundabout: which exit to take (1 = the first), when the router says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<u32>,
    /// Distance to drive after this maneuver until the next one.
    pub distance_m: f64,
    pub duration_s: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DimensionsDto {
    pub depth_cm: f32,
    pub height_cm: f32,
    pub width_cm: f32,
}

/// Handling restrictions that limit how a parcel may be delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParcelFlagsDto {
    #[serde(default)]
    pub no_neighbour: bool,
    #[serde(default)]
    pub signature_required: bool,
    /// Identity / minimum-age check at the door (implies handing over in person).
    #[serde(default)]
    pub id_check: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParcelDto {
    pub tracking_id: String,
    pub time_window: Option<TimeWindowDto>,
    pub dimensions: Option<DimensionsDto>,
    #[serde(default)]
    pub flags: ParcelFlagsDto,
    /// A parcel to be collected (return) rather than delivered.
    #[serde(default)]
    pub is_return: bool,
}

/// One commit of dispatch's edits to a tour, at server cursor `cursor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeSet {
    pub tour_id: String,
    pub cursor: u64,
    pub changes: Vec<TourChange>,
}

/// An edit of plan fields, which dispatch owns. Outcomes are the driver's and never change here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TourChange {
    StopAdded {
        stop: StopDto,
    },
    StopRemoved {
        stop_id: String,
    },
    /// The full new order of the remaining stops.
    Resequenced {
        stop_ids: Vec<String>,
    },
    AddressCorrected {
        stop_id: String,
        address: AddressDto,
        position: Option<LatLon>,
    },
    AccessNotesChanged {
        stop_id: String,
        access_notes: Option<String>,
    },
    /// The driving route to a stop (from the previous stop or the station) was replaced by a
    /// new leg from the server's router, or dropped (`None`). Other stops keep theirs.
    RouteChanged {
        stop_id: String,
        route: Option<RouteLegDto>,
    },
    // --- Station tablet (issue 12).
    /// A parcel stays at the station (not loaded); the stop keeps its other parcels (a stop
    /// left without parcels comes as [`TourChange::StopRemoved`] in the same set).
    ParcelRemoved {
        stop_id: String,
        tracking_id: String,
    },
    /// The tour was held (a safety defect at the inspection) or released (`None`).
    HoldChanged {
        hold: Option<crate::station::HoldView>,
    },
    /// The station handed the driver a stack of notification cards.
    CardStackIssued {
        range: crate::station::CardRange,
    },
    /// A change type added by a newer server. A device that reads one refuses the whole change
    /// set (and keeps its cursor) rather than apply part of dispatch's edit.
    #[serde(other)]
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leg() -> RouteLegDto {
        RouteLegDto {
            distance_m: 120.5,
            duration_s: 30.0,
            maneuvers: vec![ManeuverDto {
                location: LatLon {
                    lat: 53.490863,
                    lon: -2.285128,
                },
                kind: "arrive".into(),
                modifier: Some("right".into()),
                street: None,
                instruction: None,
                exit: None,
                distance_m: 0.0,
                duration_s: 0.0,
            }],
            shape: vec![],
        }
    }

    #[test]
    fn a_route_change_travels_with_its_tag_and_a_dropped_route_as_null() {
        let set = ChangeSet {
            tour_id: "T1".into(),
            cursor: 4,
            changes: vec![
                TourChange::RouteChanged {
                    stop_id: "A".into(),
                    route: Some(leg()),
                },
                TourChange::RouteChanged {
                    stop_id: "B".into(),
                    route: None,
                },
            ],
        };
        let json = serde_json::to_value(&set).unwrap();
        assert_eq!(json["changes"][0]["type"], "route_changed");
        assert_eq!(
            json["changes"][0]["route"]["maneuvers"][0]["kind"],
            "arrive"
        );
        assert_eq!(
            json["changes"][1],
            serde_json::json!({ "type": "route_changed", "stop_id": "B", "route": null })
        );
        let back: ChangeSet = serde_json::from_value(json).unwrap();
        assert_eq!(back, set);
    }

    #[test]
    fn a_change_type_this_build_does_not_know_reads_as_unknown() {
        let change: TourChange =
            serde_json::from_str(r#"{"type": "drone_landing_zone_set", "stop_id": "A"}"#).unwrap();
        assert_eq!(change, TourChange::Unknown);
    }
}
