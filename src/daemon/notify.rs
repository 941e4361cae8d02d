//! Telling systemd how the daemon is: READY=1, WATCHDOG=1, STOPPING=1 and
//! the STATUS= line `systemctl status` shows, in words.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use super::board::{Board, DeskShown};
use crate::auth::{Health, ServerHealth};
use crate::clock;
use crate::service::Service;
use crate::store::DeliveryState;

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

/// An error as one line, for STATUS= (which shows a single line).
pub fn one_line(text: &str) -> String {
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
    CatchingUp {
        read: usize,
    },
    Watching,
    Unreachable {
        error: String,
        retry_in: Duration,
    },
    /// The sign-in was refused (a wrong secret, a missing permission):
    /// retried slowly, and said once in the log.
    SignInRefused {
        error: String,
        retry_in: Duration,
    },
}

/// The key under which the daemon records sign-in trouble for `shiftcover
/// status` (which runs in another process): empty when every sign-in works.
pub const SIGN_IN_META: &str = "sign_in_trouble";

/// The sign-in trouble as `status` shows it: one line per failing server,
/// with when it began (in `tz`), in the provider's or the server's words
/// (never a secret or a token).
pub fn sign_in_trouble(health: &[(&'static str, ServerHealth)], tz: chrono_tz::Tz) -> String {
    health
        .iter()
        .filter(|(_, h)| h.ok == Some(false))
        .map(|(server, h)| {
            format!(
                "{}: cannot sign in{}{}: {}",
                server.to_uppercase(),
                h.since
                    .map(|t| format!(" since {}", t.with_timezone(&tz).format("%a %b %-d %H:%M")))
                    .unwrap_or_default(),
                if h.permanent {
                    " (needs a person; see README)"
                } else {
                    " (retrying)"
                },
                one_line(h.last_error.as_deref().unwrap_or("refused"))
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Records the desk's sign-in trouble in its store when it changed since
/// `reporter` last recorded it (`status`, in another process, reads it).
async fn record_sign_in(service: &Service, reporter: &Reporter, health: &Health) {
    record_sign_in_to(service.store(), reporter, health, service.config().timezone).await;
}

/// [`record_sign_in`] without a service: a desk that could not start (its
/// calendar's sign-in refused, say) records it in its part of the
/// database all the same.
pub async fn record_sign_in_to(
    store: &crate::store::Store,
    reporter: &Reporter,
    health: &Health,
    tz: chrono_tz::Tz,
) {
    let text = sign_in_trouble(&health.snapshot(), tz);
    {
        let recorded = reporter.recorded.lock().unwrap_or_else(|p| p.into_inner());
        if recorded.as_deref() == Some(text.as_str()) {
            return;
        }
    }
    let batch = crate::store::Batch {
        meta: vec![(SIGN_IN_META.to_string(), text.clone())],
        ..Default::default()
    };
    if store.commit(&batch).await.is_ok() {
        *reporter.recorded.lock().unwrap_or_else(|p| p.into_inner()) = Some(text);
    }
}

/// The daemon's sign-in health (set once the daemon runs).
pub use crate::auth::HEALTH as AUTH_HEALTH;

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
        Activity::SignInRefused { error, retry_in } => format!(
            "cannot sign in to the mailbox ({}); needs a person (see README); trying again in {}",
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
        Some(t) => deadline_words(t, now, tz),
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

/// "next deadline Tue 09:00": deadlines within the coming week show as a
/// weekday, later ones with their date; one past shows as overdue.
pub fn deadline_words(
    t: crate::model::Instant,
    now: crate::model::Instant,
    tz: chrono_tz::Tz,
) -> String {
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

/// Where a watch loop's news goes: straight to systemd (one desk, exactly
/// as before desks existed), or to its desk's place on the process's
/// [`Board`] (several desks), which makes one STATUS= line and one
/// watchdog for all of them.
#[derive(Clone, Default)]
pub struct Reporter {
    board: Option<(Arc<Board>, usize)>,
    /// The sign-in trouble last recorded in this loop's store.
    recorded: Arc<std::sync::Mutex<Option<String>>>,
}

impl Reporter {
    /// The one-desk reporter: the loop speaks to systemd itself.
    pub fn systemd() -> Reporter {
        Reporter::default()
    }

    /// Desk `index` of the process's `board`.
    pub fn desk(board: Arc<Board>, index: usize) -> Reporter {
        Reporter {
            board: Some((board, index)),
            ..Reporter::default()
        }
    }

    /// The loop made progress (a round, a catch-up batch, a pause before a
    /// restart): WATCHDOG=1 for one desk; for several, a sign of life the
    /// board counts.
    pub fn alive(&self) {
        match &self.board {
            None => {
                notify("WATCHDOG=1");
            }
            Some((board, i)) => board.pulse(*i),
        }
    }

    /// The longest the loop may wait between signs of life: with several
    /// desks, a quarter of the watchdog period (the board's tick), so an
    /// idle desk still shows one every tick or so.
    pub fn cap(&self, wait: std::time::Duration) -> std::time::Duration {
        match (&self.board, super::effects::watchdog_period()) {
            (Some(_), Some(period)) => wait.min(period / 4),
            _ => wait,
        }
    }

    /// The desk's part of the line, for a desk that is not in its loop
    /// (starting, or down until it is started again).
    pub fn tell(&self, shown: DeskShown) {
        if let Some((board, i)) = &self.board {
            board.tell(*i, shown);
        }
    }
}

/// Sends STATUS= for `activity` with the service's current figures, and
/// records sign-in trouble (`health`: this desk's servers) for `status`.
pub async fn tell_status(
    service: &Service,
    folder: &str,
    activity: &Activity,
    reporter: &Reporter,
    health: &Health,
) {
    record_sign_in(service, reporter, health).await;
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
    // A server other than the mailbox that cannot be signed in to (the SMTP
    // relay) is named too: its mail waits meanwhile.
    let other = health
        .trouble()
        .filter(|(server, _)| *server != "imap")
        .map(|(server, h)| {
            format!(
                "cannot sign in to {}: {}",
                server.to_uppercase(),
                one_line(h.last_error.as_deref().unwrap_or("refused"))
            )
        });
    if let Some((board, i)) = &reporter.board {
        board.tell(
            *i,
            DeskShown::Running {
                activity: activity.clone(),
                figures,
                other,
            },
        );
        return;
    }
    let tz = service.config().timezone;
    let mut text = status_text(folder, activity, figures, clock::now(), tz);
    if let Some(other) = other {
        text.push_str(&format!("; {other}"));
    }
    notify(&format!("STATUS={}", with_role(text)));
}

/// With a standby on PostgreSQL, `systemctl status` says which part this
/// instance holds (a standby's line starts "standby: ...").
pub fn with_role(text: String) -> String {
    if crate::leader::role() == crate::leader::Role::Leader {
        format!("leader: {text}")
    } else {
        text
    }
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
    fn sign_in_trouble_names_the_server_since_when_and_whether_a_person_is_needed() {
        let h = crate::auth::Health::default();
        assert_eq!(sign_in_trouble(&h.snapshot(), New_York), "");
        h.ok("imap");
        h.failed(
            "smtp",
            &crate::auth::AuthError::Permanent(
                "the token endpoint answered 401 invalid_client:\nAADSTS7000222".into(),
            ),
        );
        h.failed(
            "imap",
            &crate::auth::AuthError::Transient("cannot reach the token endpoint".into()),
        );
        // The times are the adapter's (the wall clock); here they are set.
        let mut snapshot = h.snapshot();
        for (server, health) in &mut snapshot {
            assert!(
                health.since.is_some(),
                "{server}: a failure knows when it began"
            );
            health.since = Some(ny(3, if *server == "imap" { 14 } else { 9 }, 2));
        }
        assert_eq!(
            sign_in_trouble(&snapshot, New_York),
            "IMAP: cannot sign in since Thu Dec 3 14:02 (retrying): token endpoint unavailable: cannot reach the token endpoint\n\
             SMTP: cannot sign in since Thu Dec 3 09:02 (needs a person; see README): sign-in refused: the token endpoint answered 401 invalid_client: AADSTS7000222"
        );
    }
}
