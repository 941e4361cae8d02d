//! A changed calendar, applied to the open requests: a shift someone asked
//! to have covered that the coordinator moved to another time, gave to
//! another person, or took off the calendar. Pure: the old and the new
//! schedule and the time come in, the changed requests, the mail and the
//! audit lines go out.
//!
//! Only a shift the old schedule showed as the owner's is looked at (a
//! request may name times the calendar never held: "cover 2-3" of nobody's
//! shift); covered, past and closed shifts are left as they are.
//!
//! The old schedule is the one read before (while the daemon runs) or the
//! days of it kept in the store (at start, for edits made while it was
//! stopped): both answer as [`Shifts`], and [`days_in_question`] says
//! which days must be kept for the answer to be the same.
//!
//! A shift still on the calendar at its time whose event names nobody on
//! the roster any more (its owner was taken off the roster, or the event
//! renamed) is not taken as gone: read by owner it would look so, but
//! nothing says it needs no one. The request keeps it and the coordinator
//! alone is told, once.
//!
//! When the program itself called the list for a changed shift (a sick
//! notice's call, its own second call), the list gets a short correction
//! in that call's thread: the new time, or that the call is no longer
//! needed.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{Audit, Effect, Request, RequestState, Step};
use crate::compose::{self, ListChange};
use crate::config::Config;
use crate::model::{Instant, Span};
use crate::schedule::{Occurrence, Shifts};

/// What became of one requested shift in the new schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fate {
    /// The owner works it at another time the same day: the request now
    /// asks for that time.
    Moved { to: Span },
    /// Someone else now works it: they are taken as covering it, as if
    /// the coordinator had arranged it (the calendar already shows them,
    /// so no edit and no invitation follow).
    Reassigned { to: String },
    /// Nobody works it any more: it is taken out of the request (a request
    /// left with no shift is withdrawn).
    Vanished,
    /// It is still on the calendar at the same time, but its event names
    /// nobody on the roster (the owner left the roster, or the event was
    /// renamed): nothing says it is not needed, so the request keeps it
    /// and the coordinator is told.
    Unowned { summary: String },
}

/// Applies a changed schedule to every open request (see the module text).
/// Each request changed gets one mail to its requester and the
/// coordinator saying what happened, and an audit line.
pub fn on_schedule_change(
    requests: &[Request],
    old: &impl Shifts,
    new: &impl Shifts,
    now: Instant,
    config: &Config,
) -> Step {
    let mut step = Step::default();
    let tz = config.timezone;
    for r in requests.iter().filter(|r| r.state == RequestState::Open) {
        let mut req = r.clone();
        let mut lines = Vec::new();
        let mut vanished = Vec::new();
        let mut unowned = Vec::new();
        let mut for_list = Vec::new();
        for (i, shift) in r.shifts.iter().enumerate() {
            if !in_question(shift, now) {
                continue;
            }
            let Some(fate) = fate_of(&r.owner, shift.span, old, new) else {
                continue;
            };
            let was = compose::span_text(shift.span, tz);
            match fate {
                Fate::Moved { to } => {
                    lines.push(format!(
                        "moved: {was} is now {} on the calendar; the request now asks for that time",
                        compose::span_text(to, tz)
                    ));
                    req.shifts[i].span = to;
                    for_list.push(ListChange {
                        was: shift.span,
                        now: Some(to),
                    });
                }
                Fate::Reassigned { to } => {
                    lines.push(format!(
                        "given to {}: {was} is now {}'s on the calendar, so it counts as covered",
                        name(config, &to),
                        name(config, &to)
                    ));
                    req.shifts[i].covered_by = Some(to);
                    req.shifts[i].covered_at = Some(now);
                    for_list.push(ListChange {
                        was: shift.span,
                        now: None,
                    });
                }
                Fate::Vanished => {
                    lines.push(format!(
                        "gone: {was} is no longer on the calendar, so nobody is asked to cover it"
                    ));
                    vanished.push(i);
                    for_list.push(ListChange {
                        was: shift.span,
                        now: None,
                    });
                }
                Fate::Unowned { summary } => unowned.push((shift.span, summary)),
            }
        }
        if !unowned.is_empty() {
            // Told once: the next comparison starts from a schedule that
            // already names nobody for these shifts.
            let note = compose::unowned_shifts(config, &req, &unowned, now);
            req.thread.push(note.message_id.clone());
            step.audit.push(Audit {
                at: now,
                request_id: Some(req.id.clone()),
                message_id: None,
                decision: KEPT_UNOWNED.into(),
                reason: format!(
                    "kept open: {} still on the calendar but naming nobody on the roster{}",
                    unowned
                        .iter()
                        .map(|(span, _)| compose::span_text(*span, tz))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if config.roster.by_email(&r.owner).is_none() {
                        format!(" ({} is no longer on the roster)", r.owner)
                    } else {
                        String::new()
                    }
                ),
            });
            step.effects.push(Effect::Mail(note));
        }
        if lines.is_empty() {
            if !unowned.is_empty() {
                step.changed.push(req);
            }
            continue;
        }
        if vanished.len() == req.shifts.len() {
            // Nothing is left to cover: the request ends, its shifts kept
            // so the report still says what it was about.
            req.state = RequestState::Withdrawn;
            req.closed_at = Some(now);
        } else {
            for i in vanished.into_iter().rev() {
                req.shifts.remove(i);
            }
            if req.shifts.iter().all(|s| s.covered_by.is_some()) {
                req.state = RequestState::Covered;
                req.closed_at = Some(now);
            }
        }
        let mail = compose::schedule_update(config, &req, &lines, now);
        req.thread.push(mail.message_id.clone());
        step.audit.push(Audit {
            at: now,
            request_id: Some(req.id.clone()),
            message_id: None,
            decision: "schedule changed".into(),
            reason: lines.join("; "),
        });
        step.effects.push(Effect::Mail(mail));
        // The list was asked for the old time by the program itself: it
        // hears of the change in the same thread, or people keep
        // answering a call for a time nobody needs.
        if let Some(call) = list_call(config, &req) {
            let correction = compose::call_update(config, &req, &call, &for_list, now);
            req.thread.push(correction.message_id.clone());
            step.audit.push(Audit {
                at: now,
                request_id: Some(req.id.clone()),
                message_id: None,
                decision: "list told of the change".into(),
                reason: format!("the list's call {call} named the old time"),
            });
            step.effects.push(Effect::Mail(correction));
        }
        step.changed.push(req);
    }
    step
}

/// The audit decision for shifts kept in a request although their events
/// name nobody on the roster any more.
pub const KEPT_UNOWNED: &str = "shift names nobody on the roster";

/// Whether a request's shift is one a schedule change can still touch:
/// not covered, not over.
fn in_question(shift: &super::RequestShift, now: Instant) -> bool {
    shift.covered_by.is_none() && shift.span.end > now
}

/// The local days the open requests' shifts (those a change can still
/// touch) fall on: what must be kept of a schedule for
/// [`on_schedule_change`] to decide the same with the kept days as with
/// the whole schedule. A shift is only ever compared with the owner's
/// shifts on its own day and with whoever works its span.
pub fn days_in_question<'a>(
    requests: impl IntoIterator<Item = &'a Request>,
    now: Instant,
    zone: chrono_tz::Tz,
) -> BTreeSet<NaiveDate> {
    let mut days = BTreeSet::new();
    for r in requests
        .into_iter()
        .filter(|r| r.state == RequestState::Open)
    {
        for s in r.shifts.iter().filter(|s| in_question(s, now)) {
            let first = s.span.start.with_timezone(&zone).date_naive();
            let last = s.span.end.with_timezone(&zone).date_naive();
            let mut d = first;
            while d <= last {
                days.insert(d);
                match d.succ_opt() {
                    Some(next) => d = next,
                    None => break,
                }
            }
        }
    }
    days
}

/// The Message-ID of the program's own call to the list for this request
/// (a sick notice's call, else its own second call), the first of them:
/// a correction answers the call people saw first. None when the program
/// never called the list for it (the requester's own first and second
/// calls are theirs to correct).
fn list_call(config: &Config, req: &Request) -> Option<String> {
    req.thread
        .iter()
        .find(|id| compose::is_own_id(config, id, &["sick-call", "second-call"]))
        .cloned()
}

fn name(config: &Config, email: &str) -> String {
    config
        .roster
        .by_email(email)
        .map(|m| m.name.clone())
        .unwrap_or_else(|| email.to_string())
}

/// What became of `owner`'s shift at `span`: None when the old schedule
/// did not show it as theirs, or the new one still does.
fn fate_of(owner: &str, span: Span, old: &impl Shifts, new: &impl Shifts) -> Option<Fate> {
    let was: Occurrence = old.shifts_of(owner, span).into_iter().next()?;
    if !new.shifts_of(owner, span).is_empty() {
        return None;
    }
    let zone = new.zone();
    let day = was.span.start.with_timezone(&zone).date_naive();
    // A time the owner works that day which the old schedule did not have:
    // the same series first (a moved occurrence keeps its UID).
    let fresh: Vec<Occurrence> = new
        .shifts_on(owner, day)
        .into_iter()
        .filter(|n| !old.shifts_on(owner, day).iter().any(|o| o.span == n.span))
        .collect();
    if let Some(n) = fresh
        .iter()
        .find(|n| n.uid == was.uid)
        .or_else(|| fresh.first())
    {
        // A part of the shift ("cover 2-3" of 1-3) moves with it.
        let offset = n.span.start - was.span.start;
        let start = (span.start + offset).max(n.span.start);
        let end = (span.end + offset).min(n.span.end);
        let to = if start < end {
            Span::new(start, end)
        } else {
            n.span
        };
        return Some(Fate::Moved { to });
    }
    let other = new.occurrences(was.span).into_iter().find(|n| {
        n.owner.as_deref().is_some_and(|o| o != owner)
            && n.span.start < span.end
            && span.start < n.span.end
            && !old
                .occurrences(was.span)
                .iter()
                .any(|o| o.owner == n.owner && o.span == n.span)
    });
    if let Some(to) = other.and_then(|o| o.owner) {
        return Some(Fate::Reassigned { to });
    }
    // The same occurrence (its series and time) still there, naming nobody
    // the roster knows: read with a roster that no longer has the owner,
    // it would otherwise look gone.
    let still = new
        .occurrences(was.span)
        .into_iter()
        .find(|n| n.owner.is_none() && n.uid == was.uid && n.span == was.span);
    Some(match still {
        Some(n) => Fate::Unowned { summary: n.summary },
        None => Fate::Vanished,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{RequestState, on_reading};
    use crate::model::{Kind, Reading};
    use crate::schedule::Schedule;
    use chrono::DateTime;

    /// The tables this module's tests add to `config::test_config`'s desk.
    const CONFIG: &str = r#"
[[staff]]
name = "Courtney Crummett"
email = "ccrummett@example.edu"
[[staff]]
name = "Angie Lopez"
email = "alopez@example.edu"
[[staff]]
name = "Ben Okafor"
email = "bokafor@example.edu"
"#;

    fn config() -> Config {
        crate::config::test_config(CONFIG, "shiftcover-reschedule-tests")
    }

    fn t(s: &str) -> Instant {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    /// Angie's Tuesday series 12:00-14:00 from 1 December 2026, with
    /// `extra` (overrides, other events) after it.
    fn schedule(c: &Config, extra: &str) -> Schedule {
        let text = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n\
             BEGIN:VEVENT\r\nUID:angie-tue@x\r\nDTSTART;TZID=America/New_York:20261201T120000\r\n\
             DTEND;TZID=America/New_York:20261201T140000\r\nRRULE:FREQ=WEEKLY;BYDAY=TU\r\n\
             SUMMARY:Angie\r\nEND:VEVENT\r\n{extra}END:VCALENDAR\r\n"
        );
        Schedule::from_ics(&text, &c.roster, c.timezone).unwrap()
    }

    /// Angie's Tuesday 8 December shift moved (by an override) to `start`-`end`
    /// and given to `who`.
    fn moved(who: &str, start: &str, end: &str) -> String {
        format!(
            "BEGIN:VEVENT\r\nUID:angie-tue@x\r\nRECURRENCE-ID;TZID=America/New_York:20261208T120000\r\n\
             DTSTART;TZID=America/New_York:20261208T{start}\r\nDTEND;TZID=America/New_York:20261208T{end}\r\n\
             SUMMARY:{who}\r\nEND:VEVENT\r\n"
        )
    }

    const DROPPED: &str = "BEGIN:VEVENT\r\nUID:angie-tue@x\r\n\
        RECURRENCE-ID;TZID=America/New_York:20261208T120000\r\n\
        DTSTART;TZID=America/New_York:20261208T120000\r\nDTEND;TZID=America/New_York:20261208T140000\r\n\
        STATUS:CANCELLED\r\nSUMMARY:Angie\r\nEND:VEVENT\r\n";

    /// Angie asks the list to cover her Tuesday 8 December shift.
    fn request(c: &Config, from: &str, until: &str) -> Vec<Request> {
        asked(c, Kind::CoverageRequest, from, until)
    }

    /// Angie writes that she is out sick for her Tuesday 8 December shift:
    /// the program calls the list for her at once.
    fn sick(c: &Config, from: &str, until: &str) -> Vec<Request> {
        asked(c, Kind::Sick, from, until)
    }

    fn asked(c: &Config, kind: Kind, from: &str, until: &str) -> Vec<Request> {
        let r = Reading {
            shifts: vec![Span::new(t(from), t(until))],
            ..reading_of(kind)
        };
        on_reading(&[], &r, t("2026-12-01T09:00:00-05:00"), c).changed
    }

    /// Angie's message of `kind` about her Tuesday 8 December, no shift
    /// resolved yet.
    fn reading_of(kind: Kind) -> Reading {
        Reading {
            message_id: "<ask@x>".into(),
            from: "alopez@example.edu".into(),
            date: Some(t("2026-12-01T09:00:00-05:00")),
            subject: "Cover my Tuesday 12/8?".into(),
            in_reply_to: None,
            references: vec![],
            kind,
            shifts: vec![],
            coverer: None,
            on_behalf_of: None,
            own_mail: false,
            covers: vec![],
            diagnostics: vec![],
            sender_auth: None,
            named_shifts: vec![],
            doubts: vec![],
            calendar_reply: None,
            backs_out: false,
        }
    }

    fn mail_to(step: &Step) -> Vec<(String, Vec<String>, String)> {
        step.effects
            .iter()
            .filter_map(|e| match e {
                Effect::Mail(m) => Some((
                    m.kind.clone(),
                    m.to.clone(),
                    String::from_utf8_lossy(&m.raw).into_owned(),
                )),
                _ => None,
            })
            .collect()
    }

    const NOW: &str = "2026-12-02T10:00:00-05:00";

    #[test]
    fn a_shift_moved_to_another_time_is_asked_for_at_the_new_time() {
        let c = config();
        let reqs = request(&c, "2026-12-08T12:00:00-05:00", "2026-12-08T14:00:00-05:00");
        let (old, new) = (
            schedule(&c, ""),
            schedule(&c, &moved("Angie", "150000", "170000")),
        );
        let step = on_schedule_change(&reqs, &old, &new, t(NOW), &c);
        assert_eq!(step.changed.len(), 1);
        let r = &step.changed[0];
        assert_eq!(r.state, RequestState::Open);
        assert_eq!(
            r.shifts[0].span,
            Span::new(
                t("2026-12-08T15:00:00-05:00"),
                t("2026-12-08T17:00:00-05:00")
            )
        );
        let mails = mail_to(&step);
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].0, "schedule-update");
        assert_eq!(mails[0].1, ["alopez@example.edu", "ccrummett@example.edu"]);
        assert!(mails[0].2.contains("moved:"), "{}", mails[0].2);
        assert_eq!(step.audit[0].decision, "schedule changed");
        // The same change seen again changes nothing more.
        let again = on_schedule_change(&step.changed, &new, &new, t(NOW), &c);
        assert!(again.changed.is_empty());
    }

    #[test]
    fn a_part_of_a_shift_moves_with_it() {
        let c = config();
        let reqs = request(&c, "2026-12-08T13:00:00-05:00", "2026-12-08T14:00:00-05:00");
        let (old, new) = (
            schedule(&c, ""),
            schedule(&c, &moved("Angie", "150000", "170000")),
        );
        let step = on_schedule_change(&reqs, &old, &new, t(NOW), &c);
        assert_eq!(
            step.changed[0].shifts[0].span,
            Span::new(
                t("2026-12-08T16:00:00-05:00"),
                t("2026-12-08T17:00:00-05:00")
            )
        );
    }

    #[test]
    fn a_shift_given_to_someone_else_counts_as_covered_by_them() {
        let c = config();
        let reqs = request(&c, "2026-12-08T12:00:00-05:00", "2026-12-08T14:00:00-05:00");
        let (old, new) = (
            schedule(&c, ""),
            schedule(&c, &moved("Ben", "120000", "140000")),
        );
        let step = on_schedule_change(&reqs, &old, &new, t(NOW), &c);
        let r = &step.changed[0];
        assert_eq!(r.state, RequestState::Covered);
        assert_eq!(
            r.shifts[0].covered_by.as_deref(),
            Some("bokafor@example.edu")
        );
        // Nothing is pending any more, and the calendar is not edited.
        assert_eq!(r.next_deadline(&c), None);
        assert!(step.effects.iter().all(|e| matches!(e, Effect::Mail(_))));
        assert!(mail_to(&step)[0].2.contains("Ben Okafor"));
    }

    #[test]
    fn a_shift_taken_off_the_calendar_withdraws_the_request_and_says_so() {
        let c = config();
        let reqs = request(&c, "2026-12-08T12:00:00-05:00", "2026-12-08T14:00:00-05:00");
        let (old, new) = (schedule(&c, ""), schedule(&c, DROPPED));
        let step = on_schedule_change(&reqs, &old, &new, t(NOW), &c);
        let r = &step.changed[0];
        assert_eq!(r.state, RequestState::Withdrawn);
        assert_eq!(r.shifts.len(), 1, "the report still names the shift");
        let mails = mail_to(&step);
        assert_eq!(mails[0].1, ["alopez@example.edu", "ccrummett@example.edu"]);
        assert!(mails[0].2.contains("gone:"), "{}", mails[0].2);
    }

    #[test]
    fn shifts_the_calendar_never_showed_and_unchanged_ones_are_left_alone() {
        let c = config();
        // 17:00-18:00 was never Angie's on the calendar.
        let reqs = request(&c, "2026-12-08T17:00:00-05:00", "2026-12-08T18:00:00-05:00");
        let (old, new) = (schedule(&c, ""), schedule(&c, DROPPED));
        assert!(
            on_schedule_change(&reqs, &old, &new, t(NOW), &c)
                .changed
                .is_empty()
        );
        // Another week's change does not touch this one.
        let reqs = request(&c, "2026-12-15T12:00:00-05:00", "2026-12-15T14:00:00-05:00");
        assert!(
            on_schedule_change(&reqs, &old, &new, t(NOW), &c)
                .changed
                .is_empty()
        );
    }

    #[test]
    fn the_change_is_described_by_owner_and_local_time() {
        let c = config();
        let (old, new) = (
            schedule(&c, ""),
            schedule(&c, &moved("Angie", "150000", "170000")),
        );
        let window = Span::new(t(NOW), t("2026-12-31T00:00:00-05:00"));
        let change = new.changes_since(&old, window);
        assert_eq!((change.gone.len(), change.new.len()), (1, 1));
        assert_eq!(
            change.describe(&c.roster, c.timezone),
            "1 shift(s) no longer on the calendar, 1 new; gone: Angie Lopez Tue Dec 8 12:00-14:00; new: Angie Lopez Tue Dec 8 15:00-17:00"
        );
        assert!(old.changes_since(&old, window).is_empty());
    }

    /// The one mail of `kind` in a step.
    fn one<'a>(step: &'a Step, kind: &str) -> &'a crate::compose::OutgoingMail {
        let found: Vec<_> = step
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::Mail(m) if m.kind == kind => Some(m),
                _ => None,
            })
            .collect();
        assert_eq!(found.len(), 1, "one {kind}: {:?}", mail_to(step));
        found[0]
    }

    /// The mail as a reader sees it: headers unfolded, then the decoded
    /// text, so the checks below do not depend on line wrapping.
    fn text(m: &crate::compose::OutgoingMail) -> String {
        let parsed = mail_parser::MessageParser::default()
            .parse(&m.raw)
            .expect("a mail");
        let raw = String::from_utf8_lossy(&m.raw);
        let head = raw.split("\r\n\r\n").next().unwrap_or("");
        format!(
            "{}\n\n{}",
            head.replace("\r\n ", " ").replace("\r\n\t", " "),
            parsed.body_text(0).unwrap_or_default()
        )
    }

    /// Whether the subject or the text says why the person is away.
    fn says_why(raw: &str) -> bool {
        let body = raw.split_once("\n\n").map(|x| x.1).unwrap_or("");
        let subject = header(raw, "Subject").unwrap_or("");
        format!("{subject}\n{body}").to_lowercase().contains("sick")
    }

    fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
        raw.lines()
            .take_while(|l| !l.is_empty())
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
    }

    #[test]
    fn a_sick_notices_list_call_gets_the_new_time_when_its_shift_moves() {
        let c = config();
        let reqs = sick(&c, "2026-12-08T12:00:00-05:00", "2026-12-08T14:00:00-05:00");
        let call = reqs[0]
            .thread
            .iter()
            .find(|id| id.starts_with("<sick-call."))
            .cloned()
            .expect("the list was called");
        let (old, new) = (
            schedule(&c, ""),
            schedule(&c, &moved("Angie", "150000", "170000")),
        );
        let step = on_schedule_change(&reqs, &old, &new, t(NOW), &c);
        // The requester and coordinator hear of it as for any request...
        let update = one(&step, "schedule-update");
        assert_eq!(update.to, ["alopez@example.edu", "ccrummett@example.edu"]);
        // ...and the list gets the corrected call, in the call's thread.
        let fix = one(&step, "call-update");
        assert_eq!(fix.to, ["ask-chat@example.edu"]);
        let raw = text(fix);
        assert_eq!(header(&raw, "In-Reply-To"), Some(call.as_str()));
        assert!(
            header(&raw, "References").is_some_and(|r| r.contains(&call)),
            "{raw}"
        );
        assert!(
            header(&raw, "Reply-To").is_some_and(|r| r.contains("ccrummett@example.edu")),
            "answers go where the call's did: {raw}"
        );
        let tz = c.timezone;
        let was = compose::span_text(
            Span::new(
                t("2026-12-08T12:00:00-05:00"),
                t("2026-12-08T14:00:00-05:00"),
            ),
            tz,
        );
        let now = compose::span_text(
            Span::new(
                t("2026-12-08T15:00:00-05:00"),
                t("2026-12-08T17:00:00-05:00"),
            ),
            tz,
        );
        assert!(raw.contains(&format!("{was} has moved to {now}")), "{raw}");
        assert!(
            header(&raw, "Subject").is_some_and(|s| s.contains(&now)),
            "{raw}"
        );
        assert!(raw.contains("Can anyone cover the new time?"), "{raw}");
        // Nothing about why Angie is away goes to the list again.
        assert!(!says_why(&raw), "{raw}");
        let r = &step.changed[0];
        assert!(
            r.thread.contains(&fix.message_id),
            "replies find the request"
        );
        assert_eq!(r.shifts[0].span.start, t("2026-12-08T15:00:00-05:00"));
        // The same change seen again sends nothing more.
        assert!(
            on_schedule_change(&step.changed, &new, &new, t(NOW), &c)
                .effects
                .is_empty()
        );
    }

    #[test]
    fn the_list_hears_a_call_is_no_longer_needed_when_its_shift_is_given_away_or_gone() {
        let c = config();
        let reqs = sick(&c, "2026-12-08T12:00:00-05:00", "2026-12-08T14:00:00-05:00");
        for extra in [moved("Ben", "120000", "140000"), DROPPED.to_string()] {
            let (old, new) = (schedule(&c, ""), schedule(&c, &extra));
            let step = on_schedule_change(&reqs, &old, &new, t(NOW), &c);
            assert_ne!(step.changed[0].state, RequestState::Open);
            let raw = text(one(&step, "call-update"));
            assert!(
                header(&raw, "Subject").is_some_and(|s| s.starts_with("No longer needed:")),
                "{raw}"
            );
            assert!(raw.contains("no longer needed"), "{raw}");
            assert!(raw.contains("No need to answer the earlier call"), "{raw}");
            assert!(!raw.contains("Can anyone cover"), "{raw}");
            assert_eq!(header(&raw, "Reply-To"), None, "{raw}");
            assert!(!says_why(&raw), "{raw}");
        }
    }

    #[test]
    fn only_a_call_the_program_sent_to_the_list_is_corrected() {
        let c = config();
        let (old, new) = (
            schedule(&c, ""),
            schedule(&c, &moved("Angie", "150000", "170000")),
        );
        // Angie's own call went to the list from her: she is told, the
        // list is not written to by the program.
        let reqs = request(&c, "2026-12-08T12:00:00-05:00", "2026-12-08T14:00:00-05:00");
        let step = on_schedule_change(&reqs, &old, &new, t(NOW), &c);
        assert_eq!(
            mail_to(&step)
                .iter()
                .map(|m| m.0.as_str())
                .collect::<Vec<_>>(),
            ["schedule-update"]
        );
        // Once the program's own second call went out, that call is
        // corrected, answers going to Angie as the call's did.
        let later = t("2026-12-03T10:00:00-05:00");
        let called = crate::engine::on_time(&reqs, later, &c).changed;
        let second = called[0]
            .thread
            .iter()
            .find(|id| id.starts_with("<second-call."))
            .cloned()
            .expect("the second call went out");
        let step = on_schedule_change(&called, &old, &new, later, &c);
        let raw = text(one(&step, "call-update"));
        assert_eq!(header(&raw, "In-Reply-To"), Some(second.as_str()));
        assert!(
            header(&raw, "Reply-To").is_some_and(|r| r.contains("alopez@example.edu")),
            "{raw}"
        );
    }

    /// The desk's config after Angie left the roster (Ben and Courtney stay).
    fn without_angie() -> Config {
        crate::config::test_config(
            r#"
[[staff]]
name = "Courtney Crummett"
email = "ccrummett@example.edu"
[[staff]]
name = "Ben Okafor"
email = "bokafor@example.edu"
"#,
            "shiftcover-reschedule-tests-without-angie",
        )
    }

    #[test]
    fn a_request_stays_open_when_its_owner_leaves_the_roster_and_the_coordinator_is_told() {
        let before = config();
        let after = without_angie();
        let reqs = sick(
            &before,
            "2026-12-08T12:00:00-05:00",
            "2026-12-08T14:00:00-05:00",
        );
        // The calendar is as it was; only the roster changed, so the
        // event's SUMMARY "Angie" names nobody the program knows now.
        let old = schedule(&before, "");
        let new = schedule(&after, "");
        let step = on_schedule_change(&reqs, &old, &new, t(NOW), &after);
        assert_eq!(step.changed.len(), 1);
        let r = &step.changed[0];
        assert_eq!(r.state, RequestState::Open, "{:?}", step.audit);
        assert_eq!(r.shifts, reqs[0].shifts, "the shift is still asked for");
        // The coordinator alone hears why, in plain words; the list's call
        // stands, so no correction goes to the list.
        let note = one(&step, "schedule-update");
        assert_eq!(note.to, ["ccrummett@example.edu"]);
        assert!(r.thread.contains(&note.message_id), "replies find it");
        let raw = text(note);
        assert!(
            raw.contains("The roster no longer has alopez@example.edu"),
            "{raw}"
        );
        let when = compose::span_text(reqs[0].shifts[0].span, after.timezone);
        assert!(
            raw.contains(&format!("{when} (the calendar's event says \"Angie\")")),
            "{raw}"
        );
        assert!(raw.contains("It is still on the calendar"), "{raw}");
        assert!(raw.contains("the request stays open"), "{raw}");
        assert_eq!(step.audit[0].decision, KEPT_UNOWNED);
        assert!(!says_why(&raw), "{raw}");
        assert_eq!(mail_to(&step).len(), 1, "{:?}", mail_to(&step));
        // Told once: the schedule read with the new roster, compared with
        // itself, changes nothing more.
        let again = on_schedule_change(&step.changed, &new, &new, t(NOW), &after);
        assert!(again.changed.is_empty() && again.effects.is_empty());
        // The days kept in the store (as the old roster read them) decide
        // the same at a start.
        let days = days_in_question(&reqs, t(NOW), after.timezone);
        let mut kept = crate::schedule::ScheduleExcerpt::empty(after.timezone);
        kept.apply(&kept.changes_to(&days, &old, false));
        let at_start = on_schedule_change(&reqs, &kept, &new, t(NOW), &after);
        assert_eq!(
            (&at_start.changed, &at_start.effects),
            (&step.changed, &step.effects)
        );
        // The coordinator's answer that nobody is needed closes it.
        let withdrawal = Reading {
            message_id: "<no-need@x>".into(),
            from: "ccrummett@example.edu".into(),
            in_reply_to: Some(note.message_id.clone()),
            references: vec![note.message_id.clone()],
            ..reading_of(Kind::Withdrawn)
        };
        let closed = crate::engine::on_reading(&step.changed, &withdrawal, t(NOW), &after);
        assert_eq!(closed.changed[0].state, RequestState::Withdrawn);
    }

    #[test]
    fn a_shift_of_someone_off_the_roster_that_is_gone_or_given_away_is_still_acted_on() {
        let before = config();
        let after = without_angie();
        let reqs = request(
            &before,
            "2026-12-08T12:00:00-05:00",
            "2026-12-08T14:00:00-05:00",
        );
        let old = schedule(&before, "");
        // The coordinator gave Angie's shift to Ben as she left.
        let given = schedule(&after, &moved("Ben", "120000", "140000"));
        let step = on_schedule_change(&reqs, &old, &given, t(NOW), &after);
        assert_eq!(step.changed[0].state, RequestState::Covered);
        assert_eq!(
            step.changed[0].shifts[0].covered_by.as_deref(),
            Some("bokafor@example.edu")
        );
        // The coordinator took the shift off the calendar as she left.
        let gone = schedule(&after, DROPPED);
        let step = on_schedule_change(&reqs, &old, &gone, t(NOW), &after);
        assert_eq!(step.changed[0].state, RequestState::Withdrawn);
        assert!(text(one(&step, "schedule-update")).contains("gone:"));
    }

    #[test]
    fn the_kept_days_decide_as_the_whole_schedule_does() {
        use crate::schedule::ScheduleExcerpt;
        let c = config();
        let old = schedule(&c, "");
        for extra in [
            moved("Angie", "150000", "170000"),
            moved("Ben", "120000", "140000"),
            DROPPED.to_string(),
            String::new(),
        ] {
            let new = schedule(&c, &extra);
            for reqs in [
                request(&c, "2026-12-08T12:00:00-05:00", "2026-12-08T14:00:00-05:00"),
                sick(&c, "2026-12-08T13:00:00-05:00", "2026-12-08T14:00:00-05:00"),
                request(&c, "2026-12-15T12:00:00-05:00", "2026-12-15T14:00:00-05:00"),
            ] {
                let days = days_in_question(&reqs, t(NOW), c.timezone);
                let mut kept = ScheduleExcerpt::empty(c.timezone);
                kept.apply(&kept.changes_to(&days, &old, false));
                assert_eq!(kept.days().len(), 1);
                let (a, b) = (
                    on_schedule_change(&reqs, &kept, &new, t(NOW), &c),
                    on_schedule_change(&reqs, &old, &new, t(NOW), &c),
                );
                assert_eq!(
                    (&a.changed, &a.effects, &a.audit),
                    (&b.changed, &b.effects, &b.audit)
                );
            }
        }
    }
}
