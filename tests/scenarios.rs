//! Scenarios run through `shiftcover simulate`, checked the way
//! tests/scenarios/README.md describes: the mail sent, the report and the
//! calendar. Each folder under tests/scenarios is one scenario.

#[path = "support/scenario_check.rs"]
mod scenario_check;

use std::path::Path;
use std::process::Command;

use scenario_check::{IcsFile, copy_dir, run_scenario, scenario_dirs};

#[test]
fn every_scenario_passes() {
    let mut failures = Vec::new();
    let dirs = scenario_dirs();
    assert!(!dirs.is_empty(), "no scenarios found");
    for d in &dirs {
        let problems = run_scenario(d, &IcsFile);
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
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/nobody_answers");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    copy_dir(&src, &dir);
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
