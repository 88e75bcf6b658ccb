//! What happened to a parcel at the door, and the rules that decide what the driver may record:
//! which delivery methods a parcel's flags allow, what proof each needs, when a notification
//! card is required, and how outcomes follow each other (a failed attempt may be retried
//! later in the tour; a delivered parcel stays delivered).

use crate::cards::{CardError, CardNumber};
use crate::model::Parcel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MethodKind {
    Recipient,
    Neighbour,
    SafePlace,
    /// A staffed parcel shop (a kiosk, a petrol station) keeps it for the recipient.
    ParcelShop,
    /// A compartment of a parcel locker; the recipient opens it with a pick-up code.
    Locker,
}

impl MethodKind {
    pub const ALL: [MethodKind; 5] = [
        Self::Recipient,
        Self::Neighbour,
        Self::SafePlace,
        Self::ParcelShop,
        Self::Locker,
    ];
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryMethod {
    Recipient {
        name: String,
    },
    Neighbour {
        name: String,
        house_number: String,
    },
    SafePlace {
        description: String,
    },
    /// `shop_id`: the shop's id in the carrier's network (what the recipient's card names);
    /// `name`: what the shop is called on the street, if the driver typed it.
    ParcelShop {
        shop_id: String,
        name: String,
    },
    /// `pickup_code`: the code the locker showed when the compartment was closed, if any (it
    /// goes to the recipient through the server, never on the paper card).
    Locker {
        locker_id: String,
        compartment: String,
        pickup_code: Option<String>,
    },
}

impl DeliveryMethod {
    pub fn kind(&self) -> MethodKind {
        match self {
            Self::Recipient { .. } => MethodKind::Recipient,
            Self::Neighbour { .. } => MethodKind::Neighbour,
            Self::SafePlace { .. } => MethodKind::SafePlace,
            Self::ParcelShop { .. } => MethodKind::ParcelShop,
            Self::Locker { .. } => MethodKind::Locker,
        }
    }
}

/// Proof captured with an outcome (the files themselves live in the store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Evidence {
    pub photos: u32,
    pub signature: bool,
    /// The driver confirmed the recipient's identity / age on the screen.
    pub id_checked: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureReason {
    NobodyHome,
    Refused,
    Damaged,
    AddressNotFound,
    NoAccess,
    BusinessClosed,
    OutOfTime,
}

impl FailureReason {
    /// The recipient must be told where the parcel is: a card goes into the mailbox.
    pub fn needs_card(self) -> bool {
        matches!(self, Self::NobodyHome | Self::BusinessClosed)
    }
}

/// What the card in the mailbox tells the recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardMessage {
    WithNeighbour { name: String, house_number: String },
    AtParcelShop { shop: String },
    InLocker { locker: String, compartment: String },
    NextAttempt,
    PickUpAtStation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationCard {
    pub number: CardNumber,
    pub says: CardMessage,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered {
        method: DeliveryMethod,
        card: Option<NotificationCard>,
    },
    Failed {
        reason: FailureReason,
        card: Option<NotificationCard>,
    },
    /// A return collected at the stop.
    PickedUp,
}

/// Where a parcel stands after all its (not undone) outcomes, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParcelState {
    Pending,
    Delivered,
    /// At least one failed attempt and no delivery yet: goes back to the station unless retried.
    Failed,
    PickedUp,
}

impl ParcelState {
    /// The state after `outcome`, or why it cannot follow the current one.
    pub fn then(self, outcome: &Outcome) -> Result<ParcelState, RuleViolation> {
        match self {
            Self::Delivered => Err(RuleViolation::AlreadyDelivered),
            Self::PickedUp => Err(RuleViolation::AlreadyPickedUp),
            Self::Pending | Self::Failed => Ok(match outcome {
                Outcome::Delivered { .. } => Self::Delivered,
                Outcome::Failed { .. } => Self::Failed,
                Outcome::PickedUp => Self::PickedUp,
            }),
        }
    }

    /// Folds outcomes from `Pending`, skipping any that break the order (a replay never fails).
    pub fn replay<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> ParcelState {
        outcomes
            .into_iter()
            .fold(Self::Pending, |state, o| state.then(o).unwrap_or(state))
    }

    /// Whether the parcel still needs the driver's attention at its stop.
    pub fn is_open(self) -> bool {
        self == Self::Pending
    }
}

/// Why an action is refused. The driver (or the UI offering the action) is at fault; the
/// message says what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleViolation {
    #[error("parcel {tracking_id} belongs to stop {belongs_to}, not to this stop")]
    WrongStop {
        tracking_id: String,
        belongs_to: String,
    },
    #[error("parcel {0} is not on this tour")]
    UnknownParcel(String),
    #[error("stop {0} is not on this tour")]
    UnknownStop(String),
    #[error("this parcel may not be delivered {method:?}: {why}")]
    MethodNotAllowed {
        method: MethodKind,
        why: &'static str,
    },
    #[error("enter the name of the person who took the parcel")]
    NameMissing,
    #[error("enter the neighbour's house number")]
    HouseNumberMissing,
    #[error("this parcel needs the recipient's signature")]
    SignatureRequired,
    #[error("this parcel needs an ID / age check; confirm it before handing over")]
    IdCheckRequired,
    #[error("enter the parcel shop's id")]
    ShopMissing,
    #[error("enter the locker's id and the compartment")]
    LockerMissing,
    #[error("a safe-place delivery needs a photo of where the parcel was left")]
    PhotoRequired,
    #[error("leave a notification card for reason {0:?}")]
    CardRequired(FailureReason),
    #[error("the card must say what happened: {0}")]
    CardContradicts(&'static str),
    #[error("this is a return: record it as picked up, not delivered")]
    IsReturn,
    #[error("parcel {0} is not a return")]
    NotAReturn(String),
    #[error("this parcel is already delivered; add a correction instead")]
    AlreadyDelivered,
    #[error("this return is already picked up")]
    AlreadyPickedUp,
    #[error(transparent)]
    Card(#[from] CardError),
    #[error("the undo window has passed; add a correction instead")]
    UndoWindowPassed,
    #[error("only the latest outcome of a parcel can be undone, once")]
    NotUndoable,
    #[error("only a parcel's latest delivery or failed attempt can be corrected")]
    NotCorrectable,
    #[error("say why the outcome is corrected")]
    CorrectionReasonMissing,
}

/// The delivery methods a parcel's flags allow, in the order the UI offers them.
pub fn allowed_methods(parcel: &Parcel) -> Vec<MethodKind> {
    MethodKind::ALL
        .into_iter()
        .filter(|m| method_refusal(parcel, *m).is_none())
        .collect()
}

fn method_refusal(parcel: &Parcel, method: MethodKind) -> Option<&'static str> {
    let f = parcel.flags;
    match method {
        MethodKind::Recipient => None,
        MethodKind::Neighbour if f.no_neighbour => Some("the sender excluded neighbours"),
        MethodKind::Neighbour if f.id_check => Some("ID / age check: recipient in person only"),
        MethodKind::SafePlace if f.id_check => Some("ID / age check: recipient in person only"),
        MethodKind::SafePlace if f.signature_required => Some("a signature is required"),
        MethodKind::ParcelShop if f.id_check => Some("ID / age check: recipient in person only"),
        MethodKind::Locker if f.id_check => Some("ID / age check: recipient in person only"),
        MethodKind::Locker if f.signature_required => Some("a signature is required"),
        _ => None,
    }
}

/// Whether a typed name or house number says nothing: empty, only white space, or only
/// invisible characters (control characters, zero-width spaces and joiners, byte-order mark)
/// that a keyboard or a paste can leave behind.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
    })
}

/// Checks a delivery before it is recorded.
pub fn check_delivery(
    parcel: &Parcel,
    method: &DeliveryMethod,
    card: Option<&NotificationCard>,
    evidence: Evidence,
) -> Result<(), RuleViolation> {
    if parcel.is_return {
        return Err(RuleViolation::IsReturn);
    }
    if let Some(why) = method_refusal(parcel, method.kind()) {
        return Err(RuleViolation::MethodNotAllowed {
            method: method.kind(),
            why,
        });
    }
    says_where(method)?;
    match method {
        // Proof of delivery names who took the parcel, whatever the parcel's flags.
        DeliveryMethod::Recipient { .. } | DeliveryMethod::Neighbour { .. } => {
            if parcel.flags.signature_required && !evidence.signature {
                return Err(RuleViolation::SignatureRequired);
            }
            if method.kind() == MethodKind::Recipient
                && parcel.flags.id_check
                && !evidence.id_checked
            {
                return Err(RuleViolation::IdCheckRequired);
            }
        }
        DeliveryMethod::SafePlace { .. } => {
            if evidence.photos == 0 {
                return Err(RuleViolation::PhotoRequired);
            }
        }
        DeliveryMethod::ParcelShop { .. } | DeliveryMethod::Locker { .. } => {}
    }
    if let Some(card) = card {
        // The card tells the recipient where to go: a neighbour card must name the door.
        match &card.says {
            CardMessage::WithNeighbour { name, house_number } => {
                if is_blank(name) {
                    return Err(RuleViolation::NameMissing);
                }
                if is_blank(house_number) {
                    return Err(RuleViolation::HouseNumberMissing);
                }
            }
            CardMessage::AtParcelShop { shop } if is_blank(shop) => {
                return Err(RuleViolation::ShopMissing);
            }
            CardMessage::InLocker {
                locker,
                compartment,
            } if is_blank(locker) || is_blank(compartment) => {
                return Err(RuleViolation::LockerMissing);
            }
            _ => {}
        }
        let fits = matches!(
            (method, &card.says),
            (
                DeliveryMethod::Neighbour { .. },
                CardMessage::WithNeighbour { .. }
            ) | (
                DeliveryMethod::ParcelShop { .. },
                CardMessage::AtParcelShop { .. }
            ) | (DeliveryMethod::Locker { .. }, CardMessage::InLocker { .. })
                | (DeliveryMethod::SafePlace { .. }, CardMessage::NextAttempt)
        );
        if !fits {
            return Err(RuleViolation::CardContradicts(
                "a delivered parcel's card names where it is",
            ));
        }
    }
    Ok(())
}

/// Checks that a delivery names who or what took the parcel: a person's name (and a
/// neighbour's door), a shop's id, or a locker and its compartment.
fn says_where(method: &DeliveryMethod) -> Result<(), RuleViolation> {
    match method {
        DeliveryMethod::Recipient { name } | DeliveryMethod::Neighbour { name, .. }
            if is_blank(name) =>
        {
            Err(RuleViolation::NameMissing)
        }
        DeliveryMethod::Neighbour { house_number, .. } if is_blank(house_number) => {
            Err(RuleViolation::HouseNumberMissing)
        }
        DeliveryMethod::ParcelShop { shop_id, .. } if is_blank(shop_id) => {
            Err(RuleViolation::ShopMissing)
        }
        DeliveryMethod::Locker {
            locker_id,
            compartment,
            ..
        } if is_blank(locker_id) || is_blank(compartment) => Err(RuleViolation::LockerMissing),
        _ => Ok(()),
    }
}

/// Checks a failed attempt before it is recorded.
pub fn check_failure(
    parcel: &Parcel,
    reason: FailureReason,
    card: Option<&NotificationCard>,
) -> Result<(), RuleViolation> {
    if parcel.is_return {
        return Err(RuleViolation::IsReturn);
    }
    match card {
        None if reason.needs_card() => Err(RuleViolation::CardRequired(reason)),
        Some(NotificationCard {
            says: CardMessage::WithNeighbour { .. },
            ..
        }) => Err(RuleViolation::CardContradicts(
            "left with a neighbour is a delivery: record it as one",
        )),
        Some(NotificationCard {
            says: CardMessage::InLocker { .. },
            ..
        }) => Err(RuleViolation::CardContradicts(
            "put in a locker is a delivery: record it as one",
        )),
        _ => Ok(()),
    }
}

/// Checks what a correction says the outcome of `parcel` is instead, after the fact: the
/// method must be one the parcel allows and name who took it (a signature or a photo cannot
/// be taken afterwards, so none is asked for; the original event keeps the proof there was).
pub fn check_correction(parcel: &Parcel, to: &Outcome) -> Result<(), RuleViolation> {
    if parcel.is_return {
        return Err(RuleViolation::NotCorrectable);
    }
    match to {
        Outcome::Delivered { method, .. } => {
            if let Some(why) = method_refusal(parcel, method.kind()) {
                return Err(RuleViolation::MethodNotAllowed {
                    method: method.kind(),
                    why,
                });
            }
            says_where(method)
        }
        Outcome::Failed { .. } => Ok(()),
        Outcome::PickedUp => Err(RuleViolation::NotCorrectable),
    }
}

/// Checks that a scanned return belongs to the stop's returns.
pub fn check_pickup(parcel: &Parcel) -> Result<(), RuleViolation> {
    if parcel.is_return {
        Ok(())
    } else {
        Err(RuleViolation::NotAReturn(parcel.tracking_id.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ParcelFlags;

    fn parcel(flags: ParcelFlags) -> Parcel {
        Parcel {
            tracking_id: "P1".into(),
            time_window: None,
            dimensions: None,
            flags,
            is_return: false,
        }
    }

    fn card(says: CardMessage) -> NotificationCard {
        NotificationCard {
            number: CardNumber::parse("DE000001").unwrap(),
            says,
        }
    }

    fn methods(flags: ParcelFlags) -> String {
        format!("{:?}", allowed_methods(&parcel(flags)))
    }

    #[test]
    fn flags_narrow_the_methods_offered() {
        let none = ParcelFlags::default();
        expect_test::expect!["[Recipient, Neighbour, SafePlace, ParcelShop, Locker]"]
            .assert_eq(&methods(none));
        expect_test::expect!["[Recipient, SafePlace, ParcelShop, Locker]"].assert_eq(&methods(
            ParcelFlags {
                no_neighbour: true,
                ..none
            },
        ));
        expect_test::expect!["[Recipient, Neighbour, ParcelShop]"].assert_eq(&methods(
            ParcelFlags {
                signature_required: true,
                ..none
            },
        ));
        expect_test::expect!["[Recipient]"].assert_eq(&methods(ParcelFlags {
            id_check: true,
            ..none
        }));
    }

    #[test]
    fn deliveries_need_the_right_proof() {
        let signed = parcel(ParcelFlags {
            signature_required: true,
            ..Default::default()
        });
        let to = |name: &str| DeliveryMethod::Recipient { name: name.into() };
        assert_eq!(
            check_delivery(&signed, &to("Ana"), None, Evidence::default()),
            Err(RuleViolation::SignatureRequired)
        );
        let with_signature = Evidence {
            signature: true,
            ..Default::default()
        };
        assert_eq!(
            check_delivery(&signed, &to("Ana"), None, with_signature),
            Ok(())
        );
        assert_eq!(
            check_delivery(&signed, &to(" "), None, with_signature),
            Err(RuleViolation::NameMissing)
        );

        let aged = parcel(ParcelFlags {
            id_check: true,
            ..Default::default()
        });
        assert_eq!(
            check_delivery(&aged, &to("Ana"), None, Evidence::default()),
            Err(RuleViolation::IdCheckRequired)
        );
        let neighbour = DeliveryMethod::Neighbour {
            name: "Bo".into(),
            house_number: "7".into(),
        };
        assert!(matches!(
            check_delivery(&aged, &neighbour, None, Evidence::default()),
            Err(RuleViolation::MethodNotAllowed {
                method: MethodKind::Neighbour,
                ..
            })
        ));

        let plain = parcel(ParcelFlags::default());
        let safe = DeliveryMethod::SafePlace {
            description: "garage".into(),
        };
        assert_eq!(
            check_delivery(&plain, &safe, None, Evidence::default()),
            Err(RuleViolation::PhotoRequired)
        );
        assert_eq!(
            check_delivery(
                &plain,
                &safe,
                None,
                Evidence {
                    photos: 1,
                    ..Default::default()
                }
            ),
            Ok(())
        );
        let missing_house = DeliveryMethod::Neighbour {
            name: "Bo".into(),
            house_number: "".into(),
        };
        assert_eq!(
            check_delivery(&plain, &missing_house, None, Evidence::default()),
            Err(RuleViolation::HouseNumberMissing)
        );
    }

    #[test]
    fn a_locker_needs_its_id_and_compartment_and_its_card_names_both() {
        let plain = parcel(ParcelFlags::default());
        let locker = |id: &str, compartment: &str| DeliveryMethod::Locker {
            locker_id: id.into(),
            compartment: compartment.into(),
            pickup_code: None,
        };
        let none = Evidence::default();
        assert_eq!(
            check_delivery(&plain, &locker("L-17", "B4"), None, none),
            Ok(())
        );
        for (id, compartment) in [("", "B4"), ("L-17", " "), ("\u{200B}", "B4")] {
            assert_eq!(
                check_delivery(&plain, &locker(id, compartment), None, none),
                Err(RuleViolation::LockerMissing),
                "{id:?} {compartment:?}"
            );
        }
        let in_locker = |l: &str, c: &str| {
            card(CardMessage::InLocker {
                locker: l.into(),
                compartment: c.into(),
            })
        };
        let ok = in_locker("L-17", "B4");
        assert_eq!(
            check_delivery(&plain, &locker("L-17", "B4"), Some(&ok), none),
            Ok(())
        );
        assert_eq!(
            check_delivery(
                &plain,
                &locker("L-17", "B4"),
                Some(&in_locker("L-17", "")),
                none
            ),
            Err(RuleViolation::LockerMissing)
        );
        // A shop card on a locker delivery sends the recipient to the wrong place.
        let shop_card = card(CardMessage::AtParcelShop { shop: "S1".into() });
        assert!(matches!(
            check_delivery(&plain, &locker("L-17", "B4"), Some(&shop_card), none),
            Err(RuleViolation::CardContradicts(_))
        ));
        // A locker cannot sign or check an ID.
        for flags in [
            ParcelFlags {
                signature_required: true,
                ..Default::default()
            },
            ParcelFlags {
                id_check: true,
                ..Default::default()
            },
        ] {
            assert!(matches!(
                check_delivery(&parcel(flags), &locker("L-17", "B4"), None, none),
                Err(RuleViolation::MethodNotAllowed {
                    method: MethodKind::Locker,
                    ..
                })
            ));
        }
        // A failed attempt's card cannot say the parcel is in a locker.
        assert!(matches!(
            check_failure(&plain, FailureReason::NobodyHome, Some(&ok)),
            Err(RuleViolation::CardContradicts(_))
        ));
        let shop = |id: &str| DeliveryMethod::ParcelShop {
            shop_id: id.into(),
            name: "Kiosk am Markt".into(),
        };
        assert_eq!(
            check_delivery(&plain, &shop(" "), None, none),
            Err(RuleViolation::ShopMissing)
        );
        assert_eq!(
            check_correction(
                &plain,
                &Outcome::Delivered {
                    method: locker("", "B4"),
                    card: None
                }
            ),
            Err(RuleViolation::LockerMissing)
        );
    }

    #[test]
    fn a_delivery_without_the_takers_name_is_refused_whatever_the_flags() {
        let evidence = Evidence {
            photos: 1,
            signature: true,
            id_checked: true,
        };
        let blanks = ["", " ", "\t\n", "\u{00A0}\u{3000}", "\u{200B}", "\u{FEFF} "];
        for flags in [
            ParcelFlags::default(),
            ParcelFlags {
                no_neighbour: true,
                ..Default::default()
            },
            ParcelFlags {
                signature_required: true,
                ..Default::default()
            },
            ParcelFlags {
                id_check: true,
                ..Default::default()
            },
        ] {
            let p = parcel(flags);
            for blank in blanks {
                let to = DeliveryMethod::Recipient { name: blank.into() };
                assert_eq!(
                    check_delivery(&p, &to, None, evidence),
                    Err(RuleViolation::NameMissing),
                    "recipient {blank:?} with {flags:?}"
                );
            }
            let to = DeliveryMethod::Recipient {
                name: " Ana ".into(),
            };
            assert_eq!(check_delivery(&p, &to, None, evidence), Ok(()), "{flags:?}");
        }

        let plain = parcel(ParcelFlags::default());
        for blank in blanks {
            let no_name = DeliveryMethod::Neighbour {
                name: blank.into(),
                house_number: "7".into(),
            };
            assert_eq!(
                check_delivery(&plain, &no_name, None, evidence),
                Err(RuleViolation::NameMissing),
                "neighbour name {blank:?}"
            );
            let no_house = DeliveryMethod::Neighbour {
                name: "Bo".into(),
                house_number: blank.into(),
            };
            assert_eq!(
                check_delivery(&plain, &no_house, None, evidence),
                Err(RuleViolation::HouseNumberMissing),
                "neighbour house number {blank:?}"
            );
            // the card in the mailbox must name the neighbour's door, too
            let neighbour = DeliveryMethod::Neighbour {
                name: "Bo".into(),
                house_number: "7".into(),
            };
            let blank_card = card(CardMessage::WithNeighbour {
                name: "Bo".into(),
                house_number: blank.into(),
            });
            assert_eq!(
                check_delivery(&plain, &neighbour, Some(&blank_card), evidence),
                Err(RuleViolation::HouseNumberMissing),
                "card house number {blank:?}"
            );
            let blank_card = card(CardMessage::WithNeighbour {
                name: blank.into(),
                house_number: "7".into(),
            });
            assert_eq!(
                check_delivery(&plain, &neighbour, Some(&blank_card), evidence),
                Err(RuleViolation::NameMissing),
                "card name {blank:?}"
            );
        }
        assert!(!is_blank("7a"));
        assert!(!is_blank("Zoë"));
        assert_eq!(
            RuleViolation::NameMissing.to_string(),
            "enter the name of the person who took the parcel"
        );
    }

    #[test]
    fn cards_must_match_what_happened() {
        let plain = parcel(ParcelFlags::default());
        assert_eq!(
            check_failure(&plain, FailureReason::NobodyHome, None),
            Err(RuleViolation::CardRequired(FailureReason::NobodyHome))
        );
        assert_eq!(check_failure(&plain, FailureReason::Damaged, None), Ok(()));
        assert_eq!(
            check_failure(
                &plain,
                FailureReason::NobodyHome,
                Some(&card(CardMessage::NextAttempt))
            ),
            Ok(())
        );
        let neighbour_card = card(CardMessage::WithNeighbour {
            name: "Bo".into(),
            house_number: "7".into(),
        });
        assert!(matches!(
            check_failure(&plain, FailureReason::NobodyHome, Some(&neighbour_card)),
            Err(RuleViolation::CardContradicts(_))
        ));
        let neighbour = DeliveryMethod::Neighbour {
            name: "Bo".into(),
            house_number: "7".into(),
        };
        assert_eq!(
            check_delivery(
                &plain,
                &neighbour,
                Some(&neighbour_card),
                Evidence::default()
            ),
            Ok(())
        );
        assert!(matches!(
            check_delivery(
                &plain,
                &neighbour,
                Some(&card(CardMessage::PickUpAtStation)),
                Evidence::default()
            ),
            Err(RuleViolation::CardContradicts(_))
        ));
    }

    #[test]
    fn returns_are_picked_up_not_delivered() {
        let mut ret = parcel(ParcelFlags::default());
        ret.is_return = true;
        let to = DeliveryMethod::Recipient { name: "Ana".into() };
        assert_eq!(
            check_delivery(&ret, &to, None, Evidence::default()),
            Err(RuleViolation::IsReturn)
        );
        assert_eq!(check_pickup(&ret), Ok(()));
        assert_eq!(
            check_pickup(&parcel(ParcelFlags::default())),
            Err(RuleViolation::NotAReturn("P1".into()))
        );
    }

    #[test]
    fn a_failed_parcel_can_be_retried_but_a_delivered_one_stays_delivered() {
        let failed = Outcome::Failed {
            reason: FailureReason::Refused,
            card: None,
        };
        let delivered = Outcome::Delivered {
            method: DeliveryMethod::ParcelShop {
                shop_id: "S1".into(),
                name: String::new(),
            },
            card: None,
        };
        assert_eq!(ParcelState::Pending.then(&failed), Ok(ParcelState::Failed));
        assert_eq!(
            ParcelState::Failed.then(&delivered),
            Ok(ParcelState::Delivered)
        );
        assert_eq!(
            ParcelState::Delivered.then(&failed),
            Err(RuleViolation::AlreadyDelivered)
        );
        assert_eq!(
            ParcelState::replay([&failed, &delivered, &failed]),
            ParcelState::Delivered
        );
    }
}
