//! Expansion of a calendar's VEVENTs into occurrences. The calendar is
//! read once into [`Prepared`] (zones resolved, rules parsed), so asking for
//! a window again costs only the walk through that window.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use chrono_tz::Tz;

use super::recur::{Rule, Until};
use super::value::{Moment, PeriodEnd, parse_moment, parse_moment_list};
use super::zone::{Zone, Zones};
use super::{Component, Expanded};
use crate::model::{Instant, Span};

/// How long an occurrence lasts: a wall-clock part (DTEND in the same
/// zone, or DURATION's days) and an exact part (DURATION's hours).
#[derive(Debug, Clone, Copy, Default)]
struct Length {
    nominal: TimeDelta,
    exact: TimeDelta,
}

#[derive(Debug, Clone)]
struct RecurrenceId {
    at: Instant,
    /// Set when the RECURRENCE-ID is a DATE: it then names a whole day.
    date: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
struct Event {
    index: usize,
    uid: String,
    start: NaiveDateTime,
    zone: Zone,
    length: Length,
    rule: Option<Rule>,
    until: Option<NaiveDateTime>,
    rdates: Vec<(Instant, Option<Instant>)>,
    exdates: Vec<Instant>,
    exdate_days: Vec<NaiveDate>,
    recurrence_id: Option<RecurrenceId>,
    cancelled: bool,
}

/// A VEVENT left out of the expansion, and why: it is never guessed at
/// (a rule the program cannot expand faithfully would give wrong shifts),
/// and never dropped in silence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedEvent {
    pub uid: String,
    pub summary: String,
    pub reason: String,
}

impl std::fmt::Display for SkippedEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "event UID {:?} (SUMMARY {:?}) is skipped: {}",
            self.uid, self.summary, self.reason
        )
    }
}

/// A calendar read for expansion.
#[derive(Debug, Clone)]
pub struct Prepared {
    events: Vec<Event>,
    zones: Zones,
    /// For each UID, the overrides (by index into `events`).
    overrides: HashMap<String, Vec<usize>>,
    skipped: Vec<SkippedEvent>,
}

fn same_zone(a: &Moment, b: &Moment) -> bool {
    match (a, b) {
        (Moment::Date(_), Moment::Date(_))
        | (Moment::Floating(_), Moment::Floating(_))
        | (Moment::Utc(_), Moment::Utc(_)) => true,
        (Moment::Zoned(_, x), Moment::Zoned(_, y)) => x == y,
        _ => false,
    }
}

impl Event {
    fn read(index: usize, c: &Component, zones: &Zones) -> Result<Event, String> {
        let start_m = c
            .property("DTSTART")
            .and_then(parse_moment)
            .ok_or("it has no DTSTART that reads as a date or time")?;
        let zone = zones.of(&start_m);
        let start = start_m.local();
        let start_at = zone.to_instant(start);
        let length = if let Some(end_m) = c.property("DTEND").and_then(parse_moment) {
            if same_zone(&start_m, &end_m) {
                Length {
                    nominal: (end_m.local() - start).max(TimeDelta::zero()),
                    exact: TimeDelta::zero(),
                }
            } else {
                let end_at = zones.of(&end_m).to_instant(end_m.local());
                Length {
                    nominal: TimeDelta::zero(),
                    exact: (end_at - start_at).max(TimeDelta::zero()),
                }
            }
        } else if let Some(d) = c.value("DURATION").and_then(super::value::parse_duration) {
            Length {
                nominal: d.nominal().max(TimeDelta::zero()),
                exact: d.exact().max(TimeDelta::zero()),
            }
        } else if start_m.is_date() {
            Length {
                nominal: TimeDelta::days(1),
                exact: TimeDelta::zero(),
            }
        } else {
            Length::default()
        };
        let rule = match c.value("RRULE") {
            Some(r) => Some(Rule::parse(r).map_err(|e| format!("RRULE:{}: {e}", r.trim()))?),
            None => None,
        };
        let until = rule.as_ref().and_then(|r| r.until).map(|u| match u {
            Until::Date(d) => {
                d.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN))
            }
            Until::Local(t) => t,
            Until::Utc(t) => zone.to_local(t.and_utc()),
        });
        let mut rdates = Vec::new();
        for p in c.properties_named("RDATE") {
            for (m, end) in parse_moment_list(p) {
                let at = zones.of(&m).to_instant(m.local());
                let end_at = end.map(|e| match e {
                    PeriodEnd::At(e) => zones.of(&e).to_instant(e.local()),
                    PeriodEnd::Duration(d) => {
                        at.checked_add_signed(d.exact() + d.nominal()).unwrap_or(at)
                    }
                });
                rdates.push((at, end_at));
            }
        }
        let mut exdates = Vec::new();
        let mut exdate_days = Vec::new();
        for p in c.properties_named("EXDATE") {
            for (m, _) in parse_moment_list(p) {
                match m {
                    // A DATE excludes whatever starts that day.
                    Moment::Date(d) if !start_m.is_date() => exdate_days.push(d),
                    _ => exdates.push(zones.of(&m).to_instant(m.local())),
                }
            }
        }
        let recurrence_id =
            c.property("RECURRENCE-ID")
                .and_then(parse_moment)
                .map(|m| RecurrenceId {
                    at: zones.of(&m).to_instant(m.local()),
                    date: match m {
                        Moment::Date(d) => Some(d),
                        _ => None,
                    },
                });
        let cancelled = c
            .value("STATUS")
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("CANCELLED"));
        Ok(Event {
            index,
            uid: c.uid().to_string(),
            start,
            zone,
            length,
            rule,
            until,
            rdates,
            exdates,
            exdate_days,
            recurrence_id,
            cancelled,
        })
    }

    /// The occurrence that starts at a wall-clock time.
    fn span_from_local(&self, local: NaiveDateTime) -> Span {
        let start = self.zone.to_instant(local);
        let end_local = local
            .checked_add_signed(self.length.nominal)
            .unwrap_or(local);
        let end = self.zone.to_instant(end_local);
        let end = end.checked_add_signed(self.length.exact).unwrap_or(end);
        Span::new(start, end.max(start))
    }

    fn span_from_instant(&self, at: Instant, end: Option<Instant>) -> Span {
        match end {
            Some(e) => Span::new(at, e.max(at)),
            None => self.span_from_local(self.zone.to_local(at)),
        }
    }

    fn is_recurring(&self) -> bool {
        self.rule.is_some() || !self.rdates.is_empty()
    }
}

/// Does an occurrence count as inside the window? An instant-long event
/// counts when it starts inside.
fn touches(span: &Span, window: &Span) -> bool {
    if span.start == span.end {
        window.spans(span.start)
    } else {
        span.overlaps(window)
    }
}

impl Prepared {
    /// Reads every VEVENT of a VCALENDAR. An event without a usable
    /// DTSTART, or whose RRULE is invalid or not supported (see
    /// [`Rule::parse`]), is left out whole and listed in
    /// [`Prepared::skipped`].
    pub fn new(calendar: &Component, default_zone: Tz) -> Prepared {
        let zones = Zones::new(calendar, default_zone);
        let mut events = Vec::new();
        let mut overrides: HashMap<String, Vec<usize>> = HashMap::new();
        let mut skipped = Vec::new();
        for (i, c) in calendar.components.iter().enumerate() {
            if c.name != "VEVENT" {
                continue;
            }
            match Event::read(i, c, &zones) {
                Ok(e) => {
                    if e.recurrence_id.is_some() {
                        overrides
                            .entry(e.uid.clone())
                            .or_default()
                            .push(events.len());
                    }
                    events.push(e);
                }
                Err(reason) => skipped.push(SkippedEvent {
                    uid: c.uid().to_string(),
                    summary: super::unescape_text(c.value("SUMMARY").unwrap_or(""))
                        .trim()
                        .to_string(),
                    reason,
                }),
            }
        }
        Prepared {
            events,
            zones,
            overrides,
            skipped,
        }
    }

    /// The events left out, each with its UID, SUMMARY and the reason.
    pub fn skipped(&self) -> &[SkippedEvent] {
        &self.skipped
    }

    pub fn zones(&self) -> &Zones {
        &self.zones
    }

    /// Every occurrence overlapping `window`, cancelled ones included,
    /// sorted by start.
    pub fn expand(&self, window: Span) -> Vec<Expanded> {
        self.expand_where(window, |_| true)
    }

    /// Like [`Prepared::expand`], for the events whose component index
    /// `keep` accepts.
    pub fn expand_where(&self, window: Span, keep: impl Fn(usize) -> bool) -> Vec<Expanded> {
        let mut out = Vec::new();
        for e in &self.events {
            if !keep(e.index) {
                continue;
            }
            if let Some(rid) = &e.recurrence_id {
                let span = e.span_from_local(e.start);
                if touches(&span, &window) {
                    out.push(Expanded {
                        uid: e.uid.clone(),
                        span,
                        recurrence_id: Some(rid.at),
                        component_index: e.index,
                        cancelled: e.cancelled,
                    });
                }
                continue;
            }
            if !e.is_recurring() {
                let span = e.span_from_local(e.start);
                if touches(&span, &window) {
                    out.push(Expanded {
                        uid: e.uid.clone(),
                        span,
                        recurrence_id: None,
                        component_index: e.index,
                        cancelled: e.cancelled,
                    });
                }
                continue;
            }
            self.expand_series(e, window, &mut out);
        }
        out.sort_by(|a, b| {
            a.span
                .start
                .cmp(&b.span.start)
                .then(a.component_index.cmp(&b.component_index))
        });
        out
    }

    fn expand_series(&self, e: &Event, window: Span, out: &mut Vec<Expanded>) {
        let reach = e.length.nominal + e.length.exact + TimeDelta::days(1);
        let from = e.zone.to_local(window.start);
        let from = from.checked_sub_signed(reach).unwrap_or(from);
        let to = e.zone.to_local(window.end);
        let to = to.checked_add_signed(TimeDelta::days(1)).unwrap_or(to);
        let mut spans: Vec<Span> = match &e.rule {
            Some(rule) => rule
                .starts(e.start, e.until, from, to)
                .into_iter()
                .map(|l| e.span_from_local(l))
                .collect(),
            None => vec![e.span_from_local(e.start)],
        };
        for (at, end) in &e.rdates {
            spans.push(e.span_from_instant(*at, *end));
        }
        spans.sort();
        spans.dedup_by_key(|s| s.start);
        let overrides = self.overrides.get(&e.uid);
        for span in spans {
            if !touches(&span, &window) {
                continue;
            }
            if e.exdates.contains(&span.start)
                || (!e.exdate_days.is_empty()
                    && e.exdate_days.contains(&e.zone.to_local(span.start).date()))
            {
                continue;
            }
            let replaced = overrides.is_some_and(|list| {
                list.iter().any(|&o| {
                    let rid = match &self.events[o].recurrence_id {
                        Some(r) => r,
                        None => return false,
                    };
                    match rid.date {
                        Some(d) => e.zone.to_local(span.start).date() == d,
                        None => rid.at == span.start,
                    }
                })
            });
            if replaced {
                continue;
            }
            out.push(Expanded {
                uid: e.uid.clone(),
                span,
                recurrence_id: Some(span.start),
                component_index: e.index,
                cancelled: e.cancelled,
            });
        }
    }
}

/// Expands every VEVENT of a VCALENDAR within `window` (occurrences that
/// overlap it), honouring RRULE (UNTIL, COUNT, INTERVAL, BYDAY, ...), RDATE,
/// EXDATE, overrides by RECURRENCE-ID (STATUS:CANCELLED ones are returned with
/// `cancelled`), TZID by IANA name or by the file's VTIMEZONE, floating times
/// in `default_zone`, and DST (a 10:00 shift stays 10:00 local).
pub fn expand(calendar: &Component, window: Span, default_zone: Tz) -> Vec<Expanded> {
    Prepared::new(calendar, default_zone).expand(window)
}
