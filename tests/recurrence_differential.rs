//! The project's RRULE expansion checked against an independent one (the
//! `rrule` crate) over a few thousand rules drawn by a seeded generator, so
//! every run draws the same rules. The generator draws the rules the program
//! accepts; a second generator draws rules RFC 5545 forbids or the program
//! does not support, and each must be refused with an error naming its part.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta, TimeZone};
use shiftcover::ical::recur::Rule;

/// A small deterministic generator (SplitMix64): the same seed draws the
/// same rules on every machine.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    /// One to `most` distinct values drawn by `f`, joined by commas.
    fn list(&mut self, most: i64, mut f: impl FnMut(&mut Draw) -> String) -> String {
        let n = self.int(1, most);
        let mut out: Vec<String> = Vec::new();
        for _ in 0..n {
            let v = f(self);
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out.join(",")
    }
}

const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

fn signed(d: &mut Draw, most: i64) -> i64 {
    let n = d.int(1, most);
    if d.chance(30) { -n } else { n }
}

/// A rule the program accepts, without its COUNT or UNTIL.
fn accepted_rule(d: &mut Draw) -> (String, &'static str) {
    let freq = d.pick(&[
        "DAILY", "DAILY", "WEEKLY", "WEEKLY", "WEEKLY", "MONTHLY", "MONTHLY", "MONTHLY", "YEARLY",
        "YEARLY",
    ]);
    let mut parts = vec![format!("FREQ={freq}")];
    if d.chance(40) {
        parts.push(format!("INTERVAL={}", d.int(1, 4)));
    }
    let ordinals = matches!(freq, "MONTHLY" | "YEARLY");
    if d.chance(55) {
        let mixed = d.chance(50);
        parts.push(format!(
            "BYDAY={}",
            d.list(4, |d| {
                let day = d.pick(&DAYS);
                if ordinals && (mixed || d.chance(50)) && d.chance(60) {
                    let most = if freq == "MONTHLY" { 5 } else { 53 };
                    let most = if d.chance(80) { most.min(5) } else { most };
                    // The reference refuses -5 in a month and -53 in a year
                    // (it allows -4..=5 and -52..=53); the unit tests in
                    // recur.rs cover those.
                    let n = signed(d, most);
                    let n = if n == -most { n + 1 } else { n };
                    format!("{n}{day}")
                } else {
                    day.to_string()
                }
            })
        ));
    }
    if freq != "WEEKLY" && d.chance(30) {
        parts.push(format!(
            "BYMONTHDAY={}",
            d.list(3, |d| signed(d, 31).to_string())
        ));
    }
    if d.chance(25) {
        parts.push(format!(
            "BYMONTH={}",
            d.list(3, |d| d.int(1, 12).to_string())
        ));
    }
    if freq == "YEARLY" && d.chance(15) {
        parts.push(format!(
            "BYYEARDAY={}",
            d.list(3, |d| signed(d, 366).to_string())
        ));
    }
    if d.chance(15) {
        parts.push(format!(
            "BYHOUR={}",
            d.list(3, |d| d.int(0, 23).to_string())
        ));
    }
    if d.chance(10) {
        parts.push(format!(
            "BYMINUTE={}",
            d.list(3, |d| d.int(0, 59).to_string())
        ));
    }
    if d.chance(5) {
        parts.push(format!(
            "BYSECOND={}",
            d.list(2, |d| d.int(0, 59).to_string())
        ));
    }
    // BYSETPOS counts within a period's set; a position past the set's
    // size never matches, and a rule that never matches makes the
    // reference walk its whole loop limit (seconds per rule), so positions
    // are drawn within the set where the set is small (a day, a week).
    let size = |name: &str| {
        parts
            .iter()
            .find_map(|p| p.strip_prefix(&format!("{name}=")))
            .map_or(1, |v| v.split(',').count() as i64)
    };
    let times = size("BYHOUR") * size("BYMINUTE") * size("BYSECOND");
    let set_size = match freq {
        "DAILY" => times,
        "WEEKLY" if parts.iter().any(|p| p.starts_with("BYDAY=")) => size("BYDAY") * times,
        "WEEKLY" => times,
        _ => 5,
    };
    let by_parts = parts.iter().filter(|p| p.starts_with("BY")).count();
    if by_parts > 0 && d.chance(30) {
        parts.push(format!(
            "BYSETPOS={}",
            d.list(3, |d| signed(d, set_size.min(5)).to_string())
        ));
    }
    if d.chance(30) {
        parts.push(format!("WKST={}", d.pick(&DAYS)));
    }
    (parts.join(";"), freq)
}

/// How far from DTSTART the two expansions are compared: short enough that
/// the program's bound on periods walked is never what stops it.
fn horizon(freq: &str) -> TimeDelta {
    match freq {
        "DAILY" | "WEEKLY" => TimeDelta::days(365 * 6),
        _ => TimeDelta::days(365 * 25),
    }
}

/// At most this many occurrences of each rule are compared.
const COMPARED: usize = 120;

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The independent expansion: starts in `[from, to)`, at most [`COMPARED`].
fn reference(
    rule: &str,
    dtstart: NaiveDateTime,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<NaiveDateTime> {
    if rule.contains("BYSETPOS=") && days_independent_of_dtstart(rule) {
        let mut all = whole_periods(rule, dtstart, to);
        all.retain(|t| *t >= from);
        all.truncate(COMPARED);
        return all;
    }
    let mut all = match split_mixed_by_day(rule) {
        // The reference expands a BYDAY that mixes ordinals and plain days
        // ("2FR,SU": the second Friday and every Sunday) to nothing, so such
        // a rule is compared as the union of its two halves, with COUNT
        // applied to the union (RFC 5545: a BYDAY list is a union of days).
        Some((ordinals, plain, count)) => {
            let mut all = reference_starts(&ordinals, dtstart, to);
            all.extend(reference_starts(&plain, dtstart, to));
            all.push(dtstart);
            all.sort();
            all.dedup();
            if let Some(c) = count {
                all.truncate(c);
            }
            all
        }
        None => reference_starts(rule, dtstart, to),
    };
    all.retain(|t| *t >= from);
    all.truncate(COMPARED);
    all
}

fn reference_starts(rule: &str, dtstart: NaiveDateTime, to: NaiveDateTime) -> Vec<NaiveDateTime> {
    let text = format!("DTSTART:{}\nRRULE:{rule}", stamp(dtstart));
    let set: rrule::RRuleSet = text
        .parse()
        .unwrap_or_else(|e| panic!("the reference refuses {rule:?} from {dtstart}: {e}"));
    set.into_iter()
        .map(|t| t.naive_utc())
        .take_while(|t| *t < to)
        .collect()
}

/// Whether the days a rule picks in a period come from its BYxxx parts
/// alone, not from DTSTART's day (so the period can be walked from its
/// first day without changing the rule).
fn days_independent_of_dtstart(rule: &str) -> bool {
    let has = |p: &str| rule.split(';').any(|x| x.starts_with(&format!("{p}=")));
    match rule.split(';').next().unwrap() {
        "FREQ=DAILY" => true,
        "FREQ=WEEKLY" => has("BYDAY"),
        "FREQ=MONTHLY" => has("BYDAY") || has("BYMONTHDAY"),
        _ => has("BYDAY") || has("BYMONTHDAY") || has("BYYEARDAY"),
    }
}

/// A rule with BYSETPOS, by the reference walked from the first day of
/// DTSTART's period (week, month or year). RFC 5545 applies BYSETPOS to
/// the whole period and only then drops what comes before DTSTART; the
/// reference applies it to the part of the first period from DTSTART on,
/// so it is started at the period's beginning. A BYDAY that mixes ordinals
/// and plain days (which the reference expands to nothing) is expanded as
/// the union of its halves, grouped by period, and BYSETPOS applied here.
/// DTSTART, UNTIL and COUNT apply last.
fn whole_periods(rule: &str, dtstart: NaiveDateTime, to: NaiveDateTime) -> Vec<NaiveDateTime> {
    use chrono::Datelike;
    let part = |name: &str| {
        rule.split(';')
            .find_map(|p| p.strip_prefix(&format!("{name}=")))
            .map(str::to_string)
    };
    let count: Option<usize> = part("COUNT").map(|c| c.parse().unwrap());
    let until = part("UNTIL").map(|u| NaiveDateTime::parse_from_str(&u, "%Y%m%dT%H%M%SZ").unwrap());
    let freq = rule.split(';').next().unwrap();
    let first_day = match freq {
        "FREQ=DAILY" => dtstart.date(),
        "FREQ=WEEKLY" => {
            let wkst = match part("WKST").as_deref() {
                Some("TU") => chrono::Weekday::Tue,
                Some("WE") => chrono::Weekday::Wed,
                Some("TH") => chrono::Weekday::Thu,
                Some("FR") => chrono::Weekday::Fri,
                Some("SA") => chrono::Weekday::Sat,
                Some("SU") => chrono::Weekday::Sun,
                _ => chrono::Weekday::Mon,
            };
            let back =
                (dtstart.weekday().num_days_from_monday() + 7 - wkst.num_days_from_monday()) % 7;
            dtstart.date() - TimeDelta::days(back as i64)
        }
        "FREQ=MONTHLY" => NaiveDate::from_ymd_opt(dtstart.year(), dtstart.month(), 1).unwrap(),
        _ => NaiveDate::from_ymd_opt(dtstart.year(), 1, 1).unwrap(),
    };
    // The period's first moment the rule could pick: a time part the rule
    // lists starts at 0, one it does not comes from DTSTART.
    use chrono::Timelike;
    let listed = |name: &str| part(name).is_some();
    let period_start = first_day
        .and_hms_opt(
            if listed("BYHOUR") { 0 } else { dtstart.hour() },
            if listed("BYMINUTE") {
                0
            } else {
                dtstart.minute()
            },
            if listed("BYSECOND") {
                0
            } else {
                dtstart.second()
            },
        )
        .unwrap();
    let bare = strip(&strip(rule, "COUNT"), "UNTIL");
    let picked = match split_mixed_by_day(&strip(&bare, "BYSETPOS")) {
        Some((ordinals, plain, _)) => {
            let positions: Vec<i64> = part("BYSETPOS")
                .unwrap()
                .split(',')
                .map(|n| n.parse().unwrap())
                .collect();
            // Whole periods on both ends: the last one is walked to its end
            // too, or a position counted from the end would shift.
            let past = to + TimeDelta::days(367);
            let mut days = reference_starts(&ordinals, period_start, past);
            days.extend(reference_starts(&plain, period_start, past));
            days.sort();
            days.dedup();
            let yearly = freq == "FREQ=YEARLY";
            let key = |t: &NaiveDateTime| (t.year(), if yearly { 0 } else { t.month() });
            let mut picked = Vec::new();
            for group in days.chunk_by(|a, b| key(a) == key(b)) {
                let n = group.len() as i64;
                for p in &positions {
                    let i = if *p > 0 { p - 1 } else { n + p };
                    if (0..n).contains(&i) {
                        picked.push(group[i as usize]);
                    }
                }
            }
            picked.sort();
            picked.dedup();
            picked
        }
        None => reference_starts(&bare, period_start, to),
    };
    let mut all = vec![dtstart];
    all.extend(picked.into_iter().filter(|t| *t > dtstart && *t < to));
    all.retain(|t| until.is_none_or(|u| *t <= u));
    if let Some(c) = count {
        all.truncate(c);
    }
    all
}

/// A rule whose BYDAY mixes ordinals and plain days (and has no BYSETPOS),
/// as the two rules whose union it is, without COUNT, and the COUNT.
fn split_mixed_by_day(rule: &str) -> Option<(String, String, Option<usize>)> {
    let by_day = rule.split(';').find_map(|p| p.strip_prefix("BYDAY="))?;
    let (ordinals, plain): (Vec<&str>, Vec<&str>) = by_day.split(',').partition(|d| d.len() > 2);
    if ordinals.is_empty() || plain.is_empty() || rule.contains("BYSETPOS=") {
        return None;
    }
    let count = rule
        .split(';')
        .find_map(|p| p.strip_prefix("COUNT="))
        .and_then(|c| c.parse().ok());
    let with = |days: &[&str]| {
        rule.split(';')
            .filter(|p| !p.starts_with("COUNT="))
            .map(|p| {
                if p.starts_with("BYDAY=") {
                    format!("BYDAY={}", days.join(","))
                } else {
                    p.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(";")
    };
    Some((with(&ordinals), with(&plain), count))
}

fn ours(
    rule: &str,
    dtstart: NaiveDateTime,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<NaiveDateTime> {
    let parsed = Rule::parse(rule).unwrap_or_else(|e| panic!("{rule:?} is refused: {e}"));
    let until = parsed.until.map(|u| match u {
        shiftcover::ical::recur::Until::Utc(t) | shiftcover::ical::recur::Until::Local(t) => t,
        shiftcover::ical::recur::Until::Date(d) => d.and_hms_opt(23, 59, 59).unwrap(),
    });
    let mut got = parsed.starts(dtstart, until, from, to);
    got.truncate(COMPARED);
    got
}

/// The rule's first start at or after `seed`, by the reference, so that
/// DTSTART is itself an occurrence (RFC 5545 counts DTSTART as the first
/// occurrence even when the rule would not pick it; the reference does not,
/// and that difference is not what is being checked).
fn first_start(rule: &str, seed: NaiveDateTime, freq: &str) -> Option<NaiveDateTime> {
    let end = seed + horizon(freq);
    let first = |rule: &str| {
        let text = format!("DTSTART:{}\nRRULE:{rule}", stamp(seed));
        let set: rrule::RRuleSet = text
            .parse()
            .unwrap_or_else(|e| panic!("the reference refuses {rule:?} from {seed}: {e}"));
        set.into_iter()
            .map(|t| t.naive_utc())
            .take(1)
            .find(|t| *t < end)
    };
    if rule.contains("BYSETPOS=") && days_independent_of_dtstart(rule) {
        // Looked for in a short window first: most rules occur soon.
        for reach in [TimeDelta::days(70), TimeDelta::days(800), horizon(freq)] {
            let to = (seed + reach).min(end);
            if let Some(t) = whole_periods(rule, seed, to)
                .into_iter()
                .skip(1)
                .find(|t| *t >= seed)
            {
                return Some(t);
            }
        }
        return None;
    }
    match split_mixed_by_day(rule) {
        Some((ordinals, plain, _)) => [first(&ordinals), first(&plain)]
            .into_iter()
            .flatten()
            .min(),
        None => first(rule),
    }
}

#[test]
fn rrule_expansion_agrees_with_an_independent_implementation() {
    let mut d = Draw(0x5eed_2026_1206);
    let rules = 3_000;
    let began = std::time::Instant::now();
    let (mut in_reference, mut in_ours, mut in_first) =
        (TimeDelta::zero(), TimeDelta::zero(), TimeDelta::zero());
    let (mut compared, mut never_occur, mut occurrences) = (0, 0, 0);
    let mut differences = Vec::new();
    for _ in 0..rules {
        let (body, freq) = accepted_rule(&mut d);
        let seed = NaiveDate::from_ymd_opt(
            d.int(1995, 2035) as i32,
            d.int(1, 12) as u32,
            d.int(1, 28) as u32,
        )
        .unwrap()
        .and_hms_opt(
            d.int(0, 23) as u32,
            d.int(0, 59) as u32,
            d.int(0, 59) as u32,
        )
        .unwrap();
        let t = std::time::Instant::now();
        let first = first_start(&body, seed, freq);
        in_first += TimeDelta::from_std(t.elapsed()).unwrap();
        let Some(dtstart) = first else {
            never_occur += 1;
            // A rule that never occurs gives DTSTART alone.
            let got = ours(&body, seed, seed, seed + horizon(freq));
            assert_eq!(got, vec![seed], "{body} from {seed}");
            continue;
        };
        let end = dtstart + horizon(freq);
        // Bounded by COUNT, by UNTIL, or by the window alone.
        let rule = match d.int(0, 2) {
            0 => format!("{body};COUNT={}", d.int(1, 60)),
            1 => {
                let span = (end - dtstart).num_seconds();
                let until = dtstart + TimeDelta::seconds(d.int(0, span / 3));
                format!("{body};UNTIL={}", stamp(until))
            }
            _ => body.clone(),
        };
        // From DTSTART, and from a point inside the window (the program
        // then skips ahead instead of walking every period).
        let from = if d.chance(50) {
            dtstart
        } else {
            dtstart + TimeDelta::seconds(d.int(0, (end - dtstart).num_seconds() / 2))
        };
        let t = std::time::Instant::now();
        let want = reference(&rule, dtstart, from, end);
        in_reference += TimeDelta::from_std(t.elapsed()).unwrap();
        let t = std::time::Instant::now();
        let got = ours(&rule, dtstart, from, end);
        in_ours += TimeDelta::from_std(t.elapsed()).unwrap();
        compared += 1;
        occurrences += want.len();
        if want != got {
            let first = want.iter().zip(&got).position(|(a, b)| a != b);
            differences.push(format!(
                "{rule} from DTSTART {dtstart}, window from {from}: the reference gives {} starts, we give {}; first difference at {:?}: reference {:?}, ours {:?}",
                want.len(),
                got.len(),
                first,
                first.and_then(|i| want.get(i)).or(want.get(got.len())),
                first.and_then(|i| got.get(i)).or(got.get(want.len())),
            ));
        }
    }
    eprintln!(
        "figure: {compared} rules compared ({occurrences} occurrences), {never_occur} never occur, {} differ",
        differences.len()
    );
    eprintln!(
        "figure: {:?} in all, {} ms finding DTSTART, {} ms in the reference, {} ms in ours",
        began.elapsed(),
        in_first.num_milliseconds(),
        in_reference.num_milliseconds(),
        in_ours.num_milliseconds()
    );
    for line in differences.iter().take(20) {
        eprintln!("{line}");
    }
    assert!(compared > rules / 2, "too few rules compared: {compared}");
    assert!(
        differences.is_empty(),
        "{} of {compared} rules differ",
        differences.len()
    );
}

/// Rules RFC 5545 forbids or the program does not expand; each is refused
/// with an error that names the part.
#[test]
fn unsupported_and_invalid_rules_are_refused_by_name() {
    let mut d = Draw(0xbad_2026_1206);
    let mut refused = 0;
    for _ in 0..1_000 {
        let (body, _) = accepted_rule(&mut d);
        let (extra, names): (String, &str) = match d.int(0, 7) {
            7 => {
                let freq = d.pick(&["HOURLY", "MINUTELY", "SECONDLY"]);
                let text =
                    body.replacen(body.split(';').next().unwrap(), &format!("FREQ={freq}"), 1);
                check(&strip(&text, "BYYEARDAY"), freq);
                refused += 1;
                continue;
            }
            0 => (format!("BYWEEKNO={}", signed(&mut d, 53)), "BYWEEKNO"),
            1 => ("RSCALE=GREGORIAN".to_string(), "RSCALE"),
            2 => ("SKIP=FORWARD".to_string(), "SKIP"),
            3 => (
                format!(
                    "COUNT=3;UNTIL={}",
                    stamp(
                        NaiveDate::from_ymd_opt(2030, 1, 1)
                            .unwrap()
                            .and_hms_opt(0, 0, 0)
                            .unwrap()
                    )
                ),
                "COUNT",
            ),
            4 => {
                let body = body.replacen(body.split(';').next().unwrap(), "FREQ=WEEKLY", 1);
                let text = format!(
                    "{};BYMONTHDAY={}",
                    strip(&body, "BYMONTHDAY"),
                    signed(&mut d, 31)
                );
                check(&text, "BYMONTHDAY");
                refused += 1;
                continue;
            }
            5 => {
                let freq = d.pick(&["DAILY", "WEEKLY", "MONTHLY"]);
                let text = format!("FREQ={freq};BYYEARDAY={}", signed(&mut d, 366));
                check(&text, "BYYEARDAY");
                refused += 1;
                continue;
            }
            _ => {
                let freq = d.pick(&["DAILY", "WEEKLY"]);
                let text = format!("FREQ={freq};BYDAY={}{}", signed(&mut d, 4), d.pick(&DAYS));
                check(&text, "BYDAY");
                refused += 1;
                continue;
            }
        };
        let text = format!("{};{extra}", strip(&strip(&body, "COUNT"), "UNTIL"));
        check(&text, names);
        refused += 1;
    }
    check("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS");
    check("FREQ=MONTHLY;INTERVAL=2;BYSETPOS=-1", "BYSETPOS");
    check("FREQ=MONTHLY;BYDAY=6MO", "BYDAY");
    eprintln!("figure: {refused} invalid or unsupported rules refused");
}

fn strip(rule: &str, part: &str) -> String {
    rule.split(';')
        .filter(|p| !p.starts_with(&format!("{part}=")))
        .collect::<Vec<_>>()
        .join(";")
}

fn check(rule: &str, part: &str) {
    match Rule::parse(rule) {
        Ok(_) => panic!("{rule:?} is accepted"),
        Err(e) => assert!(
            e.contains(part),
            "{rule:?}: the error {e:?} does not name {part}"
        ),
    }
}

#[test]
fn the_reference_itself_reads_rfc_examples_as_we_do() {
    // A guard that the comparison means something: the RFC's own example
    // (the last weekday of the month, by BYSETPOS) from both sides.
    let start = chrono::Utc
        .with_ymd_and_hms(1997, 9, 30, 9, 0, 0)
        .unwrap()
        .naive_utc();
    let rule = "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=4";
    let end = start + TimeDelta::days(400);
    let want: Vec<String> = ["1997-09-30", "1997-10-31", "1997-11-28", "1997-12-31"]
        .iter()
        .map(|s| format!("{s} 09:00:00"))
        .collect();
    let fmt = |v: Vec<NaiveDateTime>| -> Vec<String> { v.iter().map(|t| t.to_string()).collect() };
    assert_eq!(fmt(reference(rule, start, start, end)), want);
    assert_eq!(fmt(ours(rule, start, start, end)), want);
}
