//! Robustness on foreign mail: every `.eml` under `../shared/corpora` (or
//! the folder named by `SHIFTCOVER_FOREIGN_CORPUS`) is read with the
//! example config and schedule. None is list mail about shifts, so each must
//! come out as `other` or `auto_reply` with no shifts, without a panic. The
//! test is skipped when no such folder exists, so a bare clone passes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use shiftcover::config::Config;
use shiftcover::model::Kind;
use shiftcover::read::{self, ReadContext};
use shiftcover::schedule::Schedule;

fn corpus_dir() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("SHIFTCOVER_FOREIGN_CORPUS") {
        return Some(PathBuf::from(p)).filter(|p| p.is_dir());
    }
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    p.is_dir().then_some(p)
}

fn emls(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            emls(&p, out);
        } else if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("eml")) {
            out.push(p);
        }
    }
}

#[test]
fn foreign_mail_is_never_list_mail_about_shifts() {
    let Some(dir) = corpus_dir() else {
        eprintln!("no foreign corpus (../shared/corpora or SHIFTCOVER_FOREIGN_CORPUS); skipped");
        return;
    };
    let mut files = Vec::new();
    emls(&dir, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no .eml files under {}", dir.display());

    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/messages");
    let config = Config::load(&here.join("shiftcover.toml")).expect("config");
    let ics = std::fs::read_to_string(here.join("schedule.ics")).expect("schedule");
    let schedule = Schedule::from_ics(&ics, &config.roster, config.timezone).expect("schedule");
    let ctx = ReadContext {
        config: &config,
        schedule: &schedule,
    };

    let mut wrong = Vec::new();
    let mut slowest = (Duration::ZERO, PathBuf::new());
    let started = Instant::now();
    for f in &files {
        let raw = std::fs::read(f).expect("readable file");
        let t = Instant::now();
        let r = read::read_message(&raw, &ctx);
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, f.clone());
        }
        if !matches!(r.kind, Kind::Other | Kind::AutoReply) || !r.shifts.is_empty() {
            wrong.push(format!(
                "{}: {} with {} shifts\n{}",
                f.display(),
                r.kind.as_str(),
                r.shifts.len(),
                read::explain(&r, config.timezone)
            ));
        }
    }
    let total = started.elapsed();
    eprintln!(
        "{} foreign messages in {:?} ({:?} each on average); slowest {:?}: {}",
        files.len(),
        total,
        total / files.len() as u32,
        slowest.0,
        slowest.1.display()
    );
    assert!(
        wrong.is_empty(),
        "{} of {} foreign messages read as list mail about shifts:\n{}",
        wrong.len(),
        files.len(),
        wrong.join("\n")
    );
}
