//! The scenario checker: runs `shiftcover simulate` on a copy of a scenario
//! folder and checks the mail sent, the report and the calendar the way
//! tests/scenarios/README.md says. Shared by tests/scenarios.rs (the ICS
//! file) and tests/scenarios_caldav.rs (the same scenarios on each CalDAV
//! server).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, TimeDelta, Utc};
use mail_parser::{MessageParser, MimeHeaders};
use serde_json::Value;

use shiftcover::config::Config;
use shiftcover::model::Span;
use shiftcover::schedule::Schedule;

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else if e.file_name() != "expect.json" {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn instant(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().expect("time string"))
        .expect("RFC 3339")
        .to_utc()
}

/// One message the program sent, as the checker sees it.
struct Sent {
    file: String,
    kind: String,
    to: Vec<String>,
    date: DateTime<Utc>,
    subject: String,
    reply_to: Vec<String>,
    in_reply_to: Vec<String>,
    references: Vec<String>,
    /// (start, end, summary) of each VEVENT in a text/calendar; method=REQUEST part.
    events: Vec<(DateTime<Utc>, DateTime<Utc>, String)>,
    /// The plain-text body.
    body: String,
}

fn addresses(h: Option<&mail_parser::Address>) -> Vec<String> {
    h.map(|a| {
        a.iter()
            .filter_map(|x| x.address())
            .map(|s| s.to_ascii_lowercase())
            .collect()
    })
    .unwrap_or_default()
}

fn ids(h: &mail_parser::HeaderValue) -> Vec<String> {
    match h {
        mail_parser::HeaderValue::Text(t) => vec![format!("<{}>", t.trim_matches(['<', '>']))],
        mail_parser::HeaderValue::TextList(l) => l
            .iter()
            .map(|t| format!("<{}>", t.trim_matches(['<', '>'])))
            .collect(),
        _ => vec![],
    }
}

fn read_outbox(dir: &Path, sender: &str, problems: &mut Vec<String>) -> Vec<Sent> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            let raw = std::fs::read(&path).unwrap();
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            let Some(m) = MessageParser::new().parse(&raw) else {
                problems.push(format!("{file}: does not parse"));
                continue;
            };
            let kind = m
                .header("X-Shiftcover-Kind")
                .and_then(|h| h.as_text())
                .unwrap_or("")
                .to_string();
            if kind.is_empty() {
                problems.push(format!("{file}: no X-Shiftcover-Kind"));
            }
            let auto = m
                .header("Auto-Submitted")
                .and_then(|h| h.as_text())
                .unwrap_or("");
            if !auto.starts_with("auto-") {
                problems.push(format!("{file}: Auto-Submitted is {auto:?}"));
            }
            let Some(d) = m.date() else {
                problems.push(format!("{file}: no Date"));
                continue;
            };
            let from = addresses(m.from());
            if from != vec![sender.to_string()] {
                problems.push(format!("{file}: From is {from:?}, not {sender}"));
            }
            let mut to = addresses(m.to());
            to.extend(addresses(m.cc()));
            let mut events = Vec::new();
            for part in m.parts.iter() {
                let Some(ct) = part.content_type() else {
                    continue;
                };
                let is_request = ct.ctype().eq_ignore_ascii_case("text")
                    && ct
                        .subtype()
                        .map(|s| s.eq_ignore_ascii_case("calendar"))
                        .unwrap_or(false)
                    && ct
                        .attribute("method")
                        .map(|v| v.eq_ignore_ascii_case("REQUEST"))
                        .unwrap_or(false);
                if !is_request {
                    continue;
                }
                let text = String::from_utf8_lossy(part.contents()).to_string();
                let cal = shiftcover::ical::parse(&text).expect("invitation parses");
                let window = Span::new(
                    DateTime::parse_from_rfc3339("2000-01-01T00:00:00Z")
                        .unwrap()
                        .to_utc(),
                    DateTime::parse_from_rfc3339("2100-01-01T00:00:00Z")
                        .unwrap()
                        .to_utc(),
                );
                for x in shiftcover::ical::expand(&cal, window, chrono_tz::UTC) {
                    let summary = cal.components[x.component_index]
                        .value("SUMMARY")
                        .unwrap_or("")
                        .to_string();
                    events.push((x.span.start, x.span.end, summary));
                }
            }
            out.push(Sent {
                file,
                kind,
                to,
                date: DateTime::from_timestamp(d.to_timestamp(), 0).unwrap(),
                subject: m.subject().unwrap_or("").to_string(),
                reply_to: addresses(m.reply_to()),
                in_reply_to: ids(m.in_reply_to()),
                references: ids(m.references()),
                events,
                body: m.body_text(0).map(|b| b.into_owned()).unwrap_or_default(),
            });
        }
    }
    out
}

fn inbox_message_id(dir: &Path, file: &str) -> String {
    for sub in ["cur", "new"] {
        let p = dir.join("inbox").join(sub).join(file);
        if let Ok(raw) = std::fs::read(&p) {
            let m = MessageParser::new().parse(&raw).unwrap();
            return format!("<{}>", m.message_id().unwrap());
        }
    }
    panic!("no inbox file {file}");
}

fn matches(s: &Sent, want: &Value, dir: &Path) -> bool {
    if s.kind != want["kind"].as_str().unwrap() {
        return false;
    }
    let to = want["to"].as_str().unwrap().to_ascii_lowercase();
    if !s.to.contains(&to) {
        return false;
    }
    if want["only_to"].as_bool().unwrap_or(false) && s.to.len() != 1 {
        return false;
    }
    let tol = TimeDelta::minutes(want["tolerance_min"].as_i64().unwrap_or(0));
    if (s.date - instant(&want["at"])).abs() > tol {
        return false;
    }
    if let Some(sub) = want["subject_contains"].as_str()
        && !s.subject.contains(sub)
    {
        return false;
    }
    if let Some(text) = want["body_contains"].as_str()
        && !s.body.contains(text)
    {
        return false;
    }
    if let Some(r) = want["reply_to"].as_str()
        && !s
            .reply_to
            .iter()
            .any(|a| a.contains(&r.to_ascii_lowercase()))
    {
        return false;
    }
    if let Some(f) = want["in_reply_to"].as_str() {
        let id = inbox_message_id(dir, f);
        if !s.in_reply_to.contains(&id) && !s.references.contains(&id) {
            return false;
        }
    }
    if let Some(ev) = want.get("event") {
        let (start, end) = (instant(&ev["start"]), instant(&ev["end"]));
        let names: Vec<&str> = ev["summary_any_of"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        if !s
            .events
            .iter()
            .any(|(a, b, sum)| *a == start && *b == end && names.contains(&sum.as_str()))
        {
            return false;
        }
    }
    true
}

/// How a scenario's calendar is set up and read back: the ICS file as it
/// is, or a server the hooks prepare.
pub trait CalendarSide {
    /// Called on the scenario's copy before `simulate` runs.
    fn prepare(&self, dir: &Path);
    /// Changes what the scenario expects where the backend differs by
    /// design (Exchange, not the program, invites the coverer on Graph).
    fn adjust_expect(&self, _expect: &mut Value) {}
    /// The schedule as the calendar holds it after the run.
    fn read_back(&self, dir: &Path, config: &Config) -> Result<Schedule, String>;
}

/// The scenario's own schedule.ics, edited in place.
pub struct IcsFile;

impl CalendarSide for IcsFile {
    fn prepare(&self, _dir: &Path) {}
    fn read_back(&self, dir: &Path, config: &Config) -> Result<Schedule, String> {
        let text = std::fs::read_to_string(dir.join("schedule.ics")).map_err(|e| e.to_string())?;
        Schedule::from_ics(&text, &config.roster, config.timezone).map_err(|e| e.to_string())
    }
}

/// Runs one scenario; returns what is wrong with it.
pub fn run_scenario(src: &Path, calendar: &dyn CalendarSide) -> Vec<String> {
    run_scenario_on(src, calendar, None)
}

/// Points a copied scenario's config at another database (a PostgreSQL
/// URL) instead of its own `sqlite://state.db`.
pub fn use_database(dir: &Path, database_url: &str) {
    let path = dir.join("shiftcover.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let sqlite = "url = \"sqlite://state.db\"";
    assert!(
        text.contains(sqlite),
        "{} has no {sqlite} line to replace",
        path.display()
    );
    let text = text.replace(sqlite, &format!("url = \"{database_url}\""));
    std::fs::write(&path, text).unwrap();
}

/// As [`run_scenario`], on the given database when one is named.
pub fn run_scenario_on(
    src: &Path,
    calendar: &dyn CalendarSide,
    database_url: Option<&str>,
) -> Vec<String> {
    let mut expect: Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("expect.json")).unwrap()).unwrap();
    calendar.adjust_expect(&mut expect);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    copy_dir(src, &dir);
    if let Some(url) = database_url {
        use_database(&dir, url);
    }
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(dir.join("inbox").join(sub)).unwrap();
    }
    calendar.prepare(&dir);
    let until = expect["until"].as_str().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_shiftcover"))
        .args(["simulate", "--config"])
        .arg(dir.join("shiftcover.toml"))
        .args(["--until", until])
        .output()
        .unwrap();
    let mut problems = Vec::new();
    if !out.status.success() {
        return vec![format!(
            "simulate failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )];
    }
    let config = Config::load(&dir.join("shiftcover.toml")).unwrap();
    let sent = read_outbox(&dir.join("outbox"), &config.sender.email, &mut problems);

    // Mail: each expected message matched by its own sent one.
    let mut used = vec![false; sent.len()];
    for want in expect["sent"].as_array().unwrap() {
        let hit = (0..sent.len()).find(|&i| !used[i] && matches(&sent[i], want, &dir));
        match hit {
            Some(i) => used[i] = true,
            None => problems.push(format!("no sent message matches {want}")),
        }
    }
    let listed = expect["sent"].as_array().unwrap();
    for k in expect["exact_kinds"].as_array().unwrap() {
        let k = k.as_str().unwrap();
        let want = listed.iter().filter(|w| w["kind"] == k).count();
        let got: Vec<&Sent> = sent.iter().filter(|s| s.kind == k).collect();
        if got.len() != want {
            problems.push(format!(
                "{k}: sent {} ({}), expected {want}",
                got.len(),
                got.iter()
                    .map(|s| format!("{} to {:?} at {}", s.file, s.to, s.date))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
    }
    if let Some(q) = expect.get("quiet_after") {
        let q = instant(q);
        for s in sent.iter().filter(|s| s.date >= q) {
            problems.push(format!(
                "{} ({}) sent at {} after quiet_after",
                s.file, s.kind, s.date
            ));
        }
    }

    // Report: exactly the listed requests.
    let report: Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => return vec![format!("report is not JSON: {e}")],
    };
    let got = report["requests"].as_array().cloned().unwrap_or_default();
    let want = expect["report"].as_array().cloned().unwrap_or_default();
    if got.len() != want.len() {
        problems.push(format!(
            "report has {} requests, expected {}: {report}",
            got.len(),
            want.len()
        ));
    }
    for w in &want {
        let start = instant(&w["shifts"][0]["start"]);
        let found = got.iter().find(|g| {
            g["requester"] == w["requester"]
                && g["shifts"][0]["start"]
                    .as_str()
                    .map(|s| instant(&Value::from(s)) == start)
                    .unwrap_or(false)
        });
        let Some(g) = found else {
            problems.push(format!("report lacks {w}"));
            continue;
        };
        for key in ["kind", "state"] {
            if g[key] != w[key] {
                problems.push(format!(
                    "request {}: {key} is {}, expected {}",
                    w["requester"], g[key], w[key]
                ));
            }
        }
        let gs = g["shifts"].as_array().unwrap();
        let ws = w["shifts"].as_array().unwrap();
        if gs.len() != ws.len() {
            problems.push(format!(
                "request {}: {} shifts, expected {}: {g}",
                w["requester"],
                gs.len(),
                ws.len()
            ));
            continue;
        }
        for (a, b) in gs.iter().zip(ws) {
            if instant(&a["end"]) != instant(&b["end"]) || a["covered_by"] != b["covered_by"] {
                problems.push(format!(
                    "request {}: shift {a} expected {b}",
                    w["requester"]
                ));
            }
        }
    }

    // Calendar.
    let schedule = match calendar.read_back(&dir, &config) {
        Ok(s) => s,
        Err(e) => return vec![format!("calendar does not read back after the run: {e}")],
    };
    let at = |t: DateTime<Utc>| {
        schedule.occurrences(Span::new(
            t - TimeDelta::hours(12),
            t + TimeDelta::hours(12),
        ))
    };
    let cal = &expect["calendar"];
    for r in cal["removed"].as_array().unwrap() {
        let t = instant(&r["start"]);
        let owner = r["owner_email"].as_str().unwrap();
        if at(t)
            .iter()
            .any(|o| o.owner.as_deref() == Some(owner) && o.span.spans(t))
        {
            problems.push(format!("calendar: {owner} still has a shift at {t}"));
        }
    }
    for k in cal["kept"].as_array().unwrap() {
        let t = instant(&k["start"]);
        let owner = k["owner_email"].as_str().unwrap();
        if !at(t)
            .iter()
            .any(|o| o.owner.as_deref() == Some(owner) && o.span.spans(t))
        {
            problems.push(format!("calendar: {owner} lost the shift at {t}"));
        }
    }
    for a in cal["added"].as_array().unwrap() {
        let (start, end) = (instant(&a["start"]), instant(&a["end"]));
        let names: Vec<&str> = a["summary_any_of"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let who = a["attendee"].as_str().unwrap();
        if !at(start).iter().any(|o| {
            o.span.start == start
                && o.span.end == end
                && names.contains(&o.summary.as_str())
                && o.owner.as_deref() == Some(who)
        }) {
            problems.push(format!("calendar: no event {names:?} for {who} at {start}"));
        }
    }
    problems
}

pub fn scenario_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expect.json").is_file())
        .collect();
    dirs.sort();
    dirs
}
