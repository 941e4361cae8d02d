//! Time zones named by TZID: an IANA name (chrono-tz), a Windows name as
//! Outlook writes them, or the rules of the file's own VTIMEZONE.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDateTime, Offset, TimeDelta, TimeZone};
use chrono_tz::Tz;

use super::Component;
use super::recur::Rule;
use super::value::{parse_date_time, parse_moment_list};
use crate::model::Instant;

/// A zone an event's times are written in.
#[derive(Debug, Clone)]
pub enum Zone {
    Iana(Tz),
    /// Built from a VTIMEZONE the file defines.
    Custom(Arc<CustomZone>),
}

/// Offsets from a VTIMEZONE: transitions (UTC seconds, offset after) in
/// order, and the offset before the first.
#[derive(Debug, Clone)]
pub struct CustomZone {
    transitions: Vec<(i64, i32)>,
    initial: i32,
}

impl Zone {
    /// Seconds east of UTC at a UTC wall time.
    fn offset_at(&self, utc: NaiveDateTime) -> i32 {
        match self {
            Zone::Iana(tz) => tz.offset_from_utc_datetime(&utc).fix().local_minus_utc(),
            Zone::Custom(c) => {
                let t = utc.and_utc().timestamp();
                let i = c.transitions.partition_point(|(at, _)| *at <= t);
                if i == 0 {
                    c.initial
                } else {
                    c.transitions[i - 1].1
                }
            }
        }
    }

    /// The instant a wall-clock time names here. A time skipped by a DST
    /// change moves forward by the gap (02:30 becomes 03:30); a time that
    /// happens twice is the earlier one.
    pub fn to_instant(&self, local: NaiveDateTime) -> Instant {
        let day = TimeDelta::days(1);
        let mut offsets = vec![
            self.offset_at(local),
            self.offset_at(local.checked_sub_signed(day).unwrap_or(local)),
            self.offset_at(local.checked_add_signed(day).unwrap_or(local)),
        ];
        offsets.sort();
        offsets.dedup();
        let mut valid: Vec<NaiveDateTime> = offsets
            .iter()
            .filter_map(|o| {
                let utc = local.checked_sub_signed(TimeDelta::seconds(*o as i64))?;
                (self.offset_at(utc) == *o).then_some(utc)
            })
            .collect();
        valid.sort();
        if let Some(first) = valid.first() {
            return first.and_utc();
        }
        // In a gap: read the time with the offset from before the change.
        let before = self.offset_at(local.checked_sub_signed(day).unwrap_or(local));
        local
            .checked_sub_signed(TimeDelta::seconds(before as i64))
            .unwrap_or(local)
            .and_utc()
    }

    /// The wall-clock time of an instant here.
    pub fn to_local(&self, t: Instant) -> NaiveDateTime {
        let utc = t.naive_utc();
        utc.checked_add_signed(TimeDelta::seconds(self.offset_at(utc) as i64))
            .unwrap_or(utc)
    }
}

/// Windows zone names (as Outlook and Exchange write TZID) to IANA names;
/// the common ones only.
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Eastern Standard Time", "America/New_York"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("Canada Central Standard Time", "America/Regina"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Mexico Standard Time", "America/Mexico_City"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("Argentina Standard Time", "America/Buenos_Aires"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("UTC", "UTC"),
    ("Coordinated Universal Time", "UTC"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("India Standard Time", "Asia/Kolkata"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
];

/// An IANA zone for a TZID written as an IANA name (also with a prefix such
/// as `/mozilla.org/20050126_1/America/New_York`) or a Windows name.
pub fn known_zone(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim().trim_matches('"');
    if let Ok(tz) = tzid.parse::<Tz>() {
        return Some(tz);
    }
    // Try each tail after a '/', longest first.
    for (i, c) in tzid.char_indices() {
        if c == '/'
            && let Ok(tz) = tzid[i + 1..].parse::<Tz>()
        {
            return Some(tz);
        }
    }
    WINDOWS_ZONES
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(tzid))
        .and_then(|(_, iana)| iana.parse().ok())
}

fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => (1, s),
    };
    if !(rest.len() == 4 || rest.len() == 6) || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = rest[0..2].parse().ok()?;
    let m: i32 = rest[2..4].parse().ok()?;
    let sec: i32 = if rest.len() == 6 {
        rest[4..6].parse().ok()?
    } else {
        0
    };
    Some(sign * (h * 3600 + m * 60 + sec))
}

/// The last year a VTIMEZONE's rules are unrolled to.
const LAST_YEAR: &str = "2200-01-01 00:00";

impl CustomZone {
    /// Reads a VTIMEZONE's STANDARD and DAYLIGHT observances; None when it
    /// gives no usable offsets.
    pub fn from_vtimezone(vtz: &Component) -> Option<CustomZone> {
        let mut transitions: Vec<(i64, i32, i32)> = Vec::new();
        let end = NaiveDateTime::parse_from_str(LAST_YEAR, "%Y-%m-%d %H:%M").ok()?;
        let begin = NaiveDateTime::parse_from_str("1800-01-01 00:00", "%Y-%m-%d %H:%M").ok()?;
        for obs in &vtz.components {
            if obs.name != "STANDARD" && obs.name != "DAYLIGHT" {
                continue;
            }
            let (Some(from), Some(to)) = (
                obs.value("TZOFFSETFROM").and_then(parse_offset),
                obs.value("TZOFFSETTO").and_then(parse_offset),
            ) else {
                continue;
            };
            let Some((start, _)) = obs.value("DTSTART").and_then(parse_date_time) else {
                continue;
            };
            let mut onsets = vec![start];
            if let Some(rule) = obs.value("RRULE").and_then(|r| Rule::parse(r).ok()) {
                let until = rule.until.map(|u| match u {
                    super::recur::Until::Date(d) => d.and_hms_opt(23, 59, 59).unwrap_or(end),
                    super::recur::Until::Local(t) => t,
                    super::recur::Until::Utc(t) => t + TimeDelta::seconds(from as i64),
                });
                onsets = rule.starts(start, until, begin, end);
            }
            for p in obs.properties_named("RDATE") {
                onsets.extend(parse_moment_list(p).into_iter().map(|(m, _)| m.local()));
            }
            for local in onsets {
                let utc = local - TimeDelta::seconds(from as i64);
                transitions.push((utc.and_utc().timestamp(), from, to));
            }
        }
        if transitions.is_empty() {
            return None;
        }
        transitions.sort();
        let initial = transitions[0].1;
        Some(CustomZone {
            transitions: transitions.into_iter().map(|(t, _, to)| (t, to)).collect(),
            initial,
        })
    }
}

/// The zones a calendar's TZIDs name, resolved once.
#[derive(Debug, Clone)]
pub struct Zones {
    default: Tz,
    by_tzid: HashMap<String, Zone>,
}

impl Zones {
    /// Resolves every TZID the calendar's VTIMEZONEs define; other TZIDs
    /// are resolved by name as they are met.
    pub fn new(calendar: &Component, default: Tz) -> Zones {
        let mut by_tzid = HashMap::new();
        for vtz in calendar.children("VTIMEZONE") {
            let Some(tzid) = vtz.value("TZID").map(|s| s.trim().to_string()) else {
                continue;
            };
            let zone = match known_zone(&tzid) {
                Some(tz) => Zone::Iana(tz),
                None => match CustomZone::from_vtimezone(vtz) {
                    Some(c) => Zone::Custom(Arc::new(c)),
                    None => continue,
                },
            };
            by_tzid.insert(tzid, zone);
        }
        Zones { default, by_tzid }
    }

    pub fn default_zone(&self) -> Zone {
        Zone::Iana(self.default)
    }

    /// The zone a TZID names; the default zone when nothing knows it (so
    /// a stray TZID reads like a floating time rather than failing).
    pub fn get(&self, tzid: &str) -> Zone {
        if let Some(z) = self.by_tzid.get(tzid.trim()) {
            return z.clone();
        }
        match known_zone(tzid) {
            Some(tz) => Zone::Iana(tz),
            None => self.default_zone(),
        }
    }

    /// The zone of a date or date-time value.
    pub fn of(&self, m: &super::value::Moment) -> Zone {
        use super::value::Moment;
        match m {
            Moment::Utc(_) => Zone::Iana(Tz::UTC),
            Moment::Zoned(_, z) => self.get(z),
            Moment::Date(_) | Moment::Floating(_) => self.default_zone(),
        }
    }
}

/// A UTC instant, for tests.
#[cfg(test)]
fn utc(s: &str) -> Instant {
    chrono::Utc.from_utc_datetime(&NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    const NY_VTIMEZONE: &str = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Custom Eastern\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nDTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nDTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nEND:VCALENDAR\r\n";

    #[test]
    fn a_vtimezone_only_zone_agrees_with_the_iana_one() {
        let cal = super::super::parse(NY_VTIMEZONE).unwrap();
        let zones = Zones::new(&cal, Tz::UTC);
        let custom = zones.get("Custom Eastern");
        assert!(matches!(custom, Zone::Custom(_)));
        let iana = Zone::Iana(chrono_tz::America::New_York);
        for s in [
            "2026-11-01 01:30",
            "2026-11-02 10:00",
            "2027-03-14 02:30",
            "2027-03-14 03:00",
            "2027-03-15 10:00",
            "2027-07-01 12:00",
            "2027-01-15 12:00",
        ] {
            assert_eq!(
                custom.to_instant(local(s)),
                iana.to_instant(local(s)),
                "{s}"
            );
        }
    }

    #[test]
    fn skipped_times_move_forward_and_repeated_times_take_the_first() {
        let ny = Zone::Iana(chrono_tz::America::New_York);
        // 02:30 does not exist on 2027-03-14: read as 03:30 EDT.
        assert_eq!(
            ny.to_instant(local("2027-03-14 02:30")),
            utc("2027-03-14 07:30")
        );
        // 01:30 happens twice on 2026-11-01: the EDT one.
        assert_eq!(
            ny.to_instant(local("2026-11-01 01:30")),
            utc("2026-11-01 05:30")
        );
        assert_eq!(
            ny.to_local(utc("2026-11-01 06:30")),
            local("2026-11-01 01:30")
        );
    }

    #[test]
    fn windows_and_prefixed_names_are_known() {
        assert_eq!(
            known_zone("Eastern Standard Time"),
            Some(chrono_tz::America::New_York)
        );
        assert_eq!(
            known_zone("W. Europe Standard Time"),
            Some(chrono_tz::Europe::Berlin)
        );
        assert_eq!(
            known_zone("/mozilla.org/20050126_1/America/New_York"),
            Some(chrono_tz::America::New_York)
        );
        assert_eq!(known_zone("Nowhere Standard Time"), None);
    }
}
