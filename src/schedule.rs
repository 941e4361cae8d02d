//! Who works when: the calendar expanded and each event mapped to a staff
//! member (by an ATTENDEE on the roster, else by a SUMMARY equal to a name,
//! alias, first name or initials).
//!
//! OWNER: ical helper.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::config::Roster;
use crate::ical::Component;
use crate::model::Span;

/// One shift occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Roster email of the person who works it; None when no one matched.
    pub owner: Option<String>,
    pub span: Span,
    pub uid: String,
    pub summary: String,
}

/// The expanded shift calendar, asked by person and day.
#[derive(Debug, Clone)]
pub struct Schedule {
    // private fields are the ical helper's choice
    _private: (),
}

impl Schedule {
    /// Builds a schedule from a parsed VCALENDAR.
    pub fn new(_calendar: Component, _roster: &Roster, _zone: Tz) -> Schedule {
        todo!()
    }

    /// Parses ICS text and builds the schedule.
    pub fn from_ics(_text: &str, _roster: &Roster, _zone: Tz) -> Result<Schedule, crate::ical::IcalError> {
        todo!()
    }

    /// Non-cancelled occurrences overlapping `window`, sorted by start.
    pub fn occurrences(&self, _window: Span) -> Vec<Occurrence> {
        todo!()
    }

    /// A person's shifts that start on a local date, sorted by start.
    pub fn shifts_on(&self, _owner_email: &str, _date: NaiveDate) -> Vec<Occurrence> {
        todo!()
    }

    /// A person's shifts overlapping a span, sorted by start.
    pub fn shifts_of(&self, _owner_email: &str, _window: Span) -> Vec<Occurrence> {
        todo!()
    }
}
