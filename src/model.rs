//! The domain's nouns, shared by every layer: spans of time, the kinds of list
//! mail, and a message's reading.
//!
//! Instants are kept in UTC (`DateTime<Utc>`) everywhere inside the program;
//! they are shown in the configured zone only at the edges (JSON output, mail
//! text, the calendar), so nothing inside depends on the offset a message or a
//! calendar happened to use.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An instant. Always UTC inside the program.
pub type Instant = DateTime<Utc>;

/// A half-open span of time `[start, end)`: a shift or part of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: Instant,
    pub end: Instant,
}

impl Span {
    pub fn new(start: Instant, end: Instant) -> Self {
        Span { start, end }
    }

    /// True when the two spans share some time (touching ends do not count).
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True when `other` lies wholly inside `self`.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the instant falls inside the span.
    pub fn spans(&self, t: Instant) -> bool {
        self.start <= t && t < self.end
    }

    pub fn duration(&self) -> chrono::TimeDelta {
        self.end - self.start
    }
}

/// What a list message is, as the contract names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    CoverageRequest,
    SecondCall,
    Sick,
    Offer,
    Covered,
    Withdrawn,
    ScheduleChange,
    AutoReply,
    Other,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CoverageRequest => "coverage_request",
            Kind::SecondCall => "second_call",
            Kind::Sick => "sick",
            Kind::Offer => "offer",
            Kind::Covered => "covered",
            Kind::Withdrawn => "withdrawn",
            Kind::ScheduleChange => "schedule_change",
            Kind::AutoReply => "auto_reply",
            Kind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "coverage_request" => Kind::CoverageRequest,
            "second_call" => Kind::SecondCall,
            "sick" => Kind::Sick,
            "offer" => Kind::Offer,
            "covered" => Kind::Covered,
            "withdrawn" => Kind::Withdrawn,
            "schedule_change" => Kind::ScheduleChange,
            "auto_reply" => Kind::AutoReply,
            "other" => Kind::Other,
            _ => return None,
        })
    }

    /// Kinds whose `shifts` the contract asks for; all others report `[]`.
    pub fn carries_shifts(self) -> bool {
        matches!(
            self,
            Kind::CoverageRequest | Kind::SecondCall | Kind::Sick | Kind::Covered | Kind::Offer
        )
    }
}

/// Everything the program understood of one message. Produced by
/// [`crate::read::read_message`], a pure function; consumed by the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// Message-ID with its angle brackets, as in the header; synthesised from a
    /// hash of the message when the header is missing.
    pub message_id: String,
    /// Sender's address, lowercased.
    pub from: String,
    /// The Date header, if it could be read.
    pub date: Option<Instant>,
    pub subject: String,
    /// In-Reply-To and References, in header order, brackets kept.
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub kind: Kind,
    /// Sorted by start; empty for kinds that carry no shifts.
    pub shifts: Vec<Span>,
    /// For `covered`: the roster email of the person taking the shift.
    pub coverer: Option<String>,
    /// For `covered` naming several coverers ("Ben is covering Monday and
    /// Sarah has Wednesday"): who takes which shifts. Empty otherwise, and
    /// then `coverer` takes every shift the message names.
    #[serde(default)]
    pub covers: Vec<Cover>,
    /// For `covered` sent by someone other than the person covered (or a
    /// `sick` notice relayed for someone else): whose shift it is.
    pub on_behalf_of: Option<String>,
    /// True when the message is the program's own mail coming back.
    pub own_mail: bool,
    /// Why the reading came out as it did (the cues that fired, by id, and
    /// the rule that decided), for `parse --explain` and the audit log.
    pub diagnostics: Vec<String>,
    /// For a reply to the program's own acknowledgement or clarify: the
    /// shifts its words name, whatever its kind ("Sorry, I meant Thursday
    /// 4/15"), so the engine can correct the request. Empty otherwise, and
    /// for "yes, that's right" or "thanks".
    #[serde(default)]
    pub named_shifts: Vec<Span>,
    /// What makes the reading doubtful, in plain words, with the weight
    /// each takes off its confidence. Empty when nothing does.
    #[serde(default)]
    pub doubts: Vec<Doubt>,
    /// What the site's own receiving server said of the sender
    /// (Authentication-Results, RFC 8601); None when no `authserv_id` is
    /// configured, and then nothing is checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_auth: Option<SenderAuth>,
    /// An answer to one of the program's own invitations (an iTIP REPLY,
    /// RFC 5546, carried as iMIP, RFC 6047): None for every other message,
    /// including a REPLY about an event the program did not create. The
    /// message's kind stays `other`: it asks no one to cover anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar_reply: Option<CalendarReply>,
    /// The writer takes back a shift they had said they would cover
    /// ("sorry, I can't do Thursday after all"); `named_shifts` then holds
    /// the shifts the words name. Whether they really covered one is the
    /// engine's to decide.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub backs_out: bool,
}

/// What an attendee answered to an invitation (PARTSTAT of a REPLY).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Accepted,
    Tentative,
    Declined,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Accepted => "accepted",
            Answer::Tentative => "tentative",
            Answer::Declined => "declined",
        }
    }

    /// The answer a PARTSTAT value names; None for the values that answer
    /// nothing (NEEDS-ACTION, DELEGATED, an unknown X- value).
    pub fn of_partstat(partstat: &str) -> Option<Answer> {
        match partstat.trim().to_ascii_uppercase().as_str() {
            "ACCEPTED" => Some(Answer::Accepted),
            "TENTATIVE" => Some(Answer::Tentative),
            "DECLINED" => Some(Answer::Declined),
            _ => None,
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        match s {
            "accepted" => Some(Answer::Accepted),
            "tentative" => Some(Answer::Tentative),
            "declined" => Some(Answer::Declined),
            _ => None,
        }
    }
}

/// An iTIP REPLY to one of the program's cover events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarReply {
    /// The cover event's UID, as the program wrote it.
    pub uid: String,
    /// The replying ATTENDEE's address, lowercased (without `mailto:`).
    pub attendee: String,
    pub answer: Answer,
    /// The SEQUENCE the reply answers, when it says.
    pub sequence: Option<u32>,
}

/// Whether the site's receiving server vouched for a message's sender, with
/// the results that decided it ("dmarc=pass", "spf=softfail, dkim=none").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SenderAuth {
    /// DMARC passed, or without a DMARC result, an aligned SPF or DKIM did.
    Passed(String),
    /// DMARC failed, or without it neither SPF nor DKIM passed, or the
    /// server left no result at all.
    Failed(String),
}

/// One reason a reading may be wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doubt {
    /// The doubt's name ("shifts.unresolved", "other.speaks_of_a_shift"),
    /// shown by `parse --explain` and listed in the README's "How the
    /// reader decides"; empty in readings stored before doubts had names.
    #[serde(default)]
    pub id: String,
    /// What was not understood, in words the writer or the coordinator can
    /// act on ("which shift you mean", "who is covering").
    pub what: String,
    /// How much of the confidence it takes, in percent: 50 for a doubt
    /// that alone makes the reading unsure, 25 for a soft one.
    pub weight: u8,
}

/// A reading whose confidence falls below this is unsure: the program does
/// not act on it but asks (the writer, or the coordinator). With weights of
/// 50% and 25%, one hard doubt or two soft ones make a reading unsure; one
/// soft doubt alone does not.
pub const UNSURE_BELOW: f32 = 0.6;

/// One coverer and the shifts they take, from a confirmation that names
/// several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cover {
    pub coverer: String,
    pub shifts: Vec<Span>,
}

impl Doubt {
    pub fn new(id: &str, what: &str, weight: u8) -> Doubt {
        Doubt {
            id: id.into(),
            what: what.into(),
            weight,
        }
    }
}

impl Reading {
    /// How sure the reading is, from 1.0 (no doubt) down: each doubt keeps
    /// `1 - weight` of what was left.
    pub fn confidence(&self) -> f32 {
        self.doubts
            .iter()
            .fold(1.0, |c, d| c * (1.0 - f32::from(d.weight.min(100)) / 100.0))
    }

    /// True when the program should ask rather than act on this reading.
    pub fn unsure(&self) -> bool {
        self.confidence() < UNSURE_BELOW
    }

    /// The doubts, in plain words, joined for a sentence.
    pub fn doubts_text(&self) -> String {
        self.doubts
            .iter()
            .map(|d| d.what.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Every message id this message points back at: In-Reply-To first, then
    /// References newest first.
    pub fn ancestors(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        if let Some(r) = &self.in_reply_to {
            out.push(r);
        }
        for r in self.references.iter().rev() {
            if !out.contains(&r.as_str()) {
                out.push(r);
            }
        }
        out
    }
}
