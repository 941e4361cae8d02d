//! Every input the fuzz targets (fuzz/fuzz_targets) ever found, and the
//! hostile shapes they started from, kept as tests: fuzz/regressions/
//! read_message/* go through the whole reading path with the test corpus's
//! config, fuzz/regressions/ical/* through the iCalendar reader. The checks
//! are the fuzz targets' own: no panic, and what each promises.

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use shiftcover::config::Config;
use shiftcover::model::Span;
use shiftcover::read::{ReadContext, read_message};
use shiftcover::schedule::Schedule;

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

/// The fuzz target's world: the test corpus's config (with the site's
/// authserv-id) and calendar.
fn world() -> (Config, Schedule) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages");
    let mut config = Config::load(&dir.join("shiftcover.toml")).expect("config");
    config.authserv_id = Some("mx.example.edu".into());
    let ics = std::fs::read_to_string(dir.join("schedule.ics")).expect("calendar");
    let schedule = Schedule::from_ics(&ics, &config.roster, config.timezone).expect("calendar");
    (config, schedule)
}

#[test]
fn every_message_the_fuzzer_found_reads_without_a_panic() {
    let (config, schedule) = world();
    let ctx = ReadContext {
        config: &config,
        schedule: &schedule,
    };
    for file in inputs("read_message") {
        let raw = std::fs::read(&file).expect("read");
        let started = std::time::Instant::now();
        let reading = read_message(&raw, &ctx);
        eprintln!(
            "figure: {} ({} bytes) read as {} in {:?}",
            file.display(),
            raw.len(),
            reading.kind.as_str(),
            started.elapsed()
        );
        assert!(
            reading.message_id.starts_with('<'),
            "{}: {reading:?}",
            file.display()
        );
    }
}

#[test]
fn every_calendar_the_fuzzer_found_parses_writes_and_expands_without_a_panic() {
    let config =
        Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages/shiftcover.toml"))
            .expect("config");
    let window = Span::new(
        Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap(),
    );
    for file in inputs("ical") {
        let Ok(text) = String::from_utf8(std::fs::read(&file).expect("read")) else {
            continue;
        };
        let Ok(calendar) = shiftcover::ical::parse(&text) else {
            continue;
        };
        let written = calendar.to_ics();
        assert!(
            shiftcover::ical::parse(&written).is_ok(),
            "{}: what it wrote does not parse:\n{written}",
            file.display()
        );
        for zone in [chrono_tz::America::New_York, chrono_tz::UTC] {
            let _ = shiftcover::ical::expand(&calendar, window, zone);
        }
        let schedule = Schedule::new(calendar, &config.roster, chrono_tz::America::New_York);
        let _ = schedule.occurrences(window);
    }
}

/// Reads the committed fuzz corpus (fuzz/corpus/read_message) and prints the
/// slowest input of each size class: the README's figures. Nothing is
/// timed against a limit.
#[test]
fn the_fuzz_corpus_reads_and_its_slowest_input_per_size_is_printed() {
    // SHIFTCOVER_FUZZ_CORPUS names another folder, e.g. what a fuzz run found.
    let dir = std::env::var_os("SHIFTCOVER_FUZZ_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/read_message"));
    let Ok(entries) = std::fs::read_dir(&dir) else {
        panic!("no corpus at {}", dir.display());
    };
    let (config, schedule) = world();
    let ctx = ReadContext {
        config: &config,
        schedule: &schedule,
    };
    // The first reading compiles the reader's patterns; not a message's cost.
    let _ = read_message(b"From: a@example.edu\r\n\r\nhi\r\n", &ctx);
    let classes = [
        ("under 1 KB", 1024),
        ("1-10 KB", 10 * 1024),
        ("10-100 KB", 100 * 1024),
        ("100 KB and over", usize::MAX),
    ];
    let mut slowest: Vec<Option<(std::time::Duration, usize, String)>> = vec![None; classes.len()];
    let mut count = 0;
    for e in entries {
        let path = e.expect("entry").path();
        let raw = std::fs::read(&path).expect("read");
        let started = std::time::Instant::now();
        let reading = read_message(&raw, &ctx);
        let took = started.elapsed();
        assert!(reading.message_id.starts_with('<'), "{}", path.display());
        count += 1;
        let class = classes
            .iter()
            .position(|(_, below)| raw.len() < *below)
            .unwrap_or(classes.len() - 1);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if slowest[class].as_ref().is_none_or(|(t, _, _)| took > *t) {
            slowest[class] = Some((took, raw.len(), name));
        }
    }
    assert!(count > 0, "the corpus is empty");
    eprintln!("figure: {count} corpus inputs read");
    for ((label, _), s) in classes.iter().zip(&slowest) {
        if let Some((took, len, name)) = s {
            eprintln!("figure: slowest input {label}: {name} ({len} bytes) in {took:?}");
        }
    }
}
