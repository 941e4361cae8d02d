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
//!        │                        (and read-worker, hidden: the daemon's reading process)
//!   service.rs                    one message / one tick = one store transaction
//!        │           ╲            (the daemon's reading happens in reader_process's child)
//!   pure core        adapters (edges, the only IO)
//!   ─────────        ─────────────────────────────
//!   config           store/      SQLite or PostgreSQL through sqlx; the only SQL
//!   model            calendar/   ICS file, CalDAV, Microsoft Graph
//!   ical, schedule   live/       IMAP watcher, SMTP / Graph sender, Maildir in/out
//!   read/            clock.rs    the one place that reads the wall clock
//!   engine/          auth/       secrets from files, OAuth2 token sources
//!   compose, digest  daemon/     the watch loop, notify, signals, check
//!                    outbox.rs   delivery order, retries, the echo check
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
//!   them, then carried out and marked. Every effect carries a stable key, so
//!   a decision made again (a message read twice, a tick repeated) never
//!   records a second effect.
//!
//! ## What is guaranteed under a crash
//!
//! A crash here is the process dying (SIGKILL, OOM, a panic, the watchdog):
//! the store runs SQLite in WAL mode with `synchronous = NORMAL`, so every
//! committed transaction survives it; a power cut may lose the last few.
//!
//! - **Effects in general are at-least-once.** A crash between carrying an
//!   effect out and marking it done carries it out again at restart. A
//!   calendar edit carried out twice is harmless (it finds its own earlier
//!   result); a Maildir outbox write is exactly-once by construction (its
//!   file name comes from the mail's key, and a file already there is kept).
//! - **SMTP mail is exactly-once, with the echo check** ([`outbox`]): a send
//!   is recorded as started before its SMTP transaction, and every mail also
//!   goes to the program's own mailbox (`outbox.echo_to`). A mail found
//!   started but not done is looked for there by Message-ID and not sent
//!   again when found. Its bounds: the echo must reach the mailbox within
//!   `outbox.echo_wait` (2 minutes) of the send's start, else the mail is
//!   sent again; while the mailbox cannot be searched, the mail waits rather
//!   than risk a second copy; with `echo_to = "none"`, and through Graph's
//!   sendMail (which has no echo), mail is at-least-once.
//!   Proven by `tests/e2e_delivery.rs`: 20 kills between Postfix's
//!   acceptance and the record, 0 duplicates, 0 lost.
//! - **Mail is given up only when it can no longer matter** (a second call,
//!   sick call, escalation or the list's call update whose shifts have all
//!   started; one of the first three that failed and whose request was
//!   covered or withdrawn since) or after
//!   `outbox.give_up_after` (3 days), never for its number of attempts; what
//!   was given up shows in `status`, the digest and /metrics.
//! - **Mail keeps its meant order.** An escalation waits for its request's
//!   second call; a reply read before the message it answers waits up to
//!   `mailbox.reply_wait` (2 minutes) for it ([`reorder`]).
//! - **A stop loses no calendar edit.** The days of the schedule the open
//!   requests' shifts fall on are kept in the store as last acted on,
//!   rewritten in the transaction of each decision that changes them; at
//!   start they are compared with the calendar through the same
//!   `engine::reschedule` as a change seen while running, so an edit made
//!   while the daemon was stopped is applied once, and never again.
//! - **A message is handled once.** Its Message-ID is the key; handling it
//!   again changes nothing and sends nothing.
//! - **A guess is not acted on.** An unsure reading asks the writer (or, for
//!   a colleague's shift, tells the coordinator) and changes nothing else;
//!   staff mail that the site's receiving server did not vouch for (with
//!   `mailbox.authserv_id` set) is recorded and changes nothing.
//! - **One instance acts, and a deposed leader commits nothing.** On
//!   PostgreSQL the leader holds an advisory lock and confirms it before
//!   every round of effects; a standby waits ([`leader`]). Each new leader
//!   adds one to the lease's epoch (its fencing token), and every write
//!   transaction of a leader (decisions, send-started and sent marks,
//!   calendar-edit records, the mailbox's sync point) first confirms that
//!   epoch in the same transaction: after a takeover the old leader's writes
//!   are refused ("lost leadership"), it sends nothing more (a send is
//!   marked started, fenced, before it begins), edits no calendar (each edit
//!   confirms the epoch first) and steps down to standby. A send already
//!   under way at the takeover is settled by the echo check. Proven by
//!   `tests/failover.rs`: 20 SIGKILLs of the leader and one cut-off from the
//!   database in a busy run leave exactly a fault-free run's mail. On SQLite
//!   one process owns the file.
//! - **One desk never touches another's.** With several desks
//!   (`[[desk]]` blocks, [`config::desks`]) each desk's store handle is
//!   bound to the desk's namespace when it is opened: on PostgreSQL its
//!   connections' `search_path` is the desk's own schema (`desk_NAME`), on
//!   SQLite the desk has its own file (`state.desk-NAME.db`). The queries
//!   name no desk and no schema, so none can forget a desk filter or reach
//!   another desk's messages, deadlines, outbox or calendar edits; the
//!   config refuses two desks sharing a list, a mailbox folder, an outbox
//!   folder or a calendar, so the adapters cannot cross either. (A desk
//!   column in every table was the other choice: it would make every query,
//!   present and future, responsible for the filter.) The one exception is
//!   the leader's lease, the process's and not a desk's: every desk's
//!   fenced writes confirm `public.leader_lease` by name.
//! - **Bad input is data, not a crash.** A message that cannot be parsed is
//!   read as `other` with a diagnostic; one that hangs or kills the
//!   daemon's reading process is recorded as unreadable, and the reading
//!   process is replaced ([`reader_process`]).
//!
//! ## Module map
//!
//! - [`config`]: TOML → validated [`config::Config`]; errors name the key.
//! - [`config::desks`]: `[[desk]]` blocks → one validated `Config` per
//!   desk; what desks may not share is refused there.
//! - [`auth`]: the one reader of secrets, OAuth2 token sources, SASL and
//!   HTTP Digest.
//! - [`model`]: spans, kinds, a message's [`model::Reading`].
//! - [`ical`]: an iCalendar parser/writer that keeps every property, and
//!   recurrence expansion (RRULE, EXDATE, RECURRENCE-ID, TZID, DST).
//! - [`schedule`]: who works when: the calendar expanded and mapped to
//!   staff; `schedule::ScheduleExcerpt`, the days of it the open requests
//!   refer to, kept in the store across restarts.
//! - [`read`]: a raw message → its [`model::Reading`] (decode, quotes, machine
//!   mail, kind, dates, shifts, coverer).
//! - [`read::itip`]: a coverer's answer to an invitation (an iTIP REPLY to
//!   one of the program's cover events) → accepted, tentative or declined.
//! - [`read::auth_results`]: the site's own Authentication-Results header →
//!   whether a staff sender is genuine (the service acts on staff mail only then).
//! - [`reorder`]: replies read before the message they answer wait for it.
//! - [`read::cues`]: the cue table (id, pattern, guards, examples that must
//!   and must not fire) the classifier reads; [`read::classify`] holds the
//!   decision rules' table.
//! - [`read::anchors`]: the words each cue's pattern cannot match without,
//!   read from the pattern, so a text is searched only for cues that may fire.
//! - [`read::pattern`]: the reader's `Regex`, compiled as an ASCII twin and as
//!   written only for a text with a non-ASCII word character (half the memory).
//! - [`read::spelling`]: misspelled key words and phone shorthand read as
//!   meant, within a bounded edit distance.
//! - [`read::doubts`]: named doubts the writer's own words raise against a
//!   reading (a shift spoken of in mail read as nothing, a question checking
//!   nothing is needed), which make it unsure so the program asks.
//! - [`read::resolve`]: the days and times a text names → shift spans on the
//!   schedule (whose shift, which part of it).
//! - [`read::covers`]: one confirmation naming several coverers for several
//!   shifts → who takes which.
//! - [`read::senses`]: "cover" words that mean no shift (a book's cover, a
//!   cover letter, insurance coverage, a cost or a class covered), blanked
//!   before the cues read the text.
//! - `read::attribution` (private): a reply's attribution lines ("On ...
//!   wrote:", "Sent:", "From:") found by a plain scan, checked against the
//!   patterns it replaced.
//! - `read::families` (tests only): each family of misreading found in blind
//!   rounds, guarded by fresh sentences through the whole reading path.
//! - [`engine`]: the coverage state machine, deadlines and fair assignment.
//! - `engine::reschedule`: a changed calendar applied to open requests
//!   (a shift moved, given to someone else, or gone; one still there but
//!   naming nobody on the roster is kept, and the coordinator told), and
//!   the list's correction of a call the program sent for such a shift.
//! - [`compose`]: the mail the program sends, rendered.
//! - [`digest`]: the coordinator's weekly digest, rendered.
//! - [`calendar`]: calendar edits (pure) and the ICS / CalDAV / Microsoft Graph
//!   backends (`calendar::graph`: Exchange Online's calendar through Graph),
//!   each with a cheap poll that says whether the calendar changed.
//! - [`store`]: the database (SQLite or PostgreSQL, one set of queries).
//! - [`leader`]: active and standby on PostgreSQL: who leads, who waits,
//!   and stepping down when the lease's epoch (the fencing token) is gone.
//! - [`live`]: Maildir, IMAP and SMTP adapters, and sending through Graph
//!   (`live::graph_mail`).
//! - [`guarded_read`]: reading on a small pool of long-lived threads under
//!   a time limit; a message past it is given up as unreadable, never read
//!   again (`simulate`, and the daemon when its reading process cannot run).
//! - [`reader_process`]: the daemon reads mail in a child process
//!   (`shiftcover read-worker`) that exits when idle, so what reading takes
//!   is given back; hung or dying children lose no message.
//! - [`outbox`]: delivering the outbox: order, retries, giving up, and the
//!   echo check that makes SMTP mail exactly-once; the program's own mail
//!   coming back is known from its headers and never read.
//! - [`service`]: glue: applies readings and ticks to the engine, persists,
//!   and carries out effects.
//! - [`daemon`]: `run` (the watch loop as a state machine, notify, signals,
//!   transport, outbox round) and `check`; [`daemon::desks`] runs several
//!   desks' loops in one process under one leadership.
//! - [`daemon::board`]: several desks, one systemd: one STATUS= line for
//!   every desk, and a watchdog fed only while every desk's loop is alive.
//! - [`desk_bench`]: `bench --desks N`, many desks in one process
//!   (messages a second, resident memory).

pub mod auth;
pub mod calendar;
pub mod clock;
pub mod compose;
pub mod config;
pub mod daemon;
pub mod desk_bench;
pub mod digest;
pub mod engine;
pub mod guarded_read;
pub mod ical;
pub mod leader;
pub mod live;
pub mod metrics;
pub mod model;
pub mod outbox;
pub mod read;
pub mod reader_process;
pub mod reorder;
pub mod schedule;
pub mod service;
pub mod simulate;
pub mod store;
