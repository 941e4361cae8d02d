//! Active and standby: two `shiftcover run` on one PostgreSQL database, one
//! acting at a time. The leader holds the store's leadership lock (see
//! `store::LeaderLock`); a standby waits, trying again every second, with
//! its config loaded and its database connection open, and takes over when
//! the leader's session ends (its process died or its connection was cut).
//! The new leader opens the service afresh, so it finds what the old one
//! recorded but had not done in the outbox and does it, once.
//!
//! The leader confirms it still holds the lock before each round of effects
//! and stops (an error: systemd restarts it, as a standby) when it does not.
//! On SQLite there is one instance per file and no waiting.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use anyhow::Context;
use tracing::{info, warn};

use crate::config::Config;
use crate::metrics;
use crate::store::{LeaderLock, Store};

/// How often a standby tries for the lock.
const RETRY: Duration = Duration::from_secs(1);

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

/// The lock the leader holds (none on SQLite).
#[derive(Debug)]
pub struct Leadership {
    lock: Option<LeaderLock>,
}

impl Leadership {
    /// Fails when this instance no longer holds the leadership: the caller
    /// must then stop acting. Always succeeds on SQLite.
    pub async fn confirm(&mut self) -> anyhow::Result<()> {
        let Some(lock) = self.lock.as_mut() else {
            return Ok(());
        };
        if lock.still_held().await {
            return Ok(());
        }
        set_role(Role::Standby);
        anyhow::bail!(
            "lost the leadership (the database connection holding it ended); stopping so another instance leads"
        )
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
        set_role(Role::Leader);
        info!(instance = %instance, "leading: no other instance holds the database");
        store.close().await;
        return Ok(Some(Leadership { lock: Some(lock) }));
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
        match lock.try_lead().await {
            Ok(true) => break Some(lock),
            Ok(false) => {}
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
    Ok(outcome.map(|lock| {
        set_role(Role::Leader);
        info!(instance = %instance, "leading: the previous leader is gone; taking over");
        Leadership { lock: Some(lock) }
    }))
}
