//! The iCalendar reader: parse, write back, and expand over a window, as
//! the schedule does with the shift calendar. Must never panic.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use shiftcover::model::Span;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(calendar) = shiftcover::ical::parse(text) else {
        return;
    };
    // Written back, it parses again.
    let written = calendar.to_ics();
    assert!(shiftcover::ical::parse(&written).is_ok(), "{written}");
    let window = Span::new(
        Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap(),
    );
    for zone in [chrono_tz::America::New_York, chrono_tz::UTC] {
        let _ = shiftcover::ical::expand(&calendar, window, zone);
    }
    // And as the shift calendar: owners found, occurrences listed.
    let roster = &ROSTER.roster;
    let schedule = shiftcover::schedule::Schedule::new(calendar, roster, chrono_tz::America::New_York);
    let _ = schedule.occurrences(window);
});

static ROSTER: std::sync::LazyLock<shiftcover::config::Config> = std::sync::LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/messages");
    shiftcover::config::Config::load(&dir.join("shiftcover.toml")).expect("the test config")
});
