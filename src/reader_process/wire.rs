//! The reading process's wire: each frame is two lengths (little-endian
//! u32: a JSON header's, then a payload's), the header, then the payload.
//! A message's raw bytes travel as the payload, not inside the JSON, where
//! a byte array would take four times the room and the time to parse.

use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::ical::Component;
use crate::model::Reading;

/// The largest header either side accepts: a reading or a calendar, with
/// room to spare. Anything longer is garbage on the pipe, not a frame.
pub const MAX_HEADER: u32 = 256 * 1024 * 1024;

/// The largest payload: a raw message as fetched (the reader itself looks
/// at most at [`crate::read::decode::MAX_RAW`] of it).
pub const MAX_PAYLOAD: u32 = 1024 * 1024 * 1024;

/// What the daemon tells its reading process.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToWorker<'a> {
    /// A desk's config, as the daemon loaded it: the same text through the
    /// same parser, so the process reads with the daemon's config even when
    /// the file changed since. Sent before a slot's first job and again
    /// when the daemon reloaded it.
    Config {
        slot: u32,
        text: Cow<'a, str>,
        dir: PathBuf,
        desk: Option<String>,
    },
    /// A desk's schedule: the calendar it is built from, and its zone. Sent
    /// after the slot's config, and again whenever the schedule changed.
    Schedule {
        slot: u32,
        zone: String,
        calendar: Cow<'a, Component>,
    },
    /// One message to read with the slot's config and schedule; the raw
    /// message is the frame's payload.
    Read { slot: u32, job: u64 },
}

/// What the reading process answers.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromWorker {
    /// A reading thread took up the job: its time limit runs from now.
    Started { job: u64 },
    /// The job's reading.
    Read { job: u64, reading: Box<Reading> },
    /// The process cannot read for this slot (its config did not load
    /// there, or it was sent no schedule).
    Unusable { slot: u32, why: String },
}

/// A frame that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("the pipe failed: {0}")]
    Io(#[from] io::Error),
    /// Bytes that are not a frame of this protocol.
    #[error("not a frame of the reading protocol: {0}")]
    Garbage(String),
}

/// Writes one frame (not flushed).
pub fn write_frame(w: &mut impl Write, header: &impl Serialize, payload: &[u8]) -> io::Result<()> {
    let json = serde_json::to_vec(header).map_err(io::Error::other)?;
    let (Ok(h), Ok(p)) = (u32::try_from(json.len()), u32::try_from(payload.len())) else {
        return Err(io::Error::other(
            "a frame too large for the reading protocol",
        ));
    };
    if h > MAX_HEADER || p > MAX_PAYLOAD {
        return Err(io::Error::other(
            "a frame too large for the reading protocol",
        ));
    }
    w.write_all(&h.to_le_bytes())?;
    w.write_all(&p.to_le_bytes())?;
    w.write_all(&json)?;
    w.write_all(payload)
}

/// Reads one frame: None at a clean end (the other side closed the pipe
/// between frames).
pub fn read_frame<T: serde::de::DeserializeOwned>(
    r: &mut impl Read,
) -> Result<Option<(T, Vec<u8>)>, WireError> {
    let mut lengths = [0u8; 8];
    let mut got = 0;
    while got < lengths.len() {
        match r.read(&mut lengths[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(WireError::Garbage("the pipe ended inside a frame".into())),
            Ok(k) => got += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    let h = u32::from_le_bytes([lengths[0], lengths[1], lengths[2], lengths[3]]);
    let p = u32::from_le_bytes([lengths[4], lengths[5], lengths[6], lengths[7]]);
    if h == 0 || h > MAX_HEADER || p > MAX_PAYLOAD {
        return Err(WireError::Garbage(format!(
            "a frame of a {h}-byte header and a {p}-byte payload"
        )));
    }
    let mut json = vec![0u8; h as usize];
    let mut payload = vec![0u8; p as usize];
    for buf in [&mut json, &mut payload] {
        r.read_exact(buf).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => {
                WireError::Garbage("the pipe ended inside a frame".into())
            }
            _ => WireError::Io(e),
        })?;
    }
    let header = serde_json::from_slice(&json)
        .map_err(|e| WireError::Garbage(format!("a header that does not read: {e}")))?;
    Ok(Some((header, payload)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_reads_back_as_written() {
        let mut buf = Vec::new();
        write_frame(&mut buf, &ToWorker::Read { slot: 3, job: 7 }, b"raw\r\n").unwrap();
        write_frame(&mut buf, &FromWorker::Started { job: 7 }, b"").unwrap();
        let mut r = buf.as_slice();
        let (first, payload): (ToWorker, Vec<u8>) = read_frame(&mut r).unwrap().unwrap();
        assert!(matches!(first, ToWorker::Read { slot: 3, job: 7 }));
        assert_eq!(payload, b"raw\r\n");
        let (second, _): (FromWorker, Vec<u8>) = read_frame(&mut r).unwrap().unwrap();
        assert!(matches!(second, FromWorker::Started { job: 7 }));
        assert!(read_frame::<FromWorker>(&mut r).unwrap().is_none());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for garbage in [
            &b"hello, world, this is not a frame"[..],
            &[0xff; 8][..],
            &[5, 0, 0, 0, 0, 0, 0, 0, b'{', b'x'][..],
            &[4, 0, 0, 0, 0, 0, 0, 0, b'n', b'u', b'l', b'l'][..],
            &[3][..],
        ] {
            let mut r = garbage;
            match read_frame::<FromWorker>(&mut r) {
                Err(WireError::Garbage(_)) => {}
                other => panic!("{garbage:?} read as {other:?}"),
            }
        }
    }
}
