//! One step of the coverage state machine: a reading or the passing of time
//! in, changed requests and effects out.

use std::collections::HashMap;

use crate::calendar::{CoverEdit, EditOp};
use crate::compose;
use crate::config::Config;
use crate::engine::{
    Audit, Effect, Offer, Request, RequestKind, RequestShift, RequestState, assign,
};
use crate::model::{Instant, Kind, Reading, Span};

/// How old a message may be, when it is first seen, and still be acted on.
pub const STALE_AFTER: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// What one step decided.
#[derive(Debug, Default)]
pub struct Step {
    /// Full new versions of requests that changed or were created.
    pub changed: Vec<Request>,
    pub effects: Vec<Effect>,
    pub audit: Vec<Audit>,
}

impl Step {
    fn note(
        &mut self,
        at: Instant,
        req: Option<&str>,
        msg: Option<&str>,
        decision: &str,
        reason: String,
    ) {
        self.audit.push(Audit {
            at,
            request_id: req.map(str::to_string),
            message_id: msg.map(str::to_string),
            decision: decision.to_string(),
            reason,
        });
    }

    fn mail(&mut self, m: crate::compose::OutgoingMail) {
        self.effects.push(Effect::Mail(m));
    }

    fn put(&mut self, req: Request) {
        if let Some(slot) = self.changed.iter_mut().find(|r| r.id == req.id) {
            *slot = req;
        } else {
            self.changed.push(req);
        }
    }
}

/// The next instant any request has something due.
pub fn next_due(requests: &[Request], config: &Config) -> Option<Instant> {
    requests
        .iter()
        .filter_map(|r| r.next_deadline(config))
        .min()
}

/// Fires every second call and escalation due at or before `now`.
pub fn on_time(requests: &[Request], now: Instant, config: &Config) -> Step {
    let mut step = Step::default();
    for r in requests {
        let mut req = r.clone();
        if fire_due(&mut req, now, config, &mut step) {
            step.put(req);
        }
    }
    step
}

/// The coverer declined the calendar invitation for a shift they were
/// covering (seen on the calendar: Exchange's attendee response). The shift
/// is uncovered again, the calendar gives it back to its owner, the
/// requester is told, and the deadlines start again as if the request had
/// been made at the decline. An iMIP REPLY that declines, and a coverer's
/// "sorry, I can't do Thursday after all", take this same path
/// ([`on_reading`]).
pub fn on_decline(
    requests: &[Request],
    coverer: &str,
    span: Span,
    now: Instant,
    config: &Config,
) -> Step {
    decline(requests, coverer, span, None, now, config)
}

/// [`on_decline`], for a decline that came as a message (`message`: its
/// Message-ID, joined to the request's thread).
fn decline(
    requests: &[Request],
    coverer: &str,
    span: Span,
    message: Option<&str>,
    now: Instant,
    config: &Config,
) -> Step {
    let mut step = Step::default();
    let coverer = coverer.trim().to_ascii_lowercase();
    let Some((existing, i)) = covered_by(requests, &coverer, span) else {
        step.note(
            now,
            None,
            message,
            "ignored",
            format!("{coverer} declined a shift they do not cover"),
        );
        return step;
    };
    let mut req = existing.clone();
    let shift_span = req.shifts[i].span;
    let mut edit = cover_edit(config, existing, &coverer, shift_span);
    req.shifts[i].covered_by = None;
    req.shifts[i].covered_at = None;
    req.state = RequestState::Open;
    req.closed_at = None;
    if let Some(mid) = message
        && !req.thread.iter().any(|t| t == mid)
    {
        req.thread.push(mid.to_string());
    }
    let decline = compose::decline_id(config, &coverer, shift_span, now);
    req.thread.push(decline);
    let rounds = compose::decline_rounds(&req);
    req.second_call_at = Some(now + config.policy.second_call_after);
    req.second_call_sent_at = None;
    req.own_second_call = false;
    req.escalated_at = None;
    edit.sequence = req.next_sequence(&edit.uid, &coverer, shift_span, false);
    if let Some(ev) = req.cover_events.iter_mut().find(|e| e.uid == edit.uid) {
        ev.answer = Some(crate::model::Answer::Declined);
        ev.answered_at = Some(now);
    }
    let m = compose::declined(config, &req, &coverer, shift_span, now);
    req.thread.push(m.message_id.clone());
    step.mail(m);
    // The coverer's calendar drops the event on its CANCEL; Exchange sends
    // its own when the event is deleted.
    if !config.calendar.server_sends_invitations() {
        let c = compose::cancellation(config, &req, &edit, compose::CancelReason::Declined, now);
        req.thread.push(c.message_id.clone());
        step.mail(c);
    }
    step.effects.push(Effect::Calendar {
        key: format!("uncover:{}:declined-{rounds}", edit.uid),
        op: EditOp::Uncover(edit),
    });
    step.note(
        now,
        Some(&req.id),
        message,
        "coverer declined",
        format!("{coverer} can't cover it after all; the shift is open again"),
    );
    // A deadline already due (the shift is near) fires at once.
    fire_due(&mut req, now, config, &mut step);
    step.put(req);
    step
}

/// The newest open or covered request with a shift `coverer` covers at
/// `span` (or, failing that, overlapping it), and that shift's index.
fn covered_by<'a>(
    requests: &'a [Request],
    coverer: &str,
    span: Span,
) -> Option<(&'a Request, usize)> {
    let covers = |r: &Request| {
        r.shifts
            .iter()
            .position(|s| s.covered_by.as_deref() == Some(coverer) && s.span == span)
            .or_else(|| {
                r.shifts.iter().position(|s| {
                    s.covered_by.as_deref() == Some(coverer) && s.span.overlaps(&span)
                })
            })
    };
    requests
        .iter()
        .rev()
        .filter(|r| matches!(r.state, RequestState::Covered | RequestState::Open))
        .find_map(|r| covers(r).map(|i| (r, i)))
}

/// An answer to one of the program's invitations (iTIP REPLY). It counts
/// only from the attendee it names, for a cover event of a request that
/// is still live: a decline uncovers the shift ([`decline`]), an accept
/// or a tentative answer is recorded for `status` and the digest.
fn calendar_answer(
    requests: &[Request],
    reading: &Reading,
    answer: &crate::model::CalendarReply,
    now: Instant,
    config: &Config,
) -> Step {
    let mut step = Step::default();
    let mid = reading.message_id.as_str();
    if !answer.attendee.eq_ignore_ascii_case(&reading.from) {
        step.note(
            now,
            None,
            Some(mid),
            "ignored",
            format!(
                "an answer for {} sent by {}: only the attendee answers for themself",
                answer.attendee, reading.from
            ),
        );
        return step;
    }
    let found = requests.iter().rev().find_map(|r| {
        let ev = r.cover_event(&answer.uid)?;
        Some((r, ev.clone()))
    });
    // A cover event made before sequences were kept has no record: its UID
    // is found by rebuilding the cover edits of the request's shifts.
    let found = found.or_else(|| {
        requests.iter().rev().find_map(|r| {
            r.shifts.iter().find_map(|s| {
                let c = s.covered_by.as_deref()?;
                let e = cover_edit(config, r, c, s.span);
                e.uid.eq_ignore_ascii_case(&answer.uid).then(|| {
                    (
                        r,
                        crate::engine::CoverEvent {
                            uid: e.uid,
                            coverer: c.to_string(),
                            span: s.span,
                            sequence: 0,
                            live: true,
                            answer: None,
                            answered_at: None,
                        },
                    )
                })
            })
        })
    });
    let Some((existing, event)) = found else {
        step.note(
            now,
            None,
            Some(mid),
            "ignored",
            format!("an answer about no cover event of ours ({})", answer.uid),
        );
        return step;
    };
    let still_covers = existing
        .shifts
        .iter()
        .any(|s| s.span == event.span && s.covered_by.as_deref() == Some(event.coverer.as_str()));
    if !event.live || !still_covers || event.coverer != answer.attendee {
        step.note(
            now,
            Some(&existing.id),
            Some(mid),
            "ignored",
            format!(
                "{} answered ({}) an invitation that no longer stands",
                answer.attendee,
                answer.answer.as_str()
            ),
        );
        return step;
    }
    // An answer to an older SEQUENCE than the last sent is out of date
    // (RFC 5546 2.1.5).
    if let Some(seq) = answer.sequence
        && seq < event.sequence
    {
        step.note(
            now,
            Some(&existing.id),
            Some(mid),
            "ignored",
            format!(
                "{} answered SEQUENCE {seq}; the invitation is at {}",
                answer.attendee, event.sequence
            ),
        );
        return step;
    }
    if answer.answer == crate::model::Answer::Declined {
        return decline(requests, &event.coverer, event.span, Some(mid), now, config);
    }
    let mut req = existing.clone();
    if !req.thread.iter().any(|t| t == mid) {
        req.thread.push(mid.to_string());
    }
    match req.cover_events.iter_mut().find(|e| e.uid == event.uid) {
        Some(e) => {
            e.answer = Some(answer.answer);
            e.answered_at = Some(now);
        }
        None => req.cover_events.push(crate::engine::CoverEvent {
            answer: Some(answer.answer),
            answered_at: Some(now),
            ..event
        }),
    }
    step.note(
        now,
        Some(&req.id),
        Some(mid),
        "coverer answered",
        format!(
            "{} {} the invitation",
            answer.attendee,
            answer.answer.as_str()
        ),
    );
    step.put(req);
    step
}

/// A coverer writing that they can't do a shift after all: the shift they
/// cover that the message names (or, naming none, the one they cover in
/// the thread it answers) is declined as [`decline`] does. None when the
/// writer covers no such shift: the message is then read as usual.
fn backed_out(
    requests: &[Request],
    reading: &Reading,
    now: Instant,
    config: &Config,
) -> Option<Step> {
    let who = reading.from.as_str();
    let live = |r: &&Request| matches!(r.state, RequestState::Covered | RequestState::Open);
    let theirs = |r: &Request| -> Vec<Span> {
        r.shifts
            .iter()
            .filter(|s| s.covered_by.as_deref() == Some(who))
            .map(|s| s.span)
            .collect()
    };
    let named = requests.iter().rev().filter(live).find_map(|r| {
        theirs(r)
            .into_iter()
            .find(|s| reading.named_shifts.iter().any(|n| n.overlaps(s)))
    });
    let in_thread = || {
        let ancestors = reading.ancestors();
        requests
            .iter()
            .rev()
            .filter(live)
            .filter(|r| r.thread.iter().any(|t| ancestors.contains(&t.as_str())))
            .find_map(|r| match theirs(r).as_slice() {
                [one] => Some(*one),
                _ => None,
            })
    };
    let span = match named {
        Some(s) => s,
        None if reading.named_shifts.is_empty() => in_thread()?,
        None => return None,
    };
    Some(decline(
        requests,
        who,
        span,
        Some(&reading.message_id),
        now,
        config,
    ))
}

/// Whether a reading the program is unsure of asks (the writer, or for a
/// colleague's shift the coordinator) instead of acting. A confirmation
/// naming no coverer may still be settled by its thread (one volunteer);
/// `covered` sees to that. One that names a coverer would edit the
/// calendar and invite on a guess, so it asks. Mail read as nothing to do
/// but doubted (it speaks of someone's shift) asks too: otherwise a
/// misread request would go unanswered. The one rule both the early
/// "ignored" exit and the asking in [`on_reading`] go by.
fn asks_the_writer(reading: &Reading) -> bool {
    let asks_instead = match reading.kind {
        // A request whose shifts did not resolve gets the clarify instead.
        Kind::CoverageRequest | Kind::Sick => !reading.shifts.is_empty(),
        Kind::SecondCall | Kind::Withdrawn | Kind::Other => true,
        Kind::Covered => reading.coverer.is_some(),
        _ => false,
    };
    asks_instead && reading.unsure()
}

/// Decides what a message means for the requests, as of `now`.
pub fn on_reading(requests: &[Request], reading: &Reading, now: Instant, config: &Config) -> Step {
    let mut step = Step::default();
    let mid = reading.message_id.as_str();
    if reading.own_mail || config.is_own_address(&reading.from) {
        step.note(
            now,
            None,
            Some(mid),
            "ignored",
            "the program's own mail".into(),
        );
        return step;
    }
    // "Sorry, I meant Thursday" in answer to an acknowledgement asks
    // nothing of the list, but corrects a request (below). Mail read as
    // nothing to do that asks the writer instead is not ignored either.
    if matches!(reading.kind, Kind::AutoReply | Kind::Other)
        && reading.named_shifts.is_empty()
        && reading.calendar_reply.is_none()
        && !reading.backs_out
        && !asks_the_writer(reading)
    {
        step.note(
            now,
            None,
            Some(mid),
            "ignored",
            format!("read as {}", reading.kind.as_str()),
        );
        return step;
    }
    // Mail found long after it was sent (a first start on an old mailbox)
    // is recorded but not acted on: acknowledging a month-old request helps
    // nobody, and its deadlines are long gone.
    if let Some(d) = reading.date
        && now - d > STALE_AFTER
    {
        step.note(
            now,
            None,
            Some(mid),
            "ignored",
            format!("sent {}, too long ago to act on", d.to_rfc3339()),
        );
        return step;
    }
    let on_roster =
        config.roster.by_email(&reading.from).is_some() || reading.from == config.coordinator.email;
    if !on_roster {
        step.note(
            now,
            None,
            Some(mid),
            "ignored",
            format!("{} is not on the roster", reading.from),
        );
        return step;
    }
    // An answer to one of the program's invitations.
    if let Some(answer) = &reading.calendar_reply {
        return calendar_answer(requests, reading, answer, now, config);
    }
    // A coverer taking back a shift is a decline by mail.
    if reading.backs_out
        && let Some(declined) = backed_out(requests, reading, now, config)
    {
        return declined;
    }
    // The requester answering the acknowledgement with other shifts
    // corrects the request.
    if !reading.named_shifts.is_empty()
        && let Some(req) = corrected_request(requests, reading, config)
    {
        correct(req, reading, now, config, &mut step);
        return step;
    }
    if asks_the_writer(reading) {
        ask_instead(reading, now, config, &mut step);
        return step;
    }
    match reading.kind {
        Kind::CoverageRequest => new_request(
            requests,
            reading,
            now,
            config,
            RequestKind::Coverage,
            &mut step,
        ),
        Kind::Sick => new_request(requests, reading, now, config, RequestKind::Sick, &mut step),
        Kind::SecondCall => second_call(requests, reading, now, config, &mut step),
        Kind::Offer => offer(requests, reading, now, config, &mut step),
        Kind::Covered => covered(requests, reading, now, config, &mut step),
        Kind::Withdrawn => withdrawn(requests, reading, now, config, &mut step),
        Kind::ScheduleChange => {
            step.mail(compose::schedule_change(config, reading, now));
            step.note(
                now,
                None,
                Some(mid),
                "forwarded",
                "a permanent schedule change goes to the coordinator".into(),
            );
        }
        Kind::AutoReply | Kind::Other => step.note(
            now,
            None,
            Some(mid),
            "ignored",
            "names shifts but answers no open request's acknowledgement".into(),
        ),
    }
    step
}

/// The open request whose acknowledgement this reading answers, from its
/// requester.
fn corrected_request<'a>(
    requests: &'a [Request],
    reading: &Reading,
    config: &Config,
) -> Option<&'a Request> {
    let to = reading.in_reply_to.as_deref()?;
    if !compose::is_own_id(config, to, &["ack"]) {
        return None;
    }
    requests.iter().rev().find(|r| {
        r.state == RequestState::Open
            && r.requester == reading.from
            && r.thread.iter().any(|t| t == to)
    })
}

/// Replaces a request's open shifts with the ones the requester names in
/// answer to the acknowledgement, when they differ: deadlines count from
/// the new shifts, and a new acknowledgement says what changed. The same
/// shifts named again ("yes, Tuesday 12/8 is right") change nothing.
fn correct(existing: &Request, reading: &Reading, now: Instant, config: &Config, step: &mut Step) {
    let mid = reading.message_id.as_str();
    let mut req = existing.clone();
    if !req.thread.iter().any(|t| t == mid) {
        req.thread.push(mid.to_string());
    }
    let open = req.uncovered();
    let mut named = reading.named_shifts.clone();
    named.sort();
    named.dedup();
    if named == open {
        step.note(
            now,
            Some(&req.id),
            Some(mid),
            "confirmed",
            "the requester named the same shifts".into(),
        );
        step.put(req);
        return;
    }
    let before: Vec<Span> = req.shifts.iter().map(|s| s.span).collect();
    req.shifts.retain(|s| s.covered_by.is_some());
    req.shifts.extend(named.iter().map(|s| RequestShift {
        span: *s,
        covered_by: None,
        covered_at: None,
    }));
    req.shifts.sort_by_key(|s| s.span.start);
    req.suggested_for.clear();
    let ack = compose::ack_corrected(config, &req, &before, mid, now);
    req.thread.push(ack.message_id.clone());
    step.mail(ack);
    step.note(
        now,
        Some(&req.id),
        Some(mid),
        "corrected",
        format!(
            "the requester corrected the shifts: {} before, {} now",
            before.len(),
            req.shifts.len()
        ),
    );
    fire_due(&mut req, now, config, step);
    step.put(req);
}

/// Asks about an unsure reading instead of acting on it: the writer, or,
/// when the message is about someone else's shift, the coordinator.
fn ask_instead(reading: &Reading, now: Instant, config: &Config, step: &mut Step) {
    let mid = reading.message_id.as_str();
    let about_other = reading
        .on_behalf_of
        .as_deref()
        .is_some_and(|o| o != reading.from);
    if about_other {
        step.mail(compose::not_understood(
            config,
            reading,
            &format!("I wasn't sure of {}", reading.doubts_text()),
            now,
        ));
    } else {
        step.mail(compose::clarify_doubt(config, reading, now));
    }
    step.note(
        now,
        None,
        Some(mid),
        "asked",
        format!(
            "unsure ({:.2}): {}",
            reading.confidence(),
            reading.doubts_text()
        ),
    );
}

/// The moment a message counts from: its Date header, unless that claims to
/// be later than now.
fn sent_at(reading: &Reading, now: Instant) -> Instant {
    reading.date.map(|d| d.min(now)).unwrap_or(now)
}

/// Whose shifts a message is about.
fn person_of(reading: &Reading) -> &str {
    reading.on_behalf_of.as_deref().unwrap_or(&reading.from)
}

/// Finds the request a reply belongs to: by thread first, then by whose
/// shifts and which, then the person's most recent open request.
fn find_request<'a>(
    requests: &'a [Request],
    reading: &Reading,
    states: &[RequestState],
) -> Option<&'a Request> {
    let live = |r: &&Request| states.contains(&r.state);
    for id in reading.ancestors() {
        if let Some(r) = requests
            .iter()
            .rev()
            .filter(live)
            .find(|r| r.thread.iter().any(|t| t == id))
        {
            return Some(r);
        }
    }
    let person = person_of(reading);
    let mine = |r: &&Request| r.owner == person || r.requester == person;
    if !reading.shifts.is_empty() {
        if let Some(r) = requests.iter().rev().filter(live).filter(mine).find(|r| {
            r.shifts
                .iter()
                .any(|s| reading.shifts.iter().any(|x| x.overlaps(&s.span)))
        }) {
            return Some(r);
        }
        return None;
    }
    requests.iter().rev().filter(live).find(mine)
}

fn new_request(
    requests: &[Request],
    reading: &Reading,
    now: Instant,
    config: &Config,
    kind: RequestKind,
    step: &mut Step,
) {
    let mid = reading.message_id.as_str();
    let owner = person_of(reading).to_string();
    if reading.shifts.is_empty() {
        step.mail(compose::clarify(config, reading, now));
        step.note(
            now,
            None,
            Some(mid),
            "clarify",
            "no shift could be resolved from the message".into(),
        );
        return;
    }
    // The same person asking again for the same shifts is a repeat, not a
    // new request: no second acknowledgement.
    if let Some(existing) = requests.iter().find(|r| {
        r.state == RequestState::Open
            && r.owner == owner
            && r.shifts
                .iter()
                .any(|s| reading.shifts.iter().any(|x| x.overlaps(&s.span)))
    }) {
        let mut req = existing.clone();
        if !req.thread.iter().any(|t| t == mid) {
            req.thread.push(mid.to_string());
        }
        step.note(
            now,
            Some(&req.id),
            Some(mid),
            "repeat",
            "already tracking these shifts".into(),
        );
        step.put(req);
        return;
    }
    let at = sent_at(reading, now);
    let mut req = Request {
        id: mid.to_string(),
        kind,
        requester: reading.from.clone(),
        owner,
        subject: reading.subject.clone(),
        requested_at: at,
        shifts: reading
            .shifts
            .iter()
            .map(|s| RequestShift {
                span: *s,
                covered_by: None,
                covered_at: None,
            })
            .collect(),
        state: RequestState::Open,
        thread: vec![mid.to_string()],
        second_call_at: match kind {
            RequestKind::Coverage => Some(at + config.policy.second_call_after),
            RequestKind::Sick => None,
        },
        second_call_sent_at: None,
        own_second_call: false,
        escalated_at: None,
        offers: vec![],
        closed_at: None,
        suggested_for: vec![],
        cover_events: vec![],
        owner_on_calendar: None,
    };
    let ack = compose::ack(config, &req, now);
    req.thread.push(ack.message_id.clone());
    step.mail(ack);
    let short = req
        .earliest_uncovered()
        .map(|s| s - at < config.policy.min_notice)
        .unwrap_or(false);
    step.note(
        now,
        Some(&req.id),
        Some(mid),
        "opened",
        format!(
            "{} request for {} shift(s){}",
            kind.as_str(),
            req.shifts.len(),
            if short {
                ", with less notice than policy asks"
            } else {
                ""
            }
        ),
    );
    if kind == RequestKind::Sick {
        if req.shifts.iter().any(|s| s.span.end > now) {
            let call = compose::sick_call(config, &req, now);
            req.thread.push(call.message_id.clone());
            step.mail(call);
        }
        let esc = compose::escalation(config, &req, now);
        req.thread.push(esc.message_id.clone());
        step.mail(esc);
        req.escalated_at = Some(now);
        step.note(
            now,
            Some(&req.id),
            Some(mid),
            "escalated",
            "sick notices go to the coordinator at once".into(),
        );
    } else {
        fire_due(&mut req, now, config, step);
    }
    step.put(req);
}

/// Sends whatever is due for one request. Returns whether it changed.
fn fire_due(req: &mut Request, now: Instant, config: &Config, step: &mut Step) -> bool {
    let mut changed = false;
    if let Some(due) = req.pending_second_call()
        && due <= now
    {
        let m = compose::second_call(config, req, now);
        req.thread.push(m.message_id.clone());
        step.mail(m);
        req.second_call_sent_at = Some(now);
        step.note(
            now,
            Some(&req.id),
            None,
            "second call",
            format!("nobody confirmed by {}", due.to_rfc3339()),
        );
        changed = true;
    }
    if let Some(due) = req.pending_escalation(config)
        && due <= now
    {
        let m = compose::escalation(config, req, now);
        req.thread.push(m.message_id.clone());
        step.mail(m);
        req.escalated_at = Some(now);
        step.note(
            now,
            Some(&req.id),
            None,
            "escalated",
            format!("still uncovered at {}", due.to_rfc3339()),
        );
        changed = true;
    }
    changed
}

fn second_call(
    requests: &[Request],
    reading: &Reading,
    now: Instant,
    config: &Config,
    step: &mut Step,
) {
    let mid = reading.message_id.as_str();
    let found = find_request(requests, reading, &[RequestState::Open])
        .filter(|r| r.requester == reading.from || r.owner == reading.from);
    let Some(existing) = found else {
        // A second call for a first call the program never saw: track it as
        // a request whose second call is already out.
        if reading.shifts.is_empty() {
            step.note(
                now,
                None,
                Some(mid),
                "ignored",
                "second call for no known request and no shift".into(),
            );
            return;
        }
        new_request(requests, reading, now, config, RequestKind::Coverage, step);
        if let Some(req) = step.changed.iter_mut().find(|r| r.id == mid) {
            let at = sent_at(reading, now);
            req.second_call_at = None;
            req.second_call_sent_at = Some(at);
            req.own_second_call = true;
        }
        return;
    };
    let mut req = existing.clone();
    if !req.thread.iter().any(|t| t == mid) {
        req.thread.push(mid.to_string());
    }
    if req.escalated_at.is_none() {
        // The requester's own second call replaces the program's, and the
        // escalation counts from it.
        req.second_call_sent_at = Some(sent_at(reading, now));
        req.second_call_at = None;
        req.own_second_call = true;
    }
    step.note(
        now,
        Some(&req.id),
        Some(mid),
        "second call",
        "sent by the requester".into(),
    );
    fire_due(&mut req, now, config, step);
    step.put(req);
}

fn offer(requests: &[Request], reading: &Reading, now: Instant, config: &Config, step: &mut Step) {
    let mid = reading.message_id.as_str();
    let found = find_offer_target(requests, reading);
    let Some(existing) = found else {
        step.note(
            now,
            None,
            Some(mid),
            "ignored",
            "an offer for no open request".into(),
        );
        return;
    };
    if existing.owner == reading.from {
        step.note(
            now,
            Some(&existing.id),
            Some(mid),
            "ignored",
            "the requester cannot cover their own shift".into(),
        );
        return;
    }
    let mut req = existing.clone();
    if !req.thread.iter().any(|t| t == mid) {
        req.thread.push(mid.to_string());
    }
    req.offers
        .retain(|o| o.from != reading.from || !o.spans.is_empty() && !reading.shifts.is_empty());
    req.offers.push(Offer {
        from: reading.from.clone(),
        spans: reading.shifts.clone(),
        at: sent_at(reading, now),
        message_id: mid.to_string(),
    });
    step.note(
        now,
        Some(&req.id),
        Some(mid),
        "offer",
        format!("{} offered", reading.from),
    );
    maybe_suggest(&mut req, requests, now, config, step);
    step.put(req);
}

/// An offer belongs to the request it replies to, else to the open request
/// whose shifts it names.
fn find_offer_target<'a>(requests: &'a [Request], reading: &Reading) -> Option<&'a Request> {
    let open = |r: &&Request| r.state == RequestState::Open;
    for id in reading.ancestors() {
        if let Some(r) = requests
            .iter()
            .rev()
            .filter(open)
            .find(|r| r.thread.iter().any(|t| t == id))
        {
            return Some(r);
        }
    }
    if reading.shifts.is_empty() {
        return None;
    }
    requests.iter().rev().filter(open).find(|r| {
        r.shifts
            .iter()
            .any(|s| s.covered_by.is_none() && reading.shifts.iter().any(|x| x.overlaps(&s.span)))
    })
}

/// With several shifts and several volunteers, tells the requester how to
/// spread them evenly; again only when a new offer changes the suggestion.
fn maybe_suggest(
    req: &mut Request,
    requests: &[Request],
    now: Instant,
    config: &Config,
    step: &mut Step,
) {
    let uncovered = req.uncovered();
    let mut people: Vec<&str> = req.offers.iter().map(|o| o.from.as_str()).collect();
    people.sort();
    people.dedup();
    if uncovered.len() < 2 || people.len() < 2 {
        return;
    }
    let counts = covered_this_term(requests, now, config);
    let plan = assign::suggest(&uncovered, &req.offers, &counts);
    // The plan itself is remembered, so an offer that changes nothing
    // brings no second, identical suggestion.
    let fingerprint: Vec<String> = plan
        .iter()
        .map(|(s, who)| format!("{}={}", s.start.to_rfc3339(), who.as_deref().unwrap_or("")))
        .collect();
    if fingerprint == req.suggested_for {
        return;
    }
    let m = compose::suggestion(config, req, &plan, now);
    req.thread.push(m.message_id.clone());
    step.mail(m);
    req.suggested_for = fingerprint;
    step.note(
        now,
        Some(&req.id),
        None,
        "suggestion",
        "several volunteers for several shifts".into(),
    );
}

/// Shifts each person has covered since the term began.
pub fn covered_this_term(
    requests: &[Request],
    now: Instant,
    config: &Config,
) -> HashMap<String, u32> {
    let start = crate::digest::term_start(now, config);
    let mut counts = HashMap::new();
    for r in requests {
        for s in &r.shifts {
            if let (Some(who), Some(at)) = (&s.covered_by, s.covered_at)
                && at >= start
            {
                *counts.entry(who.clone()).or_insert(0) += 1;
            }
        }
    }
    counts
}

fn covered(
    requests: &[Request],
    reading: &Reading,
    now: Instant,
    config: &Config,
    step: &mut Step,
) {
    let mid = reading.message_id.as_str();
    let found = find_request(
        requests,
        reading,
        &[RequestState::Open, RequestState::Covered],
    );
    let mut req = match found {
        Some(r) => r.clone(),
        None => {
            if reading.shifts.is_empty() || reading.coverer.is_none() {
                step.note(
                    now,
                    None,
                    Some(mid),
                    "ignored",
                    "coverage for no known request".into(),
                );
                return;
            }
            // A confirmation about someone else's shift that matches no
            // open request: the program cannot tell what it settles, so the
            // coordinator hears of it in words instead of the calendar
            // changing on a guess.
            if reading
                .on_behalf_of
                .as_deref()
                .is_some_and(|o| o != reading.from)
            {
                let owner = person_of(reading);
                let name = config
                    .roster
                    .by_email(owner)
                    .map(|m| m.name.clone())
                    .unwrap_or_else(|| owner.to_string());
                step.mail(compose::not_understood(
                    config,
                    reading,
                    &format!(
                        "it says {name}'s shift is covered, but {name} has no open request for those shifts that I know of"
                    ),
                    now,
                ));
                step.note(
                    now,
                    None,
                    Some(mid),
                    "asked",
                    "coverage of a colleague's shift that matches no open request".into(),
                );
                return;
            }
            // Coverage arranged without a request the program saw: track it so
            // the calendar and the coverer hear of it.
            let owner = person_of(reading).to_string();
            Request {
                id: mid.to_string(),
                kind: RequestKind::Coverage,
                requester: owner.clone(),
                owner,
                subject: reading.subject.clone(),
                requested_at: sent_at(reading, now),
                shifts: reading
                    .shifts
                    .iter()
                    .map(|s| RequestShift {
                        span: *s,
                        covered_by: None,
                        covered_at: None,
                    })
                    .collect(),
                state: RequestState::Open,
                thread: vec![],
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
    };
    if !req.thread.iter().any(|t| t == mid) {
        req.thread.push(mid.to_string());
    }
    // Who takes what: each coverer the message pairs with shifts, else the
    // one coverer (or the only volunteer) for the shifts it names.
    let assignments: Vec<(String, Vec<Span>)> = if reading.covers.len() > 1 {
        reading
            .covers
            .iter()
            .map(|c| (c.coverer.clone(), c.shifts.clone()))
            .collect()
    } else {
        let coverer = reading.coverer.clone().or_else(|| {
            let mut people: Vec<&str> = req.offers.iter().map(|o| o.from.as_str()).collect();
            people.dedup();
            (people.len() == 1).then(|| people[0].to_string())
        });
        coverer
            .map(|c| (c, reading.shifts.clone()))
            .into_iter()
            .collect()
    };
    let assignments: Vec<(String, Vec<Span>)> = assignments
        .into_iter()
        .filter(|(c, _)| *c != req.owner)
        .collect();
    if assignments.is_empty() {
        // Unsure who covers: ask the writer rather than guess.
        if reading.unsure() {
            step.mail(compose::clarify_doubt(config, reading, now));
        }
        step.note(
            now,
            Some(&req.id),
            Some(mid),
            if reading.unsure() { "asked" } else { "ignored" },
            "coverage confirmed but the coverer is unclear".into(),
        );
        step.put(req);
        return;
    }
    let mut newly: Vec<(String, Span)> = Vec::new();
    for (coverer, shifts) in &assignments {
        // The shifts named that are this request's; a confirmation in the
        // thread that names none of them (or names them wrongly, as a
        // coverer's own day read against their own schedule) covers what
        // is still open.
        let named: Vec<Span> = shifts
            .iter()
            .filter(|x| req.shifts.iter().any(|s| s.span.overlaps(x)))
            .copied()
            .collect();
        let targets = if named.is_empty() && assignments.len() == 1 {
            req.uncovered()
        } else {
            named
        };
        for part in cover_spans(&mut req, coverer, &targets, now) {
            newly.push((coverer.clone(), part));
        }
    }
    if newly.is_empty() {
        step.note(
            now,
            Some(&req.id),
            Some(mid),
            "ignored",
            "those shifts were already covered".into(),
        );
        step.put(req);
        return;
    }
    for (coverer, part) in &newly {
        let mut edit = cover_edit(config, &req, coverer, *part);
        // The calendar copy and the invitation carry the same SEQUENCE.
        edit.sequence = req.next_sequence(&edit.uid, coverer, *part, true);
        let key = edit.uid.clone();
        // Where the calendar server invites the coverer itself (Exchange,
        // through Graph), a second invitation from the program would be a
        // duplicate with a different UID.
        if !config.calendar.server_sends_invitations() {
            let m = compose::invitation(config, &req, &edit, reading, now);
            req.thread.push(m.message_id.clone());
            step.mail(m);
        }
        // A shift covered again after a decline is a new edit, not the
        // first one the store already marked done.
        let round = match compose::decline_rounds(&req) {
            0 => String::new(),
            n => format!(":after-decline-{n}"),
        };
        step.effects.push(Effect::Calendar {
            key: format!("cover:{key}{round}"),
            op: EditOp::Cover(edit),
        });
    }
    if req.shifts.iter().all(|s| s.covered_by.is_some()) {
        req.state = RequestState::Covered;
        req.closed_at = Some(now);
    }
    let who: Vec<&str> = assignments.iter().map(|(c, _)| c.as_str()).collect();
    step.note(
        now,
        Some(&req.id),
        Some(mid),
        "covered",
        format!("{} cover(s) {} shift(s)", who.join(" and "), newly.len()),
    );
    step.put(req);
}

/// Marks the parts of the request's open shifts that `targets` overlap as
/// covered by `coverer`; what is left of a shift stays open. Returns the
/// parts newly covered.
fn cover_spans(req: &mut Request, coverer: &str, targets: &[Span], now: Instant) -> Vec<Span> {
    let mut newly = Vec::new();
    for target in targets {
        let mut next: Vec<RequestShift> = Vec::new();
        for s in std::mem::take(&mut req.shifts) {
            if s.covered_by.is_some() || !s.span.overlaps(target) {
                next.push(s);
                continue;
            }
            let part = Span::new(s.span.start.max(target.start), s.span.end.min(target.end));
            if s.span.start < part.start {
                next.push(RequestShift {
                    span: Span::new(s.span.start, part.start),
                    covered_by: None,
                    covered_at: None,
                });
            }
            next.push(RequestShift {
                span: part,
                covered_by: Some(coverer.to_string()),
                covered_at: Some(now),
            });
            newly.push(part);
            if part.end < s.span.end {
                next.push(RequestShift {
                    span: Span::new(part.end, s.span.end),
                    covered_by: None,
                    covered_at: None,
                });
            }
        }
        next.sort_by_key(|s| s.span.start);
        req.shifts = next;
    }
    newly
}

/// The calendar change for one covered span.
pub fn cover_edit(config: &Config, req: &Request, coverer: &str, span: Span) -> CoverEdit {
    // An owner who left the roster goes by the name the calendar gives
    // them, as the calendar edit finds their shift by it.
    let name = |email: &str| {
        config
            .roster
            .by_email(email)
            .map(|m| m.name.clone())
            .or_else(|| (email == req.owner).then(|| req.owner_on_calendar.clone())?)
            .unwrap_or_else(|| email.to_string())
    };
    // The label names an owner who left the roster as the calendar does
    // (the whole name for every placeholder of theirs but the first name).
    let former_owner =
        req.owner_on_calendar
            .as_ref()
            .map(|on_calendar| crate::config::StaffMember {
                name: on_calendar.clone(),
                email: req.owner.clone(),
                initials: on_calendar.clone(),
                aliases: Vec::new(),
            });
    let label = match (
        config.roster.by_email(coverer),
        config.roster.by_email(&req.owner).or(former_owner.as_ref()),
    ) {
        (Some(c), Some(o)) => config.cover_label(c, o),
        _ => format!("{} for {}", name(coverer), name(&req.owner)),
    };
    let uid = format!(
        "cover-{}-{}@{}",
        span.start.format("%Y%m%dT%H%M%SZ"),
        compose::short_hash(&format!("{}|{}|{}", req.id, coverer, span.start)),
        config.sender.domain()
    );
    CoverEdit {
        uid,
        owner_email: req.owner.clone(),
        owner_name: name(&req.owner),
        coverer_email: coverer.to_string(),
        coverer_name: name(coverer),
        span,
        label,
        organizer_email: config.sender.email.clone(),
        organizer_name: config
            .sender
            .name
            .clone()
            .unwrap_or_else(|| config.sender.email.clone()),
        sequence: 0,
    }
}

fn withdrawn(
    requests: &[Request],
    reading: &Reading,
    now: Instant,
    config: &Config,
    step: &mut Step,
) {
    let mid = reading.message_id.as_str();
    let found = find_request(
        requests,
        reading,
        &[RequestState::Open, RequestState::Covered],
    )
    .filter(|r| {
        r.requester == reading.from
            || r.owner == reading.from
            || reading.from == config.coordinator.email
    });
    let Some(existing) = found else {
        step.note(
            now,
            None,
            Some(mid),
            "ignored",
            "a withdrawal for no known request".into(),
        );
        return;
    };
    let mut req = existing.clone();
    if !req.thread.iter().any(|t| t == mid) {
        req.thread.push(mid.to_string());
    }
    // A coverage already confirmed is undone: the coverer hears of it and
    // the calendar gets the owner's occurrence back. The edit is rebuilt
    // from the same inputs as the cover, so its UID matches.
    let mut undone = Vec::new();
    for s in req.shifts.iter_mut() {
        if let Some(coverer) = s.covered_by.take() {
            undone.push((coverer, s.span));
            s.covered_at = None;
        }
    }
    for (coverer, span) in undone {
        let mut edit = cover_edit(config, existing, &coverer, span);
        edit.sequence = req.next_sequence(&edit.uid, &coverer, span, false);
        let key = edit.uid.clone();
        // Exchange sends the attendee its own cancellation when the
        // cover event is deleted.
        if !config.calendar.server_sends_invitations() {
            step.mail(compose::cancellation(
                config,
                existing,
                &edit,
                compose::CancelReason::Withdrawn,
                now,
            ));
        }
        step.effects.push(Effect::Calendar {
            key: format!("uncover:{key}"),
            op: EditOp::Uncover(edit),
        });
    }
    req.state = RequestState::Withdrawn;
    req.closed_at = Some(now);
    step.note(
        now,
        Some(&req.id),
        Some(mid),
        "withdrawn",
        "the requester no longer needs coverage".into(),
    );
    step.put(req);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Effect;
    use chrono::{DateTime, TimeDelta};

    /// The tables this module's tests add to `config::test_config`'s desk.
    const CONFIG: &str = r#"
[[staff]]
name = "Courtney Crummett"
email = "ccrummett@example.edu"
initials = "CC"
[[staff]]
name = "Angie Lopez"
email = "alopez@example.edu"
[[staff]]
name = "Dana Whitfield"
email = "dwhitfield@example.edu"
[[staff]]
name = "Tom Becker"
email = "tbecker@example.edu"
"#;

    fn config() -> Config {
        crate::config::test_config(CONFIG, "shiftcover-engine-tests")
    }

    fn t(s: &str) -> Instant {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn reading(id: &str, from: &str, kind: Kind, at: &str, shifts: &[(&str, &str)]) -> Reading {
        Reading {
            message_id: format!("<{id}>"),
            from: from.into(),
            date: Some(t(at)),
            subject: "Cover my Monday 4/19 12-2?".into(),
            in_reply_to: None,
            references: vec![],
            kind,
            shifts: shifts.iter().map(|(a, b)| Span::new(t(a), t(b))).collect(),
            coverer: None,
            on_behalf_of: None,
            own_mail: false,
            covers: vec![],
            diagnostics: vec![],
            sender_auth: None,
            calendar_reply: None,
            backs_out: false,
            named_shifts: vec![],
            doubts: vec![],
        }
    }

    fn reply(mut r: Reading, to: &str) -> Reading {
        r.in_reply_to = Some(format!("<{to}>"));
        r.references = vec![format!("<{to}>")];
        r
    }

    fn kinds(step: &Step) -> Vec<String> {
        step.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Mail(m) => Some(m.kind.clone()),
                _ => None,
            })
            .collect()
    }

    /// The calendar edit that gives a covered shift back, if the step makes one.
    fn uncover_of(step: &Step) -> Option<CoverEdit> {
        step.effects.iter().find_map(|e| match e {
            Effect::Calendar {
                op: EditOp::Uncover(e),
                ..
            } => Some(e.clone()),
            _ => None,
        })
    }

    /// Plays readings at their Date and returns the requests and every mail
    /// kind sent, with the time it was sent, firing deadlines in between.
    fn play(
        config: &Config,
        readings: &[Reading],
        until: Instant,
    ) -> (Vec<Request>, Vec<(Instant, String)>) {
        let mut reqs: Vec<Request> = vec![];
        let mut sent = vec![];
        let apply = |reqs: &mut Vec<Request>,
                     step: Step,
                     at: Instant,
                     sent: &mut Vec<(Instant, String)>| {
            for k in kinds(&step) {
                sent.push((at, k));
            }
            for r in step.changed {
                match reqs.iter_mut().find(|x| x.id == r.id) {
                    Some(s) => *s = r,
                    None => reqs.push(r),
                }
            }
        };
        for r in readings {
            let at = r.date.unwrap();
            while let Some(d) = next_due(&reqs, config).filter(|d| *d <= at) {
                let step = on_time(&reqs, d, config);
                apply(&mut reqs, step, d, &mut sent);
            }
            let step = on_reading(&reqs, r, at, config);
            apply(&mut reqs, step, at, &mut sent);
        }
        while let Some(d) = next_due(&reqs, config).filter(|d| *d <= until) {
            let step = on_time(&reqs, d, config);
            apply(&mut reqs, step, d, &mut sent);
        }
        (reqs, sent)
    }

    const SHIFT: (&str, &str) = ("2027-04-19T12:00:00-04:00", "2027-04-19T14:00:00-04:00");

    #[test]
    fn nobody_answers_brings_a_second_call_then_an_escalation() {
        let c = config();
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:03:12-04:00",
            &[SHIFT],
        );
        let (reqs, sent) = play(&c, &[req], t("2027-04-18T00:00:00-04:00"));
        assert_eq!(
            sent,
            vec![
                (t("2027-04-06T10:03:12-04:00"), "ack".to_string()),
                (t("2027-04-08T10:03:12-04:00"), "second-call".to_string()),
                (t("2027-04-09T10:03:12-04:00"), "escalation".to_string()),
            ]
        );
        assert_eq!(reqs[0].state, RequestState::Open);
    }

    #[test]
    fn short_notice_escalates_at_once_and_skips_a_second_call_after_the_shift() {
        let c = config();
        // Asked 40 hours ahead: S - 72h is past, second_call_at is after S.
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-17T20:00:00-04:00",
            &[SHIFT],
        );
        let (_, sent) = play(&c, &[req], t("2027-04-20T00:00:00-04:00"));
        let k: Vec<&str> = sent.iter().map(|(_, k)| k.as_str()).collect();
        assert_eq!(k, vec!["ack", "escalation"]);
        assert_eq!(sent[1].0, t("2027-04-17T20:00:00-04:00"));
    }

    #[test]
    fn escalation_comes_earlier_when_the_shift_is_close() {
        let c = config();
        // Four days ahead: second call at +48h (before S), escalation at S - 72h = +24h.
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-15T12:00:00-04:00",
            &[SHIFT],
        );
        let (_, sent) = play(&c, &[req], t("2027-04-20T00:00:00-04:00"));
        assert_eq!(
            sent,
            vec![
                (t("2027-04-15T12:00:00-04:00"), "ack".to_string()),
                (t("2027-04-16T12:00:00-04:00"), "escalation".to_string()),
                (t("2027-04-17T12:00:00-04:00"), "second-call".to_string()),
            ]
        );
    }

    #[test]
    fn the_requesters_own_second_call_replaces_the_programs() {
        let c = config();
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        let own = reply(
            reading(
                "b",
                "alopez@example.edu",
                Kind::SecondCall,
                "2027-04-07T09:00:00-04:00",
                &[SHIFT],
            ),
            "a",
        );
        let (_, sent) = play(&c, &[req, own], t("2027-04-18T00:00:00-04:00"));
        assert_eq!(
            sent,
            vec![
                (t("2027-04-06T10:00:00-04:00"), "ack".to_string()),
                (t("2027-04-08T09:00:00-04:00"), "escalation".to_string()),
            ]
        );
    }

    #[test]
    fn coverage_cancels_what_is_pending_and_edits_the_calendar() {
        let c = config();
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        let offer = reply(
            reading(
                "b",
                "dwhitfield@example.edu",
                Kind::Offer,
                "2027-04-06T11:00:00-04:00",
                &[],
            ),
            "a",
        );
        let mut done = reply(
            reading(
                "c",
                "alopez@example.edu",
                Kind::Covered,
                "2027-04-06T12:00:00-04:00",
                &[],
            ),
            "b",
        );
        done.coverer = Some("dwhitfield@example.edu".into());
        let reqs0 = play(
            &c,
            &[req.clone(), offer.clone()],
            t("2027-04-06T11:30:00-04:00"),
        )
        .0;
        let step = on_reading(&reqs0, &done, t("2027-04-06T12:00:00-04:00"), &c);
        assert_eq!(kinds(&step), vec!["invitation"]);
        let edit = step.effects.iter().find_map(|e| match e {
            Effect::Calendar {
                op: EditOp::Cover(e),
                ..
            } => Some(e.clone()),
            _ => None,
        });
        let edit = edit.expect("a calendar edit");
        assert_eq!(edit.label, "Dana for Angie");
        assert_eq!(edit.span, Span::new(t(SHIFT.0), t(SHIFT.1)));
        let (reqs, sent) = play(&c, &[req, offer, done], t("2027-04-18T00:00:00-04:00"));
        assert_eq!(reqs[0].state, RequestState::Covered);
        assert_eq!(
            reqs[0].shifts[0].covered_by.as_deref(),
            Some("dwhitfield@example.edu")
        );
        assert!(
            !sent
                .iter()
                .any(|(_, k)| k == "second-call" || k == "escalation")
        );
    }

    #[test]
    fn partial_coverage_leaves_the_rest_open_and_keeps_deadlines() {
        let c = config();
        let second = ("2027-04-21T12:00:00-04:00", "2027-04-21T14:00:00-04:00");
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT, second],
        );
        let mut done = reply(
            reading(
                "c",
                "alopez@example.edu",
                Kind::Covered,
                "2027-04-07T12:00:00-04:00",
                &[SHIFT],
            ),
            "a",
        );
        done.coverer = Some("tbecker@example.edu".into());
        let (reqs, sent) = play(&c, &[req, done], t("2027-04-18T00:00:00-04:00"));
        assert_eq!(reqs[0].state, RequestState::Open);
        assert_eq!(
            reqs[0].shifts[0].covered_by.as_deref(),
            Some("tbecker@example.edu")
        );
        assert_eq!(reqs[0].shifts[1].covered_by, None);
        let k: Vec<&str> = sent.iter().map(|(_, k)| k.as_str()).collect();
        assert_eq!(k, vec!["ack", "invitation", "second-call", "escalation"]);
    }

    #[test]
    fn a_confirmation_in_the_thread_naming_other_shifts_covers_what_is_open() {
        let c = config();
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        // Dana confirms herself; her message was read against her own day.
        let mut done = reply(
            reading(
                "c",
                "dwhitfield@example.edu",
                Kind::Covered,
                "2027-04-07T12:00:00-04:00",
                &[("2027-04-19T10:00:00-04:00", "2027-04-19T12:00:00-04:00")],
            ),
            "a",
        );
        done.coverer = Some("dwhitfield@example.edu".into());
        let (reqs, sent) = play(&c, &[req, done], t("2027-04-08T00:00:00-04:00"));
        assert_eq!(reqs[0].state, RequestState::Covered);
        assert_eq!(reqs[0].shifts[0].span, Span::new(t(SHIFT.0), t(SHIFT.1)));
        assert!(sent.iter().any(|(_, k)| k == "invitation"));
    }

    #[test]
    fn a_confirmation_naming_two_coverers_gives_each_their_shift() {
        let c = config();
        let second = ("2027-04-21T12:00:00-04:00", "2027-04-21T14:00:00-04:00");
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT, second],
        );
        let mut done = reply(
            reading(
                "c",
                "alopez@example.edu",
                Kind::Covered,
                "2027-04-07T12:00:00-04:00",
                &[SHIFT, second],
            ),
            "a",
        );
        done.coverer = Some("tbecker@example.edu".into());
        done.covers = vec![
            crate::model::Cover {
                coverer: "tbecker@example.edu".into(),
                shifts: vec![Span::new(t(SHIFT.0), t(SHIFT.1))],
            },
            crate::model::Cover {
                coverer: "dwhitfield@example.edu".into(),
                shifts: vec![Span::new(t(second.0), t(second.1))],
            },
        ];
        let (reqs, sent) = play(&c, &[req, done], t("2027-04-08T00:00:00-04:00"));
        assert_eq!(reqs[0].state, RequestState::Covered);
        assert_eq!(
            reqs[0].shifts[0].covered_by.as_deref(),
            Some("tbecker@example.edu")
        );
        assert_eq!(
            reqs[0].shifts[1].covered_by.as_deref(),
            Some("dwhitfield@example.edu")
        );
        assert_eq!(sent.iter().filter(|(_, k)| k == "invitation").count(), 2);
    }

    #[test]
    fn covering_part_of_a_shift_splits_it() {
        let c = config();
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        let mut done = reply(
            reading(
                "c",
                "alopez@example.edu",
                Kind::Covered,
                "2027-04-07T12:00:00-04:00",
                &[("2027-04-19T13:00:00-04:00", "2027-04-19T14:00:00-04:00")],
            ),
            "a",
        );
        done.coverer = Some("tbecker@example.edu".into());
        let (reqs, _) = play(&c, &[req, done], t("2027-04-07T13:00:00-04:00"));
        let s = &reqs[0].shifts;
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].span.end, t("2027-04-19T13:00:00-04:00"));
        assert_eq!(s[0].covered_by, None);
        assert_eq!(s[1].covered_by.as_deref(), Some("tbecker@example.edu"));
    }

    #[test]
    fn a_sick_notice_acks_calls_the_list_and_escalates_at_once() {
        let c = config();
        let sick = reading(
            "s",
            "alopez@example.edu",
            Kind::Sick,
            "2027-04-19T08:00:00-04:00",
            &[SHIFT],
        );
        let step = on_reading(&[], &sick, t("2027-04-19T08:00:00-04:00"), &c);
        assert_eq!(kinds(&step), vec!["ack", "sick-call", "escalation"]);
        assert_eq!(step.changed[0].kind, RequestKind::Sick);
        assert_eq!(
            next_due(&step.changed, &c),
            None,
            "nothing more is scheduled"
        );
    }

    #[test]
    fn a_sick_notice_for_a_shift_already_over_does_not_call_the_list() {
        let c = config();
        let sick = reading(
            "s",
            "alopez@example.edu",
            Kind::Sick,
            "2027-04-19T15:00:00-04:00",
            &[SHIFT],
        );
        let step = on_reading(&[], &sick, t("2027-04-19T15:00:00-04:00"), &c);
        assert_eq!(kinds(&step), vec!["ack", "escalation"]);
    }

    fn doubt(what: &str, weight: u8) -> crate::model::Doubt {
        crate::model::Doubt::new("test", what, weight)
    }

    #[test]
    fn an_unsure_request_asks_the_writer_and_opens_nothing() {
        let c = config();
        let mut r = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        r.doubts
            .push(doubt("whether you are asking or offering", 50));
        let step = on_reading(&[], &r, t("2027-04-06T10:00:00-04:00"), &c);
        assert_eq!(kinds(&step), vec!["clarify"]);
        assert!(step.changed.is_empty());
    }

    #[test]
    fn an_unsure_confirmation_naming_a_coverer_asks_and_edits_no_calendar() {
        let c = config();
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        let reqs = play(
            &c,
            std::slice::from_ref(&req),
            t("2027-04-06T10:30:00-04:00"),
        )
        .0;
        let mut done = reply(
            reading(
                "c",
                "alopez@example.edu",
                Kind::Covered,
                "2027-04-06T12:00:00-04:00",
                &[SHIFT],
            ),
            "a",
        );
        done.coverer = Some("dwhitfield@example.edu".into());
        done.doubts.push(doubt(
            "whether the shift is covered or still needs someone",
            50,
        ));
        let step = on_reading(&reqs, &done, t("2027-04-06T12:00:00-04:00"), &c);
        assert_eq!(kinds(&step), vec!["clarify"]);
        assert!(
            !step
                .effects
                .iter()
                .any(|e| matches!(e, Effect::Calendar { .. })),
            "no calendar edit on a guess"
        );
        assert!(step.changed.is_empty(), "the request stays as it was");
        // Sure of the same confirmation, it covers.
        done.doubts.clear();
        let step = on_reading(&reqs, &done, t("2027-04-06T12:00:00-04:00"), &c);
        assert_eq!(kinds(&step), vec!["invitation"]);
    }

    #[test]
    fn mail_read_as_nothing_to_do_but_doubted_asks_the_writer() {
        let c = config();
        let mut r = reading(
            "a",
            "alopez@example.edu",
            Kind::Other,
            "2027-04-06T10:00:00-04:00",
            &[],
        );
        let step = on_reading(&[], &r, t("2027-04-06T10:00:00-04:00"), &c);
        assert!(kinds(&step).is_empty(), "plain chatter gets no answer");
        r.doubts
            .push(doubt("whether the shift you mention needs cover", 50));
        let step = on_reading(&[], &r, t("2027-04-06T10:00:00-04:00"), &c);
        assert_eq!(kinds(&step), vec!["clarify"]);
        assert!(step.changed.is_empty());
    }

    #[test]
    fn one_soft_doubt_still_opens_the_request() {
        let c = config();
        let mut r = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        r.doubts
            .push(doubt("whether you are asking or offering", 25));
        let step = on_reading(&[], &r, t("2027-04-06T10:00:00-04:00"), &c);
        assert_eq!(kinds(&step), vec!["ack"]);
        assert_eq!(step.changed.len(), 1);
    }

    #[test]
    fn a_confirmation_naming_no_coverer_after_two_volunteers_asks_who() {
        let c = config();
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        let tom = reply(
            reading(
                "b",
                "tbecker@example.edu",
                Kind::Offer,
                "2027-04-06T11:00:00-04:00",
                &[],
            ),
            "a",
        );
        let dana = reply(
            reading(
                "c",
                "dwhitfield@example.edu",
                Kind::Offer,
                "2027-04-06T11:30:00-04:00",
                &[],
            ),
            "a",
        );
        let mut done = reply(
            reading(
                "d",
                "alopez@example.edu",
                Kind::Covered,
                "2027-04-06T12:00:00-04:00",
                &[],
            ),
            "a",
        );
        done.doubts.push(doubt("who is covering", 50));
        let (reqs, sent) = play(&c, &[req, tom, dana, done], t("2027-04-06T13:00:00-04:00"));
        assert_eq!(sent.last().map(|s| s.1.as_str()), Some("clarify"));
        assert_eq!(reqs[0].state, RequestState::Open);
        assert!(reqs[0].shifts.iter().all(|s| s.covered_by.is_none()));
    }

    #[test]
    fn a_request_without_shifts_gets_a_clarify_and_no_request() {
        let c = config();
        let r = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[],
        );
        let step = on_reading(&[], &r, t("2027-04-06T10:00:00-04:00"), &c);
        assert_eq!(kinds(&step), vec!["clarify"]);
        assert!(step.changed.is_empty());
    }

    #[test]
    fn strangers_machines_and_the_program_itself_cause_no_mail() {
        let c = config();
        let stranger = reading(
            "x",
            "someone@else.org",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        let mut own = reading(
            "y",
            "coverage@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        own.own_mail = true;
        let auto = reading(
            "z",
            "alopez@example.edu",
            Kind::AutoReply,
            "2027-04-06T10:00:00-04:00",
            &[],
        );
        for r in [stranger, own, auto] {
            let step = on_reading(&[], &r, t("2027-04-06T10:00:00-04:00"), &c);
            assert!(
                step.effects.is_empty(),
                "{} caused {:?}",
                r.from,
                kinds(&step)
            );
        }
    }

    #[test]
    fn withdrawal_after_coverage_cancels_the_invitation_and_restores_the_calendar() {
        let c = config();
        let reqs0 = covered_by_dana(&c);
        let back = reply(
            reading(
                "w",
                "alopez@example.edu",
                Kind::Withdrawn,
                "2027-04-08T12:00:00-04:00",
                &[],
            ),
            "c",
        );
        let step = on_reading(&reqs0, &back, t("2027-04-08T12:00:00-04:00"), &c);
        assert_eq!(kinds(&step), vec!["cancellation"]);
        let cover_uid = reqs0[0].shifts[0].span;
        let uncover = uncover_of(&step);
        assert_eq!(uncover.unwrap().span, cover_uid);
        assert_eq!(step.changed[0].state, RequestState::Withdrawn);
        assert_eq!(step.changed[0].shifts[0].covered_by, None);
    }

    #[test]
    fn a_coverers_decline_opens_the_shift_and_restarts_the_deadlines() {
        let c = config();
        let reqs0 = covered_by_dana(&c);
        assert_eq!(reqs0[0].state, RequestState::Covered);
        let span = reqs0[0].shifts[0].span;
        let at = t("2027-04-08T09:00:00-04:00");

        // Someone who covers nothing declining changes nothing.
        let stray = on_decline(&reqs0, "bokafor@example.edu", span, at, &c);
        assert!(stray.changed.is_empty() && stray.effects.is_empty());

        let step = on_decline(&reqs0, "DWhitfield@example.edu", span, at, &c);
        // The requester is told, and the coverer's calendar gets a CANCEL.
        assert_eq!(kinds(&step), vec!["declined", "cancellation"]);
        let r = &step.changed[0];
        assert_eq!(r.state, RequestState::Open);
        assert_eq!(r.shifts[0].covered_by, None);
        assert_eq!(r.closed_at, None);
        assert_eq!(r.second_call_at, Some(at + c.policy.second_call_after));
        assert_eq!((r.second_call_sent_at, r.escalated_at), (None, None));
        let uncover = uncover_of(&step);
        let uncover = uncover.expect("the cover is undone in the calendar");
        assert_eq!(uncover.coverer_email, "dwhitfield@example.edu");
        assert_eq!(uncover.span, span);

        // Handled once: the same decline again finds nothing covered.
        let again = on_decline(&step.changed, "dwhitfield@example.edu", span, at, &c);
        assert!(again.changed.is_empty());
        // The second call that follows is a new message, not the first round's.
        let later = on_time(&step.changed, at + c.policy.second_call_after, &c);
        let mail = mails(&later);
        assert!(
            mail.iter()
                .any(|m| m.kind == "second-call" && m.key.ends_with(":after-decline-1")),
            "{:?}",
            mail.iter().map(|m| &m.key).collect::<Vec<_>>()
        );
        // Dana takes it after all: a new calendar edit, not the first one.
        let mut again = reply(
            reading(
                "d",
                "alopez@example.edu",
                Kind::Covered,
                "2027-04-08T15:00:00-04:00",
                &[],
            ),
            "a",
        );
        again.coverer = Some("dwhitfield@example.edu".into());
        let step = on_reading(&step.changed, &again, t("2027-04-08T15:00:00-04:00"), &c);
        let keys: Vec<&str> = step
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::Calendar { key, .. } => Some(key.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(keys.len(), 1);
        assert!(keys[0].starts_with("cover:") && keys[0].ends_with(":after-decline-1"));
    }

    /// A request by Angie covered by Dana, as the engine leaves it.
    fn covered_by_dana(c: &Config) -> Vec<Request> {
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        let mut done = reply(
            reading(
                "c",
                "alopez@example.edu",
                Kind::Covered,
                "2027-04-07T12:00:00-04:00",
                &[],
            ),
            "a",
        );
        done.coverer = Some("dwhitfield@example.edu".into());
        play(c, &[req, done], t("2027-04-08T00:00:00-04:00")).0
    }

    fn answer(id: &str, from: &str, uid: &str, answer: crate::model::Answer) -> Reading {
        let mut r = reading(id, from, Kind::Other, "2027-04-08T09:00:00-04:00", &[]);
        r.calendar_reply = Some(crate::model::CalendarReply {
            uid: uid.to_string(),
            attendee: "dwhitfield@example.edu".into(),
            answer,
            sequence: Some(0),
        });
        r
    }

    fn mails(step: &Step) -> Vec<&crate::compose::OutgoingMail> {
        step.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Mail(m) => Some(m),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn answers_to_the_invitation_are_recorded_and_a_decline_reopens_the_request() {
        let c = config();
        let reqs = covered_by_dana(&c);
        let ev = reqs[0].cover_events[0].clone();
        assert_eq!((ev.sequence, ev.live, ev.answer), (0, true, None));
        let at = t("2027-04-08T09:00:00-04:00");

        // Accepted and tentative are recorded, and nothing is sent.
        use crate::model::Answer;
        for a in [Answer::Tentative, Answer::Accepted] {
            let step = on_reading(
                &reqs,
                &answer("t", "dwhitfield@example.edu", &ev.uid, a),
                at,
                &c,
            );
            assert!(kinds(&step).is_empty());
            assert_eq!(step.changed[0].cover_events[0].answer, Some(a));
            assert_eq!(step.changed[0].state, RequestState::Covered);
        }

        // Someone else sending Dana's answer is not believed.
        let spoof = answer("s", "bokafor@example.edu", &ev.uid, Answer::Declined);
        let step = on_reading(&reqs, &spoof, at, &c);
        assert!(step.changed.is_empty() && step.effects.is_empty());

        // An answer about an event that is not ours changes nothing.
        let stray = answer(
            "x",
            "dwhitfield@example.edu",
            "cover-1-2@example.edu",
            Answer::Declined,
        );
        assert!(on_reading(&reqs, &stray, at, &c).changed.is_empty());

        // Dana's decline: open again, deadlines from the decline, the
        // requester told, and a CANCEL one SEQUENCE up.
        let step = on_reading(
            &reqs,
            &answer("d", "DWhitfield@example.edu", &ev.uid, Answer::Declined),
            at,
            &c,
        );
        assert_eq!(kinds(&step), vec!["declined", "cancellation"]);
        let r = &step.changed[0];
        assert_eq!(r.state, RequestState::Open);
        assert_eq!(r.shifts[0].covered_by, None);
        assert_eq!(r.second_call_at, Some(at + c.policy.second_call_after));
        assert_eq!(r.cover_events[0].sequence, 1);
        assert!(!r.cover_events[0].live);
        assert_eq!(r.cover_events[0].answer, Some(Answer::Declined));
        let cancel = mails(&step)[1].clone();
        let text = String::from_utf8_lossy(&cancel.raw).into_owned();
        assert!(
            text.contains("METHOD:CANCEL") && text.contains("SEQUENCE:1"),
            "{text}"
        );
        assert!(!text.contains("RSVP"), "{text}");
        let told = String::from_utf8_lossy(&mails(&step)[0].raw).into_owned();
        assert_eq!(mails(&step)[0].to, vec!["alopez@example.edu".to_string()]);
        assert!(!told.contains("dwhitfield@"), "no staff details: {told}");

        // The same decline again (a second copy) changes nothing more.
        let again = on_reading(
            &step.changed,
            &answer("d2", "dwhitfield@example.edu", &ev.uid, Answer::Declined),
            at,
            &c,
        );
        assert!(again.changed.is_empty() && again.effects.is_empty());

        // Dana takes it after all: the same UID is invited again, SEQUENCE 2,
        // under a key of its own.
        let mut back = reply(
            reading(
                "e",
                "alopez@example.edu",
                Kind::Covered,
                "2027-04-08T15:00:00-04:00",
                &[],
            ),
            "a",
        );
        back.coverer = Some("dwhitfield@example.edu".into());
        let step2 = on_reading(&step.changed, &back, t("2027-04-08T15:00:00-04:00"), &c);
        let invitation = mails(&step2)
            .into_iter()
            .find(|m| m.kind == "invitation")
            .expect("a new invitation");
        let text = String::from_utf8_lossy(&invitation.raw).into_owned();
        assert!(
            text.contains("SEQUENCE:2") && text.contains(&ev.uid),
            "{text}"
        );
        assert_ne!(invitation.key, format!("invitation:{}", ev.uid));
        let ev2 = &step2.changed[0].cover_events[0];
        assert_eq!((ev2.sequence, ev2.live, ev2.answer), (2, true, None));
        let cover = step2.effects.iter().find_map(|e| match e {
            Effect::Calendar {
                op: EditOp::Cover(e),
                ..
            } => Some(e.sequence),
            _ => None,
        });
        assert_eq!(
            cover,
            Some(2),
            "the calendar copy carries the invitation's SEQUENCE"
        );
    }

    #[test]
    fn a_coverer_who_cannot_after_all_is_a_decline() {
        let c = config();
        let reqs = covered_by_dana(&c);
        let span = reqs[0].shifts[0].span;
        let at = t("2027-04-08T09:00:00-04:00");
        let mut sorry = reply(
            reading(
                "b",
                "dwhitfield@example.edu",
                Kind::Other,
                "2027-04-08T09:00:00-04:00",
                &[],
            ),
            "c",
        );
        sorry.backs_out = true;
        let step = on_reading(&reqs, &sorry, at, &c);
        assert_eq!(kinds(&step), vec!["declined", "cancellation"]);
        assert_eq!(step.changed[0].state, RequestState::Open);
        // Naming the shift works without the thread too.
        let mut named = reading(
            "n",
            "dwhitfield@example.edu",
            Kind::Other,
            "2027-04-08T09:00:00-04:00",
            &[],
        );
        named.backs_out = true;
        named.named_shifts = vec![span];
        assert_eq!(
            kinds(&on_reading(&reqs, &named, at, &c)),
            vec!["declined", "cancellation"]
        );
        // Someone who covers nothing backing out changes nothing.
        let mut stranger = named.clone();
        stranger.from = "tbecker@example.edu".into();
        assert!(on_reading(&reqs, &stranger, at, &c).effects.is_empty());
    }

    #[test]
    fn a_decline_close_to_the_shift_escalates_at_once() {
        let c = config();
        let reqs0 = covered_by_dana(&c);
        let span = reqs0[0].shifts[0].span;
        // The day before the shift: too late for a second call to help.
        let step = on_decline(
            &reqs0,
            "dwhitfield@example.edu",
            span,
            t("2027-04-18T12:00:00-04:00"),
            &c,
        );
        assert_eq!(kinds(&step), vec!["declined", "cancellation", "escalation"]);
        let escalation = step
            .effects
            .iter()
            .find_map(|e| match e {
                Effect::Mail(m) if m.kind == "escalation" => Some(m.key.clone()),
                _ => None,
            })
            .unwrap();
        assert!(escalation.ends_with(":after-decline-1"), "{escalation}");
    }

    #[test]
    fn several_offers_for_several_shifts_bring_an_even_suggestion() {
        let c = config();
        let second = ("2027-04-21T12:00:00-04:00", "2027-04-21T14:00:00-04:00");
        let req = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT, second],
        );
        let o1 = reply(
            reading(
                "b",
                "dwhitfield@example.edu",
                Kind::Offer,
                "2027-04-06T11:00:00-04:00",
                &[],
            ),
            "a",
        );
        let o2 = reply(
            reading(
                "c",
                "tbecker@example.edu",
                Kind::Offer,
                "2027-04-06T12:00:00-04:00",
                &[],
            ),
            "a",
        );
        let (reqs, sent) = play(&c, &[req, o1, o2], t("2027-04-06T13:00:00-04:00"));
        let k: Vec<&str> = sent.iter().map(|(_, k)| k.as_str()).collect();
        assert_eq!(k, vec!["ack", "suggestion"]);
        assert_eq!(reqs[0].offers.len(), 2);
    }

    #[test]
    fn mail_seen_long_after_it_was_sent_is_not_acted_on() {
        let c = config();
        let r = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-03-01T10:00:00-05:00",
            &[SHIFT],
        );
        let step = on_reading(&[], &r, t("2027-04-06T10:00:00-04:00"), &c);
        assert!(step.effects.is_empty());
        assert!(step.changed.is_empty());
        // A day late (the daemon was down) is still handled.
        let r = reading(
            "b",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-05T10:00:00-04:00",
            &[SHIFT],
        );
        let step = on_reading(&[], &r, t("2027-04-06T10:00:00-04:00"), &c);
        assert_eq!(kinds(&step), vec!["ack"]);
    }

    #[test]
    fn the_same_decision_makes_the_same_message_id() {
        let c = config();
        let r = reading(
            "a",
            "alopez@example.edu",
            Kind::CoverageRequest,
            "2027-04-06T10:00:00-04:00",
            &[SHIFT],
        );
        let a = on_reading(&[], &r, t("2027-04-06T10:00:00-04:00"), &c);
        let b = on_reading(&[], &r, t("2027-04-06T10:00:00-04:00"), &c);
        let ids = |s: &Step| -> Vec<String> {
            s.effects
                .iter()
                .filter_map(|e| match e {
                    Effect::Mail(m) => Some(m.message_id.clone()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(ids(&a), ids(&b));
        let _ = TimeDelta::zero();
    }
}
