//! The coverage engine: a pure state machine. It takes a reading (or the
//! passing of time), the current requests and the time, and returns the
//! changed requests and the effects to carry out. It never reads a clock,
//! never touches the store, and never sends anything itself.

use serde::{Deserialize, Serialize};

use crate::calendar::EditOp;
use crate::compose::OutgoingMail;
use crate::model::{Answer, Instant, Span};

/// What a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    Coverage,
    Sick,
}

impl RequestKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Coverage => "coverage",
            RequestKind::Sick => "sick",
        }
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    Open,
    Covered,
    Withdrawn,
}

impl RequestState {
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Open => "open",
            RequestState::Covered => "covered",
            RequestState::Withdrawn => "withdrawn",
        }
    }
}

/// One shift (or part of one) a request asks to have covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestShift {
    pub span: Span,
    /// Roster email of the coverer once confirmed.
    pub covered_by: Option<String>,
    pub covered_at: Option<Instant>,
}

/// A volunteer's offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub from: String,
    /// The spans offered; empty means "any of them".
    pub spans: Vec<Span>,
    pub at: Instant,
    pub message_id: String,
}

/// A request for coverage (or a sick notice), from first call to its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Stable id: the Message-ID of the message that opened it.
    pub id: String,
    pub kind: RequestKind,
    /// Who asked (the sender of the first call), lowercased email.
    pub requester: String,
    /// Whose shifts these are (usually the requester).
    pub owner: String,
    pub subject: String,
    pub requested_at: Instant,
    pub shifts: Vec<RequestShift>,
    pub state: RequestState,
    /// Every Message-ID known to belong to this request's thread: staff mail
    /// and the program's own.
    pub thread: Vec<String>,
    /// The program's second call is due then; None once the requester sent
    /// their own (or for a sick notice).
    pub second_call_at: Option<Instant>,
    /// When a second call went out (the program's or the requester's own).
    pub second_call_sent_at: Option<Instant>,
    /// True when the requester sent the second call themselves.
    pub own_second_call: bool,
    pub escalated_at: Option<Instant>,
    pub offers: Vec<Offer>,
    /// When the request became covered or withdrawn.
    pub closed_at: Option<Instant>,
    /// The last suggestion sent (each shift's start and suggested coverer),
    /// so a new one is sent only when the suggestion changes.
    pub suggested_for: Vec<String>,
    /// The cover events made for this request's shifts, by UID: the
    /// SEQUENCE last sent for each and the coverer's answer.
    #[serde(default)]
    pub cover_events: Vec<CoverEvent>,
    /// For an owner no longer on the roster: the name the calendar gives
    /// them on their shift ([`crate::schedule::Schedule::calendar_name_of`]),
    /// which the mail and the calendar edit name them by, never their
    /// address. Not stored: the service reads it from the schedule before
    /// each decision.
    #[serde(skip)]
    pub owner_on_calendar: Option<String>,
}

/// One cover event the program made (and invited its coverer to), as its
/// invitations and the coverer's answers have left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverEvent {
    /// The event's UID, the same in the calendar and in every invitation.
    pub uid: String,
    /// The coverer invited, lowercased.
    pub coverer: String,
    pub span: Span,
    /// The SEQUENCE of the last REQUEST or CANCEL for this UID (RFC 5546
    /// 2.1.4): each one sent is one more than the last, so clients take
    /// the newest as the event's state.
    pub sequence: u32,
    /// False once the event was cancelled (and until it is sent again).
    pub live: bool,
    /// The coverer's last answer to the invitation, if any.
    pub answer: Option<Answer>,
    pub answered_at: Option<Instant>,
}

impl Request {
    /// The cover event with this UID, if this request made it.
    pub fn cover_event(&self, uid: &str) -> Option<&CoverEvent> {
        self.cover_events
            .iter()
            .find(|e| e.uid.eq_ignore_ascii_case(uid.trim()))
    }

    /// Records that a REQUEST (`live`) or CANCEL (`!live`) goes out for
    /// this cover event and returns its SEQUENCE: 0 for the first
    /// REQUEST of a UID, one more than the last for every later message.
    /// A new REQUEST asks for a new answer, so the old one is forgotten.
    pub fn next_sequence(&mut self, uid: &str, coverer: &str, span: Span, live: bool) -> u32 {
        match self.cover_events.iter_mut().find(|e| e.uid == uid) {
            Some(e) => {
                e.sequence += 1;
                e.live = live;
                if live {
                    e.answer = None;
                    e.answered_at = None;
                    e.coverer = coverer.to_string();
                    e.span = span;
                }
                e.sequence
            }
            None => {
                // A CANCEL for a UID with no record was invited before
                // sequences were kept, with SEQUENCE 0.
                let sequence = if live { 0 } else { 1 };
                self.cover_events.push(CoverEvent {
                    uid: uid.to_string(),
                    coverer: coverer.to_string(),
                    span,
                    sequence,
                    live,
                    answer: None,
                    answered_at: None,
                });
                sequence
            }
        }
    }
}

/// What the engine decided should happen, recorded before it is done.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Mail(OutgoingMail),
    Calendar { key: String, op: EditOp },
}

/// One line of the audit log: a decision and its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    pub at: Instant,
    pub request_id: Option<String>,
    pub message_id: Option<String>,
    pub decision: String,
    pub reason: String,
}

pub mod assign;
mod reschedule;
mod step;

pub use reschedule::{KEPT_UNOWNED, days_in_question, on_schedule_change};
pub use step::{Step, cover_edit, covered_this_term, next_due, on_decline, on_reading, on_time};

use crate::config::Config;

impl Request {
    /// The earliest start among shifts not yet covered (the contract's S).
    pub fn earliest_uncovered(&self) -> Option<Instant> {
        self.shifts
            .iter()
            .filter(|s| s.covered_by.is_none())
            .map(|s| s.span.start)
            .min()
    }

    pub fn uncovered(&self) -> Vec<Span> {
        self.shifts
            .iter()
            .filter(|s| s.covered_by.is_none())
            .map(|s| s.span)
            .collect()
    }

    /// When the second call is due, if it still will be: not yet sent, not
    /// replaced by the requester's own, and before S.
    pub fn pending_second_call(&self) -> Option<Instant> {
        if self.state != RequestState::Open || self.second_call_sent_at.is_some() {
            return None;
        }
        let s = self.earliest_uncovered()?;
        self.second_call_at.filter(|t| *t < s)
    }

    /// When the escalation is due, if it still will be:
    /// `min(second call + escalate_after, S - escalate_before_shift)`, where
    /// the second call is the requester's own when they sent one.
    pub fn pending_escalation(&self, config: &Config) -> Option<Instant> {
        if self.state != RequestState::Open || self.escalated_at.is_some() {
            return None;
        }
        let s = self.earliest_uncovered()?;
        let base = if self.own_second_call {
            self.second_call_sent_at
        } else {
            self.second_call_at
        };
        let before = s - config.policy.escalate_before_shift;
        let at = match base {
            Some(b) => (b + config.policy.escalate_after).min(before),
            None => before,
        };
        (at < s).then_some(at)
    }

    /// The next moment something is due for this request.
    pub fn next_deadline(&self, config: &Config) -> Option<Instant> {
        [self.pending_second_call(), self.pending_escalation(config)]
            .into_iter()
            .flatten()
            .min()
    }
}
