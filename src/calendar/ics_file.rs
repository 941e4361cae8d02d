//! The ICS file backend: the schedule read from a file, and edits written
//! back atomically (a temporary file in the same folder, then rename), so a
//! crash never leaves half a calendar. OWNER: ical helper.
