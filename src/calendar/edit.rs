//! Calendar edits as pure functions of a parsed calendar. OWNER: ical helper.
//!
//! Each function is idempotent: applying it again to its own result changes
//! nothing and returns `false`.
//!
//! So that an edit can be undone exactly, what it does is marked in the
//! calendar with extension properties that other readers ignore: an EXDATE
//! it adds carries `X-SHIFTCOVER-EDIT=<uid>`, a component it creates carries
//! `X-SHIFTCOVER-EDIT:<uid>`, and a component it changes keeps the lines it
//! replaced as `X-SHIFTCOVER-PRIOR;X-SHIFTCOVER-EDIT=<uid>:<line>`.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Weekday};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

use super::CoverEdit;
use crate::config::Roster;
use crate::ical::value::{Moment, format_date, format_local, format_utc, parse_moment};
use crate::ical::zone::Zone;
use crate::ical::{Component, Prepared, Property, escape_text};
use crate::model::{Instant, Span};
use crate::schedule::is_owners_shift;

const MARK: &str = "X-SHIFTCOVER-EDIT";
const PRIOR: &str = "X-SHIFTCOVER-PRIOR";
const PRODID: &str = "-//shiftcover//shiftcover//EN";

/// Properties a changed component may lose or get, kept as they were.
const TIMING: [&str; 4] = ["DTSTART", "DTEND", "DURATION", "STATUS"];

/// Properties a copy of a series must not keep (it is one occurrence).
const SERIES_ONLY: [&str; 5] = ["RRULE", "RDATE", "EXDATE", "EXRULE", "RECURRENCE-ID"];

fn created_by(c: &Component, uid: &str) -> bool {
    c.properties_named(MARK).any(|p| p.value.trim() == uid)
}

/// SEQUENCE up by one, DTSTAMP and LAST-MODIFIED set to `now`.
fn touch(c: &mut Component, now: Instant) {
    let seq = c
        .value("SEQUENCE")
        .and_then(|s| s.trim().parse::<u32>().ok())
        .unwrap_or(0);
    c.set(Property::new("SEQUENCE", (seq + 1).to_string()));
    c.set(Property::new("DTSTAMP", format_utc(now)));
    c.set(Property::new("LAST-MODIFIED", format_utc(now)));
}

/// A date-time property written the way `like` (a DTSTART) is written:
/// same TZID, UTC or floating; a DATE becomes a zoned time, since a part
/// of a day cannot be a DATE.
fn written_like(
    name: &str,
    like: Option<&Property>,
    at: Instant,
    zone: Tz,
    prepared: &Prepared,
) -> Property {
    match like.and_then(parse_moment) {
        Some(Moment::Utc(_)) => Property::new(name, format_utc(at)),
        Some(Moment::Floating(_)) => {
            Property::new(name, format_local(Zone::Iana(zone).to_local(at)))
        }
        Some(Moment::Zoned(_, tzid)) => {
            let z = prepared.zones().get(&tzid);
            Property::new(name, format_local(z.to_local(at))).with_param("TZID", tzid)
        }
        Some(Moment::Date(_)) | None => zoned(name, at, zone),
    }
}

/// A RECURRENCE-ID or EXDATE value with the same type and TZID as DTSTART.
fn recurrence_value(
    name: &str,
    dtstart: Option<&Property>,
    at: Instant,
    prepared: &Prepared,
) -> Property {
    match dtstart.and_then(parse_moment) {
        Some(Moment::Date(_)) => {
            let local = prepared.zones().default_zone().to_local(at);
            Property::new(name, format_date(local.date())).with_param("VALUE", "DATE")
        }
        Some(Moment::Utc(_)) => Property::new(name, format_utc(at)),
        Some(Moment::Zoned(_, tzid)) => {
            let z = prepared.zones().get(&tzid);
            Property::new(name, format_local(z.to_local(at))).with_param("TZID", tzid)
        }
        Some(Moment::Floating(_)) | None => Property::new(
            name,
            format_local(prepared.zones().default_zone().to_local(at)),
        ),
    }
}

/// `NAME;TZID=<zone>:<local time>`, or UTC with `Z`.
fn zoned(name: &str, at: Instant, zone: Tz) -> Property {
    if zone == Tz::UTC {
        return Property::new(name, format_utc(at));
    }
    Property::new(name, format_local(at.with_timezone(&zone).naive_local()))
        .with_param("TZID", zone.name())
}

/// A copy of a series' component that stands for one occurrence.
fn single_copy(c: &Component) -> Component {
    let mut copy = c.clone();
    copy.properties
        .retain(|p| !SERIES_ONLY.contains(&p.name.as_str()) && p.name != MARK && p.name != PRIOR);
    copy
}

/// Sets DTSTART/DTEND of `c` to `span`, in the style of its DTSTART.
fn set_times(c: &mut Component, span: Span, zone: Tz, prepared: &Prepared) {
    let like = c.property("DTSTART").cloned();
    c.set(written_like(
        "DTSTART",
        like.as_ref(),
        span.start,
        zone,
        prepared,
    ));
    c.remove("DURATION");
    c.set(written_like(
        "DTEND",
        like.as_ref(),
        span.end,
        zone,
        prepared,
    ));
}

/// Keeps the timing lines of `c` as they were, once per edit.
fn remember(c: &mut Component, uid: &str) {
    if c.properties_named(PRIOR)
        .any(|p| p.param(MARK) == Some(uid))
    {
        return;
    }
    let mut kept = Vec::new();
    for name in TIMING {
        match c.property(name) {
            Some(p) => {
                let mut one = Component::new("X");
                one.properties.push(p.clone());
                let line = one.to_ics();
                // The line between BEGIN:X and END:X, unfolded.
                let body = line
                    .replace("\r\n ", "")
                    .lines()
                    .nth(1)
                    .unwrap_or_default()
                    .to_string();
                kept.push(Property::new(PRIOR, body).with_param(MARK, uid));
            }
            None => kept.push(Property::new(PRIOR, name).with_param(MARK, uid)),
        }
    }
    c.properties.extend(kept);
}

/// The parts of `occurrence` outside `covered`: before it and after it.
fn remaining(occurrence: Span, covered: Span) -> (Option<Span>, Option<Span>) {
    let before = (occurrence.start < covered.start)
        .then(|| Span::new(occurrence.start, covered.start.min(occurrence.end)));
    let after = (covered.end < occurrence.end)
        .then(|| Span::new(covered.end.max(occurrence.start), occurrence.end));
    (before, after)
}

/// Releases the owner's occurrence(s) that `edit.span` covers from their
/// recurring series in `cal` (the whole file for ICS, one object for CalDAV):
/// an EXDATE on the master with the same value type and TZID as its DTSTART
/// (or STATUS:CANCELLED on an existing override), SEQUENCE bumped. When the
/// span covers only part of an occurrence, the owner keeps the rest (an
/// override with the remaining time). Other occurrences are untouched.
/// An owner no longer on the roster is found by the event that names
/// nobody on it and carries their address or the name the calendar gave
/// them (`edit.owner_name`). Returns whether anything changed.
pub fn release_occurrence(
    cal: &mut Component,
    edit: &CoverEdit,
    roster: &Roster,
    zone: Tz,
    now: Instant,
) -> bool {
    if edit.span.start >= edit.span.end {
        return false;
    }
    let prepared = Prepared::new(cal, zone);
    let owned: Vec<bool> = cal
        .components
        .iter()
        .map(|c| {
            c.name == "VEVENT"
                && c.uid() != edit.uid
                && !created_by(c, &edit.uid)
                && is_owners_shift(c, roster, &edit.owner_email, &edit.owner_name)
        })
        .collect();
    let found: Vec<_> = prepared
        .expand_where(edit.span, |i| owned.get(i).copied().unwrap_or(false))
        .into_iter()
        .filter(|x| !x.cancelled && x.span.overlaps(&edit.span))
        .collect();
    if found.is_empty() {
        return false;
    }
    let mut added: Vec<Component> = Vec::new();
    for (n, occ) in found.iter().enumerate() {
        let Some(comp) = cal.components.get_mut(occ.component_index) else {
            continue;
        };
        let (before, after) = remaining(occ.span, edit.span);
        let from_series = occ.recurrence_id.is_some() && comp.property("RECURRENCE-ID").is_none();
        let tail = |source: &Component| {
            after.map(|rest| {
                let mut t = single_copy(source);
                t.set(Property::new("UID", format!("rest-{n}-{}", edit.uid)));
                t.set(Property::new("SEQUENCE", "0"));
                t.set(Property::new("DTSTAMP", format_utc(now)));
                set_times(&mut t, rest, zone, &prepared);
                t.properties.push(Property::new(MARK, edit.uid.clone()));
                t
            })
        };
        if from_series {
            let rid = occ.recurrence_id.unwrap_or(occ.span.start);
            let dtstart = comp.property("DTSTART").cloned();
            match before.or(after) {
                None => {
                    let exdate = recurrence_value("EXDATE", dtstart.as_ref(), rid, &prepared)
                        .with_param(MARK, edit.uid.clone());
                    comp.properties.push(exdate);
                    touch(comp, now);
                }
                Some(first) => {
                    // The owner keeps the rest as an override of that occurrence.
                    let mut o = single_copy(comp);
                    o.set(recurrence_value(
                        "RECURRENCE-ID",
                        dtstart.as_ref(),
                        rid,
                        &prepared,
                    ));
                    set_times(&mut o, first, zone, &prepared);
                    touch(&mut o, now);
                    o.properties.push(Property::new(MARK, edit.uid.clone()));
                    added.push(o);
                    if before.is_some() {
                        added.extend(tail(comp));
                    }
                }
            }
        } else {
            remember(comp, &edit.uid);
            match before.or(after) {
                None => comp.set(Property::new("STATUS", "CANCELLED")),
                Some(first) => {
                    set_times(comp, first, zone, &prepared);
                    if before.is_some() {
                        added.extend(tail(comp));
                    }
                }
            }
            touch(comp, now);
        }
    }
    cal.components.extend(added);
    true
}

/// Undoes [`release_occurrence`]. Returns whether anything changed.
pub fn restore_occurrence(
    cal: &mut Component,
    edit: &CoverEdit,
    _roster: &Roster,
    _zone: Tz,
    now: Instant,
) -> bool {
    let uid = edit.uid.as_str();
    let before = cal.components.len();
    cal.components.retain(|c| !created_by(c, uid));
    let mut changed = cal.components.len() != before;
    for c in cal.components.iter_mut() {
        let mut touched = false;
        let n = c.properties.len();
        c.properties
            .retain(|p| !(p.name == "EXDATE" && p.param(MARK) == Some(uid)));
        touched |= c.properties.len() != n;
        let prior: Vec<String> = c
            .properties_named(PRIOR)
            .filter(|p| p.param(MARK) == Some(uid))
            .map(|p| p.value.clone())
            .collect();
        if !prior.is_empty() {
            for line in &prior {
                let text = format!("BEGIN:X\r\n{line}\r\nEND:X\r\n");
                match crate::ical::parse(&text)
                    .ok()
                    .and_then(|x| x.properties.into_iter().next())
                {
                    Some(p) => c.set(p),
                    None => {
                        c.remove(line.trim());
                    }
                }
            }
            c.properties
                .retain(|p| !(p.name == PRIOR && p.param(MARK) == Some(uid)));
            touched = true;
        }
        if touched {
            touch(c, now);
            changed = true;
        }
    }
    changed
}

fn cal_address(email: &str) -> String {
    format!("mailto:{}", email.trim())
}

/// A CN parameter value: quotes cannot be written inside one.
fn cn(name: &str) -> String {
    name.replace('"', "'")
}

/// The cover VEVENT (UID `edit.uid`, SUMMARY `edit.label`, DTSTART/DTEND in
/// the zone with TZID, ORGANIZER, ATTENDEE with SCHEDULE-AGENT=CLIENT).
pub fn cover_event(edit: &CoverEdit, zone: Tz, now: Instant, sequence: u32) -> Component {
    let mut ev = Component::new("VEVENT");
    let p = &mut ev.properties;
    p.push(Property::new("UID", edit.uid.clone()));
    p.push(Property::new("DTSTAMP", format_utc(now)));
    p.push(Property::new("CREATED", format_utc(now)));
    p.push(Property::new("LAST-MODIFIED", format_utc(now)));
    p.push(Property::new("SEQUENCE", sequence.to_string()));
    p.push(zoned("DTSTART", edit.span.start, zone));
    p.push(zoned("DTEND", edit.span.end, zone));
    p.push(Property::new("SUMMARY", escape_text(&edit.label)));
    p.push(
        Property::new("ORGANIZER", cal_address(&edit.organizer_email))
            .with_param("CN", cn(&edit.organizer_name)),
    );
    p.push(
        Property::new("ATTENDEE", cal_address(&edit.coverer_email))
            .with_param("CN", cn(&edit.coverer_name))
            .with_param("ROLE", "REQ-PARTICIPANT")
            .with_param("PARTSTAT", "ACCEPTED")
            .with_param("SCHEDULE-AGENT", "CLIENT"),
    );
    p.push(Property::new("STATUS", "CONFIRMED"));
    p.push(Property::new("TRANSP", "OPAQUE"));
    ev
}

/// Adds the cover event unless an event with its UID is already there (and
/// the VTIMEZONE if missing). Returns whether anything changed.
pub fn add_cover_event(cal: &mut Component, edit: &CoverEdit, zone: Tz, now: Instant) -> bool {
    if cal
        .components
        .iter()
        .any(|c| c.name == "VEVENT" && c.uid() == edit.uid)
    {
        return false;
    }
    if zone != Tz::UTC
        && !cal
            .children("VTIMEZONE")
            .any(|v| v.value("TZID").map(str::trim) == Some(zone.name()))
    {
        let year = edit.span.start.with_timezone(&zone).year();
        let at = cal
            .components
            .iter()
            .position(|c| c.name != "VTIMEZONE")
            .unwrap_or(cal.components.len());
        cal.components.insert(at, vtimezone(zone, year));
    }
    cal.components
        .push(cover_event(edit, zone, now, edit.sequence));
    true
}

/// Removes the cover event with UID `edit.uid`. Returns whether anything changed.
pub fn remove_cover_event(cal: &mut Component, edit: &CoverEdit) -> bool {
    let before = cal.components.len();
    cal.components
        .retain(|c| !(c.name == "VEVENT" && c.uid() == edit.uid));
    cal.components.len() != before
}

fn offset_at(zone: Tz, t: NaiveDateTime) -> i32 {
    zone.offset_from_utc_datetime(&t).fix().local_minus_utc()
}

fn format_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.abs();
    if a % 60 != 0 {
        format!("{sign}{:02}{:02}{:02}", a / 3600, (a / 60) % 60, a % 60)
    } else {
        format!("{sign}{:02}{:02}", a / 3600, (a / 60) % 60)
    }
}

fn weekday_code(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// How many years after the event's own a written VTIMEZONE describes
/// exactly (the year before is described too): a calendar file keeps the
/// first VTIMEZONE it was given for the cover events of later terms.
pub const VTIMEZONE_YEARS_AHEAD: i32 = 10;

/// One change of offset, as a VTIMEZONE observance describes it: its onset
/// in the wall-clock time before the change.
#[derive(Debug, Clone, Copy)]
struct Transition {
    onset: NaiveDateTime,
    from: i32,
    to: i32,
}

/// Every change of offset from the start of `first` to the end of `last`:
/// found day by day, then to the second.
fn transitions(zone: Tz, first: i32, last: i32) -> (i32, Vec<Transition>) {
    let start = NaiveDate::from_ymd_opt(first, 1, 1)
        .unwrap_or(NaiveDate::MIN)
        .and_time(NaiveTime::MIN);
    let end = NaiveDate::from_ymd_opt(last + 1, 1, 1)
        .unwrap_or(NaiveDate::MAX)
        .and_time(NaiveTime::MIN);
    let initial = offset_at(zone, start);
    let mut out = Vec::new();
    let mut prev = initial;
    let mut t = start;
    while t < end {
        let next = t + TimeDelta::days(1);
        let o = offset_at(zone, next);
        if o != prev {
            let (mut lo, mut hi) = (t, next);
            while hi - lo > TimeDelta::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(zone, mid) == prev {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            out.push(Transition {
                onset: hi + TimeDelta::seconds(prev as i64),
                from: prev,
                to: o,
            });
            prev = o;
        }
        t = next;
    }
    (initial, out)
}

/// A yearly rule that gives exactly these onset dates (one a year, in
/// consecutive years, all in one month on one weekday), if one does: the
/// nth or last weekday of the month, or the weekday within a run of seven
/// month days (Israel's "Friday before the last Sunday" is
/// `BYDAY=FR;BYMONTHDAY=23,...,29`).
fn yearly_rule(dates: &[NaiveDate]) -> Option<String> {
    let first = dates.first()?;
    let (month, weekday) = (first.month(), first.weekday());
    let consecutive = dates.windows(2).all(|w| w[1].year() == w[0].year() + 1);
    if !consecutive
        || dates
            .iter()
            .any(|d| d.month() != month || d.weekday() != weekday)
    {
        return None;
    }
    let wd = weekday_code(weekday);
    let ordinal = |d: &NaiveDate| ((d.day() - 1) / 7 + 1) as i32;
    let is_last = |d: &NaiveDate| d.day() + 7 > crate::ical::recur::month_len(d.year(), d.month());
    if dates.iter().all(|d| ordinal(d) == ordinal(first)) && ordinal(first) < 5 {
        return Some(format!(
            "FREQ=YEARLY;BYMONTH={month};BYDAY={}{wd}",
            ordinal(first)
        ));
    }
    if dates.iter().all(is_last) {
        return Some(format!("FREQ=YEARLY;BYMONTH={month};BYDAY=-1{wd}"));
    }
    let lo = dates.iter().map(|d| d.day()).min()?;
    let hi = dates.iter().map(|d| d.day()).max()?;
    // Seven consecutive days hold each weekday once, so the weekday within
    // a run that holds every date picks exactly those dates.
    if hi - lo > 6 {
        return None;
    }
    let run_start = hi.saturating_sub(6).max(1);
    let days: Vec<String> = (run_start..run_start + 7).map(|d| d.to_string()).collect();
    Some(format!(
        "FREQ=YEARLY;BYMONTH={month};BYDAY={wd};BYMONTHDAY={}",
        days.join(",")
    ))
}

/// The first onset in 1970 of a yearly observance rule at a time of day.
fn first_onset_in_1970(rule: &str, time: NaiveTime) -> Option<NaiveDateTime> {
    let rule = crate::ical::recur::Rule::parse(rule).ok()?;
    let eve = NaiveDate::from_ymd_opt(1969, 12, 31)?.and_time(time);
    let year_start = NaiveDate::from_ymd_opt(1970, 1, 1)?.and_time(NaiveTime::MIN);
    let year_end = NaiveDate::from_ymd_opt(1971, 1, 1)?.and_time(NaiveTime::MIN);
    rule.starts(eve, None, year_start, year_end)
        .first()
        .copied()
}

/// A VTIMEZONE for an IANA zone that agrees with the tz database from the
/// start of `year - 1` to the end of `year + VTIMEZONE_YEARS_AHEAD`: each
/// kind of change (the same offsets, abbreviation and month) is one
/// observance, with a yearly RRULE when one rule gives exactly its dates in
/// those years, else its dates listed in RDATE. One STANDARD when the zone
/// keeps one offset all that time.
pub fn vtimezone(zone: Tz, year: i32) -> Component {
    let mut vtz = Component::new("VTIMEZONE");
    vtz.properties.push(Property::new("TZID", zone.name()));
    let (first_year, last_year) = (year - 1, year + VTIMEZONE_YEARS_AHEAD);
    let (initial, changes) = transitions(zone, first_year, last_year);
    let name_at = |local: NaiveDateTime, offset: i32| {
        let utc = local - TimeDelta::seconds(offset as i64);
        let off = zone.offset_from_utc_datetime(&utc);
        (
            off.abbreviation().map(str::to_string),
            off.dst_offset() != TimeDelta::zero(),
        )
    };
    if changes.is_empty() {
        let start = NaiveDate::from_ymd_opt(first_year, 1, 1)
            .unwrap_or(NaiveDate::MIN)
            .and_time(NaiveTime::MIN);
        let (abbr, _) = name_at(start, initial);
        let mut std = Component::new("STANDARD");
        std.properties
            .push(Property::new("DTSTART", "19700101T000000"));
        std.properties
            .push(Property::new("TZOFFSETFROM", format_offset(initial)));
        std.properties
            .push(Property::new("TZOFFSETTO", format_offset(initial)));
        if let Some(a) = abbr {
            std.properties.push(Property::new("TZNAME", a));
        }
        vtz.components.push(std);
        return vtz;
    }
    // Group the changes by kind, keeping the order of each kind's first.
    type Kind = (i32, i32, Option<String>, bool, u32, NaiveTime);
    let mut kinds: Vec<(Kind, Vec<NaiveDateTime>)> = Vec::new();
    for c in &changes {
        let after = c.onset - TimeDelta::seconds(c.from as i64) + TimeDelta::seconds(c.to as i64);
        let (abbr, dst) = name_at(after, c.to);
        let kind = (c.from, c.to, abbr, dst, c.onset.month(), c.onset.time());
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, onsets)) => onsets.push(c.onset),
            None => kinds.push((kind, vec![c.onset])),
        }
    }
    let rule_of = |onsets: &[NaiveDateTime]| {
        let dates: Vec<NaiveDate> = onsets.iter().map(|o| o.date()).collect();
        yearly_rule(&dates).filter(|_| onsets.len() > 1)
    };
    // When every observance is a rule in force from the start of the range,
    // the rules are dated back to 1970, as calendar clients write theirs:
    // older events in the same file (a series that began years ago) then
    // read as they did before, and the range itself stays exact. Otherwise
    // an older time would meet a mix of rules and listed dates that never
    // held together, so nothing is dated back.
    let back_to_1970 = kinds
        .iter()
        .all(|(_, onsets)| onsets[0].year() == first_year && rule_of(onsets).is_some());
    for ((from, to, abbr, dst, _, _), onsets) in kinds {
        let mut obs = Component::new(if dst { "DAYLIGHT" } else { "STANDARD" });
        let rule = rule_of(&onsets);
        let since_1970 = rule
            .as_ref()
            .filter(|_| back_to_1970)
            .and_then(|r| first_onset_in_1970(r, onsets[0].time()));
        obs.properties.push(Property::new(
            "DTSTART",
            format_local(since_1970.unwrap_or(onsets[0])),
        ));
        let last_of_range = onsets.last().is_some_and(|o| o.year() == last_year);
        match rule {
            // A rule still in force at the end of the range goes on (the
            // best guess past it); one that stopped ends at its last onset.
            Some(rule) if last_of_range => obs.properties.push(Property::new("RRULE", rule)),
            Some(rule) => {
                let last = onsets[onsets.len() - 1] - TimeDelta::seconds(from as i64);
                obs.properties.push(Property::new(
                    "RRULE",
                    format!("{rule};UNTIL={}", last.format("%Y%m%dT%H%M%SZ")),
                ))
            }
            None => {
                for onset in &onsets[1..] {
                    obs.properties
                        .push(Property::new("RDATE", format_local(*onset)));
                }
            }
        }
        obs.properties
            .push(Property::new("TZOFFSETFROM", format_offset(from)));
        obs.properties
            .push(Property::new("TZOFFSETTO", format_offset(to)));
        if let Some(a) = abbr {
            obs.properties.push(Property::new("TZNAME", a));
        }
        vtz.components.push(obs);
    }
    vtz
}

/// iMIP method of an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
}

/// The text/calendar body of an invitation (RFC 6047): METHOD, VTIMEZONE,
/// the cover VEVENT with ORGANIZER and ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE
/// (CANCEL: STATUS:CANCELLED and the ATTENDEE without either), stable UID,
/// SEQUENCE, DTSTAMP.
pub fn invitation(
    edit: &CoverEdit,
    method: Method,
    sequence: u32,
    zone: Tz,
    now: Instant,
) -> String {
    let mut cal = Component::new("VCALENDAR");
    cal.properties.push(Property::new("PRODID", PRODID));
    cal.properties.push(Property::new("VERSION", "2.0"));
    cal.properties.push(Property::new("CALSCALE", "GREGORIAN"));
    cal.properties.push(Property::new(
        "METHOD",
        match method {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        },
    ));
    if zone != Tz::UTC {
        cal.components
            .push(vtimezone(zone, edit.span.start.with_timezone(&zone).year()));
    }
    let mut ev = Component::new("VEVENT");
    let p = &mut ev.properties;
    p.push(Property::new("UID", edit.uid.clone()));
    p.push(Property::new("SEQUENCE", sequence.to_string()));
    p.push(Property::new("DTSTAMP", format_utc(now)));
    p.push(zoned("DTSTART", edit.span.start, zone));
    p.push(zoned("DTEND", edit.span.end, zone));
    p.push(Property::new("SUMMARY", escape_text(&edit.label)));
    p.push(
        Property::new("ORGANIZER", cal_address(&edit.organizer_email))
            .with_param("CN", cn(&edit.organizer_name)),
    );
    let attendee = Property::new("ATTENDEE", cal_address(&edit.coverer_email))
        .with_param("CN", cn(&edit.coverer_name))
        .with_param("ROLE", "REQ-PARTICIPANT");
    // A REQUEST asks the coverer to answer; a CANCEL asks nothing (RFC 5546
    // 3.2.5), so it names the attendee without PARTSTAT or RSVP and no
    // client offers Accept/Decline buttons for an event that is gone.
    p.push(match method {
        Method::Request => attendee
            .with_param("PARTSTAT", "NEEDS-ACTION")
            .with_param("RSVP", "TRUE"),
        Method::Cancel => attendee,
    });
    p.push(Property::new(
        "STATUS",
        match method {
            Method::Request => "CONFIRMED",
            Method::Cancel => "CANCELLED",
        },
    ));
    p.push(Property::new("TRANSP", "OPAQUE"));
    cal.components.push(ev);
    cal.to_ics()
}
