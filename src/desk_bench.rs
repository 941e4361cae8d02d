//! `shiftcover bench --desks N`: many desks in one process. Builds N desks
//! from the demo (each its own list, Maildir inbox and outbox, ICS
//! calendar and store namespace; the same staff on every roster), plays
//! every desk's inbox through the service side by side in one task, as the
//! daemon runs its desks, and measures messages a second and resident
//! memory (VmRSS and its peak VmHWM from /proc/self/status). It prints
//! figures and asserts nothing about time.

use std::path::Path;

use anyhow::{Context as _, bail};
use chrono::TimeDelta;

use crate::config::desks::Desks;
use crate::model::Instant;

/// What one run measured.
#[derive(Debug, Clone)]
pub struct Figures {
    pub desks: usize,
    pub messages: usize,
    pub seconds: f64,
    /// Resident memory (kB) with the desks configured, before any opened.
    pub rss_before_kb: u64,
    /// Resident memory (kB) when every desk had played its inbox.
    pub rss_after_kb: u64,
    /// The process's peak resident memory (kB).
    pub rss_peak_kb: u64,
    /// Mail the desks wrote to their outboxes.
    pub mail_sent: usize,
}

impl Figures {
    pub fn messages_per_second(&self) -> f64 {
        self.messages as f64 / self.seconds.max(1e-9)
    }
}

/// How far each replay of the demo's inbox is moved on: four weeks, so a
/// weekday stays a weekday and the weekly shifts still fall on it.
const ROUND_SHIFT_DAYS: i64 = 28;

/// A field of /proc/self/status in kB (`VmRSS`, `VmHWM`); 0 when unknown.
pub fn proc_status_kb(field: &str) -> u64 {
    let Ok(text) = std::fs::read_to_string("/proc/self/status") else {
        return 0;
    };
    text.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Builds `desks` desks under `dir` from the demo folder `template` (its
/// config, inbox and calendar), each inbox the demo's mail replayed
/// `rounds` times four weeks apart, with the desk's own list address and
/// its own Message-IDs; the store at `database_url` (None: a SQLite file
/// in `dir`). Returns the config file written and when to stop the clock.
pub fn build(
    template: &Path,
    dir: &Path,
    desks: usize,
    rounds: usize,
    database_url: Option<&str>,
) -> anyhow::Result<(std::path::PathBuf, Instant)> {
    if desks == 0 || rounds == 0 {
        bail!("--desks and --rounds must be at least 1");
    }
    let text = std::fs::read_to_string(template.join("shiftcover.toml"))
        .with_context(|| format!("reading {}", template.join("shiftcover.toml").display()))?;
    let mut base: toml::Table = toml::from_str(&text)?;
    let until_text = std::fs::read_to_string(template.join("until"))?;
    let until = chrono::DateTime::parse_from_rfc3339(until_text.trim())?.to_utc()
        + TimeDelta::days(ROUND_SHIFT_DAYS * (rounds as i64 - 1));
    let list = base
        .get("list")
        .and_then(|l| l.get("address"))
        .and_then(|a| a.as_str())
        .unwrap_or("ask-chat@example.edu")
        .to_string();
    let mut messages = Vec::new();
    for sub in ["cur", "new"] {
        let d = template.join("inbox").join(sub);
        if d.is_dir() {
            for e in std::fs::read_dir(&d)? {
                let p = e?.path();
                if p.is_file() {
                    messages.push(std::fs::read(&p)?);
                }
            }
        }
    }
    if messages.is_empty() {
        bail!("no messages in {}", template.join("inbox").display());
    }
    let ids: Vec<String> = messages.iter().filter_map(|m| message_id(m)).collect();
    let mut top = toml::Table::new();
    for key in ["timezone", "date_order"] {
        if let Some(v) = base.remove(key) {
            top.insert(key.into(), v);
        }
    }
    base.remove("database");
    base.remove("metrics");
    let url = database_url
        .map(str::to_string)
        .unwrap_or_else(|| "sqlite://state.db".into());
    let mut database = toml::Table::new();
    database.insert("url".into(), url.into());
    top.insert("database".into(), database.into());
    let mut blocks = Vec::new();
    for i in 0..desks {
        let name = format!("desk{i:02}");
        let folder = dir.join(&name);
        std::fs::create_dir_all(folder.join("inbox/cur"))?;
        std::fs::create_dir_all(folder.join("inbox/new"))?;
        std::fs::create_dir_all(folder.join("inbox/tmp"))?;
        std::fs::copy(template.join("schedule.ics"), folder.join("schedule.ics"))?;
        let address = format!("{name}@example.edu");
        for round in 0..rounds {
            for (n, raw) in messages.iter().enumerate() {
                let copy = replay(raw, round, &ids, &list, &address);
                std::fs::write(
                    folder.join(format!("inbox/cur/{round:03}.{n:04}.bench:2,S")),
                    copy,
                )?;
            }
        }
        let mut desk = base.clone();
        desk.insert("name".into(), name.clone().into());
        let mut list_table = toml::Table::new();
        list_table.insert("address".into(), address.into());
        list_table.insert(
            "sender".into(),
            format!("Desk {i} Coverage <coverage-{name}@example.edu>").into(),
        );
        desk.insert("list".into(), list_table.into());
        for (key, path) in [
            ("calendar", "schedule.ics"),
            ("mailbox", "inbox"),
            ("outbox", "outbox"),
        ] {
            let mut t = toml::Table::new();
            t.insert(
                "backend".into(),
                if key == "calendar" { "ics" } else { "maildir" }.into(),
            );
            t.insert("path".into(), format!("{name}/{path}").into());
            desk.insert(key.into(), t.into());
        }
        blocks.push(toml::Value::Table(desk));
    }
    top.insert("desk".into(), toml::Value::Array(blocks));
    let config = dir.join("shiftcover.toml");
    std::fs::write(&config, toml::to_string(&top)?)?;
    Ok((config, until))
}

/// Plays every desk of `config` side by side in this task and measures.
pub async fn run(config: &Path, until: Instant) -> anyhow::Result<Figures> {
    let desks = Desks::load(config).map_err(|e| anyhow::anyhow!("{e}"))?;
    let count = desks.desks.len();
    let mut messages = 0;
    for d in &desks.desks {
        if let crate::config::MailboxBackend::Maildir { path } = &d.mailbox {
            messages += crate::live::maildir::read_all(path)?.len();
        }
    }
    let rss_before_kb = proc_status_kb("VmRSS");
    let start = std::time::Instant::now();
    let runs = desks
        .desks
        .into_iter()
        .map(|c| crate::simulate::simulate(c, until));
    let outcomes = futures::future::join_all(runs).await;
    let seconds = start.elapsed().as_secs_f64();
    let rss_after_kb = proc_status_kb("VmRSS");
    for o in outcomes {
        o?;
    }
    let mut mail_sent = 0;
    for i in 0..count {
        let out = config
            .parent()
            .unwrap_or(Path::new("."))
            .join(format!("desk{i:02}/outbox"));
        if let Ok(found) = crate::live::maildir::read_all(&out) {
            mail_sent += found.len();
        }
    }
    Ok(Figures {
        desks: count,
        messages,
        seconds,
        rss_before_kb,
        rss_after_kb,
        rss_peak_kb: proc_status_kb("VmHWM"),
        mail_sent,
    })
}

/// A message's Message-ID as written (with brackets).
fn message_id(raw: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\n\n").next().unwrap_or("");
    head.lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("message-id")
                .then(|| value.trim().to_string())
        })
        .filter(|v| v.starts_with('<'))
}

/// One replay of a demo message for a desk: its Date moved on by the
/// round, every Message-ID of the demo (its own and those it answers) made
/// the round's own, and the demo's list (address, List-Id) replaced by the
/// desk's.
fn replay(raw: &[u8], round: usize, ids: &[String], list: &str, address: &str) -> Vec<u8> {
    let mut text = String::from_utf8_lossy(raw).into_owned();
    if round > 0 {
        for id in ids {
            let own = id.replacen('@', &format!(".r{round}@"), 1);
            text = text.replace(id.as_str(), &own);
        }
        let head_end = text
            .find("\n\n")
            .or_else(|| text.find("\r\n\r\n"))
            .unwrap_or(text.len());
        if let Some(at) = text[..head_end].find("\nDate:") {
            let start = at + "\nDate:".len();
            let end = text[start..]
                .find(['\r', '\n'])
                .map_or(text.len(), |e| start + e);
            if let Ok(date) = chrono::DateTime::parse_from_rfc2822(text[start..end].trim()) {
                let moved = date + TimeDelta::days(ROUND_SHIFT_DAYS * round as i64);
                text.replace_range(start..end, &format!(" {}", moved.to_rfc2822()));
            }
        }
    }
    // The list's name is in its address, its List-Id and its bounce
    // address alike: each names the desk's own list.
    let local = |a: &str| a.split('@').next().unwrap_or(a).to_string();
    text.replace(list, address)
        .replace(&local(list), &local(address))
        .into_bytes()
}
