//! The store: SQLite through sqlx. The only module that writes SQL; everything
//! else speaks the domain's words through [`Store`]. OWNER: store helper.
//!
//! Handling one message (or one tick of the clock) is one [`Batch`], written
//! in one transaction: the message marked processed, the requests it changed,
//! the mail and calendar edits it decided, the audit lines.

use serde::{Deserialize, Serialize};

use crate::calendar::EditOp;
use crate::compose::OutgoingMail;
use crate::engine::{Audit, Request};
use crate::model::{Instant, Kind};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error(
        "the database {url} was written by a newer shiftcover (schema {found}, this binary knows up to {known}); run the newer binary or restore a backup"
    )]
    TooNew { url: String, found: i64, known: i64 },
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

/// A message once handled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessedMessage {
    pub message_id: String,
    pub from: String,
    pub kind: Kind,
    /// The whole reading as JSON, for `status` and the audit.
    pub reading_json: String,
    pub handled_at: Instant,
}

/// Everything one decision writes, in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub message: Option<ProcessedMessage>,
    /// Full new versions of changed or new requests (upserted by id).
    pub requests: Vec<Request>,
    /// Mail to send; a key already in the outbox is skipped, not resent.
    pub mail: Vec<OutgoingMail>,
    /// Calendar edits to apply, by stable key; a key already there is skipped.
    pub edits: Vec<(String, EditOp)>,
    pub audit: Vec<Audit>,
    /// Small named values (last digest time, ...), upserted.
    pub meta: Vec<(String, String)>,
}

/// Where an outbox message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Pending,
    Sent,
    Failed,
}

/// One outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub mail: OutgoingMail,
    pub state: DeliveryState,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// Not to be tried again before then.
    pub next_attempt_at: Option<Instant>,
    pub sent_at: Option<Instant>,
}

/// One calendar edit row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditItem {
    pub key: String,
    pub op: EditOp,
    pub state: DeliveryState,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<Instant>,
    pub created_at: Instant,
}

/// The mailbox's sync point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailboxState {
    pub uid_validity: u32,
    pub last_uid: u32,
    pub synced_at: Instant,
}

/// The database. Cheap to clone (a pool inside).
#[derive(Debug, Clone)]
pub struct Store {
    _private: (),
}

impl Store {
    /// Opens (creating the file if missing) and migrates. WAL on. Refuses a
    /// database whose schema is newer than this binary knows.
    pub async fn open(_url: &str) -> Result<Store, StoreError> {
        todo!()
    }
    /// Has this Message-ID been handled?
    pub async fn is_processed(&self, _message_id: &str) -> Result<bool, StoreError> {
        todo!()
    }
    /// Every request, oldest first.
    pub async fn load_requests(&self) -> Result<Vec<Request>, StoreError> {
        todo!()
    }
    /// Writes one batch in one transaction.
    pub async fn commit(&self, _batch: &Batch) -> Result<(), StoreError> {
        todo!()
    }
    /// Writes several batches in one transaction (catch-up); a batch whose
    /// message is already processed is skipped whole.
    pub async fn commit_all(&self, _batches: &[Batch]) -> Result<(), StoreError> {
        todo!()
    }
    /// Pending mail due by `now` (next_attempt_at null or ≤ now), oldest first.
    pub async fn due_mail(&self, _now: Instant) -> Result<Vec<OutboxItem>, StoreError> {
        todo!()
    }
    pub async fn mark_mail_sent(&self, _key: &str, _at: Instant) -> Result<(), StoreError> {
        todo!()
    }
    /// Records a failed attempt: retried at `retry_at`, or failed for good when None.
    pub async fn mark_mail_failed(&self, _key: &str, _error: &str, _retry_at: Option<Instant>) -> Result<(), StoreError> {
        todo!()
    }
    /// All outbox rows in a state (for `status` and the digest).
    pub async fn mail_in_state(&self, _state: DeliveryState) -> Result<Vec<OutboxItem>, StoreError> {
        todo!()
    }
    pub async fn due_edits(&self, _now: Instant) -> Result<Vec<EditItem>, StoreError> {
        todo!()
    }
    pub async fn mark_edit_done(&self, _key: &str, _at: Instant) -> Result<(), StoreError> {
        todo!()
    }
    pub async fn mark_edit_failed(&self, _key: &str, _error: &str, _retry_at: Option<Instant>) -> Result<(), StoreError> {
        todo!()
    }
    pub async fn meta(&self, _key: &str) -> Result<Option<String>, StoreError> {
        todo!()
    }
    pub async fn mailbox_state(&self, _folder: &str) -> Result<Option<MailboxState>, StoreError> {
        todo!()
    }
    pub async fn set_mailbox_state(&self, _folder: &str, _state: MailboxState) -> Result<(), StoreError> {
        todo!()
    }
    /// Audit lines, newest last, at or after `since`.
    pub async fn audit_since(&self, _since: Instant) -> Result<Vec<Audit>, StoreError> {
        todo!()
    }
}
