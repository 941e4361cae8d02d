//! The calendar as users see it: the example schedule expanded, edge cases
//! of recurrence, and (below) the cover edits and invitations.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use shiftcover::config::Config;
use shiftcover::ical::{self, Component, expand};
use shiftcover::model::Span;
use shiftcover::schedule::Schedule;

const NY: Tz = chrono_tz::America::New_York;

fn fixture_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ical"))
}

fn example_text() -> String {
    std::fs::read_to_string(fixture_dir().join("example_schedule.ics")).unwrap()
}

fn config() -> Config {
    let text = std::fs::read_to_string(fixture_dir().join("example.toml")).unwrap();
    Config::from_toml(&text, fixture_dir()).unwrap()
}

fn example_schedule() -> Schedule {
    Schedule::from_ics(&example_text(), &config().roster, NY).unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn span(a: &str, b: &str) -> Span {
    Span::new(at(a), at(b))
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Occurrence spans of the single series in `body` (wrapped in a calendar).
fn spans_of(body: &str, window: Span) -> Vec<(Span, bool)> {
    let text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n");
    let cal = ical::parse(&text.replace('\n', "\r\n").replace("\r\r\n", "\r\n")).unwrap();
    expand(&cal, window, NY)
        .into_iter()
        .map(|x| (x.span, x.cancelled))
        .collect()
}

// --- parsing and writing ---------------------------------------------------

#[test]
fn the_example_schedule_round_trips_without_loss() {
    let text = example_text();
    let cal = ical::parse(&text).unwrap();
    let again = ical::parse(&cal.to_ics()).unwrap();
    assert_eq!(cal, again);
    // Written out and unfolded, it reads the same line for line (the writer
    // only folds the lines longer than 75 octets).
    let lines_in: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let out = cal.to_ics().replace("\r\n ", "");
    let lines_out: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines_in, lines_out);
}

#[test]
fn unknown_components_properties_and_parameters_survive() {
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:LIB: Ask Chat\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20270101T100000Z\r\nX-MS-OLK-FLAG;X-FOO=\"a:b;c\";x-bar=1:value;with:colons\r\nATTENDEE;CN=\"Lopez, Angie\";MEMBER=\"mailto:a@x\",\"mailto:b@x\":mailto:alopez@example.edu\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:X-CUSTOM\r\nX-THING:1\r\nEND:X-CUSTOM\r\nEND:VCALENDAR\r\n";
    let cal = ical::parse(text).unwrap();
    let ev = &cal.components[0];
    let flag = ev.property("X-MS-OLK-FLAG").unwrap();
    assert_eq!(flag.param("X-FOO"), Some("a:b;c"));
    assert_eq!(flag.param("X-BAR"), Some("1"));
    assert_eq!(flag.value, "value;with:colons");
    let att = ev.property("ATTENDEE").unwrap();
    assert_eq!(att.param("CN"), Some("Lopez, Angie"));
    assert_eq!(ev.components[0].name, "VALARM");
    assert_eq!(cal.components[1].name, "X-CUSTOM");
    let out = cal.to_ics();
    assert_eq!(ical::parse(&out).unwrap(), cal);
    assert!(out.contains("CN=\"Lopez, Angie\""));
    assert!(out.contains("MEMBER=\"mailto:a@x\",\"mailto:b@x\""));
}

#[test]
fn long_lines_fold_at_75_octets_on_character_boundaries() {
    let mut cal = Component::new("VCALENDAR");
    let desc = "Schicht übernehmen — ".repeat(20);
    cal.properties
        .push(ical::Property::new("DESCRIPTION", ical::escape_text(&desc)));
    let out = cal.to_ics();
    for line in out.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let back = ical::parse(&out).unwrap();
    assert_eq!(
        ical::unescape_text(back.value("DESCRIPTION").unwrap()),
        desc
    );
}

#[test]
fn lf_only_files_and_lowercase_names_are_read() {
    let text = "begin:vcalendar\nversion:2.0\nbegin:vevent\nuid:x\ndtstart;tzid=America/New_York:20270419T100000\nsummary:long\n  folded\nend:vevent\nend:vcalendar\n";
    let cal = ical::parse(text).unwrap();
    assert_eq!(cal.name, "VCALENDAR");
    let ev = &cal.components[0];
    assert_eq!(ev.value("SUMMARY"), Some("long folded"));
    assert_eq!(
        ev.property("DTSTART").unwrap().param("TZID"),
        Some("America/New_York")
    );
}

#[test]
fn text_escapes_round_trip() {
    let s = "Dana, for Courtney; back\\slash\nnext line";
    assert_eq!(
        ical::escape_text(s),
        "Dana\\, for Courtney\\; back\\\\slash\\nnext line"
    );
    assert_eq!(ical::unescape_text(&ical::escape_text(s)), s);
}

#[test]
fn broken_files_are_errors_with_line_numbers() {
    let cases = [
        ("", 1),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 1),
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n", 3),
        ("BEGIN:VCALENDAR\r\nno colon here\r\nEND:VCALENDAR\r\n", 2),
        ("VERSION:2.0\r\n", 1),
        ("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\n", 3),
        ("BEGIN:VCALENDAR\r\nX;NOEQUALS:1\r\nEND:VCALENDAR\r\n", 2),
    ];
    for (text, line) in cases {
        let e = ical::parse(text).unwrap_err();
        assert_eq!(e.line, line, "{text:?}: {e}");
    }
}

#[test]
fn garbage_never_panics() {
    // A small deterministic generator: no dependency, same input every run.
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let pieces = [
        "BEGIN:",
        "END:",
        "VCALENDAR",
        "VEVENT",
        "\r\n",
        "\n",
        " ",
        ":",
        ";",
        "=",
        "\"",
        "DTSTART",
        "RRULE:FREQ=",
        "WEEKLY",
        "BYDAY=",
        "-1FR",
        "COUNT=",
        "99999999",
        "UNTIL=",
        "TZID=",
        "Ω",
        "é",
        "20270419T100000",
        "Z",
        ",",
        "EXDATE",
        "RECURRENCE-ID",
        "P1D",
        "DURATION:",
        "\t",
        "x",
    ];
    let window = span("2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z");
    for _ in 0..3000 {
        let n = (next() % 40) as usize;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(pieces[(next() % pieces.len() as u64) as usize]);
        }
        if let Ok(cal) = ical::parse(&s) {
            let _ = expand(&cal, window, NY);
            let _ = cal.to_ics();
        }
        let wrapped =
            format!("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n{s}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        if let Ok(cal) = ical::parse(&wrapped) {
            let _ = expand(&cal, window, NY);
        }
    }
}

// --- the example schedule --------------------------------------------------

#[test]
fn angie_works_monday_noon_to_two_in_daylight_time() {
    let s = example_schedule();
    let got = s.shifts_on("alopez@example.edu", day("2027-04-19"));
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].span,
        span("2027-04-19T12:00:00-04:00", "2027-04-19T14:00:00-04:00")
    );
    assert_eq!(got[0].uid, "askchat-mo-1200@example.edu");
    assert_eq!(got[0].owner.as_deref(), Some("alopez@example.edu"));
}

#[test]
fn ben_is_found_by_his_alias_on_wednesday_afternoon() {
    let s = example_schedule();
    let got = s.shifts_on("bokafor@example.edu", day("2027-04-07"));
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].span,
        span("2027-04-07T15:30:00-04:00", "2027-04-07T17:00:00-04:00")
    );
    assert_eq!(got[0].summary, "Ben");
}

#[test]
fn initials_and_first_names_in_the_summary_name_the_owner() {
    let s = example_schedule();
    // "CC" on Monday 10:00, "Mei" on Tuesday 12:00, "AL" on Friday 14:00.
    assert_eq!(
        s.shifts_on("ccrummett@example.edu", day("2027-04-19"))[0]
            .span
            .start,
        at("2027-04-19T10:00:00-04:00")
    );
    assert_eq!(
        s.shifts_on("mchen@example.edu", day("2027-04-20"))[0]
            .span
            .start,
        at("2027-04-20T12:00:00-04:00")
    );
    let fri = s.shifts_on("alopez@example.edu", day("2027-04-23"));
    assert_eq!(fri.len(), 1);
    assert_eq!(fri[0].span.start, at("2027-04-23T14:00:00-04:00"));
}

#[test]
fn the_organizer_alone_owns_nothing() {
    let s = example_schedule();
    // Courtney organises every event but works none on Tuesdays.
    assert!(
        s.shifts_on("ccrummett@example.edu", day("2027-04-20"))
            .is_empty()
    );
    // She is the ATTENDEE of Friday 15:30 (and its organizer): hers.
    let fri = s.shifts_on("ccrummett@example.edu", day("2027-05-07"));
    assert_eq!(fri.len(), 1);
    assert_eq!(
        fri[0].span,
        span("2027-05-07T15:30:00-04:00", "2027-05-07T17:00:00-04:00")
    );
}

#[test]
fn a_10am_shift_stays_10am_across_both_dst_changes() {
    let s = example_schedule();
    let cc = "ccrummett@example.edu";
    // November 2026: EDT the Monday before, EST the Monday after.
    assert_eq!(
        s.shifts_on(cc, day("2026-10-26"))[0].span.start,
        at("2026-10-26T10:00:00-04:00")
    );
    assert_eq!(
        s.shifts_on(cc, day("2026-11-02"))[0].span.start,
        at("2026-11-02T10:00:00-05:00")
    );
    // March 2027: EST before, EDT after.
    assert_eq!(
        s.shifts_on(cc, day("2027-03-08"))[0].span.start,
        at("2027-03-08T10:00:00-05:00")
    );
    assert_eq!(
        s.shifts_on(cc, day("2027-03-15"))[0].span.start,
        at("2027-03-15T10:00:00-04:00")
    );
    // A whole week across the November change: every weekday 10:00 local.
    let week = s.occurrences(span(
        "2026-10-29T00:00:00-04:00",
        "2026-11-06T00:00:00-05:00",
    ));
    let tens: Vec<_> = week
        .iter()
        .filter(|o| o.span.start.with_timezone(&NY).format("%H:%M").to_string() == "10:00")
        .collect();
    assert_eq!(tens.len(), 6, "Thu, Fri, Mon..Thu");
}

#[test]
fn a_week_has_twenty_shifts_and_some_have_no_owner() {
    let s = example_schedule();
    let week = s.occurrences(span(
        "2027-04-19T00:00:00-04:00",
        "2027-04-26T00:00:00-04:00",
    ));
    assert_eq!(week.len(), 20);
    assert!(week.windows(2).all(|w| w[0].span.start <= w[1].span.start));
    assert!(
        week.iter().all(|o| o.owner.is_some()),
        "every example shift has an owner"
    );
}

#[test]
fn nothing_after_until_and_nothing_before_dtstart() {
    let s = example_schedule();
    assert!(
        s.occurrences(span(
            "2027-06-01T00:00:00-04:00",
            "2027-07-01T00:00:00-04:00"
        ))
        .is_empty()
    );
    assert!(
        s.occurrences(span(
            "2026-08-01T00:00:00-04:00",
            "2026-09-07T00:00:00-04:00"
        ))
        .is_empty()
    );
    // The last Monday is May 31.
    assert_eq!(
        s.shifts_on("alopez@example.edu", day("2027-05-31")).len(),
        1
    );
}

#[test]
fn shifts_of_a_person_in_a_window() {
    let s = example_schedule();
    let got = s.shifts_of(
        "tbecker@example.edu",
        span("2027-04-19T00:00:00-04:00", "2027-04-26T00:00:00-04:00"),
    );
    let starts: Vec<_> = got.iter().map(|o| o.span.start).collect();
    assert_eq!(
        starts,
        vec![
            at("2027-04-20T10:00:00-04:00"),
            at("2027-04-22T12:00:00-04:00")
        ]
    );
}

#[test]
fn looking_up_a_day_is_fast() {
    let s = example_schedule();
    let started = std::time::Instant::now();
    for i in 0..200 {
        let d = day("2027-04-19") + chrono::Days::new(i % 30);
        std::hint::black_box(s.shifts_on("alopez@example.edu", d));
    }
    let per_call = started.elapsed() / 200;
    // Debug builds are slow; a release build is far under this.
    assert!(per_call.as_micros() < 2000, "{per_call:?} per look-up");
}

// --- recurrence edge cases -------------------------------------------------

#[test]
fn exdate_in_several_forms_removes_occurrences() {
    let body = "BEGIN:VEVENT\nUID:e\nDTSTART;TZID=America/New_York:20270405T100000\nDTEND;TZID=America/New_York:20270405T120000\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=6\nEXDATE;TZID=America/New_York:20270412T100000,20270419T100000\nEXDATE:20270426T140000Z\nEXDATE;VALUE=DATE:20270503\nEND:VEVENT\n";
    let got = spans_of(body, span("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"));
    let starts: Vec<_> = got.iter().map(|(s, _)| s.start).collect();
    assert_eq!(
        starts,
        vec![
            at("2027-04-05T10:00:00-04:00"),
            at("2027-05-10T10:00:00-04:00")
        ]
    );
}

#[test]
fn overrides_move_and_cancel_occurrences() {
    let body = "BEGIN:VEVENT\nUID:o\nDTSTART;TZID=America/New_York:20270405T100000\nDTEND;TZID=America/New_York:20270405T120000\nRRULE:FREQ=WEEKLY;COUNT=3\nEND:VEVENT\nBEGIN:VEVENT\nUID:o\nRECURRENCE-ID;TZID=America/New_York:20270412T100000\nDTSTART;TZID=America/New_York:20270413T130000\nDTEND;TZID=America/New_York:20270413T150000\nEND:VEVENT\nBEGIN:VEVENT\nUID:o\nRECURRENCE-ID;TZID=America/New_York:20270419T100000\nDTSTART;TZID=America/New_York:20270419T100000\nDTEND;TZID=America/New_York:20270419T120000\nSTATUS:CANCELLED\nEND:VEVENT\n";
    let got = spans_of(body, span("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"));
    assert_eq!(
        got,
        vec![
            (
                span("2027-04-05T10:00:00-04:00", "2027-04-05T12:00:00-04:00"),
                false
            ),
            (
                span("2027-04-13T13:00:00-04:00", "2027-04-13T15:00:00-04:00"),
                false
            ),
            (
                span("2027-04-19T10:00:00-04:00", "2027-04-19T12:00:00-04:00"),
                true
            ),
        ]
    );
}

#[test]
fn until_as_a_date_and_as_local_time_and_duration_instead_of_dtend() {
    let body = "BEGIN:VEVENT\nUID:u\nDTSTART;TZID=America/New_York:20270405T100000\nDURATION:PT1H30M\nRRULE:FREQ=DAILY;UNTIL=20270407\nEND:VEVENT\n";
    let got = spans_of(body, span("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"));
    assert_eq!(got.len(), 3);
    assert_eq!(
        got[2].0,
        span("2027-04-07T10:00:00-04:00", "2027-04-07T11:30:00-04:00")
    );
    let body = "BEGIN:VEVENT\nUID:u\nDTSTART;TZID=America/New_York:20270405T100000\nDTEND;TZID=America/New_York:20270405T110000\nRRULE:FREQ=DAILY;UNTIL=20270407T100000\nEND:VEVENT\n";
    assert_eq!(
        spans_of(body, span("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z")).len(),
        3
    );
}

#[test]
fn rdate_adds_an_occurrence() {
    let body = "BEGIN:VEVENT\nUID:r\nDTSTART;TZID=America/New_York:20270405T100000\nDTEND;TZID=America/New_York:20270405T120000\nRRULE:FREQ=WEEKLY;COUNT=1\nRDATE;TZID=America/New_York:20270408T150000\nEND:VEVENT\n";
    let got = spans_of(body, span("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"));
    assert_eq!(
        got[1].0,
        span("2027-04-08T15:00:00-04:00", "2027-04-08T17:00:00-04:00")
    );
}

#[test]
fn outlook_windows_zone_names_are_understood() {
    let body = "BEGIN:VEVENT\nUID:w\nDTSTART;TZID=Eastern Standard Time:20270405T100000\nDTEND;TZID=Eastern Standard Time:20270405T120000\nRRULE:FREQ=WEEKLY;COUNT=2\nEND:VEVENT\n";
    let got = spans_of(body, span("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"));
    assert_eq!(got[0].0.start, at("2027-04-05T10:00:00-04:00"));
}

#[test]
fn a_zone_defined_only_by_its_vtimezone_follows_its_rules() {
    let body = "BEGIN:VTIMEZONE\nTZID:Library Time\nBEGIN:STANDARD\nDTSTART:19701101T020000\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:19700308T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nEND:DAYLIGHT\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:v\nDTSTART;TZID=Library Time:20261026T100000\nDTEND;TZID=Library Time:20261026T120000\nRRULE:FREQ=WEEKLY;COUNT=2\nEND:VEVENT\n";
    let got = spans_of(body, span("2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z"));
    assert_eq!(got[0].0.start, at("2026-10-26T10:00:00-04:00"));
    assert_eq!(got[1].0.start, at("2026-11-02T10:00:00-05:00"));
}

#[test]
fn utc_and_floating_times() {
    let body = "BEGIN:VEVENT\nUID:z\nDTSTART:20270405T140000Z\nDTEND:20270405T160000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:f\nDTSTART:20270406T100000\nDTEND:20270406T120000\nEND:VEVENT\n";
    let got = spans_of(body, span("2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"));
    assert_eq!(got[0].0.start, at("2027-04-05T10:00:00-04:00"));
    // Floating: read in the configured zone.
    assert_eq!(got[1].0.start, at("2027-04-06T10:00:00-04:00"));
}

#[test]
fn a_pathological_rule_does_not_hang() {
    let body = "BEGIN:VEVENT\nUID:p\nDTSTART:20270101T000000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\nBEGIN:VEVENT\nUID:q\nDTSTART:20270101T000000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\n";
    let started = std::time::Instant::now();
    let got = spans_of(body, span("2027-01-01T00:00:00Z", "2127-01-01T00:00:00Z"));
    assert!(started.elapsed().as_secs() < 10);
    assert!(!got.is_empty());
}
