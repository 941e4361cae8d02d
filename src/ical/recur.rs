//! RRULE expansion. OWNER: ical helper.
