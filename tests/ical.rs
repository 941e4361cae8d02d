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
        "P99999W",
        "PT9999999H",
        "99991231T235959",
        "00010101",
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
fn repeated_day_look_ups_agree_and_print_their_cost() {
    let s = example_schedule();
    let started = std::time::Instant::now();
    let mut first = Vec::new();
    for i in 0..200 {
        let d = day("2027-04-19") + chrono::Days::new(i % 30);
        let found = std::hint::black_box(s.shifts_on("alopez@example.edu", d)).len();
        if i < 30 {
            first.push(found);
        } else {
            assert_eq!(found, first[(i % 30) as usize], "{d} read differently");
        }
    }
    assert!(first.iter().any(|&n| n > 0), "Angie works in a month");
    let per_call = started.elapsed() / 200;
    eprintln!("figure: {per_call:?} per look-up (debug build)");
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
fn a_rule_the_program_cannot_expand_is_skipped_by_name_not_guessed_at() {
    // BYWEEKNO (unsupported), WEEKLY with BYMONTHDAY (RFC 5545 forbids it)
    // and an hourly rule each leave their event out, named with its UID and
    // SUMMARY and the reason; the valid series beside them is unaffected.
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n\
BEGIN:VEVENT\r\nUID:weekno\r\nSUMMARY:Angie\r\nDTSTART;TZID=America/New_York:20270405T100000\r\nDTEND;TZID=America/New_York:20270405T120000\r\nRRULE:FREQ=YEARLY;BYWEEKNO=14;BYDAY=MO\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:weekly-monthday\r\nSUMMARY:Courtney\r\nDTSTART;TZID=America/New_York:20270406T100000\r\nDTEND;TZID=America/New_York:20270406T120000\r\nRRULE:FREQ=WEEKLY;BYMONTHDAY=6\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:hourly\r\nSUMMARY:Angie\r\nDTSTART;TZID=America/New_York:20270407T100000\r\nRRULE:FREQ=HOURLY;COUNT=3\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:fine\r\nSUMMARY:Angie\r\nDTSTART;TZID=America/New_York:20270408T100000\r\nDTEND;TZID=America/New_York:20270408T120000\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
    let schedule = Schedule::from_ics(text, &config().roster, NY).unwrap();
    let skipped: Vec<String> = schedule.skipped().iter().map(|s| s.to_string()).collect();
    assert_eq!(skipped.len(), 3, "{skipped:#?}");
    assert!(
        skipped[0].contains("\"weekno\"")
            && skipped[0].contains("\"Angie\"")
            && skipped[0].contains("BYWEEKNO"),
        "{}",
        skipped[0]
    );
    assert!(
        skipped[1].contains("\"weekly-monthday\"")
            && skipped[1].contains("\"Courtney\"")
            && skipped[1].contains("BYMONTHDAY must not be used with FREQ=WEEKLY"),
        "{}",
        skipped[1]
    );
    assert!(
        skipped[2].contains("\"hourly\"") && skipped[2].contains("FREQ=HOURLY"),
        "{}",
        skipped[2]
    );
    let shifts = schedule.occurrences(span("2027-04-01T00:00:00Z", "2027-05-01T00:00:00Z"));
    let uids: Vec<&str> = shifts.iter().map(|o| o.uid.as_str()).collect();
    assert_eq!(
        uids,
        ["fine", "fine"],
        "no occurrence of a skipped event is guessed"
    );
}

#[test]
fn a_pathological_rule_does_not_hang() {
    let body = "BEGIN:VEVENT\nUID:p\nDTSTART:20270101T000000Z\nRRULE:FREQ=SECONDLY\nEND:VEVENT\nBEGIN:VEVENT\nUID:q\nDTSTART:20270101T000000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\n";
    let started = std::time::Instant::now();
    let got = spans_of(body, span("2027-01-01T00:00:00Z", "2127-01-01T00:00:00Z"));
    eprintln!(
        "figure: pathological rules expanded in {:?}",
        started.elapsed()
    );
    // The expansion ends (the test returns at all) and is bounded: the
    // SECONDLY rule is refused (its event skipped) rather than producing a
    // century of seconds, and the impossible 30 February yields nothing.
    assert!(!got.is_empty());
    assert!(got.len() < 1_000_000, "{} occurrences", got.len());
    let feb30 = "BEGIN:VEVENT\nUID:q\nDTSTART:20270101T000000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\n";
    let never = spans_of(feb30, span("2027-01-01T00:00:00Z", "2127-01-01T00:00:00Z"));
    assert_eq!(never.len(), 1, "only DTSTART itself occurs: {never:?}");
}

// --- cover edits -----------------------------------------------------------

use shiftcover::calendar::edit::{self, Method};
use shiftcover::calendar::ics_file::{IcsFile, apply_to};
use shiftcover::calendar::{CoverEdit, EditOp};

fn cover(
    owner: &str,
    owner_name: &str,
    coverer: &str,
    coverer_name: &str,
    label: &str,
    s: Span,
) -> CoverEdit {
    CoverEdit {
        uid: format!(
            "cover-{}-{}@example.edu",
            owner.split('@').next().unwrap(),
            s.start.timestamp()
        ),
        owner_email: owner.into(),
        owner_name: owner_name.into(),
        coverer_email: coverer.into(),
        coverer_name: coverer_name.into(),
        span: s,
        label: label.into(),
        organizer_email: "coverage@example.edu".into(),
        organizer_name: "Ask Chat Coverage".into(),
        sequence: 0,
    }
}

fn dana_for_courtney() -> CoverEdit {
    cover(
        "ccrummett@example.edu",
        "Courtney Crummett",
        "dwhitfield@example.edu",
        "Dana Whitfield",
        "Dana for Courtney",
        span("2027-05-07T15:30:00-04:00", "2027-05-07T17:00:00-04:00"),
    )
}

fn now() -> DateTime<Utc> {
    at("2027-04-22T13:40:55Z")
}

fn schedule_of(cal: &Component) -> Schedule {
    Schedule::new(cal.clone(), &config().roster, NY)
}

fn starts_of(s: &Schedule, who: &str, d: &str) -> Vec<(String, String)> {
    s.shifts_on(who, day(d))
        .iter()
        .map(|o| {
            (
                o.span.start.with_timezone(&NY).format("%H:%M").to_string(),
                o.span.end.with_timezone(&NY).format("%H:%M").to_string(),
            )
        })
        .collect()
}

fn hm(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn covering_courtneys_friday_moves_that_one_occurrence_to_dana() {
    let roster = config().roster;
    let mut cal = ical::parse(&example_text()).unwrap();
    let op = EditOp::Cover(dana_for_courtney());
    assert!(apply_to(&mut cal, &op, &roster, NY, now()));
    let s = schedule_of(&cal);
    let cc = "ccrummett@example.edu";
    assert!(
        starts_of(&s, cc, "2027-05-07").is_empty(),
        "Courtney's occurrence is released"
    );
    assert_eq!(starts_of(&s, cc, "2027-04-30"), vec![hm("15:30", "17:00")]);
    assert_eq!(starts_of(&s, cc, "2027-05-14"), vec![hm("15:30", "17:00")]);
    let dana = s.shifts_on("dwhitfield@example.edu", day("2027-05-07"));
    assert_eq!(dana.len(), 2, "her own 10:00 and the cover");
    assert_eq!(dana[1].summary, "Dana for Courtney");
    assert_eq!(dana[1].span, dana_for_courtney().span);
    // The rest of the week is as it was.
    let week = s.occurrences(span(
        "2027-05-03T00:00:00-04:00",
        "2027-05-10T00:00:00-04:00",
    ));
    assert_eq!(week.len(), 20);

    let text = cal.to_ics().replace("\r\n ", "");
    assert!(text.contains("ATTENDEE;CN=Dana Whitfield;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;SCHEDULE-AGENT=CLIENT:mailto:dwhitfield@example.edu"));
    assert!(text.contains("SUMMARY:Dana for Courtney"));
    // EXDATE written like DTSTART: same TZID, local time.
    assert!(text.contains("EXDATE;TZID=America/New_York;"), "{text}");
    assert!(text.contains(":20270507T153000\r\n"));
    let master = cal
        .components
        .iter()
        .find(|c| c.uid() == "askchat-fr-1530@example.edu")
        .unwrap();
    assert_eq!(master.value("SEQUENCE"), Some("1"));
    assert_eq!(master.value("DTSTAMP"), Some("20270422T134055Z"));
    // Only one VTIMEZONE: the file already had one for the zone.
    assert_eq!(cal.children("VTIMEZONE").count(), 1);
}

#[test]
fn a_cover_applied_twice_changes_nothing_the_second_time() {
    let roster = config().roster;
    let mut cal = ical::parse(&example_text()).unwrap();
    let op = EditOp::Cover(dana_for_courtney());
    assert!(apply_to(&mut cal, &op, &roster, NY, now()));
    let once = cal.to_ics();
    assert!(!apply_to(
        &mut cal,
        &op,
        &roster,
        NY,
        at("2027-04-23T09:00:00Z")
    ));
    assert_eq!(cal.to_ics(), once);
}

#[test]
fn uncover_gives_the_occurrence_back_and_removes_the_cover_event() {
    let roster = config().roster;
    let original = ical::parse(&example_text()).unwrap();
    let mut cal = original.clone();
    let e = dana_for_courtney();
    assert!(apply_to(
        &mut cal,
        &EditOp::Cover(e.clone()),
        &roster,
        NY,
        now()
    ));
    assert!(apply_to(
        &mut cal,
        &EditOp::Uncover(e.clone()),
        &roster,
        NY,
        now()
    ));
    assert!(!apply_to(
        &mut cal,
        &EditOp::Uncover(e.clone()),
        &roster,
        NY,
        now()
    ));
    let s = schedule_of(&cal);
    assert_eq!(
        starts_of(&s, "ccrummett@example.edu", "2027-05-07"),
        vec![hm("15:30", "17:00")]
    );
    assert_eq!(
        s.shifts_on("dwhitfield@example.edu", day("2027-05-07"))
            .len(),
        1
    );
    assert!(!cal.to_ics().contains("X-SHIFTCOVER"));
    assert!(!cal.to_ics().contains("EXDATE"));
    // Every event but the edited master is exactly as it was.
    for (a, b) in original.components.iter().zip(&cal.components) {
        if a.uid() != "askchat-fr-1530@example.edu" {
            assert_eq!(a, b);
        }
    }
    // And the cover can be applied again after.
    assert!(apply_to(&mut cal, &EditOp::Cover(e), &roster, NY, now()));
    assert!(starts_of(&schedule_of(&cal), "ccrummett@example.edu", "2027-05-07").is_empty());
}

fn angie_monday(a: &str, b: &str) -> CoverEdit {
    cover(
        "alopez@example.edu",
        "Angie Lopez",
        "bokafor@example.edu",
        "Ben Okafor",
        "Ben for Angie",
        span(
            &format!("2027-04-19T{a}:00-04:00"),
            &format!("2027-04-19T{b}:00-04:00"),
        ),
    )
}

#[test]
fn covering_part_of_a_shift_leaves_the_owner_the_rest() {
    let roster = config().roster;
    let al = "alopez@example.edu";
    for (a, b, left) in [
        ("12:00", "13:00", vec![hm("13:00", "14:00")]),
        ("13:00", "14:00", vec![hm("12:00", "13:00")]),
        (
            "12:30",
            "13:30",
            vec![hm("12:00", "12:30"), hm("13:30", "14:00")],
        ),
    ] {
        let mut cal = ical::parse(&example_text()).unwrap();
        let e = angie_monday(a, b);
        assert!(apply_to(
            &mut cal,
            &EditOp::Cover(e.clone()),
            &roster,
            NY,
            now()
        ));
        let s = schedule_of(&cal);
        assert_eq!(starts_of(&s, al, "2027-04-19"), left, "{a}-{b}");
        // Other Mondays keep the whole shift.
        assert_eq!(starts_of(&s, al, "2027-04-26"), vec![hm("12:00", "14:00")]);
        let ben: Vec<_> = starts_of(&s, "bokafor@example.edu", "2027-04-19");
        assert!(ben.contains(&hm(a, b)), "{ben:?}");
        // Idempotent.
        let once = cal.to_ics();
        assert!(!apply_to(
            &mut cal,
            &EditOp::Cover(e.clone()),
            &roster,
            NY,
            now()
        ));
        assert_eq!(cal.to_ics(), once);
        // The written file expands the same with a fresh parse.
        let reread = Schedule::from_ics(&once, &roster, NY).unwrap();
        assert_eq!(starts_of(&reread, al, "2027-04-19"), left);
        // Uncover restores the whole shift.
        assert!(apply_to(&mut cal, &EditOp::Uncover(e), &roster, NY, now()));
        assert_eq!(
            starts_of(&schedule_of(&cal), al, "2027-04-19"),
            vec![hm("12:00", "14:00")]
        );
        assert!(!cal.to_ics().contains("X-SHIFTCOVER"));
    }
}

#[test]
fn an_existing_override_is_cancelled_rather_than_excluded() {
    let text = example_text().replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\r\nUID:askchat-mo-1200@example.edu\r\nRECURRENCE-ID;TZID=America/New_York:20270419T120000\r\nDTSTART;TZID=America/New_York:20270419T130000\r\nDTEND;TZID=America/New_York:20270419T150000\r\nSUMMARY:Ask Chat shift (moved)\r\nATTENDEE:mailto:alopez@example.edu\r\nEND:VEVENT\r\nEND:VCALENDAR",
    );
    let roster = config().roster;
    let mut cal = ical::parse(&text).unwrap();
    let al = "alopez@example.edu";
    assert_eq!(
        starts_of(&schedule_of(&cal), al, "2027-04-19"),
        vec![hm("13:00", "15:00")]
    );
    let e = angie_monday("13:00", "15:00");
    assert!(apply_to(
        &mut cal,
        &EditOp::Cover(e.clone()),
        &roster,
        NY,
        now()
    ));
    assert!(starts_of(&schedule_of(&cal), al, "2027-04-19").is_empty());
    let ov = cal
        .components
        .iter()
        .find(|c| c.property("RECURRENCE-ID").is_some())
        .unwrap();
    assert_eq!(ov.value("STATUS"), Some("CANCELLED"));
    assert_eq!(ov.value("SEQUENCE"), Some("1"));
    let master = cal
        .components
        .iter()
        .find(|c| c.uid() == "askchat-mo-1200@example.edu" && c.property("RRULE").is_some())
        .unwrap();
    assert!(master.property("EXDATE").is_none());
    assert!(apply_to(&mut cal, &EditOp::Uncover(e), &roster, NY, now()));
    assert_eq!(
        starts_of(&schedule_of(&cal), al, "2027-04-19"),
        vec![hm("13:00", "15:00")]
    );
    let ov = cal
        .components
        .iter()
        .find(|c| c.property("RECURRENCE-ID").is_some())
        .unwrap();
    assert_eq!(ov.value("STATUS"), None);
}

#[test]
fn exdate_follows_the_value_type_of_dtstart() {
    let roster = config().roster;
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:utc-series\r\nDTSTART:20270405T140000Z\r\nDTEND:20270405T160000Z\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:Angie\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let mut cal = ical::parse(text).unwrap();
    let e = angie_monday("10:00", "12:00");
    assert!(edit::release_occurrence(&mut cal, &e, &roster, NY, now()));
    let ex = cal.components[0].property("EXDATE").unwrap();
    assert_eq!(ex.value, "20270419T140000Z");
    assert_eq!(ex.param("TZID"), None);
}

#[test]
fn someone_elses_shift_is_not_released() {
    let roster = config().roster;
    let mut cal = ical::parse(&example_text()).unwrap();
    // Angie has no shift on Tuesday 10:00 (Tom does).
    let e = cover(
        "alopez@example.edu",
        "Angie Lopez",
        "bokafor@example.edu",
        "Ben Okafor",
        "Ben for Angie",
        span("2027-04-20T10:00:00-04:00", "2027-04-20T12:00:00-04:00"),
    );
    assert!(!edit::release_occurrence(&mut cal, &e, &roster, NY, now()));
    assert_eq!(
        starts_of(&schedule_of(&cal), "tbecker@example.edu", "2027-04-20"),
        vec![hm("10:00", "12:00")]
    );
}

#[test]
fn the_invitation_is_an_imip_request_with_its_zone() {
    let e = dana_for_courtney();
    let text = edit::invitation(&e, Method::Request, 0, NY, now());
    assert!(text.contains("\r\n"));
    let cal = ical::parse(&text).unwrap();
    assert_eq!(cal.value("METHOD"), Some("REQUEST"));
    assert_eq!(cal.value("VERSION"), Some("2.0"));
    assert!(cal.value("PRODID").is_some());
    let vtz = cal.children("VTIMEZONE").next().unwrap();
    assert_eq!(vtz.value("TZID"), Some("America/New_York"));
    let daylight = vtz.children("DAYLIGHT").next().unwrap();
    assert_eq!(
        daylight.value("RRULE"),
        Some("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU")
    );
    assert_eq!(daylight.value("TZOFFSETTO"), Some("-0400"));
    assert_eq!(daylight.value("DTSTART"), Some("19700308T020000"));
    let standard = vtz.children("STANDARD").next().unwrap();
    assert_eq!(
        standard.value("RRULE"),
        Some("FREQ=YEARLY;BYMONTH=11;BYDAY=1SU")
    );
    assert_eq!(standard.value("TZOFFSETTO"), Some("-0500"));
    assert_eq!(standard.value("TZNAME"), Some("EST"));
    let ev = cal.children("VEVENT").next().unwrap();
    assert_eq!(ev.value("UID"), Some(e.uid.as_str()));
    assert_eq!(ev.value("SEQUENCE"), Some("0"));
    assert_eq!(ev.value("DTSTAMP"), Some("20270422T134055Z"));
    assert_eq!(ev.value("SUMMARY"), Some("Dana for Courtney"));
    assert_eq!(ev.value("STATUS"), Some("CONFIRMED"));
    let start = ev.property("DTSTART").unwrap();
    assert_eq!(
        (start.param("TZID"), start.value.as_str()),
        (Some("America/New_York"), "20270507T153000")
    );
    let org = ev.property("ORGANIZER").unwrap();
    assert_eq!(org.value, "mailto:coverage@example.edu");
    assert_eq!(org.param("CN"), Some("Ask Chat Coverage"));
    let att = ev.property("ATTENDEE").unwrap();
    assert_eq!(att.value, "mailto:dwhitfield@example.edu");
    assert_eq!(att.param("CN"), Some("Dana Whitfield"));
    assert_eq!(att.param("ROLE"), Some("REQ-PARTICIPANT"));
    assert_eq!(att.param("PARTSTAT"), Some("NEEDS-ACTION"));
    assert_eq!(att.param("RSVP"), Some("TRUE"));
    // Read with its own VTIMEZONE only (zone renamed so no IANA name helps),
    // the event spans the covered shift.
    let renamed = text.replace("America/New_York", "Generated Eastern");
    let got = expand(
        &ical::parse(&renamed).unwrap(),
        span("2027-05-01T00:00:00Z", "2027-06-01T00:00:00Z"),
        chrono_tz::UTC,
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].span, e.span);

    let cancel = ical::parse(&edit::invitation(&e, Method::Cancel, 1, NY, now())).unwrap();
    assert_eq!(cancel.value("METHOD"), Some("CANCEL"));
    let ev = cancel.children("VEVENT").next().unwrap();
    assert_eq!(ev.value("STATUS"), Some("CANCELLED"));
    assert_eq!(ev.value("SEQUENCE"), Some("1"));
    assert_eq!(ev.value("UID"), Some(e.uid.as_str()));
}

#[test]
fn generated_zones_agree_with_the_tz_database() {
    for (zone, name) in [
        (chrono_tz::Europe::Berlin, "Europe/Berlin"),
        (chrono_tz::Australia::Sydney, "Australia/Sydney"),
        (chrono_tz::Asia::Tokyo, "Asia/Tokyo"),
        (chrono_tz::America::Sao_Paulo, "America/Sao_Paulo"),
    ] {
        let vtz = edit::vtimezone(zone, 2027);
        let mut cal = Component::new("VCALENDAR");
        let mut renamed = vtz.clone();
        renamed.set(ical::Property::new("TZID", "Generated"));
        cal.components.push(renamed);
        let mut ev = Component::new("VEVENT");
        ev.properties.push(ical::Property::new("UID", "x"));
        ev.properties.push(
            ical::Property::new("DTSTART", "20270101T100000").with_param("TZID", "Generated"),
        );
        ev.properties
            .push(ical::Property::new("RRULE", "FREQ=DAILY;COUNT=365"));
        cal.components.push(ev);
        let got = expand(
            &cal,
            span("2026-12-30T00:00:00Z", "2028-01-02T00:00:00Z"),
            chrono_tz::UTC,
        );
        assert_eq!(got.len(), 365, "{name}");
        for x in got {
            let local = x.span.start.with_timezone(&zone);
            assert_eq!(
                local.format("%H:%M").to_string(),
                "10:00",
                "{name} on {local}"
            );
        }
    }
    assert_eq!(
        edit::vtimezone(chrono_tz::Asia::Tokyo, 2027)
            .components
            .len(),
        1
    );
    let berlin = edit::vtimezone(chrono_tz::Europe::Berlin, 2027);
    assert!(
        berlin
            .to_ics()
            .contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
    );
}

/// Every zone of the tz database, written as a VTIMEZONE for a year, read
/// back by the program's own reader from the written text, gives the same
/// UTC offset as the tz database at every instant tried (every four days
/// and around each change) from the year before to the last year the
/// VTIMEZONE promises.
#[test]
fn written_vtimezones_agree_with_the_tz_database_in_every_zone_and_year() {
    use chrono::{Offset, TimeDelta, TimeZone};
    use shiftcover::ical::zone::{CustomZone, Zone};
    let started = std::time::Instant::now();
    let (mut zones, mut instants, mut rdates, mut rules) = (0, 0, 0, 0);
    let mut wrong = Vec::new();
    for tz in chrono_tz::TZ_VARIANTS {
        for year in [1999, 2013, 2026] {
            let written = edit::vtimezone(tz, year).to_ics();
            rdates += written.matches("RDATE").count();
            rules += written.matches("RRULE").count();
            let text = format!("BEGIN:VCALENDAR\r\n{written}END:VCALENDAR\r\n");
            let cal = ical::parse(&text).unwrap();
            let vtz = cal.children("VTIMEZONE").next().unwrap();
            let read = Zone::Custom(std::sync::Arc::new(
                CustomZone::from_vtimezone(vtz).unwrap_or_else(|| panic!("{tz} {year}")),
            ));
            zones += 1;
            let from = Utc.with_ymd_and_hms(year - 1, 1, 1, 0, 0, 0).unwrap();
            let to = Utc
                .with_ymd_and_hms(year + edit::VTIMEZONE_YEARS_AHEAD + 1, 1, 1, 0, 0, 0)
                .unwrap();
            let mut t = from;
            let mut last_offset = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
            while t < to {
                let offset = tz.offset_from_utc_datetime(&t.naive_utc()).fix();
                let mut tried = vec![t];
                if offset != last_offset {
                    // A change happened in the last step: try around it.
                    let (mut lo, mut hi) = (t - TimeDelta::days(4), t);
                    while hi - lo > TimeDelta::seconds(1) {
                        let mid = lo + (hi - lo) / 2;
                        if tz.offset_from_utc_datetime(&mid.naive_utc()).fix() == last_offset {
                            lo = mid
                        } else {
                            hi = mid
                        }
                    }
                    tried.extend([lo, hi, hi + TimeDelta::hours(1), lo - TimeDelta::hours(1)]);
                }
                for at in tried {
                    instants += 1;
                    let want = tz
                        .offset_from_utc_datetime(&at.naive_utc())
                        .fix()
                        .local_minus_utc();
                    let want_local = at.naive_utc() + TimeDelta::seconds(want as i64);
                    if read.to_local(at) != want_local && wrong.len() < 30 {
                        wrong.push(format!(
                            "{tz} written for {year}: at {at} the tz database says {want_local}, the VTIMEZONE {}",
                            read.to_local(at)
                        ));
                    }
                }
                last_offset = offset;
                t += TimeDelta::days(4);
            }
        }
    }
    eprintln!(
        "figure: {zones} VTIMEZONEs ({rules} RRULEs, {rdates} RDATEs) checked at {instants} instants in {:?}",
        started.elapsed()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn israel_friday_before_the_last_sunday_is_one_rule() {
    let written = edit::vtimezone(chrono_tz::Asia::Jerusalem, 2027).to_ics();
    assert!(
        written.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29"),
        "{written}"
    );
}

#[test]
fn a_cover_in_a_file_without_the_zone_adds_its_vtimezone() {
    let roster = config().roster;
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTART;TZID=America/New_York:20270405T120000\r\nDTEND;TZID=America/New_York:20270405T140000\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:AL\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let mut cal = ical::parse(text).unwrap();
    let e = angie_monday("12:00", "14:00");
    assert!(apply_to(&mut cal, &EditOp::Cover(e), &roster, NY, now()));
    assert_eq!(cal.components[0].name, "VTIMEZONE");
    assert_eq!(cal.children("VTIMEZONE").count(), 1);
}

#[test]
fn the_ics_file_is_edited_in_place_and_kept_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schedule.ics");
    std::fs::write(&path, example_text()).unwrap();
    let roster = config().roster;
    let file = IcsFile::new(path.clone());
    let op = EditOp::Cover(dana_for_courtney());
    assert!(file.apply(&op, &roster, NY, now()).unwrap());
    let written = std::fs::read_to_string(&path).unwrap();
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    assert!(!file.apply(&op, &roster, NY, now()).unwrap());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        written,
        "nothing written the second time"
    );
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        modified
    );
    // Every line of the original is still there, except the edited
    // series' stamp.
    let unfolded = written.replace("\r\n ", "");
    let out: std::collections::HashSet<&str> = unfolded.split("\r\n").collect();
    for line in example_text().lines() {
        if line.starts_with("DTSTAMP") {
            continue;
        }
        assert!(out.contains(line), "lost {line:?}");
    }
    let s = file.schedule(&roster, NY).unwrap();
    assert!(
        s.shifts_on("ccrummett@example.edu", day("2027-05-07"))
            .is_empty()
    );
    // No temporary file left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_missing_or_broken_file_is_a_permanent_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let roster = config().roster;
    let missing = IcsFile::new(dir.path().join("nope.ics"));
    let e = missing.schedule(&roster, NY).unwrap_err();
    assert!(!e.transient);
    assert!(e.message.contains("nope.ics"), "{}", e.message);
    let broken = dir.path().join("broken.ics");
    std::fs::write(
        &broken,
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let e = IcsFile::new(broken)
        .apply(&EditOp::Cover(dana_for_courtney()), &roster, NY, now())
        .unwrap_err();
    assert!(!e.transient);
    assert!(
        e.message.contains("broken.ics") && e.message.contains("line 3"),
        "{}",
        e.message
    );
}

// --- ownership rules ---------------------------------------------------------

fn event(lines: &str) -> Component {
    let text = format!(
        "BEGIN:VEVENT\r\nUID:x\r\n{}END:VEVENT\r\n",
        lines.replace('\n', "\r\n")
    );
    ical::parse(&text).unwrap()
}

#[test]
fn ownership_prefers_an_attendee_who_is_not_the_organizer() {
    use shiftcover::schedule::owner_of;
    let roster = config().roster;
    let ev = event(
        "ORGANIZER:mailto:ccrummett@example.edu\nATTENDEE:mailto:ccrummett@example.edu\nATTENDEE;CN=Dana:MAILTO:DWhitfield@Example.edu\nSUMMARY:Ben\n",
    );
    assert_eq!(
        owner_of(&ev, &roster).as_deref(),
        Some("dwhitfield@example.edu")
    );
    // An attendee off the roster does not count; the summary decides.
    let ev = event("ATTENDEE:mailto:someone@elsewhere.org\nSUMMARY:  angie \n");
    assert_eq!(
        owner_of(&ev, &roster).as_deref(),
        Some("alopez@example.edu")
    );
    // The organizer alone owns nothing.
    let ev = event("ORGANIZER:mailto:alopez@example.edu\nSUMMARY:Ask Chat shift\n");
    assert_eq!(owner_of(&ev, &roster), None);
    // Escaped text is read as text.
    let ev = event("SUMMARY:Lopez\\, Angie\n");
    assert_eq!(owner_of(&ev, &roster), None);
    let ev = event("SUMMARY:Angie Lopez\n");
    assert_eq!(
        owner_of(&ev, &roster).as_deref(),
        Some("alopez@example.edu")
    );
}

#[test]
fn an_ambiguous_summary_names_no_one() {
    use shiftcover::schedule::owner_of;
    let mut roster = config().roster;
    let mut twin = roster.members[1].clone();
    twin.name = "Angie Park".into();
    twin.email = "apark@example.edu".into();
    twin.initials = "AP".into();
    twin.aliases = vec![];
    roster.members.push(twin);
    // "Angie" is Angie Lopez's alias, so the alias tier still decides...
    assert_eq!(
        owner_of(&event("SUMMARY:Angie\n"), &roster).as_deref(),
        Some("alopez@example.edu")
    );
    // ...but a first name shared by two people with no alias is nobody's.
    roster.members[1].aliases.clear();
    assert_eq!(owner_of(&event("SUMMARY:Angie\n"), &roster), None);
}

#[test]
fn extreme_dates_and_lengths_do_not_panic() {
    let body = "BEGIN:VEVENT\nUID:a\nDTSTART:99991231T235959\nDURATION:P36000D\nRRULE:FREQ=DAILY\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\nDTSTART;TZID=America/New_York:00010101T000000\nDTEND:99991231T235959Z\nRRULE:FREQ=YEARLY;INTERVAL=1000\nRDATE;VALUE=PERIOD:99991231T000000Z/P36000D\nEXDATE:00010101T000000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:c\nDTSTART;VALUE=DATE:99991231\nRRULE:FREQ=MONTHLY;BYDAY=-1SU\nEND:VEVENT\n";
    let got = spans_of(body, span("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"));
    assert!(!got.is_empty());
    let got = spans_of(body, span("2027-01-01T00:00:00Z", "2027-02-01T00:00:00Z"));
    assert!(
        got.iter().any(|(s, _)| s.start.timestamp() < 0),
        "event b spans all years"
    );
}
