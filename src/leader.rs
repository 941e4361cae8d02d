//! Active and standby: two `shiftcover run` on one PostgreSQL database, one
//! acting at a time. The leader holds the store's leadership lock (see
//! `store::LeaderLock`); a standby waits, trying again every second, with
//! its config loaded and its database connection open, and takes over when
//! the leader's session ends (its process died or its connection was cut).
//! The new leader opens the service afresh, so it finds what the old one
//! recorded but had not done in the outbox and does it, once.
//!
//! On taking over, the new leader adds one to the lease's epoch (its fencing
//! token, see `store::Fence`) and its store writes only while that epoch is
//! current: a leader whose lock went without its knowing (its connection
//! killed from the server's side, a cut network) can commit nothing after
//! the takeover. The leader confirms the lock and the epoch before each
//! round of effects; when either is gone, or a write was refused, it steps
//! down ([`stepped_down`] says so of the error) and waits again as a standby.
//! On SQLite there is one instance per file and no waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use anyhow::Context;
use tracing::{info, warn};

use crate::config::Config;
use crate::metrics;
use crate::store::{Fence, LeaderLock, Store, StoreError};

/// How often a standby tries for the lock.
const RETRY: Duration = Duration::from_secs(1);

/// How long a leader that stepped down waits before it tries for the lock
/// again: two of a standby's tries, so a standby that was waiting takes
/// over first. Without it the deposed leader, trying at once, would often
/// take the lock back before the standby's next try, and the instance whose
/// connection just failed would lead again. With no standby it leads again
/// after this pause.
pub const STEP_DOWN_PAUSE: Duration = Duration::from_secs(2);

/// The pause of a leader that stepped down ([`STEP_DOWN_PAUSE`]), cut short
/// when the process is asked to stop.
pub async fn pause_after_stepping_down(stopped: &(dyn Fn() -> bool + Sync)) {
    let until = tokio::time::Instant::now() + STEP_DOWN_PAUSE;
    while tokio::time::Instant::now() < until && !stopped() {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// This instance's part, for `/metrics` and STATUS=.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// SQLite: the only instance there can be.
    Single,
    Leader,
    Standby,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Single => "single",
            Role::Leader => "leader",
            Role::Standby => "standby",
        }
    }
}

static ROLE: AtomicU8 = AtomicU8::new(0);

/// The role this process holds now.
pub fn role() -> Role {
    match ROLE.load(Ordering::Relaxed) {
        1 => Role::Leader,
        2 => Role::Standby,
        _ => Role::Single,
    }
}

fn set_role(role: Role) {
    let n = match role {
        Role::Single => 0,
        Role::Leader => 1,
        Role::Standby => 2,
    };
    ROLE.store(n, Ordering::Relaxed);
}

/// The leader lost its leadership: it stops acting and stands by.
#[derive(Debug, thiserror::Error)]
#[error("lost leadership ({0}); stepping down to standby")]
pub struct LostLeadership(&'static str);

/// Whether `error` says this instance lost its leadership (the lock or the
/// lease's epoch gone, or a fenced write refused): the daemon then stands
/// by again instead of stopping.
pub fn stepped_down(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<LostLeadership>().is_some()
            || matches!(
                cause.downcast_ref::<StoreError>(),
                Some(StoreError::LostLeadership { .. })
            )
    })
}

/// The lock the leader holds and its fencing token (none on SQLite).
#[derive(Debug)]
pub struct Leadership {
    lock: Option<(LeaderLock, Arc<Fence>)>,
}

impl Leadership {
    /// Fails when this instance no longer holds the leadership (its lock's
    /// session ended, another instance took the lease, or a write was
    /// refused): the caller must then stop acting. Always succeeds on SQLite.
    pub async fn confirm(&mut self) -> anyhow::Result<()> {
        let Some((lock, fence)) = self.lock.as_mut() else {
            return Ok(());
        };
        let why = if !lock.still_held().await {
            "the database connection holding it ended"
        } else if !lock.lease_is(fence).await {
            "another instance took the lease over"
        } else {
            return Ok(());
        };
        set_role(Role::Standby);
        Err(LostLeadership(why).into())
    }

    /// The fencing token every write of this leader carries; None on SQLite.
    pub fn fence(&self) -> Option<Arc<Fence>> {
        self.lock.as_ref().map(|(_, fence)| fence.clone())
    }
}

/// This host and process, as `status` lists instances.
fn instance_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "localhost".into());
    format!("{host} pid {}", std::process::id())
}

/// Waits until this instance leads; None when `stopped` said to stop first.
/// On SQLite it leads at once. While waiting it calls `waiting` about every
/// second (for STATUS= and the watchdog) and serves /metrics, which then
/// says "standby".
pub async fn wait_to_lead(
    config: &Config,
    live: &Arc<metrics::Live>,
    stopped: &(dyn Fn() -> bool + Sync),
    waiting: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<Option<Leadership>> {
    let store = Store::open(&config.database_url)
        .await
        .context("opening the database")?;
    let instance = instance_name();
    let Some(mut lock) = store.leader_lock(&instance).await? else {
        set_role(Role::Single);
        store.close().await;
        return Ok(Some(Leadership { lock: None }));
    };
    if lock.try_lead().await? {
        let fence = lock.take_lease(&crate::clock::now().to_rfc3339()).await?;
        set_role(Role::Leader);
        info!(instance = %instance, epoch = fence.epoch(), "leading: no other instance holds the database");
        store.close().await;
        return Ok(Some(Leadership {
            lock: Some((lock, fence)),
        }));
    }
    set_role(Role::Standby);
    info!(instance = %instance, "standby: another instance leads; waiting to take over");
    // The standby's /metrics, on the listener the leader's loop uses later.
    let metrics_task = match config.metrics_listen {
        Some(addr) => {
            let listener = metrics::bind(addr)
                .await
                .with_context(|| format!("metrics.listen {addr}"))?;
            Some(tokio::spawn(metrics::serve(
                listener,
                store.clone(),
                live.clone(),
            )))
        }
        None => None,
    };
    let outcome = loop {
        if stopped() {
            break None;
        }
        waiting("standby: another instance leads; taking over when it stops");
        tokio::time::sleep(RETRY).await;
        let led = match lock.try_lead().await {
            Ok(true) => lock
                .take_lease(&crate::clock::now().to_rfc3339())
                .await
                .map(Some),
            Ok(false) => Ok(None),
            Err(e) => Err(e),
        };
        match led {
            Ok(Some(fence)) => break Some((lock, fence)),
            Ok(None) => {}
            Err(e) => {
                // The lock's connection broke (the database restarted?):
                // a new one, next round.
                warn!(error = %e, "the standby lost its database connection; reconnecting");
                match store.leader_lock(&instance).await {
                    Ok(Some(fresh)) => lock = fresh,
                    Ok(None) => unreachable!("a PostgreSQL store gives a lock"),
                    Err(e) => warn!(error = %e, "the database does not answer yet"),
                }
            }
        }
    };
    if let Some(task) = metrics_task {
        task.abort();
        let _ = task.await;
    }
    store.close().await;
    Ok(outcome.map(|(lock, fence)| {
        set_role(Role::Leader);
        info!(instance = %instance, epoch = fence.epoch(), "leading: the previous leader is gone; taking over");
        Leadership {
            lock: Some((lock, fence)),
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_write_or_a_lost_lock_steps_down_and_other_errors_stop() {
        // A fenced write refused deep in a round, under the caller's context.
        let refused = anyhow::Error::from(StoreError::LostLeadership { epoch: 4 })
            .context("sending the outbox");
        assert!(stepped_down(&refused));
        let lost = anyhow::Error::from(LostLeadership("the lock's connection ended"));
        assert!(stepped_down(&lost));
        assert!(lost.to_string().contains("stepping down to standby"));
        // Anything else still stops the daemon (systemd restarts it).
        let other = anyhow::Error::from(StoreError::Corrupt("x".into()));
        assert!(!stepped_down(&other));
        assert!(!stepped_down(&anyhow::anyhow!("metrics.listen: in use")));
    }
}
