//! The store: SQLite through sqlx. The only module that writes SQL; everything
//! else speaks the domain's words through [`Store`]. OWNER: store helper.
//!
//! Handling one message (or one tick of the clock) is one [`Batch`], written
//! in one transaction: the message marked processed, the requests it changed,
//! the mail and calendar edits it decided, the audit lines.
//!
//! The schema lives in `migrations/` (embedded, see [`MIGRATIONS`]); each
//! migration runs once, in its own transaction, on [`Store::open`]. The
//! database runs in WAL mode with a busy timeout, so `shiftcover status` can
//! read while the daemon writes.

mod codec;
mod write;

use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteRow, SqliteSynchronous,
};

use crate::calendar::EditOp;
use crate::compose::OutgoingMail;
use crate::engine::{Audit, Offer, Request, RequestShift};
use crate::model::{Instant, Kind, Span};
use codec::{
    count, instant, instant_text, json, opt_instant, opt_instant_text, opt_text, request_kind,
    request_state, text,
};
use write::{already_processed, write_batches};

/// The schema's migrations, oldest first: (version, SQL). The newest version
/// is the schema this binary writes.
pub const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/0001_initial.sql")),
    (2, include_str!("../../migrations/0002_status_indexes.sql")),
    (3, include_str!("../../migrations/0003_send_started.sql")),
];

/// The newest schema version this binary knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// How long a writer waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

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
    /// A mark_* call named a key the store has never recorded.
    #[error("no {what} with key {key:?} in the store")]
    UnknownKey { what: &'static str, key: String },
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

impl Batch {
    /// The time of the decision: when its message was handled, else its
    /// newest audit line or mail. Recorded as the created_at of its mail and
    /// edits.
    fn time(&self) -> Option<Instant> {
        self.message
            .as_ref()
            .map(|m| m.handled_at)
            .or_else(|| self.audit.iter().map(|a| a.at).max())
            .or_else(|| self.mail.iter().map(|m| m.date).max())
    }
}

/// Where an outbox message (or a calendar edit) stands. For an edit, `Sent`
/// means applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Pending,
    Sent,
    Failed,
}

impl DeliveryState {
    /// The outbox's word for the state.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
        }
    }

    fn from_outbox(text: &str) -> Result<Self, StoreError> {
        match text {
            "pending" => Ok(DeliveryState::Pending),
            "sent" => Ok(DeliveryState::Sent),
            "failed" => Ok(DeliveryState::Failed),
            _ => Err(StoreError::Corrupt(format!(
                "unknown outbox state {text:?}"
            ))),
        }
    }

    /// The calendar_edits table says "done" for an applied edit.
    fn edit_text(self) -> &'static str {
        match self {
            DeliveryState::Sent => "done",
            other => other.as_str(),
        }
    }

    fn from_edit(text: &str) -> Result<Self, StoreError> {
        match text {
            "pending" => Ok(DeliveryState::Pending),
            "done" => Ok(DeliveryState::Sent),
            "failed" => Ok(DeliveryState::Failed),
            _ => Err(StoreError::Corrupt(format!("unknown edit state {text:?}"))),
        }
    }
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
    /// When an SMTP transaction for it began without its outcome being
    /// recorded: the server may have accepted it (see [`crate::outbox`]).
    pub send_started_at: Option<Instant>,
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
    pool: SqlitePool,
    url: String,
}

const OUTBOX_COLUMNS: &str = "key, kind, to_addrs, from_addr, message_id, date, request_id, raw, \
     state, attempts, last_error, next_attempt_at, sent_at, send_started_at";
const EDIT_COLUMNS: &str = "key, op, state, attempts, last_error, next_attempt_at, created_at";

/// Creates the database file readable and writable by its owner alone
/// (0600) when it does not exist yet, whatever the process's umask: it holds
/// staff addresses and the mail sent. SQLite gives the WAL and shared-memory
/// files it makes beside it the database file's own mode, so they follow.
/// An existing file keeps the mode its operator gave it.
fn create_owner_only(path: &std::path::Path) -> Result<(), StoreError> {
    use std::os::unix::fs::OpenOptionsExt as _;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(StoreError::Db(sqlx::Error::Io(e))),
    }
}

impl Store {
    /// Opens (creating the file if missing, 0600) and migrates. WAL on. Refuses a
    /// database whose schema is newer than this binary knows.
    ///
    /// `url` is `sqlite:///abs/path/state.db`, `sqlite://relative.db`, or
    /// `sqlite::memory:` (a fresh private database, for tests).
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .synchronous(SqliteSynchronous::Normal);
        if !in_memory {
            create_owner_only(options.get_filename())?;
        }
        let pool = if in_memory {
            // An in-memory database lives as long as its one connection.
            SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options)
                .await?
        } else {
            SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options.journal_mode(SqliteJournalMode::Wal))
                .await?
        };
        let store = Store {
            pool,
            url: url.to_string(),
        };
        store.migrate().await?;
        Ok(store)
    }

    /// The URL the store was opened with.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Closes every connection (waiting for running queries), so the file
    /// can be copied or opened elsewhere.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The schema version the database is at (0 for an empty file).
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let mut conn = self.pool.acquire().await?;
        schema_version(&mut conn).await
    }

    /// Runs the migrations the database lacks, each in its own transaction.
    async fn migrate(&self) -> Result<(), StoreError> {
        let found = self.schema_version().await?;
        self.refuse_newer(found)?;
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        for &(version, sql) in MIGRATIONS {
            // IMMEDIATE, so two processes starting together migrate once.
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            let now = schema_version(&mut tx).await?;
            self.refuse_newer(now)?;
            if now >= version {
                continue;
            }
            sqlx::raw_sql(sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_version (version) VALUES (?)")
                .bind(version)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(())
    }

    fn refuse_newer(&self, found: i64) -> Result<(), StoreError> {
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                url: self.url.clone(),
                found,
                known: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    /// Has this Message-ID been handled?
    pub async fn is_processed(&self, message_id: &str) -> Result<bool, StoreError> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM processed_messages WHERE message_id = ?")
                .bind(message_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// Which of these Message-IDs were handled before: one query per few
    /// hundred ids, for a catch-up that would otherwise ask one at a time.
    pub async fn processed_among(
        &self,
        message_ids: &[&str],
    ) -> Result<HashSet<String>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        already_processed(&mut conn, message_ids).await
    }

    /// Every request, oldest first (by requested_at, then id), with its
    /// shifts, offers and thread in their recorded order.
    pub async fn load_requests(&self) -> Result<Vec<Request>, StoreError> {
        // One read transaction: a consistent picture while the daemon writes.
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(
            "SELECT id, kind, requester, owner, subject, requested_at, state, second_call_at, \
             second_call_sent_at, own_second_call, escalated_at, closed_at, suggested_for \
             FROM requests ORDER BY requested_at, id",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut requests = Vec::with_capacity(rows.len());
        let mut by_id: HashMap<String, usize> = HashMap::with_capacity(rows.len());
        for row in &rows {
            let request = request_from_row(row)?;
            by_id.insert(request.id.clone(), requests.len());
            requests.push(request);
        }
        let find = |row: &SqliteRow| -> Result<usize, StoreError> {
            let id = text(row, "request_id")?;
            by_id
                .get(&id)
                .copied()
                .ok_or_else(|| StoreError::Corrupt(format!("a row belongs to no request {id:?}")))
        };

        let shifts = sqlx::query(
            "SELECT request_id, start_at, end_at, covered_by, covered_at \
             FROM request_shifts ORDER BY request_id, idx",
        )
        .fetch_all(&mut *tx)
        .await?;
        for row in &shifts {
            let i = find(row)?;
            requests[i].shifts.push(RequestShift {
                span: Span::new(instant(row, "start_at")?, instant(row, "end_at")?),
                covered_by: opt_text(row, "covered_by")?,
                covered_at: opt_instant(row, "covered_at")?,
            });
        }

        let offers = sqlx::query(
            "SELECT request_id, from_addr, spans, offered_at, message_id \
             FROM offers ORDER BY request_id, idx",
        )
        .fetch_all(&mut *tx)
        .await?;
        for row in &offers {
            let i = find(row)?;
            requests[i].offers.push(Offer {
                from: text(row, "from_addr")?,
                spans: json(row, "spans")?,
                at: instant(row, "offered_at")?,
                message_id: text(row, "message_id")?,
            });
        }

        let thread = sqlx::query(
            "SELECT request_id, message_id FROM request_thread ORDER BY request_id, idx",
        )
        .fetch_all(&mut *tx)
        .await?;
        for row in &thread {
            let i = find(row)?;
            requests[i].thread.push(text(row, "message_id")?);
        }
        tx.commit().await?;
        Ok(requests)
    }

    /// The id of the request whose thread holds this Message-ID, if any
    /// (the oldest such request when several do).
    pub async fn request_for_message(
        &self,
        message_id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT t.request_id FROM request_thread t JOIN requests r ON r.id = t.request_id \
             WHERE t.message_id = ? ORDER BY r.requested_at, r.id LIMIT 1",
        )
        .bind(message_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Writes one batch in one transaction. A batch whose message was handled
    /// before writes nothing.
    pub async fn commit(&self, batch: &Batch) -> Result<(), StoreError> {
        self.commit_all_outcomes(std::slice::from_ref(batch))
            .await
            .map(|_| ())
    }

    /// Writes several batches in one transaction (catch-up); a batch whose
    /// message is already processed is skipped whole.
    pub async fn commit_all(&self, batches: &[Batch]) -> Result<(), StoreError> {
        self.commit_all_outcomes(batches).await.map(|_| ())
    }

    /// As [`Store::commit_all`], saying for each batch whether it was written
    /// (true) or skipped because its message had been handled before (false),
    /// earlier in the same call included.
    pub async fn commit_all_outcomes(&self, batches: &[Batch]) -> Result<Vec<bool>, StoreError> {
        if batches.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let written = write_batches(&mut tx, batches).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// Pending mail due by `now` (next_attempt_at null or ≤ now), oldest
    /// first (by Date, then key).
    pub async fn due_mail(&self, now: Instant) -> Result<Vec<OutboxItem>, StoreError> {
        let sql = format!(
            "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE state = 'pending' \
             AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY date, key"
        );
        let rows = sqlx::query(&sql)
            .bind(instant_text(now))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(outbox_item).collect()
    }

    /// Records that the mail went out.
    pub async fn mark_mail_sent(&self, key: &str, at: Instant) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, \
             next_attempt_at = NULL WHERE key = ?",
        )
        .bind(instant_text(at))
        .bind(key)
        .execute(&self.pool)
        .await?;
        found(done.rows_affected(), "outbox mail", key)
    }

    /// Records that an SMTP transaction for the mail is about to begin, so a
    /// crash before its outcome is recorded leaves the mail marked uncertain.
    pub async fn mark_mail_started(&self, key: &str, at: Instant) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE outbox SET send_started_at = ? WHERE key = ?")
            .bind(instant_text(at))
            .bind(key)
            .execute(&self.pool)
            .await?;
        found(done.rows_affected(), "outbox mail", key)
    }

    /// Records an attempt whose outcome is unknown (the session broke after
    /// the message's data went out): the start stays recorded, so the next
    /// attempt looks for the mail's echo before sending again.
    pub async fn mark_mail_unconfirmed(
        &self,
        key: &str,
        error: &str,
        retry_at: Instant,
    ) -> Result<(), StoreError> {
        self.mark_failed(
            "outbox",
            "outbox mail",
            DeliveryState::Pending.as_str(),
            key,
            error,
            Some(retry_at),
        )
        .await
    }

    /// Gives a mail up without an attempt: it can no longer matter (the
    /// shift it is about has started) or waited too long. `reason` is what
    /// `status` and the digest show.
    pub async fn mark_mail_given_up(&self, key: &str, reason: &str) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET state = 'failed', last_error = ?, next_attempt_at = NULL, \
             send_started_at = NULL WHERE key = ?",
        )
        .bind(reason)
        .bind(key)
        .execute(&self.pool)
        .await?;
        found(done.rows_affected(), "outbox mail", key)
    }

    /// Records a failed attempt: retried at `retry_at`, or failed for good
    /// when None. The server answered, so the mail was not accepted: any
    /// recorded start is cleared.
    pub async fn mark_mail_failed(
        &self,
        key: &str,
        error: &str,
        retry_at: Option<Instant>,
    ) -> Result<(), StoreError> {
        let state = if retry_at.is_some() {
            DeliveryState::Pending
        } else {
            DeliveryState::Failed
        };
        self.mark_failed(
            "outbox",
            "outbox mail",
            state.as_str(),
            key,
            error,
            retry_at,
        )
        .await?;
        sqlx::query("UPDATE outbox SET send_started_at = NULL WHERE key = ?")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// All outbox rows in a state (for `status` and the digest), oldest first.
    pub async fn mail_in_state(&self, state: DeliveryState) -> Result<Vec<OutboxItem>, StoreError> {
        let sql = format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE state = ? ORDER BY date, key");
        let rows = sqlx::query(&sql)
            .bind(state.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(outbox_item).collect()
    }

    /// How many outbox rows are in a state (for /metrics and `status`,
    /// without loading the messages).
    pub async fn mail_count(&self, state: DeliveryState) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE state = ?")
                .bind(state.as_str())
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Pending calendar edits due by `now`, in the order they were decided.
    pub async fn due_edits(&self, now: Instant) -> Result<Vec<EditItem>, StoreError> {
        let sql = format!(
            "SELECT {EDIT_COLUMNS} FROM calendar_edits WHERE state = 'pending' \
             AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id"
        );
        let rows = sqlx::query(&sql)
            .bind(instant_text(now))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(edit_item).collect()
    }

    /// Records that the edit is in the calendar.
    pub async fn mark_edit_done(&self, key: &str, at: Instant) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE calendar_edits SET state = 'done', done_at = ?, attempts = attempts + 1, \
             next_attempt_at = NULL WHERE key = ?",
        )
        .bind(instant_text(at))
        .bind(key)
        .execute(&self.pool)
        .await?;
        found(done.rows_affected(), "calendar edit", key)
    }

    /// Records a failed attempt: retried at `retry_at`, or failed for good when None.
    pub async fn mark_edit_failed(
        &self,
        key: &str,
        error: &str,
        retry_at: Option<Instant>,
    ) -> Result<(), StoreError> {
        let state = if retry_at.is_some() {
            DeliveryState::Pending
        } else {
            DeliveryState::Failed
        };
        self.mark_failed(
            "calendar_edits",
            "calendar edit",
            state.edit_text(),
            key,
            error,
            retry_at,
        )
        .await
    }

    /// One failed attempt at an outbox mail or a calendar edit; `table` is
    /// one of the two, never user input.
    async fn mark_failed(
        &self,
        table: &'static str,
        what: &'static str,
        state: &str,
        key: &str,
        error: &str,
        retry_at: Option<Instant>,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "UPDATE {table} SET state = ?, attempts = attempts + 1, last_error = ?, \
             next_attempt_at = ? WHERE key = ?"
        );
        let done = sqlx::query(&sql)
            .bind(state)
            .bind(error)
            .bind(opt_instant_text(retry_at))
            .bind(key)
            .execute(&self.pool)
            .await?;
        found(done.rows_affected(), what, key)
    }

    /// All calendar edits in a state (`Sent` = applied), in decision order.
    pub async fn edits_in_state(&self, state: DeliveryState) -> Result<Vec<EditItem>, StoreError> {
        let sql = format!("SELECT {EDIT_COLUMNS} FROM calendar_edits WHERE state = ? ORDER BY id");
        let rows = sqlx::query(&sql)
            .bind(state.edit_text())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(edit_item).collect()
    }

    /// How many calendar edits are in a state (`Sent` = applied).
    pub async fn edit_count(&self, state: DeliveryState) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM calendar_edits WHERE state = ?")
                .bind(state.edit_text())
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// A named value written by a batch's `meta`.
    pub async fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Where the sync of `folder` stands, if it was ever synced.
    pub async fn mailbox_state(&self, folder: &str) -> Result<Option<MailboxState>, StoreError> {
        let row = sqlx::query(
            "SELECT uid_validity, last_uid, synced_at FROM mailbox_state WHERE folder = ?",
        )
        .bind(folder)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(MailboxState {
                uid_validity: count(&row, "uid_validity")?,
                last_uid: count(&row, "last_uid")?,
                synced_at: instant(&row, "synced_at")?,
            })
        })
        .transpose()
    }

    pub async fn set_mailbox_state(
        &self,
        folder: &str,
        state: MailboxState,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO mailbox_state (folder, uid_validity, last_uid, synced_at) \
             VALUES (?, ?, ?, ?) ON CONFLICT (folder) DO UPDATE SET \
             uid_validity = excluded.uid_validity, last_uid = excluded.last_uid, \
             synced_at = excluded.synced_at",
        )
        .bind(folder)
        .bind(i64::from(state.uid_validity))
        .bind(i64::from(state.last_uid))
        .bind(instant_text(state.synced_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Audit lines, newest last, at or after `since`.
    pub async fn audit_since(&self, since: Instant) -> Result<Vec<Audit>, StoreError> {
        let rows = sqlx::query(
            "SELECT at, request_id, message_id, decision, reason FROM audit \
             WHERE at >= ? ORDER BY at, id",
        )
        .bind(instant_text(since))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Audit {
                    at: instant(row, "at")?,
                    request_id: opt_text(row, "request_id")?,
                    message_id: opt_text(row, "message_id")?,
                    decision: text(row, "decision")?,
                    reason: text(row, "reason")?,
                })
            })
            .collect()
    }

    /// How many requests are still open (for `status` and STATUS=).
    pub async fn request_count_open(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM requests WHERE state = 'open'")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// When the newest handled message was handled; None before the first.
    pub async fn last_processed_at(&self) -> Result<Option<Instant>, StoreError> {
        let row = sqlx::query("SELECT MAX(handled_at) AS last FROM processed_messages")
            .fetch_one(&self.pool)
            .await?;
        opt_instant(&row, "last")
    }

    /// Messages handled, by kind (`coverage_request`, ...), sorted by kind;
    /// kinds never seen are absent. For /metrics.
    pub async fn counts_by_kind(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT kind, COUNT(*) FROM processed_messages GROUP BY kind ORDER BY kind",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Mail sent, by X-Shiftcover-Kind (`ack`, `second-call`, ...), sorted by
    /// kind. For /metrics.
    pub async fn sent_counts_by_kind(&self) -> Result<Vec<(String, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT kind, COUNT(*) FROM outbox WHERE state = 'sent' GROUP BY kind ORDER BY kind",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

fn found(rows: u64, what: &'static str, key: &str) -> Result<(), StoreError> {
    if rows == 0 {
        return Err(StoreError::UnknownKey {
            what,
            key: key.to_string(),
        });
    }
    Ok(())
}

async fn schema_version(conn: &mut SqliteConnection) -> Result<i64, StoreError> {
    let tables: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
    )
    .fetch_one(&mut *conn)
    .await?;
    if tables == 0 {
        return Ok(0);
    }
    Ok(
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM schema_version")
            .fetch_one(&mut *conn)
            .await?,
    )
}

fn request_from_row(row: &SqliteRow) -> Result<Request, StoreError> {
    Ok(Request {
        id: text(row, "id")?,
        kind: request_kind(&text(row, "kind")?)?,
        requester: text(row, "requester")?,
        owner: text(row, "owner")?,
        subject: text(row, "subject")?,
        requested_at: instant(row, "requested_at")?,
        shifts: Vec::new(),
        state: request_state(&text(row, "state")?)?,
        thread: Vec::new(),
        second_call_at: opt_instant(row, "second_call_at")?,
        second_call_sent_at: opt_instant(row, "second_call_sent_at")?,
        own_second_call: row.try_get::<bool, _>("own_second_call")?,
        escalated_at: opt_instant(row, "escalated_at")?,
        offers: Vec::new(),
        closed_at: opt_instant(row, "closed_at")?,
        suggested_for: json(row, "suggested_for")?,
    })
}

fn outbox_item(row: &SqliteRow) -> Result<OutboxItem, StoreError> {
    Ok(OutboxItem {
        mail: OutgoingMail {
            key: text(row, "key")?,
            kind: text(row, "kind")?,
            to: json(row, "to_addrs")?,
            from: text(row, "from_addr")?,
            message_id: text(row, "message_id")?,
            date: instant(row, "date")?,
            request_id: opt_text(row, "request_id")?,
            raw: row.try_get::<Vec<u8>, _>("raw")?,
        },
        state: DeliveryState::from_outbox(&text(row, "state")?)?,
        attempts: count(row, "attempts")?,
        last_error: opt_text(row, "last_error")?,
        next_attempt_at: opt_instant(row, "next_attempt_at")?,
        sent_at: opt_instant(row, "sent_at")?,
        send_started_at: opt_instant(row, "send_started_at")?,
    })
}

fn edit_item(row: &SqliteRow) -> Result<EditItem, StoreError> {
    Ok(EditItem {
        key: text(row, "key")?,
        op: json(row, "op")?,
        state: DeliveryState::from_edit(&text(row, "state")?)?,
        attempts: count(row, "attempts")?,
        last_error: opt_text(row, "last_error")?,
        next_attempt_at: opt_instant(row, "next_attempt_at")?,
        created_at: instant(row, "created_at")?,
    })
}
