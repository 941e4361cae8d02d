//! Calendar edits as pure functions of a parsed calendar. OWNER: ical helper.
//!
//! Each function is idempotent: applying it again to its own result changes
//! nothing and returns `false`.

use chrono_tz::Tz;

use super::CoverEdit;
use crate::ical::Component;
use crate::model::Instant;

/// Releases the owner's occurrence(s) that `edit.span` covers from their
/// recurring series in `cal` (the whole file for ICS, one object for CalDAV):
/// an EXDATE on the master with the same value type and TZID as its DTSTART
/// (or STATUS:CANCELLED on an existing override), SEQUENCE bumped. When the
/// span covers only part of an occurrence, the owner keeps the rest (an
/// override with the remaining time). Other occurrences are untouched.
/// Returns whether anything changed.
pub fn release_occurrence(_cal: &mut Component, _edit: &CoverEdit, _roster: &crate::config::Roster, _zone: Tz, _now: Instant) -> bool {
    todo!()
}

/// Undoes [`release_occurrence`]. Returns whether anything changed.
pub fn restore_occurrence(_cal: &mut Component, _edit: &CoverEdit, _roster: &crate::config::Roster, _zone: Tz, _now: Instant) -> bool {
    todo!()
}

/// The cover VEVENT (UID `edit.uid`, SUMMARY `edit.label`, DTSTART/DTEND in
/// the zone with TZID, ORGANIZER, ATTENDEE with SCHEDULE-AGENT=CLIENT).
pub fn cover_event(_edit: &CoverEdit, _zone: Tz, _now: Instant, _sequence: u32) -> Component {
    todo!()
}

/// Adds the cover event unless an event with its UID is already there (and
/// the VTIMEZONE if missing). Returns whether anything changed.
pub fn add_cover_event(_cal: &mut Component, _edit: &CoverEdit, _zone: Tz, _now: Instant) -> bool {
    todo!()
}

/// Removes the cover event with UID `edit.uid`. Returns whether anything changed.
pub fn remove_cover_event(_cal: &mut Component, _edit: &CoverEdit) -> bool {
    todo!()
}

/// iMIP method of an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
}

/// The text/calendar body of an invitation (RFC 6047): METHOD, VTIMEZONE,
/// the cover VEVENT with ORGANIZER and ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE
/// (CANCEL: STATUS:CANCELLED), stable UID, SEQUENCE, DTSTAMP.
pub fn invitation(_edit: &CoverEdit, _method: Method, _sequence: u32, _zone: Tz, _now: Instant) -> String {
    todo!()
}
