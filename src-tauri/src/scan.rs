//! What a scanned or typed number means at the stop on screen: a parcel of this stop, a
//! parcel of another stop (refused, naming it), or a valid carrier number the tour does not
//! know. Check digits are the scan crate's; which stop a parcel belongs to is the store's.

use lastmile_protocol::ui::ScanUi;
use lastmile_scan::{Entry, classify_entry};
use lastmile_store::Store;

use crate::error::CommandError;

pub fn classify(store: &Store, stop_id: &str, input: &str) -> Result<ScanUi, CommandError> {
    let entry = classify_entry(input, |candidate| {
        matches!(store.parcel(candidate), Ok(Some(_)))
    })?;
    let tracking_id = match entry {
        Entry::TourParcel(id) => id,
        Entry::Carrier(number) => {
            return Ok(ScanUi::NotOnTour {
                tracking_id: number.normalized,
                courier: number.courier.to_owned(),
            });
        }
    };
    let parcel = store
        .parcel(&tracking_id)?
        .ok_or_else(|| CommandError::Input(format!("{tracking_id} left the tour")))?;
    if parcel.stop_id == stop_id {
        return Ok(ScanUi::ThisStop { tracking_id });
    }
    let other = store
        .stop_detail(&parcel.stop_id)?
        .ok_or_else(|| CommandError::Input(format!("stop {} left the tour", parcel.stop_id)))?;
    Ok(ScanUi::OtherStop {
        tracking_id,
        stop_id: other.stop.stop_id.clone(),
        sequence: other.stop.sequence,
        address: other.stop.address.one_line(),
    })
}
