//! Configuration: the TOML a user writes ([`RawConfig`], serde with
//! `deny_unknown_fields`) and the validated form the rest of the program uses
//! ([`Config`]). Later code never re-checks an `Option` or a string here: a
//! config that loads is a config that is right, and a config that does not
//! load says which key is wrong and what would be right.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime, TimeDelta, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;

pub mod desks;
pub mod oauth2;
pub use oauth2::{Grant, OAuth2, OAuth2Login, Provider, RawOAuth2, Sasl};

/// A configuration error: the key it concerns and what would be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.key, self.message)
        }
    }
}

impl std::error::Error for ConfigError {}

fn err(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.into(),
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------
// What the user writes.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub timezone: String,
    #[serde(default = "default_date_order")]
    pub date_order: String,
    pub list: RawList,
    pub coordinator: RawPerson,
    #[serde(default)]
    pub service_hours: RawServiceHours,
    #[serde(default)]
    pub policy: RawPolicy,
    #[serde(default)]
    pub staff: Vec<RawStaff>,
    pub calendar: RawCalendar,
    pub mailbox: RawMailbox,
    pub outbox: RawOutbox,
    #[serde(default)]
    pub database: RawDatabase,
    #[serde(default)]
    pub metrics: RawMetrics,
    /// The OAuth2 credential servers with `auth = "oauth2"` share.
    pub oauth2: Option<RawOAuth2>,
}

fn default_date_order() -> String {
    "mdy".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawList {
    pub address: String,
    pub sender: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServiceHours {
    #[serde(default = "default_days")]
    pub days: Vec<String>,
    #[serde(default = "default_open")]
    pub open: String,
    #[serde(default = "default_close")]
    pub close: String,
}

impl Default for RawServiceHours {
    fn default() -> Self {
        RawServiceHours {
            days: default_days(),
            open: default_open(),
            close: default_close(),
        }
    }
}

fn default_days() -> Vec<String> {
    ["mon", "tue", "wed", "thu", "fri"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}
fn default_open() -> String {
    "10:00".into()
}
fn default_close() -> String {
    "17:00".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    #[serde(default = "d48h")]
    pub second_call_after: String,
    #[serde(default = "d24h")]
    pub escalate_after: String,
    #[serde(default = "d72h")]
    pub escalate_before_shift: String,
    #[serde(default = "d7d")]
    pub min_notice: String,
    #[serde(default = "default_digest")]
    pub digest: String,
    /// First day of the current term, for "who has covered how many shifts
    /// this term". Default: the most recent of Jan 1, Jun 1 and Aug 15.
    #[serde(default)]
    pub term_start: Option<String>,
}

impl Default for RawPolicy {
    fn default() -> Self {
        RawPolicy {
            second_call_after: d48h(),
            escalate_after: d24h(),
            escalate_before_shift: d72h(),
            min_notice: d7d(),
            digest: default_digest(),
            term_start: None,
        }
    }
}

fn d48h() -> String {
    "48h".into()
}
fn d24h() -> String {
    "24h".into()
}
fn d72h() -> String {
    "72h".into()
}
fn d7d() -> String {
    "7d".into()
}
fn default_digest() -> String {
    "mon 08:00".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStaff {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub initials: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    pub backend: String,
    pub path: Option<String>,
    pub url: Option<String>,
    pub username: Option<String>,
    pub password_file: Option<String>,
    /// How a cover event is labelled; placeholders below.
    pub label: Option<String>,
    /// "password" (Basic, the default), "digest" or "oauth2".
    pub auth: Option<String>,
    /// A Google calendar's ID: fills `url` with provider = "google".
    pub calendar_id: Option<String>,
    pub oauth2: Option<RawOAuth2>,
    /// Graph: the mailbox whose calendar it is, the calendar's name or id,
    /// the API root, and a file holding a bearer token kept fresh elsewhere.
    pub mailbox: Option<String>,
    pub calendar: Option<String>,
    pub graph_url: Option<String>,
    pub bearer_token_file: Option<String>,
    /// How often the calendar is looked at for people's own edits ("2m").
    pub refresh: Option<String>,
    /// CalDAV: the calendar's display name, chosen among the writable ones.
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMailbox {
    pub backend: String,
    pub path: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub tls: Option<String>,
    pub username: Option<String>,
    pub password_file: Option<String>,
    pub folder: Option<String>,
    /// Seconds between polls when the server has no IDLE.
    pub poll_interval: Option<String>,
    /// "password" (the default) or "oauth2".
    pub auth: Option<String>,
    /// "xoauth2" (the default) or "oauthbearer".
    pub sasl: Option<String>,
    pub oauth2: Option<RawOAuth2>,
    /// The authserv-id of the site's own receiving server, whose
    /// Authentication-Results header says whether a sender is genuine.
    pub authserv_id: Option<String>,
    /// How long a reply waits for the message it answers (default 2m).
    pub reply_wait: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutbox {
    pub backend: String,
    pub path: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub tls: Option<String>,
    pub username: Option<String>,
    pub password_file: Option<String>,
    pub auth: Option<String>,
    pub sasl: Option<String>,
    pub oauth2: Option<RawOAuth2>,
    /// Where the echo of every sent mail goes (smtp only): the program's own
    /// mailbox. "none" switches the echo, and exactly-once mail, off.
    pub echo_to: Option<String>,
    /// How long an uncertain send waits for its echo (default 2m).
    pub echo_wait: Option<String>,
    /// How long a mail that cannot be sent is kept trying (default 3d).
    pub give_up_after: Option<String>,
    /// Graph: the mailbox mail is sent as, the API root, the token file,
    /// and "mime" or "json".
    pub mailbox: Option<String>,
    pub graph_url: Option<String>,
    pub bearer_token_file: Option<String>,
    pub format: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    #[serde(default = "default_db")]
    pub url: String,
}

impl Default for RawDatabase {
    fn default() -> Self {
        RawDatabase { url: default_db() }
    }
}

fn default_db() -> String {
    "sqlite://state.db".into()
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetrics {
    /// Address for the Prometheus `/metrics` endpoint; off when absent.
    pub listen: Option<String>,
}

// ---------------------------------------------------------------------------
// The validated form.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    Mdy,
    Dmy,
}

/// An email address with an optional display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub email: String,
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(n) => write!(f, "{} <{}>", n, self.email),
            None => write!(f, "{}", self.email),
        }
    }
}

impl Mailbox {
    /// The part after `@`, for Message-IDs the program makes.
    pub fn domain(&self) -> &str {
        self.email.rsplit('@').next().unwrap_or("localhost")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub name: String,
    /// Lowercased.
    pub email: String,
    pub initials: String,
    pub aliases: Vec<String>,
}

impl StaffMember {
    /// The first word of the name ("Angie" of "Angie Lopez").
    pub fn first_name(&self) -> &str {
        self.name.split_whitespace().next().unwrap_or(&self.name)
    }
}

/// The roster, with look-ups by every way staff refer to each other.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    pub members: Vec<StaffMember>,
}

impl Roster {
    pub fn by_email(&self, email: &str) -> Option<&StaffMember> {
        let e = email.trim().to_ascii_lowercase();
        self.members.iter().find(|m| m.email == e)
    }

    /// A person by full name, alias, first name or initials, case-insensitive.
    /// Initials match only in their written case-insensitive form of 2-3
    /// letters. Returns None when the word names nobody or is ambiguous.
    pub fn by_name(&self, word: &str) -> Option<&StaffMember> {
        let w = word.trim().to_lowercase();
        if w.is_empty() {
            return None;
        }
        // Called for every capitalised word of every message: a roster name
        // in ASCII (nearly all) is compared without lowercasing it afresh.
        let same = |name: &str| lowercase_is(name, &w);
        let tiers: [&dyn Fn(&StaffMember) -> bool; 4] = [
            &|m| same(&m.name),
            &|m| m.aliases.iter().any(|a| same(a)),
            &|m| same(m.first_name()),
            &|m| same(&m.initials),
        ];
        for tier in tiers {
            let mut found = self.members.iter().filter(|m| tier(m));
            match (found.next(), found.next()) {
                (Some(one), None) => return Some(one),
                (None, _) => continue,
                _ => return None,
            }
        }
        None
    }
}

/// Whether `name.to_lowercase()` is `lower` (itself lowercased), without
/// allocating when `name` is ASCII: its lowercase is then its ASCII
/// lowercase, and `lower` holds no ASCII capital.
fn lowercase_is(name: &str, lower: &str) -> bool {
    if name.is_ascii() {
        name.len() == lower.len() && name.eq_ignore_ascii_case(lower)
    } else {
        name.to_lowercase() == lower
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceHours {
    pub days: Vec<Weekday>,
    pub open: NaiveTime,
    pub close: NaiveTime,
}

/// A weekly wall-clock moment in the configured zone ("mon 08:00").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyTime {
    pub weekday: Weekday,
    pub time: NaiveTime,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub second_call_after: TimeDelta,
    pub escalate_after: TimeDelta,
    pub escalate_before_shift: TimeDelta,
    pub min_notice: TimeDelta,
    pub digest: WeeklyTime,
    pub term_start: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    Implicit,
    StartTls,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub username: Option<String>,
    /// Resolved path of the file holding the password.
    pub password_file: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarBackend {
    Ics {
        path: PathBuf,
    },
    Caldav {
        url: String,
        username: Option<String>,
        password_file: Option<PathBuf>,
        auth: CaldavAuth,
        /// `calendar.name`: the display name of the calendar to use, among
        /// the writable calendars found from `url`.
        name: Option<String>,
    },
    /// Microsoft Graph (Exchange Online): see `calendar::graph`.
    Graph {
        mailbox: String,
        calendar: String,
        graph_url: String,
        bearer_token_file: Option<PathBuf>,
        /// The app's OAuth2 credential (Graph's audience): `auth = "oauth2"`.
        oauth2: Option<OAuth2>,
    },
}

impl CalendarBackend {
    /// True when the calendar server itself invites the coverer (Exchange
    /// sends the meeting request when an event with an attendee is created),
    /// so the program must not send its own iMIP invitation too.
    pub fn server_sends_invitations(&self) -> bool {
        matches!(self, CalendarBackend::Graph { .. })
    }
}

/// How the CalDAV server is signed in to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaldavAuth {
    /// HTTP Basic with username and password_file (or no login at all).
    Basic,
    /// HTTP Digest (RFC 7616) with username and password_file.
    Digest,
    /// `Authorization: Bearer` with a token from this credential.
    Bearer(OAuth2),
}

// One value per config: the Maildir variant's spare bytes cost nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailboxBackend {
    Maildir {
        path: PathBuf,
    },
    Imap {
        server: Server,
        folder: String,
        poll_interval: TimeDelta,
        /// Some: signs in with an OAuth2 token instead of a password.
        oauth2: Option<OAuth2Login>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxBackend {
    Maildir {
        path: PathBuf,
    },
    Smtp {
        server: Server,
        /// Some: signs in with an OAuth2 token instead of a password.
        oauth2: Option<OAuth2Login>,
    },
    /// Microsoft Graph sendMail: see `live::graph_mail`.
    Graph {
        mailbox: String,
        graph_url: String,
        bearer_token_file: Option<PathBuf>,
        /// The app's OAuth2 credential (Graph's audience): `auth = "oauth2"`.
        oauth2: Option<OAuth2>,
        /// True for the JSON form, false for MIME (the default).
        json: bool,
    },
}

/// How the outbox delivers: see [`crate::outbox`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The program's own mailbox, added as an envelope recipient of every
    /// SMTP mail so a send whose outcome was lost can be confirmed there;
    /// None when switched off (or for a Maildir outbox).
    pub echo_to: Option<String>,
    /// How long an uncertain send waits for its echo before it is sent again.
    pub echo_wait: TimeDelta,
    /// A mail still unsent this long after it was decided is given up.
    pub give_up_after: TimeDelta,
}

/// Default of `outbox.echo_wait`.
pub const DEFAULT_ECHO_WAIT: TimeDelta = TimeDelta::minutes(2);
/// Default of `outbox.give_up_after`.
pub const DEFAULT_GIVE_UP_AFTER: TimeDelta = TimeDelta::days(3);
/// Default of `calendar.refresh`.
pub const DEFAULT_CALENDAR_REFRESH: TimeDelta = TimeDelta::minutes(2);
/// Default of `mailbox.reply_wait`.
pub const DEFAULT_REPLY_WAIT: TimeDelta = TimeDelta::minutes(2);

/// The label template's default: first names ("Angie for Courtney").
pub const DEFAULT_LABEL: &str = "{coverer_first} for {owner_first}";

#[derive(Debug, Clone)]
pub struct Config {
    /// The folder the config file lives in; relative paths start here.
    pub dir: PathBuf,
    pub timezone: Tz,
    pub date_order: DateOrder,
    pub list_address: String,
    pub sender: Mailbox,
    pub coordinator: Mailbox,
    pub service_hours: ServiceHours,
    pub policy: Policy,
    pub roster: Roster,
    pub calendar: CalendarBackend,
    /// How often the daemon looks at the calendar for edits people made
    /// there (`calendar.refresh`); the schedule is read again only when the
    /// calendar changed.
    pub calendar_refresh: TimeDelta,
    /// Cover-event label template: `{coverer_first}`, `{owner_first}`,
    /// `{coverer_name}`, `{owner_name}`, `{coverer_initials}`, `{owner_initials}`.
    pub label: String,
    pub mailbox: MailboxBackend,
    pub outbox: OutboxBackend,
    pub delivery: Delivery,
    /// How long a reply whose In-Reply-To or References name a message not
    /// yet seen waits for it before it is handled alone (`mailbox.reply_wait`).
    pub reply_wait: TimeDelta,
    pub database_url: String,
    pub metrics_listen: Option<std::net::SocketAddr>,
    /// `mailbox.authserv_id`, lowercased: mail from a staff address that
    /// this server did not vouch for is not acted on. None: not checked.
    pub authserv_id: Option<String>,
    /// This desk's name in a several-desk config (`[[desk]] name`); None for
    /// the one-desk layout. See [`desks`].
    pub desk: Option<String>,
    /// Where this desk's data lives in the database: None for the
    /// unqualified tables (the one-desk layout, or the `[[desk]]` that sets
    /// `keep_single_desk_data`), else the desk's own namespace (see
    /// `store`). Set only by [`desks`].
    pub store_namespace: Option<String>,
    /// The text this config was loaded from, and its folder: the daemon's
    /// reading process ([`crate::reader_process`]) loads its desk from
    /// exactly this, not from the file as it may be now. Set by
    /// [`desks::Desks::from_toml`], which every config passes through.
    pub source: Option<std::sync::Arc<ConfigSource>>,
}

/// A config's text as loaded and the folder its relative paths start in
/// (see [`Config::source`]). It holds no secrets: the config names the files
/// that hold them, and reading mail opens none of them.
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigSource {
    pub text: String,
    pub dir: PathBuf,
}

impl fmt::Debug for ConfigSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ConfigSource({} bytes in {})",
            self.text.len(),
            self.dir.display()
        )
    }
}

impl Config {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        desks::Desks::load(path)?.pick(None)
    }

    /// Parses and validates config text; `dir` anchors relative paths. A
    /// config of `[[desk]]` blocks loads here when it holds one desk; with
    /// several, [`desks::Desks`] picks one by name.
    pub fn from_toml(text: &str, dir: &Path) -> Result<Config, ConfigError> {
        desks::Desks::from_toml(text, dir)?.pick(None)
    }

    /// Parses and validates the one-desk layout (no `[[desk]]` blocks).
    fn from_toml_one_desk(text: &str, dir: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(toml_error)?;
        validate(raw, dir)
    }

    /// Resolves a path from the config the way every path key is read:
    /// absolute as written, relative from the config's folder.
    pub fn resolve(&self, p: &str) -> PathBuf {
        resolve_path(&self.dir, p)
    }

    /// The label of a cover event ("Angie for Courtney").
    pub fn cover_label(&self, coverer: &StaffMember, owner: &StaffMember) -> String {
        self.label
            .replace("{coverer_first}", coverer.first_name())
            .replace("{owner_first}", owner.first_name())
            .replace("{coverer_name}", &coverer.name)
            .replace("{owner_name}", &owner.name)
            .replace("{coverer_initials}", &coverer.initials)
            .replace("{owner_initials}", &owner.initials)
    }

    /// Is the address the program's own (its sender address)?
    pub fn is_own_address(&self, email: &str) -> bool {
        email.eq_ignore_ascii_case(&self.sender.email)
    }
}

/// A TOML or shape error, with the key it names when it names one.
fn toml_error(e: toml::de::Error) -> ConfigError {
    let msg = e.message().to_string();
    let key = unknown_key_hint(&msg);
    err(key, msg.trim().to_string())
}

fn unknown_key_hint(msg: &str) -> String {
    // toml's message reads "unknown field `foo`, expected one of ...".
    if let Some(rest) = msg.split("unknown field `").nth(1)
        && let Some(k) = rest.split('`').next()
    {
        return k.to_string();
    }
    if let Some(rest) = msg.split("missing field `").nth(1)
        && let Some(k) = rest.split('`').next()
    {
        return k.to_string();
    }
    String::new()
}

fn resolve_path(dir: &Path, p: &str) -> PathBuf {
    let pb = PathBuf::from(p);
    if pb.is_absolute() { pb } else { dir.join(pb) }
}

/// Parses a humantime duration ("48h", "7d", "30m").
pub fn parse_duration(key: &str, s: &str) -> Result<TimeDelta, ConfigError> {
    let d = humantime::parse_duration(s.trim()).map_err(|e| {
        err(
            key,
            format!("{s:?} is not a duration ({e}); write it like \"48h\", \"7d\" or \"30m\""),
        )
    })?;
    TimeDelta::from_std(d).map_err(|_| err(key, format!("{s:?} is too long")))
}

pub fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s.trim().to_ascii_lowercase().as_str() {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn parse_clock(key: &str, s: &str) -> Result<NaiveTime, ConfigError> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| {
        err(
            key,
            format!("{s:?} is not a time of day; write it like \"10:00\""),
        )
    })
}

fn parse_tls(key: &str, s: Option<&str>, default: Tls) -> Result<Tls, ConfigError> {
    match s {
        None => Ok(default),
        Some("implicit") => Ok(Tls::Implicit),
        Some("starttls") => Ok(Tls::StartTls),
        Some("none") => Ok(Tls::None),
        Some(other) => Err(err(
            key,
            format!("{other:?} is not a TLS mode; use \"implicit\", \"starttls\" or \"none\""),
        )),
    }
}

/// Splits "Name <addr>" or a bare address.
pub fn parse_mailbox(key: &str, s: &str) -> Result<Mailbox, ConfigError> {
    let s = s.trim();
    let (name, email) = match (s.rfind('<'), s.rfind('>')) {
        (Some(a), Some(b)) if a < b => {
            let name = s[..a].trim().trim_matches('"').trim();
            (
                if name.is_empty() {
                    None
                } else {
                    Some(name.to_string())
                },
                s[a + 1..b].trim(),
            )
        }
        _ => (None, s),
    };
    check_email(key, email)?;
    Ok(Mailbox {
        name,
        email: email.to_ascii_lowercase(),
    })
}

fn check_email(key: &str, email: &str) -> Result<(), ConfigError> {
    let ok = {
        let mut parts = email.split('@');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(l), Some(d), None) => {
                !l.is_empty() && !d.is_empty() && !email.contains(char::is_whitespace)
            }
            _ => false,
        }
    };
    if ok {
        Ok(())
    } else {
        Err(err(
            key,
            format!("{email:?} is not an email address; write it like \"alopez@example.edu\""),
        ))
    }
}

fn only_for(key: &str, present: bool, backend: &str) -> Result<(), ConfigError> {
    if present {
        Err(err(
            key,
            format!("is only used with backend = \"{backend}\"; remove it or change the backend"),
        ))
    } else {
        Ok(())
    }
}

fn need<T: Clone>(key: &str, v: &Option<T>, backend: &str) -> Result<T, ConfigError> {
    v.clone()
        .ok_or_else(|| err(key, format!("is required with backend = \"{backend}\"")))
}

#[allow(clippy::too_many_arguments)]
fn server(
    section: &str,
    host: &Option<String>,
    port: Option<u16>,
    tls: Option<&str>,
    username: &Option<String>,
    password_file: &Option<String>,
    default_port: impl Fn(Tls) -> u16,
    default_tls: Tls,
    backend: &str,
    dir: &Path,
) -> Result<Server, ConfigError> {
    let host = need(&format!("{section}.host"), host, backend)?;
    let tls = parse_tls(&format!("{section}.tls"), tls, default_tls)?;
    if tls == Tls::None && !is_loopback(&host) {
        return Err(err(
            format!("{section}.tls"),
            format!(
                "\"none\" sends passwords in the clear and is only allowed on loopback (host is {host:?}); use \"implicit\" or \"starttls\""
            ),
        ));
    }
    if username.is_some() != password_file.is_some() {
        return Err(err(
            format!("{section}.password_file"),
            "username and password_file go together: give both, or neither for a server without login",
        ));
    }
    Ok(Server {
        host,
        port: port.unwrap_or_else(|| default_port(tls)),
        tls,
        username: username.clone(),
        password_file: password_file.as_deref().map(|p| credential_path(dir, p)),
    })
}

/// A mail server (IMAP or SMTP) with its sign-in: a password as before, or
/// OAuth2, whose provider preset fills in the host, port and TLS mode the
/// config leaves out.
#[allow(clippy::too_many_arguments)]
fn mail_server(
    section: &str,
    host: &Option<String>,
    port: Option<u16>,
    tls: Option<&str>,
    username: &Option<String>,
    password_file: &Option<String>,
    auth: Option<&str>,
    sasl: Option<&str>,
    own: &Option<RawOAuth2>,
    shared: &Option<RawOAuth2>,
    what: oauth2::Use,
    default_port: impl Fn(Tls) -> u16,
    default_tls: Tls,
    backend: &str,
    dir: &Path,
) -> Result<(Server, Option<OAuth2Login>), ConfigError> {
    let Some(sasl) = oauth2::mail_auth(section, auth, sasl, own)? else {
        let s = server(
            section,
            host,
            port,
            tls,
            username,
            password_file,
            default_port,
            default_tls,
            backend,
            dir,
        )?;
        return Ok((s, None));
    };
    let (key, raw) = oauth2::pick(section, own, shared)?;
    let provider = oauth2::provider_of(&key, raw)?;
    let preset = provider.server(what);
    let host = host
        .clone()
        .or_else(|| preset.as_ref().map(|p| p.host.to_string()));
    let tls_text = match (tls, &preset) {
        (Some(t), _) => Some(t),
        (None, Some(p)) => Some(match p.tls {
            Tls::Implicit => "implicit",
            Tls::StartTls => "starttls",
            Tls::None => "none",
        }),
        (None, None) => None,
    };
    let port = port.or_else(|| preset.as_ref().filter(|_| tls.is_none()).map(|p| p.port));
    if password_file.is_some() {
        return Err(err(
            format!("{section}.password_file"),
            "is for auth = \"password\"; with auth = \"oauth2\" the secret is in the oauth2 table's files",
        ));
    }
    if username.is_none() {
        return Err(err(
            format!("{section}.username"),
            "is required with auth = \"oauth2\": the mailbox signed in as (\"ask-chat@example.edu\")",
        ));
    }
    let s = server(
        section,
        &host,
        port,
        tls_text,
        &None,
        &None,
        default_port,
        default_tls,
        backend,
        dir,
    )?;
    let oauth2 = oauth2::validate(&key, raw, what, dir)?;
    Ok((
        Server {
            username: username.clone(),
            ..s
        },
        Some(OAuth2Login { oauth2, sasl }),
    ))
}

/// A password file path: absolute as written; relative ones are looked up in
/// `$CREDENTIALS_DIRECTORY` (systemd's LoadCredential=) when that holds the
/// file, else from the config's folder.
pub fn credential_path(dir: &Path, p: &str) -> PathBuf {
    let pb = PathBuf::from(p);
    if pb.is_absolute() {
        return pb;
    }
    if let Some(creds) = std::env::var_os("CREDENTIALS_DIRECTORY") {
        let c = PathBuf::from(creds).join(&pb);
        if c.exists() {
            return c;
        }
    }
    dir.join(pb)
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false)
}

fn validate(raw: RawConfig, dir: &Path) -> Result<Config, ConfigError> {
    let timezone: Tz = raw.timezone.parse().map_err(|_| {
        err(
            "timezone",
            format!(
                "{:?} is not an IANA time zone; write it like \"America/New_York\"",
                raw.timezone
            ),
        )
    })?;
    let date_order = match raw.date_order.as_str() {
        "mdy" => DateOrder::Mdy,
        "dmy" => DateOrder::Dmy,
        other => {
            return Err(err(
                "date_order",
                format!(
                    "{other:?} is not a date order; use \"mdy\" (12/3 is December 3) or \"dmy\""
                ),
            ));
        }
    };
    let list = parse_mailbox("list.address", &raw.list.address)?;
    let sender = parse_mailbox("list.sender", &raw.list.sender)?;
    if sender.email == list.email {
        return Err(err(
            "list.sender",
            "must differ from list.address, or the program would read its own mail as staff mail",
        ));
    }
    check_email("coordinator.email", &raw.coordinator.email)?;
    let coordinator = Mailbox {
        name: Some(raw.coordinator.name.trim().to_string()),
        email: raw.coordinator.email.trim().to_ascii_lowercase(),
    };

    let mut days = Vec::new();
    for d in &raw.service_hours.days {
        days.push(parse_weekday(d).ok_or_else(|| {
            err(
                "service_hours.days",
                format!("{d:?} is not a day; use \"mon\", \"tue\", ... \"sun\""),
            )
        })?);
    }
    let open = parse_clock("service_hours.open", &raw.service_hours.open)?;
    let close = parse_clock("service_hours.close", &raw.service_hours.close)?;
    if close <= open {
        return Err(err(
            "service_hours.close",
            "must be later than service_hours.open",
        ));
    }

    let p = &raw.policy;
    let digest = {
        let mut it = p.digest.split_whitespace();
        let wd = it.next().and_then(parse_weekday);
        let t = it.next().map(|t| parse_clock("policy.digest", t));
        match (wd, t, it.next()) {
            (Some(weekday), Some(Ok(time)), None) => WeeklyTime { weekday, time },
            _ => {
                return Err(err(
                    "policy.digest",
                    format!(
                        "{:?} is not a weekly time; write it like \"mon 08:00\"",
                        p.digest
                    ),
                ));
            }
        }
    };
    let term_start = match &p.term_start {
        None => None,
        Some(s) => Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            err(
                "policy.term_start",
                format!("{s:?} is not a date; write it like \"2026-08-24\""),
            )
        })?),
    };
    let policy = Policy {
        second_call_after: parse_duration("policy.second_call_after", &p.second_call_after)?,
        escalate_after: parse_duration("policy.escalate_after", &p.escalate_after)?,
        escalate_before_shift: parse_duration(
            "policy.escalate_before_shift",
            &p.escalate_before_shift,
        )?,
        min_notice: parse_duration("policy.min_notice", &p.min_notice)?,
        digest,
        term_start,
    };

    let mut members = Vec::new();
    let mut emails: HashMap<String, String> = HashMap::new();
    let mut initials: HashMap<String, String> = HashMap::new();
    for (i, s) in raw.staff.iter().enumerate() {
        let key = format!("staff[{i}]");
        check_email(&format!("{key}.email"), s.email.trim())?;
        let email = s.email.trim().to_ascii_lowercase();
        if let Some(prev) = emails.insert(email.clone(), s.name.clone()) {
            return Err(err(
                format!("{key}.email"),
                format!(
                    "{email} is listed twice (for {prev} and {}); each person needs their own address",
                    s.name
                ),
            ));
        }
        let ini = match &s.initials {
            Some(x) => x.trim().to_string(),
            None => s
                .name
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .collect::<String>()
                .to_uppercase(),
        };
        if ini.is_empty() || !ini.chars().all(|c| c.is_alphabetic()) {
            return Err(err(
                format!("{key}.initials"),
                format!("{ini:?} are not initials; write letters only, like \"AL\""),
            ));
        }
        if let Some(prev) = initials.insert(ini.to_uppercase(), s.name.clone()) {
            return Err(err(
                format!("{key}.initials"),
                format!(
                    "{ini} are the initials of both {prev} and {}; give one of them other initials",
                    s.name
                ),
            ));
        }
        if s.name.trim().is_empty() {
            return Err(err(format!("{key}.name"), "must not be empty"));
        }
        members.push(StaffMember {
            name: s.name.trim().to_string(),
            email,
            initials: ini,
            aliases: s.aliases.iter().map(|a| a.trim().to_string()).collect(),
        });
    }
    let roster = Roster { members };

    let c = &raw.calendar;
    let calendar = match c.backend.as_str() {
        "ics" => {
            only_for("calendar.url", c.url.is_some(), "caldav")?;
            only_for("calendar.username", c.username.is_some(), "caldav")?;
            only_for(
                "calendar.password_file",
                c.password_file.is_some(),
                "caldav",
            )?;
            only_for("calendar.auth", c.auth.is_some(), "caldav")?;
            only_for("calendar.calendar_id", c.calendar_id.is_some(), "caldav")?;
            only_for("calendar.oauth2", c.oauth2.is_some(), "caldav")?;
            only_for("calendar.name", c.name.is_some(), "caldav")?;
            let path = resolve_path(dir, &need("calendar.path", &c.path, "ics")?);
            if !path.is_file() {
                return Err(err(
                    "calendar.path",
                    format!(
                        "{} does not exist; point it at the shift calendar's .ics file",
                        path.display()
                    ),
                ));
            }
            CalendarBackend::Ics { path }
        }
        "caldav" => {
            only_for("calendar.path", c.path.is_some(), "ics")?;
            let auth_word = c.auth.as_deref().unwrap_or(if c.oauth2.is_some() {
                "oauth2"
            } else {
                "password"
            });
            let auth = match auth_word {
                "password" | "digest" => {
                    if c.oauth2.is_some() {
                        return Err(err(
                            "calendar.oauth2",
                            format!(
                                "is given but calendar.auth = \"{auth_word}\"; write auth = \"oauth2\" or remove the table"
                            ),
                        ));
                    }
                    if c.username.is_some() != c.password_file.is_some() {
                        return Err(err(
                            "calendar.password_file",
                            "username and password_file go together: give both, or neither",
                        ));
                    }
                    if auth_word == "digest" && c.username.is_none() {
                        return Err(err(
                            "calendar.username",
                            "is required with auth = \"digest\" (with password_file)",
                        ));
                    }
                    if auth_word == "digest" {
                        CaldavAuth::Digest
                    } else {
                        CaldavAuth::Basic
                    }
                }
                "oauth2" => {
                    if c.password_file.is_some() {
                        return Err(err(
                            "calendar.password_file",
                            "is for auth = \"password\" or \"digest\"; with auth = \"oauth2\" the secret is in the oauth2 table's files",
                        ));
                    }
                    let (key, raw_oauth) = oauth2::pick("calendar", &c.oauth2, &raw.oauth2)?;
                    CaldavAuth::Bearer(oauth2::validate(&key, raw_oauth, oauth2::Use::Caldav, dir)?)
                }
                other => {
                    return Err(err(
                        "calendar.auth",
                        format!(
                            "{other:?} is not a sign-in method for CalDAV; use \"password\", \"digest\" or \"oauth2\""
                        ),
                    ));
                }
            };
            let google = matches!(&auth, CaldavAuth::Bearer(o) if o.provider == Provider::Google);
            let url = match (&c.url, &c.calendar_id) {
                (Some(_), Some(_)) => {
                    return Err(err(
                        "calendar.calendar_id",
                        "fills calendar.url; give one of them, not both",
                    ));
                }
                (Some(u), None) => u.clone(),
                (None, Some(id)) if google => oauth2::google_caldav_url(id.trim()),
                (None, Some(_)) => {
                    return Err(err(
                        "calendar.calendar_id",
                        "is for Google Calendar (auth = \"oauth2\" with provider = \"google\"); elsewhere write calendar.url",
                    ));
                }
                (None, None) => {
                    return Err(err(
                        "calendar.url",
                        if google {
                            "is required with backend = \"caldav\"; with Google write calendar_id (the calendar's ID, e.g. the account's address) instead"
                        } else {
                            "is required with backend = \"caldav\""
                        },
                    ));
                }
            };
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(err(
                    "calendar.url",
                    format!("{url:?} is not an http(s) URL"),
                ));
            }
            CalendarBackend::Caldav {
                url,
                username: c.username.clone(),
                password_file: c.password_file.as_deref().map(|p| credential_path(dir, p)),
                auth,
                name: match c.name.as_deref().map(str::trim) {
                    Some("") => {
                        return Err(err(
                            "calendar.name",
                            "is empty; write the calendar's display name, or remove the key to take the first writable calendar",
                        ));
                    }
                    n => n.map(str::to_string),
                },
            }
        }
        "graph" => graph_calendar(c, &raw.oauth2, dir)?,
        other => {
            return Err(err(
                "calendar.backend",
                format!(
                    "{other:?} is not a calendar backend; use \"ics\", \"caldav\" or \"graph\""
                ),
            ));
        }
    };
    if !matches!(calendar, CalendarBackend::Graph { .. }) {
        for (k, present) in [
            ("calendar.mailbox", c.mailbox.is_some()),
            ("calendar.calendar", c.calendar.is_some()),
            ("calendar.graph_url", c.graph_url.is_some()),
            ("calendar.bearer_token_file", c.bearer_token_file.is_some()),
        ] {
            only_for(k, present, "graph")?;
        }
    }
    if matches!(calendar, CalendarBackend::Graph { .. }) && c.name.is_some() {
        return Err(err(
            "calendar.name",
            "is for backend = \"caldav\"; with backend = \"graph\" the calendar is named by calendar.calendar",
        ));
    }
    let calendar_refresh = match &c.refresh {
        Some(s) => {
            let d = parse_duration("calendar.refresh", s)?;
            if d < TimeDelta::seconds(1) {
                return Err(err(
                    "calendar.refresh",
                    format!(
                        "{s:?} is too short; write a duration of at least a second, like \"2m\""
                    ),
                ));
            }
            d
        }
        None => DEFAULT_CALENDAR_REFRESH,
    };
    let label = c.label.clone().unwrap_or_else(|| DEFAULT_LABEL.to_string());
    if !label.contains("{coverer") {
        return Err(err(
            "calendar.label",
            format!(
                "{label:?} does not name the coverer; use a template like \"{DEFAULT_LABEL}\" or \"{{coverer_initials}} for {{owner_initials}}\""
            ),
        ));
    }

    let m = &raw.mailbox;
    let mailbox = match m.backend.as_str() {
        "maildir" => {
            for (k, present) in [
                ("mailbox.host", m.host.is_some()),
                ("mailbox.port", m.port.is_some()),
                ("mailbox.tls", m.tls.is_some()),
                ("mailbox.username", m.username.is_some()),
                ("mailbox.password_file", m.password_file.is_some()),
                ("mailbox.folder", m.folder.is_some()),
                ("mailbox.poll_interval", m.poll_interval.is_some()),
                ("mailbox.auth", m.auth.is_some()),
                ("mailbox.sasl", m.sasl.is_some()),
                ("mailbox.oauth2", m.oauth2.is_some()),
                ("mailbox.reply_wait", m.reply_wait.is_some()),
            ] {
                only_for(k, present, "imap")?;
            }
            MailboxBackend::Maildir {
                path: resolve_path(dir, &need("mailbox.path", &m.path, "maildir")?),
            }
        }
        "imap" => {
            only_for("mailbox.path", m.path.is_some(), "maildir")?;
            let (server, oauth2) = mail_server(
                "mailbox",
                &m.host,
                m.port,
                m.tls.as_deref(),
                &m.username,
                &m.password_file,
                m.auth.as_deref(),
                m.sasl.as_deref(),
                &m.oauth2,
                &raw.oauth2,
                oauth2::Use::Imap,
                |t| if t == Tls::Implicit { 993 } else { 143 },
                Tls::Implicit,
                "imap",
                dir,
            )?;
            let poll_interval = match &m.poll_interval {
                Some(s) => parse_duration("mailbox.poll_interval", s)?,
                None => TimeDelta::seconds(60),
            };
            MailboxBackend::Imap {
                server,
                folder: m.folder.clone().unwrap_or_else(|| "INBOX".into()),
                poll_interval,
                oauth2,
            }
        }
        other => {
            return Err(err(
                "mailbox.backend",
                format!("{other:?} is not a mailbox backend; use \"maildir\" or \"imap\""),
            ));
        }
    };

    let authserv_id = match &m.authserv_id {
        None => None,
        Some(id) => {
            let id = id.trim();
            if id.is_empty()
                || id
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || "();\"".contains(c))
            {
                return Err(err(
                    "mailbox.authserv_id",
                    format!(
                        "{id:?} is not an authserv-id; write the name your receiving server puts first in its Authentication-Results header, like \"mx.example.edu\""
                    ),
                ));
            }
            Some(id.to_ascii_lowercase())
        }
    };

    let o = &raw.outbox;
    let outbox = match o.backend.as_str() {
        "maildir" => {
            for (k, present) in [
                ("outbox.host", o.host.is_some()),
                ("outbox.port", o.port.is_some()),
                ("outbox.tls", o.tls.is_some()),
                ("outbox.username", o.username.is_some()),
                ("outbox.password_file", o.password_file.is_some()),
                ("outbox.auth", o.auth.is_some()),
                ("outbox.sasl", o.sasl.is_some()),
                ("outbox.oauth2", o.oauth2.is_some()),
                ("outbox.echo_to", o.echo_to.is_some()),
                ("outbox.echo_wait", o.echo_wait.is_some()),
            ] {
                only_for(k, present, "smtp")?;
            }
            OutboxBackend::Maildir {
                path: resolve_path(dir, &need("outbox.path", &o.path, "maildir")?),
            }
        }
        "smtp" => {
            only_for("outbox.path", o.path.is_some(), "maildir")?;
            let (server, oauth2) = mail_server(
                "outbox",
                &o.host,
                o.port,
                o.tls.as_deref(),
                &o.username,
                &o.password_file,
                o.auth.as_deref(),
                o.sasl.as_deref(),
                &o.oauth2,
                &raw.oauth2,
                oauth2::Use::Smtp,
                |t| match t {
                    Tls::Implicit => 465,
                    Tls::StartTls => 587,
                    Tls::None => 25,
                },
                Tls::StartTls,
                "smtp",
                dir,
            )?;
            OutboxBackend::Smtp { server, oauth2 }
        }
        "graph" => graph_outbox(o, &raw.oauth2, dir)?,
        other => {
            return Err(err(
                "outbox.backend",
                format!(
                    "{other:?} is not an outbox backend; use \"maildir\", \"smtp\" or \"graph\""
                ),
            ));
        }
    };
    if !matches!(outbox, OutboxBackend::Graph { .. }) {
        for (k, present) in [
            ("outbox.mailbox", o.mailbox.is_some()),
            ("outbox.graph_url", o.graph_url.is_some()),
            ("outbox.bearer_token_file", o.bearer_token_file.is_some()),
            ("outbox.format", o.format.is_some()),
        ] {
            only_for(k, present, "graph")?;
        }
    }

    let echo_to = match (&outbox, o.echo_to.as_deref().map(str::trim)) {
        (OutboxBackend::Maildir { .. }, _) => None,
        (_, Some("none")) => None,
        (_, Some(addr)) if addr.contains('@') => Some(addr.to_ascii_lowercase()),
        (_, Some(addr)) => {
            return Err(err(
                "outbox.echo_to",
                format!("{addr:?} is not an address; name the program's own mailbox, or \"none\""),
            ));
        }
        // The mailbox the program reads, when its login is an address;
        // else the program's sender address.
        (_, None) => match &mailbox {
            MailboxBackend::Imap { server, .. } => server
                .username
                .as_deref()
                .filter(|u| u.contains('@'))
                .map(str::to_ascii_lowercase)
                .or_else(|| Some(sender.email.to_ascii_lowercase())),
            MailboxBackend::Maildir { .. } => None,
        },
    };
    let delivery = Delivery {
        echo_to,
        echo_wait: match &o.echo_wait {
            Some(s) => parse_duration("outbox.echo_wait", s)?,
            None => DEFAULT_ECHO_WAIT,
        },
        give_up_after: match &o.give_up_after {
            Some(s) => parse_duration("outbox.give_up_after", s)?,
            None => DEFAULT_GIVE_UP_AFTER,
        },
    };
    let reply_wait = match &m.reply_wait {
        Some(s) => parse_duration("mailbox.reply_wait", s)?,
        None => DEFAULT_REPLY_WAIT,
    };

    let database_url = normalise_db_url(&raw.database.url, dir)?;
    let metrics_listen = match &raw.metrics.listen {
        None => None,
        Some(s) => Some(s.parse().map_err(|_| {
            err(
                "metrics.listen",
                format!("{s:?} is not an address; write it like \"127.0.0.1:9187\""),
            )
        })?),
    };

    Ok(Config {
        dir: dir.to_path_buf(),
        timezone,
        date_order,
        list_address: list.email,
        sender,
        coordinator,
        service_hours: ServiceHours { days, open, close },
        policy,
        roster,
        calendar,
        calendar_refresh,
        label,
        mailbox,
        outbox,
        delivery,
        reply_wait,
        database_url,
        metrics_listen,
        authserv_id,
        desk: None,
        store_namespace: None,
        source: None,
    })
}

/// Makes a relative `sqlite://` path absolute from the config's folder; a
/// `postgres://` URL is kept as written.
fn normalise_db_url(url: &str, dir: &Path) -> Result<String, ConfigError> {
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let (path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (rest, None),
        };
        if path.is_empty() {
            return Err(err(
                "database.url",
                "names no file; write it like \"sqlite://state.db\"",
            ));
        }
        let abs = if path == ":memory:" {
            PathBuf::from(path)
        } else {
            resolve_path(dir, path)
        };
        let mut out = format!("sqlite://{}", abs.display());
        if let Some(q) = query {
            out.push('?');
            out.push_str(q);
        }
        Ok(out)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        // A server's address: nothing to resolve against the config's folder.
        Ok(url.to_string())
    } else {
        Err(err(
            "database.url",
            format!(
                "{url:?} is not a database URL; write it like \"sqlite://state.db\" or \"postgres://user@host/database\""
            ),
        ))
    }
}

/// The `[calendar] backend = "graph"` keys.
fn graph_calendar(
    c: &RawCalendar,
    shared: &Option<RawOAuth2>,
    dir: &Path,
) -> Result<CalendarBackend, ConfigError> {
    for (k, present) in [
        ("calendar.path", c.path.is_some()),
        ("calendar.url", c.url.is_some()),
        ("calendar.username", c.username.is_some()),
        ("calendar.password_file", c.password_file.is_some()),
    ] {
        if present {
            return Err(err(
                k,
                "is not used with backend = \"graph\"; the calendar is named by mailbox and calendar",
            ));
        }
    }
    let (mailbox, graph_url) = graph_place("calendar", &c.mailbox, &c.graph_url)?;
    let oauth2 = graph_sign_in(
        "calendar",
        c.auth.as_deref(),
        &c.oauth2,
        shared,
        c.bearer_token_file.is_some(),
        dir,
    )?;
    Ok(CalendarBackend::Graph {
        oauth2,
        mailbox,
        calendar: c.calendar.clone().unwrap_or_else(|| "Calendar".into()),
        graph_url,
        bearer_token_file: c
            .bearer_token_file
            .as_deref()
            .map(|p| credential_path(dir, p)),
    })
}

/// A Graph backend's mailbox (an address) and API root (http or https,
/// Graph v1.0 by default).
fn graph_place(
    section: &str,
    mailbox: &Option<String>,
    graph_url: &Option<String>,
) -> Result<(String, String), ConfigError> {
    let mailbox = need(&format!("{section}.mailbox"), mailbox, "graph")?;
    if !mailbox.contains('@') {
        return Err(err(
            format!("{section}.mailbox"),
            format!("{mailbox:?} is not a mailbox address (e.g. \"lib-ask-chat@example.edu\")"),
        ));
    }
    let graph_url = graph_url
        .clone()
        .unwrap_or_else(|| "https://graph.microsoft.com/v1.0".into());
    if !(graph_url.starts_with("https://") || graph_url.starts_with("http://")) {
        return Err(err(
            format!("{section}.graph_url"),
            format!("{graph_url:?} is not an http(s) URL"),
        ));
    }
    Ok((mailbox.trim().to_string(), graph_url))
}

/// How a Graph backend signs in: an OAuth2 credential from `[oauth2]` or
/// its own table (Graph's audience, https://graph.microsoft.com/.default,
/// from the `microsoft365` preset), or a token kept fresh elsewhere in
/// `bearer_token_file`; exactly one of them.
fn graph_sign_in(
    section: &str,
    auth: Option<&str>,
    own: &Option<RawOAuth2>,
    shared: &Option<RawOAuth2>,
    token_file: bool,
    dir: &Path,
) -> Result<Option<OAuth2>, ConfigError> {
    let wants_oauth2 = match auth {
        Some("oauth2") => true,
        None => own.is_some(),
        Some(other) => {
            return Err(err(
                format!("{section}.auth"),
                format!("{other:?} is not a sign-in method for Microsoft Graph; use \"oauth2\""),
            ));
        }
    };
    match (wants_oauth2, token_file) {
        (true, true) => Err(err(
            format!("{section}.bearer_token_file"),
            "is given beside auth = \"oauth2\"; keep one of them",
        )),
        (true, false) => {
            let (key, raw) = oauth2::pick(section, own, shared)?;
            Ok(Some(oauth2::validate(&key, raw, oauth2::Use::Graph, dir)?))
        }
        (false, true) => Ok(None),
        (false, false) => Err(err(
            format!("{section}.auth"),
            "is required with backend = \"graph\": write auth = \"oauth2\" with an [oauth2] block (README, \"Microsoft 365\"), or give bearer_token_file",
        )),
    }
}

/// The `[outbox] backend = "graph"` keys.
fn graph_outbox(
    o: &RawOutbox,
    shared: &Option<RawOAuth2>,
    dir: &Path,
) -> Result<OutboxBackend, ConfigError> {
    for (k, present) in [
        ("outbox.path", o.path.is_some()),
        ("outbox.host", o.host.is_some()),
        ("outbox.port", o.port.is_some()),
        ("outbox.tls", o.tls.is_some()),
        ("outbox.username", o.username.is_some()),
        ("outbox.password_file", o.password_file.is_some()),
    ] {
        if present {
            return Err(err(
                k,
                "is not used with backend = \"graph\"; mail is sent as outbox.mailbox",
            ));
        }
    }
    let (mailbox, graph_url) = graph_place("outbox", &o.mailbox, &o.graph_url)?;
    let json = match o.format.as_deref() {
        None | Some("mime") => false,
        Some("json") => true,
        Some(other) => {
            return Err(err(
                "outbox.format",
                format!(
                    "{other:?} is not a sendMail form; use \"mime\" (keeps every header) or \"json\""
                ),
            ));
        }
    };
    let oauth2 = graph_sign_in(
        "outbox",
        o.auth.as_deref(),
        &o.oauth2,
        shared,
        o.bearer_token_file.is_some(),
        dir,
    )?;
    Ok(OutboxBackend::Graph {
        oauth2,
        mailbox,
        graph_url,
        bearer_token_file: o
            .bearer_token_file
            .as_deref()
            .map(|p| credential_path(dir, p)),
        json,
    })
}

/// What every unit test's desk shares: New York time, the ask-chat list,
/// Courtney as coordinator, an ICS calendar and Maildir mail.
#[cfg(test)]
const TEST_DESK: &str = r#"
timezone = "America/New_York"
[list]
address = "ask-chat@example.edu"
sender = "Ask Chat Coverage <coverage@example.edu>"
[coordinator]
name = "Courtney Crummett"
email = "ccrummett@example.edu"
[calendar]
backend = "ics"
path = "schedule.ics"
[mailbox]
backend = "maildir"
path = "inbox"
[outbox]
backend = "maildir"
path = "outbox"
"#;

/// For unit tests: the shared desk with `tables` (staff, policy) added,
/// read as a config whose folder (under the system's temporary folder,
/// named `folder`) holds an empty schedule.ics.
#[cfg(test)]
pub(crate) fn test_config(tables: &str, folder: &str) -> Config {
    let toml = format!("{TEST_DESK}{tables}");
    let dir = std::env::temp_dir().join(folder);
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    std::fs::write(
        dir.join("schedule.ics"),
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    .expect("a calendar file");
    Config::from_toml(&toml, &dir).expect("the test config")
}
