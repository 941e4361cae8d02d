//! `shiftcover run` and `shiftcover check`: the daemon that watches the
//! list's mailbox over IMAP, fires deadlines on the wall clock, and sends the
//! outbox over SMTP, all through the same [`Service`] that `simulate` drives
//! on a virtual clock.
//!
//! The loop, once connected: catch up on every message above the stored last
//! UID (in batches; the mailbox state is stored only after a batch is
//! committed, so a crash re-reads it and Message-ID dedupe makes that
//! harmless), send the outbox, apply calendar edits, fire what is due, then
//! wait for mail with IDLE until the next deadline (25 minutes at most).
//! Any IMAP failure drops the connection and reconnects with backoff.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use tokio::sync::Notify;
use tracing::{debug, error, info, warn};

use crate::clock;
use crate::config::{CalendarBackend, Config, MailboxBackend, OutboxBackend, Server};
use crate::live::imap::{Backoff, FETCH_BATCH, ImapWatcher, MAX_IDLE, Wake};
use crate::live::maildir::MaildirOut;
use crate::live::smtp::SmtpSender;
use crate::metrics;
use crate::service::{HandleOutcome, SendError, Service, Transport};
use crate::store::{DeliveryState, MailboxState};

/// How often the loop looks again at the outbox while a send waits for its
/// retry, when nothing else wakes it sooner.
const OUTBOX_RECHECK: Duration = Duration::from_secs(30);

/// Sets up tracing: readable with colours on a terminal; one plain line per
/// event, without colours, under systemd (JOURNAL_STREAM set, where the
/// journal adds its own timestamps) or when writing to a file. RUST_LOG
/// overrides the level (default info).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let tty = std::io::stderr().is_terminal();
    let journal = std::env::var_os("JOURNAL_STREAM").is_some();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(tty && !journal)
        .with_target(false);
    let result = if journal && !tty {
        builder.without_time().try_init()
    } else {
        builder.try_init()
    };
    // A second call (tests) keeps the first subscriber.
    let _ = result;
}

/// The password for `server`, read from its `password_file` with the
/// trailing newline trimmed; None when the server needs no login. The error
/// names the file, never its content.
pub fn read_password(server: &Server) -> anyhow::Result<Option<String>> {
    if server.username.is_none() {
        return Ok(None);
    }
    let Some(path) = &server.password_file else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the password file {}", path.display()))?;
    let password = text.trim_end_matches(['\r', '\n']);
    // The package installs empty password files; say so rather than log in
    // with an empty password and get a puzzling refusal.
    if password.is_empty() {
        anyhow::bail!(
            "the password file {} is empty: put the password in it",
            path.display()
        );
    }
    Ok(Some(password.to_string()))
}

/// Tells systemd (or whatever set `$NOTIFY_SOCKET`) about the daemon's state:
/// "READY=1", "WATCHDOG=1", "STATUS=...", "STOPPING=1". Does nothing without
/// the variable; returns whether a datagram went out. Abstract sockets
/// ("@name") are supported.
pub fn notify(state: &str) -> bool {
    let Some(target) = std::env::var_os("NOTIFY_SOCKET") else {
        return false;
    };
    let Ok(sock) = std::os::unix::net::UnixDatagram::unbound() else {
        return false;
    };
    let bytes = target.as_encoded_bytes();
    if let Some(name) = bytes.strip_prefix(b"@") {
        use std::os::linux::net::SocketAddrExt;
        match std::os::unix::net::SocketAddr::from_abstract_name(name) {
            Ok(addr) => sock.send_to_addr(state.as_bytes(), &addr).is_ok(),
            Err(_) => false,
        }
    } else {
        sock.send_to(state.as_bytes(), Path::new(&target)).is_ok()
    }
}

/// Where mail leaves: the SMTP relay or a Maildir folder.
pub enum Outbound {
    // Boxed: the SMTP client is far larger than a Maildir path.
    Smtp(Box<SmtpSender>),
    Maildir(MaildirOut),
}

impl Outbound {
    pub fn from_config(config: &Config) -> anyhow::Result<Outbound> {
        Ok(match &config.outbox {
            OutboxBackend::Smtp { server } => {
                let password = read_password(server)?;
                Outbound::Smtp(Box::new(
                    SmtpSender::new(server, password.as_deref())
                        .map_err(|e| anyhow::anyhow!("outbox: {}", e.message))?,
                ))
            }
            OutboxBackend::Maildir { path } => Outbound::Maildir(
                MaildirOut::new(path).with_context(|| format!("outbox.path {}", path.display()))?,
            ),
        })
    }
}

impl Transport for Outbound {
    async fn send(&mut self, mail: &crate::compose::OutgoingMail) -> Result<(), SendError> {
        match self {
            Outbound::Smtp(s) => s.send(mail).await,
            Outbound::Maildir(m) => m.send(mail).await,
        }
    }
}

/// What a signal asked for.
const RUNNING: u8 = 0;
const RELOAD: u8 = 1;
const STOP: u8 = 2;

/// The signals, as a flag the loop reads between steps and a wake-up for
/// its waits. A stop outranks a reload.
#[derive(Clone)]
struct Signals {
    state: Arc<AtomicU8>,
    wake: Arc<Notify>,
}

impl Signals {
    fn install() -> anyhow::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        let s = Signals {
            state: Arc::new(AtomicU8::new(RUNNING)),
            wake: Arc::new(Notify::new()),
        };
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        let mut int = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
        let mut hup = signal(SignalKind::hangup()).context("listening for SIGHUP")?;
        let me = s.clone();
        tokio::spawn(async move {
            loop {
                let (what, name) = tokio::select! {
                    _ = term.recv() => (STOP, "SIGTERM"),
                    _ = int.recv() => (STOP, "SIGINT"),
                    _ = hup.recv() => (RELOAD, "SIGHUP"),
                };
                info!(
                    signal = name,
                    "{}",
                    if what == STOP {
                        "stopping after the message in hand"
                    } else {
                        "reloading the configuration"
                    }
                );
                me.state.fetch_max(what, Ordering::SeqCst);
                me.wake.notify_one();
            }
        });
        Ok(s)
    }

    fn get(&self) -> u8 {
        self.state.load(Ordering::SeqCst)
    }

    fn take_reload(&self) {
        let _ = self
            .state
            .compare_exchange(RELOAD, RUNNING, Ordering::SeqCst, Ordering::SeqCst);
    }

    /// Sleeps for `d` unless a signal comes first; true when one did.
    async fn sleep(&self, d: Duration) -> bool {
        if self.get() != RUNNING {
            return true;
        }
        tokio::select! {
            _ = tokio::time::sleep(d) => self.get() != RUNNING,
            _ = self.wake.notified() => true,
        }
    }
}

/// Runs the daemon until SIGTERM or SIGINT. SIGHUP reloads the config (a
/// config that no longer loads is logged and the old one kept).
///
/// Under systemd (`$NOTIFY_SOCKET`): READY=1 once the config is loaded, the
/// database migrated and the mailbox read up to date; WATCHDOG=1 on every
/// round of the work loop; STATUS= says what it is doing in words.
pub async fn run(config_path: &Path) -> anyhow::Result<()> {
    let result = run_until_stopped(config_path).await;
    if let Err(e) = &result {
        // `systemctl status` then shows why it stopped, next to the log.
        notify(&format!("STATUS=stopped: {}", one_line(&format!("{e:#}"))));
    }
    result
}

async fn run_until_stopped(config_path: &Path) -> anyhow::Result<()> {
    notify("STATUS=starting: reading the configuration");
    info!(version = env!("CARGO_PKG_VERSION"), config = %config_path.display(), "starting");
    let mut config = Config::load(config_path).map_err(|e| anyhow::anyhow!("{e}"))?;
    let signals = Signals::install()?;
    let live = Arc::new(metrics::Live::new(clock::now()));
    loop {
        notify("STATUS=starting: opening the database");
        // Active/standby on PostgreSQL: a standby waits here (see leader.rs).
        let stopped = || signals.get() != RUNNING;
        let Some(mut leadership) =
            crate::leader::wait_to_lead(&config, &live, &stopped, &standby_notice).await?
        else {
            notify("STOPPING=1");
            info!("stopped while standing by");
            return Ok(());
        };
        let mut service = Service::open(config.clone())
            .await
            .context("opening the service")?;
        // The first digest is due a week after the program first ran.
        service.start_clock(clock::now()).await?;
        info!(
            open_requests = service
                .requests()
                .iter()
                .filter(|r| r.state == crate::engine::RequestState::Open)
                .count(),
            "database and calendar ready"
        );
        let metrics_task = match config.metrics_listen {
            Some(addr) => {
                let listener = metrics::bind(addr)
                    .await
                    .with_context(|| format!("metrics.listen {addr}"))?;
                info!(%addr, "serving /metrics");
                Some(tokio::spawn(metrics::serve(
                    listener,
                    service.store().clone(),
                    live.clone(),
                )))
            }
            None => None,
        };
        let outcome = serve(service, &config, &signals, &live, &mut leadership).await;
        // The listener goes with the task, so a reload can bind it again.
        if let Some(task) = metrics_task {
            task.abort();
            let _ = task.await;
        }
        if outcome? == STOP {
            notify("STOPPING=1");
            info!("stopped");
            return Ok(());
        }
        notify("RELOADING=1");
        signals.take_reload();
        match Config::load(config_path) {
            Ok(c) => {
                info!(config = %config_path.display(), "configuration reloaded");
                config = c;
            }
            Err(e) => {
                error!(error = %e, "the new configuration does not load; keeping the old one")
            }
        }
    }
}

/// An error as one line, for STATUS= (which shows a single line).
fn one_line(text: &str) -> String {
    let flat: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(200)
        .collect();
    flat
}

/// What the work loop is doing, for STATUS=.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Activity {
    Connecting,
    CatchingUp { read: usize },
    Watching,
    Unreachable { error: String, retry_in: Duration },
}

/// The figures a STATUS= line shows besides the activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Figures {
    pub open_requests: usize,
    pub next_deadline: Option<crate::model::Instant>,
    pub outbox_waiting: i64,
    pub outbox_failed: i64,
}

/// The line `systemctl status` shows, e.g. "watching INBOX; 3 open
/// requests; next deadline Tue 09:00". Deadlines within the coming week
/// show as a weekday, later ones with their date.
pub fn status_text(
    folder: &str,
    activity: &Activity,
    figures: Figures,
    now: crate::model::Instant,
    tz: chrono_tz::Tz,
) -> String {
    let mut parts = vec![match activity {
        Activity::Connecting => format!("connecting to the mailbox ({folder})"),
        Activity::CatchingUp { read } => {
            format!("catching up on {folder}: {read} message(s) read")
        }
        Activity::Watching => format!("watching {folder}"),
        Activity::Unreachable { error, retry_in } => format!(
            "mailbox unreachable ({}); retrying in {}",
            one_line(error),
            humantime::format_duration(Duration::from_secs(retry_in.as_secs().max(1)))
        ),
    }];
    parts.push(match figures.open_requests {
        1 => "1 open request".to_string(),
        n => format!("{n} open requests"),
    });
    parts.push(match figures.next_deadline {
        None => "no deadline pending".to_string(),
        Some(t) => {
            let local = t.with_timezone(&tz);
            let when = if t - now < chrono::TimeDelta::days(6) {
                local.format("%a %H:%M").to_string()
            } else {
                local.format("%a %b %-d %H:%M").to_string()
            };
            if t < now - chrono::TimeDelta::minutes(1) {
                format!("next deadline {when} (overdue)")
            } else {
                format!("next deadline {when}")
            }
        }
    });
    if figures.outbox_waiting > 0 {
        parts.push(format!(
            "{} mail waiting to be sent",
            figures.outbox_waiting
        ));
    }
    if figures.outbox_failed > 0 {
        parts.push(format!(
            "{} mail could not be sent (see shiftcover status)",
            figures.outbox_failed
        ));
    }
    parts.join("; ")
}

/// Sends STATUS= for `activity` with the service's current figures.
async fn tell_status(service: &Service, folder: &str, activity: &Activity) {
    if std::env::var_os("NOTIFY_SOCKET").is_none() {
        return;
    }
    let store = service.store();
    let figures = Figures {
        open_requests: service
            .requests()
            .iter()
            .filter(|r| r.state == crate::engine::RequestState::Open)
            .count(),
        next_deadline: service.next_due(),
        outbox_waiting: store.mail_count(DeliveryState::Pending).await.unwrap_or(0),
        outbox_failed: store.mail_count(DeliveryState::Failed).await.unwrap_or(0),
    };
    let tz = service.config().timezone;
    notify(&format!(
        "STATUS={}",
        status_text(folder, activity, figures, clock::now(), tz)
    ));
}

/// The mailbox watch until a signal; returns STOP or RELOAD.
/// A standby is started (READY=1) and alive (WATCHDOG=1) while it waits.
fn standby_notice(status: &str) {
    notify(&format!("READY=1\nWATCHDOG=1\nSTATUS={status}"));
}

async fn serve(
    mut service: Service,
    config: &Config,
    signals: &Signals,
    live: &metrics::Live,
    leadership: &mut crate::leader::Leadership,
) -> anyhow::Result<u8> {
    let MailboxBackend::Imap {
        server,
        folder,
        poll_interval,
    } = &config.mailbox
    else {
        anyhow::bail!(
            "`run` watches an IMAP mailbox; set mailbox.backend = \"imap\" (a Maildir inbox is read by `simulate`)"
        );
    };
    let password = read_password(server)?;
    let mut outbound = Outbound::from_config(config)?;
    let poll = poll_interval.to_std().unwrap_or(Duration::from_secs(60));
    let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(300));
    let mut watcher: Option<ImapWatcher> = None;
    let mut ready = false;
    // Whether the mailbox was read since the last (re)connection.
    let mut synced = false;
    // Whether a connection was ever made, so the next one is a reconnect.
    let mut connected_before = false;
    // After a failure, no new connection before then (backoff).
    let mut retry_at: Option<std::time::Instant> = None;
    let mut left = Leftovers::default();

    loop {
        if signals.get() != RUNNING {
            break;
        }
        // Every round of this loop, whatever it did, tells the watchdog: a
        // round that never ends (a hung connection, a stuck query) is what
        // systemd should restart. Each wait below is capped at half the
        // watchdog period.
        notify("WATCHDOG=1");
        // Nothing is recorded or done by an instance that lost the lead.
        leadership.confirm().await?;
        // While the mailbox is unreachable the outbox still goes out; the
        // deadlines fire too once it has been down for a while (not at
        // once: mail waiting there may cover or withdraw what is due).
        if !synced {
            left = step_effects(&mut service, &mut outbound, backoff.failures() >= 3).await;
        }

        let w = match watcher.as_mut() {
            Some(w) if w.is_usable() => w,
            _ => {
                watcher = None;
                if let Some(at) = retry_at {
                    let now = std::time::Instant::now();
                    if now < at {
                        signals
                            .sleep(wait_until_due(&service, at - now, left))
                            .await;
                        continue;
                    }
                }
                if retry_at.is_none() {
                    tell_status(&service, folder, &Activity::Connecting).await;
                }
                let connected = tokio::select! {
                    r = ImapWatcher::connect(server, folder, password.as_deref()) => Some(r),
                    _ = signals.wake.notified() => None,
                };
                match connected {
                    None => continue,
                    Some(Ok(mut w)) => {
                        if connected_before {
                            live.count_reconnect();
                        }
                        connected_before = true;
                        retry_at = None;
                        w.set_poll_interval(poll);
                        info!(
                            server = %format!("{}:{}", server.host, server.port),
                            folder = %folder,
                            idle = w.info().idle,
                            uid_validity = w.uid_validity(),
                            "mailbox connected"
                        );
                        watcher.insert(w)
                    }
                    Some(Err(e)) => {
                        live.count_connect_failure();
                        let delay = backoff.next_delay(clock::jitter_seed());
                        warn!(error = %e, retry_in = ?delay, "cannot reach the mailbox");
                        retry_at = Some(std::time::Instant::now() + delay);
                        let activity = Activity::Unreachable {
                            error: e.to_string(),
                            retry_in: delay,
                        };
                        tell_status(&service, folder, &activity).await;
                        continue;
                    }
                }
            }
        };

        match catch_up(&mut service, w, folder, signals, ready).await {
            Ok(n) => {
                synced = true;
                backoff.reset();
                live.synced(clock::now());
                if n > 0 {
                    debug!(messages = n, "read new mail");
                }
            }
            Err(e) => {
                let delay = backoff.next_delay(clock::jitter_seed());
                let error = format!("{e:#}");
                warn!(error = %error, retry_in = ?delay, "reading the mailbox failed; reconnecting");
                watcher = None;
                synced = false;
                retry_at = Some(std::time::Instant::now() + delay);
                let activity = Activity::Unreachable {
                    error,
                    retry_in: delay,
                };
                tell_status(&service, folder, &activity).await;
                continue;
            }
        }
        if !ready {
            ready = true;
            notify("READY=1");
            info!("caught up; watching for mail");
        }
        leadership.confirm().await?;
        left = step_effects(&mut service, &mut outbound, true).await;
        release_freed_memory();
        notify("WATCHDOG=1");
        tell_status(&service, folder, &Activity::Watching).await;
        if signals.get() != RUNNING {
            break;
        }

        let wait = wait_until_due(&service, MAX_IDLE, left);
        let woke = tokio::select! {
            r = w.wait_for_mail(wait) => Some(r),
            _ = signals.wake.notified() => None,
        };
        match woke {
            // A signal ended the wait; the IDLE was dropped midway, so the
            // connection is not reused.
            None => {
                watcher = None;
                synced = false;
            }
            Some(Ok(Wake::Changed)) | Some(Ok(Wake::TimedOut)) => {}
            Some(Err(e)) => {
                warn!(error = %e, "the mailbox connection failed while waiting; reconnecting");
                watcher = None;
                synced = false;
            }
        }
    }
    if let Some(w) = watcher {
        w.logout().await;
    }
    Ok(signals.get())
}

/// What the last round of effects left behind, for the next wait.
#[derive(Debug, Default, Clone, Copy)]
struct Leftovers {
    /// A send failed and waits for its retry.
    retries_pending: bool,
    /// Firing deadlines failed; do not spin on a deadline in the past.
    tick_failed: bool,
}

/// Half the watchdog period systemd asked for (WATCHDOG_USEC), if any: no
/// wait of the loop may be longer.
fn watchdog_half() -> Option<Duration> {
    let usec = std::env::var("WATCHDOG_USEC")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|&u| u > 0)?;
    // WATCHDOG_PID, when set, names the process meant.
    if let Some(pid) = std::env::var("WATCHDOG_PID")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        && pid != std::process::id()
    {
        return None;
    }
    Some(Duration::from_micros(usec / 2))
}

/// How long the loop may wait: until the next deadline, the watchdog's half
/// period, or `max`, whichever is first.
fn wait_until_due(service: &Service, max: Duration, left: Leftovers) -> Duration {
    let mut wait = max;
    if let Some(due) = service.next_due() {
        let until = (due - clock::now()).to_std().unwrap_or(Duration::ZERO);
        wait = wait.min(until);
    }
    if let Some(half) = watchdog_half() {
        wait = wait.min(half);
    }
    if left.retries_pending {
        wait = wait.min(OUTBOX_RECHECK);
    }
    // A deadline that keeps failing must not turn the loop into a spin.
    let floor = if left.tick_failed {
        Duration::from_secs(5)
    } else {
        Duration::from_millis(10)
    };
    wait.max(floor)
}

/// Fires what is due (when `fire` allows), sends the outbox, applies
/// calendar edits. Errors are logged, not fatal: the store keeps the work
/// for the next round.
async fn step_effects(service: &mut Service, outbound: &mut Outbound, fire: bool) -> Leftovers {
    let mut left = Leftovers::default();
    let now = clock::now();
    if fire
        && service.next_due().is_some_and(|d| d <= now)
        && let Err(e) = service.tick(now).await
    {
        left.tick_failed = true;
        error!(error = %format!("{e:#}"), "firing deadlines failed; trying again shortly");
    }
    match service.deliver(outbound, now).await {
        Ok(n) if n > 0 => info!(sent = n, "mail sent"),
        Ok(_) => {}
        Err(e) => error!(error = %format!("{e:#}"), "sending the outbox failed"),
    }
    // Mail still in the outbox after a delivery round waits for a retry.
    let later = now + chrono::TimeDelta::days(3650);
    left.retries_pending = match service.store().due_mail(later).await {
        Ok(items) => !items.is_empty(),
        Err(_) => true,
    };
    match service.apply_calendar_edits(now).await {
        Ok(n) if n > 0 => info!(edits = n, "calendar updated"),
        Ok(_) => {}
        Err(e) => error!(error = %format!("{e:#}"), "calendar edits failed"),
    }
    left
}

/// Reads and handles every message above the stored last UID, in batches,
/// storing the mailbox state after each committed batch (and once more at
/// the end, so the stored sync time says when the mailbox was last read up
/// to date). Stops early (after the batch in hand) when a signal came.
/// Returns how many were read.
async fn catch_up(
    service: &mut Service,
    watcher: &mut ImapWatcher,
    folder: &str,
    signals: &Signals,
    ready: bool,
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
    loop {
        let uids = watcher.new_uids(last).await?;
        if uids.is_empty() {
            service
                .store()
                .set_mailbox_state(
                    folder,
                    MailboxState {
                        uid_validity: validity,
                        last_uid: last,
                        synced_at: clock::now(),
                    },
                )
                .await?;
            return Ok(total);
        }
        for chunk in uids.chunks(FETCH_BATCH) {
            let fetched = watcher.fetch_uids(chunk).await?;
            let now = clock::now();
            let raws: Vec<Vec<u8>> = fetched.iter().map(|(_, raw)| raw.clone()).collect();
            let outcomes = if raws.len() == 1 {
                vec![service.handle_message(&raws[0], now).await?]
            } else {
                service.handle_messages(&raws, now).await?
            };
            for ((uid, _), outcome) in fetched.iter().zip(&outcomes) {
                match outcome {
                    HandleOutcome::Duplicate => debug!(uid, "already handled"),
                    HandleOutcome::Handled { kind, mails } => {
                        debug!(uid, kind = kind.as_str(), mails, "message handled")
                    }
                }
            }
            // Every UID of the chunk counts as read, including any the
            // server no longer had (expunged meanwhile).
            let top = chunk.last().copied().unwrap_or(last);
            last = last.max(top);
            total += fetched.len();
            service
                .store()
                .set_mailbox_state(
                    folder,
                    MailboxState {
                        uid_validity: validity,
                        last_uid: last,
                        synced_at: now,
                    },
                )
                .await?;
            // A long catch-up is progress: the watchdog hears of each batch,
            // and before READY the start timeout is pushed out batch by
            // batch (a stuck batch still times out).
            notify("WATCHDOG=1");
            if !ready {
                notify("EXTEND_TIMEOUT_USEC=90000000");
            }
            tell_status(service, folder, &Activity::CatchingUp { read: total }).await;
            if signals.get() == STOP {
                return Ok(total);
            }
        }
    }
}

/// One line of `check`'s report.
fn say(ok: bool, what: &str, text: &str) {
    println!("{} {what}: {text}", if ok { "ok  " } else { "FAIL" });
}

/// Validates the config, then tries each server and says in plain words what
/// works. Returns whether everything did.
pub async fn check(config_path: &Path) -> anyhow::Result<bool> {
    let config = match Config::load(config_path) {
        Ok(c) => c,
        Err(e) => {
            say(
                false,
                "config",
                &format!("{} does not load: {e}", config_path.display()),
            );
            return Ok(false);
        }
    };
    say(
        true,
        "config",
        &format!(
            "{} is valid ({} staff, zone {})",
            config_path.display(),
            config.roster.members.len(),
            config.timezone
        ),
    );
    let mut all_ok = true;

    match &config.mailbox {
        MailboxBackend::Imap {
            server,
            folder,
            poll_interval,
        } => {
            let what = format!("IMAP {}:{}", server.host, server.port);
            let result = match read_password(server) {
                Err(e) => Err(format!("{e:#}")),
                Ok(pw) => ImapWatcher::connect(server, folder, pw.as_deref())
                    .await
                    .map_err(|e| e.to_string()),
            };
            match result {
                Ok(w) => {
                    let info = w.info().clone();
                    let user = server.username.as_deref().unwrap_or("(no login)");
                    let watch = if info.idle {
                        "IDLE supported".to_string()
                    } else {
                        format!(
                            "no IDLE: will poll every {}",
                            humantime::format_duration(
                                poll_interval.to_std().unwrap_or(Duration::from_secs(60))
                            )
                        )
                    };
                    say(
                        true,
                        &what,
                        &format!(
                            "logged in as {user}, folder {folder} has {} messages, {watch}",
                            info.exists
                        ),
                    );
                    w.logout().await;
                }
                Err(e) => {
                    all_ok = false;
                    say(false, &what, &e);
                }
            }
        }
        MailboxBackend::Maildir { path } => {
            let ok = path.join("cur").is_dir() || path.join("new").is_dir() || path.is_dir();
            all_ok &= ok;
            say(
                ok,
                "mailbox",
                &if ok {
                    format!(
                        "Maildir {} is there (read by simulate; run needs IMAP)",
                        path.display()
                    )
                } else {
                    format!("Maildir {} does not exist", path.display())
                },
            );
        }
    }

    match &config.outbox {
        OutboxBackend::Smtp { server } => {
            let what = format!("SMTP {}:{}", server.host, server.port);
            let result = match read_password(server) {
                Err(e) => Err(format!("{e:#}")),
                Ok(pw) => match SmtpSender::new(server, pw.as_deref()) {
                    Err(e) => Err(e.message),
                    Ok(s) => s.check().await.map_err(|e| e.message),
                },
            };
            match result {
                Ok(()) => say(
                    true,
                    &what,
                    &match &server.username {
                        Some(u) => format!("EHLO accepted, logged in as {u}"),
                        None => "EHLO accepted (no login configured: an unauthenticated relay)"
                            .to_string(),
                    },
                ),
                Err(e) => {
                    all_ok = false;
                    say(false, &what, &e);
                }
            }
        }
        OutboxBackend::Maildir { path } => {
            let ok = MaildirOut::new(path).is_ok();
            all_ok &= ok;
            say(
                ok,
                "outbox",
                &if ok {
                    format!("Maildir {} is writable", path.display())
                } else {
                    format!("Maildir {} cannot be created", path.display())
                },
            );
        }
    }

    match &config.calendar {
        CalendarBackend::Ics { path } => {
            let file = crate::calendar::ics_file::IcsFile::new(path.clone());
            match file.load() {
                Ok(_) => say(
                    true,
                    "calendar",
                    &format!("{} reads as iCalendar", path.display()),
                ),
                Err(e) => {
                    all_ok = false;
                    say(false, "calendar", &format!("{}: {e}", path.display()));
                }
            }
        }
        CalendarBackend::Caldav {
            url,
            username,
            password_file,
        } => {
            let password = match password_file {
                Some(p) => match std::fs::read_to_string(p) {
                    Ok(t) => Some(t.trim_end_matches(['\r', '\n']).to_string()),
                    Err(e) => {
                        all_ok = false;
                        say(
                            false,
                            "CalDAV",
                            &format!("cannot read {}: {e}", p.display()),
                        );
                        None
                    }
                },
                None => None,
            };
            let result = match crate::calendar::caldav::CaldavCalendar::connect(
                url,
                username.clone(),
                password,
            )
            .await
            {
                Ok(cal) => cal.check().await,
                Err(e) => Err(e),
            };
            match result {
                Ok(text) => say(true, &format!("CalDAV {url}"), &text),
                Err(e) => {
                    all_ok = false;
                    say(false, &format!("CalDAV {url}"), &e.message);
                }
            }
        }
    }
    println!(
        "{}",
        if all_ok {
            "everything configured answers"
        } else {
            "some of the configuration does not work (see FAIL above)"
        }
    );
    Ok(all_ok)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::America::New_York;

    fn ny(d: u32, h: u32, m: u32) -> crate::model::Instant {
        New_York
            .with_ymd_and_hms(2026, 12, d, h, m, 0)
            .single()
            .map(|t| t.to_utc())
            .unwrap_or_default()
    }

    #[test]
    fn status_reads_as_a_sentence_with_the_deadline_in_local_time() {
        // Thursday Dec 3, 2026; the deadline is Tuesday 09:00 New York.
        let figures = Figures {
            open_requests: 3,
            next_deadline: Some(ny(8, 9, 0)),
            ..Figures::default()
        };
        assert_eq!(
            status_text(
                "INBOX",
                &Activity::Watching,
                figures,
                ny(3, 14, 0),
                New_York
            ),
            "watching INBOX; 3 open requests; next deadline Tue 09:00"
        );
    }

    #[test]
    fn a_distant_deadline_has_its_date_and_an_empty_queue_says_so() {
        let far = Figures {
            open_requests: 1,
            next_deadline: Some(ny(21, 8, 30)),
            ..Figures::default()
        };
        assert_eq!(
            status_text("INBOX", &Activity::Watching, far, ny(3, 14, 0), New_York),
            "watching INBOX; 1 open request; next deadline Mon Dec 21 08:30"
        );
        assert_eq!(
            status_text(
                "INBOX",
                &Activity::Watching,
                Figures::default(),
                ny(3, 14, 0),
                New_York
            ),
            "watching INBOX; 0 open requests; no deadline pending"
        );
    }

    #[test]
    fn trouble_is_named_with_the_retry_and_the_outbox_backlog() {
        let figures = Figures {
            open_requests: 2,
            next_deadline: Some(ny(3, 13, 0)),
            outbox_waiting: 4,
            outbox_failed: 1,
        };
        let text = status_text(
            "INBOX",
            &Activity::Unreachable {
                error: "connection refused\n(os error 111)".into(),
                retry_in: Duration::from_secs(30),
            },
            figures,
            ny(3, 14, 0),
            New_York,
        );
        assert_eq!(
            text,
            "mailbox unreachable (connection refused (os error 111)); retrying in 30s; \
             2 open requests; next deadline Thu 13:00 (overdue); 4 mail waiting to be sent; \
             1 mail could not be sent (see shiftcover status)"
        );
        assert!(!text.contains('\n'), "STATUS= is one line");
    }

    #[test]
    fn an_empty_password_file_is_refused_by_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("imap-password");
        std::fs::write(&file, "\n").expect("write");
        let server = Server {
            host: "imap.example.edu".into(),
            port: 993,
            tls: crate::config::Tls::Implicit,
            username: Some("coverage@example.edu".into()),
            password_file: Some(file.clone()),
        };
        let e = read_password(&server).expect_err("an empty file is an error");
        assert!(e.to_string().contains("is empty"), "{e}");
        std::fs::write(&file, "s3cret\r\n").expect("write");
        assert_eq!(
            read_password(&server).expect("readable").as_deref(),
            Some("s3cret")
        );
        // No login configured: the file is never read.
        let anonymous = Server {
            username: None,
            password_file: Some(dir.path().join("missing")),
            ..server
        };
        assert_eq!(read_password(&anonymous).expect("no login"), None);
    }
}

/// Hands memory freed by the last round back to the system before waiting:
/// glibc keeps what a catch-up freed in its arenas otherwise, and an idle
/// daemon would stay as large as its busiest moment.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's own
    // heaps to the kernel; it touches no memory the program holds.
    unsafe {
        libc::malloc_trim(0);
    }
}
