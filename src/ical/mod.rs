//! iCalendar (RFC 5545) read and written without loss.
//!
//! The `ics` crate only writes, and this file is read, edited and written
//! back, so the program keeps its own small content-line parser: every
//! component, property and parameter it does not understand is kept as it
//! was and written back out unchanged.
//!
//! OWNER: ical helper. Interface used by others: [`Component`], [`Property`],
//! [`parse`], [`Component::to_ics`], and [`expand`] for recurrence.

pub mod recur;

use crate::model::{Instant, Span};

/// One content line: `NAME;PARAM=V:VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    /// Uppercased.
    pub name: String,
    /// In order; names uppercased; values unquoted.
    pub params: Vec<(String, String)>,
    /// Raw value, unescaped only where the caller asks ([`unescape_text`]).
    pub value: String,
}

/// A component (`BEGIN:X` ... `END:X`) with its properties and children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// Uppercased ("VCALENDAR", "VEVENT", ...).
    pub name: String,
    pub properties: Vec<Property>,
    pub components: Vec<Component>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcalError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for IcalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}
impl std::error::Error for IcalError {}

/// Parses an iCalendar stream (unfolding lines) into its top component.
pub fn parse(_text: &str) -> Result<Component, IcalError> {
    todo!()
}

impl Component {
    /// Writes the component with CRLF line ends, folded at 75 octets.
    pub fn to_ics(&self) -> String {
        todo!()
    }
}

/// Escapes TEXT values (`\\`, `;`, `,`, newlines).
pub fn escape_text(_s: &str) -> String {
    todo!()
}

/// Unescapes TEXT values.
pub fn unescape_text(_s: &str) -> String {
    todo!()
}

/// One expanded occurrence of a VEVENT (recurring or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub uid: String,
    pub span: Span,
    /// The RECURRENCE-ID this occurrence answers to (its original start), for
    /// recurring events; None for a single event.
    pub recurrence_id: Option<Instant>,
    /// Index of the VEVENT in the calendar's `components` that produced it
    /// (the master, or the override when one replaced the occurrence).
    pub component_index: usize,
    pub cancelled: bool,
}

/// Expands every VEVENT of a VCALENDAR within `window` (occurrences that
/// overlap it), honouring RRULE (UNTIL, COUNT, INTERVAL, BYDAY, ...), RDATE,
/// EXDATE, overrides by RECURRENCE-ID (STATUS:CANCELLED ones are returned with
/// `cancelled`), TZID by IANA name or by the file's VTIMEZONE, floating times
/// in `default_zone`, and DST (a 10:00 shift stays 10:00 local).
pub fn expand(_calendar: &Component, _window: Span, _default_zone: chrono_tz::Tz) -> Vec<Expanded> {
    todo!()
}
