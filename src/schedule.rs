//! Who works when: the calendar expanded and each event mapped to a staff
//! member (by an ATTENDEE on the roster, else by a SUMMARY equal to a name,
//! alias, first name or initials).
//!
//! OWNER: ical helper.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::config::Roster;
use crate::ical::zone::Zone;
use crate::ical::{Component, Prepared, Property, unescape_text};
use crate::model::Span;

/// One shift occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occurrence {
    /// Roster email of the person who works it; None when no one matched.
    pub owner: Option<String>,
    pub span: Span,
    pub uid: String,
    pub summary: String,
}

/// How the schedule changed in a window (see [`Schedule::changes_since`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScheduleChange {
    pub gone: Vec<Occurrence>,
    pub new: Vec<Occurrence>,
}

impl ScheduleChange {
    pub fn is_empty(&self) -> bool {
        self.gone.is_empty() && self.new.is_empty()
    }

    /// One line for the log: how many shifts went and came, and the first
    /// few of each by owner and local time.
    pub fn describe(&self, roster: &Roster, zone: Tz) -> String {
        const SHOWN: usize = 4;
        let one = |o: &Occurrence| {
            let who = o
                .owner
                .as_deref()
                .map(|e| {
                    roster
                        .by_email(e)
                        .map(|m| m.name.clone())
                        .unwrap_or(e.to_string())
                })
                .unwrap_or_else(|| format!("{:?} (no one on the roster)", o.summary));
            let s = o.span.start.with_timezone(&zone);
            let e = o.span.end.with_timezone(&zone);
            format!(
                "{who} {}-{}",
                s.format("%a %b %-d %H:%M"),
                e.format("%H:%M")
            )
        };
        let list = |v: &[Occurrence]| {
            let mut parts: Vec<String> = v.iter().take(SHOWN).map(one).collect();
            if v.len() > SHOWN {
                parts.push(format!("and {} more", v.len() - SHOWN));
            }
            parts.join(", ")
        };
        let mut out = format!(
            "{} shift(s) no longer on the calendar, {} new",
            self.gone.len(),
            self.new.len()
        );
        if !self.gone.is_empty() {
            out += &format!("; gone: {}", list(&self.gone));
        }
        if !self.new.is_empty() {
            out += &format!("; new: {}", list(&self.new));
        }
        out
    }
}

/// The expanded shift calendar, asked by person and day.
#[derive(Debug, Clone)]
pub struct Schedule {
    prepared: Prepared,
    zone: Tz,
    /// By component index: the owner's email and the summary.
    events: Vec<Option<(Option<String>, String)>>,
    /// The calendar this was built from: the daemon's reading process
    /// builds the same schedule from it ([`crate::reader_process`]).
    calendar: std::sync::Arc<Component>,
}

/// The address of a CAL-ADDRESS property (`mailto:x@y`, or its EMAIL
/// parameter), lowercased.
pub fn address_of(p: &Property) -> Option<String> {
    let raw = p.param("EMAIL").unwrap_or(&p.value).trim();
    let addr = match raw.get(..7) {
        Some(head) if head.eq_ignore_ascii_case("mailto:") => &raw[7..],
        _ => raw,
    };
    let addr = addr.trim().to_ascii_lowercase();
    addr.contains('@').then_some(addr)
}

/// Whose event this is, by CONTRACT.md's rule: an ATTENDEE on the roster
/// (preferring one who is not also the ORGANIZER), else a SUMMARY that
/// names one person. The ORGANIZER alone makes no one an owner.
pub fn owner_of(event: &Component, roster: &Roster) -> Option<String> {
    let organizer = event.property("ORGANIZER").and_then(address_of);
    let attendees: Vec<String> = event
        .properties_named("ATTENDEE")
        .filter_map(address_of)
        .filter(|a| roster.by_email(a).is_some())
        .collect();
    if let Some(a) = attendees
        .iter()
        .find(|a| Some(*a) != organizer.as_ref())
        .or(attendees.first())
    {
        return Some(a.clone());
    }
    let summary = unescape_text(event.value("SUMMARY").unwrap_or(""));
    roster.by_name(summary.trim()).map(|m| m.email.clone())
}

/// Whether an event that names nobody on the roster is the shift of
/// `owner_email`, someone no longer on it, as far as the calendar itself
/// says: an ATTENDEE with their address, or a SUMMARY that is `name`, the
/// name the calendar gave them ([`Schedule::calendar_name_of`]).
pub fn names_former_owner(event: &Component, owner_email: &str, name: &str) -> bool {
    let owner = owner_email.trim().to_ascii_lowercase();
    event
        .properties_named("ATTENDEE")
        .filter_map(address_of)
        .any(|a| a == owner)
        || (!name.trim().is_empty()
            && unescape_text(event.value("SUMMARY").unwrap_or("")).trim() == name.trim())
}

/// Whether `event` is the shift of the edit's owner: the roster's rule
/// ([`owner_of`]), and for an owner who left the roster, an event that
/// names nobody on it and that the calendar says is theirs
/// ([`names_former_owner`], by `name`, the name the edit carries). The one
/// rule every calendar backend releases a shift by.
pub fn is_owners_shift(event: &Component, roster: &Roster, owner_email: &str, name: &str) -> bool {
    let owner = owner_email.trim().to_ascii_lowercase();
    match owner_of(event, roster) {
        Some(o) => o == owner,
        None => roster.by_email(&owner).is_none() && names_former_owner(event, &owner, name),
    }
}

impl Schedule {
    /// The name the calendar gives `owner_email`, someone no longer on the
    /// roster, for their shift over `span`: among the events there that
    /// name nobody on the roster, the CN of an ATTENDEE with their address
    /// (or that event's SUMMARY, without a CN), else the SUMMARY of the
    /// only such event there. None when the calendar does not say (no such
    /// event, or several and none with their address): then nothing is
    /// taken for theirs.
    pub fn calendar_name_of(&self, owner_email: &str, span: Span) -> Option<String> {
        let owner = owner_email.trim().to_ascii_lowercase();
        let unowned: Vec<(&Component, &str)> = self
            .prepared
            .expand_where(span, |i| {
                matches!(self.events.get(i), Some(Some((None, _))))
            })
            .into_iter()
            .filter(|x| !x.cancelled && x.span.overlaps(&span))
            .filter_map(|x| {
                let c = self.calendar.components.get(x.component_index)?;
                let (_, summary) = self.events.get(x.component_index)?.as_ref()?;
                Some((c, summary.as_str()))
            })
            .collect();
        let by_address = unowned.iter().find_map(|(c, summary)| {
            let attendee = c
                .properties_named("ATTENDEE")
                .find(|p| address_of(p).as_deref() == Some(owner.as_str()))?;
            let cn = attendee
                .param("CN")
                .map(|n| n.trim().trim_matches('"').trim().to_string())
                .filter(|n| !n.is_empty());
            Some(cn.unwrap_or_else(|| summary.to_string()))
        });
        let only = || match unowned.as_slice() {
            [(_, summary)] if !summary.is_empty() => Some(summary.to_string()),
            _ => None,
        };
        by_address.or_else(only)
    }

    /// Builds a schedule from a parsed VCALENDAR.
    pub fn new(calendar: Component, roster: &Roster, zone: Tz) -> Schedule {
        let prepared = Prepared::new(&calendar, zone);
        let mut events = Vec::with_capacity(calendar.components.len());
        for c in &calendar.components {
            if c.name != "VEVENT" {
                events.push(None);
                continue;
            }
            let owner = owner_of(c, roster);
            let summary = unescape_text(c.value("SUMMARY").unwrap_or(""))
                .trim()
                .to_string();
            events.push(Some((owner, summary)));
        }
        Schedule {
            prepared,
            zone,
            events,
            calendar: std::sync::Arc::new(calendar),
        }
    }

    /// The calendar this schedule was built from; [`Schedule::new`] of it
    /// with the same roster and zone builds the same schedule.
    pub fn calendar(&self) -> &std::sync::Arc<Component> {
        &self.calendar
    }

    /// Parses ICS text and builds the schedule.
    pub fn from_ics(
        text: &str,
        roster: &Roster,
        zone: Tz,
    ) -> Result<Schedule, crate::ical::IcalError> {
        Ok(Schedule::new(crate::ical::parse(text)?, roster, zone))
    }

    /// The events the schedule leaves out (an RRULE the program does not
    /// expand, no DTSTART), each with its UID, SUMMARY and why; the
    /// backends log them every time the schedule is read.
    pub fn skipped(&self) -> &[crate::ical::SkippedEvent] {
        self.prepared.skipped()
    }

    /// The zone shift times are read in.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Non-cancelled occurrences overlapping `window`, sorted by start.
    pub fn occurrences(&self, window: Span) -> Vec<Occurrence> {
        self.collect(window, None)
    }

    /// A person's shifts that start on a local date, sorted by start.
    pub fn shifts_on(&self, owner_email: &str, date: NaiveDate) -> Vec<Occurrence> {
        let zone = Zone::Iana(self.zone);
        let start = zone.to_instant(date.and_time(NaiveTime::MIN));
        let end = match date.succ_opt() {
            Some(next) => zone.to_instant(next.and_time(NaiveTime::MIN)),
            None => return Vec::new(),
        };
        let mut out = self.collect(Span::new(start, end), Some(owner_email));
        out.retain(|o| zone.to_local(o.span.start).date() == date);
        out
    }

    /// A person's shifts overlapping a span, sorted by start.
    pub fn shifts_of(&self, owner_email: &str, window: Span) -> Vec<Occurrence> {
        self.collect(window, Some(owner_email))
    }

    /// How this schedule differs from `old` within `window`: the
    /// occurrences only `old` has, and those only this one has (an
    /// occurrence is its owner and span; a moved shift is one of each).
    pub fn changes_since(&self, old: &Schedule, window: Span) -> ScheduleChange {
        let before = old.occurrences(window);
        let after = self.occurrences(window);
        let same = |a: &Occurrence, b: &Occurrence| a.owner == b.owner && a.span == b.span;
        ScheduleChange {
            gone: before
                .iter()
                .filter(|o| !after.iter().any(|n| same(o, n)))
                .cloned()
                .collect(),
            new: after
                .iter()
                .filter(|n| !before.iter().any(|o| same(o, n)))
                .cloned()
                .collect(),
        }
    }

    fn collect(&self, window: Span, owner: Option<&str>) -> Vec<Occurrence> {
        let owner = owner.map(|o| o.trim().to_ascii_lowercase());
        // An override is a component of its own, so filtering components
        // by owner keeps a series' moved occurrences with whoever works them.
        let keep = |i: usize| match &owner {
            None => true,
            Some(o) => self
                .events
                .get(i)
                .and_then(|e| e.as_ref())
                .is_some_and(|(who, _)| who.as_ref() == Some(o)),
        };
        self.prepared
            .expand_where(window, keep)
            .into_iter()
            .filter(|x| !x.cancelled)
            .filter_map(|x| {
                let (who, summary) = self.events.get(x.component_index)?.as_ref()?;
                if owner.is_some() && who.as_ref() != owner.as_ref() {
                    return None;
                }
                Some(Occurrence {
                    owner: who.clone(),
                    span: x.span,
                    uid: x.uid,
                    summary: summary.clone(),
                })
            })
            .collect()
    }
}

/// What a decision about open requests asks of a schedule: who works when,
/// by person and local day or by span. Both the calendar as read
/// ([`Schedule`]) and the part of it last acted on ([`ScheduleExcerpt`])
/// answer, so the same `engine::reschedule` compares either with the
/// calendar of the moment.
pub trait Shifts {
    /// The zone shift times are read in.
    fn zone(&self) -> Tz;
    /// Non-cancelled occurrences overlapping `window`, sorted by start.
    fn occurrences(&self, window: Span) -> Vec<Occurrence>;
    /// A person's shifts that start on a local date, sorted by start.
    fn shifts_on(&self, owner_email: &str, date: NaiveDate) -> Vec<Occurrence>;
    /// A person's shifts overlapping a span, sorted by start.
    fn shifts_of(&self, owner_email: &str, window: Span) -> Vec<Occurrence>;
}

impl Shifts for Schedule {
    fn zone(&self) -> Tz {
        Schedule::zone(self)
    }
    fn occurrences(&self, window: Span) -> Vec<Occurrence> {
        Schedule::occurrences(self, window)
    }
    fn shifts_on(&self, owner_email: &str, date: NaiveDate) -> Vec<Occurrence> {
        Schedule::shifts_on(self, owner_email, date)
    }
    fn shifts_of(&self, owner_email: &str, window: Span) -> Vec<Occurrence> {
        Schedule::shifts_of(self, owner_email, window)
    }
}

/// The instants a local date begins and ends in `zone`; None at the end of
/// the calendar.
fn day_span(zone: Tz, date: NaiveDate) -> Option<Span> {
    let zone = Zone::Iana(zone);
    let next = date.succ_opt()?;
    Some(Span::new(
        zone.to_instant(date.and_time(NaiveTime::MIN)),
        zone.to_instant(next.and_time(NaiveTime::MIN)),
    ))
}

/// A few local days of a schedule, whole: every occurrence (anyone's)
/// overlapping each day. The daemon keeps in the store the days its open
/// requests' shifts fall on, as the schedule stood when it last acted on
/// them, and at start compares them with the calendar read then, so a
/// shift moved while it was stopped is handled as one moved while it ran.
///
/// Whole days of everyone, not only the requested occurrences: deciding
/// what became of a shift looks at the owner's other shifts that day (a
/// moved shift is a time the owner did not have before) and at whoever
/// else works that slot (given to someone else), so the day is what must
/// be remembered. Only those days, not the daemon's whole window of some
/// sixty weeks: a handful of rows per open request instead of every
/// shift of the year rewritten on each change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleExcerpt {
    zone: Tz,
    days: BTreeMap<NaiveDate, Vec<Occurrence>>,
}

/// How an excerpt is to change: each day's new occurrences, or None for a
/// day no longer kept.
pub type ExcerptChanges = Vec<(NaiveDate, Option<Vec<Occurrence>>)>;

impl ScheduleExcerpt {
    /// An excerpt of no days.
    pub fn empty(zone: Tz) -> ScheduleExcerpt {
        ScheduleExcerpt {
            zone,
            days: BTreeMap::new(),
        }
    }

    /// The given days as they were recorded.
    pub fn from_days(
        zone: Tz,
        days: impl IntoIterator<Item = (NaiveDate, Vec<Occurrence>)>,
    ) -> ScheduleExcerpt {
        ScheduleExcerpt {
            zone,
            days: days.into_iter().collect(),
        }
    }

    /// One day of `schedule`: every occurrence overlapping it.
    pub fn day_of(schedule: &Schedule, date: NaiveDate) -> Vec<Occurrence> {
        day_span(schedule.zone(), date)
            .map(|d| schedule.occurrences(d))
            .unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    pub fn days(&self) -> &BTreeMap<NaiveDate, Vec<Occurrence>> {
        &self.days
    }

    /// What to write so that this excerpt holds exactly `wanted` days as
    /// `schedule` shows them. With `reread` false the schedule is the one
    /// the kept days were taken from, so only days new to the excerpt are
    /// read from it; with `reread` true (the schedule was read again)
    /// every wanted day is compared.
    pub fn changes_to(
        &self,
        wanted: &std::collections::BTreeSet<NaiveDate>,
        schedule: &Schedule,
        reread: bool,
    ) -> ExcerptChanges {
        let mut out: ExcerptChanges = self
            .days
            .keys()
            .filter(|d| !wanted.contains(d))
            .map(|d| (*d, None))
            .collect();
        for d in wanted {
            let kept = self.days.get(d);
            if kept.is_some() && !reread {
                continue;
            }
            let now = ScheduleExcerpt::day_of(schedule, *d);
            if kept != Some(&now) {
                out.push((*d, Some(now)));
            }
        }
        out
    }

    /// Takes up changes once they are written.
    pub fn apply(&mut self, changes: &ExcerptChanges) {
        for (d, day) in changes {
            match day {
                Some(occ) => {
                    self.days.insert(*d, occ.clone());
                }
                None => {
                    self.days.remove(d);
                }
            }
        }
    }

    /// The kept occurrences overlapping `window`, once each, sorted by
    /// start (an occurrence past midnight is kept under both its days).
    fn overlapping(&self, window: Span, owner: Option<&str>) -> Vec<Occurrence> {
        let owner = owner.map(|o| o.trim().to_ascii_lowercase());
        let zone = Zone::Iana(self.zone);
        let first = zone.to_local(window.start).date();
        let last = zone.to_local(window.end).date();
        let mut out: Vec<Occurrence> = Vec::new();
        for occ in self.days.range(first..=last).flat_map(|(_, v)| v) {
            let mine = owner.is_none() || occ.owner.as_deref() == owner.as_deref();
            if mine && occ.span.overlaps(&window) && !out.contains(occ) {
                out.push(occ.clone());
            }
        }
        out.sort_by_key(|o| (o.span.start, o.span.end));
        out
    }
}

impl Shifts for ScheduleExcerpt {
    fn zone(&self) -> Tz {
        self.zone
    }
    fn occurrences(&self, window: Span) -> Vec<Occurrence> {
        self.overlapping(window, None)
    }
    fn shifts_on(&self, owner_email: &str, date: NaiveDate) -> Vec<Occurrence> {
        let Some(day) = day_span(self.zone, date) else {
            return Vec::new();
        };
        let zone = Zone::Iana(self.zone);
        let mut out = self.overlapping(day, Some(owner_email));
        out.retain(|o| zone.to_local(o.span.start).date() == date);
        out
    }
    fn shifts_of(&self, owner_email: &str, window: Span) -> Vec<Occurrence> {
        self.overlapping(window, Some(owner_email))
    }
}
