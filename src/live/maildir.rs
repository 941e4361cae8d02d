//! Maildir in (the inbox `simulate` reads) and out (a file transport for the
//! outbox, used by `simulate`, the demo and tests).

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};

use crate::compose::{OutgoingMail, short_hash};
use crate::model::Instant;
use crate::service::{SendError, Transport};

/// One message found in a Maildir.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    /// The Date header; else the delivery time in the file name; else the
    /// file's modification time.
    pub date: Instant,
    pub raw: Vec<u8>,
}

/// Reads every message in `new/` and `cur/` (and a flat folder of .eml
/// files), sorted by date, then file name. Unreadable files are skipped
/// with a warning, never fatal.
pub fn read_all(dir: &Path) -> std::io::Result<Vec<Found>> {
    let mut paths = Vec::new();
    let mut any = false;
    for sub in ["new", "cur"] {
        let d = dir.join(sub);
        if d.is_dir() {
            any = true;
            for e in std::fs::read_dir(&d)? {
                let p = e?.path();
                if p.is_file() && !hidden(&p) {
                    paths.push(p);
                }
            }
        }
    }
    if !any {
        if !dir.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!(
                    "{} is not a Maildir (no cur/ or new/ inside)",
                    dir.display()
                ),
            ));
        }
        for e in std::fs::read_dir(dir)? {
            let p = e?.path();
            if p.is_file() && !hidden(&p) {
                paths.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for path in paths {
        let raw = match std::fs::read(&path) {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "skipping unreadable message");
                continue;
            }
        };
        let date = header_date(&raw)
            .or_else(|| name_date(&path))
            .or_else(|| {
                std::fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .ok()
                    .map(Instant::from)
            })
            .unwrap_or_else(|| Utc.timestamp_opt(0, 0).single().unwrap_or_default());
        out.push(Found { path, date, raw });
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.path.cmp(&b.path)));
    Ok(out)
}

/// Names starting with a dot (".keep", editors' files) are not messages,
/// by Maildir convention.
fn hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_none_or(|n| n.starts_with('.'))
}

/// The Date header of a raw message.
pub fn header_date(raw: &[u8]) -> Option<Instant> {
    let msg = mail_parser::MessageParser::new().parse_headers(raw)?;
    let d = msg.date()?;
    Utc.timestamp_opt(d.to_timestamp(), 0).single()
}

/// Maildir names start with the delivery time in seconds.
fn name_date(path: &Path) -> Option<Instant> {
    let name = path.file_name()?.to_str()?;
    let secs: i64 = name.split('.').next()?.parse().ok()?;
    Utc.timestamp_opt(secs, 0).single()
}

/// Writes each sent message as a file in `<dir>/new`. The file name comes
/// from the message's key, so sending the same message again after a crash
/// rewrites the same file instead of adding a second one.
pub struct MaildirOut {
    dir: PathBuf,
}

impl MaildirOut {
    pub fn new(dir: &Path) -> std::io::Result<MaildirOut> {
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(dir.join(sub))?;
        }
        Ok(MaildirOut {
            dir: dir.to_path_buf(),
        })
    }

    fn deliver(&self, mail: &OutgoingMail) -> std::io::Result<()> {
        let name = format!(
            "{}.{}.shiftcover",
            mail.date.timestamp(),
            short_hash(&mail.key)
        );
        if self.dir.join("new").join(&name).exists() || self.dir.join("cur").join(&name).exists() {
            return Ok(());
        }
        // Maildir's own protocol: write in tmp/, then rename into new/.
        let tmp = self.dir.join("tmp").join(&name);
        std::fs::write(&tmp, &mail.raw)?;
        std::fs::rename(&tmp, self.dir.join("new").join(&name))
    }
}

impl Transport for MaildirOut {
    async fn send(&mut self, mail: &OutgoingMail) -> Result<(), SendError> {
        self.deliver(mail).map_err(|e| SendError {
            message: format!("writing to {}: {e}", self.dir.display()),
            transient: true,
            ..SendError::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotfiles_are_not_messages_and_order_is_by_date() {
        let d = tempfile::tempdir().unwrap();
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(d.path().join(sub)).unwrap();
        }
        std::fs::write(d.path().join("new/.keep"), "").unwrap();
        std::fs::write(
            d.path().join("cur/2.x"),
            "Date: Tue, 06 Apr 2027 10:00:00 -0400\r\nSubject: later\r\n\r\nb\r\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("new/1.x"),
            "Date: Mon, 05 Apr 2027 10:00:00 -0400\r\nSubject: earlier\r\n\r\na\r\n",
        )
        .unwrap();
        let found = read_all(d.path()).unwrap();
        assert_eq!(found.len(), 2);
        assert!(found[0].date < found[1].date);
        assert!(String::from_utf8_lossy(&found[0].raw).contains("earlier"));
    }

    #[test]
    fn sending_the_same_message_twice_writes_one_file() {
        let d = tempfile::tempdir().unwrap();
        let out = MaildirOut::new(d.path()).unwrap();
        let mail = OutgoingMail {
            key: "ack:<x@y>".into(),
            kind: "ack".into(),
            to: vec!["alopez@example.edu".into()],
            from: "coverage@example.edu".into(),
            message_id: "<ack.1@example.edu>".into(),
            date: Utc.timestamp_opt(1_800_000_000, 0).unwrap(),
            request_id: None,
            raw: b"Subject: x\r\n\r\nx\r\n".to_vec(),
        };
        out.deliver(&mail).unwrap();
        out.deliver(&mail).unwrap();
        assert_eq!(std::fs::read_dir(d.path().join("new")).unwrap().count(), 1);
    }
}
