//! Helpers for tests against the real test servers that
//! tests/servers/start.sh runs on loopback (Dovecot, Postfix): finding them,
//! sending mail as staff, reading what staff received, restarting Dovecot,
//! and running the daemon binary on a temporary config.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, TimeZone, Weekday};
use chrono_tz::America::New_York;
use futures::TryStreamExt;
use shiftcover::config::{Server, Tls};
use shiftcover::live::imap::ImapWatcher;
use shiftcover::live::smtp::SmtpSender;

pub const DOMAIN: &str = "example.edu";
pub const LIST: &str = "ask-chat@example.edu";
pub const PROGRAM: &str = "coverage";
pub const STAFF: [&str; 9] = [
    "alopez",
    "bokafor",
    "ccrummett",
    "dwhitfield",
    "jalvarez",
    "mchen",
    "praman",
    "skim",
    "tbecker",
];

/// The running test servers, as start.sh described them in its env file.
#[derive(Debug, Clone)]
pub struct Servers {
    pub dir: PathBuf,
    pub imap_port: u16,
    pub smtp_port: u16,
    pub password: String,
    pub scripts: PathBuf,
}

/// Tests share the servers' mailboxes, so they run one at a time. The lock
/// is tokio's, as a test holds it across its awaits; a test that panics
/// drops it, and the next one goes ahead.
static LOCK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Waits for this test binary's other tests to finish with the servers.
pub async fn lock() -> tokio::sync::MutexGuard<'static, ()> {
    LOCK.lock().await
}

/// As [`lock`], for a test that runs without a tokio runtime.
pub fn lock_blocking() -> tokio::sync::MutexGuard<'static, ()> {
    LOCK.blocking_lock()
}

fn port_answers(port: u16) -> bool {
    std::net::TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_secs(1),
    )
    .is_ok()
}

/// The servers, or None (with the reason printed) when they are not
/// running. With SHIFTCOVER_REQUIRE_SERVERS=1 (CI) a missing server fails
/// the test instead.
pub fn servers() -> Option<Servers> {
    let dir = PathBuf::from(
        std::env::var("SHIFTCOVER_SERVERS_DIR")
            .unwrap_or_else(|_| "/tmp/shiftcover-servers".into()),
    );
    let skip = |why: String| -> Option<Servers> {
        if std::env::var("SHIFTCOVER_REQUIRE_SERVERS").as_deref() == Ok("1") {
            panic!("{why}");
        }
        eprintln!("skipping: {why} (start them with tests/servers/start.sh)");
        None
    };
    let text = match std::fs::read_to_string(dir.join("env")) {
        Ok(t) => t,
        Err(_) => {
            return skip(format!(
                "no test servers: {} is missing",
                dir.join("env").display()
            ));
        }
    };
    let env: HashMap<String, String> = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        .collect();
    let port = |k: &str| env.get(k).and_then(|v| v.parse::<u16>().ok());
    let (Some(imap_port), Some(smtp_port)) =
        (port("SHIFTCOVER_IMAP_PORT"), port("SHIFTCOVER_SMTP_PORT"))
    else {
        return skip("the servers' env file names no ports".into());
    };
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/servers");
    for (name, server, p) in [
        ("IMAP", "dovecot", imap_port),
        ("SMTP", "postfix", smtp_port),
    ] {
        // A test that failed while it had a server stopped leaves it down:
        // start it again rather than fail every test after that one.
        if !port_answers(p) && std::env::var("SHIFTCOVER_REQUIRE_SERVERS").as_deref() == Ok("1") {
            eprintln!(
                "the test {name} server is down (a test before this one stopped it?): starting it again"
            );
            let _ = Command::new("bash")
                .arg(scripts.join("start.sh"))
                .arg(server)
                .env("SHIFTCOVER_SERVERS_DIR", &dir)
                .stdin(Stdio::null())
                .output();
        }
        if !port_answers(p) {
            return skip(format!(
                "the test {name} server does not answer on 127.0.0.1:{p}"
            ));
        }
    }
    Some(Servers {
        dir,
        imap_port,
        smtp_port,
        password: env
            .get("SHIFTCOVER_PASSWORD")
            .cloned()
            .unwrap_or_else(|| "secret".into()),
        scripts,
    })
}

pub fn address(user: &str) -> String {
    format!("{user}@{DOMAIN}")
}

impl Servers {
    pub fn imap(&self, user: &str) -> Server {
        Server {
            host: "127.0.0.1".into(),
            port: self.imap_port,
            tls: Tls::None,
            username: Some(address(user)),
            password_file: None,
        }
    }

    pub fn smtp(&self) -> Server {
        Server {
            host: "127.0.0.1".into(),
            port: self.smtp_port,
            tls: Tls::None,
            username: None,
            password_file: None,
        }
    }

    pub async fn watcher(&self, user: &str) -> ImapWatcher {
        ImapWatcher::connect(&self.imap(user), "INBOX", Some(&self.password))
            .await
            .unwrap_or_else(|e| panic!("IMAP login as {user}: {e}"))
    }

    /// Sends `raw` by SMTP from `from` to `to`, as a staff member's mail
    /// client would. Returns when Postfix has accepted it.
    pub async fn send(&self, from: &str, to: &[&str], raw: &[u8]) {
        let sender = SmtpSender::new(&self.smtp(), None).expect("SMTP sender");
        let to: Vec<String> = to.iter().map(|s| s.to_string()).collect();
        sender
            .send_raw(from, &to, raw)
            .await
            .unwrap_or_else(|e| panic!("SMTP send: {}", e.message));
    }

    /// Sends a message to the list, as staff do.
    pub async fn post(&self, mail: &ListMail) {
        self.send(&address(mail.from_user), &[LIST], &mail.render())
            .await;
    }

    /// Every message in the user's INBOX.
    pub async fn inbox(&self, user: &str) -> Vec<Received> {
        let mut w = self.watcher(user).await;
        let all = w.fetch_new(0, usize::MAX).await.expect("fetch");
        w.logout().await;
        all.into_iter()
            .map(|(uid, raw)| Received::new(uid, raw))
            .collect()
    }

    /// Polls the user's INBOX until `want` holds or `limit` passes; returns
    /// the last look either way.
    pub async fn wait_for(
        &self,
        user: &str,
        limit: Duration,
        want: impl Fn(&[Received]) -> bool,
    ) -> Vec<Received> {
        let until = Instant::now() + limit;
        loop {
            let got = self.inbox(user).await;
            if want(&got) || Instant::now() >= until {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Deletes everything in the user's INBOX.
    pub async fn clear(&self, user: &str) {
        let mut s = self.raw_session(user).await;
        let mbox = s.select("INBOX").await.expect("select");
        if mbox.exists > 0 {
            let _: Vec<_> = s
                .store("1:*", "+FLAGS.SILENT (\\Deleted)")
                .await
                .expect("store")
                .try_collect()
                .await
                .expect("store");
            let _: Vec<_> = s
                .expunge()
                .await
                .expect("expunge")
                .try_collect()
                .await
                .expect("expunge");
        }
        let _ = s.logout().await;
    }

    /// Empties the program's and every staff member's INBOX.
    pub async fn clear_all(&self) {
        self.clear(PROGRAM).await;
        for u in STAFF {
            self.clear(u).await;
        }
    }

    /// A plain async-imap session, for what the watcher does not show
    /// (flags).
    pub async fn raw_session(&self, user: &str) -> async_imap::Session<tokio::net::TcpStream> {
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", self.imap_port))
            .await
            .expect("connect IMAP");
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.expect("greeting");
        client
            .login(address(user), &self.password)
            .await
            .map_err(|(e, _)| e)
            .expect("login")
    }

    /// Flags of every message in the user's INBOX, by UID.
    pub async fn flags(&self, user: &str) -> HashMap<u32, Vec<String>> {
        let mut s = self.raw_session(user).await;
        s.select("INBOX").await.expect("select");
        let fetches: Vec<_> = s
            .uid_fetch("1:*", "(UID FLAGS)")
            .await
            .expect("fetch flags")
            .try_collect()
            .await
            .expect("fetch flags");
        let mut out = HashMap::new();
        for f in &fetches {
            if let Some(uid) = f.uid {
                out.insert(uid, f.flags().map(|fl| format!("{fl:?}")).collect());
            }
        }
        let _ = s.logout().await;
        out
    }

    /// Stops and starts Dovecot (the IMAP server), as an administrator's
    /// restart would.
    pub fn restart_dovecot(&self) {
        self.dovecot("stop");
        self.dovecot("start");
    }

    /// Runs stop.sh or start.sh for Dovecot alone.
    pub fn dovecot(&self, what: &str) {
        self.script(what, "dovecot");
    }

    /// Runs stop.sh or start.sh for Postfix alone (its queue is kept).
    pub fn postfix(&self, what: &str) {
        self.script(what, "postfix");
    }

    /// Runs stop.sh or start.sh for one server.
    fn script(&self, what: &str, server: &str) {
        let script = self.scripts.join(format!("{what}.sh"));
        let out = Command::new("bash")
            .arg(&script)
            .arg(server)
            .env("SHIFTCOVER_SERVERS_DIR", &self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .expect("run the servers script");
        assert!(
            out.status.success(),
            "{what}.sh {server} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A message as a staff member's mail client writes it to the list.
#[derive(Debug, Clone)]
pub struct ListMail {
    pub from_user: &'static str,
    pub from_name: &'static str,
    pub subject: String,
    pub body: String,
    pub message_id: String,
    pub in_reply_to: Option<String>,
}

/// A Message-ID no other test run has used.
pub fn fresh_message_id(tag: &str) -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "<{tag}.{nanos}.{n}.{}@mail.example.edu>",
        std::process::id()
    )
}

impl ListMail {
    pub fn new(
        from_user: &'static str,
        from_name: &'static str,
        subject: &str,
        body: &str,
    ) -> ListMail {
        ListMail {
            from_user,
            from_name,
            subject: subject.to_string(),
            body: body.to_string(),
            message_id: fresh_message_id(from_user),
            in_reply_to: None,
        }
    }

    pub fn reply_to(mut self, other: &ListMail) -> ListMail {
        self.in_reply_to = Some(other.message_id.clone());
        self
    }

    pub fn render(&self) -> Vec<u8> {
        let date = chrono::Utc::now().with_timezone(&New_York).to_rfc2822();
        let mut s = String::new();
        s += &format!("From: {} <{}>\r\n", self.from_name, address(self.from_user));
        s += &format!("To: {LIST}\r\n");
        s += &format!("Subject: {}\r\n", self.subject);
        s += &format!("Date: {date}\r\n");
        s += &format!("Message-ID: {}\r\n", self.message_id);
        if let Some(r) = &self.in_reply_to {
            s += &format!("In-Reply-To: {r}\r\nReferences: {r}\r\n");
        }
        s += "List-Id: Ask Chat staff <ask-chat.example.edu>\r\n";
        s += "List-Post: <mailto:ask-chat@example.edu>\r\n";
        s += "Precedence: list\r\n";
        s += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n";
        s += "Content-Transfer-Encoding: 8bit\r\n\r\n";
        for line in self.body.lines() {
            s += line;
            s += "\r\n";
        }
        s.into_bytes()
    }
}

/// A message found in a mailbox, with the headers tests look at.
#[derive(Debug, Clone)]
pub struct Received {
    pub uid: u32,
    pub raw: Vec<u8>,
    headers: Vec<(String, String)>,
}

impl Received {
    pub fn new(uid: u32, raw: Vec<u8>) -> Received {
        let text = String::from_utf8_lossy(&raw);
        let head = text
            .split("\r\n\r\n")
            .next()
            .unwrap_or("")
            .split("\n\n")
            .next()
            .unwrap_or("");
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.lines() {
            let line = line.trim_end_matches('\r');
            if line.starts_with([' ', '\t']) {
                if let Some(last) = headers.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
            } else if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        Received { uid, raw, headers }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    /// X-Shiftcover-Kind: what the program sent ("ack", "second-call", ...).
    pub fn kind(&self) -> Option<&str> {
        self.header("x-shiftcover-kind")
    }

    pub fn message_id(&self) -> Option<&str> {
        self.header("message-id")
    }

    /// Whether this message answers `message_id` (In-Reply-To or References).
    pub fn answers(&self, message_id: &str) -> bool {
        self.header("in-reply-to")
            .is_some_and(|v| v.contains(message_id))
            || self
                .header("references")
                .is_some_and(|v| v.contains(message_id))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }
}

/// The program's mail of `kind` among `msgs`.
pub fn of_kind<'a>(msgs: &'a [Received], kind: &str) -> Vec<&'a Received> {
    msgs.iter().filter(|m| m.kind() == Some(kind)).collect()
}

/// Policy durations for a daemon test.
#[derive(Debug, Clone)]
pub struct Policy {
    pub second_call_after: &'static str,
    pub escalate_after: &'static str,
    pub escalate_before_shift: &'static str,
}

impl Policy {
    /// Deadlines far beyond any test: only immediate mail is sent.
    pub fn slow() -> Policy {
        Policy {
            second_call_after: "48h",
            escalate_after: "24h",
            escalate_before_shift: "72h",
        }
    }

    /// Deadlines of seconds, to watch second calls and escalations happen.
    pub fn seconds(second_call: u32, escalate: u32) -> Policy {
        Policy {
            second_call_after: Box::leak(format!("{second_call}s").into_boxed_str()),
            escalate_after: Box::leak(format!("{escalate}s").into_boxed_str()),
            escalate_before_shift: "1h",
        }
    }
}

/// The roster every daemon test uses: the servers' staff users.
const ROSTER: [(&str, &str, &str, &str); 9] = [
    ("Courtney Crummett", "ccrummett", "CC", "Courtney"),
    ("Angie Lopez", "alopez", "AL", "Angie"),
    ("Ben Okafor", "bokafor", "BO", "Ben"),
    ("Priya Raman", "praman", "PR", "Priya"),
    ("Tom Becker", "tbecker", "TB", "Tom"),
    ("Mei Chen", "mchen", "MC", "Mei"),
    ("Jorge Alvarez", "jalvarez", "JA", "Jorge"),
    ("Sarah Kim", "skim", "SK", "Sarah"),
    ("Dana Whitfield", "dwhitfield", "DW", "Dana"),
];

/// The next `weekday` at least `min_days` from today (New York).
pub fn upcoming(weekday: Weekday, min_days: i64) -> NaiveDate {
    let mut d = chrono::Utc::now().with_timezone(&New_York).date_naive()
        + chrono::Days::new(min_days as u64);
    while d.weekday() != weekday {
        d = d.succ_opt().unwrap_or(d);
    }
    d
}

/// A date as staff write it ("12/8").
pub fn md(d: NaiveDate) -> String {
    format!("{}/{}", d.month(), d.day())
}

/// Mei's request for her Tuesday `date` chat shift, as she posts it.
pub fn request_for_mei(date: NaiveDate) -> ListMail {
    ListMail::new(
        "mchen",
        "Mei Chen",
        &format!("Chat coverage Tues {}?", md(date)),
        &format!(
            "Hi all,\n\nCould someone cover my Tuesday {} chat shift? I'm running a workshop then.\n\nThanks,\nMei",
            md(date)
        ),
    )
}

/// Mei's answer to `request` that Sarah takes her Tuesday `date` shift.
pub fn sarah_takes_meis_shift(date: NaiveDate, request: &ListMail) -> ListMail {
    ListMail::new(
        "mchen",
        "Mei Chen",
        &format!("Re: Chat coverage Tues {}?", md(date)),
        &format!(
            "Hi all,\n\nAll set: Sarah's taking my Tuesday {} shift. Thank you, Sarah!\n\nMei",
            md(date)
        ),
    )
    .reply_to(request)
}

/// A daemon test's start: the servers with every INBOX empty, and a config
/// on them (`write_config`) in a folder of its own.
pub struct Setup {
    pub s: Servers,
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

/// The servers emptied and a config written, or None (with the reason
/// printed) when they are not running; see `servers`.
pub async fn setup(policy: Policy) -> Option<Setup> {
    let s = servers()?;
    s.clear_all().await;
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &s, &policy);
    Some(Setup { s, dir, config })
}

/// Writes a config for the daemon on the test servers into `dir`: the
/// roster, a schedule (Mei on Tuesdays 12-2, Tom every day 10-12, others on
/// weekdays), password files, SQLite in `dir`. Returns the config's path.
pub fn write_config(dir: &Path, s: &Servers, policy: &Policy) -> PathBuf {
    std::fs::write(dir.join("imap-password"), format!("{}\n", s.password)).unwrap();
    let mut toml = String::new();
    toml += "timezone = \"America/New_York\"\ndate_order = \"mdy\"\n\n";
    toml += &format!(
        "[list]\naddress = \"{LIST}\"\nsender = \"Ask Chat Coverage <{PROGRAM}@{DOMAIN}>\"\n\n"
    );
    toml += "[coordinator]\nname = \"Courtney Crummett\"\nemail = \"ccrummett@example.edu\"\n\n";
    toml += "[service_hours]\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]\nopen = \"08:00\"\nclose = \"20:00\"\n\n";
    toml += &format!(
        "[policy]\nsecond_call_after = \"{}\"\nescalate_after = \"{}\"\nescalate_before_shift = \"{}\"\nmin_notice = \"1d\"\ndigest = \"mon 08:00\"\n\n",
        policy.second_call_after, policy.escalate_after, policy.escalate_before_shift
    );
    for (name, user, initials, alias) in ROSTER {
        toml += &format!(
            "[[staff]]\nname = \"{name}\"\nemail = \"{user}@{DOMAIN}\"\ninitials = \"{initials}\"\naliases = [\"{alias}\"]\n\n"
        );
    }
    toml += "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"\n\n";
    toml += &format!(
        "[mailbox]\nbackend = \"imap\"\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\nusername = \"{PROGRAM}@{DOMAIN}\"\npassword_file = \"imap-password\"\nfolder = \"INBOX\"\n\n",
        s.imap_port
    );
    toml += &format!(
        "[outbox]\nbackend = \"smtp\"\nhost = \"127.0.0.1\"\nport = {}\ntls = \"none\"\n\n",
        s.smtp_port
    );
    toml += "[database]\nurl = \"sqlite://state.db\"\n";
    let path = dir.join("shiftcover.toml");
    std::fs::write(&path, toml).unwrap();
    std::fs::write(dir.join("schedule.ics"), schedule_ics()).unwrap();
    path
}

fn schedule_ics() -> String {
    // (who, first day, byday or daily, start hour:min, end hour:min)
    let series: [(&str, &str, &str, &str, &str); 6] = [
        (
            "mchen",
            "20260106",
            "FREQ=WEEKLY;BYDAY=TU",
            "120000",
            "140000",
        ),
        ("tbecker", "20260101", "FREQ=DAILY", "100000", "120000"),
        (
            "ccrummett",
            "20260105",
            "FREQ=WEEKLY;BYDAY=MO,WE",
            "100000",
            "120000",
        ),
        (
            "alopez",
            "20260105",
            "FREQ=WEEKLY;BYDAY=MO",
            "120000",
            "140000",
        ),
        (
            "bokafor",
            "20260105",
            "FREQ=WEEKLY;BYDAY=MO",
            "140000",
            "153000",
        ),
        (
            "skim",
            "20260107",
            "FREQ=WEEKLY;BYDAY=WE",
            "120000",
            "140000",
        ),
    ];
    let mut s = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//shiftcover tests//EN\r\nCALSCALE:GREGORIAN\r\n",
    );
    for (user, day, rule, start, end) in series {
        let name = ROSTER
            .iter()
            .find(|r| r.1 == user)
            .map(|r| r.0)
            .unwrap_or(user);
        s += "BEGIN:VEVENT\r\n";
        s += &format!("UID:{user}-shift@example.edu\r\n");
        s += "DTSTAMP:20260101T000000Z\r\n";
        s += &format!("DTSTART;TZID=America/New_York:{day}T{start}\r\n");
        s += &format!("DTEND;TZID=America/New_York:{day}T{end}\r\n");
        s += &format!("RRULE:{rule}\r\n");
        s += "SUMMARY:Ask Chat shift\r\n";
        s += &format!("ATTENDEE;CN={name}:mailto:{user}@{DOMAIN}\r\n");
        s += "END:VEVENT\r\n";
    }
    s += "END:VCALENDAR\r\n";
    s
}

/// The daemon's database in a test's folder (the `state.db` that
/// `write_config` names), opened to look at what it recorded.
pub async fn daemon_store(dir: &Path) -> shiftcover::store::Store {
    shiftcover::store::Store::open(&format!("sqlite://{}", dir.join("state.db").display()))
        .await
        .expect("the daemon's database")
}

/// The daemon binary running on a config, its output in a log file.
pub struct Daemon {
    child: Option<Child>,
    pub log: PathBuf,
    config: PathBuf,
    /// RUST_LOG and SHIFTCOVER_LOG for the daemon.
    level: &'static str,
    /// More environment for the daemon (NOTIFY_SOCKET).
    env: Vec<(String, String)>,
}

/// The binary under test.
pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_shiftcover"))
}

impl Daemon {
    /// Starts `shiftcover run --config` and waits until it has caught up
    /// with the mailbox ("watching for mail" in its log).
    pub fn start(config: &Path) -> Daemon {
        Daemon::start_logging(config, "info")
    }

    /// Like `start`, at another log level ("debug": everything the daemon
    /// can say, for the tests that look for leaked secrets).
    pub fn start_logging(config: &Path, level: &'static str) -> Daemon {
        Daemon::start_with(config, level, Vec::new())
    }

    /// Like `start_logging`, with more environment variables.
    pub fn start_with(config: &Path, level: &'static str, env: Vec<(String, String)>) -> Daemon {
        let log = config.with_file_name("daemon.log");
        let mut d = Daemon {
            child: None,
            log,
            config: config.to_path_buf(),
            level,
            env,
        };
        d.spawn();
        d
    }

    /// Starts `shiftcover run --config` without waiting for anything (a
    /// standby never catches up until it leads).
    pub fn launch(config: &Path) -> Daemon {
        let mut d = Daemon {
            child: None,
            log: config.with_file_name("daemon.log"),
            config: config.to_path_buf(),
            level: "info",
            env: Vec::new(),
        };
        d.spawn_process();
        d
    }

    /// As [`Daemon::launch`], with more environment variables.
    pub fn launch_with(config: &Path, env: Vec<(String, String)>) -> Daemon {
        let mut d = Daemon {
            child: None,
            log: config.with_file_name("daemon.log"),
            config: config.to_path_buf(),
            level: "info",
            env,
        };
        d.spawn_process();
        d
    }

    /// Starts the same daemon again after a kill, without waiting for
    /// anything (it may come back as a standby).
    pub fn relaunch(&mut self) {
        self.kill();
        self.spawn_process();
    }

    /// As [`Daemon::start`], allowing `limit` for the catch-up (a debug
    /// build reading thousands of messages needs minutes).
    pub fn start_within(config: &Path, limit: Duration) -> Daemon {
        let mut d = Daemon::launch(config);
        d.wait_for_log("watching for mail", 1, limit);
        d
    }

    fn spawn(&mut self) {
        let starts = self.log_text().matches("watching for mail").count() + 1;
        self.spawn_process();
        // A hang guard, not a speed bound: a loaded CI machine may take
        // long to start a debug build and sign in.
        self.wait_for_log("watching for mail", starts, Duration::from_secs(120));
    }

    fn spawn_process(&mut self) {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("daemon log");
        writeln!(f, "---- starting the daemon").ok();
        let out = f.try_clone().expect("log handle");
        // Output to a file: a child holding the test's pipes would hang it.
        let child = Command::new(binary())
            .args(["run", "--config"])
            .arg(&self.config)
            .env("RUST_LOG", self.level)
            .env("SHIFTCOVER_LOG", self.level)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(f)
            .spawn()
            .expect("start shiftcover run");
        self.child = Some(child);
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until `needle` appears `times` times in the log.
    pub fn wait_for_log(&mut self, needle: &str, times: usize, limit: Duration) {
        let until = Instant::now() + limit;
        loop {
            if self.log_text().matches(needle).count() >= times {
                return;
            }
            if let Some(c) = self.child.as_mut()
                && let Ok(Some(status)) = c.try_wait()
            {
                panic!(
                    "the daemon exited ({status}) before {needle:?}; its log:\n{}",
                    self.log_text()
                );
            }
            if Instant::now() >= until {
                panic!(
                    "no {needle:?} in the daemon's log after {limit:?}; its log:\n{}",
                    self.log_text()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// SIGTERM, then waits for the exit; returns whether it exited cleanly
    /// within `limit`.
    pub fn terminate(&mut self, limit: Duration) -> bool {
        let Some(mut c) = self.child.take() else {
            return false;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &c.id().to_string()])
            .status();
        let sent = Instant::now();
        let until = sent + limit;
        loop {
            match c.try_wait() {
                Ok(Some(status)) => {
                    // The time is a figure, not a bound: `limit` is only a hang guard.
                    eprintln!(
                        "figure: the daemon stopped {:.2} s after SIGTERM",
                        sent.elapsed().as_secs_f64()
                    );
                    return status.success();
                }
                Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(50)),
                _ => {
                    let _ = c.kill();
                    let _ = c.wait();
                    return false;
                }
            }
        }
    }

    /// Starts the same daemon again after a kill or stop.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.kill();
    }
}

/// When the test's clock says `at` in New York, as an RFC 3339 string.
pub fn ny(date: NaiveDate, hour: u32, min: u32) -> String {
    New_York
        .from_local_datetime(&date.and_hms_opt(hour, min, 0).unwrap_or_default())
        .single()
        .map(|d| d.to_rfc3339())
        .unwrap_or_default()
}
