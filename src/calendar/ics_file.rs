//! The ICS file backend: the schedule read from a file, and edits written
//! back atomically (a temporary file in the same folder, then rename), so a
//! crash never leaves half a calendar. OWNER: ical helper.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use super::edit::{add_cover_event, release_occurrence, remove_cover_event, restore_occurrence};
use super::{CalendarError, EditOp};
use crate::config::Roster;
use crate::ical::{self, Component};
use crate::model::Instant;
use crate::schedule::Schedule;

/// A shift calendar kept in a local `.ics` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsFile {
    pub path: PathBuf,
}

impl IcsFile {
    pub fn new(path: PathBuf) -> IcsFile {
        IcsFile { path }
    }

    /// Reads and parses the file. A missing or unreadable file, or one that
    /// does not parse, needs a person: the error is permanent and names the
    /// path (and the line).
    pub fn load(&self) -> Result<Component, CalendarError> {
        let text = std::fs::read_to_string(&self.path).map_err(|e| {
            CalendarError::permanent(format!("cannot read calendar {}: {e}", self.path.display()))
        })?;
        let cal = ical::parse(&text).map_err(|e| {
            CalendarError::permanent(format!(
                "calendar {} does not parse: {e}",
                self.path.display()
            ))
        })?;
        if cal.name != "VCALENDAR" {
            return Err(CalendarError::permanent(format!(
                "calendar {} holds a {}, not a VCALENDAR",
                self.path.display(),
                cal.name
            )));
        }
        Ok(cal)
    }

    /// The schedule the file holds now.
    pub fn schedule(&self, roster: &Roster, zone: Tz) -> Result<Schedule, CalendarError> {
        Ok(Schedule::new(self.load()?, roster, zone))
    }

    /// Applies one edit: Cover releases the owner's occurrence and adds the
    /// cover event; Uncover removes the cover event and gives the occurrence
    /// back. Writes only when something changed; returns whether it did, so
    /// applying an edit twice is harmless.
    pub fn apply(
        &self,
        op: &EditOp,
        roster: &Roster,
        zone: Tz,
        now: Instant,
    ) -> Result<bool, CalendarError> {
        let mut cal = self.load()?;
        let changed = apply_to(&mut cal, op, roster, zone, now);
        if changed {
            write_atomically(&self.path, &cal.to_ics())?;
        }
        Ok(changed)
    }
}

/// The edit of one op on a parsed calendar, as both backends do it.
pub fn apply_to(cal: &mut Component, op: &EditOp, roster: &Roster, zone: Tz, now: Instant) -> bool {
    match op {
        EditOp::Cover(e) => {
            let released = release_occurrence(cal, e, roster, zone, now);
            let added = add_cover_event(cal, e, zone, now);
            released | added
        }
        EditOp::Uncover(e) => {
            let removed = remove_cover_event(cal, e);
            let restored = restore_occurrence(cal, e, roster, zone, now);
            removed | restored
        }
    }
}

/// Writes `text` to `path` through a temporary file in the same folder,
/// synced before it replaces the old file, so readers see the old calendar
/// or the new one, never half of one.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), CalendarError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("calendar.ics");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let fail = |what: &str, e: std::io::Error| {
        CalendarError::transient(format!("cannot {what} {}: {e}", tmp.display()))
    };
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(|e| fail("create", e))?;
        // Keep the old file's permissions: the calendar may be shared.
        if let Ok(meta) = std::fs::metadata(path) {
            let _ = f.set_permissions(meta.permissions());
        }
        f.write_all(text.as_bytes()).map_err(|e| fail("write", e))?;
        f.sync_all().map_err(|e| fail("sync", e))?;
        drop(f);
        std::fs::rename(&tmp, path).map_err(|e| {
            CalendarError::transient(format!("cannot replace {}: {e}", path.display()))
        })?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
