//! The CalDAV servers the tests run on, of three lineages: Radicale and
//! Cyrus IMAP's CalDAV from tests/servers/start.sh (read from its env file),
//! and Xandikos, started here from start.sh's virtualenv. The same checks
//! and scenarios run on each, so a client that leans on one server's habits
//! fails on another. Shared by tests/caldav.rs, tests/scenarios_caldav.rs,
//! tests/e2e_caldav.rs and tests/e2e_schedule_refresh.rs, with what they do
//! alike: a calendar file moved onto a server, and the config to match.
#![allow(dead_code)]

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use shiftcover::calendar::caldav::CaldavCalendar;
use shiftcover::ical::{self, Component};

/// A CalDAV server to make test calendars on.
pub struct DavServer {
    /// What the server is, for messages and skips.
    pub name: &'static str,
    /// Folder URL under which a test calendar may be made (ends in `/`).
    pub home: String,
    /// The server's root, for discovery.
    pub root: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The server keeps a UID once per account, across all its calendars,
    /// as RFC 6638 section 3.2.4.1 asks of a scheduling server (Cyrus):
    /// tests that fill calendars with the same fixture must then take
    /// turns and clear the account first (`take_account`).
    pub one_uid_per_account: bool,
}

/// The calendars an account comes with or start.sh made, which
/// `take_account` leaves alone.
const KEPT_CALENDARS: &[&str] = &["Default", "Inbox", "Outbox", "Attachments", "shifts"];

/// Held while a test fills calendars on a server whose account keeps each
/// UID once.
pub type AccountTurn = Option<tokio::sync::MutexGuard<'static, ()>>;

impl DavServer {
    /// On a server that keeps each UID once per account, waits for this
    /// test binary's other tests to finish with the account, then deletes
    /// the calendars earlier tests (or earlier runs) left there, so the
    /// fixture's UIDs are free again. Elsewhere, returns at once.
    pub async fn take_account(&self) -> AccountTurn {
        static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
        if !self.one_uid_per_account {
            return None;
        }
        let guard = TURN.lock().await;
        let _ = tokio_rustls::rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        let propfind = reqwest::Method::from_bytes(b"PROPFIND").expect("method");
        let body = r#"<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>"#;
        let listing = self
            .auth(http.request(propfind, &self.home))
            .header("Depth", "1")
            .header("Content-Type", "application/xml; charset=utf-8")
            .body(body)
            .send()
            .await
            .expect("PROPFIND on the calendar home");
        let text = listing.text().await.expect("PROPFIND answer");
        let base = reqwest::Url::parse(&self.home).expect("home URL");
        for response in text.split("response>").filter(|r| r.contains("calendar/>")) {
            let Some(href) = response
                .split("href>")
                .nth(1)
                .and_then(|h| h.split('<').next())
            else {
                continue;
            };
            let Ok(url) = base.join(href) else { continue };
            let name = url
                .path()
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("");
            if url.as_str() == self.home || KEPT_CALENDARS.contains(&name) {
                continue;
            }
            let deleted = self
                .auth(http.delete(url.clone()))
                .send()
                .await
                .expect("DELETE of an old test calendar");
            assert!(
                deleted.status().is_success(),
                "DELETE {url}: {}",
                deleted.status()
            );
        }
        Some(guard)
    }

    /// Adds the server's sign-in, when it has one, to a request.
    pub fn auth(&self, rq: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.username {
            Some(u) => rq.basic_auth(u, self.password.as_ref()),
            None => rq,
        }
    }
}

/// A server process a test binary started. Its wrapper shell kills the
/// server when our end of its stdin closes: on drop, or when the tests exit
/// in any way, so no server outlives the tests. A server still running 5 s
/// after SIGTERM is sent SIGKILL: once in a CI run Radicale caught the
/// SIGTERM, went on listening, and the test that stops it waited 16 minutes.
pub struct Process {
    child: Child,
}

impl Process {
    pub fn spawn(program: &[String], port: u16) -> Option<Process> {
        let child = Command::new("sh")
            .arg("-c")
            .arg(
                "\"$@\" & pid=$!; read _; kill $pid; \
                 (sleep 5; kill -9 $pid 2>/dev/null) & killer=$!; \
                 wait $pid; kill $killer 2>/dev/null",
            )
            .arg("sh")
            .args(program)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let process = Process { child };
        wait_port(port, true).then_some(process)
    }

    pub fn stop(mut self, port: u16) {
        self.child.stdin.take();
        let _ = self.child.wait();
        assert!(wait_port(port, false), "the server on {port} did not stop");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.child.stdin.take();
        let _ = self.child.wait();
    }
}

pub fn port_open(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// Waits up to 30 s for the port to open (or close).
pub fn wait_port(port: u16, open: bool) -> bool {
    for _ in 0..300 {
        if port_open(port) == open {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A value from the env file start.sh wrote.
fn start_sh(key: &str) -> Option<String> {
    let dir = std::env::var("SHIFTCOVER_SERVERS_DIR").unwrap_or("/tmp/shiftcover-servers".into());
    let env = std::fs::read_to_string(Path::new(&dir).join("env")).ok()?;
    env.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .map(|v| v.trim_matches('"').to_string())
        .filter(|v| !v.is_empty())
}

/// The port of a `http://127.0.0.1:PORT/...` URL.
fn port_of(url: &str) -> Option<u16> {
    reqwest::Url::parse(url).ok()?.port()
}

/// start.sh's Radicale, when it answers.
pub fn radicale_from_start_sh() -> Option<DavServer> {
    let root = start_sh("SHIFTCOVER_CALDAV_URL")?;
    let user = start_sh("SHIFTCOVER_CALDAV_USER")?;
    if !port_open(port_of(&root)?) {
        return None;
    }
    Some(DavServer {
        name: "Radicale",
        home: format!("{root}{user}/"),
        root,
        username: Some(user),
        password: start_sh("SHIFTCOVER_PASSWORD"),
        one_uid_per_account: false,
    })
}

/// start.sh's Cyrus, when it answers. Its calendars live under
/// /dav/calendars/user/<user>/, which discovery finds from the root.
pub fn cyrus() -> Option<&'static DavServer> {
    static SERVER: OnceLock<Option<DavServer>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let root = start_sh("SHIFTCOVER_CYRUS_URL")?;
            if !port_open(port_of(&root)?) {
                return None;
            }
            Some(DavServer {
                name: "Cyrus",
                home: start_sh("SHIFTCOVER_CYRUS_HOME_URL")?,
                root,
                username: start_sh("SHIFTCOVER_CALDAV_USER"),
                password: start_sh("SHIFTCOVER_PASSWORD"),
                one_uid_per_account: true,
            })
        })
        .as_ref()
}

fn venv() -> String {
    std::env::var("SHIFTCOVER_RADICALE_VENV")
        .unwrap_or("/var/cache/shiftcover-tests/radicale-venv".into())
}

/// How to run Radicale here: start.sh's virtualenv, or a python3 that has it.
pub fn radicale_program() -> Option<Vec<String>> {
    let bin = Path::new(&venv()).join("bin/radicale");
    if bin.exists() {
        return Some(vec![bin.display().to_string()]);
    }
    python_module("radicale")
}

pub fn python_module(module: &str) -> Option<Vec<String>> {
    // start.sh's virtualenv has both servers; else a python3 that has it.
    let venv_python = Path::new(&venv()).join("bin/python3");
    let python = if venv_python.exists() {
        venv_python.display().to_string()
    } else {
        "python3".to_string()
    };
    let ok = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(|| vec![python, "-m".into(), module.into()])
}

/// A Radicale of our own, serving `folder` on `port` (user coverage/secret).
pub fn start_radicale(folder: &Path, port: u16) -> Option<Process> {
    let program = radicale_program()?;
    std::fs::create_dir_all(folder.join("collections")).ok()?;
    let users = folder.join("users");
    std::fs::File::create(&users)
        .and_then(|mut f| f.write_all(b"coverage:secret\n"))
        .ok()?;
    let mut args = program;
    args.extend([
        "--config".to_string(),
        String::new(),
        format!("--server-hosts=127.0.0.1:{port}"),
        "--auth-type=htpasswd".into(),
        format!("--auth-htpasswd-filename={}", users.display()),
        "--auth-htpasswd-encryption=plain".into(),
        "--rights-type=owner_only".into(),
        format!(
            "--storage-filesystem-folder={}",
            folder.join("collections").display()
        ),
        "--logging-level=warning".into(),
    ]);
    Process::spawn(&args, port)
}

pub fn own_radicale_server(port: u16) -> DavServer {
    let root = format!("http://127.0.0.1:{port}/");
    DavServer {
        name: "Radicale",
        home: format!("{root}coverage/"),
        root,
        username: Some("coverage".into()),
        password: Some("secret".into()),
        one_uid_per_account: false,
    }
}

/// A server with what must live as long as it: our process and its folder.
type Kept = Option<(DavServer, Option<Process>, Option<tempfile::TempDir>)>;

/// The Radicale all tests of a binary share: start.sh's, or one started
/// here once.
pub fn radicale() -> Option<&'static DavServer> {
    static SERVER: OnceLock<Kept> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            if let Some(s) = radicale_from_start_sh() {
                return Some((s, None, None));
            }
            let dir = tempfile::tempdir().ok()?;
            let port = free_port();
            let process = start_radicale(dir.path(), port)?;
            Some((own_radicale_server(port), Some(process), Some(dir)))
        })
        .as_ref()
        .map(|(s, _, _)| s)
}

/// A Xandikos of our own, when it is installed (no sign-in).
pub fn xandikos() -> Option<&'static DavServer> {
    static SERVER: OnceLock<Option<(DavServer, Process, tempfile::TempDir)>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let mut args = python_module("xandikos")?;
            let dir = tempfile::tempdir().ok()?;
            let port = free_port();
            args.extend([
                "serve".into(),
                "-d".into(),
                dir.path().display().to_string(),
                "-l".into(),
                "127.0.0.1".into(),
                "-p".into(),
                port.to_string(),
                "--defaults".into(),
            ]);
            let process = Process::spawn(&args, port)?;
            let root = format!("http://127.0.0.1:{port}/");
            let server = DavServer {
                name: "Xandikos",
                home: format!("{root}user/calendars/"),
                root,
                username: None,
                password: None,
                one_uid_per_account: false,
            };
            Some((server, process, dir))
        })
        .as_ref()
        .map(|(s, _, _)| s)
}

/// Fails (CI: tests/run.sh sets SHIFTCOVER_REQUIRE_SERVERS=1) or says why
/// the test is skipped, when a server cannot be had.
pub fn missing(what: &str) {
    assert!(
        std::env::var("SHIFTCOVER_REQUIRE_SERVERS").as_deref() != Ok("1"),
        "{what} is not installed or not running (tests/servers/start.sh)"
    );
    eprintln!("SKIPPED: {what} is not installed or not running (tests/servers/start.sh)");
}

/// One VCALENDAR object per VEVENT, each with the file's time zones, as a
/// calendar app uploads a calendar file: (UID, object text).
pub fn objects(cal: &Component) -> Vec<(String, String)> {
    let zones: Vec<Component> = cal.children("VTIMEZONE").cloned().collect();
    cal.children("VEVENT")
        .map(|ev| {
            let mut obj = Component::new("VCALENDAR");
            obj.properties = cal.properties.clone();
            obj.components = zones.clone();
            obj.components.push(ev.clone());
            (ev.uid().to_string(), obj.to_ics())
        })
        .collect()
}

/// A fresh calendar `name` under the server's home holding every event of
/// the calendar file `ics`, one object each, as another client would have
/// filled it. Returns the calendar and the UIDs uploaded.
pub async fn calendar_holding(
    server: &DavServer,
    name: &str,
    ics: &str,
) -> (CaldavCalendar, Vec<String>) {
    let url = format!("{}{name}/", server.home);
    let cal = CaldavCalendar::create(&url, name, server.username.clone(), server.password.clone())
        .await
        .expect("MKCALENDAR");
    let http = reqwest::Client::new();
    let mut uids = Vec::new();
    for (uid, body) in objects(&ical::parse(ics).expect("the calendar file")) {
        let resp = server
            .auth(http.put(format!("{}{}.ics", cal.url(), uid.replace('@', "%40"))))
            .header("Content-Type", "text/calendar; charset=utf-8")
            .body(body)
            .send()
            .await
            .expect("upload");
        assert!(
            resp.status().is_success(),
            "upload {uid}: {}",
            resp.status()
        );
        uids.push(uid);
    }
    (cal, uids)
}

/// Points the config at `config_path` (whose calendar is the file
/// schedule.ics in `dir`) at a calendar on `server` instead: `location` is
/// its `url = ...` line (and `name = ...`, when chosen by name), and the
/// server's sign-in is added, its password in a file beside the config. The
/// file is removed, so that nothing can read it any more.
pub fn config_on_caldav(dir: &Path, config_path: &Path, server: &DavServer, location: &str) {
    // A server without sign-in (Xandikos) gets a config without one.
    let sign_in = match (&server.username, &server.password) {
        (Some(user), Some(password)) => {
            std::fs::write(dir.join("caldav-password"), format!("{password}\n")).unwrap();
            format!("\nusername = \"{user}\"\npassword_file = \"caldav-password\"")
        }
        _ => String::new(),
    };
    let toml = std::fs::read_to_string(config_path).unwrap().replace(
        "[calendar]\nbackend = \"ics\"\npath = \"schedule.ics\"",
        &format!("[calendar]\nbackend = \"caldav\"\n{location}{sign_in}"),
    );
    assert!(
        toml.contains("backend = \"caldav\""),
        "config not switched to CalDAV"
    );
    std::fs::write(config_path, toml).unwrap();
    std::fs::remove_file(dir.join("schedule.ics")).unwrap();
}
