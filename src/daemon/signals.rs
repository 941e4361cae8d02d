//! The signals: SIGTERM and SIGINT stop the daemon after the message in
//! hand, SIGHUP reloads the configuration (and retries a refused sign-in).

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use tokio::sync::Notify;
use tracing::info;

/// What a signal asked for.
pub const RUNNING: u8 = 0;
pub const RELOAD: u8 = 1;
pub const STOP: u8 = 2;

/// The signals, as a flag the loop reads between steps and a wake-up for
/// its waits. A stop outranks a reload.
#[derive(Clone)]
pub struct Signals {
    state: Arc<AtomicU8>,
    pub wake: Arc<Notify>,
}

impl Signals {
    pub fn install() -> anyhow::Result<Signals> {
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

    /// The same signals with a wake-up of its own, for one of several
    /// loops waiting at once (a `Notify` wakes one waiter); the caller
    /// passes each signal's wake-up on to it.
    pub fn with_own_wake(&self) -> Signals {
        Signals {
            state: self.state.clone(),
            wake: Arc::new(Notify::new()),
        }
    }

    /// Acts as if a signal asked for `what` (STOP or RELOAD): the process
    /// stopping every desk when one of them found the leadership lost.
    pub fn raise(&self, what: u8) {
        self.state.fetch_max(what, Ordering::SeqCst);
        self.wake.notify_one();
    }

    pub fn get(&self) -> u8 {
        self.state.load(Ordering::SeqCst)
    }

    pub fn take_reload(&self) {
        let _ = self
            .state
            .compare_exchange(RELOAD, RUNNING, Ordering::SeqCst, Ordering::SeqCst);
    }

    /// Sleeps for `d` unless a signal comes first; true when one did.
    pub async fn sleep(&self, d: Duration) -> bool {
        if self.get() != RUNNING {
            return true;
        }
        tokio::select! {
            _ = tokio::time::sleep(d) => self.get() != RUNNING,
            _ = self.wake.notified() => true,
        }
    }
}
