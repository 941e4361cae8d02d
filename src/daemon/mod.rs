//! `shiftcover run` and `shiftcover check`: the daemon that watches the
//! list's mailbox over IMAP, fires deadlines on the wall clock, and sends the
//! outbox over SMTP, all through the same [`Service`] that `simulate` drives
//! on a virtual clock.
//!
//! Its rooms: [`watch`] (the work loop, a state machine over the mailbox
//! connection), [`effects`] and [`outbox`] (what a round does), [`transport`]
//! (where mail leaves, and each server's sign-in), [`notify`] (systemd),
//! [`signals`], and [`check`].

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tracing::{error, info, warn};

use crate::auth::Sources;
use crate::clock;
use crate::config::{Config, MailboxBackend};
use crate::metrics;
use crate::service::Service;

pub mod board;
pub mod check;
pub mod desks;
pub mod effects;
pub mod notify;
pub mod outbox;
pub mod signals;
pub mod transport;
pub mod watch;

pub use check::{check, check_desk};
pub use notify::{Activity, Figures, Reporter, notify, status_text};
pub use transport::Outbound;

use notify::one_line;
use signals::{STOP, Signals};

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

/// Hands memory freed by the last round back to the system before waiting:
/// glibc keeps what a catch-up freed in its arenas otherwise, and an idle
/// daemon would stay as large as its busiest moment. Called before each
/// wait for mail, and once more when the reading process has left
/// (`crate::reader_process`), as what the daemon held for talking to it
/// (the pipe's thread and its buffers, the readings it answered) is freed
/// only then, after the round's own call.
pub(crate) fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's own
    // heaps to the kernel; it touches no memory the program holds.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The password for `server`, read from its `password_file` with the
/// trailing newline trimmed; None when the server needs no login. The error
/// names the file, never its content. (The reading is `auth`'s.)
pub fn read_password(server: &crate::config::Server) -> anyhow::Result<Option<String>> {
    Ok(crate::auth::read_password(server)?.map(|s| s.expose().to_string()))
}

/// Runs the daemon until SIGTERM or SIGINT. SIGHUP reloads the config (a
/// config that no longer loads is logged and the old one kept).
///
/// Under systemd (`$NOTIFY_SOCKET`): READY=1 once the config is loaded, the
/// database migrated and the mailbox read up to date; WATCHDOG=1 on every
/// round of the work loop; STATUS= says what it is doing in words. With
/// several desks, one STATUS= line speaks of every desk and WATCHDOG=1
/// needs a sign of life from every desk's loop ([`board`]).
pub async fn run(config_path: &Path) -> anyhow::Result<()> {
    let result = if desks::written_as_desks(config_path) {
        desks::run(config_path).await
    } else {
        run_until_stopped(config_path).await
    };
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
    let _ = notify::AUTH_HEALTH.set(live.auth.clone());
    loop {
        notify("STATUS=starting: opening the database");
        // Active/standby on PostgreSQL: a standby waits here (see leader.rs).
        let stopped = || signals.get() != signals::RUNNING;
        let Some(mut leadership) =
            crate::leader::wait_to_lead(&config, &live, &stopped, &standby_notice).await?
        else {
            notify("STOPPING=1");
            info!("stopped while standing by");
            return Ok(());
        };
        let mut service = Service::open_live(config.clone(), clock::now())
            .await
            .context("opening the service")?;
        if let Some(fence) = leadership.fence() {
            service.fence(fence);
        }
        // The first digest is due a week after the program first ran; then
        // calendar edits made while the daemon was stopped are applied to
        // the open requests, before any message is read.
        let started = async {
            service.start_clock(clock::now()).await?;
            service.catch_up_schedule(clock::now()).await
        };
        if let Err(e) = started.await {
            if crate::leader::stepped_down(&e) {
                warn!(error = %format!("{e:#}"), "stepped down before acting; standing by");
                crate::leader::pause_after_stepping_down(&|| signals.get() != signals::RUNNING)
                    .await;
                continue;
            }
            return Err(e);
        }
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
        let outcome = match ports(&config, &live, Reporter::systemd()) {
            Ok(ports) => watch::run(service, ports, &signals, &mut leadership).await,
            Err(e) => Err(e),
        };
        // The listener goes with the task, so a reload can bind it again.
        if let Some(task) = metrics_task {
            task.abort();
            let _ = task.await;
        }
        // A leader that lost its leadership waits again, as a standby.
        if let Err(e) = &outcome
            && crate::leader::stepped_down(e)
        {
            warn!(error = %format!("{e:#}"), "stepped down: another instance leads; standing by");
            crate::leader::pause_after_stepping_down(&|| signals.get() != signals::RUNNING).await;
            continue;
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

/// A standby is started (READY=1) and alive (WATCHDOG=1) while it waits.
fn standby_notice(status: &str) {
    notify(&format!("READY=1\nWATCHDOG=1\nSTATUS={status}"));
}

/// What the work loop needs from the config: the mailbox and its sign-in,
/// the outbox, and where its news goes. OAuth2 credentials shared by the
/// two share one token source.
fn ports(
    config: &Config,
    live: &Arc<metrics::Live>,
    report: Reporter,
) -> anyhow::Result<watch::Ports> {
    let MailboxBackend::Imap {
        server,
        folder,
        poll_interval,
        oauth2,
    } = &config.mailbox
    else {
        anyhow::bail!(
            "`run` watches an IMAP mailbox; set mailbox.backend = \"imap\" (a Maildir inbox is read by `simulate`)"
        );
    };
    let sources = Sources::default();
    let credential = transport::credential(server, oauth2, &sources)?;
    let outbound = Outbound::from_config_with(config, &sources, Some(live.auth.clone()))?;
    let deliverer = crate::outbox::Deliverer::for_config(config, &credential)?;
    Ok(watch::Ports {
        server: server.clone(),
        folder: folder.clone(),
        poll: poll_interval.to_std().unwrap_or(Duration::from_secs(60)),
        credential,
        outbound,
        deliverer,
        live: live.clone(),
        health: live.auth.clone(),
        report,
    })
}
