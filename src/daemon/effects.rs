//! The effects of a round: firing what is due, sending the outbox, applying
//! calendar edits, and how long the loop may wait before the next round.
//! The outbox's sending and retry policy is apart, in `outbox.rs`.

use std::time::Duration;

use tracing::{error, info, warn};

use super::transport::Outbound;
use crate::clock;
use crate::service::Service;

/// The longest a leader goes without confirming its leadership.
const LEADER_CHECK: Duration = Duration::from_secs(5);

/// What the last round of effects left behind, for the next wait.
#[derive(Debug, Default, Clone, Copy)]
pub struct Leftovers {
    /// When the outbox next has something to try (a retry, a probe of the
    /// server, an echo to look for), if anything waits.
    pub next_send: Option<crate::model::Instant>,
    /// When a reply held for the message it answers is handled anyway.
    pub reply_due: Option<crate::model::Instant>,
    /// Firing deadlines failed; do not spin on a deadline in the past.
    pub tick_failed: bool,
}

/// The watchdog period systemd asked for (WATCHDOG_USEC), if any, and if
/// meant for this process.
pub fn watchdog_period() -> Option<Duration> {
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
    Some(Duration::from_micros(usec))
}

/// Half the watchdog period, if any: no wait of the loop may be longer.
fn watchdog_half() -> Option<Duration> {
    watchdog_period().map(|p| p / 2)
}

/// How long the loop may wait: until the next deadline, the watchdog's half
/// period, or `max`, whichever is first.
pub fn wait_until_due(service: &Service, max: Duration, left: Leftovers) -> Duration {
    let mut wait = max;
    if let Some(due) = service.next_due() {
        let until = (due - clock::now()).to_std().unwrap_or(Duration::ZERO);
        wait = wait.min(until);
    }
    if let Some(half) = watchdog_half() {
        wait = wait.min(half);
    }
    // A leader with a standby looks at its leadership every few seconds even
    // when idle, so one deposed without knowing it steps down promptly (it
    // could write nothing meanwhile: its writes are fenced).
    if crate::leader::role() == crate::leader::Role::Leader {
        wait = wait.min(LEADER_CHECK);
    }
    // The calendar is read again on its own schedule (Graph: people's edits
    // in Outlook, coverers' declines).
    if let Some(every) = service
        .calendar_refresh_every()
        .and_then(|d| d.to_std().ok())
    {
        wait = wait.min(every);
    }
    for at in [left.next_send, left.reply_due].into_iter().flatten() {
        wait = wait.min((at - clock::now()).to_std().unwrap_or(Duration::ZERO));
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
pub async fn step_effects(
    service: &mut Service,
    outbound: &mut Outbound,
    deliverer: &mut crate::outbox::Deliverer,
    fire: bool,
) -> Leftovers {
    let mut left = Leftovers::default();
    let now = clock::now();
    if fire
        && service.next_due().is_some_and(|d| d <= now)
        && let Err(e) = service.tick(now).await
    {
        left.tick_failed = true;
        error!(error = %format!("{e:#}"), "firing deadlines failed; trying again shortly");
    }
    left.next_send = super::outbox::send_round(service, outbound, deliverer, now).await;
    match service.apply_calendar_edits(now).await {
        Ok(n) if n > 0 => info!(edits = n, "calendar updated"),
        Ok(_) => {}
        Err(e) => error!(error = %format!("{e:#}"), "calendar edits failed"),
    }
    // People's own calendar edits and coverers' declines, every few minutes.
    match service.refresh_calendar_when_due(now).await {
        Ok(n) if n > 0 => info!(
            declines = n,
            "coverers declined; their shifts are open again"
        ),
        Ok(_) => {}
        Err(e) => warn!(error = %format!("{e:#}"), "reading the calendar again failed"),
    }
    left
}
