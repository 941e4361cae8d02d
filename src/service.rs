//! Glue between the pure core and the adapters: one message or one tick of
//! the clock becomes one engine step, one store transaction, then effects
//! carried out. Used the same way by `simulate` (virtual clock) and `run`
//! (wall clock). OWNER: lead.

use crate::compose::OutgoingMail;
use crate::config::Config;
use crate::model::{Instant, Kind};
use crate::store::Store;

/// What handling one message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandleOutcome {
    /// Its Message-ID was handled before: nothing changed, nothing sent.
    Duplicate,
    Handled { kind: Kind, mails: usize },
}

/// A way mail leaves: the Maildir file transport or SMTP.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    /// Worth trying again later (a timeout, a 4xx, a dropped connection).
    pub transient: bool,
}

/// Something that can send one recorded message. Implemented by the Maildir
/// writer and the SMTP sender.
pub trait Transport {
    fn send(
        &mut self,
        mail: &OutgoingMail,
    ) -> impl std::future::Future<Output = Result<(), SendError>> + Send;
}

/// The running program's state: config, store, calendar and the requests.
pub struct Service {
    config: Config,
    store: Store,
}

impl Service {
    /// Opens the store (migrating it), reads the calendar, loads requests.
    pub async fn open(_config: Config) -> anyhow::Result<Service> {
        todo!()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Reads, decides and records one message as of `now`.
    pub async fn handle_message(&mut self, _raw: &[u8], _now: Instant) -> anyhow::Result<HandleOutcome> {
        todo!()
    }

    /// Several messages (a catch-up), recorded in one transaction; each
    /// message's handling is still all-or-nothing.
    pub async fn handle_messages(&mut self, _raws: &[Vec<u8>], _now: Instant) -> anyhow::Result<Vec<HandleOutcome>> {
        todo!()
    }

    /// Fires every deadline and digest due at or before `now`.
    pub async fn tick(&mut self, _now: Instant) -> anyhow::Result<()> {
        todo!()
    }

    /// The next instant something is due (a second call, an escalation, the digest).
    pub fn next_due(&self) -> Option<Instant> {
        todo!()
    }

    /// Sends the outbox's due mail through `transport`, marking each.
    pub async fn deliver<T: Transport>(&self, _transport: &mut T, _now: Instant) -> anyhow::Result<usize> {
        todo!()
    }

    /// Applies pending calendar edits.
    pub async fn apply_calendar_edits(&mut self, _now: Instant) -> anyhow::Result<usize> {
        todo!()
    }

    /// Open requests and the next deadline, for STATUS= and logs.
    pub fn status_line(&self) -> String {
        todo!()
    }
}
