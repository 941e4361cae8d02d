//! Delivering the outbox: which recorded mail goes out now and in what
//! order, what waits, what is given up, and the echo that makes SMTP mail
//! exactly-once when the daemon dies mid-send.
//!
//! **Exactly-once.** Every SMTP mail also goes to the program's own mailbox
//! (an extra envelope recipient, `outbox.echo_to`), and a send is recorded
//! as started before its SMTP transaction begins. A mail found started but
//! neither sent nor failed (the daemon was killed between the server's
//! acceptance and the record of it, or the session broke after the data went
//! out) is looked for in that mailbox by its Message-ID (`UID SEARCH HEADER
//! Message-ID`). Found, it is recorded as sent and not sent again; not found,
//! it waits up to `outbox.echo_wait` (2 minutes by default) from the start
//! of that send for the echo to arrive, and is then sent again. The echoes
//! are known from their headers and never read ([`echo_reading`]): they
//! carry `X-Shiftcover-Kind`, the program's From and a Message-ID of its.
//! The Maildir outbox needs none of this: its file name comes from the
//! mail's key, so writing it again finds it there.
//!
//! **Fast recovery.** A server that cannot be reached stops the round (the
//! rest would fail the same way) and is probed again after 1, 2, 4, then
//! every 5 seconds ([`PROBE_CEILING`]); the first send that succeeds sends
//! everything waiting at once. A mail the server refused for now (a 4xx)
//! waits on its own, 10 s doubling to 5 minutes.
//!
//! **Giving up.** A mail is never given up for its number of attempts. A
//! second call, sick call, escalation or call update (the list's
//! correction of a call whose shift the calendar moved, gave away or took
//! off) that could not be sent is given up once every shift it is about
//! has started; the first three also once their request was covered or
//! withdrawn; any mail is given up `outbox.give_up_after` (3 days by
//! default) after it was decided; a permanent refusal (5xx) fails at once.
//! What was given up is failed mail in `status`, the digest and /metrics.
//!
//! **Order.** An escalation waits until the second call of the same request
//! decided before it has gone out (or was given up).

use std::collections::HashSet;

use chrono::TimeDelta;
use tracing::{error, info, warn};

use crate::auth::Credential;
use crate::compose::OutgoingMail;
use crate::config::{Config, Delivery as Settings, MailboxBackend, OutboxBackend, Server};
use crate::engine::{Request, RequestState};
use crate::live::imap::{ImapError, ImapWatcher, Timeouts};
use crate::model::Instant;
use crate::service::Transport;
use crate::store::{DeliveryState, OutboxItem, Store, StoreError};

/// The longest wait between probes of a server that cannot be reached.
pub const PROBE_CEILING: TimeDelta = TimeDelta::seconds(5);
/// How often an uncertain mail's echo is looked for while its wait lasts.
pub const ECHO_RECHECK: TimeDelta = TimeDelta::seconds(2);
/// The longest wait after a server refused one mail for now (a 4xx).
pub const REFUSED_CEILING: TimeDelta = TimeDelta::minutes(5);
/// The wait before trying again a server that refused the program's
/// sign-in: a person must act, so it is not hammered meanwhile (a reload
/// tries at once).
pub const NEEDS_A_PERSON_PROBE: TimeDelta = TimeDelta::minutes(15);

/// Mail about shifts still ahead: of no use once they have started.
const TIMELY_KINDS: [&str; 4] = ["second-call", "sick-call", "escalation", "call-update"];

/// The list's correction of a call the program sent, when the calendar
/// moved, gave away or took off its shift: the new time is asked for, or
/// the call is no longer needed. A request covered or withdrawn is often
/// the very news it carries, so that is no reason to give it up.
const CALL_UPDATE: &str = "call-update";

/// The wait before probing a server that failed `failures` times in a row:
/// 1 s, 2 s, 4 s, then every [`PROBE_CEILING`].
pub fn probe_delay(failures: u32) -> TimeDelta {
    let secs = 1i64 << failures.saturating_sub(1).min(6);
    TimeDelta::seconds(secs).min(PROBE_CEILING)
}

/// The wait after the server refused a mail for now, given its attempts so
/// far: 10 s doubling up to [`REFUSED_CEILING`].
pub fn refused_delay(attempts: u32) -> TimeDelta {
    let secs = 10i64 << attempts.min(10);
    TimeDelta::seconds(secs).min(REFUSED_CEILING)
}

/// A span as people write it: "3 days", "12 hours", "30 minutes".
fn in_words(d: TimeDelta) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if d.num_days() >= 1 && d.num_hours() % 24 == 0 {
        plural(d.num_days(), "day")
    } else if d.num_hours() >= 1 {
        plural(d.num_hours(), "hour")
    } else {
        plural(d.num_minutes(), "minute")
    }
}

/// Why an unsent mail is given up, if it is: it waited longer than
/// `give_up_after`; or it is a second call, sick call, escalation or call
/// update decided while its shifts were ahead and they have all started
/// since (one decided for a shift already under way, a sick notice
/// mid-shift, still goes); or it is one of the first three, it failed
/// before and its request has been covered or withdrawn since.
///
/// A call update's shifts are its request's as the change left them: a
/// moved shift at its new time, one given away still in the request
/// (covered), and one taken off the calendar kept by its withdrawn request.
/// One taken off while the request kept other shifts is no longer in it,
/// so such a correction is given up once those others have started, even
/// when the one taken off was later (a server down all that while).
pub fn give_up_reason(
    item: &OutboxItem,
    requests: &[Request],
    now: Instant,
    settings: &Settings,
) -> Option<String> {
    let mail = &item.mail;
    if now - mail.date >= settings.give_up_after {
        return Some(format!(
            "given up: not sent within {} of being decided",
            in_words(settings.give_up_after)
        ));
    }
    if !TIMELY_KINDS.contains(&mail.kind.as_str()) {
        return None;
    }
    let request = requests
        .iter()
        .find(|r| Some(&r.id) == mail.request_id.as_ref())?;
    let tried = item.attempts > 0 || item.send_started_at.is_some();
    if tried && request.state != RequestState::Open && mail.kind != CALL_UPDATE {
        return Some(format!(
            "given up: the request was {} before the {} could go out",
            request.state.as_str(),
            mail.kind
        ));
    }
    let last_start = request.shifts.iter().map(|s| s.span.start).max()?;
    (last_start > mail.date && last_start <= now).then(|| {
        format!(
            "given up: the shift started before the {} could go out",
            mail.kind
        )
    })
}

/// Whether `item` is an escalation that must wait for a second call of the
/// same request, decided no later than it, that has not gone out.
pub fn waits_for_second_call(item: &OutboxItem, unsent: &[&OutboxItem]) -> bool {
    item.mail.kind == "escalation"
        && item.mail.request_id.is_some()
        && unsent.iter().any(|o| {
            o.mail.kind == "second-call"
                && o.mail.request_id == item.mail.request_id
                && o.mail.date <= item.mail.date
        })
}

/// The reading of the program's own mail coming back (an echo in its own
/// mailbox, or its mail to the list delivered to the list's mailbox),
/// known from its headers alone, so that it is never read: a catch-up of a
/// mailbox full of echoes then starts no reading process. None for any
/// other message, which is read as usual.
///
/// Only what the reader would itself read as the program's own mail is
/// known here, and less: the reader takes an `X-Shiftcover-Kind` header
/// alone, or the program's From alone, as its own mail; this asks for all
/// of the header, the program's From and a Message-ID of the form the
/// program stamps (`<kind.hash@sender-domain>`, its kind the header's),
/// one of each. So a message from outside that only looks like the
/// program's (its Message-ID, or its header, or its From) is read exactly
/// as it was, and one that claims all three was already not read for what
/// it says. The headers are found by a plain scan, which stops at the
/// first line a mail reader would not take as a header (where the reader's
/// parser may go on): it can find less than the reader, never more.
pub fn echo_reading(raw: &[u8], config: &Config) -> Option<crate::model::Reading> {
    let fields = crate::read::auth_results::header_fields(raw);
    let only = |name: &str| -> Option<&str> {
        let mut found = fields.iter().filter(|(n, _)| n == name);
        let (_, value) = found.next()?;
        found.next().is_none().then_some(value.as_str())
    };
    let kind = only("x-shiftcover-kind")?.trim();
    let message_id = only("message-id")?.trim();
    if kind.is_empty() || !crate::compose::is_own_id(config, message_id, &[kind]) {
        return None;
    }
    let from = address_of(only("from")?)?;
    if !config.is_own_address(&from) {
        return None;
    }
    let ids = |v: &str| -> Vec<String> {
        v.split_whitespace()
            .filter(|t| t.starts_with('<') && t.ends_with('>') && t.len() > 2)
            .map(str::to_string)
            .collect()
    };
    Some(crate::model::Reading {
        message_id: message_id.to_string(),
        date: only("date")
            .and_then(|d| chrono::DateTime::parse_from_rfc2822(d.trim()).ok())
            .map(|d| d.to_utc()),
        subject: only("subject").unwrap_or_default().to_string(),
        in_reply_to: only("in-reply-to").and_then(|v| ids(v).into_iter().next()),
        references: only("references").map(ids).unwrap_or_default(),
        kind: crate::model::Kind::Other,
        shifts: Vec::new(),
        coverer: None,
        on_behalf_of: None,
        own_mail: true,
        covers: Vec::new(),
        diagnostics: vec![
            format!("own mail: X-Shiftcover-Kind: {kind}, from {from}, known before reading"),
            "→ other (the program's own mail)".into(),
        ],
        // As the reader would: the engine's refusal of unauthenticated
        // staff mail sees the same verdict whoever read the message.
        sender_auth: config
            .authserv_id
            .as_deref()
            .map(|id| crate::read::auth_results::sender_auth(raw, id, &from)),
        calendar_reply: None,
        backs_out: false,
        named_shifts: Vec::new(),
        doubts: Vec::new(),
        from,
    })
}

/// The address of a From field's value (`Name <a@b>` or `a@b`), lowercased.
fn address_of(value: &str) -> Option<String> {
    let value = value.trim();
    let addr = match value.rfind('<') {
        Some(open) => value[open + 1..].split('>').next()?,
        None => value,
    };
    let addr = addr.trim();
    (addr.contains('@') && !addr.contains([' ', ',', '<', '>'])).then(|| addr.to_ascii_lowercase())
}

/// What one delivery round did, and when the next is worth running.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    /// Uncertain sends found in the mailbox: recorded as sent, not resent.
    pub confirmed: usize,
    pub given_up: usize,
    /// Refused for good (5xx).
    pub failed: usize,
    /// The earliest time something waiting may go: a retry, a probe, an
    /// echo to look for again.
    pub next: Option<Instant>,
}

impl Round {
    fn wake_at(&mut self, at: Instant) {
        self.next = Some(self.next.map_or(at, |n| n.min(at)));
    }
}

/// Looks for a sent mail's echo in the program's own mailbox.
#[derive(Debug, Clone)]
pub struct EchoCheck {
    server: Server,
    /// Signs in as the watcher does (a password or an OAuth2 token).
    credential: Credential,
    /// The watched folder, and INBOX where direct mail lands.
    folders: Vec<String>,
}

impl EchoCheck {
    /// Whether a message with this Message-ID is in any of the folders.
    pub async fn seen(&self, message_id: &str) -> Result<bool, ImapError> {
        for folder in &self.folders {
            let mut w = ImapWatcher::connect_as(
                &self.server,
                folder,
                &self.credential,
                Timeouts::default(),
            )
            .await?;
            let hit = w.has_message_id(message_id).await;
            w.logout().await;
            if hit? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// What looking for an uncertain mail's echo came to.
enum Echo {
    /// It is there: the earlier send went through.
    Seen,
    /// Not yet; look again then.
    NotYet(Instant),
    /// Its wait is over without it: send again.
    Absent,
}

/// Carries out the outbox, round after round; remembers whether the server
/// was reachable.
#[derive(Debug, Clone)]
pub struct Deliverer {
    settings: Settings,
    /// None for the Maildir outbox, or with the echo switched off.
    echo: Option<EchoCheck>,
    echo_to: Option<String>,
    /// Failures in a row to reach the server; 0 while it answers.
    down_for: u32,
    /// While the server is down, no attempt before then.
    probe_at: Option<Instant>,
}

impl Deliverer {
    /// A deliverer without the echo: the Maildir outbox (and `simulate`).
    pub fn plain(config: &Config) -> Deliverer {
        Deliverer {
            settings: config.delivery.clone(),
            echo: None,
            echo_to: None,
            down_for: 0,
            probe_at: None,
        }
    }

    /// The daemon's deliverer: for an SMTP outbox with an IMAP mailbox, every
    /// mail's echo goes to `outbox.echo_to` and is looked for in the watched
    /// folder and INBOX, signed in with the mailbox's `credential`.
    pub fn for_config(config: &Config, credential: &Credential) -> anyhow::Result<Deliverer> {
        let mut d = Deliverer::plain(config);
        if let (OutboxBackend::Smtp { .. }, MailboxBackend::Imap { server, folder, .. }, Some(to)) =
            (&config.outbox, &config.mailbox, &config.delivery.echo_to)
        {
            let mut folders = vec![folder.clone()];
            if !folder.eq_ignore_ascii_case("INBOX") {
                folders.push("INBOX".into());
            }
            d.echo = Some(EchoCheck {
                server: server.clone(),
                credential: credential.clone(),
                folders,
            });
            d.echo_to = Some(to.clone());
        }
        Ok(d)
    }

    /// Whether a send is recorded as started and confirmed by its echo.
    pub fn exactly_once(&self) -> bool {
        self.echo.is_some()
    }

    /// The mail as it goes out: with the echo's envelope recipient.
    fn with_echo(&self, mail: &OutgoingMail) -> OutgoingMail {
        let mut out = mail.clone();
        if let Some(to) = &self.echo_to
            && !out.to.iter().any(|t| t.eq_ignore_ascii_case(to))
        {
            out.to.push(to.clone());
        }
        out
    }

    async fn look_for_echo(&self, item: &OutboxItem, started: Instant, now: Instant) -> Echo {
        let Some(check) = &self.echo else {
            return Echo::Absent;
        };
        let wait_over = started + self.settings.echo_wait;
        match check.seen(&item.mail.message_id).await {
            Ok(true) => Echo::Seen,
            Ok(false) if now >= wait_over => Echo::Absent,
            Ok(false) => Echo::NotYet((now + ECHO_RECHECK).min(wait_over)),
            Err(e) => {
                // Sending blind could send it twice: it waits for the mailbox.
                warn!(
                    key = %item.mail.key,
                    error = %e,
                    "cannot look for an uncertain mail's echo; it waits for the mailbox"
                );
                Echo::NotYet(now + PROBE_CEILING)
            }
        }
    }

    /// One round: gives up what can no longer matter, confirms uncertain
    /// sends by their echo, and sends what is due, oldest first, escalations
    /// after their second calls. Store errors end the round; send errors are
    /// recorded and logged.
    pub async fn round<T: Transport>(
        &mut self,
        transport: &mut T,
        store: &Store,
        requests: &[Request],
        now: Instant,
    ) -> Result<Round, StoreError> {
        let mut round = Round::default();
        if let Some(at) = self.probe_at
            && now < at
        {
            round.wake_at(at);
            return Ok(round);
        }
        // After the server came back, the mail waiting for it goes at once.
        let mut retry_now = false;
        let mut passes = 0;
        loop {
            passes += 1;
            let sent_before = round.sent;
            let items = store.mail_in_state(DeliveryState::Pending).await?;
            let mut done: HashSet<&str> = HashSet::new();
            let mut recovered = false;
            let mut stopped = false;
            for item in &items {
                let key = item.mail.key.as_str();
                if let Some(reason) = give_up_reason(item, requests, now, &self.settings)
                    && item.send_started_at.is_none()
                {
                    warn!(key, kind = %item.mail.kind, to = %item.mail.to.join(", "), %reason, "mail given up");
                    store.mark_mail_given_up(key, &reason).await?;
                    round.given_up += 1;
                    done.insert(key);
                    continue;
                }
                let unsent: Vec<&OutboxItem> = items
                    .iter()
                    .filter(|o| !done.contains(o.mail.key.as_str()) && o.mail.key != key)
                    .collect();
                if waits_for_second_call(item, &unsent) {
                    continue;
                }
                if let Some(at) = item.next_attempt_at
                    && at > now
                    && !retry_now
                {
                    round.wake_at(at);
                    continue;
                }
                if stopped {
                    continue;
                }
                if let Some(started) = item.send_started_at {
                    match self.look_for_echo(item, started, now).await {
                        Echo::Seen => {
                            info!(
                                key,
                                kind = %item.mail.kind,
                                message_id = %item.mail.message_id,
                                "an uncertain send was accepted: its echo is in the mailbox, so it is not sent again"
                            );
                            store.mark_mail_sent(key, now).await?;
                            round.confirmed += 1;
                            done.insert(key);
                            continue;
                        }
                        Echo::NotYet(at) => {
                            round.wake_at(at);
                            continue;
                        }
                        Echo::Absent => {
                            if let Some(reason) =
                                give_up_reason(item, requests, now, &self.settings)
                            {
                                warn!(key, %reason, "mail given up");
                                store.mark_mail_given_up(key, &reason).await?;
                                round.given_up += 1;
                                done.insert(key);
                                continue;
                            }
                            info!(
                                key,
                                "no echo of an uncertain send within the echo wait: sending it again"
                            );
                        }
                    }
                }
                if self.echo.is_some() {
                    store.mark_mail_started(key, now).await?;
                }
                match transport.send(&self.with_echo(&item.mail)).await {
                    Ok(()) => {
                        store.mark_mail_sent(key, now).await?;
                        round.sent += 1;
                        done.insert(key);
                        if self.down_for > 0 {
                            info!(
                                failures = self.down_for,
                                "the mail server answers again: sending what waited"
                            );
                            recovered = true;
                        }
                        self.down_for = 0;
                        self.probe_at = None;
                    }
                    Err(e) if e.transient && e.unreachable && e.needs_a_person => {
                        self.down_for += 1;
                        let at = now + NEEDS_A_PERSON_PROBE;
                        self.probe_at = Some(at);
                        error!(key, error = %e.message, retry_in = ?NEEDS_A_PERSON_PROBE.to_std().unwrap_or_default(), "the mail server refuses the program's sign-in and needs a person: fix the outbox's password file (or TLS setting), then reload; the mail waits");
                        store.mark_mail_failed(key, &e.message, Some(at)).await?;
                        round.wake_at(at);
                        stopped = true;
                    }
                    Err(e) if e.transient && e.unreachable => {
                        self.down_for += 1;
                        let at = now + probe_delay(self.down_for);
                        self.probe_at = Some(at);
                        warn!(key, error = %e.message, retry_in = ?probe_delay(self.down_for).to_std().unwrap_or_default(), "cannot reach the mail server");
                        store.mark_mail_failed(key, &e.message, Some(at)).await?;
                        round.wake_at(at);
                        // The rest would fail the same way.
                        stopped = true;
                    }
                    Err(e) if e.transient && e.maybe_accepted && self.echo.is_some() => {
                        let at = now + ECHO_RECHECK;
                        warn!(key, error = %e.message, "the send broke off after the message went out; looking for its echo before sending again");
                        store.mark_mail_unconfirmed(key, &e.message, at).await?;
                        round.wake_at(at);
                    }
                    Err(e) if e.transient => {
                        let at = now + refused_delay(item.attempts);
                        warn!(key, error = %e.message, retry_at = %at, "sending failed; trying again");
                        store.mark_mail_failed(key, &e.message, Some(at)).await?;
                        round.wake_at(at);
                    }
                    Err(e) => {
                        // The refusal may be of the echo's recipient alone (a
                        // wrong outbox.echo_to): the mail goes without it then,
                        // rather than not at all.
                        let echo_added = self.with_echo(&item.mail).to.len() > item.mail.to.len();
                        if echo_added && transport.send(&item.mail).await.is_ok() {
                            warn!(key, echo_to = ?self.echo_to, error = %e.message, "the server refused the echo's recipient: sent without it (check outbox.echo_to)");
                            store.mark_mail_sent(key, now).await?;
                            round.sent += 1;
                            done.insert(key);
                            continue;
                        }
                        warn!(key, kind = %item.mail.kind, error = %e.message, "the server refused the mail for good");
                        store.mark_mail_failed(key, &e.message, None).await?;
                        round.failed += 1;
                        done.insert(key);
                    }
                }
            }
            // An escalation held for a second call sent in this pass goes now.
            let held = items
                .iter()
                .any(|i| !done.contains(i.mail.key.as_str()) && i.mail.kind == "escalation");
            let again = (recovered && !retry_now) || (held && round.sent > sent_before);
            if again && !stopped && passes < 3 {
                retry_now |= recovered;
                continue;
            }
            return Ok(round);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{RequestKind, RequestShift};
    use crate::model::Span;
    use chrono::TimeZone;

    fn at(h: u32) -> Instant {
        chrono::Utc.with_ymd_and_hms(2026, 12, 7, h, 0, 0).unwrap()
    }

    fn settings() -> Settings {
        Settings {
            echo_to: None,
            echo_wait: TimeDelta::minutes(2),
            give_up_after: TimeDelta::days(3),
        }
    }

    fn item(kind: &str, request: &str, date: Instant, attempts: u32) -> OutboxItem {
        OutboxItem {
            mail: OutgoingMail {
                key: format!("{kind}:{request}"),
                kind: kind.into(),
                to: vec!["ask-chat@example.edu".into()],
                from: "coverage@example.edu".into(),
                message_id: format!("<{kind}.1@example.edu>"),
                date,
                request_id: Some(request.into()),
                raw: Vec::new(),
            },
            state: DeliveryState::Pending,
            attempts,
            last_error: None,
            next_attempt_at: None,
            sent_at: None,
            send_started_at: None,
        }
    }

    fn request(id: &str, shift_start: Instant, state: RequestState) -> Request {
        Request {
            id: id.into(),
            kind: RequestKind::Coverage,
            requester: "mchen@example.edu".into(),
            owner: "mchen@example.edu".into(),
            subject: "Tuesday".into(),
            requested_at: at(1),
            shifts: vec![RequestShift {
                span: Span::new(shift_start, shift_start + TimeDelta::hours(2)),
                covered_by: None,
                covered_at: None,
            }],
            state,
            thread: vec![id.into()],
            second_call_at: None,
            second_call_sent_at: None,
            own_second_call: false,
            escalated_at: None,
            offers: vec![],
            closed_at: None,
            suggested_for: vec![],
            cover_events: vec![],
            owner_on_calendar: None,
        }
    }

    #[test]
    fn the_probe_backs_off_only_up_to_five_seconds() {
        let secs: Vec<i64> = (1..=6).map(|n| probe_delay(n).num_seconds()).collect();
        assert_eq!(secs, vec![1, 2, 4, 5, 5, 5]);
        assert_eq!(probe_delay(1000), PROBE_CEILING);
        assert_eq!(refused_delay(0).num_seconds(), 10);
        assert_eq!(refused_delay(30), REFUSED_CEILING);
    }

    #[test]
    fn a_failing_second_call_is_kept_until_its_shift_starts_then_given_up() {
        let r = request("<r@x>", at(15), RequestState::Open);
        let call = item("second-call", "<r@x>", at(9), 40);
        // Forty failures are no reason: the shift is still ahead.
        assert_eq!(
            give_up_reason(&call, std::slice::from_ref(&r), at(14), &settings()),
            None
        );
        let why = give_up_reason(&call, &[r], at(15), &settings()).expect("given up");
        assert!(why.contains("shift started"), "{why}");
    }

    #[test]
    fn a_mail_never_tried_is_never_given_up_even_for_a_shift_under_way() {
        // A sick notice mid-shift escalates at once; the escalation goes.
        let r = request("<r@x>", at(10), RequestState::Open);
        let esc = item("escalation", "<r@x>", at(11), 0);
        assert_eq!(give_up_reason(&esc, &[r], at(11), &settings()), None);
    }

    #[test]
    fn an_ack_that_cannot_go_is_given_up_after_days_not_hours() {
        let r = request("<r@x>", at(10) + TimeDelta::days(30), RequestState::Open);
        let ack = item("ack", "<r@x>", at(9), 200);
        let later = at(9) + TimeDelta::hours(70);
        assert_eq!(
            give_up_reason(&ack, std::slice::from_ref(&r), later, &settings()),
            None
        );
        let why = give_up_reason(&ack, &[r], at(9) + TimeDelta::days(3), &settings())
            .expect("given up after 3 days");
        assert!(why.contains("within 3 days"), "{why}");
    }

    #[test]
    fn an_escalation_for_a_covered_request_is_given_up_once_it_failed() {
        let r = request("<r@x>", at(20), RequestState::Covered);
        let esc = item("escalation", "<r@x>", at(9), 1);
        assert_eq!(
            give_up_reason(
                &item("escalation", "<r@x>", at(9), 0),
                std::slice::from_ref(&r),
                at(10),
                &settings()
            ),
            None,
            "never tried: the engine's own decision stands"
        );
        let why = give_up_reason(&esc, &[r], at(10), &settings()).expect("given up");
        assert!(why.contains("covered"), "{why}");
    }

    #[test]
    fn a_call_update_is_given_up_once_its_shift_has_started_not_after_days() {
        // The shift moved to 15:00; the list's correction, decided at 9:00,
        // has failed all morning.
        let moved = request("<r@x>", at(15), RequestState::Open);
        let fix = item("call-update", "<r@x>", at(9), 30);
        assert_eq!(
            give_up_reason(&fix, std::slice::from_ref(&moved), at(14), &settings()),
            None,
            "the new time is still ahead: the list still needs to hear of it"
        );
        let why = give_up_reason(&fix, &[moved], at(15), &settings()).expect("given up");
        assert_eq!(
            why,
            "given up: the shift started before the call-update could go out"
        );
    }

    #[test]
    fn a_call_no_longer_needed_still_goes_until_its_shift_starts() {
        // The shift was given away (the request is covered) or taken off
        // the calendar (withdrawn): that is the correction's news, so a
        // failed try does not give it up as it would a second call.
        for state in [RequestState::Covered, RequestState::Withdrawn] {
            let r = request("<r@x>", at(15), state);
            let fix = item("call-update", "<r@x>", at(9), 3);
            assert_eq!(
                give_up_reason(&fix, std::slice::from_ref(&r), at(10), &settings()),
                None,
                "{state:?}"
            );
            let call = item("second-call", "<r@x>", at(9), 3);
            assert!(give_up_reason(&call, std::slice::from_ref(&r), at(10), &settings()).is_some());
            let why = give_up_reason(&fix, &[r], at(15), &settings()).expect("given up");
            assert!(why.contains("shift started"), "{why}");
        }
    }

    #[test]
    fn an_escalation_waits_for_the_second_call_decided_before_it() {
        let call = item("second-call", "<r@x>", at(9), 3);
        let esc = item("escalation", "<r@x>", at(10), 0);
        let other = item("second-call", "<other@x>", at(9), 3);
        assert!(waits_for_second_call(&esc, &[&call]));
        assert!(!waits_for_second_call(&esc, &[&other]));
        assert!(!waits_for_second_call(&esc, &[]));
        // An escalation due before the second call (the shift is close)
        // does not wait for it.
        let late_call = item("second-call", "<r@x>", at(11), 0);
        assert!(!waits_for_second_call(&esc, &[&late_call]));
    }
}
