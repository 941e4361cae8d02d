//! `shiftcover run` with several desks (`[[desk]]` blocks): one process,
//! one leadership, one `/metrics`, and one loop per desk, each running the
//! one-desk watch loop ([`super::watch`]) with its own service, store
//! namespace, IMAP, SMTP and calendar connections, and deadlines.
//!
//! A desk that cannot start (its calendar unreadable, say) or whose loop
//! fails is logged, shown in `/metrics` as down, and started again after a
//! pause, while the other desks carry on; a broken mailbox is already
//! retried inside the loop. Only two things end every desk together: a
//! signal (each desk finishes the message in hand) and the loss of the
//! leadership, after which every desk stops and the process stands by
//! again, as it does with one desk.
//!
//! systemd hears of the desks together ([`super::board`]): one STATUS=
//! line speaks of every desk, and the watchdog is fed only while every
//! desk's loop shows life. Each desk's adapters report their sign-ins to
//! the desk's own health (`auth::reporting_to`), which its part of
//! `shiftcover status` shows.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use futures::{FutureExt as _, StreamExt as _};
use tokio::sync::Mutex;
use tracing::{Instrument as _, error, info, info_span, warn};

use super::board::{Board, DeskShown};
use super::notify::Reporter;
use super::signals::{RELOAD, RUNNING, STOP, Signals};
use super::{notify, one_line, ports, standby_notice};
use crate::clock;
use crate::config::Config;
use crate::config::desks::Desks;
use crate::leader::Leadership;
use crate::metrics::{self, Live};
use crate::service::Service;
use crate::store::Store;

/// How long a desk that failed waits before it is started again.
const DESK_RESTART: Duration = Duration::from_secs(30);

/// True when the config at `path` is written as `[[desk]]` blocks; the
/// daemon then runs [`run`]. A config that does not load says so later,
/// on the one-desk path, exactly as before.
pub fn written_as_desks(path: &Path) -> bool {
    Desks::load(path).is_ok_and(|d| d.blocks)
}

/// Whether this instance still leads: what the watch loop asks before
/// every round of effects. One leadership covers every desk of the
/// process.
pub trait Lead {
    fn confirm(&mut self) -> impl std::future::Future<Output = anyhow::Result<()>>;
}

impl Lead for Leadership {
    async fn confirm(&mut self) -> anyhow::Result<()> {
        Leadership::confirm(self).await
    }
}

/// The process's leadership, shared by its desks' loops.
#[derive(Clone)]
pub struct SharedLeadership(Arc<Mutex<Leadership>>);

impl Lead for SharedLeadership {
    async fn confirm(&mut self) -> anyhow::Result<()> {
        self.0.lock().await.confirm().await
    }
}

/// One desk as the process keeps it across reloads: its figures, and
/// whether its loop is running.
#[derive(Clone)]
pub struct DeskState {
    pub name: String,
    pub live: Arc<Live>,
    pub up: Arc<AtomicBool>,
}

/// Runs every desk until SIGTERM or SIGINT. SIGHUP reloads the config for
/// every desk (a config that no longer loads is logged and the old one
/// kept).
pub async fn run(config_path: &Path) -> anyhow::Result<()> {
    notify("STATUS=starting: reading the configuration");
    info!(version = env!("CARGO_PKG_VERSION"), config = %config_path.display(), "starting");
    let mut desks = Desks::load(config_path).map_err(|e| anyhow::anyhow!("{e}"))?;
    let signals = Signals::install()?;
    let process_live = Arc::new(Live::new(clock::now()));
    let _ = super::notify::AUTH_HEALTH.set(process_live.auth.clone());
    let mut states: HashMap<String, DeskState> = HashMap::new();
    loop {
        notify("STATUS=starting: opening the database");
        let first = desks.desks[0].clone();
        let stopped = || signals.get() != RUNNING;
        let Some(leadership) =
            crate::leader::wait_to_lead(&first, &process_live, &stopped, &standby_notice).await?
        else {
            notify("STOPPING=1");
            info!("stopped while standing by");
            return Ok(());
        };
        let leadership = SharedLeadership(Arc::new(Mutex::new(leadership)));
        // One STATUS= line and one watchdog for every desk (board.rs).
        let board = Board::new(
            &desks
                .desks
                .iter()
                .map(|c| (c.desk.clone().unwrap_or_default(), c.timezone))
                .collect::<Vec<_>>(),
        );
        let mut for_metrics = Vec::new();
        let mut desk_loops = Vec::new();
        // Each desk waits on a wake-up of its own: a signal wakes them all.
        let mut wakes = Vec::new();
        for (index, config) in desks.desks.iter().enumerate() {
            let name = config.desk.clone().unwrap_or_default();
            let state = states
                .entry(name.clone())
                .or_insert_with(|| DeskState {
                    name: name.clone(),
                    live: Arc::new(Live::new(clock::now())),
                    up: Arc::new(AtomicBool::new(false)),
                })
                .clone();
            let store = Store::open_desk(&config.database_url, config.store_namespace.as_deref())
                .await
                .with_context(|| format!("opening desk {name:?}'s part of the database"))?;
            for_metrics.push(metrics::DeskSource {
                name: name.clone(),
                store: store.clone(),
                live: state.live.clone(),
                up: state.up.clone(),
            });
            let desk_signals = signals.with_own_wake();
            wakes.push(desk_signals.wake.clone());
            let span = info_span!("desk", desk = %name);
            // The desk's adapters (its calendar too) report their sign-ins
            // to the desk's own health, which its `status` shows.
            let report = Reporter::desk(board.clone(), index);
            let health = state.live.auth.clone();
            let desk = run_desk(
                config.clone(),
                state,
                store,
                desk_signals,
                leadership.clone(),
                report,
            );
            desk_loops.push(crate::auth::reporting_to(health, desk).instrument(span));
        }
        let relay = {
            let main = signals.wake.clone();
            tokio::spawn(async move {
                loop {
                    main.notified().await;
                    for w in &wakes {
                        w.notify_one();
                    }
                }
            })
        };
        info!(desks = %desks.names().join(", "), "every desk started");
        // The watchdog is fed from its own task, on its own tick, so a desk
        // that stops showing life starves it even while the others run.
        let watchdog = super::effects::watchdog_period().map(|period| {
            let board = board.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(period / 4);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                // The first tick is at once: give every desk a tick's time.
                tick.tick().await;
                loop {
                    tick.tick().await;
                    board.tick();
                }
            })
        });
        let metrics_task = match first.metrics_listen {
            Some(addr) => {
                let listener = metrics::bind(addr)
                    .await
                    .with_context(|| format!("metrics.listen {addr}"))?;
                info!(%addr, "serving /metrics for every desk");
                Some(tokio::spawn(metrics::serve_desks(listener, for_metrics)))
            }
            None => None,
        };
        // The desks run side by side in this one task (reading happens on
        // worker threads, SQL in sqlx's): their loops are not `Send`, and
        // a panic in one is caught in `run_desk`, so it stops that desk
        // only.
        // A desk that finds the leadership lost stops the others at once,
        // rather than at their next round.
        // A lost leadership raises RELOAD (the desks stop, and the process
        // stands by again); any other error ends the process.
        let mut running: futures::stream::FuturesUnordered<_> = desk_loops.into_iter().collect();
        let mut lost: Option<anyhow::Error> = None;
        while let Some(outcome) = running.next().await {
            if let Err(e) = outcome {
                if lost.is_none() {
                    signals.raise(if crate::leader::stepped_down(&e) {
                        RELOAD
                    } else {
                        STOP
                    });
                }
                lost.get_or_insert(e);
            }
        }
        relay.abort();
        if let Some(task) = metrics_task {
            task.abort();
            let _ = task.await;
        }
        if let Some(task) = watchdog {
            task.abort();
            let _ = task.await;
        }
        if let Some(e) = lost {
            if !crate::leader::stepped_down(&e) {
                return Err(e);
            }
            // As with one desk: a deposed leader waits again as a standby
            // (a SIGTERM meanwhile leaves STOP raised, and it stops there).
            warn!(error = %one_line(&format!("{e:#}")), "stepped down: another instance leads; every desk stands by");
            signals.take_reload();
            crate::leader::pause_after_stepping_down(&|| signals.get() != RUNNING).await;
            continue;
        }
        if signals.get() == STOP {
            notify("STOPPING=1");
            info!("stopped");
            return Ok(());
        }
        notify("RELOADING=1");
        signals.take_reload();
        match Desks::load(config_path) {
            Ok(d) => {
                info!(config = %config_path.display(), desks = %d.names().join(", "), "configuration reloaded");
                desks = d;
            }
            Err(e) => {
                error!(error = %e, "the new configuration does not load; keeping the old one")
            }
        }
    }
}

/// One desk until a signal: its service opened, its watch loop run, and
/// both started again after a pause when they fail. Returns an error only
/// when the process lost the leadership (every desk must stop then and
/// stand by).
async fn run_desk(
    config: Config,
    state: DeskState,
    store: Store,
    signals: Signals,
    mut leadership: SharedLeadership,
    report: Reporter,
) -> anyhow::Result<()> {
    while signals.get() == RUNNING {
        report.alive();
        let round = desk_round(&config, &state, &signals, &mut leadership, &report);
        let outcome = match std::panic::AssertUnwindSafe(round).catch_unwind().await {
            Ok(outcome) => outcome,
            Err(_) => Err(anyhow::anyhow!("this desk's loop panicked")),
        };
        state.up.store(false, Ordering::Relaxed);
        match outcome {
            Ok(_) => break,
            Err(e) => {
                // The loop's error may be the lost leadership (a fenced
                // write refused, or the lock gone): then every desk stops
                // and the process stands by.
                if crate::leader::stepped_down(&e) {
                    return Err(e);
                }
                Lead::confirm(&mut leadership).await?;
                let error = one_line(&format!("{e:#}"));
                error!(
                    error = %error,
                    retry_in = ?DESK_RESTART,
                    "this desk stopped; the other desks carry on, and this one starts again"
                );
                report.tell(DeskShown::Down { error });
                // A sign-in refused while the desk started (its calendar's)
                // is in its health: `status` shows it, as for a running desk.
                let fence = leadership.0.lock().await.fence();
                let store = match fence {
                    Some(f) => store.fenced(f),
                    None => store.clone(),
                };
                super::notify::record_sign_in_to(
                    &store,
                    &report,
                    &state.live.auth,
                    config.timezone,
                )
                .await;
                // A desk waiting to start again is alive: it says so to
                // the watchdog's board through the pause.
                let until = std::time::Instant::now() + DESK_RESTART;
                loop {
                    let left = until.saturating_duration_since(std::time::Instant::now());
                    if left.is_zero() || signals.sleep(report.cap(left)).await {
                        break;
                    }
                    report.alive();
                }
            }
        }
    }
    Ok(())
}

/// Opens the desk's service and runs its watch loop once.
async fn desk_round(
    config: &Config,
    state: &DeskState,
    signals: &Signals,
    leadership: &mut SharedLeadership,
    report: &Reporter,
) -> anyhow::Result<u8> {
    let mut service = Service::open_live(config.clone(), clock::now())
        .await
        .context("opening the desk (database and calendar)")?;
    // Every desk's writes carry the process's one fencing token.
    if let Some(fence) = leadership.0.lock().await.fence() {
        service.fence(fence);
    }
    service.start_clock(clock::now()).await?;
    // Calendar edits made while the desk was stopped, before any message.
    service.catch_up_schedule(clock::now()).await?;
    info!(
        list = %config.list_address,
        open_requests = service
            .requests()
            .iter()
            .filter(|r| r.state == crate::engine::RequestState::Open)
            .count(),
        "desk ready"
    );
    let ports = ports(config, &state.live, report.clone())?;
    state.up.store(true, Ordering::Relaxed);
    super::watch::run(service, ports, signals, leadership).await
}
