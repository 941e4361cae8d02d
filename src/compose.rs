//! The mail the program sends, rendered to RFC 5322 bytes. Pure: the time is
//! a parameter, and the same decision renders the same key and Message-ID.
//!
//! Tone, from the service's written policy: friendly, plain, short
//! paragraphs, no capitals for emphasis, no jargon, and no staff details
//! beyond names.

use chrono::{DateTime, Timelike};
use chrono_tz::Tz;
use lettre::message::header::{
    ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue,
};
use lettre::message::{Mailbox as LettreMailbox, MultiPart, SinglePart};
use serde::{Deserialize, Serialize};

use crate::calendar::CoverEdit;
use crate::calendar::edit::{self, Method};
use crate::config::{Config, Mailbox};
use crate::engine::Request;
use crate::model::{Instant, Reading, Span};

/// A message ready to send, as recorded in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    /// Stable key: the same decision always makes the same key, so the outbox
    /// refuses a duplicate.
    pub key: String,
    /// X-Shiftcover-Kind ("ack", "second-call", ...).
    pub kind: String,
    /// Envelope recipients, lowercased.
    pub to: Vec<String>,
    /// Envelope sender.
    pub from: String,
    /// Message-ID with brackets.
    pub message_id: String,
    /// The Date header (the virtual time in `simulate`).
    pub date: Instant,
    pub request_id: Option<String>,
    /// The whole message, CRLF line ends.
    pub raw: Vec<u8>,
}

/// A short stable hash (FNV-1a, 64 bits) for keys and ids.
pub fn short_hash(s: &str) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{h:016x}")
}

// --- headers lettre does not know -----------------------------------------

macro_rules! text_header {
    ($ty:ident, $name:literal) => {
        #[derive(Debug, Clone)]
        struct $ty(String);
        impl Header for $ty {
            fn name() -> HeaderName {
                HeaderName::new_from_ascii_str($name)
            }
            fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
                Ok($ty(s.to_string()))
            }
            fn display(&self) -> HeaderValue {
                HeaderValue::new(Self::name(), self.0.clone())
            }
        }
    };
}

text_header!(XShiftcoverKind, "X-Shiftcover-Kind");
text_header!(AutoSubmitted, "Auto-Submitted");
text_header!(XAutoResponseSuppress, "X-Auto-Response-Suppress");

// --- the pieces every message shares ---------------------------------------

struct Draft<'a> {
    config: &'a Config,
    kind: &'static str,
    key: String,
    to: Vec<Mailbox>,
    reply_to: Vec<Mailbox>,
    subject: String,
    in_reply_to: Option<String>,
    references: Vec<String>,
    request_id: Option<String>,
    text: String,
    /// An HTML alternative (the digest's).
    html: Option<String>,
    calendar: Option<(Method, String)>,
    now: Instant,
}

impl<'a> Draft<'a> {
    /// A message with nothing filled in beyond what every message has.
    fn new(config: &'a Config, kind: &'static str, key: String, now: Instant) -> Draft<'a> {
        Draft {
            config,
            kind,
            key,
            to: vec![],
            reply_to: vec![],
            subject: String::new(),
            in_reply_to: None,
            references: vec![],
            request_id: None,
            text: String::new(),
            html: None,
            calendar: None,
            now,
        }
    }

    /// A message about a request, threaded to its first call.
    fn about(
        config: &'a Config,
        req: &Request,
        kind: &'static str,
        key: String,
        now: Instant,
    ) -> Draft<'a> {
        Draft {
            in_reply_to: Some(req.id.clone()),
            references: vec![req.id.clone()],
            request_id: Some(req.id.clone()),
            ..Draft::new(config, kind, key, now)
        }
    }

    /// A direct answer to one message.
    fn answer(
        config: &'a Config,
        message_id: &str,
        kind: &'static str,
        key: String,
        now: Instant,
    ) -> Draft<'a> {
        Draft {
            in_reply_to: Some(message_id.to_string()),
            references: vec![message_id.to_string()],
            ..Draft::new(config, kind, key, now)
        }
    }
}

fn lettre_mailbox(m: &Mailbox) -> LettreMailbox {
    let addr = m
        .email
        .parse()
        .unwrap_or_else(|_| "invalid@invalid.invalid".parse().expect("static address"));
    LettreMailbox::new(m.name.clone(), addr)
}

impl Draft<'_> {
    fn render(self) -> OutgoingMail {
        // A named desk's mail hashes its name in too: the same message at
        // two desks' lists gets two acks, and a mail client that keeps one
        // copy per Message-ID must see them as two. The one-desk layout's
        // ids are as they always were.
        let hashed = match &self.config.desk {
            Some(desk) => short_hash(&format!("{desk}\n{}", self.key)),
            None => short_hash(&self.key),
        };
        let message_id = format!("<{}.{}@{}>", self.kind, hashed, self.config.sender.domain());
        let mut b = lettre::Message::builder()
            .from(lettre_mailbox(&self.config.sender))
            .subject(self.subject.clone())
            .date(std::time::SystemTime::from(self.now))
            .message_id(Some(message_id.clone()))
            .header(AutoSubmitted("auto-generated".into()))
            .header(XAutoResponseSuppress("All".into()))
            .header(XShiftcoverKind(self.kind.into()));
        for t in &self.to {
            b = b.to(lettre_mailbox(t));
        }
        for r in &self.reply_to {
            b = b.reply_to(lettre_mailbox(r));
        }
        if let Some(irt) = &self.in_reply_to {
            b = b.in_reply_to(irt.clone());
        }
        if !self.references.is_empty() {
            b = b.references(self.references.join(" "));
        }
        let boundary = |n: &str| format!("shiftcover-{}-{}", n, short_hash(&self.key));
        let built = match (&self.calendar, &self.html) {
            (None, None) => b.singlepart(SinglePart::plain(self.text.clone())),
            (None, Some(html)) => b.multipart(
                MultiPart::alternative()
                    .boundary(boundary("alt"))
                    .singlepart(SinglePart::plain(self.text.clone()))
                    .singlepart(SinglePart::html(html.clone())),
            ),
            (Some((method, ics)), _) => {
                let m = match method {
                    Method::Request => "REQUEST",
                    Method::Cancel => "CANCEL",
                };
                let ct = ContentType::parse(&format!("text/calendar; method={m}; charset=utf-8"))
                    .expect("static content type");
                let attach = ContentType::parse("application/ics; name=\"invite.ics\"")
                    .expect("static content type");
                let body = || calendar_body(ics);
                b.multipart(
                    MultiPart::mixed()
                        .boundary(boundary("mixed"))
                        .multipart(
                            MultiPart::alternative()
                                .boundary(boundary("alt"))
                                .singlepart(SinglePart::plain(self.text.clone()))
                                .singlepart(SinglePart::builder().content_type(ct).body(body())),
                        )
                        .singlepart(
                            SinglePart::builder()
                                .content_type(attach)
                                .header(lettre::message::header::ContentDisposition::attachment(
                                    "invite.ics",
                                ))
                                .body(body()),
                        ),
                )
            }
        };
        let raw = match built {
            Ok(m) => m.formatted(),
            // Only an address lettre refuses can fail here; the config
            // validated them, so this is a bug worth seeing in the outbox.
            Err(e) => format!("X-Shiftcover-Error: {e}\r\n\r\n").into_bytes(),
        };
        OutgoingMail {
            key: self.key,
            kind: self.kind.to_string(),
            to: self
                .to
                .iter()
                .map(|m| m.email.to_ascii_lowercase())
                .collect(),
            from: self.config.sender.email.clone(),
            message_id,
            date: self.now,
            request_id: self.request_id,
            raw,
        }
    }
}

// --- how times read in mail -------------------------------------------------

fn local(t: Instant, tz: Tz) -> DateTime<Tz> {
    t.with_timezone(&tz)
}

fn clock(t: DateTime<Tz>, with_half: bool) -> String {
    let (pm, h) = t.hour12();
    let hm = if t.minute() == 0 {
        format!("{h}")
    } else {
        format!("{h}:{:02}", t.minute())
    };
    if with_half {
        format!("{hm} {}", if pm { "pm" } else { "am" })
    } else {
        hm
    }
}

/// "Tuesday, November 10, 12 to 2 pm".
pub fn span_text(span: Span, tz: Tz) -> String {
    let s = local(span.start, tz);
    let e = local(span.end, tz);
    let same_half = (s.hour() < 12) == (e.hour() < 12);
    format!(
        "{}, {}, {} to {}",
        s.format("%A"),
        s.format("%B %-d"),
        clock(s, !same_half),
        clock(e, true)
    )
}

/// "Thursday, April 8 at 10:03 am".
pub fn moment_text(t: Instant, tz: Tz) -> String {
    let l = local(t, tz);
    format!("{} at {}", l.format("%A, %B %-d"), clock(l, true))
}

fn list_spans(spans: &[Span], tz: Tz) -> String {
    spans
        .iter()
        .map(|s| format!("  - {}", span_text(*s, tz)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn first_name(config: &Config, email: &str) -> String {
    config
        .roster
        .by_email(email)
        .map(|m| m.first_name().to_string())
        .or_else(|| {
            (email == config.coordinator.email)
                .then(|| config.coordinator.name.clone())
                .flatten()
                .and_then(|n| n.split_whitespace().next().map(str::to_string))
        })
        .unwrap_or_else(|| email.split('@').next().unwrap_or(email).to_string())
}

/// How mail names a request's owner: their first name on the roster, or
/// for one who left it, the name the calendar gives them on their shift
/// (as it has it), never their address when the calendar names them.
fn owner_first_name(config: &Config, req: &Request) -> String {
    match (config.roster.by_email(&req.owner), &req.owner_on_calendar) {
        (None, Some(on_calendar)) => on_calendar.clone(),
        _ => first_name(config, &req.owner),
    }
}

fn person(config: &Config, email: &str) -> Mailbox {
    let name = config
        .roster
        .by_email(email)
        .map(|m| m.name.clone())
        .or_else(|| {
            (email == config.coordinator.email)
                .then(|| config.coordinator.name.clone())
                .flatten()
        });
    Mailbox {
        name,
        email: email.to_string(),
    }
}

fn list(config: &Config) -> Mailbox {
    Mailbox {
        name: None,
        email: config.list_address.clone(),
    }
}

fn signature(config: &Config) -> String {
    config
        .sender
        .name
        .clone()
        .unwrap_or_else(|| "The coverage helper".into())
}

/// The subject of a thread without its Re:/Fwd: and call prefixes.
pub fn bare_subject(s: &str) -> String {
    let mut t = s.trim();
    loop {
        let lower = t.to_ascii_lowercase();
        let cut = ["re:", "fw:", "fwd:", "aw:", "second call:", "2nd call:"]
            .iter()
            .find(|p| lower.starts_with(*p))
            .map(|p| p.len());
        match cut {
            Some(n) => t = t[n..].trim_start(),
            None => break,
        }
    }
    if t.is_empty() {
        "Chat coverage".into()
    } else {
        t.to_string()
    }
}

// --- the messages -----------------------------------------------------------

/// To the requester: what was understood, and the plan.
pub fn ack(config: &Config, req: &Request, now: Instant) -> OutgoingMail {
    let tz = config.timezone;
    let who = first_name(config, &req.requester);
    let coord = first_name(config, &config.coordinator.email);
    let shifts = list_spans(&req.shifts.iter().map(|s| s.span).collect::<Vec<_>>(), tz);
    let text = match req.kind {
        crate::engine::RequestKind::Sick => {
            let mut t = format!(
                "Hi {who},\n\nSorry you're not feeling well. Here's what I understood you can't work:\n\n{shifts}\n\n"
            );
            if req.shifts.iter().any(|s| s.span.end > now) {
                t.push_str(&format!(
                    "I've asked the list for someone to cover and let {coord} know"
                ));
            } else {
                t.push_str(&format!("I've let {coord} know"));
            }
            t.push_str(&format!(
                ", so you don't need to do anything else. Rest up.\n\nIf I got the shift wrong, just reply and tell me.\n\n{}\n",
                signature(config)
            ));
            t
        }
        crate::engine::RequestKind::Coverage => {
            let it = if req.shifts.len() > 1 { "them" } else { "it" };
            let mut plan = Vec::new();
            match (req.pending_second_call(), req.pending_escalation(config)) {
                (_, Some(e)) if e <= now => plan.push(format!(
                    "The shift is coming up soon, so I've also let {coord} know right away."
                )),
                (Some(sc), esc) => {
                    plan.push(format!(
                        "If nobody has {it} covered by {}, I'll send a second call to the list.",
                        moment_text(sc, tz)
                    ));
                    if let Some(e) = esc {
                        plan.push(format!(
                            "If anything is still open by {}, I'll let {coord} know.",
                            moment_text(e, tz)
                        ));
                    }
                }
                (None, Some(e)) => plan.push(format!(
                    "If nobody has {it} covered by {}, I'll let {coord} know.",
                    moment_text(e, tz)
                )),
                (None, None) => {}
            }
            let short = req
                .earliest_uncovered()
                .map(|s| s - req.requested_at < config.policy.min_notice)
                .unwrap_or(false);
            let mut t = format!(
                "Hi {who},\n\nGot it. You're looking for someone to cover:\n\n{shifts}\n\n"
            );
            if short {
                t.push_str(
                    "That's a little short notice, so the sooner someone offers the better.\n\n",
                );
            }
            if !plan.is_empty() {
                t.push_str(&plan.join(" "));
                t.push_str("\n\n");
            }
            t.push_str(&format!(
                "Volunteers will write to you. Once it's settled, tell the list who's covering, and I'll update the calendar and send them an invitation.\n\nIf I got the shift wrong, just reply and tell me.\n\n{}\n",
                signature(config)
            ));
            t
        }
    };
    Draft {
        to: vec![person(config, &req.requester)],
        subject: format!("Re: {}", bare_subject(&req.subject)),
        text,
        ..Draft::about(config, req, "ack", format!("ack:{}", req.id), now)
    }
    .render()
}

/// True when a Message-ID is one of the program's own mails of one of
/// these kinds (ids are "<kind.hash@sender-domain>").
pub fn is_own_id(config: &Config, id: &str, kinds: &[&str]) -> bool {
    let Some(inner) = id.strip_prefix('<').and_then(|s| s.strip_suffix('>')) else {
        return false;
    };
    let Some((local, domain)) = inner.split_once('@') else {
        return false;
    };
    domain.eq_ignore_ascii_case(config.sender.domain())
        && local
            .split_once('.')
            .is_some_and(|(kind, _)| kinds.contains(&kind))
}

/// To the requester: the shifts changed after they corrected the ack.
pub fn ack_corrected(
    config: &Config,
    req: &Request,
    before: &[Span],
    trigger: &str,
    now: Instant,
) -> OutgoingMail {
    let tz = config.timezone;
    let who = first_name(config, &req.requester);
    let was = list_spans(before, tz);
    let is = list_spans(&req.shifts.iter().map(|s| s.span).collect::<Vec<_>>(), tz);
    let text = format!(
        "Hi {who},\n\nThanks for the correction. I had:\n\n{was}\n\nand now have you looking for someone to cover:\n\n{is}\n\nThe reminders and the note to the coordinator now count from these shifts. If that's still not right, just reply again.\n\n{}\n",
        signature(config)
    );
    Draft {
        to: vec![person(config, &req.requester)],
        subject: format!("Re: {}", bare_subject(&req.subject)),
        text,
        ..Draft::about(
            config,
            req,
            "ack",
            format!("ack:{}:corrected:{trigger}", req.id),
            now,
        )
    }
    .render()
}

/// To the sender: which shift did you mean?
pub fn clarify(config: &Config, reading: &Reading, now: Instant) -> OutgoingMail {
    let who = first_name(config, &reading.from);
    let text = format!(
        "Hi {who},\n\nI couldn't tell which shift your message is about, so I haven't sent anything to the list yet.\n\nCould you reply with the day and the time, for example \"Tuesday 12/8, 10-12\"?\n\n{}\n",
        signature(config)
    );
    Draft {
        to: vec![person(config, &reading.from)],
        subject: format!("Re: {}", bare_subject(&reading.subject)),
        text,
        ..Draft::answer(
            config,
            &reading.message_id,
            "clarify",
            format!("clarify:{}", reading.message_id),
            now,
        )
    }
    .render()
}

/// To the sender: the message was read, but not surely enough to act on;
/// says what was not understood and asks for a line back.
pub fn clarify_doubt(config: &Config, reading: &Reading, now: Instant) -> OutgoingMail {
    let who = first_name(config, &reading.from);
    let text = format!(
        "Hi {who},\n\nThanks for your message. I wasn't sure I understood it, so I haven't acted on it yet. What I couldn't tell: {}.\n\nCould you reply in a line or two? For example \"Dana is covering my Tuesday 12/8, 10-12\" or \"I need someone for Tuesday 12/8, 10-12\".\n\n{}\n",
        reading.doubts_text(),
        signature(config)
    );
    Draft {
        to: vec![person(config, &reading.from)],
        subject: format!("Re: {}", bare_subject(&reading.subject)),
        text,
        ..Draft::answer(
            config,
            &reading.message_id,
            "clarify",
            format!("clarify:{}", reading.message_id),
            now,
        )
    }
    .render()
}

/// To the coordinator: a message about someone else's shift that the
/// program could not match or was unsure of, in plain words.
pub fn not_understood(
    config: &Config,
    reading: &Reading,
    what: &str,
    now: Instant,
) -> OutgoingMail {
    coordinator_note(
        config,
        reading,
        "not-understood",
        "Not understood",
        now,
        |coord, who| {
            format!(
                "Hi {coord},\n\n{who} wrote to the list (\"{}\") about a shift that isn't theirs, and I couldn't act on it: {what}.\n\nI haven't changed the calendar or sent anything to the list. If something needs doing, could you check with {who}?\n\n{}\n",
                bare_subject(&reading.subject),
                signature(config)
            )
        },
    )
}

/// To the list: the second call, replies going to the requester.
pub fn second_call(config: &Config, req: &Request, now: Instant) -> OutgoingMail {
    let tz = config.timezone;
    let who = first_name(config, &req.requester);
    let text = format!(
        "Hi all,\n\nSecond call: {who} still needs someone to cover:\n\n{}\n\nIf you can take it, just reply to this message. Replies go to {who}.\n\nThanks!\n{}\n",
        list_spans(&req.uncovered(), tz),
        signature(config)
    );
    Draft {
        to: vec![list(config)],
        reply_to: vec![person(config, &req.requester), config.sender.clone()],
        subject: format!("Second call: {}", bare_subject(&req.subject)),
        text,
        ..Draft::about(
            config,
            req,
            "second-call",
            format!("second-call:{}{}", req.id, round_suffix(req)),
            now,
        )
    }
    .render()
}

/// The Message-ID a coverer's decline stands for in a request's thread
/// (the decline may come as a calendar response, not as mail).
pub fn decline_id(config: &Config, coverer: &str, span: Span, now: Instant) -> String {
    format!(
        "{DECLINE_PREFIX}{}@{}>",
        short_hash(&format!("{coverer}|{}|{}", span.start, now)),
        config.sender.domain()
    )
}

/// How the thread entries of declines begin (distinct from any Message-ID
/// the program's own mail gets, which begin with `<kind.`).
const DECLINE_PREFIX: &str = "<coverer-declined.";

/// How many times a coverer of this request has declined.
pub fn decline_rounds(req: &Request) -> usize {
    req.thread
        .iter()
        .filter(|t| t.starts_with(DECLINE_PREFIX))
        .count()
}

/// After a coverer declined, the deadlines start again: their mail gets a
/// key of its own for each round, so it is not taken for the first round's.
fn round_suffix(req: &Request) -> String {
    let rounds = decline_rounds(req);
    if rounds == 0 {
        String::new()
    } else {
        format!(":after-decline-{rounds}")
    }
}

/// To the requester: the coverer declined, so the shift is open again.
pub fn declined(
    config: &Config,
    req: &Request,
    coverer: &str,
    span: Span,
    now: Instant,
) -> OutgoingMail {
    let tz = config.timezone;
    let who = first_name(config, &req.requester);
    let them = first_name(config, coverer);
    let text = format!(
        "Hi {who},\n\n{them} can't cover this shift after all, so it isn't covered any more:\n\n  - {}\n\nIt's back on the calendar as yours. If someone else can take it, tell the list who's covering; I'll send a second call if nobody does.\n\n{}\n",
        span_text(span, tz),
        signature(config)
    );
    Draft {
        to: vec![person(config, &req.requester)],
        subject: format!(
            "Not covered after all: {} ({})",
            bare_subject(&req.subject),
            span_text(span, tz)
        ),
        text,
        ..Draft::about(
            config,
            req,
            "declined",
            format!("declined:{}:{}:{}", req.id, coverer, span.start.timestamp()),
            now,
        )
    }
    .render()
}

/// To the coordinator: a shift still needs covering.
pub fn escalation(config: &Config, req: &Request, now: Instant) -> OutgoingMail {
    let tz = config.timezone;
    let coord = first_name(config, &config.coordinator.email);
    let owner = owner_first_name(config, req);
    let spans = req.uncovered();
    let mut text = match req.kind {
        crate::engine::RequestKind::Sick => format!(
            "Hi {coord},\n\n{owner} is out sick and can't work:\n\n{}\n\n",
            list_spans(&spans, tz)
        ),
        crate::engine::RequestKind::Coverage => format!(
            "Hi {coord},\n\n{owner} asked for coverage on {} and it's still open:\n\n{}\n\n",
            moment_text(req.requested_at, tz),
            list_spans(&spans, tz)
        ),
    };
    let mut offered: Vec<String> = req
        .offers
        .iter()
        .map(|o| first_name(config, &o.from))
        .collect();
    offered.dedup();
    if offered.is_empty() {
        text.push_str("Nobody has offered yet.");
    } else {
        text.push_str(&format!(
            "{} offered, but nobody has confirmed it yet.",
            offered.join(" and ")
        ));
    }
    if req.kind == crate::engine::RequestKind::Sick && spans.iter().any(|s| s.end > now) {
        text.push_str(" I've asked the list for help too.");
    }
    text.push_str(&format!(
        "\n\nCould you make sure it's covered?\n\n{}\n",
        signature(config)
    ));
    let first = spans.first().map(|s| span_text(*s, tz)).unwrap_or_default();
    let subject = match req.kind {
        crate::engine::RequestKind::Sick => format!("Out sick: {owner}, {first}"),
        crate::engine::RequestKind::Coverage => format!("Still uncovered: {owner}, {first}"),
    };
    Draft {
        to: vec![config.coordinator.clone()],
        subject,
        text,
        ..Draft::about(
            config,
            req,
            "escalation",
            format!("escalation:{}{}", req.id, round_suffix(req)),
            now,
        )
    }
    .render()
}

/// To the list: someone is out sick; replies go to the coordinator.
pub fn sick_call(config: &Config, req: &Request, now: Instant) -> OutgoingMail {
    let tz = config.timezone;
    let owner = owner_first_name(config, req);
    let coord = first_name(config, &config.coordinator.email);
    let ahead: Vec<Span> = req
        .shifts
        .iter()
        .filter(|s| s.span.end > now)
        .map(|s| s.span)
        .collect();
    let text = format!(
        "Hi all,\n\n{owner} is out sick and can't work:\n\n{}\n\nCan anyone cover? Just reply to this message. Replies go to {coord} and me.\n\nThanks!\n{}\n",
        list_spans(&ahead, tz),
        signature(config)
    );
    let first = ahead.first().map(|s| span_text(*s, tz)).unwrap_or_default();
    Draft {
        to: vec![list(config)],
        reply_to: vec![config.coordinator.clone(), config.sender.clone()],
        subject: format!("Cover needed: {owner} is out sick, {first}"),
        text,
        ..Draft::about(
            config,
            req,
            "sick-call",
            format!("sick-call:{}", req.id),
            now,
        )
    }
    .render()
}

/// One shift of a list call, as the calendar changed it: the time the
/// call named, and the time it is now (None: no longer needed, because
/// someone else works it or it is off the calendar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListChange {
    pub was: Span,
    pub now: Option<Span>,
}

/// To the list: a call the program sent (a sick notice's call, its own
/// second call) named a time the calendar has since changed. Short, in
/// the call's thread (In-Reply-To the call), with the call's own Reply-To
/// when something is still needed. It says what changed and nothing of
/// why the person is away: the list heard that once already, and staff
/// details beyond names stay out of mail to the list.
///
/// The subject says the news itself ("new time", "no longer needed"),
/// not "Re:" of the call's, whose time is now wrong; clients that thread
/// by headers keep it with the call.
pub fn call_update(
    config: &Config,
    req: &Request,
    call_id: &str,
    changes: &[ListChange],
    now: Instant,
) -> OutgoingMail {
    let tz = config.timezone;
    let owner = owner_first_name(config, req);
    let lines: Vec<String> = changes
        .iter()
        .map(|c| match c.now {
            Some(to) => format!(
                "  - {} has moved to {}",
                span_text(c.was, tz),
                span_text(to, tz)
            ),
            None => format!("  - {}: no longer needed", span_text(c.was, tz)),
        })
        .collect();
    let still: Vec<Span> = changes.iter().filter_map(|c| c.now).collect();
    let sick = req.kind == crate::engine::RequestKind::Sick;
    let (reply_to, replies) = if sick {
        (
            vec![config.coordinator.clone(), config.sender.clone()],
            format!(
                "Replies go to {} and me.",
                first_name(config, &config.coordinator.email)
            ),
        )
    } else {
        (
            vec![person(config, &req.requester), config.sender.clone()],
            format!("Replies go to {}.", first_name(config, &req.requester)),
        )
    };
    let (subject, ask, reply_to) = match still.first() {
        Some(first) => (
            format!(
                "Cover needed: {owner}'s shift moved to {}",
                span_text(*first, tz)
            ),
            format!(
                "Can anyone cover the new time? Just reply to this message. {replies}\n\nThanks!"
            ),
            reply_to,
        ),
        None => (
            format!(
                "No longer needed: cover for {owner}'s shift, {}",
                changes
                    .first()
                    .map(|c| span_text(c.was, tz))
                    .unwrap_or_default()
            ),
            "No need to answer the earlier call for this. Thanks to everyone who looked!"
                .to_string(),
            vec![],
        ),
    };
    let text = format!(
        "Hi all,\n\nA change to the earlier call for {owner}'s shift: the calendar now says\n\n{}\n\n{ask}\n\n{}\n",
        lines.join("\n"),
        signature(config)
    );
    let key_lines: Vec<String> = changes
        .iter()
        .map(|c| format!("{}|{}|{:?}", c.was.start, c.was.end, c.now))
        .collect();
    Draft {
        to: vec![list(config)],
        reply_to,
        subject,
        text,
        in_reply_to: Some(call_id.to_string()),
        references: vec![req.id.clone(), call_id.to_string()],
        ..Draft::about(
            config,
            req,
            "call-update",
            format!(
                "call-update:{}:{}",
                req.id,
                short_hash(&key_lines.join("\n"))
            ),
            now,
        )
    }
    .render()
}

/// A text/calendar body as calendar clients read it best. iCalendar content
/// lines are folded at 75 octets, so ASCII text goes as it is (7bit); left
/// to itself lettre picks quoted-printable, whose soft line breaks land
/// inside content lines. Anything else (or a line too long for 7bit) goes
/// as base64, which every relay carries unchanged.
fn calendar_body(ics: &str) -> lettre::message::Body {
    use lettre::message::Body;
    let crlf = ics.replace("\r\n", "\n").replace('\n', "\r\n");
    let seven_bit =
        crlf.is_ascii() && !crlf.contains('\0') && crlf.split("\r\n").all(|l| l.len() <= 998);
    if seven_bit {
        Body::dangerous_pre_encoded(crlf.into_bytes(), ContentTransferEncoding::SevenBit)
    } else {
        Body::new_with_encoding(crlf, ContentTransferEncoding::Base64)
            .unwrap_or_else(|_| unreachable!("base64 carries any bytes"))
    }
}

/// To the coverer: the shift, with a calendar invitation (iMIP REQUEST).
pub fn invitation(
    config: &Config,
    req: &Request,
    e: &CoverEdit,
    trigger: &Reading,
    now: Instant,
) -> OutgoingMail {
    let tz = config.timezone;
    let who = first_name(config, &e.coverer_email);
    // The owner as the edit names them: for one who left the roster, the
    // name the calendar gives them.
    let owner = match config.roster.by_email(&e.owner_email) {
        Some(m) => m.first_name().to_string(),
        None if e.owner_name != e.owner_email => e.owner_name.clone(),
        None => first_name(config, &e.owner_email),
    };
    let text = format!(
        "Hi {who},\n\nThanks for covering {owner}'s shift:\n\n  - {}\n\nIt's on the shared calendar as \"{}\". This message has an invitation you can add to your own calendar.\n\n{}\n",
        span_text(e.span, tz),
        e.label,
        signature(config)
    );
    let ics = edit::invitation(e, Method::Request, e.sequence, tz, now);
    Draft {
        to: vec![person(config, &e.coverer_email)],
        subject: format!("Invitation: {} ({})", e.label, span_text(e.span, tz)),
        in_reply_to: Some(trigger.message_id.clone()),
        references: vec![req.id.clone(), trigger.message_id.clone()],
        request_id: Some(req.id.clone()),
        text,
        calendar: Some((Method::Request, ics)),
        ..Draft::new(config, "invitation", sequenced_key("invitation", e), now)
    }
    .render()
}

/// The key of an invitation or cancellation: the first invitation of a
/// UID keeps the key it always had; every later message for the same UID
/// (a cancellation, an invitation after a decline) has its SEQUENCE in the
/// key, so the outbox takes it for the new message it is.
fn sequenced_key(kind: &str, e: &CoverEdit) -> String {
    match (kind, e.sequence) {
        ("invitation", 0) | ("cancellation", 1) => format!("{kind}:{}", e.uid),
        (_, n) => format!("{kind}:{}:seq{n}", e.uid),
    }
}

/// Why a cover event is cancelled, for the words of the cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelReason {
    /// The requester can work the shift after all.
    Withdrawn,
    /// The coverer declined the invitation or said they can't do it.
    Declined,
}

/// To the coverer: the cover event is gone (iMIP CANCEL), because the
/// coverage was withdrawn or because the coverer declined it.
pub fn cancellation(
    config: &Config,
    req: &Request,
    e: &CoverEdit,
    reason: CancelReason,
    now: Instant,
) -> OutgoingMail {
    let tz = config.timezone;
    let who = first_name(config, &e.coverer_email);
    let owner = first_name(config, &e.owner_email);
    let text = match reason {
        CancelReason::Withdrawn => format!(
            "Hi {who},\n\nGood news: {owner} can work this shift after all, so you're off the hook:\n\n  - {}\n\nI've taken it off the shared calendar. Thanks for offering!\n\n{}\n",
            span_text(e.span, tz),
            signature(config)
        ),
        CancelReason::Declined => format!(
            "Hi {who},\n\nNo problem, you're off this shift:\n\n  - {}\n\nI've taken it off the shared calendar. Thanks for letting us know!\n\n{}\n",
            span_text(e.span, tz),
            signature(config)
        ),
    };
    let ics = edit::invitation(e, Method::Cancel, e.sequence, tz, now);
    Draft {
        to: vec![person(config, &e.coverer_email)],
        subject: format!("Cancelled: {} ({})", e.label, span_text(e.span, tz)),
        in_reply_to: Some(req.id.clone()),
        references: vec![req.id.clone()],
        request_id: Some(req.id.clone()),
        text,
        calendar: Some((Method::Cancel, ics)),
        ..Draft::new(
            config,
            "cancellation",
            sequenced_key("cancellation", e),
            now,
        )
    }
    .render()
}

/// To the requester: how to spread the offered shifts evenly.
pub fn suggestion(
    config: &Config,
    req: &Request,
    plan: &[(Span, Option<String>)],
    now: Instant,
) -> OutgoingMail {
    let tz = config.timezone;
    let who = first_name(config, &req.requester);
    let lines: Vec<String> = plan
        .iter()
        .map(|(s, p)| match p {
            Some(p) => format!("  - {}: {}", span_text(*s, tz), first_name(config, p)),
            None => format!("  - {}: nobody yet", span_text(*s, tz)),
        })
        .collect();
    let text = format!(
        "Hi {who},\n\nSeveral people offered to help. To spread the shifts evenly, here's a suggestion:\n\n{}\n\nIt's only a suggestion. Once you've settled it, tell the list who's covering which, and I'll update the calendar and send the invitations.\n\n{}\n",
        lines.join("\n"),
        signature(config)
    );
    let plan_key: Vec<String> = plan
        .iter()
        .map(|(s, p)| format!("{}={}", s.start.to_rfc3339(), p.as_deref().unwrap_or("")))
        .collect();
    Draft {
        to: vec![person(config, &req.requester)],
        subject: format!("Re: {}", bare_subject(&req.subject)),
        text,
        ..Draft::about(
            config,
            req,
            "suggestion",
            format!("suggestion:{}:{}", req.id, plan_key.join(",")),
            now,
        )
    }
    .render()
}

/// To the requester and the coordinator: the calendar changed under an
/// open request (a shift moved, given to someone else, or gone); `lines`
/// say what became of each shift and what the program does about it.
pub fn schedule_update(
    config: &Config,
    req: &Request,
    lines: &[String],
    now: Instant,
) -> OutgoingMail {
    let who = first_name(config, &req.requester);
    let what = match req.state {
        crate::engine::RequestState::Open => "The request stays open for what is left to cover.",
        crate::engine::RequestState::Covered => {
            "Nothing is left to cover, so the request is closed."
        }
        crate::engine::RequestState::Withdrawn => {
            "Nothing is left to cover, so the request is closed; if a shift still needs someone, put it back on the calendar and ask the list again."
        }
    };
    let text = format!(
        "Hi {who},\n\nThe shift calendar changed since you asked the list about this:\n\n{}\n\n{what} If the calendar is wrong, tell {} (copied here).\n\n{}\n",
        lines
            .iter()
            .map(|l| format!("  - {l}"))
            .collect::<Vec<_>>()
            .join("\n"),
        first_name(config, &config.coordinator.email),
        signature(config)
    );
    let mut to = vec![person(config, &req.requester)];
    if !req
        .requester
        .eq_ignore_ascii_case(&config.coordinator.email)
    {
        to.push(config.coordinator.clone());
    }
    schedule_update_mail(
        config,
        req,
        to,
        format!("Calendar changed: {}", bare_subject(&req.subject)),
        text,
        short_hash(&lines.join("\n")),
        now,
    )
}

/// A `schedule-update` about `req`, threaded to it; `key` tells this one
/// from the request's other updates.
fn schedule_update_mail(
    config: &Config,
    req: &Request,
    to: Vec<Mailbox>,
    subject: String,
    text: String,
    key: String,
    now: Instant,
) -> OutgoingMail {
    Draft {
        to,
        subject,
        text,
        ..Draft::about(
            config,
            req,
            "schedule-update",
            format!("schedule-update:{}:{key}", req.id),
            now,
        )
    }
    .render()
}

/// To the coordinator: shifts of an open request that are still on the
/// calendar but whose events name nobody on the roster any more (the owner
/// left the roster, or the event was renamed), each with what the event
/// says. The request stays open for them; the coordinator is the one who
/// can say whether they still need someone. The requester is not written
/// to: they may have left.
pub fn unowned_shifts(
    config: &Config,
    req: &Request,
    shifts: &[(Span, String)],
    now: Instant,
) -> OutgoingMail {
    let tz = config.timezone;
    let off_roster = config.roster.by_email(&req.owner).is_none();
    let owner = config
        .roster
        .by_email(&req.owner)
        .map(|m| m.name.clone())
        .unwrap_or_else(|| req.owner.clone());
    let one = shifts.len() == 1;
    let (these, whose, they) = if one {
        ("this shift", "whose shift this is", "It is")
    } else {
        ("these shifts", "whose shifts these are", "They are")
    };
    let why = if off_roster {
        format!("The roster no longer has {owner}")
    } else {
        format!("The calendar no longer names {owner} or anyone else on the roster for {these}")
    };
    let mend = if off_roster {
        format!("if {owner} belongs on the roster, put them back and reload the program")
    } else {
        format!("if the calendar should name {owner}, correct the event")
    };
    let list: Vec<String> = shifts
        .iter()
        .map(|(span, summary)| {
            format!(
                "  - {} (the calendar's event says \"{summary}\")",
                span_text(*span, tz)
            )
        })
        .collect();
    let text = format!(
        "Hi {},\n\n{why}, so the calendar no longer says {whose}:\n\n{}\n\n{they} still on the calendar, so the request stays open: answers on the list are still read as before. If nobody is needed any more, withdraw the request by replying to this message; {mend}.\n\n{}\n",
        first_name(config, &config.coordinator.email),
        list.join("\n"),
        signature(config)
    );
    let key_lines: Vec<String> = shifts
        .iter()
        .map(|(span, _)| format!("{}|{}", span.start, span.end))
        .collect();
    schedule_update_mail(
        config,
        req,
        vec![config.coordinator.clone()],
        format!("Still open: {}", bare_subject(&req.subject)),
        text,
        format!("unowned:{}", short_hash(&key_lines.join("\n"))),
        now,
    )
}

/// To the coordinator: a permanent schedule change was announced.
pub fn schedule_change(config: &Config, reading: &Reading, now: Instant) -> OutgoingMail {
    coordinator_note(
        config,
        reading,
        "schedule-change",
        "Schedule change",
        now,
        |coord, who| {
            format!(
                "Hi {coord},\n\n{who} wrote to the list about what looks like a permanent schedule change (\"{}\").\n\nI don't change the regular schedule myself, so the calendar's recurring shifts will need updating by hand.\n\n{}\n",
                bare_subject(&reading.subject),
                signature(config)
            )
        },
    )
}

/// A note to the coordinator about one list message, threaded to it: the
/// text is written from the coordinator's first name and the writer's name.
fn coordinator_note(
    config: &Config,
    reading: &Reading,
    kind: &'static str,
    subject: &str,
    now: Instant,
    text: impl FnOnce(&str, &str) -> String,
) -> OutgoingMail {
    let coord = first_name(config, &config.coordinator.email);
    let who = config
        .roster
        .by_email(&reading.from)
        .map(|m| m.name.clone())
        .unwrap_or_else(|| reading.from.clone());
    Draft {
        to: vec![config.coordinator.clone()],
        subject: format!("{subject}: {}", bare_subject(&reading.subject)),
        text: text(&coord, &who),
        ..Draft::answer(
            config,
            &reading.message_id,
            kind,
            format!("{kind}:{}", reading.message_id),
            now,
        )
    }
    .render()
}

/// To the coordinator: the weekly digest (text, with an HTML alternative).
pub fn digest(
    config: &Config,
    subject: String,
    text: String,
    html: String,
    due: Instant,
    now: Instant,
) -> OutgoingMail {
    Draft {
        to: vec![config.coordinator.clone()],
        subject,
        text,
        html: Some(html),
        ..Draft::new(
            config,
            "digest",
            format!("digest:{}", due.to_rfc3339()),
            now,
        )
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_subject_drops_reply_and_call_prefixes() {
        assert_eq!(
            bare_subject("Re: RE: Second call: Cover 4/19?"),
            "Cover 4/19?"
        );
        assert_eq!(bare_subject("Fwd: "), "Chat coverage");
    }

    #[test]
    fn short_hash_is_stable() {
        assert_eq!(short_hash("ack:<x@y>"), short_hash("ack:<x@y>"));
        assert_ne!(short_hash("ack:<x@y>"), short_hash("ack:<x@z>"));
    }
}
