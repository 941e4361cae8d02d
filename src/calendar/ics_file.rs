//! The ICS file backend: the schedule read from a file, and edits written
//! back atomically (a temporary file in the same folder, then rename), so a
//! crash never leaves half a calendar. OWNER: ical helper.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use chrono_tz::Tz;

use super::edit::{add_cover_event, release_occurrence, remove_cover_event, restore_occurrence};
use super::{CalendarError, EditOp};
use crate::config::Roster;
use crate::ical::{self, Component};
use crate::model::Instant;
use crate::schedule::Schedule;

/// A shift calendar kept in a local `.ics` file.
#[derive(Debug, Clone)]
pub struct IcsFile {
    pub path: PathBuf,
    /// What the file looked like when the schedule was last read from it,
    /// so a poll can tell whether someone changed it since.
    seen: Arc<Mutex<Option<FileStamp>>>,
}

impl PartialEq for IcsFile {
    fn eq(&self, other: &IcsFile) -> bool {
        self.path == other.path
    }
}

impl Eq for IcsFile {}

/// A file's identity and content as of one read: its modification time,
/// size and inode answer cheaply; the content hash settles the cases they
/// cannot (an edit within the file system's time granularity that keeps
/// the size).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
    inode: u64,
    hash: String,
    /// When the stamp was taken: a file modified so shortly before that
    /// another write in the same tick would keep its time is hashed again
    /// at the next poll rather than trusted by its time.
    taken: SystemTime,
}

/// How close to the moment of reading a modification time must be for the
/// time alone not to prove the file unchanged (coarse file system clocks).
const RACY_WINDOW: Duration = Duration::from_secs(2);

fn metadata_stamp(meta: &std::fs::Metadata) -> (Option<SystemTime>, u64, u64) {
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0;
    (meta.modified().ok(), meta.len(), inode)
}

/// The file's content, hashed (MD5 suffices: this notices edits, it does
/// not defend against anyone).
fn content_hash(bytes: &[u8]) -> String {
    use md5::Digest;
    md5::Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl IcsFile {
    pub fn new(path: PathBuf) -> IcsFile {
        IcsFile {
            path,
            seen: Arc::new(Mutex::new(None)),
        }
    }

    /// Whether the file may differ from what the last [`IcsFile::schedule`]
    /// read: by its modification time, size and inode, and when those
    /// cannot tell, by its content's hash. A file never read, or that
    /// cannot be looked at now, counts as changed (the read then says why).
    pub fn changed(&self) -> bool {
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let Some(seen) = seen else { return true };
        let Ok(meta) = std::fs::metadata(&self.path) else {
            return true;
        };
        let (modified, len, inode) = metadata_stamp(&meta);
        if (modified, len, inode) != (seen.modified, seen.len, seen.inode) {
            // Touched, but maybe rewritten with the same content (an editor
            // saving without changes): only the content decides.
            return std::fs::read(&self.path)
                .map(|b| content_hash(&b) != seen.hash)
                .unwrap_or(true);
        }
        let racy = match modified {
            Some(m) => seen.taken.duration_since(m).unwrap_or_default() < RACY_WINDOW,
            None => true,
        };
        racy && std::fs::read(&self.path)
            .map(|b| content_hash(&b) != seen.hash)
            .unwrap_or(true)
    }

    /// Reads and parses the file. A missing or unreadable file, or one that
    /// does not parse, needs a person: the error is permanent and names the
    /// path (and the line).
    pub fn load(&self) -> Result<Component, CalendarError> {
        Ok(self.load_stamped()?.0)
    }

    /// [`IcsFile::load`], with the stamp of what was read.
    fn load_stamped(&self) -> Result<(Component, FileStamp), CalendarError> {
        let cannot = |e: std::io::Error| {
            CalendarError::permanent(format!("cannot read calendar {}: {e}", self.path.display()))
        };
        // The stamp is taken before the read: an edit landing in between
        // then shows as a change at the next poll instead of being missed.
        let meta = std::fs::metadata(&self.path).map_err(cannot)?;
        let taken = crate::clock::system_now();
        let bytes = std::fs::read(&self.path).map_err(cannot)?;
        let (modified, len, inode) = metadata_stamp(&meta);
        let stamp = FileStamp {
            modified,
            len,
            inode,
            hash: content_hash(&bytes),
            taken,
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            CalendarError::permanent(format!(
                "cannot read calendar {}: it is not UTF-8 ({e})",
                self.path.display()
            ))
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
        Ok((cal, stamp))
    }

    /// The schedule the file holds now; remembered as what was last seen,
    /// for [`IcsFile::changed`].
    pub fn schedule(&self, roster: &Roster, zone: Tz) -> Result<Schedule, CalendarError> {
        let (cal, stamp) = self.load_stamped()?;
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(stamp);
        Ok(Schedule::new(cal, roster, zone))
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

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n\
        UID:a@x\r\nDTSTART:20261208T170000Z\r\nDTEND:20261208T190000Z\r\nSUMMARY:Angie\r\n\
        END:VEVENT\r\nEND:VCALENDAR\r\n";

    fn roster() -> Roster {
        Roster {
            members: Vec::new(),
        }
    }

    #[test]
    fn a_change_is_seen_by_time_size_or_content_and_a_touch_is_not_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("schedule.ics");
        std::fs::write(&path, ONE).unwrap();
        let file = IcsFile::new(path.clone());
        assert!(file.changed(), "never read counts as changed");
        file.schedule(&roster(), chrono_tz::UTC).unwrap();
        assert!(!file.changed());
        // Rewritten with the same bytes (an editor saving without changes).
        write_atomically(&path, ONE).unwrap();
        assert!(!file.changed());
        // Same size, same second: only the content tells.
        let same_size = ONE.replace("Angie", "Angel");
        assert_eq!(same_size.len(), ONE.len());
        std::fs::write(&path, &same_size).unwrap();
        assert!(file.changed());
        file.schedule(&roster(), chrono_tz::UTC).unwrap();
        assert!(!file.changed());
        // Gone: a change (the read then says why).
        std::fs::remove_file(&path).unwrap();
        assert!(file.changed());
    }
}
