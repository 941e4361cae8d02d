//! # shiftcover
//!
//! Keeps a shared service staffed from the staff list's mailbox: it reads the
//! list's mail, understands coverage requests, sick notices, offers,
//! confirmations and withdrawals, tracks each request to its end, sends
//! acknowledgements, second calls and escalations on time, edits the shift
//! calendar, and invites the person covering.
//!
//! ## Layers
//!
//! ```text
//!   main.rs (CLI)                 parse · simulate · demo · status · run · check · bench
//!        │
//!   service.rs                    one message / one tick = one store transaction
//!        │           ╲
//!   pure core        adapters (edges, the only IO)
//!   ─────────        ─────────────────────────────
//!   config           store/      SQLite through sqlx; the only SQL
//!   model            calendar/   ICS file, CalDAV
//!   ical, schedule   live/       IMAP watcher, SMTP sender, Maildir in/out
//!   read/            clock.rs    the one place that reads the wall clock
//!   engine/
//!   compose, digest
//! ```
//!
//! ## Architecture invariants
//!
//! - **The core never reads a clock and does no IO.** `read`, `engine`,
//!   `compose`, `digest`, `schedule` and `ical` take the time and the data as
//!   parameters. The same core runs the daemon on the wall clock and
//!   `simulate` on a virtual one.
//! - **Only `store` writes SQL.** Everything else speaks the domain's words
//!   (request, shift, offer, coverer, second call, escalation, digest).
//! - **Nothing is done before it is recorded.** Mail and calendar edits are
//!   written to the store in the same transaction as the decision that made
//!   them, then carried out and marked; a crash between the two retries the
//!   effect, and every effect carries a stable key so a retry is never a
//!   duplicate.
//! - **A message is handled once.** Its Message-ID is the key; handling it
//!   again changes nothing and sends nothing.
//! - **Bad input is data, not a crash.** A message that cannot be parsed is
//!   read as `other` with a diagnostic.
//!
//! ## Module map
//!
//! - [`config`]: TOML → validated [`config::Config`]; errors name the key.
//! - [`model`]: spans, kinds, a message's [`model::Reading`].
//! - [`ical`]: an iCalendar parser/writer that keeps every property, and
//!   recurrence expansion (RRULE, EXDATE, RECURRENCE-ID, TZID, DST).
//! - [`schedule`]: who works when: the calendar expanded and mapped to staff.
//! - [`read`]: a raw message → its [`model::Reading`] (decode, quotes, machine
//!   mail, kind, dates, shifts, coverer).
//! - [`read::cues`]: the cue table (id, pattern, guards, examples that must
//!   and must not fire) the classifier reads; [`read::classify`] holds the
//!   decision rules' table.
//! - [`read::spelling`]: misspelled key words and phone shorthand read as
//!   meant, within a bounded edit distance.
//! - [`engine`]: the coverage state machine, deadlines and fair assignment.
//! - [`compose`]: the mail the program sends, rendered.
//! - [`digest`]: the coordinator's weekly digest, rendered.
//! - [`calendar`]: calendar edits (pure) and the ICS / CalDAV backends.
//! - [`store`]: the database.
//! - [`live`]: Maildir, IMAP and SMTP adapters.
//! - [`service`]: glue: applies readings and ticks to the engine, persists,
//!   and carries out effects.

pub mod auth;
pub mod calendar;
pub mod clock;
pub mod compose;
pub mod config;
pub mod daemon;
pub mod digest;
pub mod engine;
pub mod ical;
pub mod live;
pub mod metrics;
pub mod model;
pub mod read;
pub mod schedule;
pub mod service;
pub mod simulate;
pub mod store;
