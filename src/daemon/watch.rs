//! The mailbox watch: the daemon's work loop, as a state machine over the
//! mailbox connection ([`Link`]).
//!
//! Once connected: catch up on every message above the stored last UID (in
//! batches whose fetching, reading and storing overlap; the mailbox state is
//! stored only after a batch is committed, so a crash re-reads it and
//! Message-ID dedupe makes that harmless), send the outbox, apply calendar
//! edits, fire what is due, then wait for mail with IDLE until the next
//! deadline (25 minutes at most). Any IMAP failure drops the connection and
//! reconnects with backoff. A session signed in with an OAuth2 token is
//! replaced before its token lapses.

use std::sync::Arc;
use std::time::Duration;

use tracing::{debug, error, info, warn};

use super::effects::{Leftovers, step_effects, wait_until_due};
use super::notify::{Activity, Reporter, notify, tell_status};
use super::signals::{RUNNING, STOP, Signals};
use super::transport::Outbound;
use crate::auth::{AuthError, Credential, Health, token::PERMANENT_RETRY};
use crate::clock;
use crate::config::Server;
use crate::live::imap::{Backoff, FETCH_BATCH, ImapError, ImapWatcher, MAX_IDLE, Timeouts, Wake};
use crate::metrics;
use crate::service::{HandleOutcome, Service};
use crate::store::MailboxState;

/// What the loop works with: the mailbox to watch and how to sign in, the
/// outbox, and the shared figures.
pub struct Ports {
    pub server: Server,
    pub folder: String,
    pub poll: Duration,
    pub credential: Credential,
    pub outbound: Outbound,
    /// Delivery: order, retries, the echo check ([`crate::outbox`]).
    pub deliverer: crate::outbox::Deliverer,
    pub live: Arc<metrics::Live>,
    /// This desk's sign-ins (IMAP, SMTP, its calendar).
    pub health: Arc<Health>,
    /// Where STATUS= and the watchdog's signs of life go.
    pub report: Reporter,
}

/// The mailbox connection's state.
enum Link {
    /// No connection; the next attempt not before `retry_at`.
    Offline {
        retry_at: Option<std::time::Instant>,
    },
    /// Signed in, with the folder selected.
    Online(Box<ImapWatcher>),
}

/// Facts the loop keeps across rounds.
struct Watch {
    backoff: Backoff,
    /// READY=1 was sent (the mailbox was read up to date once).
    ready: bool,
    /// A connection was made before, so the next one is a reconnect.
    connected_before: bool,
    left: Leftovers,
    /// Replies read before the message they answer ([`crate::reorder`]).
    replies: crate::reorder::ReplyWait,
}

/// The longest wait between attempts to reach the mailbox while it is
/// down, so watching resumes within seconds of its return. A refused login
/// or a missing folder waits far longer (`live::imap::after_failed_connect`).
const RECONNECT_CEILING: Duration = Duration::from_secs(3);

/// Runs the watch until a signal; returns STOP or RELOAD.
pub async fn run(
    mut service: Service,
    mut ports: Ports,
    shutdown: &Signals,
    leadership: &mut impl super::desks::Lead,
) -> anyhow::Result<u8> {
    let mut watch = Watch {
        backoff: Backoff::new(Duration::from_secs(1), RECONNECT_CEILING),
        ready: false,
        connected_before: false,
        left: Leftovers::default(),
        replies: crate::reorder::ReplyWait::new(service.config().reply_wait),
    };
    let mut link = Link::Offline { retry_at: None };
    loop {
        if shutdown.get() != RUNNING {
            break;
        }
        // Every round of this loop, whatever it did, tells the watchdog: a
        // round that never ends (a hung connection, a stuck query) is what
        // systemd should restart. Each wait below is capped at half the
        // watchdog period (a quarter with several desks: see board.rs).
        ports.report.alive();
        // Nothing is recorded or done by an instance that lost the lead.
        leadership.confirm().await?;
        link = match link {
            Link::Offline { retry_at } => {
                offline(&mut service, &mut ports, shutdown, &mut watch, retry_at).await
            }
            Link::Online(w) => online(&mut service, &mut ports, shutdown, &mut watch, w).await?,
        };
    }
    if let Link::Online(w) = link {
        w.logout().await;
    }
    Ok(shutdown.get())
}

/// Not connected: the outbox still goes out, and the deadlines fire too
/// once the mailbox has been down for a while (not at once: mail waiting
/// there may cover or withdraw what is due). Then wait for the retry, or
/// connect.
async fn offline(
    service: &mut Service,
    ports: &mut Ports,
    shutdown: &Signals,
    watch: &mut Watch,
    retry_at: Option<std::time::Instant>,
) -> Link {
    let fire = watch.backoff.failures() >= 3;
    watch.left = step_effects(service, &mut ports.outbound, &mut ports.deliverer, fire).await;
    let folder = ports.folder.as_str();
    if let Some(at) = retry_at {
        let now = std::time::Instant::now();
        if now < at {
            shutdown
                .sleep(
                    ports
                        .report
                        .cap(wait_until_due(service, at - now, watch.left)),
                )
                .await;
            return Link::Offline { retry_at };
        }
    }
    if retry_at.is_none() {
        tell_status(
            service,
            folder,
            &Activity::Connecting,
            &ports.report,
            &ports.health,
        )
        .await;
    }
    let connected = tokio::select! {
        r = ImapWatcher::connect_as(&ports.server, folder, &ports.credential, Timeouts::default()) => Some(r),
        _ = shutdown.wake.notified() => None,
    };
    let bearer = matches!(ports.credential, Credential::Bearer { .. });
    match connected {
        None => Link::Offline { retry_at },
        Some(Ok(mut w)) => {
            if watch.connected_before {
                ports.live.count_reconnect();
            }
            watch.connected_before = true;
            if bearer && ports.health.ok("imap") {
                info!("signing in to the mailbox works again");
            }
            w.set_poll_interval(ports.poll);
            info!(
                server = %format!("{}:{}", ports.server.host, ports.server.port),
                folder = %folder,
                idle = w.info().idle,
                uid_validity = w.uid_validity(),
                "mailbox connected"
            );
            Link::Online(Box::new(w))
        }
        Some(Err(e)) => {
            ports.live.count_connect_failure();
            let refused = sign_in_refusal(&e, bearer);
            if let Some(auth) = &refused {
                // Said once, plainly; the repeats are only noted. A refused
                // secret is tried again slowly (or at once on SIGHUP).
                let news = ports.health.failed("imap", auth);
                if !auth.is_transient() {
                    if news {
                        error!(error = %e, retry_in = ?PERMANENT_RETRY, "cannot sign in to the mailbox: a person must fix the credential (see README, \"Microsoft 365\" or \"Google Workspace\"); SIGHUP retries at once");
                    } else {
                        debug!(error = %e, "the mailbox sign-in is still refused");
                    }
                    let activity = Activity::SignInRefused {
                        error: e.to_string(),
                        retry_in: PERMANENT_RETRY,
                    };
                    tell_status(service, folder, &activity, &ports.report, &ports.health).await;
                    return Link::Offline {
                        retry_at: Some(std::time::Instant::now() + PERMANENT_RETRY),
                    };
                }
            }
            // A refused password or a missing folder needs a person: said
            // once, plainly, and retried slowly (see after_failed_connect).
            let (delay, error) = crate::live::imap::after_failed_connect(
                &e,
                &mut watch.backoff,
                clock::jitter_seed(),
            );
            let activity = Activity::Unreachable {
                error,
                retry_in: delay,
            };
            tell_status(service, folder, &activity, &ports.report, &ports.health).await;
            Link::Offline {
                retry_at: Some(std::time::Instant::now() + delay),
            }
        }
    }
}

/// The sign-in fault in a connection error, when the sign-in is OAuth2:
/// no token (transient or refused by the provider), or the server refusing
/// a fresh token too (permanent).
fn sign_in_refusal(e: &ImapError, bearer: bool) -> Option<AuthError> {
    if !bearer {
        return None;
    }
    match e {
        ImapError::Token(a) => Some(a.clone()),
        ImapError::Login { .. } => Some(AuthError::Permanent(e.to_string())),
        _ => None,
    }
}

/// Connected: read what is new, do the round's effects, wait for mail.
async fn online(
    service: &mut Service,
    ports: &mut Ports,
    shutdown: &Signals,
    watch: &mut Watch,
    mut w: Box<ImapWatcher>,
) -> anyhow::Result<Link> {
    let folder = ports.folder.as_str();
    if !w.is_usable() {
        return Ok(Link::Offline { retry_at: None });
    }
    // Exchange drops a session whose token lapsed: sign in again with a
    // fresh token first.
    if w.sign_in_again_at()
        .is_some_and(|at| at <= std::time::Instant::now())
    {
        info!("the sign-in token is about to lapse; signing in to the mailbox again");
        w.logout().await;
        return Ok(Link::Offline { retry_at: None });
    }
    match catch_up(
        service,
        &mut w,
        folder,
        shutdown,
        watch.ready,
        &mut watch.replies,
        ports,
    )
    .await
    {
        Ok(n) => {
            watch.backoff.reset();
            ports.live.synced(clock::now());
            if n > 0 {
                debug!(messages = n, "read new mail");
            }
        }
        Err(e) => {
            let delay = watch.backoff.next_delay(clock::jitter_seed());
            let error = format!("{e:#}");
            warn!(error = %error, retry_in = ?delay, "reading the mailbox failed; reconnecting");
            let activity = Activity::Unreachable {
                error,
                retry_in: delay,
            };
            tell_status(service, folder, &activity, &ports.report, &ports.health).await;
            return Ok(Link::Offline {
                retry_at: Some(std::time::Instant::now() + delay),
            });
        }
    }
    if !watch.ready {
        watch.ready = true;
        notify("READY=1");
        info!("caught up; watching for mail");
    }
    watch.left = step_effects(service, &mut ports.outbound, &mut ports.deliverer, true).await;
    watch.left.reply_due = watch.replies.next_due();
    super::release_freed_memory();
    ports.report.alive();
    tell_status(
        service,
        folder,
        &Activity::Watching,
        &ports.report,
        &ports.health,
    )
    .await;
    if shutdown.get() != RUNNING {
        return Ok(Link::Online(w));
    }

    let mut wait = ports
        .report
        .cap(wait_until_due(service, MAX_IDLE, watch.left));
    if let Some(at) = w.sign_in_again_at() {
        wait = wait.min(at.saturating_duration_since(std::time::Instant::now()));
    }
    let woke = tokio::select! {
        r = w.wait_for_mail(wait) => Some(r),
        _ = shutdown.wake.notified() => None,
    };
    Ok(match woke {
        // A signal ended the wait; the IDLE was dropped midway, so the
        // connection is not reused.
        None => Link::Offline { retry_at: None },
        Some(Ok(Wake::Changed)) | Some(Ok(Wake::TimedOut)) => Link::Online(w),
        Some(Err(e)) => {
            warn!(error = %e, "the mailbox connection failed while waiting; reconnecting");
            Link::Offline { retry_at: None }
        }
    })
}

/// Reads and handles every message above the stored last UID, in batches,
/// storing the mailbox state after each committed batch (and once more at
/// the end, so the stored sync time says when the mailbox was last read up
/// to date). Stops early (after the batch in hand) when a signal came.
/// Returns how many were read.
///
/// The batches go through three stages that overlap: while batch k is
/// read (on the reading threads), batch k+1 is fetched; while batch k is
/// decided and stored, batch k+1 is read. What is fetched or read ahead is
/// only ever held in memory: a batch counts as done, and the sync point
/// moves past it, only once its decisions are committed, so a crash or a
/// dropped connection mid-catch-up reads the uncommitted batches again on
/// the next round, where Message-IDs keep anything from being acted on
/// twice.
async fn catch_up(
    service: &mut Service,
    watcher: &mut ImapWatcher,
    folder: &str,
    signals: &Signals,
    ready: bool,
    replies: &mut crate::reorder::ReplyWait,
    ports: &Ports,
) -> anyhow::Result<usize> {
    let validity = watcher.uid_validity();
    let mut last = match service.store().mailbox_state(folder).await? {
        Some(s) if s.uid_validity == validity => s.last_uid,
        Some(s) => {
            warn!(
                folder,
                old = s.uid_validity,
                new = validity,
                "UIDVALIDITY changed: reading the folder again from the start (Message-IDs keep anything from being handled twice)"
            );
            0
        }
        None => 0,
    };
    let mut total = 0;
    let mut figures = CatchUpFigures::default();
    let began = std::time::Instant::now();
    loop {
        let uids = watcher.new_uids(last).await?;
        if uids.is_empty() {
            service
                .store()
                .set_mailbox_state(
                    folder,
                    MailboxState {
                        uid_validity: validity,
                        last_uid: below_held(last, replies),
                        synced_at: clock::now(),
                    },
                )
                .await?;
            figures.log(total, began.elapsed());
            // After a catch-up the next mail is likely a while away, and
            // the reading process holds the most memory it ever will: it
            // leaves now instead of lingering (crate::reader_process).
            if total > FETCH_BATCH {
                crate::reader_process::retire_when_idle();
            }
            return Ok(total);
        }
        let chunks: Vec<&[u32]> = uids.chunks(FETCH_BATCH).collect();
        let first = fetch_batch(watcher, chunks[0]).await?;
        let mut reading = Some(read_batch(service, first));
        for (k, chunk) in chunks.iter().enumerate() {
            let Some(in_hand) = reading.take() else {
                break;
            };
            // The next batch comes over the wire while this one is read.
            let (next, read) = tokio::join!(
                async {
                    match chunks.get(k + 1) {
                        Some(c) => fetch_batch(watcher, c).await.map(Some),
                        None => Ok(None),
                    }
                },
                in_hand
            );
            let read = read.map_err(|e| anyhow::anyhow!("reading a batch of mail failed: {e}"))?;
            // The next batch is read while this one is decided and stored;
            // a failed fetch still lets this batch be stored first.
            let fetch_failed = match next {
                Ok(Some(fetched)) => {
                    figures.fetching += fetched.took;
                    reading = Some(read_batch(service, fetched));
                    None
                }
                Ok(None) => None,
                Err(e) => Some(e),
            };
            if k == 0 {
                figures.fetching += read.fetch_took;
            }
            figures.reading += read.took;
            let storing = std::time::Instant::now();
            let now = clock::now();
            // Replies whose thread is not read yet wait (crate::reorder).
            let readings =
                crate::reorder::order_read(service, replies, &read.uids, read.readings, now)
                    .await?;
            let ids: Vec<String> = readings.iter().map(|r| r.message_id.clone()).collect();
            let outcomes = if let [one] = readings.as_slice() {
                // One at a time (the usual live case) logs each message.
                vec![service.handle_reading(one, now).await?]
            } else {
                service.handle_readings(readings, now).await?
            };
            for (message_id, outcome) in ids.iter().zip(&outcomes) {
                match outcome {
                    HandleOutcome::Duplicate => debug!(message_id, "already handled"),
                    HandleOutcome::Handled { kind, mails } => {
                        debug!(message_id, kind = kind.as_str(), mails, "message handled")
                    }
                }
            }
            // Every UID of the chunk counts as read, including any the
            // server no longer had (expunged meanwhile).
            let top = chunk.last().copied().unwrap_or(last);
            last = last.max(top);
            total += read.uids.len();
            service
                .store()
                .set_mailbox_state(
                    folder,
                    MailboxState {
                        uid_validity: validity,
                        last_uid: below_held(last, replies),
                        synced_at: now,
                    },
                )
                .await?;
            figures.storing += storing.elapsed();
            if chunks.len() > 1 {
                info!(read = total, uid = last, "catching up");
            }
            // A long catch-up is progress: the watchdog hears of each batch,
            // and before READY the start timeout is pushed out batch by
            // batch (a stuck batch still times out).
            ports.report.alive();
            if !ready {
                notify("EXTEND_TIMEOUT_USEC=90000000");
            }
            let activity = Activity::CatchingUp { read: total };
            tell_status(service, folder, &activity, &ports.report, &ports.health).await;
            if let Some(e) = fetch_failed {
                return Err(e.into());
            }
            if signals.get() == STOP {
                // A batch read ahead is dropped unstored: the next start
                // reads it again.
                return Ok(total);
            }
        }
    }
}

/// A batch as fetched: its messages (UID and raw bytes, ascending) and how
/// long the fetch took.
struct Fetched {
    messages: Vec<(u32, Vec<u8>)>,
    took: std::time::Duration,
}

async fn fetch_batch(watcher: &mut ImapWatcher, uids: &[u32]) -> Result<Fetched, ImapError> {
    let started = std::time::Instant::now();
    let messages = watcher.fetch_uids(uids).await?;
    Ok(Fetched {
        messages,
        took: started.elapsed(),
    })
}

/// A batch as read: the UIDs and readings in the same order, how long the
/// reading took, and how long its fetch had.
struct Read {
    uids: Vec<u32>,
    readings: Vec<crate::model::Reading>,
    took: std::time::Duration,
    fetch_took: std::time::Duration,
}

/// Starts reading a fetched batch on a blocking thread (which hands the
/// messages to the reading threads and waits for them), so the daemon's
/// own task can fetch and store meanwhile.
fn read_batch(service: &Service, fetched: Fetched) -> tokio::task::JoinHandle<Read> {
    let (uids, raws): (Vec<u32>, Vec<Vec<u8>>) = fetched.messages.into_iter().unzip();
    let job = service.batch_read_job(raws);
    let fetch_took = fetched.took;
    tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let readings = job();
        Read {
            uids,
            readings,
            took: started.elapsed(),
            fetch_took,
        }
    })
}

/// Where a catch-up's time went, by the wall clock. The stages overlap, so
/// their sum exceeds the whole when the overlap works.
#[derive(Debug, Default)]
struct CatchUpFigures {
    fetching: Duration,
    reading: Duration,
    storing: Duration,
}

impl CatchUpFigures {
    /// Says where the time of a catch-up of `total` messages went: at info
    /// for a catch-up of more than one batch, else at debug.
    fn log(&self, total: usize, took: Duration) {
        if total == 0 {
            return;
        }
        let ms = |d: Duration| d.as_millis() as u64;
        if total > FETCH_BATCH {
            info!(
                messages = total,
                took_ms = ms(took),
                fetching_ms = ms(self.fetching),
                reading_ms = ms(self.reading),
                storing_ms = ms(self.storing),
                "read the mailbox up to date"
            );
        } else {
            debug!(
                messages = total,
                took_ms = ms(took),
                fetching_ms = ms(self.fetching),
                reading_ms = ms(self.reading),
                storing_ms = ms(self.storing),
                "read the mailbox up to date"
            );
        }
    }
}

/// The sync point to store: `last`, or just below the first reply still
/// held, so a restart reads it again.
fn below_held(last: u32, replies: &crate::reorder::ReplyWait) -> u32 {
    match replies.lowest_held() {
        Some(uid) => last.min(uid.saturating_sub(1)),
        None => last,
    }
}
