//! Reading list mail: a raw message in, a [`Reading`] out. Pure: it takes the
//! message, the config (roster, zone, date order, service hours) and the
//! schedule, and does no IO.
//!
//! Steps: [`decode`] (MIME, charsets, HTML to text) → [`machine`] (auto
//! replies, bounces, bulk mail, the program's own mail) → [`quote`] (set aside
//! quoted text and signatures) → [`classify`] (the kind) → [`dates`] and
//! [`resolve`] (which shifts) → coverer.
//!
//! OWNER: reading helper (mod.rs, decode, machine, quote, classify);
//! dates helper (dates, resolve).

pub mod classify;
pub mod dates;
pub mod decode;
pub mod machine;
pub mod quote;
pub mod resolve;

use crate::config::Config;
use crate::model::Reading;
use crate::schedule::Schedule;

/// What reading a message needs besides the message.
pub struct ReadContext<'a> {
    pub config: &'a Config,
    pub schedule: &'a Schedule,
}

/// Reads one raw RFC 5322 message. Never panics; a message that cannot be
/// parsed is `other` with a diagnostic.
pub fn read_message(_raw: &[u8], _ctx: &ReadContext) -> Reading {
    todo!()
}
