//! Scenarios run through `shiftcover simulate`, checked the way
//! tests/scenarios/README.md describes: the mail sent, the report and the
//! calendar. Each folder under tests/scenarios is one scenario. Every
//! scenario runs twice: on SQLite (the scenario's own config) and on a fresh
//! PostgreSQL database of the test servers (skipped when it is absent).

#[path = "support/postgres.rs"]
mod postgres_server;
#[path = "support/scenario_check.rs"]
mod scenario_check;

use std::path::Path;
use std::process::Command;

use scenario_check::{IcsFile, copy_dir, run_scenario_on, scenario_dirs, use_database};

#[test]
fn every_scenario_passes() {
    every_scenario_passes_on(|| None);
}

#[test]
fn every_scenario_passes_on_postgres() {
    // A server named in a stale env file but not running skips (or, with
    // SHIFTCOVER_REQUIRE_SERVERS=1, fails) here, once, with the reason.
    if postgres_server::fresh_database_blocking().is_none() {
        return;
    }
    every_scenario_passes_on(|| {
        Some(postgres_server::fresh_database_blocking().expect("the test PostgreSQL"))
    });
}

/// Runs each scenario on the database `database` names (None: the
/// scenario's own SQLite file).
fn every_scenario_passes_on(database: impl Fn() -> Option<String>) {
    let mut failures = Vec::new();
    let dirs = scenario_dirs();
    assert!(!dirs.is_empty(), "no scenarios found");
    for d in &dirs {
        let db = database();
        let problems = run_scenario_on(d, &IcsFile, db.as_deref());
        if let Some(url) = &db {
            postgres_server::drop_database_blocking(url);
        }
        let name = d.file_name().unwrap().to_string_lossy().to_string();
        if problems.is_empty() {
            println!("scenario {name}: ok");
        } else {
            println!("scenario {name}: FAILED");
            for p in &problems {
                println!("    {p}");
            }
            failures.push(name);
        }
    }
    assert!(failures.is_empty(), "failing scenarios: {failures:?}");
}

#[test]
fn playing_the_same_inbox_twice_sends_nothing_new() {
    playing_the_same_inbox_twice_on(None);
}

#[test]
fn playing_the_same_inbox_twice_sends_nothing_new_on_postgres() {
    let Some(url) = postgres_server::fresh_database_blocking() else {
        return;
    };
    playing_the_same_inbox_twice_on(Some(&url));
    postgres_server::drop_database_blocking(&url);
}

fn playing_the_same_inbox_twice_on(database_url: Option<&str>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/nobody_answers");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    copy_dir(&src, &dir);
    if let Some(url) = database_url {
        use_database(&dir, url);
    }
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_shiftcover"))
            .args(["simulate", "--config"])
            .arg(dir.join("shiftcover.toml"))
            .args(["--until", "2027-04-10T12:00:00-04:00"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let count = || std::fs::read_dir(dir.join("outbox/new")).unwrap().count();
    let first = run();
    let sent = count();
    assert_eq!(sent, 3, "ack, second call, escalation");
    let calendar = std::fs::read(dir.join("schedule.ics")).unwrap();
    let second = run();
    assert_eq!(count(), sent, "the second run sent mail again");
    assert_eq!(first, second, "the report changed");
    assert_eq!(std::fs::read(dir.join("schedule.ics")).unwrap(), calendar);
}
