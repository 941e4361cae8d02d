//! From dates and times in a text to shift spans, using the schedule.
//! OWNER: dates helper.
//!
//! For each day the text asks about (see [`super::dates`]), the times bound
//! to it are read in three tiers, and only the highest tier present counts:
//! 1. clock times ("2-3", "after 3", "until 2"): explicit times win, even when
//!    the scheduled shift is longer;
//! 2. parts of the person's shift ("the first hour", "my 2pm shift",
//!    "Tuesday morning");
//! 3. nothing: the person's scheduled shifts that day.
//!
//! So "cover 2:30-3:30? I can do the first half hour myself" asks for
//! 2:30-3:30 only.
//!
//! Within the first tier, a span said as what the writer needs that lies
//! inside another span named for that day narrows it ("my Dec 8 shift
//! (3:30-5) ... so really I need 4:15 to 5" asks for 16:15-17:00): the
//! larger span is dropped. Spans that do not hold a needed one are kept
//! ("I need 10-12 and 2-4").

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use super::dates::{self, DayAsk, DayPart, Days, Minute, TimeRef};
use crate::config::Config;
use crate::model::{Instant, Span};
use crate::schedule::Schedule;

/// How strictly to read spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Requests, sick notices, second calls, covered: explicit times win;
    /// a day without times resolves to `person`'s scheduled shifts that day.
    Shifts,
    /// Offers: only spans stated with clock times and a day ("I can do 3:30-5
    /// on Mon 12/7"); nothing from the schedule.
    ExplicitOnly,
}

/// What a text says about shifts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    /// Sorted by start, no duplicates, none overlapping.
    pub spans: Vec<Span>,
    /// True when the text names any date or day at all (even one that
    /// resolved to no shift); the subject is read only when the body names none.
    pub names_date: bool,
    pub diagnostics: Vec<String>,
}

/// Finds the shifts a text is about. `today` is the message's local date (its
/// Date header in the configured zone); `person` is whose schedule a day
/// without times resolves to.
pub fn find_shifts(
    text: &str,
    today: NaiveDate,
    person: Option<&str>,
    schedule: &Schedule,
    config: &Config,
    mode: Mode,
) -> Found {
    find_shifts_in(&DaysOf::new(config), text, today, person, schedule, mode)
}

/// The days each text names, each text read once: one message's reading
/// asks for the days of the same text many times over (whether what a
/// set-aside leaves still names a day, then the shifts of what is left,
/// then the subject's day beside it), and reading a text's days is the
/// costliest step of finding its shifts. Made for one reading of one
/// message and dropped with it, so nothing is kept between messages; every
/// text is read against the one desk's settings it was made with.
pub struct DaysOf<'c> {
    config: &'c Config,
    read: RefCell<Vec<DaysRead>>,
}

/// One text read on one day, and what it said.
type DaysRead = (NaiveDate, Box<str>, Rc<Days>);

impl<'c> DaysOf<'c> {
    pub fn new(config: &'c Config) -> Self {
        DaysOf {
            config,
            read: RefCell::new(Vec::new()),
        }
    }

    /// What `text` says about days and times, read on `today`: the same
    /// as [`dates::read_days`] with the desk's settings.
    pub fn days(&self, text: &str, today: NaiveDate) -> Rc<Days> {
        if let Some((_, _, days)) = self
            .read
            .borrow()
            .iter()
            .find(|(on, seen, _)| *on == today && **seen == *text)
        {
            return Rc::clone(days);
        }
        let days = Rc::new(dates::read_days(
            text,
            today,
            self.config.date_order,
            &self.config.service_hours,
            self.config.timezone,
        ));
        self.read
            .borrow_mut()
            .push((today, text.into(), Rc::clone(&days)));
        days
    }
}

/// [`find_shifts`] with the days of texts already read taken from `read`.
pub fn find_shifts_in(
    read: &DaysOf,
    text: &str,
    today: NaiveDate,
    person: Option<&str>,
    schedule: &Schedule,
    mode: Mode,
) -> Found {
    let config = read.config;
    let days = read.days(text, today);
    let mut found = Found {
        spans: Vec::new(),
        names_date: days.names_date,
        diagnostics: days.diagnostics.clone(),
    };
    let day = Day {
        zone: config.timezone,
        open: minute_of(config.service_hours.open),
        close: minute_of(config.service_hours.close),
        person,
        schedule,
    };
    // Every day of one range ("away Mon 2/8 through Fri 2/19, 10 to
    // noon") is asked at the stated times; of those, the person's own are
    // meant: days holding none of their shifts at those times are dropped,
    // unless that would leave nothing.
    let one_range = mode == Mode::Shifts
        && person.is_some()
        && days.asks.len() > 2
        && days.asks.windows(2).all(|w| w[0].said == w[1].said);
    let mut in_range_own = Vec::new();
    let mut notes = Vec::new();
    for ask in &days.asks {
        // "thurs 2/10" where 2/10 is a Wednesday: when the person works
        // none of that date but does work the weekday written beside it,
        // the weekday was meant.
        let moved;
        let ask = match ask.weekday_meant {
            Some(meant)
                if mode == Mode::Shifts
                    && person.is_some_and(|p| {
                        schedule.shifts_on(p, ask.date).is_empty()
                            && !schedule.shifts_on(p, meant).is_empty()
                    }) =>
            {
                found.diagnostics.push(format!(
                    "{}: no shift that day, but one on {meant}, the weekday written beside it",
                    ask.date
                ));
                moved = DayAsk {
                    date: meant,
                    ..ask.clone()
                };
                &moved
            }
            _ => ask,
        };
        let spans = match mode {
            Mode::Shifts => day.shifts(ask, &mut found.diagnostics),
            Mode::ExplicitOnly => day.explicit(ask, &mut found.diagnostics),
        };
        if one_range {
            let own = day.scheduled(ask.date, &mut notes);
            in_range_own.extend(
                spans
                    .iter()
                    .filter(|s| own.iter().any(|o| o.start < s.end && s.start < o.end))
                    .copied(),
            );
        }
        found.spans.extend(spans);
    }
    if one_range && !in_range_own.is_empty() && in_range_own.len() < found.spans.len() {
        found.diagnostics.push(
            "a range of days at stated times: only the days holding the person's shifts are kept"
                .into(),
        );
        found.spans = in_range_own;
    }
    found.spans = merge_overlaps(found.spans);
    found
}

/// Sorted, with overlapping spans joined ("a meeting 10:30-11:30 ... cover
/// 10-12" asks for 10-12). Spans that only touch stay apart: back-to-back
/// shifts are separate shifts.
fn merge_overlaps(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start < last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// A clock span written in a subject ("2-3:30", "10am-12pm", "3:30 to 5"),
/// standing as words of its own: no part of a date ("2027-01-29", "1-29").
static SUBJECT_SPAN: std::sync::LazyLock<super::pattern::Regex> = std::sync::LazyLock::new(|| {
    super::pattern::Regex::new(
        r"(?i)(^|[\s(,;:])\d{1,2}(?::\d\d)?\s*(?:am|pm|a|p)?\s*(?:-|–|to|until|till)\s*\d{1,2}(?::\d\d)?\s*(?:am|pm|a|p)?(\)?(?:$|[\s),;:.!?]))",
    )
    .expect("valid regex")
});

/// Reads a message's body, and its subject too when the body names no day
/// (a reply's subject repeats its thread, so it counts only then). The
/// subject comes first, so times in the body bind to its day ("Could someone
/// cover 2:30-3:30?" under "Tuesday 11/17"). An offer states its own times:
/// one whose body names none gives none, whatever its subject says ("Yes, I
/// can do it" under "Re: Need coverage tomorrow 12-2").
pub fn find_shifts_with_subject(
    subject: &str,
    body: &str,
    today: NaiveDate,
    person: Option<&str>,
    schedule: &Schedule,
    config: &Config,
    mode: Mode,
) -> Found {
    find_shifts_with_subject_in(
        &DaysOf::new(config),
        subject,
        body,
        today,
        person,
        schedule,
        mode,
    )
}

/// [`find_shifts_with_subject`] with the days of texts already read taken
/// from `read`.
pub fn find_shifts_with_subject_in(
    read: &DaysOf,
    subject: &str,
    body: &str,
    today: NaiveDate,
    person: Option<&str>,
    schedule: &Schedule,
    mode: Mode,
) -> Found {
    let found = find_shifts_in(read, body, today, person, schedule, mode);
    if found.names_date || subject.trim().is_empty() {
        return found;
    }
    if mode == Mode::ExplicitOnly {
        let days = read.days(body, today);
        if !days.names_time {
            let mut found = found;
            found.spans.clear();
            found
                .diagnostics
                .push("an offer that states no time gives no span".into());
            return found;
        }
    }
    // A body that states its own times ("Ben will take 2-3") takes only
    // the subject's day: the subject's span is the thread's whole ask.
    let body_times = read.days(body, today).asks.iter().any(|d| {
        d.times
            .iter()
            .any(|t| matches!(t.time, dates::TimeRef::Span(..)))
    });
    let subject = if body_times {
        SUBJECT_SPAN.replace_all(subject, "${1} ${2}").into_owned()
    } else {
        subject.to_string()
    };
    let both = format!("{subject}\n\n{body}");
    let mut found = find_shifts_in(read, &both, today, person, schedule, mode);
    found.diagnostics.insert(
        0,
        "the body names no day; reading the subject with it".into(),
    );
    found
}

fn minute_of(t: NaiveTime) -> Minute {
    t.hour() * 60 + t.minute()
}

/// The instant of a local wall time; a time skipped by a DST change moves
/// an hour later, a repeated one takes its first occurrence.
pub fn local_instant(zone: Tz, date: NaiveDate, minute: Minute) -> Option<Instant> {
    let day = if minute >= 24 * 60 {
        date.succ_opt()?
    } else {
        date
    };
    let time = NaiveTime::from_hms_opt(minute % (24 * 60) / 60, minute % 60, 0)?;
    let local = day.and_time(time);
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + TimeDelta::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

/// What one day needs to be resolved.
struct Day<'a> {
    zone: Tz,
    open: Minute,
    close: Minute,
    person: Option<&'a str>,
    schedule: &'a Schedule,
}

impl Day<'_> {
    fn span(&self, date: NaiveDate, start: Minute, end: Minute) -> Option<Span> {
        let s = local_instant(self.zone, date, start)?;
        let e = local_instant(self.zone, date, end)?;
        (s < e).then(|| Span::new(s, e))
    }

    /// The person's shifts starting that day, sorted.
    fn scheduled(&self, date: NaiveDate, notes: &mut Vec<String>) -> Vec<Span> {
        let Some(person) = self.person else {
            notes.push(format!("no person whose shifts on {date} to read"));
            return Vec::new();
        };
        let shifts: Vec<Span> = self
            .schedule
            .shifts_on(person, date)
            .into_iter()
            .map(|o| o.span)
            .collect();
        if shifts.is_empty() {
            notes.push(format!("no shift for {person} on {date}"));
        }
        shifts
    }

    /// Offers: clock times only, closed by service hours.
    fn explicit(&self, ask: &DayAsk, notes: &mut Vec<String>) -> Vec<Span> {
        let mut out = Vec::new();
        // "I could do 3:30-4:30, but I have to leave at 4:30": the closed
        // span is the offer; an open-ended time only when it is all there is.
        let closed = ask
            .times
            .iter()
            .any(|t| matches!(t.time, TimeRef::Span(..)));
        for t in &ask.times {
            if closed && !matches!(t.time, TimeRef::Span(..)) {
                continue;
            }
            let span = match t.time {
                TimeRef::Span(s, e) => self.span(ask.date, s, e),
                TimeRef::From(s) => self.span(ask.date, s, self.close),
                TimeRef::Until(e) => self.span(ask.date, self.open, e),
                _ => None,
            };
            out.extend(span);
        }
        if out.is_empty() {
            notes.push(format!(
                "{}: no clock time stated, so no span for an offer",
                ask.date
            ));
        }
        out
    }

    /// Requests and notices: explicit times win, else the schedule.
    fn shifts(&self, ask: &DayAsk, notes: &mut Vec<String>) -> Vec<Span> {
        let date = ask.date;
        // Of several clock times, those written as the person's own shift
        // ("my 3:30-5 shift", not "the desk 2-4") are the ask.
        let any_mine = ask.times.iter().any(|t| t.time.is_clock() && t.mine);
        let clock: Vec<&dates::TimeAsk> = ask
            .times
            .iter()
            .filter(|t| t.time.is_clock() && (t.mine || t.needed || !any_mine))
            .collect();
        // "so really I need 4:15 to 5" narrows the 3:30-5 named before it.
        let needed: Vec<(Minute, Minute)> = clock
            .iter()
            .filter(|t| t.needed)
            .filter_map(|t| match t.time {
                TimeRef::Span(s, e) => Some((s, e)),
                _ => None,
            })
            .collect();
        let holds_needed = |t: &dates::TimeAsk| match t.time {
            TimeRef::Span(s, e) if !t.needed => needed
                .iter()
                .any(|&(ns, ne)| s <= ns && ne <= e && (s, e) != (ns, ne)),
            _ => false,
        };
        let narrowed: Vec<TimeRef> = clock
            .iter()
            .filter(|t| !holds_needed(t))
            .map(|t| t.time)
            .collect();
        if narrowed.len() < clock.len() {
            notes.push(format!(
                "{date}: a span said as needed narrows the span that holds it"
            ));
        }
        let clock = narrowed;
        if !clock.is_empty() {
            // A span that runs past service hours ("a course that meets
            // 3-6pm") is the writer's conflict, not a span of the desk: the
            // person's shifts wholly inside it are what is asked.
            let outside =
                |t: &TimeRef| matches!(*t, TimeRef::Span(s, e) if s < self.open || e > self.close);
            // The schedule is read only when a time needs a shift's edge.
            let needs_shift = clock
                .iter()
                .any(|t| !matches!(t, TimeRef::Span(..)) || outside(t));
            let shifts = if needs_shift {
                self.scheduled(date, notes)
            } else {
                Vec::new()
            };
            let mut out = Vec::new();
            for t in clock {
                if outside(&t)
                    && let TimeRef::Span(s, e) = t
                    && let Some(whole) = self.span(date, s, e)
                {
                    let inside: Vec<Span> = shifts
                        .iter()
                        .filter(|x| whole.start <= x.start && x.end <= whole.end)
                        .copied()
                        .collect();
                    if !inside.is_empty() {
                        notes.push(format!(
                            "{date}: {}-{} runs past service hours; the shifts inside it are asked",
                            dates::hhmm(s),
                            dates::hhmm(e)
                        ));
                        out.extend(inside);
                        continue;
                    }
                }
                out.extend(self.clock_span(date, t, &shifts));
            }
            return out;
        }
        let shifts = self.scheduled(date, notes);
        if shifts.is_empty() || ask.times.is_empty() {
            return shifts;
        }
        let mut out = Vec::new();
        for t in &ask.times {
            let part = self.part_of(date, t.time, &shifts);
            if part.is_empty() {
                notes.push(format!(
                    "'{}' matches none of the shifts on {date}; taking them all",
                    t.said
                ));
                return shifts;
            }
            out.extend(part);
        }
        out
    }

    /// "after 3", "until 2": to or from the edge of the person's shift
    /// around that time, else of service hours.
    fn clock_span(&self, date: NaiveDate, t: TimeRef, shifts: &[Span]) -> Option<Span> {
        match t {
            TimeRef::Span(s, e) => self.span(date, s, e),
            TimeRef::From(s) => {
                let start = local_instant(self.zone, date, s)?;
                let end = shifts
                    .iter()
                    .find(|x| x.spans(start))
                    .or_else(|| {
                        shifts
                            .iter()
                            .filter(|x| x.end > start)
                            .max_by_key(|x| x.end)
                    })
                    .map(|x| x.end)
                    .or_else(|| local_instant(self.zone, date, self.close))?;
                (start < end).then(|| Span::new(start, end))
            }
            TimeRef::Until(e) => {
                let mut end = local_instant(self.zone, date, e)?;
                // "won't land till 3" of a 12-2 shift: the bound lies past
                // every shift that starts before it, so those shifts are
                // wholly the writer's conflict, and asked whole.
                if !shifts.is_empty()
                    && !shifts.iter().any(|x| x.start < end && end <= x.end)
                    && let Some(last) = shifts.iter().filter(|x| x.start < end).map(|x| x.end).max()
                {
                    end = end.min(last);
                }
                let start = shifts
                    .iter()
                    .find(|x| x.start < end && end <= x.end)
                    .or_else(|| {
                        shifts
                            .iter()
                            .filter(|x| x.start < end)
                            .min_by_key(|x| x.start)
                    })
                    .map(|x| x.start)
                    .or_else(|| local_instant(self.zone, date, self.open))?;
                (start < end).then(|| Span::new(start, end))
            }
            _ => None,
        }
    }

    /// The part of the day's shifts a time names.
    fn part_of(&self, date: NaiveDate, t: TimeRef, shifts: &[Span]) -> Vec<Span> {
        let blocks = blocks(shifts);
        let (Some(first), Some(last)) = (blocks.first(), blocks.last()) else {
            return Vec::new();
        };
        let local_start = |x: &Span| minute_of(x.start.with_timezone(&self.zone).time());
        match t {
            TimeRef::First(m) => {
                let end = (first.start + TimeDelta::minutes(i64::from(m))).min(first.end);
                vec![Span::new(first.start, end)]
            }
            TimeRef::Last(m) => {
                let start = (last.end - TimeDelta::minutes(i64::from(m))).max(last.start);
                vec![Span::new(start, last.end)]
            }
            TimeRef::FirstHalf => vec![Span::new(first.start, first.start + first.duration() / 2)],
            TimeRef::SecondHalf => vec![Span::new(last.start + last.duration() / 2, last.end)],
            TimeRef::At(m) => match local_instant(self.zone, date, m) {
                Some(at) => shifts.iter().filter(|x| x.spans(at)).copied().collect(),
                None => Vec::new(),
            },
            TimeRef::Part(part) => shifts
                .iter()
                .filter(|x| {
                    let s = local_start(x);
                    match part {
                        DayPart::Morning => s < 12 * 60,
                        DayPart::Afternoon => (12 * 60..17 * 60).contains(&s),
                        DayPart::Evening => s >= 17 * 60,
                    }
                })
                .copied()
                .collect(),
            TimeRef::Span(..) | TimeRef::From(_) | TimeRef::Until(_) => Vec::new(),
        }
    }
}

/// Back-to-back shifts joined, so "the first hour" of two shifts in a row
/// is the first hour of the whole stretch.
fn blocks(shifts: &[Span]) -> Vec<Span> {
    let mut sorted = shifts.to_vec();
    sorted.sort();
    let mut out: Vec<Span> = Vec::new();
    for s in sorted {
        match out.last_mut() {
            Some(b) if s.start <= b.end => b.end = b.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}
