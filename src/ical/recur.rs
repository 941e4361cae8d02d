//! RRULE expansion. OWNER: ical helper.
//!
//! Works on wall-clock times (what DTSTART says in its own zone), so a 10:00
//! shift stays 10:00 across DST changes; the caller turns each wall-clock
//! start into an instant with the event's zone.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};

/// How often a rule repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    Secondly,
    Minutely,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// Where a rule stops, as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    Date(NaiveDate),
    /// A wall-clock time in the event's zone.
    Local(NaiveDateTime),
    /// A UTC time (`Z`).
    Utc(NaiveDateTime),
}

/// A parsed RRULE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub freq: Freq,
    pub interval: u32,
    pub count: Option<u32>,
    pub until: Option<Until>,
    /// Weekdays, each with an optional ordinal (`2SU`, `-1FR`).
    pub by_day: Vec<(Option<i32>, Weekday)>,
    pub by_month_day: Vec<i32>,
    pub by_month: Vec<u32>,
    pub by_year_day: Vec<i32>,
    pub by_hour: Vec<u32>,
    pub by_minute: Vec<u32>,
    pub by_second: Vec<u32>,
    pub by_set_pos: Vec<i32>,
    pub wkst: Weekday,
}

/// The most periods (days, weeks, months, years) one expansion steps
/// through, so that a rule that never matches cannot hang the program.
pub const MAX_PERIODS: usize = 50_000;

/// The most occurrences one expansion returns.
pub const MAX_OCCURRENCES: usize = 20_000;

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

fn int_list(key: &str, v: &str, lo: i32, hi: i32, signed: bool) -> Result<Vec<i32>, String> {
    let mut out = Vec::new();
    for part in v.split(',') {
        let n: i32 = part
            .trim()
            .parse()
            .map_err(|_| format!("{key}={v} is not a list of numbers"))?;
        let ok = if signed {
            n != 0 && n.abs() >= lo && n.abs() <= hi
        } else {
            n >= lo && n <= hi
        };
        if !ok {
            return Err(format!("{key} value {n} is out of range"));
        }
        out.push(n);
    }
    Ok(out)
}

impl Rule {
    /// Parses an RRULE value (`FREQ=WEEKLY;BYDAY=MO;UNTIL=...`).
    pub fn parse(value: &str) -> Result<Rule, String> {
        let mut freq = None;
        let mut rule = Rule {
            freq: Freq::Daily,
            interval: 1,
            count: None,
            until: None,
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_month: Vec::new(),
            by_year_day: Vec::new(),
            by_hour: Vec::new(),
            by_minute: Vec::new(),
            by_second: Vec::new(),
            by_set_pos: Vec::new(),
            wkst: Weekday::Mon,
        };
        for part in value.trim().split(';').filter(|p| !p.trim().is_empty()) {
            let Some((k, v)) = part.split_once('=') else {
                return Err(format!("{part:?} is not KEY=VALUE"));
            };
            let k = k.trim().to_ascii_uppercase();
            let v = v.trim().to_ascii_uppercase();
            match k.as_str() {
                "FREQ" => {
                    freq = Some(match v.as_str() {
                        "SECONDLY" => Freq::Secondly,
                        "MINUTELY" => Freq::Minutely,
                        "HOURLY" => Freq::Hourly,
                        "DAILY" => Freq::Daily,
                        "WEEKLY" => Freq::Weekly,
                        "MONTHLY" => Freq::Monthly,
                        "YEARLY" => Freq::Yearly,
                        _ => return Err(format!("FREQ={v} is not a frequency")),
                    })
                }
                "INTERVAL" => {
                    rule.interval = v
                        .parse()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| format!("INTERVAL={v} is not a positive number"))?
                }
                "COUNT" => {
                    rule.count = Some(
                        v.parse()
                            .map_err(|_| format!("COUNT={v} is not a number"))?,
                    )
                }
                "UNTIL" => {
                    rule.until = Some(if let Some(d) = super::value::parse_date(&v) {
                        Until::Date(d)
                    } else {
                        match super::value::parse_date_time(&v) {
                            Some((t, true)) => Until::Utc(t),
                            Some((t, false)) => Until::Local(t),
                            None => return Err(format!("UNTIL={v} is not a date")),
                        }
                    })
                }
                "BYDAY" => {
                    for d in v.split(',') {
                        let d = d.trim();
                        if d.len() < 2 {
                            return Err(format!("BYDAY value {d:?} is not a weekday"));
                        }
                        let (num, day) = d.split_at(d.len() - 2);
                        let wd = weekday(day)
                            .ok_or_else(|| format!("BYDAY value {d:?} is not a weekday"))?;
                        let ord = if num.is_empty() {
                            None
                        } else {
                            let n: i32 = num
                                .trim_start_matches('+')
                                .parse()
                                .map_err(|_| format!("BYDAY value {d:?} has a bad ordinal"))?;
                            if n == 0 || n.abs() > 53 {
                                return Err(format!("BYDAY value {d:?} has a bad ordinal"));
                            }
                            Some(n)
                        };
                        rule.by_day.push((ord, wd));
                    }
                }
                "BYMONTHDAY" => rule.by_month_day = int_list(&k, &v, 1, 31, true)?,
                "BYMONTH" => {
                    rule.by_month = int_list(&k, &v, 1, 12, false)?
                        .into_iter()
                        .map(|n| n as u32)
                        .collect()
                }
                "BYYEARDAY" => rule.by_year_day = int_list(&k, &v, 1, 366, true)?,
                "BYHOUR" => {
                    rule.by_hour = int_list(&k, &v, 0, 23, false)?
                        .into_iter()
                        .map(|n| n as u32)
                        .collect()
                }
                "BYMINUTE" => {
                    rule.by_minute = int_list(&k, &v, 0, 59, false)?
                        .into_iter()
                        .map(|n| n as u32)
                        .collect()
                }
                "BYSECOND" => {
                    rule.by_second = int_list(&k, &v, 0, 60, false)?
                        .into_iter()
                        .map(|n| n.min(59) as u32)
                        .collect()
                }
                "BYSETPOS" => rule.by_set_pos = int_list(&k, &v, 1, 366, true)?,
                "WKST" => {
                    rule.wkst = weekday(&v).ok_or_else(|| format!("WKST={v} is not a weekday"))?
                }
                // BYWEEKNO and the RFC 7529 extensions (RSCALE, SKIP) change
                // which days a rule picks; expanding the rule without them
                // would give wrong shifts, so the rule is refused instead.
                "BYWEEKNO" => return Err("BYWEEKNO is not supported".to_string()),
                _ => return Err(format!("the rule part {k} is not supported")),
            }
        }
        rule.freq = freq.ok_or("RRULE has no FREQ")?;
        rule.check_combination()?;
        Ok(rule)
    }

    /// Refuses the combinations RFC 5545 (section 3.3.10 and its table of
    /// BYxxx parts by FREQ) forbids, which clients expand each their own way.
    fn check_combination(&self) -> Result<(), String> {
        let freq = match self.freq {
            Freq::Secondly => "SECONDLY",
            Freq::Minutely => "MINUTELY",
            Freq::Hourly => "HOURLY",
            Freq::Daily => "DAILY",
            Freq::Weekly => "WEEKLY",
            Freq::Monthly => "MONTHLY",
            Freq::Yearly => "YEARLY",
        };
        // A shift repeats by the day at the finest; an hourly or finer rule
        // is not a shift pattern, and no reference expansion could be
        // trusted to check one, so it is refused rather than guessed at.
        if matches!(self.freq, Freq::Hourly | Freq::Minutely | Freq::Secondly) {
            return Err(format!(
                "FREQ={freq} is not supported (shifts repeat daily at most)"
            ));
        }
        if self.count.is_some() && self.until.is_some() {
            return Err("COUNT and UNTIL must not both be given".to_string());
        }
        if self.freq == Freq::Weekly && !self.by_month_day.is_empty() {
            return Err("BYMONTHDAY must not be used with FREQ=WEEKLY".to_string());
        }
        if matches!(self.freq, Freq::Daily | Freq::Weekly | Freq::Monthly)
            && !self.by_year_day.is_empty()
        {
            return Err(format!("BYYEARDAY must not be used with FREQ={freq}"));
        }
        let ordinal = self.by_day.iter().find_map(|(n, _)| *n);
        if let Some(n) = ordinal {
            match self.freq {
                Freq::Monthly if n.abs() > 5 => {
                    return Err(format!(
                        "BYDAY ordinal {n} is out of range for FREQ=MONTHLY"
                    ));
                }
                Freq::Monthly | Freq::Yearly => {}
                _ => {
                    return Err(format!(
                        "BYDAY with an ordinal ({n}) must not be used with FREQ={freq}"
                    ));
                }
            }
        }
        let other_by_part = !(self.by_day.is_empty()
            && self.by_month_day.is_empty()
            && self.by_month.is_empty()
            && self.by_year_day.is_empty()
            && self.by_hour.is_empty()
            && self.by_minute.is_empty()
            && self.by_second.is_empty());
        if !self.by_set_pos.is_empty() && !other_by_part {
            return Err("BYSETPOS must be used with another BYxxx part".to_string());
        }
        Ok(())
    }

    /// Wall-clock starts of the rule's occurrences from `dtstart` (itself
    /// the first, as RFC 5545 counts it) that fall in `[from, to)`, honouring
    /// COUNT and `until` (UNTIL already turned into a wall-clock time in the
    /// event's zone by the caller). Stops after [`MAX_PERIODS`] periods.
    pub fn starts(
        &self,
        dtstart: NaiveDateTime,
        until: Option<NaiveDateTime>,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Vec<NaiveDateTime> {
        let mut out = Vec::new();
        let past_until = |t: NaiveDateTime| until.is_some_and(|u| t > u);
        if past_until(dtstart) && self.count.is_none() {
            return out;
        }
        let mut seen: u64 = 1;
        if dtstart >= from && dtstart < to {
            out.push(dtstart);
        }
        if self.count == Some(1) || self.count == Some(0) {
            return out;
        }
        let step = self.interval.max(1) as i64;
        // Without COUNT, nothing before the window matters: jump near it.
        let mut period: i64 = 0;
        if self.count.is_none() && from > dtstart {
            period = (self.periods_between(dtstart, from) / step - 1).max(0);
        }
        let mut steps = 0;
        while steps < MAX_PERIODS && out.len() < MAX_OCCURRENCES {
            steps += 1;
            let Some((begin, candidates)) = self.period(dtstart, period * step) else {
                break;
            };
            if begin >= to || past_until(begin) {
                break;
            }
            for t in candidates {
                if t <= dtstart {
                    continue;
                }
                if past_until(t) {
                    return out;
                }
                seen += 1;
                if t >= to {
                    return out;
                }
                if t >= from {
                    out.push(t);
                }
                if self.count.is_some_and(|c| seen >= c as u64) {
                    return out;
                }
            }
            period += 1;
        }
        out
    }

    /// Whole periods (days, weeks, months, years) from dtstart to `t`.
    fn periods_between(&self, dtstart: NaiveDateTime, t: NaiveDateTime) -> i64 {
        let d0 = dtstart.date();
        let d1 = t.date();
        match self.freq {
            Freq::Daily => (d1 - d0).num_days(),
            Freq::Weekly => (d1 - d0).num_days() / 7,
            Freq::Monthly => {
                (d1.year() as i64 * 12 + d1.month0() as i64)
                    - (d0.year() as i64 * 12 + d0.month0() as i64)
            }
            Freq::Yearly => (d1.year() - d0.year()) as i64,
            Freq::Hourly => (t - dtstart).num_hours(),
            Freq::Minutely => (t - dtstart).num_minutes(),
            Freq::Secondly => (t - dtstart).num_seconds(),
        }
    }

    /// The `n`th period after dtstart's: its first moment and its
    /// candidate starts in order (after BYSETPOS).
    fn period(
        &self,
        dtstart: NaiveDateTime,
        n: i64,
    ) -> Option<(NaiveDateTime, Vec<NaiveDateTime>)> {
        let d0 = dtstart.date();
        let (begin, dates): (NaiveDateTime, Vec<NaiveDate>) = match self.freq {
            Freq::Daily => {
                let d = d0.checked_add_signed(TimeDelta::try_days(n)?)?;
                let keep = self.month_ok(d)
                    && self.month_day_ok(d)
                    && self.weekday_ok(d)
                    && self.year_day_ok(d);
                (
                    d.and_time(NaiveTime::MIN),
                    if keep { vec![d] } else { vec![] },
                )
            }
            Freq::Weekly => {
                let back = (d0.weekday().num_days_from_monday() + 7
                    - self.wkst.num_days_from_monday())
                    % 7;
                let week0 = d0.checked_sub_signed(TimeDelta::days(back as i64))?;
                let start = week0.checked_add_signed(TimeDelta::try_days(n.checked_mul(7)?)?)?;
                let mut days = Vec::new();
                for i in 0..7 {
                    let d = start.checked_add_signed(TimeDelta::days(i))?;
                    let wanted = if self.by_day.is_empty() {
                        d.weekday() == d0.weekday()
                    } else {
                        self.by_day.iter().any(|(_, w)| *w == d.weekday())
                    };
                    if wanted && self.month_ok(d) {
                        days.push(d);
                    }
                }
                (start.and_time(NaiveTime::MIN), days)
            }
            Freq::Monthly => {
                let m = (d0.year() as i64) * 12 + d0.month0() as i64 + n;
                let (y, mo) = (
                    i32::try_from(m.div_euclid(12)).ok()?,
                    (m.rem_euclid(12) + 1) as u32,
                );
                let first = NaiveDate::from_ymd_opt(y, mo, 1)?;
                let days = if self.by_month.is_empty() || self.by_month.contains(&mo) {
                    self.days_in_month(y, mo, d0)
                } else {
                    vec![]
                };
                (first.and_time(NaiveTime::MIN), days)
            }
            Freq::Yearly => {
                let y = i32::try_from(d0.year() as i64 + n).ok()?;
                let first = NaiveDate::from_ymd_opt(y, 1, 1)?;
                (first.and_time(NaiveTime::MIN), self.days_in_year(y, d0))
            }
            // Refused by `check_combination`; nothing to expand.
            Freq::Hourly | Freq::Minutely | Freq::Secondly => return None,
        };
        let mut starts = Vec::new();
        for d in dates {
            for t in self.times(dtstart.time()) {
                starts.push(d.and_time(t));
            }
        }
        starts.sort();
        starts.dedup();
        Some((begin, self.set_pos(starts)))
    }

    fn times(&self, t0: NaiveTime) -> Vec<NaiveTime> {
        use chrono::Timelike;
        let hours = if self.by_hour.is_empty() {
            vec![t0.hour()]
        } else {
            self.by_hour.clone()
        };
        let mins = if self.by_minute.is_empty() {
            vec![t0.minute()]
        } else {
            self.by_minute.clone()
        };
        let secs = if self.by_second.is_empty() {
            vec![t0.second()]
        } else {
            self.by_second.clone()
        };
        let mut out = Vec::new();
        for h in &hours {
            for m in &mins {
                for s in &secs {
                    if let Some(t) = NaiveTime::from_hms_opt(*h, *m, *s) {
                        out.push(t);
                    }
                }
            }
        }
        out
    }

    fn set_pos(&self, starts: Vec<NaiveDateTime>) -> Vec<NaiveDateTime> {
        if self.by_set_pos.is_empty() {
            return starts;
        }
        let n = starts.len() as i32;
        let mut out: Vec<NaiveDateTime> = self
            .by_set_pos
            .iter()
            .filter_map(|p| {
                let i = if *p > 0 { p - 1 } else { n + p };
                (0..n).contains(&i).then(|| starts[i as usize])
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    fn month_ok(&self, d: NaiveDate) -> bool {
        self.by_month.is_empty() || self.by_month.contains(&d.month())
    }

    fn weekday_ok(&self, d: NaiveDate) -> bool {
        self.by_day.is_empty() || self.by_day.iter().any(|(_, w)| *w == d.weekday())
    }

    fn month_day_ok(&self, d: NaiveDate) -> bool {
        if self.by_month_day.is_empty() {
            return true;
        }
        let len = month_len(d.year(), d.month()) as i32;
        let day = d.day() as i32;
        self.by_month_day
            .iter()
            .any(|m| *m == day || (*m < 0 && len + m + 1 == day))
    }

    fn year_day_ok(&self, d: NaiveDate) -> bool {
        if self.by_year_day.is_empty() {
            return true;
        }
        let len = year_len(d.year()) as i32;
        let day = d.ordinal() as i32;
        self.by_year_day
            .iter()
            .any(|y| *y == day || (*y < 0 && len + y + 1 == day))
    }

    /// Days of one month the rule picks (BYMONTHDAY and BYDAY intersect;
    /// BYDAY ordinals count within the month).
    fn days_in_month(&self, y: i32, m: u32, d0: NaiveDate) -> Vec<NaiveDate> {
        let len = month_len(y, m);
        let all = (1..=len).filter_map(|d| NaiveDate::from_ymd_opt(y, m, d));
        if self.by_month_day.is_empty() && self.by_day.is_empty() {
            return NaiveDate::from_ymd_opt(y, m, d0.day())
                .into_iter()
                .collect();
        }
        let days: Vec<NaiveDate> = all.collect();
        days.iter()
            .copied()
            .filter(|d| self.month_day_ok(*d))
            .filter(|d| {
                self.by_day.is_empty() || self.by_day.iter().any(|bd| nth_matches(*bd, *d, &days))
            })
            .filter(|d| self.year_day_ok(*d))
            .collect()
    }

    /// Days of one year the rule picks. With BYMONTH, BYDAY ordinals count
    /// within each month; without it, within the year.
    fn days_in_year(&self, y: i32, d0: NaiveDate) -> Vec<NaiveDate> {
        if !self.by_month.is_empty() {
            let mut out = Vec::new();
            let mut months = self.by_month.clone();
            months.sort();
            for m in months {
                if self.by_month_day.is_empty()
                    && self.by_day.is_empty()
                    && self.by_year_day.is_empty()
                {
                    out.extend(NaiveDate::from_ymd_opt(y, m, d0.day()));
                } else {
                    let days: Vec<NaiveDate> = (1..=month_len(y, m))
                        .filter_map(|d| NaiveDate::from_ymd_opt(y, m, d))
                        .collect();
                    out.extend(days.iter().copied().filter(|d| {
                        self.month_day_ok(*d)
                            && self.year_day_ok(*d)
                            && (self.by_day.is_empty()
                                || self.by_day.iter().any(|bd| nth_matches(*bd, *d, &days)))
                    }));
                }
            }
            return out;
        }
        if self.by_month_day.is_empty() && self.by_day.is_empty() && self.by_year_day.is_empty() {
            return NaiveDate::from_ymd_opt(y, d0.month(), d0.day())
                .into_iter()
                .collect();
        }
        let days: Vec<NaiveDate> = (1..=year_len(y))
            .filter_map(|o| NaiveDate::from_yo_opt(y, o))
            .collect();
        days.iter()
            .copied()
            .filter(|d| {
                self.month_day_ok(*d)
                    && self.year_day_ok(*d)
                    && (self.by_day.is_empty()
                        || self.by_day.iter().any(|bd| nth_matches(*bd, *d, &days)))
            })
            .collect()
    }
}

/// Does day `d` match `(ordinal, weekday)` counted within `days` (a month
/// or a year, in order, without gaps)? Counted by arithmetic, since a
/// yearly rule asks this of every day of the year.
fn nth_matches((ord, wd): (Option<i32>, Weekday), d: NaiveDate, days: &[NaiveDate]) -> bool {
    if d.weekday() != wd {
        return false;
    }
    let Some(n) = ord else { return true };
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return false;
    };
    if d < *first || d > *last {
        return false;
    }
    if n > 0 {
        (d - *first).num_days() / 7 == (n - 1) as i64
    } else {
        (*last - d).num_days() / 7 == (-n - 1) as i64
    }
}

pub fn month_len(y: i32, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    match (
        NaiveDate::from_ymd_opt(ny, nm, 1),
        NaiveDate::from_ymd_opt(y, m, 1),
    ) {
        (Some(a), Some(b)) => (a - b).num_days() as u32,
        _ => 31,
    }
}

fn year_len(y: i32) -> u32 {
    if NaiveDate::from_ymd_opt(y, 2, 29).is_some() {
        366
    } else {
        365
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn all(rule: &str, start: &str, to: &str) -> Vec<String> {
        let r = Rule::parse(rule).unwrap();
        r.starts(t(start), None, t("1900-01-01 00:00"), t(to))
            .iter()
            .map(|x| x.format("%Y-%m-%d %H:%M").to_string())
            .collect()
    }

    #[test]
    fn weekly_with_interval_and_several_days() {
        assert_eq!(
            all(
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=5",
                "2026-09-07 10:00",
                "2030-01-01 00:00"
            ),
            vec![
                "2026-09-07 10:00",
                "2026-09-09 10:00",
                "2026-09-21 10:00",
                "2026-09-23 10:00",
                "2026-10-05 10:00"
            ]
        );
    }

    #[test]
    fn wkst_changes_which_weeks_an_every_other_week_rule_picks() {
        // RFC 5545's own example: WKST=SU picks different days than WKST=MO.
        let mo = all(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
            "1997-08-05 09:00",
            "1998-01-01 00:00",
        );
        let su = all(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
            "1997-08-05 09:00",
            "1998-01-01 00:00",
        );
        assert_eq!(
            mo,
            vec![
                "1997-08-05 09:00",
                "1997-08-10 09:00",
                "1997-08-19 09:00",
                "1997-08-24 09:00"
            ]
        );
        assert_eq!(
            su,
            vec![
                "1997-08-05 09:00",
                "1997-08-17 09:00",
                "1997-08-19 09:00",
                "1997-08-31 09:00"
            ]
        );
    }

    #[test]
    fn monthly_by_ordinal_weekday_and_month_day() {
        assert_eq!(
            all(
                "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3",
                "2026-09-25 10:00",
                "2030-01-01 00:00"
            ),
            vec!["2026-09-25 10:00", "2026-10-30 10:00", "2026-11-27 10:00"]
        );
        assert_eq!(
            all(
                "FREQ=MONTHLY;BYDAY=2TU;COUNT=2",
                "2026-09-08 10:00",
                "2030-01-01 00:00"
            ),
            vec!["2026-09-08 10:00", "2026-10-13 10:00"]
        );
        // The 31st skips short months.
        assert_eq!(
            all(
                "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3",
                "2027-01-31 10:00",
                "2030-01-01 00:00"
            ),
            vec!["2027-01-31 10:00", "2027-03-31 10:00", "2027-05-31 10:00"]
        );
        assert_eq!(
            all(
                "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=2",
                "2027-01-31 10:00",
                "2030-01-01 00:00"
            ),
            vec!["2027-01-31 10:00", "2027-02-28 10:00"]
        );
    }

    #[test]
    fn yearly_like_a_dst_rule() {
        assert_eq!(
            all(
                "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
                "2025-03-09 02:00",
                "2028-01-01 00:00"
            ),
            vec!["2025-03-09 02:00", "2026-03-08 02:00", "2027-03-14 02:00"]
        );
        assert_eq!(
            all(
                "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
                "2025-10-26 03:00",
                "2027-01-01 00:00"
            ),
            vec!["2025-10-26 03:00", "2026-10-25 03:00"]
        );
    }

    #[test]
    fn until_is_inclusive_and_daily_filters_apply() {
        let r = Rule::parse("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR").unwrap();
        let got = r.starts(
            t("2027-04-16 10:00"),
            Some(t("2027-04-20 10:00")),
            t("2000-01-01 00:00"),
            t("2030-01-01 00:00"),
        );
        assert_eq!(
            got,
            vec![
                t("2027-04-16 10:00"),
                t("2027-04-19 10:00"),
                t("2027-04-20 10:00")
            ]
        );
    }

    #[test]
    fn skipping_ahead_gives_the_same_occurrences_as_walking() {
        let r = Rule::parse("FREQ=WEEKLY;INTERVAL=3;BYDAY=WE").unwrap();
        let walked: Vec<_> = r
            .starts(
                t("2026-09-09 15:30"),
                None,
                t("2000-01-01 00:00"),
                t("2027-06-01 00:00"),
            )
            .into_iter()
            .filter(|x| *x >= t("2027-04-01 00:00"))
            .collect();
        let jumped = r.starts(
            t("2026-09-09 15:30"),
            None,
            t("2027-04-01 00:00"),
            t("2027-06-01 00:00"),
        );
        assert_eq!(walked, jumped);
        assert!(!jumped.is_empty());
    }

    #[test]
    fn a_rule_that_never_matches_ends() {
        // February 30th never comes; the walk must stop on its own.
        let r = Rule::parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=5").unwrap();
        let got = r.starts(
            t("2026-01-01 10:00"),
            None,
            t("2026-01-01 00:00"),
            t("9999-01-01 00:00"),
        );
        assert_eq!(got, vec![t("2026-01-01 10:00")]);
        let r = Rule::parse("FREQ=DAILY;COUNT=100000000").unwrap();
        let got = r.starts(
            t("2026-01-01 10:00"),
            None,
            t("2026-01-01 00:00"),
            t("9999-01-01 00:00"),
        );
        assert!(got.len() <= MAX_OCCURRENCES);
    }

    #[test]
    fn mixed_ordinals_and_set_pos_count_the_whole_first_period() {
        // March 2003: Wednesdays 5, 12, 19, 26 and the second-to-last
        // Thursday (the 20th). Positions 5 and -4 of that set are the 26th
        // and the 12th, counted over the whole month although DTSTART is the
        // 9th; earlier days only drop out afterwards.
        assert_eq!(
            all(
                "FREQ=MONTHLY;BYDAY=WE,-2TH;BYSETPOS=5,-4;COUNT=4",
                "2003-03-09 03:40",
                "2004-01-01 00:00"
            ),
            vec![
                "2003-03-09 03:40",
                "2003-03-12 03:40",
                "2003-03-26 03:40",
                "2003-04-16 03:40"
            ]
        );
        // A week split by DTSTART: the week of Monday 28 May 2035 holds
        // Monday and Thursday; position 2 is Thursday the 31st, DTSTART.
        assert_eq!(
            all(
                "FREQ=WEEKLY;BYDAY=TH,MO;BYSETPOS=2;COUNT=3",
                "2035-05-31 04:17",
                "2036-01-01 00:00"
            ),
            vec!["2035-05-31 04:17", "2035-06-07 04:17", "2035-06-14 04:17"]
        );
        // The fifth-to-last Friday of a month has five Fridays.
        assert_eq!(
            all(
                "FREQ=MONTHLY;BYDAY=-5FR;COUNT=2",
                "2027-01-01 10:00",
                "2028-01-01 00:00"
            ),
            vec!["2027-01-01 10:00", "2027-04-02 10:00"]
        );
    }

    #[test]
    fn rfc_invalid_and_unsupported_rules_are_refused_by_name() {
        for (rule, named) in [
            ("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "BYWEEKNO"),
            ("FREQ=WEEKLY;BYMONTHDAY=3", "BYMONTHDAY"),
            ("FREQ=MONTHLY;BYYEARDAY=100", "BYYEARDAY"),
            ("FREQ=WEEKLY;BYDAY=2MO", "BYDAY"),
            ("FREQ=DAILY;BYDAY=-1FR", "BYDAY"),
            ("FREQ=MONTHLY;BYSETPOS=2", "BYSETPOS"),
            ("FREQ=DAILY;COUNT=3;UNTIL=20300101T000000Z", "COUNT"),
            ("FREQ=HOURLY;INTERVAL=168", "HOURLY"),
            ("FREQ=MONTHLY;RSCALE=HEBREW", "RSCALE"),
        ] {
            let e = Rule::parse(rule).expect_err(rule);
            assert!(e.contains(named), "{rule}: {e}");
        }
    }

    #[test]
    fn bad_rules_are_errors() {
        assert!(Rule::parse("BYDAY=MO").is_err());
        assert!(Rule::parse("FREQ=FORTNIGHTLY").is_err());
        assert!(Rule::parse("FREQ=WEEKLY;BYDAY=XX").is_err());
        assert!(Rule::parse("FREQ=WEEKLY;INTERVAL=0").is_err());
        assert!(Rule::parse("FREQ=MONTHLY;BYMONTHDAY=32").is_err());
    }
}
