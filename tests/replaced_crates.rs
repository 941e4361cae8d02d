//! Our own code where the project's design named a crate, checked against
//! that crate (README, "Dependencies"):
//! - the digest clock (`digest::next_digest_after`) instead of
//!   tokio-cron-scheduler: compared with the `cron` crate's schedule in the
//!   same zone, across daylight-saving changes in zones of both hemispheres;
//! - the iCalendar reader instead of the write-only `ics` crate: whatever
//!   `ics` writes, ours reads back to the same values and occurrences.

use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use shiftcover::config::Config;
use shiftcover::digest::next_digest_after;
use shiftcover::ical::{self, expand, unescape_text};
use shiftcover::model::Span;

fn config_with(zone: &str, digest: &str) -> Config {
    let text = format!(
        r#"
timezone = "{zone}"
[list]
address = "ask-chat@example.edu"
sender = "Ask Chat Coverage <coverage@example.edu>"
[coordinator]
name = "Courtney Crummett"
email = "ccrummett@example.edu"
[policy]
digest = "{digest}"
[[staff]]
name = "Angie Lopez"
email = "alopez@example.edu"
[calendar]
backend = "ics"
path = "schedule.ics"
[mailbox]
backend = "maildir"
path = "inbox"
[outbox]
backend = "maildir"
path = "outbox"
"#
    );
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("schedule.ics"),
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    Config::from_toml(&text, d.path()).unwrap()
}

fn cron_day(w: &str) -> &'static str {
    match w {
        "mon" => "Mon",
        "tue" => "Tue",
        "wed" => "Wed",
        "thu" => "Thu",
        "fri" => "Fri",
        "sat" => "Sat",
        _ => "Sun",
    }
}

#[test]
fn the_digest_clock_agrees_with_the_cron_crate_across_daylight_saving_changes() {
    // Zones with DST in either hemisphere, one whose change falls on a
    // Friday (Israel), and one without DST. Times outside any DST gap, where
    // both must give the same wall time every week.
    let zones = [
        "America/New_York",
        "Europe/London",
        "Australia/Sydney",
        "Asia/Jerusalem",
        "Pacific/Auckland",
        "America/Phoenix",
    ];
    let specs = [
        ("mon", 8, 0),
        ("fri", 16, 30),
        ("sun", 9, 15),
        ("wed", 23, 45),
    ];
    let mut compared = 0;
    for zone in zones {
        let tz: Tz = zone.parse().unwrap();
        for (day, hour, minute) in specs {
            let config = config_with(zone, &format!("{day} {hour:02}:{minute:02}"));
            let schedule =
                cron::Schedule::from_str(&format!("0 {minute} {hour} * * {}", cron_day(day)))
                    .unwrap();
            // Every 7 h 13 min over two years: every weekday and hour, both
            // sides of each change, and the due instant itself.
            let mut t = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
            let end = Utc.with_ymd_and_hms(2028, 1, 1, 0, 0, 0).unwrap();
            while t < end {
                let ours = next_digest_after(t, &config);
                let theirs = schedule
                    .after(&t.with_timezone(&tz))
                    .next()
                    .expect("a weekly time recurs")
                    .with_timezone(&Utc);
                assert_eq!(ours, theirs, "{zone} {day} {hour}:{minute} after {t}");
                // The instant itself is not "after" itself.
                assert!(next_digest_after(ours, &config) > ours);
                compared += 1;
                t += TimeDelta::minutes(7 * 60 + 13);
            }
        }
    }
    eprintln!("figure: {compared} digest times compared with the cron crate");
}

/// A calendar written by the `ics` crate: a weekly series in a zone with an
/// EXDATE, a single event with text that needs escaping, an attendee.
fn written_by_ics() -> String {
    use ics::components::Parameter;
    use ics::properties::{Attendee, DtEnd, DtStart, ExDate, RRule, Summary};
    use ics::{Event, ICalendar, escape_text};

    let mut cal = ICalendar::new("2.0", "-//replaced crates test//EN");
    let mut series = Event::new("series-1@example.edu", "20261101T000000Z");
    let mut start = DtStart::new("20261102T100000");
    start.add(Parameter::new("TZID", "America/New_York"));
    series.push(start);
    let mut end = DtEnd::new("20261102T120000");
    end.add(Parameter::new("TZID", "America/New_York"));
    series.push(end);
    series.push(RRule::new("FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261231T235959Z"));
    let mut ex = ExDate::new("20261111T100000");
    ex.add(Parameter::new("TZID", "America/New_York"));
    series.push(ex);
    series.push(Summary::new(escape_text("Angie, chat; desk\\2")));
    let mut who = Attendee::new("mailto:alopez@example.edu");
    who.add(Parameter::new("CN", "Angie Lopez"));
    series.push(who);
    cal.add_event(series);

    let mut single = Event::new("single-1@example.edu", "20261101T000000Z");
    single.push(DtStart::new("20261203T150000Z"));
    single.push(DtEnd::new("20261203T170000Z"));
    single.push(Summary::new(escape_text(
        "Ben for Sarah: a long summary that the writer has to fold because content lines are limited to seventy-five octets",
    )));
    cal.add_event(single);
    cal.to_string()
}

#[test]
fn what_the_ics_crate_writes_our_reader_reads_back() {
    let text = written_by_ics();
    let cal = ical::parse(&text).expect("our reader takes what ics writes");
    let events: Vec<_> = cal
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert_eq!(events.len(), 2);

    let series = events[0];
    assert_eq!(
        series.property("UID").unwrap().value,
        "series-1@example.edu"
    );
    assert_eq!(
        unescape_text(&series.property("SUMMARY").unwrap().value),
        "Angie, chat; desk\\2"
    );
    let who = series.property("ATTENDEE").unwrap();
    assert_eq!(who.value, "mailto:alopez@example.edu");
    assert!(
        who.params
            .contains(&("CN".to_string(), "Angie Lopez".to_string()))
    );
    let single = events[1];
    assert_eq!(
        unescape_text(&single.property("SUMMARY").unwrap().value),
        "Ben for Sarah: a long summary that the writer has to fold because content lines are limited to seventy-five octets"
    );

    // Occurrences: Mondays and Wednesdays 10-12 New York time in November
    // and December 2026, less 11 November, plus the single event; across
    // the change from EDT to EST on 1 November the wall time holds.
    let ny: Tz = chrono_tz::America::New_York;
    let window = Span::new(
        Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap(),
    );
    let mut got: Vec<DateTime<Utc>> = expand(&cal, window, ny)
        .into_iter()
        .filter(|x| x.uid == "series-1@example.edu" && !x.cancelled)
        .map(|x| x.span.start)
        .collect();
    got.sort();
    let mut want = Vec::new();
    let mut d = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    while d <= NaiveDate::from_ymd_opt(2026, 12, 31).unwrap() {
        if matches!(d.weekday(), Weekday::Mon | Weekday::Wed)
            && d != NaiveDate::from_ymd_opt(2026, 11, 11).unwrap()
        {
            want.push(
                ny.from_local_datetime(&d.and_hms_opt(10, 0, 0).unwrap())
                    .unwrap()
                    .with_timezone(&Utc),
            );
        }
        d += TimeDelta::days(1);
    }
    assert_eq!(got, want);
    let single: Vec<_> = expand(&cal, window, ny)
        .into_iter()
        .filter(|x| x.uid == "single-1@example.edu")
        .map(|x| (x.span.start, x.span.end))
        .collect();
    assert_eq!(
        single,
        vec![(
            Utc.with_ymd_and_hms(2026, 12, 3, 15, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 12, 3, 17, 0, 0).unwrap()
        )]
    );
}
