//! Glue between the pure core and the adapters: one message or one tick of
//! the clock becomes one engine step, one store transaction, then effects
//! carried out. Used the same way by `simulate` (virtual clock) and `run`
//! (wall clock).

use chrono::TimeDelta;

use crate::calendar::Calendar;
use crate::compose::OutgoingMail;
use crate::config::Config;
use crate::digest;
use crate::engine::{self, Effect, Request, Step};
use crate::model::{Instant, Kind, Reading, Span};
use crate::schedule::{ExcerptChanges, Schedule, ScheduleExcerpt};
use crate::store::{Batch, DeliveryState, ProcessedMessage, Store};

/// What handling one message came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandleOutcome {
    /// Its Message-ID was handled before: nothing changed, nothing sent.
    Duplicate,
    Handled {
        kind: Kind,
        mails: usize,
    },
}

/// A way mail leaves: the Maildir file transport or SMTP.
#[derive(Debug, Clone, Default, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    pub message: String,
    /// Worth trying again later (a timeout, a 4xx, a dropped connection).
    pub transient: bool,
    /// The server could not be reached or would not start a session
    /// (connecting, greeting, TLS, login): nothing else will go through it
    /// either until it answers again.
    pub unreachable: bool,
    /// The message's data was on its way when the session broke or timed
    /// out without an answer: the server may have accepted it.
    pub maybe_accepted: bool,
    /// The server would not start a session for a reason only a person can
    /// fix (a refused password, STARTTLS missing): probed rarely, not every
    /// few seconds, and said plainly.
    pub needs_a_person: bool,
}

/// Something that can send one recorded message. Implemented by the Maildir
/// writer and the SMTP sender.
pub trait Transport {
    fn send(
        &mut self,
        mail: &OutgoingMail,
    ) -> impl std::future::Future<Output = Result<(), SendError>> + Send;
}

/// Reads `raws` with the config and schedule given: in the daemon's
/// reading process when this process has one ([`crate::reader_process`]),
/// else on this process's reading threads ([`crate::guarded_read`]). Order
/// is kept; a message not read within [`crate::guarded_read::READ_LIMIT`]
/// is given up as unreadable either way.
fn read_with(
    config: &std::sync::Arc<Config>,
    schedule: &std::sync::Arc<Schedule>,
    raws: Vec<Vec<u8>>,
) -> Vec<Reading> {
    match crate::reader_process::global() {
        Some(process) => process.read_all(config, schedule, &raws),
        None => crate::reader_process::in_process(config, schedule, raws),
    }
}

/// Meta key of the last digest's due time.
const DIGEST_LAST: &str = "digest.last";
/// Attempts before a transient failure is given up as permanent.
const MAX_ATTEMPTS: u32 = 8;

/// The running program's state: config, store, calendar and the requests.
pub struct Service {
    config: Config,
    store: Store,
    calendar: Calendar,
    /// Shared with reading threads ([`crate::guarded_read`]) and sent to
    /// the reading process ([`crate::reader_process`]) when it changed.
    schedule: std::sync::Arc<Schedule>,
    /// Every request, as in the store; the engine reads these.
    requests: Vec<Request>,
    /// Due time of the last digest sent; None until the clock starts.
    digest_last: Option<Instant>,
    /// When the calendar was last looked at for people's edits.
    calendar_read_at: Option<Instant>,
    /// The daemon's schedule is read for a window around the wall clock
    /// ([`crate::calendar::schedule_window`]); this is the moment the
    /// window was last placed around. None: the whole calendar is read.
    window_at: Option<Instant>,
    /// The days of the schedule the open requests' shifts fall on, as
    /// last acted on: the store's copy, kept in step with it by every
    /// decision. None until [`Service::catch_up_schedule`] compared the
    /// copy left by the last run with the calendar (the daemon only;
    /// `simulate` and the tools keep none).
    excerpt: Option<ScheduleExcerpt>,
}

/// How often the daemon's schedule window is moved on with the clock
/// even when the calendar did not change.
pub const WINDOW_SLIDE: TimeDelta = TimeDelta::days(7);

/// How far ahead a changed schedule is compared with the old one for the
/// log line that says what changed.
pub const CHANGE_LOG_AHEAD: TimeDelta = TimeDelta::days(90);

/// The audit decision that marks mail from a staff address that the site's
/// receiving server did not vouch for; the digest counts these.
pub const UNAUTHENTICATED: &str = "not acted on: sender not authenticated";

/// Why a message is not to be acted on: it claims a staff member (or the
/// coordinator) as its sender, and the site's receiving server said it is
/// not from them. None for everything else, and always when no
/// `authserv_id` is configured (the reading then carries no verdict).
pub fn unauthenticated_staff(reading: &Reading, config: &Config) -> Option<String> {
    let crate::model::SenderAuth::Failed(why) = reading.sender_auth.as_ref()? else {
        return None;
    };
    let staff = config.roster.by_email(&reading.from).is_some()
        || reading.from.eq_ignore_ascii_case(&config.coordinator.email);
    staff.then(|| why.clone())
}

/// What `shiftcover check` says of sender authentication.
pub fn sender_check_text(config: &Config) -> String {
    match &config.authserv_id {
        Some(id) => format!(
            "mail from staff is acted on only when {id}'s Authentication-Results header vouches for it (DMARC, else SPF or DKIM)"
        ),
        None => "not checked: no mailbox.authserv_id is set, so mail with a staff From is trusted as it is".to_string(),
    }
}

/// What `shiftcover check` says of where coverers' answers to invitations
/// arrive, and whether the daemon reads them there: a calendar client
/// sends its Accept or Decline (an iTIP REPLY) to the invitation's
/// ORGANIZER, which is the program's sender address. The boolean is false
/// when that address is plainly not the mailbox the daemon reads (it may
/// still be an alias delivered there, which only the mail server knows).
pub fn answers_check_text(config: &Config) -> (bool, String) {
    use crate::config::{CalendarBackend, MailboxBackend};
    if matches!(config.calendar, CalendarBackend::Graph { .. }) {
        return (
            true,
            "Exchange sends the invitations and collects the answers on the cover events; declines are read from the calendar".into(),
        );
    }
    let organizer = config.sender.email.to_ascii_lowercase();
    match &config.mailbox {
        MailboxBackend::Imap { server, folder, .. } => {
            let login = server
                .username
                .as_deref()
                .unwrap_or("")
                .to_ascii_lowercase();
            if login == organizer {
                (
                    true,
                    format!(
                        "answers go to {organizer} (the invitations' ORGANIZER), the mailbox read ({folder})"
                    ),
                )
            } else if login.contains('@') {
                (
                    false,
                    format!(
                        "answers go to {organizer} (the invitations' ORGANIZER), but the mailbox read is {login}: deliver mail for {organizer} to it (an alias), or set list.sender to {login}, or coverers' Accept and Decline are never read"
                    ),
                )
            } else {
                (
                    true,
                    format!(
                        "answers go to {organizer} (the invitations' ORGANIZER); make sure it is delivered to the mailbox read ({folder})"
                    ),
                )
            }
        }
        MailboxBackend::Maildir { .. } => (
            true,
            format!(
                "answers go to {organizer} (the invitations' ORGANIZER); with a Maildir mailbox they are read when they are in it"
            ),
        ),
    }
}

/// The step for a message that is not acted on: an audit line naming who it
/// claimed to be from and why it was refused, and nothing else.
fn refused_step(reading: &Reading, why: &str, now: Instant) -> Step {
    Step {
        audit: vec![engine::Audit {
            at: now,
            request_id: None,
            message_id: Some(reading.message_id.clone()),
            decision: UNAUTHENTICATED.into(),
            reason: format!(
                "from {}, \"{}\": {why}",
                reading.from,
                reading.subject.chars().take(120).collect::<String>()
            ),
        }],
        ..Step::default()
    }
}

/// What an engine step writes: its requests, effects and audit lines.
fn batch_of(step: Step) -> Batch {
    let mut batch = Batch {
        requests: step.changed,
        audit: step.audit,
        ..Batch::default()
    };
    for e in step.effects {
        match e {
            Effect::Mail(m) => batch.mail.push(m),
            Effect::Calendar { key, op } => batch.edits.push((key, op)),
        }
    }
    batch
}

/// Retry delay after `attempts` failures: 1 min, doubling, at most 2 h.
fn backoff(attempts: u32) -> TimeDelta {
    let mins = 1i64 << attempts.min(7);
    TimeDelta::minutes(mins.min(120))
}

impl Service {
    /// Opens the store (migrating it), reads the whole calendar, loads
    /// requests.
    pub async fn open(config: Config) -> anyhow::Result<Service> {
        Service::open_at(config, None).await
    }

    /// As [`Service::open`] for the daemon: the schedule is read only for
    /// the window around `now` (and moved on with the clock).
    pub async fn open_live(config: Config, now: Instant) -> anyhow::Result<Service> {
        Service::open_at(config, Some(now)).await
    }

    async fn open_at(config: Config, window_at: Option<Instant>) -> anyhow::Result<Service> {
        let store =
            Store::open_desk(&config.database_url, config.store_namespace.as_deref()).await?;
        let calendar = Calendar::open(&config)
            .await
            .map_err(|e| anyhow::anyhow!("calendar: {e}"))?;
        let schedule = calendar
            .schedule_around(&config, window_at)
            .await
            .map_err(|e| anyhow::anyhow!("reading the calendar: {e}"))?;
        let requests = store.load_requests().await?;
        let digest_last = store
            .meta(DIGEST_LAST)
            .await?
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
            .map(|d| d.to_utc());
        Ok(Service {
            config,
            store,
            calendar,
            schedule: std::sync::Arc::new(schedule),
            requests,
            digest_last,
            calendar_read_at: None,
            window_at,
            excerpt: None,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// From now on every write carries the leader's fencing token and is
    /// refused once another instance took over (see [`crate::leader`]).
    pub fn fence(&mut self, fence: std::sync::Arc<crate::store::Fence>) {
        self.store = self.store.fenced(fence);
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn requests(&self) -> &[Request] {
        &self.requests
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// Starts the digest clock at `now` if it has never run, so the first
    /// digest is the next weekly time after the program first started.
    pub async fn start_clock(&mut self, now: Instant) -> anyhow::Result<()> {
        if self.digest_last.is_none() {
            let batch = Batch {
                meta: vec![(DIGEST_LAST.into(), now.to_rfc3339())],
                ..Batch::default()
            };
            self.store.commit(&batch).await?;
            self.digest_last = Some(now);
        }
        Ok(())
    }

    /// Reads one message without deciding anything, under the time limit
    /// ([`crate::guarded_read`]).
    pub fn read(&self, raw: &[u8]) -> Reading {
        self.read_all(&[raw.to_vec()])
            .pop()
            .unwrap_or_else(|| crate::read::given_up(raw, "not read"))
    }

    /// What a message is read with: the config and schedule of the moment,
    /// shared with the reading (a reading thread given up on may outlive
    /// the call; a reading process is sent them).
    fn reading_context(&self) -> (std::sync::Arc<Config>, std::sync::Arc<Schedule>) {
        (
            std::sync::Arc::new(self.config.clone()),
            self.schedule.clone(),
        )
    }

    /// Reads many messages without deciding anything (see [`Service::read_all`]).
    pub fn read_batch(&self, raws: &[Vec<u8>]) -> Vec<Reading> {
        self.read_all(raws)
    }

    /// The reading of `raws` as a job that needs nothing of the service
    /// once made: the daemon runs it on a blocking thread while it fetches
    /// the next batch and stores the one before, so that a catch-up's
    /// fetching, reading and storing overlap. The messages are moved in,
    /// not copied. Reads as [`Service::read_batch`] does.
    pub fn batch_read_job(
        &self,
        raws: Vec<Vec<u8>>,
    ) -> impl FnOnce() -> Vec<Reading> + Send + 'static {
        let (config, schedule) = self.reading_context();
        move || read_with(&config, &schedule, raws)
    }

    /// Reads many messages, on every core when there are enough to be worth
    /// it: reading is pure and most of a catch-up's time. Order is kept;
    /// a message not read within [`crate::guarded_read::READ_LIMIT`] is
    /// given up as unreadable. In the daemon, reading happens in its
    /// reading process ([`crate::reader_process`]).
    fn read_all(&self, raws: &[Vec<u8>]) -> Vec<Reading> {
        let (config, schedule) = self.reading_context();
        read_with(&config, &schedule, raws.to_vec())
    }

    fn batch_for(&self, reading: &Reading, step: Step, now: Instant) -> Batch {
        Batch {
            message: Some(ProcessedMessage {
                message_id: reading.message_id.clone(),
                from: reading.from.clone(),
                kind: reading.kind,
                reading_json: serde_json::to_string(reading).unwrap_or_default(),
                handled_at: now,
            }),
            ..batch_of(step)
        }
    }

    fn merge(&mut self, changed: &[Request]) {
        for r in changed {
            match self.requests.iter_mut().find(|x| x.id == r.id) {
                Some(slot) => *slot = r.clone(),
                None => self.requests.push(r.clone()),
            }
        }
    }

    /// Gives each open request whose owner left the roster the name the
    /// calendar gives them on its shifts, so what is decided names them
    /// by it (and finds their shift by it), never by their address.
    /// Requests closed, or whose shifts are all over, are left alone.
    fn name_owners_off_roster(&mut self, now: Instant) {
        for req in &mut self.requests {
            if req.state == engine::RequestState::Withdrawn
                || self.config.roster.by_email(&req.owner).is_some()
            {
                continue;
            }
            let named = req
                .shifts
                .iter()
                .filter(|s| s.span.end > now)
                .find_map(|s| self.schedule.calendar_name_of(&req.owner, s.span));
            if named.is_some() {
                req.owner_on_calendar = named;
            }
        }
    }

    /// What a message leads to: the engine's step, unless it claims a staff
    /// sender the site's receiving server did not vouch for; then it is
    /// recorded, logged and audited, and nothing is sent or changed.
    fn decide(&self, reading: &Reading, now: Instant) -> Step {
        match unauthenticated_staff(reading, &self.config) {
            None => engine::on_reading(&self.requests, reading, now, &self.config),
            Some(why) => {
                tracing::warn!(
                    message_id = %reading.message_id,
                    from = %reading.from,
                    kind = reading.kind.as_str(),
                    why = %why,
                    "mail claiming a staff sender was not authenticated by the receiving server; not acted on"
                );
                refused_step(reading, &why, now)
            }
        }
    }

    /// Reads, decides and records one message as of `now`.
    pub async fn handle_message(
        &mut self,
        raw: &[u8],
        now: Instant,
    ) -> anyhow::Result<HandleOutcome> {
        let reading = self.read(raw);
        self.handle_reading(&reading, now).await
    }

    /// Decides and records a message already read (see [`Service::read`]).
    pub async fn handle_reading(
        &mut self,
        reading: &Reading,
        now: Instant,
    ) -> anyhow::Result<HandleOutcome> {
        if self.store.is_processed(&reading.message_id).await? {
            return Ok(HandleOutcome::Duplicate);
        }
        self.name_owners_off_roster(now);
        let step = self.decide(reading, now);
        let batch = self.batch_for(reading, step, now);
        let batch = self.commit_step(batch, now, false).await?;
        tracing::info!(
            message_id = %reading.message_id,
            from = %reading.from,
            kind = reading.kind.as_str(),
            mails = batch.mail.len(),
            "handled message"
        );
        Ok(HandleOutcome::Handled {
            kind: reading.kind,
            mails: batch.mail.len(),
        })
    }

    /// Several messages (a catch-up), recorded in one transaction; each
    /// message's handling is still all-or-nothing.
    pub async fn handle_messages(
        &mut self,
        raws: &[Vec<u8>],
        now: Instant,
    ) -> anyhow::Result<Vec<HandleOutcome>> {
        let readings = self.read_all(raws);
        self.handle_readings(readings, now).await
    }

    /// As [`Service::handle_messages`], for messages already read, in the
    /// order given.
    pub async fn handle_readings(
        &mut self,
        readings: Vec<Reading>,
        now: Instant,
    ) -> anyhow::Result<Vec<HandleOutcome>> {
        self.name_owners_off_roster(now);
        let before = self.requests.clone();
        let ids: Vec<&str> = readings.iter().map(|r| r.message_id.as_str()).collect();
        let done = self.store.processed_among(&ids).await?;
        let mut batches = Vec::new();
        let mut outcomes = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for reading in readings {
            if !seen.insert(reading.message_id.clone()) || done.contains(&reading.message_id) {
                outcomes.push(HandleOutcome::Duplicate);
                continue;
            }
            let step = self.decide(&reading, now);
            let batch = self.batch_for(&reading, step, now);
            self.merge(&batch.requests);
            outcomes.push(HandleOutcome::Handled {
                kind: reading.kind,
                mails: batch.mail.len(),
            });
            batches.push(batch);
        }
        // The days kept of the schedule follow the requests as they are
        // after the whole catch-up, in the same transaction.
        let excerpt = self.excerpt_changes(&[], now, false);
        if !excerpt.is_empty() {
            batches.push(Batch {
                excerpt,
                ..Batch::default()
            });
        }
        if let Err(e) = self.store.commit_all(&batches).await {
            // Nothing was written: forget what was decided in memory too.
            self.requests = before;
            return Err(e.into());
        }
        if let (Some(kept), Some(last)) = (&mut self.excerpt, batches.last()) {
            kept.apply(&last.excerpt);
        }
        Ok(outcomes)
    }

    /// The next digest's due time, once the clock has started.
    fn next_digest(&self) -> Option<Instant> {
        self.digest_last
            .map(|last| digest::next_digest_after(last, &self.config))
    }

    /// Fires every deadline and digest due at or before `now`.
    pub async fn tick(&mut self, now: Instant) -> anyhow::Result<()> {
        self.name_owners_off_roster(now);
        let step = engine::on_time(&self.requests, now, &self.config);
        if !step.changed.is_empty() {
            self.commit_step(batch_of(step), now, false).await?;
        }
        // After downtime, several digests may be due: send only the latest.
        let mut due = None;
        while let Some(d) = self.next_digest().filter(|d| *d <= now) {
            due = Some(d);
            self.digest_last = Some(d);
        }
        if let Some(d) = due {
            let failures: Vec<digest::Failure> = self
                .store
                .mail_in_state(DeliveryState::Failed)
                .await?
                .into_iter()
                .filter(|f| f.mail.date > d - TimeDelta::days(7))
                .map(|f| digest::Failure {
                    kind: f.mail.kind.clone(),
                    to: f.mail.to.join(", "),
                    error: f.last_error.unwrap_or_default(),
                })
                .collect();
            let unauthenticated: Vec<digest::Unauthenticated> = self
                .store
                .audit_since(d - TimeDelta::days(7))
                .await?
                .into_iter()
                .filter(|a| a.decision == UNAUTHENTICATED && a.at <= d)
                .map(|a| digest::Unauthenticated {
                    at: a.at,
                    what: a.reason,
                })
                .collect();
            let dg =
                digest::render_with(&self.requests, &failures, &unauthenticated, d, &self.config);
            let mail = crate::compose::digest(&self.config, dg.subject, dg.text, dg.html, d, now);
            let batch = Batch {
                mail: vec![mail],
                meta: vec![(DIGEST_LAST.into(), d.to_rfc3339())],
                ..Batch::default()
            };
            self.store.commit(&batch).await?;
        }
        Ok(())
    }

    /// The next instant something is due (a second call, an escalation, the digest).
    pub fn next_due(&self) -> Option<Instant> {
        [
            engine::next_due(&self.requests, &self.config),
            self.next_digest(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Sends the outbox's due mail through `transport`, marking each (see
    /// [`crate::outbox`]; without the echo, as the Maildir outbox needs none).
    pub async fn deliver<T: Transport>(
        &self,
        transport: &mut T,
        now: Instant,
    ) -> anyhow::Result<usize> {
        let mut deliverer = crate::outbox::Deliverer::plain(&self.config);
        let round = deliverer
            .round(transport, &self.store, &self.requests, now)
            .await?;
        Ok(round.sent)
    }

    /// When the earliest calendar edit that failed for now is due to be
    /// tried again (None when none waits).
    pub async fn next_edit_retry(&self) -> anyhow::Result<Option<Instant>> {
        Ok(self
            .store
            .edits_in_state(DeliveryState::Pending)
            .await?
            .iter()
            .filter_map(|e| e.next_attempt_at)
            .min())
    }

    /// Applies pending calendar edits, then re-reads the schedule if any changed.
    pub async fn apply_calendar_edits(&mut self, now: Instant) -> anyhow::Result<usize> {
        let mut applied = 0;
        for item in self.store.due_edits(now).await? {
            // A leader that lost its lease edits nothing more.
            self.store.confirm_fence().await?;
            match self.calendar.apply(&item.op, &self.config, now).await {
                Ok(_) => {
                    self.store.mark_edit_done(&item.key, now).await?;
                    applied += 1;
                }
                Err(e) => {
                    let retry = (e.transient && item.attempts + 1 < MAX_ATTEMPTS)
                        .then(|| now + backoff(item.attempts));
                    tracing::warn!(key = %item.key, error = %e, retry = ?retry, "calendar edit failed");
                    self.store
                        .mark_edit_failed(&item.key, &e.message, retry)
                        .await?;
                }
            }
        }
        if applied > 0 {
            let around = self.window_at.map(|_| now);
            match self.calendar.schedule_around(&self.config, around).await {
                Ok(s) => {
                    if around.is_some() {
                        self.window_at = around;
                    }
                    self.adopt_schedule(s, now, false).await?;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "re-reading the calendar failed; keeping the old schedule")
                }
            }
        }
        Ok(applied)
    }

    /// How often the daemon looks at the calendar for edits people made
    /// there (`calendar.refresh`): a cheap look (the file's time and size,
    /// CalDAV's getctag, sync-token or ETags, a Graph delta round) that
    /// reads the schedule again only when the calendar changed.
    pub fn calendar_refresh_every(&self) -> Option<TimeDelta> {
        Some(self.config.calendar_refresh)
    }

    /// Takes up a schedule just read: re-resolves the open requests whose
    /// shifts it moved, gave away or dropped ([`engine::on_schedule_change`],
    /// which tells their requesters and the coordinator), and logs what
    /// changed when people changed it (`by_people`; the program's own
    /// edits are logged where they are made). After the program's own
    /// edits the daemon still re-resolves, since the re-read may carry a
    /// person's edit too; `simulate`, where nobody else edits, does not.
    /// Returns how many requests changed.
    async fn adopt_schedule(
        &mut self,
        schedule: Schedule,
        now: Instant,
        by_people: bool,
    ) -> anyhow::Result<usize> {
        let old = std::mem::replace(&mut self.schedule, std::sync::Arc::new(schedule));
        let new = self.schedule.clone();
        if by_people {
            let change = new.changes_since(&old, Span::new(now, now + CHANGE_LOG_AHEAD));
            if !change.is_empty() {
                tracing::info!(
                    "schedule changed: {}",
                    change.describe(&self.config.roster, self.config.timezone)
                );
            }
        }
        // `simulate` (no window: the whole calendar) sees only its own
        // edits, already accounted for by the requests that made them.
        if !by_people && self.window_at.is_none() {
            return Ok(0);
        }
        self.reschedule(&*old, now, "schedule changed under an open request")
            .await
    }

    /// Applies the schedule of the moment to the open requests, compared
    /// with `old` ([`engine::on_schedule_change`]), and records it with
    /// the days of the schedule now acted on. Returns how many requests
    /// the change was applied to (not those only kept open with a note to
    /// the coordinator).
    async fn reschedule(
        &mut self,
        old: &impl crate::schedule::Shifts,
        now: Instant,
        log: &str,
    ) -> anyhow::Result<usize> {
        let new = self.schedule.clone();
        let step = engine::on_schedule_change(&self.requests, old, &*new, now, &self.config);
        // A shift kept although its event names nobody on the roster any
        // more is said too: it explains the coordinator's note.
        for a in step
            .audit
            .iter()
            .filter(|a| a.decision == "schedule changed" || a.decision == engine::KEPT_UNOWNED)
        {
            tracing::info!(
                request = a.request_id.as_deref().unwrap_or(""),
                "{log}: {}",
                a.reason
            );
        }
        let applied = step
            .audit
            .iter()
            .filter(|a| a.decision == "schedule changed")
            .count();
        self.commit_step(batch_of(step), now, true).await?;
        Ok(applied)
    }

    /// Compares the days of the schedule the last run acted on (kept in
    /// the store) with the calendar read at this start, and applies what
    /// changed while the daemon was stopped exactly as a change seen
    /// while running: the same decisions, the same mail. From then on
    /// every decision keeps those days current in the same transaction,
    /// so a second start finds nothing more to do. The daemon calls this
    /// once the store is fenced, before the first message. Returns how
    /// many requests changed.
    pub async fn catch_up_schedule(&mut self, now: Instant) -> anyhow::Result<usize> {
        let kept = self.store.schedule_excerpt(self.config.timezone).await?;
        // Open requests with shifts still ahead and nothing kept: only a
        // first start (or a database from before schema 6) leaves that.
        let in_question = engine::days_in_question(&self.requests, now, self.config.timezone);
        if kept.is_empty() && !in_question.is_empty() {
            tracing::info!(
                days = in_question.len(),
                "no schedule was kept from an earlier run (a first start, or a database from before schema 6): calendar edits made before this start are not compared; from now on the schedule the open requests refer to is kept"
            );
        }
        self.excerpt = Some(kept.clone());
        let changed = self
            .reschedule(
                &kept,
                now,
                "schedule changed while the daemon was stopped, under an open request",
            )
            .await?;
        if changed > 0 {
            tracing::info!(
                requests = changed,
                "calendar edits made while the daemon was stopped were applied to open requests"
            );
        }
        Ok(changed)
    }

    /// What to write so that the kept days of the schedule follow the
    /// requests as they will be once `changed` is taken up: new days
    /// added from the schedule, days no longer in question dropped, and
    /// with `reread` (the schedule was read again) every kept day
    /// compared. Nothing while no excerpt is kept.
    fn excerpt_changes(&self, changed: &[Request], now: Instant, reread: bool) -> ExcerptChanges {
        let Some(kept) = &self.excerpt else {
            return Vec::new();
        };
        let replaced: std::collections::HashSet<&str> =
            changed.iter().map(|r| r.id.as_str()).collect();
        let requests = self
            .requests
            .iter()
            .filter(|r| !replaced.contains(r.id.as_str()))
            .chain(changed);
        let wanted = engine::days_in_question(requests, now, self.config.timezone);
        kept.changes_to(&wanted, &self.schedule, reread)
    }

    /// Records one decision with what it changes of the kept days of the
    /// schedule, in one transaction, then takes both up in memory. A
    /// decision that changes nothing writes nothing. Returns the batch
    /// written.
    async fn commit_step(
        &mut self,
        mut batch: Batch,
        now: Instant,
        reread: bool,
    ) -> anyhow::Result<Batch> {
        batch.excerpt = self.excerpt_changes(&batch.requests, now, reread);
        let empty = batch.message.is_none()
            && batch.requests.is_empty()
            && batch.mail.is_empty()
            && batch.edits.is_empty()
            && batch.audit.is_empty()
            && batch.meta.is_empty()
            && batch.excerpt.is_empty();
        if empty {
            return Ok(batch);
        }
        self.store.commit(&batch).await?;
        self.merge(&batch.requests);
        if let Some(kept) = &mut self.excerpt {
            kept.apply(&batch.excerpt);
        }
        Ok(batch)
    }

    /// [`Service::refresh_calendar`] when the last reading is older than
    /// [`Service::calendar_refresh_every`].
    pub async fn refresh_calendar_when_due(&mut self, now: Instant) -> anyhow::Result<usize> {
        let Some(every) = self.calendar_refresh_every() else {
            return Ok(0);
        };
        // The schedule was read when the service opened: the first round
        // only starts the clock.
        let Some(last) = self.calendar_read_at else {
            self.calendar_read_at = Some(now);
            return Ok(0);
        };
        if now - last < every && now >= last {
            return Ok(0);
        }
        self.calendar_read_at = Some(now);
        // The window moves on with the clock even on a calendar nobody
        // touches, so shifts months ahead come into it in time.
        if let Some(at) = self.window_at
            && (now - at >= WINDOW_SLIDE || now < at)
        {
            let schedule = self
                .calendar
                .schedule_around(&self.config, Some(now))
                .await
                .map_err(|e| anyhow::anyhow!("reading the calendar: {e}"))?;
            self.window_at = Some(now);
            self.adopt_schedule(schedule, now, true).await?;
        }
        self.refresh_calendar(now).await
    }

    /// Looks whether the calendar changed ([`Calendar::refresh`]: the
    /// file's stamp, CalDAV's getctag / sync-token / ETags, a Graph delta
    /// round) and, when it did, takes up the new schedule, so edits people
    /// made there are seen and applied to open requests; and acts on every
    /// coverer who declined their invitation: the shift is open again.
    /// Returns how many declines were handled.
    pub async fn refresh_calendar(&mut self, now: Instant) -> anyhow::Result<usize> {
        let around = self.window_at.map(|_| now);
        let (schedule, declines) = self
            .calendar
            .refresh(&self.config, around)
            .await
            .map_err(|e| anyhow::anyhow!("reading the calendar: {e}"))?;
        if let Some(schedule) = schedule {
            if around.is_some() {
                self.window_at = around;
            }
            self.adopt_schedule(schedule, now, true).await?;
        }
        let mut handled = 0;
        for d in declines {
            let step = engine::on_decline(&self.requests, &d.coverer, d.span, now, &self.config);
            if step.changed.is_empty() {
                continue;
            }
            self.commit_step(batch_of(step), now, false).await?;
            tracing::info!(coverer = %d.coverer, event = %d.subject, "the coverer declined; the shift is open again");
            handled += 1;
        }
        Ok(handled)
    }

    /// Open requests and the next deadline, for STATUS= and logs.
    pub fn status_line(&self) -> String {
        let open = self
            .requests
            .iter()
            .filter(|r| r.state == engine::RequestState::Open)
            .count();
        let next = self
            .next_due()
            .map(|t| {
                t.with_timezone(&self.config.timezone)
                    .format("%a %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|| "none".into());
        format!("{open} open request(s); next deadline {next}")
    }

    /// The report `simulate` prints: every request, its state and shifts.
    pub fn report(&self) -> serde_json::Value {
        let tz = self.config.timezone;
        let t = |i: Instant| i.with_timezone(&tz).to_rfc3339();
        let requests: Vec<serde_json::Value> = self
            .requests
            .iter()
            .map(|r| {
                serde_json::json!({
                    "requester": r.requester,
                    "kind": r.kind.as_str(),
                    "state": r.state.as_str(),
                    "shifts": r.shifts.iter().map(|s| serde_json::json!({
                        "start": t(s.span.start),
                        "end": t(s.span.end),
                        "covered_by": s.covered_by,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::json!({ "requests": requests })
    }
}
