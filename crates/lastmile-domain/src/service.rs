//! The rules of a service visit (issue 14): a scheduled job at a customer's home with a
//! planned duration and a checklist. The driver starts the visit, answers every checklist
//! item (done or not done, with an optional note), and finishes it with the customer's name
//! and sign-off signature; an optional photo may go with it.

/// Longest note on an item, and longest customer name, in characters.
pub const MAX_TEXT_CHARS: usize = 500;

/// Where a visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitState {
    Planned,
    Started,
    Finished,
}

/// One item as the driver answered it (`done: None` = not answered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub item_id: String,
    pub done: Option<bool>,
    pub note: Option<String>,
}

/// The finish as the driver entered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finish<'a> {
    /// The planned checklist's item ids, in order.
    pub checklist: &'a [String],
    pub answers: &'a [Answer],
    pub customer_name: &'a str,
    pub has_signature: bool,
}

/// One item as the finish records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemResult {
    pub item_id: String,
    pub done: bool,
    pub note: Option<String>,
}

/// Why a service action is refused; nothing is recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceRefusal {
    #[error("stop {0} is not a service stop")]
    NotAServiceStop(String),
    #[error("the visit was already started")]
    AlreadyStarted,
    #[error("start the visit first")]
    NotStarted,
    #[error("the visit is already finished")]
    AlreadyFinished,
    #[error("checklist item {0} is not answered (done or not done)")]
    ItemUnanswered(String),
    #[error("the checklist has no item {0}")]
    UnknownItem(String),
    #[error("checklist item {0} is answered twice")]
    ItemTwice(String),
    #[error("the customer's name is missing")]
    NameMissing,
    #[error("the customer's signature is missing")]
    SignatureMissing,
    #[error("a text is longer than {MAX_TEXT_CHARS} characters")]
    TextTooLong,
}

impl ServiceRefusal {
    /// The stable code the screens translate.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotAServiceStop(_) => "service.not_a_service_stop",
            Self::AlreadyStarted => "service.already_started",
            Self::NotStarted => "service.not_started",
            Self::AlreadyFinished => "service.already_finished",
            Self::ItemUnanswered(_) => "service.item_unanswered",
            Self::UnknownItem(_) => "service.unknown_item",
            Self::ItemTwice(_) => "service.item_twice",
            Self::NameMissing => "service.name_missing",
            Self::SignatureMissing => "service.signature_missing",
            Self::TextTooLong => "service.text_too_long",
        }
    }
}

/// May the visit start now?
pub fn check_start(state: VisitState) -> Result<(), ServiceRefusal> {
    match state {
        VisitState::Planned => Ok(()),
        VisitState::Started => Err(ServiceRefusal::AlreadyStarted),
        VisitState::Finished => Err(ServiceRefusal::AlreadyFinished),
    }
}

/// Checks a finish and returns the items in checklist order, notes trimmed (blank = none).
pub fn check_finish(state: VisitState, f: &Finish<'_>) -> Result<Vec<ItemResult>, ServiceRefusal> {
    match state {
        VisitState::Planned => return Err(ServiceRefusal::NotStarted),
        VisitState::Finished => return Err(ServiceRefusal::AlreadyFinished),
        VisitState::Started => {}
    }
    for (i, a) in f.answers.iter().enumerate() {
        if !f.checklist.contains(&a.item_id) {
            return Err(ServiceRefusal::UnknownItem(a.item_id.clone()));
        }
        if f.answers[..i].iter().any(|b| b.item_id == a.item_id) {
            return Err(ServiceRefusal::ItemTwice(a.item_id.clone()));
        }
    }
    let mut items = Vec::with_capacity(f.checklist.len());
    for id in f.checklist {
        let answer = f.answers.iter().find(|a| &a.item_id == id);
        let Some(done) = answer.and_then(|a| a.done) else {
            return Err(ServiceRefusal::ItemUnanswered(id.clone()));
        };
        let note = answer
            .and_then(|a| a.note.as_deref())
            .map(str::trim)
            .filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > MAX_TEXT_CHARS) {
            return Err(ServiceRefusal::TextTooLong);
        }
        items.push(ItemResult {
            item_id: id.clone(),
            done,
            note: note.map(str::to_owned),
        });
    }
    let name = f.customer_name.trim();
    if name.is_empty() {
        return Err(ServiceRefusal::NameMissing);
    }
    if name.chars().count() > MAX_TEXT_CHARS {
        return Err(ServiceRefusal::TextTooLong);
    }
    if !f.has_signature {
        return Err(ServiceRefusal::SignatureMissing);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> Vec<String> {
        vec!["mount".into(), "connect".into(), "explain".into()]
    }

    fn answer(id: &str, done: Option<bool>, note: Option<&str>) -> Answer {
        Answer {
            item_id: id.into(),
            done,
            note: note.map(str::to_owned),
        }
    }

    fn all_answered() -> Vec<Answer> {
        vec![
            answer("explain", Some(true), Some("  ")),
            answer("mount", Some(true), None),
            answer("connect", Some(false), Some(" no socket near the sink ")),
        ]
    }

    fn finish<'a>(checklist: &'a [String], answers: &'a [Answer]) -> Finish<'a> {
        Finish {
            checklist,
            answers,
            customer_name: " Ada Weber ",
            has_signature: true,
        }
    }

    #[test]
    fn a_visit_starts_once_and_only_before_it_is_finished() {
        assert_eq!(check_start(VisitState::Planned), Ok(()));
        assert_eq!(
            check_start(VisitState::Started),
            Err(ServiceRefusal::AlreadyStarted)
        );
        assert_eq!(
            check_start(VisitState::Finished),
            Err(ServiceRefusal::AlreadyFinished)
        );
    }

    #[test]
    fn a_full_finish_gives_every_item_in_checklist_order_with_trimmed_notes() {
        let (c, a) = (list(), all_answered());
        let items = check_finish(VisitState::Started, &finish(&c, &a)).unwrap();
        let ids: Vec<_> = items.iter().map(|i| i.item_id.as_str()).collect();
        assert_eq!(ids, ["mount", "connect", "explain"]);
        assert!(items[0].done && !items[1].done && items[2].done);
        assert_eq!(items[1].note.as_deref(), Some("no socket near the sink"));
        assert_eq!(items[2].note, None, "a blank note is no note");
    }

    #[test]
    fn a_finish_is_refused_before_the_start_and_after_the_finish() {
        let (c, a) = (list(), all_answered());
        assert_eq!(
            check_finish(VisitState::Planned, &finish(&c, &a)),
            Err(ServiceRefusal::NotStarted)
        );
        assert_eq!(
            check_finish(VisitState::Finished, &finish(&c, &a)),
            Err(ServiceRefusal::AlreadyFinished)
        );
    }

    #[test]
    fn every_item_must_be_answered_and_known_and_answered_once() {
        let c = list();
        let missing = vec![
            answer("mount", Some(true), None),
            answer("connect", None, None),
        ];
        assert_eq!(
            check_finish(VisitState::Started, &finish(&c, &missing)),
            Err(ServiceRefusal::ItemUnanswered("connect".into()))
        );
        let mut unknown = all_answered();
        unknown.push(answer("paint", Some(true), None));
        assert_eq!(
            check_finish(VisitState::Started, &finish(&c, &unknown)),
            Err(ServiceRefusal::UnknownItem("paint".into()))
        );
        let mut twice = all_answered();
        twice.push(answer("mount", Some(false), None));
        assert_eq!(
            check_finish(VisitState::Started, &finish(&c, &twice)),
            Err(ServiceRefusal::ItemTwice("mount".into()))
        );
    }

    #[test]
    fn the_sign_off_needs_the_customers_name_and_signature() {
        let (c, a) = (list(), all_answered());
        let mut f = finish(&c, &a);
        f.customer_name = "   ";
        assert_eq!(
            check_finish(VisitState::Started, &f),
            Err(ServiceRefusal::NameMissing)
        );
        let mut f = finish(&c, &a);
        f.has_signature = false;
        assert_eq!(
            check_finish(VisitState::Started, &f),
            Err(ServiceRefusal::SignatureMissing)
        );
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        let mut f = finish(&c, &a);
        f.customer_name = &long;
        assert_eq!(
            check_finish(VisitState::Started, &f),
            Err(ServiceRefusal::TextTooLong)
        );
    }

    #[test]
    fn an_empty_checklist_still_needs_the_sign_off() {
        let items = check_finish(VisitState::Started, &finish(&[], &[])).unwrap();
        assert!(items.is_empty());
    }
}
