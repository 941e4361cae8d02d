//! Which shifts a message's words are about, read against the example
//! schedule and roster (America/New_York, service 10:00-17:00, mdy).

use std::path::Path;
use std::sync::LazyLock;

use chrono::NaiveDate;
use shiftcover::config::Config;
use shiftcover::read::resolve::{Found, Mode, find_shifts, find_shifts_with_subject};
use shiftcover::schedule::Schedule;

fn fixture_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/dates"))
}

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    let text = std::fs::read_to_string(fixture_dir().join("shiftcover.toml")).expect("config");
    Config::from_toml(&text, fixture_dir()).expect("valid config")
});

static SCHEDULE: LazyLock<Schedule> = LazyLock::new(|| {
    let text = std::fs::read_to_string(fixture_dir().join("schedule.ics")).expect("schedule");
    Schedule::from_ics(&text, &CONFIG.roster, CONFIG.timezone).expect("valid schedule")
});

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("test date")
}

fn find(text: &str, today: NaiveDate, person: Option<&str>, mode: Mode) -> Found {
    find_shifts(text, today, person, &SCHEDULE, &CONFIG, mode)
}

/// Spans as the contract prints them: "start/end" in the configured zone.
fn shown(found: &Found) -> Vec<String> {
    let zone = CONFIG.timezone;
    found
        .spans
        .iter()
        .map(|s| {
            format!(
                "{}/{}",
                s.start.with_timezone(&zone).to_rfc3339(),
                s.end.with_timezone(&zone).to_rfc3339()
            )
        })
        .collect()
}

#[track_caller]
fn check(text: &str, today: NaiveDate, person: &str, mode: Mode, expected: &[&str]) {
    let found = find(text, today, Some(person), mode);
    assert_eq!(
        shown(&found),
        expected,
        "\ntext: {text:?}\ndiagnostics: {:#?}",
        found.diagnostics
    );
}

const MEI: &str = "mchen@example.edu";
const BEN: &str = "bokafor@example.edu";
const JORGE: &str = "jalvarez@example.edu";
const TOM: &str = "tbecker@example.edu";
const DANA: &str = "dwhitfield@example.edu";
const ANGIE: &str = "alopez@example.edu";

#[test]
fn the_example_messages() {
    use Mode::*;
    // p01: a day without times is the sender's shift that day.
    check(
        "Hi all,\n\nCould someone cover my Tuesday 11/10 chat shift? I'm running a workshop for the nursing cohort then.\n\nThanks,\nMei\n\nMei Chen | Health Sciences Librarian | 555-201-3090",
        d(2026, 11, 2),
        MEI,
        Shifts,
        &["2026-11-10T12:00:00-05:00/2026-11-10T14:00:00-05:00"],
    );
    // p04: covered, the shift of the person covered.
    check(
        "Hi all,\n\nAll set: Dana's taking my Tuesday 11/10 shift. Thank you, Dana!\n\nMei",
        d(2026, 11, 3),
        MEI,
        Shifts,
        &["2026-11-10T12:00:00-05:00/2026-11-10T14:00:00-05:00"],
    );
    // p05: the explicit time wins over "the first half hour".
    check(
        "Hi all,\n\nI need to leave early on Tuesday 11/17. Could someone cover 2:30-3:30? I can do the first half hour myself.\n\nThanks,\nJorge",
        d(2026, 11, 4),
        JORGE,
        Shifts,
        &["2026-11-17T14:30:00-05:00/2026-11-17T15:30:00-05:00"],
    );
    // p07: today.
    check(
        "Home sick today, can't do my chat shift. Sorry all.\n\nBen\n\nSent from my iPhone",
        d(2026, 11, 9),
        BEN,
        Shifts,
        &["2026-11-09T14:00:00-05:00/2026-11-09T15:30:00-05:00"],
    );
    // p08: the coordinator's note, read for Ben.
    check(
        "Hi all,\n\nQuick update: Priya is taking Ben's chat shift this afternoon. Thank you, Priya!\n\nCourtney",
        d(2026, 11, 9),
        BEN,
        Shifts,
        &["2026-11-09T14:00:00-05:00/2026-11-09T15:30:00-05:00"],
    );
    // p09: an offer with a stated time.
    check(
        "Jorge, put me down for 2:30-3:30 on 11/17.\n\nTom",
        d(2026, 11, 10),
        TOM,
        ExplicitOnly,
        &["2026-11-17T14:30:00-05:00/2026-11-17T15:30:00-05:00"],
    );
    // p14: tomorrow, in daylight time.
    check(
        "Hi all, I've come down with a fever and I'm staying home tomorrow. Sorry to leave my chat shift uncovered!\n\nBen",
        d(2027, 4, 6),
        BEN,
        Shifts,
        &["2027-04-07T15:30:00-04:00/2027-04-07T17:00:00-04:00"],
    );
    // p15
    check(
        "Hi all,\n\nCan anyone cover my Wednesday 4/14 chat shift, 10-12? I'll be at a training.\n\nThanks!\nDana",
        d(2027, 4, 7),
        DANA,
        Shifts,
        &["2027-04-14T10:00:00-04:00/2027-04-14T12:00:00-04:00"],
    );
}

#[test]
fn the_subject_counts_only_when_the_body_names_no_day() {
    let both = |subject: &str, body: &str, today, person, mode| {
        find_shifts_with_subject(subject, body, today, Some(person), &SCHEDULE, &CONFIG, mode)
    };
    // p03: an offer without a time gives nothing, though the subject has a day.
    let found = both(
        "Re: Chat coverage Tues 11/10?",
        "Hi Mei,\n\nI'm free then and happy to do it.\n\nDana",
        d(2026, 11, 3),
        DANA,
        Mode::ExplicitOnly,
    );
    assert!(found.spans.is_empty(), "{found:?}");
    // An offer's subject does not state the offer's times.
    let found = both(
        "Re: Help! Need chat coverage tomorrow 12-2",
        "Yes, I can do it.\n\nTom",
        d(2027, 1, 19),
        TOM,
        Mode::ExplicitOnly,
    );
    assert!(found.spans.is_empty(), "{found:?}");
    // But a time it states binds to the subject's day.
    let found = both(
        "Re: Coverage Tue 11/17",
        "I can do 3:30-5 if that helps",
        d(2026, 11, 10),
        TOM,
        Mode::ExplicitOnly,
    );
    assert_eq!(
        shown(&found),
        ["2026-11-17T15:30:00-05:00/2026-11-17T17:00:00-05:00"]
    );
    // A time in the body binds to the subject's day.
    let found = both(
        "Coverage for part of my Tuesday shift (11/17)",
        "Could someone cover 2:30-3:30?",
        d(2026, 11, 4),
        JORGE,
        Mode::Shifts,
    );
    assert_eq!(
        shown(&found),
        ["2026-11-17T14:30:00-05:00/2026-11-17T15:30:00-05:00"]
    );
    // The body names its own day: the subject's is not read.
    let found = both(
        "Re: Chat coverage Tues 11/10?",
        "Actually, could someone cover my Wednesday 11/11 shift instead?",
        d(2026, 11, 3),
        ANGIE,
        Mode::Shifts,
    );
    assert_eq!(
        shown(&found),
        ["2026-11-11T12:00:00-05:00/2026-11-11T14:00:00-05:00"]
    );
}

#[test]
fn a_time_with_no_day_anywhere_is_today() {
    let found = find(
        "Feeling crummy, going home. Can someone pick up my 3:30-5?",
        d(2027, 1, 19),
        Some("skim@example.edu"),
        Mode::Shifts,
    );
    assert_eq!(
        shown(&found),
        ["2027-01-19T15:30:00-05:00/2027-01-19T17:00:00-05:00"]
    );
    assert!(!found.names_date);
}

#[test]
fn explicit_times_win_over_the_schedule() {
    // Mei's Tuesday shift is 12-2; she asks for 2-3 only... and 12-1.
    check(
        "cover 12-1 on Tuesday 11/10",
        d(2026, 11, 2),
        MEI,
        Mode::Shifts,
        &["2026-11-10T12:00:00-05:00/2026-11-10T13:00:00-05:00"],
    );
    // Repeating the day without a time does not add the whole shift back.
    check(
        "Can someone cover my Tuesday 11/10 shift? Just 1-2 on Tuesday 11/10.",
        d(2026, 11, 2),
        MEI,
        Mode::Shifts,
        &["2026-11-10T13:00:00-05:00/2026-11-10T14:00:00-05:00"],
    );
}

#[test]
fn overlapping_times_join_and_touching_shifts_stay_apart() {
    check(
        "I have a meeting 10:30-11:30 on Monday 12/7, can someone cover 10-12?",
        d(2026, 11, 30),
        TOM,
        Mode::Shifts,
        &["2026-12-07T10:00:00-05:00/2026-12-07T12:00:00-05:00"],
    );
    check(
        "Can someone cover 12-2 and 2-3:30 on Tue 12/8?",
        d(2026, 11, 30),
        TOM,
        Mode::Shifts,
        &[
            "2026-12-08T12:00:00-05:00/2026-12-08T14:00:00-05:00",
            "2026-12-08T14:00:00-05:00/2026-12-08T15:30:00-05:00",
        ],
    );
}

#[test]
fn of_several_times_the_persons_own_shift_is_the_ask() {
    check(
        "I'm covering the reference desk 2-4 on Friday 12/4, so can someone take my 3:30-5 chat shift?",
        d(2026, 11, 30),
        TOM,
        Mode::Shifts,
        &["2026-12-04T15:30:00-05:00/2026-12-04T17:00:00-05:00"],
    );
}

#[test]
fn parts_of_a_shift() {
    use Mode::Shifts;
    let jorge_tue = d(2026, 11, 4);
    check(
        "I have to leave at 3 on Tuesday 11/17",
        jorge_tue,
        JORGE,
        Shifts,
        &["2026-11-17T15:00:00-05:00/2026-11-17T15:30:00-05:00"],
    );
    check(
        "Can someone cover until 3 on Tue 11/17?",
        jorge_tue,
        JORGE,
        Shifts,
        &["2026-11-17T14:00:00-05:00/2026-11-17T15:00:00-05:00"],
    );
    check(
        "Could someone cover the first hour of my Tuesday 11/17 shift?",
        jorge_tue,
        JORGE,
        Shifts,
        &["2026-11-17T14:00:00-05:00/2026-11-17T15:00:00-05:00"],
    );
    check(
        "Need someone for the last half hour on Tue 11/17",
        jorge_tue,
        JORGE,
        Shifts,
        &["2026-11-17T15:00:00-05:00/2026-11-17T15:30:00-05:00"],
    );
    check(
        "the second half of my shift on Tue 11/17",
        jorge_tue,
        JORGE,
        Shifts,
        &["2026-11-17T14:45:00-05:00/2026-11-17T15:30:00-05:00"],
    );
    check(
        "my 2pm shift on Monday 11/9",
        d(2026, 11, 2),
        BEN,
        Shifts,
        &["2026-11-09T14:00:00-05:00/2026-11-09T15:30:00-05:00"],
    );
    // "4-5 of my shift" is a time, not a count ("2-3 of us").
    check(
        "Can someone cover 4-5 of my Tuesday shift on 12/15?",
        d(2026, 12, 9),
        "skim@example.edu",
        Shifts,
        &["2026-12-15T16:00:00-05:00/2026-12-15T17:00:00-05:00"],
    );
    // "2:30-3:30 of my 2-3:30": the second span names the whole shift.
    check(
        "could someone take 2:30-3:30 of my 2-3:30 on thurs 3/4? i can do the first half hour.",
        d(2027, 2, 26),
        "skim@example.edu",
        Shifts,
        &["2027-03-04T14:30:00-05:00/2027-03-04T15:30:00-05:00"],
    );
    // A part that matches no shift falls back to the day's shifts.
    check(
        "I have a dentist appointment Tuesday morning, can someone take my shift?",
        d(2026, 11, 2),
        MEI,
        Shifts,
        &["2026-11-03T12:00:00-05:00/2026-11-03T14:00:00-05:00"],
    );
}

#[test]
fn several_shifts_in_one_message() {
    check(
        "Could someone take my Monday and Wednesday shifts next week?",
        d(2026, 11, 4),
        BEN,
        Mode::Shifts,
        &[
            "2026-11-09T14:00:00-05:00/2026-11-09T15:30:00-05:00",
            "2026-11-11T15:30:00-05:00/2026-11-11T17:00:00-05:00",
        ],
    );
    // A range: Ben has no Tuesday shift, so Monday and Wednesday.
    check(
        "I'll be at a conference Mon 11/9 - Wed 11/11.",
        d(2026, 11, 2),
        BEN,
        Mode::Shifts,
        &[
            "2026-11-09T14:00:00-05:00/2026-11-09T15:30:00-05:00",
            "2026-11-11T15:30:00-05:00/2026-11-11T17:00:00-05:00",
        ],
    );
    check(
        "Tue 12/8 10-12 and Thu 12/10 2-3:30",
        d(2026, 11, 30),
        TOM,
        Mode::Shifts,
        &[
            "2026-12-08T10:00:00-05:00/2026-12-08T12:00:00-05:00",
            "2026-12-10T14:00:00-05:00/2026-12-10T15:30:00-05:00",
        ],
    );
}

#[test]
fn daylight_saving_weeks() {
    // Angie's Monday 12-2 the week before and after the November change.
    check(
        "cover my Monday 10/26 shift",
        d(2026, 10, 20),
        ANGIE,
        Mode::Shifts,
        &["2026-10-26T12:00:00-04:00/2026-10-26T14:00:00-04:00"],
    );
    check(
        "cover my shift next Monday",
        d(2026, 10, 29),
        ANGIE,
        Mode::Shifts,
        &["2026-11-02T12:00:00-05:00/2026-11-02T14:00:00-05:00"],
    );
    // March: Ben's Monday 2-3:30 on either side of 2027-03-14.
    check(
        "out sick Monday 3/8",
        d(2027, 3, 8),
        BEN,
        Mode::Shifts,
        &["2027-03-08T14:00:00-05:00/2027-03-08T15:30:00-05:00"],
    );
    check(
        "out sick Monday 3/15",
        d(2027, 3, 15),
        BEN,
        Mode::Shifts,
        &["2027-03-15T14:00:00-04:00/2027-03-15T15:30:00-04:00"],
    );
    // An explicit time on the Sunday of the change itself.
    check(
        "I can do 2-4 on Sunday 3/14",
        d(2027, 3, 10),
        BEN,
        Mode::ExplicitOnly,
        &["2027-03-14T14:00:00-04:00/2027-03-14T16:00:00-04:00"],
    );
}

#[test]
fn offers_give_only_stated_times() {
    use Mode::ExplicitOnly;
    check(
        "I can do 3:30-5 on Mon 12/7",
        d(2026, 11, 30),
        TOM,
        ExplicitOnly,
        &["2026-12-07T15:30:00-05:00/2026-12-07T17:00:00-05:00"],
    );
    check(
        "I can cover after 3 on Tue 11/17",
        d(2026, 11, 10),
        TOM,
        ExplicitOnly,
        &["2026-11-17T15:00:00-05:00/2026-11-17T17:00:00-05:00"],
    );
    let found = find(
        "I can take your Tuesday shift",
        d(2026, 11, 2),
        Some(TOM),
        ExplicitOnly,
    );
    assert!(found.spans.is_empty());
    assert!(found.names_date);
}

#[test]
fn nothing_without_a_day_or_a_shift() {
    let found = find(
        "Could someone cover my shift?",
        d(2026, 11, 2),
        Some(MEI),
        Mode::Shifts,
    );
    assert!(found.spans.is_empty());
    assert!(!found.names_date);

    // Mei works no Monday shift.
    let found = find(
        "cover my Monday 11/9 shift",
        d(2026, 11, 2),
        Some(MEI),
        Mode::Shifts,
    );
    assert!(found.spans.is_empty());
    assert!(found.names_date);
    assert!(
        found
            .diagnostics
            .iter()
            .any(|x| x == "no shift for mchen@example.edu on 2026-11-09"),
        "{:?}",
        found.diagnostics
    );

    // No person to read a schedule for, but explicit times still count.
    let found = find("cover Tuesday 11/10", d(2026, 11, 2), None, Mode::Shifts);
    assert!(found.spans.is_empty());
    let found = find(
        "cover 10-12 on Tuesday 11/10",
        d(2026, 11, 2),
        None,
        Mode::Shifts,
    );
    assert_eq!(
        shown(&found),
        ["2026-11-10T10:00:00-05:00/2026-11-10T12:00:00-05:00"]
    );
}

#[test]
fn reading_the_same_message_repeatedly_finds_the_same_shifts() {
    let text = "Hi all,\n\nI need to leave early on Tuesday 11/17. Could someone cover 2:30-3:30? \
                I can do the first half hour myself. If not, Thu 11/19 12-2 works too.\n\n\
                Thanks,\nJorge\n\nJorge Alvarez | Research Services | 555-201-3090";
    let runs = 300;
    let started = std::time::Instant::now();
    for _ in 0..runs {
        let found = find(text, d(2026, 11, 4), Some(JORGE), Mode::Shifts);
        assert_eq!(found.spans.len(), 2);
    }
    let each = started.elapsed() / runs;
    eprintln!("figure: {each:?} per message (debug build)");
}
