//! The shift calendar: pure edits ([`edit`]) and the backends that read and
//! write it ([`ics_file`], [`caldav`]).

pub mod caldav;
pub mod edit;
pub mod ics_file;

use serde::{Deserialize, Serialize};

use crate::model::Span;

/// A confirmed coverage, as the calendar must show it: the owner's occurrence
/// released for `span` and an event labelled `label` (e.g. "Angie for
/// Courtney") with the coverer as ATTENDEE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverEdit {
    /// Stable key of this coverage; also the cover event's UID (with
    /// `@domain`), so that applying an edit twice finds its own earlier work.
    pub uid: String,
    pub owner_email: String,
    pub owner_name: String,
    pub coverer_email: String,
    pub coverer_name: String,
    pub span: Span,
    pub label: String,
    /// The organizer written on the cover event (the program's sender).
    pub organizer_email: String,
    pub organizer_name: String,
}

/// One change to the calendar, recorded in the store before it is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditOp {
    /// Release the owner's occurrence and add the cover event.
    Cover(CoverEdit),
    /// Undo a cover: remove the cover event and give the occurrence back.
    Uncover(CoverEdit),
}

impl EditOp {
    pub fn edit(&self) -> &CoverEdit {
        match self {
            EditOp::Cover(e) | EditOp::Uncover(e) => e,
        }
    }
}

/// A calendar backend failed. `transient` errors (a server down, a timeout,
/// a conflict that outlived its retries) are tried again later; others need a
/// person (a file that does not parse, a 403).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CalendarError {
    pub message: String,
    pub transient: bool,
}

impl CalendarError {
    pub fn transient(message: impl Into<String>) -> Self {
        CalendarError {
            message: message.into(),
            transient: true,
        }
    }
    pub fn permanent(message: impl Into<String>) -> Self {
        CalendarError {
            message: message.into(),
            transient: false,
        }
    }
}

/// The configured calendar backend.
pub enum Calendar {
    Ics(ics_file::IcsFile),
    Caldav(Box<caldav::CaldavCalendar>),
}

impl Calendar {
    /// Opens the backend the config names.
    pub async fn open(config: &crate::config::Config) -> Result<Calendar, CalendarError> {
        match &config.calendar {
            crate::config::CalendarBackend::Ics { path } => {
                Ok(Calendar::Ics(ics_file::IcsFile::new(path.clone())))
            }
            crate::config::CalendarBackend::Caldav {
                url,
                username,
                password_file,
            } => {
                let password = match password_file {
                    Some(p) => Some(
                        std::fs::read_to_string(p)
                            .map_err(|e| {
                                CalendarError::permanent(format!(
                                    "calendar.password_file {}: {e}",
                                    p.display()
                                ))
                            })?
                            .trim_end_matches(['\r', '\n'])
                            .to_string(),
                    ),
                    None => None,
                };
                let cal = caldav::CaldavCalendar::connect(url, username.clone(), password).await?;
                Ok(Calendar::Caldav(Box::new(cal)))
            }
        }
    }

    /// Reads the schedule.
    pub async fn schedule(
        &self,
        config: &crate::config::Config,
    ) -> Result<crate::schedule::Schedule, CalendarError> {
        let schedule = match self {
            Calendar::Ics(f) => f.schedule(&config.roster, config.timezone),
            Calendar::Caldav(c) => c.schedule(&config.roster, config.timezone).await,
        }?;
        // An event the schedule cannot expand is left out, not guessed at;
        // the log says which and why, so whoever keeps the calendar can fix it.
        for skipped in schedule.skipped() {
            tracing::warn!("calendar: {skipped}");
        }
        Ok(schedule)
    }

    /// Applies one edit; `Ok(false)` when it was already there.
    pub async fn apply(
        &self,
        op: &EditOp,
        config: &crate::config::Config,
        now: crate::model::Instant,
    ) -> Result<bool, CalendarError> {
        match self {
            Calendar::Ics(f) => f.apply(op, &config.roster, config.timezone, now),
            Calendar::Caldav(c) => c.apply(op, &config.roster, config.timezone, now).await,
        }
    }
}
