//! The mail the program sends, rendered to RFC 5322 bytes. Pure.

use serde::{Deserialize, Serialize};

use crate::model::Instant;

/// A message ready to send, as recorded in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    /// Stable key: the same decision always makes the same key, so the outbox
    /// refuses a duplicate.
    pub key: String,
    /// X-Shiftcover-Kind ("ack", "second-call", ...).
    pub kind: String,
    /// Envelope recipients, lowercased.
    pub to: Vec<String>,
    /// Envelope sender.
    pub from: String,
    /// Message-ID with brackets.
    pub message_id: String,
    /// The Date header (the virtual time in `simulate`).
    pub date: Instant,
    pub request_id: Option<String>,
    /// The whole message, CRLF line ends.
    pub raw: Vec<u8>,
}
