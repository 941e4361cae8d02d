//! Typed reading and writing of DATE, DATE-TIME and DURATION values.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use super::Property;
use crate::model::Instant;

/// A DATE or DATE-TIME value as written: which zone it is in is part of
/// the value, resolved later against the calendar's zones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moment {
    Date(NaiveDate),
    /// No zone: read in the configured zone.
    Floating(NaiveDateTime),
    /// Ends in `Z`.
    Utc(NaiveDateTime),
    /// Carries `TZID=`.
    Zoned(NaiveDateTime, String),
}

impl Moment {
    /// The wall-clock time as written (midnight for a date).
    pub fn local(&self) -> NaiveDateTime {
        match self {
            Moment::Date(d) => d.and_time(NaiveTime::MIN),
            Moment::Floating(t) | Moment::Utc(t) | Moment::Zoned(t, _) => *t,
        }
    }

    pub fn is_date(&self) -> bool {
        matches!(self, Moment::Date(_))
    }

    pub fn tzid(&self) -> Option<&str> {
        match self {
            Moment::Zoned(_, z) => Some(z),
            _ => None,
        }
    }
}

/// Reads `YYYYMMDD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y = s[0..4].parse().ok()?;
    let m = s[4..6].parse().ok()?;
    let d = s[6..8].parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Reads `YYYYMMDDTHHMMSS` with an optional `Z`; returns the time and
/// whether it was UTC. A leap second reads as :59.
pub fn parse_date_time(s: &str) -> Option<(NaiveDateTime, bool)> {
    let s = s.trim();
    let (body, utc) = match s.strip_suffix(['Z', 'z']) {
        Some(b) => (b, true),
        None => (s, false),
    };
    let (d, t) = body.split_once(['T', 't'])?;
    let date = parse_date(d)?;
    if t.len() < 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h = t.get(0..2)?.parse().ok()?;
    let m = t.get(2..4)?.parse().ok()?;
    let sec: u32 = match t.len() {
        4 => 0,
        6 => t[4..6].parse().ok()?,
        _ => return None,
    };
    let time = NaiveTime::from_hms_opt(h, m, sec.min(59))?;
    Some((date.and_time(time), utc))
}

/// Reads one value of a date-valued property, honouring `VALUE=DATE` and
/// `TZID=` (a `Z` wins over a TZID, as readers do).
pub fn parse_moment_value(value: &str, tzid: Option<&str>, date_hint: bool) -> Option<Moment> {
    let value = value.trim();
    if date_hint || !value.contains(['T', 't']) {
        if let Some(d) = parse_date(value) {
            return Some(Moment::Date(d));
        }
        if date_hint {
            // Some writers say VALUE=DATE and write a date-time anyway.
            return parse_date_time(value).map(|(t, _)| Moment::Date(t.date()));
        }
        return None;
    }
    let (t, utc) = parse_date_time(value)?;
    Some(if utc {
        Moment::Utc(t)
    } else {
        match tzid.map(str::trim).filter(|z| !z.is_empty()) {
            Some(z) => Moment::Zoned(t, z.to_string()),
            None => Moment::Floating(t),
        }
    })
}

fn is_date_valued(p: &Property) -> bool {
    p.param("VALUE")
        .map(|v| v.eq_ignore_ascii_case("DATE"))
        .unwrap_or(false)
}

/// The value of DTSTART, DTEND, RECURRENCE-ID and the like.
pub fn parse_moment(p: &Property) -> Option<Moment> {
    parse_moment_value(&p.value, p.param("TZID"), is_date_valued(p))
}

/// Every value of a list-valued property (EXDATE, RDATE). PERIOD values
/// (`start/end` or `start/duration`) give their start and their end.
pub fn parse_moment_list(p: &Property) -> Vec<(Moment, Option<PeriodEnd>)> {
    let date = is_date_valued(p);
    let tzid = p.param("TZID");
    let mut out = Vec::new();
    for part in p.value.split(',') {
        let (start, end) = match part.split_once('/') {
            Some((s, e)) => (s, Some(e)),
            None => (part, None),
        };
        let Some(m) = parse_moment_value(start, tzid, date) else {
            continue;
        };
        let end = end.and_then(|e| {
            if e.trim_start().starts_with(['P', '+', '-']) {
                parse_duration(e).map(PeriodEnd::Duration)
            } else {
                parse_moment_value(e, tzid, false).map(PeriodEnd::At)
            }
        });
        out.push((m, end));
    }
    out
}

/// How an RDATE period ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodEnd {
    At(Moment),
    Duration(Duration),
}

/// An iCalendar DURATION: days and weeks are nominal (wall-clock days),
/// hours, minutes and seconds exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Duration {
    pub days: i64,
    pub seconds: i64,
}

impl Duration {
    pub fn nominal(&self) -> TimeDelta {
        TimeDelta::try_days(self.days).unwrap_or(TimeDelta::zero())
    }
    pub fn exact(&self) -> TimeDelta {
        TimeDelta::try_seconds(self.seconds).unwrap_or(TimeDelta::zero())
    }
}

/// Reads `[+-]P[nW][nD][T[nH][nM][nS]]`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (neg, rest) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let rest = rest.strip_prefix(['P', 'p'])?;
    let mut days: i64 = 0;
    let mut seconds: i64 = 0;
    let mut num: Option<i64> = None;
    let mut in_time = false;
    let mut any = false;
    for c in rest.chars() {
        match c.to_ascii_uppercase() {
            d @ '0'..='9' => {
                let v = num
                    .unwrap_or(0)
                    .checked_mul(10)?
                    .checked_add(d as i64 - '0' as i64)?;
                if v > 1_000_000_000 {
                    return None;
                }
                num = Some(v);
            }
            'T' => in_time = true,
            unit => {
                let n = num.take()?;
                any = true;
                match (unit, in_time) {
                    ('W', false) => days += n * 7,
                    ('D', false) => days += n,
                    ('H', true) => seconds += n * 3600,
                    ('M', true) => seconds += n * 60,
                    ('S', true) => seconds += n,
                    _ => return None,
                }
            }
        }
    }
    if num.is_some() || !any {
        return None;
    }
    // Nothing in a shift calendar lasts a century; longer is damage, and
    // would overflow date arithmetic.
    const CENTURY_DAYS: i64 = 36_600;
    if days > CENTURY_DAYS || seconds > CENTURY_DAYS * 86_400 {
        return None;
    }
    Some(if neg {
        Duration {
            days: -days,
            seconds: -seconds,
        }
    } else {
        Duration { days, seconds }
    })
}

pub fn format_date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

pub fn format_local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

pub fn format_utc(t: Instant) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_date_times_in_every_form() {
        let p =
            super::super::parse_line(1, "DTSTART;TZID=America/New_York:20260907T100000").unwrap();
        assert_eq!(
            parse_moment(&p),
            Some(Moment::Zoned(
                NaiveDate::from_ymd_opt(2026, 9, 7)
                    .unwrap()
                    .and_hms_opt(10, 0, 0)
                    .unwrap(),
                "America/New_York".into()
            ))
        );
        assert!(matches!(
            parse_moment_value("20260907T140000Z", None, false),
            Some(Moment::Utc(_))
        ));
        assert!(matches!(
            parse_moment_value("20260907", None, false),
            Some(Moment::Date(_))
        ));
        assert!(matches!(
            parse_moment_value("20260907T1400", None, false),
            Some(Moment::Floating(_))
        ));
        assert_eq!(parse_moment_value("2026-09-07", None, false), None);
        assert_eq!(parse_moment_value("20261307T100000", None, false), None);
    }

    #[test]
    fn reads_durations() {
        assert_eq!(
            parse_duration("PT1H30M"),
            Some(Duration {
                days: 0,
                seconds: 5400
            })
        );
        assert_eq!(
            parse_duration("P1W"),
            Some(Duration {
                days: 7,
                seconds: 0
            })
        );
        assert_eq!(
            parse_duration("-P1DT2S"),
            Some(Duration {
                days: -1,
                seconds: -2
            })
        );
        assert_eq!(parse_duration("P"), None);
        assert_eq!(parse_duration("PT5"), None);
        assert_eq!(parse_duration("P99999999999999999999D"), None);
        assert_eq!(parse_duration("P999999999W"), None);
    }
}
