//! Several desks in one service: `[[desk]]` blocks, each a whole desk (its
//! list, coordinator, service hours, policy, roster, calendar, mailbox and
//! outbox), sharing the process-wide keys set once at the top level
//! (`[database]`, `[metrics]`, `[oauth2]`, and `timezone` / `date_order` as
//! defaults a desk may override).
//!
//! A config without `[[desk]]` is the one-desk layout of CONTRACT.md and
//! loads exactly as it always did. Each desk becomes its own validated
//! [`Config`], so everything downstream (the service, the engine, compose,
//! the daemon's loop) is the one-desk code, run once per desk.
//!
//! Mistakes that would let one desk act on another's mail or calendar are
//! refused here: two desks with one name, one list address, one mailbox
//! folder, one outbox folder or one calendar; a desk without its list; desk
//! keys at the top level beside `[[desk]]` blocks (which desk would they
//! belong to?).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{
    CalendarBackend, Config, ConfigError, MailboxBackend, OutboxBackend, RawConfig, err,
    toml_error, validate,
};

/// The keys that make a desk; in a several-desk config they live only
/// inside `[[desk]]` blocks.
const DESK_KEYS: &[&str] = &[
    "list",
    "coordinator",
    "service_hours",
    "policy",
    "staff",
    "calendar",
    "mailbox",
    "outbox",
];

/// Top-level keys every desk inherits unless it sets its own.
const DEFAULTS: &[&str] = &["timezone", "date_order", "oauth2"];

/// Top-level keys of the whole process; a desk cannot set them.
const PROCESS_KEYS: &[&str] = &["database", "metrics"];

/// The longest desk name: it becomes part of a PostgreSQL schema name
/// (at most 63 bytes) and of a file name.
const MAX_NAME: usize = 40;

/// Every desk of a config, in the order written.
#[derive(Debug, Clone)]
pub struct Desks {
    pub desks: Vec<Config>,
    /// True when the config is written as `[[desk]]` blocks (even one).
    pub blocks: bool,
}

impl Desks {
    /// Reads and validates a config file with one desk or several.
    pub fn load(path: &Path) -> Result<Desks, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| err("", format!("cannot read {}: {e}", path.display())))?;
        let dir = path
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    p.to_path_buf()
                }
            })
            .unwrap_or_else(|| PathBuf::from("."));
        Desks::from_toml(&text, &dir)
    }

    /// Parses and validates config text; `dir` anchors relative paths.
    pub fn from_toml(text: &str, dir: &Path) -> Result<Desks, ConfigError> {
        let mut desks = Desks::from_toml_text(text, dir)?;
        let source = std::sync::Arc::new(super::ConfigSource {
            text: text.to_string(),
            dir: dir.to_path_buf(),
        });
        for desk in &mut desks.desks {
            desk.source = Some(source.clone());
        }
        Ok(desks)
    }

    fn from_toml_text(text: &str, dir: &Path) -> Result<Desks, ConfigError> {
        let table: toml::Table = toml::from_str(text).map_err(toml_error)?;
        let Some(blocks) = table.get("desk") else {
            return Ok(Desks {
                desks: vec![Config::from_toml_one_desk(text, dir)?],
                blocks: false,
            });
        };
        let toml::Value::Array(blocks) = blocks else {
            return Err(err(
                "desk",
                "write each desk as a [[desk]] block (an array of tables)",
            ));
        };
        if blocks.is_empty() {
            return Err(err(
                "desk",
                "names no desk; write at least one [[desk]] block",
            ));
        }
        for key in table.keys() {
            if DESK_KEYS.contains(&key.as_str()) {
                return Err(err(
                    key.as_str(),
                    format!(
                        "[{key}] at the top level beside [[desk]] blocks is ambiguous: move it into the [[desk]] block it belongs to"
                    ),
                ));
            }
            if key != "desk"
                && !DEFAULTS.contains(&key.as_str())
                && !PROCESS_KEYS.contains(&key.as_str())
            {
                return Err(err(
                    key.as_str(),
                    "is not a key of a several-desk config; the top level holds only timezone, date_order, [database], [metrics], [oauth2] and the [[desk]] blocks",
                ));
            }
        }
        let mut desks = Vec::with_capacity(blocks.len());
        for (i, block) in blocks.iter().enumerate() {
            desks.push(one_desk(i, block, &table, dir)?);
        }
        refuse_shared(&desks)?;
        let kept: Vec<&str> = desks
            .iter()
            .filter(|d| d.store_namespace.is_none())
            .filter_map(|d| d.desk.as_deref())
            .collect();
        if kept.len() > 1 {
            return Err(err(
                "desk.keep_single_desk_data",
                format!(
                    "is set on desks {}; the one-desk data can stay with one desk only",
                    kept.join(" and ")
                ),
            ));
        }
        Ok(Desks {
            desks,
            blocks: true,
        })
    }

    /// The desk named `name`; without a name, the only desk. Several desks
    /// and no name is an error that lists the names.
    pub fn pick(self, name: Option<&str>) -> Result<Config, ConfigError> {
        let names = self.names().join(", ");
        match name {
            Some(name) if !self.blocks => Err(err(
                "--desk",
                format!(
                    "this config has no [[desk]] blocks, so no desk named {name:?}; leave --desk out"
                ),
            )),
            Some(name) => self
                .desks
                .into_iter()
                .find(|d| d.desk.as_deref() == Some(name))
                .ok_or_else(|| {
                    err(
                        "--desk",
                        format!("no desk named {name:?}; the desks are {names}"),
                    )
                }),
            None if self.desks.len() == 1 => Ok(self.desks.into_iter().next().expect("one desk")),
            None => Err(err(
                "--desk",
                format!("this config has several desks ({names}); name one with --desk NAME"),
            )),
        }
    }

    /// The desks' names, in the order written.
    pub fn names(&self) -> Vec<String> {
        self.desks
            .iter()
            .map(|d| d.desk.clone().unwrap_or_default())
            .collect()
    }
}

/// One `[[desk]]` block, with the top level's shared keys, validated.
fn one_desk(
    i: usize,
    block: &toml::Value,
    top: &toml::Table,
    dir: &Path,
) -> Result<Config, ConfigError> {
    let at = |key: &str| format!("desk[{i}].{key}");
    let toml::Value::Table(block) = block else {
        return Err(err(
            format!("desk[{i}]"),
            "must be a table: write it as [[desk]]",
        ));
    };
    let mut table = block.clone();
    let name = match table.remove("name") {
        Some(toml::Value::String(s)) => s,
        Some(_) => return Err(err(at("name"), "must be a string, like \"chat\"")),
        None => {
            return Err(err(
                at("name"),
                "is missing: every [[desk]] needs a name (lowercase letters, digits, '-' or '_'), like \"chat\"",
            ));
        }
    };
    check_name(&at("name"), &name)?;
    let keep = match table.remove("keep_single_desk_data") {
        None => false,
        Some(toml::Value::Boolean(b)) => b,
        Some(_) => return Err(err(at("keep_single_desk_data"), "must be true or false")),
    };
    let in_desk = |key: &str| format!("desk \"{name}\": {key}");
    for key in PROCESS_KEYS {
        if table.contains_key(*key) {
            return Err(err(
                in_desk(key),
                format!(
                    "[{key}] is shared by every desk of the process: set it once at the top level"
                ),
            ));
        }
    }
    if !table.contains_key("list") {
        return Err(err(
            in_desk("list"),
            "is missing: every desk needs its own [list] (address and sender)",
        ));
    }
    for key in DEFAULTS.iter().chain(PROCESS_KEYS) {
        if !table.contains_key(*key)
            && let Some(v) = top.get(*key)
        {
            table.insert((*key).to_string(), v.clone());
        }
    }
    let prefix = |e: ConfigError| ConfigError {
        key: if e.key.is_empty() {
            format!("desk \"{name}\"")
        } else {
            in_desk(&e.key)
        },
        message: e.message,
    };
    let raw: RawConfig = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| prefix(toml_error(e)))?;
    let mut config = validate(raw, dir).map_err(prefix)?;
    config.store_namespace = if keep { None } else { Some(name.clone()) };
    config.desk = Some(name);
    Ok(config)
}

/// A desk name: lowercase ASCII letters, digits, '-' and '_', starting
/// with a letter, so it is the same word in a schema, a file name, a log
/// line and a metrics label.
fn check_name(key: &str, name: &str) -> Result<(), ConfigError> {
    let ok = name.len() <= MAX_NAME
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(err(
            key,
            format!(
                "{name:?} is not a desk name: use lowercase letters, digits, '-' or '_', starting with a letter, at most {MAX_NAME} characters (like \"chat\" or \"research-help\")"
            ),
        ))
    }
}

/// Refuses two desks sharing what must be a desk's own: its name, its
/// list, the mailbox folder it reads, the outbox folder it writes, its
/// calendar.
fn refuse_shared(desks: &[Config]) -> Result<(), ConfigError> {
    let mut seen: HashMap<(&'static str, String), String> = HashMap::new();
    for d in desks {
        let name = d.desk.clone().unwrap_or_default();
        let mut own: Vec<(&'static str, &'static str, String)> = vec![
            ("name", "name", name.clone()),
            ("list", "list.address", d.list_address.clone()),
        ];
        own.push(("mailbox", "mailbox", mailbox_identity(&d.mailbox)));
        if let Some(o) = outbox_identity(&d.outbox) {
            own.push(("outbox", "outbox.path", o));
        }
        own.push(("calendar", "calendar", calendar_identity(&d.calendar)));
        for (what, key, identity) in own {
            if let Some(other) = seen.insert((what, identity.clone()), name.clone()) {
                let message = if what == "name" {
                    format!("{name:?} names two desks; each desk needs its own name")
                } else {
                    format!(
                        "desks {other:?} and {name:?} share the {what} {identity}; each desk needs its own, or one desk would act on the other's"
                    )
                };
                return Err(err(format!("desk \"{name}\": {key}"), message));
            }
        }
    }
    Ok(())
}

/// The folder a desk reads, as a comparable word.
fn mailbox_identity(m: &MailboxBackend) -> String {
    match m {
        MailboxBackend::Maildir { path } => format!("maildir {}", comparable(path)),
        MailboxBackend::Imap { server, folder, .. } => format!(
            "imap://{}@{}:{}/{}",
            server.username.as_deref().unwrap_or(""),
            server.host.to_ascii_lowercase(),
            server.port,
            folder
        ),
    }
}

/// A Maildir outbox's folder; a relay or Graph may serve several desks.
fn outbox_identity(o: &OutboxBackend) -> Option<String> {
    match o {
        OutboxBackend::Maildir { path } => Some(format!("maildir {}", comparable(path))),
        _ => None,
    }
}

fn calendar_identity(c: &CalendarBackend) -> String {
    match c {
        CalendarBackend::Ics { path } => format!("file {}", comparable(path)),
        CalendarBackend::Caldav { url, .. } => {
            format!("collection {}", url.trim_end_matches('/'))
        }
        CalendarBackend::Graph {
            mailbox, calendar, ..
        } => format!("Graph calendar {calendar} of {mailbox}"),
    }
}

/// A path as compared: `a/./b` and `a/b` are one folder.
fn comparable(p: &Path) -> String {
    let mut out = PathBuf::new();
    for part in p.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.display().to_string()
}
