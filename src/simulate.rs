//! `simulate`: plays a Maildir inbox on a virtual clock through the same
//! service, engine and store the daemon uses.

use anyhow::{Context, bail};

use crate::config::{Config, MailboxBackend, OutboxBackend};
use crate::live::maildir::{self, MaildirOut};
use crate::model::Instant;
use crate::service::Service;

/// One thing that happened on the virtual clock, for the demo's timeline.
#[derive(Debug, Clone)]
pub struct Event {
    pub at: Instant,
    pub what: String,
}

/// What the virtual clock moves to next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Message,
    Deadline,
    /// Only the calendar edits due then (and any mail due) are tried.
    EditRetry,
}

/// Runs the simulation up to `until` and returns the report and a timeline.
pub async fn simulate(
    config: Config,
    until: Instant,
) -> anyhow::Result<(serde_json::Value, Vec<Event>)> {
    let MailboxBackend::Maildir { path: inbox } = &config.mailbox else {
        bail!("simulate reads a Maildir inbox: set [mailbox] backend = \"maildir\"");
    };
    let OutboxBackend::Maildir { path: outdir } = &config.outbox else {
        bail!("simulate writes to a Maildir outbox: set [outbox] backend = \"maildir\"");
    };
    let messages =
        maildir::read_all(inbox).with_context(|| format!("reading {}", inbox.display()))?;
    let mut out =
        MaildirOut::new(outdir).with_context(|| format!("creating {}", outdir.display()))?;
    let mut svc = Service::open(config).await?;
    let mut timeline = Vec::new();
    if let Some(first) = messages.first() {
        svc.start_clock(first.date).await?;
    }
    let mut i = 0;
    // A bound on steps, so a deadline that refuses to clear cannot spin.
    let mut budget = 100_000 + messages.len() * 20;
    loop {
        budget = budget.saturating_sub(1);
        if budget == 0 {
            bail!("the simulation did not settle; this is a bug");
        }
        let next_msg = messages.get(i).map(|m| m.date);
        let next_due = svc.next_due();
        // A calendar edit the server turned away for now is tried again
        // when the daemon would try it, even after the last message.
        let next_retry = svc.next_edit_retry().await?;
        // A deadline due at the same instant as a message fires first; a
        // retry only when nothing else is due before it.
        let step = match (next_msg, next_due) {
            (Some(m), Some(d)) if d <= m => Some((d, Step::Deadline)),
            (Some(m), _) => Some((m, Step::Message)),
            (None, Some(d)) => Some((d, Step::Deadline)),
            (None, None) => None,
        };
        let (t, step) = match (step, next_retry) {
            (Some((t, s)), Some(r)) if t <= r => (t, s),
            (_, Some(r)) => (r, Step::EditRetry),
            (Some(s), None) => s,
            (None, None) => break,
        };
        if t > until {
            break;
        }
        if step == Step::Deadline {
            svc.tick(t).await?;
        } else if step == Step::Message {
            let reading = svc.read(&messages[i].raw);
            let outcome = svc.handle_reading(&reading, t).await?;
            timeline.push(Event {
                at: t,
                what: format!(
                    "mail from {} read as {}{}",
                    reading.from,
                    reading.kind.as_str(),
                    if outcome == crate::service::HandleOutcome::Duplicate {
                        " (seen before, skipped)"
                    } else {
                        ""
                    }
                ),
            });
            i += 1;
        }
        for item in svc.store().due_mail(t).await? {
            timeline.push(Event {
                at: t,
                what: format!("sent {} to {}", item.mail.kind, item.mail.to.join(", ")),
            });
        }
        svc.deliver(&mut out, t).await?;
        let edits = svc.apply_calendar_edits(t).await?;
        if edits > 0 {
            timeline.push(Event {
                at: t,
                what: format!("calendar updated ({edits} edit(s))"),
            });
        }
    }
    Ok((svc.report(), timeline))
}
