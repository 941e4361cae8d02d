//! The message corpus as data: every `tests/messages/*.eml` listed in
//! `tests/messages/expected.jsonl` is read through the library and compared
//! with what the contract says it is (kind, sender, shifts as instants,
//! coverer). Every mismatch is reported, with the reading explained, before
//! the test fails.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::Value;
use shiftcover::config::Config;
use shiftcover::model::{Kind, Reading, Span};
use shiftcover::read::{self, ReadContext};
use shiftcover::schedule::Schedule;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages")
}

struct Expected {
    file: String,
    from: String,
    kind: Kind,
    shifts: Vec<Span>,
    coverer: Option<String>,
    /// Whose shift it is when not the sender's; checked only when the line
    /// has the field (`null` says: the sender's own).
    on_behalf_of: Option<Option<String>>,
}

fn instant(v: &Value, what: &str) -> DateTime<Utc> {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string"));
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("{what} {s:?}: {e}"))
        .with_timezone(&Utc)
}

fn expectations() -> Vec<Expected> {
    let text = std::fs::read_to_string(dir().join("expected.jsonl")).expect("expected.jsonl");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("a JSON line");
            let file = v["file"].as_str().expect("file").to_string();
            Expected {
                from: v["from"].as_str().expect("from").to_string(),
                kind: Kind::parse(v["kind"].as_str().expect("kind")).expect("a known kind"),
                shifts: v["shifts"]
                    .as_array()
                    .expect("shifts")
                    .iter()
                    .map(|s| Span::new(instant(&s["start"], &file), instant(&s["end"], &file)))
                    .collect(),
                coverer: v["coverer"].as_str().map(str::to_string),
                on_behalf_of: v
                    .get("on_behalf_of")
                    .map(|o| o.as_str().map(str::to_string)),
                file,
            }
        })
        .collect()
}

fn config() -> Config {
    Config::load(&dir().join("shiftcover.toml")).expect("the corpus config loads")
}

fn show(spans: &[Span], zone: chrono_tz::Tz) -> String {
    let parts: Vec<String> = spans
        .iter()
        .map(|s| {
            format!(
                "{}–{}",
                s.start.with_timezone(&zone).format("%a %Y-%m-%d %H:%M%:z"),
                s.end.with_timezone(&zone).format("%H:%M")
            )
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Compares one reading; returns the differences, empty when it agrees.
fn differences(e: &Expected, r: &Reading, with_shifts: bool, zone: chrono_tz::Tz) -> Vec<String> {
    let mut d = Vec::new();
    if r.kind != e.kind {
        d.push(format!(
            "kind: expected {}, got {}",
            e.kind.as_str(),
            r.kind.as_str()
        ));
    }
    if r.from != e.from {
        d.push(format!("from: expected {}, got {}", e.from, r.from));
    }
    if r.coverer != e.coverer {
        d.push(format!(
            "coverer: expected {:?}, got {:?}",
            e.coverer, r.coverer
        ));
    }
    if with_shifts
        && let Some(owner) = &e.on_behalf_of
        && r.on_behalf_of != *owner
    {
        d.push(format!(
            "on_behalf_of: expected {owner:?}, got {:?}",
            r.on_behalf_of
        ));
    }
    if with_shifts && r.shifts != e.shifts {
        d.push(format!(
            "shifts:\n      expected {}\n      got      {}",
            show(&e.shifts, zone),
            show(&r.shifts, zone)
        ));
    }
    d
}

/// Messages the reader still misreads, kept as fixtures: one file name a
/// line in tests/messages/known_misreads.txt, with what goes wrong after a
/// '#'. A misread not listed fails the test; so does a listed message read
/// right (take it off the list).
fn known_misreads() -> Vec<String> {
    std::fs::read_to_string(dir().join("known_misreads.txt"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The failures that count: unlisted misreads, and listed messages that
/// are now read right.
fn against_known(
    failures: Vec<(String, Vec<String>, String)>,
    expected: &[Expected],
) -> Vec<(String, Vec<String>, String)> {
    let known = known_misreads();
    let still_wrong: Vec<String> = failures.iter().map(|f| f.0.clone()).collect();
    let mut out: Vec<_> = failures
        .into_iter()
        .filter(|(file, _, _)| !known.contains(file))
        .collect();
    for k in &known {
        assert!(
            expected.iter().any(|e| &e.file == k),
            "known_misreads.txt lists {k}, which has no expectation"
        );
    }
    out.extend(known.iter().filter(|k| !still_wrong.contains(k)).map(|k| {
        (
            k.clone(),
            vec!["read right now: take it off known_misreads.txt".to_string()],
            String::new(),
        )
    }));
    out
}

fn report(failures: &[(String, Vec<String>, String)], total: usize) -> String {
    let mut out = format!("{} of {} messages read wrongly:\n", failures.len(), total);
    for (file, diffs, explained) in failures {
        let _ = writeln!(out, "\n== {file}");
        for d in diffs {
            let _ = writeln!(out, "   {d}");
        }
        for line in explained.lines() {
            let _ = writeln!(out, "   | {line}");
        }
    }
    out
}

/// Kind, sender and coverer need no schedule; this part of the corpus can
/// be checked on its own.
#[test]
fn corpus_kinds_senders_and_coverers() {
    let config = config();
    let expected = expectations();
    assert!(
        expected.len() >= 100,
        "the corpus has {} messages",
        expected.len()
    );
    let mut failures = Vec::new();
    for e in &expected {
        let raw = std::fs::read(dir().join(&e.file)).expect("the message file");
        let a = read::analyse(&raw, &config);
        let diffs = differences(e, &a.reading, false, config.timezone);
        if !diffs.is_empty() {
            failures.push((
                e.file.clone(),
                diffs,
                read::explain(&a.reading, config.timezone),
            ));
        }
    }
    // Kinds alone may be right for a message listed for its shifts.
    let known = known_misreads();
    let failures: Vec<_> = failures
        .into_iter()
        .filter(|(file, _, _)| !known.contains(file))
        .collect();
    assert!(failures.is_empty(), "{}", report(&failures, expected.len()));
}

/// The whole reading, shifts included, as `shiftcover parse` gives it.
#[test]
fn corpus_readings_with_shifts() {
    let config = config();
    let ics = std::fs::read_to_string(dir().join("schedule.ics")).expect("schedule.ics");
    let schedule =
        Schedule::from_ics(&ics, &config.roster, config.timezone).expect("the schedule parses");
    let ctx = ReadContext {
        config: &config,
        schedule: &schedule,
    };
    let expected = expectations();
    let mut failures = Vec::new();
    for e in &expected {
        let raw = std::fs::read(dir().join(&e.file)).expect("the message file");
        let r = read::read_message(&raw, &ctx);
        let diffs = differences(e, &r, true, config.timezone);
        if !diffs.is_empty() {
            failures.push((e.file.clone(), diffs, read::explain(&r, config.timezone)));
        }
        // The JSON line carries the same instants, in the zone, with offsets.
        let line = read::contract_json(&e.file, &r, config.timezone);
        for (s, j) in r
            .shifts
            .iter()
            .zip(line["shifts"].as_array().into_iter().flatten())
        {
            assert_eq!(instant(&j["start"], &e.file), s.start, "{}", e.file);
            assert_eq!(instant(&j["end"], &e.file), s.end, "{}", e.file);
        }
    }
    let failures = against_known(failures, &expected);
    assert!(failures.is_empty(), "{}", report(&failures, expected.len()));
}

/// Auto replies must never come out as a kind that acts.
#[test]
fn machine_mail_never_acts() {
    let config = config();
    for e in expectations().iter().filter(|e| e.kind == Kind::AutoReply) {
        let raw = std::fs::read(dir().join(&e.file)).expect("the message file");
        let r = read::analyse(&raw, &config).reading;
        assert!(
            matches!(r.kind, Kind::AutoReply | Kind::Other),
            "{} read as {}",
            e.file,
            r.kind.as_str()
        );
    }
}

/// The program's own mail coming back is marked, whatever it says.
#[test]
fn own_mail_is_marked() {
    let config = config();
    for file in [
        "other-12-own-second-call.eml",
        "other-13-own-mail-no-kind-header.eml",
    ] {
        let raw = std::fs::read(dir().join(file)).expect("the message file");
        let r = read::analyse(&raw, &config).reading;
        assert!(r.own_mail, "{file} not marked as own mail");
        assert_eq!(r.kind, Kind::Other, "{file}");
    }
    let raw = std::fs::read(dir().join("req-01-gmail.eml")).expect("the message file");
    assert!(!read::analyse(&raw, &config).reading.own_mail);
}

/// A message without a Message-ID gets a stable synthetic one.
#[test]
fn missing_message_id_is_synthesised() {
    let config = config();
    let raw = std::fs::read(dir().join("other-09-no-message-id.eml")).expect("the message file");
    let a = read::analyse(&raw, &config).reading.message_id;
    let b = read::analyse(&raw, &config).reading.message_id;
    assert_eq!(a, b);
    assert!(a.ends_with("@shiftcover.invalid>"), "{a}");
}

/// A message far past the reader's caps reads like its beginning, and says
/// it was cut; the time is printed, not asserted.
#[test]
fn a_10_mb_message_reads_like_its_head_and_says_it_was_cut() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut raw = String::from(
        "From: Angie Lopez <alopez@example.edu>\r\nTo: ask-chat@example.edu\r\n\
         Subject: Coverage\r\nDate: Mon, 07 Dec 2026 09:00:00 -0500\r\n\
         Message-ID: <huge@example.edu>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
    );
    while raw.len() < 10 * 1024 * 1024 {
        raw.push_str("Can someone cover 12-2 Monday?\r\n");
    }
    let file = tmp.path().join("huge.eml");
    std::fs::write(&file, &raw).expect("write");
    let started = std::time::Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shiftcover"))
        .arg("parse")
        .arg("--config")
        .arg(dir().join("shiftcover.toml"))
        .arg("--explain")
        .arg(&file)
        .output()
        .expect("run parse");
    eprintln!(
        "figure: parse --explain of a 10 MB message took {:?} (debug build)",
        started.elapsed()
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("coverage_request"), "{text}");
    assert!(
        text.contains("long message: only its first 64 KiB"),
        "{text}"
    );
}
