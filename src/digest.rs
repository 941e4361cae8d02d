//! The coordinator's weekly digest, and when it is due. Pure.
//!
//! The due time is computed here, in the configured zone, rather than by
//! tokio-cron-scheduler: that crate runs on the wall clock only (so
//! `simulate` could not drive it) and has open time zone and DST bugs (its
//! issues #105, #107, #113). A wall-clock weekly time is found by walking
//! local dates, so "mon 08:00" stays 08:00 local on both sides of a change.

use chrono::{Datelike, LocalResult, NaiveDate, NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;

use crate::compose::{moment_text, span_text};
use crate::config::Config;
use crate::engine::{Request, RequestKind, RequestState};
use crate::model::{Answer, Instant, Span};

/// A local wall time as an instant: a time skipped by a DST change moves
/// forward by the gap; a repeated one takes its first occurrence.
pub fn local_instant(tz: Tz, local: NaiveDateTime) -> Instant {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.to_utc(),
        LocalResult::Ambiguous(a, _) => a.to_utc(),
        LocalResult::None => {
            // Walk forward a minute at a time to the end of the gap.
            let mut l = local;
            for _ in 0..180 {
                l += TimeDelta::minutes(1);
                if let Some(t) = tz.from_local_datetime(&l).earliest() {
                    return t.to_utc();
                }
            }
            tz.from_utc_datetime(&local).to_utc()
        }
    }
}

/// The first digest time strictly after `after`.
pub fn next_digest_after(after: Instant, config: &Config) -> Instant {
    let tz = config.timezone;
    let w = config.policy.digest;
    let start = after.with_timezone(&tz).date_naive();
    for d in 0..=8 {
        let date = start + TimeDelta::days(d);
        if date.weekday() != w.weekday {
            continue;
        }
        let t = local_instant(tz, date.and_time(w.time));
        if t > after {
            return t;
        }
    }
    // Unreachable for a valid weekday; a week on is a safe answer.
    after + TimeDelta::days(7)
}

/// The first day of the current term: `policy.term_start` when set and
/// passed, else the most recent of Jan 1, Jun 1 and Aug 15.
pub fn term_start(now: Instant, config: &Config) -> Instant {
    let tz = config.timezone;
    let today = now.with_timezone(&tz).date_naive();
    if let Some(d) = config.policy.term_start.filter(|d| *d <= today) {
        return local_instant(tz, d.and_hms_opt(0, 0, 0).unwrap_or_default());
    }
    let y = today.year();
    let candidates = [
        NaiveDate::from_ymd_opt(y, 8, 15),
        NaiveDate::from_ymd_opt(y, 6, 1),
        NaiveDate::from_ymd_opt(y, 1, 1),
    ];
    let d = candidates
        .into_iter()
        .flatten()
        .find(|d| *d <= today)
        .unwrap_or(today);
    local_instant(tz, d.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// The digest's parts, rendered.
pub struct Digest {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Mail that could not be delivered, for the digest.
pub struct Failure {
    pub kind: String,
    pub to: String,
    pub error: String,
}

fn first(config: &Config, email: &str) -> String {
    config
        .roster
        .by_email(email)
        .map(|m| m.first_name().to_string())
        .unwrap_or_else(|| email.to_string())
}

fn duration_text(d: TimeDelta) -> String {
    let h = d.num_hours();
    if h >= 48 {
        format!("{} days", h / 24)
    } else if h >= 1 {
        format!("{h} h")
    } else {
        format!("{} min", d.num_minutes().max(0))
    }
}

/// A message that claimed a staff sender and that the site's receiving
/// server did not vouch for, so it was not acted on.
pub struct Unauthenticated {
    pub at: Instant,
    /// Who it claimed to be from, its subject, and the server's results.
    pub what: String,
}

/// The title of the digest's section on mail that was not acted on because
/// its staff sender was not authenticated.
pub const UNAUTHENTICATED_TITLE: &str = "Mail that claimed to be from staff and was not";

/// Renders the digest for the week before `now`.
pub fn render(requests: &[Request], failures: &[Failure], now: Instant, config: &Config) -> Digest {
    render_with(requests, failures, &[], now, config)
}

/// [`render`], with the week's unauthenticated staff mail counted.
pub fn render_with(
    requests: &[Request],
    failures: &[Failure],
    unauthenticated: &[Unauthenticated],
    now: Instant,
    config: &Config,
) -> Digest {
    let tz = config.timezone;
    let week_ago = now - TimeDelta::days(7);
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();

    let recent: Vec<&Request> = requests
        .iter()
        .filter(|r| r.requested_at >= week_ago && r.requested_at < now)
        .collect();
    let mut lines = Vec::new();
    for r in recent.iter().filter(|r| r.kind == RequestKind::Coverage) {
        let first_shift = r
            .shifts
            .first()
            .map(|s| span_text(s.span, tz))
            .unwrap_or_default();
        let outcome = match r.state {
            RequestState::Covered => {
                let who: Vec<String> = r
                    .shifts
                    .iter()
                    .filter_map(|s| s.covered_by.as_deref())
                    .map(|e| first(config, e))
                    .collect();
                let took = r
                    .closed_at
                    .map(|c| format!(" in {}", duration_text(c - r.requested_at)))
                    .unwrap_or_default();
                format!("covered by {}{took}", dedup_join(who))
            }
            RequestState::Withdrawn => "withdrawn".into(),
            RequestState::Open => {
                let done = r.shifts.iter().filter(|s| s.covered_by.is_some()).count();
                if done > 0 {
                    format!("partly covered ({done} of {})", r.shifts.len())
                } else {
                    "still open".into()
                }
            }
        };
        lines.push(format!(
            "{} for {}: {}",
            first(config, &r.owner),
            first_shift,
            outcome
        ));
    }
    sections.push(("Requests last week".into(), lines));

    let sick: Vec<String> = recent
        .iter()
        .filter(|r| r.kind == RequestKind::Sick)
        .map(|r| {
            let s = r
                .shifts
                .first()
                .map(|s| span_text(s.span, tz))
                .unwrap_or_default();
            let state = if r.state == RequestState::Covered {
                "covered"
            } else {
                "not covered yet"
            };
            format!("{}, {}: {}", first(config, &r.owner), s, state)
        })
        .collect();
    sections.push(("Sick notices".into(), sick));

    let escalations: Vec<String> = requests
        .iter()
        .filter(|r| {
            r.escalated_at
                .map(|t| t >= week_ago && t < now)
                .unwrap_or(false)
        })
        .map(|r| {
            format!(
                "{}, escalated {}",
                first(config, &r.owner),
                moment_text(r.escalated_at.unwrap_or(now), tz)
            )
        })
        .collect();
    sections.push(("Escalations".into(), escalations));

    let short: Vec<String> = recent
        .iter()
        .filter(|r| {
            r.shifts
                .iter()
                .map(|s| s.span.start)
                .min()
                .map(|s| s - r.requested_at < config.policy.min_notice)
                .unwrap_or(false)
        })
        .map(|r| {
            let s = r.shifts.first().map(|s| s.span.start).unwrap_or(now);
            format!(
                "{}: asked {} ahead",
                first(config, &r.owner),
                duration_text(s - r.requested_at)
            )
        })
        .collect();
    sections.push(("Short notice".into(), short));

    let counts = crate::engine::covered_this_term(requests, now, config);
    let mut tally: Vec<(String, u32)> = counts.into_iter().collect();
    tally.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    sections.push((
        "Shifts covered this term".into(),
        tally
            .iter()
            .map(|(e, n)| format!("{}: {n}", first(config, e)))
            .collect(),
    ));

    let horizon = Span::new(now, now + TimeDelta::days(14));
    let mut uncovered: Vec<(Instant, String)> = requests
        .iter()
        .filter(|r| r.state == RequestState::Open)
        .flat_map(|r| {
            r.shifts
                .iter()
                .filter(|s| s.covered_by.is_none() && horizon.spans(s.span.start))
                .map(move |s| {
                    (
                        s.span.start,
                        format!("{}: {}", first(config, &r.owner), span_text(s.span, tz)),
                    )
                })
        })
        .collect();
    uncovered.sort();
    sections.push((
        "Still uncovered in the next two weeks".into(),
        uncovered.into_iter().map(|(_, l)| l).collect(),
    ));

    // How coverers answered their invitations: the coming shifts' cover
    // events, and every answer given in the past week.
    let answers = invitation_answers(requests, now, config);
    if !answers.is_empty() {
        sections.push(("Answers to calendar invitations".into(), answers));
    }

    if !failures.is_empty() {
        sections.push((
            "Mail that could not be delivered".into(),
            failures
                .iter()
                .map(|f| format!("{} to {}: {}", f.kind, f.to, f.error))
                .collect(),
        ));
    }

    if !unauthenticated.is_empty() {
        sections.push((
            format!("{UNAUTHENTICATED_TITLE}: {}", unauthenticated.len()),
            unauthenticated
                .iter()
                .map(|u| format!("{}, {} (not acted on)", moment_text(u.at, tz), u.what))
                .collect(),
        ));
    }

    let coord = first(config, &config.coordinator.email);
    let local = now.with_timezone(&tz);
    let subject = format!("Chat coverage this week ({})", local.format("%B %-d"));
    let mut text = format!("Hi {coord},\n\nHere's how coverage went over the past week.\n");
    let mut html = format!(
        "<p>Hi {},</p><p>Here's how coverage went over the past week.</p>",
        escape_html(&coord)
    );
    for (title, lines) in &sections {
        text.push_str(&format!("\n{title}\n"));
        html.push_str(&format!("<h3>{}</h3>", escape_html(title)));
        if lines.is_empty() {
            text.push_str("  none\n");
            html.push_str("<p>none</p>");
        } else {
            html.push_str("<ul>");
            for l in lines {
                text.push_str(&format!("  - {l}\n"));
                html.push_str(&format!("<li>{}</li>", escape_html(l)));
            }
            html.push_str("</ul>");
        }
    }
    let sig = config.sender.name.clone().unwrap_or_default();
    text.push_str(&format!("\n{sig}\n"));
    html.push_str(&format!("<p>{}</p>", escape_html(&sig)));
    Digest {
        subject,
        text,
        html,
    }
}

/// One line per cover event whose shift is still ahead or whose answer came
/// in the past week, earliest shift first: who covers whom, when, and what
/// the coverer answered ("accepted", "tentative", "declined", or "no answer
/// yet"). Shared by the digest and `shiftcover status`.
pub fn invitation_answers(requests: &[Request], now: Instant, config: &Config) -> Vec<String> {
    let week_ago = now - TimeDelta::days(7);
    let mut lines: Vec<(Instant, String)> = requests
        .iter()
        .flat_map(|r| r.cover_events.iter().map(move |e| (r, e)))
        .filter(|(_, e)| {
            (e.live && e.span.end > now) || e.answered_at.is_some_and(|t| t >= week_ago && t <= now)
        })
        .map(|(r, e)| {
            let answer = match (e.answer, e.live) {
                (Some(Answer::Accepted), _) => "accepted",
                (Some(Answer::Tentative), _) => "tentative",
                (Some(Answer::Declined), _) => "declined",
                (None, true) => "no answer yet",
                (None, false) => "cancelled",
            };
            (
                e.span.start,
                format!(
                    "{} for {}, {}: {answer}",
                    first(config, &e.coverer),
                    first(config, &r.owner),
                    span_text(e.span, config.timezone)
                ),
            )
        })
        .collect();
    lines.sort();
    lines.into_iter().map(|(_, l)| l).collect()
}

fn dedup_join(mut v: Vec<String>) -> String {
    v.dedup();
    v.join(" and ")
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    /// The tables this module's tests add to `config::test_config`'s desk.
    const CONFIG: &str = r#"
[policy]
digest = "mon 08:00"
"#;

    fn config() -> Config {
        crate::config::test_config(CONFIG, "shiftcover-digest-tests")
    }

    fn t(s: &str) -> Instant {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn the_digest_stays_at_eight_local_across_both_dst_changes() {
        let c = config();
        // Fall back on Sunday 2026-11-01: the Monday after is 08:00 EST.
        assert_eq!(
            next_digest_after(t("2026-10-26T08:00:00-04:00"), &c),
            t("2026-11-02T08:00:00-05:00")
        );
        assert_eq!(
            next_digest_after(t("2026-10-25T12:00:00-04:00"), &c),
            t("2026-10-26T08:00:00-04:00")
        );
        // Spring forward on Sunday 2027-03-14: the Monday after is 08:00 EDT.
        assert_eq!(
            next_digest_after(t("2027-03-08T08:00:00-05:00"), &c),
            t("2027-03-15T08:00:00-04:00")
        );
        // Strictly after: a digest due now is not due again.
        assert_eq!(
            next_digest_after(t("2027-03-15T08:00:00-04:00"), &c),
            t("2027-03-22T08:00:00-04:00")
        );
    }

    #[test]
    fn a_wall_time_skipped_by_the_change_moves_forward() {
        let tz = chrono_tz::America::New_York;
        let skipped = NaiveDate::from_ymd_opt(2027, 3, 14)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(local_instant(tz, skipped), t("2027-03-14T03:00:00-04:00"));
        let repeated = NaiveDate::from_ymd_opt(2026, 11, 1)
            .unwrap()
            .and_hms_opt(1, 30, 0)
            .unwrap();
        assert_eq!(local_instant(tz, repeated), t("2026-11-01T01:30:00-04:00"));
    }

    #[test]
    fn answers_to_invitations_are_listed_for_coming_shifts_and_the_past_week() {
        use crate::engine::{CoverEvent, Request, RequestShift};
        let c = config();
        let now = t("2026-12-07T08:00:00-05:00");
        let event = |day: u32, answer: Option<Answer>, live: bool, answered: &str| CoverEvent {
            uid: format!("cover-{day}@example.edu"),
            coverer: "tbecker@example.edu".into(),
            span: Span::new(
                t(&format!("2026-12-{day:02}T10:00:00-05:00")),
                t(&format!("2026-12-{day:02}T12:00:00-05:00")),
            ),
            sequence: 0,
            live,
            answer,
            answered_at: answer.map(|_| t(answered)),
        };
        let req = Request {
            id: "<r@x>".into(),
            kind: RequestKind::Coverage,
            requester: "alopez@example.edu".into(),
            owner: "alopez@example.edu".into(),
            subject: "cover".into(),
            requested_at: t("2026-11-30T09:00:00-05:00"),
            shifts: vec![RequestShift {
                span: Span::new(
                    t("2026-12-08T10:00:00-05:00"),
                    t("2026-12-08T12:00:00-05:00"),
                ),
                covered_by: Some("tbecker@example.edu".into()),
                covered_at: None,
            }],
            state: RequestState::Covered,
            thread: vec![],
            second_call_at: None,
            second_call_sent_at: None,
            own_second_call: false,
            escalated_at: None,
            offers: vec![],
            closed_at: None,
            suggested_for: vec![],
            cover_events: vec![
                event(
                    9,
                    Some(Answer::Tentative),
                    true,
                    "2026-12-01T09:00:00-05:00",
                ),
                event(8, Some(Answer::Accepted), true, "2026-12-01T09:00:00-05:00"),
                event(10, None, true, ""),
                // Declined this week: listed; declined long ago or a shift
                // already over: not.
                event(
                    3,
                    Some(Answer::Declined),
                    false,
                    "2026-12-02T09:00:00-05:00",
                ),
                event(
                    2,
                    Some(Answer::Declined),
                    false,
                    "2026-11-20T09:00:00-05:00",
                ),
                event(1, Some(Answer::Accepted), true, "2026-11-20T09:00:00-05:00"),
            ],
            owner_on_calendar: None,
        };
        let lines = invitation_answers(std::slice::from_ref(&req), now, &c);
        let said: Vec<&str> = lines
            .iter()
            .map(|l| l.rsplit(": ").next().unwrap_or(""))
            .collect();
        assert_eq!(
            said,
            vec!["declined", "accepted", "tentative", "no answer yet"],
            "{lines:#?}"
        );
        assert!(
            lines[1].starts_with("tbecker@example.edu for alopez@example.edu, "),
            "{lines:#?}"
        );
        let d = render(&[req], &[], now, &c);
        assert!(
            d.text.contains("Answers to calendar invitations"),
            "{}",
            d.text
        );
        assert!(d.text.contains(&lines[2]), "{}", d.text);
    }

    #[test]
    fn the_digest_lists_what_a_coordinator_needs() {
        use crate::engine::{Request, RequestShift};
        let c = config();
        let now = t("2026-12-07T08:00:00-05:00");
        let span = |a: &str, b: &str| Span::new(t(a), t(b));
        let req = |id: &str, kind, state, at: &str, shift: Span, by: Option<&str>| Request {
            id: id.into(),
            kind,
            requester: "alopez@example.edu".into(),
            owner: "alopez@example.edu".into(),
            subject: "x".into(),
            requested_at: t(at),
            shifts: vec![RequestShift {
                span: shift,
                covered_by: by.map(str::to_string),
                covered_at: by.map(|_| t(at) + TimeDelta::hours(5)),
            }],
            state,
            thread: vec![],
            second_call_at: None,
            second_call_sent_at: None,
            own_second_call: false,
            escalated_at: None,
            offers: vec![],
            closed_at: by.map(|_| t(at) + TimeDelta::hours(5)),
            suggested_for: vec![],
            cover_events: vec![],
            owner_on_calendar: None,
        };
        let requests = vec![
            req(
                "a",
                RequestKind::Coverage,
                RequestState::Covered,
                "2026-12-02T10:00:00-05:00",
                span("2026-12-14T12:00:00-05:00", "2026-12-14T14:00:00-05:00"),
                Some("tbecker@example.edu"),
            ),
            req(
                "b",
                RequestKind::Sick,
                RequestState::Open,
                "2026-12-04T07:00:00-05:00",
                span("2026-12-04T12:00:00-05:00", "2026-12-04T14:00:00-05:00"),
                None,
            ),
            req(
                "c",
                RequestKind::Coverage,
                RequestState::Open,
                "2026-12-05T10:00:00-05:00",
                span("2026-12-09T12:00:00-05:00", "2026-12-09T14:00:00-05:00"),
                None,
            ),
        ];
        let d = render(&requests, &[], now, &c);
        assert!(
            d.text.contains("covered by tbecker@example.edu in 5 h"),
            "{}",
            d.text
        );
        assert!(
            d.text
                .contains("Sick notices\n  - alopez@example.edu, Friday, December 4"),
            "{}",
            d.text
        );
        assert!(d.text.contains("Still uncovered in the next two weeks\n  - alopez@example.edu: Wednesday, December 9"), "{}", d.text);
        assert!(d.text.contains("Short notice"), "{}", d.text);
        assert!(d.text.contains("tbecker@example.edu: 1"), "{}", d.text);
        assert!(
            d.html.contains("<h3>Escalations</h3><p>none</p>"),
            "{}",
            d.html
        );
        // Plain and friendly: no shouting.
        assert!(
            !d.text
                .lines()
                .any(|l| l.len() > 3 && l.chars().all(|c| !c.is_lowercase()))
        );
    }
}
